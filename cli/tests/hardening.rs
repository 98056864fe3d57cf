//! Issue 13, items 8–11 and 16 at the command line: size limits on everything read, no secret
//! in any message (clap's included), one inert stderr line, no PIN-length oracle in
//! `pin translate --fill`, short PANs in formats 0 and 3.

mod common;

use common::{fails, fails_stdin, ok1, run, run_with_stdin};

const SECRET: &str = "F039A1B2C3D4E5F60718293A4B5C6D7E";
const PIN_SECRET: &str = "98765432";
const TDES: &str = "0123456789ABCDEFFEDCBA9876543210";
const PAN: &str = "4012345678909";

/// Every secret option of the grammar, with a command line that needs it (`{}` is its value).
fn secret_cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("--key", vec!["kcv", "--algorithm", "tdes", "--key", "{}"]),
        (
            "--bdk",
            vec![
                "dukpt",
                "initial-key",
                "--ksn",
                "FFFF9876543210E00000",
                "--bdk",
                "{}",
            ],
        ),
        (
            "--bdk",
            vec![
                "dukpt",
                "derive",
                "--ksn",
                "FFFF9876543210E00001",
                "--bdk",
                "{}",
            ],
        ),
        (
            "--ik",
            vec![
                "dukpt",
                "derive",
                "--ksn",
                "FFFF9876543210E00001",
                "--ik",
                "{}",
            ],
        ),
        (
            "--bdk",
            vec![
                "dukpt",
                "update-key",
                "--ksn",
                "123456789012345600000001",
                "--bdk",
                "{}",
            ],
        ),
        ("--bdk", vec!["dukpt", "derive-batch", "--bdk", "{}"]),
        (
            "--kbpk",
            vec![
                "keyblock",
                "wrap",
                "--header",
                "D0000P0AE00E0000",
                "--key",
                TDES,
                "--kbpk",
                "{}",
            ],
        ),
        (
            "--key",
            vec![
                "keyblock",
                "wrap",
                "--header",
                "D0000P0AE00E0000",
                "--kbpk",
                TDES,
                "--key",
                "{}",
            ],
        ),
        (
            "--kbpk",
            vec![
                "keyblock",
                "unwrap",
                "--block",
                "D0112P0AE00E0000",
                "--kbpk",
                "{}",
            ],
        ),
        (
            "--pin",
            vec![
                "pin", "encode", "--format", "0", "--pan", PAN, "--pin", "{}",
            ],
        ),
        (
            "--pin",
            vec![
                "pin", "encrypt", "--format", "0", "--pan", PAN, "--key", TDES, "--pin", "{}",
            ],
        ),
        (
            "--key",
            vec![
                "pin", "encrypt", "--format", "0", "--pan", PAN, "--pin", "1234", "--key", "{}",
            ],
        ),
        (
            "--key",
            vec![
                "pin",
                "decrypt",
                "--format",
                "0",
                "--pan",
                PAN,
                "--block",
                "1B9C1845EB993A7A",
                "--key",
                "{}",
            ],
        ),
        (
            "--from-key",
            vec![
                "pin",
                "translate",
                "--from-format",
                "0",
                "--to-format",
                "0",
                "--to-key",
                TDES,
                "--pan",
                PAN,
                "--block",
                "1B9C1845EB993A7A",
                "--from-key",
                "{}",
            ],
        ),
        (
            "--to-key",
            vec![
                "pin",
                "translate",
                "--from-format",
                "0",
                "--to-format",
                "0",
                "--from-key",
                TDES,
                "--pan",
                PAN,
                "--block",
                "1B9C1845EB993A7A",
                "--to-key",
                "{}",
            ],
        ),
        (
            "--key",
            vec![
                "mac",
                "generate",
                "--algorithm",
                "cmac",
                "--cipher",
                "aes",
                "--data",
                "00",
                "--key",
                "{}",
            ],
        ),
        (
            "--key",
            vec![
                "mac",
                "verify",
                "--algorithm",
                "cmac",
                "--cipher",
                "aes",
                "--data",
                "00",
                "--mac",
                "00000000",
                "--key",
                "{}",
            ],
        ),
        (
            "--key",
            vec![
                "cipher",
                "encrypt",
                "--algorithm",
                "aes",
                "--mode",
                "ecb",
                "--data",
                "00000000000000000000000000000000",
                "--key",
                "{}",
            ],
        ),
        (
            "--key",
            vec![
                "tr34",
                "build",
                "--kdh-key",
                "k",
                "--kdh-cert",
                "c",
                "--krd-cert",
                "r",
                "--header",
                "A0256K0TB00E0000",
                "--one-pass",
                "--out",
                "o",
                "--key",
                "{}",
            ],
        ),
        (
            "--ephemeral-key",
            vec![
                "tr34",
                "build",
                "--kdh-key",
                "k",
                "--kdh-cert",
                "c",
                "--krd-cert",
                "r",
                "--key",
                TDES,
                "--header",
                "A0256K0TB00E0000",
                "--one-pass",
                "--out",
                "o",
                "--iv",
                "00",
                "--oaep-seed",
                "00",
                "--ephemeral-key",
                "{}",
            ],
        ),
        (
            "--oaep-seed",
            vec![
                "tr34",
                "build",
                "--kdh-key",
                "k",
                "--kdh-cert",
                "c",
                "--krd-cert",
                "r",
                "--key",
                TDES,
                "--header",
                "A0256K0TB00E0000",
                "--one-pass",
                "--out",
                "o",
                "--iv",
                "00",
                "--ephemeral-key",
                "00",
                "--oaep-seed",
                "{}",
            ],
        ),
    ]
}

