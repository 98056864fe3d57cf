//! One negative test per error variant, with its class, and the check that no message
//! carries a value.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use paycrypt_emv::pboc::{self, Load};
use paycrypt_emv::tlv::{self, Tag};
use paycrypt_emv::{
    Ac, AcInput, AcKeyMethod, AcSessionKey, ArpcMethod, ArpcResponse, CardMasterKeys,
    CryptogramVersion, Emv2000Tree, Error, ErrorClass, IccMasterKey, Padding, PbocLoadKey,
    PbocTacKey, Psn, Smc, Smi, SmiSessionKey, ac_session_key, command_mac, detect_iad, generate_ac,
    pin_change_command, verify_arqc, verify_arqc_with_session_key,
};
use paycrypt_pinblock::Pin;

fn class(e: &Error) -> ErrorClass {
    e.class()
}

#[test]
fn psn_and_key_and_field_lengths() {
    let e = Psn::new(100).unwrap_err();
    assert_eq!(e, Error::Psn { got: 100 });
    assert_eq!(class(&e), ErrorClass::Malformed);

    let e = IccMasterKey::<Ac>::from_bytes(&[0; 24]).unwrap_err();
    assert_eq!(e, Error::KeyLength { got: 24 });
    assert_eq!(class(&e), ErrorClass::Malformed);
    assert!(pboc::mac(&[0; 12], None, b"").is_err());

    let k = SmiSessionKey::from_bytes(&[1; 16]).unwrap();
    let e = command_mac(&k, [0x84, 0xDA, 0, 0, 8], [0, 1], [0; 8], &[], 3).unwrap_err();
    assert!(matches!(
        e,
        Error::FieldLength {
            field: "script MAC",
            ..
        }
    ));
    assert_eq!(class(&e), ErrorClass::Malformed);
    let e = command_mac(&k, [0x84, 0xDA, 0, 0, 8], [0, 1], [0; 8], &[], 9).unwrap_err();
    assert!(matches!(e, Error::FieldLength { .. }));
}

#[test]
fn too_long_inputs() {
    let k = AcSessionKey::from_bytes(&[1; 16]).unwrap();
    let e = generate_ac(&k, Padding::Method2, &[0; 513]).unwrap_err();
    assert!(matches!(e, Error::TooLong { max: 512, .. }));
    assert_eq!(class(&e), ErrorClass::Malformed);
    assert!(matches!(
        AcInput::raw(&[0; 600], [0, 1], None),
        Err(Error::TooLong { .. })
    ));
    assert!(matches!(
        tlv::validate(&vec![0x5A; 70_000]),
        Err(Error::TooLong { .. })
    ));
    assert!(matches!(
        tlv::dol_validate(&[0x9A; 2000]),
        Err(Error::TooLong { .. })
    ));
    let smi = SmiSessionKey::from_bytes(&[1; 16]).unwrap();
    assert!(matches!(
        command_mac(&smi, [0; 5], [0; 2], [0; 8], &[0; 256], 8),
        Err(Error::TooLong { .. })
    ));
    assert!(matches!(
        pboc::mac(&[1; 8], None, &[0; 5000]),
        Err(Error::TooLong { .. })
    ));
    assert!(matches!(detect_iad(&[6; 33]), Err(Error::TooLong { .. })));
}

#[test]
fn tlv_parse_errors_with_offsets() {
    let cases: &[(&[u8], Error)] = &[
        (&[0x9F], Error::TruncatedTag { offset: 0 }),
        (
            &[0x5A, 0x01, 0xAA, 0x9F, 0x82],
            Error::TruncatedTag { offset: 3 },
        ),
        (
            &[0x9F, 0x81, 0x82, 0x83, 0x04, 0x00],
            Error::TagTooLong { offset: 0 },
        ),
        (&[0x5A], Error::TruncatedLength { offset: 1 }),
        (&[0x5A, 0x82, 0x01], Error::TruncatedLength { offset: 1 }),
        (&[0x5A, 0x80, 0x00], Error::IndefiniteLength { offset: 1 }),
        (
            &[0x5A, 0x84, 0, 0, 0, 1, 0xAA],
            Error::LengthTooLong { offset: 1 },
        ),
        (&[0x5A, 0x03, 0x01], Error::TruncatedValue { offset: 0 }),
        (
            &[0x70, 0x03, 0x5A, 0x05, 0x01],
            Error::ChildOverrun { offset: 2 },
        ),
        (&[0x70, 0x02, 0x9F, 0x82], Error::ChildOverrun { offset: 2 }),
        (&[], Error::NoObject),
        (&[0x00, 0xFF, 0x00], Error::NoObject),
    ];
    for (data, want) in cases {
        let got = tlv::validate(data).unwrap_err();
        assert_eq!(&got, want, "{data:02X?}");
        assert_eq!(class(&got), ErrorClass::Malformed);
    }
    // Nine nested templates exceed the depth limit of 8.
    let mut deep = vec![0x5A, 0x00];
    for _ in 0..9 {
        let mut outer = vec![0x70, u8::try_from(deep.len()).unwrap()];
        outer.extend_from_slice(&deep);
        deep = outer;
    }
    assert!(matches!(tlv::validate(&deep), Err(Error::TooDeep { .. })));
    assert!(matches!(
        tlv::decode_tree(&deep),
        Err(Error::TooDeep { .. })
    ));
    // Tag::from_bytes with trailing bytes.
    assert!(matches!(
        Tag::from_bytes(&[0x5A, 0x00]),
        Err(Error::FieldLength { .. })
    ));
}

