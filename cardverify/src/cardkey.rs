//! Issuer master keys and per-card keys (EMV 4.4 Book 2 A1.4 Option A / B, through
//! [`paycrypt_emv::derive_icc_master_key`] — the one implementation in the workspace).

use crate::Error;
use crate::types::pan_digits;
use core::fmt;
use paycrypt_emv::{IccDerivation, Psn, derive_icc_master_key};
use paycrypt_pinblock::Pan;
use paycrypt_primitives::key::TdesKey;

/// What an issuer master key or card key is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImkRole {
    /// MK-AC, the application cryptogram master key: Visa dCVV (payShield `PW`).
    Ac,
    /// MK-CVC3: Mastercard CVC3.
    Cvc3,
}

/// An issuer master key with its role: exactly 16 bytes. `Debug` redacted, zeroized on drop.
#[derive(Clone)]
pub struct IssuerMasterKey {
    key: TdesKey,
    role: ImkRole,
}

/// Short name.
pub type Imk = IssuerMasterKey;

fn two_key(key: &TdesKey) -> Result<TdesKey, Error> {
    if key.len() == 16 {
        Ok(key.clone())
    } else {
        Err(Error::KeyLength)
    }
}

impl IssuerMasterKey {
    /// An IMK of `role` from a 2-key TDES key.
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn new(role: ImkRole, key: &TdesKey) -> Result<Self, Error> {
        Ok(Self {
            key: two_key(key)?,
            role,
        })
    }

    /// An IMK of `role` from 16 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`].
    pub fn from_bytes(role: ImkRole, bytes: &[u8]) -> Result<Self, Error> {
        Self::new(
            role,
            &TdesKey::from_bytes(bytes).map_err(|_| Error::KeyLength)?,
        )
    }

    /// The role.
    #[must_use]
    pub const fn role(&self) -> ImkRole {
        self.role
    }
}

impl fmt::Debug for IssuerMasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IssuerMasterKey({:?}, ..)", self.role)
    }
}

/// A per-card (ICC master) key with its role: 16 bytes. `Debug` redacted, zeroized on drop.
#[derive(Clone)]
pub struct CardKey {
    key: TdesKey,
    role: ImkRole,
}

impl CardKey {
    /// A card key of `role` supplied directly (e.g. read from a personalisation record).
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn new(role: ImkRole, key: &TdesKey) -> Result<Self, Error> {
        Ok(Self {
            key: two_key(key)?,
            role,
        })
    }

    /// A card key of `role` from 16 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`].
    pub fn from_bytes(role: ImkRole, bytes: &[u8]) -> Result<Self, Error> {
        Self::new(
            role,
            &TdesKey::from_bytes(bytes).map_err(|_| Error::KeyLength)?,
        )
    }

    /// Derives the card key from an issuer master key, EMV 4.4 Book 2 A1.4.1 (Option A) or
    /// A1.4.2 (Option B; for PANs of 16 digits or fewer it *is* Option A — jPOS's dCVV and
    /// CVC3 paths apply the SHA-1 step to every PAN, and their short-PAN values do not match
    /// here). The role is the IMK's.
    ///
    /// # Errors
    /// [`Error::Pan`] unless 12–19 digits.
    pub fn derive(
        imk: &IssuerMasterKey,
        pan: &Pan,
        psn: Psn,
        method: IccDerivation,
    ) -> Result<Self, Error> {
        pan_digits(pan)?;
        Ok(Self {
            key: derive_icc_master_key(&imk.key, pan, psn, method),
            role: imk.role,
        })
    }

    /// The role.
    #[must_use]
    pub const fn role(&self) -> ImkRole {
        self.role
    }

    pub(crate) fn for_role(&self, role: ImkRole) -> Result<&TdesKey, Error> {
        if self.role == role {
            Ok(&self.key)
        } else {
            Err(Error::KeyRole)
        }
    }
}

impl fmt::Debug for CardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardKey({:?}, ..)", self.role)
    }
}

/// Where the card key comes from.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum CardKeySource<'a> {
    /// Derived from an issuer master key (EMV Book 2 A1.4). PSN `00` when the card has none
    /// (payShield `PM`/`PW` assume it).
    Derived {
        /// The issuer master key.
        imk: &'a IssuerMasterKey,
        /// The PAN the card key is bound to.
        pan: &'a Pan,
        /// The PAN sequence number.
        psn: Psn,
        /// Option A or B.
        method: IccDerivation,
    },
    /// A card key given directly.
    Direct(&'a CardKey),
}

impl CardKeySource<'_> {
    /// The card key, derived or cloned.
    ///
    /// # Errors
    /// [`Error::Pan`] for a derivation PAN outside 12–19 digits.
    pub fn card_key(&self) -> Result<CardKey, Error> {
        match self {
            Self::Derived {
                imk,
                pan,
                psn,
                method,
            } => CardKey::derive(imk, pan, *psn, *method),
            Self::Direct(k) => Ok((*k).clone()),
        }
    }
}
