//! The crate's error type.

use core::fmt;

/// Errors from the shared primitives. None of them carries key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A key had a length the algorithm does not define (the length is in bytes).
    KeyLength {
        /// The algorithm the key was meant for.
        algorithm: &'static str,
        /// The length supplied, in bytes.
        got: usize,
    },
    /// Data handed to a block operation is not a whole number of cipher blocks.
    BlockLength {
        /// The cipher's block size in bytes.
        block_size: usize,
        /// The length supplied, in bytes.
        got: usize,
    },
    /// An IV is not exactly one cipher block.
    IvLength {
        /// The cipher's block size in bytes.
        block_size: usize,
        /// The length supplied, in bytes.
        got: usize,
    },
    /// A hex string has an odd number of digits.
    HexOddLength,
    /// A character that is not a hex digit (or a lower-case one where upper case is required),
    /// at this character position.
    HexDigit {
        /// Position of the offending character, counted from 0.
        position: usize,
    },
    /// A hex string decodes to a different length than the caller's buffer.
    HexLength {
        /// Expected number of bytes.
        expected: usize,
        /// Number of bytes the string holds.
        got: usize,
    },
    /// The random source failed (or, for a [`ReplayRng`](crate::rng::ReplayRng), ran out).
    Rng,
    /// Decrypted data does not end in well-formed padding ([`crate::pad`]).
    Padding,
}

/// How a caller (a command line, a service) should classify an error of any paycrypt crate.
///
/// Every crate's error type has an exhaustive `class()` returning this; the `paycrypt` command
/// line derives its exit code from it alone (`Malformed` → 2, `Rejected` → 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Malformed input or usage: bad length, bad characters, a missing or superfluous parameter,
    /// a header or encoding that does not parse.
    Malformed,
    /// Well-formed input that failed a cryptographic, decode or policy check (MAC, cryptogram,
    /// signature or PIN mismatch, a refused translation, an exhausted counter), or an
    /// environment failure the caller cannot fix by changing the input (the random source).
    Rejected,
}

impl Error {
    /// The [`ErrorClass`] of this error.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::KeyLength { .. }
            | Self::BlockLength { .. }
            | Self::IvLength { .. }
            | Self::HexOddLength
            | Self::HexDigit { .. }
            | Self::HexLength { .. } => ErrorClass::Malformed,
            Self::Rng | Self::Padding => ErrorClass::Rejected,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyLength { algorithm, got } => {
                write!(f, "a {got}-byte key is not a valid {algorithm} key")
            }
            Self::BlockLength { block_size, got } => write!(
                f,
                "{got} bytes is not a whole number of {block_size}-byte cipher blocks"
            ),
            Self::IvLength { block_size, got } => {
                write!(f, "the IV must be {block_size} bytes, not {got}")
            }
            Self::HexOddLength => f.write_str("hex string has an odd number of digits"),
            Self::HexDigit { position } => {
                write!(f, "invalid hex digit at position {position}")
            }
            Self::HexLength { expected, got } => {
                write!(f, "expected {expected} bytes of hex, got {got}")
            }
            Self::Rng => f.write_str("the random source failed"),
            Self::Padding => f.write_str("the decrypted data does not end in valid padding"),
        }
    }
}

impl core::error::Error for Error {}
