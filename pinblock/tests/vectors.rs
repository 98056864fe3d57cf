//! Known-answer tests: one runner per data file under `tests/data/`.
//!
//! - `pinblock.json`: copy of `shared/vectors/pinblock.json` (ISO 9564-1 / X9.24 examples);
//! - `dukpt-pin.json`: the PIN blocks of `shared/vectors/dukpt.json` (X9.24-1:2009 A.4 TDES,
//!   X9.24-3-2017 supplement AES), extracted by `tests/data/extract_dukpt_pin.py`;
//! - `iso9564-derived.json`: values DERIVED by an independent Python implementation
//!   (`tests/data/gen_iso9564_derived.py`), for what the published examples do not cover.
//!
//! Every positive vector also gets a tamper case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_pinblock::{
    Error, Fill, Format, Pan, Pin, PinKey, ReplayRng, decipher, decode, encipher,
    encipher_format4_with_intermediates, encipher_with_fill, encode, encode_with_fill, translate,
};
use paycrypt_test_support::{Vector, load as load_vectors};

fn load(name: &str) -> Vec<Vector> {
    load_vectors(&format!("pinblock/tests/data/{name}"))
}

fn format(v: &Vector, k: &str) -> Format {
    v.str(k).parse().unwrap()
}

fn key_for(format: Format, bytes: &[u8]) -> PinKey {
    PinKey::for_format(format, bytes).unwrap()
}

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[bit / 8] ^= 0x80 >> (bit % 8);
    b
}

/// A PAN with the digit just left of the check digit changed: in formats 0 and 3 it lands on the
/// last fill nibble, in format 4 inside the PAN field.
fn tampered_pan(pan: &str) -> Pan {
    let mut d = pan.as_bytes().to_vec();
    let i = d.len() - 2;
    d[i] = if d[i] == b'9' { b'0' } else { d[i] + 1 };
    Pan::from_ascii(&d).unwrap()
}

/// The library error a vector's `expect_error` names.
fn matches_expected(kind: &str, e: &Error) -> bool {
    match kind {
        "fill" => matches!(
            e,
            Error::InvalidPinBlock | Error::FillValue { .. } | Error::FillLength { .. }
        ),
        "pin_length" => matches!(e, Error::PinLength { .. } | Error::InvalidPinBlock),
        "pin_not_numeric" => matches!(e, Error::PinNotNumeric | Error::InvalidPinBlock),
        "control_field" => matches!(e, Error::InvalidPinBlock),
        "block_length" => matches!(e, Error::BlockLength { .. }),
        "pan_invalid" => matches!(
            e,
            Error::PanLength { .. } | Error::PanNotNumeric | Error::PanRequired { .. }
        ),
        "policy" => matches!(
            e,
            Error::PanBoundToFormat1 { .. }
                | Error::Format2NotInterchange
                | Error::KeyFormatMismatch { .. }
        ),
        other => panic!("unknown expect_error {other}"),
    }
}

fn encipher_decipher(v: &Vector) {
    let id = v.id.as_str();
    let f = format(v, "format");
    let pin = Pin::new(v.str("pin")).unwrap();
    let pan = Pan::new(v.str("pan")).unwrap();
    let key = key_for(f, &v.hex("key"));
    let expected = v.hex("cipher_block");
    let block = match f {
        Format::Iso4 => {
            let random: [u8; 8] = v.hex("random").try_into().unwrap();
            let fill = Fill::from_format4_random(&random);
            let field = encode_with_fill(f, &pin, None, &fill).unwrap();
            assert_eq!(field.expose_bytes(), v.hex("pin_field"), "{id}: PIN field");
            assert_eq!(
                pan.iso4_field().unwrap().to_vec(),
                v.hex("pan_field"),
                "{id}: PAN field"
            );
            let steps = encipher_format4_with_intermediates(&key, &field, &pan).unwrap();
            assert_eq!(
                steps.intermediate_a().to_vec(),
                v.hex("intermediate_a"),
                "{id}: A"
            );
            assert_eq!(
                steps.intermediate_b().to_vec(),
                v.hex("intermediate_b"),
                "{id}: B"
            );
            assert_eq!(steps.block().as_bytes(), expected, "{id}: block via A, B");
            // The random half drawn from an injected source gives the same block.
            let b = encipher(f, &key, &pin, Some(&pan), &mut ReplayRng::new(&random)).unwrap();
            assert_eq!(b, steps.block(), "{id}: RNG path");
            encipher_with_fill(f, &key, &pin, Some(&pan), &fill).unwrap()
        }
        _ => {
            let clear = encode(f, &pin, Some(&pan), &mut ReplayRng::new(&[])).unwrap();
            assert_eq!(clear.expose_bytes(), v.hex("clear_block"), "{id}: clear");
            assert_eq!(
                decode(f, &v.hex("clear_block"), Some(&pan)).unwrap(),
                pin,
                "{id}: decode"
            );
            encipher(f, &key, &pin, Some(&pan), &mut ReplayRng::new(&[])).unwrap()
        }
    };
    assert_eq!(block.as_bytes(), expected, "{id}: cipher block");
    assert_eq!(
        decipher(f, &key, &expected, Some(&pan)).unwrap(),
        pin,
        "{id}: decipher"
    );
    // Tamper: one flipped bit, a wrong PAN, a wrong key.
    for bit in [0, 37, expected.len() * 8 - 1] {
        assert_eq!(
            decipher(f, &key, &flip(&expected, bit), Some(&pan)).err(),
            Some(Error::WrongKeyOrPan),
            "{id}: bit {bit}"
        );
    }
    assert_eq!(
        decipher(f, &key, &expected, Some(&tampered_pan(v.str("pan")))).err(),
        Some(Error::WrongKeyOrPan),
        "{id}: wrong PAN"
    );
    let wrong_key = key_for(f, &flip(&v.hex("key"), 9));
    assert_eq!(
        decipher(f, &wrong_key, &expected, Some(&pan)).err(),
        Some(Error::WrongKeyOrPan),
        "{id}: wrong key"
    );
}

