//! Criterion benches for paycrypt-kex: SP 800-38F KW / KWP / TKW wrap and unwrap of one key
//! (a 32-byte key for KW under AES-256, a 20-byte key for KWP, a 24-byte key for TKW), and the
//! ECDH KBPK derivation (Z plus the one-step KDF) on P-256, P-384 and P-521.
//!
//! Run: `cargo bench --bench kex -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use paycrypt_kex::ecdh::{self, Derivation};
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_kex::{Curve, EcPrivateKey, Hash, Kdf, KeyType};

fn keywrap(c: &mut Criterion) {
    let mut g = c.benchmark_group("keywrap");
    let tdes_kek: Vec<u8> = (1..=24).collect();
    for (alg, kek, key) in [
        (Algorithm::AesKw, vec![0xA5; 32], vec![0x11; 32]),
        (Algorithm::AesKwp, vec![0xA5; 32], vec![0x22; 20]),
        (Algorithm::TdesKw, tdes_kek, vec![0x33; 24]),
    ] {
        let kek = Kek::new(alg, &kek).unwrap();
        let wrapped = wrap::wrap(&kek, &key).unwrap();
        g.bench_with_input(BenchmarkId::new("wrap", alg.name()), &key, |b, key| {
            b.iter(|| wrap::wrap(&kek, black_box(key)).unwrap());
        });
        g.bench_with_input(BenchmarkId::new("unwrap", alg.name()), &wrapped, |b, w| {
            b.iter(|| wrap::unwrap(&kek, black_box(w)).unwrap());
        });
    }
    g.finish();
}

fn ecdh_derivation(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecdh_kbpk");
    for (curve, t) in [
        (Curve::P256, KeyType::Aes128),
        (Curve::P384, KeyType::Aes192),
        (Curve::P521, KeyType::Aes256),
    ] {
        let a = EcPrivateKey::from_scalar(curve, &[0x5A; 32]).unwrap();
        let q = EcPrivateKey::from_scalar(curve, &[0x3C; 32])
            .unwrap()
            .public_key();
        let d = Derivation {
            kdf: Kdf::Concat,
            hash: Hash::Sha512,
            shared_info: &[0x42; 32],
            kbpk_type: t,
        };
        g.bench_function(BenchmarkId::new("derive", curve.name()), |b| {
            b.iter(|| ecdh::derive_kbpk(black_box(&a), black_box(&q), &d).unwrap());
        });
    }
    g.finish();
}

criterion_group!(benches, keywrap, ecdh_derivation);
criterion_main!(benches);
