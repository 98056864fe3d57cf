//! IBM 3624 offsets and Visa PVVs against `tests/data/pin-verification.json` (DERIVED values from
//! an independent Python implementation, `tests/data/gen_pin_verification.py`; no published
//! vectors were available), plus negatives and round-trip properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_pinblock::{
    DecimalizationTable, Error, ErrorClass, Pan, Pin, PinOffset, PinVerificationKey, Pvki, Pvv,
    ValidationData, ibm3624_natural_pin, ibm3624_offset, ibm3624_pin_from_offset, ibm3624_verify,
    visa_pvv, visa_pvv_verify,
};
use paycrypt_primitives::hex;
use paycrypt_primitives::key::DesKey;
use paycrypt_test_support::Vector;
use proptest::prelude::*;

fn pvk(hex_key: &str) -> PinVerificationKey {
    let b = hex::decode(hex_key).unwrap();
    if b.len() == 8 {
        PinVerificationKey::legacy_single_des(&DesKey::from_bytes(&b).unwrap())
    } else {
        PinVerificationKey::tdes_from_bytes(&b).unwrap()
    }
}

#[test]
fn pin_verification_json() {
    let vectors: Vec<Vector> =
        paycrypt_test_support::load("pinblock/tests/data/pin-verification.json");
    assert_eq!(vectors.len(), 12);
    for v in &vectors {
        let id = v.id.as_str();
        let key = pvk(v.str("pvk"));
        let pin = Pin::new(v.str("pin")).unwrap();
        match v.str("op") {
            "ibm3624_offset" => {
                let table = DecimalizationTable::new(v.str("decimalization_table")).unwrap();
                let pad = v.str("pad").chars().next().unwrap();
                let data = ValidationData::new(v.str("validation_data"), pad).unwrap();
                let natural = ibm3624_natural_pin(&key, &table, &data, pin.len()).unwrap();
                assert_eq!(natural.expose_str(), v.str("natural_pin"), "{id}");
                let offset = ibm3624_offset(&key, &table, &data, &pin).unwrap();
                assert_eq!(offset.to_string(), v.str("offset"), "{id}");
                let given = PinOffset::new(v.str("offset")).unwrap();
                assert_eq!(given, offset);
                assert_eq!(
                    ibm3624_pin_from_offset(&key, &table, &data, &given).unwrap(),
                    pin,
                    "{id}"
                );
                ibm3624_verify(&key, &table, &data, &pin, &given).unwrap();
                // Tamper: one offset digit.
                let mut t = v.str("offset").as_bytes().to_vec();
                t[0] = if t[0] == b'9' { b'0' } else { t[0] + 1 };
                let bad = PinOffset::new(core::str::from_utf8(&t).unwrap()).unwrap();
                assert_eq!(
                    ibm3624_verify(&key, &table, &data, &pin, &bad),
                    Err(Error::PinMismatch),
                    "{id}"
                );
            }
            "visa_pvv" => {
                let pan = Pan::new(v.str("pan")).unwrap();
                let pvki = Pvki::new(u8::try_from(v.u64("pvki")).unwrap()).unwrap();
                let pvv = visa_pvv(&key, &pan, pvki, &pin).unwrap();
                assert_eq!(pvv.to_string(), v.str("pvv"), "{id}");
                let given = Pvv::new(v.str("pvv")).unwrap();
                assert_eq!(given, pvv);
                visa_pvv_verify(&key, &pan, pvki, &pin, &given).unwrap();
                // Tamper: another PVKI does not verify.
                let other = Pvki::new((pvki.value() + 1) % 10).unwrap();
                assert_eq!(
                    visa_pvv_verify(&key, &pan, other, &pin, &given),
                    Err(Error::PinMismatch),
                    "{id}"
                );
            }
            other => panic!("{id}: unknown op {other}"),
        }
    }
}

