//! Property tests: generate -> verify, tampering, prefix/suffix relations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use paycrypt_cvv::{
    Atc, CardKey, CardKeySource, CavvData, CavvProfile, Cvk, CvvData, CvvLength, DcvvProfile,
    Error, Expiry4, IccDerivation, ImkRole, IssuerMasterKey, Ivcvc3, Pan, Psn, ServiceCode,
    UnpredictableNumber, generate_cvc3, generate_dcvv, verify_cvc3, verify_dcvv,
};
use paycrypt_pinblock::{Format, PinKey, PinMethod, PinVerificationKey, Pvki, ReplayRng};
use proptest::prelude::*;

fn pan_s() -> impl Strategy<Value = String> {
    "[0-9]{12,19}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn cvv_generate_verify(key in any::<[u8; 16]>(), pan in pan_s(), exp in "[0-9]{4}",
                           sc in "[0-9]{3}", n in 3u8..=5, flip in 0usize..128) {
        let cvk = Cvk::from_bytes(&key).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let e = Expiry4::new(&exp).unwrap();
        let data = CvvData::cvv(&pan, &e, &ServiceCode::new(&sc).unwrap()).unwrap();
        let code = data.generate(&cvk, CvvLength::new(n).unwrap());
        prop_assert_eq!(code.len(), usize::from(n));
        prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
        prop_assert_eq!(data.verify(&cvk, code.as_str()), Ok(()));
        // 3 digits = prefix of 5 digits.
        let five = data.generate(&cvk, CvvLength::new(5).unwrap());
        prop_assert!(five.as_str().starts_with(code.as_str()));
        // Flipping a key bit: the 5-digit code changes with overwhelming probability.
        let mut k2 = key;
        k2[flip / 8] ^= 1 << (flip % 8);
        // DES ignores the parity bit (bit 0 of each byte).
        if flip % 8 != 0 {
            let other = data.generate(&Cvk::from_bytes(&k2).unwrap(), CvvLength::new(5).unwrap());
            prop_assert_ne!(other, five.clone());
        }
        // The three kinds differ by service code only.
        let c2 = CvvData::cvv2(&pan, &e).unwrap();
        let c1 = CvvData::cvv(&pan, &e, &ServiceCode::CVV2).unwrap();
        prop_assert_eq!(c2.generate(&cvk, CvvLength::THREE), c1.generate(&cvk, CvvLength::THREE));
    }

    #[test]
    fn cvv_input_digit_tamper(key in any::<[u8; 16]>(), pan in "[0-9]{16}", at in 0usize..16) {
        let cvk = Cvk::from_bytes(&key).unwrap();
        let e = Expiry4::new("2612").unwrap();
        let five = |p: &str| CvvData::cvv2(&Pan::new(p).unwrap(), &e).unwrap()
            .generate(&cvk, CvvLength::new(5).unwrap());
        let mut t = pan.clone().into_bytes();
        t[at] = b'0' + (t[at] - b'0' + 1) % 10;
        prop_assert_ne!(five(&pan), five(core::str::from_utf8(&t).unwrap()));
    }

    #[test]
    fn cavv_generate_verify(key in any::<[u8; 16]>(), pan in pan_s(), un in "[0-9]{4}",
                            ar in "[0-9]", sf in "[0-9]{2}") {
        let cvk = Cvk::from_bytes(&key).unwrap();
        let d = CavvData::new(CavvProfile::CvvAtnV7, &Pan::new(&pan).unwrap(), &un, &ar, &sf).unwrap();
        let c = d.generate(&cvk);
        prop_assert_eq!(d.verify(&cvk, c.as_str()), Ok(()));
    }

    #[test]
    fn dcvv_generate_verify(key in any::<[u8; 16]>(), pan in pan_s(), atc in any::<[u8; 2]>(),
                            b in any::<bool>(), psn in 0u8..100) {
        let imk = IssuerMasterKey::from_bytes(ImkRole::Ac, &key).unwrap();
        let pan = Pan::new(&pan).unwrap();
        let method = if b { IccDerivation::OptionB } else { IccDerivation::OptionA };
        let src = CardKeySource::Derived { imk: &imk, pan: &pan, psn: Psn::new(psn).unwrap(), method };
        let e = Expiry4::new("2512").unwrap();
        let sc = ServiceCode::new("201").unwrap();
        let p = DcvvProfile::JposPayShield;
        let c = generate_dcvv(&src, p, &pan, &e, &sc, Atc::new(atc)).unwrap();
        prop_assert_eq!(verify_dcvv(&src, p, &pan, &e, &sc, Atc::new(atc), c.as_str()), Ok(()));
        // Same through the derived key given directly.
        let ck = src.card_key().unwrap();
        prop_assert_eq!(generate_dcvv(&CardKeySource::Direct(&ck), p, &pan, &e, &sc, Atc::new(atc)).unwrap(), c);
    }

    #[test]
    fn cvc3_suffixes(key in any::<[u8; 16]>(), track in proptest::collection::vec(any::<u8>(), 1..=79),
                     un in any::<[u8; 4]>(), atc in any::<[u8; 2]>()) {
        let ck = CardKey::from_bytes(ImkRole::Cvc3, &key).unwrap();
        let iv = Ivcvc3::from_track(&ck, &track).unwrap();
        let un = UnpredictableNumber::new(un);
        let atc = Atc::new(atc);
        let c = generate_cvc3(&ck, iv, un, atc).unwrap();
        prop_assert_eq!(c.len(), 5);
        for k in 3..=5 {
            prop_assert_eq!(verify_cvc3(&ck, iv, un, atc, &c.as_str()[5 - k..]), Ok(()));
        }
        // The leading digits alone are not the code (unless they equal the suffix).
        let head = &c.as_str()[..3];
        if head != &c.as_str()[2..] {
            prop_assert_eq!(verify_cvc3(&ck, iv, un, atc, head), Err(Error::VerificationFailed));
        }
    }

    #[test]
    fn encrypted_pin_round_trip(pek in any::<[u8; 16]>(), pvk in any::<[u8; 16]>(), len in 4usize..=12,
                                rnd in proptest::collection::vec(0u8..250, 40), pvki in 0u8..10,
                                f in prop_oneof![Just(0u8), Just(1), Just(3)]) {
        let format = Format::from_number(f).unwrap();
        let key = PinKey::tdes_from_bytes(&pek).unwrap();
        let pan = Pan::new("4012345678909").unwrap();
        let block = paycrypt_pinblock::random_pin_block(len, &key, format, Some(&pan),
                                                        &mut ReplayRng::new(&rnd)).unwrap();
        let pvk = PinVerificationKey::tdes_from_bytes(&pvk).unwrap();
        let pvki = Pvki::new(pvki).unwrap();
        let pvv = paycrypt_pinblock::pvv_from_pin_block(&key, format, block.as_bytes(), Some(&pan), &pvk, pvki).unwrap();
        let m = PinMethod::VisaPvv { pvk: &pvk, pvki, pvv: &pvv };
        prop_assert_eq!(paycrypt_pinblock::verify_pin_block(&key, format, block.as_bytes(), Some(&pan), &m), Ok(()));
        // A corrupted block fails with the same single error, whatever broke.
        let mut bad = block.as_bytes().to_vec();
        bad[0] ^= 0x80;
        let r = paycrypt_pinblock::verify_pin_block(&key, format, &bad, Some(&pan), &m);
        if r.is_err() {
            prop_assert_eq!(r, Err(paycrypt_pinblock::Error::PinMismatch));
        }
    }
}
