//! Typed symmetric keys.
//!
//! Every key type here:
//! - checks its length on construction ([`Error::KeyLength`] otherwise);
//! - zeroizes its bytes on drop ([`ZeroizeOnDrop`]);
//! - prints only its algorithm in `Debug` (`TdesKey(Tdes2)`), never a key byte;
//! - compares in constant time ([`ConstantTimeEq`], and `PartialEq` built on it);
//! - hands out its bytes only through the explicitly named [`expose_bytes`](TdesKey::expose_bytes).
//!
//! Role types (a BDK, a KBPK, a PIN encryption key) are newtypes in the crates that define the
//! role; they wrap these.
//!
//! # Degenerate TDES keys
//! A 2-key TDES key whose halves are equal (K1 = K2), or a 3-key one with K1 = K2 = K3, computes
//! single DES. ISO/IEC 9797-1 Annex B and many payment test suites use such keys on purpose, so
//! they are **accepted for computation**. Refusing them is a key-import policy, which a caller can
//! enforce with [`TdesKey::is_single_des_equivalent`].

use crate::Error;
use core::fmt;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The algorithm and length of a symmetric key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// Single DES, 8 bytes (legacy only).
    Des,
    /// Two-key TDEA, 16 bytes: K1 ‖ K2, computed as EDE with K1, K2, K1 (X9.52).
    Tdes2,
    /// Three-key TDEA, 24 bytes: K1 ‖ K2 ‖ K3.
    Tdes3,
    /// AES-128 (FIPS 197).
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

impl KeyAlgorithm {
    /// Key length in bytes.
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::Des => 8,
            Self::Tdes2 | Self::Aes128 => 16,
            Self::Tdes3 | Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// Cipher block size in bytes: 8 for DES and TDES, 16 for AES.
    #[must_use]
    pub const fn block_size(self) -> usize {
        match self {
            Self::Des | Self::Tdes2 | Self::Tdes3 => 8,
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
        }
    }

    /// True for the AES family.
    #[must_use]
    pub const fn is_aes(self) -> bool {
        matches!(self, Self::Aes128 | Self::Aes192 | Self::Aes256)
    }

    /// A short name: `DES`, `TDES-2KEY`, `TDES-3KEY`, `AES-128`, `AES-192`, `AES-256`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Des => "DES",
            Self::Tdes2 => "TDES-2KEY",
            Self::Tdes3 => "TDES-3KEY",
            Self::Aes128 => "AES-128",
            Self::Aes192 => "AES-192",
            Self::Aes256 => "AES-256",
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A single-DES key (8 bytes; parity bits are carried, not checked).
///
/// Single DES is broken; it exists for legacy computations (ISO 9797-1 algorithm 3's inner
/// steps, PBOC MACs, old PIN blocks behind an explicit opt-in).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DesKey([u8; 8]);

impl DesKey {
    /// A DES key from exactly 8 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let arr: [u8; 8] = bytes.try_into().map_err(|_| Error::KeyLength {
            algorithm: "DES",
            got: bytes.len(),
        })?;
        Ok(Self(arr))
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

/// A TDEA key: 2-key (16 bytes, K1 ‖ K2) or 3-key (24 bytes, K1 ‖ K2 ‖ K3).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TdesKey {
    bytes: [u8; 24],
    #[zeroize(skip)]
    triple: bool,
}

impl TdesKey {
    /// A TDES key from 16 (2-key) or 24 (3-key) bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut out = [0u8; 24];
        let triple = match bytes.len() {
            16 => false,
            24 => true,
            got => {
                return Err(Error::KeyLength {
                    algorithm: "TDES",
                    got,
                });
            }
        };
        if let Some(dst) = out.get_mut(..bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        Ok(Self { bytes: out, triple })
    }

    /// [`KeyAlgorithm::Tdes2`] or [`KeyAlgorithm::Tdes3`].
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        if self.triple {
            KeyAlgorithm::Tdes3
        } else {
            KeyAlgorithm::Tdes2
        }
    }

    /// Key length in bytes (16 or 24).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.algorithm().key_len()
    }

    /// Always false: a key has 16 or 24 bytes.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The key bytes (16 or 24). Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len()).unwrap_or(&self.bytes)
    }

    /// The key as the 24 bytes K1 ‖ K2 ‖ K3 (a 2-key key expands to K1 ‖ K2 ‖ K1).
    #[must_use]
    pub fn expose_expanded(&self) -> [u8; 24] {
        let mut out = self.bytes;
        if !self.triple {
            let (k1, rest) = out.split_at_mut(8);
            if let Some(k3) = rest.get_mut(8..16) {
                k3.copy_from_slice(k1);
            }
        }
        out
    }

    /// True when the key computes single DES (K1 = K2, and K2 = K3 for a 3-key key).
    ///
    /// Such keys are accepted for computation (see the module docs); a key-import policy may
    /// refuse them with this test.
    #[must_use]
    pub fn is_single_des_equivalent(&self) -> bool {
        let e = self.expose_expanded();
        let k1 = e.get(0..8);
        k1 == e.get(8..16) && k1 == e.get(16..24)
    }
}

