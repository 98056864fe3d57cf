//! Vectors computed by independent implementations (tests/data/independent.json, written by
//! tests/data/gen_vectors.py: pyemv 1.5.0, and a pycryptodome model for the Mastercard SKD,
//! PBOC and DOL), each with a tamper case.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use paycrypt_emv::pboc::{self, Load, Purchase};
use paycrypt_emv::tlv::{self, Content, Tag};
use paycrypt_emv::{
    Ac, AcInput, ArpcMethod, ArpcResponse, CardData, CardMasterKeys, CryptogramVersion,
    Emv2000Tree, Error, IccDerivation, IccMasterKey, IssuerMasterKey, PbocLoadKey, PbocPurchaseKey,
    PbocTacKey, Psn, Smc, Smi, TerminalData, ac_r, command_mac, common_session_key,
    derive_icc_master_key, detect_iad, encrypt_command_data, generate, hazmat, mastercard_r,
    pin_change_command, smc_session_key, smi_session_key, verify_arqc, visa_sm_session_key,
};
use paycrypt_pinblock::{Pan, Pin};
use paycrypt_primitives::hex;
use paycrypt_primitives::key::{TdesKey, has_odd_parity};
use serde_json::Value;

use paycrypt_test_support::{Vector, load_file};
use std::collections::BTreeMap;

/// `independent.json`: provenance, then one section of vectors per operation.
#[derive(serde::Deserialize)]
struct Independent {
    #[allow(dead_code)]
    source: Value,
    #[allow(dead_code)]
    generator: Value,
    #[serde(flatten)]
    sections: BTreeMap<String, Vec<Vector>>,
}

fn doc() -> Independent {
    load_file("emv/tests/data/independent.json")
}

fn arr<const N: usize>(v: &Vector, k: &str) -> [u8; N] {
    v.hex(k).try_into().unwrap()
}

fn tdes(v: &Vector, k: &str) -> TdesKey {
    TdesKey::from_bytes(&v.hex(k)).unwrap()
}

fn list<'a>(d: &'a Independent, k: &str, min: usize) -> &'a Vec<Vector> {
    let l = d
        .sections
        .get(k)
        .unwrap_or_else(|| panic!("missing section {k}"));
    assert!(l.len() >= min, "section {k} incomplete");
    l
}

#[test]
fn icc_master_keys_options_a_and_b() {
    let d = doc();
    for v in list(&d, "icc_mk", 8) {
        let imk = tdes(v, "imk");
        let pan = Pan::new(v.str("pan")).unwrap();
        let psn = Psn::new(v.str("psn").parse().unwrap()).unwrap();
        for (m, k) in [
            (IccDerivation::OptionA, "option_a"),
            (IccDerivation::OptionB, "option_b"),
        ] {
            let got = derive_icc_master_key(&imk, &pan, psn, m);
            assert_eq!(got.expose_bytes(), &v.hex(k)[..], "{} {m:?}", v.str("pan"));
            assert!(has_odd_parity(got.expose_bytes()));
            // Typed wrapper gives the same key.
            let typed = IssuerMasterKey::<Ac>::from_bytes(imk.expose_bytes()).unwrap();
            assert_eq!(
                typed.derive_icc(&pan, psn, m).expose_bytes(),
                got.expose_bytes()
            );
        }
        // Tamper: a different IMK.
        let mut other = v.hex("imk");
        other[0] ^= 0x02;
        let other = TdesKey::from_bytes(&other).unwrap();
        let got = derive_icc_master_key(&other, &pan, psn, IccDerivation::OptionB);
        assert_ne!(got.expose_bytes(), &v.hex("option_b")[..]);
    }
}

