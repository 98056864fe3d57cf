//! One negative test per error variant, with its classification (Malformed → exit 2,
//! Rejected → exit 1).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::ecdh::{self, Derivation, EcPrivateKey, EcPublicKey};
use paycrypt_kex::kdf::{Hash, Kdf};
use paycrypt_kex::pki::PublicKey;
use paycrypt_kex::policy::KeyType;
use paycrypt_kex::rsawrap::{self, OaepScheme};
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_kex::{Curve, Error, RsaPrivateKey};
use paycrypt_keyblock::{ClearKey, KeyBlockHeader, Profile, WrapOptions};
use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::rng::ReplayRng;

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn malformed(e: Error) {
    assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}");
    assert!(!e.to_string().is_empty());
}

fn rejected(e: Error) {
    assert_eq!(e.class(), ErrorClass::Rejected, "{e:?}");
    assert!(!e.to_string().is_empty());
}

fn pair(curve: Curve, seed: u8) -> (EcPrivateKey, EcPublicKey) {
    let k = EcPrivateKey::from_scalar(curve, &[seed; 20]).unwrap();
    let p = k.public_key();
    (k, p)
}

const INFO: &[u8] = b"paycrypt test shared info";

fn der(kbpk_type: KeyType) -> Derivation<'static> {
    Derivation {
        kdf: Kdf::Concat,
        hash: Hash::Sha256,
        shared_info: INFO,
        kbpk_type,
    }
}

#[test]
fn keywrap_errors() {
    let kek = Kek::new(Algorithm::AesKw, &[1; 16]).unwrap();
    for n in [0, 8, 15, 17] {
        let e = wrap::wrap(&kek, &vec![0; n]).unwrap_err();
        assert_eq!(
            e,
            Error::Length {
                what: "key",
                got: n
            }
        );
        malformed(e);
    }
    for n in [0, 16, 23, 25] {
        malformed(wrap::unwrap(&kek, &vec![0; n]).unwrap_err());
    }
    let kwp = Kek::new(Algorithm::AesKwp, &[1; 32]).unwrap();
    malformed(wrap::wrap(&kwp, &[]).unwrap_err());
    malformed(wrap::unwrap(&kwp, &[0; 15]).unwrap_err());
    malformed(wrap::unwrap(&kwp, &[0; 20]).unwrap_err());
    let tkw = Kek::new(Algorithm::TdesKw, &(0..24).collect::<Vec<u8>>()).unwrap();
    malformed(wrap::wrap(&tkw, &[0; 6]).unwrap_err());
    malformed(wrap::unwrap(&tkw, &[0; 8]).unwrap_err());
    malformed(wrap::unwrap(&tkw, &[0; 14]).unwrap_err());
    malformed(Kek::new(Algorithm::TdesKw, &[1; 16]).unwrap_err());
    malformed(Kek::new(Algorithm::AesKw, &[1; 20]).unwrap_err());
    let e = Kek::new(Algorithm::TdesKw, &[7; 24]).unwrap_err();
    assert_eq!(e, Error::DegenerateTdesKey);
    rejected(e);
    // Integrity: a wrong KEK; KWP with a bad length indicator and with non-zero padding.
    let w = wrap::wrap(&kek, &[9; 16]).unwrap();
    let other = Kek::new(Algorithm::AesKw, &[2; 16]).unwrap();
    let e = wrap::unwrap(&other, &w).unwrap_err();
    assert_eq!(e, Error::IntegrityCheckFailed);
    rejected(e);
    // KWP: S = ICV2 ‖ MLI ‖ P ‖ pad built by hand, wrapped with the raw W (hazmat).
    for (mli, pad) in [(20u32, 0u8), (5, 0), (17, 0), (9, 1)] {
        let mut s = vec![0xA6, 0x59, 0x59, 0xA6];
        s.extend_from_slice(&mli.to_be_bytes());
        s.extend_from_slice(&[0x11; 9]);
        s.extend_from_slice(&[pad; 7]);
        let c = wrap::hazmat::w(&kwp, &s).unwrap();
        let r = wrap::unwrap(&kwp, &c);
        if (mli, pad) == (9, 0) {
            assert!(r.is_ok());
        } else {
            assert_eq!(
                r.unwrap_err(),
                Error::IntegrityCheckFailed,
                "mli {mli} pad {pad}"
            );
        }
    }
    // Typed: the KEK must be at least as strong as the key type, and the length must match.
    let tdes_kek = Kek::new(Algorithm::TdesKw, &(0..24).collect::<Vec<u8>>()).unwrap();
    let e = wrap::wrap_key(&tdes_kek, KeyType::Aes128, &[0; 16]).unwrap_err();
    assert_eq!(e, Error::WeakerWrappingKey);
    rejected(e);
    assert_eq!(
        wrap::unwrap_key(&tdes_kek, KeyType::Aes128, &[0; 20]).unwrap_err(),
        Error::WeakerWrappingKey
    );
    malformed(wrap::wrap_key(&kek, KeyType::Aes128, &[0; 24]).unwrap_err());
    let w24 = wrap::wrap(&kek, &[3; 24]).unwrap();
    assert_eq!(
        wrap::unwrap_key(&kek, KeyType::Aes128, &w24).unwrap_err(),
        Error::IntegrityCheckFailed
    );
    assert_eq!(
        &*wrap::unwrap_key(&kek, KeyType::Tdes3, &w24).unwrap(),
        &[3; 24]
    );
}

