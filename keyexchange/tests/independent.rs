//! Runner for `tests/data/independent.json`, made by `gen_independent.py` with pyca/cryptography
//! (an independent implementation): KW/KWP, ECDH Z with both sides, concat and X9.63 KDFs, the
//! KBPK derivation with the strength rule, and RSA-OAEP SHA-256/512 cryptograms.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::ecdh::{self, Derivation, EcPrivateKey, EcPublicKey};
use paycrypt_kex::kdf::{self, Hash, Kdf};
use paycrypt_kex::policy::{KeyType, SecurityStrength};
use paycrypt_kex::rsawrap::{self, OaepScheme};
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_kex::{Curve, Error, RsaPrivateKey};
use paycrypt_primitives::hex::decode;
use serde_json::Value;

fn doc() -> Value {
    paycrypt_test_support::load_file("keyexchange/tests/data/independent.json")
}

fn hx(v: &Value, k: &str) -> Vec<u8> {
    decode(v[k].as_str().unwrap()).unwrap()
}

fn key_type(name: &str) -> KeyType {
    *KeyType::ALL.iter().find(|t| t.name() == name).unwrap()
}

#[test]
fn implementation_is_named() {
    assert!(
        doc()["implementation"]
            .as_str()
            .unwrap()
            .starts_with("pyca/cryptography ")
    );
}

#[test]
fn keywrap() {
    let d = doc();
    let all = d["keywrap"].as_array().unwrap();
    for v in all {
        let kek = Kek::new(
            Algorithm::from_name(v["algorithm"].as_str().unwrap()).unwrap(),
            &hx(v, "kek"),
        )
        .unwrap();
        let (key, wrapped) = (hx(v, "key"), hx(v, "wrapped"));
        assert_eq!(wrap::wrap(&kek, &key).unwrap(), wrapped);
        assert_eq!(&*wrap::unwrap(&kek, &wrapped).unwrap(), &key[..]);
        let mut t = wrapped.clone();
        *t.last_mut().unwrap() ^= 0x80;
        assert_eq!(
            wrap::unwrap(&kek, &t).unwrap_err(),
            Error::IntegrityCheckFailed
        );
    }
    assert_eq!(all.len(), 45);
}

#[test]
fn ecdh_both_sides_and_kdfs() {
    let d = doc();
    let all = d["ecdh"].as_array().unwrap();
    let (mut derived, mut refused) = (0, 0);
    for v in all {
        let curve = match v["curve"].as_str().unwrap() {
            "P-256" => Curve::P256,
            "P-384" => Curve::P384,
            _ => Curve::P521,
        };
        let hash = match v["hash"].as_str().unwrap() {
            "sha256" => Hash::Sha256,
            "sha384" => Hash::Sha384,
            _ => Hash::Sha512,
        };
        let a = EcPrivateKey::from_scalar(curve, &hx(v, "d_a")).unwrap();
        let b = EcPrivateKey::from_scalar(curve, &hx(v, "d_b")).unwrap();
        let qa = EcPublicKey::from_affine(curve, &hx(v, "qx_a"), &hx(v, "qy_a")).unwrap();
        let qb = EcPublicKey::from_affine(curve, &hx(v, "qx_b"), &hx(v, "qy_b")).unwrap();
        assert_eq!(a.public_key(), qa);
        assert_eq!(b.public_key(), qb);
        let z = hx(v, "z");
        assert_eq!(ecdh::shared_secret(&a, &qb).unwrap().expose_bytes(), &z[..]);
        assert_eq!(ecdh::shared_secret(&b, &qa).unwrap().expose_bytes(), &z[..]);
        let info = hx(v, "shared_info");
        let kt = key_type(v["kbpk_type"].as_str().unwrap());
        for (kdf, field) in [(Kdf::Concat, "concat"), (Kdf::X963, "x963")] {
            let want = hx(v, field);
            let mut out = vec![0u8; kt.len()];
            kdf::derive(kdf, hash, &z, &info, &mut out).unwrap();
            assert_eq!(out, want);
            let der = Derivation {
                kdf,
                hash,
                shared_info: &info,
                kbpk_type: kt,
            };
            if curve.strength() >= kt.strength() {
                let ka = ecdh::derive_kbpk(&a, &qb, &der).unwrap();
                let kb = ecdh::derive_kbpk(&b, &qa, &der).unwrap();
                assert_eq!(ka.expose_bytes(), &want[..]);
                assert_eq!(kb.expose_bytes(), &want[..]);
                derived += 1;
            } else {
                assert_eq!(
                    ecdh::derive_kbpk(&a, &qb, &der).unwrap_err(),
                    Error::CurveWeakerThanKey
                );
                refused += 1;
            }
        }
    }
    assert_eq!(all.len(), 12);
    assert!(derived >= 20 && refused >= 2, "{derived} {refused}");
}

#[test]
fn rsa_oaep_cryptograms() {
    let d = doc();
    let all = d["rsa_oaep"].as_array().unwrap();
    for v in all {
        let path = v["private_key"].as_str().unwrap();
        let pem =
            std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let key = RsaPrivateKey::from_input(&pem).unwrap();
        let scheme = if v["scheme"] == "oaep-sha256" {
            OaepScheme::Sha256
        } else {
            OaepScheme::Sha512
        };
        let kt = key_type(v["key_type"].as_str().unwrap());
        let ct = hx(v, "cryptogram");
        assert_eq!(
            &*rsawrap::unwrap(&key, scheme, kt, &ct).unwrap(),
            &hx(v, "key")[..]
        );
        // Tamper: a flipped byte, the other hash, the wrong key type: one opaque error.
        let mut t = ct.clone();
        t[10] ^= 1;
        assert_eq!(
            rsawrap::unwrap(&key, scheme, kt, &t).unwrap_err(),
            Error::CryptogramDoesNotDecrypt
        );
        let other = if scheme == OaepScheme::Sha256 {
            OaepScheme::Sha512
        } else {
            OaepScheme::Sha256
        };
        assert_eq!(
            rsawrap::unwrap(&key, other, kt, &ct).unwrap_err(),
            Error::CryptogramDoesNotDecrypt
        );
        let wrong = if kt.len() == 16 {
            KeyType::Tdes3
        } else {
            KeyType::Tdes2
        };
        assert_eq!(
            rsawrap::unwrap(&key, scheme, wrong, &ct).unwrap_err(),
            Error::CryptogramDoesNotDecrypt
        );
    }
    assert_eq!(all.len(), 4);
}
