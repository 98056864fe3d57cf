//! TDES DUKPT benches (figures in `dukpt/PERFORMANCE.md`).
//!
//! `cargo bench --bench dukpt_tdes -- --warm-up-time 1 --measurement-time 3`
//!
//! The host benches derive PIN keys for the same 4096 random KSNs (random devices, counters
//! uniform over the 1,048,575 valid counters). `baseline_des_crate_per_step` is the
//! straightforward implementation written here: the RustCrypto `des` crate (called directly,
//! no paycrypt wrapper) with a fresh key schedule for every step, BDK included.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(missing_docs)]

use core::hint::black_box;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use paycrypt_dukpt::tdes::{Bdk, KeyVariant, Ksn, Originator};
use paycrypt_primitives::key::TdesKey;

const BDK: [u8; 16] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
];
const BATCH: usize = 4096;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random devices; counters uniform over the valid ones (1 to 10 one-bits, 21 bits).
fn random_ksns(n: usize) -> Vec<Ksn> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            let counter = loop {
                let c = (rng.next() & 0x1F_FFFF) as u32;
                if c != 0 && c.count_ones() <= 10 {
                    break c;
                }
            };
            let mut b = [0u8; 10];
            b[..8].copy_from_slice(&rng.next().to_be_bytes());
            b[8..].copy_from_slice(&rng.next().to_be_bytes()[..2]);
            Ksn::from_bytes(b).with_counter(counter).unwrap()
        })
        .collect()
}

// ---- Baseline: the straightforward implementation, a new `des` key schedule per step. ----

const MASK: [u8; 16] = [
    0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0, 0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0,
];

fn des_e(key: &[u8], block: &mut [u8; 8]) {
    use des::cipher::{BlockCipherEncrypt, KeyInit};
    des::Des::new_from_slice(key)
        .unwrap()
        .encrypt_block(block.into());
}

fn nrkgp(k: &[u8; 16], r8: &[u8; 8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (half, key) in [(1, *k), (0, xor16(k, &MASK))] {
        let mut msg = [0u8; 8];
        for i in 0..8 {
            msg[i] = r8[i] ^ key[8 + i];
        }
        des_e(&key[..8], &mut msg);
        for i in 0..8 {
            out[8 * half + i] = msg[i] ^ key[8 + i];
        }
    }
    out
}

fn xor16(a: &[u8; 16], b: &[u8; 16]) -> [u8; 16] {
    let mut o = [0u8; 16];
    for i in 0..16 {
        o[i] = a[i] ^ b[i];
    }
    o
}

fn baseline_pin_key(bdk: &[u8; 16], ksn: &Ksn) -> [u8; 16] {
    let ksn = ksn.to_bytes();
    let mut i8 = [0u8; 8];
    i8.copy_from_slice(&ksn[..8]);
    i8[7] &= 0xE0;
    let mut ipek = [0u8; 16];
    for (half, key) in [(0, *bdk), (1, xor16(bdk, &MASK))] {
        let mut b = i8;
        {
            use des::cipher::{BlockCipherEncrypt, KeyInit};
            des::TdesEde2::new(&key.into()).encrypt_block((&mut b).into());
        }
        ipek[8 * half..8 * half + 8].copy_from_slice(&b);
    }
    let counter = u32::from_be_bytes([0, ksn[7] & 0x1F, ksn[8], ksn[9]]);
    let mut r8 = [0u8; 8];
    r8.copy_from_slice(&ksn[2..]);
    r8[5] &= 0xE0;
    r8[6] = 0;
    r8[7] = 0;
    let mut k = ipek;
    for bit in (0..21).rev() {
        if counter & (1 << bit) != 0 {
            let b = (1u32 << bit).to_be_bytes();
            r8[5] |= b[1];
            r8[6] |= b[2];
            r8[7] |= b[3];
            k = nrkgp(&k, &r8);
        }
    }
    k[7] ^= 0xFF;
    k[15] ^= 0xFF;
    k
}

fn host(c: &mut Criterion) {
    let ksns = random_ksns(BATCH);
    let bdk = Bdk::from_bytes(&BDK).unwrap();
    // The baseline and the crate agree.
    for k in &ksns[..16] {
        assert_eq!(
            baseline_pin_key(&BDK, k)[..],
            bdk.working_key_vartime(k, KeyVariant::Pin).expose_bytes()[..]
        );
    }
    let zero = TdesKey::from_bytes(&[0; 16]).unwrap();
    let mut out = vec![zero; BATCH];

    let mut g = c.benchmark_group("dukpt_tdes_host_pin_batch");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("baseline_des_crate_per_step", |b| {
        b.iter(|| {
            for k in &ksns {
                black_box(baseline_pin_key(black_box(&BDK), k));
            }
        })
    });
    g.bench_function("derive_many", |b| {
        b.iter(|| {
            bdk.derive_many(black_box(&ksns), KeyVariant::Pin, &mut out)
                .unwrap()
        })
    });
    g.bench_function("derive_many_vartime", |b| {
        b.iter(|| {
            bdk.derive_many_vartime(black_box(&ksns), KeyVariant::Pin, &mut out)
                .unwrap()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("dukpt_tdes_host_single");
    let one = ksns[7];
    g.bench_function("bdk_new", |b| {
        b.iter(|| Bdk::from_bytes(black_box(&BDK)).unwrap())
    });
    g.bench_function("pin_key", |b| {
        b.iter(|| bdk.working_key(black_box(&one), KeyVariant::Pin))
    });
    g.bench_function("pin_key_vartime", |b| {
        b.iter(|| bdk.working_key_vartime(black_box(&one), KeyVariant::Pin))
    });
    g.bench_function("ipek", |b| b.iter(|| bdk.ipek(black_box(&one))));
    g.finish();
}

fn originator(c: &mut Criterion) {
    let bdk = Bdk::from_bytes(&BDK).unwrap();
    let iksn: Ksn = "FFFF9876543210E00000".parse().unwrap();
    let ipek = bdk.ipek(&iksn);
    let mut g = c.benchmark_group("dukpt_tdes_originator");
    g.bench_function("load_initial_key", |b| {
        b.iter(|| Originator::with_initial_key(black_box(&ipek), &iksn).unwrap())
    });
    let mut device = Originator::with_initial_key(&ipek, &iksn).unwrap();
    g.bench_function("next_transaction", |b| {
        b.iter(|| match device.next_transaction() {
            Ok(t) => t,
            Err(_) => {
                // Exhausted after 1,048,575 transactions: reload (amortised to nothing).
                device.load_initial_key(&ipek, &iksn).unwrap();
                device.next_transaction().unwrap()
            }
        })
    });
    g.bench_function("next_transaction_and_pin_key", |b| {
        b.iter_batched(
            || (),
            |()| {
                let (_, key) = match device.next_transaction() {
                    Ok(t) => t,
                    Err(_) => {
                        device.load_initial_key(&ipek, &iksn).unwrap();
                        device.next_transaction().unwrap()
                    }
                };
                key.pin_key()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, host, originator);
criterion_main!(benches);
