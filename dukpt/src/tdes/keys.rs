//! The typed key roles of TDES DUKPT (ANSI X9.24-1:2009 A.2, A.4.1, A.6) and their conversions
//! into the PIN, MAC and data-encryption key types of the other crates.
//!
//! Every role holds a double-length key by construction (`Key16`), so nothing derived from
//! one can fail: the derivations here return keys, not `Result`s.

use super::derive::{transaction, working};
use super::engine::{Portable, TableVartime};
use super::ksn::Ksn;
use super::types::{DataKeyStyle, Halves, Key16, KeyVariant};
use crate::{Direction, Error};
use core::fmt;
use paycrypt_mac::MacKey;
use paycrypt_pinblock::PinKey;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{SymmetricKey, TdesKey};
use zeroize::ZeroizeOnDrop;

macro_rules! redacted_debug {
    ($name:ident) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), " { ... }"))
            }
        }
    };
}

/// A PIN encryption working key (X9.24-1:2009 A.4.1: transaction key ⊕ PIN variant).
///
/// Becomes a [`paycrypt_pinblock::PinKey`] with `From`/`into()`. Zeroized on drop; `Debug`
/// prints no key.
#[derive(Clone, PartialEq, Eq)]
pub struct PinWorkingKey(Key16);

/// A MAC working key (X9.24-1:2009 A.4.1: transaction key ⊕ MAC request (= both ways) or
/// response variant), held as the [`SymmetricKey`] that [`paycrypt_mac::MacKey`] borrows.
///
/// `paycrypt_mac::MacKey::from(&key)` gives the MAC crate's key (ANSI X9.19 = ISO/IEC 9797-1
/// MAC algorithm 3 is the usual TDES DUKPT MAC, X9.24-1:2009 A.4). Zeroized on drop; `Debug`
/// prints no key.
#[derive(Clone, PartialEq, Eq)]
pub struct MacWorkingKey(SymmetricKey);

/// A data encryption working key (X9.24-1:2009 A.4.1: request (= both ways) or response, in a
/// [`DataKeyStyle`]).
///
/// Becomes the data cipher ([`BlockCipher`], TDEA-ECB/CBC) with `From`. Zeroized on drop;
/// `Debug` prints no key.
#[derive(Clone, PartialEq, Eq)]
pub struct DataWorkingKey(Key16);

/// An Initial PIN Encryption Key (IPEK, X9.24-1:2009 A.6), a.k.a. initial key: what a
/// device is loaded with, derived from the BDK and the initial KSN.
///
/// Not a working key: it cannot be passed where a PIN, MAC or data key is expected.
/// Zeroized on drop; `Debug` prints no key.
#[derive(Clone, PartialEq, Eq)]
pub struct Ipek(Key16);

/// A transaction key (X9.24-1:2009 A.2 "current key", the future key register used for one
/// transaction). Not a working key: derive one with [`TransactionKey::pin_key`] etc.
/// Zeroized on drop; `Debug` prints no key.
#[derive(Clone, PartialEq, Eq)]
pub struct TransactionKey(Key16);

redacted_debug!(PinWorkingKey);
redacted_debug!(MacWorkingKey);
redacted_debug!(DataWorkingKey);
redacted_debug!(Ipek);
redacted_debug!(TransactionKey);

// The inner `TdesKey` / `SymmetricKey` zeroize themselves on drop.
impl ZeroizeOnDrop for PinWorkingKey {}
impl ZeroizeOnDrop for MacWorkingKey {}
impl ZeroizeOnDrop for DataWorkingKey {}
impl ZeroizeOnDrop for Ipek {}
impl ZeroizeOnDrop for TransactionKey {}

/// `key()`, `into_key()` and `From<role> for TdesKey` of a role holding a `Key16`.
macro_rules! tdes_key_access {
    ($name:ident) => {
        impl $name {
            /// The key (double length).
            #[must_use]
            pub const fn key(&self) -> &TdesKey {
                self.0.key()
            }

            /// The key, by value.
            #[must_use]
            pub fn into_key(self) -> TdesKey {
                self.0.into_key()
            }
        }

        impl From<$name> for TdesKey {
            fn from(k: $name) -> Self {
                k.into_key()
            }
        }
    };
}

tdes_key_access!(PinWorkingKey);
tdes_key_access!(DataWorkingKey);

impl MacWorkingKey {
    fn new(key: Key16) -> Self {
        Self(SymmetricKey::Tdes(key.into_key()))
    }

    /// The key as the MAC crate takes it.
    #[must_use]
    pub const fn symmetric_key(&self) -> &SymmetricKey {
        &self.0
    }

    /// The raw key bytes (16). Handle with care.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.0.expose_bytes()
    }
}

