//! AES DUKPT (X9.24-3:2017) benches: host derivation (single, batch) against a straightforward
//! baseline, originator per transaction, initial load.
//!
//! KSNs: 4,096 per iteration, each with a random initial key ID (so no initial key is shared:
//! the worst case for the batch path's initial-key cache) and a counter drawn uniformly from
//! the valid counters (1 to 16 one-bits; mean popcount about 14). Fixed seed.
//!
//! Run: `cargo bench --bench dukpt_aes -- --warm-up-time 1 --measurement-time 3`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use core::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use paycrypt_dukpt::aes::{
    Bdk, InitialKeyId, KeyType, KeyUsage, Ksn, Originator, WorkingKey, counter_is_valid,
};

const N: usize = 4096;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random initial key IDs, counters uniform over the valid space.
fn random_ksns(n: usize, seed: u64) -> Vec<Ksn> {
    let mut rng = XorShift(seed);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let ikid = rng.next().to_be_bytes();
        let counter = (rng.next() >> 32) as u32;
        if counter_is_valid(counter) {
            out.push(Ksn::new(InitialKeyId::from_bytes(ikid), counter));
        }
    }
    out
}

/// The straightforward implementation the performance target is measured against: every
/// `DeriveKey` step keys the RustCrypto `aes` crate afresh (`aes::Aes128Enc::new`, called
/// directly, no paycrypt wrapper and no zeroization), encrypts the derivation data, and moves
/// on. AES-128 BDK, AES-128 PIN key (X9.24-3:2017 §6.3–6.4).
mod baseline {
    use super::*;

    fn dd(usage: u16, algo: u16, bits: u16, tail: [u8; 8]) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[0] = 1;
        b[1] = 1;
        b[2..4].copy_from_slice(&usage.to_be_bytes());
        b[4..6].copy_from_slice(&algo.to_be_bytes());
        b[6..8].copy_from_slice(&bits.to_be_bytes());
        b[8..].copy_from_slice(&tail);
        b
    }

    fn derive(key: &[u8; 16], data: [u8; 16]) -> [u8; 16] {
        use aes::cipher::{BlockCipherEncrypt, KeyInit};
        let cipher = aes::Aes128Enc::new(&(*key).into());
        let mut block = data.into();
        cipher.encrypt_block(&mut block);
        block.into()
    }

    pub fn pin_key(bdk: &[u8; 16], ksn: &Ksn) -> [u8; 16] {
        let b = ksn.to_bytes();
        let ikid: [u8; 8] = b[..8].try_into().unwrap();
        let counter = ksn.counter();
        let mut k = derive(bdk, dd(0x8001, 2, 128, ikid));
        let mut w = 0u32;
        for bit in (0..32).rev() {
            let mask = 1u32 << bit;
            if counter & mask != 0 {
                w |= mask;
                let mut tail = [0u8; 8];
                tail[..4].copy_from_slice(&ikid[4..]);
                tail[4..].copy_from_slice(&w.to_be_bytes());
                k = derive(&k, dd(0x8000, 2, 128, tail));
            }
        }
        let mut tail = [0u8; 8];
        tail[..4].copy_from_slice(&ikid[4..]);
        tail[4..].copy_from_slice(&counter.to_be_bytes());
        derive(&k, dd(0x1000, 2, 128, tail))
    }
}

fn host(c: &mut Criterion) {
    let bdk_bytes = [0x5Au8; 16];
    let bdk = Bdk::from_bytes(&bdk_bytes).unwrap();
    let ksns = random_ksns(N, 0x0123_4567_89AB_CDEF);

    // The fast path must agree with the baseline.
    let mut checked = 0;
    bdk.derive_batch(
        &ksns[..64],
        KeyUsage::PinEncryption,
        KeyType::Aes128,
        |i, k| {
            assert_eq!(k.expose_bytes(), baseline::pin_key(&bdk_bytes, &ksns[i]));
            checked += 1;
        },
    )
    .unwrap();
    assert_eq!(checked, 64);

    let mut g = c.benchmark_group("dukpt_aes_host_aes128_pin");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("baseline_aes_crate_per_step", |b| {
        b.iter(|| {
            for ksn in &ksns {
                black_box(baseline::pin_key(&bdk_bytes, black_box(ksn)));
            }
        })
    });
    g.bench_function("single_working_key", |b| {
        b.iter(|| {
            for ksn in &ksns {
                black_box(
                    bdk.working_key(black_box(ksn), KeyUsage::PinEncryption, KeyType::Aes128)
                        .unwrap(),
                );
            }
        })
    });
    g.bench_function("batch_derive_batch", |b| {
        b.iter(|| {
            bdk.derive_batch(
                black_box(&ksns),
                KeyUsage::PinEncryption,
                KeyType::Aes128,
                |_, k| {
                    black_box(k);
                },
            )
            .unwrap()
        })
    });
    g.finish();

    let bdk256 = Bdk::from_bytes(&[0xA5; 32]).unwrap();
    let mut g = c.benchmark_group("dukpt_aes_host_aes256_bdk");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("batch_aes128_pin", |b| {
        b.iter(|| {
            bdk256
                .derive_batch(&ksns, KeyUsage::PinEncryption, KeyType::Aes128, |_, k| {
                    black_box(k);
                })
                .unwrap()
        })
    });
    g.bench_function("batch_aes256_data", |b| {
        b.iter(|| {
            bdk256
                .derive_batch(&ksns, KeyUsage::DataEncrypt, KeyType::Aes256, |_, k| {
                    black_box(k);
                })
                .unwrap()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("dukpt_aes_host_misc");
    let ikid = InitialKeyId::from_bytes(*b"\x12\x34\x56\x78\x90\x12\x34\x56");
    g.bench_function("initial_key_aes128", |b| {
        b.iter(|| black_box(bdk.initial_key(black_box(&ikid))))
    });
    g.bench_function("update_key_aes128", |b| {
        b.iter(|| black_box(bdk.update_key(black_box(&ikid), KeyType::Aes128).unwrap()))
    });
    g.finish();
}

fn originator(c: &mut Criterion) {
    let mut g = c.benchmark_group("dukpt_aes_originator");
    for (name, bdk) in [
        ("aes128", Bdk::from_bytes(&[0x11; 16]).unwrap()),
        ("aes256", Bdk::from_bytes(&[0x22; 32]).unwrap()),
    ] {
        let ikid = InitialKeyId::from_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        g.bench_function(format!("load_initial_key_{name}"), |b| {
            b.iter(|| black_box(Originator::load(bdk.initial_key(&ikid))))
        });
        g.throughput(Throughput::Elements(1000));
        g.bench_function(format!("transaction_pin_key_{name}"), |b| {
            b.iter_batched_ref(
                || Originator::load(bdk.initial_key(&ikid)),
                |device| {
                    for _ in 0..1000 {
                        let k: WorkingKey = device
                            .working_key(KeyUsage::PinEncryption, KeyType::Aes128)
                            .unwrap();
                        black_box(k);
                        device.advance().unwrap();
                    }
                },
                BatchSize::SmallInput,
            )
        });
        g.throughput(Throughput::Elements(1));
    }
    g.finish();
}

criterion_group!(benches, host, originator);
criterion_main!(benches);
