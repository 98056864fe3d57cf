//! The header code lists: version, key usage, algorithm, mode of use, key version,
//! exportability and key context (X9.143:2021 §6.2 Tables 1–8, TR-31:2018 A.5, ISO 20038:2017
//! §6).
//!
//! Every list carries numeric (proprietary) values and, for codes this crate does not know,
//! the raw characters, so a parsed header re-encodes byte for byte. Which values a profile
//! accepts is decided in [`crate::profile`].

use core::fmt;

/// Writes ASCII code bytes (always printable: the parser checks before building a code).
fn write_code(f: &mut fmt::Formatter<'_>, code: &[u8]) -> fmt::Result {
    for b in code {
        fmt::Write::write_char(f, char::from(*b))?;
    }
    Ok(())
}

macro_rules! code_list {
    (
        $(#[$m:meta])* $name:ident, $n:literal,
        { $( $(#[$vm:meta])* $var:ident = $code:literal => $desc:literal, )* }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $var, )*
            /// A numeric (proprietary) code, carried through verbatim.
            Proprietary([u8; $n]),
            /// A printable code not in the list, carried through verbatim (accepted only by
            /// permissive profiles).
            Unknown([u8; $n]),
        }

        impl $name {
            /// The code for its ASCII characters (never fails: unknown codes are kept).
            #[must_use]
            pub fn from_code(code: [u8; $n]) -> Self {
                match &code {
                    $( $code => Self::$var, )*
                    c if c.iter().all(u8::is_ascii_digit) => Self::Proprietary(code),
                    _ => Self::Unknown(code),
                }
            }

            /// The code's ASCII characters.
            #[must_use]
            pub const fn code(self) -> [u8; $n] {
                match self {
                    $( Self::$var => *$code, )*
                    Self::Proprietary(c) | Self::Unknown(c) => c,
                }
            }

            /// A short English description of the code (for display and JSON output).
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self {
                    $( Self::$var => $desc, )*
                    Self::Proprietary(_) => "proprietary",
                    Self::Unknown(_) => "unknown",
                }
            }

            /// True for a code in the standard lists (not proprietary, not unknown).
            #[must_use]
            pub const fn is_standard(self) -> bool {
                !matches!(self, Self::Proprietary(_) | Self::Unknown(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_code(f, &self.code())
            }
        }
    };
}

/// Key-block version id (position 0; X9.143 §6.2 Table 1, ISO 20038 §6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Version {
    /// `A`: TDES key variant binding (TR-31:2005; deprecated).
    A,
    /// `B`: TDES key derivation binding, CMAC (TR-31:2010, X9.143).
    B,
    /// `C`: TDES key variant binding (same crypto as A).
    C,
    /// `D`: AES key derivation binding, CMAC + CBC (TR-31:2018, X9.143).
    D,
    /// `E`: ISO 20038 AES key derivation, CMAC + CTR, no padding.
    E,
    /// A numeric (proprietary) version, e.g. Thales `0` (variant method, processed like `A`) or
    /// Thales `1`.
    Proprietary(u8),
}

impl Version {
    /// Parses the version character (X9.143 §6.2 Table 1: `A`–`E`; digits are proprietary).
    ///
    /// # Errors
    /// [`UnknownVersion`] for anything but `A`–`E` and `0`–`9` (it converts into
    /// [`crate::Error::UnknownVersion`]).
    pub const fn from_char(c: u8) -> Result<Self, UnknownVersion> {
        Ok(match c {
            b'A' => Self::A,
            b'B' => Self::B,
            b'C' => Self::C,
            b'D' => Self::D,
            b'E' => Self::E,
            b'0'..=b'9' => Self::Proprietary(c),
            found => return Err(UnknownVersion { found }),
        })
    }

    /// The version character.
    #[must_use]
    pub const fn as_char(self) -> u8 {
        match self {
            Self::A => b'A',
            Self::B => b'B',
            Self::C => b'C',
            Self::D => b'D',
            Self::E => b'E',
            Self::Proprietary(c) => c,
        }
    }

    /// Cipher block size in bytes, which is also the optional-block alignment in characters:
    /// 8 for the TDES versions (A, B, C, and the proprietary digits), 16 for D and E.
    #[must_use]
    pub const fn block_size(self) -> usize {
        match self {
            Self::D | Self::E => 16,
            Self::A | Self::B | Self::C | Self::Proprietary(_) => 8,
        }
    }

    /// MAC length in bytes: 4 for A/C (and Thales `0`), 8 for B, 16 for D and E.
    #[must_use]
    pub const fn mac_len(self) -> usize {
        match self {
            Self::A | Self::C | Self::Proprietary(_) => 4,
            Self::B => 8,
            Self::D | Self::E => 16,
        }
    }

    /// True for the AES versions D and E.
    #[must_use]
    pub const fn is_aes(self) -> bool {
        matches!(self, Self::D | Self::E)
    }
}

/// The error of [`Version::from_char`]: a version id outside X9.143 §6.2 Table 1 (`A`–`E`) and
/// the proprietary digits. Converts into [`crate::Error::UnknownVersion`]; kept here so the code
/// lists do not depend on the crate's error module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownVersion {
    /// The byte found.
    pub found: u8,
}

impl UnknownVersion {
    /// Always [`ErrorClass::Malformed`](paycrypt_primitives::ErrorClass::Malformed): the
    /// version is visible in the text.
    #[must_use]
    pub const fn class(&self) -> paycrypt_primitives::ErrorClass {
        paycrypt_primitives::ErrorClass::Malformed
    }
}

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.is_ascii_graphic() {
            write!(f, "unknown key block version '{}'", char::from(self.found))
        } else {
            write!(f, "unknown key block version (byte 0x{:02X})", self.found)
        }
    }
}

