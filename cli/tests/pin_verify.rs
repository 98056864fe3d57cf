//! `paycrypt pin pvv|ibm3624|verify|random` (cli-cardverify.md) against psec 1.3.0's values
//! (`data/pin_psec.json`, a copy of `cardverify/tests/data/pin_psec.json`) and the published
//! PIN block of `data/cardverify.json` (ANSI X9.24-1:2009 A.4).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

const PSEC: &str = include_str!("data/pin_psec.json");
const PUBLISHED: &str = include_str!("data/cardverify.json");
const PVK: &str = "0123456789ABCDEFFEDCBA9876543210";
const AES: &str = "AF8CB133A78F8DC2D1359F18527593FB";

fn published() -> Value {
    vectors(PUBLISHED).into_iter().next().unwrap()
}

#[test]
fn psec_vectors() {
    let all = vectors(PSEC);
    let (mut pvv, mut off) = (0, 0);
    for v in &all {
        match str_field(v, "op") {
            "pvv" => {
                let base = [
                    "--pvk",
                    str_field(v, "pvk"),
                    "--pan",
                    str_field(v, "pan"),
                    "--pvki",
                    str_field(v, "pvki"),
                    "--pin",
                    str_field(v, "pin"),
                ];
                let want = str_field(v, "pvv");
                let j = ok_json(&with_extra(&["pin", "pvv", "generate"], &base));
                assert_eq!(j["pvv"], want, "{}", str_field(v, "id"));
                let ver = with_extra(
                    &with_extra(&["pin", "pvv", "verify"], &base),
                    &["--pvv", want],
                );
                assert_eq!(ok1(&ver), "OK");
                let bad = if want == "0000" { "0001" } else { "0000" };
                let ver = with_extra(
                    &with_extra(&["pin", "pvv", "verify"], &base),
                    &["--pvv", bad],
                );
                assert_eq!(
                    fails(1, &ver, &[str_field(v, "pvk"), str_field(v, "pin"), want]),
                    "error: verification failed"
                );
                pvv += 1;
            }
            "offset" => {
                let base = [
                    "--pvk",
                    str_field(v, "pvk"),
                    "--vdata",
                    str_field(v, "vdata"),
                    "--pad",
                    str_field(v, "pad"),
                    "--table",
                    str_field(v, "table"),
                ];
                let pin = str_field(v, "pin");
                let offset = str_field(v, "offset");
                let j = ok_json(&with_extra(
                    &with_extra(&["pin", "ibm3624", "offset"], &base),
                    &["--pin", pin],
                ));
                assert_eq!(j["offset"], offset, "{}", str_field(v, "id"));
                let j = ok_json(&with_extra(
                    &with_extra(&["pin", "ibm3624", "pin"], &base),
                    &["--offset", offset],
                ));
                assert_eq!(j["pin"], pin);
                if let Some(natural) = v.get("natural").and_then(Value::as_str) {
                    let len = pin.len().to_string();
                    let j = ok_json(&with_extra(
                        &with_extra(&["pin", "ibm3624", "natural"], &base),
                        &["--length", &len],
                    ));
                    assert_eq!(j["pin"], natural);
                }
                let strict = (0..10).all(|d| str_field(v, "table").contains(char::from(b'0' + d)));
                let ver = with_extra(
                    &with_extra(&["pin", "ibm3624", "verify"], &base),
                    &["--pin", pin, "--offset", offset],
                );
                if strict {
                    let j = ok_json(&ver);
                    assert_eq!(j["result"], "OK");
                    assert_eq!(j["verified"], true);
                } else {
                    let msg = fails(1, &ver, &[pin, offset]);
                    assert!(msg.contains("--table"), "{msg}");
                }
                off += 1;
            }
            op => panic!("unknown op {op}"),
        }
    }
    assert!(pvv >= 30 && off >= 30);
}

