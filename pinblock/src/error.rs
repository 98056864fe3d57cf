//! The crate's single error type.

use crate::format::Format;
use core::fmt;
/// The workspace-wide error classification (defined in `paycrypt-primitives`).
pub use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::key::KeyAlgorithm;

/// Everything that can go wrong with a PIN block.
///
/// No variant carries a PIN digit, a key byte or a PAN digit. Failures found only after
/// decrypting a block collapse into the single, detail-free [`Error::WrongKeyOrPan`]: which check
/// failed is not revealed (ISO 9564-1:2017 §9.5 treats any decode failure of an enciphered block
/// alike, and detail would be an oracle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    // ---- malformed input -------------------------------------------------------------------
    /// A PIN is not 4 to 12 digits long (ISO 9564-1:2017 §8.1).
    PinLength {
        /// The number of characters supplied.
        got: usize,
    },
    /// A PIN contains a character that is not a decimal digit.
    PinNotNumeric,
    /// A PAN has a length the operation does not accept.
    PanLength {
        /// Fewest digits accepted.
        min: usize,
        /// Most digits accepted.
        max: usize,
        /// Digits supplied.
        got: usize,
    },
    /// A PAN contains a character that is not a decimal digit.
    PanNotNumeric,
    /// The format binds the PIN to a PAN (formats 0, 3 and 4) and none was given.
    PanRequired {
        /// The format that needs it.
        format: Format,
    },
    /// A PAN field was asked for a format that has none (formats 1 and 2).
    PanNotUsed {
        /// The format asked for.
        format: Format,
    },
    /// Explicit fill was given for a format whose fill is fixed (`F` in formats 0 and 2).
    FillNotAllowed {
        /// The format.
        format: Format,
    },
    /// Explicit fill has the wrong number of nibbles (formats 1 and 3: 14 − PIN length;
    /// format 4: 16; never more than 16).
    FillLength {
        /// Nibbles expected.
        expected: usize,
        /// Nibbles supplied.
        got: usize,
    },
    /// A fill character is not a hex digit.
    FillNotHex {
        /// Position of the character, counted from 0.
        position: usize,
    },
    /// A fill nibble is not allowed by the format (format 3: only `A`–`F`,
    /// ISO 9564-1:2017 §9.3.5.2).
    FillValue {
        /// Position of the nibble within the fill, counted from 0.
        position: usize,
    },
    /// A block has the wrong length for its format (8 bytes for formats 0–3, 16 for format 4);
    /// checked before any decryption.
    BlockLength {
        /// The format.
        format: Format,
        /// Bytes expected.
        expected: usize,
        /// Bytes supplied.
        got: usize,
    },
    /// A format number or name that ISO 9564-1 does not define here (only 0–4).
    UnknownFormat,
    /// IBM 3624 validation data is not 4–16 hex digits, or its pad character is not a hex digit.
    ValidationData,
    /// A decimalization table is not 16 decimal digits.
    DecimalizationTable,
    /// A PIN verification key index (PVKI) is not a digit 0–9.
    Pvki,
    /// An IBM 3624 offset (4–12 digits) or a Visa PVV (4 digits) is not well formed.
    VerificationValue,
    /// A key or block error from the shared primitives (e.g. a key of the wrong length).
    Primitives(paycrypt_primitives::Error),

    // ---- policy (ISO 9564-1:2017 §9.5, PCI PIN) ---------------------------------------------
    /// The key's algorithm does not go with the format: format 4 needs an AES key, formats 0–3
    /// take TDES (or, by explicit opt-in, single-DES) keys.
    KeyFormatMismatch {
        /// The format.
        format: Format,
        /// The key's algorithm.
        algorithm: KeyAlgorithm,
    },
    /// A key of this algorithm was converted into a [`PinKey`](crate::PinKey): single DES is a
    /// PIN key only through the explicitly named `PinKey::legacy_single_des`.
    PinKeyAlgorithm {
        /// The key's algorithm.
        algorithm: KeyAlgorithm,
    },
    /// A PAN-bound block (formats 0, 3, 4) may not be translated to format 1.
    PanBoundToFormat1 {
        /// The source format.
        from: Format,
    },
    /// Format 2 is for offline ICC PIN verification only and is not an interchange format: it is
    /// neither a source nor a target of translation.
    Format2NotInterchange,

    // ---- decode checks on a clear block ------------------------------------------------------
    /// A clear PIN block failed a content check of ISO 9564-1:2017 §9.3 / §9.4.2.2: control
    /// nibble, PIN length nibble 4–12, PIN digits 0–9 or the format's fill rule. Which check
    /// failed is deliberately not said: a clear block is as secret as its PIN, and the checks run
    /// branch-free up to this one error (a wrong PAN and a bad length nibble look alike, in the
    /// error and in the time taken).
    InvalidPinBlock,

    // ---- after decryption -------------------------------------------------------------------
    /// A deciphered block failed a decode check: wrong key or PAN, or a corrupt block. Which
    /// check failed is deliberately not said.
    WrongKeyOrPan,
    /// The random source failed (or a replayed source ran out).
    Rng,
    /// A PIN did not verify against an IBM 3624 offset or a Visa PVV.
    PinMismatch,
}

