//! The ECDSA-signed ECDH key package (`paycrypt_kex::signed`): packages made by pyca/cryptography
//! and psec (`tests/data/signed.json`, `gen_signed.py`) open in paycrypt, paycrypt's packages
//! round-trip (proptest), every tampered byte of signature or content gives the one opaque
//! error, and the algorithm, trust and freshness rules refuse what they must.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::time::Duration;
use paycrypt_kex::ecdh::Derivation;
use paycrypt_kex::pki::Certificate;
use paycrypt_kex::signed::{
    self, EcSigningKey, Freshness, FreshnessCheck, Originator, SenderTrust, Signer, UnwrapParams,
    WrapParams,
};
use paycrypt_kex::{Curve, EcPrivateKey, EcPublicKey, Error, Hash, Kdf, KeyType, PrivateKey};
use paycrypt_keyblock::{ClearKey, KeyBlockHeader, Profile, WrapOptions};
use paycrypt_primitives::hex;
use paycrypt_primitives::rng::ReplayRng;
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/signed.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("tests/data/signed.json")).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("field {k}"))
}

fn ca(doc: &Value) -> Certificate {
    Certificate::from_input(s(doc, "ca_cert").as_bytes()).unwrap()
}

fn receiver(v: &Value) -> EcPrivateKey {
    PrivateKey::from_input(s(v, "receiver_key").as_bytes())
        .unwrap()
        .into_ec()
        .unwrap()
}

fn params<'a>(
    trust: SenderTrust<'a>,
    now: u64,
    freshness: FreshnessCheck<'a>,
    sender_static: Option<&'a EcPublicKey>,
) -> UnwrapParams<'a> {
    UnwrapParams {
        trust,
        now: Duration::from_secs(now),
        freshness,
        sender_static,
        profile: Profile::Interop,
    }
}

const WINDOW: FreshnessCheck<'static> = FreshnessCheck::SigningTime {
    max_skew: Duration::from_secs(300),
};

fn open_vector(doc: &Value, v: &Value) -> Result<signed::OpenedPackage, Error> {
    let ca = ca(doc);
    let pkg = hex::decode(s(v, "package")).unwrap();
    let stat = v
        .get("sender_static_spki")
        .map(|h| paycrypt_kex::PublicKey::from_spki_der(&hex::decode(h.as_str().unwrap()).unwrap()))
        .map(|k| k.unwrap().into_ec().unwrap());
    let now = v["signing_time"].as_u64().unwrap() + 10;
    signed::unwrap_signed(
        &pkg,
        &receiver(v),
        &params(SenderTrust::IssuedBy(&ca), now, WINDOW, stat.as_ref()),
    )
}

