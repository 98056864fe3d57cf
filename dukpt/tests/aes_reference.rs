//! An independent, straightforward reference derivation written here with the `aes` crate
//! directly (X9.24-3:2017 §6.3–6.6), checked against the crate for every BDK size — the second
//! path for the AES-192 cases, for which no published vectors exist.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aes::cipher::{BlockCipherEncrypt, KeyInit};
use paycrypt_dukpt::aes::{Bdk, InitialKeyId, KeyType, KeyUsage, Ksn, Originator};
use proptest::prelude::*;

/// AES-ECB encryption of one block under a 16-, 24- or 32-byte key.
fn ecb(key: &[u8], block: [u8; 16]) -> [u8; 16] {
    let mut b = aes::Block::from(block);
    match key.len() {
        16 => aes::Aes128::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
        24 => aes::Aes192::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
        32 => aes::Aes256::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
        n => panic!("key length {n}"),
    }
    b.into()
}

/// (algorithm indicator, length in bits) of X9.24-3:2017 §6.3.2 Table 3/4, by name.
fn algo(t: KeyType) -> (u16, u16) {
    match t {
        KeyType::Tdes2 => (0, 128),
        KeyType::Tdes3 => (1, 192),
        KeyType::Aes128 => (2, 128),
        KeyType::Aes192 => (3, 192),
        KeyType::Aes256 => (4, 256),
        KeyType::Hmac128 => (5, 128),
        KeyType::Hmac192 => (5, 192),
        KeyType::Hmac256 => (5, 256),
        _ => panic!("unknown type"),
    }
}

fn bdk_type(len: usize) -> KeyType {
    match len {
        16 => KeyType::Aes128,
        24 => KeyType::Aes192,
        _ => KeyType::Aes256,
    }
}

/// DeriveKey: derivation data blocks with key block counter 1, 2, … ; leftmost L bytes.
fn derive(key: &[u8], usage: u16, t: KeyType, tail: &[u8]) -> Vec<u8> {
    let (a, bits) = algo(t);
    let mut out = Vec::new();
    let mut counter = 1u8;
    while out.len() < usize::from(bits) / 8 {
        let mut dd = [0u8; 16];
        dd[0] = 1;
        dd[1] = counter;
        dd[2..4].copy_from_slice(&usage.to_be_bytes());
        dd[4..6].copy_from_slice(&a.to_be_bytes());
        dd[6..8].copy_from_slice(&bits.to_be_bytes());
        dd[8..].copy_from_slice(tail);
        out.extend_from_slice(&ecb(key, dd));
        counter += 1;
    }
    out.truncate(usize::from(bits) / 8);
    out
}

fn tail(ksn: &[u8; 12], counter: u32) -> [u8; 8] {
    let mut t = [0u8; 8];
    t[..4].copy_from_slice(&ksn[4..8]);
    t[4..].copy_from_slice(&counter.to_be_bytes());
    t
}

fn reference_intermediate(bdk: &[u8], ksn: &[u8; 12]) -> Vec<u8> {
    let bt = bdk_type(bdk.len());
    let mut k = derive(bdk, 0x8001, bt, &ksn[..8]);
    let counter = u32::from_be_bytes(ksn[8..].try_into().unwrap());
    let mut w = 0u32;
    for bit in (0..32).rev() {
        if counter >> bit & 1 == 1 {
            w |= 1 << bit;
            k = derive(&k, 0x8000, bt, &tail(ksn, w));
        }
    }
    k
}

fn reference_working(bdk: &[u8], ksn: &[u8; 12], usage: u16, t: KeyType) -> Vec<u8> {
    let k = reference_intermediate(bdk, ksn);
    let counter = u32::from_be_bytes(ksn[8..].try_into().unwrap());
    derive(&k, usage, t, &tail(ksn, counter))
}

