//! One negative test per error variant, and the misuse-resistance properties of the types.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, CavvData, CavvProfile, Cvk, CvvData, CvvLength, DcvvProfile,
    Error, ErrorClass, Expiry4, IccDerivation, ImkRole, IssuerMasterKey, Ivcvc3, Pan, Psn,
    ServiceCode, UnpredictableNumber, generate_cvc3, generate_dcvv, luhn_ok, verify_cvc3,
    verify_dcvv,
};
use paycrypt_primitives::key::TdesKey;

const K: [u8; 16] = hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210");

fn pan() -> Pan {
    Pan::new("4123456789012345").unwrap()
}

#[test]
fn input_shape_errors() {
    let cvk = Cvk::from_bytes(&K).unwrap();
    let exp = Expiry4::new("8701").unwrap();
    // Pan: 12-19 digits (pinblock's Pan takes 1-19).
    let short = Pan::new("41234567890").unwrap();
    assert_eq!(CvvData::cvv2(&short, &exp).err(), Some(Error::Pan));
    assert!(CvvData::cvv2(&Pan::new("412345678901").unwrap(), &exp).is_ok());
    // Expiry.
    for bad in ["870", "87011", "87a1", ""] {
        assert_eq!(Expiry4::new(bad), Err(Error::Expiry));
    }
    // ServiceCode.
    for bad in ["10", "1010", "1o1"] {
        assert_eq!(ServiceCode::new(bad), Err(Error::ServiceCode));
    }
    // Length.
    assert_eq!(CvvLength::new(2), Err(Error::Length));
    assert_eq!(CvvLength::new(6), Err(Error::Length));
    // Value.
    let d = CvvData::cvv2(&pan(), &exp).unwrap();
    for bad in ["12", "123456", "12a", "", "١٢٣"] {
        assert_eq!(d.verify(&cvk, bad), Err(Error::Value), "{bad}");
    }
    // KeyLength.
    assert_eq!(Cvk::from_bytes(&K[..8]).err(), Some(Error::KeyLength));
    assert_eq!(Cvk::from_bytes(&[0u8; 24]).err(), Some(Error::KeyLength));
    let k24 = TdesKey::from_bytes(&[1u8; 24]).unwrap();
    assert_eq!(Cvk::new(&k24).err(), Some(Error::KeyLength));
    assert_eq!(
        IssuerMasterKey::from_bytes(ImkRole::Ac, &[0u8; 8]).err(),
        Some(Error::KeyLength)
    );
    assert_eq!(
        CardKey::from_bytes(ImkRole::Cvc3, &[0u8; 24]).err(),
        Some(Error::KeyLength)
    );
    // Atc / UnpredictableNumber / Ivcvc3.
    assert_eq!(Atc::from_slice(&[0; 3]), Err(Error::Atc));
    assert_eq!(
        UnpredictableNumber::from_slice(&[0; 2]),
        Err(Error::UnpredictableNumber)
    );
    assert_eq!(Ivcvc3::from_slice(&[0; 1]), Err(Error::Ivcvc3));
    // Track.
    let ck = CardKey::from_bytes(ImkRole::Cvc3, &K).unwrap();
    assert_eq!(Ivcvc3::from_track(&ck, &[]), Err(Error::Track));
    assert_eq!(Ivcvc3::from_track(&ck, &[0x42; 80]), Err(Error::Track));
    assert!(Ivcvc3::from_track(&ck, &[0x42; 79]).is_ok());
    // CAVV fields.
    let p = CavvProfile::CvvAtnV7;
    assert_eq!(
        CavvData::new(p, &pan(), "123", "1", "22").err(),
        Some(Error::UnpredictableNumber)
    );
    assert_eq!(
        CavvData::new(p, &pan(), "1234", "12", "22").err(),
        Some(Error::AuthResult)
    );
    assert_eq!(
        CavvData::new(p, &pan(), "1234", "1", "2").err(),
        Some(Error::SecondFactor)
    );
    assert_eq!(
        CavvData::new(p, &short, "1234", "1", "22").err(),
        Some(Error::Pan)
    );
    let cavv = CavvData::new(p, &pan(), "1234", "1", "22").unwrap();
    assert_eq!(cavv.verify(&cvk, "1234"), Err(Error::Value));
    // Psn lives in paycrypt-emv; its range is 00-99.
    assert!(Psn::new(100).is_err());
}

