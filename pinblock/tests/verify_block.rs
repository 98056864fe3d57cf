//! Encrypted-PIN-block verification: every input error keeps its own variant, everything after
//! decryption is the one `PinMismatch`; strict decimalisation tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use hex_literal::hex;
use paycrypt_pinblock::{
    DecimalizationTable, Error, ErrorClass, Format, Pan, Pin, PinKey, PinMethod, PinOffset,
    PinVerificationKey, Pvki, ReplayRng, ValidationData, encipher, ibm3624_offset,
    ibm3624_offset_from_pin_block, pvv_from_pin_block, random_pin_block, verify_pin_block,
    visa_pvv,
};

/// ANSI X9.24-1:2009 A.4: PIN 1234, PAN 4012345678909, format 0.
const PEK: [u8; 16] = hex!("042666B49184CF5C68DE9628D0397B36");
const BLOCK: [u8; 8] = hex!("1B9C1845EB993A7A");
const PVK: [u8; 16] = hex!("0123456789ABCDEFFEDCBA9876543210");

fn setup() -> (PinKey, Pan, PinVerificationKey) {
    (
        PinKey::tdes_from_bytes(&PEK).unwrap(),
        Pan::new("4012345678909").unwrap(),
        PinVerificationKey::tdes_from_bytes(&PVK).unwrap(),
    )
}

#[test]
fn input_errors_before_decryption() {
    let (pek, pan, pvk) = setup();
    let pvki = Pvki::new(1).unwrap();
    let pvv = visa_pvv(&pvk, &pan, pvki, &Pin::new("1234").unwrap()).unwrap();
    let m = PinMethod::VisaPvv {
        pvk: &pvk,
        pvki,
        pvv: &pvv,
    };
    assert_eq!(
        verify_pin_block(&pek, Format::Iso0, &BLOCK, Some(&pan), &m),
        Ok(())
    );
    let e = verify_pin_block(&pek, Format::Iso0, &BLOCK[..7], Some(&pan), &m).unwrap_err();
    assert!(matches!(e, Error::BlockLength { .. }));
    assert_eq!(e.class(), ErrorClass::Malformed);
    let e = verify_pin_block(&pek, Format::Iso4, &BLOCK, Some(&pan), &m).unwrap_err();
    assert!(matches!(e, Error::BlockLength { .. }));
    let e = verify_pin_block(&pek, Format::Iso2, &BLOCK, Some(&pan), &m).unwrap_err();
    assert_eq!(e, Error::Format2NotInterchange);
    assert_eq!(e.class(), ErrorClass::Rejected);
    let aes = PinKey::aes_from_bytes(&PEK).unwrap();
    let e = verify_pin_block(&aes, Format::Iso0, &BLOCK, Some(&pan), &m).unwrap_err();
    assert!(matches!(e, Error::KeyFormatMismatch { .. }));
    let e = verify_pin_block(&pek, Format::Iso4, &[0u8; 16], Some(&pan), &m).unwrap_err();
    assert!(matches!(e, Error::KeyFormatMismatch { .. }));
    let e = verify_pin_block(&pek, Format::Iso0, &BLOCK, None, &m).unwrap_err();
    assert!(matches!(e, Error::PanRequired { .. }));
    // Format 1 has no PAN, but a PVV needs one.
    let e = verify_pin_block(&pek, Format::Iso1, &BLOCK, None, &m).unwrap_err();
    assert!(matches!(e, Error::PanRequired { .. }));
    let short = Pan::new("40123").unwrap();
    let e = verify_pin_block(&pek, Format::Iso0, &BLOCK, Some(&short), &m).unwrap_err();
    assert!(matches!(e, Error::PanLength { .. }));
    let e = verify_pin_block(&pek, Format::Iso1, &BLOCK, Some(&short), &m).unwrap_err();
    assert!(matches!(e, Error::PanLength { .. }));
}