#[test]
fn session_keys() {
    let d = doc();
    let mut methods = std::collections::BTreeSet::new();
    for v in list(&d, "session_keys", 20) {
        let mk = tdes(v, "mk");
        let method = v.str("method");
        methods.insert(method.to_string());
        let (got, tampered) = match method {
            "csk" => {
                let r: [u8; 8] = arr(v, "r");
                let mut r2 = r;
                r2[7] ^= 1;
                (common_session_key(&mk, &r), common_session_key(&mk, &r2))
            }
            "csk-atc" => {
                let atc: [u8; 2] = arr(v, "atc");
                (
                    common_session_key(&mk, &ac_r(atc)),
                    common_session_key(&mk, &ac_r([atc[0], !atc[1]])),
                )
            }
            "mastercard" => {
                let atc: [u8; 2] = arr(v, "atc");
                let un: [u8; 4] = arr(v, "un");
                (
                    common_session_key(&mk, &mastercard_r(atc, un)),
                    common_session_key(&mk, &mastercard_r(atc, [un[0], un[1], un[2], !un[3]])),
                )
            }
            "visa-sm" => {
                let atc: [u8; 2] = arr(v, "atc");
                (
                    visa_sm_session_key(&mk, atc),
                    visa_sm_session_key(&mk, [atc[0] ^ 2, atc[1]]),
                )
            }
            "emv2000" => {
                let atc: [u8; 2] = arr(v, "atc");
                let tree = Emv2000Tree::new(
                    u32::try_from(v.u64("branch")).unwrap(),
                    u32::try_from(v.u64("height")).unwrap(),
                    arr(v, "iv"),
                )
                .unwrap();
                let next = u16::from_be_bytes(atc).wrapping_add(1).to_be_bytes();
                (tree.session_key(&mk, atc), tree.session_key(&mk, next))
            }
            other => panic!("unknown method {other}"),
        };
        assert_eq!(got.expose_bytes(), &v.hex("key")[..], "{method}");
        assert!(has_odd_parity(got.expose_bytes()));
        assert_ne!(
            tampered.expose_bytes(),
            &v.hex("key")[..],
            "{method} tamper"
        );
    }
    assert_eq!(methods.len(), 5, "every session-key method covered");
}

fn terminal(tags: &Value) -> TerminalData {
    let t = |k: &str| hex::decode(tags[k].as_str().unwrap()).unwrap();
    TerminalData {
        amount: t("9F02").try_into().unwrap(),
        amount_other: t("9F03").try_into().unwrap(),
        country: t("9F1A").try_into().unwrap(),
        tvr: t("95").try_into().unwrap(),
        currency: t("5F2A").try_into().unwrap(),
        date: t("9A").try_into().unwrap(),
        tx_type: t("9C")[0],
        un: t("9F37").try_into().unwrap(),
    }
}

/// The vector's tags and IAD as BER-TLV inside a `77` template (as a response would carry).
fn tlv_data(v: &Vector) -> Vec<u8> {
    let mut children = Vec::new();
    for (k, val) in v.get("tags").and_then(Value::as_object).unwrap() {
        children.push(tlv::Node::primitive(
            Tag::from_bytes(&hex::decode(k).unwrap()).unwrap(),
            hex::decode(val.as_str().unwrap()).unwrap(),
        ));
    }
    children.push(tlv::Node::primitive(Tag::two(0x9F, 0x10), v.hex("iad")));
    tlv::encode(&[tlv::Node {
        tag: Tag::one(0x77),
        content: Content::Constructed(children),
    }])
    .unwrap()
}