fn allowed(bdk_len: usize, usage: KeyUsage, t: KeyType) -> bool {
    let strength = |t: KeyType| match t {
        KeyType::Tdes2 => 80,
        KeyType::Tdes3 => 112,
        other => algo(other).1,
    };
    strength(t) <= strength(bdk_type(bdk_len))
        && (!t.is_hmac()
            || matches!(
                usage,
                KeyUsage::MacGeneration | KeyUsage::MacVerification | KeyUsage::MacBothWays
            ))
}

/// Own AES-192 known answers, computed by the reference above and by the crate; the
/// originator reproduces them too (a third path).
#[test]
fn aes192_cases_two_paths() {
    let bdk_bytes: Vec<u8> = (0u8..24).map(|i| i.wrapping_mul(0x1D) ^ 0xA5).collect();
    let bdk = Bdk::from_bytes(&bdk_bytes).unwrap();
    assert_eq!(bdk.key_type(), KeyType::Aes192);
    let ikid = InitialKeyId::from_hex("1234567890123456").unwrap();
    let ik = bdk.initial_key(&ikid);
    assert_eq!(
        ik.expose_key().expose_bytes(),
        derive(&bdk_bytes, 0x8001, KeyType::Aes192, &ikid.to_bytes())
    );
    let mut device = Originator::load(ik);
    for _ in 0..40 {
        let ksn = device.current_ksn().unwrap();
        let bytes = ksn.to_bytes();
        assert_eq!(
            bdk.intermediate_key(&ksn)
                .unwrap()
                .expose_key()
                .expose_bytes(),
            reference_intermediate(&bdk_bytes, &bytes)
        );
        for usage in KeyUsage::ALL {
            for t in KeyType::ALL {
                let host = bdk.working_key(&ksn, usage, t);
                let dev = device.working_key(usage, t);
                if allowed(24, usage, t) {
                    let r = reference_working(&bdk_bytes, &bytes, usage.indicator(), t);
                    assert_eq!(
                        host.as_ref().unwrap().expose_bytes(),
                        r,
                        "{ksn} {usage:?} {t:?}"
                    );
                    assert_eq!(dev.unwrap(), host.unwrap());
                } else {
                    assert!(host.is_err() && dev.is_err(), "{usage:?} {t:?}");
                }
            }
        }
        device.advance().unwrap();
    }
    // Update keys of every allowed type.
    for t in [
        KeyType::Tdes2,
        KeyType::Tdes3,
        KeyType::Aes128,
        KeyType::Aes192,
    ] {
        let mut ksn = [0u8; 12];
        ksn[..8].copy_from_slice(&ikid.to_bytes());
        ksn[8..].copy_from_slice(&[0xFF; 4]);
        assert_eq!(
            bdk.update_key(&ikid, t).unwrap().expose_bytes(),
            reference_working(&bdk_bytes, &ksn, 0x0002, t)
        );
    }
    assert!(bdk.update_key(&ikid, KeyType::Aes256).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Crate == reference for random BDKs (all sizes), KSNs, usages and types.
    #[test]
    fn crate_equals_reference(
        len in prop_oneof![Just(16usize), Just(24), Just(32)],
        seed in any::<[u8; 32]>(),
        ksn in any::<[u8; 12]>(),
        usage in 0usize..9,
        t in 0usize..8,
    ) {
        let bdk_bytes = &seed[..len];
        let bdk = Bdk::from_bytes(bdk_bytes).unwrap();
        let usage = KeyUsage::ALL[usage];
        let t = KeyType::ALL[t];
        let k = Ksn::from_bytes(ksn);
        let got = bdk.working_key(&k, usage, t);
        if k.counter() == u32::MAX {
            prop_assert!(got.is_err());
        } else if allowed(len, usage, t) {
            let got = got.unwrap();
            prop_assert_eq!(
                got.expose_bytes(),
                reference_working(bdk_bytes, &ksn, usage.indicator(), t)
            );
        } else {
            prop_assert!(got.is_err());
        }
    }
}
