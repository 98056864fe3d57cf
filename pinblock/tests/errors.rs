//! A negative test for every `Error` variant and every decode check, per format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_pinblock::{
    ClearPinBlock, Error, ErrorClass, Fill, Format, Format4Pan, Pan, PanLengthRule, Pin, PinKey,
    ReplayRng, TRANSLATE_FILL_MIN, check_translation, decipher, decode, encipher,
    encipher_format4_with_intermediates, encipher_with_fill, encode, encode_with_fill, translate,
    translate_with_fill,
};
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{AesKey, KeyAlgorithm, TdesKey};

const TDES: [u8; 16] = *b"0123456789ABCDEF";
const AES: [u8; 16] = *b"FEDCBA9876543210";
const PIN: &str = "987654";
const PAN: &str = "4012345678909";

fn tdes() -> PinKey {
    PinKey::tdes_from_bytes(&TDES).unwrap()
}
fn aes() -> PinKey {
    PinKey::aes_from_bytes(&AES).unwrap()
}
fn key(f: Format) -> PinKey {
    if f == Format::Iso4 { aes() } else { tdes() }
}
fn pin() -> Pin {
    Pin::new(PIN).unwrap()
}
fn pan() -> Pan {
    Pan::new(PAN).unwrap()
}
fn none() -> ReplayRng<'static> {
    ReplayRng::new(&[])
}
fn rng() -> ReplayRng<'static> {
    ReplayRng::new(&[0x42; 64])
}

/// Packs hex nibbles (as a string) into bytes.
fn nib(s: &str) -> Vec<u8> {
    paycrypt_primitives::hex::decode(s).unwrap()
}

/// The clear block of formats 0/3 for a PIN field given as hex.
fn with_pan(field: &str) -> Vec<u8> {
    let mut b = nib(field);
    for (x, p) in b.iter_mut().zip(pan().iso0_field().unwrap()) {
        *x ^= p;
    }
    b
}

/// Enciphers raw clear bytes the way the format does, bypassing the encoder's checks.
fn raw_encipher(f: Format, clear: &[u8]) -> Vec<u8> {
    let mut b = clear.to_vec();
    if f == Format::Iso4 {
        let c = BlockCipher::from(&AesKey::from_bytes(&AES).unwrap());
        c.encrypt_block(&mut b).unwrap();
        for (x, p) in b.iter_mut().zip(pan().iso4_field().unwrap()) {
            *x ^= p;
        }
        c.encrypt_block(&mut b).unwrap();
    } else {
        BlockCipher::from(&TdesKey::from_bytes(&TDES).unwrap())
            .encrypt_block(&mut b)
            .unwrap();
    }
    b
}

fn assert_no_digits(e: &Error) {
    let msg = e.to_string();
    assert!(!msg.contains(PIN), "{msg}");
    assert!(!msg.contains("9876"), "{msg}");
    assert!(!msg.contains("40123"), "{msg}");
}

#[test]
fn pin_length() {
    for p in ["", "123", "1234567890123"] {
        let e = Pin::new(p).unwrap_err();
        assert_eq!(e, Error::PinLength { got: p.len() });
        assert_eq!(e.class(), ErrorClass::Malformed);
    }
}

#[test]
fn pin_not_numeric() {
    for p in ["12a4", "1234 ", "-123", "١٢٣٤"] {
        assert!(
            matches!(
                Pin::new(p),
                Err(Error::PinNotNumeric | Error::PinLength { .. })
            ),
            "{p}"
        );
    }
    assert_eq!(Pin::new("12a4").err(), Some(Error::PinNotNumeric));
}

