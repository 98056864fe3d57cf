//! Working keys derived by AES DUKPT (X9.24-3:2017 §6.3.2, Table 2 usages and Table 3 key
//! types) and their conversions into the PIN, MAC and data-encryption key types.

use core::fmt;

use paycrypt_mac::HmacKey;
use paycrypt_mac::MacKey;
use paycrypt_pinblock::PinKey;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{AesKey, SymmetricKey, TdesKey};
use zeroize::ZeroizeOnDrop;

use crate::Error;

use super::derive::KeyBuf;
use super::types::{KeyType, KeyUsage};

/// The key material of a working key.
// No `alloc`: the HMAC key (up to 256 bytes in `paycrypt-mac`) lives inline by design.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq)]
enum Material {
    /// A TDEA or AES key (`SymmetricKey::Tdes` / `SymmetricKey::Aes`).
    Cipher(SymmetricKey),
    /// An HMAC key (algorithm `0x0005`).
    Hmac(HmacKey),
}

/// A working key derived by AES DUKPT, with the usage and key type it was derived for
/// (X9.24-3:2017 §6.3.2: the derivation data binds both).
///
/// Conversions check the usage, so a key derived for one role cannot be used for another
/// (key separation): `PinKey::try_from(&key)` only for [`KeyUsage::PinEncryption`],
/// `MacKey::try_from(&key)` only for the MAC usages, `BlockCipher::try_from(&key)` only for
/// the data usages — anything else is [`Error::UsageMismatch`]. `AesKey`, `TdesKey`,
/// `HmacKey` and `SymmetricKey` take the raw material whatever the usage (`TryFrom`, checked
/// against the key type only).
///
/// Derived TDEA keys are not parity-adjusted (X9.24-3:2017; KCVs use the raw bytes).
/// Zeroized on drop (the inner keys are), `Debug` redacted, comparison in constant time.
#[derive(Clone, PartialEq, Eq)]
pub struct WorkingKey {
    material: Material,
    key_type: KeyType,
    usage: KeyUsage,
}

impl ZeroizeOnDrop for WorkingKey {}

impl WorkingKey {
    /// Wraps derived bytes as `key_type` for `usage`.
    pub(crate) fn from_buf(
        usage: KeyUsage,
        key_type: KeyType,
        buf: &KeyBuf,
    ) -> Result<Self, Error> {
        let bytes = buf.bytes.get(..key_type.len()).ok_or(Error::KeyLength {
            got: buf.len.into(),
        })?;
        let material = match key_type {
            KeyType::Tdes2 | KeyType::Tdes3 => {
                Material::Cipher(SymmetricKey::Tdes(TdesKey::from_bytes(bytes)?))
            }
            KeyType::Aes128 | KeyType::Aes192 | KeyType::Aes256 => {
                Material::Cipher(SymmetricKey::Aes(AesKey::from_bytes(bytes)?))
            }
            KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256 => Material::Hmac(
                HmacKey::from_bytes(bytes).map_err(|_| Error::KeyLength { got: bytes.len() })?,
            ),
        };
        Ok(Self {
            material,
            key_type,
            usage,
        })
    }

    /// The key's type (X9.24-3:2017 §6.3.2, Table 3).
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The usage the key was derived for (X9.24-3:2017 §6.3.2, Table 2).
    #[must_use]
    pub const fn usage(&self) -> KeyUsage {
        self.usage
    }

