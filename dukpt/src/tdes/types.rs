//! The TDES DUKPT vocabulary: key variants and data-key styles (ANSI X9.24-1:2009 A.4.1), the
//! key mask (A.2), and the double-length key form every derivation step works on.
//!
//! Variants (16 bytes, the same 8-byte pattern in both halves):
//!
//! ```text
//! key mask (IPEK right half, NRKGP)   C0C0C0C000000000 C0C0C0C000000000
//! PIN                                 00000000000000FF 00000000000000FF
//! MAC request (= both ways)           000000000000FF00 000000000000FF00
//! MAC response                        00000000FF000000 00000000FF000000
//! data request (= both ways)          0000000000FF0000 0000000000FF0000
//! data response                       000000FF00000000 000000FF00000000
//! ```

use crate::Direction;
use crate::Error;
use paycrypt_primitives::key::{KeyAlgorithm, TdesKey};
use zeroize::Zeroize;

/// The key mask (X9.24-1:2009 A.2 "C0C0 C0C0 0000 0000 ..."), per 8-byte half.
pub(crate) const KEY_MASK: u64 = 0xC0C0_C0C0_0000_0000;
/// PIN encryption variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const PIN_VARIANT: u64 = 0x0000_0000_0000_00FF;
/// MAC request (= both ways) variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const MAC_REQUEST_VARIANT: u64 = 0x0000_0000_0000_FF00;
/// MAC response variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const MAC_RESPONSE_VARIANT: u64 = 0x0000_0000_FF00_0000;
/// Data encryption request (= both ways) variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const DATA_REQUEST_VARIANT: u64 = 0x0000_0000_00FF_0000;
/// Data encryption response variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const DATA_RESPONSE_VARIANT: u64 = 0x0000_00FF_0000_0000;

/// A 16-byte double-length key as two big-endian halves (the working form of every
/// derivation step, X9.24-1:2009 A.2).
pub(crate) type Halves = [u64; 2];

/// A 2-key TDEA key (16 bytes): the only key length TDES DUKPT uses (X9.24-1:2009 A.6: BDK,
/// IPEK, future and working keys are all double length). Holding this type instead of a
/// [`TdesKey`] of 16 *or* 24 bytes makes every derivation from it infallible.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Key16(TdesKey);

impl Key16 {
    /// A double-length key.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a triple-length key.
    pub(crate) fn new(key: TdesKey) -> Result<Self, Error> {
        if key.algorithm() == KeyAlgorithm::Tdes2 {
            Ok(Self(key))
        } else {
            Err(Error::KeyLength { got: key.len() })
        }
    }

    /// A double-length key from 16 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 16] = bytes
            .try_into()
            .map_err(|_| Error::KeyLength { got: bytes.len() })?;
        Ok(Self(TdesKey::from_double_length(bytes)))
    }

    /// The key from its halves (the halves are zeroized).
    pub(crate) fn from_halves(mut k: Halves) -> Self {
        let mut bytes = [0u8; 16];
        for (d, s) in bytes
            .iter_mut()
            .zip(k[0].to_be_bytes().into_iter().chain(k[1].to_be_bytes()))
        {
            *d = s;
        }
        let out = Self(TdesKey::from_double_length(&bytes));
        bytes.zeroize();
        k.zeroize();
        out
    }

    /// The two halves (the caller zeroizes them).
    pub(crate) fn halves(&self) -> Halves {
        let mut h = [0u64; 2];
        for (half, chunk) in h.iter_mut().zip(self.0.expose_bytes().chunks(8)) {
            *half = chunk.iter().fold(0, |a, b| (a << 8) | u64::from(*b));
        }
        h
    }

    /// The key.
    pub(crate) const fn key(&self) -> &TdesKey {
        &self.0
    }

    /// The key, by value.
    pub(crate) fn into_key(self) -> TdesKey {
        self.0
    }
}

/// How data-encryption keys are derived from the transaction key. An explicit choice: the
/// crate never guesses it from a KSN or a device type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataKeyStyle {
    /// X9.24-1:2009 A.4.1 Figure A-2: `V = K ⊕ data variant`, then the one-way step
    /// `TDEA-E(V, V_L) ‖ TDEA-E(V, V_R)`.
    Owf2009,
    /// The bare variant `K ⊕ data variant` (devices built to X9.24-1 before 2009).
    BareVariant,
    /// The PIN variant `K ⊕ PIN variant` used for data (older card readers encrypting track
    /// data under the PIN key).
    PinVariantLegacy,
}

/// Which variant of the transaction key makes the working key (X9.24-1:2009 A.4.1): the
/// variant constant XORed into both halves, and for data keys the [`DataKeyStyle`].
///
/// Not the AES [`KeyUsage`](crate::aes::KeyUsage): TDES DUKPT has no usage field, only these
/// variant constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyVariant {
    /// PIN encryption key.
    Pin,
    /// MAC key, request direction (= both ways).
    MacRequest,
    /// MAC key, response direction.
    MacResponse,
    /// Data encryption key, request direction (= both ways), in the given style.
    DataRequest(DataKeyStyle),
    /// Data encryption key, response direction, in the given style.
    DataResponse(DataKeyStyle),
}

impl KeyVariant {
    /// The MAC variant for a direction (X9.24-1:2009 A.4.1: the request variant is also the
    /// both-ways variant, so [`Direction::Bidirectional`] gives [`KeyVariant::MacRequest`]).
    #[must_use]
    pub const fn mac(direction: Direction) -> Self {
        match direction {
            Direction::Request | Direction::Bidirectional => Self::MacRequest,
            Direction::Response => Self::MacResponse,
        }
    }

    /// The data variant for a direction and style (as [`KeyVariant::mac`]: `Bidirectional`
    /// gives the request key).
    #[must_use]
    pub const fn data(direction: Direction, style: DataKeyStyle) -> Self {
        match direction {
            Direction::Request | Direction::Bidirectional => Self::DataRequest(style),
            Direction::Response => Self::DataResponse(style),
        }
    }

    /// True for the PIN variant.
    #[must_use]
    pub const fn is_pin(self) -> bool {
        matches!(self, Self::Pin)
    }

    /// True for the two MAC variants.
    #[must_use]
    pub const fn is_mac(self) -> bool {
        matches!(self, Self::MacRequest | Self::MacResponse)
    }

    /// True for the data variants (any style).
    #[must_use]
    pub const fn is_data(self) -> bool {
        matches!(self, Self::DataRequest(_) | Self::DataResponse(_))
    }
}
