//! `paycrypt dukpt ...` against the published X9.24-1:2009 A.4 and X9.24-3-2017 supplement
//! vectors (`data/dukpt.json`, copied from the project's shared vectors with their sources).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

fn of_kind(scheme: &str, kind: &str) -> Vec<Value> {
    vectors(include_str!("data/dukpt.json"))
        .into_iter()
        .filter(|v| v["scheme"] == scheme && v["kind"] == kind)
        .collect()
}

/// `paycrypt dukpt COMMAND --bdk BDK --ksn KSN EXTRA...`.
fn with_bdk<'a>(command: &'a str, bdk: &'a str, ksn: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(&["dukpt", command, "--bdk", bdk, "--ksn", ksn], extra)
}

/// `paycrypt dukpt derive --ik IK --ksn KSN EXTRA...` (the terminal's view).
fn derive_from_ik<'a>(ik: &'a str, ksn: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with_extra(&["dukpt", "derive", "--ik", ik, "--ksn", ksn], extra)
}

const TDES_BDK: &str = "0123456789ABCDEFFEDCBA9876543210";
const TDES_IPEK: &str = "6AC292FAA1315B4D858AB3A3D7D5933A";
const AES_BDK: &str = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
/// An AES KSN with counter 1 (initial key ID 1234567890123456).
const AES_KSN: &str = "123456789012345600000001";
const TDES_KSN: &str = "FFFF9876543210E00001";

#[test]
fn tdes_ipek() {
    let v = &of_kind("tdes", "ipek")[0];
    let bdk = str_field(&v["inputs"], "bdk");
    let ksn = str_field(&v["inputs"], "ksn");
    let ipek = str_field(&v["expected"], "ipek");
    let initial_key = |ksn: &str| ok(&with_bdk("initial-key", bdk, ksn, &[]));
    assert_eq!(initial_key(ksn), [ipek]);
    // The 8-byte KSN form is left-padded with FF.
    assert_eq!(initial_key(&ksn[4..]), [ipek]);
    let j = ok_json(&with_bdk(
        "initial-key",
        bdk,
        &ksn.to_ascii_lowercase(),
        &[],
    ));
    assert_eq!(s(&j, "key"), ipek);
    assert_eq!(s(&j, "scheme"), "tdes");
    assert_eq!(s(&j, "ksn"), ksn);
    // Tamper: another KSN gives another IPEK.
    assert_ne!(initial_key("FFFF9876543211E00000")[0], ipek);
    secret_forms_agree(&with_bdk("initial-key", "SECRET", ksn, &[]), bdk);
}

#[test]
fn tdes_transaction_and_working_keys() {
    let vs = of_kind("tdes", "transaction");
    assert_eq!(vs.len(), 34);
    for v in &vs {
        let ksn = str_field(&v["inputs"], "ksn");
        let bdk = str_field(&v["inputs"], "bdk");
        let txn = str_field(&v["expected"], "txn_key");
        let d = &v["derived"];
        assert_eq!(ok1(&with_bdk("derive", bdk, ksn, &[])), txn, "{ksn}");
        assert_eq!(
            ok1(&derive_from_ik(TDES_IPEK, ksn, &[])),
            txn,
            "{ksn} from IPEK"
        );
        let cases: [(&[&str], &str); 8] = [
            (&["--usage", "pin"], "pin_key"),
            (&["--usage", "mac-request"], "mac_request_key"),
            (&["--usage", "mac-response"], "mac_response_key"),
            (&["--usage", "data-request"], "data_request_key_owf"),
            (
                &["--usage", "data-request", "--data-style", "owf"],
                "data_request_key_owf",
            ),
            (&["--usage", "data-response"], "data_response_key_owf"),
            (
                &["--usage", "data-request", "--data-style", "variant"],
                "data_request_variant_no_owf",
            ),
            (
                &["--usage", "data-response", "--data-style", "variant"],
                "data_response_variant_no_owf",
            ),
        ];
        for (extra, field) in cases {
            let Some(expected) = d[field].as_str() else {
                continue;
            };
            assert_eq!(
                ok1(&with_bdk("derive", bdk, ksn, extra)),
                expected,
                "{ksn} {extra:?}"
            );
            assert_eq!(
                ok1(&derive_from_ik(TDES_IPEK, ksn, extra)),
                expected,
                "{ksn} {extra:?} from IPEK"
            );
        }
        // The published ciphertext: request data under the OWF data key, TDES-CBC, IV 0.
        if let (Some(key), Some(ct)) = (
            d["data_request_key_owf"].as_str(),
            v["expected"]["encrypted_request_data_cbc"].as_str(),
        ) {
            let pt = str_field(&v["inputs"], "data_plaintext_hex");
            let out = crypt("encrypt", "tdes", "cbc", key, Some("0000000000000000"), pt);
            assert_eq!(out, ct, "{ksn} encrypted request data");
        }
    }
}