impl From<PinWorkingKey> for PinKey {
    fn from(k: PinWorkingKey) -> Self {
        Self::from_tdes(k.key())
    }
}

impl From<&PinWorkingKey> for PinKey {
    fn from(k: &PinWorkingKey) -> Self {
        Self::from_tdes(k.key())
    }
}

impl<'a> From<&'a MacWorkingKey> for MacKey<'a> {
    fn from(k: &'a MacWorkingKey) -> Self {
        MacKey::Symmetric(&k.0)
    }
}

impl From<MacWorkingKey> for SymmetricKey {
    fn from(k: MacWorkingKey) -> Self {
        k.0
    }
}

impl From<&DataWorkingKey> for BlockCipher {
    fn from(k: &DataWorkingKey) -> Self {
        Self::from(k.key())
    }
}

impl From<DataWorkingKey> for BlockCipher {
    fn from(k: DataWorkingKey) -> Self {
        Self::from(k.key())
    }
}

impl Ipek {
    /// An IPEK from 16 bytes (a terminal's view: `--ik`).
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Key16::from_bytes(bytes).map(Self)
    }

    /// An IPEK from a double-length [`TdesKey`].
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a triple-length key.
    pub fn from_key(key: TdesKey) -> Result<Self, Error> {
        Key16::new(key).map(Self)
    }

    pub(crate) fn from_halves(k: Halves) -> Self {
        Self(Key16::from_halves(k))
    }

    pub(crate) fn halves(&self) -> Halves {
        self.0.halves()
    }

    /// The key (an IPEK is exported to load a device; handle with care).
    #[must_use]
    pub const fn expose_key(&self) -> &TdesKey {
        self.0.key()
    }

    /// Transaction key for any counter the KSN carries (X9.24-1:2009 A.3), constant time
    /// (bitsliced DES). Only the KSN's counter and rightmost 8 bytes are used.
    #[must_use]
    pub fn transaction_key(&self, ksn: &Ksn) -> TransactionKey {
        TransactionKey::from_halves(transaction::<Portable>(&mut self.halves(), ksn))
    }

    /// As [`Ipek::transaction_key`] with the table-driven DES (variable time, see
    /// `PERFORMANCE.md`).
    #[must_use]
    pub fn transaction_key_vartime(&self, ksn: &Ksn) -> TransactionKey {
        TransactionKey::from_halves(transaction::<TableVartime>(&mut self.halves(), ksn))
    }

    /// The working key `variant` for the KSN (transaction key, then X9.24-1:2009 A.4.1),
    /// constant time.
    #[must_use]
    pub fn working_key(&self, ksn: &Ksn, variant: KeyVariant) -> TdesKey {
        let mut k = transaction::<Portable>(&mut self.halves(), ksn);
        Key16::from_halves(working::<Portable>(&mut k, variant)).into_key()
    }
}

impl TransactionKey {
    pub(crate) fn from_halves(k: Halves) -> Self {
        Self(Key16::from_halves(k))
    }

    /// A transaction key from 16 bytes (for example from an HSM log, for comparison).
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Key16::from_bytes(bytes).map(Self)
    }

    /// The raw transaction key, for debugging against an HSM. It is not a working key.
    #[must_use]
    pub const fn expose_key(&self) -> &TdesKey {
        self.0.key()
    }

    /// PIN encryption key: transaction key ⊕ PIN variant (X9.24-1:2009 A.4.1).
    #[must_use]
    pub fn pin_key(&self) -> PinWorkingKey {
        PinWorkingKey(self.derive(KeyVariant::Pin))
    }

    /// MAC key for a direction (X9.24-1:2009 A.4.1; request = both ways).
    #[must_use]
    pub fn mac_key(&self, direction: Direction) -> MacWorkingKey {
        MacWorkingKey::new(self.derive(KeyVariant::mac(direction)))
    }

    /// Data encryption key for a direction, in an explicit [`DataKeyStyle`] (X9.24-1:2009
    /// A.4.1, Figure A-2 for [`DataKeyStyle::Owf2009`]).
    #[must_use]
    pub fn data_key(&self, direction: Direction, style: DataKeyStyle) -> DataWorkingKey {
        DataWorkingKey(self.derive(KeyVariant::data(direction, style)))
    }

    /// Any working key, untyped (the variant is the caller's explicit choice; X9.24-1:2009
    /// A.4.1).
    #[must_use]
    pub fn working_key(&self, variant: KeyVariant) -> TdesKey {
        self.derive(variant).into_key()
    }

    fn derive(&self, variant: KeyVariant) -> Key16 {
        Key16::from_halves(working::<Portable>(&mut self.0.halves(), variant))
    }
}
