//! Card verification: CVV2 verify, and verification of an encrypted PIN block against a PVV.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use core::hint::black_box;
use criterion::{Criterion, criterion_group, criterion_main};
use hex_literal::hex;
use paycrypt::cvv::{Cvk, CvvData, CvvLength, Expiry4, Pan};
use paycrypt::pinblock::{
    Format, PinKey, PinMethod, PinVerificationKey, Pvki, Pvv, verify_pin_block,
};

fn cvv2_verify(c: &mut Criterion) {
    let cvk = Cvk::from_bytes(&hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
    let pan = Pan::new("4123456789012345").unwrap();
    let data = CvvData::cvv2(&pan, &Expiry4::new("8701").unwrap()).unwrap();
    let code = data.generate(&cvk, CvvLength::THREE);
    let presented = code.as_str().to_owned();
    c.bench_function("cvv2-verify", |b| {
        b.iter(|| black_box(&data).verify(black_box(&cvk), black_box(&presented)))
    });
    c.bench_function("cvv2-data-and-verify", |b| {
        b.iter(|| {
            let d = CvvData::cvv2(black_box(&pan), &Expiry4::new("8701").unwrap()).unwrap();
            d.verify(&cvk, black_box(&presented))
        })
    });
}

fn encrypted_pin_verify(c: &mut Criterion) {
    // ANSI X9.24-1:2009 A.4: PIN 1234 under the variant-applied DUKPT PIN key.
    let pek = PinKey::tdes_from_bytes(&hex!("042666B49184CF5C68DE9628D0397B36")).unwrap();
    let block = hex!("1B9C1845EB993A7A");
    let pan = Pan::new("4012345678909").unwrap();
    let pvk =
        PinVerificationKey::tdes_from_bytes(&hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
    let pvki = Pvki::new(1).unwrap();
    let pvv: Pvv =
        paycrypt::pinblock::pvv_from_pin_block(&pek, Format::Iso0, &block, Some(&pan), &pvk, pvki)
            .unwrap();
    let method = PinMethod::VisaPvv {
        pvk: &pvk,
        pvki,
        pvv: &pvv,
    };
    c.bench_function("pin-verify-iso0-pvv", |b| {
        b.iter(|| {
            verify_pin_block(
                black_box(&pek),
                Format::Iso0,
                black_box(&block),
                Some(&pan),
                &method,
            )
        })
    });
}

criterion_group!(benches, cvv2_verify, encrypted_pin_verify);
criterion_main!(benches);
