//! Key components for a key ceremony (X9.24-1:2017 §7.3 key components):
//! a key is split into 2 or 3 components whose XOR is the key, each with a KCV for the
//! custodian to check, and combined back. A component wrapped in a key block carries
//! [`KeyVersion::Component`](crate::KeyVersion::Component) (`c1`–`c9`) in its header.

use crate::error::Error;
use alloc::vec::Vec;
use core::fmt;
use paycrypt_mac::{Kcv, KcvMethod, kcv};
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey, set_odd_parity};
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

/// A fresh random key of `algorithm` from `rng`. DES and TDES keys get odd parity in every
/// byte (FIPS 46-3 §3: the low bit of each byte is its parity bit), as HSMs expect; AES keys
/// are used as drawn.
///
/// # Errors
/// [`Error::Rng`] when the random source fails.
pub fn random_key<R: TryCryptoRng + ?Sized>(
    algorithm: KeyAlgorithm,
    rng: &mut R,
) -> Result<SymmetricKey, Error> {
    let mut bytes = Zeroizing::new(alloc::vec![0u8; algorithm.key_len()]);
    fill(rng, &mut bytes)?;
    if !algorithm.is_aes() {
        set_odd_parity(&mut bytes);
    }
    Ok(SymmetricKey::new(algorithm, &bytes)?)
}

/// Generates `count` (2 or 3) random components and the key they combine to, the way a key
/// ceremony creates a key (X9.24-1:2017 §7.3: the key is the XOR of its components).
///
/// For DES and TDES every component has odd parity and the key is the XOR with its parity
/// then set odd (FIPS 46-3 §3), which is what [`combine_components_with_parity`] returns for
/// these components: the XOR of two odd-parity bytes has even parity, so HSMs adjust the
/// parity after combining. For AES the key is the plain XOR.
///
/// # Errors
/// [`Error::Components`] for another count, [`Error::Rng`].
pub fn generate_components<R: TryCryptoRng + ?Sized>(
    algorithm: KeyAlgorithm,
    count: usize,
    rng: &mut R,
) -> Result<(SymmetricKey, Vec<KeyComponent>), Error> {
    if !(2..=3).contains(&count) {
        return Err(Error::Components);
    }
    let mut components = Vec::with_capacity(count);
    for number in 1..=count {
        components.push(KeyComponent {
            number: u8::try_from(number).map_err(|_| Error::Components)?,
            key: random_key(algorithm, rng)?,
        });
    }
    let key = combine_components_with_parity(&components)?;
    Ok((key, components))
}

/// Combines 2 or 3 components (XOR, X9.24-1:2017 §7.3) and, for DES and TDES, sets odd parity
/// on the result (FIPS 46-3 §3), as HSMs do when a key is formed from components. For AES it
/// is [`combine_components`].
///
/// # Errors
/// As [`combine_components`].
pub fn combine_components_with_parity(components: &[KeyComponent]) -> Result<SymmetricKey, Error> {
    let key = combine_components(components)?;
    if key.algorithm().is_aes() {
        return Ok(key);
    }
    let mut bytes = Zeroizing::new(key.expose_bytes().to_vec());
    set_odd_parity(&mut bytes);
    Ok(SymmetricKey::new(key.algorithm(), &bytes)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use paycrypt_primitives::key::has_odd_parity;
    use paycrypt_primitives::rng::ReplayRng;

    const ALL: [KeyAlgorithm; 5] = [
        KeyAlgorithm::Tdes2,
        KeyAlgorithm::Tdes3,
        KeyAlgorithm::Aes128,
        KeyAlgorithm::Aes192,
        KeyAlgorithm::Aes256,
    ];

    #[test]
    fn random_keys_have_the_length_and_parity() {
        for alg in ALL {
            let k = random_key(alg, &mut paycrypt_primitives::rng::OsRng).unwrap();
            assert_eq!(k.algorithm(), alg);
            assert_eq!(k.len(), alg.key_len());
            if !alg.is_aes() {
                assert!(has_odd_parity(k.expose_bytes()));
            }
        }
        // Deterministic: 0x00 bytes become 0x01 (odd parity), AES bytes are kept.
        let zeros = [0u8; 32];
        let t = random_key(KeyAlgorithm::Tdes2, &mut ReplayRng::new(&zeros)).unwrap();
        assert_eq!(t.expose_bytes(), [0x01; 16]);
        let a = random_key(KeyAlgorithm::Aes128, &mut ReplayRng::new(&zeros)).unwrap();
        assert_eq!(a.expose_bytes(), [0x00; 16]);
        assert!(matches!(
            random_key(KeyAlgorithm::Aes256, &mut ReplayRng::new(&zeros[..8])),
            Err(Error::Rng)
        ));
    }

    #[test]
    fn generated_components_combine_to_the_key() {
        for alg in ALL {
            for count in 2..=3 {
                let (key, parts) =
                    generate_components(alg, count, &mut paycrypt_primitives::rng::OsRng).unwrap();
                assert_eq!(parts.len(), count);
                for (i, p) in parts.iter().enumerate() {
                    assert_eq!(usize::from(p.number()), i + 1);
                    if !alg.is_aes() {
                        assert!(has_odd_parity(p.key().expose_bytes()));
                    }
                }
                let again = combine_components_with_parity(&parts).unwrap();
                assert_eq!(again.expose_bytes(), key.expose_bytes());
                if !alg.is_aes() {
                    assert!(has_odd_parity(key.expose_bytes()));
                } else {
                    let plain = combine_components(&parts).unwrap();
                    assert_eq!(plain.expose_bytes(), key.expose_bytes());
                }
            }
        }
    }

    #[test]
    fn parity_is_set_after_the_xor() {
        // Two odd-parity components whose XOR has even parity in every byte.
        let c1 = SymmetricKey::new(KeyAlgorithm::Tdes2, &[0x01; 16]).unwrap();
        let c2 = SymmetricKey::new(KeyAlgorithm::Tdes2, &[0x02; 16]).unwrap();
        let parts = [KeyComponent::new(1, c1), KeyComponent::new(2, c2)];
        let plain = combine_components(&parts).unwrap();
        assert_eq!(plain.expose_bytes(), [0x03; 16]);
        let fixed = combine_components_with_parity(&parts).unwrap();
        assert_eq!(fixed.expose_bytes(), [0x02; 16]);
    }

    #[test]
    fn counts_outside_two_to_three_are_refused() {
        for count in [0, 1, 4] {
            assert!(matches!(
                generate_components(
                    KeyAlgorithm::Aes128,
                    count,
                    &mut paycrypt_primitives::rng::OsRng
                ),
                Err(Error::Components)
            ));
        }
        let one = [KeyComponent::new(
            1,
            SymmetricKey::new(KeyAlgorithm::Aes128, &[7; 16]).unwrap(),
        )];
        assert!(matches!(
            combine_components_with_parity(&one),
            Err(Error::Components)
        ));
    }
}
