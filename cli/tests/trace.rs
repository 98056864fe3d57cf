//! `--trace` on `dukpt derive`, `keyblock wrap|unwrap`, `pin translate`, `mac generate`: the
//! result on stdout is unchanged, stderr starts with one warning line and then holds labelled
//! intermediate values, checked against published ones (X9.24-1:2009 A.4, the X9.24-3-2017
//! supplement, TR-31:2018 A.7.2, SP 800-38B D.1, ISO/IEC 9797-1 Annex B).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;

/// Runs with `--trace`: the stdout of the run without it, the warning line first, and the
/// traced values as (label, value) pairs.
fn traced(args: &[&str]) -> Vec<(String, String)> {
    let plain = ok(args);
    let r = run(&with_extra(args, &["--trace"]));
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    // Outputs with random padding differ run to run: compare the line count and first line's
    // length then.
    assert_eq!(lines.len(), plain.len(), "{r:?}");
    let mut err = r.stderr.lines();
    let first = err.next().unwrap();
    assert!(first.starts_with("warning: --trace"), "{first}");
    assert!(first.contains("secret"));
    err.map(|l| {
        let rest = l.strip_prefix("trace: ").unwrap_or_else(|| panic!("{l}"));
        let (label, value) = rest.rsplit_once(": ").unwrap();
        (label.to_owned(), value.to_owned())
    })
    .collect()
}