#[test]
fn key_role_and_verification_failed() {
    let exp = Expiry4::new("8701").unwrap();
    let sc = ServiceCode::new("101").unwrap();
    let cvc3_key = CardKey::from_bytes(ImkRole::Cvc3, &K).unwrap();
    let ac_key = CardKey::from_bytes(ImkRole::Ac, &K).unwrap();
    let atc = Atc::new([0, 1]);
    let un = UnpredictableNumber::new([0, 0, 8, 0x99]);
    assert_eq!(
        generate_dcvv(
            &CardKeySource::Direct(&cvc3_key),
            DcvvProfile::JposPayShield,
            &pan(),
            &exp,
            &sc,
            atc
        ),
        Err(Error::KeyRole)
    );
    assert_eq!(
        generate_cvc3(&ac_key, Ivcvc3::new([1, 2]), un, atc),
        Err(Error::KeyRole)
    );
    assert_eq!(Ivcvc3::from_track(&ac_key, b"B4123"), Err(Error::KeyRole));
    let src = CardKeySource::Direct(&ac_key);
    let good = generate_dcvv(&src, DcvvProfile::JposPayShield, &pan(), &exp, &sc, atc).unwrap();
    let bad = if good.as_str() == "000" { "001" } else { "000" };
    assert_eq!(
        verify_dcvv(
            &src,
            DcvvProfile::JposPayShield,
            &pan(),
            &exp,
            &sc,
            atc,
            bad
        ),
        Err(Error::VerificationFailed)
    );
    assert_eq!(
        verify_dcvv(
            &src,
            DcvvProfile::JposPayShield,
            &pan(),
            &exp,
            &sc,
            atc,
            "1234"
        ),
        Err(Error::Value)
    );
    let iv = Ivcvc3::new([0xAB, 0xCD]);
    let c = generate_cvc3(&cvc3_key, iv, un, atc).unwrap();
    let tail = &c.as_str()[2..];
    let wrong: String = tail
        .bytes()
        .map(|b| char::from(b'0' + (b - b'0' + 5) % 10))
        .collect();
    assert_eq!(
        verify_cvc3(&cvc3_key, iv, un, atc, &wrong),
        Err(Error::VerificationFailed)
    );
    // A card key derived with a PAN outside 12-19 digits.
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &K).unwrap();
    assert_eq!(
        CardKey::derive(
            &imk,
            &Pan::new("1234").unwrap(),
            Psn::default(),
            IccDerivation::OptionA
        )
        .err(),
        Some(Error::Pan)
    );
}

#[test]
fn classes_messages_and_debug() {
    let all = [
        Error::Pan,
        Error::Expiry,
        Error::ServiceCode,
        Error::Length,
        Error::Value,
        Error::KeyLength,
        Error::KeyRole,
        Error::Atc,
        Error::UnpredictableNumber,
        Error::Psn,
        Error::Track,
        Error::Ivcvc3,
        Error::AuthResult,
        Error::SecondFactor,
        Error::VerificationFailed,
    ];
    for e in all {
        let rejected = matches!(e, Error::KeyRole | Error::VerificationFailed);
        assert_eq!(
            e.class(),
            if rejected {
                ErrorClass::Rejected
            } else {
                ErrorClass::Malformed
            }
        );
        let m = e.to_string();
        assert!(!m.is_empty() && !m.contains('\n'));
    }
    // Debug never shows key bytes or code digits.
    let cvk = Cvk::from_bytes(&K).unwrap();
    assert_eq!(format!("{cvk:?}"), "Cvk(..)");
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &K).unwrap();
    assert!(!format!("{imk:?}").contains("01"));
    let code = CvvData::cvv2(&pan(), &Expiry4::new("8701").unwrap())
        .unwrap()
        .generate(&cvk, CvvLength::new(5).unwrap());
    let dbg = format!("{code:?}");
    assert!(!dbg.contains(code.as_str()), "{dbg}");
    assert_eq!(format!("{code}"), code.as_str());
    assert!(!format!("{:?}", Expiry4::new("8701").unwrap()).contains("8701"));
}

#[test]
fn luhn() {
    assert!(luhn_ok(&Pan::new("4012345678909").unwrap()));
    assert!(luhn_ok(&Pan::new("4111111111111111").unwrap()));
    assert!(!luhn_ok(&Pan::new("4111111111111112").unwrap()));
}
