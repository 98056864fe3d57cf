//! MAC standards called by name: the algorithm + padding + length combinations the field uses.
//!
//! | standard | definition | output |
//! |---|---|---|
//! | ANSI X9.19 ([`x9_19`]) | ISO/IEC 9797-1 algorithm 3, padding method 1, key `K ‖ K'` | 8 bytes (4 customary: truncate) |
//! | PBOC / JR/T 0025 ([`pboc`]) | padding method 2, IV zeros or given; single-length DES key → algorithm 1, double-length → algorithm 3 | leftmost 4 bytes |
//! | ISO 16609 ([`iso16609`]) | ISO/IEC 9797-1 algorithm 1 with TDEA (full EDE per block) | 8 bytes |
//!
//! PBOC secure messaging uses the 4-byte GET CHALLENGE response followed by four zero bytes as
//! the IV. The UnionPay POS "ECB MAC" and AS2805.4.1 are different algorithms, not provided.

use crate::iso9797::{mac_algorithm_1, mac_algorithm_3};
use crate::{Error, Padding, Tag};
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey, TdesKey};

/// The output length of the PBOC / JR/T 0025 MAC, in bytes.
pub const PBOC_MAC_LEN: usize = 4;

/// The output length X9.19 MACs are customarily truncated to, in bytes.
pub const X9_19_MAC_LEN: usize = 4;

/// ANSI X9.19 (= ISO/IEC 9797-1:2011 §7.4 MAC algorithm 3 with §6.1.1 padding method 1) with
/// `key = K ‖ K'`: the full 8-byte output. Truncate to [`X9_19_MAC_LEN`] with
/// [`Tag::truncate`] where the message format carries 4 bytes.
///
/// # Errors
/// [`Error::UnsupportedKey`] for a 3-key TDES key.
pub fn x9_19(key: &TdesKey, data: &[u8]) -> Result<Tag, Error> {
    mac_algorithm_3(key, Padding::Method1, None, data)
}

/// The PBOC / JR/T 0025 MAC (PBOC 3.0 issuer scripts and secure messaging): padding method 2,
/// starting value `iv` (zeros when `None`), the leftmost 4 bytes of
///
/// - ISO/IEC 9797-1 MAC algorithm 1 with single DES for a single-length (8-byte) key, or
/// - ISO/IEC 9797-1 MAC algorithm 3 for a double-length (16-byte) key.
///
/// # Errors
/// [`Error::UnsupportedKey`] for 3-key TDES and AES keys; IV length errors.
pub fn pboc(key: &SymmetricKey, iv: Option<&[u8]>, data: &[u8]) -> Result<Tag, Error> {
    let full = match key {
        SymmetricKey::Des(_) => mac_algorithm_1(key, Padding::Method2, iv, data)?,
        SymmetricKey::Tdes(t) if t.algorithm() == KeyAlgorithm::Tdes2 => {
            mac_algorithm_3(t, Padding::Method2, iv, data)?
        }
        other => {
            return Err(Error::UnsupportedKey {
                key: other.algorithm().name(),
                method: "the PBOC / JR/T 0025 MAC",
            });
        }
    };
    full.truncate(PBOC_MAC_LEN)
}

/// ISO 16609 (TR-31 `M0`): ISO/IEC 9797-1 MAC algorithm 1 with TDEA (the full EDE operation on
/// every block) and the padding method the message format names (method 1 in ISO 16609's
/// examples). Full 8-byte output.
///
/// # Errors
/// None for valid keys in practice (the `Result` carries the algorithm-1 errors).
pub fn iso16609(key: &TdesKey, padding: Padding, data: &[u8]) -> Result<Tag, Error> {
    let key = SymmetricKey::Tdes(key.clone());
    mac_algorithm_1(&key, padding, None, data)
}

/// The named MAC standards as a value (for command lines and configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MacStandard {
    /// ANSI X9.19: ISO/IEC 9797-1 algorithm 3 + padding method 1, 16-byte `K ‖ K'` key, 8-byte
    /// output ([`x9_19`]; no IV).
    AnsiX919,
    /// PBOC / JR/T 0025: padding method 2, algorithm 1 (DES key) or 3 (2-key TDES key),
    /// leftmost 4 bytes, optional IV ([`pboc`]).
    Pboc,
    /// ISO 16609: ISO/IEC 9797-1 algorithm 1 with TDEA and padding method 1, 8-byte output
    /// ([`iso16609`]; no IV).
    Iso16609,
}

impl MacStandard {
    /// Computes the standard's MAC.
    ///
    /// # Errors
    /// [`Error::UnsupportedKey`] when the key does not fit the standard (X9.19 and ISO 16609
    /// need a TDES key, X9.19 a 2-key one; PBOC a DES or 2-key TDES key);
    /// [`Error::IvNotAllowed`] for an IV with X9.19 or ISO 16609; IV length errors.
    pub fn mac(self, key: &SymmetricKey, iv: Option<&[u8]>, data: &[u8]) -> Result<Tag, Error> {
        let unsupported = |method| Error::UnsupportedKey {
            key: key.algorithm().name(),
            method,
        };
        match self {
            Self::Pboc => pboc(key, iv, data),
            Self::AnsiX919 | Self::Iso16609 if iv.is_some() => Err(Error::IvNotAllowed),
            Self::AnsiX919 => match key {
                SymmetricKey::Tdes(t) => x9_19(t, data),
                _ => Err(unsupported("ANSI X9.19")),
            },
            Self::Iso16609 => match key {
                SymmetricKey::Tdes(t) => iso16609(t, Padding::Method1, data),
                _ => Err(unsupported("ISO 16609")),
            },
        }
    }

    /// Recomputes the standard's MAC and compares it with `tag` in constant time (see
    /// [`crate::verify`]).
    ///
    /// # Errors
    /// As [`MacStandard::mac`]; [`Error::MacLength`]; [`Error::Verification`].
    pub fn verify(
        self,
        key: &SymmetricKey,
        iv: Option<&[u8]>,
        data: &[u8],
        tag: &[u8],
    ) -> Result<(), Error> {
        crate::verify(tag, &self.mac(key, iv, data)?)
    }
}
