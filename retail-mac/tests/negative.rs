//! A negative test for every `Error` variant, plus pinned edge cases of the padding methods.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_mac::pboc;
use paycrypt_mac::{Algorithm1, Algorithm3, mac_algorithm_1, mac_algorithm_3};
use paycrypt_mac::{Cmac, cmac};
use paycrypt_mac::{
    Error, KeyAlgorithm, Mac, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, Tag, TdesKey,
    generate, verify, verify_mac,
};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod, check_kcv, hmac_kcv, kcv, legacy_kcv};
use paycrypt_primitives::hex::decode;

fn des() -> SymmetricKey {
    SymmetricKey::new(KeyAlgorithm::Des, &decode("0123456789ABCDEF").unwrap()).unwrap()
}
fn tdes2() -> TdesKey {
    TdesKey::from_bytes(&decode("0123456789ABCDEFFEDCBA9876543210").unwrap()).unwrap()
}
fn tdes3() -> TdesKey {
    TdesKey::from_bytes(&decode("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123").unwrap())
        .unwrap()
}
fn aes() -> SymmetricKey {
    SymmetricKey::new(
        KeyAlgorithm::Aes128,
        &decode("2B7E151628AED2A6ABF7158809CF4F3C").unwrap(),
    )
    .unwrap()
}

#[test]
fn primitives_iv_length() {
    for iv in [&[0u8; 7][..], &[0u8; 9], &[0u8; 16], &[]] {
        assert!(matches!(
            mac_algorithm_1(&des(), Padding::Method1, Some(iv), b"x"),
            Err(Error::Primitives(
                paycrypt_primitives::Error::IvLength { .. }
            ))
        ));
        assert!(matches!(
            mac_algorithm_3(&tdes2(), Padding::Method2, Some(iv), b"x"),
            Err(Error::Primitives(
                paycrypt_primitives::Error::IvLength { .. }
            ))
        ));
    }
    assert!(matches!(
        mac_algorithm_1(&aes(), Padding::Method1, Some(&[0u8; 8]), b"x"),
        Err(Error::Primitives(_))
    ));
    // The error chain exposes the primitive error.
    let e = mac_algorithm_1(&aes(), Padding::Method1, Some(&[0u8; 8]), b"x").unwrap_err();
    assert!(core::error::Error::source(&e).is_some());
}

#[test]
fn unsupported_key() {
    assert!(matches!(
        cmac(&des(), b""),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        Cmac::new(&des()),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        mac_algorithm_3(&tdes3(), Padding::Method1, None, b""),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        Algorithm3::new(&tdes3(), Padding::Method1, None),
        Err(Error::UnsupportedKey { .. })
    ));
    for alg in [
        MacAlgorithm::Iso9797Algorithm3 {
            padding: Padding::Method1,
        },
        MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard {
            padding: Padding::Method1,
        },
        MacAlgorithm::Hmac(HashFunction::Sha256),
    ] {
        let p = MacParams::new(alg);
        assert!(matches!(
            generate(MacKey::Symmetric(&aes()), &p, b"m"),
            Err(Error::UnsupportedKey { .. })
        ));
    }
    let hk = HmacKey::from_bytes(b"key").unwrap();
    for alg in [
        MacAlgorithm::Cmac,
        MacAlgorithm::Iso9797Algorithm1 {
            padding: Padding::Method2,
        },
    ] {
        assert!(matches!(
            generate(MacKey::Hmac(&hk), &MacParams::new(alg), b"m"),
            Err(Error::UnsupportedKey { .. })
        ));
    }
    assert!(matches!(
        pboc(&aes(), None, b""),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        pboc(&SymmetricKey::Tdes(tdes3()), None, b""),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        kcv(&des(), KcvMethod::Cmac, 5),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        kcv(&aes(), KcvMethod::Hmac, 3),
        Err(Error::UnsupportedKey { .. })
    ));
}

#[test]
fn hmac_key_length() {
    assert_eq!(
        HmacKey::from_bytes(&[]).unwrap_err(),
        Error::HmacKeyLength { got: 0 }
    );
    assert_eq!(
        HmacKey::from_bytes(&[1u8; HmacKey::MAX_LEN + 1]).unwrap_err(),
        Error::HmacKeyLength { got: 257 }
    );
    assert_eq!(
        HmacKey::from_bytes(&[1u8; HmacKey::MAX_LEN]).unwrap().len(),
        256
    );
    assert_eq!(HmacKey::from_bytes(&[1u8]).unwrap().len(), 1);
}

