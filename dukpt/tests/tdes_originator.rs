//! The originating device (X9.24-1:2009 A.2) against the host derivation (A.3), the counter
//! rules, state save/restore, and a negative test for every error the TDES half returns.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::Error;
use paycrypt_dukpt::tdes::{
    Bdk, Ipek, KeyVariant, Ksn, LAST_COUNTER, MAX_TRANSACTIONS, Originator, STATE_LEN, StorageKey,
};
use paycrypt_primitives::key::TdesKey;
use proptest::prelude::*;

const BDK: [u8; 16] = hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210");

fn ksn(s: &str) -> Ksn {
    s.parse().unwrap()
}

fn ansi_device() -> (Bdk, Originator) {
    let bdk = Bdk::from_bytes(&BDK).unwrap();
    let iksn = ksn("FFFF9876543210E00000");
    let d = Originator::with_initial_key(&bdk.ipek(&iksn), &iksn).unwrap();
    (bdk, d)
}

fn storage_key() -> StorageKey {
    StorageKey::new(&TdesKey::from_bytes(&[0x5A; 16]).unwrap())
}

/// Walks all 1,048,575 transactions of one device and compares every key with the host
/// (table-driven DES; the bitsliced default DES at the last counter `1FF800`, the highest bit
/// `100000`, the ten-bit `0AAAAA` — X9.24-1:2009 A.2's limits — and every 4096th transaction).
#[test]
fn whole_counter_space_matches_host() {
    let (bdk, mut d) = ansi_device();
    let mut prev = ksn("FFFF9876543210E00000");
    let mut n = 0u32;
    let mut seen = [false; 3];
    while let Ok((k, key)) = d.next_transaction() {
        n += 1;
        assert_eq!(
            k,
            prev.next().unwrap(),
            "originator follows Ksn::next at {k}"
        );
        assert!(k.is_valid_transaction_counter());
        assert_eq!(bdk.transaction_key_vartime(&k), key, "{k}");
        let c = k.counter();
        if let Some(i) = [0x1F_F800, 0x10_0000, 0x0A_AAAA]
            .iter()
            .position(|x| *x == c)
        {
            seen[i] = true;
            assert_eq!(bdk.transaction_key(&k), key, "{k} portable");
        } else if n.is_multiple_of(4096) {
            assert_eq!(bdk.transaction_key(&k), key, "{k} portable");
        }
        prev = k;
    }
    assert_eq!(n, MAX_TRANSACTIONS);
    assert_eq!(seen, [true; 3]);
    assert_eq!(prev.counter(), LAST_COUNTER);
    // Exhausted: never wraps to counter 0 (the IPEK) or 1.
    assert!(d.is_exhausted());
    for _ in 0..3 {
        assert_eq!(d.next_transaction().unwrap_err(), Error::Exhausted);
        assert_eq!(d.current_ksn().unwrap_err(), Error::Exhausted);
    }
    assert_eq!(prev.next().unwrap_err(), Error::Exhausted);
    assert!(prev.is_exhausted());
    // The exhausted state survives a save / restore.
    let restored = Originator::restore(&d.save(&storage_key())[..], &storage_key()).unwrap();
    assert!(restored.is_exhausted());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// For random BDKs and initial KSNs, the device's key for each of its first transactions
    /// equals the host's.
    #[test]
    fn originator_equals_host(bdk in any::<[u8; 16]>(), id in any::<[u8; 10]>(), n in 1usize..300) {
        let bdk = Bdk::from_bytes(&bdk).unwrap();
        let iksn = Ksn::from_bytes(id).initial();
        let ipek = bdk.ipek(&iksn);
        prop_assert_eq!(bdk.ipek_vartime(&iksn), ipek.clone());
        let mut d = Originator::with_initial_key(&ipek, &iksn).unwrap();
        for _ in 0..n {
            let (k, key) = d.next_transaction().unwrap();
            prop_assert_eq!(k.initial(), iksn);
            prop_assert_eq!(&bdk.transaction_key(&k), &key);
            prop_assert_eq!(&bdk.transaction_key_vartime(&k), &key);
            prop_assert_eq!(&ipek.transaction_key(&k), &key);
            prop_assert_eq!(
                bdk.working_key_vartime(&k, KeyVariant::Pin),
                key.pin_key().into_key()
            );
        }
    }

    /// The interleaved batch equals one-by-one portable derivation for random KSNs (any
    /// counter, also with more than 10 one-bits) and batch lengths.
    #[test]
    fn batch_equals_single(
        bdk in any::<[u8; 16]>(),
        ksns in proptest::collection::vec(any::<[u8; 10]>(), 0..9),
    ) {
        let bdk = Bdk::from_bytes(&bdk).unwrap();
        let ksns: Vec<Ksn> = ksns.into_iter().map(Ksn::from_bytes).collect();
        let mut out = vec![TdesKey::from_bytes(&[0; 16]).unwrap(); ksns.len()];
        let mut raw = vec![[0u8; 16]; ksns.len()];
        let usage = KeyVariant::MacRequest;
        bdk.derive_many_vartime(&ksns, usage, &mut out).unwrap();
        bdk.derive_many_bytes_vartime(&ksns, usage, &mut raw).unwrap();
        for ((k, o), r) in ksns.iter().zip(&out).zip(&raw) {
            let want = bdk.working_key(k, usage);
            prop_assert_eq!(o, &want);
            prop_assert_eq!(&r[..], want.expose_bytes());
        }
    }

    /// Save at a random point, restore, and the restored device continues identically.
    #[test]
    fn save_restore_continues(skip in 0usize..200, id in any::<[u8; 10]>()) {
        let bdk = Bdk::from_bytes(&BDK).unwrap();
        let iksn = Ksn::from_bytes(id).initial();
        let mut d = Originator::with_initial_key(&bdk.ipek(&iksn), &iksn).unwrap();
        for _ in 0..skip {
            d.next_transaction().unwrap();
        }
        let saved = d.save(&storage_key());
        let mut r = Originator::restore(&saved[..], &storage_key()).unwrap();
        prop_assert_eq!(r.current_ksn().unwrap(), d.current_ksn().unwrap());
        for _ in 0..20 {
            prop_assert_eq!(r.next_transaction().unwrap(), d.next_transaction().unwrap());
        }
    }

    /// `Ksn::next` gives the smallest larger counter with at most 10 one-bits.
    #[test]
    fn next_is_smallest_valid_successor(c in 0u32..=LAST_COUNTER) {
        let k = ksn("FFFF9876543210E00000").with_counter(c).unwrap();
        match k.next() {
            Ok(n) => {
                prop_assert!(n.counter() > c);
                prop_assert!(n.counter().count_ones() <= 10);
                prop_assert_eq!(n.initial(), k.initial());
                for between in c + 1..n.counter() {
                    prop_assert!(between.count_ones() > 10);
                }
            }
            Err(e) => {
                prop_assert_eq!(e, Error::Exhausted);
                prop_assert_eq!(c, LAST_COUNTER);
            }
        }
    }

    /// Validity is exactly "1 to 10 one-bits"; the host derives every counter anyway.
    #[test]
    fn validity_and_host_any_counter(c in 0u32..=0x1F_FFFF) {
        let k = ksn("FFFF9876543210E00000").with_counter(c).unwrap();
        prop_assert_eq!(k.counter(), c);
        prop_assert_eq!(k.is_valid_transaction_counter(), c != 0 && c.count_ones() <= 10);
        let bdk = Bdk::from_bytes(&BDK).unwrap();
        prop_assert_eq!(bdk.transaction_key(&k), bdk.transaction_key_vartime(&k));
    }
}

