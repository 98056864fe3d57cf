//! `paycrypt mac generate|verify` and `paycrypt kcv` against the published ISO/IEC 9797-1
//! Annex B, X9.19, SP 800-38B and RFC 4231 / ISO/IEC 9797-2 vectors (`paycrypt-mac`'s
//! `retail-mac/tests/data/mac.json`, read through `paycrypt-test-support`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use paycrypt_test_support::MacVector;

/// The CLI options for a vector (everything but --mac / --length).
fn options(v: &MacVector) -> Vec<String> {
    let alg = v.algorithm.as_str();
    let cipher = v.cipher.as_deref().unwrap_or("");
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
    if let Some(p) = v.padding {
        args.push("--padding".into());
        args.push(p.to_string());
    }
    args.push("--key".into());
    args.push(v.key.as_str().into());
    args.push("--data".into());
    args.push(v.data_hex.as_str().into());
    args
}

/// `paycrypt mac COMMAND OPTIONS... EXTRA...`.
fn mac_args<'a>(command: &'a str, options: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(&with_extra(&["mac", command], &refs(options)), extra)
}

fn flip_first_bit(hex: &str) -> String {
    let first = u8::from_str_radix(&hex[..1], 16).unwrap() ^ 0x8;
    format!("{first:X}{}", &hex[1..])
}

#[test]
fn published_vectors_generate_and_verify() {
    let mut positive = 0;
    for v in paycrypt_test_support::load::<MacVector>("retail-mac/tests/data/mac.json") {
        let opts = options(&v);
        let mac = v.mac.as_str();
        let key = v.key.as_str();
        if v.expect_error.is_some() {
            // Too short a MAC to verify: malformed (exit 2).
            fails(2, &mac_args("verify", &opts, &["--mac", mac]), &[key]);
            continue;
        }
        let id = &v.id;
        assert_eq!(ok(&mac_args("generate", &opts, &[])), [mac], "{id}");
        assert_eq!(
            ok(&mac_args("verify", &opts, &["--mac", mac])),
            ["OK"],
            "{id}"
        );
        // Truncated to the published prefix (4 bytes).
        let prefix = v
            .published_mac_prefix
            .as_ref()
            .map_or(&mac[..8], |p| p.as_str());
        assert_eq!(
            ok1(&mac_args("generate", &opts, &["--length", "4"])),
            prefix,
            "{id}"
        );
        ok(&mac_args("verify", &opts, &["--mac", prefix]));
        ok(&mac_args(
            "verify",
            &opts,
            &["--mac", prefix, "--length", "4"],
        ));
        // Tamper: one flipped bit of the MAC, of the data, exits 1 with nothing on stdout.
        let data_pos = opts.iter().position(|a| a == "--data").unwrap() + 1;
        let mut tampered = opts.clone();
        tampered[data_pos] = if opts[data_pos].is_empty() {
            "00".into()
        } else {
            flip_first_bit(&opts[data_pos])
        };
        for (options, mac) in [
            (&opts, &flip_first_bit(mac)),
            (&opts, &flip_first_bit(prefix)),
            (&tampered, &mac.to_owned()),
        ] {
            fails(1, &mac_args("verify", options, &["--mac", mac]), &[key]);
        }
        positive += 1;
    }
    assert!(positive >= 56, "{positive}");
}