#[test]
fn mac_length_truncation_and_verify() {
    let tag = mac_algorithm_1(&des(), Padding::Method1, None, b"abc").unwrap();
    assert_eq!(tag.len(), 8);
    for n in [0, 1, 3, 9, 64] {
        assert!(
            matches!(tag.truncate(n), Err(Error::MacLength { .. })),
            "{n}"
        );
    }
    for n in 4..=8 {
        assert_eq!(tag.truncate(n).unwrap().as_bytes(), &tag.as_bytes()[..n]);
    }
    assert!(matches!(
        verify(&tag.as_bytes()[..3], &tag),
        Err(Error::MacLength { .. })
    ));
    assert!(matches!(verify(&[], &tag), Err(Error::MacLength { .. })));
    assert!(matches!(
        verify(&[0u8; 9], &tag),
        Err(Error::MacLength { .. })
    ));
    assert!(matches!(
        Tag::from_bytes(&[0u8; 3]),
        Err(Error::MacLength { .. })
    ));
    assert!(matches!(
        Tag::from_bytes(&[0u8; 65]),
        Err(Error::MacLength { .. })
    ));
    let k = aes();
    for n in [3, 17] {
        let p = MacParams::new(MacAlgorithm::Cmac).with_mac_len(n);
        assert!(matches!(
            generate(MacKey::Symmetric(&k), &p, b""),
            Err(Error::MacLength { max: 16, .. })
        ));
    }
    // A declared length must match the tag.
    let p = MacParams::new(MacAlgorithm::Cmac).with_mac_len(8);
    let full = generate(
        MacKey::Symmetric(&k),
        &MacParams::new(MacAlgorithm::Cmac),
        b"",
    )
    .unwrap();
    assert!(matches!(
        verify_mac(MacKey::Symmetric(&k), &p, b"", &full.as_bytes()[..6]),
        Err(Error::MacLength { .. })
    ));
    verify_mac(MacKey::Symmetric(&k), &p, b"", &full.as_bytes()[..8]).unwrap();
    // The published negative vector (AWS MacLength >= 4).
    let short = decode("BB1D69").unwrap();
    assert!(matches!(
        verify_mac(
            MacKey::Symmetric(&k),
            &MacParams::new(MacAlgorithm::Cmac),
            b"",
            &short
        ),
        Err(Error::MacLength { .. })
    ));
}

#[test]
fn kcv_length() {
    for n in [0, 1, 9] {
        assert!(
            matches!(
                kcv(&des(), KcvMethod::Legacy, n),
                Err(Error::KcvLength { .. })
            ),
            "{n}"
        );
    }
    assert!(matches!(
        kcv(&aes(), KcvMethod::Cmac, 17),
        Err(Error::KcvLength { .. })
    ));
    assert!(matches!(
        kcv(&SymmetricKey::Tdes(tdes2()), KcvMethod::Cmac, 9),
        Err(Error::KcvLength { max: 8, .. })
    ));
    let hk = HmacKey::from_bytes(b"k").unwrap();
    assert!(matches!(
        hmac_kcv(&hk, HashFunction::Sha256, 1),
        Err(Error::KcvLength { .. })
    ));
    assert!(matches!(
        hmac_kcv(&hk, HashFunction::Sha256, 17),
        Err(Error::KcvLength { .. })
    ));
    assert!(matches!(
        check_kcv(&des(), KcvMethod::Legacy, &[0]),
        Err(Error::KcvLength { .. })
    ));
    // Defaults travel with the method.
    assert_eq!(KcvMethod::Legacy.default_len(), 3);
    assert_eq!(KcvMethod::Cmac.default_len(), 5);
    assert_eq!(
        legacy_kcv(&SymmetricKey::Tdes(tdes2())).to_string(),
        "08D7B4"
    );
}

#[test]
fn kcv_mismatch() {
    assert_eq!(
        check_kcv(
            &SymmetricKey::Tdes(tdes2()),
            KcvMethod::Legacy,
            &[0x08, 0xD7, 0xB5]
        ),
        Err(Error::KcvMismatch)
    );
}

#[test]
fn padding_needs_length() {
    assert!(matches!(
        Algorithm1::new(&des(), Padding::Method3, None),
        Err(Error::PaddingNeedsLength)
    ));
    assert!(matches!(
        Algorithm3::new(&tdes2(), Padding::Method3, None),
        Err(Error::PaddingNeedsLength)
    ));
    let p = MacParams::new(MacAlgorithm::Iso9797Algorithm1 {
        padding: Padding::Method3,
    });
    assert!(matches!(
        Mac::new(MacKey::Symmetric(&des()), &p, None),
        Err(Error::PaddingNeedsLength)
    ));
}

#[test]
fn data_length() {
    let mut m = Algorithm1::with_data_len(&des(), Padding::Method3, None, 5).unwrap();
    m.update(b"abcd");
    assert_eq!(
        m.finalize().unwrap_err(),
        Error::DataLength {
            declared: 5,
            got: 4
        }
    );
    let mut m = Algorithm3::with_data_len(&tdes2(), Padding::Method1, None, 1).unwrap();
    m.update(b"ab");
    assert_eq!(
        m.finalize().unwrap_err(),
        Error::DataLength {
            declared: 1,
            got: 2
        }
    );
}

