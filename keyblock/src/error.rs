//! The crate's one error type.
//!
//! Errors are split in two families, as X9.143 §3 and the CLI contract require:
//!
//! - **Malformed text** ([`ErrorClass::Malformed`]): everything visible in
//!   the key-block text itself (length field, characters, optional blocks, version, KBPK length)
//!   or in the caller's input to a wrap. These carry the field and character position.
//! - **Authentication failure** ([`Error::AuthenticationFailed`]): everything found only by
//!   authenticating or decrypting (MAC mismatch, a wrong KBPK, tampered text). It is
//!   deliberately detail-free: any detail would be an oracle (X9.143 §7 key block
//!   authentication: the MAC is verified before the decrypted payload is read).
//!
//! - **Rules after authentication** ([`ErrorClass::Rejected`] but not an authentication
//!   failure): once the MAC has verified, nothing in the block is secret from the KBPK's holder,
//!   so the errors name the rule that failed — [`Error::KeyLengthField`],
//!   [`Error::KeyLengthNotAllowed`], [`Error::KcvMismatch`], [`Error::KcBlockRequired`].
//!
//! [`Error::class`] sorts every variant into [`ErrorClass::Malformed`] (visible in the input) or
//! [`ErrorClass::Rejected`] (authentication, or a rule checked after it). No variant carries key
//! material or a computed MAC.

use crate::codes::{Algorithm, BlockId, KeyUsage, UnknownVersion, Version};
use core::fmt;
/// The workspace-wide error classification (defined in `paycrypt-primitives`).
pub use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::key::KeyAlgorithm;

/// A field of the 16-character key-block header (X9.143 §6.2, TR-31:2018 A.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// Position 0: version id.
    Version,
    /// Positions 1–4: key-block length.
    Length,
    /// Positions 5–6: key usage.
    KeyUsage,
    /// Position 7: algorithm.
    Algorithm,
    /// Position 8: mode of use.
    ModeOfUse,
    /// Positions 9–10: key version number.
    KeyVersion,
    /// Position 11: exportability.
    Exportability,
    /// Positions 12–13: number of optional blocks.
    BlockCount,
    /// Position 14: key context (X9.143) / reserved (TR-31:2018).
    KeyContext,
    /// Position 15: reserved.
    Reserved,
}

