//! One entry point for every MAC in the crate: [`MacAlgorithm`] + [`MacParams`] name the
//! computation, [`MacKey`] carries the key, [`Mac`] streams and [`generate`] / [`verify_mac`]
//! run it in one shot. Handy for command lines, configuration-driven hosts and fuzzing.

use crate::cmac::Cmac;
use crate::hmac::{HashFunction, Hmac, HmacKey};
use crate::iso9797::{Algorithm1, Algorithm3};
use crate::{Error, Padding, Tag};
use core::fmt;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};

/// The MAC algorithm and its parameters that are not the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MacAlgorithm {
    /// ISO/IEC 9797-1:2011 §7.2 MAC algorithm 1 (CBC-MAC) with DES, TDEA or AES (TR-31
    /// `M0`/`M1`, ISO 16609 with TDEA).
    Iso9797Algorithm1 {
        /// ISO/IEC 9797-1 §6.1 padding method.
        padding: Padding,
    },
    /// ISO/IEC 9797-1:2011 §7.4 MAC algorithm 3 (retail MAC) with a 16-byte `K ‖ K'` key
    /// (TR-31 `M3`; ANSI X9.19 with padding method 1).
    Iso9797Algorithm3 {
        /// ISO/IEC 9797-1 §6.1 padding method.
        padding: Padding,
    },
    /// The **non-ISO** 24-byte "algorithm 3": chain under K1, output `E_K3(D_K2(H_q))`
    /// (not in ISO/IEC 9797-1:2011 §7.4; see [`Algorithm3::new_three_key_nonstandard`]).
    Iso9797Algorithm3ThreeKeyNonStandard {
        /// ISO/IEC 9797-1 §6.1 padding method.
        padding: Padding,
    },
    /// CMAC: ISO/IEC 9797-1:2011 §7.6 MAC algorithm 5 = NIST SP 800-38B (AES, TDEA).
    Cmac,
    /// HMAC (RFC 2104, ISO/IEC 9797-2:2011 MAC algorithm 2) with the given hash.
    Hmac(HashFunction),
}

impl MacAlgorithm {
    /// A short name for messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Iso9797Algorithm1 { .. } => "ISO/IEC 9797-1 MAC algorithm 1",
            Self::Iso9797Algorithm3 { .. } => "ISO/IEC 9797-1 MAC algorithm 3",
            Self::Iso9797Algorithm3ThreeKeyNonStandard { .. } => {
                "3-key MAC algorithm 3 (non-standard)"
            }
            Self::Cmac => "CMAC (ISO/IEC 9797-1 algorithm 5)",
            Self::Hmac(_) => "HMAC",
        }
    }
}

/// Everything but the key and the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacParams<'a> {
    /// The algorithm.
    pub algorithm: MacAlgorithm,
    /// Starting value `H_0` for ISO/IEC 9797-1 algorithms 1 and 3 (one cipher block; `None` =
    /// zeros). Must be `None` for CMAC and HMAC.
    pub iv: Option<&'a [u8]>,
    /// Truncate to the leftmost `n` bytes (4 up to the full output); `None` keeps the full
    /// output.
    pub mac_len: Option<usize>,
}

impl<'a> MacParams<'a> {
    /// Parameters with no IV and the full-length output.
    #[must_use]
    pub const fn new(algorithm: MacAlgorithm) -> Self {
        Self {
            algorithm,
            iv: None,
            mac_len: None,
        }
    }

    /// The same parameters with a starting value (IV).
    #[must_use]
    pub const fn with_iv(mut self, iv: &'a [u8]) -> Self {
        self.iv = Some(iv);
        self
    }

    /// The same parameters truncating to `n` bytes.
    #[must_use]
    pub const fn with_mac_len(mut self, n: usize) -> Self {
        self.mac_len = Some(n);
        self
    }
}

/// A key for any of the MAC algorithms.
#[derive(Clone, Copy, Debug)]
pub enum MacKey<'a> {
    /// A block-cipher key (ISO/IEC 9797-1 algorithms 1 and 3, CMAC).
    Symmetric(&'a SymmetricKey),
    /// An HMAC key.
    Hmac(&'a HmacKey),
}

impl<'a> From<&'a SymmetricKey> for MacKey<'a> {
    fn from(k: &'a SymmetricKey) -> Self {
        Self::Symmetric(k)
    }
}

impl<'a> From<&'a HmacKey> for MacKey<'a> {
    fn from(k: &'a HmacKey) -> Self {
        Self::Hmac(k)
    }
}

impl MacKey<'_> {
    fn name(self) -> &'static str {
        match self {
            Self::Symmetric(k) => k.algorithm().name(),
            Self::Hmac(_) => "HMAC",
        }
    }
}

// No `alloc`: the state lives inline, so variants differ in size by design.
#[allow(clippy::large_enum_variant)]
enum Inner {
    Alg1(Algorithm1),
    Alg3(Algorithm3),
    Cmac(Cmac),
    Hmac(Hmac),
}

/// A streaming MAC computation of any [`MacAlgorithm`].
pub struct Mac {
    inner: Inner,
    mac_len: Option<usize>,
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mac { ... }")
    }
}

