//! Entry points below the KRD processing order, for tests, fuzzing and tools that hold an
//! ephemeral key already (the TR-34-2019 Annex B.2.2.3 samples publish theirs, and their
//! `encryptedKey` does not RSA-decrypt). **Not** the way to open a token: they skip the digest,
//! the signature, the KDH path and freshness (TR-34-2019 §5.4.9); use [`crate::KeyToken::open`].
//!
//! Like RustCrypto's `hazmat` modules and rustls' `internal`, this surface is hidden from the
//! documentation and may change in any release.

use crate::cert::IssuerAndSerialNumber;
use crate::content::{EnvelopeContent, HeaderForm, PaddingCheck};
use crate::envelope::{self, ContentAlgorithm};
use crate::header::KeyHeader;
use crate::key_token::{KeyTokenBuilder, Pass};
use crate::rsa_key::RsaPrivateKeyOps;
use crate::{Error, key_token};
use alloc::vec::Vec;
use core::time::Duration;
use paycrypt_primitives::rng::TryCryptoRng;

/// How [`decrypt_key_block`] reads the decrypted KeyBlock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecryptOptions {
    /// The PKCS #7 padding rule (RFC 5652 §6.3).
    pub padding: PaddingCheck,
    /// How the keyBlockHeader field is read (TR-34-2019 §5.3.1).
    pub header_form: HeaderForm,
}

impl DecryptOptions {
    /// Everything the KRD can be told to tolerate ([`PaddingCheck::MayBeMissing`],
    /// [`HeaderForm::Lenient`]).
    #[must_use]
    pub const fn lenient() -> Self {
        Self {
            padding: PaddingCheck::MayBeMissing,
            header_form: HeaderForm::Lenient,
        }
    }
}

/// Decrypts a KeyBlock with the ephemeral content key (RFC 5652 §6.3 CBC content encryption,
/// PKCS #7 padding), then parses it (TR-34-2019 §5.3.1). The key length must match the
/// algorithm (TR-34-2019 Table 15). Every failure is the one [`Error::Rejected`], as in
/// [`crate::KeyToken::open`].
///
/// # Errors
/// [`Error::Rejected`].
pub fn decrypt_key_block(
    ephemeral: &[u8],
    algorithm: ContentAlgorithm,
    iv: &[u8],
    ciphertext: &[u8],
    options: DecryptOptions,
) -> Result<EnvelopeContent, Error> {
    key_token::decrypt_key_block(
        ephemeral,
        algorithm,
        iv,
        ciphertext,
        options.padding,
        options.header_form,
    )
}

/// Decrypts the EnvelopedData (the eContent of a parsed token, RFC 5652 §6) with a known
/// ephemeral key, bypassing RSA: for the TR-34-2019 Annex B.2.2.3 samples, whose ephemeral keys
/// are published. `iv_override` replaces the IV carried (the B.2.2.3.2 AES sample prints an
/// 8-byte IV field).
///
/// # Errors
/// [`Error::Malformed`] if `econtent` does not parse, else [`Error::Rejected`].
pub fn decrypt_enveloped_with_ephemeral(
    econtent: &[u8],
    ephemeral: &[u8],
    iv_override: Option<&[u8]>,
) -> Result<EnvelopeContent, Error> {
    let env = envelope::parse(econtent, 0)?;
    decrypt_key_block(
        ephemeral,
        env.algorithm,
        iv_override.unwrap_or(env.iv),
        env.ciphertext,
        DecryptOptions::default(),
    )
}

/// A key token signed by `builder`'s KDH over a KeyBlock that may break the rules a KRD checks
/// after the signature (TR-34-2019 §5.4.9): its idKDH, clear key (any length) and header are
/// taken as given, and `signed_header` is the signed header attribute. The content key is
/// AES-128 for a header algorithm `A`, else TDES-3key. For testing the KRD's named errors
/// ([`Error::KeyBlockMismatch`], [`Error::KeyLength`]); never for production tokens.
///
/// # Errors
/// [`Error::Primitives`] when the random source fails, [`Error::Rsa`].
#[allow(clippy::too_many_arguments)]
pub fn build_unchecked<K: RsaPrivateKeyOps + ?Sized, R: TryCryptoRng + ?Sized>(
    builder: &KeyTokenBuilder<'_, K>,
    id_kdh: &IssuerAndSerialNumber,
    clear_key: &[u8],
    content_header: &KeyHeader,
    signed_header: &KeyHeader,
    transport: Pass<&[u8], Duration>,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let alg = if content_header.algorithm() == b'A' {
        ContentAlgorithm::Aes128Cbc
    } else {
        ContentAlgorithm::DesEde3Cbc
    };
    builder.seal(
        id_kdh,
        clear_key,
        content_header,
        signed_header,
        alg,
        transport,
        rng,
    )
}