#[test]
fn ansi_sequences_follow_next_ksn() {
    // A.4.2: counters 1 … 0x15 consecutively; A.4.3 rollover: 0x0FF800 … 0x100000.
    let a43 = [
        0x0F_F800, 0x0F_F801, 0x0F_F802, 0x0F_F804, 0x0F_F808, 0x0F_F810, 0x0F_F820, 0x0F_F840,
        0x0F_F880, 0x0F_F900, 0x0F_FA00, 0x0F_FC00, 0x10_0000,
    ];
    let mut k = ksn("FFFF9876543210E00000");
    for c in 1..=0x15 {
        k = k.next().unwrap();
        assert_eq!(k.counter(), c);
    }
    let mut k = ksn("FFFF9876543210E00000").with_counter(a43[0]).unwrap();
    for c in &a43[1..] {
        k = k.next().unwrap();
        assert_eq!(k.counter(), *c);
    }
    assert_eq!(k.to_string(), "FFFF9876543210F00000");
}

#[test]
fn next_ksn_skip_table() {
    let base = ksn("FFFF9876543210E00000");
    for (from, to) in [
        (0x00_0000, 0x00_0001),
        (0x00_03FF, 0x00_0400),
        (0x00_07FE, 0x00_0800), // 0x7FF has 11 one-bits
        (0x0F_FC00, 0x10_0000), // A.4.3 rollover
        (0x1F_F7FF, 0x1F_F800), // invalid start: skips to the last counter
        (0x1F_F000, 0x1F_F001),
        (0x1F_F400, 0x1F_F800),
    ] {
        let k = base.with_counter(from).unwrap();
        assert_eq!(k.next().unwrap().counter(), to, "{from:#x}");
        assert_eq!(k.counter(), from, "next() leaves the KSN unchanged");
    }
    assert_eq!(
        base.with_counter(LAST_COUNTER).unwrap().next().unwrap_err(),
        Error::Exhausted
    );
    assert_eq!(
        base.with_counter(0x1F_FFFF).unwrap().next().unwrap_err(),
        Error::Exhausted
    );
}

