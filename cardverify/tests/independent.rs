//! Known answers from independent implementations (psec 1.3.0, pyemv 1.5.0; see
//! `data/gen_vectors.py`), one runner over `data/independent.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, CavvData, CavvProfile, Cvk, CvvData, CvvLength, DcvvProfile,
    Error, Expiry4, IccDerivation, ImkRole, IssuerMasterKey, Ivcvc3, Pan, Psn, ServiceCode,
    UnpredictableNumber, generate_cvc3, generate_dcvv, verify_cvc3, verify_dcvv,
};
use paycrypt_test_support::{Vector, load};
use std::collections::BTreeMap;

const DATA: &str = "cardverify/tests/data/independent.json";

fn method(v: &Vector) -> IccDerivation {
    match v.str("method") {
        "a" => IccDerivation::OptionA,
        "b" => IccDerivation::OptionB,
        m => panic!("method {m}"),
    }
}

fn psn(v: &Vector) -> Psn {
    Psn::new(v.str("psn").parse().unwrap()).unwrap()
}

/// A code with one digit changed.
fn tamper(code: &str, at: usize) -> String {
    code.char_indices()
        .map(|(i, c)| {
            if i == at {
                char::from(b'0' + ((c as u8 - b'0' + 1) % 10))
            } else {
                c
            }
        })
        .collect()
}

fn cvv(v: &Vector) {
    let cvk = Cvk::from_bytes(&v.hex("key")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let exp = Expiry4::new(v.str("expiry")).unwrap();
    let data = match v.str("kind") {
        "cvv" => CvvData::cvv(
            &pan,
            &exp,
            &ServiceCode::new(v.str("service_code")).unwrap(),
        ),
        "cvv2" => {
            assert_eq!(v.str("service_code"), "000");
            CvvData::cvv2(&pan, &exp)
        }
        "icvv" => {
            assert_eq!(v.str("service_code"), "999");
            CvvData::icvv(&pan, &exp)
        }
        k => panic!("kind {k}"),
    }
    .unwrap();
    let n = u8::try_from(v.u64("length")).unwrap();
    let expected = v.str("value");
    let code = data.generate(&cvk, CvvLength::new(n).unwrap());
    assert_eq!(code.as_str(), expected, "{}", v.id.as_str());
    assert_eq!(data.verify(&cvk, expected), Ok(()));
    for i in 0..expected.len() {
        assert_eq!(
            data.verify(&cvk, &tamper(expected, i)),
            Err(Error::VerificationFailed)
        );
    }
    // psec's pass-1-only value (fewer than 3 digits) is refused as input.
    if let Some(short) = v.opt_str("psec") {
        assert!(short.len() < 3);
        assert_eq!(data.verify(&cvk, short), Err(Error::Value));
    }
}

fn cavv(v: &Vector) {
    let cvk = Cvk::from_bytes(&v.hex("key")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let data = CavvData::new(
        CavvProfile::CvvAtnV7,
        &pan,
        v.str("un"),
        v.str("auth_result"),
        v.str("second_factor"),
    )
    .unwrap();
    let expected = v.str("value");
    assert_eq!(data.generate(&cvk).as_str(), expected, "{}", v.id.as_str());
    assert_eq!(data.verify(&cvk, expected), Ok(()));
    assert_eq!(
        data.verify(&cvk, &tamper(expected, 2)),
        Err(Error::VerificationFailed)
    );
}

fn icc_mk(v: &Vector) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &v.hex("imk")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let card = CardKey::derive(&imk, &pan, psn(v), method(v)).unwrap();
    let expected = CardKey::from_bytes(ImkRole::Ac, &v.hex("key")).unwrap();
    assert_eq!(
        format!("{:?}", card),
        format!("{:?}", expected),
        "Debug prints the role only"
    );
    let code = |k: &CardKey| {
        generate_dcvv(
            &CardKeySource::Direct(k),
            DcvvProfile::JposPayShield,
            &pan,
            &Expiry4::new("2512").unwrap(),
            &ServiceCode::new("101").unwrap(),
            Atc::new([0, 1]),
        )
        .unwrap()
    };
    // The derived key computes exactly what pyemv's key computes (compared through a code,
    // since a CardKey does not expose its bytes).
    assert_eq!(code(&card), code(&expected), "{}", v.id.as_str());
    if let Some(jpos) = v.opt_str("jpos_option_b") {
        // jPOS applies the SHA-1 step to short PANs too: that key is not EMV Option B.
        let jpos = CardKey::from_bytes(
            ImkRole::Ac,
            &paycrypt_primitives::hex::decode(jpos).unwrap(),
        )
        .unwrap();
        assert_ne!(code(&jpos), code(&card), "{}", v.id.as_str());
    }
}

fn dcvv(v: &Vector) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &v.hex("imk")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let exp = Expiry4::new(v.str("expiry")).unwrap();
    let sc = ServiceCode::new(v.str("service_code")).unwrap();
    let atc = Atc::from_slice(&v.hex("atc")).unwrap();
    let derived = CardKeySource::Derived {
        imk: &imk,
        pan: &pan,
        psn: psn(v),
        method: method(v),
    };
    let card = CardKey::from_bytes(ImkRole::Ac, &v.hex("card_key")).unwrap();
    let direct = CardKeySource::Direct(&card);
    let expected = v.str("value");
    for src in [&derived, &direct] {
        let p = DcvvProfile::JposPayShield;
        assert_eq!(
            generate_dcvv(src, p, &pan, &exp, &sc, atc)
                .unwrap()
                .as_str(),
            expected,
            "{}",
            v.id.as_str()
        );
        assert_eq!(verify_dcvv(src, p, &pan, &exp, &sc, atc, expected), Ok(()));
        assert_eq!(
            verify_dcvv(src, p, &pan, &exp, &sc, atc, &tamper(expected, 0)),
            Err(Error::VerificationFailed)
        );
    }
    if let Some(p) = v.opt_str("psec") {
        assert_eq!(p, expected);
    }
    // The dCVV jPOS computes with its Option B for a short PAN must not verify here.
    if let Some(j) = v.opt_str("jpos_option_b_value").filter(|j| *j != expected) {
        assert_eq!(
            verify_dcvv(
                &derived,
                DcvvProfile::JposPayShield,
                &pan,
                &exp,
                &sc,
                atc,
                j
            ),
            Err(Error::VerificationFailed),
            "{}",
            v.id.as_str()
        );
    }
}

