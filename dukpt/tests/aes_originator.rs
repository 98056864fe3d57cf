//! The originating device (X9.24-3:2017 §6.5) against the host (§6.4): the first 3,000
//! counters, the `0x1FFFE → 0x20000` skip, the last counters and exhaustion, save/restore with
//! its integrity check, and a property test over random BDKs, initial key IDs and counters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aes::cipher::{BlockCipherEncrypt, KeyInit};
use paycrypt_dukpt::Error;
use paycrypt_dukpt::aes::{
    Bdk, InitialKeyId, KeyType, KeyUsage, Ksn, LAST_COUNTER, Originator, STATE_LEN, StorageKey,
    counter_is_valid, next_counter,
};
use paycrypt_primitives::hex;
use paycrypt_primitives::key::AesKey;
use proptest::prelude::*;

fn published_bdk() -> Bdk {
    Bdk::from_bytes(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap()).unwrap()
}

fn ikid() -> InitialKeyId {
    InitialKeyId::from_hex("1234567890123456").unwrap()
}

/// Builds the saved state (layout documented at `STATE_LEN`) that a device holds when
/// it is about to use `counter`, from host derivations: register `p` (the counter's lowest
/// one-bit) holds the key for `counter`, and every higher register `i` whose bit is clear in
/// the counter holds the key for `(counter with bits ≤ i cleared) | 1<<i`.
fn crafted_state(bdk: &Bdk, ikid: InitialKeyId, counter: u32, generation: u64) -> Vec<u8> {
    let len = bdk.expose_key().len();
    let p = counter.trailing_zeros();
    let mut valid = 0u32;
    let mut regs = vec![0u8; 32 * 32];
    for i in 0..32u32 {
        let target = if i == p {
            counter
        } else if i > p && counter & (1 << i) == 0 {
            (counter & !((2u64 << i) - 1) as u32) | (1 << i)
        } else {
            continue;
        };
        valid |= 1 << i;
        let k = bdk.intermediate_key(&Ksn::new(ikid, target)).unwrap();
        let at = 32 * i as usize;
        regs[at..at + len].copy_from_slice(k.expose_key().expose_bytes());
    }
    let mut body = Vec::new();
    body.extend_from_slice(b"PDA1");
    body.extend_from_slice(&[2, len as u8, 0, 0]);
    body.extend_from_slice(&ikid.to_bytes());
    body.extend_from_slice(&counter.to_be_bytes());
    body.extend_from_slice(&valid.to_be_bytes());
    body.extend_from_slice(&regs);
    body.extend_from_slice(&generation.to_be_bytes());
    let check = cbc_mac(&body);
    body.extend_from_slice(&check);
    assert_eq!(body.len(), STATE_LEN);
    body
}

const STORAGE_KEY: [u8; 16] = [0x5C; 16];

fn storage() -> StorageKey {
    StorageKey::new(&AesKey::from_bytes(&STORAGE_KEY).unwrap())
}

/// ISO/IEC 9797-1 MAC algorithm 1 with AES, IV 0, zero padding, under the storage key.
fn cbc_mac(body: &[u8]) -> [u8; 16] {
    let c = aes::Aes128::new_from_slice(&STORAGE_KEY).unwrap();
    let mut mac = aes::Block::default();
    for chunk in body.chunks(16) {
        for (m, b) in mac.iter_mut().zip(chunk) {
            *m ^= b;
        }
        c.encrypt_block(&mut mac);
    }
    mac.into()
}

/// Device and host agree on the intermediate key and on a PIN and a MAC key.
fn assert_agrees(bdk: &Bdk, device: &Originator) {
    let ksn = device.current_ksn().unwrap();
    let host = bdk.intermediate_key(&ksn).unwrap();
    let dev = device.intermediate_key().unwrap();
    assert_eq!(dev.ksn(), ksn);
    assert_eq!(dev.expose_key(), host.expose_key(), "{ksn}");
    for (u, t) in [
        (KeyUsage::PinEncryption, KeyType::Aes128),
        (KeyUsage::MacBothWays, KeyType::Hmac128),
    ] {
        assert_eq!(
            device.working_key(u, t).unwrap(),
            bdk.working_key(&ksn, u, t).unwrap(),
            "{ksn}"
        );
    }
}

