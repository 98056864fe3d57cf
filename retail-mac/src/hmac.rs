//! HMAC (RFC 2104; ISO/IEC 9797-2:2011 MAC algorithm 2; FIPS 198-1) with SHA-1 and SHA-2
//! (TR-31 `M7`, the `HM` optional block names the hash).
//!
//! ```text
//! HMAC(K, m) = H((K0 ⊕ opad) ‖ H((K0 ⊕ ipad) ‖ m))     K0 = K padded (or hashed, if longer
//!                                                       than the hash block) to the block size
//! ```
//!
//! Keys are a dedicated [`HmacKey`] of 1 to [`HmacKey::MAX_LEN`] bytes, zeroized on drop and
//! redacted in `Debug`. Works without `alloc`.

use crate::{Error, Tag};
use ::hmac::{KeyInit, Mac};
use core::fmt;
use paycrypt_primitives::key::AesKey;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The hash function under HMAC (FIPS 180-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashFunction {
    /// SHA-1 (20-byte output; legacy, still named by TR-31 `HM` blocks).
    Sha1,
    /// SHA-224 (28 bytes).
    Sha224,
    /// SHA-256 (32 bytes; ISO/IEC 9797-2 dedicated hash-function 4).
    Sha256,
    /// SHA-384 (48 bytes).
    Sha384,
    /// SHA-512 (64 bytes).
    Sha512,
}

impl HashFunction {
    /// Every hash function this crate supports.
    pub const ALL: [Self; 5] = [
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// Output (and full HMAC tag) length in bytes.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// A short name: `SHA-1`, `SHA-224`, `SHA-256`, `SHA-384`, `SHA-512`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

impl fmt::Display for HashFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An HMAC key: 1 to [`HmacKey::MAX_LEN`] bytes, zeroized on drop, `Debug` shows only the length.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct HmacKey {
    bytes: [u8; HmacKey::MAX_LEN],
    len: usize,
}

impl HmacKey {
    /// Longest key accepted, in bytes (twice the SHA-512 block; longer keys are hashed by HMAC
    /// anyway, RFC 2104 §2).
    pub const MAX_LEN: usize = 256;

    /// A key from its bytes.
    ///
    /// # Errors
    /// [`Error::HmacKeyLength`] for an empty key or one longer than [`HmacKey::MAX_LEN`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut out = [0u8; Self::MAX_LEN];
        match out.get_mut(..bytes.len()) {
            Some(dst) if !bytes.is_empty() => dst.copy_from_slice(bytes),
            _ => return Err(Error::HmacKeyLength { got: bytes.len() }),
        }
        Ok(Self {
            bytes: out,
            len: bytes.len(),
        })
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// Key length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a key has at least one byte.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl TryFrom<&[u8]> for HmacKey {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_bytes(bytes)
    }
}

/// An AES key's bytes as an HMAC key (AES DUKPT derives HMAC working keys as AES-sized keys,
/// X9.24-3-2017 §6.3.2); 16–32 bytes always fit.
impl From<&AesKey> for HmacKey {
    fn from(k: &AesKey) -> Self {
        let mut out = [0u8; Self::MAX_LEN];
        let bytes = k.expose_bytes();
        if let Some(dst) = out.get_mut(..bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        Self {
            bytes: out,
            len: bytes.len(),
        }
    }
}

impl From<AesKey> for HmacKey {
    fn from(k: AesKey) -> Self {
        Self::from(&k)
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HmacKey({} bytes)", self.len)
    }
}

impl ConstantTimeEq for HmacKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.expose_bytes().ct_eq(other.expose_bytes())
    }
}

impl PartialEq for HmacKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for HmacKey {}

#[derive(Clone)]
enum Inner {
    Sha1(::hmac::Hmac<sha1::Sha1>),
    Sha224(::hmac::Hmac<sha2::Sha224>),
    Sha256(::hmac::Hmac<sha2::Sha256>),
    Sha384(::hmac::Hmac<sha2::Sha384>),
    Sha512(::hmac::Hmac<sha2::Sha512>),
}

/// Streaming HMAC (RFC 2104 §2; ISO/IEC 9797-2:2011 MAC algorithm 2).
#[derive(Clone)]
pub struct Hmac {
    inner: Inner,
}

impl fmt::Debug for Hmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hmac { ... }")
    }
}

fn init<M: KeyInit>(key: &HmacKey) -> M {
    // RFC 2104 §2 defines HMAC for every key length and the `hmac` crate's `new_from_slice`
    // never fails ("HMAC accepts keys of any length"); `HmacKey` is non-empty besides. The
    // fallback only exists to avoid a panic path and is unreachable.
    M::new_from_slice(key.expose_bytes()).unwrap_or_else(|_| M::new(&Default::default()))
}

impl Hmac {
    /// Starts an HMAC computation (RFC 2104 §2: the key is hashed when longer than the hash
    /// block, then padded with zeros to the block and XORed with `ipad`).
    #[must_use]
    pub fn new(key: &HmacKey, hash: HashFunction) -> Self {
        let inner = match hash {
            HashFunction::Sha1 => Inner::Sha1(init(key)),
            HashFunction::Sha224 => Inner::Sha224(init(key)),
            HashFunction::Sha256 => Inner::Sha256(init(key)),
            HashFunction::Sha384 => Inner::Sha384(init(key)),
            HashFunction::Sha512 => Inner::Sha512(init(key)),
        };
        Self { inner }
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Sha1(m) => m.update(data),
            Inner::Sha224(m) => m.update(data),
            Inner::Sha256(m) => m.update(data),
            Inner::Sha384(m) => m.update(data),
            Inner::Sha512(m) => m.update(data),
        }
    }

    /// The full HMAC output (the hash length). Truncate with [`Tag::truncate`] (RFC 2104 §5:
    /// leftmost bytes).
    #[must_use]
    pub fn finalize(self) -> Tag {
        match self.inner {
            Inner::Sha1(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Sha224(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Sha256(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Sha384(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Sha512(m) => Tag::from_output(&m.finalize().into_bytes()),
        }
    }
}

/// One-shot HMAC (RFC 2104; ISO/IEC 9797-2:2011 MAC algorithm 2): the full output (the hash
/// length). Truncate with [`Tag::truncate`].
#[must_use]
pub fn hmac(key: &HmacKey, hash: HashFunction, data: &[u8]) -> Tag {
    let mut m = Hmac::new(key, hash);
    m.update(data);
    m.finalize()
}
