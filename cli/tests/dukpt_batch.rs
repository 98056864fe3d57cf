//! `dukpt derive-batch` streaming contract: blocks of 65,536 lines, each checked before its
//! keys are written; `--threads` keeps the input order; `--json` streamed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{fails_stdin, ok_stdin};
use std::io::Write;
use std::process::{Command, Stdio};

const TDES_BDK: &str = "0123456789ABCDEFFEDCBA9876543210";
const BLOCK: usize = 65_536;

/// Runs paycrypt, feeding stdin from a thread (the output streams while input is read).
fn run(args: &[&str], stdin: String) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paycrypt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(stdin.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `n` TDES KSNs of one device, counters 1..=n (mixed chain lengths).
fn tdes_ksns(n: usize) -> Vec<String> {
    (1..=n as u32)
        .map(|c| format!("FFFF9876543210{:06X}", 0xE0_0000 | (c & 0x1F_FFFF)))
        .collect()
}

#[test]
fn threads_keep_the_order_and_agree() {
    let ksns = tdes_ksns(5000);
    let input = ksns.join("\n") + "\n";
    let base = ["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "pin"];
    let one = ok_stdin(&[&base[..], &["--threads", "1"]].concat(), Some(&input));
    assert_eq!(one.len(), 5000);
    for t in ["2", "3", "7"] {
        let many = ok_stdin(&[&base[..], &["--threads", t]].concat(), Some(&input));
        assert_eq!(many, one, "--threads {t}");
    }
    // Spot checks against the single-KSN command.
    for i in [0usize, 1, 2047, 2048, 4999] {
        let single = ok_stdin(
            &[
                "dukpt", "derive", "--bdk", TDES_BDK, "--usage", "pin", "--ksn", &ksns[i],
            ],
            None,
        );
        assert_eq!(single[0], one[i], "line {}", i + 1);
    }
    // AES-192 BDK (batch lanes) against single derivations.
    let bdk192 = "FEDCBA9876543210F1F1F1F1F1F1F1F10123456789ABCDEF";
    let aes: Vec<String> = (1..=3000u32)
        .map(|c| format!("1234567890123456{:08X}", c * 7919))
        .collect();
    let input = aes.join("\n") + "\n";
    let args = [
        "dukpt",
        "derive-batch",
        "--bdk",
        bdk192,
        "--usage",
        "pin",
        "--key-type",
        "aes128",
    ];
    let a = ok_stdin(&args, Some(&input));
    let b = ok_stdin(&[&args[..], &["--threads", "1"]].concat(), Some(&input));
    assert_eq!(a, b);
    for i in [0usize, 1500, 2999] {
        let single = ok_stdin(
            &[
                "dukpt",
                "derive",
                "--bdk",
                bdk192,
                "--usage",
                "pin",
                "--key-type",
                "aes128",
                "--ksn",
                &aes[i],
            ],
            None,
        );
        assert_eq!(single[0], a[i]);
    }
    // --threads 0 is a usage error.
    let (code, out, err) = run(&[&base[..], &["--threads", "0"]].concat(), input);
    assert_eq!(code, 2);
    assert!(
        out.is_empty() && err.starts_with("error: ") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn json_is_streamed_and_complete() {
    let ksns = tdes_ksns(3000);
    let input = ksns.join("\n") + "\n";
    let (code, out, err) = run(
        &[
            "dukpt",
            "derive-batch",
            "--bdk",
            TDES_BDK,
            "--usage",
            "pin",
            "--json",
        ],
        input.clone(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let plain = ok_stdin(
        &["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "pin"],
        Some(&input),
    );
    let keys: Vec<&str> = j["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, plain);
    assert_eq!(j["scheme"], "tdes");
    let (code, out, _) = run(
        &["dukpt", "derive-batch", "--bdk", TDES_BDK, "--json"],
        String::new(),
    );
    assert_eq!(code, 0);
    assert_eq!(out, "{\"keys\":[],\"scheme\":null}\n");
}

#[test]
fn a_bad_line_stops_at_its_block() {
    let args = ["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "pin"];
    let mut ksns = tdes_ksns(BLOCK);
    // A bad line anywhere in the first block: nothing is written.
    ksns[BLOCK - 1] = "FFFF9876543210E0000Z".to_owned();
    let (code, out, err) = run(&args, ksns.join("\n") + "\n");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.starts_with(&format!("error: line {BLOCK}: ")), "{err}");
    // A bad line in the second block: exactly the first block's keys are written.
    ksns[BLOCK - 1] = "FFFF9876543210E00001".to_owned();
    ksns.push("FFFF9876543210E00002".to_owned());
    ksns.push(String::new());
    ksns.push("FFFF9876543210E00003".to_owned());
    let (code, out, err) = run(&args, ksns.join("\n") + "\n");
    assert_eq!(code, 2);
    assert_eq!(out.lines().count(), BLOCK);
    assert_eq!(
        err,
        format!("error: line {}: blank line (one KSN per line)\n", BLOCK + 2)
    );
    // A line longer than any KSN is refused without reading on.
    let long = format!("{}\n{}\n", "FFFF9876543210E00001", "F".repeat(10_000));
    let msg = fails_stdin(2, &args, Some(&long), &[TDES_BDK]);
    assert!(msg.starts_with("error: line 2: "), "{msg}");
}
