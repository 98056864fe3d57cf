//! Key check values (KCVs): short, non-secret fingerprints that confirm a key arrived intact.

use crate::hmac::{HashFunction, HmacKey};
use crate::{Error, cmac};
use core::fmt;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::SymmetricKey;
use subtle::{Choice, ConstantTimeEq};

/// How a key check value (KCV) is computed: a short, non-secret fingerprint that confirms a key
/// arrived intact.
///
/// | method | definition | default length | allowed |
/// |---|---|---|---|
/// | [`KcvMethod::Legacy`] (X9.24-1:2017 Annex A.2; AWS `ANSI_X9_24`) | leftmost bytes of `E_K(0⁸)` (DES/TDES) | 3 | 2–8 |
/// | [`KcvMethod::Legacy`] with an AES key (**non-standard**) | leftmost bytes of `E_K(0¹⁶)` | 3 | 2–16 |
/// | [`KcvMethod::Cmac`] (X9.24-1:2017 Annex A.3; AWS `CMAC`; X9.143 `KP`) | leftmost bytes of `CMAC_K(0ⁿ)`, n = block size (AES or TDES) | 5 | 2–block size |
/// | [`KcvMethod::Hmac`] (AWS `HMAC`) | leftmost bytes of `HMAC_K("")` (the empty message) | 3 | 2–16 |
///
/// The method and the length always travel together: [`kcv`] takes both, and a [`Kcv`]
/// remembers its method. For AES keys the standard KCV is the CMAC one; the `E_K(0¹⁶)` form is
/// what some tools print, offered under `Legacy` only so those values can be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KcvMethod {
    /// X9.24-1:2017 Annex A.2: leftmost bytes of the key enciphering a zero block. Standard for
    /// DES and TDES (`E_K(0⁸)`); for AES keys it is the non-standard `E_K(0¹⁶)` some tools use.
    Legacy,
    /// X9.24-1:2017 Annex A.3 / X9.143: leftmost bytes of the CMAC of one zero block (AES or
    /// TDES keys).
    Cmac,
    /// AWS Payment Cryptography `HMAC`: leftmost bytes of the HMAC of the empty message. Applies
    /// to an [`HmacKey`] only: use [`hmac_kcv`].
    Hmac,
}

impl KcvMethod {
    /// The usual length for the method: 3 (legacy, HMAC) or 5 (CMAC).
    #[must_use]
    pub const fn default_len(self) -> usize {
        match self {
            Self::Legacy | Self::Hmac => 3,
            Self::Cmac => 5,
        }
    }

    /// A short name: `legacy`, `cmac`, `hmac`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Legacy => "legacy",
            Self::Cmac => "cmac",
            Self::Hmac => "hmac",
        }
    }
}

/// Longest KCV this crate produces (a full AES block).
const CAPACITY: usize = 16;
/// Shortest KCV accepted.
const MIN_LEN: usize = 2;

/// A key check value: the method and the leftmost `len` bytes it produced.
///
/// `Display` prints upper-case hex. Not secret, but compare with [`ConstantTimeEq`] or
/// [`check_kcv`] anyway.
#[derive(Clone, Copy)]
pub struct Kcv {
    bytes: [u8; CAPACITY],
    len: usize,
    method: KcvMethod,
}

impl Kcv {
    /// The check value bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// Length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a KCV has at least 2 bytes.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The method that produced it.
    #[must_use]
    pub const fn method(&self) -> KcvMethod {
        self.method
    }

    fn new(method: KcvMethod, block: &[u8], len: usize, max: usize) -> Result<Self, Error> {
        let max = max.min(block.len()).min(CAPACITY);
        if !(MIN_LEN..=max).contains(&len) {
            return Err(Error::KcvLength {
                min: MIN_LEN,
                max,
                got: len,
            });
        }
        let mut bytes = [0u8; CAPACITY];
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), block.get(..len)) {
            dst.copy_from_slice(src);
        }
        Ok(Self { bytes, len, method })
    }
}

impl fmt::Display for Kcv {
    /// Upper-case hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&paycrypt_primitives::hex::Hex(self.as_bytes()), f)
    }
}

impl fmt::Debug for Kcv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Kcv({}, {})",
            self.method.name(),
            paycrypt_primitives::hex::Hex(self.as_bytes())
        )
    }
}

