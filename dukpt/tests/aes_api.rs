//! The usage × key-type matrix with the strength rule (X9.24-3:2017 §6.2), KSN parsing and
//! counter rules (§6.1, §6.5), and a negative test for every error the AES half returns.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::aes::{
    Bdk, DerivationData, InitialKey, InitialKeyId, KeyType, KeyUsage, Ksn, LAST_COUNTER,
    MAX_ONE_BITS, Originator, counter_is_valid, next_counter,
};
use paycrypt_dukpt::{Direction, Error};
use paycrypt_mac::HmacKey;
use paycrypt_mac::MacKey;
use paycrypt_pinblock::PinKey;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{AesKey, KeyAlgorithm, SymmetricKey, TdesKey};
use proptest::prelude::*;

fn strength(t: KeyType) -> u16 {
    match t {
        KeyType::Tdes2 => 80,
        KeyType::Tdes3 => 112,
        KeyType::Aes128 | KeyType::Hmac128 => 128,
        KeyType::Aes192 | KeyType::Hmac192 => 192,
        _ => 256,
    }
}

#[test]
fn usage_by_type_matrix() {
    let ksn = Ksn::from_hex("123456789012345600000007").unwrap();
    let mut allowed_count = [0usize; 3];
    for (n, len) in [16usize, 24, 32].into_iter().enumerate() {
        let bdk = Bdk::from_bytes(&vec![0x3C; len]).unwrap();
        let ik = bdk.initial_key(&ksn.initial_key_id());
        let mut device = Originator::load(ik.clone());
        for _ in 1..7 {
            device.advance().unwrap();
        }
        assert_eq!(device.current_ksn().unwrap(), ksn);
        let mut distinct = Vec::new();
        for usage in KeyUsage::ALL {
            for t in KeyType::ALL {
                let host = bdk.working_key(&ksn, usage, t);
                let from_ik = ik.working_key(ksn.counter(), usage, t);
                let dev = device.working_key(usage, t);
                let ok =
                    strength(t) <= strength(bdk.key_type()) && (!t.is_hmac() || usage.is_mac());
                if ok {
                    let k = host.unwrap();
                    assert_eq!(k.key_type(), t);
                    assert_eq!(k.len(), t.len());
                    assert_eq!(from_ik.unwrap(), k);
                    assert_eq!(dev.unwrap(), k);
                    assert_eq!(k.usage(), usage);
                    let sym = k.as_symmetric().map(SymmetricKey::algorithm);
                    match (sym, t) {
                        (Some(KeyAlgorithm::Tdes2), KeyType::Tdes2)
                        | (Some(KeyAlgorithm::Tdes3), KeyType::Tdes3)
                        | (Some(KeyAlgorithm::Aes128), KeyType::Aes128)
                        | (Some(KeyAlgorithm::Aes192), KeyType::Aes192)
                        | (Some(KeyAlgorithm::Aes256), KeyType::Aes256) => {}
                        (None, KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256) => {
                            assert_eq!(k.clone().into_hmac().unwrap().len(), t.len());
                        }
                        _ => panic!("{k:?} for {t:?}"),
                    }
                    // The role conversions follow the usage (X9.24-3:2017 §6.3.2 Table 2).
                    assert_eq!(
                        PinKey::try_from(&k).is_ok(),
                        usage == KeyUsage::PinEncryption
                    );
                    assert_eq!(MacKey::try_from(&k).is_ok(), usage.is_mac());
                    assert_eq!(BlockCipher::try_from(&k).is_ok(), usage.is_data());
                    // Every (usage, type) gives its own key.
                    assert!(
                        !distinct.contains(&k.expose_bytes().to_vec()),
                        "{usage:?} {t:?}"
                    );
                    distinct.push(k.expose_bytes().to_vec());
                    allowed_count[n] += 1;
                } else {
                    assert_eq!(
                        host.err(),
                        Some(Error::KeyTypeNotAllowed),
                        "{usage:?} {t:?}"
                    );
                    assert_eq!(from_ik.err(), Some(Error::KeyTypeNotAllowed));
                    assert_eq!(dev.err(), Some(Error::KeyTypeNotAllowed));
                    let mut calls = 0;
                    assert_eq!(
                        bdk.derive_batch(&[ksn], usage, t, |_, _| calls += 1),
                        Err(Error::KeyTypeNotAllowed)
                    );
                    assert_eq!(calls, 0);
                }
            }
        }
        // Update keys: every allowed non-HMAC type.
        for t in KeyType::ALL {
            let r = bdk.update_key(&ksn.initial_key_id(), t);
            if strength(t) <= strength(bdk.key_type()) && !t.is_hmac() {
                assert_eq!(r.unwrap().key_type(), t);
            } else {
                assert_eq!(r.err(), Some(Error::KeyTypeNotAllowed));
            }
        }
    }
    // AES-128 BDK: 9 usages × {2TDEA, 3TDEA, AES-128} + 3 MAC usages × HMAC-128.
    assert_eq!(allowed_count, [9 * 3 + 3, 9 * 4 + 3 * 2, 9 * 5 + 3 * 3]);
}

