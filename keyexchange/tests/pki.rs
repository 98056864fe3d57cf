//! Certificate and key loading in PEM, DER and base64 of PEM (AWS), chain checks, and the
//! refusals (unsupported curve, encrypted key, wrong kind, garbage, size limit).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::pki::{self, Certificate, Form, PrivateKey, PublicKey};
use paycrypt_kex::{Curve, Error, RsaPrivateKey};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn three_forms_give_one_key() {
    for stem in [
        "kdh-p256", "kdh-p384", "kdh-p521", "krd-p256", "rsa2048", "rsa3072", "ecc-ca",
    ] {
        let pem = PublicKey::from_input(&data(&format!("{stem}.cert.pem"))).unwrap();
        let der = PublicKey::from_input(&data(&format!("{stem}.cert.der"))).unwrap();
        let b64 = PublicKey::from_input(&data(&format!("{stem}.cert.b64"))).unwrap();
        assert_eq!(pem, der);
        assert_eq!(pem, b64);
        assert_eq!(
            pki::form(&data(&format!("{stem}.cert.pem"))).unwrap(),
            Form::Pem
        );
        assert_eq!(
            pki::form(&data(&format!("{stem}.cert.der"))).unwrap(),
            Form::Der
        );
        assert_eq!(
            pki::form(&data(&format!("{stem}.cert.b64"))).unwrap(),
            Form::Base64Pem
        );
    }
}

#[test]
fn private_keys_match_certificates() {
    for (stem, curve) in [
        ("kdh-p256", Curve::P256),
        ("krd-p384", Curve::P384),
        ("kdh-p521", Curve::P521),
    ] {
        let cert = PublicKey::from_input(&data(&format!("{stem}.cert.pem")))
            .unwrap()
            .into_ec()
            .unwrap();
        let spki = PublicKey::from_input(&data(&format!("{stem}.spki.pem")))
            .unwrap()
            .into_ec()
            .unwrap();
        assert_eq!(cert, spki);
        assert_eq!(cert.curve(), curve);
        for file in ["key.pem", "key.der", "sec1.pem"] {
            let k = PrivateKey::from_input(&data(&format!("{stem}.{file}")))
                .unwrap()
                .into_ec()
                .unwrap();
            assert_eq!(k.public_key(), cert, "{stem}.{file}");
        }
        // base64 of a PEM private key (AWS style) too.
        use base64ct::Encoding;
        let b64 = base64ct::Base64::encode_string(&data(&format!("{stem}.key.pem")));
        let k = PrivateKey::from_input(b64.as_bytes())
            .unwrap()
            .into_ec()
            .unwrap();
        assert_eq!(k.public_key(), cert);
    }
    for stem in ["rsa2048", "rsa3072"] {
        let cert = PublicKey::from_input(&data(&format!("{stem}.cert.b64")))
            .unwrap()
            .into_rsa()
            .unwrap();
        for file in ["key.pem", "key.der", "pkcs1.pem"] {
            let k = RsaPrivateKey::from_input(&data(&format!("{stem}.{file}"))).unwrap();
            assert_eq!(k.public_key(), cert, "{stem}.{file}");
        }
    }
}

#[test]
fn chain() {
    let ca = Certificate::from_input(&data("ecc-ca.cert.b64")).unwrap();
    ca.verify_issued_by(&ca).unwrap();
    for stem in ["kdh-p256", "krd-p521", "rsa2048"] {
        let leaf = Certificate::from_input(&data(&format!("{stem}.cert.der"))).unwrap();
        leaf.verify_issued_by(&ca).unwrap();
        assert!(leaf.is_valid_at(core::time::Duration::from_secs(1_800_000_000)));
        assert!(!leaf.is_valid_at(core::time::Duration::from_secs(1_700_000_000)));
        // A leaf is no CA.
        assert!(matches!(
            ca.verify_issued_by(&leaf),
            Err(Error::CertificateRejected { .. })
        ));
    }
    let ecdh_leaf = Certificate::from_input(&data("kdh-p256.cert.pem")).unwrap();
    assert!(ecdh_leaf.allows(pki::KEY_USAGE_KEY_AGREEMENT));
    assert!(!ecdh_leaf.allows(pki::KEY_USAGE_KEY_ENCIPHERMENT));
    let rsa_leaf = Certificate::from_input(&data("rsa3072.cert.pem")).unwrap();
    assert!(rsa_leaf.allows(pki::KEY_USAGE_KEY_ENCIPHERMENT));
    // A tampered signature is refused with the rule.
    let mut der = data("kdh-p384.cert.der");
    let n = der.len();
    der[n - 5] ^= 1;
    let bad = Certificate::from_der(&der).unwrap();
    assert_eq!(
        bad.verify_issued_by(&ca),
        Err(Error::CertificateRejected {
            reason: "certificate signature does not verify"
        })
    );
    // A PEM bundle (chain) in base64.
    let mut bundle = data("kdh-p256.cert.pem");
    bundle.extend_from_slice(&data("ecc-ca.cert.pem"));
    use base64ct::Encoding;
    let b64 = base64ct::Base64::encode_string(&bundle);
    let chain = Certificate::chain_from_input(b64.as_bytes()).unwrap();
    assert_eq!(chain.len(), 2);
    chain[0].verify_issued_by(&chain[1]).unwrap();
}

#[test]
fn refusals() {
    assert_eq!(
        PublicKey::from_input(&data("secp256k1.cert.pem")),
        Err(Error::UnsupportedCurve)
    );
    assert_eq!(
        PrivateKey::from_input(&data("secp256k1.key.pem")).unwrap_err(),
        Error::UnsupportedCurve
    );
    assert!(matches!(
        PrivateKey::from_input(&data("encrypted.key.pem")),
        Err(Error::Encoding { .. })
    ));
    assert_eq!(
        PublicKey::from_input(&data("rsa2048.cert.pem"))
            .unwrap()
            .into_ec(),
        Err(Error::WrongKeyKind { expected: "EC" })
    );
    assert_eq!(
        PrivateKey::from_input(&data("kdh-p256.key.pem"))
            .unwrap()
            .into_ec()
            .map(|_| ()),
        Ok(())
    );
    assert_eq!(
        RsaPrivateKey::from_input(&data("kdh-p256.key.pem")).unwrap_err(),
        Error::WrongKeyKind { expected: "RSA" }
    );
    assert_eq!(
        PublicKey::from_input(&data("rsa1024.spki.pem")),
        Err(Error::RsaKeyTooSmall)
    );
    assert_eq!(
        PrivateKey::from_input(&data("rsa1024.key.pem")).unwrap_err(),
        Error::RsaKeyTooSmall
    );
    for garbage in [
        &b"hello world"[..],
        b"-----BEGIN CERTIFICATE-----\nAAA\n",
        b"\x30\x03\x02\x01",
        b"aGVsbG8=",
    ] {
        assert!(
            matches!(PublicKey::from_input(garbage), Err(Error::Encoding { .. })),
            "{garbage:?}"
        );
    }
    assert!(matches!(
        PublicKey::from_input(b""),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        PublicKey::from_input(&vec![b'A'; pki::MAX_INPUT + 1]),
        Err(Error::Length { .. })
    ));
    // A certificate where a key is expected and vice versa.
    assert!(matches!(
        PrivateKey::from_input(&data("kdh-p256.cert.pem")),
        Err(Error::Encoding { .. })
    ));
    assert!(matches!(
        PublicKey::from_input(&data("kdh-p256.key.pem")),
        Err(Error::Encoding { .. })
    ));
}
