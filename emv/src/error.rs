//! The crate's error type.

use core::fmt;
use paycrypt_primitives::ErrorClass;

/// Errors from EMV and PBOC operations. None of them carries key material or card data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A PAN sequence number (tag 5F34) outside 00–99.
    Psn {
        /// The value supplied.
        got: u8,
    },
}

impl Error {
    /// The [`ErrorClass`] of this error.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Psn { .. } => ErrorClass::Malformed,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Psn { got } => write!(
                f,
                "PAN sequence number {got} is not two decimal digits (00-99)"
            ),
        }
    }
}

impl core::error::Error for Error {}