#[test]
fn cryptogram_profiles() {
    let d = doc();
    let mut seen = std::collections::BTreeSet::new();
    for v in list(&d, "cryptograms", 28) {
        let profile = CryptogramVersion::from_name(v.str("profile")).unwrap();
        seen.insert(profile.name());
        let spec = profile.spec();
        let id = format!("{} {}", profile.name(), v.str("pan"));
        let pan = Pan::new(v.str("pan")).unwrap();
        let psn = Psn::new(v.str("psn").parse().unwrap()).unwrap();
        // ICC master keys by the profile's option.
        let imk_ac = IssuerMasterKey::<Ac>::from_bytes(&v.hex("imk_ac")).unwrap();
        let imk_smi = IssuerMasterKey::<Smi>::from_bytes(&v.hex("imk_smi")).unwrap();
        let imk_smc = IssuerMasterKey::<Smc>::from_bytes(&v.hex("imk_smc")).unwrap();
        let mk_ac = imk_ac.derive_icc(&pan, psn, spec.icc);
        let mk_smi = imk_smi.derive_icc(&pan, psn, spec.icc);
        let mk_smc = imk_smc.derive_icc(&pan, psn, spec.icc);
        assert_eq!(mk_ac.expose_bytes(), &v.hex("icc_mk_ac")[..], "{id}");
        assert_eq!(mk_smi.expose_bytes(), &v.hex("icc_mk_smi")[..], "{id}");
        assert_eq!(mk_smc.expose_bytes(), &v.hex("icc_mk_smc")[..], "{id}");

        // Detection from 9F10 finds the profile.
        let iad = v.hex("iad");
        assert_eq!(detect_iad(&iad).unwrap().version, Some(profile), "{id}");

        // Input from the table and from TLV agree with pyemv's.
        let tags = v.get("tags").unwrap();
        let t = |k: &str| hex::decode(tags[k].as_str().unwrap()).unwrap();
        let card = CardData {
            aip: t("82").try_into().unwrap(),
            atc: t("9F36").try_into().unwrap(),
            iad: &iad,
        };
        let input = AcInput::from_table(profile, &terminal(tags), &card).unwrap();
        assert_eq!(input.as_bytes(), &v.hex("input")[..], "{id}");
        let from_tlv = AcInput::from_tlv(profile, &tlv_data(v)).unwrap();
        assert_eq!(from_tlv.as_bytes(), input.as_bytes(), "{id}");
        // A CDOL1 naming the Table 26 terminal tags gives the same input.
        let cdol = hex::decode("9F02069F03069F1A0295055F2A029A039C019F3704").unwrap();
        let from_cdol = AcInput::from_cdol(profile, &cdol, &tlv_data(v)).unwrap();
        assert_eq!(from_cdol.as_bytes(), input.as_bytes(), "{id}");
        assert_eq!(from_cdol.un(), input.un());

        // Generate and verify.
        let params = profile.ac_params();
        let arqc: [u8; 8] = arr(v, "arqc");
        assert_eq!(generate(&params, &mk_ac, &input).unwrap().0, arqc, "{id}");
        let verified = verify_arqc(&params, &mk_ac, &input, &arqc).unwrap();
        let resp_pad;
        let response = match spec.arpc {
            ArpcMethod::Method1 => ArpcResponse::Method1 { arc: arr(v, "arc") },
            ArpcMethod::Method2 => {
                resp_pad = v.hex("pad");
                ArpcResponse::Method2 {
                    csu: arr(v, "csu"),
                    pad: &resp_pad,
                }
            }
        };
        let arpc = verified.arpc(&response).unwrap();
        assert_eq!(arpc.arpc(), &v.hex("arpc")[..], "{id} arpc");
        // The hazmat path gives the same ARPC.
        let key =
            hazmat::arpc_key(spec.arpc_key, spec.ac_key, &mk_ac, input.atc(), input.un()).unwrap();
        let again = hazmat::arpc_unverified(&key, arqc, &response).unwrap();
        assert_eq!(again, arpc);
        // Tamper: every byte of the ARQC, and one bit of the input.
        for i in 0..8 {
            let mut bad = arqc;
            bad[i] ^= 0x01;
            assert_eq!(
                verify_arqc(&params, &mk_ac, &input, &bad).unwrap_err(),
                Error::ArqcVerification,
                "{id}"
            );
        }
        let mut bad_in = v.hex("input");
        bad_in[0] ^= 0x80;
        let bad_in = AcInput::raw(&bad_in, input.atc(), input.un()).unwrap();
        assert!(verify_arqc(&params, &mk_ac, &bad_in, &arqc).is_err());

        // Script MAC.
        let atc = card.atc;
        let smi = smi_session_key(spec.sm_key, &mk_smi, atc, arqc);
        let header: [u8; 5] = arr(v, "script_header");
        let mac = command_mac(&smi, header, atc, arqc, &v.hex("script_data"), 8).unwrap();
        assert_eq!(mac.as_bytes(), &v.hex("script_mac")[..], "{id} mac");
        let mac4 = command_mac(&smi, header, atc, arqc, &v.hex("script_data"), 4).unwrap();
        assert_eq!(mac4.as_bytes(), &v.hex("script_mac")[..4]);
        let mut h2 = header;
        h2[1] ^= 1;
        let bad = command_mac(&smi, h2, atc, arqc, &v.hex("script_data"), 8).unwrap();
        assert_ne!(bad.as_bytes(), &v.hex("script_mac")[..], "{id} mac tamper");

        // Command data encryption.
        let smc = smc_session_key(spec.sm_key, &mk_smc, atc, arqc);
        let ct = encrypt_command_data(&smc, spec.sm_encryption, &v.hex("plain")).unwrap();
        assert_eq!(ct.as_bytes(), &v.hex("ciphertext")[..], "{id} enc");
        let mut p2 = v.hex("plain");
        p2[0] ^= 1;
        let bad = encrypt_command_data(&smc, spec.sm_encryption, &p2).unwrap();
        assert_ne!(bad.as_bytes(), &v.hex("ciphertext")[..]);

        // PIN change.
        let keys = CardMasterKeys {
            ac: &mk_ac,
            smi: &mk_smi,
            smc: &mk_smc,
        };
        let pin = Pin::new(v.str("pin")).unwrap();
        let cmd = pin_change_command(profile, &keys, &pin, None, atc, arqc).unwrap();
        let mut apdu = [0u8; 64];
        let n = cmd.write_apdu(&mut apdu).unwrap();
        assert_eq!(&apdu[..n], &v.hex("pin_change")[..], "{id} pin change");
        if let Some(cur) = v.opt_str("current_pin") {
            let cur = Pin::new(cur).unwrap();
            let cmd = pin_change_command(profile, &keys, &pin, Some(&cur), atc, arqc).unwrap();
            let n = cmd.write_apdu(&mut apdu).unwrap();
            assert_eq!(
                &apdu[..n],
                &v.hex("pin_change_current")[..],
                "{id} pin change current"
            );
        } else {
            let cur = Pin::new("1234").unwrap();
            assert!(matches!(
                pin_change_command(profile, &keys, &pin, Some(&cur), atc, arqc),
                Err(Error::Parameter { .. })
            ));
        }
        let other = Pin::new("0000").unwrap();
        let cmd2 = pin_change_command(profile, &keys, &other, None, atc, arqc).unwrap();
        let n = cmd2.write_apdu(&mut apdu).unwrap();
        assert_ne!(&apdu[..n], &v.hex("pin_change")[..]);
    }
    assert_eq!(
        seen.len(),
        CryptogramVersion::ALL.len(),
        "every profile covered"
    );
}

