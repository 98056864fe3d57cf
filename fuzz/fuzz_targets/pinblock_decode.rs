//! Decoding arbitrary bytes as a clear PIN block of every format never panics; whatever decodes
//! is a 4-12 digit PIN and, for the fixed-fill formats 0 and 2, re-encodes to the same block.
//!
//! Input layout: `[format selector] [PAN length] [PAN digit bytes...] [block bytes...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_pinblock::{ClearPinBlock, Error, Format, Pan, ReplayRng, decode, encode};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Some((&pan_len, rest)) = rest.split_first() else {
        return;
    };
    let pan_len = usize::from(pan_len % 21);
    let Some((pan_bytes, block)) = rest.split_at_checked(pan_len) else {
        return;
    };
    let digits: Vec<u8> = pan_bytes.iter().map(|b| b'0' + b % 10).collect();
    let pan = Pan::from_ascii(&digits).ok();
    // Also feed the raw bytes as a PAN: it must be rejected or accepted without panicking.
    let _ = Pan::from_ascii(pan_bytes);
    for format in Format::ALL {
        if usize::from(sel) % 6 != 5 && usize::from(sel) % 6 != usize::from(format.number()) {
            continue;
        }
        let r = decode(format, block, pan.as_ref());
        assert_eq!(
            ClearPinBlock::from_bytes(format, block).is_ok(),
            block.len() == format.block_len()
        );
        match r {
            Ok(pin) => {
                assert!((4..=12).contains(&pin.len()));
                assert_eq!(block.len(), format.block_len());
                if matches!(format, Format::Iso0 | Format::Iso2) {
                    let again = encode(format, &pin, pan.as_ref(), &mut ReplayRng::new(&[]))
                        .expect("re-encode");
                    assert_eq!(again.expose_bytes(), block);
                }
            }
            Err(Error::WrongKeyOrPan) => panic!("a clear decode reports specific errors"),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
