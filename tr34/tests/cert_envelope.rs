//! The `SIGNED{}` envelope of certificates and CRLs (RFC 5280 §4.1, §5.1): every way the outer
//! SEQUENCE can be wrong is a parse error naming the field, and a well-formed envelope with a
//! wrong signature parses but does not verify.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::*;
use paycrypt_tr34::{Certificate, Crl, Error};

/// The outer SEQUENCE's fields `(tbs, signatureAlgorithm, signatureValue)` of a DER document.
fn envelope(der: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let outer = split_tlvs(der);
    assert_eq!(outer.len(), 1);
    let fields = split_tlvs(&outer[0].1);
    assert_eq!(fields.len(), 3);
    fields
}

/// Re-encodes the outer SEQUENCE from `fields`.
fn seal(fields: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let body: Vec<u8> = fields.iter().flat_map(|(t, c)| tlv(*t, c)).collect();
    tlv(0x30, &body)
}

/// sha384WithRSAEncryption, NULL parameters: a valid AlgorithmIdentifier that is not the one
/// the test PKI signs with.
fn other_alg() -> Vec<u8> {
    let oid = hex("2a864886f70d01010c");
    [tlv(0x06, &oid), tlv(0x05, &[])].concat()
}

fn malformed_what(e: &Error) -> &'static str {
    match e {
        Error::Malformed { what, .. } => what,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

fn cert_der() -> Vec<u8> {
    cert("kdh_1").as_der().to_vec()
}

fn crl_der() -> Vec<u8> {
    crl().as_der().to_vec()
}

#[test]
fn reassembled_envelope_is_the_same_document() {
    let der = cert_der();
    assert_eq!(seal(&envelope(&der)), der);
    let c = Certificate::from_der(&der).unwrap();
    c.verify_issued_by(&cert("ca_kdh")).unwrap();
    let der = crl_der();
    assert_eq!(seal(&envelope(&der)), der);
    Crl::from_der(&der).unwrap();
}

#[test]
fn certificate_outer_algorithm_must_equal_the_signed_one() {
    let mut f = envelope(&cert_der());
    f[1].1 = other_alg();
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate signatureAlgorithm");
}

#[test]
fn crl_outer_algorithm_must_equal_the_signed_one() {
    let mut f = envelope(&crl_der());
    f[1].1 = other_alg();
    let e = Crl::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "CRL signatureAlgorithm");
}

#[test]
fn signature_with_unused_bits_is_malformed() {
    let mut f = envelope(&cert_der());
    f[2].1[0] = 1;
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate signatureValue");
    let mut f = envelope(&crl_der());
    f[2].1[0] = 1;
    let e = Crl::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "CRL signatureValue");
}

#[test]
fn empty_signature_bit_string_is_malformed() {
    let mut f = envelope(&cert_der());
    f[2].1.clear();
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate signatureValue");
}

#[test]
fn signature_as_octet_string_is_malformed() {
    let mut f = envelope(&cert_der());
    f[2].0 = 0x04;
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate signatureValue");
}

#[test]
fn field_after_the_signature_is_malformed() {
    let mut f = envelope(&cert_der());
    f.push((0x05, Vec::new()));
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate");
    let mut f = envelope(&crl_der());
    f.push((0x05, Vec::new()));
    let e = Crl::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "CRL");
}

#[test]
fn missing_signature_is_malformed() {
    let mut f = envelope(&cert_der());
    f.pop();
    let e = Certificate::from_der(&seal(&f)).unwrap_err();
    assert_eq!(malformed_what(&e), "certificate signatureValue");
}

#[test]
fn altered_signature_parses_but_does_not_verify() {
    let mut f = envelope(&cert_der());
    let last = f[2].1.len() - 1;
    f[2].1[last] ^= 1;
    let c = Certificate::from_der(&seal(&f)).unwrap();
    assert!(matches!(
        c.verify_issued_by(&cert("ca_kdh")),
        Err(Error::Rejected)
    ));
    let mut f = envelope(&crl_der());
    let last = f[2].1.len() - 1;
    f[2].1[last] ^= 1;
    let crl = Crl::from_der(&seal(&f)).unwrap();
    assert!(matches!(
        crl.verify_issued_by(&cert("ca_kdh")),
        Err(Error::Rejected)
    ));
}
