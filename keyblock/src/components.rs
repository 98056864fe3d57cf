//! Key components for a key ceremony (X9.24-1:2017 §7.3 key components; keyblock spec §10.7):
//! a key is split into 2 or 3 components whose XOR is the key, each with a KCV for the
//! custodian to check, and combined back. A component wrapped in a key block carries
//! [`KeyVersion::Component`](crate::KeyVersion::Component) (`c1`–`c9`) in its header.

use crate::error::Error;
use alloc::vec::Vec;
use core::fmt;
use paycrypt_mac::kcv::{Kcv, KcvMethod, kcv};
use paycrypt_primitives::key::SymmetricKey;
use paycrypt_primitives::rng::{TryCryptoRng, fill};
use paycrypt_primitives::zeroize::Zeroizing;

/// One key component: its number (1-based), the component key and its check value.
#[derive(Clone)]
pub struct KeyComponent {
    number: u8,
    key: SymmetricKey,
}

impl fmt::Debug for KeyComponent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KeyComponent({}, {:?})",
            self.number,
            self.key.algorithm()
        )
    }
}

/// The KCV a custodian checks: legacy 3 bytes for (T)DES (X9.24-1:2017 A.2), CMAC 5 bytes for
/// AES (A.3).
fn component_kcv(key: &SymmetricKey) -> Result<Kcv, Error> {
    let (method, len) = if key.algorithm().is_aes() {
        (KcvMethod::Cmac, 5)
    } else {
        (KcvMethod::Legacy, 3)
    };
    Ok(kcv(key, method, len)?)
}

impl KeyComponent {
    /// A component received from a custodian.
    #[must_use]
    pub const fn new(number: u8, key: SymmetricKey) -> Self {
        Self { number, key }
    }

    /// The component number (1, 2 or 3): the `c`-digit of the key version.
    #[must_use]
    pub const fn number(&self) -> u8 {
        self.number
    }

    /// The component key.
    #[must_use]
    pub const fn key(&self) -> &SymmetricKey {
        &self.key
    }

    /// The component's check value (legacy for TDES, CMAC for AES).
    ///
    /// # Errors
    /// [`Error::Mac`] when it cannot be computed.
    pub fn kcv(&self) -> Result<Kcv, Error> {
        component_kcv(&self.key)
    }
}

/// Splits `key` into `count` (2 or 3) random components whose XOR is the key. The first
/// `count − 1` components are random (from `rng`); the last is the key XOR the others.
///
/// # Errors
/// [`Error::Components`] for another count, [`Error::Rng`].
pub fn split_components<R: TryCryptoRng + ?Sized>(
    key: &SymmetricKey,
    count: usize,
    rng: &mut R,
) -> Result<Vec<KeyComponent>, Error> {
    if !(2..=3).contains(&count) {
        return Err(Error::Components);
    }
    let alg = key.algorithm();
    let mut last = Zeroizing::new(key.expose_bytes().to_vec());
    let mut out = Vec::with_capacity(count);
    for number in 1..count {
        let mut r = Zeroizing::new(alloc::vec![0u8; key.len()]);
        fill(rng, &mut r)?;
        for (l, b) in last.iter_mut().zip(r.iter()) {
            *l ^= b;
        }
        out.push(KeyComponent {
            number: u8::try_from(number).map_err(|_| Error::Components)?,
            key: SymmetricKey::new(alg, &r)?,
        });
    }
    out.push(KeyComponent {
        number: u8::try_from(count).map_err(|_| Error::Components)?,
        key: SymmetricKey::new(alg, &last)?,
    });
    Ok(out)
}

/// Combines 2 or 3 components (XOR) back into the key.
///
/// # Errors
/// [`Error::Components`] for another count or components of different algorithms.
pub fn combine_components(components: &[KeyComponent]) -> Result<SymmetricKey, Error> {
    let (first, rest) = components.split_first().ok_or(Error::Components)?;
    if !(2..=3).contains(&components.len())
        || rest
            .iter()
            .any(|c| c.key.algorithm() != first.key.algorithm())
    {
        return Err(Error::Components);
    }
    let mut acc = Zeroizing::new(first.key.expose_bytes().to_vec());
    for c in rest {
        for (a, b) in acc.iter_mut().zip(c.key.expose_bytes()) {
            *a ^= b;
        }
    }
    Ok(SymmetricKey::new(first.key.algorithm(), &acc)?)
}
