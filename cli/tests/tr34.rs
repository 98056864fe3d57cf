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
use paycrypt_primitives::rng::ReplayRng;
use paycrypt_tr34::{
    Certificate, IssuerAndSerialNumber, KeyHeader, KeyTokenBuilder, Layout, Pass, SoftwareRsaKey,
    hazmat,
};
use serde_json::Value;
use std::path::PathBuf;

/// The absolute path of `data/tr34/REL`, as a `&'static str`.
macro_rules! tr34_data {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tr34/", $rel)
    };
}

const KDH_KEY: &str = tr34_data!("test-pki/keys/kdh_1.key.pem");
const KDH_CERT: &str = tr34_data!("test-pki/certs/kdh_1.cert.pem");
const KRD_KEY: &str = tr34_data!("test-pki/keys/krd_1.key.pem");
const KRD_CERT: &str = tr34_data!("test-pki/certs/krd_1.cert.pem");
const KDH_CA_CERT: &str = tr34_data!("test-pki/certs/ca_kdh.cert.pem");
const AWS_TOKEN: &str = tr34_data!("tokens/aws2012_2pass_tdes.der");

/// `paycrypt tr34 build` from KDH 1 to KRD 1 of the test PKI; the rest follows.
const BUILD: [&str; 8] = [
    "tr34",
    "build",
    "--kdh-key",
    KDH_KEY,
    "--kdh-cert",
    KDH_CERT,
    "--krd-cert",
    KRD_CERT,
];

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

fn out_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paycrypt-cli-tr34-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `paycrypt tr34 open --token TOKEN --krd-key KRD_KEY --kdh-cert KDH_CERT EXTRA...`.
fn open_args<'a>(
    token: &'a str,
    krd_key: &'a str,
    kdh_cert: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    with_extra(
        &[
            "tr34",
            "open",
            "--token",
            token,
            "--krd-key",
            krd_key,
            "--kdh-cert",
            kdh_cert,
        ],
        extra,
    )
}

#[test]
fn open_published_tokens() {
    for (name, layout) in [
        ("aws2012_2pass_tdes", "aws"),
        ("x9_2019_2pass_tdes", "x9-2019"),
    ] {
        let tok = token(name);
        let key = str_field(&tok, "expected_clear_key_hex");
        let nonce = str_field(&tok, "random_nonce_hex");
        let krd_key = data(str_field(&tok, "krd_key"));
        for file in [
            data(&format!("tokens/{name}.der")),
            data(&format!("tokens/{name}.hex")),
        ] {
            let a = open_args(&file, &krd_key, KDH_CERT, &["--nonce", nonce]);
            assert_eq!(ok1(&a), key, "{name}");
            let j = ok_json(&a);
            assert_eq!(s(&j, "key"), key);
            assert_eq!(s(&j, "header"), str_field(&tok, "key_block_header"));
            assert_eq!(s(&j, "layout"), layout);
            assert_eq!(s(&j, "pass"), "two-pass");
            // With the KDH CA as trust anchor (and the CRL the token may carry).
            assert_eq!(ok1(&with_extra(&a, &["--ca-cert", KDH_CA_CERT])), key);
            // KCV of the clear key as published.
            assert_eq!(
                ok1(&["kcv", "--key", key, "--algorithm", "tdes"]),
                str_field(&tok, "expected_kcv")
            );
        }
        let der = data(&format!("tokens/{name}.der"));
        let zero_nonce = "00".repeat(nonce.len() / 2);
        // (expected exit, options after the KDH certificate); the clear key must not leak.
        let cases: [(i32, &[&str]); 7] = [
            // Wrong nonce: exit 1. No nonce for a two-pass token: exit 2. --not-before on it: exit 2.
            (1, &["--nonce", &zero_nonce]),
            (2, &[]),
            (2, &["--nonce", nonce, "--not-before", "2025-01-01"]),
            // Certificates outside their validity (2025-2045) at --at: exit 1.
            (1, &["--nonce", nonce, "--at", "2050-01-01T00:00:00Z"]),
            // A trust anchor that did not issue the KDH certificate: exit 1.
            (
                1,
                &[
                    "--nonce",
                    nonce,
                    "--ca-cert",
                    tr34_data!("test-pki/certs/ca_krd.cert.pem"),
                ],
            ),
            // Bad --at, bad nonce hex: exit 2.
            (2, &["--nonce", nonce, "--at", "yesterday"]),
            (2, &["--nonce", "XYZ"]),
        ];
        for (code, extra) in cases {
            fails(code, &open_args(&der, &krd_key, KDH_CERT, extra), &[key]);
        }
        // Inside the certificates' validity: fine.
        ok(&open_args(
            &der,
            &krd_key,
            KDH_CERT,
            &["--nonce", nonce, "--at", "2030-06-01T12:00:00Z"],
        ));
        // The wrong KRD key: exit 1.
        fails(
            1,
            &open_args(
                &der,
                tr34_data!("test-pki/keys/krd_2_rsa3072.key.pem"),
                KDH_CERT,
                &["--nonce", nonce],
            ),
            &[key],
        );
    }
}

