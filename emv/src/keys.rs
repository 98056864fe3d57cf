//! Typed keys, one type per role (EMV 4.4 Book 2 A1.3, A1.4, §9; JR/T 0025).
//!
//! Every key wraps a double-length [`TdesKey`] (zeroized on drop); `Debug` prints the type name
//! only. Master keys carry their role (`Ac`, `Smi`, `Smc`) as a type parameter, so an SMI session
//! key can only come from an SMI ICC master key, which can only come from an SMI issuer master
//! key: mixing them does not compile. The only conversions are the derivation functions.

use crate::Error;
use crate::kdf::{self, IccDerivation, Psn};
use core::fmt;
use core::marker::PhantomData;
use paycrypt_pinblock::Pan;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{SymmetricKey, TdesKey};

mod sealed {
    pub trait Sealed {}
}

/// The role of an EMV master key (sealed: [`Ac`], [`Smi`], [`Smc`]).
pub trait KeyRole: sealed::Sealed + 'static {
    /// The role's name as EMV writes it (`AC`, `SMI`, `SMC`).
    const NAME: &'static str;
}

/// Role marker: application cryptograms (MK-AC, EMV 4.4 Book 2 A1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ac {}
/// Role marker: secure-messaging integrity (MK-SMI, Book 2 §9.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Smi {}
/// Role marker: secure-messaging confidentiality (MK-SMC, Book 2 §9.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Smc {}

impl sealed::Sealed for Ac {}
impl sealed::Sealed for Smi {}
impl sealed::Sealed for Smc {}
impl KeyRole for Ac {
    const NAME: &'static str = "AC";
}
impl KeyRole for Smi {
    const NAME: &'static str = "SMI";
}
impl KeyRole for Smc {
    const NAME: &'static str = "SMC";
}

/// A double-length TDES key from 16 bytes.
pub(crate) fn tdes16(bytes: &[u8]) -> Result<TdesKey, Error> {
    if bytes.len() != 16 {
        return Err(Error::KeyLength { got: bytes.len() });
    }
    TdesKey::from_bytes(bytes).map_err(|_| Error::KeyLength { got: bytes.len() })
}

/// A TDES key from 16 bytes known to have that length.
pub(crate) fn tdes_from_16(bytes: &[u8; 16]) -> TdesKey {
    match TdesKey::from_bytes(bytes) {
        Ok(k) => k,
        // 16 bytes is always a valid 2-key TDES length.
        Err(_) => tdes_from_16(&[0u8; 16]),
    }
}

/// `E_K(block)` under a TDES key, one 8-byte block.
pub(crate) fn tdes_encrypt(key: &TdesKey, block: &mut [u8; 8]) {
    let cipher = BlockCipher::new(&SymmetricKey::Tdes(key.clone()));
    // An 8-byte block is the TDES block length: this cannot fail.
    let _ = cipher.encrypt_block(block);
}

/// The 3-byte key check value `E_K(00…00)` leftmost bytes (ANSI X9.24-1).
pub(crate) fn kcv3(key: &TdesKey) -> [u8; 3] {
    let mut z = [0u8; 8];
    tdes_encrypt(key, &mut z);
    [z[0], z[1], z[2]]
}

macro_rules! role_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<R: KeyRole> {
            key: TdesKey,
            role: PhantomData<R>,
        }

        impl<R: KeyRole> $name<R> {
            /// The key from its 16 bytes.
            ///
            /// # Errors
            /// [`Error::KeyLength`] unless 16 bytes.
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                Ok(Self::wrap(tdes16(bytes)?))
            }

            pub(crate) const fn wrap(key: TdesKey) -> Self {
                Self { key, role: PhantomData }
            }

            /// The key bytes. Handle with care: copies are not zeroized by this crate.
            #[must_use]
            pub fn expose_bytes(&self) -> &[u8] {
                self.key.expose_bytes()
            }

            /// The underlying TDES key.
            #[must_use]
            pub const fn as_tdes(&self) -> &TdesKey {
                &self.key
            }

            /// Key check value: the leftmost 3 bytes of `E_K(00…00)`.
            #[must_use]
            pub fn kcv(&self) -> [u8; 3] {
                kcv3(&self.key)
            }
        }

        impl<R: KeyRole> Clone for $name<R> {
            fn clone(&self) -> Self {
                Self::wrap(self.key.clone())
            }
        }

        impl<R: KeyRole> fmt::Debug for $name<R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "<{}>(..)"), R::NAME)
            }
        }
    };
}