#[test]
fn first_3000_counters_match_host() {
    let bdk = published_bdk();
    let mut device = Originator::load(bdk.initial_key(&ikid()));
    let mut expected = 1u32;
    for n in 0..3000 {
        let ksn = device.current_ksn().unwrap();
        assert_eq!(ksn.counter(), expected);
        assert!(ksn.is_valid_transaction_counter());
        assert_agrees(&bdk, &device);
        // The crafted state describes the real device (validates the test's model).
        if n % 500 == 0 || n == 2999 {
            assert_eq!(
                device.save(&storage()).to_vec(),
                crafted_state(&bdk, ikid(), expected, n as u64 + 1),
                "{ksn}"
            );
        }
        device.advance().unwrap();
        expected = next_counter(expected).unwrap();
    }
}

#[test]
fn skip_0x1fffe_to_0x20000() {
    let bdk = published_bdk();
    let mut device =
        Originator::restore(&crafted_state(&bdk, ikid(), 0x0001_FFF0, 1), &storage()).unwrap();
    let mut seen = Vec::new();
    while device.current_ksn().unwrap().counter() <= 0x0002_0001 {
        assert_agrees(&bdk, &device);
        seen.push(device.current_ksn().unwrap().counter());
        device.advance().unwrap();
    }
    let pos = seen.iter().position(|&c| c == 0x0001_FFFE).unwrap();
    assert_eq!(seen[pos + 1], 0x0002_0000);
    assert_eq!(seen[pos + 2], 0x0002_0001);
    assert!(seen.iter().all(|&c| counter_is_valid(c)));
    assert!(!seen.contains(&0x0001_FFFF));
}

#[test]
fn last_counters_and_exhaustion() {
    let bdk = published_bdk();
    let mut device =
        Originator::restore(&crafted_state(&bdk, ikid(), 0xFFFE_0000, 1), &storage()).unwrap();
    let mut seen = Vec::new();
    while !device.is_exhausted() {
        assert_agrees(&bdk, &device);
        seen.push(device.current_ksn().unwrap().counter());
        let (ksn, key) = device
            .next_working_key(KeyUsage::DataEncrypt, KeyType::Tdes3)
            .unwrap();
        assert_eq!(
            key,
            bdk.working_key(&ksn, KeyUsage::DataEncrypt, KeyType::Tdes3)
                .unwrap()
        );
    }
    // 0xFFFE0000, then 0xFFFE0000 plus each single bit below bit 16, then 0xFFFF0000.
    let mut expected = vec![0xFFFE_0000u32];
    expected.extend((0..16).map(|i| 0xFFFE_0000u32 | 1 << i));
    expected.push(0xFFFF_0000);
    assert_eq!(seen, expected);
    assert_eq!(*seen.last().unwrap(), LAST_COUNTER);
    assert!(seen.contains(&0xFFFE_2000) && seen.contains(&0xFFFE_8000));
    assert_eq!(device.current_ksn(), Err(Error::Exhausted));
    assert_eq!(device.advance(), Err(Error::Exhausted));
    assert_eq!(
        device
            .working_key(KeyUsage::PinEncryption, KeyType::Aes128)
            .err(),
        Some(Error::Exhausted)
    );
    assert_eq!(device.intermediate_key().err(), Some(Error::Exhausted));
    // The exhausted state saves and restores as exhausted.
    let saved = device.save(&storage());
    let restored = Originator::restore(&saved[..], &storage()).unwrap();
    assert!(restored.is_exhausted());
    assert_eq!(Ksn::new(ikid(), LAST_COUNTER).next(), Err(Error::Exhausted));
}

