//! A small dudect-style leakage test (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant
//! time?", DATE 2017): time one operation on inputs of two classes, interleaved at random, and
//! compare the two timing distributions with Welch's t-test, also after cropping the slow tail
//! at several percentiles. |t| above about 5 means the classes are distinguishable; below it the
//! test found no leak at this sample size (which is no proof of constant time).

use core::hint::black_box;
use std::time::Instant;

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    let (na, ma, va) = stats(a);
    let (nb, mb, vb) = stats(b);
    let denom = (va / na + vb / nb).sqrt();
    if denom == 0.0 { 0.0 } else { (ma - mb) / denom }
}

/// A xorshift64* generator: the class schedule needs no cryptographic quality.
pub struct Schedule(u64);

impl Schedule {
    /// A fixed seed, so runs are reproducible.
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The result of one measurement: the largest |t| over the uncropped samples and the crops.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Largest |t|.
    pub max_t: f64,
    /// Median time of class 0 and class 1, in nanoseconds.
    pub median_ns: [f64; 2],
}

/// Times `op(class, index)` `samples` times, class chosen at random (0 or 1), `index` a random
/// number the caller uses to pick one of its prepared inputs. `inner` calls are timed together
/// per sample to lift the operation above the clock's resolution.
pub fn measure<F: FnMut(usize, usize)>(samples: usize, inner: usize, mut op: F) -> Outcome {
    let mut rng = Schedule::new(0x5EED_CAFE_F00D_BEEF);
    let mut times: [Vec<f64>; 2] = [Vec::with_capacity(samples), Vec::with_capacity(samples)];
    // Warm-up: caches, branch predictors, frequency.
    for _ in 0..samples / 10 {
        let r = rng.next_u64();
        op(black_box((r & 1) as usize), (r >> 8) as usize);
    }
    for _ in 0..samples {
        let r = rng.next_u64();
        let class = (r & 1) as usize;
        let index = (r >> 8) as usize;
        let start = Instant::now();
        for k in 0..inner {
            op(black_box(class), black_box(index.wrapping_add(k)));
        }
        let ns = start.elapsed().as_nanos() as f64;
        if let Some(v) = times.get_mut(class) {
            v.push(ns);
        }
    }
    let mut all: Vec<f64> = times.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let mut max_t = welch_t(&times[0], &times[1]).abs();
    for pct in [0.5, 0.75, 0.9, 0.95, 0.99] {
        let idx = ((all.len() as f64) * pct) as usize;
        let Some(&threshold) = all.get(idx.min(all.len().saturating_sub(1))) else {
            continue;
        };
        let a: Vec<f64> = times[0]
            .iter()
            .copied()
            .filter(|t| *t <= threshold)
            .collect();
        let b: Vec<f64> = times[1]
            .iter()
            .copied()
            .filter(|t| *t <= threshold)
            .collect();
        if a.len() > 100 && b.len() > 100 {
            max_t = max_t.max(welch_t(&a, &b).abs());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0) / inner as f64
    };
    let [mut a, mut b] = times;
    Outcome {
        max_t,
        median_ns: [median(&mut a), median(&mut b)],
    }
}

/// The sample count: the first command-line argument, or `default`.
pub fn samples_from_args(default: usize) -> usize {
    std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
