//! Validation profiles: which header values, usage × algorithm × mode combinations and
//! optional-block formats a key block may have. A profile names the standard it checks against
//! (X9.143 §6.2–§6.3, TR-31:2018 A.5, ISO 20038:2017 §6) or the two import policies this crate
//! adds (`interop`, `lenient`); it sits above [`crate::header`], which reads the structure under
//! the profile's strictness and knows nothing of profiles.
//!
//! | profile | rules |
//! |---|---|
//! | [`Profile::X9_143`] | X9.143:2021: versions A–D, standard codes only, mode `T` refused, usage × algorithm × mode matrix (X9.143 Table 6 / TR-31:2018 A.5.1), every known optional block in its format (X9.143 §6.3), `KS` 20 hex and only with TDES DUKPT keys, `IK` only with AES DUKPT, `HM` only with HMAC, `DA` only with `B3`, `BI` type by algorithm, no unknown letter ids, key context `0`/`1`/`2`, reserved `0` |
//! | [`Profile::Tr31_2018`] | TR-31:2018: versions A–D, positions 14–15 = `00`, mode `T` allowed, the matrix, block formats (`KS` 16 or 20 hex) |
//! | [`Profile::Iso20038`] | ISO 20038:2017: versions D and E, algorithms incl. H/I/J, usage K4, algorithm families (no mode matrix: ISO 20038 B.2 prints `B0TV16`), block formats |
//! | [`Profile::Interop`] (default) | the structural rules every standard shares and every published example and HSM output satisfy: fixed header fields in the X9.143 alphabet (upper-case letters and digits; `c` in a component key version), upper-case hex, `0004` extended lengths, unique ids, `PB` last, alignment, key length fitting T/A/D (unwrap also returns an authentic 8-byte key under `T`, as in published test sets); codes and block data passed through |
//! | [`Profile::Lenient`] | import of anything structurally decodable: lower-case hex, `0002` extended lengths, duplicate ids (kept, see [`KeyBlockHeader::duplicate_ids`]), `PB` anywhere, any printable character in the fixed header fields, extended lengths with short data (`KS0002LL…`), printable data in hex blocks (IBM CCA / GBIC `KS10DE#GBIC#OPT1`), key lengths not fitting the algorithm (third-party test sets wrap 8-byte keys under `T`) |
//!
//! Every profile rejects what makes the cryptography ambiguous: wrong length field, non-hex
//! payload, misalignment, a MAC that does not verify, a key-length field that is not a whole
//! number of bytes or runs past the payload.

use crate::codes::{Algorithm, BlockId, Exportability, KeyContext, KeyUsage, ModeOfUse, Version};
use crate::error::{Error, Field};
use crate::header::{KeyBlockHeader, MAX_KEY_BLOCK_LEN, Strictness};
use crate::optblock::{BdkId, BlockValue};
use core::fmt;
use core::str::FromStr;

/// A validation profile (see the [module docs](self) for the rules of each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// ANSI X9.143:2021, strict (the default for wrap in [`crate::WrapOptions`]).
    X9_143,
    /// ASC X9 TR-31:2018.
    Tr31_2018,
    /// ISO 20038:2017.
    Iso20038,
    /// Structural rules only; accepts every published example (the default for unwrap).
    #[default]
    Interop,
    /// Import of anything structurally decodable.
    Lenient,
}

impl Profile {
    /// All profiles.
    pub const ALL: [Self; 5] = [
        Self::X9_143,
        Self::Tr31_2018,
        Self::Iso20038,
        Self::Interop,
        Self::Lenient,
    ];

