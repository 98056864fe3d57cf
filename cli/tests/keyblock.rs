//! `paycrypt keyblock wrap|unwrap|inspect` against the TR-31:2018 A.7, X9.143:2021 §8 and
//! ISO 20038:2017 Annex B examples (`data/keyblock.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;

/// Replaces the character at `i` by another hex digit of the same case.
fn tamper(text: &str, i: usize) -> String {
    let c = text.as_bytes()[i];
    let n = if c == b'0' { '1' } else { '0' };
    format!("{}{n}{}", &text[..i], &text[i + 1..])
}

/// `paycrypt keyblock unwrap --kbpk KBPK --block BLOCK EXTRA...`.
fn unwrap_args<'a>(kbpk: &'a str, block: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(
        &["keyblock", "unwrap", "--kbpk", kbpk, "--block", block],
        extra,
    )
}

/// `paycrypt keyblock wrap --kbpk KBPK --header HEADER --key KEY EXTRA...`.
fn wrap_args<'a>(kbpk: &'a str, header: &'a str, key: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(
        &[
            "keyblock", "wrap", "--kbpk", kbpk, "--header", header, "--key", key,
        ],
        extra,
    )
}

const A_KBPK: &str = "89E88CF7931444F334BD7547FC3F380C";
const A_BLOCK: &str = "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701";
const A_KEY: &str = "F039121BEC83D26B169BDCD5B22AAF8F";
const D_KBPK: &str = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";

#[test]
fn published_vectors() {
    let (mut ok_n, mut err_n) = (0, 0);
    for v in vectors(include_str!("data/keyblock.json")) {
        let id = str_field(&v, "id");
        let (kbpk, block) = (str_field(&v, "kbpk"), str_field(&v, "key_block"));
        if v["expect"] == "ok" {
            let key = str_field(&v, "key");
            // Unwrap with the default profile, and wrap reproduces the block byte for byte.
            assert_eq!(ok(&unwrap_args(kbpk, block, &[])), [key], "{id}");
            let header = str_field(&v, "header");
            let pad = str_field(&v, "random_or_padding");
            assert_eq!(
                ok(&wrap_args(kbpk, header, key, &["--padding", pad])),
                [block],
                "{id}"
            );
            // JSON: key, header fields and the optional blocks in order.
            let j = ok_json(&unwrap_args(kbpk, block, &[]));
            assert_eq!(s(&j, "key"), key);
            assert_eq!(j["header"]["version"], str_field(&v, "version"));
            let blocks = j["optional_blocks"].as_array().unwrap();
            for (i, ob) in v["opt_blocks"].as_array().unwrap().iter().enumerate() {
                assert_eq!(blocks[i]["id"], ob[0], "{id}");
                assert_eq!(blocks[i]["data"], ob[1], "{id}");
            }
            // Inspect needs no key.
            let i = ok_json(&["keyblock", "inspect", "--block", block]);
            assert_eq!(s(&i, "kind"), "key_block");
            assert_eq!(i["header"], j["header"]);
            // Tamper: the last MAC character, and a payload character: exit 1, one message.
            let header_len = block.len() - (block.len() - header.len().min(block.len()));
            let [m1, m2] = [block.len() - 1, header_len + 1]
                .map(|at| fails(1, &unwrap_args(kbpk, &tamper(block, at), &[]), &[kbpk, key]));
            assert_eq!(m1, m2, "{id}: one message for every authentication failure");
            ok_n += 1;
        } else {
            fails(2, &unwrap_args(kbpk, block, &[]), &[kbpk]);
            err_n += 1;
        }
    }
    assert_eq!((ok_n, err_n), (14, 2));
}

