//! `paycrypt cipher encrypt|decrypt`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;

/// NIST SP 800-38A F.1.1 / F.2.1 (AES-128 ECB / CBC).
const AES_KEY: &str = "2B7E151628AED2A6ABF7158809CF4F3C";
const AES_PT: &str = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51";
const AES_ECB_CT: &str = "3AD77BB40D7A3660A89ECAF32466EF97F5D3D58503B9699DE785895A96FDBAAF";
const AES_IV: &str = "000102030405060708090A0B0C0D0E0F";
const AES_CBC_CT: &str = "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2";
/// NIST SP 800-67 Rev. 1 §3.3 example (TDEA 3-key ECB, "The qufck brown fox jump").
const TDES3_KEY: &str = "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123";
const TDES3_PT: &str = "54686520717566636B2062726F776E20666F78206A756D70";
const TDES3_ECB_CT: &str = "A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900";
/// Own vector, computed with `openssl enc -des-ede3-cbc -nopad` (same key and plaintext).
const TDES3_CBC_IV: &str = "F69F2445DF4F9B17";
const TDES3_CBC_CT: &str = "A5C282BAD0DE3774BECD2E04386B589FB5057D8552FC4336";
/// X9.24-1:2009 A.4 (vector `iso0-dukpt-01`): PIN block under the 2-key TDES DUKPT PIN key.
const TDES2_KEY: &str = "042666B49184CF5C68DE9628D0397B36";
const TDES2_PT: &str = "041274EDCBA9876F";
const TDES2_CT: &str = "1B9C1845EB993A7A";

#[test]
fn published_vectors() {
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a str, &'a str);
    let cases: [Case<'_>; 5] = [
        ("aes", "ecb", AES_KEY, None, AES_PT, AES_ECB_CT),
        ("aes", "cbc", AES_KEY, Some(AES_IV), AES_PT, AES_CBC_CT),
        ("tdes", "ecb", TDES3_KEY, None, TDES3_PT, TDES3_ECB_CT),
        (
            "tdes",
            "cbc",
            TDES3_KEY,
            Some(TDES3_CBC_IV),
            TDES3_PT,
            TDES3_CBC_CT,
        ),
        ("tdes", "ecb", TDES2_KEY, None, TDES2_PT, TDES2_CT),
    ];
    for (alg, mode, key, iv, pt, ct) in cases {
        assert_eq!(crypt("encrypt", alg, mode, key, iv, pt), ct);
        assert_eq!(crypt("decrypt", alg, mode, key, iv, ct), pt);
        // Lower-case input, upper-case output.
        let low = pt.to_ascii_lowercase();
        assert_eq!(
            crypt("encrypt", alg, mode, &key.to_ascii_lowercase(), iv, &low),
            ct
        );
    }
}

#[test]
fn tamper_changes_output() {
    let mut ct = AES_ECB_CT.to_owned();
    ct.replace_range(0..1, "4");
    assert_ne!(crypt("decrypt", "aes", "ecb", AES_KEY, None, &ct), AES_PT);
}

#[test]
fn json_shape() {
    let j = ok_json(&crypt_args("encrypt", "aes", "ecb", AES_KEY, None, AES_PT));
    assert_eq!(s(&j, "data"), AES_ECB_CT);
    assert_eq!(j.len(), 1);
    // --json before the command too.
    let lines = ok(&with_extra(
        &["--json"],
        &crypt_args("decrypt", "aes", "ecb", AES_KEY, None, AES_ECB_CT),
    ));
    assert_eq!(lines, [format!("{{\"data\":\"{AES_PT}\"}}")]);
}

#[test]
fn secret_as_file_and_stdin() {
    let out = secret_forms_agree(
        &crypt_args("encrypt", "aes", "cbc", "SECRET", Some(AES_IV), AES_PT),
        AES_KEY,
    );
    assert_eq!(out, [AES_CBC_CT]);
}

#[test]
fn usage_errors_exit_2() {
    let k = AES_KEY;
    let aes_encrypt = |mode, iv, data| crypt_args("encrypt", "aes", mode, k, iv, data);
    // Data not a whole number of blocks, empty, bad hex, odd hex.
    for data in [
        "00",
        "",
        "6BC1BEE22E409F96E93D7E117393172G",
        "6BC1BEE22E409F96E93D7E117393172",
        "6BC1BEE2 2E409F96E93D7E117393172A",
    ] {
        fails(2, &aes_encrypt("ecb", None, data), &[k]);
    }
    // IV refused for ECB, required for CBC, wrong length.
    for (mode, iv) in [("ecb", Some(AES_IV)), ("cbc", None), ("cbc", Some("0001"))] {
        fails(2, &aes_encrypt(mode, iv, AES_PT), &[k]);
    }
    // Unknown mode / option, missing option.
    fails(2, &aes_encrypt("ctr", None, AES_PT), &[k]);
    fails(
        2,
        &with_extra(&aes_encrypt("ecb", None, AES_PT), &["--padding", "1"]),
        &[k],
    );
    fails(
        2,
        &[
            "cipher",
            "encrypt",
            "--algorithm",
            "aes",
            "--mode",
            "ecb",
            "--key",
            k,
        ],
        &[k],
    );
}

#[test]
fn bad_keys_exit_2_without_leaking() {
    // 15-byte and 17-byte keys, bad hex in key: the key never shows in the message.
    for key in [
        "2B7E151628AED2A6ABF7158809CF4F",
        "2B7E151628AED2A6ABF7158809CF4F3C11",
        "2B7E151628AED2A6ABF7158809CF4FXY",
    ] {
        let msg = fails(
            2,
            &crypt_args("encrypt", "aes", "ecb", key, None, AES_PT),
            &[key],
        );
        assert!(msg.contains("--key"), "names the option: {msg}");
    }
    // A TDES key of AES length 32 bytes is refused.
    fails(
        2,
        &crypt_args(
            "encrypt",
            "tdes",
            "ecb",
            "2B7E151628AED2A6ABF7158809CF4F3C2B7E151628AED2A6ABF7158809CF4F3C",
            None,
            TDES2_PT,
        ),
        &["2B7E151628AED2A6ABF7158809CF4F3C"],
    );
    // An unreadable @FILE.
    fails(
        2,
        &crypt_args(
            "encrypt",
            "aes",
            "ecb",
            "@/nonexistent/paycrypt/key",
            None,
            AES_PT,
        ),
        &[],
    );
}
