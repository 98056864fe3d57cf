//! Conventions shared by every command: help, version, usage errors, stdin rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;

const KEY: &str = "2B7E151628AED2A6ABF7158809CF4F3C";

/// Every command path of the contract.
const COMMANDS: &[&[&str]] = &[
    &["dukpt", "initial-key"],
    &["dukpt", "derive"],
    &["dukpt", "update-key"],
    &["dukpt", "next-ksn"],
    &["dukpt", "derive-batch"],
    &["keyblock", "wrap"],
    &["keyblock", "unwrap"],
    &["keyblock", "inspect"],
    &["pin", "encode"],
    &["pin", "decode"],
    &["pin", "encrypt"],
    &["pin", "decrypt"],
    &["pin", "translate"],
    &["mac", "generate"],
    &["mac", "verify"],
    &["kcv"],
    &["cipher", "encrypt"],
    &["cipher", "decrypt"],
    &["tr34", "open"],
    &["tr34", "build"],
    &["tr34", "random-token"],
    &["speed"],
];

/// Secret options and the commands that take them.
const SECRET_OPTIONS: &[&str] = &["--key", "--bdk", "--ik", "--kbpk", "--from-key", "--to-key"];

#[test]
fn help_everywhere_with_example() {
    for cmd in COMMANDS {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = ok(&args).join("\n");
        assert!(out.contains("Example"), "{cmd:?} --help has an example");
        assert!(
            out.contains("paycrypt"),
            "{cmd:?} --help example runs paycrypt"
        );
        for opt in SECRET_OPTIONS {
            if out.contains(&format!("{opt} <")) {
                assert!(
                    out.contains("@FILE"),
                    "{cmd:?} --help mentions @FILE for {opt}"
                );
            }
        }
    }
    let top = ok(&["--help"]).join("\n");
    assert!(top.contains("@FILE") && top.contains("stdin"));
    for group in ["dukpt", "keyblock", "pin", "mac", "cipher", "tr34"] {
        ok(&[group, "--help"]);
    }
}

#[test]
fn version_exit_0() {
    let v = ok1(&["--version"]);
    assert!(v.starts_with("paycrypt "));
}

#[test]
fn usage_errors_are_one_line_exit_2() {
    fails(2, &[], &[]);
    fails(2, &["frobnicate"], &[]);
    fails(2, &["cipher"], &[]);
    fails(2, &["cipher", "encrypt", "--bogus"], &[]);
    let msg = fails(
        2,
        &[
            "cipher",
            "encrypt",
            "--algorithm",
            "aes",
            "--mode",
            "ecb",
            "--data",
            "00",
        ],
        &[],
    );
    assert!(msg.contains("--key"), "names the missing option: {msg}");
    let msg = fails(
        2,
        &crypt_args("encrypt", "rot13", "ecb", KEY, None, "00"),
        &[KEY],
    );
    assert!(msg.contains("--algorithm"), "names the option: {msg}");
    // A stray positional that might be a secret is not echoed.
    let mut stray = crypt_args("encrypt", "aes", "ecb", KEY, None, "00");
    stray.insert(8, KEY);
    fails(2, &stray, &[KEY]);
    // A value given to the wrong option is not echoed.
    fails(
        2,
        &crypt_args("encrypt", KEY, "ecb", KEY, None, "00"),
        &[KEY],
    );
}

#[test]
fn json_flag_anywhere() {
    let args = crypt_args(
        "encrypt",
        "aes",
        "ecb",
        KEY,
        None,
        "6BC1BEE22E409F96E93D7E117393172A",
    );
    // Anywhere between words (not between an option and its value).
    for pos in [0, 1, 2, 4, 6, 8, 10] {
        let mut v = args.clone();
        v.insert(pos, "--json");
        let out = ok(&v);
        assert_eq!(
            out,
            ["{\"data\":\"3AD77BB40D7A3660A89ECAF32466EF97\"}"],
            "--json at {pos}"
        );
    }
}

#[test]
fn only_one_option_reads_stdin() {
    let msg = fails_stdin(
        2,
        &crypt_args(
            "encrypt",
            "aes",
            "cbc",
            "-",
            Some("-"),
            "6BC1BEE22E409F96E93D7E117393172A",
        ),
        Some(&format!("{KEY}\n")),
        &[KEY],
    );
    assert!(msg.contains("--iv"), "{msg}");
}

#[test]
fn secret_from_stdin_never_echoed() {
    let aes_ecb_with_key = |key| crypt_args("encrypt", "aes", "ecb", key, None, "00");
    // A wrong-length key from stdin and from a file.
    let short = "2B7E151628AED2A6ABF7158809CF4F";
    fails_stdin(2, &aes_ecb_with_key("-"), Some(short), &[short]);
    let f = TempFile::new("short", short);
    let short_file = f.at();
    fails(2, &aes_ecb_with_key(&short_file), &[short]);
    // Empty stdin.
    fails_stdin(2, &aes_ecb_with_key("-"), Some(""), &[]);
}
