//! DUKPT one-shot commands (`dukpt pin|mac|data`, `dukpt initial-key --export-kbpk`) against
//! ANSI X9.24-1:2009 A.4 (PIN blocks, X9.19 MACs, encrypted data per transaction) and the
//! X9.24-3-2017 supplement working keys, from `data/dukpt.json` (a copy of the shared vectors).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;

fn all() -> Vec<Value> {
    vectors(include_str!("data/dukpt.json"))
}

fn tdes_transactions() -> Vec<Value> {
    let v: Vec<Value> = all()
        .into_iter()
        .filter(|v| v["scheme"] == "tdes" && v["kind"] == "transaction")
        .collect();
    assert!(v.len() >= 30, "the X9.24-1 A.4 rows are there");
    v
}

fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn tdes_pin_blocks_of_x9_24_a4() {
    for v in tdes_transactions() {
        let i = &v["inputs"];
        let (bdk, ksn, pin, pan) = (
            str_field(i, "bdk"),
            str_field(i, "ksn"),
            str_field(i, "pin"),
            str_field(i, "pan"),
        );
        let want = str_field(&v["expected"], "encrypted_pin_block");
        let src = ["--bdk", bdk, "--ksn", ksn];
        let enc = ok_json(&with_extra(
            &with_extra(&["dukpt", "pin", "encrypt"], &src),
            &["--format", "0", "--pin", pin, "--pan", pan],
        ));
        assert_eq!(s(&enc, "block"), want, "{}", v["id"]);
        assert_eq!(s(&enc, "ksn"), ksn);
        assert_eq!(s(&enc, "scheme"), "tdes");
        assert_eq!(enc["format"], 0);
        // The clear block as is.
        let clear = str_field(i, "clear_pin_block");
        assert_eq!(
            ok1(&with_extra(
                &with_extra(&["dukpt", "pin", "encrypt"], &src),
                &["--format", "0", "--block", clear],
            )),
            want
        );
        let dec = ok_json(&with_extra(
            &with_extra(&["dukpt", "pin", "decrypt"], &src),
            &["--format", "0", "--block", want, "--pan", pan],
        ));
        assert_eq!(s(&dec, "pin"), pin);
    }
}

#[test]
fn tdes_pin_decrypt_from_the_ipek_and_wrong_ksn() {
    let bdk = "0123456789ABCDEFFEDCBA9876543210";
    let ipek = "6AC292FAA1315B4D858AB3A3D7D5933A";
    let base = |root: &str, key: &str, ksn: &str| {
        vec![
            "dukpt".to_owned(),
            "pin".into(),
            "decrypt".into(),
            root.into(),
            key.into(),
            "--ksn".into(),
            ksn.into(),
            "--format".into(),
            "0".into(),
            "--block".into(),
            "1B9C1845EB993A7A".into(),
            "--pan".into(),
            "4012345678909".into(),
        ]
    };
    assert_eq!(
        ok1(&refs(&base("--ik", ipek, "FFFF9876543210E00001"))),
        "1234"
    );
    secret_forms_agree(&refs(&base("--bdk", "SECRET", "FFFF9876543210E00001")), bdk);
    // Another counter's key: the block does not decode (exit 1), nothing secret on stderr.
    fails(
        1,
        &refs(&base("--bdk", bdk, "FFFF9876543210E00002")),
        &[bdk, "1234"],
    );
    // A TDES BDK with an AES key type, an HMAC PIN key, an AES key for format 0: refused.
    let mut kt = base("--bdk", bdk, "FFFF9876543210E00001");
    kt.extend(["--key-type".into(), "aes128".into()]);
    fails(2, &refs(&kt), &[bdk]);
    let aes_bdk = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
    let mut hm = base("--bdk", aes_bdk, "123456789012345600000001");
    hm.extend(["--key-type".into(), "hmac128".into()]);
    fails(2, &refs(&hm), &[aes_bdk]);
    fails(
        1,
        &refs(&base("--bdk", aes_bdk, "123456789012345600000001")),
        &[aes_bdk],
    );
}