impl Field {
    /// The field's name as the standards print it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Version => "version id",
            Self::Length => "key block length",
            Self::KeyUsage => "key usage",
            Self::Algorithm => "algorithm",
            Self::ModeOfUse => "mode of use",
            Self::KeyVersion => "key version number",
            Self::Exportability => "exportability",
            Self::BlockCount => "number of optional blocks",
            Self::KeyContext => "key context",
            Self::Reserved => "reserved",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that can go wrong in this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A character that is not printable ASCII (0x20–0x7E) in the header or optional blocks.
    InvalidCharacter {
        /// Character position, counted from 0.
        position: usize,
    },
    /// The text ends before a field that starts at `position`.
    Truncated {
        /// Position where more text was needed.
        position: usize,
    },
    /// The text exceeds the 9999-character maximum (X9.143: four decimal length digits).
    TooLong {
        /// Length in characters.
        length: usize,
    },
    /// The version id is neither `A`–`E` nor a digit (proprietary).
    UnknownVersion {
        /// The character found (printable ASCII, or the raw byte).
        found: u8,
    },
    /// A version this crate parses but cannot wrap or unwrap (a proprietary digit other than
    /// Thales `0`).
    UnsupportedVersion {
        /// The version.
        version: Version,
    },
    /// A header field holds a value the profile does not allow (bad digits, unknown code,
    /// non-zero reserved position ...).
    InvalidField {
        /// The field.
        field: Field,
        /// Position of the field's first character.
        position: usize,
    },
    /// The key usage, algorithm and mode of use do not form a combination the profile allows
    /// (X9.143 Table 6 / TR-31:2018 A.5.1).
    InvalidCombination {
        /// The field judged wrong (algorithm or mode of use for the given usage).
        field: Field,
    },
    /// The length field does not match the actual length of the key block.
    LengthMismatch {
        /// The length the header declares.
        declared: usize,
        /// The number of characters present.
        actual: usize,
    },
    /// An optional block's length (short `LL`, or extended `00 NN LLLL`) is malformed, too
    /// small, or runs past the end of the header.
    OptionalBlockLength {
        /// Position of the optional block's id.
        position: usize,
    },
    /// An optional block id is not two alphanumeric characters.
    OptionalBlockId {
        /// Position of the id.
        position: usize,
    },
    /// An optional block's data does not follow the format the profile requires for its id
    /// (X9.143 §6.3 optional blocks).
    OptionalBlockData {
        /// The block's id.
        id: BlockId,
        /// Position of the block's id.
        position: usize,
    },
    /// An optional block is not allowed with this header (KS with an AES key, IK with TDES,
    /// HM without HMAC, DA without B3, BI of the wrong type ...).
    OptionalBlockNotAllowed {
        /// The block's id.
        id: BlockId,
        /// Position of the block's id.
        position: usize,
    },
    /// The same optional block id appears twice (X9.143 §6.3 forbids it).
    DuplicateBlock {
        /// The repeated id.
        id: BlockId,
        /// Position of the second occurrence.
        position: usize,
    },
    /// A `PB` (padding) block is not the last optional block.
    PaddingBlockNotLast {
        /// Position of the `PB` block.
        position: usize,
    },
    /// More than 99 optional blocks.
    TooManyBlocks,
    /// The optional blocks do not end on a cipher-block boundary.
    Misaligned {
        /// Length of the header including its optional blocks, in characters.
        length: usize,
        /// The version's cipher block size in characters (8 for A/B/C, 16 for D/E).
        block_size: usize,
    },
    /// Text follows the optional blocks where only a header was expected.
    TrailingData {
        /// Position of the first extra character.
        position: usize,
    },
    /// A character in the encrypted payload or MAC that is not upper-case hex (lower case is
    /// accepted only by [`Profile::Lenient`](crate::Profile::Lenient)).
    InvalidPayload {
        /// Character position in the key block.
        position: usize,
    },
    /// The encrypted payload has a length the version does not allow (not a whole number of
    /// cipher blocks, or too short for the key-length field and the MAC — e.g. a truncated MAC).
    PayloadLength {
        /// Number of hex characters after the optional blocks (payload and MAC).
        length: usize,
        /// The version's cipher block size in bytes.
        block_size: usize,
    },
    /// The KBPK's type or length does not fit the key-block version (A/B/C need TDES 16 or 24
    /// bytes, D/E AES 16, 24 or 32). The display lists the versions the KBPK allows.
    InvalidKbpk {
        /// The version requested (or found in the key block).
        version: Version,
        /// The KBPK's algorithm, when it is a valid key at all.
        algorithm: Option<KeyAlgorithm>,
        /// The KBPK length in bytes.
        length: usize,
    },
    /// Wrap: the key's length does not fit the header's algorithm (T: 16/24, A: 16/24/32,
    /// D: 8 bytes).
    KeyLength {
        /// The header's algorithm.
        algorithm: Algorithm,
        /// The key length in bytes.
        length: usize,
    },
    /// Wrap: explicit padding bytes that do not complete the payload to a cipher-block
    /// multiple (or any padding for version E, which has none).
    PaddingLength {
        /// Number of padding bytes given.
        length: usize,
    },
    /// A `KC` or `KP` block's check value does not match the key or the KBPK (X9.143 §6.3.6,
    /// §6.3.7). Unwrap checks every such block after authentication (KCVs are public); wrap
    /// refuses a header carrying one that does not match.
    KcvMismatch {
        /// The block id (`KC` or `KP`).
        id: BlockId,
    },
    /// Key components: fewer than 2 or more than 3 components, or components of different
    /// lengths or algorithms.
    Components,
    /// Unwrap: the caller requires a `KC` block ([`UnwrapOptions::require_kc`](crate::UnwrapOptions))
    /// and the authenticated block has none, or one that cannot be checked for its algorithm.
    KcBlockRequired,
    /// Unwrap, after the MAC verified: the decrypted key-length field is not a whole number of
    /// bytes, is zero, or runs past the payload (for version E: differs from the payload).
    KeyLengthField {
        /// The field's value in bits.
        bits: u16,
        /// Payload bytes after the field.
        available: usize,
    },
    /// Unwrap, after the MAC verified: the key's length does not fit the header's algorithm
    /// under the profile (X9.143 §6.1: T 16/24, A 16/24/32, D 8 bytes). [`Profile::Lenient`]
    /// accepts any length; [`Profile::Interop`] also accepts an 8-byte key under `T`
    /// (published test sets carry them).
    ///
    /// [`Profile::Lenient`]: crate::Profile::Lenient
    /// [`Profile::Interop`]: crate::Profile::Interop
    KeyLengthNotAllowed {
        /// The header's algorithm.
        algorithm: Algorithm,
        /// The key length in bytes.
        length: usize,
    },
    /// A conversion of an unwrapped key into a typed key of one role (`PinKey`, a MAC key, a
    /// DUKPT BDK or initial key) found another key usage in the header: X9.143 §6.2 Table 2
    /// names one usage per role (`P0` PIN encryption, `M0`–`M8` MAC, `B0` BDK, `B1` initial
    /// DUKPT key).
    WrongKeyUsage {
        /// The header's key usage.
        found: KeyUsage,
        /// The type asked for (e.g. `paycrypt_pinblock::PinKey`).
        target: &'static str,
    },
    /// A conversion of an unwrapped key into a typed key found an algorithm (or a key length
    /// under it) the target type does not take (X9.143 §6.2 Table 3 algorithms; e.g. an HMAC
    /// key for a PIN key, an AES key for a TDES DUKPT BDK).
    WrongKeyAlgorithm {
        /// The header's algorithm.
        found: Algorithm,
        /// The key length in bytes.
        length: usize,
        /// The type asked for.
        target: &'static str,
    },
    /// An AES DUKPT initial key (`B1` under `A`) needs its initial key ID (X9.24-3:2017 §6.3.3),
    /// which the key block carries in an `IK` optional block (X9.143 §6.3, 16 hex digits): the
    /// block is missing or not 16 hex digits.
    InitialKeyIdMissing,
    /// Authentication failed: wrong KBPK, tampered text, or a decrypted key-length field or key
    /// length that is not acceptable. Deliberately uniform (X9.143 §3 step 5).
    AuthenticationFailed,
    /// The random source failed.
    Rng,
    /// An error from the shared primitives (key or block length).
    Primitives(paycrypt_primitives::Error),
    /// An error from the MAC crate (CMAC, CBC-MAC, KCV computation).
    Mac(paycrypt_mac::Error),
}

