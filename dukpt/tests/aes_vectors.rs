//! Known-answer tests: every AES entry of `tests/data/aes_vectors.json` (copied from
//! `../shared/vectors/dukpt.json`, ANSI X9.24-3-2017 supplement test vectors), each with a
//! tamper case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::Error;
use paycrypt_dukpt::aes::{Bdk, InitialKey, InitialKeyId, KeyType, KeyUsage, Ksn, Originator};
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::hex;
use paycrypt_primitives::key::{AesKey, SymmetricKey};
use serde_json::Value;

fn data() -> Value {
    serde_json::from_str(include_str!("data/aes_vectors.json")).unwrap()
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn usage(name: &str) -> KeyUsage {
    match name {
        "KeyEncryptionKey" => KeyUsage::KeyEncryptionKey,
        "PINEncryption" => KeyUsage::PinEncryption,
        "MessageAuthenticationGeneration" => KeyUsage::MacGeneration,
        "MessageAuthenticationVerification" => KeyUsage::MacVerification,
        "MessageAuthenticationBothWays" => KeyUsage::MacBothWays,
        "DataEncryptionEncrypt" => KeyUsage::DataEncrypt,
        "DataEncryptionDecrypt" => KeyUsage::DataDecrypt,
        "DataEncryptionBothWays" => KeyUsage::DataBothWays,
        "KeyDerivation" => KeyUsage::KeyDerivation,
        other => panic!("unknown usage {other}"),
    }
}

fn key_type(name: &str) -> KeyType {
    KeyType::from_name(&name.to_ascii_lowercase()).unwrap_or_else(|| panic!("type {name}"))
}

/// ISO 9564-1 format 4 encipherment (X9.24-3 supplement p.31): `A = E(K, PIN field)`,
/// `B = A ⊕ PAN field`, result `E(K, B)`. Written here with the primitives' block cipher so
/// the test does not depend on the PIN-block crate.
fn iso4(key: &[u8], pin_field: &[u8], pan_field: &[u8]) -> ([u8; 16], [u8; 16], [u8; 16]) {
    let cipher = BlockCipher::new(&SymmetricKey::from(AesKey::from_bytes(key).unwrap()));
    let mut a = [0u8; 16];
    a.copy_from_slice(pin_field);
    cipher.encrypt_block(&mut a).unwrap();
    let mut b = a;
    for (x, y) in b.iter_mut().zip(pan_field) {
        *x ^= y;
    }
    let mut c = b;
    cipher.encrypt_block(&mut c).unwrap();
    (a, b, c)
}

fn flip(ksn: &Ksn, byte: usize) -> Ksn {
    let mut b = ksn.to_bytes();
    b[byte] ^= 0x01;
    Ksn::from_bytes(b)
}

#[test]
fn every_aes_vector() {
    let data = data();
    let mut checked = 0usize;
    let mut entries = 0usize;
    for v in data["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        assert!(v["source"].as_str().is_some_and(|s| !s.is_empty()), "{id}");
        let inputs = &v["inputs"];
        let expected = &v["expected"];
        entries += 1;
        match v["kind"].as_str().unwrap() {
            "initial_key" => {
                let bdk = Bdk::from_bytes(&h(&inputs["bdk"])).unwrap();
                let ikid = InitialKeyId::from_slice(&h(&inputs["initial_key_id"])).unwrap();
                let ik = bdk.initial_key(&ikid);
                assert_eq!(
                    ik.expose_key().unwrap().expose_bytes(),
                    h(&expected["initial_key"]),
                    "{id}"
                );
                // Tamper: another initial key ID gives another key.
                let mut other = ikid.to_bytes();
                other[7] ^= 1;
                let tampered = bdk.initial_key(&InitialKeyId::from_bytes(other));
                assert_ne!(
                    tampered.expose_key().unwrap().expose_bytes(),
                    h(&expected["initial_key"]),
                    "{id} tamper"
                );
                checked += 2;
            }
            "transaction" => {
                let bdk = Bdk::from_bytes(&h(&inputs["bdk"])).unwrap();
                let ksn = Ksn::from_hex(inputs["ksn"].as_str().unwrap()).unwrap();
                if let Some(dk) = expected.get("derivation_key") {
                    let got = bdk.intermediate_key(&ksn).unwrap();
                    assert_eq!(got.expose_key().unwrap().expose_bytes(), h(dk), "{id}");
                    // Same key when starting from the initial key (a terminal's view).
                    let ik = bdk.initial_key(&ksn.initial_key_id());
                    let from_ik = ik.intermediate_key(ksn.counter()).unwrap();
                    assert_eq!(from_ik.expose_key().unwrap().expose_bytes(), h(dk), "{id}");
                    let tampered = bdk.intermediate_key(&flip(&ksn, 11)).unwrap();
                    assert_ne!(tampered.expose_key().unwrap().expose_bytes(), h(dk));
                    checked += 2;
                }
                if let Some(wks) = expected.get("working_keys") {
                    for (name, value) in wks.as_object().unwrap() {
                        let (u, t) = name.split_once('/').unwrap();
                        let (u, t) = (usage(u), key_type(t));
                        let got = bdk.working_key(&ksn, u, t).unwrap();
                        assert_eq!(got.expose_bytes(), h(value), "{id} {name}");
                        assert_eq!(got.key_type(), t);
                        // Batch path agrees.
                        let mut batch = None;
                        bdk.derive_batch(&[ksn], u, t, |i, k| {
                            assert_eq!(i, 0);
                            batch = Some(k);
                        })
                        .unwrap();
                        assert_eq!(batch.unwrap(), got, "{id} {name} batch");
                        // Tamper: flip a derivation-ID bit, and a counter bit.
                        for byte in [4, 11] {
                            let t2 = bdk.working_key(&flip(&ksn, byte), u, t).unwrap();
                            assert_ne!(t2.expose_bytes(), h(value), "{id} {name} tamper");
                        }
                        checked += 2;
                    }
                }
                if let Some(pb) = expected.get("encrypted_pin_block_iso4") {
                    let key = bdk
                        .working_key(&ksn, KeyUsage::PinEncryption, KeyType::Aes128)
                        .unwrap();
                    let pin = h(&inputs["iso4_plain_pin_field"]);
                    let pan = h(&inputs["iso4_pan_field"]);
                    let (_, _, c) = iso4(key.expose_bytes(), &pin, &pan);
                    assert_eq!(c.to_vec(), h(pb), "{id} PIN block");
                    let wrong = bdk
                        .working_key(&ksn, KeyUsage::DataEncrypt, KeyType::Aes128)
                        .unwrap();
                    let (_, _, c2) = iso4(wrong.expose_bytes(), &pin, &pan);
                    assert_ne!(c2.to_vec(), h(pb), "{id} PIN block tamper");
                    checked += 2;
                }
            }
            "update_key" => {
                let bdk = Bdk::from_bytes(&h(&inputs["bdk"])).unwrap();
                let ikid = InitialKeyId::from_slice(&h(&inputs["initial_key_id"])).unwrap();
                for (name, value) in expected.as_object().unwrap() {
                    if name == "derivation_key_FFFFFFFF" {
                        let k = bdk.update_derivation_key(&ikid);
                        assert_eq!(k.ksn().counter(), 0xFFFF_FFFF);
                        assert_eq!(k.expose_key().unwrap().expose_bytes(), h(value), "{id}");
                        // It refuses to derive transaction keys.
                        assert_eq!(
                            k.working_key(KeyUsage::PinEncryption, KeyType::Aes128)
                                .err(),
                            Some(Error::ReservedCounter)
                        );
                        checked += 1;
                        continue;
                    }
                    let t = key_type(name.strip_prefix("update_key/").unwrap());
                    let got = bdk.update_key(&ikid, t).unwrap();
                    assert_eq!(got.expose_bytes(), h(value), "{id} {name}");
                    // From the initial key too.
                    let ik = InitialKey::from_bytes(
                        bdk.initial_key(&ikid).expose_key().unwrap().expose_bytes(),
                        ikid,
                    )
                    .unwrap();
                    assert_eq!(ik.update_key(t).unwrap(), got);
                    // Tamper: another derivation ID.
                    let mut other = ikid.to_bytes();
                    other[4] ^= 0x80;
                    let t2 = bdk.update_key(&InitialKeyId::from_bytes(other), t).unwrap();
                    assert_ne!(t2.expose_bytes(), h(value), "{id} {name} tamper");
                    checked += 2;
                }
            }
            "pin_block_iso4" => {
                let key = h(&inputs["pin_key"]);
                let (a, b, c) = iso4(
                    &key,
                    &h(&inputs["plain_pin_field"]),
                    &h(&inputs["pan_field"]),
                );
                assert_eq!(a.to_vec(), h(&expected["block_A"]), "{id}");
                assert_eq!(b.to_vec(), h(&expected["block_B"]), "{id}");
                assert_eq!(c.to_vec(), h(&expected["encrypted_pin_block"]), "{id}");
                let mut pan = h(&inputs["pan_field"]);
                pan[15] ^= 1;
                let (_, _, c2) = iso4(&key, &h(&inputs["plain_pin_field"]), &pan);
                assert_ne!(
                    c2.to_vec(),
                    h(&expected["encrypted_pin_block"]),
                    "{id} tamper"
                );
                checked += 2;
            }
            other => panic!("{id}: unknown kind {other}"),
        }
    }
    assert_eq!(entries, 40);
    println!("{entries} AES vector entries, {checked} checks (positive + tamper)");
}

/// The originating device reproduces the published intermediate and working keys for
/// counters 1–8 (AES-128 and AES-256 BDKs).
#[test]
fn originator_matches_published_first_counters() {
    let data = data();
    for bdk_hex in [
        "FEDCBA9876543210F1F1F1F1F1F1F1F1",
        "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1",
    ] {
        let bdk = Bdk::from_bytes(&hex::decode(bdk_hex).unwrap()).unwrap();
        let ikid = InitialKeyId::from_hex("1234567890123456").unwrap();
        let mut device = Originator::load(bdk.initial_key(&ikid)).unwrap();
        for counter in 1..=8u32 {
            let ksn = device.current_ksn().unwrap();
            assert_eq!(ksn.counter(), counter);
            let v = data["vectors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| {
                    v["inputs"]["bdk"] == bdk_hex
                        && v["inputs"]["ksn"] == format!("{ksn}")
                        && v["expected"].get("derivation_key").is_some()
                })
                .unwrap();
            assert_eq!(
                device
                    .intermediate_key()
                    .unwrap()
                    .expose_key()
                    .unwrap()
                    .expose_bytes(),
                h(&v["expected"]["derivation_key"])
            );
            for (name, value) in v["expected"]["working_keys"].as_object().unwrap() {
                let (u, t) = name.split_once('/').unwrap();
                let k = device.working_key(usage(u), key_type(t)).unwrap();
                assert_eq!(k.expose_bytes(), h(value), "{ksn} {name}");
            }
            device.advance().unwrap();
        }
    }
}