#[test]
fn tdes_pin_translate_to_zone_and_dukpt() {
    let bdk = "0123456789ABCDEFFEDCBA9876543210";
    let rows = tdes_transactions();
    let (first, second) = (&rows[0], &rows[1]);
    let b1 = str_field(&first["expected"], "encrypted_pin_block");
    let b2 = str_field(&second["expected"], "encrypted_pin_block");
    let ksn2 = str_field(&second["inputs"], "ksn");
    // DUKPT to DUKPT: counter 1's block becomes counter 2's published block.
    let j = ok_json(&[
        "dukpt",
        "pin",
        "translate",
        "--bdk",
        bdk,
        "--ksn",
        "FFFF9876543210E00001",
        "--block",
        b1,
        "--pan",
        "4012345678909",
        "--from-format",
        "0",
        "--to-bdk",
        bdk,
        "--to-ksn",
        ksn2,
        "--to-format",
        "0",
    ]);
    assert_eq!(s(&j, "block"), b2);
    assert_eq!(s(&j, "to_ksn"), ksn2);
    // DUKPT to a zone key: what `pin encrypt` under the zone key gives.
    let zpk = "89E88CF7931444F334BD7547FC3F380C";
    let z = ok1(&[
        "dukpt",
        "pin",
        "translate",
        "--bdk",
        bdk,
        "--ksn",
        "FFFF9876543210E00001",
        "--block",
        b1,
        "--pan",
        "4012345678909",
        "--from-format",
        "0",
        "--to-key",
        zpk,
        "--to-format",
        "0",
    ]);
    assert_eq!(
        z,
        ok1(&[
            "pin",
            "encrypt",
            "--format",
            "0",
            "--key",
            zpk,
            "--pin",
            "1234",
            "--pan",
            "4012345678909"
        ])
    );
    // To format 4 under an AES DUKPT key: decrypts to the PIN there.
    let aes_bdk = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
    let f4 = ok1(&[
        "dukpt",
        "pin",
        "translate",
        "--bdk",
        bdk,
        "--ksn",
        "FFFF9876543210E00001",
        "--block",
        b1,
        "--pan",
        "4012345678909",
        "--from-format",
        "0",
        "--to-bdk",
        aes_bdk,
        "--to-ksn",
        "123456789012345600000001",
        "--to-format",
        "4",
    ]);
    assert_eq!(
        ok1(&[
            "dukpt",
            "pin",
            "decrypt",
            "--bdk",
            aes_bdk,
            "--ksn",
            "123456789012345600000001",
            "--format",
            "4",
            "--block",
            &f4,
            "--pan",
            "4012345678909",
        ]),
        "1234"
    );
    // Both targets, or none: exit 2.
    fails(
        2,
        &[
            "dukpt",
            "pin",
            "translate",
            "--bdk",
            bdk,
            "--ksn",
            "FFFF9876543210E00001",
            "--block",
            b1,
            "--pan",
            "4012345678909",
            "--from-format",
            "0",
            "--to-format",
            "0",
        ],
        &[bdk],
    );
    fails(
        2,
        &[
            "dukpt",
            "pin",
            "translate",
            "--bdk",
            bdk,
            "--ksn",
            "FFFF9876543210E00001",
            "--block",
            b1,
            "--pan",
            "4012345678909",
            "--from-format",
            "0",
            "--to-key",
            zpk,
            "--to-bdk",
            bdk,
            "--to-ksn",
            ksn2,
            "--to-format",
            "0",
        ],
        &[bdk, zpk],
    );
}

#[test]
fn tdes_x9_19_macs_of_x9_24_a4() {
    for v in tdes_transactions() {
        let i = &v["inputs"];
        let (bdk, ksn) = (str_field(i, "bdk"), str_field(i, "ksn"));
        let text = str_field(i, "mac_data_ascii");
        let src = ["--bdk", bdk, "--ksn", ksn, "--data-text", text];
        let req = str_field(&v["expected"], "mac_request_x919_4");
        let res = str_field(&v["expected"], "mac_response_x919_4");
        let base = with_extra(&["dukpt", "mac", "generate"], &src);
        assert_eq!(
            ok1(&with_extra(&base, &["--length", "4"])),
            req,
            "{}",
            v["id"]
        );
        let j = ok_json(&with_extra(
            &base,
            &["--length", "4", "--direction", "response"],
        ));
        assert_eq!(s(&j, "mac"), res);
        assert_eq!(s(&j, "algorithm"), "x9.19");
        assert_eq!(s(&j, "direction"), "response");
        if let Some(full) = v["derived"]["mac_request_x919_8"].as_str() {
            assert_eq!(ok1(&base), full);
            let hex = hex_of(text);
            assert_eq!(
                ok1(&[
                    "dukpt", "mac", "generate", "--bdk", bdk, "--ksn", ksn, "--data", &hex
                ]),
                full
            );
        }
        let verify = with_extra(&["dukpt", "mac", "verify"], &src);
        assert_eq!(ok1(&with_extra(&verify, &["--mac", req])), "OK");
        // The response MAC does not verify as a request MAC: exit 1.
        fails(1, &with_extra(&verify, &["--mac", res]), &[bdk]);
    }
}

