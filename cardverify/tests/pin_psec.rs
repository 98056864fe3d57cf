//! IBM 3624 and Visa PVV known answers from psec 1.3.0 (`data/pin_psec.json`, made by
//! `data/gen_vectors.py`), through the PIN-verification core of `paycrypt-pinblock` and its
//! encrypted-block functions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
use common::{h, s, vectors};
use paycrypt_pinblock::{
    DecimalizationTable, Error, Format, Pan, Pin, PinKey, PinMethod, PinOffset, PinVerificationKey,
    Pvki, Pvv, ReplayRng, ValidationData, encipher, ibm3624_natural_pin, ibm3624_offset,
    ibm3624_offset_from_pin_block, ibm3624_pin_from_offset, ibm3624_verify, pvv_from_pin_block,
    verify_pin_block, visa_pvv, visa_pvv_verify,
};
use paycrypt_primitives::key::DesKey;

const DATA: &str = include_str!("data/pin_psec.json");
const PEK: [u8; 16] = hex_literal::hex!("C46551CEF9FD244FAA9AD834130D3B38");

fn pvk(bytes: &[u8]) -> PinVerificationKey {
    if bytes.len() == 8 {
        PinVerificationKey::legacy_single_des(&DesKey::from_bytes(bytes).unwrap())
    } else {
        PinVerificationKey::tdes_from_bytes(bytes).unwrap()
    }
}

/// The PIN enciphered as a format-0 block under `PEK`.
fn block0(pin: &Pin, pan: &Pan) -> Vec<u8> {
    let key = PinKey::tdes_from_bytes(&PEK).unwrap();
    encipher(Format::Iso0, &key, pin, Some(pan), &mut ReplayRng::new(&[]))
        .unwrap()
        .as_bytes()
        .to_vec()
}

fn pvv(v: &serde_json::Value) {
    let k = pvk(&h(v, "pvk"));
    let pan = Pan::new(s(v, "pan")).unwrap();
    let pvki = Pvki::new(s(v, "pvki").parse().unwrap()).unwrap();
    let pin = Pin::new(s(v, "pin")).unwrap();
    let expected = Pvv::new(s(v, "pvv")).unwrap();
    let got = visa_pvv(&k, &pan, pvki, &pin).unwrap();
    assert_eq!(got.to_string(), s(v, "pvv"), "{}", s(v, "id"));
    assert_eq!(visa_pvv_verify(&k, &pan, pvki, &pin, &expected), Ok(()));
    // Through an encrypted block.
    let pek = PinKey::tdes_from_bytes(&PEK).unwrap();
    let b = block0(&pin, &pan);
    assert_eq!(
        pvv_from_pin_block(&pek, Format::Iso0, &b, Some(&pan), &k, pvki)
            .unwrap()
            .to_string(),
        s(v, "pvv")
    );
    let m = PinMethod::VisaPvv {
        pvk: &k,
        pvki,
        pvv: &expected,
    };
    assert_eq!(
        verify_pin_block(&pek, Format::Iso0, &b, Some(&pan), &m),
        Ok(())
    );
    let other = Pin::new(if s(v, "pin") == "0000" {
        "0001"
    } else {
        "0000"
    })
    .unwrap();
    let wrong = block0(&other, &pan);
    assert_eq!(
        verify_pin_block(&pek, Format::Iso0, &wrong, Some(&pan), &m),
        Err(Error::PinMismatch)
    );
}

fn offset(v: &serde_json::Value) {
    let k = pvk(&h(v, "pvk"));
    let table = DecimalizationTable::new(s(v, "table")).unwrap();
    let pad = s(v, "pad").chars().next().unwrap();
    let vd = ValidationData::new(s(v, "vdata"), pad).unwrap();
    let pin = Pin::new(s(v, "pin")).unwrap();
    let off = ibm3624_offset(&k, &table, &vd, &pin).unwrap();
    assert_eq!(off.to_string(), s(v, "offset"), "{}", s(v, "id"));
    if let Some(nat) = v.get("natural").and_then(serde_json::Value::as_str) {
        let n = ibm3624_natural_pin(&k, &table, &vd, pin.len()).unwrap();
        assert_eq!(n.expose_str(), nat);
    }
    let given = PinOffset::new(s(v, "offset")).unwrap();
    assert_eq!(ibm3624_verify(&k, &table, &vd, &pin, &given), Ok(()));
    assert_eq!(
        ibm3624_pin_from_offset(&k, &table, &vd, &given)
            .unwrap()
            .expose_str(),
        s(v, "pin")
    );
    // Through an encrypted block (the PAN binds the block only).
    let pan = Pan::new("4012345678909").unwrap();
    let pek = PinKey::tdes_from_bytes(&PEK).unwrap();
    let b = block0(&pin, &pan);
    assert_eq!(
        ibm3624_offset_from_pin_block(&pek, Format::Iso0, &b, Some(&pan), &k, &table, &vd)
            .unwrap()
            .to_string(),
        s(v, "offset")
    );
    let m = PinMethod::Ibm3624 {
        pvk: &k,
        table: &table,
        validation_data: &vd,
        offset: &given,
    };
    assert_eq!(
        verify_pin_block(&pek, Format::Iso0, &b, Some(&pan), &m),
        Ok(())
    );
}

#[test]
fn psec_pin_vectors() {
    let (mut p, mut o) = (0, 0);
    for v in vectors(DATA) {
        match s(&v, "op") {
            "pvv" => {
                pvv(&v);
                p += 1;
            }
            "offset" => {
                offset(&v);
                o += 1;
            }
            op => panic!("unknown op {op}"),
        }
    }
    assert!(p >= 30 && o >= 30, "{p} PVV, {o} offset vectors");
}
