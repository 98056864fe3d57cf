//! TDES DUKPT originating device: restoring arbitrary bytes never panics (and never yields a
//! device), and a genuine state survives save / restore while any flipped byte is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_dukpt::Error;
use paycrypt_dukpt::tdes::{Ipek, Ksn, Originator, STATE_LEN, StorageKey};
use paycrypt_primitives::key::TdesKey;

fuzz_target!(|data: &[u8]| {
    let key = StorageKey::new(&TdesKey::from_bytes(&[0x42; 16]).unwrap());
    match Originator::restore(data, &key) {
        Ok(d) => {
            // Only a genuine state under the key can get here; it must re-save identically.
            assert_eq!(&d.save(&key)[..], data);
        }
        Err(e) => assert_eq!(e, Error::CorruptState),
    }
    // A genuine device built from the input.
    if data.len() < 29 {
        return;
    }
    let (ipek, rest) = data.split_at(16);
    let (iksn, rest) = rest.split_at(10);
    let ipek = Ipek::from_bytes(ipek).unwrap();
    let iksn = Ksn::from_slice(iksn).unwrap().initial();
    let mut d = Originator::with_initial_key(&ipek, &iksn).unwrap();
    let steps = rest[0] % 64;
    for _ in 0..steps {
        let (k, t) = d.next_transaction().unwrap();
        assert_eq!(ipek.transaction_key(&k), t);
    }
    let saved = d.save(&key);
    let mut r = Originator::restore(&saved[..], &key).unwrap();
    assert_eq!(r.generation(), d.generation());
    assert_eq!(r.next_transaction().unwrap(), d.next_transaction().unwrap());
    let pos = usize::from(u16::from_be_bytes([rest[1], rest[2]])) % STATE_LEN;
    let mut bad = *saved;
    bad[pos] ^= 1 | rest[1];
    assert_eq!(
        Originator::restore(&bad, &key).unwrap_err(),
        Error::CorruptState
    );
});
