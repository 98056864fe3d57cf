//! Known-answer tests: ANSI X9.24-1:2009 A.4 (A.4.2 initial sequence, A.4.3 rollover), from
//! `tests/data/tdes_ansi_x9_24_1.json` (a copy of the `tdes-*` entries of the shared
//! `dukpt.json`, each with its `source`).
//!
//! PIN blocks (ISO 9564-1 format 0), X9.19 MACs (ISO/IEC 9797-1 algorithm 3) and TDEA-CBC
//! data are computed twice: by hand with the primitives' `BlockCipher` (dev-only code), and
//! through the working keys' conversions into `paycrypt_pinblock::PinKey`,
//! `paycrypt_mac::MacKey` and the data `BlockCipher`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::Direction;
use paycrypt_dukpt::tdes::{Bdk, DataKeyStyle, Ipek, KeyVariant, Ksn, TransactionKey};
use paycrypt_mac::{MacAlgorithm, MacKey, MacParams, Padding};
use paycrypt_pinblock::PinKey;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::hex;
use paycrypt_primitives::key::{DesKey, TdesKey};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    paycrypt_test_support::load("dukpt/tests/data/tdes_ansi_x9_24_1.json")
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

/// ISO/IEC 9797-1 MAC algorithm 3 (ANSI X9.19 retail MAC), padding method 1 (zeros).
fn x919(kb: &[u8], data: &[u8]) -> [u8; 8] {
    let k1 = BlockCipher::from(&DesKey::from_bytes(&kb[..8]).unwrap());
    let k2 = BlockCipher::from(&DesKey::from_bytes(&kb[8..16]).unwrap());
    let mut padded = data.to_vec();
    while !padded.len().is_multiple_of(8) {
        padded.push(0);
    }
    let mut state = [0u8; 8];
    for block in padded.chunks(8) {
        for (s, b) in state.iter_mut().zip(block) {
            *s ^= b;
        }
        k1.encrypt_block(&mut state).unwrap();
    }
    k2.decrypt_block(&mut state).unwrap();
    k1.encrypt_block(&mut state).unwrap();
    state
}