#[test]
fn pan_length_and_numeric() {
    assert_eq!(
        Pan::new("").err(),
        Some(Error::PanLength {
            min: 1,
            max: 19,
            got: 0
        })
    );
    assert_eq!(
        Pan::new("41111111111111111111").err(),
        Some(Error::PanLength {
            min: 1,
            max: 19,
            got: 20
        })
    );
    assert_eq!(Pan::new("4111 1111").err(), Some(Error::PanNotNumeric));
    // 11 digits: ISO 9564-1:2017 §9.3.2.3 right-justifies them in formats 0 and 3 too; the
    // AWS 12–19 limit is an explicit opt-in.
    let short = Pan::new("41111111111").unwrap();
    let aws = short.clone().with_length_rule(PanLengthRule::Min12);
    for f in [Format::Iso0, Format::Iso3] {
        let b = encipher(f, &tdes(), &pin(), Some(&short), &mut rng()).unwrap();
        assert_eq!(
            decipher(f, &tdes(), b.as_bytes(), Some(&short)).unwrap(),
            pin()
        );
        let e = encode(f, &pin(), Some(&aws), &mut rng()).unwrap_err();
        assert_eq!(
            e,
            Error::PanLength {
                min: 12,
                max: 19,
                got: 11
            }
        );
        assert_eq!(decipher(f, &tdes(), &[0; 8], Some(&aws)).err(), Some(e));
    }
    assert!(matches!(
        encipher(Format::Iso4, &aes(), &pin(), Some(&aws), &mut rng()),
        Err(Error::PanLength { min: 12, .. })
    ));
    let b = encipher(Format::Iso4, &aes(), &pin(), Some(&short), &mut rng()).unwrap();
    assert_eq!(
        decipher(Format::Iso4, &aes(), b.as_bytes(), Some(&short)).unwrap(),
        pin()
    );
    // Legacy12 needs 12 digits.
    let legacy = short.with_format4_pan(Format4Pan::Legacy12);
    assert!(matches!(
        encipher(Format::Iso4, &aes(), &pin(), Some(&legacy), &mut rng()),
        Err(Error::PanLength { min: 12, .. })
    ));
}

#[test]
fn pan_required_and_not_used() {
    for f in [Format::Iso0, Format::Iso3] {
        assert_eq!(
            encode(f, &pin(), None, &mut rng()).err(),
            Some(Error::PanRequired { format: f })
        );
        assert_eq!(
            decode(f, &[0; 8], None).err(),
            Some(Error::PanRequired { format: f })
        );
    }
    for f in [Format::Iso0, Format::Iso3, Format::Iso4] {
        assert_eq!(
            encipher(f, &key(f), &pin(), None, &mut rng()).err(),
            Some(Error::PanRequired { format: f })
        );
        assert_eq!(
            decipher(f, &key(f), &vec![0; f.block_len()], None).err(),
            Some(Error::PanRequired { format: f })
        );
    }
    // Format 4's clear PIN field needs no PAN.
    assert!(encode(Format::Iso4, &pin(), None, &mut rng()).is_ok());
    for f in [Format::Iso1, Format::Iso2] {
        assert_eq!(pan().field(f).err(), Some(Error::PanNotUsed { format: f }));
    }
    let step = encipher_format4_with_intermediates(
        &aes(),
        &encode(Format::Iso4, &pin(), None, &mut rng()).unwrap(),
        &pan(),
    );
    assert!(step.is_ok());
}

#[test]
fn fill_not_allowed() {
    let fill = Fill::from_hex("FFFFFFFF").unwrap();
    for f in [Format::Iso0, Format::Iso2] {
        assert_eq!(
            encode_with_fill(f, &pin(), Some(&pan()), &fill).err(),
            Some(Error::FillNotAllowed { format: f })
        );
        assert_eq!(
            encipher_with_fill(f, &tdes(), &pin(), Some(&pan()), &fill).err(),
            Some(Error::FillNotAllowed { format: f })
        );
    }
}

#[test]
fn fill_length() {
    // Formats 1 and 3: 14 - 6 = 8 nibbles.
    for f in [Format::Iso1, Format::Iso3] {
        for n in [7, 9, 0] {
            let fill = Fill::from_hex(&"A".repeat(n)).unwrap();
            assert_eq!(
                encode_with_fill(f, &pin(), Some(&pan()), &fill).err(),
                Some(Error::FillLength {
                    expected: 8,
                    got: n
                })
            );
        }
        let ok = Fill::from_hex("ABCDEFAB").unwrap();
        assert!(encode_with_fill(f, &pin(), Some(&pan()), &ok).is_ok());
    }
    // Format 4: 16 nibbles.
    let fill = Fill::from_hex("0123456789ABCDE").unwrap();
    assert_eq!(
        encode_with_fill(Format::Iso4, &pin(), None, &fill).err(),
        Some(Error::FillLength {
            expected: 16,
            got: 15
        })
    );
    assert_eq!(
        Fill::from_hex("0123456789ABCDEF0").err(),
        Some(Error::FillLength {
            expected: 16,
            got: 17
        })
    );
}