#[test]
fn python_packages_open() {
    let doc = vectors();
    assert!(s(&doc, "source").contains("cryptography"));
    let mut ok = 0;
    let mut refused = 0;
    for v in doc["vectors"].as_array().unwrap() {
        let name = s(v, "name");
        let r = open_vector(&doc, v);
        match s(v, "expect") {
            "ok" => {
                let o = r.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    hex::encode_upper(o.unwrapped.key().expose_bytes()),
                    s(v, "key"),
                    "{name}"
                );
                assert_eq!(
                    &o.unwrapped.header().to_string()[..16],
                    s(v, "header"),
                    "{name}"
                );
                assert_eq!(
                    o.signing_time.unwrap().as_secs(),
                    v["signing_time"].as_u64().unwrap()
                );
                ok += 1;
            }
            "SignaturePolicy" => {
                assert!(
                    matches!(r, Err(Error::SignaturePolicy { .. })),
                    "{name}: {r:?}"
                );
                refused += 1;
            }
            "CertificateRejected" => {
                assert!(
                    matches!(r, Err(Error::CertificateRejected { .. })),
                    "{name}: {r:?}"
                );
                refused += 1;
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
    assert_eq!((ok, refused), (5, 4));
}

/// Spans (start, end) of the values of every primitive OCTET STRING reachable through
/// constructed elements of `der` (a test-only walker).
fn octet_strings(der: &[u8], base: usize, out: &mut Vec<(usize, usize)>) {
    let mut i = 0;
    while i + 2 <= der.len() {
        let tag = der[i];
        let mut len = usize::from(der[i + 1]);
        let mut j = i + 2;
        if len & 0x80 != 0 {
            let n = len & 0x7F;
            len = der[j..j + n]
                .iter()
                .fold(0, |a, &b| a << 8 | usize::from(b));
            j += n;
        }
        if tag & 0x20 != 0 {
            octet_strings(&der[j..j + len], base + j, out);
        } else if tag == 0x04 {
            out.push((base + j, base + j + len));
        }
        i = j + len;
    }
}

#[test]
fn every_tampered_signature_or_content_byte_is_the_opaque_error() {
    let doc = vectors();
    let v = &doc["vectors"][0];
    let pkg = hex::decode(s(v, "package")).unwrap();
    let mut spans = Vec::new();
    octet_strings(&pkg, 0, &mut spans);
    // The eContent is the first OCTET STRING (inside encapContentInfo), the signature the last.
    let content = spans[0];
    let signature = *spans.last().unwrap();
    assert!(content.1 - content.0 > 100 && (70..=72).contains(&(signature.1 - signature.0)));
    let ca = ca(&doc);
    let rk = receiver(v);
    let now = v["signing_time"].as_u64().unwrap() + 10;
    let p = params(SenderTrust::IssuedBy(&ca), now, WINDOW, None);
    let mut n = 0;
    for (a, b) in [content, signature] {
        for i in a..b {
            for flip in [0x01, 0x80] {
                let mut t = pkg.clone();
                t[i] ^= flip;
                assert_eq!(
                    signed::unwrap_signed(&t, &rk, &p).unwrap_err(),
                    Error::SignatureInvalid,
                    "byte {i}"
                );
                n += 1;
            }
        }
    }
    assert!(n > 300);
    // Any other byte: an error, never a key.
    for i in 0..pkg.len() {
        let mut t = pkg.clone();
        t[i] ^= 0x04;
        assert!(signed::unwrap_signed(&t, &rk, &p).is_err(), "byte {i}");
    }
}

struct Party {
    ca: Certificate,
    cert: Certificate,
    key: EcSigningKey,
}

fn party(doc: &Value, index: usize) -> Party {
    let v = &doc["vectors"][index];
    Party {
        ca: ca(doc),
        cert: Certificate::from_input(s(v, "signer_cert").as_bytes()).unwrap(),
        key: EcSigningKey::from_input(s(v, "signer_key").as_bytes()).unwrap(),
    }
}

const T0: u64 = 1_800_000_000;

#[allow(clippy::too_many_arguments)]
fn build(
    p: &Party,
    receiver: &EcPublicKey,
    originator: Originator<'_>,
    hash: Hash,
    kbpk_type: KeyType,
    header: &str,
    key: &[u8],
    freshness: Freshness<'_>,
    seed: u8,
) -> Result<Vec<u8>, Error> {
    let header = KeyBlockHeader::parse(header).unwrap();
    let key = ClearKey::new(key);
    let shared = [seed | 1; 20];
    signed::wrap_signed(
        &Signer {
            key: &p.key,
            certificate: &p.cert,
            include_certificate: true,
        },
        &WrapParams {
            originator,
            receiver,
            derivation: Derivation {
                kdf: Kdf::X963,
                hash,
                shared_info: &shared,
                kbpk_type,
            },
            freshness,
        },
        &header,
        &key,
        &WrapOptions::with_profile(Profile::Interop),
        &mut ReplayRng::new(&[seed; 512]),
    )
}

#[test]
fn rust_packages_and_the_rules() {
    let doc = vectors();
    let p = party(&doc, 0); // P-256 signer
    let rk = EcPrivateKey::from_scalar(Curve::P256, &[7; 32]).unwrap();
    let key = [0x5Au8; 16];
    let make = || {
        build(
            &p,
            &rk.public_key(),
            Originator::Ephemeral,
            Hash::Sha256,
            KeyType::Aes128,
            "D0000P0AE00N0000",
            &key,
            Freshness::SigningTime(Duration::from_secs(T0)),
            3,
        )
        .unwrap()
    };
    let pkg = make();
    // Deterministic (RFC 6979 nonces, seeded ephemeral key).
    assert_eq!(pkg, make());
    let ok = params(SenderTrust::IssuedBy(&p.ca), T0 + 60, WINDOW, None);
    let o = signed::unwrap_signed(&pkg, &rk, &ok).unwrap();
    assert_eq!(o.unwrapped.key().expose_bytes(), key);
    assert_eq!(o.signer_curve, Curve::P256);
    // Pinned certificate.
    let pinned = params(SenderTrust::Pinned(&p.cert), T0, WINDOW, None);
    signed::unwrap_signed(&pkg, &rk, &pinned).unwrap();
    // Freshness: outside the window, or a nonce expected.
    let late = params(SenderTrust::IssuedBy(&p.ca), T0 + 301, WINDOW, None);
    assert!(matches!(
        signed::unwrap_signed(&pkg, &rk, &late),
        Err(Error::Freshness { .. })
    ));
    let nonce = params(
        SenderTrust::IssuedBy(&p.ca),
        T0,
        FreshnessCheck::Nonce(&[1; 16]),
        None,
    );
    assert!(matches!(
        signed::unwrap_signed(&pkg, &rk, &nonce),
        Err(Error::Freshness { .. })
    ));
    // Trust: another signer's certificate pinned, a CA that did not issue it, expired.
    let other = party(&doc, 1);
    for t in [
        SenderTrust::Pinned(&other.cert),
        SenderTrust::IssuedBy(&other.cert),
    ] {
        assert!(matches!(
            signed::unwrap_signed(&pkg, &rk, &params(t, T0, WINDOW, None)),
            Err(Error::CertificateRejected { .. })
        ));
    }
    let expired = params(SenderTrust::IssuedBy(&p.ca), 2_100_000_000, WINDOW, None);
    assert!(matches!(
        signed::unwrap_signed(&pkg, &rk, &expired),
        Err(Error::CertificateRejected { .. })
    ));
    // The wrong receiver key: curve mismatch, or the key block MAC fails (opaque, key block).
    let p384 = EcPrivateKey::from_scalar(Curve::P384, &[7; 48]).unwrap();
    assert_eq!(
        signed::unwrap_signed(&pkg, &p384, &ok).unwrap_err(),
        Error::CurveMismatch
    );
    let wrong = EcPrivateKey::from_scalar(Curve::P256, &[8; 32]).unwrap();
    assert!(matches!(
        signed::unwrap_signed(&pkg, &wrong, &ok),
        Err(Error::KeyBlock(_))
    ));
    // Malformed input.
    assert!(matches!(
        signed::unwrap_signed(&[], &rk, &ok),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        signed::unwrap_signed(&[0x30, 0x03, 0x02, 0x01, 0x01], &rk, &ok),
        Err(Error::Encoding { .. })
    ));
    assert!(matches!(
        signed::unwrap_signed(&pkg[..pkg.len() - 1], &rk, &ok),
        Err(Error::Encoding { .. })
    ));
}

#[test]
fn build_side_policy() {
    let doc = vectors();
    let p = party(&doc, 0);
    let rk = EcPrivateKey::from_scalar(Curve::P256, &[7; 32]).unwrap();
    let header = KeyBlockHeader::parse("D0000P0AE00N0000").unwrap();
    let key = ClearKey::new(&[1; 16]);
    let shared = [9u8; 16];
    let try_build = |signer: Signer<'_>, kdf: Kdf, originator: Originator<'_>, f: Freshness<'_>| {
        signed::wrap_signed(
            &signer,
            &WrapParams {
                originator,
                receiver: &rk.public_key(),
                derivation: Derivation {
                    kdf,
                    hash: Hash::Sha256,
                    shared_info: &shared,
                    kbpk_type: KeyType::Aes128,
                },
                freshness: f,
            },
            &header,
            &key,
            &WrapOptions::with_profile(Profile::Interop),
            &mut ReplayRng::new(&[4; 256]),
        )
    };
    let good = Signer {
        key: &p.key,
        certificate: &p.cert,
        include_certificate: false,
    };
    let t = Freshness::SigningTime(Duration::from_secs(T0));
    // The concat KDF has no registered scheme identifier.
    assert!(matches!(
        try_build(good, Kdf::Concat, Originator::Ephemeral, t),
        Err(Error::SignaturePolicy { .. })
    ));
    // A certificate that is not the signing key's.
    let other = party(&doc, 1);
    let mismatched = Signer {
        certificate: &other.cert,
        ..good
    };
    assert!(matches!(
        try_build(mismatched, Kdf::X963, Originator::Ephemeral, t),
        Err(Error::SignaturePolicy { .. })
    ));
    // The ECDH key must not be the signing key.
    let same = PrivateKey::from_input(s(&doc["vectors"][0], "signer_key").as_bytes())
        .unwrap()
        .into_ec()
        .unwrap();
    assert!(matches!(
        try_build(good, Kdf::X963, Originator::Static(&same), t),
        Err(Error::SignaturePolicy { .. })
    ));
    // Nonce length.
    assert!(matches!(
        try_build(
            good,
            Kdf::X963,
            Originator::Ephemeral,
            Freshness::Nonce(&[1; 3])
        ),
        Err(Error::KdfInput { .. })
    ));
    // Without the certificate in the package, only a pinned certificate opens it.
    let pkg = try_build(
        good,
        Kdf::X963,
        Originator::Ephemeral,
        Freshness::Nonce(&[6; 8]),
    )
    .unwrap();
    let open = |trust, nonce: &[u8]| {
        signed::unwrap_signed(
            &pkg,
            &rk,
            &params(trust, T0, FreshnessCheck::Nonce(nonce), None),
        )
    };
    assert!(matches!(
        open(SenderTrust::IssuedBy(&p.ca), &[6; 8]),
        Err(Error::CertificateRejected { .. })
    ));
    open(SenderTrust::Pinned(&p.cert), &[6; 8]).unwrap();
    assert!(matches!(
        open(SenderTrust::Pinned(&p.cert), &[6; 9]),
        Err(Error::Freshness { .. })
    ));
}

/// Writes paycrypt-made packages for `gen_signed.py --check` when `PAYCRYPT_KEX_EXPORT` names
/// a file (the reverse interoperability direction; run by hand, the test itself always checks
/// that the packages open).
#[test]
fn export_for_python() {
    let doc = vectors();
    let mut out = Vec::new();
    for (i, (curve, hash, kt, header, klen, ephemeral)) in [
        (
            Curve::P256,
            Hash::Sha256,
            KeyType::Aes128,
            "D0000P0AE00N0000",
            16,
            true,
        ),
        (
            Curve::P384,
            Hash::Sha384,
            KeyType::Aes192,
            "D0000K0AB00E0000",
            24,
            true,
        ),
        (
            Curve::P521,
            Hash::Sha512,
            KeyType::Aes256,
            "D0000D0AB00N0000",
            32,
            false,
        ),
        (
            Curve::P521,
            Hash::Sha256,
            KeyType::Tdes3,
            "B0000B1TX00N0000",
            16,
            true,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let p = party(&doc, i.min(2));
        let rk = EcPrivateKey::from_scalar(curve, &[0x11 + i as u8; 32]).unwrap();
        let sk = EcPrivateKey::from_scalar(curve, &[0x21 + i as u8; 32]).unwrap();
        let key: Vec<u8> = (0..klen).map(|b| b as u8 ^ 0xC3).collect();
        let originator = if ephemeral {
            Originator::Ephemeral
        } else {
            Originator::Static(&sk)
        };
        let pkg = build(
            &p,
            &rk.public_key(),
            originator,
            hash,
            kt,
            header,
            &key,
            Freshness::SigningTime(Duration::from_secs(T0)),
            i as u8 + 1,
        )
        .unwrap();
        let spk = sk.public_key();
        let o = signed::unwrap_signed(
            &pkg,
            &rk,
            &params(SenderTrust::IssuedBy(&p.ca), T0, WINDOW, Some(&spk)),
        )
        .unwrap();
        assert_eq!(o.unwrapped.key().expose_bytes(), key);
        let rk_pem = {
            use pkcs8::EncodePrivateKey;
            match curve {
                Curve::P256 => p256::SecretKey::from_slice(&[0x11 + i as u8; 32])
                    .unwrap()
                    .to_pkcs8_pem(Default::default())
                    .unwrap()
                    .to_string(),
                Curve::P384 => p384::SecretKey::from_slice(&{
                    let mut b = [0u8; 48];
                    b[16..].fill(0x11 + i as u8);
                    b
                })
                .unwrap()
                .to_pkcs8_pem(Default::default())
                .unwrap()
                .to_string(),
                _ => p521::SecretKey::from_slice(&{
                    let mut b = [0u8; 66];
                    b[34..].fill(0x11 + i as u8);
                    b
                })
                .unwrap()
                .to_pkcs8_pem(Default::default())
                .unwrap()
                .to_string(),
            }
        };
        out.push(serde_json::json!({
            "name": format!("paycrypt-{i}"),
            "ca_cert": s(&doc, "ca_cert"),
            "signer_cert": s(&doc["vectors"][i.min(2)], "signer_cert"),
            "receiver_key": rk_pem,
            "sender_static_spki": hex::encode_upper(&spk.to_spki_der().unwrap()),
            "package": hex::encode_upper(&pkg),
            "key": hex::encode_upper(&key),
        }));
    }
    if let Ok(path) = std::env::var("PAYCRYPT_KEX_EXPORT") {
        std::fs::write(path, serde_json::json!({ "vectors": out }).to_string()).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn sign_then_verify(
        key in proptest::collection::vec(any::<u8>(), 16..=16),
        which in 0usize..3,
        seed in 1u8..100,
        nonce in proptest::collection::vec(any::<u8>(), 4..=32),
        use_nonce in any::<bool>(),
    ) {
        let doc = vectors();
        let p = party(&doc, which);
        let curve = [Curve::P256, Curve::P384, Curve::P521][which];
        let rk = EcPrivateKey::from_scalar(curve, &[seed; 20]).unwrap();
        let (f, check) = if use_nonce {
            (Freshness::Nonce(&nonce), FreshnessCheck::Nonce(&nonce))
        } else {
            (Freshness::SigningTime(Duration::from_secs(T0)), WINDOW)
        };
        let pkg = build(&p, &rk.public_key(), Originator::Ephemeral, Hash::Sha384,
            KeyType::Aes128, "D0000P0AE00N0000", &key, f, seed).unwrap();
        let o = signed::unwrap_signed(&pkg, &rk,
            &params(SenderTrust::IssuedBy(&p.ca), T0, check, None)).unwrap();
        prop_assert_eq!(o.unwrapped.key().expose_bytes(), &key[..]);
        prop_assert_eq!(o.kdf_hash, Hash::Sha384);
    }
}