#[test]
fn published_block_verification() {
    let v = published();
    let (key, block, pan, pin) = (
        str_field(&v, "key"),
        str_field(&v, "block"),
        str_field(&v, "pan"),
        str_field(&v, "pin"),
    );
    assert_eq!(v["format"], 0);
    let pvv_pin = ok1(&[
        "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--pin", pin,
    ]);
    let pvv_block = ok1(&[
        "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--block", block,
        "--key", key, "--format", "0",
    ]);
    assert_eq!(pvv_pin, pvv_block);
    let off_pin = ok1(&[
        "pin", "ibm3624", "offset", "--pvk", PVK, "--vdata", pan, "--pin", pin,
    ]);
    let off_block = ok1(&[
        "pin", "ibm3624", "offset", "--pvk", PVK, "--vdata", pan, "--block", block, "--key", key,
        "--format", "0", "--pan", pan,
    ]);
    assert_eq!(off_pin, off_block);
    let verify = |extra: &[&str]| -> Vec<String> {
        with_extra(
            &[
                "pin", "verify", "--format", "0", "--key", key, "--block", block, "--pan", pan,
                "--pvk", PVK,
            ],
            extra,
        )
        .into_iter()
        .map(str::to_owned)
        .collect()
    };
    assert_eq!(
        ok1(&refs(&verify(&["--pvv", &pvv_pin, "--pvki", "1"]))),
        "OK"
    );
    let j = ok_json(&refs(&verify(&["--offset", &off_pin, "--vdata", pan])));
    assert_eq!(j["result"], "OK");
    assert_eq!(j["verified"], true);
    // Every failure after the input checks is the same exit 1 and message.
    let other_key = "C46551CEF9FD244FAA9AD834130D3B38";
    let wrong_pvv = if pvv_pin == "0000" { "0001" } else { "0000" };
    let mut wrong_block = block.to_owned();
    wrong_block.replace_range(0..1, "2");
    let long_off = format!("{off_pin}0");
    let pvki2 = ok1(&[
        "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "2", "--pin", pin,
    ]);
    let owned = |v: Vec<&str>| -> Vec<String> { v.into_iter().map(str::to_owned).collect() };
    let cases: Vec<Vec<String>> = vec![
        verify(&["--pvv", wrong_pvv, "--pvki", "1"]),
        // The PVV of PVKI 2 presented with PVKI 1.
        verify(&["--pvv", &pvki2, "--pvki", "1"]),
        verify(&["--offset", &long_off, "--vdata", pan]),
        owned(vec![
            "pin", "verify", "--format", "0", "--key", other_key, "--block", block, "--pan", pan,
            "--pvk", PVK, "--pvv", &pvv_pin, "--pvki", "1",
        ]),
        owned(vec![
            "pin",
            "verify",
            "--format",
            "0",
            "--key",
            key,
            "--block",
            &wrong_block,
            "--pan",
            pan,
            "--pvk",
            PVK,
            "--pvv",
            &pvv_pin,
            "--pvki",
            "1",
        ]),
        owned(vec![
            "pin",
            "verify",
            "--format",
            "0",
            "--key",
            key,
            "--block",
            block,
            "--pan",
            "4012345678919",
            "--pvk",
            PVK,
            "--offset",
            &off_pin,
            "--vdata",
            pan,
        ]),
    ];
    for c in &cases {
        if pvki2 == pvv_pin && c.contains(&pvki2) {
            continue;
        }
        assert_eq!(
            fails(1, &refs(c), &[key, PVK, pin, &pvv_pin, &off_pin]),
            "error: verification failed",
            "{c:?}"
        );
    }
    // A block that does not decode, when generating: exit 1.
    fails(
        1,
        &[
            "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--block", block,
            "--key", other_key, "--format", "0",
        ],
        &[PVK, other_key],
    );
}

