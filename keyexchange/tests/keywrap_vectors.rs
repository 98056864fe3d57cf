//! Runner for `tests/data/keywrap.json` (RFC 3394, RFC 5649, NIST CAVP KW/KWP/TKW samples).
//! Every `ok` unwrap vector is also run tampered: one flipped byte must fail the integrity check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::Error;
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_primitives::hex::decode;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    paycrypt_test_support::load("keyexchange/tests/data/keywrap.json")
}

#[test]
fn keywrap_json() {
    let (mut wraps, mut unwraps, mut fails, mut tampered) = (0, 0, 0, 0);
    for v in vectors() {
        let id = v["id"].as_str().unwrap();
        let alg = Algorithm::from_name(v["algorithm"].as_str().unwrap()).unwrap();
        let kek = Kek::new(alg, &decode(v["kek"].as_str().unwrap()).unwrap()).unwrap();
        let wrapped = decode(v["wrapped"].as_str().unwrap()).unwrap();
        let dir = v["direction"].as_str().unwrap();
        match v["expect"].as_str().unwrap() {
            "ok" => {
                let key = decode(v["key"].as_str().unwrap()).unwrap();
                if dir == "wrap" || dir == "both" {
                    assert_eq!(wrap::wrap(&kek, &key).unwrap(), wrapped, "{id} wrap");
                    wraps += 1;
                }
                if dir == "unwrap" || dir == "both" {
                    assert_eq!(&*wrap::unwrap(&kek, &wrapped).unwrap(), &key[..], "{id}");
                    unwraps += 1;
                }
                // Tamper: flip one bit in every position class (first, middle, last).
                for pos in [0, wrapped.len() / 2, wrapped.len() - 1] {
                    let mut t = wrapped.clone();
                    t[pos] ^= 0x01;
                    assert_eq!(
                        wrap::unwrap(&kek, &t).unwrap_err(),
                        Error::IntegrityCheckFailed,
                        "{id} tampered at {pos}"
                    );
                    tampered += 1;
                }
            }
            "integrity_failure" => {
                assert!(v["key"].is_null());
                assert_eq!(
                    wrap::unwrap(&kek, &wrapped).unwrap_err(),
                    Error::IntegrityCheckFailed,
                    "{id}"
                );
                fails += 1;
            }
            other => panic!("{id}: unknown expect {other}"),
        }
    }
    // 166 vectors: 78 wrap/both, 86 unwrap/both ok, 10 FAIL cases.
    assert_eq!((wraps, unwraps, fails), (78, 86, 10), "vector counts");
    assert!(tampered > 400);
}

/// The same vectors through RustCrypto `aes-kw`'s own unwrap: it agrees with this crate's W⁻¹.
#[test]
fn aes_kw_crate_agrees_on_unwrap() {
    use aes_kw::{KwAes128, KwAes192, KwAes256, KwpAes128, KwpAes192, KwpAes256};
    use cipher::KeyInit;
    let mut n = 0;
    for v in vectors() {
        let alg = v["algorithm"].as_str().unwrap();
        if alg == "tdes-kw" || v["direction"] == "wrap" {
            continue;
        }
        let k = decode(v["kek"].as_str().unwrap()).unwrap();
        let c = decode(v["wrapped"].as_str().unwrap()).unwrap();
        let mut buf = vec![0u8; c.len()];
        let r = match (alg, k.len()) {
            ("aes-kw", 16) => KwAes128::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
            ("aes-kw", 24) => KwAes192::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
            ("aes-kw", _) => KwAes256::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
            (_, 16) => KwpAes128::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
            (_, 24) => KwpAes192::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
            (_, _) => KwpAes256::new_from_slice(&k)
                .unwrap()
                .unwrap_key(&c, &mut buf)
                .map(<[u8]>::to_vec),
        };
        let kek = Kek::new(Algorithm::from_name(alg).unwrap(), &k).unwrap();
        let ours = wrap::unwrap(&kek, &c).map(|z| z.to_vec());
        assert_eq!(r.is_ok(), ours.is_ok(), "{}", v["id"]);
        if let (Ok(a), Ok(b)) = (r, ours) {
            assert_eq!(a, b);
        }
        n += 1;
    }
    assert!(n > 80);
}
