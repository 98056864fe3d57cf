//! Runner for `tests/data/ecdh.json` (NIST CAVP KAS ECC ZZOnly and KDFConcat, CAVP
//! ansx963_2001).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::ecdh::{self, Curve, EcPrivateKey, EcPublicKey};
use paycrypt_kex::kdf::{self, Hash, Kdf};
use paycrypt_primitives::hex::decode;
use serde_json::Value;

fn curve(v: &Value) -> Curve {
    match v["curve"].as_str().unwrap() {
        "P-256" => Curve::P256,
        "P-384" => Curve::P384,
        "P-521" => Curve::P521,
        c => panic!("curve {c}"),
    }
}

fn hash(v: &Value) -> Hash {
    match v["hash"].as_str().unwrap() {
        "sha256" => Hash::Sha256,
        "sha384" => Hash::Sha384,
        "sha512" => Hash::Sha512,
        h => panic!("hash {h}"),
    }
}

fn hx(v: &Value, k: &str) -> Vec<u8> {
    decode(v[k].as_str().unwrap()).unwrap()
}

fn z_of(v: &Value) -> Vec<u8> {
    let c = curve(v);
    let d = EcPrivateKey::from_scalar(c, &hx(v, "private_d")).unwrap();
    let q = EcPublicKey::from_affine(c, &hx(v, "peer_qx"), &hx(v, "peer_qy")).unwrap();
    let z = ecdh::shared_secret(&d, &q).unwrap().expose_bytes().to_vec();
    assert_eq!(z.len(), c.field_len());
    z
}

#[test]
fn ecdh_json() {
    let text = include_str!("data/ecdh.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let (mut zz, mut mism, mut concat, mut x963) = (0, 0, 0, 0);
    for v in doc["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        match (v["kind"].as_str().unwrap(), v["expect"].as_str().unwrap()) {
            ("shared_secret", "ok") => {
                assert_eq!(z_of(v), hx(v, "z"), "{id}");
                zz += 1;
            }
            ("shared_secret", "z_mismatch") => {
                assert_ne!(z_of(v), hx(v, "z"), "{id}");
                mism += 1;
            }
            ("ecdh_concat_kdf", "ok") => {
                let z = z_of(v);
                assert_eq!(z, hx(v, "z"), "{id} Z");
                let want = hx(v, "dkm");
                assert_eq!(want.len() * 8, v["dkm_bits"].as_u64().unwrap() as usize);
                let mut out = vec![0u8; want.len()];
                kdf::derive(Kdf::Concat, hash(v), &z, &hx(v, "other_info"), &mut out).unwrap();
                assert_eq!(out, want, "{id} DKM");
                // Tamper: one flipped bit of OtherInfo changes the DKM.
                let mut info = hx(v, "other_info");
                info[0] ^= 1;
                kdf::derive(Kdf::Concat, hash(v), &z, &info, &mut out).unwrap();
                assert_ne!(out, want);
                concat += 1;
            }
            ("x963_kdf", "ok") => {
                let want = hx(v, "key_data");
                let mut out = vec![0u8; want.len()];
                kdf::derive(
                    Kdf::X963,
                    hash(v),
                    &hx(v, "z"),
                    &hx(v, "shared_info"),
                    &mut out,
                )
                .unwrap();
                assert_eq!(out, want, "{id}");
                x963 += 1;
            }
            (k, e) => panic!("{id}: unknown kind {k} / expect {e}"),
        }
    }
    assert_eq!((zz, mism, concat, x963), (9, 3, 12, 6));
}