#[test]
fn translate_fill_does_not_depend_on_the_pin_length() {
    // Formats 1 and 3 take 10 to 16 nibbles whatever the PIN, checked before decryption: no
    // fill length is accepted for one PIN length and refused for another (ISO 9564-1:2017
    // §9.5: nothing after decryption may tell the PIN).
    let outcome = |p: &str, fill: &str| {
        let p = Pin::new(p).unwrap();
        let b = encipher(Format::Iso0, &tdes(), &p, Some(&pan()), &mut none()).unwrap();
        translate_with_fill(
            b.as_bytes(),
            Format::Iso0,
            &tdes(),
            Format::Iso3,
            &tdes(),
            Some(&pan()),
            &Fill::from_hex(fill).unwrap(),
        )
        .map(|_| ())
    };
    for len in 0..=16 {
        let fill = "ABCDEFABCDEFABCD".get(..len).unwrap();
        let four = outcome("1234", fill);
        for p in ["12345", "12345678", "123456789012"] {
            assert_eq!(
                outcome(p, fill),
                four,
                "fill of {len} nibbles, PIN of {}",
                p.len()
            );
        }
        if len < TRANSLATE_FILL_MIN {
            assert_eq!(
                four,
                Err(Error::FillLength {
                    expected: 10,
                    got: len
                })
            );
        } else {
            assert_eq!(four, Ok(()));
        }
    }
    // The first 14 - N nibbles are used: the 6-digit PIN gets "ABCDEFAB" of "ABCDEFABCDEF".
    let b = encipher(Format::Iso0, &tdes(), &pin(), Some(&pan()), &mut none()).unwrap();
    let ok = translate_with_fill(
        b.as_bytes(),
        Format::Iso0,
        &tdes(),
        Format::Iso3,
        &tdes(),
        Some(&pan()),
        &Fill::from_hex("ABCDEFABCDEF").unwrap(),
    )
    .unwrap();
    let clear_expected = encode_with_fill(
        Format::Iso3,
        &pin(),
        Some(&pan()),
        &Fill::from_hex("ABCDEFAB").unwrap(),
    )
    .unwrap();
    let mut c = ok.as_bytes().to_vec();
    BlockCipher::from(&TdesKey::from_bytes(&TDES).unwrap())
        .decrypt_block(&mut c)
        .unwrap();
    assert_eq!(c, clear_expected.expose_bytes());
}

#[test]
fn fill_not_hex() {
    assert_eq!(
        Fill::from_hex("ABXD").err(),
        Some(Error::FillNotHex { position: 2 })
    );
    assert_eq!(
        Fill::from_nibbles(&[1, 2, 0x10]).err(),
        Some(Error::FillNotHex { position: 2 })
    );
}

#[test]
fn fill_value_format3() {
    // ISO 9564-1:2017 9.3.5.2: only 1010..1111.
    let fill = Fill::from_hex("ABCDE9AB").unwrap();
    assert_eq!(
        encode_with_fill(Format::Iso3, &pin(), Some(&pan()), &fill).err(),
        Some(Error::FillValue { position: 5 })
    );
    assert_eq!(
        encipher_with_fill(Format::Iso3, &tdes(), &pin(), Some(&pan()), &fill).err(),
        Some(Error::FillValue { position: 5 })
    );
    // Format 1 takes any nibble.
    assert!(encode_with_fill(Format::Iso1, &pin(), None, &fill).is_ok());
}

#[test]
fn block_length() {
    for f in Format::ALL {
        for len in [0, 7, 9, 15, 17, 24] {
            if len == f.block_len() {
                continue;
            }
            let want = Some(Error::BlockLength {
                format: f,
                expected: f.block_len(),
                got: len,
            });
            let block = vec![0u8; len];
            assert_eq!(decode(f, &block, Some(&pan())).err(), want);
            assert_eq!(decipher(f, &key(f), &block, Some(&pan())).err(), want);
            assert_eq!(ClearPinBlock::from_bytes(f, &block).err(), want);
            assert_eq!(
                paycrypt_pinblock::EncryptedPinBlock::from_bytes(f, &block).err(),
                want
            );
        }
    }
    // Translation checks the source length before decrypting.
    assert_eq!(
        translate(
            &[0; 16],
            Format::Iso0,
            &tdes(),
            Format::Iso4,
            &aes(),
            Some(&pan()),
            &mut rng()
        )
        .err(),
        Some(Error::BlockLength {
            format: Format::Iso0,
            expected: 8,
            got: 16
        })
    );
    // A format-4 intermediate needs a format-4 PIN field.
    let f0 = encode(Format::Iso0, &pin(), Some(&pan()), &mut none()).unwrap();
    assert!(matches!(
        encipher_format4_with_intermediates(&aes(), &f0, &pan()),
        Err(Error::BlockLength { .. })
    ));
}

