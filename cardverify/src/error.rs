//! The crate's single error type.

use core::fmt;
use paycrypt_primitives::ErrorClass;

/// Everything that can go wrong. Input-shape variants name the field and carry no value;
/// every cryptographic mismatch is the one [`Error::VerificationFailed`]. No variant carries a
/// key byte, a PAN digit, a presented or a computed code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A PAN is not 12–19 decimal digits.
    Pan,
    /// An expiry is not exactly 4 decimal digits.
    Expiry,
    /// A service code is not exactly 3 decimal digits.
    ServiceCode,
    /// A code length outside 3–5 digits.
    Length,
    /// A presented code is not 3–5 decimal digits (or not the length the code has).
    Value,
    /// A key is not 16 bytes (2-key TDES).
    KeyLength,
    /// A card key or issuer master key of the wrong role (MK-AC for dCVV, MK-CVC3 for CVC3).
    KeyRole,
    /// An ATC is not 2 bytes.
    Atc,
    /// An unpredictable number is not 4 bytes (CVC3) or 4 decimal digits (CAVV).
    UnpredictableNumber,
    /// A PAN sequence number outside 00–99.
    Psn,
    /// Track data is not 1–79 bytes.
    Track,
    /// An IVCVC3 is not 2 bytes.
    Ivcvc3,
    /// A CAVV authentication results code is not one decimal digit.
    AuthResult,
    /// A CAVV second-factor authentication code is not two decimal digits.
    SecondFactor,
    /// The presented code does not verify.
    VerificationFailed,
}

impl Error {
    /// Whether the input was malformed or was well formed and rejected by a check.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Pan
            | Self::Expiry
            | Self::ServiceCode
            | Self::Length
            | Self::Value
            | Self::KeyLength
            | Self::Atc
            | Self::UnpredictableNumber
            | Self::Psn
            | Self::Track
            | Self::Ivcvc3
            | Self::AuthResult
            | Self::SecondFactor => ErrorClass::Malformed,
            Self::KeyRole | Self::VerificationFailed => ErrorClass::Rejected,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pan => "the PAN must have 12 to 19 decimal digits",
            Self::Expiry => "the expiry must be exactly 4 decimal digits",
            Self::ServiceCode => "the service code must be exactly 3 decimal digits",
            Self::Length => "the code length must be 3 to 5 digits",
            Self::Value => "the presented code must be 3 to 5 decimal digits",
            Self::KeyLength => "the key must be 16 bytes (2-key TDES)",
            Self::KeyRole => "the key has the wrong role for this code",
            Self::Atc => "the ATC must be 2 bytes (4 hex digits)",
            Self::UnpredictableNumber => "the unpredictable number has the wrong length",
            Self::Psn => "the PAN sequence number must be 00 to 99",
            Self::Track => "track data must be 1 to 79 bytes",
            Self::Ivcvc3 => "the IVCVC3 must be 2 bytes (4 hex digits)",
            Self::AuthResult => "the authentication results code must be one decimal digit",
            Self::SecondFactor => {
                "the second-factor authentication code must be two decimal digits"
            }
            Self::VerificationFailed => "verification failed",
        })
    }
}

impl core::error::Error for Error {}
