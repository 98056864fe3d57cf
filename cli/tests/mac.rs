//! `paycrypt mac generate|verify` and `paycrypt kcv` against the published ISO/IEC 9797-1
//! Annex B, X9.19, SP 800-38B and RFC 4231 / ISO/IEC 9797-2 vectors (`data/mac.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("data/mac.json")).unwrap();
    all["vectors"].as_array().unwrap().clone()
}

/// The CLI options for a vector (everything but --mac / --length).
fn options(v: &Value) -> Vec<String> {
    let alg = v["algorithm"].as_str().unwrap();
    let cipher = v["cipher"].as_str().unwrap_or("");
    let mut args: Vec<String> = Vec::new();
    match alg {
        "ISO9797_1_ALG1" => {
            args.extend(["--algorithm", "iso9797-1-1", "--cipher"].map(String::from));
            args.push(
                if cipher == "DES" {
                    "des"
                } else if cipher.starts_with("AES") {
                    "aes"
                } else {
                    "tdes"
                }
                .into(),
            );
        }
        "ISO9797_1_ALG3" => args.extend(["--algorithm", "iso9797-1-3"].map(String::from)),
        "CMAC" => {
            args.extend(["--algorithm", "cmac", "--cipher"].map(String::from));
            args.push(
                if cipher.starts_with("AES") {
                    "aes"
                } else {
                    "tdes"
                }
                .into(),
            );
        }
        "HMAC_SHA256" => args.extend(["--algorithm", "hmac-sha256"].map(String::from)),
        other => panic!("unknown algorithm {other}"),
    }
    if let Some(p) = v["padding"].as_u64() {
        args.push("--padding".into());
        args.push(p.to_string());
    }
    args.push("--key".into());
    args.push(v["key"].as_str().unwrap().into());
    args.push("--data".into());
    args.push(v["data_hex"].as_str().unwrap().into());
    args
}

