//! Known-answer tests: the two project tokens in `tests/data/tokens/` (copied from
//! `../shared/vectors/tr34/tokens/`) open to their keys and build byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use paycrypt_primitives::rng::ReplayRng;
use paycrypt_tr34::*;

fn tdes_kcv(key: &[u8]) -> Vec<u8> {
    let k = paycrypt_primitives::key::TdesKey::from_bytes(key).unwrap();
    let mut b = [0u8; 8];
    paycrypt_primitives::block::BlockCipher::from(&k)
        .encrypt_block(&mut b)
        .unwrap();
    b[..3].to_vec()
}

fn each(f: impl Fn(&str, &serde_json::Value)) {
    let v = vectors();
    let tokens = v["tokens"].as_object().unwrap();
    assert_eq!(tokens.len(), 2);
    for (name, t) in tokens {
        f(name, t);
    }
}

fn open(t: &serde_json::Value, der: &[u8]) -> Result<OpenedKey, Error> {
    let token = KeyToken::from_der(der)?;
    let krd_key = key("krd_1");
    let krd_cert = cert("krd_1");
    let kdh = cert("kdh_1");
    let anchors = [cert("ca_kdh")];
    let trust = KdhTrust {
        kdh_certificate: &kdh,
        anchors: &anchors,
        crls: &[],
        at: AT,
    };
    let nonce = hex(t["random_nonce_hex"].as_str().unwrap());
    token.open(
        &Krd::new(&krd_key).with_certificate(&krd_cert),
        &trust,
        Pass::TwoPass { nonce: &nonce },
    )
}

#[test]
fn tokens_open_to_their_keys() {
    each(|name, t| {
        let der = data(t["token_file"].as_str().unwrap());
        let opened = open(t, &der).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            opened.key.expose_bytes(),
            hex(t["expected_clear_key_hex"].as_str().unwrap()),
            "{name}"
        );
        assert_eq!(
            tdes_kcv(opened.key.expose_bytes()),
            hex(t["expected_kcv"].as_str().unwrap())
        );
        assert_eq!(
            opened.header.as_str(),
            t["key_block_header"].as_str().unwrap()
        );
        let expected_profile = if name.starts_with("aws") {
            Layout::AwsX9Tr34_2012
        } else {
            Layout::X9Tr34_2019AnnexB
        };
        assert_eq!(opened.layout.layout(), Some(expected_profile));
        let l = &t["layout"];
        assert_eq!(
            opened.layout.econtent_sequence,
            l["econtent_sequence_wrapped"].as_bool().unwrap()
        );
        assert_eq!(
            opened.layout.attributes_der_sorted,
            l["signed_attrs_wire_order_is_der_order"].as_bool().unwrap()
        );
        assert_eq!(
            opened.layout.crl_included,
            l["crl_included"].as_bool().unwrap()
        );
        // hex form
        let hex_text = data(&t["token_file"].as_str().unwrap().replace(".der", ".hex"));
        assert_eq!(hex_form::decode(&hex_text).unwrap(), der);
        assert_eq!(
            KeyToken::from_der_or_hex(&hex_text).unwrap().header_bytes(),
            opened.header.as_str().as_bytes()
        );
        // RT-KRD
        let rt = RandomNumberToken::from_der(&data(t["rtkrd_file"].as_str().unwrap())).unwrap();
        assert_eq!(rt.nonce(), hex(t["random_nonce_hex"].as_str().unwrap()));
        assert_eq!(rt.to_der(), data(t["rtkrd_file"].as_str().unwrap()));
    });
}

#[test]
fn tokens_build_byte_for_byte() {
    each(|name, t| {
        let kdh_key = key("kdh_1");
        let kdh = cert("kdh_1");
        let krd = cert("krd_1");
        let profile = if name.starts_with("aws") {
            Layout::AwsX9Tr34_2012
        } else {
            Layout::X9Tr34_2019AnnexB
        };
        let c = crl();
        // The project tokens carry the Annex B quirks (attribute order, untagged OAEP
        // parameters, SignedData version 1): reproduced only on request.
        let mut b = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, profile).annex_b_quirks();
        if t["layout"]["crl_included"].as_bool().unwrap() {
            b = b.crl(&c);
        }
        let clear = hex(t["expected_clear_key_hex"].as_str().unwrap());
        let key = paycrypt_primitives::key::SymmetricKey::new(
            if clear.len() == 16 {
                paycrypt_primitives::key::KeyAlgorithm::Tdes2
            } else {
                paycrypt_primitives::key::KeyAlgorithm::Tdes3
            },
            &clear,
        )
        .unwrap();
        let header = KeyHeader::parse(t["key_block_header"].as_str().unwrap()).unwrap();
        let nonce = hex(t["random_nonce_hex"].as_str().unwrap());
        let mut random = hex(t["ephemeral_key_hex"].as_str().unwrap());
        random.extend(hex(t["iv_hex"].as_str().unwrap()));
        random.extend(hex(t["oaep_seed_hex"].as_str().unwrap()));
        let mut rng = ReplayRng::new(&random);
        let built = b
            .build(&key, &header, Pass::TwoPass { nonce: &nonce }, &mut rng)
            .unwrap();
        assert_eq!(rng.remaining(), 0);
        let expected = data(t["token_file"].as_str().unwrap());
        if built != expected {
            let pos = built.iter().zip(&expected).position(|(a, b)| a != b);
            panic!(
                "{name}: differs at {pos:?} (len {} vs {})",
                built.len(),
                expected.len()
            );
        }
    });
}

#[test]
fn intermediate_values_match() {
    each(|name, t| {
        let token = KeyToken::from_der(&data(t["token_file"].as_str().unwrap())).unwrap();
        let h = |k: &str| hex(t[k].as_str().unwrap());
        assert_eq!(
            token.signed_attributes_der(),
            h("signed_attrs_as_signed_hex"),
            "{name}"
        );
        assert_eq!(token.econtent(), h("econtent_hex"), "{name}");
        // The symmetric layer with the published ephemeral key.
        let kb = hazmat::decrypt_enveloped_with_ephemeral(
            token.econtent(),
            &h("ephemeral_key_hex"),
            None,
        )
        .unwrap();
        assert_eq!(kb.expose_clear_key(), h("expected_clear_key_hex"));
        let wrapped = h("key_block_der_hex");
        assert_eq!(
            EnvelopeContent::from_der(&wrapped, HeaderForm::Standard)
                .unwrap()
                .header_bytes(),
            kb.header_bytes()
        );
    });
}

#[test]
fn tampered_tokens_fail() {
    each(|_, t| {
        let der = data(t["token_file"].as_str().unwrap());
        for i in 0..der.len() {
            let mut bad = der.clone();
            bad[i] ^= 0x01;
            assert!(open(t, &bad).is_err(), "flip at {i} accepted");
        }
    });
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any non-zero XOR at any position of either project token is refused.
    #[test]
    fn random_corruption_is_refused(pos in 0usize..4096, mask in 1u8..=255, which in 0usize..2) {
        let v = vectors();
        let (_, t) = v["tokens"].as_object().unwrap().iter().nth(which).unwrap();
        let mut der = data(t["token_file"].as_str().unwrap());
        let i = pos % der.len();
        der[i] ^= mask;
        proptest::prop_assert!(open(t, &der).is_err());
    }
}