#[test]
fn block_input_rules() {
    let v = published();
    let (key, block, pan) = (
        str_field(&v, "key"),
        str_field(&v, "block"),
        str_field(&v, "pan"),
    );
    let verify = |f: &str, k: &str, b: &str, p: Option<&str>| {
        let mut a = vec!["pin", "verify", "--format", f, "--key", k, "--block", b];
        if let Some(p) = p {
            a.extend(["--pan", p]);
        }
        a.extend(["--pvk", PVK, "--pvv", "1234", "--pvki", "1"]);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    // Block length wrong for the format: exit 2.
    let msg = fails(
        2,
        &refs(&verify("0", key, "1B9C1845EB993A", Some(pan))),
        &[key],
    );
    assert!(msg.contains("--block"), "{msg}");
    fails(2, &refs(&verify("4", AES, block, Some(pan))), &[AES]);
    // Format 2, AES key with format 0, TDES key with format 4: exit 1.
    fails(1, &refs(&verify("2", key, block, Some(pan))), &[key]);
    // A 16-byte key is TDES for formats 0-3 and AES for format 4 (as `pin translate`): a key
    // of the other family decrypts to garbage, the one failure.
    assert_eq!(
        fails(1, &refs(&verify("0", AES, block, Some(pan))), &[AES]),
        "error: verification failed"
    );
    assert_eq!(
        fails(
            1,
            &refs(&verify("4", key, &format!("{block}{block}"), Some(pan))),
            &[key]
        ),
        "error: verification failed"
    );
    // PAN required for formats 0, 3, 4 and for --pvv: exit 2.
    let msg = fails(2, &refs(&verify("0", key, block, None)), &[key]);
    assert!(msg.contains("--pan"), "{msg}");
    let msg = fails(2, &refs(&verify("1", key, block, None)), &[key]);
    assert!(msg.contains("--pan"), "{msg}");
    // Malformed fields: exit 2.
    let base = ["pin", "pvv", "generate", "--pvk", PVK, "--pan", pan];
    for (extra, option) in [
        (vec!["--pvki", "10", "--pin", "1234"], "--pvki"),
        (vec!["--pvki", "a", "--pin", "1234"], "--pvki"),
        (vec!["--pvki", "1", "--pin", "123"], "--pin"),
        (vec!["--pvki", "1", "--pin", "1234567890123"], "--pin"),
    ] {
        let msg = fails(2, &with_extra(&base, &extra), &[PVK]);
        assert!(msg.contains(option), "{msg}");
    }
    let msg = fails(
        2,
        &[
            "pin", "pvv", "verify", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--pin", "1234",
            "--pvv", "123",
        ],
        &[PVK],
    );
    assert!(msg.contains("--pvv"), "{msg}");
    let msg = fails(
        2,
        &[
            "pin", "pvv", "verify", "--pvk", "0011", "--pan", pan, "--pvki", "1", "--pin", "1234",
            "--pvv", "1234",
        ],
        &[],
    );
    assert!(msg.contains("--pvk"), "{msg}");
    let ibm = ["pin", "ibm3624", "natural", "--pvk", PVK];
    for (extra, option) in [
        (vec!["--vdata", "123", "--length", "4"], "--vdata"),
        (
            vec!["--vdata", "12345678901234567", "--length", "4"],
            "--vdata",
        ),
        (
            vec!["--vdata", "1234", "--pad", "G", "--length", "4"],
            "--pad",
        ),
        (
            vec!["--vdata", "1234", "--pad", "FF", "--length", "4"],
            "--pad",
        ),
        (
            vec![
                "--vdata",
                "1234",
                "--table",
                "012345678901234",
                "--length",
                "4",
            ],
            "--table",
        ),
        (vec!["--vdata", "1234", "--length", "3"], "--length"),
        (vec!["--vdata", "1234", "--length", "13"], "--length"),
    ] {
        let msg = fails(2, &with_extra(&ibm, &extra), &[PVK]);
        assert!(msg.contains(option), "{msg}");
    }
    let msg = fails(
        2,
        &[
            "pin", "ibm3624", "pin", "--pvk", PVK, "--vdata", "1234", "--offset", "123",
        ],
        &[PVK],
    );
    assert!(msg.contains("--offset"), "{msg}");
    // The pad is case-insensitive.
    assert_eq!(
        ok1(&[
            "pin", "ibm3624", "natural", "--pvk", PVK, "--vdata", "1234", "--pad", "f", "--length",
            "4"
        ]),
        ok1(&[
            "pin", "ibm3624", "natural", "--pvk", PVK, "--vdata", "1234", "--pad", "F", "--length",
            "4"
        ])
    );
    // A single-DES PVK (legacy) computes.
    ok1(&[
        "pin",
        "ibm3624",
        "natural",
        "--pvk",
        "0123456789ABCDEF",
        "--vdata",
        "1234",
        "--length",
        "4",
    ]);
    // --pvv and --offset are exclusive, one is required.
    let pv = [
        "pin", "verify", "--format", "0", "--key", key, "--block", block, "--pan", pan, "--pvk",
        PVK,
    ];
    fails(2, &pv, &[key]);
    fails(
        2,
        &with_extra(
            &pv,
            &[
                "--pvv", "1234", "--pvki", "1", "--offset", "1234", "--vdata", pan,
            ],
        ),
        &[key],
    );
    fails(2, &with_extra(&pv, &["--pvv", "1234"]), &[key]);
    fails(2, &with_extra(&pv, &["--offset", "1234"]), &[key]);
    // A verification table missing a digit is refused (decimalisation-table attack).
    let msg = fails(
        1,
        &with_extra(
            &pv,
            &[
                "--offset",
                "1234",
                "--vdata",
                pan,
                "--table",
                "0000000000000000",
            ],
        ),
        &[key],
    );
    assert!(msg.contains("--table"), "{msg}");
    // The PIN from stdin.
    let pvv = ok1(&[
        "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--pin", "1234",
    ]);
    let r = ok_stdin(
        &[
            "pin", "pvv", "verify", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--pin", "-",
            "--pvv", &pvv,
        ],
        Some("1234\n"),
    );
    assert_eq!(r[0], "OK");
}

#[test]
fn random_pins() {
    let v = published();
    let (key, pan) = (str_field(&v, "key"), str_field(&v, "pan"));
    for (f, k) in [("0", key), ("1", key), ("3", key), ("4", AES)] {
        let mut args = vec!["pin", "random", "--length", "6", "--format", f, "--key", k];
        if f != "1" {
            args.extend(["--pan", pan]);
        }
        let j = ok_json(&args);
        assert_eq!(j["format"].as_u64().unwrap().to_string(), f);
        let block = j["block"].as_str().unwrap().to_owned();
        assert_eq!(block.len(), if f == "4" { 32 } else { 16 });
        // The PVV derived from the block verifies the block.
        let pvv = ok1(&[
            "pin", "pvv", "generate", "--pvk", PVK, "--pan", pan, "--pvki", "1", "--block", &block,
            "--key", k, "--format", f,
        ]);
        let mut ver = vec![
            "pin", "verify", "--format", f, "--key", k, "--block", &block, "--pan", pan, "--pvk",
            PVK, "--pvv", &pvv, "--pvki", "1",
        ];
        assert_eq!(ok1(&ver), "OK");
        ver.truncate(12);
        let off = ok1(&[
            "pin", "ibm3624", "offset", "--pvk", PVK, "--vdata", pan, "--block", &block, "--key",
            k, "--format", f, "--pan", pan,
        ]);
        assert_eq!(off.len(), 6);
        ver.extend(["--offset", &off, "--vdata", pan]);
        assert_eq!(ok1(&ver), "OK");
    }
    fails(
        1,
        &[
            "pin", "random", "--length", "4", "--format", "2", "--key", key,
        ],
        &[key],
    );
    fails(
        2,
        &[
            "pin", "random", "--length", "3", "--format", "0", "--key", key, "--pan", pan,
        ],
        &[key],
    );
    fails(
        2,
        &[
            "pin", "random", "--length", "4", "--format", "0", "--key", key,
        ],
        &[key],
    );
    // A DES-length key with format 4 is a key of the wrong family (as `pin translate`).
    let msg = fails(
        1,
        &[
            "pin",
            "random",
            "--length",
            "4",
            "--format",
            "4",
            "--key",
            "0123456789ABCDEF",
            "--pan",
            pan,
        ],
        &[],
    );
    assert!(msg.contains("format 4"), "{msg}");
}