#[test]
fn tdes_tamper_and_json() {
    let j = ok_json(&with_bdk("derive", TDES_BDK, TDES_KSN, &["--usage", "pin"]));
    assert_eq!(s(&j, "key"), "042666B49184CF5C68DE9628D0397B36");
    assert_eq!(s(&j, "scheme"), "tdes");
    assert_eq!(s(&j, "ksn"), TDES_KSN);
    assert_eq!(s(&j, "counter"), "000001");
    assert_eq!(s(&j, "usage"), "pin");
    assert!(j["key_type"].is_null());
    // Flip one KSN bit: another key.
    assert_ne!(
        ok1(&with_bdk(
            "derive",
            TDES_BDK,
            "FFFF9876543210E00003",
            &["--usage", "pin"]
        )),
        "042666B49184CF5C68DE9628D0397B36"
    );
    // Counters with too many one-bits are derived by the host.
    ok1(&with_bdk("derive", TDES_BDK, "FFFF9876543210FFFFFF", &[]));
}

#[test]
fn aes_initial_and_update_keys() {
    for v in of_kind("aes", "initial_key") {
        let bdk = str_field(&v["inputs"], "bdk");
        let ikid = str_field(&v["inputs"], "initial_key_id");
        let ksn = format!("{ikid}00000000");
        let ik = str_field(&v["expected"], "initial_key");
        assert_eq!(ok(&with_bdk("initial-key", bdk, &ksn, &[])), [ik]);
        let j = ok_json(&with_bdk("initial-key", bdk, &ksn, &[]));
        assert_eq!(s(&j, "key"), ik);
        assert_eq!(s(&j, "scheme"), "aes");
        assert_eq!(s(&j, "initial_key_id"), ikid);
        // Counter 0 from the initial key is the initial key itself.
        assert_eq!(ok1(&derive_from_ik(ik, &ksn, &[])), ik);
    }
    for v in of_kind("aes", "update_key") {
        let bdk = str_field(&v["inputs"], "bdk");
        let ksn = format!("{}00000001", str_field(&v["inputs"], "initial_key_id"));
        for (name, value) in v["expected"].as_object().unwrap() {
            let Some(t) = name.strip_prefix("update_key/") else {
                continue;
            };
            let t = t.to_ascii_lowercase();
            let update_key = value.as_str().unwrap();
            assert_eq!(
                ok1(&with_bdk("update-key", bdk, &ksn, &["--key-type", &t])),
                update_key,
                "{name}"
            );
            let bdk_type = if bdk.len() == 32 { "aes128" } else { "aes256" };
            if t == bdk_type {
                assert_eq!(
                    ok1(&with_bdk("update-key", bdk, &ksn, &[])),
                    update_key,
                    "default type"
                );
            }
        }
    }
    let j = ok_json(&with_bdk("update-key", AES_BDK, AES_KSN, &[]));
    assert_eq!(s(&j, "key"), "9A9770AEE1ACD1B13473D0463A1883B9");
    assert_eq!(s(&j, "key_type"), "aes128");
    assert_eq!(s(&j, "initial_key_id"), "1234567890123456");
    // Update keys are AES only.
    fails(
        2,
        &with_bdk("update-key", AES_BDK, TDES_KSN, &[]),
        &[AES_BDK],
    );
    // An HMAC update key is refused (exit 2), as is one stronger than the BDK.
    fails(
        2,
        &with_bdk("update-key", AES_BDK, AES_KSN, &["--key-type", "aes256"]),
        &[AES_BDK],
    );
}

