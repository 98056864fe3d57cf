//! Shared test helpers: the project test PKI.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::time::Duration;
use paycrypt_tr34::{Certificate, Crl, SoftwareRsaKey};
use std::path::PathBuf;

pub fn data(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn cert(name: &str) -> Certificate {
    Certificate::from_pem_or_der(&data(&format!("test-pki/certs/{name}.cert.pem"))).unwrap()
}

pub fn key(name: &str) -> SoftwareRsaKey {
    SoftwareRsaKey::from_pkcs8_pem_or_der(&data(&format!("test-pki/keys/{name}.key.pem"))).unwrap()
}

pub fn crl() -> Crl {
    Crl::from_pem_or_der(&data("test-pki/certs/ca_kdh.crl.pem")).unwrap()
}

pub fn hex(s: &str) -> Vec<u8> {
    paycrypt_primitives::hex::decode(s).unwrap()
}

/// 2030-01-01, inside the test PKI validity.
pub const AT: Duration = Duration::from_secs(1_893_456_000);

pub fn vectors() -> serde_json::Value {
    serde_json::from_slice(&data("tokens/vectors.json")).unwrap()
}

/// The shared (not committed) vectors directory, if present.
pub fn shared(rel: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors/tr34")
        .join(rel);
    let p = if p.exists() {
        p
    } else {
        PathBuf::from("/work/shared/vectors/tr34").join(rel)
    };
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            println!("SKIP: {} not present", p.display());
            None
        }
    }
}