impl core::error::Error for UnknownVersion {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_code(f, &[self.as_char()])
    }
}

code_list! {
    /// Key usage (positions 5–6; X9.143 §6.2 Table 2, TR-31:2018 A.5.1).
    KeyUsage, 2, {
        /// `B0` base derivation key (BDK).
        B0 = b"B0" => "base derivation key (BDK)",
        /// `B1` initial DUKPT key (IPEK / IK).
        B1 = b"B1" => "initial DUKPT key (IPEK / IK)",
        /// `B2` base key variant key (deprecated).
        B2 = b"B2" => "base key variant key (deprecated)",
        /// `B3` key derivation key, non-X9.24 (X9.143).
        B3 = b"B3" => "key derivation key, non-X9.24 (X9.143)",
        /// `C0` card verification key (CVK).
        C0 = b"C0" => "card verification key (CVK)",
        /// `D0` symmetric data encryption.
        D0 = b"D0" => "symmetric data encryption",
        /// `D1` asymmetric data encryption.
        D1 = b"D1" => "asymmetric data encryption",
        /// `D2` data key for a decimalization table.
        D2 = b"D2" => "data key for a decimalization table",
        /// `D3` data key for sensitive data (X9.143).
        D3 = b"D3" => "data key for sensitive data (X9.143)",
        /// `E0` EMV/chip issuer master key: application cryptograms.
        E0 = b"E0" => "EMV/chip issuer master key: application cryptograms",
        /// `E1` EMV/chip issuer master key: secure messaging for confidentiality.
        E1 = b"E1" => "EMV/chip issuer master key: secure messaging for confidentiality",
        /// `E2` EMV/chip issuer master key: secure messaging for integrity.
        E2 = b"E2" => "EMV/chip issuer master key: secure messaging for integrity",
        /// `E3` EMV/chip issuer master key: data authentication code.
        E3 = b"E3" => "EMV/chip issuer master key: data authentication code",
        /// `E4` EMV/chip issuer master key: dynamic numbers.
        E4 = b"E4" => "EMV/chip issuer master key: dynamic numbers",
        /// `E5` EMV/chip issuer master key: card personalization.
        E5 = b"E5" => "EMV/chip issuer master key: card personalization",
        /// `E6` EMV/chip issuer master key: other.
        E6 = b"E6" => "EMV/chip issuer master key: other",
        /// `E7` EMV asymmetric key pair for PIN encryption (X9.143).
        E7 = b"E7" => "EMV asymmetric key pair for PIN encryption (X9.143)",
        /// `I0` initialization vector.
        I0 = b"I0" => "initialization vector",
        /// `K0` key encryption or wrapping.
        K0 = b"K0" => "key encryption or wrapping",
        /// `K1` TR-31 / X9.143 key block protection key.
        K1 = b"K1" => "TR-31 / X9.143 key block protection key",
        /// `K2` TR-34 asymmetric key.
        K2 = b"K2" => "TR-34 asymmetric key",
        /// `K3` asymmetric key for key agreement / key wrapping.
        K3 = b"K3" => "asymmetric key for key agreement / key wrapping",
        /// `K4` ISO 20038 key block protection key.
        K4 = b"K4" => "ISO 20038 key block protection key",
        /// `M0` ISO 16609 MAC key (TDES CBC-MAC).
        M0 = b"M0" => "ISO 16609 MAC key (TDES CBC-MAC)",
        /// `M1` ISO 9797-1 MAC algorithm 1.
        M1 = b"M1" => "ISO 9797-1 MAC algorithm 1",
        /// `M2` ISO 9797-1 MAC algorithm 2.
        M2 = b"M2" => "ISO 9797-1 MAC algorithm 2",
        /// `M3` ISO 9797-1 MAC algorithm 3 (retail MAC).
        M3 = b"M3" => "ISO 9797-1 MAC algorithm 3 (retail MAC)",
        /// `M4` ISO 9797-1 MAC algorithm 4.
        M4 = b"M4" => "ISO 9797-1 MAC algorithm 4",
        /// `M5` ISO 9797-1:1999 MAC algorithm 5.
        M5 = b"M5" => "ISO 9797-1:1999 MAC algorithm 5",
        /// `M6` ISO 9797-1:2011 MAC algorithm 5 (CMAC).
        M6 = b"M6" => "ISO 9797-1:2011 MAC algorithm 5 (CMAC)",
        /// `M7` HMAC (hash in the `HM` block).
        M7 = b"M7" => "HMAC (hash in the HM block)",
        /// `M8` ISO 9797-1:2011 MAC algorithm 6.
        M8 = b"M8" => "ISO 9797-1:2011 MAC algorithm 6",
        /// `P0` PIN encryption.
        P0 = b"P0" => "PIN encryption",
        /// `P1` PIN generation (X9.143).
        P1 = b"P1" => "PIN generation (X9.143)",
        /// `S0` asymmetric key pair for digital signature.
        S0 = b"S0" => "asymmetric key pair for digital signature",
        /// `S1` asymmetric key pair, CA key.
        S1 = b"S1" => "asymmetric key pair, CA key",
        /// `S2` asymmetric key pair, non-X9.24.
        S2 = b"S2" => "asymmetric key pair, non-X9.24",
        /// `V0` PIN verification key, other algorithm.
        V0 = b"V0" => "PIN verification key, other algorithm",
        /// `V1` PIN verification key, IBM 3624.
        V1 = b"V1" => "PIN verification key, IBM 3624",
        /// `V2` PIN verification key, Visa PVV.
        V2 = b"V2" => "PIN verification key, Visa PVV",
        /// `V3` PIN verification key, X9.132 algorithm 1.
        V3 = b"V3" => "PIN verification key, X9.132 algorithm 1",
        /// `V4` PIN verification key, X9.132 algorithm 2.
        V4 = b"V4" => "PIN verification key, X9.132 algorithm 2",
        /// `V5` PIN verification key, X9.132 algorithm 3 (X9.143).
        V5 = b"V5" => "PIN verification key, X9.132 algorithm 3 (X9.143)",
    }
}