#[test]
fn tampered_and_malformed_tokens() {
    let tok = token("aws2012_2pass_tdes");
    let nonce = str_field(&tok, "random_nonce_hex");
    let krd_key = data(str_field(&tok, "krd_key"));
    let der = std::fs::read(AWS_TOKEN).unwrap();
    // Flip a byte near the end (signature).
    let mut t = der.clone();
    let n = t.len() - 5;
    t[n] ^= 1;
    let tampered = out_path("tampered.der");
    std::fs::write(&tampered, &t).unwrap();
    let truncated = out_path("truncated.der");
    std::fs::write(&truncated, &der[..der.len() / 2]).unwrap();
    let garbage = out_path("garbage.txt");
    std::fs::write(&garbage, "not a token\n").unwrap();
    for (code, token) in [
        // A flipped signature byte: rejected, exit 1.
        (1, tampered.display().to_string()),
        // Truncated / garbage: does not parse, exit 2.
        (2, truncated.display().to_string()),
        (2, garbage.display().to_string()),
        // A missing file: exit 2.
        (2, "/nonexistent/token.der".to_owned()),
    ] {
        fails(
            code,
            &open_args(&token, &krd_key, KDH_CERT, &["--nonce", nonce]),
            &[],
        );
    }
    // A certificate where a key belongs: exit 2.
    fails(
        2,
        &open_args(AWS_TOKEN, KRD_CERT, KDH_CERT, &["--nonce", nonce]),
        &[],
    );
}

#[test]
fn build_reproduces_the_aws_token_byte_for_byte() {
    let tok = token("aws2012_2pass_tdes");
    let key = str_field(&tok, "expected_clear_key_hex");
    let out = out_path("aws-built.der");
    let o = out.display().to_string();
    let args = with_extra(
        &BUILD,
        &[
            "--key",
            key,
            "--header",
            str_field(&tok, "key_block_header"),
            "--nonce",
            str_field(&tok, "random_nonce_hex"),
            "--layout",
            "aws",
            "--ephemeral-key",
            str_field(&tok, "ephemeral_key_hex"),
            "--iv",
            str_field(&tok, "iv_hex"),
            "--oaep-seed",
            str_field(&tok, "oaep_seed_hex"),
            "--annex-b-quirks",
            "--out",
            &o,
        ],
    );
    assert_eq!(ok1(&args), o);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(AWS_TOKEN).unwrap()
    );
    // --hex writes the AWS hex form.
    let outh = out_path("aws-built.hex").display().to_string();
    let mut h = args.clone();
    let last = h.len() - 1;
    h[last] = &outh;
    h.push("--hex");
    let j = ok_json(&h);
    assert_eq!(s(&j, "layout"), "aws");
    assert_eq!(s(&j, "pass"), "two-pass");
    assert_eq!(
        std::fs::read_to_string(&outh).unwrap().trim(),
        std::fs::read_to_string(data("tokens/aws2012_2pass_tdes.hex"))
            .unwrap()
            .trim()
    );
    // The key from a file and from stdin.
    let kf = TempFile::new("tr34key", &format!("{key}\n"));
    let key_file = kf.at();
    let mut f = args.clone();
    let kpos = f.iter().position(|a| *a == "--key").unwrap() + 1;
    f[kpos] = &key_file;
    ok(&f);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(AWS_TOKEN).unwrap()
    );
    f[kpos] = "-";
    ok_stdin(&f, Some(key));
    // Only some of the deterministic inputs: exit 2.
    let partial = with_extra(&args[..args.len() - 4], &["--out", &o]);
    fails(2, &partial, &[key]);
}

