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
use paycrypt_test_support::{MacVector, load, vector_test};

const MAC_JSON: &str = "retail-mac/tests/data/mac.json";

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

fn setup(v: &MacVector) -> (Key, MacAlgorithm) {
    let key = v.key.to_vec();
    let padding = v.padding.map(|n| Padding::from_number(n).unwrap());
    let cipher = v.cipher.as_deref().unwrap_or("");
    let sym = |alg| Key::Sym(SymmetricKey::new(alg, &key).unwrap());
    match v.algorithm.as_str() {
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
fn mac_json_counts() {
    let vectors: Vec<MacVector> = load(MAC_JSON);
    assert_eq!(vectors.len(), 57);
    let negative = vectors.iter().filter(|v| v.expect_error.is_some()).count();
    assert_eq!((vectors.len() - negative, negative), (56, 1));
}

vector_test!(mac_json_every_vector, MAC_JSON, |v: MacVector| {
    let id = &v.id;
    let (key, algorithm) = setup(v);
    let params = MacParams::new(algorithm);
    let data = v.data_hex.to_vec();
    if let Some(ascii) = &v.data_ascii {
        assert_eq!(ascii.as_bytes(), &data[..], "{id}: data_ascii");
    }
    let mac = v.mac.to_vec();
    if let Some(err) = &v.expect_error {
        assert_eq!(err, "mac_length");
        let r = verify_mac(key.mac_key(), &params, &data, &mac);
        assert!(matches!(r, Err(Error::MacLength { .. })), "{id}: {r:?}");
        assert!(Tag::from_bytes(&mac).is_err(), "{id}");
        continue;
    }
    let tag = generate(key.mac_key(), &params, &data).unwrap();
    assert_eq!(tag.as_bytes(), &mac[..], "{id}");
    verify_mac(key.mac_key(), &params, &data, &mac).unwrap();
    if let Some(prefix) = &v.published_mac_prefix {
        let prefix = prefix.to_vec();
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
});
