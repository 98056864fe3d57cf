//! `paycrypt pin ...` against the published ISO 9564-1 / X9.24 examples (`data/pinblock.json`).
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
    let all: Value = serde_json::from_str(include_str!("data/pinblock.json")).unwrap();
    all["vectors"].as_array().unwrap().clone()
}

fn fmt(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap()
        .trim_start_matches("ISO_")
        .to_owned()
}

fn st<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

const PIN_KEY: &str = "042666B49184CF5C68DE9628D0397B36";
const PAN: &str = "4012345678909";
const AES_PIN_KEY: &str = "AF8CB133A78F8DC2D1359F18527593FB";

#[test]
fn published_encipher_decipher() {
    let mut n = 0;
    for v in vectors().iter().filter(|v| v["op"] == "encipher_decipher") {
        let f = fmt(v, "format");
        let (pin, pan, key, block) = (
            st(v, "pin"),
            st(v, "pan"),
            st(v, "key"),
            st(v, "cipher_block"),
        );
        let id = st(v, "id");
        let mut enc = vec![
            "pin", "encrypt", "--format", &f, "--key", key, "--pin", pin, "--pan", pan,
        ];
        if let Some(r) = v["random"].as_str() {
            enc.extend(["--fill", r]);
        }
        assert_eq!(ok(&enc), [block], "{id}");
        assert_eq!(
            ok(&[
                "pin", "decrypt", "--format", &f, "--key", key, "--block", block, "--pan", pan
            ]),
            [pin],
            "{id}"
        );
        if let Some(clear) = v["clear_block"].as_str() {
            assert_eq!(
                ok1(&["pin", "encode", "--format", &f, "--pin", pin, "--pan", pan]),
                clear,
                "{id}"
            );
            assert_eq!(
                ok1(&[
                    "pin", "decode", "--format", &f, "--block", clear, "--pan", pan
                ]),
                pin,
                "{id}"
            );
        }
        if let Some(field) = v["pin_field"].as_str() {
            // Format 4: encode prints the plain PIN field and needs no PAN; decode reads it.
            assert_eq!(
                ok1(&[
                    "pin",
                    "encode",
                    "--format",
                    &f,
                    "--pin",
                    pin,
                    "--fill",
                    st(v, "random")
                ]),
                field,
                "{id}"
            );
            assert_eq!(
                ok1(&["pin", "decode", "--format", &f, "--block", field]),
                pin,
                "{id}"
            );
        }
        // Tamper: a flipped bit in the block does not decode (exit 1); a wrong PAN neither.
        let mut bad = block.to_owned();
        bad.replace_range(0..1, if &block[..1] == "0" { "8" } else { "0" });
        fails(
            1,
            &[
                "pin", "decrypt", "--format", &f, "--key", key, "--block", &bad, "--pan", pan,
            ],
            &[key, pin],
        );
        n += 1;
    }
    assert_eq!(n, 7);
}

#[test]
fn published_encode_decode_and_negative() {
    for v in vectors() {
        let id = st(&v, "id");
        match (v["op"].as_str().unwrap(), v.get("expect_error")) {
            ("encode_decode", None) => {
                let f = fmt(&v, "format");
                let (pin, block) = (st(&v, "pin"), st(&v, "clear_block"));
                assert_eq!(
                    ok1(&["pin", "encode", "--format", &f, "--pin", pin]),
                    block,
                    "{id}"
                );
                assert_eq!(
                    ok1(&["pin", "decode", "--format", &f, "--block", block]),
                    pin,
                    "{id}"
                );
            }
            ("encode", Some(_)) => {
                let f = fmt(&v, "format");
                let mut args = vec!["pin", "encode", "--format", &f, "--pin", st(&v, "pin")];
                if let Some(p) = v["pan"].as_str() {
                    args.extend(["--pan", p]);
                }
                if let Some(fill) = v["fill"].as_str() {
                    args.extend(["--fill", fill]);
                }
                fails(2, &args, &[st(&v, "pin")]);
            }
            ("translate", None) => {
                let (from, to) = (fmt(&v, "in_format"), fmt(&v, "out_format"));
                let out = ok(&[
                    "pin",
                    "translate",
                    "--from-format",
                    &from,
                    "--from-key",
                    st(&v, "in_key"),
                    "--to-format",
                    &to,
                    "--to-key",
                    st(&v, "out_key"),
                    "--block",
                    st(&v, "in_block"),
                    "--pan",
                    st(&v, "pan"),
                ]);
                assert_eq!(out, [st(&v, "out_block")], "{id}");
            }
            ("translate", Some(_)) => {
                // Policy refusals: exit 1 (keys fitting each format).
                let (from, to) = (fmt(&v, "in_format"), fmt(&v, "out_format"));
                let key_for = |f: &str| if f == "4" { AES_PIN_KEY } else { PIN_KEY };
                let block = if from == "4" {
                    "A912150391AB65A67E52883D81CE2D15"
                } else {
                    "1B9C1845EB993A7A"
                };
                fails(
                    1,
                    &[
                        "pin",
                        "translate",
                        "--from-format",
                        &from,
                        "--from-key",
                        key_for(&from),
                        "--to-format",
                        &to,
                        "--to-key",
                        key_for(&to),
                        "--block",
                        block,
                        "--pan",
                        PAN,
                    ],
                    &[PIN_KEY, AES_PIN_KEY],
                );
            }
            _ => {}
        }
    }
}

