//! A dudect-style constant-time check of the default DUKPT host paths (O. Reparaz, J. Balasch,
//! I. Verbauwhede, "Dude, is my code constant time?", DATE 2017): each derivation is timed
//! many times with its secret input drawn from one of two classes — one fixed value, or fresh
//! random values — in random order, the slowest 10 % of all timings are dropped (interrupts,
//! other processes), and Welch's t statistic compares the two classes' mean times. `|t|` far
//! above 10 says the time depends on the secret.
//!
//! The KSN's counter is public (it travels in the clear) and sets the number of steps, so it is
//! the same in both classes; what varies is the BDK, or the KSN's device / initial-key-ID part
//! (which selects a secret IPEK / initial key).
//!
//! ```text
//! cargo run --release --example ct_dukpt -- [--quick] [--threshold T]
//! ```
//!
//! Exits 1 when a default path's `|t|` exceeds the threshold (default 10). The table-driven
//! TDES (`*_vartime`) is measured as a control: it is expected to leak.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::hint::black_box;
use paycrypt_dukpt::{aes, tdes};
use std::time::Instant;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        core::array::from_fn(|_| self.next() as u8)
    }
}

/// Welch's t over two samples.
fn welch(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let v = x.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / (n - 1.0);
        (n, m, v)
    };
    let (na, ma, va) = stats(a);
    let (nb, mb, vb) = stats(b);
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Times `run(class, i)` `n` times with random classes; returns `|t|` after cropping.
fn measure(n: usize, rng: &mut XorShift, mut run: impl FnMut(bool, usize)) -> f64 {
    let mut samples: Vec<(bool, f64)> = Vec::with_capacity(n);
    for i in 0..n {
        let class = rng.next() & 1 == 1;
        let t = Instant::now();
        run(class, i);
        samples.push((class, t.elapsed().as_nanos() as f64));
    }
    let mut times: Vec<f64> = samples.iter().map(|s| s.1).collect();
    times.sort_by(f64::total_cmp);
    let cut = times[times.len() * 9 / 10];
    type Samples<'a> = Vec<&'a (bool, f64)>;
    let (fixed, random): (Samples, Samples) =
        samples.iter().filter(|s| s.1 <= cut).partition(|s| s.0);
    let f: Vec<f64> = fixed.iter().map(|s| s.1).collect();
    let r: Vec<f64> = random.iter().map(|s| s.1).collect();
    welch(&f, &r).abs()
}