fn encode_decode(v: &Vector) {
    let id = v.id.as_str();
    let f = format(v, "format");
    let pin = Pin::new(v.str("pin")).unwrap();
    let pan = v.opt_str("pan").map(|p| Pan::new(p).unwrap());
    let clear = v.hex("clear_block");
    let b = encode(f, &pin, pan.as_ref(), &mut ReplayRng::new(&[])).unwrap();
    assert_eq!(b.expose_bytes(), clear, "{id}");
    assert_eq!(decode(f, &clear, pan.as_ref()).unwrap(), pin, "{id}");
    // Tamper: the last nibble is fill.
    assert_eq!(
        decode(f, &flip(&clear, clear.len() * 8 - 1), pan.as_ref()).err(),
        Some(Error::InvalidPinBlock),
        "{id}: tampered"
    );
}

fn pan_field(v: &Vector) {
    let id = v.id.as_str();
    assert_eq!(format(v, "format"), Format::Iso4, "{id}");
    let pan = Pan::new(v.str("pan")).unwrap();
    let expected = v.hex("pan_field");
    assert_eq!(pan.iso4_field().unwrap().to_vec(), expected, "{id}");
    assert_eq!(
        pan.field(Format::Iso4).unwrap().as_bytes(),
        expected,
        "{id}"
    );
    // Tamper: one changed digit changes the field.
    let digits = v.str("pan");
    let mut d = digits.as_bytes().to_vec();
    let last = d.len() - 1;
    d[last] = if d[last] == b'9' { b'0' } else { d[last] + 1 };
    assert_ne!(
        Pan::from_ascii(&d).unwrap().iso4_field().unwrap().to_vec(),
        expected,
        "{id}: tampered"
    );
}

fn translate_vector(v: &Vector) {
    let id = v.id.as_str();
    let from = format(v, "in_format");
    let to = format(v, "out_format");
    if let Some(kind) = v.opt_str("expect_error") {
        // Policy negatives carry no keys: any key of the right algorithm, any block of the
        // right length; the policy is checked before anything is decrypted.
        let tdes = PinKey::tdes_from_bytes(&[0x11; 16]).unwrap();
        let aes = PinKey::aes_from_bytes(&[0x22; 16]).unwrap();
        let k = |f: Format| if f == Format::Iso4 { &aes } else { &tdes };
        let pan = Pan::new("4111111111111111").unwrap();
        let block = vec![0u8; from.block_len()];
        let e = translate(
            &block,
            from,
            k(from),
            to,
            k(to),
            Some(&pan),
            &mut ReplayRng::new(&[0; 16]),
        )
        .unwrap_err();
        assert!(matches_expected(kind, &e), "{id}: {e:?}");
        return;
    }
    let pan = Pan::new(v.str("pan")).unwrap();
    let in_key = key_for(from, &v.hex("in_key"));
    let out_key = key_for(to, &v.hex("out_key"));
    let in_block = v.hex("in_block");
    let out = translate(
        &in_block,
        from,
        &in_key,
        to,
        &out_key,
        Some(&pan),
        &mut ReplayRng::new(&[]),
    )
    .unwrap();
    assert_eq!(out.as_bytes(), v.hex("out_block"), "{id}");
    assert_eq!(
        decipher(to, &out_key, out.as_bytes(), Some(&pan)).unwrap(),
        Pin::new(v.str("pin")).unwrap(),
        "{id}"
    );
    assert_eq!(
        translate(
            &flip(&in_block, 5),
            from,
            &in_key,
            to,
            &out_key,
            Some(&pan),
            &mut ReplayRng::new(&[]),
        )
        .err(),
        Some(Error::WrongKeyOrPan),
        "{id}: tampered"
    );
}

