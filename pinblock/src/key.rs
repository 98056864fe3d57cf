//! The PIN encryption key role.

use crate::Error;
use crate::format::Format;
use core::fmt;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{AesKey, DesKey, KeyAlgorithm, SymmetricKey, TdesKey};

/// A PIN encryption key (PEK, or a DUKPT PIN working key), with its key schedule expanded once.
///
/// - formats 0–3: 2-key or 3-key TDES ([`PinKey::from_tdes`]);
/// - format 4: AES-128/192/256 ([`PinKey::from_aes`]);
/// - single DES only through the explicitly named [`PinKey::legacy_single_des`], for checking
///   old systems; never pick it by accident.
///
/// The schedule is zeroized on drop (RustCrypto `zeroize` feature); `Debug` prints only the
/// algorithm.
#[derive(Clone)]
pub struct PinKey {
    cipher: BlockCipher,
}

impl PinKey {
    /// A TDES PIN key (formats 0–3).
    #[must_use]
    pub fn from_tdes(key: &TdesKey) -> Self {
        Self {
            cipher: BlockCipher::from(key),
        }
    }

    /// An AES PIN key (format 4).
    #[must_use]
    pub fn from_aes(key: &AesKey) -> Self {
        Self {
            cipher: BlockCipher::from(key),
        }
    }

    /// **Legacy**: a single-DES PIN key (formats 0–3 only). Single DES is broken; this exists to
    /// check blocks from old systems.
    #[must_use]
    pub fn legacy_single_des(key: &DesKey) -> Self {
        Self {
            cipher: BlockCipher::from(key),
        }
    }

    /// A TDES key from 16 or 24 bytes.
    ///
    /// # Errors
    /// [`Error::Primitives`] with a key-length error.
    pub fn tdes_from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_tdes(&TdesKey::from_bytes(bytes)?))
    }

    /// An AES key from 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::Primitives`] with a key-length error.
    pub fn aes_from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_aes(&AesKey::from_bytes(bytes)?))
    }

    /// The key for `format` from raw bytes, choosing the algorithm as a command line would:
    ///
    /// ```text
    /// bytes   formats 0-3                 format 4
    /// 8       KeyLength (see below)       KeyFormatMismatch (DES)
    /// 16, 24  TDES 2-key / 3-key          AES-128 / AES-192
    /// 32      KeyFormatMismatch (AES)     AES-256
    /// other   KeyLength                   KeyLength
    /// ```
    ///
    /// Single DES is refused here; use
    /// [`for_format_allow_legacy_des`](PinKey::for_format_allow_legacy_des) to opt in.
    ///
    /// # Errors
    /// [`Error::Primitives`] (key length), [`Error::KeyFormatMismatch`].
    pub fn for_format(format: Format, bytes: &[u8]) -> Result<Self, Error> {
        if format == Format::Iso4 {
            return match bytes.len() {
                8 => Err(Error::KeyFormatMismatch {
                    format,
                    algorithm: KeyAlgorithm::Des,
                }),
                _ => Self::aes_from_bytes(bytes),
            };
        }
        match bytes.len() {
            32 => Err(Error::KeyFormatMismatch {
                format,
                algorithm: KeyAlgorithm::Aes256,
            }),
            _ => Self::tdes_from_bytes(bytes),
        }
    }

    /// As [`for_format`](PinKey::for_format), but an 8-byte key with formats 0–3 is taken as a
    /// **legacy single-DES** key.
    ///
    /// # Errors
    /// As [`for_format`](PinKey::for_format).
    pub fn for_format_allow_legacy_des(format: Format, bytes: &[u8]) -> Result<Self, Error> {
        if format != Format::Iso4 && bytes.len() == 8 {
            return Ok(Self::legacy_single_des(&DesKey::from_bytes(bytes)?));
        }
        Self::for_format(format, bytes)
    }

    /// The key's algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        self.cipher.algorithm()
    }

    /// Checks the key goes with `format` (format 4 ↔ AES; formats 0–3 ↔ TDES or legacy DES),
    /// ISO 9564-1:2017 §9.4 and PCI PIN.
    ///
    /// # Errors
    /// [`Error::KeyFormatMismatch`].
    pub const fn check_format(&self, format: Format) -> Result<(), Error> {
        let algorithm = self.algorithm();
        let ok = match format {
            Format::Iso4 => algorithm.is_aes(),
            _ => !algorithm.is_aes(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::KeyFormatMismatch { format, algorithm })
        }
    }

    pub(crate) const fn cipher(&self) -> &BlockCipher {
        &self.cipher
    }
}