#[test]
fn kdf_and_ecdh_errors() {
    let mut out = [0u8; 2000];
    let e = paycrypt_kex::kdf::derive(Kdf::X963, Hash::Sha256, &[1], &[], &mut out).unwrap_err();
    assert!(matches!(e, Error::KdfInput { .. }));
    malformed(e);
    let (a, qa) = pair(Curve::P256, 1);
    let (b, qb) = pair(Curve::P256, 2);
    let (c, qc) = pair(Curve::P384, 3);
    let e = ecdh::shared_secret(&a, &qc).unwrap_err();
    assert_eq!(e, Error::CurveMismatch);
    rejected(e);
    assert_eq!(
        ecdh::derive_kbpk(&c, &qa, &der(KeyType::Aes128)).unwrap_err(),
        Error::CurveMismatch
    );
    let e = ecdh::derive_kbpk(&a, &qb, &der(KeyType::Aes192)).unwrap_err();
    assert_eq!(e, Error::CurveWeakerThanKey);
    rejected(e);
    assert_eq!(
        ecdh::derive_kbpk(&c, &qc, &der(KeyType::Aes256)).unwrap_err(),
        Error::CurveWeakerThanKey
    );
    for info in [&[][..], &[0, 0, 0][..], &[1; 1025][..]] {
        let d = Derivation {
            shared_info: info,
            ..der(KeyType::Aes128)
        };
        malformed(ecdh::derive_kbpk(&a, &qb, &d).unwrap_err());
    }
    // Invalid points: not on the curve, the identity, a bad encoding.
    let mut p = qa.to_sec1_bytes();
    *p.last_mut().unwrap() ^= 1;
    let e = EcPublicKey::from_sec1_bytes(Curve::P256, &p).unwrap_err();
    assert_eq!(e, Error::UnsupportedCurve);
    malformed(e);
    assert_eq!(
        EcPublicKey::from_sec1_bytes(Curve::P256, &[0]).unwrap_err(),
        Error::UnsupportedCurve
    );
    malformed(EcPublicKey::from_affine(Curve::P256, &[1; 33], &[1; 32]).unwrap_err());
    malformed(EcPrivateKey::from_scalar(Curve::P256, &[0; 32]).unwrap_err());
    malformed(EcPrivateKey::from_scalar(Curve::P256, &[0xFF; 32]).unwrap_err());
    malformed(EcPrivateKey::from_scalar(Curve::P256, &[1; 33]).unwrap_err());
    // A source of zeros never yields a key: refused, not an endless loop.
    let zeros = [0u8; 32 * 128];
    rejected(EcPrivateKey::generate(Curve::P256, &mut ReplayRng::new(&zeros)).unwrap_err());
    rejected(EcPrivateKey::generate(Curve::P384, &mut ReplayRng::new(&[])).unwrap_err());
    let _ = b;
}

