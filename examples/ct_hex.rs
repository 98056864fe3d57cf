//! Timing leakage of hex decoding of secrets (dudect-style, see `dudect/mod.rs`): class 0
//! decodes a fixed key, class 1 random keys. A decoder whose time depends on the digits leaks
//! the key it decodes.
//!
//! Run with `cargo run --release --example ct_hex [SAMPLES]` (default 200 000). It prints the
//! largest Welch |t| for the secret decoder (`hex::decode`) and, for comparison, the public
//! fast path (`hex::decode_vartime`); it exits 1 when the secret decoder's |t| exceeds 10.

// A measurement tool over prepared inputs: indexing and `expect` on them are fine here.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::std_instead_of_core
)]

mod dudect;

use core::hint::black_box;
use paycrypt::primitives::hex;

const POOL: usize = 64;

fn main() {
    let samples = dudect::samples_from_args(200_000);
    let mut rng = dudect::Schedule::new(7);
    let digits = b"0123456789ABCDEFabcdef";
    // Both classes read from pools of the same shape, so that memory layout is no difference.
    let fixed: Vec<String> = (0..POOL).map(|_| "0".repeat(32)).collect();
    let random: Vec<String> = (0..POOL)
        .map(|_| {
            (0..32)
                .map(|_| char::from(digits[(rng.next_u64() % 22) as usize]))
                .collect()
        })
        .collect();
    let inputs = |c: usize, i: usize| {
        if c == 0 {
            &fixed[i % POOL]
        } else {
            &random[i % POOL]
        }
    };
    let secret = dudect::measure(samples, 8, |c, i| {
        let _ = black_box(hex::decode(black_box(inputs(c, i))));
    });
    println!(
        "hex::decode (secret)   max |t| = {:>8.2}   median ns: fixed {:>6.1}, random {:>6.1}",
        secret.max_t, secret.median_ns[0], secret.median_ns[1]
    );
    let public = dudect::measure(samples, 8, |c, i| {
        let _ = black_box(hex::decode_vartime(black_box(inputs(c, i))));
    });
    println!(
        "hex::decode_vartime    max |t| = {:>8.2}   median ns: fixed {:>6.1}, random {:>6.1}",
        public.max_t, public.median_ns[0], public.median_ns[1]
    );
    if secret.max_t > 10.0 {
        std::process::exit(1);
    }
}
