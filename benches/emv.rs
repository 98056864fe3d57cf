//! Criterion benches for paycrypt-emv: ARQC verification (what an issuer host does for every
//! chip transaction: session-key derivation, the MAC over the input, the constant-time compare;
//! with and without the ICC master key derivation) and BER-TLV parsing of a field 55.
//!
//! Run: `cargo bench --bench emv -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use core::hint::black_box;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paycrypt::emv::tlv::{self, Tag};
use paycrypt::emv::{
    Ac, AcInput, CryptogramVersion, IccDerivation, IssuerMasterKey, Psn, generate, verify_arqc,
};
use paycrypt::pinblock::Pan;
use paycrypt::primitives::hex::decode;

/// A field 55 as a terminal sends it (Book 2 Table 26 tags, 9F10, 9F26, 9F27, 84, 9F33...).
const FIELD55: &str = "9F2608C2D7A3B1E4F5061A9F2701809F100706010A03A0B8009F3704112233449F36020001950500000080009A032612049C01009F02060000000010005F2A020978820258009F1A0202509F03060000000000009F3303E0F8C89F34034203009F3501229F1E0831323334353637388407A00000000310109F090200969F410400000001";

fn bench_arqc(c: &mut Criterion) {
    let imk =
        IssuerMasterKey::<Ac>::from_bytes(&decode("0123456789ABCDEFFEDCBA9876543210").unwrap())
            .unwrap();
    let pan = Pan::new("4761739001010010").unwrap();
    let psn = Psn::new(1).unwrap();
    let data = decode(FIELD55).unwrap();
    let mut g = c.benchmark_group("emv-arqc-verify");
    g.throughput(Throughput::Elements(1));
    for profile in [
        CryptogramVersion::Visa10,
        CryptogramVersion::Visa18,
        CryptogramVersion::Mchip16,
        CryptogramVersion::Mchip21,
    ] {
        let spec = profile.spec();
        let mk = imk.derive_icc(&pan, psn, spec.icc);
        let params = profile.ac_params();
        let input = AcInput::raw(
            data.get(..60).unwrap(),
            [0, 1],
            Some([0x11, 0x22, 0x33, 0x44]),
        )
        .unwrap();
        let arqc = generate(&params, &mk, &input).unwrap();
        g.bench_function(format!("{}/icc-mk", profile.name()), |b| {
            b.iter(|| {
                verify_arqc(
                    &params,
                    black_box(&mk),
                    black_box(&input),
                    black_box(&arqc.0),
                )
                .unwrap()
            });
        });
        g.bench_function(format!("{}/imk", profile.name()), |b| {
            b.iter(|| {
                let mk = black_box(&imk).derive_icc(&pan, psn, IccDerivation::OptionA);
                verify_arqc(&params, &mk, black_box(&input), black_box(&arqc.0)).unwrap()
            });
        });
    }
    g.finish();
}

fn bench_tlv(c: &mut Criterion) {
    let data = decode(FIELD55).unwrap();
    let mut g = c.benchmark_group("emv-tlv");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("validate", |b| {
        b.iter(|| tlv::validate(black_box(&data)).unwrap())
    });
    g.bench_function("find-9F10", |b| {
        b.iter(|| tlv::find(black_box(&data), Tag::two(0x9F, 0x10)).unwrap())
    });
    g.bench_function("decode-tree", |b| {
        b.iter(|| tlv::decode_tree(black_box(&data)).unwrap())
    });
    g.bench_function("arqc-input-from-tlv", |b| {
        b.iter(|| AcInput::from_tlv(CryptogramVersion::Visa10, black_box(&data)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_arqc, bench_tlv);
criterion_main!(benches);