/// A TDES KSN with `device` bytes and a fixed counter of six one-bits.
fn tdes_ksn(device: [u8; 8]) -> tdes::Ksn {
    let mut b = [0u8; 10];
    b[..8].copy_from_slice(&device);
    b[7] &= 0xE0;
    b[8] = 0x5A;
    b[9] = 0x81;
    tdes::Ksn::from_bytes(b)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let threshold: f64 = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .map_or(10.0, |t| t.parse().expect("--threshold T"));
    let scale = if quick { 1 } else { 10 };
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D ^ u64::from(std::process::id()));
    let fixed_bdk = [0x11u8; 16];
    let fixed_dev = [0x22u8; 8];
    let pool = 256;
    let bdks: Vec<[u8; 16]> = (0..pool).map(|_| rng.bytes()).collect();
    let devs: Vec<[u8; 8]> = (0..pool).map(|_| rng.bytes()).collect();
    let mut failed = false;
    let mut report = |name: &str, t: f64, default_path: bool| {
        let verdict = if !default_path {
            "control (variable time expected)"
        } else if t > threshold {
            failed = true;
            "FAIL"
        } else {
            "ok"
        };
        println!("{name:<58} |t| = {t:7.2}  {verdict}");
    };

    // TDES, single derivation (Bdk::working_key): fixed vs random BDK; fixed vs random device.
    let tdes_bdks: Vec<tdes::Bdk> = bdks
        .iter()
        .map(|b| tdes::Bdk::from_bytes(b).unwrap())
        .collect();
    // The fixed class uses as many handles (same key) as the random one, so both classes touch
    // the same amount of memory.
    let tdes_fixeds: Vec<tdes::Bdk> = (0..pool)
        .map(|_| tdes::Bdk::from_bytes(&fixed_bdk).unwrap())
        .collect();
    let tdes_fixed = &tdes_fixeds[0];
    let ksn = tdes_ksn(fixed_dev);
    let pin = tdes::KeyVariant::Pin;
    let t = measure(4000 * scale, &mut rng, |c, i| {
        let bdk = if c {
            &tdes_fixeds[i % pool]
        } else {
            &tdes_bdks[i % pool]
        };
        black_box(bdk.working_key(black_box(&ksn), pin));
    });
    report("TDES working_key, fixed vs random BDK", t, true);
    let ksns: Vec<tdes::Ksn> = devs.iter().map(|d| tdes_ksn(*d)).collect();
    let t = measure(4000 * scale, &mut rng, |c, i| {
        let k = if c { &ksn } else { &ksns[i % pool] };
        black_box(tdes_fixed.working_key(black_box(k), pin));
    });
    report("TDES working_key, fixed vs random KSN device", t, true);
    // TDES batch (64 KSNs, the derive-batch path): fixed vs random BDK.
    let batch_fixed = vec![ksn; 64];
    let mut out = vec![[0u8; 16]; 64];
    let t = measure(600 * scale, &mut rng, |c, i| {
        let bdk = if c {
            &tdes_fixeds[i % pool]
        } else {
            &tdes_bdks[i % pool]
        };
        bdk.derive_many_bytes(black_box(&batch_fixed), Some(pin), &mut out)
            .unwrap();
        black_box(&out);
    });
    report(
        "TDES derive_many_bytes (64 KSNs), fixed vs random BDK",
        t,
        true,
    );
    let t = measure(600 * scale, &mut rng, |c, i| {
        let list = if c {
            &batch_fixed
        } else {
            &ksns[(i % 4) * 64..(i % 4) * 64 + 64]
        };
        tdes_fixed
            .derive_many_bytes(black_box(list), Some(pin), &mut out)
            .unwrap();
        black_box(&out);
    });
    report(
        "TDES derive_many_bytes (64 KSNs), fixed vs random devices",
        t,
        true,
    );
    // Control: the table-driven DES.
    let t = measure(4000 * scale, &mut rng, |c, i| {
        let bdk = if c {
            &tdes_fixeds[i % pool]
        } else {
            &tdes_bdks[i % pool]
        };
        black_box(bdk.working_key_vartime(black_box(&ksn), pin));
    });
    report("TDES working_key_vartime, fixed vs random BDK", t, false);

    // AES: every BDK size, single derivation and the batch.
    for len in [16usize, 24, 32] {
        let bdk_of = |b: &[u8; 16], extra: u8| {
            let mut k = b.to_vec();
            k.resize(len, extra);
            aes::Bdk::from_bytes(&k).unwrap()
        };
        let fixeds: Vec<aes::Bdk> = (0..pool).map(|_| bdk_of(&fixed_bdk, 0x33)).collect();
        let fixed = &fixeds[0];
        let random: Vec<aes::Bdk> = bdks.iter().map(|b| bdk_of(b, b[0])).collect();
        let ksn = aes::Ksn::new(aes::InitialKeyId::from_bytes(fixed_dev), 0x0012_3481);
        let usage = aes::KeyUsage::PinEncryption;
        let ty = aes::KeyType::Aes128;
        let t = measure(20000 * scale, &mut rng, |c, i| {
            let bdk = if c {
                &fixeds[i % pool]
            } else {
                &random[i % pool]
            };
            black_box(bdk.working_key(black_box(&ksn), usage, ty).unwrap());
        });
        report(
            &format!("AES-{} working_key, fixed vs random BDK", len * 8),
            t,
            true,
        );
        let ksns: Vec<aes::Ksn> = devs
            .iter()
            .map(|d| aes::Ksn::new(aes::InitialKeyId::from_bytes(*d), 0x0012_3481))
            .collect();
        let t = measure(20000 * scale, &mut rng, |c, i| {
            let k = if c { &ksn } else { &ksns[i % pool] };
            black_box(fixed.working_key(black_box(k), usage, ty).unwrap());
        });
        report(
            &format!(
                "AES-{} working_key, fixed vs random initial key ID",
                len * 8
            ),
            t,
            true,
        );
        let batch_fixed = vec![ksn; 64];
        let t = measure(1000 * scale, &mut rng, |c, i| {
            let bdk = if c {
                &fixeds[i % pool]
            } else {
                &random[i % pool]
            };
            bdk.derive_batch(black_box(&batch_fixed), usage, ty, |_, k| {
                black_box(k);
            })
            .unwrap();
        });
        report(
            &format!(
                "AES-{} derive_batch (64 KSNs), fixed vs random BDK",
                len * 8
            ),
            t,
            true,
        );
    }
    if failed {
        eprintln!("error: a default path's timing depends on its secret input (|t| > {threshold})");
        std::process::exit(1);
    }
}