impl From<&TdesKey> for PinKey {
    fn from(k: &TdesKey) -> Self {
        Self::from_tdes(k)
    }
}

impl From<&AesKey> for PinKey {
    fn from(k: &AesKey) -> Self {
        Self::from_aes(k)
    }
}

impl From<TdesKey> for PinKey {
    fn from(k: TdesKey) -> Self {
        Self::from_tdes(&k)
    }
}

impl From<AesKey> for PinKey {
    fn from(k: AesKey) -> Self {
        Self::from_aes(&k)
    }
}

/// A TDES key (formats 0–3) or an AES key (format 4) as a PIN key, so an unwrapped or derived
/// [`SymmetricKey`] converts with one `?`. Single DES is refused
/// ([`Error::PinKeyAlgorithm`]): it is a PIN key only through the explicit
/// [`PinKey::legacy_single_des`] (ISO 9564-1:2017 §6.2 allows no single-DES PIN encipherment).
impl TryFrom<&SymmetricKey> for PinKey {
    type Error = Error;

    fn try_from(k: &SymmetricKey) -> Result<Self, Error> {
        match k {
            SymmetricKey::Tdes(t) => Ok(Self::from_tdes(t)),
            SymmetricKey::Aes(a) => Ok(Self::from_aes(a)),
            other => Err(Error::PinKeyAlgorithm {
                algorithm: other.algorithm(),
            }),
        }
    }
}

/// As `TryFrom<&SymmetricKey>`.
impl TryFrom<SymmetricKey> for PinKey {
    type Error = Error;

    fn try_from(k: SymmetricKey) -> Result<Self, Error> {
        Self::try_from(&k)
    }
}

impl fmt::Debug for PinKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinKey({:?})", self.algorithm())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_format_choices() {
        assert_eq!(
            PinKey::for_format(Format::Iso0, &[1; 16])
                .unwrap()
                .algorithm(),
            KeyAlgorithm::Tdes2
        );
        assert_eq!(
            PinKey::for_format(Format::Iso3, &[1; 24])
                .unwrap()
                .algorithm(),
            KeyAlgorithm::Tdes3
        );
        assert_eq!(
            PinKey::for_format(Format::Iso4, &[1; 24])
                .unwrap()
                .algorithm(),
            KeyAlgorithm::Aes192
        );
        assert_eq!(
            PinKey::for_format(Format::Iso0, &[1; 32]).err(),
            Some(Error::KeyFormatMismatch {
                format: Format::Iso0,
                algorithm: KeyAlgorithm::Aes256
            })
        );
        assert_eq!(
            PinKey::for_format(Format::Iso4, &[1; 8]).err(),
            Some(Error::KeyFormatMismatch {
                format: Format::Iso4,
                algorithm: KeyAlgorithm::Des
            })
        );
        assert!(matches!(
            PinKey::for_format(Format::Iso0, &[1; 8]),
            Err(Error::Primitives(_))
        ));
        assert!(matches!(
            PinKey::for_format(Format::Iso4, &[1; 20]),
            Err(Error::Primitives(_))
        ));
        assert_eq!(
            PinKey::for_format_allow_legacy_des(Format::Iso1, &[1; 8])
                .unwrap()
                .algorithm(),
            KeyAlgorithm::Des
        );
        assert_eq!(
            std::format!(
                "{:?}",
                PinKey::for_format(Format::Iso4, &[0xAB; 32]).unwrap()
            ),
            "PinKey(Aes256)"
        );
    }
}