#[test]
fn key_block_errors() {
    let (a, _) = pair(Curve::P256, 1);
    let (b, qb) = pair(Curve::P256, 2);
    let qa = a.public_key();
    let d = der(KeyType::Aes128);
    let header = KeyBlockHeader::parse("D0000B1AX00N0000").unwrap();
    let opts = WrapOptions::with_profile(Profile::Interop);
    // An AES-256 key under an AES-128 KBPK: refused before anything is derived.
    let e = ecdh::wrap_key_block(
        &a,
        &qb,
        &d,
        &header,
        &ClearKey::new(&[5; 32]),
        None,
        &opts,
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err();
    assert_eq!(e, Error::WeakerWrappingKey);
    // A version B header under an AES KBPK.
    let hb = KeyBlockHeader::parse("B0000B1TX00N0000").unwrap();
    let e = ecdh::wrap_key_block(
        &a,
        &qb,
        &d,
        &hb,
        &ClearKey::new(&[5; 16]),
        None,
        &opts,
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err();
    assert_eq!(e, Error::BlockVersionMismatch);
    malformed(e);
    let block = ecdh::wrap_key_block(
        &a,
        &qb,
        &d,
        &header,
        &ClearKey::new(&[5; 16]),
        None,
        &opts,
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap();
    let (u, _) = ecdh::unwrap_key_block(&b, &qa, &d, &block, Profile::Interop).unwrap();
    assert_eq!(u.key().expose_bytes(), &[5; 16]);
    // The wrong shared info, KDF or hash: the key block's opaque authentication failure.
    for d2 in [
        Derivation {
            shared_info: b"other",
            ..d
        },
        Derivation {
            kdf: Kdf::X963,
            ..d
        },
        Derivation {
            hash: Hash::Sha512,
            ..d
        },
    ] {
        let e = ecdh::unwrap_key_block(&b, &qa, &d2, &block, Profile::Interop).unwrap_err();
        assert!(matches!(
            e,
            Error::KeyBlock(paycrypt_keyblock::Error::AuthenticationFailed)
        ));
        rejected(e);
    }
    // A TDES KBPK for a version D block; text that is no key block.
    let e = ecdh::unwrap_key_block(&b, &qa, &der(KeyType::Tdes3), &block, Profile::Interop)
        .unwrap_err();
    assert_eq!(e, Error::BlockVersionMismatch);
    let e = ecdh::unwrap_key_block(&b, &qa, &d, "D00", Profile::Interop).unwrap_err();
    assert!(matches!(e, Error::KeyBlock(_)));
    malformed(e);
    // The random source runs out.
    let e = ecdh::wrap_key_block(
        &a,
        &qb,
        &d,
        &header,
        &ClearKey::new(&[5; 16]),
        None,
        &opts,
        &mut ReplayRng::new(&[]),
    )
    .unwrap_err();
    rejected(e);
}

#[test]
fn rsa_errors() {
    let cert = PublicKey::from_input(&data("rsa2048.cert.pem"))
        .unwrap()
        .into_rsa()
        .unwrap();
    let key = RsaPrivateKey::from_input(&data("rsa2048.key.pem")).unwrap();
    let e = rsawrap::wrap_with_seed(
        &cert,
        OaepScheme::Sha256,
        KeyType::Aes128,
        &[1; 16],
        &[0; 32],
    )
    .unwrap_err();
    assert_eq!(e, Error::WeakerWrappingKey);
    rejected(e);
    assert_eq!(
        rsawrap::unwrap(&key, OaepScheme::Sha256, KeyType::Aes128, &[0; 256]).unwrap_err(),
        Error::WeakerWrappingKey
    );
    malformed(
        rsawrap::wrap_with_seed(
            &cert,
            OaepScheme::Sha256,
            KeyType::Tdes2,
            &[1; 24],
            &[0; 32],
        )
        .unwrap_err(),
    );
    malformed(
        rsawrap::wrap_with_seed(
            &cert,
            OaepScheme::Sha512,
            KeyType::Tdes2,
            &[1; 16],
            &[0; 32],
        )
        .unwrap_err(),
    );
    let e = rsawrap::unwrap(&key, OaepScheme::Sha256, KeyType::Tdes2, &[0; 255]).unwrap_err();
    assert_eq!(
        e,
        Error::CryptogramLength {
            expected: 256,
            got: 255
        }
    );
    malformed(e);
    let e = rsawrap::unwrap(&key, OaepScheme::Sha256, KeyType::Tdes2, &[0; 256]).unwrap_err();
    assert_eq!(e, Error::CryptogramDoesNotDecrypt);
    rejected(e);
    let e = rsawrap::wrap(
        &cert,
        OaepScheme::Sha256,
        KeyType::Tdes2,
        &[1; 16],
        &mut ReplayRng::new(&[1; 8]),
    )
    .unwrap_err();
    rejected(e);
    let e = RsaPrivateKey::from_input(&data("rsa1024.key.pem")).unwrap_err();
    assert_eq!(e, Error::RsaKeyTooSmall);
    malformed(e);
    malformed(
        PublicKey::from_input(&data("kdh-p256.cert.pem"))
            .unwrap()
            .into_rsa()
            .unwrap_err(),
    );
    // Seeded wrap is deterministic and decrypts.
    let c1 = rsawrap::wrap_with_seed(
        &cert,
        OaepScheme::Sha512,
        KeyType::Tdes3,
        &[4; 24],
        &[9; 64],
    )
    .unwrap();
    let c2 = rsawrap::wrap_with_seed(
        &cert,
        OaepScheme::Sha512,
        KeyType::Tdes3,
        &[4; 24],
        &[9; 64],
    )
    .unwrap();
    assert_eq!(c1, c2);
    assert_eq!(
        &*rsawrap::unwrap(&key, OaepScheme::Sha512, KeyType::Tdes3, &c1).unwrap(),
        &[4; 24]
    );
}

#[test]
fn debug_prints_no_secret() {
    let kek = Kek::new(Algorithm::AesKw, &[0xAB; 16]).unwrap();
    let (a, qa) = pair(Curve::P256, 0x5A);
    let z = ecdh::shared_secret(&a, &qa).unwrap();
    let kbpk = ecdh::derive_kbpk(&a, &qa, &der(KeyType::Aes128)).unwrap();
    let rsa = RsaPrivateKey::from_input(&data("rsa2048.key.pem")).unwrap();
    for s in [
        format!("{kek:?}"),
        format!("{a:?}"),
        format!("{z:?}"),
        format!("{kbpk:?}"),
        format!("{rsa:?}"),
    ] {
        assert!(
            !s.contains("AB") && !s.contains("ab") && !s.contains("5A5A"),
            "{s}"
        );
        assert!(
            !s.contains(&format!("{:?}", z.expose_bytes()[0])) || s.len() < 40,
            "{s}"
        );
    }
}