fn check_transaction(v: &Value) {
    let id = v["id"].as_str().unwrap();
    let inp = &v["inputs"];
    let exp = &v["expected"];
    let der = &v["derived"];
    let bdk = Bdk::from_bytes(&h(&inp["bdk"])).unwrap();
    let ksn: Ksn = inp["ksn"].as_str().unwrap().parse().unwrap();
    let counter = u32::from_str_radix(
        inp["counter"].as_str().unwrap().trim_start_matches("0x"),
        16,
    )
    .unwrap();
    assert_eq!(ksn.counter(), counter, "{id}");

    // Transaction key: both back ends, from the BDK and from the IPEK.
    let txn = bdk.transaction_key(&ksn);
    let want_txn = h(&exp["txn_key"]);
    assert_eq!(txn.expose_key().expose_bytes(), want_txn, "{id} txn");
    assert_eq!(
        bdk.transaction_key_vartime(&ksn)
            .expose_key()
            .expose_bytes(),
        want_txn,
        "{id} txn vartime"
    );
    let ipek = bdk.ipek(&ksn);
    assert_eq!(ipek.transaction_key(&ksn), txn, "{id} from ipek");
    assert_eq!(
        ipek.transaction_key_vartime(&ksn),
        txn,
        "{id} from ipek vartime"
    );

    // Working keys.
    let pin = txn.pin_key();
    assert_eq!(pin.key().expose_bytes(), h(&der["pin_key"]), "{id} pin key");
    let mac_req = txn.mac_key(Direction::Request);
    let mac_resp = txn.mac_key(Direction::Response);
    assert_eq!(mac_req.expose_bytes(), h(&der["mac_request_key"]), "{id}");
    assert_eq!(mac_resp.expose_bytes(), h(&der["mac_response_key"]), "{id}");
    let cases = [
        (
            Direction::Request,
            DataKeyStyle::Owf2009,
            "data_request_key_owf",
        ),
        (
            Direction::Response,
            DataKeyStyle::Owf2009,
            "data_response_key_owf",
        ),
        (
            Direction::Request,
            DataKeyStyle::BareVariant,
            "data_request_variant_no_owf",
        ),
        (
            Direction::Response,
            DataKeyStyle::BareVariant,
            "data_response_variant_no_owf",
        ),
        (
            Direction::Request,
            DataKeyStyle::PinVariantLegacy,
            "pin_key",
        ),
        (
            Direction::Response,
            DataKeyStyle::PinVariantLegacy,
            "pin_key",
        ),
    ];
    for (dir, style, field) in cases {
        let want = h(&der[field]);
        let usage = KeyVariant::data(dir, style);
        assert_eq!(
            txn.data_key(dir, style).key().expose_bytes(),
            want,
            "{id} {field}"
        );
        assert_eq!(
            bdk.working_key(&ksn, usage).expose_bytes(),
            want,
            "{id} {field}"
        );
        assert_eq!(
            bdk.working_key_vartime(&ksn, usage).expose_bytes(),
            want,
            "{id} {field} vartime"
        );
        assert_eq!(
            ipek.working_key(&ksn, usage).expose_bytes(),
            want,
            "{id} {field}"
        );
    }
    for (usage, key) in [
        (KeyVariant::Pin, pin.key().expose_bytes()),
        (KeyVariant::MacRequest, mac_req.expose_bytes()),
        (KeyVariant::MacResponse, mac_resp.expose_bytes()),
    ] {
        assert_eq!(bdk.working_key(&ksn, usage).expose_bytes(), key, "{id}");
        assert_eq!(
            bdk.working_key_vartime(&ksn, usage).expose_bytes(),
            key,
            "{id}"
        );
    }

    // PIN block: ISO 9564-1 format 0 under the PIN key, TDEA-ECB.
    let mut block = h(&inp["clear_pin_block"]);
    BlockCipher::from(pin.key())
        .ecb_encrypt(&mut block)
        .unwrap();
    assert_eq!(block, h(&exp["encrypted_pin_block"]), "{id} PIN block");
    // The same through the PIN crate: the working key becomes its `PinKey` in one `into()`.
    let pin_key: PinKey = pin.clone().into();
    let pan = paycrypt_pinblock::Pan::new(inp["pan"].as_str().unwrap()).unwrap();
    let pin_digits = paycrypt_pinblock::decipher(
        paycrypt_pinblock::Format::Iso0,
        &pin_key,
        &h(&exp["encrypted_pin_block"]),
        Some(&pan),
    )
    .unwrap();
    assert_eq!(
        pin_digits.expose_str(),
        inp["pin"].as_str().unwrap(),
        "{id}"
    );

    // X9.19 MACs.
    let mac_data = inp["mac_data_ascii"].as_str().unwrap().as_bytes();
    let m_req = x919(mac_req.expose_bytes(), mac_data);
    let m_resp = x919(mac_resp.expose_bytes(), mac_data);
    // The same through the MAC crate: `MacKey::from(&working key)`.
    let x919_params = MacParams::new(MacAlgorithm::Iso9797Algorithm3 {
        padding: Padding::Method1,
    });
    for (key, want) in [(&mac_req, m_req), (&mac_resp, m_resp)] {
        let tag = paycrypt_mac::generate(MacKey::from(key), &x919_params, mac_data).unwrap();
        assert_eq!(tag.as_bytes(), &want[..], "{id} paycrypt-mac X9.19");
    }
    assert_eq!(
        m_req[..4],
        h(&exp["mac_request_x919_4"])[..],
        "{id} MAC req"
    );
    assert_eq!(
        m_resp[..4],
        h(&exp["mac_response_x919_4"])[..],
        "{id} MAC resp"
    );
    assert_eq!(m_req[..], h(&der["mac_request_x919_8"])[..], "{id}");
    assert_eq!(m_resp[..], h(&der["mac_response_x919_8"])[..], "{id}");

    // Encrypted data: TDEA-CBC, IV 0, under the 2009 data keys.
    let iv = h(&inp["data_iv"]);
    for (dir, field, src) in [
        (Direction::Request, "encrypted_request_data_cbc", exp),
        (Direction::Response, "encrypted_response_data_cbc", der),
    ] {
        let key = txn.data_key(dir, DataKeyStyle::Owf2009);
        let mut data = h(&inp["data_plaintext_hex"]);
        BlockCipher::from(&key).cbc_encrypt(&iv, &mut data).unwrap();
        assert_eq!(data, h(&src[field]), "{id} {field}");
    }

    // Tamper: any flipped counter or device bit gives a different transaction key.
    for bit in [0usize, 7, 20, 21, 40] {
        let mut bytes = ksn.to_bytes();
        bytes[9 - bit / 8] ^= 1 << (bit % 8);
        let other = Ksn::from_bytes(bytes);
        assert_ne!(bdk.transaction_key(&other), txn, "{id} tamper bit {bit}");
        assert_ne!(
            bdk.transaction_key_vartime(&other),
            txn,
            "{id} tamper {bit}"
        );
    }
}