#[test]
fn formats_round_trip_with_and_without_fill() {
    // Formats 1 and 3 with explicit fill reproduce; without fill they still decode.
    let b1 = ok1(&[
        "pin",
        "encode",
        "--format",
        "1",
        "--pin",
        "1234",
        "--fill",
        "0123456789",
    ]);
    assert_eq!(b1, "1412340123456789");
    let b3 = ok1(&[
        "pin",
        "encode",
        "--format",
        "3",
        "--pin",
        "1234",
        "--pan",
        PAN,
        "--fill",
        "ABCDEFABCD",
    ]);
    assert_eq!(
        ok1(&[
            "pin", "decode", "--format", "3", "--block", &b3, "--pan", PAN
        ]),
        "1234"
    );
    for f in ["0", "1", "2", "3"] {
        let e = ok1(&[
            "pin",
            "encrypt",
            "--format",
            f,
            "--key",
            PIN_KEY,
            "--pin",
            "123456789012",
            "--pan",
            PAN,
        ]);
        assert_eq!(e.len(), 16);
        assert_eq!(
            ok1(&[
                "pin", "decrypt", "--format", f, "--key", PIN_KEY, "--block", &e, "--pan", PAN
            ]),
            "123456789012"
        );
    }
    // Format 4 with a short PAN (padded as the standard says) and random fill.
    let e = ok1(&[
        "pin",
        "encrypt",
        "--format",
        "4",
        "--key",
        AES_PIN_KEY,
        "--pin",
        "1234",
        "--pan",
        "1",
    ]);
    assert_eq!(
        ok1(&[
            "pin",
            "decrypt",
            "--format",
            "4",
            "--key",
            AES_PIN_KEY,
            "--block",
            &e,
            "--pan",
            "1"
        ]),
        "1234"
    );
    fails(
        1,
        &[
            "pin",
            "decrypt",
            "--format",
            "4",
            "--key",
            AES_PIN_KEY,
            "--block",
            &e,
            "--pan",
            "2",
        ],
        &[AES_PIN_KEY],
    );
    // An 8-byte key is single DES (legacy): E_K for a DES key K equals TDES with K||K.
    let des = ok1(&[
        "pin",
        "encrypt",
        "--format",
        "0",
        "--key",
        "0123456789ABCDEF",
        "--pin",
        "1234",
        "--pan",
        PAN,
    ]);
    let tdes = ok1(&[
        "pin",
        "encrypt",
        "--format",
        "0",
        "--key",
        "0123456789ABCDEF0123456789ABCDEF",
        "--pin",
        "1234",
        "--pan",
        PAN,
    ]);
    assert_eq!(des, tdes);
    // Translate to format 4 with fill, then back.
    // The format 0 block was made with PAN 4012345678909: under another PAN it does not decode.
    fails(
        1,
        &[
            "pin",
            "translate",
            "--from-format",
            "0",
            "--from-key",
            PIN_KEY,
            "--to-format",
            "4",
            "--to-key",
            AES_PIN_KEY,
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            "4111111111111111",
            "--fill",
            "2F69ADDE2E9E7ACE",
        ],
        &[PIN_KEY, AES_PIN_KEY],
    );
    let t = ok1(&[
        "pin",
        "translate",
        "--from-format",
        "0",
        "--from-key",
        PIN_KEY,
        "--to-format",
        "4",
        "--to-key",
        AES_PIN_KEY,
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        PAN,
        "--fill",
        "2F69ADDE2E9E7ACE",
    ]);
    assert_eq!(
        ok1(&[
            "pin",
            "decrypt",
            "--format",
            "4",
            "--key",
            AES_PIN_KEY,
            "--block",
            &t,
            "--pan",
            PAN
        ]),
        "1234"
    );
    let back = ok1(&[
        "pin",
        "translate",
        "--from-format",
        "4",
        "--from-key",
        AES_PIN_KEY,
        "--to-format",
        "0",
        "--to-key",
        PIN_KEY,
        "--block",
        &t,
        "--pan",
        PAN,
    ]);
    assert_eq!(back, "1B9C1845EB993A7A");
}

