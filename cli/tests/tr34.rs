//! `paycrypt tr34 open|build|random-token` with the project's deterministic TR-34 test tokens
//! and test PKI (`data/tr34/`, copied from the shared vectors; the private keys are published
//! test keys).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::Value;
use std::path::PathBuf;

fn data(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tr34")
        .join(rel)
        .display()
        .to_string()
}

fn token(name: &str) -> Value {
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(data("tokens/vectors.json")).unwrap())
            .unwrap();
    all["tokens"][name].clone()
}

fn st(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap().to_owned()
}

fn out_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paycrypt-cli-tr34-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn open_args(tok: &Value, file: &str) -> Vec<String> {
    [
        "tr34",
        "open",
        "--token",
        file,
        "--krd-key",
        &data(&st(tok, "krd_key")),
        "--kdh-cert",
        &data("test-pki/certs/kdh_1.cert.pem"),
    ]
    .map(String::from)
    .to_vec()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn open_published_tokens() {
    for (name, layout) in [
        ("aws2012_2pass_tdes", "aws"),
        ("x9_2019_2pass_tdes", "x9-2019"),
    ] {
        let tok = token(name);
        let key = st(&tok, "expected_clear_key_hex");
        let nonce = st(&tok, "random_nonce_hex");
        for file in [
            data(&format!("tokens/{name}.der")),
            data(&format!("tokens/{name}.hex")),
        ] {
            let mut a = open_args(&tok, &file);
            a.extend(["--nonce".into(), nonce.clone()]);
            assert_eq!(ok1(&refs(&a)), key, "{name}");
            let j = ok_json(&refs(&a));
            assert_eq!(s(&j, "key"), key);
            assert_eq!(s(&j, "header"), st(&tok, "key_block_header"));
            assert_eq!(s(&j, "layout"), layout);
            assert_eq!(s(&j, "pass"), "two-pass");
            // With the KDH CA as trust anchor (and the CRL the token may carry).
            let mut b = a.clone();
            b.extend(["--ca-cert".into(), data("test-pki/certs/ca_kdh.cert.pem")]);
            assert_eq!(ok1(&refs(&b)), key);
            // KCV of the clear key as published.
            assert_eq!(
                ok1(&["kcv", "--key", &key, "--algorithm", "tdes"]),
                st(&tok, "expected_kcv")
            );
        }
        let der = data(&format!("tokens/{name}.der"));
        let a = open_args(&tok, &der);
        let secrets = [key.as_str()];
        // Wrong nonce: exit 1. No nonce for a two-pass token: exit 2. --not-before on it: exit 2.
        let mut w = a.clone();
        w.extend(["--nonce".into(), "00".repeat(nonce.len() / 2)]);
        fails(1, &refs(&w), &secrets);
        fails(2, &refs(&a), &secrets);
        let mut nb = a.clone();
        nb.extend([
            "--nonce".into(),
            nonce.clone(),
            "--not-before".into(),
            "2025-01-01".into(),
        ]);
        fails(2, &refs(&nb), &secrets);
        // Certificates outside their validity (2025-2045) at --at: exit 1.
        let mut late = a.clone();
        late.extend([
            "--nonce".into(),
            nonce.clone(),
            "--at".into(),
            "2050-01-01T00:00:00Z".into(),
        ]);
        fails(1, &refs(&late), &secrets);
        let mut fine = a.clone();
        fine.extend([
            "--nonce".into(),
            nonce.clone(),
            "--at".into(),
            "2030-06-01T12:00:00Z".into(),
        ]);
        ok(&refs(&fine));
        // A trust anchor that did not issue the KDH certificate: exit 1.
        let mut wrong_ca = a.clone();
        wrong_ca.extend([
            "--nonce".into(),
            nonce.clone(),
            "--ca-cert".into(),
            data("test-pki/certs/ca_krd.cert.pem"),
        ]);
        fails(1, &refs(&wrong_ca), &secrets);
        // The wrong KRD key: exit 1.
        let mut wrong_krd = a.clone();
        wrong_krd[5] = data("test-pki/keys/krd_2_rsa3072.key.pem");
        wrong_krd.extend(["--nonce".into(), nonce.clone()]);
        fails(1, &refs(&wrong_krd), &secrets);
        // Bad --at, bad nonce hex: exit 2.
        let mut bad_at = a.clone();
        bad_at.extend([
            "--nonce".into(),
            nonce.clone(),
            "--at".into(),
            "yesterday".into(),
        ]);
        fails(2, &refs(&bad_at), &secrets);
        let mut bad_nonce = a.clone();
        bad_nonce.extend(["--nonce".into(), "XYZ".into()]);
        fails(2, &refs(&bad_nonce), &secrets);
    }
}

#[test]
fn tampered_and_malformed_tokens() {
    let tok = token("aws2012_2pass_tdes");
    let nonce = st(&tok, "random_nonce_hex");
    let der = std::fs::read(data("tokens/aws2012_2pass_tdes.der")).unwrap();
    // Flip a byte near the end (signature): rejected, exit 1.
    let mut t = der.clone();
    let n = t.len() - 5;
    t[n] ^= 1;
    let p = out_path("tampered.der");
    std::fs::write(&p, &t).unwrap();
    let mut a = open_args(&tok, &p.display().to_string());
    a.extend(["--nonce".into(), nonce.clone()]);
    fails(1, &refs(&a), &[]);
    // Truncated / garbage: does not parse, exit 2.
    let p2 = out_path("truncated.der");
    std::fs::write(&p2, &der[..der.len() / 2]).unwrap();
    let mut b = open_args(&tok, &p2.display().to_string());
    b.extend(["--nonce".into(), nonce.clone()]);
    fails(2, &refs(&b), &[]);
    let p3 = out_path("garbage.txt");
    std::fs::write(&p3, "not a token\n").unwrap();
    let mut c = open_args(&tok, &p3.display().to_string());
    c.extend(["--nonce".into(), nonce.clone()]);
    fails(2, &refs(&c), &[]);
    // Missing files and a certificate where a key belongs: exit 2.
    let mut d = open_args(&tok, "/nonexistent/token.der");
    d.extend(["--nonce".into(), nonce.clone()]);
    fails(2, &refs(&d), &[]);
    let mut e = open_args(&tok, &data("tokens/aws2012_2pass_tdes.der"));
    e[5] = data("test-pki/certs/krd_1.cert.pem");
    e.extend(["--nonce".into(), nonce]);
    fails(2, &refs(&e), &[]);
}

#[test]
fn build_reproduces_the_aws_token_byte_for_byte() {
    let tok = token("aws2012_2pass_tdes");
    let out = out_path("aws-built.der");
    let o = out.display().to_string();
    let args = [
        "tr34",
        "build",
        "--kdh-key",
        &data("test-pki/keys/kdh_1.key.pem"),
        "--kdh-cert",
        &data("test-pki/certs/kdh_1.cert.pem"),
        "--krd-cert",
        &data("test-pki/certs/krd_1.cert.pem"),
        "--key",
        &st(&tok, "expected_clear_key_hex"),
        "--header",
        &st(&tok, "key_block_header"),
        "--nonce",
        &st(&tok, "random_nonce_hex"),
        "--layout",
        "aws",
        "--ephemeral-key",
        &st(&tok, "ephemeral_key_hex"),
        "--iv",
        &st(&tok, "iv_hex"),
        "--oaep-seed",
        &st(&tok, "oaep_seed_hex"),
        "--out",
        &o,
    ];
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(ok1(&refs(&args)), o);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(data("tokens/aws2012_2pass_tdes.der")).unwrap()
    );
    // --hex writes the AWS hex form.
    let outh = out_path("aws-built.hex");
    let mut h = args.clone();
    let last = h.len() - 1;
    h[last] = outh.display().to_string();
    h.push("--hex".into());
    let j = ok_json(&refs(&h));
    assert_eq!(s(&j, "layout"), "aws");
    assert_eq!(s(&j, "pass"), "two-pass");
    assert_eq!(
        std::fs::read_to_string(&outh).unwrap().trim(),
        std::fs::read_to_string(data("tokens/aws2012_2pass_tdes.hex"))
            .unwrap()
            .trim()
    );
    // The key from a file and from stdin.
    let kf = TempFile::new(
        "tr34key",
        &format!("{}\n", st(&tok, "expected_clear_key_hex")),
    );
    let mut f = args.clone();
    let kpos = f.iter().position(|a| a == "--key").unwrap() + 1;
    f[kpos] = kf.at();
    ok(&refs(&f));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(data("tokens/aws2012_2pass_tdes.der")).unwrap()
    );
    f[kpos] = "-".into();
    ok_stdin(&refs(&f), Some(&st(&tok, "expected_clear_key_hex")));
    // Only some of the deterministic inputs: exit 2.
    let partial: Vec<String> = args[..args.len() - 4]
        .iter()
        .cloned()
        .chain(["--out".into(), o.clone()])
        .collect();
    fails(2, &refs(&partial), &[&st(&tok, "expected_clear_key_hex")]);
}

