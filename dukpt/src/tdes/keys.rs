//! Typed key roles and working-key derivation (ANSI X9.24-1:2009 A.4.1, A.6).
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

use super::engine::{Engine, Portable, TableVartime};
use super::host;
use super::ksn::Ksn;
use crate::Error;
use core::fmt;
use paycrypt_primitives::key::{KeyAlgorithm, TdesKey};
use zeroize::Zeroize;

/// The key mask (X9.24-1:2009 A.2 "C0C0 C0C0 0000 0000 ..."), per 8-byte half.
pub(crate) const KEY_MASK: u64 = 0xC0C0_C0C0_0000_0000;
/// PIN encryption variant (X9.24-1:2009 A.4.1), per half.
pub(crate) const PIN_VARIANT: u64 = 0x0000_0000_0000_00FF;
/// MAC request (= both ways) variant, per half.
pub(crate) const MAC_REQUEST_VARIANT: u64 = 0x0000_0000_0000_FF00;
/// MAC response variant, per half.
pub(crate) const MAC_RESPONSE_VARIANT: u64 = 0x0000_0000_FF00_0000;
/// Data encryption request (= both ways) variant, per half.
pub(crate) const DATA_REQUEST_VARIANT: u64 = 0x0000_0000_00FF_0000;
/// Data encryption response variant, per half.
pub(crate) const DATA_RESPONSE_VARIANT: u64 = 0x0000_00FF_0000_0000;

/// A 16-byte double-length key as two big-endian halves (internal working form).
pub(crate) type Halves = [u64; 2];

pub(crate) fn halves_of(key: &TdesKey) -> Result<Halves, Error> {
    if key.algorithm() != KeyAlgorithm::Tdes2 {
        return Err(Error::KeyLength { got: key.len() });
    }
    let b = key.expose_bytes();
    let (l, r) = b
        .split_at_checked(8)
        .ok_or(Error::KeyLength { got: b.len() })?;
    let l: [u8; 8] = l
        .try_into()
        .map_err(|_| Error::KeyLength { got: b.len() })?;
    let r: [u8; 8] = r
        .try_into()
        .map_err(|_| Error::KeyLength { got: b.len() })?;
    Ok([u64::from_be_bytes(l), u64::from_be_bytes(r)])
}

pub(crate) fn key_of(mut k: Halves) -> Result<TdesKey, Error> {
    let mut bytes = [0u8; 16];
    let (l, r) = bytes.split_at_mut(8);
    l.copy_from_slice(&k[0].to_be_bytes());
    r.copy_from_slice(&k[1].to_be_bytes());
    let out = TdesKey::from_bytes(&bytes);
    bytes.zeroize();
    k.zeroize();
    Ok(out?)
}

/// Direction of a MAC or data key (X9.24-1:2009 A.4.1). The request keys are also the
/// "both ways" keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Originator → host; also the key for devices that use one key both ways.
    Request,
    /// Host → originator.
    Response,
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

/// Which working key to derive from a transaction key (X9.24-1:2009 A.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUsage {
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

impl KeyUsage {
    /// The MAC usage for a direction.
    #[must_use]
    pub const fn mac(direction: Direction) -> Self {
        match direction {
            Direction::Request => Self::MacRequest,
            Direction::Response => Self::MacResponse,
        }
    }

    /// The data usage for a direction and style.
    #[must_use]
    pub const fn data(direction: Direction, style: DataKeyStyle) -> Self {
        match direction {
            Direction::Request => Self::DataRequest(style),
            Direction::Response => Self::DataResponse(style),
        }
    }
}

/// Working key from a transaction key (X9.24-1:2009 A.4.1).
pub(crate) fn working<E: Engine>(k: Halves, usage: KeyUsage) -> Halves {
    let xor = |v: u64| [k[0] ^ v, k[1] ^ v];
    let data = |v: u64, style: DataKeyStyle| match style {
        DataKeyStyle::Owf2009 => {
            let var = xor(v);
            E::tdea_encrypt2(var, var[0], var[1])
        }
        DataKeyStyle::BareVariant => xor(v),
        DataKeyStyle::PinVariantLegacy => xor(PIN_VARIANT),
    };
    match usage {
        KeyUsage::Pin => xor(PIN_VARIANT),
        KeyUsage::MacRequest => xor(MAC_REQUEST_VARIANT),
        KeyUsage::MacResponse => xor(MAC_RESPONSE_VARIANT),
        KeyUsage::DataRequest(s) => data(DATA_REQUEST_VARIANT, s),
        KeyUsage::DataResponse(s) => data(DATA_RESPONSE_VARIANT, s),
    }
}

macro_rules! role {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(TdesKey);

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), " { ... }"))
            }
        }
    };
}