impl Error {
    /// The class of this error: [`ErrorClass::Rejected`] for the authentication failure and the
    /// rules checked after it (and the random source), [`ErrorClass::Malformed`] for everything
    /// visible in the input. A CLI exits 1 and 2 respectively.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::InvalidCharacter { .. }
            | Self::Truncated { .. }
            | Self::TooLong { .. }
            | Self::UnknownVersion { .. }
            | Self::UnsupportedVersion { .. }
            | Self::InvalidField { .. }
            | Self::InvalidCombination { .. }
            | Self::LengthMismatch { .. }
            | Self::OptionalBlockLength { .. }
            | Self::OptionalBlockId { .. }
            | Self::OptionalBlockData { .. }
            | Self::OptionalBlockNotAllowed { .. }
            | Self::DuplicateBlock { .. }
            | Self::PaddingBlockNotLast { .. }
            | Self::TooManyBlocks
            | Self::Misaligned { .. }
            | Self::TrailingData { .. }
            | Self::InvalidPayload { .. }
            | Self::PayloadLength { .. }
            | Self::InvalidKbpk { .. }
            | Self::KeyLength { .. }
            | Self::PaddingLength { .. }
            | Self::Components => ErrorClass::Malformed,
            Self::Mac(e) => e.class(),
            Self::KcvMismatch { .. }
            | Self::KcBlockRequired
            | Self::KeyLengthField { .. }
            | Self::KeyLengthNotAllowed { .. }
            | Self::WrongKeyUsage { .. }
            | Self::WrongKeyAlgorithm { .. }
            | Self::InitialKeyIdMissing
            | Self::AuthenticationFailed
            | Self::Rng => ErrorClass::Rejected,
            Self::Primitives(e) => e.class(),
        }
    }
}

