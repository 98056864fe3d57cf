//! Working keys derived by AES DUKPT (X9.24-3:2017 §6.3.2, Table 3 key types).

use core::fmt;

use paycrypt_primitives::key::{AesKey, TdesKey};
use paycrypt_primitives::subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

use super::derive::KeyBuf;
use super::types::KeyType;

/// An HMAC key of 128, 192 or 256 bits (X9.24-3:2017 §6.3.2, algorithm `0x0005`).
///
/// Zeroized on drop, `Debug` shows only the length, comparison in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct HmacKey {
    bytes: [u8; 32],
    #[zeroize(skip)]
    len: u8,
}

impl HmacKey {
    /// An HMAC key from 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        match bytes.len() {
            16 | 24 | 32 => {}
            got => return Err(Error::KeyLength { got }),
        }
        let buf = KeyBuf::from_slice(bytes)?;
        Ok(Self {
            bytes: buf.bytes,
            len: buf.len,
        })
    }

    /// Key length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// [`KeyType::Hmac128`], [`KeyType::Hmac192`] or [`KeyType::Hmac256`].
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        match self.len {
            16 => KeyType::Hmac128,
            24 => KeyType::Hmac192,
            _ => KeyType::Hmac256,
        }
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len()).unwrap_or(&self.bytes)
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HmacKey({})", self.key_type().name())
    }
}

impl ConstantTimeEq for HmacKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.bytes.ct_eq(&other.bytes)
    }
}

impl PartialEq for HmacKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for HmacKey {}

/// A working key derived by AES DUKPT, typed by its algorithm, ready for the PIN, MAC and data
/// crates: convert with [`WorkingKey::into_aes`], [`WorkingKey::into_tdes`],
/// [`WorkingKey::into_hmac`] (or `TryFrom`).
///
/// Derived TDEA keys are not parity-adjusted (X9.24-3:2017; KCVs use the raw bytes).
/// Zeroized on drop (the inner keys are), `Debug` redacted, comparison in constant time.
#[derive(Clone, PartialEq, Eq)]
pub enum WorkingKey {
    /// A 2-key or 3-key TDEA key.
    Tdes(TdesKey),
    /// An AES-128, AES-192 or AES-256 key.
    Aes(AesKey),
    /// An HMAC key.
    Hmac(HmacKey),
}

impl WorkingKey {
    /// Wraps derived bytes as `key_type`.
    pub(crate) fn from_buf(key_type: KeyType, buf: &KeyBuf) -> Result<Self, Error> {
        let bytes = buf.bytes.get(..key_type.len()).ok_or(Error::KeyLength {
            got: buf.len.into(),
        })?;
        Ok(match key_type {
            KeyType::Tdes2 | KeyType::Tdes3 => Self::Tdes(TdesKey::from_bytes(bytes)?),
            KeyType::Aes128 | KeyType::Aes192 | KeyType::Aes256 => {
                Self::Aes(AesKey::from_bytes(bytes)?)
            }
            KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256 => {
                Self::Hmac(HmacKey::from_bytes(bytes)?)
            }
        })
    }

    /// The key's type.
    #[must_use]
    pub fn key_type(&self) -> KeyType {
        match self {
            Self::Tdes(k) if k.len() == 24 => KeyType::Tdes3,
            Self::Tdes(_) => KeyType::Tdes2,
            Self::Aes(k) => match k.len() {
                16 => KeyType::Aes128,
                24 => KeyType::Aes192,
                _ => KeyType::Aes256,
            },
            Self::Hmac(k) => k.key_type(),
        }
    }

    /// Key length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.expose_bytes().len()
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The raw key bytes (for KCVs, or comparing against an HSM). Handle with care.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        match self {
            Self::Tdes(k) => k.expose_bytes(),
            Self::Aes(k) => k.expose_bytes(),
            Self::Hmac(k) => k.expose_bytes(),
        }
    }

    /// The AES key, if this is one.
    #[must_use]
    pub fn into_aes(self) -> Option<AesKey> {
        match self {
            Self::Aes(k) => Some(k),
            _ => None,
        }
    }

    /// The TDEA key, if this is one.
    #[must_use]
    pub fn into_tdes(self) -> Option<TdesKey> {
        match self {
            Self::Tdes(k) => Some(k),
            _ => None,
        }
    }

    /// The HMAC key, if this is one.
    #[must_use]
    pub fn into_hmac(self) -> Option<HmacKey> {
        match self {
            Self::Hmac(k) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Debug for WorkingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WorkingKey({})", self.key_type().name())
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
