//! Cross-check with OpenSSL (`openssl cms`, RFC 5652): it verifies the signature of every layout and
//! decrypts the `Rfc5652` profile. The `openssl` binary is a test prerequisite: without it the
//! test fails (it never skips).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::OsRng;
use paycrypt_tr34::*;
use std::process::Command;

fn openssl(args: &[&str]) -> Option<bool> {
    match Command::new("openssl").args(args).output() {
        Ok(o) => Some(o.status.success()),
        Err(_) => None,
    }
}

#[test]
fn openssl_verifies_every_layout_and_decrypts_rfc5652() {
    assert!(
        openssl(&["version"]).is_some(),
        "the `openssl` binary is needed by this test (install OpenSSL 3)"
    );
    let dir = std::env::temp_dir().join(format!("tr34-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pki = format!("{}/tests/data/test-pki", env!("CARGO_MANIFEST_DIR"));
    let chain = dir.join("chain.pem");
    let mut c = data("test-pki/certs/root.cert.pem");
    c.extend(data("test-pki/certs/ca_kdh.cert.pem"));
    std::fs::write(&chain, c).unwrap();
    let (kdh_key, kdh, krd) = (key("kdh_1"), cert("kdh_1"), cert("krd_1"));
    let aes = SymmetricKey::new(
        KeyAlgorithm::Aes128,
        &hex("00112233445566778899AABBCCDDEEFF"),
    )
    .unwrap();
    let header = KeyHeader::parse("D0000K0AB00E0000").unwrap();
    for profile in [
        Layout::AwsX9Tr34_2012,
        Layout::X9Tr34_2019AnnexB,
        Layout::Rfc5652,
    ] {
        let der = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, profile)
            .build(&aes, &header, Pass::TwoPass { nonce: &[9; 16] }, &mut OsRng)
            .unwrap();
        let token = dir.join(format!("{}.der", profile.name()));
        let econtent = dir.join(format!("{}.econtent", profile.name()));
        std::fs::write(&token, &der).unwrap();
        let ok = openssl(&[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-binary",
            "-purpose",
            "any",
            "-in",
            token.to_str().unwrap(),
            "-certfile",
            &format!("{pki}/certs/kdh_1.cert.pem"),
            "-CAfile",
            chain.to_str().unwrap(),
            "-out",
            econtent.to_str().unwrap(),
        ]);
        assert_eq!(ok, Some(true), "{profile:?}: openssl cms -verify");
        let ec = std::fs::read(&econtent).unwrap();
        assert_eq!(ec, KeyToken::from_der(&der).unwrap().econtent());
        if profile == Layout::Rfc5652 {
            let oid = hex("06092A864886F70D010703");
            let ci = tlv(0x30, &[oid, tlv(0xA0, &ec)].concat());
            let env = dir.join("env.der");
            let out = dir.join("keyblock.der");
            std::fs::write(&env, ci).unwrap();
            let ok = openssl(&[
                "cms",
                "-decrypt",
                "-inform",
                "DER",
                "-binary",
                "-in",
                env.to_str().unwrap(),
                "-recip",
                &format!("{pki}/certs/krd_1.cert.pem"),
                "-inkey",
                &format!("{pki}/keys/krd_1.key.pem"),
                "-out",
                out.to_str().unwrap(),
            ]);
            assert_eq!(ok, Some(true), "openssl cms -decrypt");
            let kb = EnvelopeContent::from_der(&std::fs::read(&out).unwrap(), HeaderForm::Standard)
                .unwrap();
            assert_eq!(kb.expose_clear_key(), aes.expose_bytes());
            assert_eq!(kb.header_bytes(), header.as_str().as_bytes());
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
