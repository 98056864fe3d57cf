//! `keyblock translate` and the explained `keyblock inspect`, over the TR-31:2018 A.7,
//! X9.143:2021 §8 and ISO 20038 Annex B examples (`data/keyblock.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

const TDES_TO: &str = "0123456789ABCDEFFEDCBA9876543210";
const AES_TO: &str = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";

/// The blocks except `PB` and `KP` (which translation re-computes).
fn kept_blocks(j: &serde_json::Map<String, Value>) -> Vec<Value> {
    j["optional_blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["id"] != "PB" && b["id"] != "KP")
        .cloned()
        .collect()
}

fn same_attributes(a: &serde_json::Map<String, Value>, b: &serde_json::Map<String, Value>) {
    for f in [
        "key_usage",
        "algorithm",
        "mode_of_use",
        "key_version",
        "exportability",
        "key_context",
    ] {
        assert_eq!(a["header"][f], b["header"][f], "{f}");
    }
    assert_eq!(kept_blocks(a), kept_blocks(b));
}

#[test]
fn translate_published_blocks() {
    let mut n = 0;
    for v in vectors(include_str!("data/keyblock.json")) {
        if v["kind"] != "unwrap" || v["expect"] == "error" {
            continue;
        }
        let (Some(kbpk), Some(key), Some(block)) = (
            v["kbpk"].as_str(),
            v["key"].as_str(),
            v["key_block"].as_str(),
        ) else {
            continue;
        };
        let id = v["id"].as_str().unwrap();
        let source = ok_json(&["keyblock", "unwrap", "--kbpk", kbpk, "--block", block]);
        let version = v["version"].as_str().unwrap();
        let targets: Vec<(&str, Option<&str>)> = if matches!(version, "D" | "E") {
            vec![(AES_TO, None)]
        } else {
            vec![(TDES_TO, None), (AES_TO, Some("D"))]
        };
        for (to, to_version) in targets {
            let mut args = vec![
                "keyblock",
                "translate",
                "--from-kbpk",
                kbpk,
                "--to-kbpk",
                to,
                "--block",
                block,
            ];
            if let Some(tv) = to_version {
                args.extend(["--to-version", tv]);
            }
            let r = run(&args);
            assert_eq!(r.code, 0, "{id}: {r:?}");
            assert!(!r.stdout.contains(key), "{id}: the key is never printed");
            let j = ok_json(&args);
            let new = s(&j, "key_block");
            assert_eq!(s(&j, "version"), to_version.unwrap_or(version));
            let back = ok_json(&["keyblock", "unwrap", "--kbpk", to, "--block", new]);
            assert_eq!(s(&back, "key"), key, "{id}");
            assert_eq!(back["header"]["version"], to_version.unwrap_or(version));
            same_attributes(&source, &back);
            // The old KBPK no longer opens it.
            if to_version.is_none() {
                fails(
                    1,
                    &["keyblock", "unwrap", "--kbpk", kbpk, "--block", new],
                    &[kbpk, key],
                );
            }
            n += 1;
        }
        // A wrong source KBPK: exit 1 with the one authentication message.
        let wrong = if kbpk.len() == 32 { TDES_TO } else { AES_TO };
        let msg = fails(
            1,
            &[
                "keyblock",
                "translate",
                "--from-kbpk",
                wrong,
                "--to-kbpk",
                wrong,
                "--block",
                block,
            ],
            &[wrong, key],
        );
        assert!(msg.contains("authentication"), "{id}: {msg}");
    }
    assert!(n >= 10, "{n}");
}

#[test]
fn translate_recomputes_kp_and_refuses_misfits() {
    let from = "89E88CF7931444F334BD7547FC3F380C";
    let kp_of = |k: &str, alg: &str| {
        ok1(&[
            "kcv",
            "--key",
            k,
            "--algorithm",
            alg,
            "--method",
            "cmac",
            "--length",
            "5",
        ])
    };
    let header = format!("B0000P0TE00E0100KP1001{}", kp_of(from, "tdes"));
    let block = ok1(&[
        "keyblock",
        "wrap",
        "--kbpk",
        from,
        "--header",
        &header,
        "--key",
        "F039121BEC83D26B169BDCD5B22AAF8F",
    ]);
    let new = ok1(&[
        "keyblock",
        "translate",
        "--from-kbpk",
        from,
        "--to-kbpk",
        AES_TO,
        "--block",
        &block,
        "--to-version",
        "D",
    ]);
    let j = ok_json(&["keyblock", "inspect", "--block", &new]);
    let kp = j["optional_blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "KP")
        .unwrap();
    assert_eq!(kp["data"], format!("01{}", kp_of(AES_TO, "aes")));
    assert_eq!(s(&j["header"].as_object().unwrap().clone(), "version"), "D");
    // A KBPK that fits no version-D key, a bad version, a malformed block: exit 2.
    fails(
        2,
        &[
            "keyblock",
            "translate",
            "--from-kbpk",
            from,
            "--to-kbpk",
            "0123456789ABCDEF",
            "--block",
            &block,
            "--to-version",
            "D",
        ],
        &[from, "0123456789ABCDEF"],
    );
    fails(
        2,
        &[
            "keyblock",
            "translate",
            "--from-kbpk",
            from,
            "--to-kbpk",
            TDES_TO,
            "--block",
            &block,
            "--to-version",
            "F",
        ],
        &[from, TDES_TO],
    );
    fails(
        2,
        &[
            "keyblock",
            "translate",
            "--from-kbpk",
            from,
            "--to-kbpk",
            TDES_TO,
            "--block",
            "B00",
        ],
        &[from, TDES_TO],
    );
    // Secrets from a file and stdin.
    let file = TempFile::new("to", &format!("{TDES_TO}\n"));
    let at = file.at();
    for to in [at.as_str(), "-"] {
        let r = run_with_stdin(
            &[
                "keyblock",
                "translate",
                "--from-kbpk",
                from,
                "--to-kbpk",
                to,
                "--block",
                &block,
            ],
            Some(&format!("{TDES_TO}\n")),
        );
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(
            ok1(&[
                "keyblock",
                "unwrap",
                "--kbpk",
                TDES_TO,
                "--block",
                r.stdout.trim_end()
            ]),
            "F039121BEC83D26B169BDCD5B22AAF8F"
        );
    }
}

#[test]
fn inspect_explains_codes_and_blocks() {
    let c = "C0096B0TX12S0100KS1800604B120F9292800000";
    let lines = ok(&["keyblock", "inspect", "--block", c]);
    for want in [
        "version: C TDES key variant binding",
        "key_usage: B0 base derivation key (BDK)",
        "algorithm: T TDES",
        "mode_of_use: X key derivation",
        "key_version: 12 key version",
        "key_context: 0 determined by the wrapping key",
    ] {
        assert!(lines.contains(&want.to_owned()), "{want} in {lines:?}");
    }
    let ks = lines.iter().find(|l| l.starts_with("block KS: ")).unwrap();
    assert!(ks.contains("key set ID 00604B120F"), "{ks}");
    let j = ok_json(&["keyblock", "inspect", "--block", c]);
    let m = &j["meaning"];
    assert_eq!(m["key_usage"], "base derivation key (BDK)");
    assert_eq!(m["algorithm"], "TDES");
    assert_eq!(m["version"], "TDES key variant binding");
    assert_eq!(
        j["header"]["key_usage"], "B0",
        "the codes stay as they were"
    );
    assert_eq!(j["optional_blocks"][0]["id"], "KS");
    assert!(
        j["optional_blocks"][0]["meaning"]
            .as_str()
            .unwrap()
            .contains("key serial number")
    );
    // IK, KC, KP, TS, HM blocks decode (headers alone, no key needed).
    let header = concat!(
        "D0192M7HC00N0500",
        "HM0621",
        "IK141234567890123456",
        "KC1001ABCDEF0123",
        "KP0C00ABCDEF",
        "TS182020-01-02T03:04:05Z",
    );
    let h = ok_json(&[
        "keyblock",
        "inspect",
        "--block",
        header,
        "--profile",
        "lenient",
    ]);
    let blocks = h["optional_blocks"].as_array().unwrap();
    let decoded = |id: &str| {
        blocks
            .iter()
            .find(|b| b["id"] == id)
            .and_then(|b| b["decoded"].as_str())
            .unwrap_or_else(|| panic!("{id} decoded in {blocks:?}"))
            .to_owned()
    };
    assert_eq!(decoded("HM"), "HMAC hash function SHA-256");
    assert_eq!(decoded("IK"), "BDK ID 12345678, derivation ID 90123456");
    assert_eq!(
        decoded("KC"),
        "check value of the wrapped key: ABCDEF0123, CMAC"
    );
    assert_eq!(
        decoded("KP"),
        "check value of the KBPK: ABCDEF, legacy (encrypted zero block)"
    );
    assert_eq!(decoded("TS"), "2020-01-02 03:04:05 UTC");
    assert_eq!(h["meaning"]["mode_of_use"], "MAC generate and verify");
}
