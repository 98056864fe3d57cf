//! The published vectors (tests/data/emv.json, a copy of the project's vectors/emv.json: AWS
//! Payment Cryptography samples and the EMVCo Security Guidelines A.3.3 data selection), each
//! with a tamper case.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use paycrypt_emv::tlv::{self, Tag};
use paycrypt_emv::{
    AcInput, AcSessionKey, IadFormat, IadPart, IccDerivation, Padding, Psn, derive_icc_master_key,
    detect_iad, generate_ac,
};
use paycrypt_pinblock::Pan;
use paycrypt_primitives::hex;
use paycrypt_primitives::key::{TdesKey, has_odd_parity};

use paycrypt_test_support::{Vector, load, vector_test};

const DATA: &str = "emv/tests/data/emv.json";

fn icc_mk_option_a(v: &Vector) {
    let id = v.id.as_str();
    let imk = TdesKey::from_bytes(&v.hex("imk")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let psn = Psn::new(v.str("psn").parse().unwrap()).unwrap();
    let want = v.hex("icc_mk");
    for method in [IccDerivation::OptionA, IccDerivation::OptionB] {
        let got = derive_icc_master_key(&imk, &pan, psn, method);
        assert_eq!(got.expose_bytes(), &want[..], "{id} {method:?}");
        assert!(has_odd_parity(got.expose_bytes()), "{id}");
    }
    // Tamper: another PSN gives another key.
    let other = Psn::new((psn.value() + 1) % 100).unwrap();
    let got = derive_icc_master_key(&imk, &pan, other, IccDerivation::OptionA);
    assert_ne!(got.expose_bytes(), &want[..], "{id} tamper");
}

/// Encodes the vector's tags as a flat BER-TLV list (through the crate's encoder).
fn tlv_of(tags: &serde_json::Map<String, serde_json::Value>) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in tags {
        let tag = Tag::from_bytes(&hex::decode(k).unwrap()).unwrap();
        let value = hex::decode(v.as_str().unwrap()).unwrap();
        let mut buf = vec![0u8; value.len() + 8];
        let n = tlv::encode_into(tag, &value, &mut buf).unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    out
}

fn ac_input_ccd(v: &Vector) {
    let id = v.id.as_str();
    let tags = v
        .get("tags")
        .and_then(serde_json::Value::as_object)
        .unwrap();
    let data = tlv_of(tags);
    let input = AcInput::from_tlv_part(IadPart::Whole, &data).unwrap();
    let want = v.hex("input");
    assert_eq!(input.as_bytes(), &want[..], "{id}");
    // The CCD IAD is detected as EMV format A (no profile in this release).
    let iad = hex::decode(tags["9F10"].as_str().unwrap()).unwrap();
    let info = detect_iad(&iad).unwrap();
    assert_eq!(info.format, IadFormat::EmvA, "{id}");
    assert_eq!(info.version, None, "{id}");
    // Padding method 2 always pads: MAC(input, method 2) = MAC(published padded input, method 1),
    // under any key.
    let padded = v.hex("input_padded_method2");
    assert_eq!(padded.len() % 8, 0);
    let key = AcSessionKey::from_bytes(&[0x5A; 16]).unwrap();
    let a = generate_ac(&key, Padding::Method2, input.as_bytes()).unwrap();
    let b = generate_ac(&key, Padding::Method1, &padded).unwrap();
    assert_eq!(a, b, "{id}");
    // Tamper: one changed TVR bit changes the input.
    let mut t2 = tags.clone();
    t2.insert("95".into(), serde_json::Value::from("0000001081"));
    let other = AcInput::from_tlv_part(IadPart::Whole, &tlv_of(&t2)).unwrap();
    assert_ne!(other.as_bytes(), &want[..], "{id} tamper");
}

#[test]
fn published_vector_count() {
    assert_eq!(load::<Vector>(DATA).len(), 11, "vector file incomplete");
}

vector_test!(published_vectors, DATA, |v: Vector| {
    match v.str("algorithm") {
        "EMV_ICC_MK_OPTION_A" => icc_mk_option_a(v),
        "EMV_AC_INPUT_CCD" => ac_input_ccd(v),
        other => panic!("unknown algorithm {other}"),
    }
});