    /// The profile's name as the CLI spells it: `x9.143`, `tr31-2018`, `iso20038`, `interop`,
    /// `lenient`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::X9_143 => "x9.143",
            Self::Tr31_2018 => "tr31-2018",
            Self::Iso20038 => "iso20038",
            Self::Interop => "interop",
            Self::Lenient => "lenient",
        }
    }

    /// True for [`Profile::Lenient`].
    #[must_use]
    pub const fn is_lenient(self) -> bool {
        matches!(self, Self::Lenient)
    }

    const fn checks_formats(self) -> bool {
        matches!(self, Self::X9_143 | Self::Tr31_2018 | Self::Iso20038)
    }

    /// Whether [`wrap`](crate::wrap) may write a key of `len` bytes under `algorithm` (X9.143
    /// §6.1: T 16/24, A 16/24/32, D 8; other algorithms any length). Only [`Profile::Lenient`]
    /// writes any length.
    #[must_use]
    pub fn key_length_fits(self, algorithm: Algorithm, len: usize) -> bool {
        self.is_lenient() || algorithm.key_lengths().is_none_or(|l| l.contains(&len))
    }

    /// Whether unwrap returns an authenticated key of `len` bytes under `algorithm`: the rule of
    /// [`key_length_fits`](Self::key_length_fits), except that [`Profile::Interop`] (the
    /// default) also returns an 8-byte (single-DES) key under `T`. Such blocks are in published
    /// third-party test sets (psec's and moov-io's known values); the key is authentic, so the
    /// default profile hands it over, while the strict profiles refuse it with
    /// [`Error::KeyLengthNotAllowed`] and wrap writes it only under [`Profile::Lenient`].
    #[must_use]
    pub fn unwrap_key_length_fits(self, algorithm: Algorithm, len: usize) -> bool {
        self.key_length_fits(algorithm, len)
            || (self == Self::Interop && algorithm == Algorithm::Tdes && len == 8)
    }

    /// X9.143 §6.2 alphabet of the fixed header fields from position 5 on (key usage, algorithm,
    /// mode of use, key version, exportability, number of blocks, key context, reserved):
    /// upper-case letters and digits, plus the lower-case `c` that marks a key component in
    /// the key version (TR-31:2018 A.5.4, `c1`–`c9`). Checked by every profile but
    /// [`Profile::Lenient`].
    fn check_alphabet(h: &KeyBlockHeader) -> Result<(), Error> {
        let text = h.encode();
        let fixed = text.as_bytes().get(5..16).unwrap_or_default();
        for (i, b) in fixed.iter().enumerate() {
            let position = 5 + i;
            let ok = b.is_ascii_uppercase() || b.is_ascii_digit() || (position == 9 && *b == b'c');
            if !ok {
                return Err(Error::InvalidField {
                    field: field_at(position),
                    position,
                });
            }
        }
        Ok(())
    }

    /// Checks the header fields, combinations and optional blocks.
    pub(crate) fn check_header(self, h: &KeyBlockHeader) -> Result<(), Error> {
        let bad = |field, position| Error::InvalidField { field, position };
        if !self.is_lenient() {
            Self::check_alphabet(h)?;
            // Structural rules for headers built in code or parsed leniently (X9.143 §6.3).
            let blocks = h.optional_blocks();
            for (i, b) in blocks.iter().enumerate() {
                let earlier = blocks.get(..i).unwrap_or_default();
                if earlier.iter().any(|e| e.id() == b.id()) {
                    return Err(Error::DuplicateBlock {
                        id: b.id(),
                        position: h.block_position(i),
                    });
                }
                if b.id() == BlockId::PB && i + 1 != blocks.len() {
                    return Err(Error::PaddingBlockNotLast {
                        position: h.block_position(i),
                    });
                }
                if b.is_nonstandard_extended() || b.has_lowercase_length() {
                    return Err(Error::OptionalBlockLength {
                        position: h.block_position(i),
                    });
                }
            }
        }
        match self {
            Self::Interop | Self::Lenient => return Ok(()),
            Self::X9_143 | Self::Tr31_2018 => {
                if !matches!(
                    h.version(),
                    Version::A | Version::B | Version::C | Version::D
                ) {
                    return Err(bad(Field::Version, 0));
                }
            }
            Self::Iso20038 => {
                if !matches!(h.version(), Version::D | Version::E) {
                    return Err(bad(Field::Version, 0));
                }
            }
        }
        if matches!(h.key_usage(), KeyUsage::Unknown(_)) {
            return Err(bad(Field::KeyUsage, 5));
        }
        if matches!(h.algorithm(), Algorithm::Unknown(_)) {
            return Err(bad(Field::Algorithm, 7));
        }
        if matches!(h.mode_of_use(), ModeOfUse::Unknown(_))
            || (self == Self::X9_143 && h.mode_of_use() == ModeOfUse::SignDecrypt)
        {
            return Err(bad(Field::ModeOfUse, 8));
        }
        if matches!(h.exportability(), Exportability::Unknown(_)) {
            return Err(bad(Field::Exportability, 11));
        }
        match self {
            Self::X9_143 => {
                if !h.key_context().is_standard() {
                    return Err(bad(Field::KeyContext, 14));
                }
                if h.reserved() != b'0' {
                    return Err(bad(Field::Reserved, 15));
                }
            }
            _ => {
                if h.key_context() != KeyContext::DeterminedByWrappingKey {
                    return Err(bad(Field::KeyContext, 14));
                }
                if h.reserved() != b'0' {
                    return Err(bad(Field::Reserved, 15));
                }
            }
        }
        check_family(self, h.key_usage(), h.algorithm())?;
        if self != Self::Iso20038 {
            check_mode(h.key_usage(), h.mode_of_use())?;
        }
        self.check_blocks(h)
    }

    fn check_blocks(self, h: &KeyBlockHeader) -> Result<(), Error> {
        if !self.checks_formats() {
            return Ok(());
        }
        let alg = h.algorithm();
        let usage = h.key_usage();
        let dukpt = matches!(usage, KeyUsage::B0 | KeyUsage::B1);
        for (i, b) in h.optional_blocks().iter().enumerate() {
            let position = h.block_position(i);
            let id = b.id();
            let bad = Error::OptionalBlockData { id, position };
            let not_allowed = Error::OptionalBlockNotAllowed { id, position };
            if self == Self::X9_143 && matches!(id, BlockId::Unknown(_)) {
                return Err(bad);
            }
            let value = b.value().map_err(|_| bad)?;
            if let BlockValue::InitialKsn(ksn) = value
                && self != Self::Tr31_2018
                && ksn.len() != 20
            {
                return Err(bad);
            }
            // Contextual rules (X9.143:2021 §6.3: KS for TDES DUKPT, IK for AES DUKPT, HM for
            // HMAC keys, DA for B3, BI by algorithm).
            let allowed = match value {
                BlockValue::InitialKsn(_) => dukpt && alg == Algorithm::Tdes,
                BlockValue::InitialKeyId(_) => dukpt && alg == Algorithm::Aes,
                BlockValue::HmacHash(_) => usage == KeyUsage::M7 || alg.is_hmac(),
                BlockValue::DerivationsAllowed(_) => usage == KeyUsage::B3,
                BlockValue::BdkId(BdkId::KeySetId(_)) => alg == Algorithm::Tdes,
                BlockValue::BdkId(BdkId::AesBdkId(_)) => alg == Algorithm::Aes,
                _ => true,
            };
            if self == Self::X9_143 && !allowed {
                return Err(not_allowed);
            }
        }
        Ok(())
    }
}

