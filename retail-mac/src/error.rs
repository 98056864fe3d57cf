//! The crate's error type.

use core::fmt;
/// The workspace-wide error classification (defined in `paycrypt-primitives`).
pub use paycrypt_primitives::ErrorClass;

/// Everything that can go wrong computing or checking a MAC or a key check value.
///
/// No variant carries key material, data or MAC bytes. A MAC that does not match is reported
/// as [`Error::Verification`] and nothing else (no position, no expected value): detail about
/// a failed comparison is a side channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A key, IV or block length rejected by the shared primitives (wrong key length, IV that
    /// is not one block long).
    Primitives(paycrypt_primitives::Error),
    /// The key's algorithm cannot be used with this MAC or KCV method (e.g. CMAC with single
    /// DES, MAC algorithm 3 with an AES key, a 3-key TDES key for ISO/IEC 9797-1 algorithm 3).
    UnsupportedKey {
        /// The key algorithm supplied (`KeyAlgorithm::name`).
        key: &'static str,
        /// The MAC or KCV method that refused it.
        method: &'static str,
    },
    /// An HMAC key of a length this crate does not accept (1 to
    /// [`HmacKey::MAX_LEN`](crate::HmacKey::MAX_LEN) bytes).
    HmacKeyLength {
        /// The length supplied, in bytes.
        got: usize,
    },
    /// A MAC length outside what the algorithm allows: truncation keeps 4 bytes up to the full
    /// tag (ISO/IEC 9797-1:2011 §7.2 "truncation"; AWS `MacLength` 4–32), and a tag handed to
    /// verification must be in the same range.
    MacLength {
        /// Smallest length allowed.
        min: usize,
        /// Largest length allowed (the algorithm's full output).
        max: usize,
        /// The length requested or supplied.
        got: usize,
    },
    /// A key check value length outside the method's range (legacy 2–8 for DES/TDES, CMAC 2 to
    /// the block size, HMAC 2 to the hash length).
    KcvLength {
        /// Smallest length allowed.
        min: usize,
        /// Largest length allowed.
        max: usize,
        /// The length requested.
        got: usize,
    },
    /// ISO/IEC 9797-1 padding method 3 puts the length of the whole message in the first block:
    /// a streaming computation with padding method 3 must be told the length up front.
    PaddingNeedsLength,
    /// A streaming computation was given a total data length up front and fed a different
    /// number of bytes.
    DataLength {
        /// The length declared when the computation started.
        declared: u64,
        /// The number of bytes actually fed.
        got: u64,
    },
    /// The data is too long for the length block of ISO/IEC 9797-1 padding method 3 (its bit
    /// length must fit in one cipher block).
    DataTooLong,
    /// An IV was given to an algorithm that has none (CMAC, HMAC).
    IvNotAllowed,
    /// The MAC does not match. Deliberately says nothing else.
    Verification,
    /// A key check value does not match the key.
    KcvMismatch,
}

impl Error {
    /// The [`ErrorClass`] of this error: a MAC or KCV mismatch is
    /// [`Rejected`](ErrorClass::Rejected), everything else is malformed input.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Verification | Self::KcvMismatch => ErrorClass::Rejected,
            Self::Primitives(e) => e.class(),
            Self::UnsupportedKey { .. }
            | Self::HmacKeyLength { .. }
            | Self::MacLength { .. }
            | Self::KcvLength { .. }
            | Self::PaddingNeedsLength
            | Self::DataLength { .. }
            | Self::DataTooLong
            | Self::IvNotAllowed => ErrorClass::Malformed,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Primitives(e) => fmt::Display::fmt(e, f),
            Self::UnsupportedKey { key, method } => {
                write!(f, "a {key} key cannot be used with {method}")
            }
            Self::HmacKeyLength { got } => write!(
                f,
                "an HMAC key must be 1 to {} bytes, not {got}",
                crate::HmacKey::MAX_LEN
            ),
            Self::MacLength { min, max, got } => {
                write!(f, "MAC length must be {min} to {max} bytes, not {got}")
            }
            Self::KcvLength { min, max, got } => {
                write!(
                    f,
                    "check value length must be {min} to {max} bytes, not {got}"
                )
            }
            Self::PaddingNeedsLength => {
                f.write_str("padding method 3 needs the total data length before the first byte")
            }
            Self::DataLength { declared, got } => {
                write!(
                    f,
                    "declared {declared} bytes of data but {got} were supplied"
                )
            }
            Self::DataTooLong => f.write_str("data too long for the padding method 3 length block"),
            Self::IvNotAllowed => f.write_str("this MAC algorithm takes no IV"),
            Self::Verification => f.write_str("MAC verification failed"),
            Self::KcvMismatch => f.write_str("key check value does not match"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Primitives(e) => Some(e),
            _ => None,
        }
    }
}

impl From<paycrypt_primitives::Error> for Error {
    fn from(e: paycrypt_primitives::Error) -> Self {
        Self::Primitives(e)
    }
}
