//! Issue 13 item 15: saved device states carry a generation; rollback is refused against a
//! monotonic counter; the two-slot pattern survives a torn write at every byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use paycrypt_dukpt::{Error, aes, tdes};
use paycrypt_primitives::key::{AesKey, TdesKey};

fn tdes_device() -> (tdes::Originator, tdes::StorageKey) {
    let bdk = tdes::Bdk::from_bytes(&[0x01; 16]).unwrap();
    let iksn: tdes::Ksn = "FFFF9876543210E00000".parse().unwrap();
    let d = tdes::Originator::with_initial_key(&bdk.ipek(&iksn), &iksn).unwrap();
    (
        d,
        tdes::StorageKey::new(&TdesKey::from_bytes(&[0x22; 16]).unwrap()),
    )
}

fn aes_device() -> (aes::Originator, aes::StorageKey) {
    let bdk = aes::Bdk::from_bytes(&[0x11; 16]).unwrap();
    let ik = bdk.initial_key(&aes::InitialKeyId::from_hex("1234567890123456").unwrap());
    let d = aes::Originator::with_initial_key(&ik);
    (
        d,
        aes::StorageKey::new(&AesKey::from_bytes(&[0x33; 16]).unwrap()),
    )
}

#[test]
fn generation_grows_with_every_change_and_is_saved() {
    let (mut d, key) = tdes_device();
    assert_eq!(tdes::Originator::new().generation(), 0);
    assert_eq!(d.generation(), 1);
    for g in 2..10 {
        d.next_transaction().unwrap();
        assert_eq!(d.generation(), g);
        let back = tdes::Originator::restore(&d.save(&key)[..], &key).unwrap();
        assert_eq!(back.generation(), g);
    }
    let (mut a, akey) = aes_device();
    assert_eq!(a.generation(), 1);
    a.next_transaction().unwrap();
    a.advance().unwrap();
    a.next_working_key(aes::KeyUsage::PinEncryption, aes::KeyType::Aes128)
        .unwrap();
    assert_eq!(a.generation(), 4);
    let back = aes::Originator::restore(&a.save(&akey)[..], &akey).unwrap();
    assert_eq!(back.generation(), 4);
}

#[test]
fn rollback_to_an_older_genuine_state_is_refused() {
    let (mut d, key) = tdes_device();
    let old = d.save(&key);
    d.next_transaction().unwrap();
    let counter = d.generation(); // what the caller's monotonic counter recorded
    let new = d.save(&key);
    // Without the counter the old state restores (it is genuine) and would reuse a KSN.
    let stale = tdes::Originator::restore(&old[..], &key).unwrap();
    assert_eq!(stale.current_ksn().unwrap().counter(), 1);
    assert_eq!(
        tdes::Originator::restore_at_least(&old[..], &key, counter).unwrap_err(),
        Error::RolledBack {
            generation: 1,
            expected: 2
        }
    );
    assert!(tdes::Originator::restore_at_least(&new[..], &key, counter).is_ok());

    let (mut a, akey) = aes_device();
    let old = a.save(&akey);
    a.next_transaction().unwrap();
    let new = a.save(&akey);
    assert!(matches!(
        aes::Originator::restore_at_least(&old[..], &akey, a.generation()),
        Err(Error::RolledBack { .. })
    ));
    assert!(aes::Originator::restore_at_least(&new[..], &akey, a.generation()).is_ok());
    assert!(
        Error::RolledBack {
            generation: 1,
            expected: 2
        }
        .to_string()
        .contains("older")
    );
}

/// Runs the two-slot pattern with a write torn after `cut` bytes in the middle of it: the
/// restored device continues from the previous state, never from a corrupt one, and never
/// re-issues a KSN the torn save would have covered only if the key had been used.
fn two_slots_survive_tdes(cut: usize) {
    let (mut d, key) = tdes_device();
    let mut slots = [vec![0u8; tdes::STATE_LEN], vec![0u8; tdes::STATE_LEN]];
    // Two good saves.
    for _ in 0..2 {
        let refs = [&slots[0][..], &slots[1][..]];
        let i = tdes::Originator::slot_to_save(&refs, &key);
        slots[i].copy_from_slice(&d.save(&key)[..]);
        d.next_transaction().unwrap();
    }
    let before = d.generation();
    let ksn_before = d.current_ksn().unwrap();
    // The third save is torn: only `cut` bytes of the new state reach the slot.
    let refs = [&slots[0][..], &slots[1][..]];
    let (newest, _) = tdes::Originator::restore_newest(&refs, &key).unwrap();
    let i = tdes::Originator::slot_to_save(&refs, &key);
    assert_ne!(i, newest, "the newest valid slot is never overwritten");
    let state = d.save(&key);
    slots[i][..cut].copy_from_slice(&state[..cut]);
    // Power comes back: the newest valid slot restores.
    let refs = [&slots[0][..], &slots[1][..]];
    let (_, back) = tdes::Originator::restore_newest(&refs, &key).unwrap();
    if cut == tdes::STATE_LEN {
        assert_eq!(back.generation(), before);
        assert_eq!(back.current_ksn().unwrap(), ksn_before);
    } else {
        // The previous state (saved before its key was used): one generation older.
        assert_eq!(back.generation(), before - 1);
    }
}

#[test]
fn torn_write_at_every_byte_tdes() {
    for cut in 0..=tdes::STATE_LEN {
        two_slots_survive_tdes(cut);
    }
}

#[test]
fn torn_write_at_every_byte_aes() {
    let (mut d, key) = aes_device();
    let mut slots = [vec![0u8; aes::STATE_LEN], vec![0u8; aes::STATE_LEN]];
    for _ in 0..2 {
        let refs = [&slots[0][..], &slots[1][..]];
        let i = aes::Originator::slot_to_save(&refs, &key);
        slots[i].copy_from_slice(&d.save(&key)[..]);
        d.advance().unwrap();
    }
    let state = d.save(&key);
    let refs = [&slots[0][..], &slots[1][..]];
    let target = aes::Originator::slot_to_save(&refs, &key);
    let (newest, prev) = aes::Originator::restore_newest(&refs, &key).unwrap();
    assert_ne!(target, newest);
    for cut in (0..aes::STATE_LEN).step_by(7).chain([aes::STATE_LEN - 1]) {
        let mut torn = slots.clone();
        torn[target][..cut].copy_from_slice(&state[..cut]);
        let refs = [&torn[0][..], &torn[1][..]];
        let (_, back) = aes::Originator::restore_newest(&refs, &key).unwrap();
        assert_eq!(back.generation(), prev.generation(), "cut {cut}");
    }
    // Neither slot valid: one error.
    let empty = [&[0u8; 3][..], &[][..]];
    assert_eq!(
        aes::Originator::restore_newest(&empty, &key).unwrap_err(),
        Error::CorruptState
    );
    assert_eq!(aes::Originator::slot_to_save(&empty, &key), 0);
}