/// The field a fixed-header position belongs to (X9.143 §6.2).
const fn field_at(position: usize) -> Field {
    match position {
        0 => Field::Version,
        1..=4 => Field::Length,
        5 | 6 => Field::KeyUsage,
        7 => Field::Algorithm,
        8 => Field::ModeOfUse,
        9 | 10 => Field::KeyVersion,
        11 => Field::Exportability,
        12 | 13 => Field::BlockCount,
        14 => Field::KeyContext,
        _ => Field::Reserved,
    }
}

/// Algorithm families per usage (X9.143 §6.2 Tables 2–3, TR-31:2018 A.5.1–A.5.2; the minimum
/// rule: symmetric usages take symmetric algorithms, D1/K2/K3/S0–S2/E7 asymmetric ones, M7
/// HMAC, M6 TDES or AES).
fn check_family(profile: Profile, usage: KeyUsage, alg: Algorithm) -> Result<(), Error> {
    use KeyUsage as U;
    if !usage.is_standard() || !alg.is_standard() {
        return Ok(());
    }
    let ok = match usage {
        U::D1 | U::K2 | U::K3 | U::S0 | U::S1 | U::S2 | U::E7 => alg.is_asymmetric(),
        U::M7 => match profile {
            Profile::Iso20038 => alg.is_hmac(),
            _ => alg == Algorithm::Hmac,
        },
        U::M6 => matches!(alg, Algorithm::Tdes | Algorithm::Aes),
        _ => alg.is_symmetric(),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidCombination {
            field: Field::Algorithm,
        })
    }
}

