//! `tr34 token build|verify --kind` for RT-KRD, CT-KRD, CT-KDH, UBT-KDH, UBT-CA, RBT-KDH and
//! RBT-CA (TR-34-2019 B.6–B.14) with the test PKI in `data/tr34/test-pki` (published test
//! keys), and the published two-pass random-number tokens.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use std::path::PathBuf;

fn pki(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tr34")
        .join(rel)
        .display()
        .to_string()
}

fn out(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("paycrypt-cli-tr34tok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

fn cert(name: &str) -> String {
    pki(&format!("test-pki/certs/{name}.cert.pem"))
}

fn key(name: &str) -> String {
    pki(&format!("test-pki/keys/{name}.key.pem"))
}

#[test]
fn random_number_tokens() {
    let path = out("rt.der");
    let j = ok_json(&[
        "tr34",
        "token",
        "build",
        "--kind",
        "rt-krd",
        "--out",
        &path,
        "--nonce",
        "00112233445566778899AABBCCDDEEFF",
    ]);
    assert_eq!(s(&j, "nonce"), "00112233445566778899AABBCCDDEEFF");
    assert_eq!(s(&j, "kind"), "rt-krd");
    let v = ok_json(&[
        "tr34",
        "token",
        "verify",
        "--kind",
        "rt-krd",
        "--token",
        &path,
        "--nonce",
        "00112233445566778899AABBCCDDEEFF",
    ]);
    assert_eq!(s(&v, "nonce"), "00112233445566778899AABBCCDDEEFF");
    fails(
        1,
        &[
            "tr34",
            "token",
            "verify",
            "--kind",
            "rt-krd",
            "--token",
            &path,
            "--nonce",
            "00112233445566778899AABBCCDDEEFE",
        ],
        &[],
    );
    // The published RT-KRD of the two-pass example parses; the same nonce as `tr34 random-token`.
    let published = pki("tokens/x9_2019_2pass_tdes.rtkrd.der");
    let n = ok1(&[
        "tr34", "token", "verify", "--kind", "rt-krd", "--token", &published,
    ]);
    assert!(!n.is_empty());
    // Random by default, and the hex form reads back.
    let hex = out("rt.hex");
    let j = ok_json(&[
        "tr34", "token", "build", "--kind", "rt-krd", "--out", &hex, "--hex",
    ]);
    assert_eq!(
        ok1(&[
            "tr34", "token", "verify", "--kind", "rt-krd", "--token", &hex
        ]),
        s(&j, "nonce")
    );
    // Options that do not belong to the kind: exit 2.
    fails(
        2,
        &[
            "tr34",
            "token",
            "build",
            "--kind",
            "rt-krd",
            "--out",
            &path,
            "--cert",
            &cert("krd_1"),
        ],
        &[],
    );
    fails(
        2,
        &[
            "tr34", "token", "build", "--kind", "rt-krd", "--out", &path, "--nonce", "00",
        ],
        &[],
    );
}

#[test]
fn credential_tokens() {
    let ct = out("ct-krd.der");
    ok(&[
        "tr34",
        "token",
        "build",
        "--kind",
        "ct-krd",
        "--cert",
        &cert("krd_1"),
        "--out",
        &ct,
    ]);
    let j = ok_json(&[
        "tr34",
        "token",
        "verify",
        "--kind",
        "ct-krd",
        "--token",
        &ct,
        "--ca-cert",
        &cert("ca_krd"),
    ]);
    assert_eq!(s(&j, "result"), "OK");
    assert_eq!(j["certificates"], 1);
    assert_eq!(j["crls"], 0);
    // Another CA did not issue it: exit 1.
    fails(
        1,
        &[
            "tr34",
            "token",
            "verify",
            "--kind",
            "ct-krd",
            "--token",
            &ct,
            "--ca-cert",
            &cert("ca_kdh"),
        ],
        &[],
    );
    let kdh = out("ct-kdh.der");
    ok(&[
        "tr34",
        "token",
        "build",
        "--kind",
        "ct-kdh",
        "--cert",
        &cert("kdh_1"),
        "--crl",
        &cert("ca_kdh").replace(".cert.pem", ".crl.pem"),
        "--out",
        &kdh,
    ]);
    let j = ok_json(&[
        "tr34",
        "token",
        "verify",
        "--kind",
        "ct-kdh",
        "--token",
        &kdh,
        "--ca-cert",
        &cert("ca_kdh"),
    ]);
    assert_eq!(j["crls"], 1);
    // A CRL that revokes the KDH: exit 1.
    let revoked = out("ct-kdh-revoked.der");
    ok(&[
        "tr34",
        "token",
        "build",
        "--kind",
        "ct-kdh",
        "--cert",
        &cert("kdh_1"),
        "--crl",
        &pki("test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem"),
        "--out",
        &revoked,
    ]);
    fails(
        1,
        &[
            "tr34",
            "token",
            "verify",
            "--kind",
            "ct-kdh",
            "--token",
            &revoked,
            "--ca-cert",
            &cert("ca_kdh"),
        ],
        &[],
    );
    // A missing certificate, a CRL in CT-KRD, garbage: exit 2.
    fails(
        2,
        &["tr34", "token", "build", "--kind", "ct-krd", "--out", &ct],
        &[],
    );
    fails(
        2,
        &[
            "tr34",
            "token",
            "build",
            "--kind",
            "ct-krd",
            "--cert",
            &cert("krd_1"),
            "--crl",
            &pki("test-pki/certs/ca_kdh.crl.pem"),
            "--out",
            &ct,
        ],
        &[],
    );
    let junk = TempFile::new("junk", "not a token");
    fails(
        2,
        &[
            "tr34",
            "token",
            "verify",
            "--kind",
            "ct-krd",
            "--token",
            &junk.path(),
        ],
        &[],
    );
}

#[test]
fn unbind_and_rebind_tokens() {
    let nonce = "0011223344556677";
    let cases: [(&str, &str, Vec<String>, Vec<String>); 4] = [
        (
            "ubt-kdh",
            "kdh_1",
            vec!["--nonce".into(), nonce.into()],
            vec![
                "--nonce".into(),
                nonce.into(),
                "--krd-cert".into(),
                cert("krd_1"),
            ],
        ),
        (
            "ubt-ca",
            "ca_krd",
            vec!["--kdh-cert".into(), cert("kdh_1")],
            vec![
                "--kdh-cert".into(),
                cert("kdh_1"),
                "--krd-cert".into(),
                cert("krd_1"),
            ],
        ),
        (
            "rbt-kdh",
            "kdh_1",
            vec![
                "--nonce".into(),
                nonce.into(),
                "--new-kdh-cert".into(),
                cert("krd_2_rsa3072"),
            ],
            vec!["--nonce".into(), nonce.into()],
        ),
        (
            "rbt-ca",
            "ca_krd",
            vec![
                "--kdh-cert".into(),
                cert("kdh_1"),
                "--new-kdh-cert".into(),
                cert("krd_2_rsa3072"),
                "--signing-time".into(),
                "2030-01-01T00:00:00Z".into(),
            ],
            vec!["--kdh-cert".into(), cert("kdh_1")],
        ),
    ];
    for (kind, signer, build_extra, verify_extra) in &cases {
        let path = out(&format!("{kind}.der"));
        let signer_cert = cert(signer);
        let signer_key = key(signer);
        let krd = cert("krd_1");
        let mut b = vec![
            "tr34",
            "token",
            "build",
            "--kind",
            kind,
            "--signer-key",
            &signer_key,
            "--signer-cert",
            &signer_cert,
            "--krd-cert",
            &krd,
            "--out",
            &path,
        ];
        b.extend(refs(build_extra));
        let j = ok_json(&b);
        assert_eq!(s(&j, "kind"), *kind);
        let mut v = vec![
            "tr34",
            "token",
            "verify",
            "--kind",
            kind,
            "--token",
            &path,
            "--signer-cert",
            &signer_cert,
        ];
        v.extend(refs(verify_extra));
        let r = ok_json(&v);
        assert_eq!(s(&r, "result"), "OK", "{kind}");
        assert_eq!(r["verified"], true);
        if kind.starts_with("rbt") {
            assert!(r.contains_key("new_kdh_serial"), "{kind}");
        }
        if *kind == "rbt-ca" {
            assert_eq!(r["signing_time"], 1_893_456_000);
        }
        // Another signer, the wrong kind, another KRD: exit 1.
        let other = if signer.starts_with("ca") {
            cert("kdh_1")
        } else {
            cert("ca_krd")
        };
        let mut wrong_signer = v.clone();
        wrong_signer[8] = &other;
        fails(1, &wrong_signer, &[]);
        let other_kind = if kind.starts_with("ubt") {
            kind.replace("ubt", "rbt")
        } else {
            kind.replace("rbt", "ubt")
        };
        let mut wrong_kind = v.clone();
        wrong_kind[4] = &other_kind;
        fails(1, &wrong_kind, &[]);
        let krd2 = cert("krd_2_rsa3072");
        let mut other_krd: Vec<&str> = v[..9].to_vec();
        if let Some(i) = v.iter().position(|a| *a == "--nonce") {
            other_krd.extend(&v[i..i + 2]);
        }
        other_krd.extend(["--krd-cert", &krd2]);
        fails(1, &other_krd, &[]);
        if kind.ends_with("kdh") {
            let mut wrong_nonce = v.clone();
            let at = wrong_nonce.iter().position(|a| *a == nonce).unwrap();
            wrong_nonce[at] = "0011223344556678";
            fails(1, &wrong_nonce, &[]);
            // Verifying a KDH token needs the nonce (freshness): exit 2.
            let no_nonce: Vec<&str> = v[..9].to_vec();
            fails(2, &no_nonce, &[]);
        }
    }
    // Missing inputs for the kind: exit 2.
    let path = out("bad.der");
    let kdh_key = key("kdh_1");
    let kdh_cert = cert("kdh_1");
    let krd = cert("krd_1");
    fails(
        2,
        &[
            "tr34",
            "token",
            "build",
            "--kind",
            "ubt-kdh",
            "--signer-key",
            &kdh_key,
            "--signer-cert",
            &kdh_cert,
            "--krd-cert",
            &krd,
            "--out",
            &path,
        ],
        &[],
    );
    fails(
        2,
        &[
            "tr34",
            "token",
            "build",
            "--kind",
            "rbt-kdh",
            "--signer-key",
            &kdh_key,
            "--signer-cert",
            &kdh_cert,
            "--krd-cert",
            &krd,
            "--nonce",
            "0011223344556677",
            "--out",
            &path,
        ],
        &[],
    );
    fails(
        2,
        &[
            "tr34",
            "token",
            "build",
            "--kind",
            "ubt-ca",
            "--signer-key",
            &kdh_key,
            "--signer-cert",
            &kdh_cert,
            "--krd-cert",
            &krd,
            "--nonce",
            "0011223344556677",
            "--out",
            &path,
        ],
        &[],
    );
}
