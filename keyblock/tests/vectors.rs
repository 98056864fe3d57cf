//! Runner for `tests/data/keyblock.json` (TR-31:2018 Annex A.7, X9.143:2021 §8, ISO 20038:2017
//! Annex B; copied from the project's vector set with each entry's `source`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_keyblock::{
    BlockId, ClearKey, Error, Kbpk, KeyBlockHeader, Profile, Version, WrapOptions, inspect, unwrap,
    wrap, wrap_with_padding,
};
use paycrypt_keyblock::{ErrorClass, OptionalBlock};
use paycrypt_mac::{KcvMethod, kcv};
use paycrypt_primitives::hex;
use paycrypt_primitives::rng::ReplayRng;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    paycrypt_test_support::load("keyblock/tests/data/keyblock.json")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

fn kbpk_of(v: &Value) -> Kbpk {
    let version = Version::from_char(s(v, "version").as_bytes()[0]).unwrap();
    Kbpk::for_version(version, &hex::decode(s(v, "kbpk")).unwrap()).unwrap()
}

/// Replaces the hex digit at `pos` with another upper-case hex digit.
fn flip_hex(text: &str, pos: usize) -> String {
    let mut b = text.as_bytes().to_vec();
    b[pos] = if b[pos] == b'0' { b'1' } else { b'0' };
    String::from_utf8(b).unwrap()
}