    /// Key length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.key_type.len()
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The raw key bytes (for KCVs, or comparing against an HSM). Handle with care.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        match &self.material {
            Material::Cipher(k) => k.expose_bytes(),
            Material::Hmac(k) => k.expose_bytes(),
        }
    }

    /// The block-cipher key (TDEA or AES), if this is one.
    #[must_use]
    pub const fn as_symmetric(&self) -> Option<&SymmetricKey> {
        match &self.material {
            Material::Cipher(k) => Some(k),
            Material::Hmac(_) => None,
        }
    }

    /// The AES key, if this is one.
    #[must_use]
    pub fn into_aes(self) -> Option<AesKey> {
        match &self.material {
            Material::Cipher(SymmetricKey::Aes(k)) => Some(k.clone()),
            _ => None,
        }
    }

    /// The TDEA key, if this is one.
    #[must_use]
    pub fn into_tdes(self) -> Option<TdesKey> {
        match &self.material {
            Material::Cipher(SymmetricKey::Tdes(k)) => Some(k.clone()),
            _ => None,
        }
    }

    /// The HMAC key, if this is one.
    #[must_use]
    pub fn into_hmac(self) -> Option<HmacKey> {
        match self.material {
            Material::Hmac(k) => Some(k),
            Material::Cipher(_) => None,
        }
    }

    /// [`Error::UsageMismatch`] unless `ok(usage)`.
    const fn check_usage(&self, ok: bool, role: &'static str) -> Result<(), Error> {
        if ok {
            Ok(())
        } else {
            Err(Error::UsageMismatch {
                usage: self.usage.name(),
                role,
            })
        }
    }
}

impl fmt::Debug for WorkingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WorkingKey {{ type: {}, usage: {}, .. }}",
            self.key_type.name(),
            self.usage.name()
        )
    }
}

impl TryFrom<WorkingKey> for AesKey {
    type Error = Error;
    fn try_from(k: WorkingKey) -> Result<Self, Error> {
        k.into_aes().ok_or(Error::KeyTypeNotAllowed)
    }
}

impl TryFrom<WorkingKey> for TdesKey {
    type Error = Error;
    fn try_from(k: WorkingKey) -> Result<Self, Error> {
        k.into_tdes().ok_or(Error::KeyTypeNotAllowed)
    }
}

impl TryFrom<WorkingKey> for HmacKey {
    type Error = Error;
    fn try_from(k: WorkingKey) -> Result<Self, Error> {
        k.into_hmac().ok_or(Error::KeyTypeNotAllowed)
    }
}

impl TryFrom<WorkingKey> for SymmetricKey {
    type Error = Error;
    fn try_from(k: WorkingKey) -> Result<Self, Error> {
        match k.material {
            Material::Cipher(s) => Ok(s),
            Material::Hmac(_) => Err(Error::KeyTypeNotAllowed),
        }
    }
}

/// A PIN key (ISO 9564-1 format 4 for AES, formats 0–3 for TDEA) from a key derived for
/// [`KeyUsage::PinEncryption`].
impl TryFrom<&WorkingKey> for PinKey {
    type Error = Error;
    fn try_from(k: &WorkingKey) -> Result<Self, Error> {
        k.check_usage(matches!(k.usage, KeyUsage::PinEncryption), "PIN encryption")?;
        match &k.material {
            Material::Cipher(SymmetricKey::Aes(a)) => Ok(Self::from_aes(a)),
            Material::Cipher(SymmetricKey::Tdes(t)) => Ok(Self::from_tdes(t)),
            _ => Err(Error::KeyTypeNotAllowed),
        }
    }
}

impl TryFrom<WorkingKey> for PinKey {
    type Error = Error;
    fn try_from(k: WorkingKey) -> Result<Self, Error> {
        Self::try_from(&k)
    }
}

/// The MAC crate's key (CMAC for TDEA/AES types, HMAC for the HMAC types) from a key derived
/// for a MAC usage.
impl<'a> TryFrom<&'a WorkingKey> for MacKey<'a> {
    type Error = Error;
    fn try_from(k: &'a WorkingKey) -> Result<Self, Error> {
        k.check_usage(k.usage.is_mac(), "MAC")?;
        Ok(match &k.material {
            Material::Cipher(s) => MacKey::Symmetric(s),
            Material::Hmac(h) => MacKey::Hmac(h),
        })
    }
}

/// The data cipher (TDEA or AES, ECB/CBC) from a key derived for a data usage.
impl TryFrom<&WorkingKey> for BlockCipher {
    type Error = Error;
    fn try_from(k: &WorkingKey) -> Result<Self, Error> {
        k.check_usage(k.usage.is_data(), "data encryption")?;
        match &k.material {
            Material::Cipher(s) => Ok(Self::new(s)),
            Material::Hmac(_) => Err(Error::KeyTypeNotAllowed),
        }
    }
}
