//! Runs `tests/data/mac-own.json`: MACs and KCVs computed independently by
//! `tests/data/gen_own_vectors.py` (pycryptodome + a Python re-implementation of ISO/IEC
//! 9797-1), plus the published X9.143 and TR-34 token KCVs. Every positive vector also gets a
//! tamper case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_mac::{
    Error, KeyAlgorithm, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, TdesKey, generate,
    verify, verify_mac,
};
use paycrypt_mac::{HashFunction, HmacKey, hmac};
use paycrypt_mac::{KcvMethod, check_kcv, hmac_kcv, kcv};
use paycrypt_mac::{iso16609, pboc, x9_19};
use paycrypt_mac::{mac_algorithm_1, mac_algorithm_3, mac_algorithm_3_three_key_nonstandard};
use paycrypt_test_support::{Vector, load_file};

/// `mac-own.json`: MAC vectors and, beside them, KCV vectors.
#[derive(serde::Deserialize)]
struct OwnFile {
    vectors: Vec<Vector>,
    kcv: Vec<Vector>,
}

fn load() -> OwnFile {
    let f: OwnFile = load_file("retail-mac/tests/data/mac-own.json");
    assert!(
        !f.vectors.is_empty() && !f.kcv.is_empty(),
        "mac-own.json: no vectors"
    );
    f
}

fn key_alg(cipher: &str) -> KeyAlgorithm {
    match cipher {
        "DES" => KeyAlgorithm::Des,
        "TDES-2KEY" => KeyAlgorithm::Tdes2,
        "TDES-3KEY" => KeyAlgorithm::Tdes3,
        "AES-128" => KeyAlgorithm::Aes128,
        "AES-192" => KeyAlgorithm::Aes192,
        "AES-256" => KeyAlgorithm::Aes256,
        other => panic!("cipher {other}"),
    }
}

fn hash(name: &str) -> HashFunction {
    match name {
        "SHA1" => HashFunction::Sha1,
        "SHA224" => HashFunction::Sha224,
        "SHA256" => HashFunction::Sha256,
        "SHA384" => HashFunction::Sha384,
        "SHA512" => HashFunction::Sha512,
        other => panic!("hash {other}"),
    }
}

fn padding(v: &Vector) -> Padding {
    Padding::from_number(u8::try_from(v.u64("padding")).unwrap()).unwrap()
}

fn tamper(mut t: Vec<u8>) -> Vec<u8> {
    let last = t.len() - 1;
    t[last] ^= 0x01;
    t
}

