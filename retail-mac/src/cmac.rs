//! CMAC: ISO/IEC 9797-1:2011 MAC algorithm 5 = NIST SP 800-38B (TR-31 `M6`).
//!
//! ```text
//! L  = E_K(0ⁿ)
//! K1 = L ≪ 1 ⊕ (msb(L) ? R : 0)        R = 0x87 (n = 128, AES), 0x1B (n = 64, TDEA)
//! K2 = K1 ≪ 1 ⊕ (msb(K1) ? R : 0)
//! last block complete  → M_q ⊕ K1
//! otherwise            → (M_q ‖ 10…0) ⊕ K2     (the empty message is one padded block)
//! T = CBC-MAC_K(M_1 … M_q')                    (SP 800-38B §6.2; ISO/IEC 9797-1:2011 §7.6)
//! ```
//!
//! AES-128/192/256 and TDEA with 2-key (Ka, Kb, Ka) or 3-key keys. Single DES is not an
//! approved CMAC cipher and is refused. The computation is RustCrypto's `cmac` crate; this
//! module only dispatches on the typed key. Works without `alloc`.

use crate::{Error, Tag};
use ::cmac::Mac;
use ::cmac::digest::KeyInit;
use core::fmt;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};

const CMAC: &str = "CMAC (ISO/IEC 9797-1 algorithm 5)";

#[derive(Clone)]
enum Inner {
    Aes128(cmac::Cmac<aes::Aes128>),
    Aes192(cmac::Cmac<aes::Aes192>),
    Aes256(cmac::Cmac<aes::Aes256>),
    Tdes2(cmac::Cmac<des::TdesEde2>),
    Tdes3(cmac::Cmac<des::TdesEde3>),
}

/// Streaming CMAC (NIST SP 800-38B §6.2, ISO/IEC 9797-1:2011 §7.6 MAC algorithm 5) over a typed
/// key. The subkeys and chaining state are zeroized on drop.
#[derive(Clone)]
pub struct Cmac {
    inner: Inner,
}

impl fmt::Debug for Cmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cmac { ... }")
    }
}

fn init<M: KeyInit>(key: &SymmetricKey) -> Result<M, Error> {
    M::new_from_slice(key.expose_bytes()).map_err(|_| {
        Error::Primitives(paycrypt_primitives::Error::KeyLength {
            algorithm: key.algorithm().name(),
            got: key.len(),
        })
    })
}

impl Cmac {
    /// Starts a CMAC computation (SP 800-38B §6.1 subkey generation happens here).
    ///
    /// # Errors
    /// [`Error::UnsupportedKey`] for a single-DES key.
    pub fn new(key: &SymmetricKey) -> Result<Self, Error> {
        let inner = match key.algorithm() {
            KeyAlgorithm::Aes128 => Inner::Aes128(init(key)?),
            KeyAlgorithm::Aes192 => Inner::Aes192(init(key)?),
            KeyAlgorithm::Aes256 => Inner::Aes256(init(key)?),
            KeyAlgorithm::Tdes2 => Inner::Tdes2(init(key)?),
            KeyAlgorithm::Tdes3 => Inner::Tdes3(init(key)?),
            other => {
                return Err(Error::UnsupportedKey {
                    key: other.name(),
                    method: CMAC,
                });
            }
        };
        Ok(Self { inner })
    }

    /// The full tag length: the cipher block size (16 for AES, 8 for TDEA).
    #[must_use]
    pub const fn output_len(&self) -> usize {
        match self.inner {
            Inner::Aes128(_) | Inner::Aes192(_) | Inner::Aes256(_) => 16,
            Inner::Tdes2(_) | Inner::Tdes3(_) => 8,
        }
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Aes128(m) => m.update(data),
            Inner::Aes192(m) => m.update(data),
            Inner::Aes256(m) => m.update(data),
            Inner::Tdes2(m) => m.update(data),
            Inner::Tdes3(m) => m.update(data),
        }
    }

    /// Returns the full tag `T` (SP 800-38B §6.2 step 6 with `Tlen` = block size). Truncate
    /// with [`Tag::truncate`] (the leftmost bytes, SP 800-38B `MSB_Tlen`).
    #[must_use]
    pub fn finalize(self) -> Tag {
        match self.inner {
            Inner::Aes128(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Aes192(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Aes256(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Tdes2(m) => Tag::from_output(&m.finalize().into_bytes()),
            Inner::Tdes3(m) => Tag::from_output(&m.finalize().into_bytes()),
        }
    }
}

/// One-shot CMAC (NIST SP 800-38B §6.2; ISO/IEC 9797-1:2011 MAC algorithm 5): the full tag
/// (16 bytes AES, 8 bytes TDEA).
///
/// # Errors
/// [`Error::UnsupportedKey`] for a single-DES key.
pub fn cmac(key: &SymmetricKey, data: &[u8]) -> Result<Tag, Error> {
    let mut m = Cmac::new(key)?;
    m.update(data);
    Ok(m.finalize())
}
