//! `paycrypt card ...` (cli-cardverify.md) against the independent vectors
//! (`data/cardverify_independent.json`, a copy of `cardverify/tests/data/independent.json`, made
//! with psec 1.3.0 / pyemv 1.5.0 by `cardverify/tests/data/gen_vectors.py`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

const DATA: &str = include_str!("data/cardverify_independent.json");
const CVK: &str = "0123456789ABCDEFFEDCBA9876543210";
const PAN: &str = "4123456789012345";

fn of(op: &str) -> Vec<Value> {
    vectors(DATA)
        .into_iter()
        .filter(|v| str_field(v, "op") == op)
        .collect()
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn bump(code: &str) -> String {
    code.bytes()
        .enumerate()
        .map(|(i, b)| {
            if i == 0 {
                char::from(b'0' + (b - b'0' + 1) % 10)
            } else {
                char::from(b)
            }
        })
        .collect()
}

#[test]
fn cvv_vectors() {
    let all = of("cvv");
    assert!(all.len() > 100);
    for v in &all {
        let kind = str_field(v, "kind");
        let len = v["length"].as_u64().unwrap().to_string();
        let mut base = vec![
            "--kind",
            kind,
            "--key",
            str_field(v, "key"),
            "--pan",
            str_field(v, "pan"),
            "--expiry",
            str_field(v, "expiry"),
        ];
        if kind == "cvv" {
            base.extend(["--service-code", str_field(v, "service_code")]);
        }
        let value = str_field(v, "value");
        let gen_args = with_extra(
            &with_extra(&["card", "cvv", "generate"], &base),
            &["--length", &len],
        );
        let j = ok_json(&gen_args);
        assert_eq!(j["value"], value, "{}", str_field(v, "id"));
        assert_eq!(j["kind"], kind);
        assert_eq!(j["length"].as_u64().unwrap().to_string(), len);
        assert_eq!(ok1(&gen_args), value);
        let ver = with_extra(
            &with_extra(&["card", "cvv", "verify"], &base),
            &["--value", value],
        );
        assert_eq!(ok1(&ver), "OK");
        let j = ok_json(&ver);
        assert_eq!(j["result"], "OK");
        assert_eq!(j["verified"], true);
        let bad = bump(value);
        let ver = with_extra(
            &with_extra(&["card", "cvv", "verify"], &base),
            &["--value", &bad],
        );
        let msg = fails(1, &ver, &[str_field(v, "key"), value]);
        assert_eq!(msg, "error: verification failed");
    }
}

#[test]
fn cvv_usage_errors() {
    let g = |extra: &[&str]| -> Vec<String> {
        owned(&with_extra(
            &["card", "cvv", "generate", "--key", CVK],
            extra,
        ))
    };
    // The IBM CCA example: CVV 561.
    assert_eq!(
        ok1(&refs(&g(&[
            "--kind",
            "cvv",
            "--pan",
            PAN,
            "--expiry",
            "8701",
            "--service-code",
            "101"
        ]))),
        "561"
    );
    for (args, option) in [
        (
            vec!["--kind", "cvv", "--pan", PAN, "--expiry", "8701"],
            "--service-code",
        ),
        (
            vec![
                "--kind",
                "cvv2",
                "--pan",
                PAN,
                "--expiry",
                "8701",
                "--service-code",
                "000",
            ],
            "--service-code",
        ),
        (
            vec![
                "--kind",
                "icvv",
                "--pan",
                PAN,
                "--expiry",
                "8701",
                "--service-code",
                "999",
            ],
            "--service-code",
        ),
        (
            vec![
                "--kind",
                "cvv",
                "--pan",
                PAN,
                "--expiry",
                "8701",
                "--service-code",
                "10",
            ],
            "--service-code",
        ),
        (
            vec!["--kind", "cvv2", "--pan", "41234567890", "--expiry", "8701"],
            "--pan",
        ),
        (
            vec![
                "--kind",
                "cvv2",
                "--pan",
                "41234567890123456789",
                "--expiry",
                "8701",
            ],
            "--pan",
        ),
        (
            vec![
                "--kind",
                "cvv2",
                "--pan",
                "4123x56789012345",
                "--expiry",
                "8701",
            ],
            "--pan",
        ),
        (
            vec!["--kind", "cvv2", "--pan", PAN, "--expiry", "871"],
            "--expiry",
        ),
        (
            vec![
                "--kind", "cvv2", "--pan", PAN, "--expiry", "8701", "--length", "2",
            ],
            "--length",
        ),
        (
            vec![
                "--kind", "cvv2", "--pan", PAN, "--expiry", "8701", "--length", "6",
            ],
            "--length",
        ),
        (
            vec!["--kind", "cvv5", "--pan", PAN, "--expiry", "8701"],
            "--kind",
        ),
    ] {
        let msg = fails(2, &refs(&g(&args)), &[CVK]);
        assert!(msg.contains(option), "{msg} should name {option}");
    }
    // Key lengths: 8 and 24 bytes refused.
    for key in [
        "0123456789ABCDEF",
        "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF",
    ] {
        let msg = fails(
            2,
            &[
                "card", "cvv", "generate", "--kind", "cvv2", "--key", key, "--pan", PAN,
                "--expiry", "8701",
            ],
            &[key],
        );
        assert!(msg.contains("--key"), "{msg}");
    }
    // Presented value shape.
    for bad in ["12", "123456", "12a"] {
        let msg = fails(
            2,
            &[
                "card", "cvv", "verify", "--kind", "cvv2", "--key", CVK, "--pan", PAN, "--expiry",
                "8701", "--value", bad,
            ],
            &[CVK],
        );
        assert!(msg.contains("--value"), "{msg}");
    }
    // The key from stdin and from a file.
    let args = [
        "card",
        "cvv",
        "generate",
        "--kind",
        "cvv",
        "--key",
        "-",
        "--pan",
        PAN,
        "--expiry",
        "8701",
        "--service-code",
        "101",
    ];
    assert_eq!(ok_stdin(&args, Some(&format!("{CVK}\n")))[0], "561");
    let path = std::env::temp_dir().join(format!("paycrypt-cvk-{}", std::process::id()));
    std::fs::write(&path, format!("{CVK}\n")).unwrap();
    let at = format!("@{}", path.display());
    assert_eq!(
        ok1(&[
            "card",
            "cvv",
            "generate",
            "--kind",
            "cvv",
            "--key",
            &at,
            "--pan",
            PAN,
            "--expiry",
            "8701",
            "--service-code",
            "101"
        ]),
        "561"
    );
    std::fs::remove_file(&path).unwrap();
    // Help exits 0; card csc is reserved (unknown command).
    for h in [
        &["card", "--help"][..],
        &["pin", "pvv", "--help"],
        &["pin", "ibm3624", "--help"],
    ] {
        let r = run(h);
        assert_eq!(r.code, 0, "{r:?}");
    }
    let msg = fails(2, &["card", "csc"], &[]);
    assert!(msg.contains("csc"), "{msg}");
}

#[test]
fn cavv_vectors() {
    for v in of("cavv") {
        let base = [
            "--key",
            str_field(&v, "key"),
            "--pan",
            str_field(&v, "pan"),
            "--un",
            str_field(&v, "un"),
            "--auth-result",
            str_field(&v, "auth_result"),
            "--second-factor",
            str_field(&v, "second_factor"),
        ];
        let value = str_field(&v, "value");
        let j = ok_json(&with_extra(&["card", "cavv", "generate"], &base));
        assert_eq!(j["value"], value);
        let ver = with_extra(
            &with_extra(&["card", "cavv", "verify"], &base),
            &["--value", value],
        );
        assert_eq!(ok1(&ver), "OK");
        let bad = bump(value);
        let ver = with_extra(
            &with_extra(&["card", "cavv", "verify"], &base),
            &["--value", &bad],
        );
        assert_eq!(fails(1, &ver, &[value]), "error: verification failed");
    }
    let base = ["card", "cavv", "generate", "--key", CVK, "--pan", PAN];
    for (extra, option) in [
        (
            ["--un", "123", "--auth-result", "0", "--second-factor", "01"],
            "--un",
        ),
        (
            [
                "--un",
                "1234",
                "--auth-result",
                "01",
                "--second-factor",
                "01",
            ],
            "--auth-result",
        ),
        (
            ["--un", "1234", "--auth-result", "0", "--second-factor", "1"],
            "--second-factor",
        ),
    ] {
        let msg = fails(2, &with_extra(&base, &extra), &[CVK]);
        assert!(msg.contains(option), "{msg}");
    }
}

#[test]
fn dcvv_vectors() {
    let all = of("dcvv");
    assert!(all.len() >= 10);
    for v in &all {
        let common_args = [
            "--pan",
            str_field(v, "pan"),
            "--expiry",
            str_field(v, "expiry"),
            "--service-code",
            str_field(v, "service_code"),
            "--atc",
            str_field(v, "atc"),
        ];
        let derivation = str_field(v, "method");
        let by_imk = with_extra(
            &[
                "--imk",
                str_field(v, "imk"),
                "--derivation",
                derivation,
                "--psn",
                "00",
            ],
            &common_args,
        );
        let by_card = with_extra(&["--card-key", str_field(v, "card_key")], &common_args);
        let value = str_field(v, "value");
        for key_args in [&by_imk, &by_card] {
            let j = ok_json(&with_extra(&["card", "dcvv", "generate"], key_args));
            assert_eq!(j["value"], value, "{}", str_field(v, "id"));
            let ver = with_extra(
                &with_extra(&["card", "dcvv", "verify"], key_args),
                &["--value", value],
            );
            assert_eq!(ok1(&ver), "OK");
            let bad = bump(value);
            let ver = with_extra(
                &with_extra(&["card", "dcvv", "verify"], key_args),
                &["--value", &bad],
            );
            assert_eq!(fails(1, &ver, &[value]), "error: verification failed");
        }
        // jPOS's Option B for a short PAN is refused (not matched).
        if let Some(j) = v
            .get("jpos_option_b_value")
            .and_then(Value::as_str)
            .filter(|j| *j != value)
        {
            let ver = with_extra(
                &with_extra(&["card", "dcvv", "verify"], &by_imk),
                &["--value", j],
            );
            assert_eq!(fails(1, &ver, &[]), "error: verification failed");
        }
    }
    let base = [
        "--pan",
        PAN,
        "--expiry",
        "8701",
        "--service-code",
        "101",
        "--atc",
        "0001",
    ];
    let g = |k: &[&str]| -> Vec<String> {
        owned(&with_extra(
            &with_extra(&["card", "dcvv", "generate"], k),
            &base,
        ))
    };
    // Exactly one of --imk / --card-key; --derivation/--psn only with --imk.
    fails(2, &refs(&g(&[])), &[]);
    fails(2, &refs(&g(&["--imk", CVK, "--card-key", CVK])), &[CVK]);
    fails(
        2,
        &refs(&g(&["--card-key", CVK, "--derivation", "a"])),
        &[CVK],
    );
    fails(2, &refs(&g(&["--card-key", CVK, "--psn", "00"])), &[CVK]);
    for (k, option) in [
        (vec!["--imk", CVK, "--psn", "1"], "--psn"),
        (vec!["--imk", CVK, "--psn", "100"], "--psn"),
        (vec!["--imk", "0123456789ABCDEF"], "--imk"),
        (vec!["--card-key", "0123456789ABCDEF"], "--card-key"),
    ] {
        let msg = fails(2, &refs(&g(&k)), &[CVK]);
        assert!(msg.contains(option), "{msg}");
    }
    let msg = fails(
        2,
        &[
            "card",
            "dcvv",
            "generate",
            "--imk",
            CVK,
            "--pan",
            PAN,
            "--expiry",
            "8701",
            "--service-code",
            "101",
            "--atc",
            "001",
        ],
        &[CVK],
    );
    assert!(msg.contains("--atc"), "{msg}");
}

#[test]
fn cvc3_vectors() {
    let all = of("cvc3");
    assert!(all.len() >= 10);
    let mut leading_zero = 0;
    for v in &all {
        let value = str_field(v, "value");
        let tail = ["--un", str_field(v, "un"), "--atc", str_field(v, "atc")];
        let derivation = str_field(v, "method");
        let by_imk = [
            "--imk",
            str_field(v, "imk"),
            "--derivation",
            derivation,
            "--psn",
            str_field(v, "psn"),
            "--pan",
            str_field(v, "pan"),
        ];
        let by_card = ["--card-key", str_field(v, "card_key")];
        let track = ["--track", str_field(v, "track")];
        let iv = ["--ivcvc3", str_field(v, "ivcvc3")];
        for key in [&by_imk[..], &by_card[..]] {
            for src in [&track, &iv] {
                let args = with_extra(&with_extra(key, src), &tail);
                let j = ok_json(&with_extra(&["card", "cvc3", "generate"], &args));
                assert_eq!(j["value"], value, "{}", str_field(v, "id"));
                assert_eq!(j["ivcvc3"], str_field(v, "ivcvc3"));
                for k in 3..=5 {
                    let ver = with_extra(
                        &with_extra(&["card", "cvc3", "verify"], &args),
                        &["--value", &value[5 - k..]],
                    );
                    assert_eq!(ok1(&ver), "OK");
                }
                let bad = bump(&value[2..]);
                let ver = with_extra(
                    &with_extra(&["card", "cvc3", "verify"], &args),
                    &["--value", &bad],
                );
                assert_eq!(fails(1, &ver, &[value]), "error: verification failed");
            }
        }
        if value.starts_with('0') {
            leading_zero += 1;
        }
    }
    assert!(leading_zero >= 1, "a CVC3 with a leading zero is covered");
    let base = [
        "card",
        "cvc3",
        "generate",
        "--card-key",
        CVK,
        "--un",
        "00000899",
        "--atc",
        "005E",
    ];
    fails(2, &base, &[CVK]); // neither --track nor --ivcvc3
    fails(
        2,
        &with_extra(&base, &["--track", "51", "--ivcvc3", "0102"]),
        &[CVK],
    );
    let long = "42".repeat(80);
    for (extra, option) in [
        (vec!["--track", long.as_str()], "--track"),
        (vec!["--track", "5"], "--track"),
        (vec!["--ivcvc3", "010203"], "--ivcvc3"),
    ] {
        let msg = fails(2, &with_extra(&base, &extra), &[CVK]);
        assert!(msg.contains(option), "{msg}");
    }
    let msg = fails(
        2,
        &[
            "card",
            "cvc3",
            "generate",
            "--card-key",
            CVK,
            "--ivcvc3",
            "0102",
            "--un",
            "000899",
            "--atc",
            "005E",
        ],
        &[CVK],
    );
    assert!(msg.contains("--un"), "{msg}");
    // --pan is needed with --imk.
    let msg = fails(
        2,
        &[
            "card", "cvc3", "generate", "--imk", CVK, "--ivcvc3", "0102", "--un", "00000899",
            "--atc", "005E",
        ],
        &[CVK],
    );
    assert!(msg.contains("--pan"), "{msg}");
}