fn value<'a>(t: &'a [(String, String)], label: &str) -> Vec<&'a str> {
    t.iter()
        .filter(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn dukpt_derive_trace() {
    let args = [
        "dukpt",
        "derive",
        "--bdk",
        "0123456789ABCDEFFEDCBA9876543210",
        "--ksn",
        "FFFF9876543210E00003",
        "--usage",
        "pin",
    ];
    let r = run(&with_extra(&args, &["--trace"]));
    assert_eq!(r.stdout.trim_end(), ok1(&args));
    let t = traced(&args);
    assert_eq!(value(&t, "IPEK"), ["6AC292FAA1315B4D858AB3A3D7D5933A"]);
    // Counter 3 = counters 2 then 3 of the A.4.2 table.
    assert_eq!(
        value(&t, "key after NRKGP"),
        [
            "C46551CEF9FD24B0AA9AD834130D3BC7",
            "0DF3D9422ACA56E547676D07AD6BADFA"
        ]
    );
    assert_eq!(
        value(&t, "variant mask"),
        ["00000000000000FF00000000000000FF"]
    );
    // AES: the supplement's initial key, the intermediate keys, the working key.
    let aes = [
        "dukpt",
        "derive",
        "--bdk",
        "FEDCBA9876543210F1F1F1F1F1F1F1F1",
        "--ksn",
        "123456789012345600000001",
        "--usage",
        "pin",
        "--json",
    ];
    let t = traced(&aes);
    assert_eq!(
        value(&t, "initial key"),
        ["1273671EA26AC29AFA4D1084127652A1"]
    );
    assert_eq!(
        value(&t, "intermediate derivation key"),
        ["4F21B565BAD9835E112B6465635EAE44"]
    );
    assert_eq!(
        value(&t, "working key derivation data"),
        ["01011000000200809012345600000001"]
    );
    let key = s(&ok_json(&aes[..8]), "key").to_owned();
    assert_eq!(value(&t, "working key"), [key.as_str()]);
    // Without --trace nothing goes to stderr; a failure still prints one error line only.
    fails(
        1,
        &[
            "dukpt",
            "derive",
            "--bdk",
            "FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "--ksn",
            "1234567890123456FFFFFFFF",
            "--usage",
            "pin",
            "--trace",
        ],
        &["FEDCBA9876543210F1F1F1F1F1F1F1F1"],
    );
}

#[test]
fn keyblock_trace_shows_the_binding_keys() {
    // TR-31:2018 A.7.2.1 (version A, variant binding).
    let kbpk = "89E88CF7931444F334BD7547FC3F380C";
    let block = "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701";
    let t = traced(&["keyblock", "unwrap", "--kbpk", kbpk, "--block", block]);
    assert_eq!(
        value(&t, "KBEK (encryption key)"),
        ["CCADC9B2D65101B671F83002B97A7D49"]
    );
    assert_eq!(
        value(&t, "KBAK (authentication key)"),
        ["C4A5C1BADE5909BE79F0380AB1727541"]
    );
    let w = traced(&[
        "keyblock",
        "wrap",
        "--kbpk",
        kbpk,
        "--header",
        "A0000P0TE00E0000",
        "--key",
        "F039121BEC83D26B169BDCD5B22AAF8F",
    ]);
    assert_eq!(
        value(&w, "KBEK (encryption key)"),
        ["CCADC9B2D65101B671F83002B97A7D49"]
    );
    // A failing unwrap prints its one error line, no trace.
    fails(
        1,
        &[
            "keyblock",
            "unwrap",
            "--kbpk",
            "0123456789ABCDEFFEDCBA9876543210",
            "--block",
            block,
            "--trace",
        ],
        &["0123456789ABCDEFFEDCBA9876543210"],
    );
}

#[test]
fn pin_translate_trace() {
    // X9.24-1 A.4 counter 1 PIN key (format 0) to the supplement's format-4 PIN key.
    let args = [
        "pin",
        "translate",
        "--from-format",
        "0",
        "--from-key",
        "042666B49184CF5C68DE9628D0397B36",
        "--to-format",
        "4",
        "--to-key",
        "AF8CB133A78F8DC2D1359F18527593FB",
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        "4111111111111111",
        "--fill",
        "2F69ADDE2E9E7ACE",
    ];
    // The clear block of A.4 was built for PAN 4012345678909: use it.
    let mut a = args.to_vec();
    a[13] = "4012345678909";
    let t = traced(&a);
    assert_eq!(
        value(&t, "source clear PIN block = D_K(block)"),
        ["041274EDCBA9876F"]
    );
    assert_eq!(
        value(&t, "source PIN field = clear block xor PAN field"),
        ["041234FFFFFFFFFF"]
    );
    assert_eq!(
        value(&t, "target plain PIN field = D_K(A)"),
        ["441234AAAAAAAAAA2F69ADDE2E9E7ACE"]
    );
    assert_eq!(
        value(&t, "target PAN field"),
        ["14012345678909000000000000000000"]
    );
}

#[test]
fn mac_generate_trace() {
    // ISO/IEC 9797-1 Annex B / X9.19: the DES CBC chain of "Now is the time for all ".
    let t = traced(&[
        "mac",
        "generate",
        "--algorithm",
        "iso9797-1-3",
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
        "--data-text",
        "Now is the time for all ",
    ]);
    assert_eq!(value(&t, "D (input block)").len(), 3);
    assert_eq!(
        value(&t, "H = E_K(D xor previous H)")[0],
        "3FA40E8A984D4815"
    );
    assert_eq!(
        value(&t, "G = DES with K (MAC before truncation)"),
        ["A1C72E74EA3FA9B6"]
    );
    // SP 800-38B D.1 subkeys.
    let c = traced(&[
        "mac",
        "generate",
        "--algorithm",
        "cmac",
        "--cipher",
        "aes",
        "--key",
        "2B7E151628AED2A6ABF7158809CF4F3C",
        "--data",
        "",
    ]);
    assert_eq!(
        value(&c, "K1 (CMAC subkey)"),
        ["FBEED618357133667C85E08F7236A8DE"]
    );
    assert_eq!(
        value(&c, "K2 (CMAC subkey)"),
        ["F7DDAC306AE266CCF90BC11EE46D513B"]
    );
    // Padding method 2 shows the padded last block.
    let p = traced(&[
        "mac",
        "generate",
        "--algorithm",
        "iso9797-1-1",
        "--cipher",
        "des",
        "--padding",
        "2",
        "--key",
        "0123456789ABCDEF",
        "--data",
        "0102",
    ]);
    assert_eq!(value(&p, "last block (padded)"), ["0102800000000000"]);
}
