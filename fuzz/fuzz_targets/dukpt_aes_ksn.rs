//! AES DUKPT host derivation on arbitrary BDK bytes, KSN bytes / text, usages and key types:
//! never panics; single, initial-key and batch paths agree; the strength rule holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_dukpt::Error;
use paycrypt_dukpt::aes::{Bdk, KeyType, KeyUsage, Ksn};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let bdk_len = match sel & 3 {
        0 => 16,
        1 => 24,
        2 => 32,
        _ => usize::from(sel >> 2),
    };
    let Some((bdk_bytes, rest)) = rest.split_at_checked(bdk_len.min(rest.len())) else {
        return;
    };
    let usage = KeyUsage::ALL[usize::from(sel >> 2) % KeyUsage::ALL.len()];
    let key_type = KeyType::ALL[usize::from(sel >> 5) % KeyType::ALL.len()];
    // Text parsing never panics.
    if let Ok(text) = core::str::from_utf8(rest) {
        let _ = text.parse::<Ksn>().map(|k| k.counter());
    }
    let bdk = match Bdk::from_bytes(bdk_bytes) {
        Ok(b) => b,
        Err(e) => {
            assert!(matches!(e, Error::KeyLength { .. }));
            assert!(![16, 24, 32].contains(&bdk_bytes.len()));
            return;
        }
    };
    let ksns: Vec<Ksn> = rest
        .chunks_exact(12)
        .take(10)
        .filter_map(|c| Ksn::from_slice(c).ok())
        .collect();
    let Some(first) = ksns.first() else {
        let _ = Ksn::from_slice(rest).map(|k| k.counter());
        return;
    };
    let _ = first.check_transaction_counter();
    let _ = first.next().map(|k| assert!(k.counter() > first.counter()));
    let single = bdk.working_key(first, usage, key_type);
    let ik = bdk.initial_key(&first.initial_key_id());
    let from_ik = ik.working_key(first.counter(), usage, key_type);
    assert_eq!(single, from_ik);
    match &single {
        Ok(k) => assert_eq!(k.len(), key_type.len()),
        Err(e) => assert!(matches!(
            e,
            Error::KeyTypeNotAllowed | Error::ReservedCounter
        )),
    }
    let mut got = vec![None; ksns.len()];
    let batch = bdk.derive_batch(&ksns, usage, key_type, |i, k| got[i] = Some(k));
    if batch.is_ok() {
        for (ksn, k) in ksns.iter().zip(&got) {
            let expected = bdk.working_key(ksn, usage, key_type).unwrap();
            assert_eq!(k.as_ref(), Some(&expected));
        }
    } else {
        assert!(got.iter().all(Option::is_none));
    }
    let _ = bdk
        .update_key(&first.initial_key_id(), key_type)
        .map(|k| assert_eq!(k.len(), key_type.len()));
});
