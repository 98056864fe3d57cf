//! The crate's one error type.
//!
//! Usage errors ([`ErrorClass::Malformed`]) are everything visible in the input before a secret is
//! touched: lengths, encodings, curves, key kinds. Cryptographic and policy failures
//! ([`ErrorClass::Rejected`]) are deliberately coarse: one opaque variant per layer
//! ([`Error::IntegrityCheckFailed`] for KW/KWP/TKW, [`Error::CryptogramDoesNotDecrypt`] for
//! RSA-OAEP, [`Error::KeyBlock`] with the key-block crate's opaque authentication failure), so
//! that no error is an oracle (NIST SP 800-38F §6.1; RFC 8017 §7.1.2 note). No variant carries key
//! material.

use core::fmt;
use paycrypt_primitives::ErrorClass;

/// Errors of `paycrypt-kex`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An input has a length the operation does not define. `what` names it, `got` is its
    /// length in bytes.
    Length {
        /// The input.
        what: &'static str,
        /// Its length in bytes.
        got: usize,
    },
    /// A TDEA key-encryption key whose three parts make it single DES (K1 = K2 or K2 = K3).
    DegenerateTdesKey,
    /// A KW / KWP / TKW integrity check failed (wrong KEK, modified cryptogram, bad KWP length
    /// indicator or padding). One opaque error for every cause (SP 800-38F §6.1 step 3, §6.3).
    IntegrityCheckFailed,
    /// The PCI strength rule refused the operation: the wrapping key (KEK, KBPK, RSA key) is
    /// weaker than the key it would protect (PCI PIN Security Requirement 19; SP 800-57 Part 1
    /// Table 2).
    WeakerWrappingKey,
    /// The ECDH curve is weaker than the key derived from it (SP 800-56A §5.6.1.1, SP 800-57).
    CurveWeakerThanKey,
    /// The two ECDH keys lie on different curves.
    CurveMismatch,
    /// A curve other than P-256, P-384 or P-521, or an elliptic-curve point that fails public-key
    /// validation (SP 800-56A §5.6.2.3.3).
    UnsupportedCurve,
    /// The KDF input is out of range (`what` names it: shared information, output length).
    KdfInput {
        /// The input.
        what: &'static str,
    },
    /// A certificate, public key or private key does not decode. `what` names the layer
    /// (PEM armour, base64, DER, the key structure).
    Encoding {
        /// What failed to decode.
        what: &'static str,
    },
    /// The key is of the wrong kind for the operation (`expected` is `"EC"` or `"RSA"`).
    WrongKeyKind {
        /// The kind the operation needs.
        expected: &'static str,
    },
    /// An RSA modulus below 2048 bits (SP 800-131A Rev. 2 §2).
    RsaKeyTooSmall,
    /// An RSA key cryptogram whose length is not the modulus length (RFC 8017 §7.1.2 step 1).
    CryptogramLength {
        /// The modulus length in bytes.
        expected: usize,
        /// The cryptogram's length.
        got: usize,
    },
    /// RSA-OAEP decryption failed, or the decrypted key has the wrong length: one opaque error
    /// (RFC 8017 §7.1.2, "Marvin" attack).
    CryptogramDoesNotDecrypt,
    /// An RSA or ECDSA operation failed (message too long for the modulus, backend failure).
    Asymmetric,
    /// A certificate was refused: `reason` names the rule (signature, validity, key usage,
    /// basicConstraints, issuer name).
    CertificateRejected {
        /// The rule that failed.
        reason: &'static str,
    },
    /// A signed key package does not verify: a bad ECDSA signature, a messageDigest that does
    /// not match the content, or a wrong contentType. One opaque error for every cause
    /// (RFC 5652 §5.6; nothing of the content is parsed before this check passes).
    SignatureInvalid,
    /// The signature algorithm policy refused the operation (`reason` names the rule: curve and
    /// hash pairing, digestAlgorithm, key roles, KDF naming).
    SignaturePolicy {
        /// The rule that failed.
        reason: &'static str,
    },
    /// A verified signed package is not fresh (`reason`: missing attribute, signing time outside
    /// the window, nonce mismatch; TR-34-2019 §5.3).
    Freshness {
        /// The rule that failed.
        reason: &'static str,
    },
    /// The key block's version does not fit the KBPK type (`D`/`E` for AES, `A`/`B`/`C` for
    /// TDES; ANSI X9.143 §6.2 Table 2).
    BlockVersionMismatch,
    /// An error from the key-block crate (parse errors are usage errors; its authentication
    /// failure is opaque).
    KeyBlock(paycrypt_keyblock::Error),
    /// An error from the shared primitives (hex, key length, the random source).
    Primitives(paycrypt_primitives::Error),
}