fn with(prefix: &[&str], rest: &[String], extra: &[&str]) -> Vec<String> {
    prefix
        .iter()
        .map(|s| (*s).to_owned())
        .chain(rest.iter().cloned())
        .chain(extra.iter().map(|s| (*s).to_owned()))
        .collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn flip_first_bit(hex: &str) -> String {
    let first = u8::from_str_radix(&hex[..1], 16).unwrap() ^ 0x8;
    format!("{first:X}{}", &hex[1..])
}

#[test]
fn published_vectors_generate_and_verify() {
    let mut positive = 0;
    for v in vectors() {
        let opts = options(&v);
        let mac = v["mac"].as_str().unwrap();
        let key = v["key"].as_str().unwrap();
        if v.get("expect_error").is_some() {
            // Too short a MAC to verify: malformed (exit 2).
            fails(
                2,
                &refs(&with(&["mac", "verify"], &opts, &["--mac", mac])),
                &[key],
            );
            continue;
        }
        let id = v["id"].as_str().unwrap();
        assert_eq!(
            ok(&refs(&with(&["mac", "generate"], &opts, &[]))),
            [mac],
            "{id}"
        );
        assert_eq!(
            ok(&refs(&with(&["mac", "verify"], &opts, &["--mac", mac]))),
            ["OK"],
            "{id}"
        );
        // Truncated to the published prefix (4 bytes).
        let prefix = v["published_mac_prefix"].as_str().unwrap_or(&mac[..8]);
        assert_eq!(
            ok1(&refs(&with(
                &["mac", "generate"],
                &opts,
                &["--length", "4"]
            ))),
            prefix,
            "{id}"
        );
        ok(&refs(&with(&["mac", "verify"], &opts, &["--mac", prefix])));
        ok(&refs(&with(
            &["mac", "verify"],
            &opts,
            &["--mac", prefix, "--length", "4"],
        )));
        // Tamper: one flipped bit of the MAC, of the data, exits 1 with nothing on stdout.
        fails(
            1,
            &refs(&with(
                &["mac", "verify"],
                &opts,
                &["--mac", &flip_first_bit(mac)],
            )),
            &[key],
        );
        fails(
            1,
            &refs(&with(
                &["mac", "verify"],
                &opts,
                &["--mac", &flip_first_bit(prefix)],
            )),
            &[key],
        );
        let data_pos = opts.iter().position(|a| a == "--data").unwrap() + 1;
        let mut tampered = opts.clone();
        tampered[data_pos] = if opts[data_pos].is_empty() {
            "00".into()
        } else {
            flip_first_bit(&opts[data_pos])
        };
        fails(
            1,
            &refs(&with(&["mac", "verify"], &tampered, &["--mac", mac])),
            &[key],
        );
        positive += 1;
    }
    assert!(positive >= 56, "{positive}");
}

#[test]
fn json_and_secret_forms() {
    let key = "2B7E151628AED2A6ABF7158809CF4F3C";
    let j = ok_json(&[
        "mac",
        "generate",
        "--algorithm",
        "cmac",
        "--cipher",
        "aes",
        "--key",
        key,
        "--data",
        "6BC1BEE22E409F96E93D7E117393172A",
    ]);
    assert_eq!(s(&j, "mac"), "070A16B46B4D4144F79BDD9DD04A287C");
    assert_eq!(s(&j, "algorithm"), "cmac");
    assert_eq!(j["length"], 16);
    let j = ok_json(&[
        "mac",
        "verify",
        "--algorithm",
        "cmac",
        "--cipher",
        "aes",
        "--key",
        key,
        "--data",
        "6BC1BEE22E409F96E93D7E117393172A",
        "--mac",
        "070A16B46B4D4144",
    ]);
    assert_eq!(j["verified"], true);
    assert_eq!(j["length"], 8);
    let out = secret_forms_agree(
        &[
            "mac",
            "generate",
            "--algorithm",
            "hmac-sha256",
            "--key",
            "SECRET",
            "--data",
            "4869205468657265",
        ],
        "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B",
    );
    assert_eq!(
        out,
        ["B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"]
    );
    secret_forms_agree(
        &[
            "mac",
            "verify",
            "--algorithm",
            "iso9797-1-3",
            "--key",
            "SECRET",
            "--data",
            "4E6F77206973207468652074696D6520666F7220616C6C20",
            "--mac",
            "A1C72E74",
        ],
        "0123456789ABCDEFFEDCBA9876543210",
    );
}

#[test]
fn iv_and_padding_3_on_empty_data() {
    // Padding method 3 on empty data is the length block alone: E_K(0) for algorithm 1.
    let k = "0123456789ABCDEF";
    let enc_zero = ok1(&[
        "cipher",
        "encrypt",
        "--algorithm",
        "tdes",
        "--mode",
        "ecb",
        "--key",
        &format!("{k}{k}"),
        "--data",
        "0000000000000000",
    ]);
    assert_eq!(
        ok1(&[
            "mac",
            "generate",
            "--algorithm",
            "iso9797-1-1",
            "--cipher",
            "des",
            "--padding",
            "3",
            "--key",
            k,
            "--data",
            ""
        ]),
        enc_zero
    );
    // An IV changes algorithm 1 like XORing it into the first block.
    let iv = "0102030405060708";
    let with_iv = ok1(&[
        "mac",
        "generate",
        "--algorithm",
        "iso9797-1-1",
        "--cipher",
        "des",
        "--key",
        k,
        "--iv",
        iv,
        "--data",
        "0000000000000000",
    ]);
    let no_iv = ok1(&[
        "mac",
        "generate",
        "--algorithm",
        "iso9797-1-1",
        "--cipher",
        "des",
        "--key",
        k,
        "--data",
        iv,
    ]);
    assert_eq!(with_iv, no_iv);
    // AES algorithm 1 with a zero IV given explicitly equals the default.
    let a = [
        "mac",
        "generate",
        "--algorithm",
        "iso9797-1-1",
        "--cipher",
        "aes",
        "--key",
        "2B7E151628AED2A6ABF7158809CF4F3C",
        "--data",
        "6BC1BEE22E409F96E93D7E117393172A",
    ];
    let mut b = a.to_vec();
    b.extend(["--iv", "00000000000000000000000000000000"]);
    assert_eq!(ok(&a), ok(&b));
    // ... and it is AES-ECB of the single block (SP 800-38A F.1.1).
    assert_eq!(ok1(&a), "3AD77BB40D7A3660A89ECAF32466EF97");
}

#[test]
fn usage_errors_exit_2() {
    let k = "2B7E151628AED2A6ABF7158809CF4F3C";
    let d = "6BC1BEE22E409F96E93D7E117393172A";
    let cases: Vec<Vec<&str>> = vec![
        // --cipher missing / wrong for the algorithm.
        vec!["--algorithm", "cmac", "--key", k, "--data", d],
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "des",
            "--key",
            "0123456789ABCDEF",
            "--data",
            d,
        ],
        vec!["--algorithm", "iso9797-1-1", "--key", k, "--data", d],
        vec![
            "--algorithm",
            "hmac-sha256",
            "--cipher",
            "aes",
            "--key",
            k,
            "--data",
            d,
        ],
        // --padding / --iv with CMAC or HMAC.
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--padding",
            "2",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--iv",
            "00000000000000000000000000000000",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "hmac-sha256",
            "--padding",
            "1",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "hmac-sha256",
            "--iv",
            "00",
            "--key",
            k,
            "--data",
            d,
        ],
        // Bad padding number, IV length, MAC length.
        vec![
            "--algorithm",
            "iso9797-1-1",
            "--cipher",
            "aes",
            "--padding",
            "4",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "iso9797-1-1",
            "--cipher",
            "aes",
            "--iv",
            "0001",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--length",
            "3",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--length",
            "17",
            "--key",
            k,
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "iso9797-1-3",
            "--length",
            "9",
            "--key",
            "0123456789ABCDEFFEDCBA9876543210",
            "--data",
            d,
        ],
        // Key lengths: algorithm 3 takes 16 bytes only; AES 15 bytes; DES 16 bytes.
        vec![
            "--algorithm",
            "iso9797-1-3",
            "--key",
            "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123",
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "iso9797-1-3",
            "--key",
            "0123456789ABCDEF",
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--key",
            "2B7E151628AED2A6ABF7158809CF4F",
            "--data",
            d,
        ],
        vec![
            "--algorithm",
            "iso9797-1-1",
            "--cipher",
            "des",
            "--key",
            k,
            "--data",
            d,
        ],
        // Bad data hex, unknown algorithm.
        vec![
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--key",
            k,
            "--data",
            "6BC",
        ],
        vec!["--algorithm", "cbc-mac", "--key", k, "--data", d],
    ];
    for extra in cases {
        let mut args = vec!["mac", "generate"];
        args.extend(extra);
        fails(
            2,
            &args,
            &[
                k,
                "2B7E151628AED2A6ABF7158809CF4F",
                "0123456789ABCDEFFEDCBA9876543210",
                "0123456789ABCDEF23456789",
            ],
        );
    }
    // verify: MAC too short / longer than the tag / --length disagreeing / bad hex / missing.
    let base = [
        "mac",
        "verify",
        "--algorithm",
        "cmac",
        "--cipher",
        "aes",
        "--key",
        k,
        "--data",
        "",
    ];
    for extra in [
        vec!["--mac", "BB1D69"],
        vec!["--mac", "BB1D6929E95937287FA37D129B75674600"],
        vec!["--mac", "BB1D6929", "--length", "5"],
        vec!["--mac", "BB1D692"],
        vec![],
    ] {
        let mut args = base.to_vec();
        args.extend(extra);
        fails(2, &args, &[k]);
    }
    ok(&[
        "mac",
        "verify",
        "--algorithm",
        "cmac",
        "--cipher",
        "aes",
        "--key",
        k,
        "--data",
        "",
        "--mac",
        "bb1d6929e95937287fa37d129b756746",
    ]);
}

