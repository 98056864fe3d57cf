//! The primary account number and the PAN fields of formats 0, 3 and 4.

use crate::Error;
use crate::format::Format;
use crate::nibbles;
use core::fmt;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Most PAN digits (ISO/IEC 7812-1).
pub const PAN_MAX_LEN: usize = 19;
/// Fewest PAN digits under [`PanLengthRule::Min12`] (AWS Payment Cryptography's limit), and for
/// [`Format4Pan::Legacy12`] and the Visa PVV.
pub const PAN_MIN_LEN_ISO0: usize = 12;

/// Which PAN lengths the PIN block formats accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PanLengthRule {
    /// What ISO 9564-1:2017 accepts: 1–19 digits in every format. Formats 0 and 3 right-justify
    /// a PAN shorter than 12 digits (without its check digit) and pad it with zeros on the left
    /// (§9.3.2.3); format 4 does the same in 12 digits (§9.4.2.2.3). The default.
    #[default]
    Iso,
    /// 12–19 digits in every format, as AWS Payment Cryptography limits them: opt in with
    /// [`Pan::with_length_rule`] to refuse shorter PANs with [`Error::PanLength`].
    Min12,
}

/// Which PAN the format-4 PAN field carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format4Pan {
    /// ISO 9564-1:2017 §9.4.2.2.3: the whole PAN including the check digit, with its length
    /// indicator. The default.
    #[default]
    Iso,
    /// **Legacy, non-ISO**: the 12 rightmost PAN digits excluding the check digit (as in
    /// formats 0 and 3), placed in the format-4 PAN field as a 12-digit PAN (`M` = 0). AWS
    /// Payment Cryptography documents this for its format-4 translation; this layout is
    /// unconfirmed against the service. Never the default: opt in with
    /// [`Pan::with_format4_pan`].
    Legacy12,
}

/// A primary account number: 1 to 19 decimal digits including the check digit, validated on
/// construction.
///
/// Every format accepts 1–19 digits (a PAN shorter than 12 digits is right-justified,
/// ISO 9564-1:2017 §9.3.2.3, §9.4.2.2.3); [`PanLengthRule::Min12`] is the explicit opt-in for
/// callers who want AWS's 12–19. The Luhn check digit is not verified (test
/// PANs often fail it). Zeroized on drop; `Debug` prints only the length.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Pan {
    digits: [u8; PAN_MAX_LEN],
    #[zeroize(skip)]
    len: u8,
    #[zeroize(skip)]
    format4: Format4Pan,
    #[zeroize(skip)]
    rule: PanLengthRule,
}

impl Pan {
    /// A PAN from its decimal digits (check digit included).
    ///
    /// # Errors
    /// [`Error::PanLength`] unless 1–19 characters, [`Error::PanNotNumeric`] for a non-digit.
    pub fn new(digits: &str) -> Result<Self, Error> {
        Self::from_ascii(digits.as_bytes())
    }

    /// A PAN from ASCII decimal digits.
    ///
    /// # Errors
    /// As [`Pan::new`].
    pub fn from_ascii(digits: &[u8]) -> Result<Self, Error> {
        let n = digits.len();
        if !(1..=PAN_MAX_LEN).contains(&n) {
            return Err(Error::PanLength {
                min: 1,
                max: PAN_MAX_LEN,
                got: n,
            });
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(Error::PanNotNumeric);
        }
        let mut out = [0u8; PAN_MAX_LEN];
        for (o, d) in out.iter_mut().zip(digits) {
            *o = d - b'0';
        }
        Ok(Self {
            digits: out,
            len: u8::try_from(n).map_err(|_| Error::PanLength {
                min: 1,
                max: PAN_MAX_LEN,
                got: n,
            })?,
            format4: Format4Pan::Iso,
            rule: PanLengthRule::Iso,
        })
    }

    /// The same PAN, with the given rule for the format-4 PAN field. Only
    /// [`Format4Pan::Legacy12`] changes anything, and only for format 4.
    #[must_use]
    pub fn with_format4_pan(mut self, rule: Format4Pan) -> Self {
        self.format4 = rule;
        self
    }

    /// The same PAN under the given length rule ([`PanLengthRule::Min12`]: formats 0, 3 and 4
    /// refuse fewer than 12 digits, as AWS Payment Cryptography does).
    #[must_use]
    pub fn with_length_rule(mut self, rule: PanLengthRule) -> Self {
        self.rule = rule;
        self
    }

    /// The length rule this PAN carries ([`PanLengthRule::Iso`] unless changed).
    #[must_use]
    pub const fn length_rule(&self) -> PanLengthRule {
        self.rule
    }

