//! Deciphering (and translating) arbitrary blocks with arbitrary keys and PANs never panics;
//! whatever deciphers is a 4-12 digit PIN that re-enciphers (fixed-fill formats 0 and 2) to the
//! same block, and every failure after decryption is the one uniform error.
//!
//! Input layout: `[format] [key size] [PAN length] [target format] [32 key bytes]
//! [PAN digit bytes...] [block bytes...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_pinblock::{Error, Format, Pan, PinKey, ReplayRng, decipher, encipher, translate};

fn key(format: Format, size: u8, material: &[u8]) -> Option<PinKey> {
    let len = [8usize, 16, 24, 32, 5][usize::from(size % 5)];
    let bytes = material.get(..len.min(material.len()))?;
    PinKey::for_format_allow_legacy_des(format, bytes).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_at_checked(4) else {
        return;
    };
    let Some((material, rest)) = rest.split_at_checked(32) else {
        return;
    };
    let [fsel, ksel, pan_len, tsel] = [head[0], head[1], head[2], head[3]];
    let Ok(format) = Format::from_number(fsel % 5) else {
        return;
    };
    let Some((pan_bytes, block)) = rest.split_at_checked(usize::from(pan_len % 21)) else {
        return;
    };
    let digits: Vec<u8> = pan_bytes.iter().map(|b| b'0' + b % 10).collect();
    let pan = Pan::from_ascii(&digits).ok();
    let Some(k) = key(format, ksel, material) else {
        return;
    };
    match decipher(format, &k, block, pan.as_ref()) {
        Ok(pin) => {
            assert!((4..=12).contains(&pin.len()));
            if matches!(format, Format::Iso0 | Format::Iso2) {
                let again = encipher(format, &k, &pin, pan.as_ref(), &mut ReplayRng::new(&[]))
                    .expect("re-encipher");
                assert_eq!(again.as_bytes(), block);
            }
        }
        Err(Error::InvalidPinBlock) => {
            panic!("decipher must report WrongKeyOrPan after decryption")
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    // Translate to a second format under a key derived from the same material.
    let Ok(to) = Format::from_number(tsel % 5) else {
        return;
    };
    let Some(k2) = key(to, tsel / 5, material) else {
        return;
    };
    let random = [0x5Au8; 16];
    match translate(
        block,
        format,
        &k,
        to,
        &k2,
        pan.as_ref(),
        &mut ReplayRng::new(&random),
    ) {
        Ok(out) => {
            assert_eq!(out.as_bytes().len(), to.block_len());
            let p1 = decipher(to, &k2, out.as_bytes(), pan.as_ref()).expect("translated block");
            let p0 = decipher(format, &k, block, pan.as_ref()).expect("source block");
            assert_eq!(p0, p1);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