#[test]
fn three_key_tdes_from_aes128_compares_strength_not_length() {
    let bdk = Bdk::from_bytes(&[1; 16]).unwrap();
    let ksn = Ksn::new(InitialKeyId::from_bytes([0; 8]), 1);
    let k = bdk
        .working_key(&ksn, KeyUsage::PinEncryption, KeyType::Tdes3)
        .unwrap();
    assert_eq!(k.len(), 24);
    let tdes: TdesKey = k.try_into().unwrap();
    assert_eq!(tdes.len(), 24);
}

#[test]
fn direction_vocabulary() {
    assert_eq!(KeyUsage::mac(Direction::Request), KeyUsage::MacGeneration);
    assert_eq!(
        KeyUsage::mac(Direction::Response),
        KeyUsage::MacVerification
    );
    assert_eq!(
        KeyUsage::mac(Direction::Bidirectional),
        KeyUsage::MacBothWays
    );
    // A host decrypting request data derives the data-encrypt (0x3000) key.
    assert_eq!(KeyUsage::data(Direction::Request).indicator(), 0x3000);
    assert_eq!(KeyUsage::data(Direction::Response).indicator(), 0x3001);
    assert_eq!(KeyUsage::data(Direction::Bidirectional).indicator(), 0x3002);
}

#[test]
fn derivation_data_layout() {
    // X9.24-3:2017 §6.3.2 example rows (AES-128 BDK, IKID 1234567890123456).
    let ikid = InitialKeyId::from_hex("1234567890123456").unwrap();
    let did = ikid.derivation_id();
    let hex = |d: DerivationData| paycrypt_primitives::hex::encode_upper(&d.to_bytes());
    assert_eq!(
        hex(DerivationData::initial_key(KeyType::Aes128, &ikid)),
        "0101800100020080".to_owned() + "1234567890123456"
    );
    assert_eq!(
        hex(DerivationData::intermediate(KeyType::Aes128, did, 1)),
        "01018000000200809012345600000001"
    );
    assert_eq!(
        hex(DerivationData::working(0x1000, KeyType::Aes128, did, 1)),
        "01011000000200809012345600000001"
    );
    assert_eq!(
        hex(DerivationData::working(
            0x0002,
            KeyType::Aes128,
            did,
            u32::MAX
        )),
        "010100020002008090123456FFFFFFFF"
    );
    assert_eq!(
        hex(DerivationData::working(0x2002, KeyType::Hmac192, did, 9)),
        "010120020005".to_owned() + "00C09012345600000009"
    );
    assert_eq!(
        DerivationData::working(0, KeyType::Tdes3, did, 0).output_len(),
        24
    );
}

#[test]
fn ksn_fields_and_parsing() {
    let ksn: Ksn = "123456789012345600000001".parse().unwrap();
    assert_eq!(ksn.initial_key_id().bdk_id(), [0x12, 0x34, 0x56, 0x78]);
    assert_eq!(
        ksn.initial_key_id().derivation_id(),
        [0x90, 0x12, 0x34, 0x56]
    );
    assert_eq!(ksn.counter(), 1);
    assert_eq!(ksn.to_string(), "123456789012345600000001");
    assert_eq!(format!("{ksn:?}"), "Ksn(123456789012345600000001)");
    assert_eq!(Ksn::from_hex("123456789012345600000001").unwrap(), ksn);
    assert_eq!(
        Ksn::from_hex("12345678901234560000000a").unwrap().counter(),
        10
    );
    assert_eq!(ksn.initial().counter(), 0);
    assert_eq!(ksn.with_counter(9).counter(), 9);
    assert_eq!(ksn.next().unwrap().counter(), 2);
    // Values, not aliases: the original is unchanged.
    assert_eq!(ksn.counter(), 1);
    assert_eq!(
        Ksn::new(InitialKeyId::new([1, 2, 3, 4], [5, 6, 7, 8]), 0x0A0B_0C0D).to_bytes(),
        [1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D]
    );
    assert_eq!(Ksn::from_slice(&[0; 12]).unwrap(), Ksn::from_bytes([0; 12]));
    assert!(Ksn::new(ksn.initial_key_id(), 0xFFFF_0000).is_exhausted());
    assert!(!ksn.is_exhausted());
    assert_eq!(KeyType::from_name("tdes3"), Some(KeyType::Tdes3));
    assert_eq!(KeyType::from_name("des"), None);
    for t in KeyType::ALL {
        assert_eq!(KeyType::from_name(t.name()), Some(t));
    }
    for u in KeyUsage::ALL {
        assert_eq!(KeyUsage::from_name(u.name()), Some(u));
    }
    assert_eq!(
        KeyUsage::from_name("mac-generate"),
        Some(KeyUsage::MacGeneration)
    );
    assert_eq!(KeyUsage::from_name("mac-request"), None);
}