fn allowed_versions(algorithm: KeyAlgorithm) -> &'static str {
    match algorithm {
        KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3 => "A, B, C (TDES KBPK)",
        KeyAlgorithm::Aes128 | KeyAlgorithm::Aes192 | KeyAlgorithm::Aes256 => "D, E (AES KBPK)",
        _ => "none (a KBPK is TDES 16/24 bytes or AES 16/24/32 bytes)",
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter { position } => {
                write!(f, "non-printable character at position {position}")
            }
            Self::Truncated { position } => write!(f, "key block truncated at position {position}"),
            Self::TooLong { length } => {
                write!(
                    f,
                    "key block of {length} characters exceeds the 9999 maximum"
                )
            }
            Self::UnknownVersion { found } => {
                fmt::Display::fmt(&UnknownVersion { found: *found }, f)
            }
            Self::UnsupportedVersion { version } => {
                write!(f, "key block version '{version}' is not supported")
            }
            Self::InvalidField { field, position } => {
                write!(f, "invalid {field} at position {position}")
            }
            Self::InvalidCombination { field } => write!(
                f,
                "{field} not allowed with this key usage under the validation profile"
            ),
            Self::LengthMismatch { declared, actual } => write!(
                f,
                "length field says {declared} characters but the key block has {actual}"
            ),
            Self::OptionalBlockLength { position } => {
                write!(f, "invalid optional block length at position {position}")
            }
            Self::OptionalBlockId { position } => {
                write!(f, "invalid optional block id at position {position}")
            }
            Self::OptionalBlockData { id, position } => {
                write!(
                    f,
                    "invalid data in optional block {id} at position {position}"
                )
            }
            Self::OptionalBlockNotAllowed { id, position } => write!(
                f,
                "optional block {id} at position {position} is not allowed with this header"
            ),
            Self::DuplicateBlock { id, position } => {
                write!(f, "duplicate optional block {id} at position {position}")
            }
            Self::PaddingBlockNotLast { position } => write!(
                f,
                "padding block PB at position {position} is not the last optional block"
            ),
            Self::TooManyBlocks => f.write_str("more than 99 optional blocks"),
            Self::Misaligned { length, block_size } => write!(
                f,
                "header with optional blocks is {length} characters, not a multiple of {block_size}"
            ),
            Self::TrailingData { position } => {
                write!(
                    f,
                    "unexpected data after the optional blocks at position {position}"
                )
            }
            Self::InvalidPayload { position } => write!(
                f,
                "encrypted payload or MAC is not upper-case hex at position {position}"
            ),
            Self::PayloadLength { length, block_size } => write!(
                f,
                "{length} hex characters of payload and MAC do not fit the version ({block_size}-byte blocks)"
            ),
            Self::InvalidKbpk {
                version,
                algorithm,
                length,
            } => {
                let needs = if version.is_aes() {
                    "an AES KBPK of 16, 24 or 32 bytes"
                } else {
                    "a TDES KBPK of 16 or 24 bytes"
                };
                write!(f, "a {length}-byte ")?;
                if let Some(a) = algorithm {
                    write!(f, "{a} ")?;
                }
                write!(
                    f,
                    "KBPK cannot protect a version {version} key block, which needs {needs}"
                )?;
                if let Some(a) = algorithm {
                    write!(f, "; this KBPK allows versions {}", allowed_versions(*a))?;
                }
                Ok(())
            }
            Self::KeyLength { algorithm, length } => write!(
                f,
                "a {length}-byte key does not fit the header algorithm '{algorithm}'"
            ),
            Self::PaddingLength { length } => write!(
                f,
                "{length} padding bytes do not complete the payload to a whole cipher block"
            ),
            Self::Components => f.write_str(
                "key components: need 2 or 3 components of the same algorithm and length",
            ),
            Self::KcvMismatch { id } => {
                let of = if *id == BlockId::KP {
                    "the KBPK"
                } else {
                    "the key"
                };
                write!(
                    f,
                    "optional block {id} does not match the check value of {of} (X9.143 §6.3)"
                )
            }
            Self::KcBlockRequired => f.write_str(
                "no checkable KC block: a KC block with the key's check value is required",
            ),
            Self::KeyLengthField { bits, available } => write!(
                f,
                "the authenticated key-length field ({bits} bits) is not a whole number of bytes \
                 within the {available} payload bytes that follow it"
            ),
            Self::KeyLengthNotAllowed { algorithm, length } => {
                write!(
                    f,
                    "{length}-byte key under algorithm {algorithm}: X9.143 requires "
                )?;
                match algorithm.key_lengths() {
                    Some([a, b]) => write!(f, "{a} or {b} bytes")?,
                    Some([a, b, c]) => write!(f, "{a}, {b} or {c} bytes")?,
                    Some([a]) => write!(f, "{a} bytes")?,
                    _ => f.write_str("another length")?,
                }
                f.write_str("; the lenient profile accepts it")
            }
            Self::WrongKeyUsage { found, target } => write!(
                f,
                "key usage {found} cannot become a {target} (X9.143 key usage: P0 PIN key, \
                 M0-M8 MAC key, B0 BDK, B1 initial DUKPT key)"
            ),
            Self::WrongKeyAlgorithm {
                found,
                length,
                target,
            } => write!(
                f,
                "a {length}-byte key under algorithm {found} cannot become a {target}"
            ),
            Self::InitialKeyIdMissing => f.write_str(
                "an AES DUKPT initial key needs its initial key ID: no IK block of 16 hex digits",
            ),
            Self::AuthenticationFailed => f.write_str("key block authentication failed"),
            Self::Rng => f.write_str("the random source failed"),
            Self::Primitives(e) => write!(f, "{e}"),
            Self::Mac(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for Error {}

impl From<UnknownVersion> for Error {
    fn from(e: UnknownVersion) -> Self {
        Self::UnknownVersion { found: e.found }
    }
}

impl From<paycrypt_mac::Error> for Error {
    fn from(e: paycrypt_mac::Error) -> Self {
        Self::Mac(e)
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