#[test]
fn ansi_x9_24_1_a4_vectors() {
    let mut ipeks = 0;
    let mut transactions = 0;
    for v in vectors() {
        match v["kind"].as_str().unwrap() {
            "ipek" => {
                let bdk = Bdk::from_bytes(&h(&v["inputs"]["bdk"])).unwrap();
                let ksn: Ksn = v["inputs"]["ksn"].as_str().unwrap().parse().unwrap();
                let want = h(&v["expected"]["ipek"]);
                assert_eq!(bdk.ipek(&ksn).expose_key().expose_bytes(), want);
                assert_eq!(bdk.ipek_vartime(&ksn).expose_key().expose_bytes(), want);
                // Counter 0 is the IPEK itself; the counter bits never reach the IPEK.
                assert_eq!(bdk.transaction_key(&ksn).expose_key().expose_bytes(), want);
                let later = ksn.with_counter(0x1F_F800).unwrap();
                assert_eq!(bdk.ipek(&later).expose_key().expose_bytes(), want);
                // Tamper: a different device ID or key set gives another IPEK.
                let mut b = ksn.to_bytes();
                b[7] ^= 0x20;
                assert_ne!(
                    bdk.ipek(&Ksn::from_bytes(b)).expose_key().expose_bytes(),
                    want
                );
                b = ksn.to_bytes();
                b[0] ^= 0x01;
                assert_ne!(
                    bdk.ipek(&Ksn::from_bytes(b)).expose_key().expose_bytes(),
                    want
                );
                // A flipped BDK bit (not a parity bit) changes the IPEK.
                let mut kb = h(&v["inputs"]["bdk"]);
                kb[3] ^= 0x80;
                let other = Bdk::from_bytes(&kb).unwrap();
                assert_ne!(other.ipek(&ksn).expose_key().expose_bytes(), want);
                ipeks += 1;
            }
            "transaction" => {
                check_transaction(&v);
                transactions += 1;
            }
            k => panic!("unknown kind {k}"),
        }
    }
    assert_eq!((ipeks, transactions), (1, 34));
}

#[test]
fn batch_matches_single() {
    let vs = vectors();
    let bdk = Bdk::from_bytes(&h(&vs[0]["inputs"]["bdk"])).unwrap();
    let ksns: Vec<Ksn> = vs
        .iter()
        .filter(|v| v["kind"] == "transaction")
        .map(|v| v["inputs"]["ksn"].as_str().unwrap().parse().unwrap())
        .collect();
    let zero = TdesKey::from_bytes(&[0; 16]).unwrap();
    // Odd lengths exercise the unpaired tail of the interleaved batch.
    for n in [0, 1, 2, 3] {
        let part = &ksns[ksns.len() - n..];
        let mut out = vec![zero.clone(); n];
        bdk.derive_many_vartime(part, KeyVariant::Pin, &mut out)
            .unwrap();
        for (k, o) in part.iter().zip(&out) {
            assert_eq!(*o, bdk.working_key(k, KeyVariant::Pin));
        }
    }
    let ksns = &ksns[..33];
    for usage in [
        KeyVariant::Pin,
        KeyVariant::MacResponse,
        KeyVariant::DataRequest(DataKeyStyle::Owf2009),
    ] {
        let mut a = vec![zero.clone(); ksns.len()];
        let mut b = vec![zero.clone(); ksns.len()];
        let mut c = vec![[0u8; 16]; ksns.len()];
        bdk.derive_many(ksns, usage, &mut a).unwrap();
        bdk.derive_many_vartime(ksns, usage, &mut b).unwrap();
        bdk.derive_many_bytes_vartime(ksns, usage, &mut c).unwrap();
        for (i, k) in ksns.iter().enumerate() {
            let want = bdk.working_key(k, usage);
            assert_eq!(a[i], want);
            assert_eq!(b[i], want);
            assert_eq!(c[i][..], want.expose_bytes()[..]);
        }
    }
}

#[test]
fn key_roles_from_bytes() {
    let ipek = Ipek::from_bytes(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A").unwrap()).unwrap();
    let ksn: Ksn = "FFFF9876543210E00001".parse().unwrap();
    let t = ipek.transaction_key(&ksn);
    let t2 = TransactionKey::from_bytes(&hex::decode("042666B49184CFA368DE9628D0397BC9").unwrap())
        .unwrap();
    assert_eq!(t, t2);
    assert_eq!(format!("{t:?}"), "TransactionKey { ... }");
    assert_eq!(format!("{ipek:?}"), "Ipek { ... }");
    let pin = t.pin_key();
    assert!(!format!("{pin:?}").contains("04"));
    let k: TdesKey = pin.into();
    assert_eq!(k.expose_bytes()[7], 0x5C);
}