#[test]
fn unknown_format() {
    assert_eq!(Format::from_number(5), Err(Error::UnknownFormat));
    assert_eq!("9".parse::<Format>(), Err(Error::UnknownFormat));
    assert_eq!("ISO_5".parse::<Format>(), Err(Error::UnknownFormat));
}

#[test]
fn primitives_key_length() {
    for len in [0, 8, 15, 20, 33] {
        assert!(matches!(
            PinKey::tdes_from_bytes(&vec![0; len]),
            Err(Error::Primitives(
                paycrypt_primitives::Error::KeyLength { .. }
            ))
        ));
        assert!(matches!(
            PinKey::aes_from_bytes(&vec![0; len]),
            Err(Error::Primitives(
                paycrypt_primitives::Error::KeyLength { .. }
            ))
        ));
    }
    assert_eq!(
        Error::from(paycrypt_primitives::Error::HexOddLength).class(),
        ErrorClass::Malformed
    );
}

#[test]
fn key_format_mismatch() {
    for f in [Format::Iso0, Format::Iso1, Format::Iso2, Format::Iso3] {
        let want = Error::KeyFormatMismatch {
            format: f,
            algorithm: KeyAlgorithm::Aes128,
        };
        assert_eq!(
            encipher(f, &aes(), &pin(), Some(&pan()), &mut rng()).err(),
            Some(want)
        );
        assert_eq!(decipher(f, &aes(), &[0; 8], Some(&pan())).err(), Some(want));
        assert_eq!(want.class(), ErrorClass::Rejected);
    }
    let want = Error::KeyFormatMismatch {
        format: Format::Iso4,
        algorithm: KeyAlgorithm::Tdes2,
    };
    assert_eq!(
        encipher(Format::Iso4, &tdes(), &pin(), Some(&pan()), &mut rng()).err(),
        Some(want)
    );
    assert_eq!(
        decipher(Format::Iso4, &tdes(), &[0; 16], Some(&pan())).err(),
        Some(want)
    );
    let field = encode(Format::Iso4, &pin(), None, &mut rng()).unwrap();
    assert_eq!(
        encipher_format4_with_intermediates(&tdes(), &field, &pan()).err(),
        Some(want)
    );
    // Translation: AES key with format 0 on either side, TDES key with format 4.
    assert!(matches!(
        check_translation(Format::Iso0, &aes(), Format::Iso4, &aes()),
        Err(Error::KeyFormatMismatch { .. })
    ));
    assert!(matches!(
        check_translation(Format::Iso4, &aes(), Format::Iso3, &aes()),
        Err(Error::KeyFormatMismatch { .. })
    ));
    assert!(matches!(
        check_translation(Format::Iso4, &tdes(), Format::Iso0, &tdes()),
        Err(Error::KeyFormatMismatch { .. })
    ));
    assert!(check_translation(Format::Iso4, &aes(), Format::Iso0, &tdes()).is_ok());
    assert!(check_translation(Format::Iso3, &tdes(), Format::Iso4, &aes()).is_ok());
    assert!(check_translation(Format::Iso1, &tdes(), Format::Iso0, &tdes()).is_ok());
}

#[test]
fn pan_bound_to_format1() {
    for from in [Format::Iso0, Format::Iso3, Format::Iso4] {
        let b = encipher(from, &key(from), &pin(), Some(&pan()), &mut rng()).unwrap();
        let e = translate(
            b.as_bytes(),
            from,
            &key(from),
            Format::Iso1,
            &tdes(),
            Some(&pan()),
            &mut rng(),
        )
        .unwrap_err();
        assert_eq!(e, Error::PanBoundToFormat1 { from });
        assert_eq!(e.class(), ErrorClass::Rejected);
    }
}