/// The command line of `case` with its secret option replaced by `forms` (the option and its
/// value written some way).
fn with_forms(case: &[&'static str], option: &str, forms: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut it = case.iter().peekable();
    while let Some(a) = it.next() {
        if *a == option && it.peek() == Some(&&"{}") {
            it.next();
            out.extend(forms.iter().cloned());
        } else {
            out.push((*a).to_owned());
        }
    }
    out
}

#[test]
fn no_secret_in_any_message_for_every_secret_option() {
    for (option, case) in secret_cases() {
        let secret = if option == "--pin" {
            PIN_SECRET
        } else {
            SECRET
        };
        let forms: Vec<Vec<String>> = vec![
            // A stray '@' before the value: "cannot read file" must not print it.
            vec![option.to_owned(), format!("@{secret}")],
            vec![format!("{option}=@{secret}")],
            // Glued to the option: clap's "unknown option".
            vec![format!("{option}{secret}")],
            vec![format!("{option}@{secret}")],
            // Given twice: clap's "given more than once".
            vec![
                option.to_owned(),
                secret.to_owned(),
                option.to_owned(),
                secret.to_owned(),
            ],
            // A valid value and an unknown trailing option.
            vec![option.to_owned(), secret.to_owned(), "--bogus".to_owned()],
            vec![
                option.to_owned(),
                secret.to_owned(),
                format!("--bogus={secret}"),
            ],
        ];
        for form in forms {
            let args = with_forms(&case, option, &form);
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&refs);
            assert_ne!(r.code, 0, "{refs:?}");
            assert_eq!(r.stderr.lines().count(), 1, "{refs:?}: {r:?}");
            for part in [secret, &secret[..8], &secret[secret.len() - 8..]] {
                assert!(
                    !r.stderr.contains(part),
                    "{refs:?} leaked {part}: {}",
                    r.stderr
                );
            }
        }
    }
}