macro_rules! working_role {
    ($(#[$m:meta])* $name:ident) => {
        role!($(#[$m])* $name);

        impl $name {
            /// The key, for the PIN / MAC / cipher crates.
            #[must_use]
            pub fn key(&self) -> &TdesKey {
                &self.0
            }

            /// The key, by value.
            #[must_use]
            pub fn into_key(self) -> TdesKey {
                self.0
            }
        }

        impl From<$name> for TdesKey {
            fn from(k: $name) -> TdesKey {
                k.0
            }
        }
    };
}

working_role!(
    /// A PIN encryption key (X9.24-1:2009 A.4.1: transaction key ⊕ PIN variant).
    PinKey
);
working_role!(
    /// A MAC key (request = both ways, or response).
    MacKey
);
working_role!(
    /// A data encryption key (request = both ways, or response; in a [`DataKeyStyle`]).
    DataKey
);

role!(
    /// An Initial PIN Encryption Key (IPEK, X9.24-1:2009 A.6), a.k.a. initial key: what a
    /// device is loaded with, derived from the BDK and the initial KSN.
    ///
    /// Not a working key: it cannot be passed where a PIN, MAC or data key is expected.
    Ipek
);

role!(
    /// A transaction key (X9.24-1:2009 A.2 "current key", the future key register used for one
    /// transaction). Not a working key: derive one with [`TransactionKey::pin_key`] etc.
    TransactionKey
);

impl Ipek {
    /// An IPEK from 16 bytes (a terminal's view: `--ik`).
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 16 {
            return Err(Error::KeyLength { got: bytes.len() });
        }
        Ok(Self(TdesKey::from_bytes(bytes)?))
    }

    /// An IPEK from a double-length [`TdesKey`].
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a triple-length key.
    pub fn from_key(key: TdesKey) -> Result<Self, Error> {
        halves_of(&key)?;
        Ok(Self(key))
    }

    pub(crate) fn from_halves(k: Halves) -> Result<Self, Error> {
        key_of(k).map(Self)
    }

    pub(crate) fn halves(&self) -> Result<Halves, Error> {
        halves_of(&self.0)
    }

    /// The key (an IPEK is exported to load a device; handle with care).
    #[must_use]
    pub fn expose_key(&self) -> &TdesKey {
        &self.0
    }

    /// Transaction key for any counter the KSN carries (X9.24-1:2009 A.3), with the
    /// RustCrypto `des` crate. Only the KSN's counter and rightmost 8 bytes are used.
    ///
    /// # Errors
    /// Only if the key is not double length (cannot happen for a constructed `Ipek`).
    pub fn transaction_key(&self, ksn: &Ksn) -> Result<TransactionKey, Error> {
        let k = host::transaction::<Portable>(self.halves()?, ksn);
        TransactionKey::from_halves(k)
    }

    /// As [`Ipek::transaction_key`] with the table-driven DES (variable time, see
    /// `PERFORMANCE.md`).
    ///
    /// # Errors
    /// As [`Ipek::transaction_key`].
    pub fn transaction_key_vartime(&self, ksn: &Ksn) -> Result<TransactionKey, Error> {
        let k = host::transaction::<TableVartime>(self.halves()?, ksn);
        TransactionKey::from_halves(k)
    }

    /// The working key `usage` for the KSN (transaction key, then A.4.1).
    ///
    /// # Errors
    /// As [`Ipek::transaction_key`].
    pub fn working_key(&self, ksn: &Ksn, usage: KeyUsage) -> Result<TdesKey, Error> {
        let k = host::transaction::<Portable>(self.halves()?, ksn);
        key_of(working::<Portable>(k, usage))
    }
}

impl TransactionKey {
    pub(crate) fn from_halves(k: Halves) -> Result<Self, Error> {
        key_of(k).map(Self)
    }

    pub(crate) fn halves(&self) -> Result<Halves, Error> {
        halves_of(&self.0)
    }

    /// A transaction key from 16 bytes (for example from an HSM log, for comparison).
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 16 {
            return Err(Error::KeyLength { got: bytes.len() });
        }
        Ok(Self(TdesKey::from_bytes(bytes)?))
    }

    /// The raw transaction key, for debugging against an HSM. It is not a working key.
    #[must_use]
    pub fn expose_key(&self) -> &TdesKey {
        &self.0
    }

    /// PIN encryption key: transaction key ⊕ PIN variant (X9.24-1:2009 A.4.1).
    ///
    /// # Errors
    /// Only if the key is not double length (cannot happen for a constructed key).
    pub fn pin_key(&self) -> Result<PinKey, Error> {
        self.derive(KeyUsage::Pin).map(PinKey)
    }

    /// MAC key for a direction (request = both ways).
    ///
    /// # Errors
    /// As [`TransactionKey::pin_key`].
    pub fn mac_key(&self, direction: Direction) -> Result<MacKey, Error> {
        self.derive(KeyUsage::mac(direction)).map(MacKey)
    }

    /// Data encryption key for a direction, in an explicit [`DataKeyStyle`].
    ///
    /// # Errors
    /// As [`TransactionKey::pin_key`].
    pub fn data_key(&self, direction: Direction, style: DataKeyStyle) -> Result<DataKey, Error> {
        self.derive(KeyUsage::data(direction, style)).map(DataKey)
    }

    /// Any working key, untyped (the usage is the caller's explicit choice).
    ///
    /// # Errors
    /// As [`TransactionKey::pin_key`].
    pub fn working_key(&self, usage: KeyUsage) -> Result<TdesKey, Error> {
        self.derive(usage)
    }

    fn derive(&self, usage: KeyUsage) -> Result<TdesKey, Error> {
        key_of(working::<Portable>(self.halves()?, usage))
    }
}