#[test]
fn format2_not_interchange() {
    let b2 = encipher(Format::Iso2, &tdes(), &pin(), None, &mut rng()).unwrap();
    assert_eq!(
        translate(
            b2.as_bytes(),
            Format::Iso2,
            &tdes(),
            Format::Iso0,
            &tdes(),
            Some(&pan()),
            &mut rng()
        )
        .err(),
        Some(Error::Format2NotInterchange)
    );
    let b0 = encipher(Format::Iso0, &tdes(), &pin(), Some(&pan()), &mut rng()).unwrap();
    assert_eq!(
        translate(
            b0.as_bytes(),
            Format::Iso0,
            &tdes(),
            Format::Iso2,
            &tdes(),
            Some(&pan()),
            &mut rng()
        )
        .err(),
        Some(Error::Format2NotInterchange)
    );
    // Format 2 itself still enciphers and deciphers (offline ICC use).
    assert_eq!(
        decipher(Format::Iso2, &tdes(), b2.as_bytes(), None).unwrap(),
        pin()
    );
}

/// The checks of a clear-block decode, per format: (format, PIN field hex before the PAN XOR,
/// expected error). Every content check fails with the one `InvalidPinBlock`.
fn bad_fields() -> Vec<(Format, &'static str, Error)> {
    vec![
        // control nibble
        (Format::Iso0, "16987654FFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso1, "06987654ABCDEF01", Error::InvalidPinBlock),
        (Format::Iso2, "36987654FFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso3, "26987654ABCDEFAB", Error::InvalidPinBlock),
        (
            Format::Iso4,
            "56987654AAAAAAAA0123456789ABCDEF",
            Error::InvalidPinBlock,
        ),
        // length nibble out of 4..=12
        (Format::Iso0, "03987FFFFFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso1, "1D98765498765498", Error::InvalidPinBlock),
        (Format::Iso2, "20FFFFFFFFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso3, "3F987654ABCDEFAB", Error::InvalidPinBlock),
        (
            Format::Iso4,
            "4E987654AAAAAAAA0123456789ABCDEF",
            Error::InvalidPinBlock,
        ),
        // non-decimal PIN nibble
        (Format::Iso0, "069876A4FFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso1, "16F87654ABCDEF01", Error::InvalidPinBlock),
        (Format::Iso2, "2698765BFFFFFFFF", Error::InvalidPinBlock),
        (Format::Iso3, "369A7654ABCDEFAB", Error::InvalidPinBlock),
        (
            Format::Iso4,
            "46987C54AAAAAAAA0123456789ABCDEF",
            Error::InvalidPinBlock,
        ),
        // fill rule
        (Format::Iso0, "06987654FFFFFFF0", Error::InvalidPinBlock),
        (Format::Iso2, "26987654FFEFFFFF", Error::InvalidPinBlock),
        (Format::Iso3, "36987654ABCDEF9B", Error::InvalidPinBlock),
        (
            Format::Iso4,
            "46987654AAAAAAAB0123456789ABCDEF",
            Error::InvalidPinBlock,
        ),
        (
            Format::Iso4,
            "46987654FFFFFFFF0123456789ABCDEF",
            Error::InvalidPinBlock,
        ),
    ]
}

#[test]
fn clear_decode_and_decipher_are_uniform() {
    for (f, field, want) in bad_fields() {
        let clear = match f {
            Format::Iso0 | Format::Iso3 => with_pan(field),
            _ => nib(field),
        };
        let got = decode(f, &clear, Some(&pan())).unwrap_err();
        assert_eq!(got, want, "{f} {field}");
        assert_eq!(got.class(), ErrorClass::Rejected);
        assert_no_digits(&got);
        let enc = raw_encipher(f, &clear);
        assert_eq!(
            decipher(f, &key(f), &enc, Some(&pan())).err(),
            Some(Error::WrongKeyOrPan),
            "{f} {field}"
        );
    }
}

#[test]
fn format1_fill_and_format4_random_half_not_checked() {
    let c1 = nib("16987654012345FF");
    assert_eq!(decode(Format::Iso1, &c1, None).unwrap(), pin());
    let c4 = nib("46987654AAAAAAAAFFFFFFFFFFFFFFFF");
    assert_eq!(decode(Format::Iso4, &c4, None).unwrap(), pin());
    // Format 3's fill is checked after the PAN XOR: a block valid before the XOR is not.
    let raw = nib("36987654ABCDEFAB");
    assert_eq!(
        decode(Format::Iso3, &with_pan("36987654ABCDEFAB"), Some(&pan())).unwrap(),
        pin()
    );
    assert!(decode(Format::Iso3, &raw, Some(&pan())).is_err());
}

#[test]
fn wrong_key_or_pan() {
    for f in Format::ALL {
        let p = if f.is_pan_bound() { Some(pan()) } else { None };
        let b = encipher(f, &key(f), &pin(), p.as_ref(), &mut rng()).unwrap();
        let other = if f == Format::Iso4 {
            PinKey::aes_from_bytes(&[7; 32]).unwrap()
        } else {
            PinKey::tdes_from_bytes(&[7; 24]).unwrap()
        };
        let e = decipher(f, &other, b.as_bytes(), p.as_ref()).unwrap_err();
        assert_eq!(e, Error::WrongKeyOrPan, "{f}");
        assert_eq!(e.to_string(), "wrong key or PAN, or corrupt block");
        assert_eq!(e.class(), ErrorClass::Rejected);
    }
}

#[test]
fn rng_failure() {
    // Format 1 needs 4 bytes for a 6-digit PIN, format 3 at least 8, format 4 eight.
    for (f, have) in [(Format::Iso1, 3usize), (Format::Iso3, 7), (Format::Iso4, 7)] {
        let bytes = vec![0u8; have];
        let e = encipher(
            f,
            &key(f),
            &pin(),
            Some(&pan()),
            &mut ReplayRng::new(&bytes),
        );
        assert_eq!(e.err(), Some(Error::Rng), "{f}");
    }
    // Formats 0 and 2 draw nothing.
    assert!(encipher(Format::Iso0, &tdes(), &pin(), Some(&pan()), &mut none()).is_ok());
    assert!(encipher(Format::Iso2, &tdes(), &pin(), None, &mut none()).is_ok());
    // Format 3 with a source that only yields rejected bytes fails rather than loops.
    let bad = [0xFFu8; 1024];
    assert_eq!(
        encode(
            Format::Iso3,
            &pin(),
            Some(&pan()),
            &mut ReplayRng::new(&bad)
        )
        .err(),
        Some(Error::Rng)
    );
}

#[test]
fn messages_never_contain_digits() {
    let errors = [
        Error::PinLength { got: 3 },
        Error::PinNotNumeric,
        Error::PanLength {
            min: 12,
            max: 19,
            got: 5,
        },
        Error::PanNotNumeric,
        Error::PanRequired {
            format: Format::Iso0,
        },
        Error::PanNotUsed {
            format: Format::Iso1,
        },
        Error::FillNotAllowed {
            format: Format::Iso2,
        },
        Error::FillLength {
            expected: 8,
            got: 3,
        },
        Error::FillNotHex { position: 2 },
        Error::FillValue { position: 1 },
        Error::UnknownFormat,
        Error::Format2NotInterchange,
        Error::InvalidPinBlock,
        Error::WrongKeyOrPan,
        Error::Rng,
    ];
    for e in errors {
        assert_no_digits(&e);
        assert!(!e.to_string().is_empty());
    }
    assert_no_digits(&Pin::new("98765a").unwrap_err());
    let s = format!("{:?} {:?}", pin(), pan());
    assert!(!s.contains("9876") && !s.contains("4012"), "{s}");
}

#[test]
fn symmetric_key_conversions() {
    use paycrypt_primitives::key::{DesKey, SymmetricKey};
    let t = TdesKey::from_bytes(&[0x11; 16]).unwrap();
    let a = AesKey::from_bytes(&[0x22; 16]).unwrap();
    let from_sym = PinKey::try_from(SymmetricKey::Tdes(t.clone())).unwrap();
    assert_eq!(from_sym.algorithm(), KeyAlgorithm::Tdes2);
    assert_eq!(PinKey::from(t).algorithm(), KeyAlgorithm::Tdes2);
    assert_eq!(
        PinKey::try_from(&SymmetricKey::Aes(a.clone()))
            .unwrap()
            .algorithm(),
        KeyAlgorithm::Aes128
    );
    assert_eq!(PinKey::from(a).algorithm(), KeyAlgorithm::Aes128);
    let des = SymmetricKey::Des(DesKey::from_bytes(&[0x33; 8]).unwrap());
    let e = PinKey::try_from(&des).unwrap_err();
    assert_eq!(
        e,
        Error::PinKeyAlgorithm {
            algorithm: KeyAlgorithm::Des
        }
    );
    assert_eq!(e.class(), ErrorClass::Rejected);
    assert!(!e.to_string().contains("33"));
}