#[test]
fn tdes_data_encryption_of_x9_24_a4() {
    for v in tdes_transactions() {
        let i = &v["inputs"];
        let (bdk, ksn, plain) = (
            str_field(i, "bdk"),
            str_field(i, "ksn"),
            str_field(i, "data_plaintext_hex"),
        );
        let want = str_field(&v["expected"], "encrypted_request_data_cbc");
        let src = ["--bdk", bdk, "--ksn", ksn];
        let enc = ok_json(&with_extra(
            &with_extra(&["dukpt", "data", "encrypt"], &src),
            &["--data", plain],
        ));
        assert_eq!(s(&enc, "data"), want, "{}", v["id"]);
        assert_eq!(s(&enc, "mode"), "cbc");
        let back = ok1(&with_extra(
            &with_extra(&["dukpt", "data", "decrypt"], &src),
            &["--data", want],
        ));
        assert_eq!(back, plain);
        if let Some(res) = v["derived"]["encrypted_response_data_cbc"].as_str() {
            assert_eq!(
                ok1(&with_extra(
                    &with_extra(&["dukpt", "data", "encrypt"], &src),
                    &["--data", plain, "--direction", "response"],
                )),
                res
            );
        }
        // The 17 message bytes with ISO 9797-1 method 1 padding give the same cryptogram.
        let text = hex_of(str_field(i, "mac_data_ascii"));
        assert_eq!(
            ok1(&with_extra(
                &with_extra(&["dukpt", "data", "encrypt"], &src),
                &["--data", &text, "--padding", "iso9797-1"],
            )),
            want
        );
    }
    let bdk = "0123456789ABCDEFFEDCBA9876543210";
    let src = [
        "dukpt",
        "data",
        "encrypt",
        "--bdk",
        bdk,
        "--ksn",
        "FFFF9876543210E00001",
    ];
    // Not whole blocks without padding, an IV in ECB mode, a wrong IV length: exit 2.
    fails(2, &with_extra(&src, &["--data", "0011"]), &[bdk]);
    fails(
        2,
        &with_extra(
            &src,
            &[
                "--data",
                "0011223344556677",
                "--mode",
                "ecb",
                "--iv",
                "0000000000000000",
            ],
        ),
        &[bdk],
    );
    fails(
        2,
        &with_extra(&src, &["--data", "0011223344556677", "--iv", "00"]),
        &[bdk],
    );
    // ECB and the variant style give other values, and round-trip.
    for extra in [["--mode", "ecb"], ["--data-style", "variant"]] {
        let c = ok1(&with_extra(
            &with_extra(&src, &["--data", "0011223344556677"]),
            &extra,
        ));
        let mut dec = src.to_vec();
        dec[2] = "decrypt";
        assert_eq!(
            ok1(&with_extra(&with_extra(&dec, &["--data", &c]), &extra)),
            "0011223344556677"
        );
    }
}