#[test]
fn pboc_functions() {
    let d = doc();
    let mut kinds = std::collections::BTreeSet::new();
    for v in list(&d, "pboc", 20) {
        let kind = v.str("kind");
        kinds.insert(kind.to_string());
        match kind {
            "diversify" => {
                let k = pboc::diversify(&tdes(v, "mk"), arr(v, "factor"));
                assert_eq!(k.expose_bytes(), &v.hex("key")[..]);
                let mut f: [u8; 8] = arr(v, "factor");
                f[3] ^= 1;
                assert_ne!(
                    pboc::diversify(&tdes(v, "mk"), f).expose_bytes(),
                    &v.hex("key")[..]
                );
            }
            "mac" => {
                let iv = v.get("iv").map(|_| arr::<8>(v, "iv"));
                let m = pboc::mac(&v.hex("key"), iv, &v.hex("data")).unwrap();
                assert_eq!(&m[..], &v.hex("mac")[..]);
                let mut data = v.hex("data");
                data.push(0);
                assert_ne!(
                    &pboc::mac(&v.hex("key"), iv, &data).unwrap()[..],
                    &v.hex("mac")[..]
                );
            }
            "load" => {
                let dlk = PbocLoadKey::from_bytes(&v.hex("dlk")).unwrap();
                let dtk = PbocTacKey::from_bytes(&v.hex("dtk")).unwrap();
                let t = Load {
                    random: arr(v, "random"),
                    online_atc: arr(v, "atc"),
                    balance: u32::from_be_bytes(arr(v, "balance")),
                    amount: u32::from_be_bytes(arr(v, "amount")),
                    tx_type: v.hex("type")[0],
                    terminal: arr(v, "terminal"),
                    date: arr(v, "date"),
                    time: arr(v, "time"),
                };
                let r = pboc::load(&dlk, &dtk, &t, Some(&v.hex("mac1"))).unwrap();
                assert_eq!(&r.mac1[..], &v.hex("mac1")[..]);
                assert_eq!(&r.mac2[..], &v.hex("mac2")[..]);
                assert_eq!(&r.tac[..], &v.hex("tac")[..]);
                assert_eq!(r.new_balance, u32::from_be_bytes(arr(v, "new_balance")));
                let mut bad = v.hex("mac1");
                bad[3] ^= 1;
                assert_eq!(
                    pboc::load(&dlk, &dtk, &t, Some(&bad)),
                    Err(Error::MacVerification)
                );
            }
            "purchase" => {
                let dpk = PbocPurchaseKey::from_bytes(&v.hex("dpk")).unwrap();
                let dtk = PbocTacKey::from_bytes(&v.hex("dtk")).unwrap();
                let t = Purchase {
                    random: arr(v, "random"),
                    offline_atc: arr(v, "atc"),
                    serial: arr(v, "serial"),
                    amount: u32::from_be_bytes(arr(v, "amount")),
                    tx_type: v.hex("type")[0],
                    terminal: arr(v, "terminal"),
                    date: arr(v, "date"),
                    time: arr(v, "time"),
                };
                let r = pboc::purchase(&dpk, &dtk, &t, Some(&v.hex("mac1"))).unwrap();
                assert_eq!(&r.mac1[..], &v.hex("mac1")[..]);
                assert_eq!(&r.mac2[..], &v.hex("mac2")[..]);
                assert_eq!(&r.tac[..], &v.hex("tac")[..]);
                let mut bad = v.hex("mac1");
                bad[0] ^= 1;
                assert_eq!(
                    pboc::purchase(&dpk, &dtk, &t, Some(&bad)),
                    Err(Error::MacVerification)
                );
            }
            other => panic!("unknown kind {other}"),
        }
    }
    assert_eq!(kinds.len(), 4);
}