    /// [`Error::PanLength`] when the PAN has fewer than `min` digits.
    fn check_min(&self, min: usize) -> Result<(), Error> {
        let n = self.len();
        if n < min {
            return Err(Error::PanLength {
                min,
                max: PAN_MAX_LEN,
                got: n,
            });
        }
        Ok(())
    }

    /// The fewest digits the length rule accepts.
    const fn rule_min(&self) -> usize {
        match self.rule {
            PanLengthRule::Iso => 1,
            PanLengthRule::Min12 => PAN_MIN_LEN_ISO0,
        }
    }

    /// The format-4 PAN rule this PAN carries ([`Format4Pan::Iso`] unless changed).
    #[must_use]
    pub const fn format4_pan(&self) -> Format4Pan {
        self.format4
    }

    /// Number of digits (1–19).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The digit values 0–9 (not ASCII), check digit included. Other standards derive from the
    /// PAN too (EMV Book 2 A1.4 card keys, card verification codes); this is their input.
    #[must_use]
    pub fn digit_values(&self) -> &[u8] {
        self.values()
    }

    /// Digit values 0–9.
    fn values(&self) -> &[u8] {
        self.digits.get(..self.len()).unwrap_or(&[])
    }

    /// The 12 rightmost digits excluding the check digit, right-aligned with leading zeros
    /// (ISO 9564-1:2017 §9.3.2.3: a shorter PAN is right-justified and zero-padded on the
    /// left). Needs at least `min` digits.
    pub(crate) fn rightmost12(&self, min: usize) -> Result<[u8; 12], Error> {
        self.check_min(min)?;
        let n = self.len();
        let body = self.values().get(..n - 1).unwrap_or(&[]);
        let body = body.get(body.len().saturating_sub(12)..).unwrap_or(&[]);
        let mut out = [0u8; 12];
        let start = 12 - body.len();
        if let Some(dst) = out.get_mut(start..) {
            dst.copy_from_slice(body);
        }
        Ok(out)
    }

    /// The PAN field for formats 0 and 3 (ISO 9564-1:2017 §9.3.2.3), 8 bytes:
    ///
    /// ```text
    /// nibble  0-3   4-15
    ///         0000  the 12 PAN digits left of the check digit (right-aligned, 0-padded)
    /// ```
    ///
    /// A PAN of fewer than 13 digits has fewer than 12 digits left of its check digit: they are
    /// right-justified and zeros pad the left.
    ///
    /// # Errors
    /// [`Error::PanLength`] only under [`PanLengthRule::Min12`] for fewer than 12 digits.
    pub fn iso0_field(&self) -> Result<[u8; 8], Error> {
        let digits = Zeroizing::new(self.rightmost12(self.rule_min())?);
        let mut n = Zeroizing::new([0u8; 16]);
        if let Some(dst) = n.get_mut(4..) {
            dst.copy_from_slice(digits.as_slice());
        }
        let mut out = [0u8; 8];
        nibbles::pack(n.as_slice(), &mut out);
        Ok(out)
    }

    /// The PAN field for format 4 (ISO 9564-1:2017 §9.4.2.2.3), 16 bytes:
    ///
    /// ```text
    /// nibble  0   1 ... 12+M   13+M ... 31
    ///         M   PAN digits   0
    /// M = PAN length − 12 (0-7); a PAN shorter than 12 digits is right-justified in 12 digits
    /// with leading zeros and M = 0.
    /// ```
    ///
    /// With [`Format4Pan::Legacy12`] the 12 digits of [`iso0_field`](Pan::iso0_field) are used as
    /// a 12-digit PAN instead.
    ///
    /// # Errors
    /// [`Error::PanLength`] for fewer than 12 digits under [`Format4Pan::Legacy12`] or
    /// [`PanLengthRule::Min12`].
    pub fn iso4_field(&self) -> Result<[u8; 16], Error> {
        self.check_min(self.rule_min())?;
        let mut n = Zeroizing::new([0u8; 32]);
        match self.format4 {
            Format4Pan::Iso => {
                let v = self.values();
                let len = v.len();
                if len < 12 {
                    if let Some(dst) = n.get_mut(13 - len..13) {
                        dst.copy_from_slice(v);
                    }
                } else {
                    if let Some(m) = n.first_mut() {
                        // len <= 19, so M <= 7.
                        *m = u8::try_from(len - 12).unwrap_or(0);
                    }
                    if let Some(dst) = n.get_mut(1..=len) {
                        dst.copy_from_slice(v);
                    }
                }
            }
            Format4Pan::Legacy12 => {
                let d = Zeroizing::new(self.rightmost12(PAN_MIN_LEN_ISO0)?);
                if let Some(dst) = n.get_mut(1..13) {
                    dst.copy_from_slice(d.as_slice());
                }
            }
        }
        let mut out = [0u8; 16];
        nibbles::pack(n.as_slice(), &mut out);
        Ok(out)
    }

