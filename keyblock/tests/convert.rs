//! Conversions of an unwrapped key into the typed keys of its role (X9.143 §6.2 Table 2 key
//! usage, Table 3 algorithm): one per target, the positive case compared with the target built
//! directly, and every refusal (`WrongKeyUsage`, `WrongKeyAlgorithm`, `InitialKeyIdMissing`).
#![cfg(all(feature = "pinblock", feature = "dukpt"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::{aes, tdes};
use paycrypt_keyblock::{
    Algorithm, ClearKey, Error, ErrorClass, Kbpk, KeyBlockHeader, KeyUsage, Profile, Unwrapped,
    WrapOptions, unwrap, wrap,
};
use paycrypt_mac::HmacKey;
use paycrypt_mac::MacKey;
use paycrypt_pinblock::PinKey;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::ReplayRng;

/// Wraps `key` under `header` (leniently, so the refusals can be reached) and unwraps it.
fn unwrapped(header: &str, key: &[u8]) -> Unwrapped {
    let kbpk = if header.starts_with('D') {
        Kbpk::aes(&[0x42; 32]).unwrap()
    } else {
        Kbpk::tdes(&[0x24; 16]).unwrap()
    };
    let h = KeyBlockHeader::parse_with(header, Profile::Lenient).unwrap();
    let opts = WrapOptions::with_profile(Profile::Lenient);
    let text = wrap(
        &kbpk,
        &h,
        &ClearKey::new(key),
        &opts,
        &mut ReplayRng::new(&[7; 64]),
    )
    .unwrap();
    unwrap(&kbpk, &text, Profile::Lenient).unwrap()
}

fn wrong_usage(e: Error, found: KeyUsage) {
    assert!(
        matches!(e, Error::WrongKeyUsage { found: f, .. } if f == found),
        "{e:?}"
    );
    assert_eq!(e.class(), ErrorClass::Rejected);
    assert!(
        e.to_string()
            .starts_with(&format!("key usage {found} cannot become a "))
    );
}

fn wrong_algorithm(e: Error, found: Algorithm) {
    assert!(
        matches!(e, Error::WrongKeyAlgorithm { found: f, .. } if f == found),
        "{e:?}"
    );
    assert_eq!(e.class(), ErrorClass::Rejected);
}

#[test]
fn pin_key_from_p0() {
    let k = unwrapped("B0000P0TE00E0000", &[0x11; 16]);
    let pin: PinKey = (&k).try_into().unwrap();
    assert_eq!(pin.algorithm(), KeyAlgorithm::Tdes2);
    let k = unwrapped("D0000P0AE00E0000", &[0x22; 16]);
    let pin = PinKey::try_from(k).unwrap();
    assert_eq!(pin.algorithm(), KeyAlgorithm::Aes128);
    // Another usage, a single-DES key, an HMAC key.
    wrong_usage(
        PinKey::try_from(&unwrapped("B0000M3TC00E0000", &[0x11; 16])).unwrap_err(),
        KeyUsage::M3,
    );
    wrong_algorithm(
        PinKey::try_from(&unwrapped("B0000P0DE00E0000", &[0x11; 8])).unwrap_err(),
        Algorithm::Des,
    );
    wrong_algorithm(
        PinKey::try_from(&unwrapped("B0000P0HE00E0000", &[0x11; 32])).unwrap_err(),
        Algorithm::Hmac,
    );
}

#[test]
fn mac_keys_from_m_usages() {
    for usage in ["M0", "M1", "M3", "M6", "M8"] {
        let k = unwrapped(&format!("B0000{usage}TC00E0000"), &[0x33; 16]);
        let mac = MacKey::try_from(&k).unwrap();
        assert!(
            matches!(mac, MacKey::Symmetric(s) if s.algorithm() == KeyAlgorithm::Tdes2),
            "{usage}"
        );
    }
    let k = unwrapped("D0000M6AC00E0000", &[0x33; 32]);
    assert!(matches!(
        MacKey::try_from(&k).unwrap(),
        MacKey::Symmetric(SymmetricKey::Aes(_))
    ));
    let h = unwrapped("D0000M7HC00E0000", &[0x44; 40]);
    assert!(matches!(MacKey::try_from(&h).unwrap(), MacKey::Hmac(k) if k.len() == 40));
    let hk = HmacKey::try_from(&h).unwrap();
    assert_eq!(hk.expose_bytes(), [0x44; 40]);
    // Refusals: not a MAC usage; M7 under a block cipher; M3 under HMAC; HmacKey from M6.
    wrong_usage(
        MacKey::try_from(&unwrapped("B0000P0TE00E0000", &[0x11; 16])).unwrap_err(),
        KeyUsage::P0,
    );
    wrong_algorithm(
        MacKey::try_from(&unwrapped("B0000M7TC00E0000", &[0x11; 16])).unwrap_err(),
        Algorithm::Tdes,
    );
    wrong_algorithm(
        MacKey::try_from(&unwrapped("B0000M3HC00E0000", &[0x11; 16])).unwrap_err(),
        Algorithm::Hmac,
    );
    wrong_usage(HmacKey::try_from(&k).unwrap_err(), KeyUsage::M6);
}

