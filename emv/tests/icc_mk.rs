//! EMV Book 2 A1.4.1 option A: the AWS sample vectors (tests/data/icc_mk_option_a.json), each
//! with a tamper case.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use paycrypt_emv::{IccDerivation, Psn, derive_icc_master_key};
use paycrypt_pinblock::Pan;
use paycrypt_primitives::hex;
use paycrypt_primitives::key::{TdesKey, has_odd_parity};

const DATA: &str = include_str!("data/icc_mk_option_a.json");

fn field<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("missing {k}"))
}

#[test]
fn aws_option_a_vectors() {
    let doc: serde_json::Value = serde_json::from_str(DATA).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 10, "vector file incomplete");
    for v in vectors {
        let id = field(v, "id");
        let imk = TdesKey::from_bytes(&hex::decode(field(v, "imk")).unwrap()).unwrap();
        let pan = Pan::new(field(v, "pan")).unwrap();
        let psn = Psn::new(field(v, "psn").parse().unwrap()).unwrap();
        let want = hex::decode(field(v, "icc_mk")).unwrap();
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
}