impl TdesKey {
    /// A 2-key TDEA key (K1 ‖ K2) from exactly 16 bytes: infallible, for callers whose key
    /// is double length by construction (DUKPT's derived keys, X9.24-1:2009 A.2).
    #[must_use]
    pub fn from_double_length(bytes: &[u8; 16]) -> Self {
        let mut out = [0u8; 24];
        for (d, s) in out.iter_mut().zip(bytes) {
            *d = *s;
        }
        Self {
            bytes: out,
            triple: false,
        }
    }
}

impl AesKey {
    /// An AES-128 key from exactly 16 bytes (infallible).
    #[must_use]
    pub fn aes128(bytes: &[u8; 16]) -> Self {
        Self::from_array(bytes)
    }

    /// An AES-192 key from exactly 24 bytes (infallible).
    #[must_use]
    pub fn aes192(bytes: &[u8; 24]) -> Self {
        Self::from_array(bytes)
    }

    /// An AES-256 key from exactly 32 bytes (infallible).
    #[must_use]
    pub fn aes256(bytes: &[u8; 32]) -> Self {
        Self::from_array(bytes)
    }

    /// `N` is 16, 24 or 32 (the callers above).
    fn from_array<const N: usize>(bytes: &[u8; N]) -> Self {
        let mut out = [0u8; 32];
        for (d, s) in out.iter_mut().zip(bytes) {
            *d = *s;
        }
        Self {
            bytes: out,
            len: if N == 24 {
                24
            } else if N == 32 {
                32
            } else {
                16
            },
        }
    }
}

/// Sets the low bit of each byte so that every byte has an odd number of one bits (the DES
/// parity convention, FIPS 46-3 §3: "the 8th bit of each byte is a parity bit").
///
/// DES ignores these bits, so a key's cryptographic value (and its KCV) does not change; what
/// changes is the byte-exact key, which HSMs and exports compare.
pub fn set_odd_parity(bytes: &mut [u8]) {
    for b in bytes {
        let high = *b & 0xFE;
        // The parity of the seven high bits decides the low bit (branch-free).
        let ones = high.count_ones() as u8;
        *b = high | ((ones & 1) ^ 1);
    }
}

/// True when every byte has odd parity (see [`set_odd_parity`]). Constant time in the bytes.
#[must_use]
pub fn has_odd_parity(bytes: &[u8]) -> bool {
    let mut even = 0u8;
    for b in bytes {
        even |= ((b.count_ones() as u8) & 1) ^ 1;
    }
    even == 0
}

/// An AES key: 16, 24 or 32 bytes.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AesKey {
    bytes: [u8; 32],
    #[zeroize(skip)]
    len: u8,
}

impl AesKey {
    /// An AES key from 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let len = match bytes.len() {
            16 => 16u8,
            24 => 24,
            32 => 32,
            got => {
                return Err(Error::KeyLength {
                    algorithm: "AES",
                    got,
                });
            }
        };
        let mut out = [0u8; 32];
        if let Some(dst) = out.get_mut(..bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        Ok(Self { bytes: out, len })
    }

    /// [`KeyAlgorithm::Aes128`], [`KeyAlgorithm::Aes192`] or [`KeyAlgorithm::Aes256`].
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        match self.len {
            16 => KeyAlgorithm::Aes128,
            24 => KeyAlgorithm::Aes192,
            _ => KeyAlgorithm::Aes256,
        }
    }

    /// Key length in bytes (16, 24 or 32).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false: a key has 16, 24 or 32 bytes.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len()).unwrap_or(&self.bytes)
    }

    /// The key in its fixed 32-byte buffer (bytes past [`len`](Self::len) are zero), so the
    /// cipher layer can build a schedule without a fallible length conversion.
    pub(crate) const fn buffer(&self) -> &[u8; 32] {
        &self.bytes
    }
}

