//! The key block protection key (KBPK) and the derivation of the encryption and
//! authentication keys (KBEK, KBAK) from it.
//!
//! | version | KBPK | binding | reference |
//! |---|---|---|---|
//! | A, C (Thales `0`) | TDES 16/24 | variant: `KBEK = KBPK ⊕ 45…`, `KBAK = KBPK ⊕ 4D…` | TR-31:2018 A.7.2.1, X9.143 §7.2 |
//! | B | TDES 16/24 | SP 800-108 counter KDF, TDES-CMAC PRF | TR-31:2018 A.7.3 / A.7.2.2, X9.143 §7.3 |
//! | D | AES 16/24/32 | SP 800-108 counter KDF, AES-CMAC PRF | TR-31:2018 A.7.4, X9.143 §7.4 |
//! | E | AES 16/24/32 | as D, KBEK usage `0002` (CTR) | ISO 20038:2017 §6.3 |

use crate::codes::Version;
use crate::error::Error;
use core::fmt;
use paycrypt_mac::Cmac;
use paycrypt_primitives::key::{AesKey, KeyAlgorithm, SymmetricKey, TdesKey};
use paycrypt_primitives::zeroize::Zeroizing;

/// A key block protection key: a TDES (16/24 bytes) or AES (16/24/32 bytes) key in the KBPK
/// role. Zeroized on drop, redacted `Debug`.
#[derive(Clone)]
pub struct Kbpk(SymmetricKey);

impl fmt::Debug for Kbpk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kbpk({:?})", self.0.algorithm())
    }
}

impl Kbpk {
    /// A KBPK from a typed key (TDES or AES; single DES is refused).
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`] for a DES key.
    pub fn new(key: SymmetricKey) -> Result<Self, Error> {
        match key.algorithm() {
            KeyAlgorithm::Des => Err(Error::InvalidKbpk {
                version: Version::A,
                algorithm: Some(KeyAlgorithm::Des),
                length: key.len(),
            }),
            _ => Ok(Self(key)),
        }
    }

    /// A TDES KBPK (16 or 24 bytes; versions A, B, C).
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`] for another length.
    pub fn tdes(bytes: &[u8]) -> Result<Self, Error> {
        Self::for_version(Version::B, bytes)
    }

    /// An AES KBPK (16, 24 or 32 bytes; versions D, E).
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`] for another length.
    pub fn aes(bytes: &[u8]) -> Result<Self, Error> {
        Self::for_version(Version::D, bytes)
    }

    /// A KBPK of the type `version` needs: TDES for A, B, C (and the proprietary digits), AES
    /// for D and E.
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`] when the length does not fit the version.
    pub fn for_version(version: Version, bytes: &[u8]) -> Result<Self, Error> {
        let bad = || Error::InvalidKbpk {
            version,
            algorithm: None,
            length: bytes.len(),
        };
        let key = if version.is_aes() {
            SymmetricKey::from(AesKey::from_bytes(bytes).map_err(|_| bad())?)
        } else {
            SymmetricKey::from(TdesKey::from_bytes(bytes).map_err(|_| bad())?)
        };
        Ok(Self(key))
    }

    /// The KBPK's algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        self.0.algorithm()
    }

    /// The key (for computing a `KP` check value or handing it to an HSM API).
    #[must_use]
    pub const fn key(&self) -> &SymmetricKey {
        &self.0
    }

    /// The versions this KBPK can protect.
    #[must_use]
    pub const fn allowed_versions(&self) -> &'static [Version] {
        if self.0.algorithm().is_aes() {
            &[Version::D, Version::E]
        } else {
            &[Version::A, Version::B, Version::C]
        }
    }

    /// The version for this KBPK when the caller names none: B for TDES (TR-31:2018 A.7.3, the
    /// key derivation binding method), D for AES (TR-31:2018 A.7.4; X9.143 §7).
    #[must_use]
    pub const fn default_version(&self) -> Version {
        if self.0.algorithm().is_aes() {
            Version::D
        } else {
            Version::B
        }
    }

    /// Checks that this KBPK fits `version` (proprietary digits are treated as TDES versions).
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`] naming the versions this KBPK allows.
    pub const fn check_version(&self, version: Version) -> Result<(), Error> {
        if version.is_aes() == self.0.algorithm().is_aes() {
            Ok(())
        } else {
            Err(Error::InvalidKbpk {
                version,
                algorithm: Some(self.0.algorithm()),
                length: self.0.len(),
            })
        }
    }
}

/// The derived key pair.
pub(crate) struct BindingKeys {
    /// KBEK: encrypts the payload.
    pub(crate) enc: SymmetricKey,
    /// KBAK: authenticates header ‖ payload.
    pub(crate) mac: SymmetricKey,
}

/// Key variant binding (TR-31:2018 A.7.2.1; X9.143 §7.2): `KBEK = KBPK ⊕ 0x45…`,
/// `KBAK = KBPK ⊕ 0x4D…` (`E` and `M` in ASCII).
fn variant(kbpk: &SymmetricKey) -> Result<BindingKeys, Error> {
    let bytes = kbpk.expose_bytes();
    let xor = |v: u8| -> Result<SymmetricKey, Error> {
        let buf: Zeroizing<alloc::vec::Vec<u8>> =
            Zeroizing::new(bytes.iter().map(|b| b ^ v).collect());
        Ok(SymmetricKey::new(kbpk.algorithm(), &buf)?)
    };
    Ok(BindingKeys {
        enc: xor(0x45)?,
        mac: xor(0x4D)?,
    })
}

/// Key derivation binding (TR-31:2018 A.7.3 / A.7.4; X9.143 §7.3–7.4; ISO 20038 §6.3):
/// NIST SP 800-108 counter mode with CMAC under the KBPK as PRF. Each PRF input is one
/// 8-byte string:
///
/// ```text
/// counter(1) ‖ key usage(2: 0000 enc CBC, 0001 MAC, 0002 enc CTR) ‖ 00 ‖
/// algorithm(2: 0000 2TDEA, 0001 3TDEA, 0002 AES-128, 0003 AES-192, 0004 AES-256) ‖
/// length in bits(2: 0080, 00C0, 0100)
/// ```
///
/// The counter runs from 1 while output is short; the outputs are concatenated and cut to the
/// KBPK length (AES-192 keeps the leftmost 24 of 32 bytes).
fn kdf(kbpk: &SymmetricKey, prf: &Cmac, usage: u8) -> Result<SymmetricKey, Error> {
    let algorithm = kbpk.algorithm();
    let (alg_code, bits): (u8, u16) = match algorithm {
        KeyAlgorithm::Tdes2 => (0, 0x80),
        KeyAlgorithm::Tdes3 => (1, 0xC0),
        KeyAlgorithm::Aes128 => (2, 0x80),
        KeyAlgorithm::Aes192 => (3, 0xC0),
        KeyAlgorithm::Aes256 => (4, 0x100),
        _ => {
            return Err(Error::InvalidKbpk {
                version: Version::B,
                algorithm: Some(algorithm),
                length: kbpk.len(),
            });
        }
    };
    let len = algorithm.key_len();
    let [bits_hi, bits_lo] = bits.to_be_bytes();
    let mut out = Zeroizing::new([0u8; 48]);
    let mut filled = 0usize;
    let mut counter = 1u8;
    while filled < len {
        let input = [counter, 0, usage, 0, 0, alg_code, bits_hi, bits_lo];
        let mut m = prf.clone();
        m.update(&input);
        let tag = m.finalize();
        let t = tag.as_bytes();
        if let Some(dst) = out.get_mut(filled..filled + t.len()) {
            dst.copy_from_slice(t);
        }
        filled += t.len();
        counter = counter.wrapping_add(1);
    }
    Ok(SymmetricKey::new(
        algorithm,
        out.get(..len).unwrap_or_default(),
    )?)
}