/// `Usage/Type` names of the vector file to CLI options.
fn usage_option(name: &str) -> &'static str {
    match name {
        "KeyEncryptionKey" => "kek",
        "PINEncryption" => "pin",
        "MessageAuthenticationGeneration" => "mac-generate",
        "MessageAuthenticationVerification" => "mac-verify",
        "MessageAuthenticationBothWays" => "mac-both",
        "DataEncryptionEncrypt" => "data-encrypt",
        "DataEncryptionDecrypt" => "data-decrypt",
        "DataEncryptionBothWays" => "data-both",
        "KeyDerivation" => "key-derivation",
        other => panic!("unknown usage {other}"),
    }
}

#[test]
fn aes_transactions() {
    let vs = of_kind("aes", "transaction");
    let mut checked = 0;
    for v in &vs {
        let bdk = str_field(&v["inputs"], "bdk");
        let ksn = str_field(&v["inputs"], "ksn");
        if let Some(dk) = v["expected"]["derivation_key"].as_str() {
            assert_eq!(ok1(&with_bdk("derive", bdk, ksn, &[])), dk, "{ksn}");
            checked += 1;
        }
        if let Some(wk) = v["expected"]["working_keys"].as_object() {
            for (name, value) in wk {
                let (usage, t) = name.split_once('/').unwrap();
                let t = t.to_ascii_lowercase();
                let extra = ["--usage", usage_option(usage), "--key-type", &t];
                assert_eq!(
                    ok1(&with_bdk("derive", bdk, ksn, &extra)),
                    value.as_str().unwrap(),
                    "{ksn} {name}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "{checked}");
    // From the initial key (terminal view).
    let ik = "1273671EA26AC29AFA4D1084127652A1";
    assert_eq!(
        ok1(&derive_from_ik(ik, AES_KSN, &["--usage", "pin"])),
        "AF8CB133A78F8DC2D1359F18527593FB"
    );
    assert_eq!(
        ok1(&derive_from_ik(ik, AES_KSN, &[])),
        "4F21B565BAD9835E112B6465635EAE44"
    );
    // Default key type = the BDK's AES type; JSON fields.
    let j = ok_json(&with_bdk("derive", AES_BDK, AES_KSN, &["--usage", "pin"]));
    assert_eq!(s(&j, "key"), "AF8CB133A78F8DC2D1359F18527593FB");
    assert_eq!(s(&j, "scheme"), "aes");
    assert_eq!(s(&j, "counter"), "00000001");
    assert_eq!(s(&j, "usage"), "pin");
    assert_eq!(s(&j, "key_type"), "aes128");
    // The host derives a counter with 17 one-bits (supplement lists 0x1FFFF).
    ok1(&with_bdk(
        "derive",
        AES_BDK,
        "12345678901234560001FFFF",
        &["--usage", "pin"],
    ));
    secret_forms_agree(
        &with_bdk("derive", "SECRET", AES_KSN, &["--usage", "pin"]),
        AES_BDK,
    );
    secret_forms_agree(&derive_from_ik("SECRET", AES_KSN, &["--usage", "pin"]), ik);
}

#[test]
fn aes_policy_failures() {
    let reserved = "1234567890123456FFFFFFFF";
    // (expected exit, KSN, options after it) under the AES BDK, which must not leak.
    let aes_cases: [(i32, &str, &[&str]); 6] = [
        // Counter FFFFFFFF is the update key's: exit 1.
        (1, reserved, &[]),
        (1, reserved, &["--usage", "pin"]),
        // Stronger than the BDK, HMAC with a non-MAC usage: exit 2.
        (2, AES_KSN, &["--usage", "pin", "--key-type", "aes256"]),
        (2, AES_KSN, &["--usage", "pin", "--key-type", "hmac128"]),
        // TDES-only options and usages with an AES KSN: exit 2.
        (2, AES_KSN, &["--usage", "mac-request"]),
        (
            2,
            AES_KSN,
            &["--usage", "data-encrypt", "--data-style", "owf"],
        ),
    ];
    for (code, ksn, extra) in aes_cases {
        fails(code, &with_bdk("derive", AES_BDK, ksn, extra), &[AES_BDK]);
    }
    // And the reverse (AES-only usages and options with a TDES KSN), an unknown usage: exit 2.
    let tdes_cases: [&[&str]; 4] = [
        &["--usage", "kek"],
        &["--usage", "pin", "--key-type", "aes128"],
        &["--usage", "pin", "--data-style", "variant"],
        &["--usage", "bogus"],
    ];
    for extra in tdes_cases {
        fails(
            2,
            &with_bdk("derive", TDES_BDK, TDES_KSN, extra),
            &[TDES_BDK],
        );
    }
    // HMAC with a MAC usage is fine.
    ok1(&with_bdk(
        "derive",
        AES_BDK,
        AES_KSN,
        &["--usage", "mac-generate", "--key-type", "hmac128"],
    ));
}

#[test]
fn malformed_input_exit_2() {
    let k = TDES_BDK;
    // BDK lengths: TDES 16 only; AES 16/24/32. (command, BDK, KSN, what must not leak)
    for (command, bdk, ksn, secret) in [
        (
            "derive",
            "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF",
            TDES_KSN,
            "0123456789ABCDEFFEDCBA9876543210",
        ),
        (
            "derive",
            "0123456789ABCDEFFEDCBA98765432",
            TDES_KSN,
            "0123456789ABCDEFFEDCBA98765432",
        ),
        (
            "derive",
            "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA98",
            AES_KSN,
            "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA98",
        ),
        (
            "initial-key",
            "0123456789ABCDEFFEDCBA987654321X",
            TDES_KSN,
            "0123456789ABCDEFFEDCBA987654321X",
        ),
    ] {
        fails(2, &with_bdk(command, bdk, ksn, &[]), &[secret]);
    }
    // KSN lengths and hex.
    for ksn in [
        "FFFF9876543210E000",
        "FFFF9876543210E0000100",
        "FFFF9876543210E0000G",
        "",
        "FFFF9876543210E0000",
    ] {
        let msg = fails(2, &with_bdk("derive", k, ksn, &[]), &[k]);
        assert!(msg.contains("--ksn"), "{msg}");
    }
    // --bdk and --ik together, neither.
    fails(
        2,
        &[
            "dukpt", "derive", "--bdk", k, "--ik", TDES_IPEK, "--ksn", TDES_KSN,
        ],
        &[k, TDES_IPEK],
    );
    fails(2, &["dukpt", "derive", "--ksn", TDES_KSN], &[]);
    // Two secrets from stdin.
    fails_stdin(
        2,
        &with_bdk("initial-key", "-", TDES_KSN, &[]),
        Some(""),
        &[],
    );
}

#[test]
fn next_ksn() {
    let next_ksn = |ksn| ok(&["dukpt", "next-ksn", "--ksn", ksn]);
    assert_eq!(next_ksn(TDES_KSN), ["FFFF9876543210E00002"]);
    // 8-byte KSN printed in 10 bytes.
    assert_eq!(next_ksn("9876543210E00001"), ["FFFF9876543210E00002"]);
    // TDES: 0x0FFC00 (10 one-bits) -> 0x0FFC01 would have 11: skip to 0x100000.
    assert_eq!(next_ksn("FFFF9876543210EFFC00"), ["FFFF9876543210F00000"]);
    // AES: 0x1FFFE -> 0x20000 (skips 0x1FFFF with 17 one-bits); 0xFFFF0000 is the last.
    assert_eq!(
        next_ksn("12345678901234560001FFFE"),
        ["123456789012345600020000"]
    );
    assert_eq!(next_ksn(AES_KSN), ["123456789012345600000002"]);
    let j = ok_json(&["dukpt", "next-ksn", "--ksn", AES_KSN]);
    assert_eq!(s(&j, "ksn"), "123456789012345600000002");
    assert_eq!(s(&j, "scheme"), "aes");
    assert_eq!(s(&j, "counter"), "00000002");
    for (code, ksn) in [
        // The last TDES counter 0x1FF800 is exhausted: exit 1.
        (1, "FFFF98765432101FF800"),
        // The last AES counter 0xFFFF0000 is exhausted: exit 1.
        (1, "1234567890123456FFFF0000"),
        // Not a KSN: exit 2.
        (2, "1234"),
    ] {
        fails(code, &["dukpt", "next-ksn", "--ksn", ksn], &[]);
    }
}

#[test]
fn derive_batch() {
    let vs = of_kind("tdes", "transaction");
    let ksns: Vec<&str> = vs.iter().map(|v| str_field(&v["inputs"], "ksn")).collect();
    let input = ksns.join("\n") + "\n";
    let pins: Vec<&str> = vs
        .iter()
        .map(|v| str_field(&v["derived"], "pin_key"))
        .collect();
    let txns: Vec<&str> = vs
        .iter()
        .map(|v| str_field(&v["expected"], "txn_key"))
        .collect();
    let pin_keys = ["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "pin"];
    let txn_keys = ["dukpt", "derive-batch", "--bdk", TDES_BDK];
    assert_eq!(ok_stdin(&pin_keys, Some(&input)), pins);
    assert_eq!(ok_stdin(&txn_keys, Some(&input)), txns);
    // CRLF and no final newline are fine.
    let crlf = ksns.join("\r\n");
    assert_eq!(ok_stdin(&pin_keys, Some(&crlf)), pins);
    let f = TempFile::new("bdk", &format!("{TDES_BDK}\n"));
    assert_eq!(
        ok_stdin(
            &["dukpt", "derive-batch", "--bdk", &f.at(), "--usage", "pin"],
            Some(&input)
        ),
        pins
    );
    let j = ok_json_stdin(&pin_keys, Some(&input));
    let keys: Vec<&str> = j["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, pins);
    assert_eq!(s(&j, "scheme"), "tdes");
    // AES.
    let aes_in = "123456789012345600000001\n123456789012345600000002\n12345678901234560001FFFF\n";
    let out = ok_stdin(
        &[
            "dukpt",
            "derive-batch",
            "--bdk",
            AES_BDK,
            "--usage",
            "pin",
            "--key-type",
            "aes128",
        ],
        Some(aes_in),
    );
    assert_eq!(
        out,
        [
            "AF8CB133A78F8DC2D1359F18527593FB",
            "D30BDC73EC9714B000BEC66BDB7B6D09",
            "73BA667D6368A2086E72576DF41A4037"
        ]
    );
    let out = ok_stdin(
        &["dukpt", "derive-batch", "--bdk", AES_BDK],
        Some("123456789012345600000001\n"),
    );
    assert_eq!(out, ["4F21B565BAD9835E112B6465635EAE44"]);
    // Empty input: nothing to do.
    assert!(ok_stdin(&txn_keys, Some("")).is_empty());
}

#[test]
fn derive_batch_checks_all_input_first() {
    let good = TDES_KSN;
    let cases = [
        (format!("{good}\n\n{good}\n"), "line 2"),
        (format!("{good}\n{good}\nFFFF9876543210E0000Z\n"), "line 3"),
        (format!("\n{good}\n"), "line 1"),
        (format!("{good}\n{good} \n"), "line 2"),
        (format!("{good}\n123456789012345600000001\n"), "line 2"),
        (format!("{good}\nFFFF98\n"), "line 2"),
    ];
    for (input, line) in cases {
        let msg = fails_stdin(
            2,
            &["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "pin"],
            Some(&input),
            &[TDES_BDK],
        );
        assert!(msg.starts_with(&format!("error: {line}: ")), "{msg}");
    }
    // The BDK cannot come from stdin: stdin holds the KSNs.
    fails_stdin(
        2,
        &["dukpt", "derive-batch", "--bdk", "-"],
        Some(&format!("{good}\n")),
        &[],
    );
    // Policy failure in a batch (reserved AES counter): exit 1 with its line, nothing printed.
    let msg = fails_stdin(
        1,
        &["dukpt", "derive-batch", "--bdk", AES_BDK, "--usage", "pin"],
        Some("123456789012345600000001\n1234567890123456FFFFFFFF\n"),
        &[AES_BDK],
    );
    assert!(msg.starts_with("error: line 2: "), "{msg}");
    // Wrong usage for the scheme.
    fails_stdin(
        2,
        &["dukpt", "derive-batch", "--bdk", TDES_BDK, "--usage", "kek"],
        Some(&format!("{good}\n")),
        &[TDES_BDK],
    );
}
