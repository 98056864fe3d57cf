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

/// DER-encodes one TLV (definite length, short or long form).
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 128 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().take_while(|&&x| x == 0).count();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Splits DER contents into its TLVs as `(tag, content)` (test inputs only: no checks).
pub fn split_tlvs(mut der: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while let [tag, first, rest @ ..] = der {
        let (len, rest) = if first & 0x80 == 0 {
            (usize::from(*first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            let len = rest[..n]
                .iter()
                .fold(0usize, |a, &b| a << 8 | usize::from(b));
            (len, &rest[n..])
        };
        out.push((*tag, rest[..len].to_vec()));
        der = &rest[len..];
    }
    out
}

pub fn hex(s: &str) -> Vec<u8> {
    paycrypt_primitives::hex::decode(s).unwrap()
}

/// 2030-01-01, inside the test PKI validity.
pub const AT: Duration = Duration::from_secs(1_893_456_000);

pub fn vectors() -> serde_json::Value {
    serde_json::from_slice(&data("tokens/vectors.json")).unwrap()
}

/// A committed third-party vector (`tests/data/annex-b/`, `tests/data/futurex-dspread/`; see
/// `tests/data/SOURCE.md`). Missing data fails the test: there is no skip.
pub fn shared(rel: &str) -> Option<Vec<u8>> {
    Some(data(rel))
}