#[test]
fn save_restore_and_corruption() {
    let bdk = Bdk::from_bytes(&[0x42; 24]).unwrap();
    let mut device = Originator::load(bdk.initial_key(&ikid()));
    for _ in 0..37 {
        device.advance().unwrap();
    }
    let saved = device.save(&storage());
    let mut restored = Originator::restore(&saved[..], &storage()).unwrap();
    for _ in 0..20 {
        assert_eq!(restored.current_ksn(), device.current_ksn());
        assert_eq!(
            restored.working_key(KeyUsage::KeyDerivation, KeyType::Aes192),
            device.working_key(KeyUsage::KeyDerivation, KeyType::Aes192)
        );
        restored.advance().unwrap();
        device.advance().unwrap();
    }
    // Every single-bit flip is detected.
    for byte in 0..STATE_LEN {
        for bit in [0x01u8, 0x80] {
            let mut bad = saved.to_vec();
            bad[byte] ^= bit;
            assert_eq!(
                Originator::restore(&bad, &storage()).err(),
                Some(Error::CorruptState),
                "byte {byte}"
            );
        }
    }
    // Truncated, extended, empty.
    assert_eq!(
        Originator::restore(&saved[..STATE_LEN - 1], &storage()).err(),
        Some(Error::CorruptState)
    );
    let mut long = saved.to_vec();
    long.push(0);
    assert_eq!(
        Originator::restore(&long, &storage()).err(),
        Some(Error::CorruptState)
    );
    assert_eq!(
        Originator::restore(&[], &storage()).err(),
        Some(Error::CorruptState)
    );
    // Another storage key does not open it.
    let other = StorageKey::new(&AesKey::from_bytes(&[0x5D; 32]).unwrap());
    assert_eq!(
        Originator::restore(&saved[..], &other).err(),
        Some(Error::CorruptState)
    );
    // next_transaction hands out the intermediate key, then advances.
    let mut a = Originator::restore(&saved[..], &storage()).unwrap();
    let ksn = a.current_ksn().unwrap();
    let (sent, key) = a.next_transaction().unwrap();
    assert_eq!(sent, ksn);
    assert_eq!(
        key.expose_key(),
        bdk.intermediate_key(&ksn).unwrap().expose_key()
    );
    assert_eq!(a.current_ksn().unwrap(), ksn.next().unwrap());
    // A state with a valid check but inconsistent content is refused too.
    let mut inconsistent = crafted_state(&published_bdk(), ikid(), 0x0001_0000, 1);
    inconsistent[16..20].copy_from_slice(&0x0001_FFFFu32.to_be_bytes());
    let check = cbc_mac(&inconsistent[..1056]);
    inconsistent[1056..].copy_from_slice(&check);
    assert_eq!(
        Originator::restore(&inconsistent, &storage()).err(),
        Some(Error::CorruptState)
    );
}

#[test]
fn debug_is_redacted() {
    let bdk = Bdk::from_bytes(&[0xAB; 16]).unwrap();
    let ik = bdk.initial_key(&ikid());
    let ik_hex = hex::encode_upper(ik.expose_key().expose_bytes());
    let ksn = Ksn::new(ikid(), 5);
    let im = bdk.intermediate_key(&ksn).unwrap();
    let wk = bdk
        .working_key(&ksn, KeyUsage::MacGeneration, KeyType::Hmac128)
        .unwrap();
    let wk_hex = hex::encode_upper(wk.expose_bytes());
    let device = Originator::load(ik.clone());
    for s in [
        format!("{bdk:?}"),
        format!("{ik:?}"),
        format!("{im:?}"),
        format!("{wk:?}"),
        format!("{device:?}"),
        format!("{:?}", wk.clone().into_hmac().unwrap()),
    ] {
        assert!(
            !s.contains("AB") && !s.contains("ab") && !s.contains("171"),
            "{s}"
        );
        assert!(!s.contains(&ik_hex) && !s.contains(&wk_hex[..8]), "{s}");
    }
    assert_eq!(
        format!("{wk:?}"),
        "WorkingKey { type: hmac128, usage: mac-generate, .. }"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// For random BDKs, initial key IDs and counter sequences (a random start reached by a
    /// state built from the host, then random numbers of transactions), the device's keys
    /// equal the host's for a random usage and type.
    #[test]
    fn originator_equals_host(
        len in prop_oneof![Just(16usize), Just(24), Just(32)],
        seed in any::<[u8; 32]>(),
        id in any::<[u8; 8]>(),
        start in any::<u32>(),
        steps in proptest::collection::vec(0usize..5, 1..12),
        usage in 0usize..9,
        t in 0usize..8,
    ) {
        let bdk = Bdk::from_bytes(&seed[..len]).unwrap();
        let ikid = InitialKeyId::from_bytes(id);
        let mut device = if start % 4 == 0 || !counter_is_valid(start) {
            Originator::load(bdk.initial_key(&ikid))
        } else {
            Originator::restore(&crafted_state(&bdk, ikid, start, 1), &storage()).unwrap()
        };
        let usage = KeyUsage::ALL[usage];
        let t = KeyType::ALL[t];
        for skip in steps {
            for _ in 0..skip {
                if device.advance().is_err() { break; }
                if device.is_exhausted() { break; }
            }
            let Ok(ksn) = device.current_ksn() else { break };
            prop_assert!(ksn.is_valid_transaction_counter());
            let host = bdk.working_key(&ksn, usage, t);
            let dev = device.working_key(usage, t);
            prop_assert_eq!(&host, &dev);
            let im = bdk.intermediate_key(&ksn).unwrap();
            prop_assert_eq!(
                im.expose_key(),
                device.intermediate_key().unwrap().expose_key()
            );
        }
    }
}