#[test]
fn ksn_forms_and_fields() {
    let k = Ksn::from_8_bytes_padded(&hex_literal::hex!("9876543210E00012")).unwrap();
    assert_eq!(k, ksn("FFFF9876543210E00012"));
    assert_eq!(Ksn::from_hex_8_padded("9876543210e00012").unwrap(), k);
    assert_eq!(Ksn::from_slice(&k.to_bytes()).unwrap(), k);
    assert_eq!(Ksn::try_from(&k.as_bytes()[..]).unwrap(), k);
    assert_eq!(k.key_set_id(), hex_literal::hex!("FFFF987654"));
    assert_eq!(k.device_id(), 0x3210E >> 1);
    assert_eq!(format!("{k}"), "FFFF9876543210E00012");
    assert_eq!(format!("{k:?}"), "Ksn(FFFF9876543210E00012)");
    // The counter never leaks into the device ID.
    assert_eq!(
        k.with_counter(0x1F_FFFF).unwrap().device_id(),
        k.device_id()
    );
    assert_eq!(k.with_counter(0x1F_FFFF).unwrap().initial(), k.initial());
}

#[test]
fn specific_counters_device_vs_host() {
    // Counters of X9.24 pitfalls: the originator at 0x0AAAAA / 0x100000 / 0x1FF800 is
    // checked in the full walk; here the host's two back ends and the IPEK path agree.
    let bdk = Bdk::from_bytes(&BDK).unwrap();
    let iksn = ksn("FFFF9876543210E00000");
    let ipek = bdk.ipek(&iksn);
    for c in [0x1F_F800, 0x10_0000, 0x0A_AAAA, 0x1F_FFFF] {
        let k = iksn.with_counter(c).unwrap();
        let t = bdk.transaction_key(&k);
        assert_eq!(bdk.transaction_key_vartime(&k), t);
        assert_eq!(ipek.transaction_key(&k), t);
    }
    assert_eq!(
        bdk.transaction_key(&iksn.with_counter(0x10_0000).unwrap())
            .expose_key()
            .expose_bytes(),
        hex_literal::hex!("AA4D58DB653EC74A48C75F2F047DD2B5")
    );
}

#[test]
fn state_tamper_and_wrong_key() {
    let (_, mut d) = ansi_device();
    for _ in 0..7 {
        d.next_transaction().unwrap();
    }
    let saved = d.save(&storage_key());
    assert_eq!(saved.len(), STATE_LEN);
    for i in 0..STATE_LEN {
        let mut b = *saved;
        b[i] ^= 0x01;
        assert_eq!(
            Originator::restore(&b, &storage_key()).unwrap_err(),
            Error::CorruptState,
            "byte {i}"
        );
    }
    let other = StorageKey::new(&TdesKey::from_bytes(&[0xA5; 16]).unwrap());
    assert_eq!(
        Originator::restore(&saved[..], &other).unwrap_err(),
        Error::CorruptState
    );
    assert_eq!(
        Originator::restore(&saved[..STATE_LEN - 1], &storage_key()).unwrap_err(),
        Error::CorruptState
    );
    let mut long = saved.to_vec();
    long.push(0);
    assert_eq!(
        Originator::restore(&long, &storage_key()).unwrap_err(),
        Error::CorruptState
    );
    assert_eq!(
        Originator::restore(&[], &storage_key()).unwrap_err(),
        Error::CorruptState
    );
    // An empty device saves and restores as empty.
    let e =
        Originator::restore(&Originator::new().save(&storage_key())[..], &storage_key()).unwrap();
    assert!(!e.is_loaded());
    assert_eq!(e.initial_ksn(), None);
}

