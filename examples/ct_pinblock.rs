//! Timing leakage of PIN block decoding (dudect-style, see `dudect/mod.rs`).
//!
//! Class 0 is a block that fails late ("wrong PAN": made for another PAN than the one it is
//! decoded with, so the digits or the fill do not check out),
//! class 1 one that fails early ("bad length nibble"); for clear format 4, where the PAN takes
//! no part in decoding, class 0 is a bad fill nibble. Both classes must take the same time:
//! ISO 9564-1:2017 §9.5 lets no decode failure of an enciphered block be told from another,
//! and a timing difference is such a tell.
//!
//! Run with `cargo run --release --example ct_pinblock [SAMPLES]` (default 200 000 samples per
//! case; it runs a few seconds). It prints the largest Welch |t| per case and exits 1 when one
//! of the cases exceeds 10 (a clear leak; between 5 and 10 re-run with more samples). Both the
//! clear [`decode`] (one `Error::InvalidPinBlock` for every content check) and [`decipher`]
//! (one `Error::WrongKeyOrPan`) run their checks branch-free up to one constant error, so all
//! four cases are held to the same bound.

// A measurement tool over prepared inputs: indexing and `expect` on them are fine here.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::std_instead_of_core
)]

mod dudect;

use core::hint::black_box;
use paycrypt::pinblock::{
    Error, Format, Pan, Pin, PinKey, ReplayRng, decipher, decode, encipher, encode,
};
use paycrypt::primitives::block::BlockCipher;
use paycrypt::primitives::key::{KeyAlgorithm, SymmetricKey};

const POOL: usize = 64;

fn pan1() -> Pan {
    Pan::new("4012345678909").expect("PAN")
}

fn pan2() -> Pan {
    Pan::new("5398765432103").expect("PAN")
}

fn random_pin(rng: &mut dudect::Schedule) -> Pin {
    let len = 4 + (rng.next_u64() % 9) as usize;
    let digits: String = (0..len)
        .map(|_| char::from(b'0' + (rng.next_u64() % 10) as u8))
        .collect();
    Pin::new(&digits).expect("PIN")
}

/// A PIN field (16 or 32 nibbles) with a length nibble outside 4–12.
fn bad_length_field(format: Format, rng: &mut dudect::Schedule) -> Vec<u8> {
    const BAD: [u8; 7] = [0, 1, 2, 3, 0xD, 0xE, 0xF];
    let bad = BAD[(rng.next_u64() % 7) as usize];
    let nibbles = if format == Format::Iso4 { 32 } else { 16 };
    let mut n = vec![0u8; nibbles];
    n[0] = format.number();
    n[1] = bad;
    for (i, v) in n.iter_mut().enumerate().skip(2) {
        *v = match (i, format) {
            (2..=5, _) => (rng.next_u64() % 10) as u8,
            (16.., _) => (rng.next_u64() % 16) as u8,
            (_, Format::Iso4) => 0xA,
            _ => 0xF,
        };
    }
    n.chunks(2).map(|p| (p[0] << 4) | p[1]).collect()
}

fn xor(a: &mut [u8], b: &[u8]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= y;
    }
}

fn report(name: &str, samples: usize, inner: usize, op: impl FnMut(usize, usize)) -> f64 {
    let o = dudect::measure(samples, inner, op);
    println!(
        "{name:<24} max |t| = {:>8.2}   median ns: class 0 {:>7.1}, class 1 {:>7.1}",
        o.max_t, o.median_ns[0], o.median_ns[1]
    );
    o.max_t
}

