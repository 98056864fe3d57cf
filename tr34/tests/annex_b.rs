//! TR-34-2019 Annex B samples and the Futurex token, committed in `tests/data/annex-b/` and
//! `tests/data/futurex-dspread/` (sources in `tests/data/SOURCE.md`). A missing file fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use core::time::Duration;
use paycrypt_tr34::*;

const AX: &str = "annex-b";
/// 2015-01-01: inside the Annex B certificates' validity (leaves expired 2020-10-29).
const ANNEX_B_AT: Duration = Duration::from_secs(1_420_070_400);

fn ax(name: &str) -> Option<Vec<u8>> {
    shared(&format!("{AX}/{name}"))
}

fn ax_cert(name: &str) -> Option<Certificate> {
    ax(&format!("keys/{name}.cert.pem")).map(|b| Certificate::from_pem_or_der(&b).unwrap())
}

const TDES_HEADER: &str = "A0256K0TB00E0000";

#[test]
fn b2_2_2_key_blocks_parse() {
    let (Some(kdh1), Some(ias)) = (ax_cert("b2_1_5_kdh_1"), ax("b2_2_1_4_kdh_1_ias.der")) else {
        return;
    };
    assert_eq!(kdh1.issuer_and_serial().as_der(), ias);
    for (file, header) in [
        ("b2_2_2_1_tdea_key_block.der", TDES_HEADER),
        ("b2_2_2_4_aes_key_block.der", "D0256K0AB00E0000"),
    ] {
        let Some(der) = ax(file) else { return };
        let kb = EnvelopeContent::from_der(&der, HeaderForm::Standard).unwrap();
        assert_eq!(
            kb.expose_clear_key(),
            hex("0123456789ABCDEFFEDCBA9876543210")
        );
        assert_eq!(kb.header_bytes(), header.as_bytes());
        assert!(kb.id_kdh().identifies(&kdh1));
        let mut bad = der.clone();
        bad[4] ^= 0xFF;
        assert!(
            EnvelopeContent::from_der(&bad, HeaderForm::Standard).is_err()
                || !EnvelopeContent::from_der(&bad, HeaderForm::Standard)
                    .unwrap()
                    .id_kdh()
                    .identifies(&kdh1)
        );
    }
}

#[test]
fn b2_2_3_enveloped_data_decrypt_with_documented_ephemeral_keys() {
    let mut n = 0;
    for variant in ["errata", "original"] {
        let Some(env) = ax(&format!("b2_2_3_1_tdea_enveloped_data.{variant}.der")) else {
            return;
        };
        let eph = hex("0123456789ABCDEFFEDCBA9876543210FFEEDDCCBBAA9988");
        match hazmat::decrypt_enveloped_with_ephemeral(&env, &eph, None) {
            Ok(kb) => {
                assert_eq!(kb.header_bytes(), TDES_HEADER.as_bytes());
                assert_eq!(
                    kb.expose_clear_key(),
                    hex("0123456789ABCDEFFEDCBA9876543210")
                );
                n += 1;
            }
            Err(e) => println!("TDES {variant}: {e} (the printed ciphertext has a known typo)"),
        }
        let mut wrong = eph.clone();
        wrong[0] ^= 1;
        wrong[23] ^= 0x10;
        assert!(hazmat::decrypt_enveloped_with_ephemeral(&env, &wrong, None).is_err());

        let Some(env) = ax(&format!("b2_2_3_2_aes_enveloped_data.{variant}.der")) else {
            return;
        };
        let key = hex("0123456789ABCDEFFEDCBA9876543210");
        let iv = hex("0123456789ABCDEF0000000000000000");
        let kb = hazmat::decrypt_enveloped_with_ephemeral(&env, &key, Some(&iv)).unwrap();
        // B.2.2.3.2 carries the TDES-header key block (a known quirk of TR-34-2019 Annex B.2.2.3.2).
        assert_eq!(kb.header_bytes(), TDES_HEADER.as_bytes());
        n += 1;
        // Its printed 8-byte IV field is refused as-is.
        assert_eq!(
            hazmat::decrypt_enveloped_with_ephemeral(&env, &key, None).unwrap_err(),
            Error::Rejected
        );
    }
    assert_eq!(n, 4, "only {n} enveloped data decrypted");
}

fn trust<'a>(kdh: &'a Certificate, anchors: &'a [Certificate]) -> KdhTrust<'a> {
    KdhTrust {
        kdh_certificate: kdh,
        anchors,
        crls: &[],
        at: ANNEX_B_AT,
    }
}

