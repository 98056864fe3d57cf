//! Issue 13 item 6: certificates, chains, CRLs and private keys as AWS carries them — base64 of
//! the PEM text — load like PEM and DER (through the shared `paycrypt_kex::pki` loader).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use base64ct::Encoding;
use common::{cert, data};
use paycrypt_tr34::{Certificate, Crl, Error, SoftwareRsaKey};

fn b64(bytes: &[u8]) -> Vec<u8> {
    base64ct::Base64::encode_string(bytes).into_bytes()
}

#[test]
fn base64_of_pem_certificate_chain_crl_and_key() {
    for name in ["root", "ca_kdh", "kdh_1", "krd_1", "krd_2_rsa3072"] {
        let pem = data(&format!("test-pki/certs/{name}.cert.pem"));
        let from_b64 = Certificate::from_pem_or_der(&b64(&pem)).unwrap();
        assert_eq!(from_b64, cert(name));
        // With a trailing newline and wrapped at 76 columns, as some tools print it.
        let mut wrapped: Vec<u8> = b64(&pem)
            .chunks(76)
            .flat_map(|c| c.iter().copied().chain(*b"\n"))
            .collect();
        wrapped.extend_from_slice(b"\n");
        assert_eq!(Certificate::from_pem_or_der(&wrapped).unwrap(), cert(name));
        // DER still works.
        assert_eq!(
            Certificate::from_pem_or_der(cert(name).as_der()).unwrap(),
            cert(name)
        );
    }
    let mut chain = data("test-pki/certs/kdh_1.cert.pem");
    chain.extend(data("test-pki/certs/ca_kdh.cert.pem"));
    chain.extend(data("test-pki/certs/root.cert.pem"));
    let certs = Certificate::from_pem_bundle(&b64(&chain)).unwrap();
    assert_eq!(certs, vec![cert("kdh_1"), cert("ca_kdh"), cert("root")]);
    let crl = data("test-pki/certs/ca_kdh.crl.pem");
    assert_eq!(
        Crl::from_pem_or_der(&b64(&crl)).unwrap(),
        Crl::from_pem_or_der(&crl).unwrap()
    );
    let key = data("test-pki/keys/krd_1.key.pem");
    let k = SoftwareRsaKey::from_pkcs8_pem_or_der(&b64(&key)).unwrap();
    use paycrypt_tr34::RsaPrivateKeyOps;
    assert_eq!(k.public_key(), *cert("krd_1").public_key());
}

#[test]
fn base64_of_something_else_is_refused() {
    // Base64 of DER (not of PEM) and base64 of text: the form is not guessed.
    assert_eq!(
        Certificate::from_pem_or_der(&b64(cert("root").as_der())).unwrap_err(),
        Error::Pem
    );
    assert_eq!(
        Certificate::from_pem_or_der(&b64(b"hello")).unwrap_err(),
        Error::Pem
    );
    assert_eq!(
        SoftwareRsaKey::from_pkcs8_pem_or_der(&b64(b"hello")).unwrap_err(),
        Error::Pem
    );
}