#[test]
fn build_then_open_all_layouts_and_passes() {
    let key = "0123456789ABCDEFFEDCBA9876543210";
    for layout in ["aws", "x9-2019", "rfc5652"] {
        for (header, k) in [
            ("A0256K0TB00E0000", key),
            ("D0256K0AB00E0000", "F039121BEC83D26B169BDCD5B22AAF8F"),
        ] {
            let out = out_path(&format!("rt-{layout}-{header}.der"));
            let o = out.display().to_string();
            let base = [
                "tr34",
                "build",
                "--kdh-key",
                &data("test-pki/keys/kdh_1.key.pem"),
                "--kdh-cert",
                &data("test-pki/certs/kdh_1.cert.pem"),
                "--krd-cert",
                &data("test-pki/certs/krd_1.cert.pem"),
                "--key",
                k,
                "--header",
                header,
                "--layout",
                layout,
                "--out",
                &o,
            ];
            let mut two: Vec<&str> = base.to_vec();
            two.extend(["--nonce", "00112233445566778899AABBCCDDEEFF"]);
            ok(&two);
            let open = [
                "tr34",
                "open",
                "--token",
                &o,
                "--krd-key",
                &data("test-pki/keys/krd_1.key.pem"),
                "--kdh-cert",
                &data("test-pki/certs/kdh_1.cert.pem"),
            ];
            let mut op = open.to_vec();
            op.extend(["--nonce", "00112233445566778899AABBCCDDEEFF", "--json"]);
            let lines = ok(&op);
            let j: Value = serde_json::from_str(&lines[0]).unwrap();
            assert_eq!(j["key"], k);
            assert_eq!(j["layout"], layout);
            assert_eq!(j["header"], header);
            // One-pass: --nonce refused (exit 2), --not-before checks the signing time.
            let mut one: Vec<&str> = base.to_vec();
            one.push("--one-pass");
            ok(&one);
            assert_eq!(ok1(&open), k);
            let mut nb = open.to_vec();
            nb.extend(["--not-before", "2020-01-01T00:00:00Z"]);
            assert_eq!(ok1(&nb), k);
            let mut future = open.to_vec();
            future.extend(["--not-before", "2099-01-01T00:00:00Z"]);
            fails(1, &future, &[k]);
            let mut with_nonce = open.to_vec();
            with_nonce.extend(["--nonce", "00112233445566778899AABBCCDDEEFF"]);
            fails(2, &with_nonce, &[k]);
        }
    }
    // Build errors: key not fitting the header, both/neither of --nonce and --one-pass.
    let o = out_path("bad.der").display().to_string();
    let base = [
        "tr34",
        "build",
        "--kdh-key",
        &data("test-pki/keys/kdh_1.key.pem"),
        "--kdh-cert",
        &data("test-pki/certs/kdh_1.cert.pem"),
        "--krd-cert",
        &data("test-pki/certs/krd_1.cert.pem"),
        "--header",
        "A0256K0TB00E0000",
        "--out",
        &o,
    ];
    for extra in [
        vec!["--key", "0123456789ABCDEF", "--one-pass"],
        vec!["--key", key],
        vec!["--key", key, "--one-pass", "--nonce", "0011223344556677"],
        vec!["--key", key, "--nonce", "0011"],
        vec!["--key", key, "--one-pass", "--layout", "pkcs7"],
    ] {
        let mut a = base.to_vec();
        a.extend(extra);
        fails(2, &a, &[key, "0123456789ABCDEF"]);
    }
}