#[test]
fn registers_erased_and_debug_redacted() {
    let (bdk, mut d) = ansi_device();
    let (k, key) = d.next_transaction().unwrap();
    let dbg = format!("{d:?} {key:?} {bdk:?} {:?}", storage_key());
    assert!(dbg.contains("counter"));
    let hexkey = paycrypt_primitives::hex::encode_upper(key.expose_key().expose_bytes());
    assert!(!dbg.contains(&hexkey[..8]));
    // The used register is erased: the saved state no longer contains the used key.
    let saved = d.save(&storage_key());
    let raw = key.expose_key().expose_bytes();
    assert!(
        !saved.windows(16).any(|w| w == raw),
        "used key still stored at {k}"
    );
    assert!(d.initial_ksn().is_some());
}

#[test]
fn error_variants() {
    // NotInitialized
    let mut d = Originator::new();
    assert!(!d.is_loaded());
    assert_eq!(d.next_transaction().unwrap_err(), Error::NotInitialized);
    assert_eq!(d.current_ksn().unwrap_err(), Error::NotInitialized);
    assert!(Originator::default().is_exhausted());
    // CounterNotValid: loading with a non-initial KSN, a counter beyond 21 bits.
    let ipek = Ipek::from_bytes(&[7; 16]).unwrap();
    assert_eq!(
        d.load_initial_key(&ipek, &ksn("FFFF9876543210E00001"))
            .unwrap_err(),
        Error::CounterNotValid
    );
    assert_eq!(
        ksn("FFFF9876543210E00000")
            .with_counter(0x20_0000)
            .unwrap_err(),
        Error::CounterNotValid
    );
    // KsnLength
    assert_eq!(
        Ksn::from_slice(&[0; 8]).unwrap_err(),
        Error::KsnLength {
            expected: 10,
            got: 8
        }
    );
    assert_eq!(
        Ksn::from_8_bytes_padded(&[0; 10]).unwrap_err(),
        Error::KsnLength {
            expected: 8,
            got: 10
        }
    );
    assert!(matches!(
        Ksn::from_hex("FFFF9876543210E000"),
        Err(Error::KsnLength { .. })
    ));
    assert!(matches!(
        Ksn::from_hex_8_padded("FFFF"),
        Err(Error::KsnLength { .. })
    ));
    // Primitives (bad hex digit)
    assert!(matches!(
        Ksn::from_hex("FFFF9876543210E0000G"),
        Err(Error::Primitives(_))
    ));
    assert!(matches!(
        "FFFF9876543210E0000G".parse::<Ksn>(),
        Err(Error::Primitives(_))
    ));
    // KeyLength
    assert_eq!(
        Bdk::from_bytes(&[0; 24]).unwrap_err(),
        Error::KeyLength { got: 24 }
    );
    assert_eq!(
        Bdk::from_bytes(&[0; 8]).unwrap_err(),
        Error::KeyLength { got: 8 }
    );
    let triple = TdesKey::from_bytes(&[1; 24]).unwrap();
    assert_eq!(
        Bdk::new(triple.clone()).unwrap_err(),
        Error::KeyLength { got: 24 }
    );
    assert_eq!(
        Ipek::from_key(triple).unwrap_err(),
        Error::KeyLength { got: 24 }
    );
    assert_eq!(
        Ipek::from_bytes(&[0; 15]).unwrap_err(),
        Error::KeyLength { got: 15 }
    );
    // BatchLength
    let bdk = Bdk::from_bytes(&BDK).unwrap();
    let ksns = [ksn("FFFF9876543210E00001"); 3];
    let mut out = vec![TdesKey::from_bytes(&[0; 16]).unwrap(); 2];
    let want = Error::BatchLength { ksns: 3, keys: 2 };
    assert_eq!(
        bdk.derive_many(&ksns, KeyVariant::Pin, &mut out)
            .unwrap_err(),
        want
    );
    assert_eq!(
        bdk.derive_many_vartime(&ksns, KeyVariant::Pin, &mut out)
            .unwrap_err(),
        want
    );
    let mut raw = [[0u8; 16]; 2];
    assert_eq!(
        bdk.derive_many_bytes_vartime(&ksns, KeyVariant::Pin, &mut raw)
            .unwrap_err(),
        want
    );
    // Error Display never prints key material and is not empty.
    assert!(!want.to_string().is_empty());
}

#[test]
fn degenerate_bdk_is_accepted() {
    // K1 = K2: weak-key refusal is an import policy, never a derivation failure.
    let bdk = Bdk::from_bytes(&[0x01; 16]).unwrap();
    let k = ksn("FFFF9876543210E00003");
    assert_eq!(bdk.transaction_key(&k), bdk.transaction_key_vartime(&k));
}