#[test]
fn json_and_secret_forms() {
    let j = ok_json(&[
        "pin", "encrypt", "--format", "0", "--key", PIN_KEY, "--pin", "1234", "--pan", PAN,
    ]);
    assert_eq!(s(&j, "block"), "1B9C1845EB993A7A");
    assert_eq!(j["format"], 0);
    let j = ok_json(&[
        "pin",
        "decrypt",
        "--format",
        "0",
        "--key",
        PIN_KEY,
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        PAN,
    ]);
    assert_eq!(s(&j, "pin"), "1234");
    let j = ok_json(&[
        "pin", "encode", "--format", "0", "--pin", "1234", "--pan", PAN,
    ]);
    assert_eq!(s(&j, "block"), "041274EDCBA9876F");
    let j = ok_json(&[
        "pin",
        "decode",
        "--format",
        "0",
        "--block",
        "041274EDCBA9876F",
        "--pan",
        PAN,
    ]);
    assert_eq!(s(&j, "pin"), "1234");
    let j = ok_json(&[
        "pin",
        "translate",
        "--from-format",
        "0",
        "--from-key",
        PIN_KEY,
        "--to-format",
        "0",
        "--to-key",
        "C46551CEF9FD244FAA9AD834130D3B38",
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        PAN,
    ]);
    assert_eq!(s(&j, "block"), "10A01C8D02C69107");
    assert_eq!(j["format"], 0);
    secret_forms_agree(
        &[
            "pin",
            "decrypt",
            "--format",
            "0",
            "--key",
            "SECRET",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        PIN_KEY,
    );
    secret_forms_agree(
        &[
            "pin", "encrypt", "--format", "0", "--key", "SECRET", "--pin", "1234", "--pan", PAN,
        ],
        PIN_KEY,
    );
    secret_forms_agree(
        &[
            "pin",
            "translate",
            "--from-format",
            "0",
            "--from-key",
            "SECRET",
            "--to-format",
            "0",
            "--to-key",
            "C46551CEF9FD244FAA9AD834130D3B38",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        PIN_KEY,
    );
    secret_forms_agree(
        &[
            "pin",
            "translate",
            "--from-format",
            "0",
            "--from-key",
            PIN_KEY,
            "--to-format",
            "0",
            "--to-key",
            "SECRET",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        "C46551CEF9FD244FAA9AD834130D3B38",
    );
    // Both keys from stdin: refused.
    fails_stdin(
        2,
        &[
            "pin",
            "translate",
            "--from-format",
            "0",
            "--from-key",
            "-",
            "--to-format",
            "0",
            "--to-key",
            "-",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        Some(PIN_KEY),
        &[PIN_KEY],
    );
}

#[test]
fn malformed_exit_2() {
    let cases: Vec<Vec<&str>> = vec![
        vec!["encode", "--format", "0", "--pin", "123", "--pan", PAN],
        vec![
            "encode",
            "--format",
            "0",
            "--pin",
            "1234567890123",
            "--pan",
            PAN,
        ],
        vec!["encode", "--format", "0", "--pin", "12a4", "--pan", PAN],
        vec!["encode", "--format", "0", "--pin", "1234"],
        vec![
            "encode",
            "--format",
            "0",
            "--pin",
            "1234",
            "--pan",
            "40123456789",
        ],
        vec![
            "encode",
            "--format",
            "3",
            "--pin",
            "1234",
            "--pan",
            "40123456789012345678",
        ],
        vec![
            "encode",
            "--format",
            "0",
            "--pin",
            "1234",
            "--pan",
            PAN,
            "--fill",
            "FFFFFFFFFF",
        ],
        vec![
            "encode",
            "--format",
            "2",
            "--pin",
            "1234",
            "--fill",
            "FFFFFFFFFF",
        ],
        vec![
            "encode",
            "--format",
            "1",
            "--pin",
            "1234",
            "--fill",
            "012345678",
        ],
        vec![
            "encode",
            "--format",
            "3",
            "--pin",
            "1234",
            "--pan",
            PAN,
            "--fill",
            "ABCDE9ABCD",
        ],
        vec!["encode", "--format", "4", "--pin", "1234", "--fill", "2F69"],
        vec!["encode", "--format", "5", "--pin", "1234"],
        vec![
            "decode",
            "--format",
            "0",
            "--block",
            "041274EDCBA987",
            "--pan",
            PAN,
        ],
        vec![
            "decode",
            "--format",
            "0",
            "--block",
            "041274EDCBA9876G",
            "--pan",
            PAN,
        ],
        vec![
            "decrypt",
            "--format",
            "0",
            "--key",
            PIN_KEY,
            "--block",
            "1B9C1845EB993A7A",
        ],
        vec![
            "decrypt",
            "--format",
            "0",
            "--key",
            "042666B49184CF5C68DE9628D0397B",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        vec![
            "decrypt",
            "--format",
            "4",
            "--key",
            AES_PIN_KEY,
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        vec![
            "encrypt", "--format", "0", "--key", PIN_KEY, "--pin", "12", "--pan", PAN,
        ],
    ];
    for c in cases {
        let mut args = vec!["pin"];
        args.extend(c);
        fails(
            2,
            &args,
            &[PIN_KEY, AES_PIN_KEY, "042666B49184CF5C68DE9628D0397B"],
        );
    }
}

#[test]
fn rejected_exit_1() {
    // A clear block that does not decode (wrong PAN makes the fill check fail).
    fails(
        1,
        &[
            "pin",
            "decode",
            "--format",
            "0",
            "--block",
            "041274EDCBA9876F",
            "--pan",
            "4111111111111111",
        ],
        &[],
    );
    fails(
        1,
        &[
            "pin",
            "decode",
            "--format",
            "2",
            "--block",
            "041274EDCBA9876F",
        ],
        &[],
    );
    // Wrong key.
    fails(
        1,
        &[
            "pin",
            "decrypt",
            "--format",
            "0",
            "--key",
            "C46551CEF9FD244FAA9AD834130D3B38",
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            PAN,
        ],
        &["C46551CEF9FD244FAA9AD834130D3B38"],
    );
    // Policy: format 2 as source or target, PAN-bound to format 1, key algorithm vs format.
    let x = |from: &str, fk: &str, to: &str, tk: &str, block: &str| {
        fails(
            1,
            &[
                "pin",
                "translate",
                "--from-format",
                from,
                "--from-key",
                fk,
                "--to-format",
                to,
                "--to-key",
                tk,
                "--block",
                block,
                "--pan",
                PAN,
            ],
            &[fk, tk],
        );
    };
    x("0", PIN_KEY, "2", PIN_KEY, "1B9C1845EB993A7A");
    x("2", PIN_KEY, "0", PIN_KEY, "1B9C1845EB993A7A");
    x("0", PIN_KEY, "1", PIN_KEY, "1B9C1845EB993A7A");
    x("3", PIN_KEY, "1", PIN_KEY, "1B9C1845EB993A7A");
    x(
        "4",
        AES_PIN_KEY,
        "1",
        PIN_KEY,
        "A912150391AB65A67E52883D81CE2D15",
    );
    let aes256 = "AF8CB133A78F8DC2D1359F18527593FBAF8CB133A78F8DC2D1359F18527593FB";
    x("0", aes256, "0", PIN_KEY, "1B9C1845EB993A7A");
    x("0", PIN_KEY, "0", aes256, "1B9C1845EB993A7A");
    x("0", PIN_KEY, "4", "0123456789ABCDEF", "1B9C1845EB993A7A");
    // Encrypting under a key of the wrong algorithm for the format.
    fails(
        1,
        &[
            "pin", "encrypt", "--format", "0", "--key", aes256, "--pin", "1234", "--pan", PAN,
        ],
        &[aes256],
    );
    fails(
        1,
        &[
            "pin",
            "encrypt",
            "--format",
            "4",
            "--key",
            "0123456789ABCDEF",
            "--pin",
            "1234",
            "--pan",
            PAN,
        ],
        &["0123456789ABCDEF"],
    );
}