#[test]
fn wrap_random_padding_round_trips() {
    for (kbpk, header, key) in [
        (A_KBPK, "A0000P0TE00E0000", A_KEY),
        (A_KBPK, "B0000P0TE00E0000", A_KEY),
        (A_KBPK, "C0000B0TX12S0100KS1800604B120F9292800000", A_KEY),
        (
            D_KBPK,
            "D0000P0AE00E0000",
            "3F419E1CB7079442AA37474C2EFBF8B8",
        ),
        (
            D_KBPK,
            "E0000B0TV16N0000",
            "777261707065642033444553206B6579",
        ),
        (
            D_KBPK,
            "D0000B0TX00E0100KS1800604B120F9292800000",
            "3F419E1CB7079442AA37474C2EFBF8B8",
        ),
    ] {
        let b1 = ok1(&wrap_args(kbpk, header, key, &[]));
        assert_eq!(ok1(&unwrap_args(kbpk, &b1, &[])), key, "{header}");
        let b2 = ok1(&wrap_args(kbpk, header, key, &["--no-obfuscation"]));
        assert_eq!(ok1(&unwrap_args(kbpk, &b2, &[])), key);
        if !header.starts_with('E') {
            // Obfuscation pads the key to its algorithm's maximum: the block is longer.
            assert!(b1.len() >= b2.len(), "{header}: {b1} vs {b2}");
            if header.starts_with('A') || header.starts_with("D0000P") {
                assert!(b1.len() > b2.len(), "{header}: {b1} vs {b2}");
            }
        }
        // Length field recomputed.
        assert_eq!(b1[1..5].parse::<usize>().unwrap(), b1.len());
    }
    // A PB block is added when the optional blocks need aligning.
    let b = ok1(&wrap_args(
        D_KBPK,
        "D0000B0TX00E0100KS1800604B120F9292800000",
        "3F419E1CB7079442AA37474C2EFBF8B8",
        &[],
    ));
    let j = ok_json(&["keyblock", "inspect", "--block", &b]);
    let ids: Vec<&str> = j["optional_blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KS", "PB"]);
    let padding = ["--padding", "720DF563BB07"];
    secret_forms_agree(
        &wrap_args("SECRET", "A0072P0TE00E0000", A_KEY, &padding),
        A_KBPK,
    );
    secret_forms_agree(
        &wrap_args(A_KBPK, "A0072P0TE00E0000", "SECRET", &padding),
        A_KEY,
    );
    secret_forms_agree(&unwrap_args("SECRET", A_BLOCK, &[]), A_KBPK);
}

#[test]
fn wrap_errors_exit_2() {
    // (KBPK, header, key, options after the key)
    let cases: [(&str, &str, &str, &[&str]); 11] = [
        // KBPK length / type for the version.
        (D_KBPK, "A0000P0TE00E0000", A_KEY, &[]),
        (
            "89E88CF7931444F334BD7547FC3F380C01020304",
            "D0000P0AE00E0000",
            A_KEY,
            &[],
        ),
        (
            "89E88CF7931444F334BD7547FC3F38",
            "A0000P0TE00E0000",
            A_KEY,
            &[],
        ),
        // Key length for the algorithm; padding that does not fill whole blocks; padding with E.
        (A_KBPK, "A0000P0TE00E0000", "F039121BEC83D26B", &[]),
        (
            A_KBPK,
            "A0000P0TE00E0000",
            A_KEY,
            &["--padding", "720DF563BB"],
        ),
        (D_KBPK, "E0000B0TV16N0000", A_KEY, &["--padding", "00"]),
        // Malformed header, unknown version, bad hex.
        (A_KBPK, "A0000P0TE00E00", A_KEY, &[]),
        (A_KBPK, "F0000P0TE00E0000", A_KEY, &[]),
        (
            A_KBPK,
            "A0000P0TE00E0000",
            "F039121BEC83D26B169BDCD5B22AAF8",
            &[],
        ),
        (A_KBPK, "A0000P0TE00E0000", A_KEY, &["--padding", "72X"]),
        (
            A_KBPK,
            "A0000P0TE00E0000",
            A_KEY,
            &["--padding", "00", "--no-obfuscation"],
        ),
    ];
    for (kbpk, header, key, extra) in cases {
        fails(
            2,
            &wrap_args(kbpk, header, key, extra),
            &[A_KBPK, D_KBPK, A_KEY, "89E88CF7931444F334BD7547FC3F38"],
        );
    }
}