#[test]
fn tdes_dukpt_bdk_and_ipek() {
    let bdk_bytes = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32,
        0x10,
    ];
    let ksn = tdes::Ksn::from_hex("FFFF9876543210E00000").unwrap();
    let bdk = tdes::Bdk::try_from(&unwrapped("B0000B0TX00E0000", &bdk_bytes)).unwrap();
    let direct = tdes::Bdk::from_bytes(&bdk_bytes).unwrap();
    let ipek = bdk.ipek(&ksn);
    assert_eq!(ipek.expose_key(), direct.ipek(&ksn).expose_key());
    // The IPEK travels as B1 and converts back to the same key.
    let b1 = unwrapped("B0000B1TX00E0000", ipek.expose_key().expose_bytes());
    let ipek2 = tdes::Ipek::try_from(&b1).unwrap();
    assert_eq!(ipek2.expose_key(), ipek.expose_key());
    // Refusals: B1 as a BDK, B0 as an IPEK, a 24-byte TDES key, an AES key.
    wrong_usage(tdes::Bdk::try_from(&b1).unwrap_err(), KeyUsage::B1);
    wrong_usage(
        tdes::Ipek::try_from(&unwrapped("B0000B0TX00E0000", &bdk_bytes)).unwrap_err(),
        KeyUsage::B0,
    );
    wrong_algorithm(
        tdes::Bdk::try_from(&unwrapped("B0000B0TX00E0000", &[0x55; 24])).unwrap_err(),
        Algorithm::Tdes,
    );
    wrong_algorithm(
        tdes::Bdk::try_from(&unwrapped("D0000B0AX00E0000", &[0x55; 16])).unwrap_err(),
        Algorithm::Aes,
    );
}

#[test]
fn aes_dukpt_bdk_and_initial_key() {
    let bdk_bytes = [0x5A; 32];
    let id = aes::InitialKeyId::from_hex("1234567890123456").unwrap();
    let bdk = aes::Bdk::try_from(&unwrapped("D0000B0AX00E0000", &bdk_bytes)).unwrap();
    let direct = aes::Bdk::from_bytes(&bdk_bytes).unwrap();
    let ik = bdk.initial_key(&id);
    assert_eq!(ik.expose_key(), direct.initial_key(&id).expose_key());
    // B1 with its IK block.
    let ik_bytes = ik.expose_key();
    let b1 = unwrapped(
        "D0000B1AX00E0100IK141234567890123456",
        ik_bytes.expose_bytes(),
    );
    let ik2 = aes::InitialKey::try_from(&b1).unwrap();
    assert_eq!(ik2.initial_key_id(), id);
    assert_eq!(ik2.expose_key(), ik_bytes);
    // Without an IK block, or as a BDK, or TDES.
    let e = aes::InitialKey::try_from(&unwrapped("D0000B1AX00E0000", ik_bytes.expose_bytes()))
        .unwrap_err();
    assert_eq!(e, Error::InitialKeyIdMissing);
    assert_eq!(e.class(), ErrorClass::Rejected);
    wrong_usage(aes::Bdk::try_from(&b1).unwrap_err(), KeyUsage::B1);
    wrong_algorithm(
        aes::Bdk::try_from(&unwrapped("B0000B0TX00E0000", &[0x55; 16])).unwrap_err(),
        Algorithm::Tdes,
    );
    wrong_algorithm(
        aes::InitialKey::try_from(&unwrapped("B0000B1TX00E0000", &[0x55; 16])).unwrap_err(),
        Algorithm::Tdes,
    );
}