code_list! {
    /// Algorithm of the wrapped key (position 7; X9.143 §6.2 Table 3, ISO 20038 §6.2).
    Algorithm, 1, {
        /// `A` AES.
        Aes = b"A" => "AES",
        /// `D` single DES (legacy).
        Des = b"D" => "single DES (legacy)",
        /// `E` elliptic curve.
        EllipticCurve = b"E" => "elliptic curve",
        /// `H` HMAC (ISO 20038: HMAC-SHA-1).
        Hmac = b"H" => "HMAC (ISO 20038: HMAC-SHA-1)",
        /// `I` HMAC-SHA-2 (ISO 20038).
        HmacSha2 = b"I" => "HMAC-SHA-2 (ISO 20038)",
        /// `J` HMAC-SHA-3 (ISO 20038).
        HmacSha3 = b"J" => "HMAC-SHA-3 (ISO 20038)",
        /// `R` RSA.
        Rsa = b"R" => "RSA",
        /// `S` DSA.
        Dsa = b"S" => "DSA",
        /// `T` TDES.
        Tdes = b"T" => "TDES",
    }
}

impl Algorithm {
    /// The key lengths (bytes) a key of this algorithm may have, for the symmetric block
    /// ciphers; `None` for algorithms without fixed lengths (RSA, EC, HMAC, proprietary).
    #[must_use]
    pub const fn key_lengths(self) -> Option<&'static [usize]> {
        match self {
            Self::Aes => Some(&[16, 24, 32]),
            Self::Tdes => Some(&[16, 24]),
            Self::Des => Some(&[8]),
            _ => None,
        }
    }

    /// The length X9.143 key-length obfuscation pads a key of this algorithm to (X9.143
    /// §6.1.1): 24 for TDES, 32 for AES, 8 for DES; `None` for the others (block padding only).
    #[must_use]
    pub const fn obfuscation_len(self) -> Option<usize> {
        match self {
            Self::Aes => Some(32),
            Self::Tdes => Some(24),
            Self::Des => Some(8),
            _ => None,
        }
    }

    /// True for the symmetric algorithms (A, D, T, H, I, J).
    #[must_use]
    pub const fn is_symmetric(self) -> bool {
        matches!(
            self,
            Self::Aes | Self::Des | Self::Tdes | Self::Hmac | Self::HmacSha2 | Self::HmacSha3
        )
    }

    /// True for the asymmetric algorithms (E, R, S).
    #[must_use]
    pub const fn is_asymmetric(self) -> bool {
        matches!(self, Self::EllipticCurve | Self::Rsa | Self::Dsa)
    }

    /// True for the HMAC algorithms (H, I, J).
    #[must_use]
    pub const fn is_hmac(self) -> bool {
        matches!(self, Self::Hmac | Self::HmacSha2 | Self::HmacSha3)
    }
}

