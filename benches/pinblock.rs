//! ISO 9564-1 PIN blocks: encipher, decipher and translate per format.
//!
//! Run: `cargo bench --bench pinblock -- --warm-up-time 1 --measurement-time 3`
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::hint::black_box;
use criterion::{Criterion, criterion_group, criterion_main};
use paycrypt_pinblock::{
    Format, OsRng, Pan, Pin, PinKey, ReplayRng, decipher, encipher, translate,
};

fn key(format: Format) -> PinKey {
    if format == Format::Iso4 {
        PinKey::aes_from_bytes(&[0x2B; 16]).unwrap()
    } else {
        PinKey::tdes_from_bytes(&[0x4C; 16]).unwrap()
    }
}

fn other_key(format: Format) -> PinKey {
    if format == Format::Iso4 {
        PinKey::aes_from_bytes(&[0x7E; 32]).unwrap()
    } else {
        PinKey::tdes_from_bytes(&[0x15; 24]).unwrap()
    }
}

fn pin_blocks(c: &mut Criterion) {
    let pin = Pin::new("123456").unwrap();
    let pan = Pan::new("4111111111111111").unwrap();
    let random = [0x5Au8; 64];
    for format in Format::ALL {
        let k = key(format);
        let n = format.number();
        c.bench_function(&format!("pinblock/encipher/iso{n}"), |b| {
            b.iter(|| {
                encipher(
                    format,
                    &k,
                    black_box(&pin),
                    Some(&pan),
                    &mut ReplayRng::new(&random),
                )
                .unwrap()
            });
        });
        c.bench_function(&format!("pinblock/encipher-osrng/iso{n}"), |b| {
            b.iter(|| encipher(format, &k, black_box(&pin), Some(&pan), &mut OsRng).unwrap());
        });
        let block = encipher(format, &k, &pin, Some(&pan), &mut OsRng).unwrap();
        c.bench_function(&format!("pinblock/decipher/iso{n}"), |b| {
            b.iter(|| decipher(format, &k, black_box(block.as_bytes()), Some(&pan)).unwrap());
        });
    }
    // Translations: same format under another key, and the TDES <-> AES moves.
    let pairs = [
        (Format::Iso0, Format::Iso0),
        (Format::Iso1, Format::Iso1),
        (Format::Iso3, Format::Iso3),
        (Format::Iso4, Format::Iso4),
        (Format::Iso0, Format::Iso4),
        (Format::Iso4, Format::Iso0),
        (Format::Iso1, Format::Iso3),
    ];
    for (from, to) in pairs {
        let k1 = key(from);
        let k2 = other_key(to);
        let block = encipher(from, &k1, &pin, Some(&pan), &mut OsRng).unwrap();
        c.bench_function(
            &format!(
                "pinblock/translate/iso{}-to-iso{}",
                from.number(),
                to.number()
            ),
            |b| {
                b.iter(|| {
                    translate(
                        black_box(block.as_bytes()),
                        from,
                        &k1,
                        to,
                        &k2,
                        Some(&pan),
                        &mut ReplayRng::new(&random),
                    )
                    .unwrap()
                });
            },
        );
    }
    c.bench_function("pinblock/key-schedule/aes128", |b| {
        b.iter(|| PinKey::aes_from_bytes(black_box(&[0x2B; 16])).unwrap());
    });
    c.bench_function("pinblock/key-schedule/tdes2", |b| {
        b.iter(|| PinKey::tdes_from_bytes(black_box(&[0x4C; 16])).unwrap());
    });
}

criterion_group!(benches, pin_blocks);
criterion_main!(benches);