#[test]
fn b8_one_pass_verifies() {
    let (Some(kdh1), Some(ca_kdh)) = (ax_cert("b2_1_5_kdh_1"), ax_cert("b2_1_2_ca_kdh")) else {
        return;
    };
    let anchors = [ca_kdh];
    for variant in ["errata", "original"] {
        let Some(der) = ax(&format!("b8_kt_kdh_1pass.{variant}.der")) else {
            return;
        };
        let t = KeyToken::from_der(&der).unwrap();
        let Pass::OnePass { signing_time } = t.pass_mode() else {
            panic!("not one-pass")
        };
        assert!(t.layout().crl_included);
        assert_eq!(t.header_bytes(), TDES_HEADER.as_bytes());
        println!("B.8 {variant}: layout {:?}", t.layout());
        t.verify(
            &trust(&kdh1, &anchors),
            Pass::OnePass {
                signing_time: Some(signing_time),
            },
        )
        .unwrap();
        t.verify(&trust(&kdh1, &[]), Pass::OnePass { signing_time: None })
            .unwrap();
        // stale: later minimum time
        let stale = Pass::OnePass {
            signing_time: Some(signing_time + Duration::from_secs(1)),
        };
        assert_eq!(
            t.verify(&trust(&kdh1, &anchors), stale),
            Err(Error::Rejected)
        );
        // a nonce where a time is expected
        assert_eq!(
            t.verify(&trust(&kdh1, &anchors), Pass::TwoPass { nonce: &[0; 16] }),
            Err(Error::Rejected)
        );
        // expired at another time
        let late = KdhTrust {
            at: Duration::from_secs(1_700_000_000),
            ..trust(&kdh1, &anchors)
        };
        assert_eq!(
            t.verify(&late, Pass::OnePass { signing_time: None }),
            Err(Error::Rejected)
        );
    }
}

#[test]
fn b9_two_pass_verifies_over_wire_order() {
    let (Some(kdh1), Some(ca_kdh), Some(rt)) = (
        ax_cert("b2_1_5_kdh_1"),
        ax_cert("b2_1_2_ca_kdh"),
        ax("b12_rt_krd.der"),
    ) else {
        return;
    };
    let rt = RandomNumberToken::from_der(&rt).unwrap();
    assert_eq!(rt.nonce(), hex("167EB0E72781E4940112233445566778"));
    let anchors = [ca_kdh];
    let mut verified = 0;
    for variant in ["errata", "original"] {
        let Some(der) = ax(&format!("b9_kt_kdh_2pass.{variant}.der")) else {
            return;
        };
        let t = KeyToken::from_der(&der).unwrap();
        assert_eq!(t.pass_mode(), Pass::TwoPass { nonce: rt.nonce() });
        assert!(!t.layout().attributes_der_sorted);
        println!(
            "B.9 {variant}: layout {:?} ({})",
            t.layout(),
            t.layout().name()
        );
        // The signature covers the attributes as received (not DER-sorted).
        t.verify(&trust(&kdh1, &anchors), Pass::TwoPass { nonce: rt.nonce() })
            .unwrap();
        verified += 1;
        assert!(
            t.verify(
                &trust(&kdh1, &anchors),
                Pass::TwoPass {
                    nonce: &hex("167EB0E72781E4940112233445566779")
                }
            )
            .is_err()
        );
    }
    assert_eq!(verified, 2);
}

#[test]
fn b2_2_4_and_b2_2_5_signed_attributes_are_what_b8_b9_sign() {
    for (token, attrs) in [
        (
            "b8_kt_kdh_1pass.errata.der",
            "b2_2_4_signed_attrs_1pass.errata.der",
        ),
        (
            "b9_kt_kdh_2pass.errata.der",
            "b2_2_5_signed_attrs_2pass.errata.der",
        ),
    ] {
        let (Some(der), Some(mut sample)) = (ax(token), ax(attrs)) else {
            return;
        };
        // B.2.2.4 prints the field as [0] (A0), B.2.2.5 as SET (31): compare as signed (SET).
        sample[0] = 0x31;
        assert_eq!(
            KeyToken::from_der(&der).unwrap().signed_attributes_der(),
            sample,
            "{token}"
        );
    }
}