impl ConstantTimeEq for Kcv {
    /// Compares the bytes in constant time (the methods must match too).
    fn ct_eq(&self, other: &Self) -> Choice {
        self.as_bytes().ct_eq(other.as_bytes())
            & Choice::from(u8::from(self.method == other.method))
    }
}

/// Computes a key check value of `len` bytes for a block-cipher key.
///
/// - [`KcvMethod::Legacy`]: X9.24-1:2017 A.2, `E_K(0ⁿ)`; 2–8 bytes for DES/TDES (2–16 for the
///   non-standard AES form).
/// - [`KcvMethod::Cmac`]: X9.24-1:2017 A.3, `CMAC_K(0ⁿ)`; 2 up to the block size; AES or TDES.
///
/// # Errors
/// [`Error::KcvLength`] for a length outside the method's range; [`Error::UnsupportedKey`] for
/// CMAC with a single-DES key and for [`KcvMethod::Hmac`] (use [`hmac_kcv`]).
pub fn kcv(key: &SymmetricKey, method: KcvMethod, len: usize) -> Result<Kcv, Error> {
    match method {
        KcvMethod::Legacy => {
            let cipher = BlockCipher::new(key);
            let mut block = [0u8; CAPACITY];
            let bs = cipher.block_size();
            let b = block.get_mut(..bs).unwrap_or(&mut []);
            cipher.encrypt_block(b)?;
            Kcv::new(method, b, len, bs)
        }
        KcvMethod::Cmac => {
            let zero = [0u8; CAPACITY];
            let bs = key.algorithm().block_size();
            let tag = cmac::cmac(key, zero.get(..bs).unwrap_or(&[]))?;
            Kcv::new(method, tag.as_bytes(), len, bs)
        }
        KcvMethod::Hmac => Err(Error::UnsupportedKey {
            key: key.algorithm().name(),
            method: "the HMAC key check value (needs an HmacKey)",
        }),
    }
}

/// The legacy 3-byte KCV, `E_K(0ⁿ)` leftmost 3 bytes (X9.24-1:2017 A.2), the documented default
/// for DES/TDES keys (for AES keys: the non-standard `E_K(0¹⁶)` form; prefer [`cmac_kcv`]).
#[must_use]
pub fn legacy_kcv(key: &SymmetricKey) -> Kcv {
    let cipher = BlockCipher::new(key);
    let mut block = [0u8; CAPACITY];
    let bs = cipher.block_size();
    let b = block.get_mut(..bs).unwrap_or(&mut []);
    // `b` is exactly one block, so enciphering cannot fail.
    let _ = cipher.encrypt_block(b);
    let mut bytes = [0u8; CAPACITY];
    if let (Some(dst), Some(src)) = (bytes.get_mut(..3), b.get(..3)) {
        dst.copy_from_slice(src);
    }
    Kcv {
        bytes,
        len: 3,
        method: KcvMethod::Legacy,
    }
}

/// The 5-byte CMAC KCV (X9.24-1:2017 A.3; X9.143 `KP` blocks; TR-34 key blocks).
///
/// # Errors
/// [`Error::UnsupportedKey`] for a single-DES key.
pub fn cmac_kcv(key: &SymmetricKey) -> Result<Kcv, Error> {
    kcv(key, KcvMethod::Cmac, KcvMethod::Cmac.default_len())
}

/// The HMAC key check value (AWS Payment Cryptography `HMAC`): leftmost `len` bytes (2–16,
/// usually 3) of `HMAC_K("")` with the key's hash function.
///
/// # Errors
/// [`Error::KcvLength`] for a length outside 2–16.
pub fn hmac_kcv(key: &HmacKey, hash: HashFunction, len: usize) -> Result<Kcv, Error> {
    let tag = crate::hmac::hmac(key, hash, &[]);
    Kcv::new(KcvMethod::Hmac, tag.as_bytes(), len, CAPACITY)
}

/// Recomputes a KCV with the length of `expected` and compares in constant time.
///
/// # Errors
/// As [`kcv`] for the length and key; [`Error::KcvMismatch`] when the values differ.
pub fn check_kcv(key: &SymmetricKey, method: KcvMethod, expected: &[u8]) -> Result<(), Error> {
    let got = kcv(key, method, expected.len())?;
    if bool::from(got.as_bytes().ct_eq(expected)) {
        Ok(())
    } else {
        Err(Error::KcvMismatch)
    }
}