    /// The PAN field of `format`: 8 bytes for formats 0 and 3, 16 for format 4.
    ///
    /// # Errors
    /// [`Error::PanNotUsed`] for formats 1 and 2, [`Error::PanLength`] when the PAN is too short
    /// for the format.
    pub fn field(&self, format: Format) -> Result<PanField, Error> {
        match format {
            Format::Iso0 | Format::Iso3 => {
                let f = self.iso0_field()?;
                let mut bytes = [0u8; 16];
                if let Some(d) = bytes.get_mut(..8) {
                    d.copy_from_slice(&f);
                }
                Ok(PanField { bytes, len: 8 })
            }
            Format::Iso4 => Ok(PanField {
                bytes: self.iso4_field()?,
                len: 16,
            }),
            Format::Iso1 | Format::Iso2 => Err(Error::PanNotUsed { format }),
        }
    }
}

/// A PAN field (8 bytes for formats 0 and 3, 16 for format 4). Zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PanField {
    bytes: [u8; 16],
    #[zeroize(skip)]
    len: u8,
}

impl PanField {
    /// The field's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl fmt::Debug for PanField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PanField {{ len: {}, .. }}", self.len)
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Pan {{ len: {}, format4: {:?}, digits: <redacted> }}",
            self.len, self.format4
        )
    }
}

impl ConstantTimeEq for Pan {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.digits.ct_eq(&other.digits)
    }
}

impl PartialEq for Pan {
    /// Equal digits (the format-4 rule is also compared).
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.ct_eq(other)) && self.format4 == other.format4
    }
}

impl Eq for Pan {}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn debug_is_redacted() {
        // Length and digit errors: `tests/errors.rs` (`pan_length_and_numeric`).
        let s = std::format!("{:?}", Pan::new("4012345678909").unwrap());
        assert!(!s.contains("4012"));
    }

    #[test]
    fn iso0_fields() {
        // X9.24-1:2009 A.4.
        assert_eq!(
            Pan::new("4012345678909").unwrap().iso0_field().unwrap(),
            hex!("0000401234567890")
        );
        // 12 digits: 11 left of the check digit, right-aligned.
        assert_eq!(
            Pan::new("123456789012").unwrap().iso0_field().unwrap(),
            hex!("0000012345678901")
        );
        // 19 digits: the rightmost 12 before the check digit.
        assert_eq!(
            Pan::new("1234567890123456789")
                .unwrap()
                .iso0_field()
                .unwrap(),
            hex!("0000789012345678")
        );
        // ISO 9564-1:2017 §9.3.2.3: shorter PANs right-justified without the check digit.
        assert_eq!(
            Pan::new("12345678901").unwrap().iso0_field().unwrap(),
            hex!("0000001234567890")
        );
        assert_eq!(
            Pan::new("12").unwrap().iso0_field().unwrap(),
            hex!("0000000000000001")
        );
        assert_eq!(Pan::new("7").unwrap().iso0_field().unwrap(), [0; 8]);
        // The AWS limit, by explicit opt-in, in every format.
        let short = Pan::new("12345678901")
            .unwrap()
            .with_length_rule(PanLengthRule::Min12);
        assert_eq!(short.length_rule(), PanLengthRule::Min12);
        let too_short = Some(Error::PanLength {
            min: 12,
            max: 19,
            got: 11,
        });
        assert_eq!(short.iso0_field().err(), too_short);
        assert_eq!(short.iso4_field().err(), too_short);
        let ok12 = Pan::new("123456789012")
            .unwrap()
            .with_length_rule(PanLengthRule::Min12);
        assert_eq!(ok12.iso0_field().unwrap(), hex!("0000012345678901"));
        assert_eq!(
            Pan::new("123456789012").unwrap().field(Format::Iso1).err(),
            Some(Error::PanNotUsed {
                format: Format::Iso1
            })
        );
    }

    #[test]
    fn iso4_fields() {
        assert_eq!(
            Pan::new("123456789012").unwrap().iso4_field().unwrap(),
            hex!("01234567890120000000000000000000")
        );
        let legacy = Pan::new("4111111111111111")
            .unwrap()
            .with_format4_pan(Format4Pan::Legacy12);
        assert_eq!(legacy.format4_pan(), Format4Pan::Legacy12);
        assert_eq!(
            legacy.iso4_field().unwrap(),
            hex!("01111111111110000000000000000000")
        );
        assert_eq!(
            Pan::new("41111")
                .unwrap()
                .with_format4_pan(Format4Pan::Legacy12)
                .iso4_field()
                .err(),
            Some(Error::PanLength {
                min: 12,
                max: 19,
                got: 5
            })
        );
    }
}
