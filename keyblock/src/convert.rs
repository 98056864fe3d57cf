//! From an unwrapped key-block key to the typed key of the role its header names, in one step
//! (`let pin_key: PinKey = (&unwrapped).try_into()?;`). The key usage decides the role (X9.143
//! §6.2 Table 2, TR-31:2018 A.5.1) and the algorithm the key type (X9.143 §6.2 Table 3):
//!
//! | target | key usage | algorithm |
//! |---|---|---|
//! | `paycrypt_pinblock::PinKey` (feature `pinblock`) | `P0` PIN encryption | `T` (formats 0–3) or `A` (format 4) |
//! | [`paycrypt_mac::MacKey`] | `M0`–`M8` MAC | `T`, `A`, `D` for `M0`–`M6`, `M8`; `H`, `I`, `J` for `M7` |
//! | [`paycrypt_mac::HmacKey`] | `M7` HMAC | `H`, `I`, `J` |
//! | `paycrypt_dukpt::tdes::Bdk` (feature `dukpt`) | `B0` BDK | `T`, 16 bytes (X9.24-1:2009 A.6) |
//! | `paycrypt_dukpt::aes::Bdk` (feature `dukpt`) | `B0` BDK | `A` (X9.24-3:2017 §6.3.3) |
//! | `paycrypt_dukpt::tdes::Ipek` (feature `dukpt`) | `B1` initial DUKPT key | `T`, 16 bytes |
//! | `paycrypt_dukpt::aes::InitialKey` (feature `dukpt`) | `B1` initial DUKPT key | `A`, with the `IK` block's initial key ID (X9.143 §6.3) |
//!
//! A wrong usage is [`Error::WrongKeyUsage`], a wrong algorithm or length
//! [`Error::WrongKeyAlgorithm`]; both name the target type. The key block was authenticated
//! before any of this runs: nothing here is secret from its holder.
//!
//! [`paycrypt_mac::MacKey`]: paycrypt_mac::MacKey

use crate::codes::{Algorithm, KeyUsage};
use crate::error::Error;
use crate::keyblock::{TypedKey, Unwrapped};
use paycrypt_mac::HmacKey;
use paycrypt_mac::MacKey;
use paycrypt_primitives::key::SymmetricKey;

impl Unwrapped {
    /// Checks that the header's key usage is one of `usages` for `target`.
    fn require_usage(&self, usages: &[KeyUsage], target: &'static str) -> Result<(), Error> {
        let found = self.header().key_usage();
        if usages.contains(&found) {
            Ok(())
        } else {
            Err(Error::WrongKeyUsage { found, target })
        }
    }

    /// The error for an algorithm or length `target` does not take.
    fn wrong_algorithm(&self, target: &'static str) -> Error {
        Error::WrongKeyAlgorithm {
            found: self.header().algorithm(),
            length: self.key().len(),
            target,
        }
    }

    /// The block-cipher key, when the header's algorithm is one of `algorithms`.
    #[cfg_attr(not(any(feature = "pinblock", feature = "dukpt")), allow(dead_code))]
    fn block_cipher_key(
        &self,
        algorithms: &[Algorithm],
        target: &'static str,
    ) -> Result<&SymmetricKey, Error> {
        match self.typed() {
            TypedKey::Symmetric(k) if algorithms.contains(&self.header().algorithm()) => Ok(k),
            _ => Err(self.wrong_algorithm(target)),
        }
    }
}

/// The MAC key usages of X9.143 §6.2 Table 2 (`M0` ISO 16609, `M1`–`M5` ISO/IEC 9797-1
/// algorithms 1–5, `M6` CMAC, `M7` HMAC, `M8` ISO/IEC 9797-1:2011 algorithm 6).
const MAC_USAGES: [KeyUsage; 9] = [
    KeyUsage::M0,
    KeyUsage::M1,
    KeyUsage::M2,
    KeyUsage::M3,
    KeyUsage::M4,
    KeyUsage::M5,
    KeyUsage::M6,
    KeyUsage::M7,
    KeyUsage::M8,
];

/// A MAC key borrowed from an unwrapped `M0`–`M8` key (see [`Unwrapped`]): a
/// block-cipher key for `M0`–`M6` and `M8`, an HMAC key for `M7`. Which MAC algorithm the usage
/// names (e.g. `M3` = ISO/IEC 9797-1 algorithm 3) stays the caller's [`paycrypt_mac::MacAlgorithm`].
impl<'a> TryFrom<&'a Unwrapped> for MacKey<'a> {
    type Error = Error;

    fn try_from(u: &'a Unwrapped) -> Result<Self, Error> {
        const TARGET: &str = "paycrypt_mac::MacKey";
        u.require_usage(&MAC_USAGES, TARGET)?;
        match (u.header().key_usage(), u.typed()) {
            (KeyUsage::M7, TypedKey::Hmac(k)) => Ok(MacKey::Hmac(k)),
            (KeyUsage::M7, _) => Err(u.wrong_algorithm(TARGET)),
            (_, TypedKey::Symmetric(k)) => Ok(MacKey::Symmetric(k)),
            _ => Err(u.wrong_algorithm(TARGET)),
        }
    }
}

/// An HMAC key from an unwrapped `M7` key under `H`, `I` or `J` (X9.143 §6.2; the hash is the
/// `HM` block's, [`crate::optblock::HashAlgorithm`]).
impl TryFrom<&Unwrapped> for HmacKey {
    type Error = Error;

    fn try_from(u: &Unwrapped) -> Result<Self, Error> {
        const TARGET: &str = "paycrypt_mac::HmacKey";
        u.require_usage(&[KeyUsage::M7], TARGET)?;
        match u.typed() {
            TypedKey::Hmac(k) => Ok(k.clone()),
            _ => Err(u.wrong_algorithm(TARGET)),
        }
    }
}

