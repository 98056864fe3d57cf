//! Certificate, public-key and private-key loading of arbitrary bytes (PEM, DER, base64 of
//! PEM): never panics, errors are usage errors (or a chain rule), and whatever loads is
//! self-consistent — a certificate re-parses from its DER with the same key, an EC key's SPKI
//! re-loads equal, a private key's public key loads back from its SPKI.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_kex::pki::{self, Certificate, PrivateKey, PublicKey};
use paycrypt_primitives::ErrorClass;

fuzz_target!(|data: &[u8]| {
    let _ = pki::form(data);
    match PublicKey::from_input(data) {
        Ok(PublicKey::Ec(k)) => {
            let spki = k.to_spki_der().unwrap();
            assert_eq!(PublicKey::from_input(&spki).unwrap(), PublicKey::Ec(k));
        }
        Ok(_) => {}
        Err(e) => assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}"),
    }
    if let Ok(chain) = Certificate::chain_from_input(data) {
        for c in &chain {
            let again = Certificate::from_der(c.as_der()).unwrap();
            assert_eq!(again.public_key(), c.public_key());
            if let Err(e) = c.verify_issued_by(c) {
                assert_eq!(e.class(), ErrorClass::Rejected);
            }
        }
    }
    match PrivateKey::from_input(data) {
        Ok(PrivateKey::Ec(k)) => {
            let spki = k.public_key().to_spki_der().unwrap();
            assert_eq!(
                PublicKey::from_input(&spki).unwrap(),
                PublicKey::Ec(k.public_key())
            );
        }
        Ok(_) => {}
        Err(e) => assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}"),
    }
});
