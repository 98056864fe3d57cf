//! The crate's error type.

use crate::tlv::Tag;
use core::fmt;
use paycrypt_primitives::ErrorClass;

/// Errors from EMV and PBOC operations. None of them carries key material, PINs or card data
/// values: parse errors name a byte offset, length errors the lengths, verification failures
/// nothing at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A PAN sequence number (tag 5F34) outside 00–99.
    Psn {
        /// The value supplied.
        got: u8,
    },
    /// A key of the wrong length (EMV and PBOC keys are double-length TDES, 16 bytes).
    KeyLength {
        /// The length supplied.
        got: usize,
    },
    /// A field of the wrong length (ATC, UN, ARQC, ARC, CSU, header, factor, ...).
    FieldLength {
        /// Which field.
        field: &'static str,
        /// The smallest length allowed.
        min: usize,
        /// The largest length allowed.
        max: usize,
        /// The length supplied.
        got: usize,
    },
    /// Input longer than this crate's limit for it.
    TooLong {
        /// Which input.
        what: &'static str,
        /// The limit in bytes.
        max: usize,
        /// The length supplied.
        got: usize,
    },
    /// BER-TLV: the data ends inside a tag (EMV Book 3 Annex B1).
    TruncatedTag {
        /// Offset of the tag's first byte.
        offset: usize,
    },
    /// BER-TLV: a tag of more than 4 bytes.
    TagTooLong {
        /// Offset of the tag's first byte.
        offset: usize,
    },
    /// BER-TLV: the data ends inside a length field (Book 3 Annex B2).
    TruncatedLength {
        /// Offset of the length field.
        offset: usize,
    },
    /// BER-TLV: the indefinite length `80`, not allowed in EMV (Book 3 Annex B2).
    IndefiniteLength {
        /// Offset of the length field.
        offset: usize,
    },
    /// BER-TLV: a length field with more than 3 subsequent bytes (`84` or above).
    LengthTooLong {
        /// Offset of the length field.
        offset: usize,
    },
    /// BER-TLV: the value runs past the end of the data.
    TruncatedValue {
        /// Offset of the data object's tag.
        offset: usize,
    },
    /// BER-TLV: a data object inside a template runs past the template's end.
    ChildOverrun {
        /// Offset of the child's tag.
        offset: usize,
    },
    /// BER-TLV: constructed objects nested deeper than the limit.
    TooDeep {
        /// Offset of the object that exceeds the limit.
        offset: usize,
    },
    /// BER-TLV: no data object at all (only padding, or nothing).
    NoObject,
    /// A DOL ends inside an entry (EMV Book 3 §5.4).
    TruncatedDol {
        /// Offset of the incomplete entry.
        offset: usize,
    },
    /// An output buffer is too small.
    BufferTooSmall {
        /// Bytes needed.
        need: usize,
    },
    /// A data object the computation needs is absent.
    MissingTag {
        /// The tag.
        tag: Tag,
    },
    /// A data object has a length other than its fixed one.
    TagLength {
        /// The tag.
        tag: Tag,
        /// The length required.
        expected: usize,
        /// The length found.
        got: usize,
    },
    /// Issuer application data (9F10) too short for the profile or for detection.
    IadLength {
        /// The smallest length needed.
        min: usize,
        /// The length found.
        got: usize,
    },
    /// The issuer application data names a format or cryptogram version this crate has no
    /// profile for.
    UnsupportedCvn,
    /// A parameter combination the algorithm does not define (e.g. an EMV2000 tree with
    /// `b^H ≤ 65535`, a current PIN for M/Chip, an ATC beyond the tree).
    Parameter {
        /// What is wrong.
        what: &'static str,
    },
    /// The application cryptogram did not verify. Deliberately says nothing more.
    ArqcVerification,
    /// A PBOC MAC1 (or other MAC) did not verify. Deliberately says nothing more.
    MacVerification,
    /// A PBOC load would take the balance past `FFFFFFFF`.
    BalanceOverflow,
    /// A MAC computation error from `paycrypt-mac` (not reachable with valid keys).
    Mac(paycrypt_mac::Error),
}

