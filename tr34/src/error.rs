//! The crate's error type.
//!
//! Errors are split the way a key receiving device must report them (TR-34-2019 §5.4.9): a token that does not *parse* says where ([`Error::Malformed`]); every failure
//! *after* parsing — digest, signature, certificate path, CRL, nonce, time, OAEP, padding — is
//! the single, detail-free [`Error::Rejected`], because detail is a side channel. Once the
//! signature has verified and the KeyBlock has decrypted and unpadded, nothing in it is secret
//! from the KRD and the error names the rule that failed ([`Error::KeyBlockMismatch`],
//! [`Error::KeyLength`]).

use core::fmt;
/// The workspace-wide error classification (defined in `paycrypt-primitives`).
pub use paycrypt_primitives::ErrorClass;

/// Errors from TR-34 token handling. None of them carries key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a well-formed structure of the expected kind (DER, token layout,
    /// certificate, CRL). `what` names the element, `offset` is the byte offset in the input
    /// where parsing stopped.
    Malformed {
        /// The element that could not be parsed.
        what: &'static str,
        /// Byte offset of the offending element in the parsed input.
        offset: usize,
    },
    /// The token was parsed but rejected: digest, signature, certificate path or CRL, nonce or
    /// signing time, recipient, RSA-OAEP, padding or key block. Deliberately says nothing more.
    Rejected,
    /// After the signature verified and the KeyBlock decrypted: the KeyBlock disagrees with
    /// the signed token (TR-34-2019 §5.4.9: its idKDH must be the signer, its header the signed
    /// header attribute). `what` names the field.
    KeyBlockMismatch {
        /// The field that differs.
        what: &'static str,
    },
    /// After the signature verified and the KeyBlock decrypted: the clear key's length does not
    /// fit the header's algorithm. TR-34-2019 Table 15 carries TDES (16 or 24 bytes, algorithm
    /// `T`) and AES-128 (16 bytes, `A`) keys only.
    KeyLength {
        /// The header's algorithm character.
        algorithm: u8,
        /// The clear key's length in bytes.
        length: usize,
    },
    /// A PEM document could not be decoded, or has an unexpected label.
    Pem,
    /// An RSA key could not be decoded, or is smaller than 2048 bits.
    RsaKey,
    /// The RSA private-key operation (signing or encryption on the KDH side) failed.
    Rsa,
    /// A caller-supplied build input is invalid (key length vs header, nonce length, missing
    /// randomness, a CRL the layout cannot carry, ...). `what` names the input.
    InvalidInput {
        /// The input that was refused.
        what: &'static str,
    },
    /// The upper-case hex token form (AWS `WrappedKeyBlock`) is too long (more than 2048 bytes).
    TooLong {
        /// The maximum number of bytes.
        max: usize,
        /// The number of bytes supplied.
        got: usize,
    },
    /// An error from the shared primitives (hex, key length, random source).
    Primitives(paycrypt_primitives::Error),
}

impl Error {
    pub(crate) const fn malformed(what: &'static str, offset: usize) -> Self {
        Self::Malformed { what, offset }
    }
}

impl Error {
    /// The [`ErrorClass`] of this error: what did not parse is
    /// [`Malformed`](ErrorClass::Malformed), every failure after parsing is
    /// [`Rejected`](ErrorClass::Rejected).
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Malformed { .. }
            | Self::Pem
            | Self::RsaKey
            | Self::TooLong { .. }
            | Self::InvalidInput { .. } => ErrorClass::Malformed,
            Self::Rejected | Self::KeyBlockMismatch { .. } | Self::KeyLength { .. } | Self::Rsa => {
                ErrorClass::Rejected
            }
            Self::Primitives(e) => e.class(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { what, offset } => {
                write!(f, "malformed {what} at byte offset {offset}")
            }
            Self::Rejected => f.write_str("TR-34 token rejected"),
            Self::KeyBlockMismatch { what } => {
                write!(f, "the signed token's KeyBlock {what}")
            }
            Self::KeyLength { algorithm, length } => {
                let alg = if algorithm.is_ascii_graphic() {
                    char::from(*algorithm)
                } else {
                    '?'
                };
                write!(
                    f,
                    "{length}-byte key under algorithm {alg}: TR-34 carries TDES (16 or 24 bytes, \
                     algorithm T) and AES-128 (16 bytes, algorithm A) keys only"
                )
            }
            Self::Pem => f.write_str("invalid PEM document"),
            Self::RsaKey => f.write_str("invalid or too small RSA key"),
            Self::Rsa => f.write_str("RSA operation failed"),
            Self::InvalidInput { what } => write!(f, "invalid input: {what}"),
            Self::TooLong { max, got } => {
                write!(f, "token of {got} bytes exceeds the maximum of {max}")
            }
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
