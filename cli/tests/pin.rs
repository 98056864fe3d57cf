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

fn fmt(v: &Value, key: &str) -> String {
    str_field(v, key).trim_start_matches("ISO_").to_owned()
}

const PIN_KEY: &str = "042666B49184CF5C68DE9628D0397B36";
const PAN: &str = "4012345678909";
const AES_PIN_KEY: &str = "AF8CB133A78F8DC2D1359F18527593FB";
/// The format 0 block of PIN 1234 with `PAN` under `PIN_KEY`.
const ISO0_BLOCK: &str = "1B9C1845EB993A7A";
/// A format 4 block under `AES_PIN_KEY`.
const ISO4_BLOCK: &str = "A912150391AB65A67E52883D81CE2D15";
/// Another TDES PIN key.
const OTHER_PIN_KEY: &str = "C46551CEF9FD244FAA9AD834130D3B38";

/// `paycrypt pin encode --format FORMAT --pin PIN EXTRA...`.
fn encode_args<'a>(format: &'a str, pin: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(&["pin", "encode", "--format", format, "--pin", pin], extra)
}

/// `paycrypt pin decode --format FORMAT --block BLOCK EXTRA...`.
fn decode_args<'a>(format: &'a str, block: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(
        &["pin", "decode", "--format", format, "--block", block],
        extra,
    )
}

/// `paycrypt pin encrypt --format FORMAT --key KEY --pin PIN --pan PAN`.
fn encrypt_args<'a>(format: &'a str, key: &'a str, pin: &'a str, pan: &'a str) -> Vec<&'a str> {
    vec![
        "pin", "encrypt", "--format", format, "--key", key, "--pin", pin, "--pan", pan,
    ]
}

/// `paycrypt pin decrypt --format FORMAT --key KEY --block BLOCK --pan PAN`.
fn decrypt_args<'a>(format: &'a str, key: &'a str, block: &'a str, pan: &'a str) -> Vec<&'a str> {
    vec![
        "pin", "decrypt", "--format", format, "--key", key, "--block", block, "--pan", pan,
    ]
}

/// `paycrypt pin translate --from-format FROM --from-key FROM_KEY --to-format TO --to-key TO_KEY
/// --block BLOCK --pan PAN EXTRA...`.
fn translate_args<'a>(
    (from, from_key): (&'a str, &'a str),
    (to, to_key): (&'a str, &'a str),
    block: &'a str,
    pan: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    with_extra(
        &[
            "pin",
            "translate",
            "--from-format",
            from,
            "--from-key",
            from_key,
            "--to-format",
            to,
            "--to-key",
            to_key,
            "--block",
            block,
            "--pan",
            pan,
        ],
        extra,
    )
}

#[test]
fn published_encipher_decipher() {
    let mut n = 0;
    for v in vectors(include_str!("data/pinblock.json"))
        .iter()
        .filter(|v| v["op"] == "encipher_decipher")
    {
        let f = fmt(v, "format");
        let (pin, pan, key, block) = (
            str_field(v, "pin"),
            str_field(v, "pan"),
            str_field(v, "key"),
            str_field(v, "cipher_block"),
        );
        let id = str_field(v, "id");
        let mut enc = encrypt_args(&f, key, pin, pan);
        if let Some(r) = v["random"].as_str() {
            enc.extend(["--fill", r]);
        }
        assert_eq!(ok(&enc), [block], "{id}");
        assert_eq!(ok(&decrypt_args(&f, key, block, pan)), [pin], "{id}");
        if let Some(clear) = v["clear_block"].as_str() {
            assert_eq!(ok1(&encode_args(&f, pin, &["--pan", pan])), clear, "{id}");
            assert_eq!(ok1(&decode_args(&f, clear, &["--pan", pan])), pin, "{id}");
        }
        if let Some(field) = v["pin_field"].as_str() {
            // Format 4: encode prints the plain PIN field and needs no PAN; decode reads it.
            assert_eq!(
                ok1(&encode_args(&f, pin, &["--fill", str_field(v, "random")])),
                field,
                "{id}"
            );
            assert_eq!(ok1(&decode_args(&f, field, &[])), pin, "{id}");
        }
        // Tamper: a flipped bit in the block does not decode (exit 1); a wrong PAN neither.
        let mut bad = block.to_owned();
        bad.replace_range(0..1, if &block[..1] == "0" { "8" } else { "0" });
        fails(1, &decrypt_args(&f, key, &bad, pan), &[key, pin]);
        n += 1;
    }
    assert_eq!(n, 7);
}

