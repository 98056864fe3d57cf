//! The ISO 9564-1 PIN block formats.

use crate::Error;
use core::fmt;
use core::str::FromStr;

/// An ISO 9564-1:2017 PIN block format (§9.3, §9.4).
///
/// ```text
/// format  block   cipher   PAN field            fill (after the PIN digits)
///   0     8 B     TDES     12 digits, no check  F
///   1     8 B     TDES     none                 transaction-unique 0-F
///   2     8 B     TDES     none                 F          (offline ICC only)
///   3     8 B     TDES     12 digits, no check  random A-F
///   4     16 B    AES      whole PAN + length   A to nibble 15, then 16 random nibbles
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// ISO 9564-1 format 0 (= ANSI X9.8 format 0), §9.3.2.
    Iso0,
    /// ISO 9564-1 format 1, §9.3.3.
    Iso1,
    /// ISO 9564-1 format 2 (offline ICC PIN verification only), §9.3.4.
    Iso2,
    /// ISO 9564-1 format 3, §9.3.5.
    Iso3,
    /// ISO 9564-1:2017 format 4 (AES), §9.4.
    Iso4,
}

impl Format {
    /// Every format, in number order.
    pub const ALL: [Self; 5] = [Self::Iso0, Self::Iso1, Self::Iso2, Self::Iso3, Self::Iso4];

    /// The format for its number 0–4 (the control nibble).
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] for any other number.
    pub const fn from_number(n: u8) -> Result<Self, Error> {
        match n {
            0 => Ok(Self::Iso0),
            1 => Ok(Self::Iso1),
            2 => Ok(Self::Iso2),
            3 => Ok(Self::Iso3),
            4 => Ok(Self::Iso4),
            _ => Err(Error::UnknownFormat),
        }
    }

    /// The format number, which is also the control nibble of the PIN field.
    #[must_use]
    pub const fn number(self) -> u8 {
        match self {
            Self::Iso0 => 0,
            Self::Iso1 => 1,
            Self::Iso2 => 2,
            Self::Iso3 => 3,
            Self::Iso4 => 4,
        }
    }

    /// Block length in bytes: 8 for formats 0–3, 16 for format 4.
    #[must_use]
    pub const fn block_len(self) -> usize {
        match self {
            Self::Iso4 => 16,
            _ => 8,
        }
    }

    /// True for the formats whose block is bound to the PAN (0, 3, 4).
    #[must_use]
    pub const fn is_pan_bound(self) -> bool {
        matches!(self, Self::Iso0 | Self::Iso3 | Self::Iso4)
    }

    /// True for the formats that may be translated (0, 1, 3, 4; not 2).
    #[must_use]
    pub const fn is_interchange(self) -> bool {
        !matches!(self, Self::Iso2)
    }

    /// True when the format's fill is chosen per transaction (1, 3 and the random half of 4),
    /// so that explicit fill may be supplied.
    #[must_use]
    pub const fn takes_fill(self) -> bool {
        matches!(self, Self::Iso1 | Self::Iso3 | Self::Iso4)
    }

    /// The name used in messages: `ISO format 0` … `ISO format 4`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Iso0 => "ISO format 0",
            Self::Iso1 => "ISO format 1",
            Self::Iso2 => "ISO format 2",
            Self::Iso3 => "ISO format 3",
            Self::Iso4 => "ISO format 4",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses `0`–`4`, `ISO_0`–`ISO_4` or `ISO-0`–`ISO-4` (case-insensitive).
impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let b = s.as_bytes();
        let digit = match b {
            [d] => *d,
            [i, s, o, sep, d]
                if i.eq_ignore_ascii_case(&b'i')
                    && s.eq_ignore_ascii_case(&b's')
                    && o.eq_ignore_ascii_case(&b'o')
                    && (*sep == b'_' || *sep == b'-') =>
            {
                *d
            }
            _ => return Err(Error::UnknownFormat),
        };
        match digit {
            b'0'..=b'4' => Self::from_number(digit - b'0'),
            _ => Err(Error::UnknownFormat),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_parsing() {
        for f in Format::ALL {
            assert_eq!(Format::from_number(f.number()), Ok(f));
        }
        assert_eq!(Format::from_number(5), Err(Error::UnknownFormat));
        assert_eq!("3".parse::<Format>(), Ok(Format::Iso3));
        assert_eq!("iso_4".parse::<Format>(), Ok(Format::Iso4));
        assert_eq!("ISO-0".parse::<Format>(), Ok(Format::Iso0));
        assert_eq!("5".parse::<Format>(), Err(Error::UnknownFormat));
        assert_eq!("".parse::<Format>(), Err(Error::UnknownFormat));
        assert_eq!("ISO_9".parse::<Format>(), Err(Error::UnknownFormat));
        assert_eq!(Format::Iso4.block_len(), 16);
        assert!(Format::Iso0.is_pan_bound() && !Format::Iso1.is_pan_bound());
        assert!(!Format::Iso2.is_interchange());
    }
}
