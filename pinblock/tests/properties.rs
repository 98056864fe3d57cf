//! Property tests: encode/decode, encipher/decipher and translate round trips for every format,
//! key size and random PIN/PAN; decoders never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_pinblock::{
    Error, Fill, Format, Format4Pan, Pan, Pin, PinKey, ReplayRng, check_translation, decipher,
    decode, encipher, encipher_with_fill, encode, encode_with_fill, translate,
};
use paycrypt_primitives::key::DesKey;
use proptest::prelude::*;

fn pin_strategy() -> impl Strategy<Value = String> {
    "[0-9]{4,12}"
}

/// PANs valid for every format (12–19 digits).
fn pan_strategy() -> impl Strategy<Value = String> {
    "[0-9]{12,19}"
}

fn format_strategy() -> impl Strategy<Value = Format> {
    prop::sample::select(Format::ALL.to_vec())
}

fn key_for(format: Format, material: &[u8; 32], size: usize) -> PinKey {
    if format == Format::Iso4 {
        let len = [16, 24, 32][size % 3];
        PinKey::aes_from_bytes(&material[..len]).unwrap()
    } else {
        match size % 3 {
            0 => PinKey::tdes_from_bytes(&material[..16]).unwrap(),
            1 => PinKey::tdes_from_bytes(&material[..24]).unwrap(),
            _ => PinKey::legacy_single_des(&DesKey::from_bytes(&material[..8]).unwrap()),
        }
    }
}

