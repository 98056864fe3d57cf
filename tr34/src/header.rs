//! The key-block header a TR-34 KeyBlock carries (TR-34-2019 §5.3.1): the 16-character TR-31 /
//! X9.143 fixed header plus optional blocks, compared byte for byte with the signed header
//! attribute (TR-34-2019 §5.4.9).
//!
//! The header is parsed with [`paycrypt_keyblock::KeyBlockHeader`] (structural `Interop`
//! profile: the length field means nothing here — AWS writes `9999`, others `0000`) and the
//! received text is kept, because TR-34 compares it byte for byte with the signed attribute.

use crate::Error;
use alloc::string::String;
use core::fmt;
use paycrypt_keyblock::KeyBlockHeader;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};

/// A key-block header as carried in a TR-34 KeyBlock and its signed attribute.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyHeader {
    text: String,
    parsed: KeyBlockHeader,
}

impl fmt::Debug for KeyHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyHeader").field(&self.text).finish()
    }
}

impl fmt::Display for KeyHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl KeyHeader {
    /// Minimum length: the TR-31 fixed header (TR-31:2018 A.2, 16 characters).
    pub const FIXED_LEN: usize = 16;

    /// Validates a header: at least 16 printable ASCII characters (X9.143 §6.2 character set)
    /// that parse as a key-block header with its optional blocks
    /// ([`KeyBlockHeader::parse`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] otherwise.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::from_bytes(text.as_bytes()).ok_or(Error::InvalidInput {
            what: "key block header",
        })
    }

    /// Validates header bytes as received in a token (`None` when invalid).
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < Self::FIXED_LEN
            || bytes.len() > 9999
            || !bytes.iter().all(|b| (0x20..=0x7E).contains(b))
        {
            return None;
        }
        let text = core::str::from_utf8(bytes).ok()?;
        let parsed = KeyBlockHeader::parse(text).ok()?;
        Some(Self {
            text: String::from(text),
            parsed,
        })
    }

    /// The header text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed key-block header (shared type with `paycrypt-keyblock`).
    #[must_use]
    pub const fn key_block_header(&self) -> &KeyBlockHeader {
        &self.parsed
    }

    /// The version ID character (TR-31:2018 A.2 byte 0).
    #[must_use]
    pub fn version(&self) -> u8 {
        self.text.as_bytes().first().copied().unwrap_or(0)
    }

    /// The key usage (TR-31:2018 A.2 bytes 5–6).
    #[must_use]
    pub fn key_usage(&self) -> &str {
        self.text.get(5..7).unwrap_or_default()
    }

    /// The algorithm character (TR-31:2018 A.2 byte 7: `T` TDES, `A` AES, ...).
    #[must_use]
    pub fn algorithm(&self) -> u8 {
        self.text.as_bytes().get(7).copied().unwrap_or(0)
    }

    /// The mode of use character (TR-31:2018 A.2 byte 8).
    #[must_use]
    pub fn mode_of_use(&self) -> u8 {
        self.text.as_bytes().get(8).copied().unwrap_or(0)
    }

    /// The exportability character (TR-31:2018 A.2 byte 11).
    #[must_use]
    pub fn exportability(&self) -> u8 {
        self.text.as_bytes().get(11).copied().unwrap_or(0)
    }

    /// The key type of a clear key of `len` bytes under this header: the key-block rule
    /// ([`paycrypt_keyblock::key_algorithm`], X9.143 §6.2 algorithm codes) narrowed to what
    /// TR-34 carries — TR-34-2019 Table 15 has content-encryption keys for TDES (`T`, 16 or 24
    /// bytes) and AES-128 (`A`, 16 bytes) only, so no AES-192/256 key can travel at its
    /// strength.
    ///
    /// # Errors
    /// [`Error::KeyLength`] otherwise (after a token's signature verified it names the rule;
    /// [`crate::KeyTokenBuilder::build`] reports the same rule as [`Error::InvalidInput`]).
    pub fn key_algorithm(&self, len: usize) -> Result<KeyAlgorithm, Error> {
        let bad = Error::KeyLength {
            algorithm: self.algorithm(),
            length: len,
        };
        match paycrypt_keyblock::key_algorithm(self.parsed.algorithm(), len) {
            Ok(a @ (KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3 | KeyAlgorithm::Aes128)) => Ok(a),
            _ => Err(bad),
        }
    }

    /// The clear key as a typed key of [`KeyHeader::key_algorithm`].
    ///
    /// # Errors
    /// As [`KeyHeader::key_algorithm`].
    pub fn symmetric_key(&self, bytes: &[u8]) -> Result<SymmetricKey, Error> {
        let algorithm = self.key_algorithm(bytes.len())?;
        SymmetricKey::new(algorithm, bytes).map_err(|_| Error::KeyLength {
            algorithm: self.algorithm(),
            length: bytes.len(),
        })
    }

    /// `true` when a clear key of `len` bytes fits the header algorithm
    /// ([`KeyHeader::key_algorithm`]: `T` 16 or 24 bytes, `A` 16 bytes).
    #[must_use]
    pub fn fits_key_len(&self, len: usize) -> bool {
        self.key_algorithm(len).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let h = KeyHeader::parse("A0256K0TB00E0000").unwrap();
        assert_eq!(h.algorithm(), b'T');
        assert_eq!(h.key_usage(), "K0");
        assert!(h.fits_key_len(24) && h.fits_key_len(16) && !h.fits_key_len(8));
        let a = KeyHeader::parse("D0256K0AB00E0000").unwrap();
        assert!(a.fits_key_len(16) && !a.fits_key_len(24));
        assert!(KeyHeader::parse("A0256K0TB00E000").is_err());
        assert!(KeyHeader::parse("A0256K0TB00E000\u{7}").is_err());
        assert!(KeyHeader::parse("D9999K0TB00E0000").is_ok());
        assert!(KeyHeader::parse("A0016K0TN00E0000").is_ok());
        assert!(
            KeyHeader::parse("A0256K0TB00E0100").is_err(),
            "announces a missing optional block"
        );
        let h = KeyHeader::parse("D0000K0AB00E0100KS0600").unwrap();
        assert_eq!(h.key_block_header().optional_blocks().len(), 1);
        assert!(
            !KeyHeader::parse("A0256K0DB00E0000")
                .unwrap()
                .fits_key_len(8)
        );
    }
}
