//! The published facts and the published PIN block of `data/cardverify.json` (a copy of the
//! project's `vectors/cardverify.json`; sources are named in each entry).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, CscVersion, Cvk, CvvData, CvvLength, DcvvProfile, Error, Expiry4,
    IccDerivation, ImkRole, IssuerMasterKey, Pan, Psn, ServiceCode, generate_dcvv,
};
use paycrypt_pinblock::{
    DecimalizationTable, Format, Pin, PinKey, PinMethod, PinVerificationKey, Pvki, Pvv,
    ValidationData, decipher, ibm3624_offset, ibm3624_offset_from_pin_block, pvv_from_pin_block,
    verify_pin_block, visa_pvv,
};
use paycrypt_test_support::{Vector, load_file};

const DATA: &str = "cardverify/tests/data/cardverify.json";
const CVK: [u8; 16] = hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210");

/// `cardverify.json`: published vectors and published facts (both with ids).
#[derive(serde::Deserialize)]
struct Published {
    vectors: Vec<Vector>,
    facts: Vec<Vector>,
}

fn published() -> Published {
    let p: Published = load_file(DATA);
    assert!(
        !p.vectors.is_empty() && !p.facts.is_empty(),
        "{DATA}: no vectors"
    );
    p
}

fn pin_block_input(v: &Vector) {
    let pek = PinKey::tdes_from_bytes(&v.hex("key")).unwrap();
    let block = v.hex("block");
    let pan = Pan::new(v.str("pan")).unwrap();
    let format = Format::from_number(u8::try_from(v.u64("format")).unwrap()).unwrap();
    let pin = Pin::new(v.str("pin")).unwrap();
    assert_eq!(decipher(format, &pek, &block, Some(&pan)).unwrap(), pin);
    let pvk = PinVerificationKey::tdes_from_bytes(&CVK).unwrap();
    for pvki in 0..=9 {
        let pvki = Pvki::new(pvki).unwrap();
        let from_pin = visa_pvv(&pvk, &pan, pvki, &pin).unwrap();
        let from_block = pvv_from_pin_block(&pek, format, &block, Some(&pan), &pvk, pvki).unwrap();
        assert_eq!(from_block, from_pin);
        let m = PinMethod::VisaPvv {
            pvk: &pvk,
            pvki,
            pvv: &from_pin,
        };
        assert_eq!(
            verify_pin_block(&pek, format, &block, Some(&pan), &m),
            Ok(())
        );
    }
    let table = DecimalizationTable::DEFAULT;
    let vd = ValidationData::new("4012345678909", 'F').unwrap();
    let off = ibm3624_offset(&pvk, &table, &vd, &pin).unwrap();
    let from_block =
        ibm3624_offset_from_pin_block(&pek, format, &block, Some(&pan), &pvk, &table, &vd).unwrap();
    assert_eq!(from_block, off);
    // Any other PVV fails with the one error.
    let wrong = Pvv::new("0000").unwrap();
    let pvki = Pvki::new(1).unwrap();
    if visa_pvv(&pvk, &pan, pvki, &pin).unwrap() != wrong {
        let m = PinMethod::VisaPvv {
            pvk: &pvk,
            pvki,
            pvv: &wrong,
        };
        assert_eq!(
            verify_pin_block(&pek, format, &block, Some(&pan), &m),
            Err(paycrypt_pinblock::Error::PinMismatch)
        );
    }
}

fn cvk() -> Cvk {
    Cvk::from_bytes(&CVK).unwrap()
}