/// Modes of use per usage (TR-31:2018 A.5.1 key usage table, modes column; `None` = no list
/// published, any standard mode).
fn allowed_modes(usage: KeyUsage) -> Option<&'static [u8]> {
    use KeyUsage as U;
    Some(match usage {
        U::B0 | U::B1 | U::B3 => b"X",
        U::B2 => b"XY",
        U::C0 => b"CGV",
        U::D0 | U::D1 | U::D2 => b"BDE",
        U::E0 | U::E1 | U::E2 | U::E3 | U::E4 | U::E5 | U::E6 => b"X",
        U::I0 => b"N",
        U::K0 | U::K1 | U::K2 | U::P0 => b"BDE",
        U::K3 => b"BDEX",
        U::M0 | U::M1 | U::M2 | U::M3 | U::M4 | U::M5 | U::M6 | U::M7 | U::M8 => b"CGV",
        U::S0 | U::S1 => b"SV",
        U::S2 => b"SVTBDE",
        U::V0 | U::V1 | U::V2 | U::V3 | U::V4 => b"CGV",
        _ => return None,
    })
}

fn check_mode(usage: KeyUsage, mode: ModeOfUse) -> Result<(), Error> {
    if !mode.is_standard() {
        return Ok(());
    }
    match allowed_modes(usage) {
        Some(list) if !list.contains(&mode.code()[0]) => Err(Error::InvalidCombination {
            field: Field::ModeOfUse,
        }),
        _ => Ok(()),
    }
}

impl Profile {
    /// The structural strictness the header parser applies for this profile.
    pub(crate) const fn strictness(self) -> Strictness {
        if self.is_lenient() {
            Strictness::Lenient
        } else {
            Strictness::Standard
        }
    }
}

/// Header parsing with a profile's rules on top of the structure ([`crate::header`] reads the
/// structure, this module judges it).
impl KeyBlockHeader {
    /// Parses a header: the 16 fixed characters plus the optional blocks it announces, and
    /// nothing after them, under [`Profile::Interop`] (the structural rules every standard
    /// shares; see [`Profile`]). The length field is read but not compared with anything.
    ///
    /// # Errors
    /// The errors of [`KeyBlockHeader::parse_with`].
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::parse_with(text, Profile::Interop)
    }

    /// Parses a header (as [`KeyBlockHeader::parse`]) and applies the profile's rules to its
    /// fields and optional blocks. Alignment is not checked (a header given to
    /// [`wrap`](crate::wrap) gets a `PB` block when it needs one); use
    /// [`KeyBlockHeader::check_alignment`] for that.
    ///
    /// # Errors
    /// [`Error::Truncated`], [`Error::UnknownVersion`], [`Error::InvalidCharacter`],
    /// [`Error::InvalidField`], [`Error::OptionalBlockLength`], [`Error::OptionalBlockId`],
    /// [`Error::DuplicateBlock`], [`Error::PaddingBlockNotLast`], [`Error::TrailingData`], and
    /// the profile's errors ([`Error::OptionalBlockData`], [`Error::OptionalBlockNotAllowed`],
    /// [`Error::InvalidCombination`]).
    pub fn parse_with(text: &str, profile: Profile) -> Result<Self, Error> {
        if text.len() > MAX_KEY_BLOCK_LEN {
            return Err(Error::TooLong { length: text.len() });
        }
        let (header, end) = Self::parse_prefix(text.as_bytes(), profile.strictness())?;
        if end != text.len() {
            return Err(Error::TrailingData { position: end });
        }
        profile.check_header(&header)?;
        Ok(header)
    }

    /// Parses the structure at the start of a key block under `profile`'s strictness and
    /// checks the profile's rules; returns the header and where its optional blocks end.
    pub(crate) fn parse_prefix_with(text: &[u8], profile: Profile) -> Result<(Self, usize), Error> {
        let (header, end) = Self::parse_prefix(text, profile.strictness())?;
        profile.check_header(&header)?;
        Ok((header, end))
    }

    /// Checks the profile's rules (fields, combinations, optional-block formats).
    ///
    /// # Errors
    /// As [`KeyBlockHeader::parse_with`].
    pub fn validate(&self, profile: Profile) -> Result<(), Error> {
        profile.check_header(self)
    }
}

impl FromStr for KeyBlockHeader {
    type Err = Error;

    /// As [`KeyBlockHeader::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of [`Profile::from_str`]: an unknown profile name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownProfile;

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown profile (x9.143, tr31-2018, iso20038, interop, lenient)")
    }
}