#[test]
fn one_error_after_decryption() {
    let (pek, pan, pvk) = setup();
    let pvki = Pvki::new(1).unwrap();
    let pvv = visa_pvv(&pvk, &pan, pvki, &Pin::new("1234").unwrap()).unwrap();
    let vpvv = PinMethod::VisaPvv {
        pvk: &pvk,
        pvki,
        pvv: &pvv,
    };
    let table = DecimalizationTable::DEFAULT;
    let vd = ValidationData::new("4012345678909", 'F').unwrap();
    let off = ibm3624_offset(&pvk, &table, &vd, &Pin::new("1234").unwrap()).unwrap();
    let off5 = PinOffset::new("00000").unwrap();
    let ibm = |o| PinMethod::Ibm3624 {
        pvk: &pvk,
        table: &table,
        validation_data: &vd,
        offset: o,
    };
    let other_key = PinKey::tdes_from_bytes(&hex!("C46551CEF9FD244FAA9AD834130D3B38")).unwrap();
    let other_pan = Pan::new("4012345678919").unwrap();
    let wrong_pin = encipher(
        Format::Iso0,
        &pek,
        &Pin::new("1235").unwrap(),
        Some(&pan),
        &mut ReplayRng::new(&[]),
    )
    .unwrap();
    let mut corrupt = BLOCK;
    corrupt[7] ^= 1;
    for method in [vpvv, ibm(&off)] {
        assert_eq!(
            verify_pin_block(&pek, Format::Iso0, &BLOCK, Some(&pan), &method),
            Ok(())
        );
        for (key, block, p) in [
            (&other_key, BLOCK.as_slice(), &pan),
            (&pek, BLOCK.as_slice(), &other_pan),
            (&pek, wrong_pin.as_bytes(), &pan),
            (&pek, corrupt.as_slice(), &pan),
        ] {
            assert_eq!(
                verify_pin_block(key, Format::Iso0, block, Some(p), &method),
                Err(Error::PinMismatch)
            );
        }
    }
    // An offset of another length than the PIN: the same error.
    assert_eq!(
        verify_pin_block(&pek, Format::Iso0, &BLOCK, Some(&pan), &ibm(&off5)),
        Err(Error::PinMismatch)
    );
    // Generation from a block that does not decode is a crypto failure (not PinMismatch).
    assert_eq!(
        pvv_from_pin_block(&other_key, Format::Iso0, &BLOCK, Some(&pan), &pvk, pvki).err(),
        Some(Error::WrongKeyOrPan)
    );
    assert_eq!(
        ibm3624_offset_from_pin_block(
            &other_key,
            Format::Iso0,
            &BLOCK,
            Some(&pan),
            &pvk,
            &table,
            &vd
        )
        .err(),
        Some(Error::WrongKeyOrPan)
    );
}

#[test]
fn random_pin_blocks() {
    let (pek, pan, _) = setup();
    for len in 4..=12 {
        let b = random_pin_block(
            len,
            &pek,
            Format::Iso0,
            Some(&pan),
            &mut ReplayRng::new(&[7; 64]),
        )
        .unwrap();
        let pin =
            paycrypt_pinblock::decipher(Format::Iso0, &pek, b.as_bytes(), Some(&pan)).unwrap();
        assert_eq!(pin.expose_str(), "7".repeat(len));
    }
    assert_eq!(
        random_pin_block(
            3,
            &pek,
            Format::Iso0,
            Some(&pan),
            &mut ReplayRng::new(&[1; 64])
        )
        .err(),
        Some(Error::PinLength { got: 3 })
    );
    assert_eq!(
        random_pin_block(4, &pek, Format::Iso2, None, &mut ReplayRng::new(&[1; 64])).err(),
        Some(Error::Format2NotInterchange)
    );
    assert_eq!(
        random_pin_block(4, &pek, Format::Iso0, None, &mut ReplayRng::new(&[1; 64])).err(),
        Some(Error::PanRequired {
            format: Format::Iso0
        })
    );
    // All bytes >= 250: the source runs dry.
    assert_eq!(
        random_pin_block(
            4,
            &pek,
            Format::Iso0,
            Some(&pan),
            &mut ReplayRng::new(&[250; 8])
        )
        .err(),
        Some(Error::Rng)
    );
    let aes = PinKey::aes_from_bytes(&PEK).unwrap();
    let b = random_pin_block(
        6,
        &aes,
        Format::Iso4,
        Some(&pan),
        &mut ReplayRng::new(&[0x42; 64]),
    )
    .unwrap();
    assert_eq!(b.as_bytes().len(), 16);
}

#[test]
fn strict_tables() {
    assert!(DecimalizationTable::strict("0123456789012345").is_ok());
    assert!(DecimalizationTable::strict("9876543210543210").is_ok());
    // Bond-Zielinski probes: tables that miss a digit.
    for probe in ["0000000000000000", "1123456789112345", "0123456788012345"] {
        assert!(DecimalizationTable::new(probe).is_ok());
        assert_eq!(
            DecimalizationTable::strict(probe),
            Err(Error::DecimalizationTable)
        );
        assert!(!DecimalizationTable::new(probe).unwrap().is_strict());
    }
    assert_eq!(
        DecimalizationTable::strict("012345678901234"),
        Err(Error::DecimalizationTable)
    );
}