impl Error {
    /// The classification a caller (the command line) maps to an exit code.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Length { .. }
            | Self::UnsupportedCurve
            | Self::KdfInput { .. }
            | Self::Encoding { .. }
            | Self::WrongKeyKind { .. }
            | Self::RsaKeyTooSmall
            | Self::CryptogramLength { .. }
            | Self::BlockVersionMismatch => ErrorClass::Malformed,
            Self::DegenerateTdesKey
            | Self::IntegrityCheckFailed
            | Self::WeakerWrappingKey
            | Self::CurveWeakerThanKey
            | Self::CurveMismatch
            | Self::CryptogramDoesNotDecrypt
            | Self::Asymmetric
            | Self::CertificateRejected { .. }
            | Self::SignatureInvalid
            | Self::SignaturePolicy { .. }
            | Self::Freshness { .. } => ErrorClass::Rejected,
            Self::KeyBlock(e) => e.class(),
            Self::Primitives(e) => e.class(),
        }
    }

    pub(crate) const fn length(what: &'static str, got: usize) -> Self {
        Self::Length { what, got }
    }

    pub(crate) const fn encoding(what: &'static str) -> Self {
        Self::Encoding { what }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length { what, got } => write!(f, "{what}: length {got} bytes is not allowed"),
            Self::DegenerateTdesKey => {
                f.write_str("TDEA key-encryption key is single DES (K1 = K2 or K2 = K3)")
            }
            Self::IntegrityCheckFailed => f.write_str("integrity check failed"),
            Self::WeakerWrappingKey => f.write_str("wrapping key weaker than wrapped key"),
            Self::CurveWeakerThanKey => f.write_str("curve weaker than derived key"),
            Self::CurveMismatch => f.write_str("curve mismatch"),
            Self::UnsupportedCurve => {
                f.write_str("unsupported curve or invalid point (P-256, P-384, P-521 only)")
            }
            Self::KdfInput { what } => write!(f, "KDF input out of range: {what}"),
            Self::Encoding { what } => write!(f, "cannot decode {what}"),
            Self::WrongKeyKind { expected } => write!(f, "expected an {expected} key"),
            Self::RsaKeyTooSmall => f.write_str("RSA modulus below 2048 bits"),
            Self::CryptogramLength { expected, got } => write!(
                f,
                "key cryptogram of {got} bytes; the modulus length is {expected} bytes"
            ),
            Self::CryptogramDoesNotDecrypt => f.write_str("key cryptogram does not decrypt"),
            Self::Asymmetric => f.write_str("public-key operation failed"),
            Self::CertificateRejected { reason } => write!(f, "certificate rejected: {reason}"),
            Self::SignatureInvalid => f.write_str("signed key package does not verify"),
            Self::SignaturePolicy { reason } => write!(f, "signature policy: {reason}"),
            Self::Freshness { reason } => write!(f, "signed key package is not fresh: {reason}"),
            Self::BlockVersionMismatch => f.write_str(
                "key block version does not fit the KBPK (D or E for AES, A, B or C for TDES)",
            ),
            Self::KeyBlock(e) => fmt::Display::fmt(e, f),
            Self::Primitives(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl core::error::Error for Error {}

impl From<paycrypt_primitives::Error> for Error {
    fn from(e: paycrypt_primitives::Error) -> Self {
        Self::Primitives(e)
    }
}

impl From<paycrypt_keyblock::Error> for Error {
    fn from(e: paycrypt_keyblock::Error) -> Self {
        Self::KeyBlock(e)
    }
}