/// Any symmetric key a payment system uses with a block cipher.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
#[non_exhaustive]
pub enum SymmetricKey {
    /// Single DES (legacy).
    Des(DesKey),
    /// 2-key or 3-key TDEA.
    Tdes(TdesKey),
    /// AES-128/192/256.
    Aes(AesKey),
}

impl SymmetricKey {
    /// A key of the given algorithm from its bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] when `bytes` has the wrong length for `algorithm`.
    pub fn new(algorithm: KeyAlgorithm, bytes: &[u8]) -> Result<Self, Error> {
        let wrong = || Error::KeyLength {
            algorithm: algorithm.name(),
            got: bytes.len(),
        };
        if bytes.len() != algorithm.key_len() {
            return Err(wrong());
        }
        Ok(match algorithm {
            KeyAlgorithm::Des => Self::Des(DesKey::from_bytes(bytes)?),
            KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3 => Self::Tdes(TdesKey::from_bytes(bytes)?),
            KeyAlgorithm::Aes128 | KeyAlgorithm::Aes192 | KeyAlgorithm::Aes256 => {
                Self::Aes(AesKey::from_bytes(bytes)?)
            }
        })
    }

    /// The key's algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        match self {
            Self::Des(_) => KeyAlgorithm::Des,
            Self::Tdes(k) => k.algorithm(),
            Self::Aes(k) => k.algorithm(),
        }
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        match self {
            Self::Des(k) => k.expose_bytes(),
            Self::Tdes(k) => k.expose_bytes(),
            Self::Aes(k) => k.expose_bytes(),
        }
    }

    /// Key length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.algorithm().key_len()
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }
}

impl From<DesKey> for SymmetricKey {
    fn from(k: DesKey) -> Self {
        Self::Des(k)
    }
}
impl From<TdesKey> for SymmetricKey {
    fn from(k: TdesKey) -> Self {
        Self::Tdes(k)
    }
}
impl From<AesKey> for SymmetricKey {
    fn from(k: AesKey) -> Self {
        Self::Aes(k)
    }
}

macro_rules! redacted_and_ct {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($name, "({:?})"), self.algorithm())
            }
        }
        impl ConstantTimeEq for $t {
            fn ct_eq(&self, other: &Self) -> Choice {
                let a = self.expose_bytes();
                let b = other.expose_bytes();
                // Lengths are public (they follow from the algorithm).
                a.ct_eq(b)
            }
        }
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.ct_eq(other).into()
            }
        }
        impl Eq for $t {}
    )*};
}

impl DesKey {
    /// Always [`KeyAlgorithm::Des`].
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        KeyAlgorithm::Des
    }
}

redacted_and_ct!(DesKey => "DesKey", TdesKey => "TdesKey", AesKey => "AesKey", SymmetricKey => "SymmetricKey");

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn lengths_are_checked() {
        assert!(TdesKey::from_bytes(&[0; 16]).is_ok());
        assert!(TdesKey::from_bytes(&[0; 24]).is_ok());
        assert_eq!(
            TdesKey::from_bytes(&[0; 8]).err(),
            Some(Error::KeyLength {
                algorithm: "TDES",
                got: 8
            })
        );
        assert!(AesKey::from_bytes(&[0; 15]).is_err());
        assert!(DesKey::from_bytes(&[0; 16]).is_err());
        assert!(SymmetricKey::new(KeyAlgorithm::Aes192, &[0; 16]).is_err());
        assert_eq!(
            SymmetricKey::new(KeyAlgorithm::Aes192, &[0; 24])
                .unwrap()
                .algorithm(),
            KeyAlgorithm::Aes192
        );
    }

    #[test]
    fn debug_is_redacted() {
        let k = TdesKey::from_bytes(&[0xAB; 16]).unwrap();
        let s = format!("{k:?}");
        assert_eq!(s, "TdesKey(Tdes2)");
        let s = format!(
            "{:?}",
            SymmetricKey::from(AesKey::from_bytes(&[0xCD; 32]).unwrap())
        );
        assert!(!s.contains("CD") && !s.contains("205"));
    }

    #[test]
    fn expansion_and_degenerate() {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&[1; 8]);
        b[8..].copy_from_slice(&[2; 8]);
        let k = TdesKey::from_bytes(&b).unwrap();
        assert_eq!(&k.expose_expanded()[16..], &[1; 8]);
        assert!(!k.is_single_des_equivalent());
        assert!(
            TdesKey::from_bytes(&[7; 16])
                .unwrap()
                .is_single_des_equivalent()
        );
        assert_eq!(k, k.clone());
        assert_ne!(k, TdesKey::from_bytes(&[7; 16]).unwrap());
    }
}