#[test]
fn every_error_variant() {
    // KsnLength.
    assert_eq!(
        Ksn::from_slice(&[0; 10]).err(),
        Some(Error::KsnLength {
            expected: 12,
            got: 10
        })
    );
    assert_eq!(
        Ksn::from_hex("FFFF9876543210E00001").err(),
        Some(Error::KsnLength {
            expected: 12,
            got: 10
        })
    );
    assert!(matches!(
        InitialKeyId::from_slice(&[0; 7]),
        Err(Error::KsnLength { .. })
    ));
    assert!(matches!(
        InitialKeyId::from_hex("00"),
        Err(Error::KsnLength { .. })
    ));
    // Primitives (bad hex digit).
    assert!(matches!(
        Ksn::from_hex("12345678901234560000000G"),
        Err(Error::Primitives(_))
    ));
    // KeyLength.
    for len in [0usize, 8, 15, 17, 20, 31, 33, 48] {
        assert_eq!(
            Bdk::from_bytes(&vec![0; len]).err(),
            Some(Error::KeyLength { got: len })
        );
        assert!(InitialKey::from_bytes(&vec![0; len], InitialKeyId::from_bytes([0; 8])).is_err());
    }
    // CounterNotValid and ReservedCounter.
    let ikid = InitialKeyId::from_bytes([9; 8]);
    assert_eq!(
        Ksn::new(ikid, 0x0001_FFFF).check_transaction_counter(),
        Err(Error::CounterNotValid)
    );
    assert_eq!(
        Ksn::new(ikid, 0).check_transaction_counter(),
        Err(Error::CounterNotValid)
    );
    assert_eq!(
        Ksn::new(ikid, u32::MAX).check_transaction_counter(),
        Err(Error::ReservedCounter)
    );
    assert_eq!(
        Ksn::new(ikid, 0xFFFF_0000).check_transaction_counter(),
        Ok(())
    );
    let bdk = Bdk::from_bytes(&[7; 16]).unwrap();
    let reserved = Ksn::new(ikid, u32::MAX);
    assert_eq!(
        bdk.intermediate_key(&reserved).err(),
        Some(Error::ReservedCounter)
    );
    assert_eq!(
        bdk.working_key(&reserved, KeyUsage::PinEncryption, KeyType::Aes128)
            .err(),
        Some(Error::ReservedCounter)
    );
    assert_eq!(
        bdk.initial_key(&ikid).intermediate_key(u32::MAX).err(),
        Some(Error::ReservedCounter)
    );
    // Hosts still derive counters with more than 16 one-bits.
    assert!(bdk.intermediate_key(&Ksn::new(ikid, 0x0001_FFFF)).is_ok());
    assert!(bdk.intermediate_key(&Ksn::new(ikid, 0xFFFF_FFFE)).is_ok());
    // Exhausted.
    assert_eq!(next_counter(LAST_COUNTER), Err(Error::Exhausted));
    assert_eq!(Ksn::new(ikid, LAST_COUNTER).next(), Err(Error::Exhausted));
    // KeyTypeNotAllowed.
    assert_eq!(
        bdk.working_key(
            &Ksn::new(ikid, 1),
            KeyUsage::PinEncryption,
            KeyType::Hmac128
        )
        .err(),
        Some(Error::KeyTypeNotAllowed)
    );
    assert_eq!(
        bdk.working_key(&Ksn::new(ikid, 1), KeyUsage::MacGeneration, KeyType::Aes192)
            .err(),
        Some(Error::KeyTypeNotAllowed)
    );
    let wk = bdk
        .working_key(&Ksn::new(ikid, 1), KeyUsage::PinEncryption, KeyType::Aes128)
        .unwrap();
    assert_eq!(
        TdesKey::try_from(wk.clone()).err(),
        Some(Error::KeyTypeNotAllowed)
    );
    assert_eq!(
        HmacKey::try_from(wk.clone()).err(),
        Some(Error::KeyTypeNotAllowed)
    );
    // UsageMismatch: a PIN key is neither a MAC nor a data key, and names its usage.
    assert_eq!(
        MacKey::try_from(&wk).err(),
        Some(Error::UsageMismatch {
            usage: "pin",
            role: "MAC"
        })
    );
    assert_eq!(
        BlockCipher::try_from(&wk).err(),
        Some(Error::UsageMismatch {
            usage: "pin",
            role: "data encryption"
        })
    );
    let mac = bdk
        .working_key(&Ksn::new(ikid, 1), KeyUsage::MacGeneration, KeyType::Aes128)
        .unwrap();
    assert_eq!(
        PinKey::try_from(&mac).err(),
        Some(Error::UsageMismatch {
            usage: "mac-generate",
            role: "PIN encryption"
        })
    );
    assert!(AesKey::try_from(wk).is_ok());
    // Unsupported: the 80-bit compatibility KSN is reserved.
    assert_eq!(
        Ksn::from_compatibility_ksn(&[0; 10]).err(),
        Some(Error::Unsupported)
    );
    assert_eq!(
        Ksn::new(ikid, 1).to_compatibility_ksn().err(),
        Some(Error::Unsupported)
    );
    // CorruptState.
    assert_eq!(
        Originator::restore(
            &[0; 5],
            &paycrypt_dukpt::aes::StorageKey::new(&AesKey::from_bytes(&[0; 16]).unwrap())
        )
        .err(),
        Some(Error::CorruptState)
    );
    // BatchLength.
    let mut out: [Option<paycrypt_dukpt::aes::WorkingKey>; 0] = [];
    assert_eq!(
        bdk.derive_many(
            &[Ksn::new(ikid, 1)],
            KeyUsage::PinEncryption,
            KeyType::Aes128,
            &mut out
        ),
        Err(Error::BatchLength { ksns: 1, keys: 0 })
    );
    // Display never shows key material and is not empty.
    assert!(!Error::KeyTypeNotAllowed.to_string().is_empty());
}

