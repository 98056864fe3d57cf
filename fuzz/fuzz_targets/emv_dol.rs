//! DOLs (EMV Book 3 §5.4) on arbitrary bytes: the first byte splits the input into a DOL and
//! TLV data. Never panics; the built data has exactly the length the DOL asks for; building
//! into a short buffer fails cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_emv::tlv;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let (dol, tl) = rest.split_at(usize::from(split).min(rest.len()));
    let total = tlv::dol_validate(dol);
    let entries: Vec<_> = tlv::dol(dol).collect();
    match &total {
        Ok(n) => {
            let sum: usize = entries.iter().map(|e| usize::from(e.as_ref().unwrap().len)).sum();
            assert_eq!(*n, sum);
        }
        Err(_) => assert!(entries.iter().any(Result::is_err) || dol.len() > tlv::MAX_DOL),
    }
    match (total, tlv::dol_build(dol, tl)) {
        (Ok(n), Ok(built)) => {
            assert_eq!(built.len(), n);
            if n > 0 {
                let mut short = vec![0u8; n - 1];
                assert!(tlv::dol_build_into(dol, tl, &mut short).is_err());
            }
        }
        (Ok(_), Err(_)) => assert!(tlv::validate(tl).is_err()),
        (Err(_), r) => assert!(r.is_err()),
    }
});
