//! CVC3 inputs: arbitrary track data (any length), IVCVC3, UN, ATC and presented codes never
//! panic; 1-79 byte tracks give an IVCVC3, others the `Track` error; the CVC3 always has 5
//! digits and verifies on its rightmost 3-5; dCVV over the same key and ATC verifies too.
//!
//! Input layout: `[key 16] [un 4] [atc 2] [selector] [presented length] [presented...] [track...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, DcvvProfile, Error, Expiry4, ImkRole, Ivcvc3, Pan, ServiceCode,
    TRACK_MAX, UnpredictableNumber, generate_cvc3, generate_dcvv, verify_cvc3, verify_dcvv,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 24 {
        return;
    }
    let (key, rest) = data.split_at(16);
    let (un, rest) = rest.split_at(4);
    let (atc, rest) = rest.split_at(2);
    let (sel, plen) = (rest[0], usize::from(rest[1] % 8));
    let rest = &rest[2..];
    let Some((presented, track)) = rest.split_at_checked(plen) else {
        return;
    };
    let presented = core::str::from_utf8(presented).unwrap_or("x");
    let ck = CardKey::from_bytes(ImkRole::Cvc3, key).expect("16 bytes");
    let un = UnpredictableNumber::from_slice(un).expect("4");
    let atc = Atc::from_slice(atc).expect("2");
    let iv = match Ivcvc3::from_track(&ck, track) {
        Ok(iv) => {
            assert!((1..=TRACK_MAX).contains(&track.len()));
            iv
        }
        Err(e) => {
            assert_eq!(e, Error::Track);
            assert!(track.is_empty() || track.len() > TRACK_MAX);
            Ivcvc3::from_slice(track.get(..2).unwrap_or(&[0, 0])).expect("2")
        }
    };
    let code = generate_cvc3(&ck, iv, un, atc).expect("role");
    assert_eq!(code.len(), 5);
    for k in 3..=5 {
        assert_eq!(verify_cvc3(&ck, iv, un, atc, &code.as_str()[5 - k..]), Ok(()));
    }
    match verify_cvc3(&ck, iv, un, atc, presented) {
        Ok(()) => assert!(code.as_str().ends_with(presented)),
        Err(Error::Value | Error::VerificationFailed) => {}
        Err(e) => panic!("unexpected {e:?}"),
    }
    // The same bytes as an MK-AC card key for dCVV (the role check refuses the CVC3 key).
    let ac = CardKey::from_bytes(ImkRole::Ac, key).expect("16 bytes");
    let pan = Pan::new(if sel % 2 == 0 { "4123456789012345" } else { "412345678901" }).expect("pan");
    let e = Expiry4::new("2512").expect("exp");
    let sc = ServiceCode::new("101").expect("sc");
    let p = DcvvProfile::JposPayShield;
    assert_eq!(
        generate_dcvv(&CardKeySource::Direct(&ck), p, &pan, &e, &sc, atc),
        Err(Error::KeyRole)
    );
    let src = CardKeySource::Direct(&ac);
    let d = generate_dcvv(&src, p, &pan, &e, &sc, atc).expect("dcvv");
    assert_eq!(verify_dcvv(&src, p, &pan, &e, &sc, atc, d.as_str()), Ok(()));
});
