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

use paycrypt_pinblock::{
    DecimalizationTable, Error, Format, Pan, Pin, PinKey, PinMethod, PinOffset, PinVerificationKey,
    Pvki, Pvv, ReplayRng, ValidationData, encipher, ibm3624_natural_pin, ibm3624_offset,
    ibm3624_offset_from_pin_block, ibm3624_pin_from_offset, ibm3624_verify, pvv_from_pin_block,
    verify_pin_block, visa_pvv, visa_pvv_verify,
};
use paycrypt_primitives::key::DesKey;
use paycrypt_test_support::{Vector, load};

const DATA: &str = "cardverify/tests/data/pin_psec.json";
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

fn pvv(v: &Vector) {
    let k = pvk(&v.hex("pvk"));
    let pan = Pan::new(v.str("pan")).unwrap();
    let pvki = Pvki::new(v.str("pvki").parse().unwrap()).unwrap();
    let pin = Pin::new(v.str("pin")).unwrap();
    let expected = Pvv::new(v.str("pvv")).unwrap();
    let got = visa_pvv(&k, &pan, pvki, &pin).unwrap();
    assert_eq!(got.to_string(), v.str("pvv"), "{}", v.id.as_str());
    assert_eq!(visa_pvv_verify(&k, &pan, pvki, &pin, &expected), Ok(()));
    // Through an encrypted block.
    let pek = PinKey::tdes_from_bytes(&PEK).unwrap();
    let b = block0(&pin, &pan);
    assert_eq!(
        pvv_from_pin_block(&pek, Format::Iso0, &b, Some(&pan), &k, pvki)
            .unwrap()
            .to_string(),
        v.str("pvv")
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
    let other = Pin::new(if v.str("pin") == "0000" {
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

fn offset(v: &Vector) {
    let k = pvk(&v.hex("pvk"));
    let table = DecimalizationTable::new(v.str("table")).unwrap();
    let pad = v.str("pad").chars().next().unwrap();
    let vd = ValidationData::new(v.str("vdata"), pad).unwrap();
    let pin = Pin::new(v.str("pin")).unwrap();
    let off = ibm3624_offset(&k, &table, &vd, &pin).unwrap();
    assert_eq!(off.to_string(), v.str("offset"), "{}", v.id.as_str());
    if let Some(nat) = v.opt_str("natural") {
        let n = ibm3624_natural_pin(&k, &table, &vd, pin.len()).unwrap();
        assert_eq!(n.expose_str(), nat);
    }
    let given = PinOffset::new(v.str("offset")).unwrap();
    assert_eq!(ibm3624_verify(&k, &table, &vd, &pin, &given), Ok(()));
    assert_eq!(
        ibm3624_pin_from_offset(&k, &table, &vd, &given)
            .unwrap()
            .expose_str(),
        v.str("pin")
    );
    // Through an encrypted block (the PAN binds the block only).
    let pan = Pan::new("4012345678909").unwrap();
    let pek = PinKey::tdes_from_bytes(&PEK).unwrap();
    let b = block0(&pin, &pan);
    assert_eq!(
        ibm3624_offset_from_pin_block(&pek, Format::Iso0, &b, Some(&pan), &k, &table, &vd)
            .unwrap()
            .to_string(),
        v.str("offset")
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
    for v in load::<Vector>(DATA) {
        match v.str("op") {
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
