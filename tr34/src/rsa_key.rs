//! RSA private-key operations behind a trait (RFC 8017 §7.1 RSAES-OAEP, §8.2 RSASSA-PKCS1-v1_5),
//! so an HSM can hold the key.
//!
//! The KDH signs (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2) and the KRD decrypts the
//! ephemeral key (RSAES-OAEP with SHA-256 and MGF1-SHA-256, empty label, RFC 8017 §7.1). Both go
//! through [`RsaPrivateKeyOps`] so an HSM or PKCS #11 backend can hold the key.
//! [`SoftwareRsaKey`] is the reference implementation on the pure-Rust `rsa` crate: it is meant
//! for tests and reference use, **not** as an HSM replacement (see the crate README on
//! RUSTSEC-2023-0071).

use crate::Error;
use alloc::vec::Vec;
use rsa::RsaPublicKey;
use zeroize::Zeroizing;

/// An RSA private key usable by TR-34: signing for a KDH, OAEP decryption for a KRD.
pub trait RsaPrivateKeyOps {
    /// The matching public key (used to size and cross-check operations).
    fn public_key(&self) -> RsaPublicKey;

    /// RSASSA-PKCS1-v1_5 signature with SHA-256 over a precomputed SHA-256 `digest`
    /// (RFC 8017 §8.2.1, DigestInfo per §9.2).
    ///
    /// # Errors
    /// [`Error::Rsa`] when the backend fails.
    fn sign_pkcs1v15_sha256(&self, digest: &[u8; 32]) -> Result<Vec<u8>, Error>;

    /// RSAES-OAEP decryption with SHA-256, MGF1-SHA-256 and an empty label (RFC 8017 §7.1.2),
    /// with blinding. Implementations must not reveal why decryption failed.
    ///
    /// # Errors
    /// [`Error::Rejected`] for any failure.
    fn decrypt_oaep_sha256(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error>;
}

/// A software RSA private key (`rsa` crate), with blinded decryption and signing from the OS
/// random source.
///
/// For tests and reference use: the `rsa` crate is subject to RUSTSEC-2023-0071 ("Marvin");
/// this type always blinds, and the KRD side treats every decryption result as unauthenticated
/// until the signature, digest and key-block checks pass, returning one opaque error. Production
/// KRDs should implement [`RsaPrivateKeyOps`] on an HSM.
#[cfg(feature = "std")]
#[derive(Clone)]
pub struct SoftwareRsaKey {
    key: rsa::RsaPrivateKey,
}

#[cfg(feature = "std")]
impl core::fmt::Debug for SoftwareRsaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use rsa::traits::PublicKeyParts;
        f.debug_struct("SoftwareRsaKey")
            .field("bits", &self.key.n().bits())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "std")]
impl SoftwareRsaKey {
    /// Wraps an `rsa` private key (at least 2048 bits).
    ///
    /// # Errors
    /// [`Error::RsaKey`] for smaller keys.
    pub fn new(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        use rsa::traits::PublicKeyParts;
        if key.n().bits() < crate::cert::MIN_RSA_BITS as u32 {
            return Err(Error::RsaKey);
        }
        Ok(Self { key })
    }

    /// Parses a PKCS #8 `PrivateKeyInfo` in DER.
    ///
    /// # Errors
    /// [`Error::RsaKey`] when it is not an RSA key of at least 2048 bits.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        use rsa::pkcs8::DecodePrivateKey;
        Self::new(rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|_| Error::RsaKey)?)
    }

    /// Parses a private key in PEM — PKCS #8 (`PRIVATE KEY`) or PKCS #1 (`RSA PRIVATE KEY`) —,
    /// base64 of such PEM, or DER (detected by the first byte: PKCS #8, else PKCS #1 as
    /// `openssl rsa -traditional -outform DER` writes it), through the shared loader
    /// `paycrypt_kex::pki`. Decoded key bytes are zeroized.
    ///
    /// # Errors
    /// [`Error::Pem`] for a bad PEM document or another label, [`Error::RsaKey`] for a bad key.
    pub fn from_pkcs8_pem_or_der(input: &[u8]) -> Result<Self, Error> {
        use paycrypt_kex::pki::{SecretLabel, decode_secret, rsa_private_key_from_der};
        let (label, der) = decode_secret(input).map_err(|_| Error::Pem)?;
        if label == SecretLabel::Sec1 {
            return Err(Error::Pem);
        }
        let key = rsa_private_key_from_der(label, &der).map_err(|_| Error::RsaKey)?;
        Self::new(key.into_rsa())
    }

    /// Parses a PKCS #1 `RSAPrivateKey` in DER (the `RSA PRIVATE KEY` PEM label, also accepted
    /// by [`SoftwareRsaKey::from_pkcs8_pem_or_der`]).
    ///
    /// # Errors
    /// [`Error::RsaKey`] when it is not an RSA key of at least 2048 bits.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        Self::new(rsa::RsaPrivateKey::from_pkcs1_der(der).map_err(|_| Error::RsaKey)?)
    }
}

#[cfg(feature = "std")]
impl RsaPrivateKeyOps for SoftwareRsaKey {
    fn public_key(&self) -> RsaPublicKey {
        self.key.to_public_key()
    }

    fn sign_pkcs1v15_sha256(&self, digest: &[u8; 32]) -> Result<Vec<u8>, Error> {
        use rsa::traits::SignatureScheme;
        let mut rng = paycrypt_primitives::rng::OsRng;
        rsa::pkcs1v15::Pkcs1v15Sign::new::<sha2::Sha256>()
            .sign(Some(&mut rng), &self.key, digest)
            .map_err(|_| Error::Rsa)
    }

    fn decrypt_oaep_sha256(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        use rsa::traits::PaddingScheme;
        let mut rng = paycrypt_primitives::rng::OsRng;
        rsa::Oaep::<sha2::Sha256>::new()
            .decrypt(Some(&mut rng), &self.key, ciphertext)
            .map(Zeroizing::new)
            .map_err(|_| Error::Rejected)
    }
}

/// RSAES-OAEP encryption (SHA-256, MGF1-SHA-256, empty label; RFC 8017 §7.1.1) to `key`, the
/// OAEP seed drawn from `rng` (32 bytes).
pub(crate) fn encrypt_oaep_sha256<R: rand_core::TryCryptoRng + ?Sized>(
    key: &RsaPublicKey,
    rng: &mut R,
    msg: &[u8],
) -> Result<Vec<u8>, Error> {
    use rsa::traits::PaddingScheme;
    rsa::Oaep::<sha2::Sha256>::new()
        .encrypt(rng, key, msg)
        .map_err(|e| match e {
            rsa::Error::Rng => Error::Primitives(paycrypt_primitives::Error::Rng),
            _ => Error::Rsa,
        })
}
