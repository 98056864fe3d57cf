//! KW / KWP / TKW unwrap of arbitrary bytes under an arbitrary KEK: never panics, a length
//! outside SP 800-38F's rules is a usage error, and whatever unwraps re-wraps to the same
//! ciphertext (the three modes are deterministic), so the integrity check accepted a genuine
//! wrapping. A flipped bit of an accepted ciphertext fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_kex::Error;
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_primitives::ErrorClass;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let alg = [Algorithm::AesKw, Algorithm::AesKwp, Algorithm::TdesKw][usize::from(sel % 3)];
    let kek_len = match alg {
        Algorithm::TdesKw => 24,
        _ => [16usize, 24, 32][usize::from((sel >> 2) % 3)],
    };
    let Some((kek, wrapped)) = rest.split_at_checked(kek_len) else {
        return;
    };
    let kek = match Kek::new(alg, kek) {
        Ok(k) => k,
        Err(e) => {
            assert_eq!(e, Error::DegenerateTdesKey);
            return;
        }
    };
    match wrap::unwrap(&kek, wrapped) {
        Ok(key) => {
            assert!(alg.check_plaintext_len(key.len()).is_ok());
            assert_eq!(wrap::wrap(&kek, &key).unwrap(), wrapped);
            let mut t = wrapped.to_vec();
            let i = usize::from(sel) % t.len();
            t[i] ^= 1 << (sel % 8);
            assert_eq!(wrap::unwrap(&kek, &t).unwrap_err(), Error::IntegrityCheckFailed);
        }
        Err(Error::IntegrityCheckFailed) => {
            assert!(alg.check_wrapped_len(wrapped.len()).is_ok());
        }
        Err(e) => {
            assert_eq!(e.class(), ErrorClass::Malformed);
            assert!(alg.check_wrapped_len(wrapped.len()).is_err());
        }
    }
});