#[test]
fn bdk_from_key_and_expose() {
    let key = AesKey::from_bytes(&[5; 32]).unwrap();
    let bdk = Bdk::new(key.clone());
    assert_eq!(bdk.expose_key(), &key);
    assert_eq!(bdk.key_type(), KeyType::Aes256);
    let ikid = InitialKeyId::from_bytes([1; 8]);
    let ik = bdk.initial_key(&ikid);
    assert_eq!(ik.key_type(), KeyType::Aes256);
    assert_eq!(ik.initial_ksn(), Ksn::new(ikid, 0));
    let again = InitialKey::from_key(&ik.expose_key(), ikid);
    assert_eq!(again.expose_key(), ik.expose_key());
    // Counter 0 gives the initial key as the intermediate key.
    assert_eq!(
        ik.intermediate_key(0).unwrap().expose_key(),
        ik.expose_key()
    );
}

proptest! {
    /// `next_counter` returns the smallest valid counter above its argument.
    #[test]
    fn next_counter_is_the_next_valid(c in prop_oneof![any::<u32>(), 0xFFFE_0000u32..=0xFFFF_FFFF]) {
        match next_counter(c) {
            Ok(n) => {
                prop_assert!(n > c && counter_is_valid(n) && n <= LAST_COUNTER);
                prop_assert!(n.count_ones() <= MAX_ONE_BITS);
                // Nothing valid in between (gaps are below 2^16 for counters below the end).
                let mut x = c + 1;
                let mut steps = 0;
                while x < n && steps < (1 << 17) {
                    prop_assert!(!counter_is_valid(x), "{x:08X}");
                    x += 1;
                    steps += 1;
                }
            }
            Err(e) => {
                prop_assert_eq!(e, Error::Exhausted);
                prop_assert!(c >= LAST_COUNTER);
            }
        }
    }
}