fn fact(f: &Vector) {
    let pan = Pan::new("4123456789012345").unwrap();
    let exp = Expiry4::new("8701").unwrap();
    match f.str("id") {
        "fact-cvv2-service-code" => {
            let sc = ServiceCode::new(f.str("value")).unwrap();
            assert_eq!(sc, ServiceCode::CVV2);
            assert_eq!(
                CvvData::cvv2(&pan, &exp)
                    .unwrap()
                    .generate(&cvk(), CvvLength::THREE),
                CvvData::cvv(&pan, &exp, &sc)
                    .unwrap()
                    .generate(&cvk(), CvvLength::THREE)
            );
        }
        "fact-icvv-service-code" => {
            let sc = ServiceCode::new(f.str("value")).unwrap();
            assert_eq!(sc, ServiceCode::ICVV);
            assert_eq!(
                CvvData::icvv(&pan, &exp)
                    .unwrap()
                    .generate(&cvk(), CvvLength::THREE),
                CvvData::cvv(&pan, &exp, &sc)
                    .unwrap()
                    .generate(&cvk(), CvvLength::THREE)
            );
        }
        "fact-expiry-order" => {
            // MMYY and YYMM are both accepted and used as given (no month check, no reorder).
            let yymm = CvvData::cvv2(&pan, &Expiry4::new("8701").unwrap()).unwrap();
            let mmyy = CvvData::cvv2(&pan, &Expiry4::new("0187").unwrap()).unwrap();
            let g = |d: &CvvData| d.generate(&cvk(), CvvLength::new(5).unwrap());
            assert_ne!(g(&yymm), g(&mmyy));
            assert!(Expiry4::new("9913").is_ok());
            assert_eq!(Expiry4::new("871"), Err(Error::Expiry));
        }
        "fact-pvki-range-aws" => {
            // AWS allows 0-6; the library takes every digit (a policy narrows it).
            for i in 0..=9 {
                assert!(Pvki::new(i).is_ok());
            }
            assert!(Pvki::new(10).is_err());
        }
        "fact-pvv-decimalisation" => {
            let mut out = [0u8; 4];
            paycrypt_primitives::decimal::visa_decimalize(
                &[0xAB, 0xCD, 0xEF, 0xFA, 0xBC, 0xDE, 0xF1, 0x2F],
                &mut out,
            );
            assert_eq!(out, [1, 2, 0, 1]);
        }
        "fact-pvv-tsp" => {
            // 11 PAN digits left of the check digit: the check digit does not matter, the
            // 12th digit from the right does.
            let pvk = PinVerificationKey::tdes_from_bytes(&CVK).unwrap();
            let pin = Pin::new("1234").unwrap();
            let p = Pvki::new(1).unwrap();
            let a = visa_pvv(&pvk, &Pan::new("4123456789012345").unwrap(), p, &pin).unwrap();
            let b = visa_pvv(&pvk, &Pan::new("4123456789012340").unwrap(), p, &pin).unwrap();
            let c = visa_pvv(&pvk, &Pan::new("4123856789012345").unwrap(), p, &pin).unwrap();
            let d = visa_pvv(&pvk, &Pan::new("9993456789012345").unwrap(), p, &pin).unwrap();
            assert_eq!(a, b);
            assert_ne!(a, c);
            assert_eq!(a, d);
            // The first 4 PIN digits only.
            let long = visa_pvv(
                &pvk,
                &Pan::new("4123456789012345").unwrap(),
                p,
                &Pin::new("123499").unwrap(),
            )
            .unwrap();
            assert_eq!(a, long);
        }
        "fact-cvv-length-ibm" => {
            // IBM allows 1-5; fewer than 3 is refused here.
            for n in [1, 2, 6] {
                assert_eq!(CvvLength::new(n), Err(Error::Length));
            }
            for n in 3..=5 {
                assert!(CvvLength::new(n).is_ok());
            }
        }
        "fact-csc-variants" => {
            // Reserved names, no algorithm.
            assert_ne!(CscVersion::V1, CscVersion::V2);
        }
        "fact-dcvv-keys" => {
            let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &CVK).unwrap();
            let psn0 = Psn::default();
            assert_eq!(psn0.value(), 0);
            let direct = CardKey::derive(&imk, &pan, psn0, IccDerivation::OptionA).unwrap();
            let sc = ServiceCode::new("101").unwrap();
            let g = |src: &CardKeySource<'_>| {
                generate_dcvv(
                    src,
                    DcvvProfile::JposPayShield,
                    &pan,
                    &exp,
                    &sc,
                    Atc::new([0, 5]),
                )
            };
            let derived = CardKeySource::Derived {
                imk: &imk,
                pan: &pan,
                psn: psn0,
                method: IccDerivation::OptionB,
            };
            // 16-digit PAN: Option B = Option A.
            assert_eq!(
                g(&derived).unwrap(),
                g(&CardKeySource::Direct(&direct)).unwrap()
            );
            // An MK-CVC3 key is not an MK-AC key.
            let cvc3 = IssuerMasterKey::from_bytes(ImkRole::Cvc3, &CVK).unwrap();
            let wrong = CardKeySource::Derived {
                imk: &cvc3,
                pan: &pan,
                psn: psn0,
                method: IccDerivation::OptionA,
            };
            assert_eq!(g(&wrong), Err(Error::KeyRole));
        }
        other => panic!("unhandled fact {other}"),
    }
}

#[test]
fn published_vectors_and_facts() {
    let Published {
        vectors: v,
        facts: f,
    } = published();
    for x in &v {
        match x.str("op") {
            "pin_block_input" => pin_block_input(x),
            op => panic!("unknown op {op}"),
        }
    }
    assert_eq!(f.len(), 9);
    for x in &f {
        fact(x);
    }
}
