//! `paycrypt tr34 open` on tokens whose signature verifies but whose KeyBlock breaks a rule the
//! KRD checks after it (TR-34-2019 §5.4.9: idKDH is the signer, the header is the signed header
//! attribute; TR-34-2019 Table 15: TDES 16/24-byte and AES-128 keys only). Nothing in such a
//! token is secret from the KRD, so the command exits 1 naming the rule; the same token altered
//! before the signature is the one opaque rejection. The tokens are crafted in-process with
//! `paycrypt_tr34::hazmat::build_unchecked` over the test PKI in `data/tr34/test-pki/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use paycrypt_primitives::rng::ReplayRng;
use paycrypt_tr34::{
    Certificate, IssuerAndSerialNumber, KeyHeader, KeyTokenBuilder, Layout, Pass, SoftwareRsaKey,
    hazmat,
};
use std::path::PathBuf;

macro_rules! tr34_data {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tr34/", $rel)
    };
}

const KDH_KEY: &str = tr34_data!("test-pki/keys/kdh_1.key.pem");
const KDH_CERT: &str = tr34_data!("test-pki/certs/kdh_1.cert.pem");
const KRD_KEY: &str = tr34_data!("test-pki/keys/krd_1.key.pem");
const KRD_CERT: &str = tr34_data!("test-pki/certs/krd_1.cert.pem");
const NONCE: [u8; 8] = [0x5A; 8];
const NONCE_HEX: &str = "5A5A5A5A5A5A5A5A";

fn cert(path: &str) -> Certificate {
    Certificate::from_pem_or_der(&std::fs::read(path).unwrap()).unwrap()
}

/// A two-pass token from KDH 1 to KRD 1 with the KeyBlock as given, written to a file.
fn crafted(
    name: &str,
    id_kdh: &IssuerAndSerialNumber,
    clear_key: &[u8],
    content_header: &str,
    signed_header: &str,
) -> PathBuf {
    let kdh_key = SoftwareRsaKey::from_pkcs8_pem_or_der(&std::fs::read(KDH_KEY).unwrap()).unwrap();
    let (kdh, krd) = (cert(KDH_CERT), cert(KRD_CERT));
    let builder = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, Layout::Rfc5652);
    let der = hazmat::build_unchecked(
        &builder,
        id_kdh,
        clear_key,
        &KeyHeader::parse(content_header).unwrap(),
        &KeyHeader::parse(signed_header).unwrap(),
        Pass::TwoPass { nonce: &NONCE[..] },
        &mut ReplayRng::new(&[0x33; 24 + 16 + 32]),
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("paycrypt-cli-tr34a-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, der).unwrap();
    path
}

fn open<'a>(token: &'a str) -> Vec<&'a str> {
    vec![
        "tr34",
        "open",
        "--token",
        token,
        "--krd-key",
        KRD_KEY,
        "--kdh-cert",
        KDH_CERT,
        "--nonce",
        NONCE_HEX,
    ]
}

const T: &str = "A0256K0TB00E0000";
const A: &str = "D0256K0AB00E0000";

#[test]
fn a_good_crafted_token_opens() {
    let id = cert(KDH_CERT).issuer_and_serial();
    let t = crafted("good.der", &id, &[0x5A; 16], T, T);
    let out = ok_json(&open(t.to_str().unwrap()));
    assert_eq!(s(&out, "key"), "5A".repeat(16));
}

#[test]
fn key_block_mismatch_names_the_rule() {
    let kdh_id = cert(KDH_CERT).issuer_and_serial();
    // The KeyBlock's header is not the signed header attribute.
    let t = crafted("header.der", &kdh_id, &[0x5A; 16], "A0256K0TB00N0000", T);
    let e = fails(1, &open(t.to_str().unwrap()), &["5A5A5A5A5A5A5A5A5A5A"]);
    assert!(
        e.contains("header differs from the signed header attribute (TR-34-2019 §5.4.9)"),
        "{e}"
    );
    // The KeyBlock's idKDH is the KRD's certificate, not the signer.
    let krd_id = cert(KRD_CERT).issuer_and_serial();
    let t = crafted("idkdh.der", &krd_id, &[0x5A; 16], T, T);
    let e = fails(1, &open(t.to_str().unwrap()), &[]);
    assert!(
        e.contains("idKDH is not the signer's IssuerAndSerialNumber (TR-34-2019 §5.4.9)"),
        "{e}"
    );
}

#[test]
fn key_length_names_the_rule() {
    let id = cert(KDH_CERT).issuer_and_serial();
    for (name, key, header, rule) in [
        (
            "aes256.der",
            &[0x5A; 32][..],
            A,
            "32-byte key under algorithm A",
        ),
        (
            "aes192.der",
            &[0x5A; 24][..],
            A,
            "24-byte key under algorithm A",
        ),
        ("des.der", &[0x5A; 8][..], T, "8-byte key under algorithm T"),
    ] {
        let t = crafted(name, &id, key, header, header);
        let e = fails(1, &open(t.to_str().unwrap()), &["5A5A5A5A5A5A5A5A"]);
        assert!(e.contains(rule), "{name}: {e}");
        assert!(
            e.contains(
                "TR-34 carries TDES (16 or 24 bytes, algorithm T) and AES-128 (16 bytes, algorithm A) keys only"
            ),
            "{name}: {e}"
        );
    }
}

#[test]
fn before_the_signature_it_stays_opaque() {
    // The same wrong KeyBlock with the signature broken: the one rejection, no rule named.
    let id = cert(KDH_CERT).issuer_and_serial();
    let t = crafted("broken.der", &id, &[0x5A; 32], A, A);
    let mut der = std::fs::read(&t).unwrap();
    let last = der.len() - 1;
    der[last] ^= 1;
    std::fs::write(&t, der).unwrap();
    let e = fails(1, &open(t.to_str().unwrap()), &[]);
    assert_eq!(e, "error: TR-34 token rejected");
}
