//! Criterion benches for paycrypt-mac: every algorithm on 64-byte and 4 KiB messages
//! (key setup included, as a host computes one MAC per message), plus the KCVs.
//!
//! Run: `cargo bench --bench mac -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod, kcv};
use paycrypt_mac::{
    KeyAlgorithm, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, generate,
};

const SIZES: [usize; 2] = [64, 4096];

fn key(alg: KeyAlgorithm) -> SymmetricKey {
    let bytes: Vec<u8> = (0..alg.key_len())
        .map(|i| (i as u8).wrapping_mul(37) ^ 0x5A)
        .collect();
    SymmetricKey::new(alg, &bytes).unwrap()
}

fn bench_macs(c: &mut Criterion) {
    let cases: Vec<(&str, SymmetricKey, MacAlgorithm)> = vec![
        (
            "alg1-des",
            key(KeyAlgorithm::Des),
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method2,
            },
        ),
        (
            "alg1-tdes2",
            key(KeyAlgorithm::Tdes2),
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method2,
            },
        ),
        (
            "alg1-tdes3",
            key(KeyAlgorithm::Tdes3),
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method2,
            },
        ),
        (
            "alg1-aes128",
            key(KeyAlgorithm::Aes128),
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method2,
            },
        ),
        (
            "alg1-aes256",
            key(KeyAlgorithm::Aes256),
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method2,
            },
        ),
        (
            "alg3-x9.19",
            key(KeyAlgorithm::Tdes2),
            MacAlgorithm::Iso9797Algorithm3 {
                padding: Padding::Method1,
            },
        ),
        (
            "alg3-p3",
            key(KeyAlgorithm::Tdes2),
            MacAlgorithm::Iso9797Algorithm3 {
                padding: Padding::Method3,
            },
        ),
        ("cmac-tdes2", key(KeyAlgorithm::Tdes2), MacAlgorithm::Cmac),
        ("cmac-tdes3", key(KeyAlgorithm::Tdes3), MacAlgorithm::Cmac),
        ("cmac-aes128", key(KeyAlgorithm::Aes128), MacAlgorithm::Cmac),
        ("cmac-aes192", key(KeyAlgorithm::Aes192), MacAlgorithm::Cmac),
        ("cmac-aes256", key(KeyAlgorithm::Aes256), MacAlgorithm::Cmac),
    ];
    let mut group = c.benchmark_group("mac");
    for size in SIZES {
        let data = vec![0xA5u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        for (name, k, alg) in &cases {
            let params = MacParams::new(*alg);
            group.bench_with_input(BenchmarkId::new(*name, size), &data, |b, d| {
                b.iter(|| generate(MacKey::Symmetric(k), &params, black_box(d)).unwrap());
            });
        }
        let hk = HmacKey::from_bytes(&[0x0B; 32]).unwrap();
        for h in HashFunction::ALL {
            let params = MacParams::new(MacAlgorithm::Hmac(h));
            let name = format!("hmac-{}", h.name().to_lowercase());
            group.bench_with_input(BenchmarkId::new(name, size), &data, |b, d| {
                b.iter(|| generate(MacKey::Hmac(&hk), &params, black_box(d)).unwrap());
            });
        }
    }
    group.finish();
}

fn bench_kcv(c: &mut Criterion) {
    let mut group = c.benchmark_group("kcv");
    let tdes = key(KeyAlgorithm::Tdes2);
    let aes = key(KeyAlgorithm::Aes128);
    group.bench_function("legacy-tdes2", |b| {
        b.iter(|| kcv(black_box(&tdes), KcvMethod::Legacy, 3).unwrap());
    });
    group.bench_function("cmac-aes128", |b| {
        b.iter(|| kcv(black_box(&aes), KcvMethod::Cmac, 5).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench_macs, bench_kcv);
criterion_main!(benches);
