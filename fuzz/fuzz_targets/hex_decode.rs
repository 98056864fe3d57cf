//! Hex decoding of arbitrary text never panics, whatever decodes re-encodes to the same digits
//! (upper-cased), and the constant-time decoder (the default, for secrets) agrees with the
//! variable-time one (public data) on every input: same bytes, same error, same position;
//! a failed constant-time decode leaves its output zeroized.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_primitives::hex::{self, Case};

fuzz_target!(|data: &[u8]| {
    for case in [Case::Any, Case::Upper] {
        let n = data.len() / 2;
        let mut ct = vec![0xA5u8; n];
        let mut vt = vec![0x5Au8; n];
        let a = hex::decode_into(data, &mut ct, case);
        let b = hex::decode_into_vartime(data, &mut vt, case);
        assert_eq!(a, b);
        if a.is_ok() {
            assert_eq!(ct, vt);
        } else {
            assert!(ct.iter().all(|&x| x == 0) || data.len() % 2 == 1);
        }
    }
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    assert_eq!(hex::decode(text), hex::decode_vartime(text));
    match hex::decode_case(text, Case::Any) {
        Ok(bytes) => assert_eq!(hex::encode_upper(&bytes), text.to_ascii_uppercase()),
        Err(_) => assert!(!text.len().is_multiple_of(2) || text.bytes().any(|c| !c.is_ascii_hexdigit())),
    }
});