#[test]
fn random_token() {
    let out = out_path("rt.der");
    let o = out.display().to_string();
    let nonce = ok1(&["tr34", "random-token", "--out", &o]);
    assert_eq!(nonce.len(), 32);
    let der = std::fs::read(&out).unwrap();
    let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
    assert!(hex.contains(&nonce), "the token carries the nonce");
    assert_eq!(der[0], 0x30);
    let j = ok_json(&["tr34", "random-token", "--out", &o]);
    assert_eq!(s(&j, "nonce").len(), 32);
    assert_ne!(s(&j, "nonce"), nonce);
    fails(
        2,
        &["tr34", "random-token", "--out", "/nonexistent/dir/rt.der"],
        &[],
    );
    fails(2, &["tr34", "random-token"], &[]);
}

/// The TR-34-2019 Annex B samples and the Futurex token (ASC X9 / third-party material, read from
/// `../shared/vectors/tr34/` only when present). Their RSA-wrapped keys cannot be opened with
/// public keys, so the command line must *parse* every layout (exit 1 at decryption, not 2) and
/// tell one-pass from two-pass tokens.
#[test]
fn annex_b_and_futurex_layouts_parse() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/tr34");
    if !root.join("x9-tr34-2019-annexb").is_dir() || !root.join("futurex-dspread").is_dir() {
        println!(
            "skipping: {} not present (TR-34 Annex B / Futurex samples are not committed)",
            root.display()
        );
        return;
    }
    let p = |rel: &str| root.join(rel).display().to_string();
    let krd = p("x9-tr34-2019-annexb/keys/b2_1_7_krd_1.key.pem");
    let kdh = p("x9-tr34-2019-annexb/keys/b2_1_5_kdh_1.cert.pem");
    // B.12 RT-KRD nonce; the leaf certificates expired on 2020-10-29: fixed time.
    let nonce = "167EB0E72781E4940112233445566778";
    for t in ["b9_kt_kdh_2pass.errata.der", "b9_kt_kdh_2pass.original.der"] {
        let tok = p(&format!("x9-tr34-2019-annexb/{t}"));
        let base = [
            "tr34",
            "open",
            "--token",
            &tok,
            "--krd-key",
            &krd,
            "--kdh-cert",
            &kdh,
            "--at",
            "2019-06-01T00:00:00Z",
        ];
        fails(2, &base, &[]);
        let mut a = base.to_vec();
        a.extend(["--nonce", nonce]);
        fails(1, &a, &[]);
    }
    for t in ["b8_kt_kdh_1pass.errata.der", "b8_kt_kdh_1pass.original.der"] {
        let tok = p(&format!("x9-tr34-2019-annexb/{t}"));
        let base = [
            "tr34",
            "open",
            "--token",
            &tok,
            "--krd-key",
            &krd,
            "--kdh-cert",
            &kdh,
            "--at",
            "2019-06-01T00:00:00Z",
        ];
        fails(1, &base, &[]);
        let mut a = base.to_vec();
        a.extend(["--nonce", nonce]);
        fails(2, &a, &[]);
    }
    let fx_cert = p("futurex-dspread/kdh_dspread_ausrkms101.cert.pem");
    for t in [
        "futurex-dspread/kt_kdh_2pass_futurex_dspread.der",
        "futurex-dspread/kt_kdh_2pass_futurex_dspread.hex",
    ] {
        let tok = p(t);
        let base = [
            "tr34",
            "open",
            "--token",
            &tok,
            "--krd-key",
            &krd,
            "--kdh-cert",
            &fx_cert,
        ];
        fails(2, &base, &[]);
        let mut a = base.to_vec();
        a.extend([
            "--nonce",
            "4CDCEDD916AAACEEAE548A1C5B0A0EAA",
            "--at",
            "2024-01-01",
        ]);
        fails(1, &a, &[]);
    }
}

