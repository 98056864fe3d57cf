//! The PCI strength rule: a protecting key must be at least as strong as the key it protects
//! (PCI PIN Security Requirements v3.1, Requirement 19 / Annex C; strengths of NIST SP 800-57
//! Part 1 Rev. 5 §5.6.1.1 Table 2).
//!
//! | key | bits |
//! |---|---|
//! | TDES two-key / three-key | 80 / 112 |
//! | AES-128 / 192 / 256 | 128 / 192 / 256 |
//! | RSA-2048 / 3072 / 4096 | 112 / 128 / 128 (192 needs 7680, 256 needs 15360) |
//! | ECC P-256 / P-384 / P-521 | 128 / 192 / 256 |
//!
//! The rule is checked before any decryption; a violation is [`Error::WeakerWrappingKey`] (or
//! [`Error::CurveWeakerThanKey`] for an ECDH curve against the derived KBPK).

use crate::Error;
use core::fmt;

/// A security strength in bits (SP 800-57 Part 1 Table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Strength(u16);

impl Strength {
    /// Two-key TDEA.
    pub const TDES2: Self = Self(80);
    /// Three-key TDEA, RSA-2048.
    pub const BITS_112: Self = Self(112);
    /// AES-128, RSA-3072, P-256.
    pub const BITS_128: Self = Self(128);
    /// AES-192, P-384.
    pub const BITS_192: Self = Self(192);
    /// AES-256, P-521.
    pub const BITS_256: Self = Self(256);

    /// The number of bits.
    #[must_use]
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The strength of an RSA modulus of `modulus_bits` (SP 800-57 Part 1 Table 2: 2048 → 112,
    /// 3072 → 128, 7680 → 192, 15360 → 256); below 2048 bits: 0 (never strong enough).
    #[must_use]
    pub const fn rsa(modulus_bits: usize) -> Self {
        Self(match modulus_bits {
            15360.. => 256,
            7680.. => 192,
            3072.. => 128,
            2048.. => 112,
            _ => 0,
        })
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bits", self.0)
    }
}

/// Anything with a security strength: symmetric key types, KEKs, curves, RSA keys.
pub trait SecurityStrength {
    /// The strength in bits.
    fn strength(&self) -> Strength;
}

impl SecurityStrength for Strength {
    fn strength(&self) -> Strength {
        *self
    }
}

/// The type of a symmetric key being moved (AWS `KeyAlgorithm`; the CLI's `--key-type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// Two-key TDEA, 16 bytes.
    Tdes2,
    /// Three-key TDEA, 24 bytes.
    Tdes3,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

impl KeyType {
    /// Every key type.
    pub const ALL: [Self; 5] = [
        Self::Tdes2,
        Self::Tdes3,
        Self::Aes128,
        Self::Aes192,
        Self::Aes256,
    ];

    /// The key length in bytes (also the KDF output length L for a KBPK of this type).
    #[must_use]
    pub const fn len(self) -> usize {
        match self {
            Self::Tdes2 | Self::Aes128 => 16,
            Self::Tdes3 | Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// Always `false` (kept for the `len` convention).
    #[must_use]
    pub const fn is_empty(self) -> bool {
        false
    }

    /// `true` for the TDEA types.
    #[must_use]
    pub const fn is_tdes(self) -> bool {
        matches!(self, Self::Tdes2 | Self::Tdes3)
    }

    /// The CLI / AWS-style name (`tdes2`, `tdes3`, `aes128`, `aes192`, `aes256`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tdes2 => "tdes2",
            Self::Tdes3 => "tdes3",
            Self::Aes128 => "aes128",
            Self::Aes192 => "aes192",
            Self::Aes256 => "aes256",
        }
    }

    /// Fails unless `key` has this type's length.
    ///
    /// # Errors
    /// [`Error::Length`] naming `what`.
    pub fn check_len(self, what: &'static str, key: &[u8]) -> Result<(), Error> {
        if key.len() == self.len() {
            Ok(())
        } else {
            Err(Error::Length {
                what,
                got: key.len(),
            })
        }
    }

    /// The AES key type of `len` bytes.
    #[must_use]
    pub const fn aes_of_len(len: usize) -> Option<Self> {
        match len {
            16 => Some(Self::Aes128),
            24 => Some(Self::Aes192),
            32 => Some(Self::Aes256),
            _ => None,
        }
    }

    /// The TDEA key type of `len` bytes.
    #[must_use]
    pub const fn tdes_of_len(len: usize) -> Option<Self> {
        match len {
            16 => Some(Self::Tdes2),
            24 => Some(Self::Tdes3),
            _ => None,
        }
    }
}

impl SecurityStrength for KeyType {
    fn strength(&self) -> Strength {
        match self {
            Self::Tdes2 => Strength::TDES2,
            Self::Tdes3 => Strength::BITS_112,
            Self::Aes128 => Strength::BITS_128,
            Self::Aes192 => Strength::BITS_192,
            Self::Aes256 => Strength::BITS_256,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule itself: `wrapping` must be at least as strong as `wrapped`.
///
/// # Errors
/// [`Error::WeakerWrappingKey`] when it is weaker.
pub fn require_at_least(
    wrapping: &(impl SecurityStrength + ?Sized),
    wrapped: &(impl SecurityStrength + ?Sized),
) -> Result<(), Error> {
    if wrapping.strength() >= wrapped.strength() {
        Ok(())
    } else {
        Err(Error::WeakerWrappingKey)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(Strength::rsa(2048).bits(), 112);
        assert_eq!(Strength::rsa(3072).bits(), 128);
        assert_eq!(Strength::rsa(4096).bits(), 128);
        assert_eq!(Strength::rsa(7680).bits(), 192);
        assert_eq!(Strength::rsa(15360).bits(), 256);
        assert_eq!(Strength::rsa(1024).bits(), 0);
        assert!(require_at_least(&KeyType::Aes128, &KeyType::Tdes3).is_ok());
        assert_eq!(
            require_at_least(&KeyType::Tdes3, &KeyType::Aes128),
            Err(Error::WeakerWrappingKey)
        );
        assert!(require_at_least(&Strength::rsa(2048), &KeyType::Tdes3).is_ok());
        assert_eq!(
            require_at_least(&Strength::rsa(2048), &KeyType::Aes128),
            Err(Error::WeakerWrappingKey)
        );
        assert_eq!(
            require_at_least(&Strength::rsa(4096), &KeyType::Aes192),
            Err(Error::WeakerWrappingKey)
        );
        for t in KeyType::ALL {
            assert!(t.check_len("k", &[0; 40][..t.len()]).is_ok());
        }
    }
}