#[cfg(feature = "pinblock")]
mod pin {
    use super::{Algorithm, Error, KeyUsage, SymmetricKey, Unwrapped};
    use paycrypt_pinblock::PinKey;

    /// A PIN key from an unwrapped `P0` key: TDES (`T`, ISO 9564-1 formats 0–3) or AES (`A`,
    /// format 4). A single-DES `D` key is refused (`PinKey::legacy_single_des` is an explicit
    /// choice of its own).
    impl TryFrom<&Unwrapped> for PinKey {
        type Error = Error;

        fn try_from(u: &Unwrapped) -> Result<Self, Error> {
            const TARGET: &str = "paycrypt_pinblock::PinKey";
            u.require_usage(&[KeyUsage::P0], TARGET)?;
            match u.block_cipher_key(&[Algorithm::Tdes, Algorithm::Aes], TARGET)? {
                SymmetricKey::Tdes(k) => Ok(Self::from_tdes(k)),
                SymmetricKey::Aes(k) => Ok(Self::from_aes(k)),
                _ => Err(u.wrong_algorithm(TARGET)),
            }
        }
    }

    /// As the conversion from `&Unwrapped`.
    impl TryFrom<Unwrapped> for PinKey {
        type Error = Error;

        fn try_from(u: Unwrapped) -> Result<Self, Error> {
            Self::try_from(&u)
        }
    }
}

#[cfg(feature = "dukpt")]
mod dukpt {
    use super::{Algorithm, Error, KeyUsage, SymmetricKey, Unwrapped};
    use crate::codes::BlockId;
    use crate::optblock::BlockValue;
    use paycrypt_dukpt::{aes, tdes};
    use paycrypt_primitives::hex::{Case, decode_into};

    /// The TDES key of a `T` key block, 16 bytes (TDES DUKPT keys are double-length,
    /// X9.24-1:2009 A.6).
    fn tdes_key<'a>(
        u: &'a Unwrapped,
        target: &'static str,
    ) -> Result<&'a paycrypt_primitives::key::TdesKey, Error> {
        match u.block_cipher_key(&[Algorithm::Tdes], target)? {
            SymmetricKey::Tdes(k) if k.len() == 16 => Ok(k),
            _ => Err(u.wrong_algorithm(target)),
        }
    }

    /// The AES key of an `A` key block.
    fn aes_key<'a>(
        u: &'a Unwrapped,
        target: &'static str,
    ) -> Result<&'a paycrypt_primitives::key::AesKey, Error> {
        match u.block_cipher_key(&[Algorithm::Aes], target)? {
            SymmetricKey::Aes(k) => Ok(k),
            _ => Err(u.wrong_algorithm(target)),
        }
    }

    /// A TDES DUKPT BDK from an unwrapped `B0` key under `T` (16 bytes).
    impl TryFrom<&Unwrapped> for tdes::Bdk {
        type Error = Error;

        fn try_from(u: &Unwrapped) -> Result<Self, Error> {
            const TARGET: &str = "paycrypt_dukpt::tdes::Bdk";
            u.require_usage(&[KeyUsage::B0], TARGET)?;
            Self::new(tdes_key(u, TARGET)?.clone()).map_err(|_| u.wrong_algorithm(TARGET))
        }
    }

    /// An AES DUKPT BDK from an unwrapped `B0` key under `A` (X9.24-3:2017 §6.3.3).
    impl TryFrom<&Unwrapped> for aes::Bdk {
        type Error = Error;

        fn try_from(u: &Unwrapped) -> Result<Self, Error> {
            const TARGET: &str = "paycrypt_dukpt::aes::Bdk";
            u.require_usage(&[KeyUsage::B0], TARGET)?;
            Ok(Self::new(aes_key(u, TARGET)?.clone()))
        }
    }

    /// A TDES IPEK from an unwrapped `B1` key under `T` (16 bytes; X9.24-1:2009 A.6). The
    /// initial KSN travels in the `KS` block.
    impl TryFrom<&Unwrapped> for tdes::Ipek {
        type Error = Error;

        fn try_from(u: &Unwrapped) -> Result<Self, Error> {
            const TARGET: &str = "paycrypt_dukpt::tdes::Ipek";
            u.require_usage(&[KeyUsage::B1], TARGET)?;
            Self::from_key(tdes_key(u, TARGET)?.clone()).map_err(|_| u.wrong_algorithm(TARGET))
        }
    }

    /// An AES DUKPT initial key from an unwrapped `B1` key under `A`, with the initial key ID
    /// of its `IK` block (X9.143 §6.3: 16 hex digits, X9.24-3:2017 §6.3.3).
    impl TryFrom<&Unwrapped> for aes::InitialKey {
        type Error = Error;

        fn try_from(u: &Unwrapped) -> Result<Self, Error> {
            const TARGET: &str = "paycrypt_dukpt::aes::InitialKey";
            u.require_usage(&[KeyUsage::B1], TARGET)?;
            let key = aes_key(u, TARGET)?;
            let ik = match u.header().optional_block(BlockId::IK).map(|b| b.value()) {
                Some(Ok(BlockValue::InitialKeyId(hex))) => hex,
                _ => return Err(Error::InitialKeyIdMissing),
            };
            let mut id = [0u8; aes::InitialKeyId::LEN];
            decode_into(ik.as_bytes(), &mut id, Case::Upper)
                .map_err(|_| Error::InitialKeyIdMissing)?;
            Ok(Self::from_key(key, aes::InitialKeyId::from_bytes(id)))
        }
    }
}