#[test]
fn json_and_secret_forms() {
    let key = "2B7E151628AED2A6ABF7158809CF4F3C";
    let cmac = |command: &'static str, extra: &[&'static str]| {
        let args = [
            "mac",
            command,
            "--algorithm",
            "cmac",
            "--cipher",
            "aes",
            "--key",
            key,
            "--data",
            "6BC1BEE22E409F96E93D7E117393172A",
        ];
        ok_json(&with_extra(&args, extra))
    };
    let j = cmac("generate", &[]);
    assert_eq!(s(&j, "mac"), "070A16B46B4D4144F79BDD9DD04A287C");
    assert_eq!(s(&j, "algorithm"), "cmac");
    assert_eq!(j["length"], 16);
    let j = cmac("verify", &["--mac", "070A16B46B4D4144"]);
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
    let enc_zero = crypt(
        "encrypt",
        "tdes",
        "ecb",
        &format!("{k}{k}"),
        None,
        "0000000000000000",
    );
    let des_algorithm_1 = |options: &[&str]| {
        ok1(&with_extra(
            &[
                "mac",
                "generate",
                "--algorithm",
                "iso9797-1-1",
                "--cipher",
                "des",
            ],
            options,
        ))
    };
    assert_eq!(
        des_algorithm_1(&["--padding", "3", "--key", k, "--data", ""]),
        enc_zero
    );
    // An IV changes algorithm 1 like XORing it into the first block.
    let iv = "0102030405060708";
    let with_iv = des_algorithm_1(&["--key", k, "--iv", iv, "--data", "0000000000000000"]);
    let no_iv = des_algorithm_1(&["--key", k, "--data", iv]);
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
    let b = with_extra(&a, &["--iv", "00000000000000000000000000000000"]);
    assert_eq!(ok(&a), ok(&b));
    // ... and it is AES-ECB of the single block (SP 800-38A F.1.1).
    assert_eq!(ok1(&a), "3AD77BB40D7A3660A89ECAF32466EF97");
}