impl core::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    /// Accepts the names of [`Profile::name`] in any case, plus `default` for
    /// [`Profile::Interop`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .or_else(|| s.eq_ignore_ascii_case("default").then_some(Self::Interop))
            .ok_or(UnknownProfile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(t: &str, p: Profile) -> Result<KeyBlockHeader, Error> {
        KeyBlockHeader::parse_with(t, p)
    }

    #[test]
    fn names() {
        for p in Profile::ALL {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert_eq!("default".parse::<Profile>(), Ok(Profile::Interop));
        assert!("strict".parse::<Profile>().is_err());
    }

    #[test]
    fn x9_143_rules() {
        let t = "D0192C0AVA1N0300KS08VM9ATS1A2018-06-18T20:42:39.22PB0E0000000000";
        assert!(matches!(
            check(t, Profile::X9_143),
            Err(Error::OptionalBlockData {
                id: BlockId::KS,
                position: 16
            })
        ));
        assert!(check(t, Profile::Lenient).is_ok());
        assert!(check(t, Profile::Interop).is_ok());
        // KS with AES under X9.143.
        let ks_aes = "D0000B0AX00N0100KS1800604B120F9292800000";
        assert!(matches!(
            check(ks_aes, Profile::X9_143),
            Err(Error::OptionalBlockNotAllowed { .. })
        ));
        assert!(check("C0096B0TX12S0100KS1800604B120F9292800000", Profile::X9_143).is_ok());
        // Usage x mode.
        assert!(matches!(
            check("D0000P0AC00E0000", Profile::X9_143),
            Err(Error::InvalidCombination {
                field: Field::ModeOfUse
            })
        ));
        assert!(matches!(
            check("D0000P0RE00E0000", Profile::X9_143),
            Err(Error::InvalidCombination {
                field: Field::Algorithm
            })
        ));
        assert!(matches!(
            check("D0000S2AT00E0000", Profile::X9_143),
            Err(Error::InvalidCombination { .. } | Error::InvalidField { .. })
        ));
        assert!(check("D0000S2RT00N0000", Profile::Tr31_2018).is_ok());
        assert!(check("D0000S2RT00N0000", Profile::X9_143).is_err());
        // Key context and reserved.
        assert!(check("D0000P0AE00E0010", Profile::X9_143).is_ok());
        assert!(check("D0000P0AE00E0010", Profile::Tr31_2018).is_err());
        assert!(check("D0000P0AE00E0001", Profile::X9_143).is_err());
        assert!(check("D0000P0AE00E0030", Profile::X9_143).is_err());
        // Versions.
        assert!(check("E0084B0TV16N0000", Profile::X9_143).is_err());
        assert!(check("E0084B0TV16N0000", Profile::Iso20038).is_ok());
        assert!(check("B0084B0TX16N0000", Profile::Iso20038).is_err());
        // Unknown codes.
        assert!(check("D0000Z9AE00E0000", Profile::X9_143).is_err());
        assert!(check("D0000Z9AE00E0000", Profile::Interop).is_ok());
        assert!(check("D000010AE00E0000", Profile::X9_143).is_ok());
        // HM only with HMAC; DA only with B3.
        assert!(check("D0000M7HC00N0100HM0621", Profile::X9_143).is_ok());
        assert!(check("D0000M3TC00N0100HM0621", Profile::X9_143).is_err());
        assert!(check("D0000B3AX00N0100DA0B01K0TBE", Profile::X9_143).is_ok());
        assert!(check("D0000B0AX00N0100DA0B01K0TBE", Profile::X9_143).is_err());
        assert!(check("D0000B0AX00N0100IK140123456789ABCDEF", Profile::X9_143).is_ok());
        assert!(check("D0000B0TX00N0100IK140123456789ABCDEF", Profile::X9_143).is_err());
        assert!(check("D0000B0TX00N0100BI10000123456789", Profile::X9_143).is_ok());
        assert!(check("D0000B0AX00N0100BI10000123456789", Profile::X9_143).is_err());
        // Unknown letter id.
        assert!(check("D0000P0AE00E0100ZZ04", Profile::X9_143).is_err());
        assert!(check("D0000P0AE00E0100ZZ04", Profile::Tr31_2018).is_ok());
        // Legacy 16-hex KS.
        let ks16 = "B0000B0TX00N0100KS140123456789ABCDEF";
        assert!(check(ks16, Profile::Tr31_2018).is_ok());
        assert!(check(ks16, Profile::X9_143).is_err());
    }
}
