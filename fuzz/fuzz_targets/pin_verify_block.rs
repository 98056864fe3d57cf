//! Encrypted-PIN-block verification with arbitrary blocks, keys, PANs and parameter text never
//! panics, and after the input checks the only failure is `PinMismatch` (no decode oracle);
//! decimalisation tables, validation data, offsets and PVVs parse from arbitrary text.
//!
//! Input layout: `[selector] [pek 16] [pvk 16] [pan len] [pan...] [block 8/16] [text fields split at 0xFF...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_pinblock::{
    DecimalizationTable, Error, Format, Pan, PinKey, PinMethod, PinOffset, PinVerificationKey,
    Pvki, Pvv, ValidationData, verify_pin_block,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 34 {
        return;
    }
    let (sel, rest) = (data[0], &data[1..]);
    let (pek, rest) = rest.split_at(16);
    let (pvk, rest) = rest.split_at(16);
    let Some((&pan_len, rest)) = rest.split_first() else {
        return;
    };
    let Some((pan_bytes, rest)) = rest.split_at_checked(usize::from(pan_len % 21)) else {
        return;
    };
    let digits: Vec<u8> = pan_bytes.iter().map(|b| b'0' + b % 10).collect();
    let pan = Pan::from_ascii(&digits).ok();
    let format = Format::ALL[usize::from(sel % 5)];
    let blen = usize::from(sel >> 3 & 0x1F);
    let Some((block, rest)) = rest.split_at_checked(blen) else {
        return;
    };
    let mut f = rest
        .split(|b| *b == 0xFF)
        .map(|x| core::str::from_utf8(x).unwrap_or("\u{fffd}"));
    let (t, v, o) = (f.next().unwrap_or(""), f.next().unwrap_or(""), f.next().unwrap_or(""));
    let key = if format == Format::Iso4 {
        PinKey::aes_from_bytes(pek)
    } else {
        PinKey::tdes_from_bytes(pek)
    }
    .expect("16 bytes");
    let pvk = PinVerificationKey::tdes_from_bytes(pvk).expect("16 bytes");
    // Text parsers.
    let table = DecimalizationTable::new(t);
    if let Ok(tb) = &table {
        assert_eq!(DecimalizationTable::strict(t).is_ok(), tb.is_strict());
    } else {
        assert!(DecimalizationTable::strict(t).is_err());
    }
    let table = table.unwrap_or_default();
    let pad = v.chars().next().unwrap_or('F');
    let vd = ValidationData::new(v.get(1..).unwrap_or(""), pad);
    let vd = vd.unwrap_or_else(|_| ValidationData::new("1234", 'F').expect("vd"));
    let offset = PinOffset::new(o);
    let pvv = Pvv::new(o);
    let methods = [
        offset.ok().map(|off| (off, None)),
        pvv.ok().map(|p| (PinOffset::new("0000").expect("off"), Some(p))),
    ];
    for m in methods.into_iter().flatten() {
        let (off, pvv) = m;
        let method = match &pvv {
            Some(p) => PinMethod::VisaPvv {
                pvk: &pvk,
                pvki: Pvki::new(sel % 10).expect("pvki"),
                pvv: p,
            },
            None => PinMethod::Ibm3624 {
                pvk: &pvk,
                table: &table,
                validation_data: &vd,
                offset: &off,
            },
        };
        match verify_pin_block(&key, format, block, pan.as_ref(), &method) {
            Ok(()) => assert_eq!(block.len(), format.block_len()),
            Err(Error::PinMismatch) => assert_eq!(block.len(), format.block_len()),
            Err(
                Error::BlockLength { .. }
                | Error::Format2NotInterchange
                | Error::PanRequired { .. }
                | Error::PanLength { .. },
            ) => {}
            Err(e) => panic!("unexpected error after the input checks: {e:?}"),
        }
    }
});
