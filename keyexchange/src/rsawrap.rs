//! RSA-OAEP key cryptograms as AWS Payment Cryptography's `ImportKeyCryptogram` /
//! `ExportKeyCryptogram` use them (`WrappingSpec = RSA_OAEP_SHA_256 | RSA_OAEP_SHA_512`).
//!
//! The cryptogram is RSAES-OAEP (RFC 8017 §7.1) of the **bare key bytes** — no header, check
//! value or length — with the scheme's hash for both the label hash and MGF1, and an empty
//! label; its length is the modulus length k. The attributes travel beside it, unauthenticated
//! by the cryptogram (PCI's signed variant is TR-34, `paycrypt-tr34`).
//!
//! Strength rule (PCI, [`crate::policy`]): RSA-2048 (112 bits) carries TDES keys; AES-128 needs
//! RSA-3072; AES-192/256 are refused for every modulus up to 7680 bits. It is checked before
//! any decryption. Decryption failures (OAEP decoding, wrong key length) are one opaque
//! [`Error::CryptogramDoesNotDecrypt`] (RFC 8017 §7.1.2 note; "Marvin").

use crate::Error;
use crate::pki::MIN_RSA_BITS;
#[cfg(feature = "std")]
use crate::pki::RsaPrivateKey;
use crate::policy::{KeyType, Strength, require_at_least};
use alloc::vec::Vec;
use core::fmt;
use paycrypt_primitives::rng::{ReplayRng, TryCryptoRng};
use rsa::RsaPublicKey;
use rsa::traits::{PaddingScheme, PublicKeyParts};
use zeroize::Zeroizing;

/// The OAEP hash (AWS `WrappingSpec`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OaepScheme {
    /// `RSA_OAEP_SHA_256`: SHA-256 and MGF1-SHA-256.
    Sha256,
    /// `RSA_OAEP_SHA_512`: SHA-512 and MGF1-SHA-512.
    Sha512,
}

impl OaepScheme {
    /// `oaep-sha256` / `oaep-sha512`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "oaep-sha256",
            Self::Sha512 => "oaep-sha512",
        }
    }

    /// hLen: the seed length (32 or 64).
    #[must_use]
    pub const fn hash_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

impl fmt::Display for OaepScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The modulus length of `key` in bits.
#[must_use]
pub fn modulus_bits(key: &RsaPublicKey) -> usize {
    key.n().bits() as usize
}

/// The policy and size checks both directions share.
fn check(modulus_bits: usize, key_type: KeyType) -> Result<(), Error> {
    if modulus_bits < MIN_RSA_BITS {
        return Err(Error::RsaKeyTooSmall);
    }
    require_at_least(&Strength::rsa(modulus_bits), &key_type)
}

/// Encrypts `key` (of `key_type`) to `public` (RFC 8017 §7.1.1), the OAEP seed from `rng`.
///
/// # Errors
/// [`Error::RsaKeyTooSmall`], [`Error::WeakerWrappingKey`], [`Error::Length`] (key length
/// not `key_type`'s), [`Error::Primitives`] when the random source fails, [`Error::Asymmetric`].
pub fn wrap<R: TryCryptoRng + ?Sized>(
    public: &RsaPublicKey,
    scheme: OaepScheme,
    key_type: KeyType,
    key: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    check(public.n().bits() as usize, key_type)?;
    key_type.check_len("key", key)?;
    let map = |e| match e {
        rsa::Error::Rng => Error::Primitives(paycrypt_primitives::Error::Rng),
        _ => Error::Asymmetric,
    };
    match scheme {
        OaepScheme::Sha256 => rsa::Oaep::<sha2::Sha256>::new().encrypt(rng, public, key),
        OaepScheme::Sha512 => rsa::Oaep::<sha2::Sha512>::new().encrypt(rng, public, key),
    }
    .map_err(map)
}

/// [`wrap`] with a fixed OAEP seed (hLen bytes) for reproducible output — tests and interop
/// debugging only: a reused seed is not OAEP.
///
/// # Errors
/// [`Error::Length`] for a seed that is not hLen bytes; as [`wrap`].
pub fn wrap_with_seed(
    public: &RsaPublicKey,
    scheme: OaepScheme,
    key_type: KeyType,
    key: &[u8],
    seed: &[u8],
) -> Result<Vec<u8>, Error> {
    if seed.len() != scheme.hash_len() {
        return Err(Error::length("OAEP seed", seed.len()));
    }
    wrap(public, scheme, key_type, key, &mut ReplayRng::new(seed))
}

/// An RSA private key that can decrypt OAEP key cryptograms: software here, an HSM behind the
/// same trait in production.
pub trait OaepDecrypt {
    /// The modulus length in bits.
    fn modulus_bits(&self) -> usize;

    /// RSAES-OAEP decryption (RFC 8017 §7.1.2) with `scheme`'s hash and MGF1, empty label,
    /// blinded. Must not reveal why a decryption failed.
    ///
    /// # Errors
    /// [`Error::CryptogramDoesNotDecrypt`] for any failure.
    fn decrypt_oaep(
        &self,
        scheme: OaepScheme,
        cryptogram: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Error>;
}

#[cfg(feature = "std")]
impl OaepDecrypt for RsaPrivateKey {
    fn modulus_bits(&self) -> usize {
        self.as_rsa().n().bits() as usize
    }

    fn decrypt_oaep(
        &self,
        scheme: OaepScheme,
        cryptogram: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut rng = paycrypt_primitives::rng::OsRng;
        match scheme {
            OaepScheme::Sha256 => {
                rsa::Oaep::<sha2::Sha256>::new().decrypt(Some(&mut rng), self.as_rsa(), cryptogram)
            }
            OaepScheme::Sha512 => {
                rsa::Oaep::<sha2::Sha512>::new().decrypt(Some(&mut rng), self.as_rsa(), cryptogram)
            }
        }
        .map(Zeroizing::new)
        .map_err(|_| Error::CryptogramDoesNotDecrypt)
    }
}

/// Decrypts a key cryptogram (AWS `WrappedKeyCryptogram`): policy and the cryptogram length
/// first (usage errors), then OAEP; a decrypted key whose length is not `key_type`'s gives the
/// same opaque error as an OAEP failure.
///
/// # Errors
/// [`Error::RsaKeyTooSmall`], [`Error::WeakerWrappingKey`], [`Error::CryptogramLength`],
/// [`Error::CryptogramDoesNotDecrypt`].
pub fn unwrap(
    private: &(impl OaepDecrypt + ?Sized),
    scheme: OaepScheme,
    key_type: KeyType,
    cryptogram: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let bits = private.modulus_bits();
    check(bits, key_type)?;
    let k = bits.div_ceil(8);
    if cryptogram.len() != k {
        return Err(Error::CryptogramLength {
            expected: k,
            got: cryptogram.len(),
        });
    }
    let key = private.decrypt_oaep(scheme, cryptogram)?;
    if key.len() == key_type.len() {
        Ok(key)
    } else {
        Err(Error::CryptogramDoesNotDecrypt)
    }
}