#[test]
fn usage_errors_exit_2() {
    let k = "2B7E151628AED2A6ABF7158809CF4F3C";
    let d = "6BC1BEE22E409F96E93D7E117393172A";
    let tdes_key = "0123456789ABCDEFFEDCBA9876543210";
    // (options before --key, key, data)
    let cases: [(&[&str], &str, &str); 19] = [
        // --cipher missing / wrong for the algorithm.
        (&["--algorithm", "cmac"], k, d),
        (
            &["--algorithm", "cmac", "--cipher", "des"],
            "0123456789ABCDEF",
            d,
        ),
        (&["--algorithm", "iso9797-1-1"], k, d),
        (&["--algorithm", "hmac-sha256", "--cipher", "aes"], k, d),
        // --padding / --iv with CMAC or HMAC.
        (
            &["--algorithm", "cmac", "--cipher", "aes", "--padding", "2"],
            k,
            d,
        ),
        (
            &[
                "--algorithm",
                "cmac",
                "--cipher",
                "aes",
                "--iv",
                "00000000000000000000000000000000",
            ],
            k,
            d,
        ),
        (&["--algorithm", "hmac-sha256", "--padding", "1"], k, d),
        (&["--algorithm", "hmac-sha256", "--iv", "00"], k, d),
        // Bad padding number, IV length, MAC length.
        (
            &[
                "--algorithm",
                "iso9797-1-1",
                "--cipher",
                "aes",
                "--padding",
                "4",
            ],
            k,
            d,
        ),
        (
            &[
                "--algorithm",
                "iso9797-1-1",
                "--cipher",
                "aes",
                "--iv",
                "0001",
            ],
            k,
            d,
        ),
        (
            &["--algorithm", "cmac", "--cipher", "aes", "--length", "3"],
            k,
            d,
        ),
        (
            &["--algorithm", "cmac", "--cipher", "aes", "--length", "17"],
            k,
            d,
        ),
        (
            &["--algorithm", "iso9797-1-3", "--length", "9"],
            tdes_key,
            d,
        ),
        // Key lengths: algorithm 3 takes 16 bytes only; AES 15 bytes; DES 16 bytes.
        (
            &["--algorithm", "iso9797-1-3"],
            "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123",
            d,
        ),
        (&["--algorithm", "iso9797-1-3"], "0123456789ABCDEF", d),
        (
            &["--algorithm", "cmac", "--cipher", "aes"],
            "2B7E151628AED2A6ABF7158809CF4F",
            d,
        ),
        (&["--algorithm", "iso9797-1-1", "--cipher", "des"], k, d),
        // Bad data hex, unknown algorithm.
        (&["--algorithm", "cmac", "--cipher", "aes"], k, "6BC"),
        (&["--algorithm", "cbc-mac"], k, d),
    ];
    for (options, key, data) in cases {
        let args = with_extra(&["mac", "generate"], options);
        fails(
            2,
            &with_extra(&args, &["--key", key, "--data", data]),
            &[
                k,
                "2B7E151628AED2A6ABF7158809CF4F",
                tdes_key,
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
    let cases: [&[&str]; 5] = [
        &["--mac", "BB1D69"],
        &["--mac", "BB1D6929E95937287FA37D129B75674600"],
        &["--mac", "BB1D6929", "--length", "5"],
        &["--mac", "BB1D692"],
        &[],
    ];
    for extra in cases {
        fails(2, &with_extra(&base, extra), &[k]);
    }
    ok(&with_extra(
        &base,
        &["--mac", "bb1d6929e95937287fa37d129b756746"],
    ));
}

#[test]
fn kcv() {
    let kcv = |key: &str, algorithm: &str, extra: &[&str]| {
        ok(&with_extra(
            &["kcv", "--key", key, "--algorithm", algorithm],
            extra,
        ))
    };
    let aes_key = "FA36E44278DB3AB5F298F9F7DA8F1F88";
    let tdes_key = "0123456789ABCDEFFEDCBA9876543210";
    for (key, algorithm, expected) in [
        // X9.143:2021 8.5 / 8.6 CMAC KCVs (AES default: cmac, 5 bytes).
        (aes_key, "aes", "D77F007724"),
        (
            "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
            "aes",
            "2331550BC9",
        ),
        // TR-34 test token KCVs (legacy, 3 bytes, the TDES default): shared vectors tr34/README.
        ("8A8349794C9EE9A4C2927098F249FED6", "tdes", "9C8552"),
        (tdes_key, "tdes", "08D7B4"),
    ] {
        assert_eq!(kcv(key, algorithm, &[]), [expected], "{key}");
    }
    // Legacy for TDES = leftmost bytes of E_K(0^64); for AES = E_K(0^128) (non-standard form).
    let e = crypt("encrypt", "tdes", "ecb", tdes_key, None, "0000000000000000");
    assert_eq!(kcv(tdes_key, "tdes", &["--length", "8"])[0], e);
    let e = crypt(
        "encrypt",
        "aes",
        "ecb",
        aes_key,
        None,
        "00000000000000000000000000000000",
    );
    assert_eq!(kcv(aes_key, "aes", &["--method", "legacy"])[0], e[..6]);
    // CMAC KCV for TDES = CMAC of one zero block.
    let m = ok1(&[
        "mac",
        "generate",
        "--algorithm",
        "cmac",
        "--cipher",
        "tdes",
        "--key",
        tdes_key,
        "--data",
        "0000000000000000",
    ]);
    assert_eq!(kcv(tdes_key, "tdes", &["--method", "cmac"])[0], m[..10]);
    let j = ok_json(&[
        "kcv",
        "--key",
        aes_key,
        "--algorithm",
        "aes",
        "--length",
        "3",
    ]);
    assert_eq!(s(&j, "kcv"), "D77F00");
    assert_eq!(s(&j, "method"), "cmac");
    assert_eq!(j["length"], 3);
    secret_forms_agree(&["kcv", "--key", "SECRET", "--algorithm", "aes"], aes_key);
    // Errors: wrong key length for the algorithm, length out of range, unknown method.
    // (key, algorithm, options after it, what must not leak)
    let cases: [(&str, &str, &[&str], &str); 5] = [
        (
            "FA36E44278DB3AB5F298F9F7DA8F1F",
            "aes",
            &[],
            "FA36E44278DB3AB5F298F9F7DA8F1F",
        ),
        (
            "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
            "tdes",
            &[],
            "88E1AB2A2E3DD38C1FA039A536500CC8",
        ),
        (aes_key, "aes", &["--length", "17"], aes_key),
        (aes_key, "aes", &["--method", "sha"], aes_key),
        (aes_key, "rsa", &[], aes_key),
    ];
    for (key, algorithm, extra, secret) in cases {
        fails(
            2,
            &with_extra(&["kcv", "--key", key, "--algorithm", algorithm], extra),
            &[secret],
        );
    }
}