#[test]
fn kcv() {
    // X9.143:2021 8.5 / 8.6 CMAC KCVs (AES default: cmac, 5 bytes).
    assert_eq!(
        ok(&[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F88",
            "--algorithm",
            "aes"
        ]),
        ["D77F007724"]
    );
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
            "--algorithm",
            "aes"
        ]),
        "2331550BC9"
    );
    // TR-34 test token KCVs (legacy, 3 bytes, the TDES default): shared vectors tr34/README.
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "8A8349794C9EE9A4C2927098F249FED6",
            "--algorithm",
            "tdes"
        ]),
        "9C8552"
    );
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "0123456789ABCDEFFEDCBA9876543210",
            "--algorithm",
            "tdes"
        ]),
        "08D7B4"
    );
    // Legacy for TDES = leftmost bytes of E_K(0^64); for AES = E_K(0^128) (non-standard form).
    let e = ok1(&[
        "cipher",
        "encrypt",
        "--algorithm",
        "tdes",
        "--mode",
        "ecb",
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
        "--data",
        "0000000000000000",
    ]);
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "0123456789ABCDEFFEDCBA9876543210",
            "--algorithm",
            "tdes",
            "--length",
            "8"
        ]),
        e
    );
    let e = ok1(&[
        "cipher",
        "encrypt",
        "--algorithm",
        "aes",
        "--mode",
        "ecb",
        "--key",
        "FA36E44278DB3AB5F298F9F7DA8F1F88",
        "--data",
        "00000000000000000000000000000000",
    ]);
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F88",
            "--algorithm",
            "aes",
            "--method",
            "legacy"
        ]),
        e[..6]
    );
    // CMAC KCV for TDES = CMAC of one zero block.
    let m = ok1(&[
        "mac",
        "generate",
        "--algorithm",
        "cmac",
        "--cipher",
        "tdes",
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
        "--data",
        "0000000000000000",
    ]);
    assert_eq!(
        ok1(&[
            "kcv",
            "--key",
            "0123456789ABCDEFFEDCBA9876543210",
            "--algorithm",
            "tdes",
            "--method",
            "cmac"
        ]),
        m[..10]
    );
    let j = ok_json(&[
        "kcv",
        "--key",
        "FA36E44278DB3AB5F298F9F7DA8F1F88",
        "--algorithm",
        "aes",
        "--length",
        "3",
    ]);
    assert_eq!(s(&j, "kcv"), "D77F00");
    assert_eq!(s(&j, "method"), "cmac");
    assert_eq!(j["length"], 3);
    secret_forms_agree(
        &["kcv", "--key", "SECRET", "--algorithm", "aes"],
        "FA36E44278DB3AB5F298F9F7DA8F1F88",
    );
    // Errors: wrong key length for the algorithm, length out of range, unknown method.
    fails(
        2,
        &[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F",
            "--algorithm",
            "aes",
        ],
        &["FA36E44278DB3AB5F298F9F7DA8F1F"],
    );
    fails(
        2,
        &[
            "kcv",
            "--key",
            "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
            "--algorithm",
            "tdes",
        ],
        &["88E1AB2A2E3DD38C1FA039A536500CC8"],
    );
    fails(
        2,
        &[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F88",
            "--algorithm",
            "aes",
            "--length",
            "17",
        ],
        &["FA36E44278DB3AB5F298F9F7DA8F1F88"],
    );
    fails(
        2,
        &[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F88",
            "--algorithm",
            "aes",
            "--method",
            "sha",
        ],
        &["FA36E44278DB3AB5F298F9F7DA8F1F88"],
    );
    fails(
        2,
        &[
            "kcv",
            "--key",
            "FA36E44278DB3AB5F298F9F7DA8F1F88",
            "--algorithm",
            "rsa",
        ],
        &["FA36E44278DB3AB5F298F9F7DA8F1F88"],
    );
}
