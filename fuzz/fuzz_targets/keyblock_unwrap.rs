//! Unwrap with an arbitrary KBPK and text: never panics, errors are typed, and an unwrapped
//! key fits its payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_keyblock::{Kbpk, Profile, Version, unwrap};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let kbpk_len = [16usize, 24, 32][usize::from(sel % 3)];
    let Some((kbpk_bytes, text)) = rest.split_at_checked(kbpk_len) else {
        return;
    };
    let Ok(text) = core::str::from_utf8(text) else {
        return;
    };
    let version = if sel & 0x80 != 0 { Version::D } else { Version::B };
    let Ok(kbpk) = Kbpk::for_version(version, kbpk_bytes) else {
        return;
    };
    let profile = Profile::ALL[usize::from(sel >> 3) % Profile::ALL.len()];
    match unwrap(&kbpk, text, profile) {
        Ok(u) => {
            assert!(!u.key().is_empty());
            assert!(2 * u.key().len() < text.len());
        }
        Err(e) => {
            let _ = e.class();
        }
    }
});
