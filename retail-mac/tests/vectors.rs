//! Runs every vector of `tests/data/mac.json` (copied from the project's shared published
//! vectors, each entry with its `source`), plus a tamper case for each positive vector.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::large_enum_variant
)]

use paycrypt_mac::{
    Error, KeyAlgorithm, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, Tag, generate,
    verify, verify_mac,
};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_primitives::hex::decode;
use serde_json::Value;

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["vectors"].as_array().unwrap().clone()
}

fn field(v: &Value, name: &str) -> Vec<u8> {
    decode(v[name].as_str().unwrap()).unwrap()
}

enum Key {
    Sym(SymmetricKey),
    Hmac(HmacKey),
}

impl Key {
    fn mac_key(&self) -> MacKey<'_> {
        match self {
            Self::Sym(k) => MacKey::Symmetric(k),
            Self::Hmac(k) => MacKey::Hmac(k),
        }
    }
}

fn setup(v: &Value) -> (Key, MacAlgorithm) {
    let key = field(v, "key");
    let padding = v["padding"]
        .as_u64()
        .map(|n| Padding::from_number(u8::try_from(n).unwrap()).unwrap());
    let cipher = v["cipher"].as_str().unwrap_or("");
    let sym = |alg| Key::Sym(SymmetricKey::new(alg, &key).unwrap());
    match v["algorithm"].as_str().unwrap() {
        "ISO9797_1_ALG1" => {
            let alg = match cipher {
                "DES" => KeyAlgorithm::Des,
                other => panic!("cipher {other}"),
            };
            (
                sym(alg),
                MacAlgorithm::Iso9797Algorithm1 {
                    padding: padding.unwrap(),
                },
            )
        }
        "ISO9797_1_ALG3" => (
            sym(KeyAlgorithm::Tdes2),
            MacAlgorithm::Iso9797Algorithm3 {
                padding: padding.unwrap(),
            },
        ),
        "CMAC" => {
            let alg = match cipher {
                "AES-128" => KeyAlgorithm::Aes128,
                "AES-192" => KeyAlgorithm::Aes192,
                "AES-256" => KeyAlgorithm::Aes256,
                "TDES-2KEY" => KeyAlgorithm::Tdes2,
                "TDES-3KEY" => KeyAlgorithm::Tdes3,
                other => panic!("cipher {other}"),
            };
            (sym(alg), MacAlgorithm::Cmac)
        }
        "HMAC_SHA256" => (
            Key::Hmac(HmacKey::from_bytes(&key).unwrap()),
            MacAlgorithm::Hmac(HashFunction::Sha256),
        ),
        other => panic!("algorithm {other}"),
    }
}

#[test]
fn mac_json_every_vector() {
    let vectors = load("mac.json");
    assert_eq!(vectors.len(), 57);
    let mut positive = 0;
    let mut negative = 0;
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let (key, algorithm) = setup(v);
        let params = MacParams::new(algorithm);
        let data = field(v, "data_hex");
        if let Some(ascii) = v["data_ascii"].as_str() {
            assert_eq!(ascii.as_bytes(), &data[..], "{id}: data_ascii");
        }
        let mac = field(v, "mac");
        if let Some(err) = v["expect_error"].as_str() {
            assert_eq!(err, "mac_length");
            let r = verify_mac(key.mac_key(), &params, &data, &mac);
            assert!(matches!(r, Err(Error::MacLength { .. })), "{id}: {r:?}");
            assert!(Tag::from_bytes(&mac).is_err(), "{id}");
            negative += 1;
            continue;
        }
        let tag = generate(key.mac_key(), &params, &data).unwrap();
        assert_eq!(tag.as_bytes(), &mac[..], "{id}");
        verify_mac(key.mac_key(), &params, &data, &mac).unwrap();
        if let Some(prefix) = v["published_mac_prefix"].as_str() {
            let prefix = decode(prefix).unwrap();
            let short = tag.truncate(prefix.len()).unwrap();
            assert_eq!(short.as_bytes(), &prefix[..], "{id}: prefix");
            verify(&prefix, &tag).unwrap();
            let p = MacParams::new(algorithm).with_mac_len(prefix.len());
            verify_mac(key.mac_key(), &p, &data, &prefix).unwrap();
        }
        // Streaming at every split point gives the same tag.
        for cut in 0..=data.len() {
            let mut m =
                paycrypt_mac::Mac::new(key.mac_key(), &params, Some(data.len() as u64)).unwrap();
            m.update(&data[..cut]);
            m.update(&data[cut..]);
            assert_eq!(
                m.finalize().unwrap().as_bytes(),
                &mac[..],
                "{id} split {cut}"
            );
        }
        // Tamper cases: one flipped bit in the tag, in the data, or one byte more data.
        let mut bad = mac.clone();
        bad[0] ^= 0x01;
        assert_eq!(
            verify_mac(key.mac_key(), &params, &data, &bad),
            Err(Error::Verification),
            "{id}: tampered tag"
        );
        if !data.is_empty() {
            let mut d = data.clone();
            let last = d.len() - 1;
            d[last] ^= 0x80;
            assert_eq!(
                verify_mac(key.mac_key(), &params, &d, &mac),
                Err(Error::Verification),
                "{id}: tampered data"
            );
        }
        let mut longer = data.clone();
        longer.push(0x01);
        assert_eq!(
            verify_mac(key.mac_key(), &params, &longer, &mac),
            Err(Error::Verification),
            "{id}: extended data"
        );
        positive += 1;
    }
    assert_eq!((positive, negative), (56, 1));
}