fn cvc3(v: &Vector) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Cvc3, &v.hex("imk")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let card = CardKey::derive(&imk, &pan, psn(v), method(v)).unwrap();
    let given = CardKey::from_bytes(ImkRole::Cvc3, &v.hex("card_key")).unwrap();
    let track = v.hex("track");
    let iv = Ivcvc3::from_track(&card, &track).unwrap();
    assert_eq!(iv.bytes().as_slice(), v.hex("ivcvc3"), "{}", v.id.as_str());
    assert_eq!(Ivcvc3::from_track(&given, &track).unwrap(), iv);
    let un = UnpredictableNumber::from_slice(&v.hex("un")).unwrap();
    let atc = Atc::from_slice(&v.hex("atc")).unwrap();
    let value = v.str("value");
    assert_eq!(value.len(), 5);
    let code = generate_cvc3(&card, iv, un, atc).unwrap();
    assert_eq!(code.as_str(), value, "{}", v.id.as_str());
    assert_eq!(generate_cvc3(&given, iv, un, atc).unwrap(), code);
    for k in 3..=5 {
        let tail = &value[5 - k..];
        assert_eq!(verify_cvc3(&card, iv, un, atc, tail), Ok(()));
        assert_eq!(
            verify_cvc3(&card, iv, un, atc, &tamper(tail, 0)),
            Err(Error::VerificationFailed)
        );
    }
    // pyemv's output without leading zeros verifies only when it still is the rightmost digits
    // of the 5-digit value, i.e. as a shorter presented value.
    let py = v.str("pyemv");
    assert_eq!(format!("{py:0>5}"), value);
    if let Some(jpos) = v.opt_str("jpos_option_b") {
        let jk = CardKey::from_bytes(
            ImkRole::Cvc3,
            &paycrypt_primitives::hex::decode(jpos).unwrap(),
        )
        .unwrap();
        let jiv = Ivcvc3::from_track(&jk, &track).unwrap();
        let jcode = generate_cvc3(&jk, jiv, un, atc).unwrap();
        if jcode != code {
            assert_eq!(
                verify_cvc3(&card, iv, un, atc, jcode.as_str()),
                Err(Error::VerificationFailed)
            );
        }
    }
}

#[test]
fn independent_vectors() {
    let mut count = BTreeMap::new();
    for v in load::<Vector>(DATA) {
        let op = v.str("op").to_owned();
        match op.as_str() {
            "cvv" => cvv(&v),
            "cavv" => cavv(&v),
            "icc_mk" => icc_mk(&v),
            "dcvv" => dcvv(&v),
            "cvc3" => cvc3(&v),
            other => panic!("unknown op {other}"),
        }
        *count.entry(op).or_insert(0) += 1;
    }
    for op in ["cvv", "cavv", "icc_mk", "dcvv", "cvc3"] {
        assert!(
            count.get(op).copied().unwrap_or(0) >= 10,
            "too few {op}: {count:?}"
        );
    }
}