#[test]
fn crl_in_the_token_is_honoured_with_a_trust_anchor() {
    let ca = data("test-pki/certs/ca_kdh.cert.pem");
    let key = "0123456789ABCDEFFEDCBA9876543210";
    let nonce = "00112233445566778899AABBCCDDEEFF";
    let out = out_path("crl.der").display().to_string();
    for (crl, revoked) in [
        ("test-pki/certs/ca_kdh.crl.pem", false),
        ("test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem", true),
    ] {
        ok(&[
            "tr34",
            "build",
            "--kdh-key",
            &data("test-pki/keys/kdh_1.key.pem"),
            "--kdh-cert",
            &data("test-pki/certs/kdh_1.cert.pem"),
            "--krd-cert",
            &data("test-pki/certs/krd_1.cert.pem"),
            "--key",
            key,
            "--header",
            "A0256K0TB00E0000",
            "--nonce",
            nonce,
            "--layout",
            "x9-2019",
            "--crl",
            &data(crl),
            "--out",
            &out,
        ]);
        let open = [
            "tr34",
            "open",
            "--token",
            &out,
            "--krd-key",
            &data("test-pki/keys/krd_1.key.pem"),
            "--kdh-cert",
            &data("test-pki/certs/kdh_1.cert.pem"),
            "--nonce",
            nonce,
        ];
        // Without a trust anchor the pinned KDH certificate is trusted as is.
        assert_eq!(ok1(&open), key);
        let mut anchored = open.to_vec();
        anchored.extend(["--ca-cert", &ca]);
        if revoked {
            fails(1, &anchored, &[key]);
        } else {
            assert_eq!(ok1(&anchored), key);
        }
    }
    // The AWS layout carries no CRL: exit 2.
    fails(
        2,
        &[
            "tr34",
            "build",
            "--kdh-key",
            &data("test-pki/keys/kdh_1.key.pem"),
            "--kdh-cert",
            &data("test-pki/certs/kdh_1.cert.pem"),
            "--krd-cert",
            &data("test-pki/certs/krd_1.cert.pem"),
            "--key",
            key,
            "--header",
            "A0256K0TB00E0000",
            "--nonce",
            nonce,
            "--layout",
            "aws",
            "--crl",
            &data("test-pki/certs/ca_kdh.crl.pem"),
            "--out",
            &out,
        ],
        &[key],
    );
}