#[test]
fn data_too_long() {
    assert!(matches!(
        Algorithm1::with_data_len(&des(), Padding::Method3, None, u64::MAX),
        Err(Error::DataTooLong)
    ));
    // The longest length that fits a 64-bit length block.
    assert!(Algorithm1::with_data_len(&des(), Padding::Method3, None, u64::MAX / 8).is_ok());
    assert!(Algorithm1::with_data_len(&aes(), Padding::Method3, None, u64::MAX).is_ok());
}

#[test]
fn iv_not_allowed() {
    let p = MacParams::new(MacAlgorithm::Cmac).with_iv(&[0u8; 16]);
    assert_eq!(
        generate(MacKey::Symmetric(&aes()), &p, b"").unwrap_err(),
        Error::IvNotAllowed
    );
    let hk = HmacKey::from_bytes(b"k").unwrap();
    let p = MacParams::new(MacAlgorithm::Hmac(HashFunction::Sha1)).with_iv(&[0u8; 16]);
    assert_eq!(
        generate(MacKey::Hmac(&hk), &p, b"").unwrap_err(),
        Error::IvNotAllowed
    );
}

#[test]
fn verification_says_nothing_else() {
    let tag = mac_algorithm_3(
        &tdes2(),
        Padding::Method1,
        None,
        b"Now is the time for all ",
    )
    .unwrap();
    let e = verify(&decode("A1C72E74EA3FA9B7").unwrap(), &tag).unwrap_err();
    assert_eq!(e, Error::Verification);
    assert_eq!(format!("{e}"), "MAC verification failed");
    assert_eq!(format!("{e:?}"), "Verification");
}

#[test]
fn every_error_displays_without_secrets() {
    let errors = [
        Error::Primitives(paycrypt_primitives::Error::IvLength {
            block_size: 8,
            got: 7,
        }),
        Error::UnsupportedKey {
            key: "DES",
            method: "CMAC",
        },
        Error::HmacKeyLength { got: 0 },
        Error::MacLength {
            min: 4,
            max: 8,
            got: 3,
        },
        Error::KcvLength {
            min: 2,
            max: 8,
            got: 9,
        },
        Error::PaddingNeedsLength,
        Error::DataLength {
            declared: 1,
            got: 2,
        },
        Error::DataTooLong,
        Error::IvNotAllowed,
        Error::Verification,
        Error::KcvMismatch,
    ];
    for e in errors {
        assert!(!e.to_string().is_empty());
    }
}

/// ISO/IEC 9797-1 §6.1: the empty message under each padding method, pinned against a direct
/// encipherment (the CLI contract: "padding method 3 on empty data is the length block
/// alone").
#[test]
fn empty_message_padding_rules() {
    use paycrypt_primitives::block::BlockCipher;
    for key in [des(), SymmetricKey::Tdes(tdes2()), aes()] {
        let c = BlockCipher::new(&key);
        let bs = c.block_size();
        let mut zero = vec![0u8; bs];
        c.encrypt_block(&mut zero).unwrap();
        let mut p2 = vec![0u8; bs];
        p2[0] = 0x80;
        c.encrypt_block(&mut p2).unwrap();
        // Method 1: one zero block. Method 3: L = 0 alone (also one zero block).
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method1, None, b"")
                .unwrap()
                .as_bytes(),
            zero
        );
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method3, None, b"")
                .unwrap()
                .as_bytes(),
            zero
        );
        // Method 2: 80 00 … 00.
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method2, None, b"")
                .unwrap()
                .as_bytes(),
            p2
        );
        // Method 3 with one byte: L block, then the byte padded with zeros.
        let mut l = vec![0u8; bs];
        l[bs - 1] = 8;
        let mut blocks = l.clone();
        blocks.push(0xAB);
        blocks.resize(2 * bs, 0);
        c.cbc_encrypt(&vec![0u8; bs], &mut blocks).unwrap();
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method3, None, &[0xAB])
                .unwrap()
                .as_bytes(),
            &blocks[bs..]
        );
        // Method 1 is not injective (D and D ‖ 00 collide) — documented, not a bug.
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method1, None, b"a")
                .unwrap()
                .as_bytes(),
            mac_algorithm_1(&key, Padding::Method1, None, b"a\0")
                .unwrap()
                .as_bytes()
        );
        // Method 1 adds nothing to aligned data, method 2 a full block.
        let aligned = vec![0x5Au8; bs];
        let mut b = aligned.clone();
        c.encrypt_block(&mut b).unwrap();
        assert_eq!(
            mac_algorithm_1(&key, Padding::Method1, None, &aligned)
                .unwrap()
                .as_bytes(),
            b
        );
        assert_ne!(
            mac_algorithm_1(&key, Padding::Method2, None, &aligned)
                .unwrap()
                .as_bytes(),
            b
        );
    }
}