#[test]
fn aes_one_shots_use_the_published_working_keys() {
    let mut checked = 0;
    for v in all() {
        let Some(keys) = v["expected"]["working_keys"].as_object() else {
            continue;
        };
        let i = &v["inputs"];
        let (bdk, ksn) = (str_field(i, "bdk"), str_field(i, "ksn"));
        let src = ["--bdk", bdk, "--ksn", ksn];
        let data = "4012345678909D98700000000000000000";
        let block = "34303132333435363738393039443938";
        if let Some(k) = keys
            .get("MessageAuthenticationGeneration/AES128")
            .and_then(Value::as_str)
        {
            let want = ok1(&[
                "mac",
                "generate",
                "--algorithm",
                "cmac",
                "--cipher",
                "aes",
                "--key",
                k,
                "--data",
                data,
            ]);
            let j = ok_json(&with_extra(
                &with_extra(&["dukpt", "mac", "generate"], &src),
                &["--data", data, "--key-type", "aes128"],
            ));
            assert_eq!(s(&j, "mac"), want, "{}", v["id"]);
            assert_eq!(s(&j, "algorithm"), "cmac-aes");
            checked += 1;
        }
        if let Some(k) = keys
            .get("MessageAuthenticationGeneration/TDES2")
            .and_then(Value::as_str)
        {
            let want = ok1(&[
                "mac",
                "generate",
                "--algorithm",
                "cmac",
                "--cipher",
                "tdes",
                "--key",
                k,
                "--data",
                data,
            ]);
            assert_eq!(
                ok1(&with_extra(
                    &with_extra(&["dukpt", "mac", "generate"], &src),
                    &["--data", data, "--key-type", "tdes2"],
                )),
                want
            );
            checked += 1;
        }
        if let Some(k) = keys
            .get("DataEncryptionEncrypt/AES128")
            .and_then(Value::as_str)
        {
            let want = ok1(&[
                "cipher",
                "encrypt",
                "--algorithm",
                "aes",
                "--mode",
                "cbc",
                "--key",
                k,
                "--iv",
                "00000000000000000000000000000000",
                "--data",
                block,
            ]);
            assert_eq!(
                ok1(&with_extra(
                    &with_extra(&["dukpt", "data", "encrypt"], &src),
                    &["--data", block, "--key-type", "aes128"],
                )),
                want
            );
            checked += 1;
        }
        if let Some(k) = keys.get("PINEncryption/AES128").and_then(Value::as_str) {
            let fill = "2F69ADDE2E9E7ACE";
            let want = ok1(&[
                "pin",
                "encrypt",
                "--format",
                "4",
                "--key",
                k,
                "--pin",
                "1234",
                "--pan",
                "4111111111111111",
                "--fill",
                fill,
            ]);
            assert_eq!(
                ok1(&with_extra(
                    &with_extra(&["dukpt", "pin", "encrypt"], &src),
                    &[
                        "--format",
                        "4",
                        "--pin",
                        "1234",
                        "--pan",
                        "4111111111111111",
                        "--fill",
                        fill,
                        "--key-type",
                        "aes128"
                    ],
                )),
                want
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
    // The supplement's format-4 example: the counter-1 PIN key gives the published block.
    let j = ok_json(&[
        "dukpt",
        "pin",
        "encrypt",
        "--bdk",
        "FEDCBA9876543210F1F1F1F1F1F1F1F1",
        "--ksn",
        "123456789012345600000001",
        "--format",
        "4",
        "--pin",
        "1234",
        "--pan",
        "4111111111111111",
        "--fill",
        "2F69ADDE2E9E7ACE",
    ]);
    assert_eq!(s(&j, "scheme"), "aes");
    let iso4 = all()
        .into_iter()
        .find(|v| v["id"] == "aes128-iso4-intermediates-c1")
        .unwrap();
    let key = str_field(&iso4["inputs"], "pin_key");
    assert_eq!(
        ok1(&[
            "pin",
            "encrypt",
            "--format",
            "4",
            "--key",
            key,
            "--pin",
            "1234",
            "--pan",
            "4111111111111111",
            "--fill",
            "2F69ADDE2E9E7ACE"
        ]),
        str_field(&iso4["expected"], "encrypted_pin_block")
    );
    // HMAC key types MAC with HMAC-SHA-256; the counter FFFFFFFF is the update key's: exit 1.
    let hm = ok_json(&[
        "dukpt",
        "mac",
        "generate",
        "--bdk",
        "FEDCBA9876543210F1F1F1F1F1F1F1F1",
        "--ksn",
        "123456789012345600000001",
        "--data",
        "00",
        "--key-type",
        "hmac128",
    ]);
    assert_eq!(s(&hm, "algorithm"), "hmac-sha256");
    assert_eq!(s(&hm, "mac").len(), 64);
    fails(
        1,
        &[
            "dukpt",
            "mac",
            "generate",
            "--bdk",
            "FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "--ksn",
            "1234567890123456FFFFFFFF",
            "--data",
            "00",
        ],
        &["FEDCBA9876543210F1F1F1F1F1F1F1F1"],
    );
}

#[test]
fn initial_key_export_as_b1_key_block() {
    // TDES: the X9.24-1 A.4 IPEK, wrapped with its KS block; unwrapping gives the IPEK back.
    let ipek_v = all()
        .into_iter()
        .find(|v| v["id"] == "tdes-ansi-ipek")
        .unwrap();
    let (bdk, ksn) = (
        str_field(&ipek_v["inputs"], "bdk"),
        str_field(&ipek_v["inputs"], "ksn"),
    );
    let ipek = str_field(&ipek_v["expected"], "ipek");
    let kbpk = "DD7515F2BFC17F85CE48F3CA25CB21F6";
    let args = [
        "dukpt",
        "initial-key",
        "--bdk",
        bdk,
        "--ksn",
        ksn,
        "--export-kbpk",
        kbpk,
    ];
    let r = run(&args);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stdout.contains(ipek), "the key itself is not printed");
    let j = ok_json(&args);
    let block = s(&j, "key_block");
    assert!(block.starts_with('B'), "{block}");
    assert_eq!(
        s(&j, "kcv"),
        ok1(&["kcv", "--key", ipek, "--algorithm", "tdes"])
    );
    let u = ok_json(&["keyblock", "unwrap", "--kbpk", kbpk, "--block", block]);
    assert_eq!(s(&u, "key"), ipek);
    assert_eq!(u["header"]["key_usage"], "B1");
    assert_eq!(u["header"]["algorithm"], "T");
    assert_eq!(u["header"]["mode_of_use"], "X");
    assert_eq!(u["optional_blocks"][0]["id"], "KS");
    assert_eq!(u["optional_blocks"][0]["data"], ksn);
    // The KBPK from a file (the block's padding is random: compare what it unwraps to).
    let file = TempFile::new("kbpk", &format!("{kbpk}\n"));
    let at = file.at();
    let from_file = ok1(&[
        "dukpt",
        "initial-key",
        "--bdk",
        bdk,
        "--ksn",
        ksn,
        "--export-kbpk",
        &at,
    ]);
    assert_eq!(
        ok1(&["keyblock", "unwrap", "--kbpk", kbpk, "--block", &from_file]),
        ipek
    );
    // A caller's header (version D under an AES KBPK, with a KS block already): kept.
    let aes_kbpk = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";
    let d = ok1(&[
        "dukpt",
        "initial-key",
        "--bdk",
        bdk,
        "--ksn",
        ksn,
        "--export-kbpk",
        aes_kbpk,
        "--export-header",
        "D0000B1TX00N0100KS18FFFF9876543210E00000",
    ]);
    let u = ok_json(&["keyblock", "unwrap", "--kbpk", aes_kbpk, "--block", &d]);
    assert_eq!(s(&u, "key"), ipek);
    assert_eq!(u["header"]["exportability"], "N");
    // AES: the supplement's initial key with its IK block.
    for id in ["aes128-ik", "aes256-ik"] {
        let v = all().into_iter().find(|v| v["id"] == id).unwrap();
        let bdk = str_field(&v["inputs"], "bdk");
        let ksn = format!("{}00000000", str_field(&v["inputs"], "initial_key_id"));
        let ik = str_field(&v["expected"], "initial_key");
        let j = ok_json(&[
            "dukpt",
            "initial-key",
            "--bdk",
            bdk,
            "--ksn",
            &ksn,
            "--export-kbpk",
            aes_kbpk,
        ]);
        let u = ok_json(&[
            "keyblock",
            "unwrap",
            "--kbpk",
            aes_kbpk,
            "--block",
            s(&j, "key_block"),
        ]);
        assert_eq!(s(&u, "key"), ik, "{id}");
        assert_eq!(u["header"]["algorithm"], "A");
        assert_eq!(u["optional_blocks"][0]["id"], "IK");
        assert_eq!(
            u["optional_blocks"][0]["data"],
            str_field(&v["inputs"], "initial_key_id")
        );
        assert_eq!(s(&j, "kcv_method"), "cmac");
    }
    // Usage other than B1, a KBPK that does not fit, --export-header alone: exit 2.
    fails(
        2,
        &[
            "dukpt",
            "initial-key",
            "--bdk",
            bdk,
            "--ksn",
            ksn,
            "--export-kbpk",
            kbpk,
            "--export-header",
            "B0000P0TE00E0000",
        ],
        &[bdk, kbpk, ipek],
    );
    fails(
        2,
        &[
            "dukpt",
            "initial-key",
            "--bdk",
            bdk,
            "--ksn",
            ksn,
            "--export-kbpk",
            "0011",
        ],
        &[bdk, ipek],
    );
    fails(
        2,
        &[
            "dukpt",
            "initial-key",
            "--bdk",
            bdk,
            "--ksn",
            ksn,
            "--export-header",
            "B0000B1TX00E0000",
        ],
        &[bdk, ipek],
    );
}
