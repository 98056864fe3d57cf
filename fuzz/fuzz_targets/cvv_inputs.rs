//! The text parsers of `paycrypt-cvv` (PAN, expiry, service code, CVV length, presented code,
//! CAVV fields) on arbitrary input never panic; whatever parses generates a code of the right
//! length that verifies, and every presented code either verifies or is refused with one of two
//! errors.
//!
//! Input layout: `[key 16] [selector] [field text bytes, split at 0xFF...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_cvv::{
    CavvData, CavvProfile, Cvk, CvvData, CvvLength, Error, Expiry4, Pan, ServiceCode,
};

fuzz_target!(|data: &[u8]| {
    let Some((key, rest)) = data.split_at_checked(16) else {
        return;
    };
    let Some((&sel, rest)) = rest.split_first() else {
        return;
    };
    let mut fields = rest.split(|b| *b == 0xFF).map(|f| core::str::from_utf8(f).unwrap_or("\u{fffd}"));
    let (pan, exp, sc, presented) = (
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
    );
    let cvk = Cvk::from_bytes(key).expect("16 bytes is a CVK");
    let Ok(pan) = Pan::new(pan) else { return };
    // CAVV reuses the expiry and service-code text as UN / auth result / second factor.
    let cavv = CavvData::new(
        CavvProfile::CvvAtnV7,
        &pan,
        exp,
        sc.get(..1).unwrap_or(""),
        sc.get(1..).unwrap_or(""),
    );
    if let Ok(c) = &cavv {
        let v = c.generate(&cvk);
        assert_eq!(v.len(), 3);
        assert_eq!(c.verify(&cvk, v.as_str()), Ok(()));
        let r = c.verify(&cvk, presented);
        assert!(matches!(r, Ok(()) | Err(Error::Value | Error::VerificationFailed)));
    }
    let (Ok(e), sc) = (Expiry4::new(exp), ServiceCode::new(sc)) else {
        return;
    };
    let d = match (sel % 3, sc) {
        (0, Ok(sc)) => CvvData::cvv(&pan, &e, &sc),
        (1, _) => CvvData::cvv2(&pan, &e),
        (_, _) => CvvData::icvv(&pan, &e),
    };
    let d = match d {
        Ok(d) => d,
        Err(err) => {
            assert_eq!(err, Error::Pan);
            assert!(!(12..=19).contains(&pan.len()));
            return;
        }
    };
    let n = CvvLength::new(3 + sel % 3).expect("3-5");
    let code = d.generate(&cvk, n);
    assert_eq!(code.len(), n.get());
    assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(d.verify(&cvk, code.as_str()), Ok(()));
    let five = d.generate(&cvk, CvvLength::new(5).expect("5"));
    assert!(five.as_str().starts_with(code.as_str()));
    match d.verify(&cvk, presented) {
        Ok(()) => assert!(five.as_str().starts_with(presented)),
        Err(Error::Value) => assert!(
            !(3..=5).contains(&presented.len()) || !presented.bytes().all(|b| b.is_ascii_digit())
        ),
        Err(Error::VerificationFailed) => assert!(!five.as_str().starts_with(presented)),
        Err(other) => panic!("unexpected {other:?}"),
    }
});
