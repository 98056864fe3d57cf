//! TR-34 key token build (KDH) and open (KRD) benchmarks. RSA dominates: small sample sizes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use core::hint::black_box;
use core::time::Duration;
use criterion::{Criterion, criterion_group, criterion_main};
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::OsRng;
use paycrypt_tr34::{
    Certificate, KdhTrust, KeyHeader, KeyToken, KeyTokenBuilder, Krd, Layout, Pass, SoftwareRsaKey,
};

fn read(p: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tr34/tests/data/test-pki/{p}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let kdh_key = SoftwareRsaKey::from_pkcs8_pem_or_der(&read("keys/kdh_1.key.pem")).unwrap();
    let kdh = Certificate::from_pem_or_der(&read("certs/kdh_1.cert.pem")).unwrap();
    let krd_key = SoftwareRsaKey::from_pkcs8_pem_or_der(&read("keys/krd_1.key.pem")).unwrap();
    let krd = Certificate::from_pem_or_der(&read("certs/krd_1.cert.pem")).unwrap();
    let anchors = [Certificate::from_pem_or_der(&read("certs/ca_kdh.cert.pem")).unwrap()];
    let key = SymmetricKey::new(KeyAlgorithm::Tdes2, &[0x5A; 16]).unwrap();
    let header = KeyHeader::parse("D9999K0TB00E0000").unwrap();
    let nonce = [7u8; 8];
    let trust = KdhTrust {
        kdh_certificate: &kdh,
        anchors: &anchors,
        crls: &[],
        at: Duration::from_secs(1_893_456_000),
    };

    let mut g = c.benchmark_group("tr34");
    g.sample_size(10);
    for profile in [
        Layout::AwsX9Tr34_2012,
        Layout::X9Tr34_2019AnnexB,
        Layout::Rfc5652,
    ] {
        let builder = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, profile);
        g.bench_function(format!("build_2pass_tdes_{}", profile.name()), |b| {
            b.iter(|| {
                builder
                    .build(
                        black_box(&key),
                        &header,
                        Pass::TwoPass { nonce: &nonce },
                        &mut OsRng,
                    )
                    .unwrap()
            })
        });
        let token = builder
            .build(&key, &header, Pass::TwoPass { nonce: &nonce }, &mut OsRng)
            .unwrap();
        g.bench_function(format!("parse_{}", profile.name()), |b| {
            b.iter(|| KeyToken::from_der(black_box(&token)).unwrap())
        });
        let parsed = KeyToken::from_der(&token).unwrap();
        g.bench_function(format!("verify_{}", profile.name()), |b| {
            b.iter(|| {
                parsed
                    .verify(&trust, Pass::TwoPass { nonce: &nonce })
                    .unwrap()
            })
        });
        let krd_side = Krd::new(&krd_key).with_certificate(&krd);
        g.bench_function(format!("open_2pass_tdes_{}", profile.name()), |b| {
            b.iter(|| {
                parsed
                    .open(
                        &krd_side,
                        &trust,
                        Pass::TwoPass {
                            nonce: black_box(&nonce),
                        },
                    )
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