#[test]
fn build_then_open_all_layouts_and_passes() {
    let key = "0123456789ABCDEFFEDCBA9876543210";
    let nonce = "00112233445566778899AABBCCDDEEFF";
    for layout in ["aws", "x9-2019", "rfc5652"] {
        for (header, k) in [
            ("A0256K0TB00E0000", key),
            ("D0256K0AB00E0000", "F039121BEC83D26B169BDCD5B22AAF8F"),
        ] {
            let o = out_path(&format!("rt-{layout}-{header}.der"))
                .display()
                .to_string();
            let build = with_extra(
                &BUILD,
                &[
                    "--key", k, "--header", header, "--layout", layout, "--out", &o,
                ],
            );
            let open = open_args(&o, KRD_KEY, KDH_CERT, &[]);
            ok(&with_extra(&build, &["--nonce", nonce]));
            let lines = ok(&with_extra(&open, &["--nonce", nonce, "--json"]));
            let j: Value = serde_json::from_str(&lines[0]).unwrap();
            assert_eq!(j["key"], k);
            // Strict DER CMS by default: an x9-2019 build has the rfc5652 form.
            let expected = if layout == "x9-2019" {
                "rfc5652"
            } else {
                layout
            };
            assert_eq!(j["layout"], expected);
            // With --annex-b-quirks it keeps the Annex B form.
            let q = format!("{o}.quirks");
            ok(&with_extra(
                &BUILD,
                &[
                    "--key",
                    k,
                    "--header",
                    header,
                    "--layout",
                    layout,
                    "--annex-b-quirks",
                    "--out",
                    &q,
                    "--nonce",
                    nonce,
                ],
            ));
            let lines = ok(&with_extra(
                &open_args(&q, KRD_KEY, KDH_CERT, &[]),
                &["--nonce", nonce, "--json"],
            ));
            let j: Value = serde_json::from_str(&lines[0]).unwrap();
            let expected = if layout == "aws" { "aws" } else { "x9-2019" };
            assert_eq!(j["layout"], expected);
            assert_eq!(j["header"], header);
            // One-pass: --nonce refused (exit 2), --not-before checks the signing time.
            ok(&with_extra(&build, &["--one-pass"]));
            assert_eq!(ok1(&open), k);
            assert_eq!(
                ok1(&with_extra(
                    &open,
                    &["--not-before", "2020-01-01T00:00:00Z"]
                )),
                k
            );
            fails(
                1,
                &with_extra(&open, &["--not-before", "2099-01-01T00:00:00Z"]),
                &[k],
            );
            fails(2, &with_extra(&open, &["--nonce", nonce]), &[k]);
        }
    }
    // Build errors: key not fitting the header, both/neither of --nonce and --one-pass.
    let o = out_path("bad.der").display().to_string();
    let base = with_extra(&BUILD, &["--header", "A0256K0TB00E0000", "--out", &o]);
    let cases: [&[&str]; 5] = [
        &["--key", "0123456789ABCDEF", "--one-pass"],
        &["--key", key],
        &["--key", key, "--one-pass", "--nonce", "0011223344556677"],
        &["--key", key, "--nonce", "0011"],
        &["--key", key, "--one-pass", "--layout", "pkcs7"],
    ];
    for extra in cases {
        fails(2, &with_extra(&base, extra), &[key, "0123456789ABCDEF"]);
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

/// The TR-34-2019 Annex B samples and the Futurex token (committed in the tr34 crate's
/// `tests/data/`, sources in its `SOURCE.md`). Their RSA-wrapped keys cannot be opened with
/// public keys, so the command line must *parse* every layout (exit 1 at decryption, not 2) and
/// tell one-pass from two-pass tokens.
#[test]
fn annex_b_and_futurex_layouts_parse() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tr34/tests/data");
    assert!(root.join("annex-b").is_dir() && root.join("futurex-dspread").is_dir());
    let p = |rel: &str| root.join(rel).display().to_string();
    let krd = p("annex-b/keys/b2_1_7_krd_1.key.pem");
    let kdh = p("annex-b/keys/b2_1_5_kdh_1.cert.pem");
    let fx_cert = p("futurex-dspread/kdh_dspread_ausrkms101.cert.pem");
    // The leaf certificates expired on 2020-10-29: fixed time.
    let annex_b_time: &[&str] = &["--at", "2019-06-01T00:00:00Z"];
    // B.12 RT-KRD nonce.
    let annex_b_nonce: &[&str] = &["--nonce", "167EB0E72781E4940112233445566778"];
    let futurex_nonce: &[&str] = &[
        "--nonce",
        "4CDCEDD916AAACEEAE548A1C5B0A0EAA",
        "--at",
        "2024-01-01",
    ];
    // (token, KDH certificate, options, the nonce options, exit without them, exit with them)
    let two_pass = (2, 1);
    let one_pass = (1, 2);
    for (token, kdh_cert, options, nonce, (without_nonce, with_nonce)) in [
        (
            "annex-b/b9_kt_kdh_2pass.errata.der",
            &kdh,
            annex_b_time,
            annex_b_nonce,
            two_pass,
        ),
        (
            "annex-b/b9_kt_kdh_2pass.original.der",
            &kdh,
            annex_b_time,
            annex_b_nonce,
            two_pass,
        ),
        (
            "annex-b/b8_kt_kdh_1pass.errata.der",
            &kdh,
            annex_b_time,
            annex_b_nonce,
            one_pass,
        ),
        (
            "annex-b/b8_kt_kdh_1pass.original.der",
            &kdh,
            annex_b_time,
            annex_b_nonce,
            one_pass,
        ),
        (
            "futurex-dspread/kt_kdh_2pass_futurex_dspread.der",
            &fx_cert,
            &[],
            futurex_nonce,
            two_pass,
        ),
        (
            "futurex-dspread/kt_kdh_2pass_futurex_dspread.hex",
            &fx_cert,
            &[],
            futurex_nonce,
            two_pass,
        ),
    ] {
        let tok = p(token);
        let base = open_args(&tok, &krd, kdh_cert, options);
        fails(without_nonce, &base, &[]);
        fails(with_nonce, &with_extra(&base, nonce), &[]);
    }
}

#[test]
fn crl_in_the_token_is_honoured_with_a_trust_anchor() {
    let key = "0123456789ABCDEFFEDCBA9876543210";
    let nonce = "00112233445566778899AABBCCDDEEFF";
    let out = out_path("crl.der").display().to_string();
    let build = |layout: &'static str, crl: &'static str| {
        with_extra(
            &BUILD,
            &[
                "--key",
                key,
                "--header",
                "A0256K0TB00E0000",
                "--nonce",
                nonce,
                "--layout",
                layout,
                "--crl",
                crl,
                "--out",
                &out,
            ],
        )
    };
    let kdh_ca_crl = tr34_data!("test-pki/certs/ca_kdh.crl.pem");
    for (crl, revoked) in [
        (kdh_ca_crl, false),
        (
            tr34_data!("test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem"),
            true,
        ),
    ] {
        ok(&build("x9-2019", crl));
        let open = open_args(&out, KRD_KEY, KDH_CERT, &["--nonce", nonce]);
        // Without a trust anchor the pinned KDH certificate is trusted as is.
        assert_eq!(ok1(&open), key);
        let anchored = with_extra(&open, &["--ca-cert", KDH_CA_CERT]);
        if revoked {
            fails(1, &anchored, &[key]);
        } else {
            assert_eq!(ok1(&anchored), key);
        }
    }
    // The AWS layout carries no CRL: exit 2.
    fails(2, &build("aws", kdh_ca_crl), &[key]);
}

// Tokens whose signature verifies but whose KeyBlock breaks a rule the KRD checks after it
// (TR-34-2019 §5.4.9: idKDH is the signer, the header is the signed header attribute;
// TR-34-2019 Table 15: TDES 16/24-byte and AES-128 keys only). Nothing in such a token is
// secret from the KRD, so `tr34 open` exits 1 naming the rule; the same token altered before
// the signature is the one opaque rejection (issue 13 item 7). The tokens are crafted
// in-process with `paycrypt_tr34::hazmat::build_unchecked` over the test PKI.

const NONCE: [u8; 8] = [0x5A; 8];
const NONCE_HEX: &str = "5A5A5A5A5A5A5A5A";

fn cert(path: &str) -> Certificate {
    Certificate::from_pem_or_der(&std::fs::read(path).unwrap()).unwrap()
}

/// A two-pass token from KDH 1 to KRD 1 with the KeyBlock as given, written to a file.
fn crafted(
    name: &str,
    id_kdh: &IssuerAndSerialNumber,
    clear_key: &[u8],
    content_header: &str,
    signed_header: &str,
) -> PathBuf {
    let kdh_key = SoftwareRsaKey::from_pkcs8_pem_or_der(&std::fs::read(KDH_KEY).unwrap()).unwrap();
    let (kdh, krd) = (cert(KDH_CERT), cert(KRD_CERT));
    let builder = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, Layout::Rfc5652);
    let der = hazmat::build_unchecked(
        &builder,
        id_kdh,
        clear_key,
        &KeyHeader::parse(content_header).unwrap(),
        &KeyHeader::parse(signed_header).unwrap(),
        Pass::TwoPass { nonce: &NONCE[..] },
        &mut ReplayRng::new(&[0x33; 24 + 16 + 32]),
    )
    .unwrap();
    let path = out_path(name);
    std::fs::write(&path, der).unwrap();
    path
}