role_key!(
    /// An issuer master key (IMK, EMV 4.4 Book 2 A1.4): MK-AC, MK-SMI or MK-SMC of the issuer,
    /// by its role `R`.
    IssuerMasterKey
);
role_key!(
    /// An ICC master key (Book 2 A1.4; AWS and pyemv call it the UDK) of role `R`.
    IccMasterKey
);

impl<R: KeyRole> IssuerMasterKey<R> {
    /// The card's ICC master key of the same role (Book 2 A1.4.1 option A or A1.4.2 option B),
    /// parity-adjusted; see [`derive_icc_master_key`](crate::derive_icc_master_key).
    #[must_use]
    pub fn derive_icc(&self, pan: &Pan, psn: Psn, method: IccDerivation) -> IccMasterKey<R> {
        IccMasterKey::wrap(kdf::derive_icc_master_key(&self.key, pan, psn, method))
    }
}

macro_rules! plain_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(TdesKey);

        impl $name {
            /// The key from its 16 bytes (e.g. a session key an HSM exported).
            ///
            /// # Errors
            /// [`Error::KeyLength`] unless 16 bytes.
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                Ok(Self(tdes16(bytes)?))
            }

            /// The key bytes. Handle with care: copies are not zeroized by this crate.
            #[must_use]
            pub fn expose_bytes(&self) -> &[u8] {
                self.0.expose_bytes()
            }

            /// The underlying TDES key.
            #[must_use]
            pub const fn as_tdes(&self) -> &TdesKey {
                &self.0
            }

            /// Key check value: the leftmost 3 bytes of `E_K(00…00)`.
            #[must_use]
            pub fn kcv(&self) -> [u8; 3] {
                kcv3(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

plain_key!(
    /// The key an application cryptogram is computed with (Book 2 A1.3): a session key, or
    /// for Visa CVN 10 the ICC master key itself. Never used for scripts.
    AcSessionKey
);
plain_key!(
    /// A secure-messaging integrity session key (SK_SMI, Book 2 §9.2): issuer-script MACs.
    SmiSessionKey
);
plain_key!(
    /// A secure-messaging confidentiality session key (SK_SMC, Book 2 §9.3): command data
    /// encryption.
    SmcSessionKey
);
plain_key!(
    /// The key an ARPC is computed with (Book 2 §8.2): the ICC MK-AC or the AC session key,
    /// as the profile says. Obtained only from a verified ARQC or the `hazmat` module.
    ArpcKey
);
plain_key!(
    /// A PBOC / JR/T 0025 card load key (DLK, 圈存密钥).
    PbocLoadKey
);
plain_key!(
    /// A PBOC / JR/T 0025 card purchase key (DPK, 消费密钥).
    PbocPurchaseKey
);
plain_key!(
    /// A PBOC / JR/T 0025 card TAC key (DTK); the TAC is computed under `DTKL ⊕ DTKR`.
    PbocTacKey
);

impl AcSessionKey {
    pub(crate) const fn wrap(key: TdesKey) -> Self {
        Self(key)
    }
}
impl SmiSessionKey {
    pub(crate) const fn wrap(key: TdesKey) -> Self {
        Self(key)
    }
}
impl SmcSessionKey {
    pub(crate) const fn wrap(key: TdesKey) -> Self {
        Self(key)
    }
}
impl ArpcKey {
    pub(crate) const fn wrap(key: TdesKey) -> Self {
        Self(key)
    }
}