/// Derives the KBEK and KBAK for `version`.
pub(crate) fn binding_keys(kbpk: &Kbpk, version: Version) -> Result<BindingKeys, Error> {
    kbpk.check_version(version)?;
    match version {
        Version::A | Version::C | Version::Proprietary(b'0') => variant(&kbpk.0),
        Version::B | Version::D | Version::E => {
            // The PRF's subkeys are computed once (SP 800-38B §6.1) and reused per counter.
            let prf = Cmac::new(&kbpk.0)?;
            let enc_usage = if version == Version::E { 2 } else { 0 };
            Ok(BindingKeys {
                enc: kdf(&kbpk.0, &prf, enc_usage)?,
                mac: kdf(&kbpk.0, &prf, 1)?,
            })
        }
        Version::Proprietary(_) => Err(Error::UnsupportedVersion { version }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use hex_literal::hex;

    #[test]
    fn derivation_check_values() {
        // TR-31:2018 A.7.2.1.
        let k = Kbpk::tdes(&hex!("89E88CF7931444F334BD7547FC3F380C")).unwrap();
        let b = binding_keys(&k, Version::A).unwrap();
        assert_eq!(
            b.enc.expose_bytes(),
            hex!("CCADC9B2D65101B671F83002B97A7D49")
        );
        assert_eq!(
            b.mac.expose_bytes(),
            hex!("C4A5C1BADE5909BE79F0380AB1727541")
        );
        // TR-31:2018 A.7.4.
        let k = Kbpk::aes(&hex!(
            "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"
        ))
        .unwrap();
        let b = binding_keys(&k, Version::D).unwrap();
        assert_eq!(
            b.enc.expose_bytes(),
            hex!("396C9382A6E2E66A088774E1D6E46541F5EAD67D7204F8DD0D7AE8FDA334D3AC")
        );
        assert_eq!(
            b.mac.expose_bytes(),
            hex!("4EF24317696213840451890756757E573E0673483888F9B7F9B7517827F95022")
        );
        // ISO 20038:2017 B.2.
        let k = Kbpk::aes(b"256-bit AES wrapping (ISO 20038)").unwrap();
        let b = binding_keys(&k, Version::E).unwrap();
        assert_eq!(
            b.enc.expose_bytes(),
            hex!("3A3D93E513CB591DCAC550C1554194F08ED9676770D25B727AD628E21B85D5CC")
        );
    }

    #[test]
    fn kbpk_fits_version() {
        let t = Kbpk::tdes(&[1; 16]).unwrap();
        assert!(t.check_version(Version::B).is_ok());
        let e = t.check_version(Version::D).unwrap_err();
        assert!(matches!(e, Error::InvalidKbpk { .. }));
        assert!(alloc::string::ToString::to_string(&e).contains("A, B, C"));
        assert!(Kbpk::aes(&[1; 20]).is_err());
        assert!(Kbpk::tdes(&[1; 32]).is_err());
        assert!(Kbpk::new(SymmetricKey::new(KeyAlgorithm::Des, &[1; 8]).unwrap()).is_err());
        assert_eq!(format!("{t:?}"), "Kbpk(Tdes2)");
    }

    #[test]
    fn kp_blocks() {
        // X9.143:2021 8.5: KP = 01D77F007724.
        let k = Kbpk::aes(&hex!("FA36E44278DB3AB5F298F9F7DA8F1F88")).unwrap();
        assert_eq!(
            crate::OptionalBlock::check_value(
                crate::BlockId::KP,
                paycrypt_mac::KcvMethod::Cmac,
                k.key()
            )
            .unwrap()
            .as_str(),
            "KP1001D77F007724"
        );
    }
}
