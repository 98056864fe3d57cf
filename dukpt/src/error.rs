//! The crate's error type, shared by the TDES and AES halves.

use core::fmt;
/// The workspace-wide error classification (defined in `paycrypt-primitives`).
pub use paycrypt_primitives::ErrorClass;

/// Errors from DUKPT derivation and the originating-device state machines.
///
/// No variant carries key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A KSN had the wrong number of bytes for its scheme.
    KsnLength {
        /// Bytes expected (10 for TDES, 12 for AES; 8 with the explicit padded constructor).
        expected: usize,
        /// Bytes supplied.
        got: usize,
    },
    /// A key had the wrong length for its role.
    KeyLength {
        /// Bytes supplied.
        got: usize,
    },
    /// The transaction counter has more one-bits than an originating device may use
    /// (10 for TDES, 16 for AES).
    CounterNotValid,
    /// The counter space is used up (TDES after `0x1FF800`, AES after `0xFFFF0000`).
    Exhausted,
    /// The AES counter `0xFFFFFFFF` belongs to the update key and is refused for transactions.
    ReservedCounter,
    /// The requested working-key type is stronger than the BDK (X9.24-3:2017 §6.2 strength
    /// rule), or not allowed for the usage (HMAC keys only for MAC usages).
    KeyTypeNotAllowed,
    /// A working key was converted into a key of another role than the one it was derived
    /// for (an AES DUKPT key derived for MAC usage offered as a PIN key, X9.24-3:2017 §6.3.2
    /// Table 2): key separation.
    UsageMismatch {
        /// The usage the key was derived for ([`KeyUsage::name`](crate::aes::KeyUsage::name)).
        usage: &'static str,
        /// The role asked for: `"PIN encryption"`, `"MAC"` or `"data encryption"`.
        role: &'static str,
    },
    /// The originating device has no initial key loaded.
    NotInitialized,
    /// A saved device state failed its integrity check or does not parse.
    CorruptState,
    /// A genuine saved device state is older than the caller's monotonic counter says the
    /// device has reached: restoring it would re-issue KSNs already used.
    RolledBack {
        /// The state's generation.
        generation: u64,
        /// The least generation the caller accepts.
        expected: u64,
    },
    /// The operation is defined by the standard but not supported by this crate (for example
    /// the 80-bit compatibility KSN of AES DUKPT, whose encoding is not public).
    Unsupported,
    /// A batch call was given output space for a different number of keys than KSNs.
    BatchLength {
        /// KSNs supplied.
        ksns: usize,
        /// Output slots supplied.
        keys: usize,
    },
    /// An error from the shared primitives.
    Primitives(paycrypt_primitives::Error),
}

impl Error {
    /// The [`ErrorClass`] of this error: counter states a device may not use and corrupt saved
    /// states are [`Rejected`](ErrorClass::Rejected); lengths, key types the BDK or usage does
    /// not allow, a working key offered for another role, and unsupported forms are malformed
    /// input.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        match self {
            Self::CounterNotValid
            | Self::Exhausted
            | Self::ReservedCounter
            | Self::NotInitialized
            | Self::CorruptState
            | Self::RolledBack { .. } => ErrorClass::Rejected,
            Self::KsnLength { .. }
            | Self::KeyLength { .. }
            | Self::KeyTypeNotAllowed
            | Self::UsageMismatch { .. }
            | Self::Unsupported
            | Self::BatchLength { .. } => ErrorClass::Malformed,
            Self::Primitives(e) => e.class(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KsnLength { expected, got } => {
                write!(f, "a KSN must be {expected} bytes, not {got}")
            }
            Self::KeyLength { got } => write!(f, "a {got}-byte key is not valid for this role"),
            Self::CounterNotValid => {
                f.write_str("the KSN counter has more one-bits than a device may use")
            }
            Self::Exhausted => f.write_str("the KSN counter space is exhausted"),
            Self::ReservedCounter => f.write_str("counter FFFFFFFF is reserved for the update key"),
            Self::KeyTypeNotAllowed => {
                f.write_str("the key type is not allowed for this BDK or usage")
            }
            Self::UsageMismatch { usage, role } => {
                write!(
                    f,
                    "a working key derived for usage {usage} is not a {role} key"
                )
            }
            Self::NotInitialized => f.write_str("no initial key is loaded"),
            Self::CorruptState => f.write_str("the saved device state is corrupt"),
            Self::RolledBack {
                generation,
                expected,
            } => write!(
                f,
                "the saved device state is of generation {generation}, older than {expected}: it would reuse KSNs"
            ),
            Self::Unsupported => f.write_str("not supported"),
            Self::BatchLength { ksns, keys } => {
                write!(
                    f,
                    "a batch of {ksns} KSNs needs as many output keys, not {keys}"
                )
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