#[test]
fn unwrap_classification() {
    // Exit 2: visible in the text.
    let lower_payload = format!("{}{}", &A_BLOCK[..16], A_BLOCK[16..].to_ascii_lowercase());
    let mut bad_len = A_BLOCK.to_owned();
    bad_len.replace_range(1..5, "0080");
    let cases = [
        bad_len,
        lower_payload.clone(),
        A_BLOCK[..A_BLOCK.len() - 2].to_owned(),
        format!("F{}", &A_BLOCK[1..]),
        "C0096B0TX12S0200KS1800604B120F9292800000KS0800000000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C".to_owned(),
        "C0096B0TX12S0100KS1700604B120F929280000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C".to_owned(),
        format!("{}Z{}", &A_BLOCK[..20], &A_BLOCK[21..]),
    ];
    for c in &cases {
        fails(2, &unwrap_args(A_KBPK, c, &[]), &[A_KBPK, A_KEY]);
        fails(2, &["keyblock", "inspect", "--block", c], &[]);
    }
    // KBPK of the wrong type / length: exit 2.
    for kbpk in [D_KBPK, "89E88CF7931444F3"] {
        fails(2, &unwrap_args(kbpk, A_BLOCK, &[]), &[kbpk]);
    }
    // Lower-case payload hex is accepted only by the lenient profile.
    assert_eq!(
        ok1(&unwrap_args(
            A_KBPK,
            &lower_payload,
            &["--profile", "lenient"]
        )),
        A_KEY
    );
    for p in ["x9.143", "tr31-2018", "iso20038", "interop"] {
        fails(
            2,
            &unwrap_args(A_KBPK, &lower_payload, &["--profile", p]),
            &[A_KBPK],
        );
    }
    fails(
        2,
        &unwrap_args(A_KBPK, A_BLOCK, &["--profile", "strict"]),
        &[A_KBPK],
    );
    // Exit 1: a wrong KBPK of the right type.
    let wrong_kbpk = "DD7515F2BFC17F85CE48F3CA25CB21F6";
    fails(1, &unwrap_args(wrong_kbpk, A_BLOCK, &[]), &[wrong_kbpk]);
}

#[test]
fn inspect_header_and_block() {
    let header = [
        "keyblock",
        "inspect",
        "--block",
        "C0096B0TX12S0100KS1800604B120F9292800000",
    ];
    let lines = ok(&header);
    assert_eq!(lines[0], "kind: header");
    assert!(lines.contains(&"key_usage: B0 base derivation key (BDK)".to_owned()));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("block KS: 00604B120F9292800000 ("))
    );
    let j = ok_json(&header);
    assert_eq!(s(&j, "kind"), "header");
    assert_eq!(j["header"]["version"], "C");
    assert_eq!(j["header"]["length"], 96);
    assert_eq!(j["header"]["key_usage"], "B0");
    assert_eq!(j["header"]["algorithm"], "T");
    assert_eq!(j["header"]["mode_of_use"], "X");
    assert_eq!(j["header"]["key_version"], "12");
    assert_eq!(j["header"]["exportability"], "S");
    assert_eq!(j["header"]["key_context"], "0");
    assert_eq!(j["optional_blocks"][0]["id"], "KS");
    let j = ok_json(&["keyblock", "inspect", "--block", A_BLOCK]);
    assert_eq!(s(&j, "kind"), "key_block");
    // Version A: a 4-byte MAC, the last 8 characters.
    assert_eq!(s(&j, "mac"), &A_BLOCK[A_BLOCK.len() - 8..]);
    // Malformed: duplicate optional blocks, trailing garbage after a header-only text.
    for block in ["C0000B0TX12S0200KS0800000000KS0800000000", "A00"] {
        fails(2, &["keyblock", "inspect", "--block", block], &[]);
    }
}