#[test]
fn a_stray_at_names_the_option_not_the_key() {
    let at = format!("@{SECRET}");
    let m = fails(2, &["kcv", "--algorithm", "tdes", "--key", &at], &[SECRET]);
    assert_eq!(m, "error: --key: cannot read the file: entity not found");
    let glued = format!("--kbpk{SECRET}");
    let m = fails(
        2,
        &["keyblock", "unwrap", "--block", "X", &glued],
        &[SECRET],
    );
    assert_eq!(m, "error: unknown option '--kbpk<redacted>'");
}

#[test]
fn every_input_has_a_size_limit() {
    // A key from an endless file stops at the cap (4 KiB) with bounded memory.
    let m = fails(
        2,
        &["kcv", "--algorithm", "tdes", "--key", "@/dev/zero"],
        &[],
    );
    assert_eq!(m, "error: --key: input is larger than 4096 bytes");
    let big = "0".repeat(5000);
    let m = fails_stdin(
        2,
        &["kcv", "--algorithm", "tdes", "--key", "-"],
        Some(&big),
        &[],
    );
    assert_eq!(m, "error: --key (stdin): input is larger than 4096 bytes");
    // Certificates, tokens, key files: 64 KiB.
    let m = fails(
        2,
        &[
            "tr34",
            "open",
            "--token",
            "/dev/zero",
            "--krd-key",
            "k",
            "--kdh-cert",
            "c",
        ],
        &[],
    );
    assert_eq!(m, "error: --token: input is larger than 65536 bytes");
}

#[test]
fn stderr_is_one_inert_line() {
    let r = run(&[
        "tr34",
        "random-token",
        "--out",
        "/nonexistent-dir/a\nb\r\x1b[31mc\u{202e}",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(
        !r.stderr.contains('\x1b') && !r.stderr.contains('\r') && !r.stderr.contains('\u{202e}')
    );
    assert!(
        r.stderr.contains("a\\nb\\r\\x1b[31mc\\u{202e}"),
        "{}",
        r.stderr
    );
}

#[test]
fn translate_fill_is_no_pin_length_oracle() {
    let encrypt = |pin: &str| {
        ok1(&[
            "pin", "encrypt", "--format", "0", "--key", TDES, "--pin", pin, "--pan", PAN,
        ])
    };
    let blocks = [
        encrypt("1234"),
        encrypt("12345678"),
        encrypt("123456789012"),
    ];
    for len in 1..=16 {
        let fill = &"ABCDEFABCDEFABCD"[..len];
        let codes: Vec<i32> = blocks
            .iter()
            .map(|b| {
                run(&[
                    "pin",
                    "translate",
                    "--from-format",
                    "0",
                    "--from-key",
                    TDES,
                    "--to-format",
                    "3",
                    "--to-key",
                    TDES,
                    "--block",
                    b,
                    "--pan",
                    PAN,
                    "--fill",
                    fill,
                ])
                .code
            })
            .collect();
        assert!(
            codes.iter().all(|c| *c == codes[0]),
            "fill of {len}: {codes:?}"
        );
        assert_eq!(codes[0], if len >= 10 { 0 } else { 2 }, "fill of {len}");
    }
}

#[test]
fn short_pans_in_formats_0_and_3() {
    // ISO 9564-1:2017 §9.3.2.3: 11 digits, 10 without the check digit, right-justified.
    let block = ok1(&[
        "pin",
        "encode",
        "--format",
        "0",
        "--pin",
        "1234",
        "--pan",
        "12345678901",
    ]);
    // PIN field 041234FFFFFFFFFF xor PAN field 0000001234567890.
    assert_eq!(block, "041234EDCBA9876F");
    let out = ok1(&[
        "pin",
        "decode",
        "--format",
        "0",
        "--block",
        &block,
        "--pan",
        "12345678901",
    ]);
    assert_eq!(out, "1234");
    let r = run_with_stdin(
        &[
            "pin",
            "encode",
            "--format",
            "3",
            "--pin",
            "1234",
            "--pan",
            "1234",
            "--fill",
            "ABCDEFABCD",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
}