#[allow(clippy::too_many_lines)]
fn main() {
    let samples = dudect::samples_from_args(200_000);
    let mut rng = dudect::Schedule::new(42);
    let tdes_bytes = [
        0x0123_4567_89AB_CDEFu64.to_be_bytes(),
        0xFEDC_BA98_7654_3210u64.to_be_bytes(),
    ]
    .concat();
    let aes_bytes = [
        0x0011_2233_4455_6677u64.to_be_bytes(),
        0x8899_AABB_CCDD_EEFFu64.to_be_bytes(),
    ]
    .concat();
    let tdes = PinKey::tdes_from_bytes(&tdes_bytes).expect("key");
    let aes = PinKey::aes_from_bytes(&aes_bytes).expect("key");
    let tdes_raw =
        BlockCipher::new(&SymmetricKey::new(KeyAlgorithm::Tdes2, &tdes_bytes).expect("key"));
    let aes_raw =
        BlockCipher::new(&SymmetricKey::new(KeyAlgorithm::Aes128, &aes_bytes).expect("key"));
    let (p1, p2) = (pan1(), pan2());
    let f0 = p1.field(Format::Iso0).expect("field");
    let f4 = p1.field(Format::Iso4).expect("field");

    // Clear format 0: wrong PAN vs bad length nibble.
    let mut clear0: [Vec<Vec<u8>>; 2] = [vec![], vec![]];
    // Clear format 4: bad fill vs bad length nibble.
    let mut clear4: [Vec<Vec<u8>>; 2] = [vec![], vec![]];
    // Enciphered format 0 and 4: wrong PAN vs bad length nibble.
    let mut enc0: [Vec<Vec<u8>>; 2] = [vec![], vec![]];
    let mut enc4: [Vec<Vec<u8>>; 2] = [vec![], vec![]];
    for _ in 0..POOL {
        let pin = random_pin(&mut rng);
        let random = rng.next_u64().to_be_bytes();
        let b = encode(Format::Iso0, &pin, Some(&p2), &mut ReplayRng::new(&[])).expect("encode");
        clear0[0].push(b.expose_bytes().to_vec());
        let mut bad = bad_length_field(Format::Iso0, &mut rng);
        xor(&mut bad, f0.as_bytes());
        clear0[1].push(bad.clone());
        tdes_raw.encrypt_block(&mut bad).expect("block");
        enc0[1].push(bad);
        let e = encipher(
            Format::Iso0,
            &tdes,
            &pin,
            Some(&p2),
            &mut ReplayRng::new(&[]),
        )
        .expect("encipher");
        enc0[0].push(e.as_bytes().to_vec());

        let b = encode(Format::Iso4, &pin, None, &mut ReplayRng::new(&random)).expect("encode");
        let mut fill_bad = b.expose_bytes().to_vec();
        fill_bad[7] ^= 0x01; // nibble 15: fill A becomes B
        clear4[0].push(fill_bad);
        let mut bad = bad_length_field(Format::Iso4, &mut rng);
        clear4[1].push(bad.clone());
        aes_raw.encrypt_block(&mut bad).expect("block");
        xor(&mut bad, f4.as_bytes());
        aes_raw.encrypt_block(&mut bad).expect("block");
        enc4[1].push(bad);
        let e = encipher(
            Format::Iso4,
            &aes,
            &pin,
            Some(&p2),
            &mut ReplayRng::new(&random),
        )
        .expect("encipher");
        enc4[0].push(e.as_bytes().to_vec());
    }
    // Sanity: every prepared input fails, with the one error of its path.
    for c in 0..2 {
        let pan = &p1;
        assert!(
            clear0[c]
                .iter()
                .all(|b| decode(Format::Iso0, b, Some(pan)) == Err(Error::InvalidPinBlock))
        );
        assert!(
            clear4[c]
                .iter()
                .all(|b| decode(Format::Iso4, b, None) == Err(Error::InvalidPinBlock))
        );
        assert!(
            enc0[c]
                .iter()
                .all(|b| decipher(Format::Iso0, &tdes, b, Some(pan)) == Err(Error::WrongKeyOrPan))
        );
        assert!(
            enc4[c]
                .iter()
                .all(|b| decipher(Format::Iso4, &aes, b, Some(pan)) == Err(Error::WrongKeyOrPan))
        );
    }
    let mut worst = 0f64;
    worst = worst.max(report("clear format 0", samples, 16, |c, i| {
        let _ = black_box(decode(Format::Iso0, &clear0[c][i % POOL], Some(&p1)));
    }));
    worst = worst.max(report("clear format 4", samples, 16, |c, i| {
        let _ = black_box(decode(Format::Iso4, &clear4[c][i % POOL], None));
    }));
    worst = worst.max(report("enciphered format 0", samples, 4, |c, i| {
        let _ = black_box(decipher(Format::Iso0, &tdes, &enc0[c][i % POOL], Some(&p1)));
    }));
    worst = worst.max(report("enciphered format 4", samples, 4, |c, i| {
        let _ = black_box(decipher(Format::Iso4, &aes, &enc4[c][i % POOL], Some(&p1)));
    }));
    println!("largest |t| = {worst:.2} ({samples} samples per case)");
    if worst > 10.0 {
        std::process::exit(1);
    }
}