/// Issue 13 item 1: KC and KP blocks are enforced; `wrap --kc` adds one; `unwrap --json`
/// reports `kcv`.
#[test]
fn kc_blocks_are_enforced_and_added() {
    // Wrap refuses a KC that is not the key's (exit 1, naming the block).
    let e = fails(
        1,
        &wrap_args(A_KBPK, "B0000P0TE00N0100KC0C00FFFFFF", A_KEY, &[]),
        &[A_KBPK, A_KEY],
    );
    assert!(e.contains("KC"), "{e}");
    // --kc adds the legacy KCV for TDES; unwrap checks it and reports the KCV.
    let block = ok1(&wrap_args(A_KBPK, "B0000P0TE00N0000", A_KEY, &["--kc"]));
    assert!(block.starts_with("B0"), "{block}");
    let j = ok_json(&unwrap_args(A_KBPK, &block, &["--profile", "x9.143"]));
    assert_eq!(s(&j, "key"), A_KEY);
    let kc = j["optional_blocks"][0]["data"].as_str().unwrap().to_owned();
    assert_eq!(j["optional_blocks"][0]["id"], "KC");
    assert_eq!(kc, format!("00{}", s(&j, "kcv")));
    assert_eq!(s(&j, "kcv").len(), 6);
    // AES: the CMAC KCV (5 bytes).
    let aes_kbpk = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";
    let block = ok1(&wrap_args(aes_kbpk, "D0000P0AE00N0000", A_KEY, &["--kc"]));
    let j = ok_json(&unwrap_args(aes_kbpk, &block, &[]));
    assert_eq!(s(&j, "kcv").len(), 10);
    assert_eq!(
        j["optional_blocks"][0]["data"].as_str().unwrap(),
        format!("01{}", s(&j, "kcv"))
    );
    // Without a KC block, kcv is the algorithm's default (legacy for TDES).
    let j = ok_json(&unwrap_args(A_KBPK, A_BLOCK, &[]));
    assert_eq!(s(&j, "kcv").len(), 6);
}

/// Issue 13 items 2 and 3: `wrap --profile`, the X9.143 alphabet, errors after the MAC.
#[test]
fn wrap_profile_and_rules_after_authentication() {
    // `**` in the key usage: refused by the default profile (exit 2), written leniently.
    fails(
        2,
        &wrap_args(A_KBPK, "B0000**TE00N0000", A_KEY, &[]),
        &[A_KBPK],
    );
    let odd = ok1(&wrap_args(
        A_KBPK,
        "B0000**TE00N0000",
        A_KEY,
        &["--profile", "lenient"],
    ));
    fails(2, &unwrap_args(A_KBPK, &odd, &[]), &[A_KBPK]);
    assert_eq!(
        ok1(&unwrap_args(A_KBPK, &odd, &["--profile", "lenient"])),
        A_KEY
    );
    // Under x9.143 a mode the usage does not allow is refused by wrap too.
    fails(
        2,
        &wrap_args(A_KBPK, "B0000P0TC00N0000", A_KEY, &["--profile", "x9.143"]),
        &[A_KBPK],
    );
    // 8-byte key under T: wrap refuses outside lenient; unwrap returns it by default, the
    // strict profiles name the rule (exit 1), a wrong KBPK stays opaque.
    let des = "0123456789ABCDEF";
    fails(
        2,
        &wrap_args(A_KBPK, "B0000P0TE00N0000", des, &[]),
        &[A_KBPK, des],
    );
    let b = ok1(&wrap_args(
        A_KBPK,
        "B0000P0TE00N0000",
        des,
        &["--profile", "lenient"],
    ));
    assert_eq!(ok1(&unwrap_args(A_KBPK, &b, &[])), des);
    let e = fails(
        1,
        &unwrap_args(A_KBPK, &b, &["--profile", "x9.143"]),
        &[A_KBPK, des],
    );
    assert!(
        e.contains("8-byte key under algorithm T: X9.143 requires 16 or 24 bytes; --profile lenient accepts it"),
        "{e}"
    );
    let e = fails(
        1,
        &unwrap_args(
            "00112233445566778899AABBCCDDEEFF",
            &b,
            &["--profile", "x9.143"],
        ),
        &[],
    );
    assert!(e.contains("authentication failed"), "{e}");
}
