//! Data padding (`paycrypt_primitives::pad`, ISO/IEC 9797-1 methods 1 and 2, PKCS #7): padding
//! arbitrary data and removing it gives the data back (method 1: the padded length), and
//! `unpadded_len` on arbitrary bytes never panics and, when it accepts, what it keeps re-pads to
//! exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_primitives::pad::{DataPadding, padding_for, unpadded_len};

fuzz_target!(|input: &[u8]| {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let block = if selector & 1 == 0 { 8 } else { 16 };
    let padding = match (selector >> 1) % 3 {
        0 => DataPadding::Iso9797Method1,
        1 => DataPadding::Iso9797Method2,
        _ => DataPadding::Pkcs7,
    };
    // Round trip.
    let (p, n) = padding_for(padding, data.len(), block).expect("8 or 16");
    let mut padded = data.to_vec();
    padded.extend_from_slice(&p[..n]);
    assert!(padded.len().is_multiple_of(block) && !padded.is_empty());
    let kept = unpadded_len(padding, &padded, block).expect("own padding");
    match padding {
        DataPadding::Iso9797Method1 => assert_eq!(kept, padded.len()),
        _ => assert_eq!(kept, data.len()),
    }
    // Arbitrary input as if decrypted.
    if let Ok(kept) = unpadded_len(padding, data, block) {
        assert!(kept <= data.len());
        if padding != DataPadding::Iso9797Method1 {
            let (p, n) = padding_for(padding, kept, block).expect("8 or 16");
            let mut again = data[..kept].to_vec();
            again.extend_from_slice(&p[..n]);
            assert_eq!(again, data);
        }
    }
});
