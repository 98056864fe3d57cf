//! **Hazmat, for learning and debugging against an HSM log**: the key block binding keys
//! (KBEK, KBAK) a KBPK gives for a version — the variant method of TR-31:2018 A.7.2 / X9.143
//! §7.2 (versions A and C), the CMAC key derivation of X9.143 §7.3/§7.4 (B, D) and ISO
//! 20038:2017 §6.3 (E). Both are secret. Not part of the stable API.

use crate::codes::Version;
use crate::error::Error;
use crate::kbpk::{Kbpk, binding_keys as derive};
use paycrypt_primitives::key::SymmetricKey;

/// The key block encryption key and the key block authentication key for `version`.
///
/// # Errors
/// [`Error::InvalidKbpk`] when the KBPK does not fit the version, [`Error::UnsupportedVersion`].
pub fn binding_keys(kbpk: &Kbpk, version: Version) -> Result<(SymmetricKey, SymmetricKey), Error> {
    let keys = derive(kbpk, version)?;
    Ok((keys.enc.clone(), keys.mac.clone()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn published_binding_keys() {
        // TR-31:2018 A.7.3.2 (version B): KBPK DD7515F2..., and the variant method of A/C.
        let b = Kbpk::tdes(&hex_literal::hex!("DD7515F2BFC17F85CE48F3CA25CB21F6")).unwrap();
        let (enc, mac) = binding_keys(&b, Version::B).unwrap();
        assert_eq!(enc.len(), 16);
        assert_ne!(enc.expose_bytes(), mac.expose_bytes());
        let a = Kbpk::tdes(&hex_literal::hex!("89E88CF7931444F334BD7547FC3F380C")).unwrap();
        let (enc, mac) = binding_keys(&a, Version::A).unwrap();
        // Variant binding: KBEK = KBPK ⊕ 45…, KBAK = KBPK ⊕ 4D… (TR-31:2018 A.7.2).
        let k = hex_literal::hex!("89E88CF7931444F334BD7547FC3F380C");
        for ((e, m), kb) in enc.expose_bytes().iter().zip(mac.expose_bytes()).zip(k) {
            assert_eq!(e ^ kb, 0x45);
            assert_eq!(m ^ kb, 0x4D);
        }
        assert!(binding_keys(&a, Version::D).is_err());
    }
}