#[test]
fn published_encode_decode_and_negative() {
    for v in vectors(include_str!("data/pinblock.json")) {
        let id = str_field(&v, "id");
        match (v["op"].as_str().unwrap(), v.get("expect_error")) {
            ("encode_decode", None) => {
                let f = fmt(&v, "format");
                let (pin, block) = (str_field(&v, "pin"), str_field(&v, "clear_block"));
                assert_eq!(ok1(&encode_args(&f, pin, &[])), block, "{id}");
                assert_eq!(ok1(&decode_args(&f, block, &[])), pin, "{id}");
            }
            ("encode", Some(_)) => {
                let f = fmt(&v, "format");
                let pin = str_field(&v, "pin");
                let mut args = encode_args(&f, pin, &[]);
                if let Some(p) = v["pan"].as_str() {
                    args.extend(["--pan", p]);
                }
                if let Some(fill) = v["fill"].as_str() {
                    args.extend(["--fill", fill]);
                }
                fails(2, &args, &[pin]);
            }
            ("translate", None) => {
                let (from, to) = (fmt(&v, "in_format"), fmt(&v, "out_format"));
                let out = ok(&translate_args(
                    (&from, str_field(&v, "in_key")),
                    (&to, str_field(&v, "out_key")),
                    str_field(&v, "in_block"),
                    str_field(&v, "pan"),
                    &[],
                ));
                assert_eq!(out, [str_field(&v, "out_block")], "{id}");
            }
            ("translate", Some(_)) => {
                // Policy refusals: exit 1 (keys fitting each format).
                let (from, to) = (fmt(&v, "in_format"), fmt(&v, "out_format"));
                let key_for = |f: &str| if f == "4" { AES_PIN_KEY } else { PIN_KEY };
                let block = if from == "4" { ISO4_BLOCK } else { ISO0_BLOCK };
                fails(
                    1,
                    &translate_args(
                        (&from, key_for(&from)),
                        (&to, key_for(&to)),
                        block,
                        PAN,
                        &[],
                    ),
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
    let b1 = ok1(&encode_args("1", "1234", &["--fill", "0123456789"]));
    assert_eq!(b1, "1412340123456789");
    let b3 = ok1(&encode_args(
        "3",
        "1234",
        &["--pan", PAN, "--fill", "ABCDEFABCD"],
    ));
    assert_eq!(ok1(&decode_args("3", &b3, &["--pan", PAN])), "1234");
    for f in ["0", "1", "2", "3"] {
        let e = ok1(&encrypt_args(f, PIN_KEY, "123456789012", PAN));
        assert_eq!(e.len(), 16);
        assert_eq!(ok1(&decrypt_args(f, PIN_KEY, &e, PAN)), "123456789012");
    }
    // Format 4 with a short PAN (padded as the standard says) and random fill.
    let e = ok1(&encrypt_args("4", AES_PIN_KEY, "1234", "1"));
    assert_eq!(ok1(&decrypt_args("4", AES_PIN_KEY, &e, "1")), "1234");
    fails(1, &decrypt_args("4", AES_PIN_KEY, &e, "2"), &[AES_PIN_KEY]);
    // An 8-byte key is single DES (legacy): E_K for a DES key K equals TDES with K||K.
    let des = ok1(&encrypt_args("0", "0123456789ABCDEF", "1234", PAN));
    let tdes = ok1(&encrypt_args(
        "0",
        "0123456789ABCDEF0123456789ABCDEF",
        "1234",
        PAN,
    ));
    assert_eq!(des, tdes);
    // Translate to format 4 with fill, then back.
    let to_iso4 = |pan| {
        translate_args(
            ("0", PIN_KEY),
            ("4", AES_PIN_KEY),
            ISO0_BLOCK,
            pan,
            &["--fill", "2F69ADDE2E9E7ACE"],
        )
    };
    // The format 0 block was made with PAN 4012345678909: under another PAN it does not decode.
    fails(1, &to_iso4("4111111111111111"), &[PIN_KEY, AES_PIN_KEY]);
    let t = ok1(&to_iso4(PAN));
    assert_eq!(ok1(&decrypt_args("4", AES_PIN_KEY, &t, PAN)), "1234");
    let back = ok1(&translate_args(
        ("4", AES_PIN_KEY),
        ("0", PIN_KEY),
        &t,
        PAN,
        &[],
    ));
    assert_eq!(back, ISO0_BLOCK);
}

#[test]
fn json_and_secret_forms() {
    let j = ok_json(&encrypt_args("0", PIN_KEY, "1234", PAN));
    assert_eq!(s(&j, "block"), ISO0_BLOCK);
    assert_eq!(j["format"], 0);
    let j = ok_json(&decrypt_args("0", PIN_KEY, ISO0_BLOCK, PAN));
    assert_eq!(s(&j, "pin"), "1234");
    let j = ok_json(&encode_args("0", "1234", &["--pan", PAN]));
    assert_eq!(s(&j, "block"), "041274EDCBA9876F");
    let j = ok_json(&decode_args("0", "041274EDCBA9876F", &["--pan", PAN]));
    assert_eq!(s(&j, "pin"), "1234");
    let j = ok_json(&translate_args(
        ("0", PIN_KEY),
        ("0", OTHER_PIN_KEY),
        ISO0_BLOCK,
        PAN,
        &[],
    ));
    assert_eq!(s(&j, "block"), "10A01C8D02C69107");
    assert_eq!(j["format"], 0);
    secret_forms_agree(&decrypt_args("0", "SECRET", ISO0_BLOCK, PAN), PIN_KEY);
    secret_forms_agree(&encrypt_args("0", "SECRET", "1234", PAN), PIN_KEY);
    let translate_0_to_0 =
        |from_key, to_key| translate_args(("0", from_key), ("0", to_key), ISO0_BLOCK, PAN, &[]);
    secret_forms_agree(&translate_0_to_0("SECRET", OTHER_PIN_KEY), PIN_KEY);
    secret_forms_agree(&translate_0_to_0(PIN_KEY, "SECRET"), OTHER_PIN_KEY);
    // Both keys from stdin: refused.
    fails_stdin(2, &translate_0_to_0("-", "-"), Some(PIN_KEY), &[PIN_KEY]);
}

#[test]
fn malformed_exit_2() {
    let secrets = [PIN_KEY, AES_PIN_KEY, "042666B49184CF5C68DE9628D0397B"];
    // (format, PIN, options after it)
    let encode_cases: [(&str, &str, &[&str]); 12] = [
        ("0", "123", &["--pan", PAN]),
        ("0", "1234567890123", &["--pan", PAN]),
        ("0", "12a4", &["--pan", PAN]),
        ("0", "1234", &[]),
        ("0", "1234", &["--pan", "40123456789a"]),
        ("3", "1234", &["--pan", "40123456789012345678"]),
        ("0", "1234", &["--pan", PAN, "--fill", "FFFFFFFFFF"]),
        ("2", "1234", &["--fill", "FFFFFFFFFF"]),
        ("1", "1234", &["--fill", "012345678"]),
        ("3", "1234", &["--pan", PAN, "--fill", "ABCDE9ABCD"]),
        ("4", "1234", &["--fill", "2F69"]),
        ("5", "1234", &[]),
    ];
    for (format, pin, extra) in encode_cases {
        fails(2, &encode_args(format, pin, extra), &secrets);
    }
    for block in ["041274EDCBA987", "041274EDCBA9876G"] {
        fails(2, &decode_args("0", block, &["--pan", PAN]), &secrets);
    }
    fails(
        2,
        &[
            "pin", "decrypt", "--format", "0", "--key", PIN_KEY, "--block", ISO0_BLOCK,
        ],
        &secrets,
    );
    for (format, key) in [("0", "042666B49184CF5C68DE9628D0397B"), ("4", AES_PIN_KEY)] {
        fails(2, &decrypt_args(format, key, ISO0_BLOCK, PAN), &secrets);
    }
    fails(2, &encrypt_args("0", PIN_KEY, "12", PAN), &secrets);
}

#[test]
fn rejected_exit_1() {
    // A clear block that does not decode (wrong PAN makes the fill check fail).
    let clear = "041274EDCBA9876F";
    fails(
        1,
        &decode_args("0", clear, &["--pan", "4111111111111111"]),
        &[],
    );
    fails(1, &decode_args("2", clear, &[]), &[]);
    // Wrong key.
    fails(
        1,
        &decrypt_args("0", OTHER_PIN_KEY, ISO0_BLOCK, PAN),
        &[OTHER_PIN_KEY],
    );
    // Policy: format 2 as source or target, PAN-bound to format 1, key algorithm vs format.
    let aes256 = "AF8CB133A78F8DC2D1359F18527593FBAF8CB133A78F8DC2D1359F18527593FB";
    // ((from format, from key), (to format, to key), block)
    for (from, to, block) in [
        (("0", PIN_KEY), ("2", PIN_KEY), ISO0_BLOCK),
        (("2", PIN_KEY), ("0", PIN_KEY), ISO0_BLOCK),
        (("0", PIN_KEY), ("1", PIN_KEY), ISO0_BLOCK),
        (("3", PIN_KEY), ("1", PIN_KEY), ISO0_BLOCK),
        (("4", AES_PIN_KEY), ("1", PIN_KEY), ISO4_BLOCK),
        (("0", aes256), ("0", PIN_KEY), ISO0_BLOCK),
        (("0", PIN_KEY), ("0", aes256), ISO0_BLOCK),
        (("0", PIN_KEY), ("4", "0123456789ABCDEF"), ISO0_BLOCK),
    ] {
        fails(
            1,
            &translate_args(from, to, block, PAN, &[]),
            &[from.1, to.1],
        );
    }
    // Encrypting under a key of the wrong algorithm for the format.
    for (format, key) in [("0", aes256), ("4", "0123456789ABCDEF")] {
        fails(1, &encrypt_args(format, key, "1234", PAN), &[key]);
    }
}