#[test]
fn credential_tokens_parse() {
    let (Some(b7), Some(b6)) = (ax("b7_ct_krd.der"), ax("b6_ct_kdh.der")) else {
        return;
    };
    let krd1 = ax_cert("b2_1_7_krd_1").unwrap();
    let ct = CredentialToken::from_der(&b7, false).unwrap();
    assert_eq!(ct.certificate().unwrap(), &krd1);
    assert!(ct.crls().is_empty());
    assert_eq!(ct.to_der(), b7, "CT-KRD re-encodes byte for byte");
    // B.6 puts signerInfos before crls: lenient mode only.
    assert!(CredentialToken::from_der(&b6, false).is_err());
    let ct = CredentialToken::from_der(&b6, true).unwrap();
    assert_eq!(ct.certificate().unwrap(), &ax_cert("b2_1_5_kdh_1").unwrap());
    assert_eq!(ct.crls().len(), 1);
    ct.crls()[0]
        .verify_issued_by(&ax_cert("b2_1_2_ca_kdh").unwrap())
        .unwrap();
}

#[test]
fn unbind_and_rebind_tokens_parse_and_verify() {
    let kdh1 = match ax_cert("b2_1_5_kdh_1") {
        Some(c) => c,
        None => return,
    };
    let ca_krd = ax_cert("b2_1_4_ca_krd").unwrap();
    let krd1 = ax_cert("b2_1_7_krd_1").unwrap();
    let kdh2 = ax_cert("b2_1_6_kdh_2").unwrap();
    for (file, kind, signer) in [
        ("b14_ubt_kdh.der", BindKind::UnbindKdh, &kdh1),
        ("b13_ubt_ca.der", BindKind::UnbindCa, &ca_krd),
        ("b11_rbt_kdh.der", BindKind::RebindKdh, &kdh1),
        ("b10_rbt_ca.der", BindKind::RebindCa, &ca_krd),
    ] {
        let Some(der) = ax(file) else { return };
        let t = BindToken::from_der(&der).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(t.kind(), kind, "{file}");
        assert!(t.krd().identifies(&krd1), "{file}: KRD id");
        if let Some(kdh) = t.kdh() {
            assert!(
                kdh.identifies(&kdh1) || kdh.identifies(&kdh2),
                "{file}: KDH id"
            );
        }
        if let Some(c) = t.new_kdh_certificate() {
            assert_eq!(c, &kdh2, "{file}: new KDH");
        }
        match kind {
            BindKind::UnbindKdh => assert_eq!(t.nonce(), Some(&hex("7DEA1C00894E246A")[..])),
            BindKind::RebindCa => assert!(t.signing_time().is_some()),
            _ => {}
        }
        t.verify(signer).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut bad = der.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(
            BindToken::from_der(&bad).unwrap().verify(signer),
            Err(Error::Rejected)
        );
        assert!(t.verify(&krd1).is_err());
    }
}

#[test]
fn futurex_token_parses_and_verifies() {
    let (Some(der), Some(cert), Some(hex_text)) = (
        shared("futurex-dspread/kt_kdh_2pass_futurex_dspread.der"),
        shared("futurex-dspread/kdh_dspread_ausrkms101.cert.pem"),
        shared("futurex-dspread/kt_kdh_2pass_futurex_dspread.hex"),
    ) else {
        return;
    };
    let kdh = Certificate::from_pem_or_der(&cert).unwrap();
    let t = KeyToken::from_der(&der).unwrap();
    assert_eq!(
        KeyToken::from_der_or_hex(&hex_text).unwrap().header_bytes(),
        t.header_bytes()
    );
    let l = t.layout();
    assert_eq!(
        (
            l.version,
            l.econtent_sequence,
            l.ciphertext_inside_algorithm
        ),
        (73, false, false)
    );
    assert_eq!(l.name(), "futurex");
    assert_eq!(t.header_bytes(), b"A0016K0TN00E0000");
    let nonce = hex("4CDCEDD916AAACEEAE548A1C5B0A0EAA");
    assert_eq!(
        t.pass_mode(),
        Pass::TwoPass {
            nonce: nonce.as_slice()
        }
    );
    let at = kdh.not_before() + Duration::from_secs(86_400);
    let tr = KdhTrust {
        kdh_certificate: &kdh,
        anchors: &[],
        crls: &[],
        at,
    };
    t.verify(&tr, Pass::TwoPass { nonce: &nonce }).unwrap();
    let mut wrong = nonce.clone();
    wrong[15] ^= 1;
    assert_eq!(
        t.verify(&tr, Pass::TwoPass { nonce: &wrong }),
        Err(Error::Rejected)
    );
}