#[test]
fn tlv_encodings_round_trip() {
    let d = doc();
    for v in list(&d, "tlv", 7) {
        let enc = v.hex("encoded");
        let tree = tlv::decode_tree(&enc).unwrap();
        assert_eq!(tlv::encode(&tree).unwrap(), enc, "{}", v.str("encoded"));
        // Tamper: dropping the last byte truncates.
        assert!(tlv::decode_tree(&enc[..enc.len() - 1]).is_err());
    }
}

#[test]
fn dol_building() {
    let d = doc();
    for v in list(&d, "dol", 3) {
        let got = tlv::dol_build(&v.hex("dol"), &v.hex("tlv")).unwrap();
        assert_eq!(got, v.hex("data"));
        // Tamper: another amount (9F02, in every DOL here) changes the data.
        let tl = v.hex("tlv");
        let pos = tl.windows(2).position(|w| w == [0x9F, 0x02]).unwrap() + 7;
        let mut tl2 = tl.clone();
        tl2[pos] ^= 0x01;
        assert_ne!(tlv::dol_build(&v.hex("dol"), &tl2).unwrap(), v.hex("data"));
    }
}

#[test]
fn typed_keys_debug_redacted() {
    let k = IccMasterKey::<Ac>::from_bytes(&[0xAB; 16]).unwrap();
    let dbg = format!("{k:?}");
    assert_eq!(dbg, "IccMasterKey<AC>(..)");
    assert!(!dbg.contains("AB"));
    let p = PbocTacKey::from_bytes(&[0xCD; 16]).unwrap();
    assert_eq!(format!("{p:?}"), "PbocTacKey(..)");
}
