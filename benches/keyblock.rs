//! Criterion benches for paycrypt-keyblock: wrap and unwrap per version (A, B, C with a 2-key
//! TDES KBPK and a TDES key; D and E with an AES-256 KBPK and an AES-128 key), plus header
//! parsing of X9.143:2021 8.6 (a 1.8 KB header with a certificate chain).
//!
//! Run: `cargo bench --bench keyblock -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use core::hint::black_box;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use paycrypt_keyblock::{
    Algorithm, ClearKey, Exportability, Kbpk, KeyBlockHeader, KeyUsage, KeyVersion, ModeOfUse,
    Profile, Version, WrapOptions, unwrap, wrap,
};
use paycrypt_primitives::rng::ReplayRng;

fn cases() -> Vec<(Version, Kbpk, Algorithm, ClearKey)> {
    let tdes = Kbpk::tdes(&[0x5A; 16]).unwrap();
    let aes = Kbpk::aes(&[0xA5; 32]).unwrap();
    vec![
        (
            Version::A,
            tdes.clone(),
            Algorithm::Tdes,
            ClearKey::new(&[1; 16]),
        ),
        (
            Version::B,
            tdes.clone(),
            Algorithm::Tdes,
            ClearKey::new(&[1; 16]),
        ),
        (Version::C, tdes, Algorithm::Tdes, ClearKey::new(&[1; 16])),
        (
            Version::D,
            aes.clone(),
            Algorithm::Aes,
            ClearKey::new(&[2; 16]),
        ),
        (Version::E, aes, Algorithm::Aes, ClearKey::new(&[2; 16])),
    ]
}

fn header(v: Version, alg: Algorithm) -> KeyBlockHeader {
    KeyBlockHeader::new(
        v,
        KeyUsage::P0,
        alg,
        ModeOfUse::EncryptOnly,
        KeyVersion::Unused,
        Exportability::Exportable,
    )
}

const PADDING: [u8; 64] = [0x3C; 64];

fn bench_wrap_unwrap(c: &mut Criterion) {
    let mut g = c.benchmark_group("keyblock");
    let opts = WrapOptions::with_profile(Profile::Interop);
    for (v, kbpk, alg, key) in cases() {
        let h = header(v, alg);
        g.bench_function(BenchmarkId::new("wrap", v), |b| {
            b.iter(|| {
                let mut rng = ReplayRng::new(&PADDING);
                black_box(wrap(&kbpk, black_box(&h), &key, &opts, &mut rng).unwrap())
            });
        });
        let text = wrap(&kbpk, &h, &key, &opts, &mut ReplayRng::new(&PADDING)).unwrap();
        g.bench_function(BenchmarkId::new("unwrap", v), |b| {
            b.iter(|| black_box(unwrap(&kbpk, black_box(&text), Profile::Interop).unwrap()));
        });
    }
    g.finish();
}

fn bench_header(c: &mut Criterion) {
    // The X9.143:2021 8.6 header, taken from the crate's vector file.
    let data = include_str!("../keyblock/tests/data/keyblock.json");
    let at = data.find("\"x9.143-2021-8.6\"").unwrap();
    let rest = &data[at..];
    let start = rest.find("\"header\": \"").unwrap() + "\"header\": \"".len();
    let h = &rest[start..start + rest[start..].find('"').unwrap()];
    assert!(h.starts_with("D1840S0ES00N0400CT"));
    c.bench_function("keyblock/parse-header-x9.143-8.6", |b| {
        b.iter(|| black_box(KeyBlockHeader::parse_with(black_box(h), Profile::X9_143).unwrap()));
    });
}

criterion_group!(benches, bench_wrap_unwrap, bench_header);
criterion_main!(benches);