#[test]
fn every_ok_vector_unwraps_and_wraps_back() {
    let mut n = 0;
    for v in vectors().iter().filter(|v| s(v, "expect") == "ok") {
        let id = s(v, "id");
        let kbpk = kbpk_of(v);
        let block = s(v, "key_block");
        let key = hex::decode(s(v, "key")).unwrap();
        // Unwrap under the default profile.
        let u = unwrap(&kbpk, block, Profile::default()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(u.key().expose_bytes(), key.as_slice(), "{id}");
        assert_eq!(u.header().to_string(), s(v, "header"), "{id}");
        // KC / KP blocks, where present, match the key and the KBPK.
        u.check_kcv_blocks(&kbpk)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        // Optional blocks in order.
        let expected: Vec<(String, String)> = v["opt_blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
            .collect();
        let got: Vec<(String, String)> = u
            .header()
            .optional_blocks()
            .iter()
            .map(|b| (b.id().to_string(), b.data().to_string()))
            .collect();
        assert_eq!(got, expected, "{id}");
        // Wrap back byte for byte with the published padding, two ways.
        let header = KeyBlockHeader::parse(s(v, "header")).unwrap();
        let padding = hex::decode(s(v, "random_or_padding")).unwrap();
        let opts = WrapOptions::with_profile(Profile::Interop);
        let clear = ClearKey::new(&key);
        let out = wrap_with_padding(
            &kbpk,
            &header,
            &clear,
            &padding,
            &opts,
            &mut ReplayRng::new(&[]),
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(out, block, "{id}");
        let obfuscated = !s(v, "strict_x9_143").contains("no key-length obfuscation");
        let mut rng = ReplayRng::new(&padding);
        let out = wrap(
            &kbpk,
            &header,
            &clear,
            &WrapOptions {
                obfuscate: obfuscated,
                ..opts
            },
            &mut rng,
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(out, block, "{id} (random source)");
        assert_eq!(rng.remaining(), 0, "{id}: padding fully used");
        // Inspect decodes it without a key.
        assert_eq!(
            inspect(block, Profile::default()).unwrap().header(),
            u.header()
        );
        n += 1;
    }
    assert_eq!(n, 14);
}

#[test]
fn every_ok_vector_fails_when_tampered() {
    for v in vectors().iter().filter(|v| s(v, "expect") == "ok") {
        let id = s(v, "id");
        let kbpk = kbpk_of(v);
        let block = s(v, "key_block");
        let hlen = s(v, "header").len();
        // Header: key version digit at position 10 ('0' <-> '1' / '6' -> '0').
        let header_flip = flip_hex(block, 10);
        // A payload nibble and a MAC nibble.
        let payload_flip = flip_hex(block, hlen + 3);
        let mac_flip = flip_hex(block, block.len() - 1);
        for t in [header_flip, payload_flip, mac_flip] {
            let e = unwrap(&kbpk, &t, Profile::default()).unwrap_err();
            assert_eq!(e, Error::AuthenticationFailed, "{id}");
            assert_eq!(e, Error::AuthenticationFailed);
        }
        // Wrong KBPK of the right type.
        let mut other = hex::decode(s(v, "kbpk")).unwrap();
        other[0] ^= 0x02;
        let version = Version::from_char(s(v, "version").as_bytes()[0]).unwrap();
        let wrong = Kbpk::for_version(version, &other).unwrap();
        let e = unwrap(&wrong, block, Profile::default()).unwrap_err();
        assert_eq!(e, Error::AuthenticationFailed, "{id}");
    }
}

#[test]
fn broken_examples_fail() {
    let mut n = 0;
    for v in vectors().iter().filter(|v| s(v, "expect") == "error") {
        let id = s(v, "id");
        let kbpk = kbpk_of(v);
        let block = s(v, "key_block");
        for p in Profile::ALL {
            let e = unwrap(&kbpk, block, p).unwrap_err();
            assert!(matches!(e, Error::LengthMismatch { .. }), "{id}: {e:?}");
            assert_eq!(e.class(), ErrorClass::Malformed);
        }
        // With the length field corrected the MAC still fails (an erratum of the published X9.143:2021 examples 8.3.2.1 and 8.3.2.2).
        let fixed = format!("{}{:04}{}", &block[..1], block.len(), &block[5..]);
        assert_eq!(
            unwrap(&kbpk, &fixed, Profile::Lenient).unwrap_err(),
            Error::AuthenticationFailed,
            "{id}"
        );
        n += 1;
    }
    assert_eq!(n, 2);
}

#[test]
fn x9_143_example_8_2_needs_a_lenient_profile() {
    let v = vectors()
        .into_iter()
        .find(|v| s(v, "id") == "x9.143-2021-8.2")
        .unwrap();
    let kbpk = kbpk_of(&v);
    let block = s(&v, "key_block");
    let e = unwrap(&kbpk, block, Profile::X9_143).unwrap_err();
    assert!(
        matches!(
            e,
            Error::OptionalBlockData {
                id: BlockId::KS,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(unwrap(&kbpk, block, Profile::Lenient).is_ok());
    assert!(unwrap(&kbpk, block, Profile::Interop).is_ok());
}

#[test]
fn iso20038_b2_profile() {
    let v = vectors()
        .into_iter()
        .find(|v| s(v, "id") == "iso20038-2017-B.2")
        .unwrap();
    let kbpk = kbpk_of(&v);
    assert!(unwrap(&kbpk, s(&v, "key_block"), Profile::Iso20038).is_ok());
    assert!(unwrap(&kbpk, s(&v, "key_block"), Profile::X9_143).is_err());
}

#[test]
fn kcvs_match() {
    for v in vectors() {
        let id = s(&v, "id");
        let Some(k) = v["kcv"]["key"].as_str() else {
            continue;
        };
        let want = k.split_whitespace().next().unwrap();
        let header = KeyBlockHeader::parse_with(s(&v, "header"), Profile::Lenient).ok();
        let key = hex::decode(s(&v, "key")).unwrap();
        let alg = header.map(|h| h.algorithm()).unwrap();
        let sym = ClearKey::new(&key).to_symmetric_key(alg).unwrap();
        // AES keys: CMAC KCV (X9.24-1:2017 A.3), printed with 3 or 5 bytes.
        let method = if alg == paycrypt_keyblock::Algorithm::Aes {
            KcvMethod::Cmac
        } else {
            KcvMethod::Legacy
        };
        let got = kcv(&sym, method, want.len() / 2).unwrap();
        assert_eq!(got.to_string(), want, "{id}");
    }
    // KP blocks of X9.143:2021 8.5 and 8.6 recomputed from the KBPKs.
    for v in vectors()
        .iter()
        .filter(|v| s(v, "id").starts_with("x9.143-2021-8.5") || s(v, "id") == "x9.143-2021-8.6")
    {
        let h = KeyBlockHeader::parse(s(v, "header")).unwrap();
        let kp =
            OptionalBlock::check_value(BlockId::KP, KcvMethod::Cmac, kbpk_of(v).key()).unwrap();
        assert_eq!(h.optional_block(BlockId::KP), Some(&kp), "{}", s(v, "id"));
    }
}

#[test]
fn every_ok_vector_passes_its_own_standard_profile() {
    for v in vectors().iter().filter(|v| s(v, "expect") == "ok") {
        let id = s(v, "id");
        let profile = if id.starts_with("tr31-2018") {
            Profile::Tr31_2018
        } else if id.starts_with("iso20038") {
            Profile::Iso20038
        } else if id == "x9.143-2021-8.2" {
            // Non-hex KS and TS without Z: only the permissive profiles (X9.143:2021 example 8.2 carries them).
            Profile::Lenient
        } else {
            Profile::X9_143
        };
        unwrap(&kbpk_of(v), s(v, "key_block"), profile)
            .unwrap_or_else(|e| panic!("{id} under {profile}: {e}"));
    }
}
