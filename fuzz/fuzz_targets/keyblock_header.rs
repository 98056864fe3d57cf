//! Header and optional-block parsing: never panics; whatever parses re-encodes byte for byte,
//! re-parses to the same header, and every profile agrees with the structural parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_keyblock::{KeyBlockHeader, Profile, inspect};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    for profile in Profile::ALL {
        match KeyBlockHeader::parse_with(text, profile) {
            Ok(h) => {
                let encoded = h.to_string();
                assert_eq!(encoded, text, "{profile}");
                assert_eq!(h.encoded_len(), text.len());
                assert_eq!(KeyBlockHeader::parse_with(&encoded, profile).as_ref(), Ok(&h));
                // A strict parse implies the lenient one succeeds with the same result.
                if profile != Profile::Lenient {
                    assert_eq!(KeyBlockHeader::parse_with(text, Profile::Lenient), Ok(h.clone()));
                }
                for b in h.optional_blocks() {
                    let _ = b.value();
                }
                let _ = h.padding_block_len();
            }
            Err(e) => assert_eq!(e.class(), paycrypt_primitives::ErrorClass::Malformed),
        }
        match inspect(text, profile) {
            Ok(i) => assert!(i.header().encoded_len() <= text.len()),
            Err(e) => assert_eq!(e.class(), paycrypt_primitives::ErrorClass::Malformed),
        }
    }
});