impl Error {
    /// Whether the input was malformed or was well-formed and rejected by a check (exhaustive:
    /// a new variant must be classified here).
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::KeyFormatMismatch { .. }
            | Self::PinKeyAlgorithm { .. }
            | Self::PanBoundToFormat1 { .. }
            | Self::Format2NotInterchange
            | Self::InvalidPinBlock
            | Self::WrongKeyOrPan
            | Self::Rng
            | Self::PinMismatch => ErrorClass::Rejected,
            Self::PinLength { .. }
            | Self::PinNotNumeric
            | Self::PanLength { .. }
            | Self::PanNotNumeric
            | Self::PanRequired { .. }
            | Self::PanNotUsed { .. }
            | Self::FillNotAllowed { .. }
            | Self::FillLength { .. }
            | Self::FillNotHex { .. }
            | Self::FillValue { .. }
            | Self::BlockLength { .. }
            | Self::UnknownFormat
            | Self::ValidationData
            | Self::DecimalizationTable
            | Self::Pvki
            | Self::VerificationValue
            | Self::Primitives(_) => ErrorClass::Malformed,
        }
    }
}

impl From<paycrypt_primitives::Error> for Error {
    fn from(e: paycrypt_primitives::Error) -> Self {
        match e {
            paycrypt_primitives::Error::Rng => Self::Rng,
            other => Self::Primitives(other),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PinLength { got } => write!(f, "a PIN has 4 to 12 digits, not {got}"),
            Self::PinNotNumeric => f.write_str("a PIN may contain only decimal digits"),
            Self::PanLength { min, max, got } => {
                write!(f, "the PAN must have {min} to {max} digits, not {got}")
            }
            Self::PanNotNumeric => f.write_str("a PAN may contain only decimal digits"),
            Self::PanRequired { format } => write!(f, "{format} needs a PAN"),
            Self::PanNotUsed { format } => write!(f, "{format} has no PAN field"),
            Self::FillNotAllowed { format } => {
                write!(f, "{format} has fixed fill; explicit fill is not allowed")
            }
            Self::FillLength { expected, got } => {
                write!(f, "the fill must have {expected} nibbles, not {got}")
            }
            Self::FillNotHex { position } => {
                write!(
                    f,
                    "fill character at position {position} is not a hex digit"
                )
            }
            Self::FillValue { position } => write!(
                f,
                "fill nibble at position {position} is not allowed by the format (format 3: A-F)"
            ),
            Self::BlockLength {
                format,
                expected,
                got,
            } => write!(f, "a {format} block has {expected} bytes, not {got}"),
            Self::UnknownFormat => f.write_str("unknown PIN block format (expected 0 to 4)"),
            Self::Primitives(e) => write!(f, "{e}"),
            Self::KeyFormatMismatch { format, algorithm } => write!(
                f,
                "a {algorithm} key cannot be used with {format} (format 4 needs AES, formats 0-3 TDES)"
            ),
            Self::PinKeyAlgorithm { algorithm } => write!(
                f,
                "a {algorithm} key is not a PIN key (single DES only by explicit opt-in)"
            ),
            Self::PanBoundToFormat1 { from } => write!(
                f,
                "a PAN-bound {from} block may not be translated to ISO format 1"
            ),
            Self::Format2NotInterchange => {
                f.write_str("ISO format 2 is not an interchange format and cannot be translated")
            }
            Self::InvalidPinBlock => f.write_str(
                "the PIN block does not decode (control, length, digit or fill check failed)",
            ),
            Self::WrongKeyOrPan => f.write_str("wrong key or PAN, or corrupt block"),
            Self::Rng => f.write_str("the random source failed"),
            Self::ValidationData => {
                f.write_str("validation data must be 4 to 16 hex digits with a hex pad character")
            }
            Self::DecimalizationTable => f.write_str("a decimalization table is 16 decimal digits"),
            Self::Pvki => f.write_str("the PVKI must be one digit 0-9"),
            Self::VerificationValue => {
                f.write_str("an IBM 3624 offset has 4 to 12 decimal digits, a Visa PVV 4")
            }
            Self::PinMismatch => f.write_str("the PIN does not verify"),
        }
    }
}

impl core::error::Error for Error {}