impl Error {
    /// The [`ErrorClass`] of this error.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::Psn { .. }
            | Self::KeyLength { .. }
            | Self::FieldLength { .. }
            | Self::TooLong { .. }
            | Self::TruncatedTag { .. }
            | Self::TagTooLong { .. }
            | Self::TruncatedLength { .. }
            | Self::IndefiniteLength { .. }
            | Self::LengthTooLong { .. }
            | Self::TruncatedValue { .. }
            | Self::ChildOverrun { .. }
            | Self::TooDeep { .. }
            | Self::NoObject
            | Self::TruncatedDol { .. }
            | Self::BufferTooSmall { .. }
            | Self::MissingTag { .. }
            | Self::TagLength { .. }
            | Self::IadLength { .. }
            | Self::Parameter { .. } => ErrorClass::Malformed,
            Self::UnsupportedCvn
            | Self::ArqcVerification
            | Self::MacVerification
            | Self::BalanceOverflow => ErrorClass::Rejected,
            Self::Mac(_) => ErrorClass::Malformed,
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
            Self::KeyLength { got } => {
                write!(f, "key must be 16 bytes (double-length TDES), got {got}")
            }
            Self::FieldLength {
                field,
                min,
                max,
                got,
            } => {
                if min == max {
                    write!(f, "{field} must be {min} bytes, got {got}")
                } else {
                    write!(f, "{field} must be {min} to {max} bytes, got {got}")
                }
            }
            Self::TooLong { what, max, got } => {
                write!(f, "{what} too long: {got} bytes, at most {max}")
            }
            Self::TruncatedTag { offset } => write!(f, "TLV: truncated tag at offset {offset}"),
            Self::TagTooLong { offset } => {
                write!(f, "TLV: tag longer than 4 bytes at offset {offset}")
            }
            Self::TruncatedLength { offset } => {
                write!(f, "TLV: truncated length at offset {offset}")
            }
            Self::IndefiniteLength { offset } => write!(
                f,
                "TLV: indefinite length (80) at offset {offset} is not allowed in EMV"
            ),
            Self::LengthTooLong { offset } => write!(
                f,
                "TLV: length field with more than 3 length bytes at offset {offset}"
            ),
            Self::TruncatedValue { offset } => write!(
                f,
                "TLV: value of the object at offset {offset} runs past the end of its data"
            ),
            Self::ChildOverrun { offset } => write!(
                f,
                "TLV: the object at offset {offset} runs past the end of its template"
            ),
            Self::TooDeep { offset } => {
                write!(f, "TLV: nesting deeper than the limit at offset {offset}")
            }
            Self::NoObject => f.write_str("TLV: no data object"),
            Self::TruncatedDol { offset } => write!(f, "DOL: truncated entry at offset {offset}"),
            Self::BufferTooSmall { need } => write!(f, "output buffer too small: need {need}"),
            Self::MissingTag { tag } => write!(f, "data object {tag} is missing"),
            Self::TagLength { tag, expected, got } => {
                write!(f, "data object {tag} must be {expected} bytes, got {got}")
            }
            Self::IadLength { min, got } => write!(
                f,
                "issuer application data (9F10) too short: {got} bytes, need {min}"
            ),
            Self::UnsupportedCvn => {
                f.write_str("unsupported issuer application data format or cryptogram version")
            }
            Self::Parameter { what } => f.write_str(what),
            Self::ArqcVerification => f.write_str("ARQC verification failed"),
            Self::MacVerification => f.write_str("MAC verification failed"),
            Self::BalanceOverflow => f.write_str("the new balance would exceed FFFFFFFF"),
            Self::Mac(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl core::error::Error for Error {}

impl From<paycrypt_mac::Error> for Error {
    fn from(e: paycrypt_mac::Error) -> Self {
        Self::Mac(e)
    }
}

/// Checks a field's length.
pub(crate) fn check_len(
    field: &'static str,
    got: usize,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    if (min..=max).contains(&got) {
        Ok(())
    } else {
        Err(Error::FieldLength {
            field,
            min,
            max,
            got,
        })
    }
}

/// A fixed-size array from a slice, or [`Error::FieldLength`].
pub(crate) fn array<const N: usize>(field: &'static str, bytes: &[u8]) -> Result<[u8; N], Error> {
    bytes.try_into().map_err(|_| Error::FieldLength {
        field,
        min: N,
        max: N,
        got: bytes.len(),
    })
}
