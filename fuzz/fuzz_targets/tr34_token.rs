//! Fuzzes TR-34 token parsing: key tokens (DER and hex), RT-KRD, credential and bind tokens,
//! certificates, CRLs, KeyBlocks and the post-decryption path (CBC, unpadding, KeyBlock). Parsing must never panic; a token that parses must report
//! a consistent layout and a signature check against a fixed certificate must end in success or
//! the one opaque error.
#![no_main]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use libfuzzer_sys::fuzz_target;
use paycrypt_tr34::{
    BindToken, Certificate, CredentialToken, Crl, EnvelopeContent, ErrorClass, HeaderForm, KdhTrust, KeyToken, Pass, RandomNumberToken, hazmat,
};
use std::sync::OnceLock;

static KDH: OnceLock<Certificate> = OnceLock::new();

fn kdh() -> &'static Certificate {
    KDH.get_or_init(|| {
        Certificate::from_pem_or_der(include_bytes!("../../tr34/tests/data/test-pki/certs/kdh_1.cert.pem")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    match KeyToken::from_der_or_hex(data) {
        Ok(t) => {
            let layout = *t.layout();
            assert!(layout.layout().is_none() || layout.version == 1);
            assert!(!t.header_bytes().is_empty());
            let trust = KdhTrust { kdh_certificate: kdh(), anchors: &[], crls: &[], at: core::time::Duration::from_secs(1_893_456_000) };
            let fresh = match t.pass_mode() {
                Pass::TwoPass { nonce } => Pass::TwoPass { nonce },
                _ => Pass::OnePass { signing_time: None },
            };
            // Only the seed tokens carry a valid signature by the test KDH; any outcome must be
            // one of the two documented errors or success.
            match t.verify(&trust, fresh) {
                Ok(()) => assert_eq!(t.signer_id(), kdh().issuer_and_serial().as_der()),
                Err(e) => assert_eq!(e, paycrypt_tr34::Error::Rejected),
            }
        }
        Err(e) => assert!(e.class() == ErrorClass::Malformed),
    }
    if let Ok(rt) = RandomNumberToken::from_der(data) {
        assert_eq!(rt.to_der(), data);
    }
    if let Ok(ct) = CredentialToken::from_der(data, true) {
        assert!(!ct.certificates().is_empty());
    }
    if let Ok(b) = BindToken::from_der(data) {
        let _ = b.verify(kdh());
    }
    if let Ok(c) = Certificate::from_der(data) {
        assert_eq!(c.as_der(), data);
    }
    if let Ok(c) = Crl::from_der(data) {
        assert_eq!(c.as_der(), data);
    }
    // The post-decryption path: CBC, PKCS #7 unpadding and KeyBlock parsing under a fixed key.
    for (alg, key, iv) in [
        (paycrypt_tr34::ContentAlgorithm::DesEde3Cbc, &[0x11u8; 24][..], &[0u8; 8][..]),
        (paycrypt_tr34::ContentAlgorithm::Aes128Cbc, &[0x22u8; 16][..], &[0u8; 16][..]),
    ] {
        match hazmat::decrypt_key_block(key, alg, iv, data, hazmat::DecryptOptions::lenient()) {
            Ok(kb) => assert!(kb.expose_clear_key().len() < data.len()),
            Err(e) => assert_eq!(e, paycrypt_tr34::Error::Rejected),
        }
    }
    if let Ok(kb) = EnvelopeContent::from_der(data, HeaderForm::Lenient) {
        assert!(!kb.header_bytes().is_empty() || kb.expose_clear_key().len() < data.len());
    }
});