/// `tr34 open` of a crafted token with the nonce it carries.
fn open_crafted(token: &str) -> Vec<&str> {
    open_args(token, KRD_KEY, KDH_CERT, &["--nonce", NONCE_HEX])
}

const HEADER_T: &str = "A0256K0TB00E0000";
const HEADER_A: &str = "D0256K0AB00E0000";

#[test]
fn a_good_crafted_token_opens() {
    let id = cert(KDH_CERT).issuer_and_serial();
    let t = crafted("good.der", &id, &[0x5A; 16], HEADER_T, HEADER_T);
    let out = ok_json(&open_crafted(t.to_str().unwrap()));
    assert_eq!(s(&out, "key"), "5A".repeat(16));
}

#[test]
fn key_block_mismatch_names_the_rule() {
    let kdh_id = cert(KDH_CERT).issuer_and_serial();
    // The KeyBlock's header is not the signed header attribute.
    let t = crafted(
        "header.der",
        &kdh_id,
        &[0x5A; 16],
        "A0256K0TB00N0000",
        HEADER_T,
    );
    let e = fails(
        1,
        &open_crafted(t.to_str().unwrap()),
        &["5A5A5A5A5A5A5A5A5A5A"],
    );
    assert!(
        e.contains("header differs from the signed header attribute (TR-34-2019 §5.4.9)"),
        "{e}"
    );
    // The KeyBlock's idKDH is the KRD's certificate, not the signer.
    let krd_id = cert(KRD_CERT).issuer_and_serial();
    let t = crafted("idkdh.der", &krd_id, &[0x5A; 16], HEADER_T, HEADER_T);
    let e = fails(1, &open_crafted(t.to_str().unwrap()), &[]);
    assert!(
        e.contains("idKDH is not the signer's IssuerAndSerialNumber (TR-34-2019 §5.4.9)"),
        "{e}"
    );
}