code_list! {
    /// Mode of use (position 8; X9.143 §6.2 Table 4, TR-31:2018 A.5.3).
    ModeOfUse, 1, {
        /// `B` encrypt/wrap and decrypt/unwrap.
        EncryptDecrypt = b"B" => "encrypt/wrap and decrypt/unwrap",
        /// `C` MAC generate and verify.
        GenerateVerify = b"C" => "MAC generate and verify",
        /// `D` decrypt/unwrap only.
        DecryptOnly = b"D" => "decrypt/unwrap only",
        /// `E` encrypt/wrap only.
        EncryptOnly = b"E" => "encrypt/wrap only",
        /// `G` MAC generate only.
        GenerateOnly = b"G" => "MAC generate only",
        /// `N` no special restrictions.
        NoRestrictions = b"N" => "no special restrictions",
        /// `S` signature only.
        SignOnly = b"S" => "signature only",
        /// `T` sign and decrypt (TR-31:2018; absent from X9.143:2021).
        SignDecrypt = b"T" => "sign and decrypt (TR-31:2018; absent from X9.143:2021)",
        /// `V` verify only.
        VerifyOnly = b"V" => "verify only",
        /// `X` key derivation.
        Derive = b"X" => "key derivation",
        /// `Y` create key variants.
        CreateVariants = b"Y" => "create key variants",
    }
}

code_list! {
    /// Exportability (position 11; X9.143 §6.2 Table 6).
    Exportability, 1, {
        /// `E` exportable under a trusted key (in a key block).
        Exportable = b"E" => "exportable under a trusted key (in a key block)",
        /// `N` not exportable.
        NonExportable = b"N" => "not exportable",
        /// `S` sensitive: exportable in forms other than X9.24-compliant key blocks.
        Sensitive = b"S" => "sensitive: exportable in forms other than X9.24-compliant key blocks",
    }
}

code_list! {
    /// Key context (position 14; X9.143:2021 §6.2 Table 7). TR-31:2018 calls positions 14–15
    /// "reserved `00`", which is [`KeyContext::DeterminedByWrappingKey`].
    KeyContext, 1, {
        /// `0` determined by the wrapping key.
        DeterminedByWrappingKey = b"0" => "determined by the wrapping key",
        /// `1` storage context only.
        StorageOnly = b"1" => "storage context only",
        /// `2` key exchange context only.
        ExchangeOnly = b"2" => "key exchange context only",
    }
}

