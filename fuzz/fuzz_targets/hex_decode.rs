//! Hex decoding of arbitrary text never panics, and whatever decodes re-encodes to the same
//! digits (upper-cased).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_primitives::hex::{self, Case};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    match hex::decode_case(text, Case::Any) {
        Ok(bytes) => assert_eq!(hex::encode_upper(&bytes), text.to_ascii_uppercase()),
        Err(_) => assert!(!text.len().is_multiple_of(2) || text.bytes().any(|c| !c.is_ascii_hexdigit())),
    }
});