#[test]
fn key_length_names_the_rule() {
    let id = cert(KDH_CERT).issuer_and_serial();
    for (name, key, header, rule) in [
        (
            "aes256.der",
            &[0x5A; 32][..],
            HEADER_A,
            "32-byte key under algorithm A",
        ),
        (
            "aes192.der",
            &[0x5A; 24][..],
            HEADER_A,
            "24-byte key under algorithm A",
        ),
        (
            "des.der",
            &[0x5A; 8][..],
            HEADER_T,
            "8-byte key under algorithm T",
        ),
    ] {
        let t = crafted(name, &id, key, header, header);
        let e = fails(1, &open_crafted(t.to_str().unwrap()), &["5A5A5A5A5A5A5A5A"]);
        assert!(e.contains(rule), "{name}: {e}");
        assert!(
            e.contains(
                "TR-34 carries TDES (16 or 24 bytes, algorithm T) and AES-128 (16 bytes, algorithm A) keys only"
            ),
            "{name}: {e}"
        );
    }
}

#[test]
fn before_the_signature_it_stays_opaque() {
    // The same wrong KeyBlock with the signature broken: the one rejection, no rule named.
    let id = cert(KDH_CERT).issuer_and_serial();
    let t = crafted("broken.der", &id, &[0x5A; 32], HEADER_A, HEADER_A);
    let mut der = std::fs::read(&t).unwrap();
    let last = der.len() - 1;
    der[last] ^= 1;
    std::fs::write(&t, der).unwrap();
    let e = fails(1, &open_crafted(t.to_str().unwrap()), &[]);
    assert_eq!(e, "error: TR-34 token rejected");
}