impl Mac {
    /// Starts a computation. `data_len` is the total length when known; it is required for
    /// padding method 3 (ISO/IEC 9797-1 §6.1.3) and, when given, checked by
    /// [`Mac::finalize`] for algorithms 1 and 3.
    ///
    /// # Errors
    /// [`Error::UnsupportedKey`] when the key does not fit the algorithm (e.g. an HMAC key for
    /// CMAC, DES for CMAC, a 3-key TDES or AES key for algorithm 3); [`Error::IvNotAllowed`];
    /// IV length, [`Error::PaddingNeedsLength`], [`Error::DataTooLong`] from the algorithm;
    /// [`Error::MacLength`] when `mac_len` is outside 4 to the algorithm's output length.
    pub fn new(
        key: MacKey<'_>,
        params: &MacParams<'_>,
        data_len: Option<u64>,
    ) -> Result<Self, Error> {
        let unsupported = || Error::UnsupportedKey {
            key: key.name(),
            method: params.algorithm.name(),
        };
        let no_iv = || {
            if params.iv.is_some() {
                Err(Error::IvNotAllowed)
            } else {
                Ok(())
            }
        };
        let (inner, full) = match (params.algorithm, key) {
            (MacAlgorithm::Iso9797Algorithm1 { padding }, MacKey::Symmetric(k)) => {
                let m = match data_len {
                    Some(n) => Algorithm1::with_data_len(k, padding, params.iv, n)?,
                    None => Algorithm1::new(k, padding, params.iv)?,
                };
                (Inner::Alg1(m), k.algorithm().block_size())
            }
            (MacAlgorithm::Iso9797Algorithm3 { padding }, MacKey::Symmetric(k)) => {
                let SymmetricKey::Tdes(t) = k else {
                    return Err(unsupported());
                };
                let m = match data_len {
                    Some(n) => Algorithm3::with_data_len(t, padding, params.iv, n)?,
                    None => Algorithm3::new(t, padding, params.iv)?,
                };
                (Inner::Alg3(m), 8)
            }
            (
                MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { padding },
                MacKey::Symmetric(k),
            ) => {
                let SymmetricKey::Tdes(t) = k else {
                    return Err(unsupported());
                };
                let m = Algorithm3::new_three_key_nonstandard(t, padding, params.iv, data_len)?;
                (Inner::Alg3(m), 8)
            }
            (MacAlgorithm::Cmac, MacKey::Symmetric(k)) => {
                no_iv()?;
                let m = Cmac::new(k)?;
                let full = m.output_len();
                (Inner::Cmac(m), full)
            }
            (MacAlgorithm::Hmac(hash), MacKey::Hmac(k)) => {
                no_iv()?;
                (Inner::Hmac(Hmac::new(k, hash)), hash.output_len())
            }
            _ => return Err(unsupported()),
        };
        if let Some(n) = params.mac_len
            && !(Tag::MIN_LEN..=full).contains(&n)
        {
            return Err(Error::MacLength {
                min: Tag::MIN_LEN,
                max: full,
                got: n,
            });
        }
        Ok(Self {
            inner,
            mac_len: params.mac_len,
        })
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Alg1(m) => m.update(data),
            Inner::Alg3(m) => m.update(data),
            Inner::Cmac(m) => m.update(data),
            Inner::Hmac(m) => m.update(data),
        }
    }

    /// The MAC, truncated to `mac_len` when one was given.
    ///
    /// # Errors
    /// [`Error::DataLength`] when a declared length was not met.
    pub fn finalize(self) -> Result<Tag, Error> {
        let full = match self.inner {
            Inner::Alg1(m) => m.finalize()?,
            Inner::Alg3(m) => m.finalize()?,
            Inner::Cmac(m) => m.finalize(),
            Inner::Hmac(m) => m.finalize(),
        };
        full.truncate_opt(self.mac_len)
    }
}

/// Computes a MAC in one shot.
///
/// # Errors
/// As [`Mac::new`].
pub fn generate(key: MacKey<'_>, params: &MacParams<'_>, data: &[u8]) -> Result<Tag, Error> {
    let mut m = Mac::new(key, params, Some(data.len() as u64))?;
    m.update(data);
    m.finalize()
}

/// Recomputes the MAC of `data` and compares it with `tag` in constant time.
///
/// The tag is compared with the leftmost `tag.len()` bytes of the full MAC; when
/// `params.mac_len` is set, `tag` must have exactly that length.
///
/// # Errors
/// As [`Mac::new`]; [`Error::MacLength`] for a tag shorter than 4 bytes, longer than the output
/// or not `mac_len` long; [`Error::Verification`] when it does not match (nothing else is said).
pub fn verify_mac(
    key: MacKey<'_>,
    params: &MacParams<'_>,
    data: &[u8],
    tag: &[u8],
) -> Result<(), Error> {
    if let Some(n) = params.mac_len
        && tag.len() != n
    {
        return Err(Error::MacLength {
            min: n,
            max: n,
            got: tag.len(),
        });
    }
    let full = MacParams {
        mac_len: None,
        ..*params
    };
    let computed = generate(key, &full, data)?;
    crate::verify(tag, &computed)
}

/// The full (untruncated) output length in bytes of `algorithm` with a `key`-algorithm key
/// (block size for algorithm 1 and CMAC, 8 for algorithm 3, the hash length for HMAC).
#[must_use]
pub const fn full_mac_len(algorithm: MacAlgorithm, key: KeyAlgorithm) -> usize {
    match algorithm {
        MacAlgorithm::Iso9797Algorithm1 { .. } | MacAlgorithm::Cmac => key.block_size(),
        MacAlgorithm::Iso9797Algorithm3 { .. }
        | MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { .. } => 8,
        MacAlgorithm::Hmac(h) => h.output_len(),
    }
}
