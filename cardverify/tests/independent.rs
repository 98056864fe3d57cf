//! Known answers from independent implementations (psec 1.3.0, pyemv 1.5.0; see
//! `data/gen_vectors.py`), one runner over `data/independent.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
use common::{h, s, vectors};
use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, CavvData, CavvProfile, Cvk, CvvData, CvvLength, DcvvProfile,
    Error, Expiry4, IccDerivation, ImkRole, IssuerMasterKey, Ivcvc3, Pan, Psn, ServiceCode,
    UnpredictableNumber, generate_cvc3, generate_dcvv, verify_cvc3, verify_dcvv,
};
use serde_json::Value;
use std::collections::BTreeMap;

const DATA: &str = include_str!("data/independent.json");

fn method(v: &Value) -> IccDerivation {
    match s(v, "method") {
        "a" => IccDerivation::OptionA,
        "b" => IccDerivation::OptionB,
        m => panic!("method {m}"),
    }
}

fn psn(v: &Value) -> Psn {
    Psn::new(s(v, "psn").parse().unwrap()).unwrap()
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

fn cvv(v: &Value) {
    let cvk = Cvk::from_bytes(&h(v, "key")).unwrap();
    let pan = Pan::new(s(v, "pan")).unwrap();
    let exp = Expiry4::new(s(v, "expiry")).unwrap();
    let data = match s(v, "kind") {
        "cvv" => CvvData::cvv(&pan, &exp, &ServiceCode::new(s(v, "service_code")).unwrap()),
        "cvv2" => {
            assert_eq!(s(v, "service_code"), "000");
            CvvData::cvv2(&pan, &exp)
        }
        "icvv" => {
            assert_eq!(s(v, "service_code"), "999");
            CvvData::icvv(&pan, &exp)
        }
        k => panic!("kind {k}"),
    }
    .unwrap();
    let n = u8::try_from(v["length"].as_u64().unwrap()).unwrap();
    let expected = s(v, "value");
    let code = data.generate(&cvk, CvvLength::new(n).unwrap());
    assert_eq!(code.as_str(), expected, "{}", s(v, "id"));
    assert_eq!(data.verify(&cvk, expected), Ok(()));
    for i in 0..expected.len() {
        assert_eq!(
            data.verify(&cvk, &tamper(expected, i)),
            Err(Error::VerificationFailed)
        );
    }
    // psec's pass-1-only value (fewer than 3 digits) is refused as input.
    if let Some(short) = v.get("psec").and_then(Value::as_str) {
        assert!(short.len() < 3);
        assert_eq!(data.verify(&cvk, short), Err(Error::Value));
    }
}

fn cavv(v: &Value) {
    let cvk = Cvk::from_bytes(&h(v, "key")).unwrap();
    let pan = Pan::new(s(v, "pan")).unwrap();
    let data = CavvData::new(
        CavvProfile::CvvAtnV7,
        &pan,
        s(v, "un"),
        s(v, "auth_result"),
        s(v, "second_factor"),
    )
    .unwrap();
    let expected = s(v, "value");
    assert_eq!(data.generate(&cvk).as_str(), expected, "{}", s(v, "id"));
    assert_eq!(data.verify(&cvk, expected), Ok(()));
    assert_eq!(
        data.verify(&cvk, &tamper(expected, 2)),
        Err(Error::VerificationFailed)
    );
}

fn icc_mk(v: &Value) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &h(v, "imk")).unwrap();
    let pan = Pan::new(s(v, "pan")).unwrap();
    let card = CardKey::derive(&imk, &pan, psn(v), method(v)).unwrap();
    let expected = CardKey::from_bytes(ImkRole::Ac, &h(v, "key")).unwrap();
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
    assert_eq!(code(&card), code(&expected), "{}", s(v, "id"));
    if let Some(jpos) = v.get("jpos_option_b").and_then(Value::as_str) {
        // jPOS applies the SHA-1 step to short PANs too: that key is not EMV Option B.
        let jpos = CardKey::from_bytes(
            ImkRole::Ac,
            &paycrypt_primitives::hex::decode(jpos).unwrap(),
        )
        .unwrap();
        assert_ne!(code(&jpos), code(&card), "{}", s(v, "id"));
    }
}

fn dcvv(v: &Value) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &h(v, "imk")).unwrap();
    let pan = Pan::new(s(v, "pan")).unwrap();
    let exp = Expiry4::new(s(v, "expiry")).unwrap();
    let sc = ServiceCode::new(s(v, "service_code")).unwrap();
    let atc = Atc::from_slice(&h(v, "atc")).unwrap();
    let derived = CardKeySource::Derived {
        imk: &imk,
        pan: &pan,
        psn: psn(v),
        method: method(v),
    };
    let card = CardKey::from_bytes(ImkRole::Ac, &h(v, "card_key")).unwrap();
    let direct = CardKeySource::Direct(&card);
    let expected = s(v, "value");
    for src in [&derived, &direct] {
        let p = DcvvProfile::JposPayShield;
        assert_eq!(
            generate_dcvv(src, p, &pan, &exp, &sc, atc)
                .unwrap()
                .as_str(),
            expected,
            "{}",
            s(v, "id")
        );
        assert_eq!(verify_dcvv(src, p, &pan, &exp, &sc, atc, expected), Ok(()));
        assert_eq!(
            verify_dcvv(src, p, &pan, &exp, &sc, atc, &tamper(expected, 0)),
            Err(Error::VerificationFailed)
        );
    }
    if let Some(p) = v.get("psec").and_then(Value::as_str) {
        assert_eq!(p, expected);
    }
    // The dCVV jPOS computes with its Option B for a short PAN must not verify here.
    if let Some(j) = v
        .get("jpos_option_b_value")
        .and_then(Value::as_str)
        .filter(|j| *j != expected)
    {
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
            s(v, "id")
        );
    }
}

fn cvc3(v: &Value) {
    let imk = IssuerMasterKey::from_bytes(ImkRole::Cvc3, &h(v, "imk")).unwrap();
    let pan = Pan::new(s(v, "pan")).unwrap();
    let card = CardKey::derive(&imk, &pan, psn(v), method(v)).unwrap();
    let given = CardKey::from_bytes(ImkRole::Cvc3, &h(v, "card_key")).unwrap();
    let track = h(v, "track");
    let iv = Ivcvc3::from_track(&card, &track).unwrap();
    assert_eq!(iv.bytes().as_slice(), h(v, "ivcvc3"), "{}", s(v, "id"));
    assert_eq!(Ivcvc3::from_track(&given, &track).unwrap(), iv);
    let un = UnpredictableNumber::from_slice(&h(v, "un")).unwrap();
    let atc = Atc::from_slice(&h(v, "atc")).unwrap();
    let value = s(v, "value");
    assert_eq!(value.len(), 5);
    let code = generate_cvc3(&card, iv, un, atc).unwrap();
    assert_eq!(code.as_str(), value, "{}", s(v, "id"));
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
    let py = s(v, "pyemv");
    assert_eq!(format!("{py:0>5}"), value);
    if let Some(jpos) = v.get("jpos_option_b").and_then(Value::as_str) {
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
    for v in vectors(DATA) {
        let op = s(&v, "op").to_owned();
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
