//! AES DUKPT originator state restore on arbitrary bytes (and on mutated valid states):
//! never panics; a restored state saves back to the same bytes and keeps working.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_dukpt::Error;
use paycrypt_dukpt::aes::{
    Bdk, InitialKeyId, KeyType, KeyUsage, Originator, STATE_LEN, StorageKey,
};
use paycrypt_primitives::key::AesKey;

fn storage() -> StorageKey {
    StorageKey::new(&AesKey::from_bytes(&[0x5C; 16]).unwrap())
}

fn exercise(bytes: &[u8]) {
    match Originator::restore(bytes, &storage()) {
        Ok(mut device) => {
            let saved = device.save(&storage());
            assert_eq!(&saved[..], bytes);
            for _ in 0..3 {
                match device.working_key(KeyUsage::PinEncryption, KeyType::Tdes2) {
                    Ok(k) => assert_eq!(k.len(), 16),
                    Err(e) => assert_eq!(e, Error::Exhausted),
                }
                if device.advance().is_err() {
                    assert!(device.is_exhausted());
                    break;
                }
            }
        }
        Err(e) => assert_eq!(e, Error::CorruptState),
    }
}

fuzz_target!(|data: &[u8]| {
    exercise(data);
    // Mutations of a genuine state: the first bytes pick the device, the rest are XORed in.
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let len = [16, 24, 32][usize::from(sel % 3)];
    let bdk = Bdk::from_bytes(&[sel; 32][..len]).unwrap();
    let mut device =
        Originator::load(bdk.initial_key(&InitialKeyId::from_bytes([sel; 8])));
    for _ in 0..(sel >> 3) {
        device.advance().unwrap();
    }
    let mut state = *device.save(&storage());
    assert_eq!(state.len(), STATE_LEN);
    for (i, b) in rest.iter().enumerate() {
        if let Some(s) = state.get_mut(i * 7 % STATE_LEN) {
            *s ^= b;
        }
    }
    exercise(&state);
});