#[test]
fn dol_and_buffer_errors() {
    let e = tlv::dol_validate(&[0x9F, 0x02, 0x06, 0x9F]).unwrap_err();
    assert_eq!(e, Error::TruncatedDol { offset: 3 });
    let e = tlv::dol_validate(&[0x9F, 0x02]).unwrap_err();
    assert_eq!(e, Error::TruncatedDol { offset: 0 });
    assert_eq!(class(&e), ErrorClass::Malformed);
    let mut small = [0u8; 4];
    let e = tlv::dol_build_into(&[0x9F, 0x02, 0x06], &[], &mut small).unwrap_err();
    assert_eq!(e, Error::BufferTooSmall { need: 6 });
    let e = tlv::encode_into(Tag::one(0x5A), &[1, 2, 3], &mut small).unwrap_err();
    assert_eq!(e, Error::BufferTooSmall { need: 5 });
}

#[test]
fn missing_and_wrong_length_tags() {
    // 9F36 present, 9F37 absent.
    let data = [0x9F, 0x36, 0x02, 0x00, 0x01];
    let e = AcInput::from_tlv(CryptogramVersion::Visa10, &data).unwrap_err();
    assert_eq!(
        e,
        Error::MissingTag {
            tag: Tag::two(0x9F, 0x37)
        }
    );
    assert_eq!(class(&e), ErrorClass::Malformed);
    assert_eq!(e.to_string(), "data object 9F37 is missing");
    let data = [0x9F, 0x37, 0x03, 1, 2, 3];
    let e = AcInput::from_tlv(CryptogramVersion::Visa10, &data).unwrap_err();
    assert_eq!(
        e,
        Error::TagLength {
            tag: Tag::two(0x9F, 0x37),
            expected: 4,
            got: 3
        }
    );
    // The Mastercard SKD without a UN.
    let mk = IccMasterKey::<Ac>::from_bytes(&[1; 16]).unwrap();
    let e = ac_session_key(AcKeyMethod::MastercardSkd, &mk, [0, 1], None).unwrap_err();
    assert!(matches!(e, Error::MissingTag { .. }));
}

#[test]
fn iad_errors() {
    let e = detect_iad(&[0x06, 0x01, 0x0A, 0x03, 0, 0]).unwrap_err();
    assert_eq!(e, Error::IadLength { min: 7, got: 6 });
    assert_eq!(class(&e), ErrorClass::Malformed);
    // Visa CVN 17 is recognised but has no profile.
    let e = CryptogramVersion::from_iad(&[0x06, 0x01, 0x11, 0x03, 0, 0, 0]).unwrap_err();
    assert_eq!(e, Error::UnsupportedCvn);
    assert_eq!(class(&e), ErrorClass::Rejected);
    assert_eq!(
        CryptogramVersion::from_iad(&[0x99; 10]).unwrap_err(),
        Error::UnsupportedCvn
    );
    // A profile's IAD part needs enough bytes: Mastercard counters need 18.
    let t = paycrypt_emv::TerminalData::default();
    let card = paycrypt_emv::CardData {
        aip: [0; 2],
        atc: [0; 2],
        iad: &[0; 10],
    };
    let e = AcInput::from_table(CryptogramVersion::Mchip17, &t, &card).unwrap_err();
    assert_eq!(e, Error::IadLength { min: 18, got: 10 });
}

#[test]
fn parameter_errors() {
    let e = Emv2000Tree::new(2, 15, [0; 16]).unwrap_err();
    assert!(matches!(e, Error::Parameter { .. }));
    assert_eq!(class(&e), ErrorClass::Malformed);
    assert!(Emv2000Tree::new(1, 16, [0; 16]).is_err());
    assert!(Emv2000Tree::new(4, 0, [0; 16]).is_err());
    assert!(Emv2000Tree::new(2, 16, [0; 16]).is_ok());
    let ac = IccMasterKey::<Ac>::from_bytes(&[1; 16]).unwrap();
    let smi = IccMasterKey::<Smi>::from_bytes(&[2; 16]).unwrap();
    let smc = IccMasterKey::<Smc>::from_bytes(&[3; 16]).unwrap();
    let keys = CardMasterKeys {
        ac: &ac,
        smi: &smi,
        smc: &smc,
    };
    let pin = Pin::new("1234").unwrap();
    let e = pin_change_command(
        CryptogramVersion::Mchip16,
        &keys,
        &pin,
        Some(&pin),
        [0, 1],
        [0; 8],
    )
    .unwrap_err();
    assert!(matches!(e, Error::Parameter { .. }));
}