code_list! {
    /// Optional-block id (X9.143 §6.3 Table 9, TR-31:2018 A.5.6). Numeric ids are proprietary
    /// (IBM uses `10`); other unknown ids are carried verbatim.
    BlockId, 2, {
        /// `AL` asymmetric key life.
        AL = b"AL" => "asymmetric key life",
        /// `BI` base derivation key identifier (TDES key set id or AES BDK id).
        BI = b"BI" => "base derivation key identifier (TDES key set id or AES BDK id)",
        /// `CT` public-key certificate(s).
        CT = b"CT" => "public-key certificate(s)",
        /// `DA` derivations allowed (usage B3).
        DA = b"DA" => "derivations allowed (usage B3)",
        /// `FL` flags.
        FL = b"FL" => "flags",
        /// `HM` HMAC hash algorithm.
        HM = b"HM" => "HMAC hash algorithm",
        /// `IK` initial key identifier (AES DUKPT).
        IK = b"IK" => "initial key identifier (AES DUKPT)",
        /// `KC` key check value of the wrapped key.
        KC = b"KC" => "key check value of the wrapped key",
        /// `KP` key check value of the KBPK.
        KP = b"KP" => "key check value of the KBPK",
        /// `KS` initial key serial number (TDES DUKPT).
        KS = b"KS" => "initial key serial number (TDES DUKPT)",
        /// `KV` key block values (deprecated).
        KV = b"KV" => "key block values (deprecated)",
        /// `LB` label.
        LB = b"LB" => "label",
        /// `PB` padding block (always last).
        PB = b"PB" => "padding block (always last)",
        /// `PK` key check value of the export KBPK.
        PK = b"PK" => "key check value of the export KBPK",
        /// `TC` time of creation.
        TC = b"TC" => "time of creation",
        /// `TS` time stamp.
        TS = b"TS" => "time stamp",
        /// `WP` wrapping pedigree.
        WP = b"WP" => "wrapping pedigree",
    }
}

/// Key version number (positions 9–10; X9.143 §6.2 Table 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyVersion {
    /// `00`: key versioning not used.
    Unused,
    /// `c` + digit `1`–`9`: the key is a component (key custodian ceremony), this is its number.
    Component(u8),
    /// Any other two printable characters: the key version.
    Version([u8; 2]),
}

impl KeyVersion {
    /// The key version for its two characters.
    #[must_use]
    pub const fn from_code(code: [u8; 2]) -> Self {
        match code {
            [b'0', b'0'] => Self::Unused,
            [b'c', d @ b'1'..=b'9'] => Self::Component(d - b'0'),
            other => Self::Version(other),
        }
    }

    /// The two characters.
    #[must_use]
    pub const fn code(self) -> [u8; 2] {
        match self {
            Self::Unused => *b"00",
            Self::Component(n) => [b'c', b'0' + (n % 10)],
            Self::Version(c) => c,
        }
    }

    /// The component number when this marks a key component (`c1`–`c9`).
    #[must_use]
    pub const fn component(self) -> Option<u8> {
        match self {
            Self::Component(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for KeyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_code(f, &self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn codes_round_trip() {
        assert_eq!(KeyUsage::from_code(*b"P0"), KeyUsage::P0);
        assert_eq!(KeyUsage::from_code(*b"10"), KeyUsage::Proprietary(*b"10"));
        assert_eq!(KeyUsage::from_code(*b"Z9"), KeyUsage::Unknown(*b"Z9"));
        assert_eq!(KeyUsage::Unknown(*b"Z9").to_string(), "Z9");
        assert!(!KeyUsage::Proprietary(*b"10").is_standard());
        assert_eq!(Algorithm::from_code(*b"T"), Algorithm::Tdes);
        assert_eq!(ModeOfUse::from_code(*b"1").to_string(), "1");
        assert_eq!(KeyVersion::from_code(*b"c2").component(), Some(2));
        assert_eq!(KeyVersion::from_code(*b"c0"), KeyVersion::Version(*b"c0"));
        assert_eq!(KeyVersion::Component(3).to_string(), "c3");
        assert_eq!(Version::from_char(b'E').unwrap().block_size(), 16);
        assert!(Version::from_char(b'F').is_err());
        assert_eq!(Version::Proprietary(b'0').to_string(), "0");
        assert_eq!(KeyUsage::P0.description(), "PIN encryption");
        assert_eq!(Algorithm::Tdes.description(), "TDES");
        assert_eq!(
            BlockId::KS.description(),
            "initial key serial number (TDES DUKPT)"
        );
        assert_eq!(ModeOfUse::Proprietary(*b"1").description(), "proprietary");
    }
}
