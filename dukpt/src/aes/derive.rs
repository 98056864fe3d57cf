//! `DeriveKey` and the host's key chain (X9.24-3:2017 §6.3.1, §6.3.3, §6.4).

use aes::{Aes128Enc, Aes192Enc, Aes256Enc};
use cipher::{Array, BlockCipherEncrypt, KeyInit};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::counter_bits;
use paycrypt_primitives::key::{AesKey, KeyAlgorithm};

use super::types::{DerivationData, KeyType};

/// Raw key bytes (up to 32) with their length; zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct KeyBuf {
    pub(crate) bytes: [u8; 32],
    #[zeroize(skip)]
    pub(crate) len: u8,
}

impl KeyBuf {
    pub(crate) const fn empty() -> Self {
        Self {
            bytes: [0; 32],
            len: 0,
        }
    }

    /// The bytes of an AES key (16, 24 or 32 by construction of [`AesKey`]).
    pub(crate) fn from_aes(key: &AesKey) -> Self {
        let mut out = Self::empty();
        for (d, s) in out.bytes.iter_mut().zip(key.expose_bytes()) {
            *d = *s;
        }
        out.len = aes_len(key);
        out
    }

    /// The key as an [`AesKey`]: AES-192 for 24 bytes, AES-256 for 32, else AES-128 (every
    /// `KeyBuf` this crate derives as a key holds 16, 24 or 32 bytes: X9.24-3:2017 §6.3.2
    /// Table 4 lengths of the BDK's type).
    pub(crate) fn to_aes(&self) -> AesKey {
        match self.len {
            24 => AesKey::aes192(&prefix::<24>(&self.bytes)),
            32 => AesKey::aes256(&self.bytes),
            _ => AesKey::aes128(&prefix::<16>(&self.bytes)),
        }
    }
}

/// An [`AesKey`]'s length as the `u8` of a [`KeyBuf`]: 16, 24 or 32 (the only lengths an
/// `AesKey` has; FIPS 197 §5).
const fn aes_len(key: &AesKey) -> u8 {
    match key.algorithm() {
        KeyAlgorithm::Aes192 => 24,
        KeyAlgorithm::Aes256 => 32,
        _ => 16,
    }
}

/// The first `N` bytes of `b` (zero-padded), for fixed-size cipher keys.
fn prefix<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    for (d, s) in a.iter_mut().zip(b) {
        *d = *s;
    }
    a
}

/// An expanded AES encryption key schedule of 128, 192 or 256 bits (encryption only: DUKPT
/// never decrypts). The RustCrypto types zeroize their round keys on drop.
#[derive(Clone)]
pub(crate) enum Schedule {
    A128(Aes128Enc),
    A192(Aes192Enc),
    A256(Aes256Enc),
}

impl Schedule {
    /// Expands an [`AesKey`] (infallible: its length is one of AES's three).
    pub(crate) fn from_key(key: &AesKey) -> Self {
        let b = key.expose_bytes();
        match key.algorithm() {
            KeyAlgorithm::Aes192 => {
                let mut k = prefix::<24>(b);
                let s = Self::A192(Aes192Enc::new(&Array::from(k)));
                k.zeroize();
                s
            }
            KeyAlgorithm::Aes256 => {
                let mut k = prefix::<32>(b);
                let s = Self::A256(Aes256Enc::new(&Array::from(k)));
                k.zeroize();
                s
            }
            _ => {
                let mut k = prefix::<16>(b);
                let s = Self::A128(Aes128Enc::new(&Array::from(k)));
                k.zeroize();
                s
            }
        }
    }

    /// The AES key type of this schedule.
    pub(crate) const fn key_type(&self) -> KeyType {
        match self {
            Self::A128(_) => KeyType::Aes128,
            Self::A192(_) => KeyType::Aes192,
            Self::A256(_) => KeyType::Aes256,
        }
    }

    /// AES-ECB encryption of one block.
    pub(crate) fn encrypt(&self, block: [u8; 16]) -> [u8; 16] {
        let mut b = Array::from(block);
        match self {
            Self::A128(c) => c.encrypt_block(&mut b),
            Self::A192(c) => c.encrypt_block(&mut b),
            Self::A256(c) => c.encrypt_block(&mut b),
        }
        b.into()
    }

    /// `DeriveKey(K, DD)` of X9.24-3:2017 §6.3.1 with `K` = this schedule:
    ///
    /// ```text
    /// for i in 1 ..= ceil(L / 16):  DD[1] = i;  result ‖= AES-ECB-E(K, DD)
    /// return leftmost L bytes        (L = DD bytes 6–7 / 8: 16, 24 or 32)
    /// ```
    ///
    /// 3TDEA and AES-192 outputs take 8 bytes of the second block (key block counter `0x02`),
    /// encrypted under the same schedule.
    pub(crate) fn derive(&self, dd: &DerivationData) -> KeyBuf {
        let len = dd.output_len();
        let mut block = dd.to_bytes();
        let mut out = KeyBuf::empty();
        let first = self.encrypt(block);
        let (lo, hi) = out.bytes.split_at_mut(16);
        lo.copy_from_slice(&first);
        if len > 16 {
            if let Some(counter) = block.get_mut(1) {
                *counter = 0x02;
            }
            let second = self.encrypt(block);
            hi.copy_from_slice(&second);
            if let Some(rest) = out.bytes.get_mut(len..) {
                rest.zeroize();
            }
        }
        block.zeroize();
        // `len` is 16, 24 or 32 by construction of `DerivationData`.
        out.len = if len > 16 { len as u8 } else { 16 };
        out
    }
}

/// `DeriveKey(K, DD)` with a raw AES key `K` (X9.24-3:2017 §6.3.1).
pub(crate) fn derive_key(key: &KeyBuf, dd: &DerivationData) -> KeyBuf {
    Schedule::from_key(&key.to_aes()).derive(dd)
}

/// Walks the host's key chain from the initial key (X9.24-3:2017 §6.4):
///
/// ```text
/// K = IK; w = 0
/// for mask = 0x80000000 down to 1:
///     if TC & mask: w |= mask; K = DeriveKey(K, DD(0x8000, BDK type, derivation ID ‖ w))
/// ```
///
/// Starts at the key `k` for the counter prefix `from` (0 for the initial key) and returns
/// the intermediate derivation key for `counter`, whose high bits must equal `from`.
pub(crate) fn walk_chain(mut k: KeyBuf, derivation_id: [u8; 4], from: u32, counter: u32) -> KeyBuf {
    let key_type = aes_type(&k.to_aes());
    let mut w = from;
    let mut remaining = counter & !from;
    while remaining != 0 {
        w |= counter_bits::take_highest(&mut remaining);
        let dd = DerivationData::intermediate(key_type, derivation_id, w);
        k = derive_key(&k, &dd);
    }
    k
}

/// The AES [`KeyType`] of an [`AesKey`] (X9.24-3:2017 §6.3.2 Table 3).
pub(crate) const fn aes_type(key: &AesKey) -> KeyType {
    match key.algorithm() {
        KeyAlgorithm::Aes192 => KeyType::Aes192,
        KeyAlgorithm::Aes256 => KeyType::Aes256,
        _ => KeyType::Aes128,
    }
}