fn encode_negative(v: &Vector) {
    let id = v.id.as_str();
    let kind = v.str("expect_error");
    let f = format(v, "format");
    let pan = v.opt_str("pan").map(|p| Pan::new(p).unwrap());
    let r = Pin::new(v.str("pin")).and_then(|pin| match v.opt_str("fill") {
        Some(fill) => encode_with_fill(f, &pin, pan.as_ref(), &Fill::from_hex(fill)?),
        None => encode(f, &pin, pan.as_ref(), &mut ReplayRng::new(&[0; 16])),
    });
    let e = r.err().unwrap_or_else(|| panic!("{id}: no error"));
    assert!(matches_expected(kind, &e), "{id}: {e:?}");
}

#[test]
fn pinblock_json() {
    let vectors = load("pinblock.json");
    assert_eq!(vectors.len(), 17);
    let mut ran = 0;
    for v in &vectors {
        match v.str("op") {
            "encipher_decipher" => encipher_decipher(v),
            "encode_decode" => encode_decode(v),
            "pan_field" => pan_field(v),
            "translate" => translate_vector(v),
            "encode" => encode_negative(v),
            other => panic!("{}: unhandled op {other}", v.id),
        }
        ran += 1;
    }
    assert_eq!(ran, vectors.len());
}

#[test]
fn dukpt_pin_json() {
    let vectors = load("dukpt-pin.json");
    assert_eq!(vectors.len(), 42);
    for v in &vectors {
        let id = v.id.as_str();
        let f = format(v, "format");
        let pin = Pin::new(v.str("pin")).unwrap();
        let pan = Pan::new(v.str("pan")).unwrap();
        let expected = v.hex("cipher_block");
        let key = match f {
            Format::Iso0 => {
                // X9.24-1:2009 A.3: PIN variant of the transaction key.
                let mut k = v.hex("txn_key");
                k[7] ^= 0xFF;
                k[15] ^= 0xFF;
                assert_eq!(
                    encode(f, &pin, Some(&pan), &mut ReplayRng::new(&[]))
                        .unwrap()
                        .expose_bytes(),
                    v.hex("clear_block"),
                    "{id}"
                );
                key_for(f, &k)
            }
            Format::Iso4 => {
                let field = v.hex("pin_field");
                let random: [u8; 8] = field[8..].try_into().unwrap();
                assert_eq!(
                    pan.iso4_field().unwrap().to_vec(),
                    v.hex("pan_field"),
                    "{id}"
                );
                let b = encipher(
                    f,
                    &key_for(f, &v.hex("key")),
                    &pin,
                    Some(&pan),
                    &mut ReplayRng::new(&random),
                )
                .unwrap();
                assert_eq!(b.as_bytes(), expected, "{id}");
                key_for(f, &v.hex("key"))
            }
            other => panic!("{id}: unexpected {other}"),
        };
        if f == Format::Iso0 {
            let b = encipher(f, &key, &pin, Some(&pan), &mut ReplayRng::new(&[])).unwrap();
            assert_eq!(b.as_bytes(), expected, "{id}");
        }
        assert_eq!(
            decipher(f, &key, &expected, Some(&pan)).unwrap(),
            pin,
            "{id}"
        );
        assert_eq!(
            decipher(f, &key, &flip(&expected, 17), Some(&pan)).err(),
            Some(Error::WrongKeyOrPan),
            "{id}: tampered"
        );
    }
}

/// `iso9564-derived.json`: DERIVED values from an independent Python implementation
/// (`tests/data/gen_iso9564_derived.py`) covering PIN lengths 4–12 in every format, PANs of 1–19
/// digits, 2-/3-key TDES and AES-128/192/256, with explicit fill.
#[test]
fn iso9564_derived_json() {
    let vectors = load("iso9564-derived.json");
    assert_eq!(vectors.len(), 45);
    for v in &vectors {
        let id = v.id.as_str();
        let f = Format::from_number(u8::try_from(v.u64("format")).unwrap()).unwrap();
        let pin = Pin::new(v.str("pin")).unwrap();
        let pan = Pan::new(v.str("pan")).unwrap();
        let key = key_for(f, &v.hex("key"));
        let clear = v.hex("clear_block");
        let expected = v.hex("cipher_block");
        let fill = v.opt_str("fill").map(|x| Fill::from_hex(x).unwrap());
        let (c, b) = match &fill {
            Some(fill) => (
                encode_with_fill(f, &pin, Some(&pan), fill).unwrap(),
                encipher_with_fill(f, &key, &pin, Some(&pan), fill).unwrap(),
            ),
            None => (
                encode(f, &pin, Some(&pan), &mut ReplayRng::new(&[])).unwrap(),
                encipher(f, &key, &pin, Some(&pan), &mut ReplayRng::new(&[])).unwrap(),
            ),
        };
        assert_eq!(c.expose_bytes(), clear, "{id}: clear");
        assert_eq!(b.as_bytes(), expected, "{id}: enciphered");
        assert_eq!(decode(f, &clear, Some(&pan)).unwrap(), pin, "{id}: decode");
        assert_eq!(
            decipher(f, &key, &expected, Some(&pan)).unwrap(),
            pin,
            "{id}: decipher"
        );
        assert_eq!(
            decipher(f, &key, &flip(&expected, 3), Some(&pan)).err(),
            Some(Error::WrongKeyOrPan),
            "{id}: tampered"
        );
    }
}