proptest! {
    #[test]
    fn encode_decode_round_trip(
        f in format_strategy(),
        pin in pin_strategy(),
        pan in pan_strategy(),
        random in prop::array::uniform32(any::<u8>()),
    ) {
        let pin = Pin::new(&pin).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let mut rng = ReplayRng::new(&random);
        let clear = encode(f, &pin, Some(&pan), &mut rng).unwrap();
        prop_assert_eq!(clear.expose_bytes().len(), f.block_len());
        prop_assert_eq!(decode(f, clear.expose_bytes(), Some(&pan)).unwrap(), pin.clone());
        // Without a PAN where none is needed.
        if !f.is_pan_bound() || f == Format::Iso4 {
            prop_assert_eq!(decode(f, clear.expose_bytes(), None).unwrap(), pin);
        }
    }

    #[test]
    fn explicit_fill_round_trip(
        f in prop::sample::select(vec![Format::Iso1, Format::Iso3, Format::Iso4]),
        pin in pin_strategy(),
        pan in pan_strategy(),
        nibbles in prop::array::uniform16(0u8..16),
    ) {
        let pin = Pin::new(&pin).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let k = if f == Format::Iso4 { 16 } else { 14 - pin.len() };
        let values: Vec<u8> = nibbles[..k]
            .iter()
            .map(|n| if f == Format::Iso3 { 0xA + n % 6 } else { *n })
            .collect();
        let fill = Fill::from_nibbles(&values).unwrap();
        let clear = encode_with_fill(f, &pin, Some(&pan), &fill).unwrap();
        prop_assert_eq!(decode(f, clear.expose_bytes(), Some(&pan)).unwrap(), pin.clone());
        // The fill lands where the standard puts it (formats 1 and 4 have no PAN XOR there).
        if f != Format::Iso3 {
            let hex = paycrypt_primitives::hex::encode_upper(clear.expose_bytes());
            let start = if f == Format::Iso4 { 16 } else { 2 + pin.len() };
            let expect: String = values
                .iter()
                .map(|v| char::from(paycrypt_primitives::hex::digit_char(*v)))
                .collect();
            prop_assert_eq!(&hex[start..start + k], expect.as_str());
        }
    }

    #[test]
    fn encipher_decipher_round_trip(
        f in format_strategy(),
        pin in pin_strategy(),
        pan in pan_strategy(),
        material in prop::array::uniform32(any::<u8>()),
        size in 0usize..3,
        random in prop::array::uniform32(any::<u8>()),
    ) {
        let pin = Pin::new(&pin).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let key = key_for(f, &material, size);
        let b = encipher(f, &key, &pin, Some(&pan), &mut ReplayRng::new(&random)).unwrap();
        prop_assert_eq!(b.as_bytes().len(), f.block_len());
        prop_assert_eq!(decipher(f, &key, b.as_bytes(), Some(&pan)).unwrap(), pin);
    }

    #[test]
    fn format4_short_and_legacy_pans(
        pin in pin_strategy(),
        pan in "[0-9]{1,19}",
        legacy in any::<bool>(),
        material in prop::array::uniform32(any::<u8>()),
        random in prop::array::uniform8(any::<u8>()),
    ) {
        let pin = Pin::new(&pin).unwrap();
        let mut p = Pan::new(&pan).unwrap();
        if legacy {
            p = p.with_format4_pan(Format4Pan::Legacy12);
        }
        let key = PinKey::aes_from_bytes(&material).unwrap();
        let r = encipher_with_fill(
            Format::Iso4, &key, &pin, Some(&p), &Fill::from_format4_random(&random),
        );
        if legacy && pan.len() < 12 {
            let is_pan_length = matches!(r, Err(Error::PanLength { .. }));
            prop_assert!(is_pan_length);
        } else {
            let b = r.unwrap();
            prop_assert_eq!(decipher(Format::Iso4, &key, b.as_bytes(), Some(&p)).unwrap(), pin);
        }
    }

    #[test]
    fn translate_round_trip(
        from in format_strategy(),
        to in format_strategy(),
        pin in pin_strategy(),
        pan in pan_strategy(),
        m1 in prop::array::uniform32(any::<u8>()),
        m2 in prop::array::uniform32(any::<u8>()),
        s1 in 0usize..2,
        s2 in 0usize..2,
        random in prop::collection::vec(any::<u8>(), 64),
    ) {
        let pin = Pin::new(&pin).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let k1 = key_for(from, &m1, s1);
        let k2 = key_for(to, &m2, s2);
        let mut rng = ReplayRng::new(&random);
        let b = encipher(from, &k1, &pin, Some(&pan), &mut rng).unwrap();
        let r = translate(b.as_bytes(), from, &k1, to, &k2, Some(&pan), &mut rng);
        let allowed = from != Format::Iso2
            && to != Format::Iso2
            && !(from.is_pan_bound() && to == Format::Iso1);
        prop_assert_eq!(check_translation(from, &k1, to, &k2).is_ok(), allowed);
        if allowed {
            let out = r.unwrap();
            prop_assert_eq!(out.format(), to);
            prop_assert_eq!(decipher(to, &k2, out.as_bytes(), Some(&pan)).unwrap(), pin.clone());
            // And back, when the reverse is allowed too.
            if !(to.is_pan_bound() && from == Format::Iso1) {
                let back =
                    translate(out.as_bytes(), to, &k2, from, &k1, Some(&pan), &mut rng).unwrap();
                prop_assert_eq!(decipher(from, &k1, back.as_bytes(), Some(&pan)).unwrap(), pin);
            }
        } else {
            let is_policy = matches!(
                r,
                Err(Error::Format2NotInterchange | Error::PanBoundToFormat1 { .. })
            );
            prop_assert!(is_policy);
        }
    }

    #[test]
    fn decode_and_decipher_never_panic(
        f in format_strategy(),
        block in prop::collection::vec(any::<u8>(), 0..20),
        pan in "[0-9]{1,19}",
        material in prop::array::uniform32(any::<u8>()),
    ) {
        let pan = Pan::new(&pan).unwrap();
        let r = decode(f, &block, Some(&pan));
        if let Ok(pin) = r {
            prop_assert!((4..=12).contains(&pin.len()));
        }
        let key = key_for(f, &material, 0);
        match decipher(f, &key, &block, Some(&pan)) {
            Ok(pin) => prop_assert!((4..=12).contains(&pin.len())),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// Format 3 fill is exactly uniform over `A`–`F`: each of the 252 accepted byte values maps to
/// one nibble, 42 per nibble; 252–255 are rejected.
#[test]
fn format3_fill_is_unbiased() {
    let pin = Pin::new("123456789012").unwrap(); // two fill nibbles per block
    let pan = Pan::new("4012345678909").unwrap();
    let field = pan.iso0_field().unwrap();
    let mut counts = [0usize; 16];
    // Every byte, with the rejected values interleaved, two per block.
    let bytes: Vec<u8> = (0u8..=255).collect();
    let mut rng = ReplayRng::new(&bytes);
    for _ in 0..126 {
        let clear = encode(Format::Iso3, &pin, Some(&pan), &mut rng).unwrap();
        let last = clear.expose_bytes()[7] ^ field[7];
        counts[usize::from(last >> 4)] += 1;
        counts[usize::from(last & 0x0F)] += 1;
    }
    assert_eq!(rng.remaining(), 4, "252..=255 left unconsumed");
    assert_eq!(&counts[..10], &[0; 10]);
    assert_eq!(&counts[10..], &[42; 6]);
}