#[test]
fn verification_failures_are_opaque() {
    let mk = IccMasterKey::<Ac>::from_bytes(&[0x11; 16]).unwrap();
    let input = AcInput::raw(&[0u8; 29], [0, 1], Some([1, 2, 3, 4])).unwrap();
    let params = CryptogramVersion::Mchip16.ac_params();
    let e = verify_arqc(&params, &mk, &input, &[0; 8]).unwrap_err();
    assert_eq!(e, Error::ArqcVerification);
    assert_eq!(class(&e), ErrorClass::Rejected);
    assert_eq!(e.to_string(), "ARQC verification failed");
    assert!(matches!(
        verify_arqc(&params, &mk, &input, &[0; 7]),
        Err(Error::FieldLength { field: "ARQC", .. })
    ));
    let sk = AcSessionKey::from_bytes(&[0x22; 16]).unwrap();
    let e = verify_arqc_with_session_key(
        &sk,
        Padding::Method2,
        &[1; 20],
        &[0; 8],
        ArpcMethod::Method2,
    )
    .unwrap_err();
    assert_eq!(e, Error::ArqcVerification);

    let dlk = PbocLoadKey::from_bytes(&[0x33; 16]).unwrap();
    let dtk = PbocTacKey::from_bytes(&[0x44; 16]).unwrap();
    let t = Load {
        random: [1, 2, 3, 4],
        online_atc: [0, 1],
        balance: 100,
        amount: 50,
        tx_type: pboc::TYPE_EP_LOAD,
        terminal: [0; 6],
        date: [0x20, 0x26, 0x12, 0x04],
        time: [0x12, 0, 0],
    };
    let e = pboc::load(&dlk, &dtk, &t, Some(&[0; 4])).unwrap_err();
    assert_eq!(e, Error::MacVerification);
    assert_eq!(class(&e), ErrorClass::Rejected);
    assert_eq!(e.to_string(), "MAC verification failed");
    assert_eq!(
        pboc::verify_mac(&[1; 8], None, b"x", &[0; 4]),
        Err(Error::MacVerification)
    );
    let good = pboc::mac(&[1; 8], None, b"x").unwrap();
    assert_eq!(pboc::verify_mac(&[1; 8], None, b"x", &good), Ok(()));
    // A MAC1 of the wrong length is also just a failure.
    assert_eq!(
        pboc::load(&dlk, &dtk, &t, Some(&[0; 3])).unwrap_err(),
        Error::MacVerification
    );
    // Balance overflow.
    let over = Load {
        balance: u32::MAX - 10,
        amount: 11,
        ..t
    };
    let e = pboc::load(&dlk, &dtk, &over, None).unwrap_err();
    assert_eq!(e, Error::BalanceOverflow);
    assert_eq!(class(&e), ErrorClass::Rejected);
    let exact = Load {
        balance: u32::MAX - 10,
        amount: 10,
        ..t
    };
    assert_eq!(
        pboc::load(&dlk, &dtk, &exact, None).unwrap().new_balance,
        u32::MAX
    );
}

#[test]
fn arpc_pad_limit_and_mac_error() {
    let mk = IccMasterKey::<Ac>::from_bytes(&[0x11; 16]).unwrap();
    let params = CryptogramVersion::Visa18.ac_params();
    let input = AcInput::raw(&[0u8; 40], [0, 1], None).unwrap();
    let arqc = paycrypt_emv::generate(&params, &mk, &input).unwrap();
    let v = verify_arqc(&params, &mk, &input, &arqc.0).unwrap();
    let e = v
        .arpc(&ArpcResponse::Method2 {
            csu: [0; 4],
            pad: &[0; 9],
        })
        .unwrap_err();
    assert!(matches!(e, Error::FieldLength { .. }));
    // A MAC-layer error converts and classifies.
    let e: Error = paycrypt_mac::Error::Verification.into();
    assert!(matches!(e, Error::Mac(_)));
    assert_eq!(class(&e), ErrorClass::Malformed);
}

#[test]
fn no_error_message_carries_values() {
    let all = [
        Error::ArqcVerification,
        Error::MacVerification,
        Error::TruncatedValue { offset: 3 },
        Error::IadLength { min: 7, got: 3 },
        Error::UnsupportedCvn,
    ];
    for e in all {
        let m = e.to_string();
        assert!(!m.is_empty());
        assert!(!m.contains("1111"), "{m}");
    }
}