/// A 2-key TDES key with equal halves computes single DES (accepted for computation).
#[test]
fn degenerate_tdes_key_is_single_des() {
    let k = decode("0123456789ABCDEF0123456789ABCDEF").unwrap();
    let t = SymmetricKey::new(KeyAlgorithm::Tdes2, &k).unwrap();
    let d = des();
    let data = b"Now is the time for all ";
    assert_eq!(
        mac_algorithm_1(&t, Padding::Method1, None, data)
            .unwrap()
            .as_bytes(),
        mac_algorithm_1(&d, Padding::Method1, None, data)
            .unwrap()
            .as_bytes()
    );
    let t = TdesKey::from_bytes(&k).unwrap();
    assert!(t.is_single_des_equivalent());
    assert_eq!(
        mac_algorithm_3(&t, Padding::Method1, None, data)
            .unwrap()
            .as_bytes(),
        decode("70A30640CC76DD8B").unwrap()
    );
}

#[test]
fn debug_redacts_keys() {
    let hk = HmacKey::from_bytes(&[0xAB; 20]).unwrap();
    let s = format!("{hk:?}");
    assert!(
        !s.contains("AB") && !s.contains("ab") && !s.contains("171"),
        "{s}"
    );
    let m = Algorithm3::new(&tdes2(), Padding::Method1, None).unwrap();
    assert_eq!(format!("{m:?}"), "Algorithm3 { ... }");
    let c = Cmac::new(&aes()).unwrap();
    assert_eq!(format!("{c:?}"), "Cmac { ... }");
}

#[test]
fn profiles_as_values() {
    use paycrypt_mac::MacStandard;
    let t = SymmetricKey::Tdes(tdes2());
    let data = b"Now is the time for all ";
    let tag = MacStandard::AnsiX919.mac(&t, None, data).unwrap();
    assert_eq!(tag.to_string(), "A1C72E74EA3FA9B6");
    MacStandard::AnsiX919
        .verify(&t, None, data, &decode("A1C72E74").unwrap())
        .unwrap();
    assert_eq!(
        MacStandard::AnsiX919.verify(&t, None, data, &decode("A1C72E75").unwrap()),
        Err(Error::Verification)
    );
    assert_eq!(
        MacStandard::AnsiX919
            .mac(&t, Some(&[0; 8]), data)
            .unwrap_err(),
        Error::IvNotAllowed
    );
    assert_eq!(
        MacStandard::Iso16609
            .mac(&t, Some(&[0; 8]), data)
            .unwrap_err(),
        Error::IvNotAllowed
    );
    assert!(matches!(
        MacStandard::AnsiX919.mac(&des(), None, data),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        MacStandard::AnsiX919.mac(&SymmetricKey::Tdes(tdes3()), None, data),
        Err(Error::UnsupportedKey { .. })
    ));
    assert!(matches!(
        MacStandard::Iso16609.mac(&aes(), None, data),
        Err(Error::UnsupportedKey { .. })
    ));
    // PBOC with a DES key = algorithm 1, padding 2, 4 bytes (Annex B alg 1 / padding 2 prefix).
    assert_eq!(
        MacStandard::Pboc
            .mac(&des(), None, data)
            .unwrap()
            .to_string(),
        "10E1F0F1"
    );
    assert_eq!(
        MacStandard::Pboc.mac(&t, None, data).unwrap().to_string(),
        "E9086230"
    );
    assert!(matches!(
        MacStandard::Pboc.mac(&des(), Some(&[0; 4]), data),
        Err(Error::Primitives(_))
    ));
    // ISO 16609 = TDES CBC-MAC: equals algorithm 1 with the same key.
    assert_eq!(
        MacStandard::Iso16609
            .mac(&t, None, data)
            .unwrap()
            .as_bytes(),
        mac_algorithm_1(&t, Padding::Method1, None, data)
            .unwrap()
            .as_bytes()
    );
}

#[test]
fn hmac_key_conversions() {
    use paycrypt_mac::AesKey;
    let a = AesKey::from_bytes(&[0x5A; 32]).unwrap();
    let h = HmacKey::from(&a);
    assert_eq!(h.expose_bytes(), &[0x5A; 32]);
    assert_eq!(HmacKey::from(a), h);
    assert_eq!(HmacKey::try_from(&[1u8, 2, 3][..]).unwrap().len(), 3);
    assert_eq!(
        HmacKey::try_from(&[][..]).unwrap_err(),
        Error::HmacKeyLength { got: 0 }
    );
}