#[test]
fn verification_errors() {
    assert_eq!(
        ValidationData::new("123", 'F').err(),
        Some(Error::ValidationData)
    );
    assert_eq!(
        ValidationData::new("12345678901234567", 'F').err(),
        Some(Error::ValidationData)
    );
    assert_eq!(
        ValidationData::new("12G4", 'F').err(),
        Some(Error::ValidationData)
    );
    assert_eq!(
        ValidationData::new("1234", 'X').err(),
        Some(Error::ValidationData)
    );
    assert_eq!(
        ValidationData::new("1234", '€').err(),
        Some(Error::ValidationData)
    );
    assert_eq!(
        ValidationData::new("12ab", 'f').unwrap().as_bytes(),
        &[0x12, 0xAB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    );
    assert_eq!(
        DecimalizationTable::new("012345678901234").err(),
        Some(Error::DecimalizationTable)
    );
    assert_eq!(
        DecimalizationTable::new("0123456789ABCDEF").err(),
        Some(Error::DecimalizationTable)
    );
    assert_eq!(Pvki::new(10).err(), Some(Error::Pvki));
    assert_eq!(PinOffset::new("123").err(), Some(Error::VerificationValue));
    assert_eq!(PinOffset::new("12a4").err(), Some(Error::VerificationValue));
    assert_eq!(Pvv::new("12345").err(), Some(Error::VerificationValue));
    assert_eq!(Pvv::new("123").err(), Some(Error::VerificationValue));
    let key = pvk("0123456789ABCDEFFEDCBA9876543210");
    let pin = Pin::new("1234").unwrap();
    // A PVV needs 12-19 PAN digits.
    assert!(matches!(
        visa_pvv(
            &key,
            &Pan::new("12345678901").unwrap(),
            Pvki::new(1).unwrap(),
            &pin
        ),
        Err(Error::PanLength { min: 12, .. })
    ));
    // Natural PIN length 4-12.
    let data = ValidationData::new("4012345678909", 'F').unwrap();
    assert_eq!(
        ibm3624_natural_pin(&key, &DecimalizationTable::DEFAULT, &data, 13).err(),
        Some(Error::PinLength { got: 13 })
    );
    // An offset of another length does not verify.
    let off = PinOffset::new("00000").unwrap();
    let e = ibm3624_verify(&key, &DecimalizationTable::DEFAULT, &data, &pin, &off).unwrap_err();
    assert_eq!(e, Error::PinMismatch);
    assert_eq!(e.class(), ErrorClass::Rejected);
    for e in [
        Error::ValidationData,
        Error::DecimalizationTable,
        Error::Pvki,
        Error::VerificationValue,
    ] {
        assert_eq!(e.class(), ErrorClass::Malformed);
        assert!(!e.to_string().is_empty());
    }
    let dbg = format!("{:?} {:?} {key:?}", off, Pvv::new("1234").unwrap());
    assert!(!dbg.contains("1234") && !dbg.contains("0000"), "{dbg}");
}

proptest! {
    #[test]
    fn offset_round_trip(
        pin in "[0-9]{4,12}",
        data in "[0-9A-F]{4,16}",
        key in prop::array::uniform16(any::<u8>()),
        table in "[0-9]{16}",
    ) {
        let key = PinVerificationKey::tdes_from_bytes(&key).unwrap();
        let table = DecimalizationTable::new(&table).unwrap();
        let data = ValidationData::new(&data, 'F').unwrap();
        let pin = Pin::new(&pin).unwrap();
        let off = ibm3624_offset(&key, &table, &data, &pin).unwrap();
        prop_assert_eq!(off.len(), pin.len());
        prop_assert_eq!(ibm3624_pin_from_offset(&key, &table, &data, &off).unwrap(), pin.clone());
        prop_assert!(ibm3624_verify(&key, &table, &data, &pin, &off).is_ok());
        // The natural PIN has offset 0...0.
        let natural = ibm3624_natural_pin(&key, &table, &data, pin.len()).unwrap();
        let zero = ibm3624_offset(&key, &table, &data, &natural).unwrap();
        prop_assert!(zero.to_string().bytes().all(|c| c == b'0'));
    }

    #[test]
    fn pvv_is_four_digits_and_verifies(
        pin in "[0-9]{4,12}",
        pan in "[0-9]{12,19}",
        pvki in 0u8..10,
        key in prop::array::uniform16(any::<u8>()),
    ) {
        let key = PinVerificationKey::tdes_from_bytes(&key).unwrap();
        let pin = Pin::new(&pin).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let pvki = Pvki::new(pvki).unwrap();
        let pvv = visa_pvv(&key, &pan, pvki, &pin).unwrap();
        let text = pvv.to_string();
        prop_assert_eq!(text.len(), 4);
        prop_assert!(text.bytes().all(|c| c.is_ascii_digit()));
        prop_assert!(visa_pvv_verify(&key, &pan, pvki, &pin, &Pvv::new(&text).unwrap()).is_ok());
    }
}