#[test]
fn own_mac_vectors() {
    let json = load();
    let vectors = &json.vectors;
    assert_eq!(vectors.len(), 224);
    for v in vectors {
        let id = v.id.as_str();
        let key = v.hex("key");
        let data = v.hex("data_hex");
        let mac = v.hex("mac");
        let iv = v.opt_hex("iv");
        let iv = iv.as_deref();
        let algorithm = v.str("algorithm");
        // The specific functions.
        let (tag, unified) = match algorithm {
            "ISO9797_1_ALG1" => {
                let k = SymmetricKey::new(key_alg(v.str("cipher")), &key).unwrap();
                let p = padding(v);
                let t = mac_algorithm_1(&k, p, iv, &data).unwrap();
                (t, Some((k, MacAlgorithm::Iso9797Algorithm1 { padding: p })))
            }
            "ISO9797_1_ALG3" => {
                let t = TdesKey::from_bytes(&key).unwrap();
                let p = padding(v);
                let tag = mac_algorithm_3(&t, p, iv, &data).unwrap();
                let k = SymmetricKey::Tdes(t);
                (
                    tag,
                    Some((k, MacAlgorithm::Iso9797Algorithm3 { padding: p })),
                )
            }
            "ISO9797_1_ALG3_3KEY_NONSTANDARD" => {
                let t = TdesKey::from_bytes(&key).unwrap();
                let p = padding(v);
                let tag = mac_algorithm_3_three_key_nonstandard(&t, p, iv, &data).unwrap();
                // The ISO function refuses the 24-byte key.
                assert!(matches!(
                    mac_algorithm_3(&t, p, iv, &data),
                    Err(Error::UnsupportedKey { .. })
                ));
                let k = SymmetricKey::Tdes(t);
                let alg = MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { padding: p };
                (tag, Some((k, alg)))
            }
            "X9_19" => (
                x9_19(&TdesKey::from_bytes(&key).unwrap(), &data).unwrap(),
                None,
            ),
            "PBOC" => {
                let k = SymmetricKey::new(key_alg(v.str("cipher")), &key).unwrap();
                (pboc(&k, iv, &data).unwrap(), None)
            }
            "ISO16609" => {
                let t = TdesKey::from_bytes(&key).unwrap();
                (iso16609(&t, padding(v), &data).unwrap(), None)
            }
            "CMAC" => {
                let k = SymmetricKey::new(key_alg(v.str("cipher")), &key).unwrap();
                let t = paycrypt_mac::cmac(&k, &data).unwrap();
                (t, Some((k, MacAlgorithm::Cmac)))
            }
            h if h.starts_with("HMAC_") => {
                let hk = HmacKey::from_bytes(&key).unwrap();
                let hf = hash(&h[5..]);
                let t = hmac(&hk, hf, &data);
                assert_eq!(t.len(), hf.output_len());
                let p = MacParams::new(MacAlgorithm::Hmac(hf));
                assert_eq!(
                    generate(MacKey::Hmac(&hk), &p, &data).unwrap().as_bytes(),
                    &mac[..]
                );
                assert_eq!(
                    verify_mac(MacKey::Hmac(&hk), &p, &data, &tamper(mac.clone())),
                    Err(Error::Verification)
                );
                (t, None)
            }
            other => panic!("{other}"),
        };
        assert_eq!(tag.as_bytes(), &mac[..], "{id}");
        verify(&mac, &tag).unwrap();
        assert_eq!(
            verify(&tamper(mac.clone()), &tag),
            Err(Error::Verification),
            "{id}"
        );
        if let Some((k, alg)) = unified {
            let mut p = MacParams::new(alg);
            if let Some(iv) = iv {
                p = p.with_iv(iv);
            }
            assert_eq!(
                generate(MacKey::Symmetric(&k), &p, &data)
                    .unwrap()
                    .as_bytes(),
                &mac[..]
            );
            verify_mac(MacKey::Symmetric(&k), &p, &data, &mac).unwrap();
            assert_eq!(
                verify_mac(MacKey::Symmetric(&k), &p, &data, &tamper(mac.clone())),
                Err(Error::Verification),
                "{id}"
            );
            let mut more = data.clone();
            more.push(0xFF);
            assert_eq!(
                verify_mac(MacKey::Symmetric(&k), &p, &more, &mac),
                Err(Error::Verification),
                "{id}"
            );
        }
    }
}

#[test]
fn own_kcv_vectors() {
    let json = load();
    let kcvs = &json.kcv;
    assert_eq!(kcvs.len(), 39);
    for v in kcvs {
        let id = v.id.as_str();
        let key = v.hex("key");
        let expected = v.hex("kcv");
        let len = usize::try_from(v.u64("len")).unwrap();
        let got = match v.str("method") {
            "hmac" => {
                let hk = HmacKey::from_bytes(&key).unwrap();
                hmac_kcv(&hk, hash(v.str("hash")), len).unwrap()
            }
            m => {
                let method = if m == "legacy" {
                    KcvMethod::Legacy
                } else {
                    KcvMethod::Cmac
                };
                let k = SymmetricKey::new(key_alg(v.str("cipher")), &key).unwrap();
                check_kcv(&k, method, &expected).unwrap();
                assert_eq!(
                    check_kcv(&k, method, &tamper(expected.clone())),
                    Err(Error::KcvMismatch),
                    "{id}"
                );
                kcv(&k, method, len).unwrap()
            }
        };
        assert_eq!(got.as_bytes(), &expected[..], "{id}");
        assert_eq!(got.to_string(), v.str("kcv"), "{id}");
    }
}
