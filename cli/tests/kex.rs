//! `paycrypt keywrap|kdf|ecdh|rsa` (contract `cli-keyexchange.md`) against the published
//! vectors (`keyexchange/tests/data/keywrap.json`, `ecdh.json`), the pyca/cryptography vectors
//! (`independent.json`) and the test keys of `keyexchange/tests/data/keys/`; and the TR-34
//! commands with certificates and keys in AWS's base64-of-PEM form (issue 13 item 6).
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

macro_rules! keys {
    ($rel:literal) => {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../keyexchange/tests/data/keys/",
            $rel
        )
    };
}

const KEYWRAP: &str = include_str!("../../keyexchange/tests/data/keywrap.json");
const ECDH: &str = include_str!("../../keyexchange/tests/data/ecdh.json");
const INDEPENDENT: &str = include_str!("../../keyexchange/tests/data/independent.json");

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("paycrypt-cli-kex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p: PathBuf = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn b64_file(name: &str, path: &str) -> String {
    let pem = std::fs::read(path).unwrap();
    let text = base64(&pem);
    temp(name, text.as_bytes())
}

/// Standard base64 (RFC 4648 §4) with padding, for the AWS form.
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn flip_hex(h: &str, i: usize) -> String {
    let c = h.as_bytes()[i];
    let n = if c == b'0' { '1' } else { '0' };
    format!("{}{n}{}", &h[..i], &h[i + 1..])
}

// ---------------------------------------------------------------------------------------------
// keywrap

#[test]
fn keywrap_vectors_and_tamper() {
    let (mut n, mut t) = (0, 0);
    for v in vectors(KEYWRAP) {
        let alg = str_field(&v, "algorithm");
        let kek = str_field(&v, "kek");
        let wrapped = str_field(&v, "wrapped");
        let dir = str_field(&v, "direction");
        let unwrap = [
            "keywrap",
            "unwrap",
            "--algorithm",
            alg,
            "--kek",
            kek,
            "--wrapped",
            wrapped,
        ];
        if str_field(&v, "expect") == "integrity_failure" {
            let m = fails(1, &unwrap, &[kek]);
            assert_eq!(m, "error: integrity check failed");
            n += 1;
            continue;
        }
        let key = str_field(&v, "key");
        if dir != "unwrap" {
            let wrap = [
                "keywrap",
                "wrap",
                "--algorithm",
                alg,
                "--kek",
                kek,
                "--key",
                key,
            ];
            assert_eq!(ok1(&wrap), wrapped, "{}", v["id"]);
            let j = ok_json(&wrap);
            assert_eq!(j["wrapped"], wrapped);
            assert_eq!(j["algorithm"], alg);
        }
        if dir != "wrap" {
            assert_eq!(ok1(&unwrap), key, "{}", v["id"]);
            let j = ok_json(&unwrap);
            assert_eq!(j["key"], key);
            assert_eq!(j["algorithm"], alg);
            // A flipped byte: exit 1, one message, no key on stdout.
            let bad = flip_hex(wrapped, wrapped.len() / 2);
            let a = [
                "keywrap",
                "unwrap",
                "--algorithm",
                alg,
                "--kek",
                kek,
                "--wrapped",
                &bad,
            ];
            assert_eq!(fails(1, &a, &[kek, key]), "error: integrity check failed");
            t += 1;
        }
        n += 1;
    }
    assert_eq!(n, 166);
    assert!(t >= 80);
}

#[test]
fn keywrap_usage_policy_and_secrets() {
    const KEK: &str = "000102030405060708090A0B0C0D0E0F";
    const KEY: &str = "00112233445566778899AABBCCDDEEFF";
    const W: &str = "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5";
    let wrap = |alg: &'static str, kek: &'static str, key: &'static str| {
        vec![
            "keywrap",
            "wrap",
            "--algorithm",
            alg,
            "--kek",
            kek,
            "--key",
            key,
        ]
    };
    // Lengths outside the table: exit 2.
    fails(2, &wrap("aes-kw", KEK, "0011"), &[KEK]);
    fails(2, &wrap("aes-kw", "0011", KEY), &[KEY]);
    fails(2, &wrap("tdes-kw", KEK, KEY), &[KEY]);
    fails(2, &wrap("aes-kwp", KEK, ""), &[KEK]);
    fails(
        2,
        &[
            "keywrap",
            "unwrap",
            "--algorithm",
            "aes-kw",
            "--kek",
            KEK,
            "--wrapped",
            "00",
        ],
        &[KEK],
    );
    fails(
        2,
        &[
            "keywrap",
            "unwrap",
            "--algorithm",
            "aes-kw",
            "--kek",
            KEK,
            "--wrapped",
            "XYZ",
        ],
        &[KEK],
    );
    fails(2, &wrap("des-kw", KEK, KEY), &[]);
    // --key-type: length must match (wrap 2, unwrap 1), KEK at least as strong (1).
    fails(
        2,
        &with_extra(&wrap("aes-kw", KEK, KEY), &["--key-type", "tdes3"]),
        &[KEK, KEY],
    );
    let u = [
        "keywrap",
        "unwrap",
        "--algorithm",
        "aes-kw",
        "--kek",
        KEK,
        "--wrapped",
        W,
    ];
    assert_eq!(
        fails(1, &with_extra(&u, &["--key-type", "tdes3"]), &[KEY]),
        "error: integrity check failed"
    );
    assert_eq!(ok1(&with_extra(&u, &["--key-type", "aes128"])), KEY);
    assert_eq!(ok1(&with_extra(&u, &["--key-type", "tdes2"])), KEY);
    assert_eq!(
        fails(
            1,
            &with_extra(
                &wrap(
                    "aes-kw",
                    KEK,
                    "00112233445566778899AABBCCDDEEFF0011223344556677"
                ),
                &["--key-type", "aes192"]
            ),
            &[KEK]
        ),
        "error: wrapping key weaker than wrapped key"
    );
    assert_eq!(
        fails(1, &with_extra(&u, &["--key-type", "aes256"]), &[KEK]),
        "error: wrapping key weaker than wrapped key"
    );
    let tdes_kek = "0123456789ABCDEFFEDCBA987654321089ABCDEF01234567";
    assert_eq!(
        fails(
            1,
            &with_extra(&wrap("tdes-kw", tdes_kek, KEY), &["--key-type", "aes128"]),
            &[tdes_kek]
        ),
        "error: wrapping key weaker than wrapped key"
    );
    assert!(
        !ok1(&with_extra(
            &wrap("tdes-kw", tdes_kek, KEY),
            &["--key-type", "tdes2"]
        ))
        .is_empty()
    );
    // A single-DES-equivalent TDEA KEK: exit 1.
    fails(
        1,
        &wrap(
            "tdes-kw",
            "0123456789ABCDEF0123456789ABCDEFFEDCBA9876543210",
            KEY,
        ),
        &[],
    );
    // Secrets from @FILE and stdin; lower-case hex in.
    let f = temp("kek.hex", format!("{}\n", KEK.to_lowercase()).as_bytes());
    let at = format!("@{f}");
    assert_eq!(
        ok_stdin(
            &[
                "keywrap",
                "wrap",
                "--algorithm",
                "aes-kw",
                "--kek",
                &at,
                "--key",
                "-"
            ],
            Some(KEY)
        )[0],
        W
    );
}

// ---------------------------------------------------------------------------------------------
// kdf

#[test]
fn kdf_vectors() {
    let mut n = 0;
    for v in vectors(ECDH) {
        let (kdf, z, info, want) = match str_field(&v, "kind") {
            "ecdh_concat_kdf" => (
                "concat",
                str_field(&v, "z"),
                str_field(&v, "other_info"),
                str_field(&v, "dkm"),
            ),
            "x963_kdf" => (
                "x963",
                str_field(&v, "z"),
                str_field(&v, "shared_info"),
                str_field(&v, "key_data"),
            ),
            _ => continue,
        };
        let len = (want.len() / 2).to_string();
        let hash = str_field(&v, "hash");
        let a = [
            "kdf",
            kdf,
            "--hash",
            hash,
            "--z",
            z,
            "--shared-info",
            info,
            "--length",
            &len,
        ];
        assert_eq!(ok1(&a), want, "{}", v["id"]);
        let j = ok_json(&a);
        assert_eq!(
            (j["kdf"].as_str(), j["hash"].as_str(), j["derived"].as_str()),
            (Some(kdf), Some(hash), Some(want))
        );
        n += 1;
    }
    assert_eq!(n, 18);
    // Empty and omitted shared info are the same; --length limits.
    let a = ok1(&[
        "kdf", "x963", "--hash", "sha256", "--z", "0102", "--length", "40",
    ]);
    assert_eq!(
        a,
        ok1(&[
            "kdf",
            "x963",
            "--hash",
            "sha256",
            "--z",
            "0102",
            "--shared-info",
            "",
            "--length",
            "40"
        ])
    );
    assert_eq!(a.len(), 80);
    fails(
        2,
        &[
            "kdf", "concat", "--hash", "sha256", "--z", "0102", "--length", "0",
        ],
        &["0102"],
    );
    fails(
        2,
        &[
            "kdf", "concat", "--hash", "sha256", "--z", "0102", "--length", "1025",
        ],
        &["0102"],
    );
    fails(
        2,
        &[
            "kdf", "concat", "--hash", "md5", "--z", "0102", "--length", "16",
        ],
        &["0102"],
    );
    fails(
        2,
        &[
            "kdf",
            "concat",
            "--hash",
            "sha256",
            "--z",
            "0102",
            "--shared-info",
            "0",
            "--length",
            "16",
        ],
        &["0102"],
    );
    ok1(&[
        "kdf", "concat", "--hash", "sha512", "--z", "-", "--length", "1024",
    ]);
}

// ---------------------------------------------------------------------------------------------
// ecdh

fn deriv<'a>(
    own: &'a str,
    peer: &'a str,
    kdf: &'a str,
    hash: &'a str,
    info: &'a str,
    t: &'a str,
) -> Vec<&'a str> {
    vec![
        "--private-key",
        own,
        "--peer-cert",
        peer,
        "--kdf",
        kdf,
        "--hash",
        hash,
        "--shared-info",
        info,
        "--kbpk-type",
        t,
    ]
}

#[test]
fn ecdh_both_sides_agree_in_every_form() {
    let sides = [
        (
            keys!("kdh-p256.key.pem"),
            keys!("krd-p256.cert.b64"),
            keys!("krd-p256.sec1.pem"),
            keys!("kdh-p256.cert.der"),
        ),
        (
            keys!("kdh-p384.sec1.pem"),
            keys!("krd-p384.cert.pem"),
            keys!("krd-p384.key.der"),
            keys!("kdh-p384.spki.pem"),
        ),
        (
            keys!("kdh-p521.key.der"),
            keys!("krd-p521.cert.der"),
            keys!("krd-p521.key.pem"),
            keys!("kdh-p521.cert.b64"),
        ),
    ];
    for ((a, qb, b, qa), (curve, zlen, kt)) in sides.iter().zip([
        ("P-256", 64, "aes128"),
        ("P-384", 96, "aes192"),
        ("P-521", 132, "aes256"),
    ]) {
        let z1 = ok1(&[
            "ecdh",
            "shared-secret",
            "--private-key",
            a,
            "--peer-cert",
            qb,
        ]);
        let z2 = ok1(&[
            "ecdh",
            "shared-secret",
            "--private-key",
            b,
            "--peer-cert",
            qa,
        ]);
        assert_eq!(z1, z2);
        assert_eq!(z1.len(), zlen);
        let j = ok_json(&[
            "ecdh",
            "shared-secret",
            "--private-key",
            a,
            "--peer-cert",
            qb,
        ]);
        assert_eq!(j["z"], z1.as_str());
        assert_eq!(j["curve"], *curve);
        for (kdf, hash) in [("concat", "sha256"), ("x963", "sha512")] {
            let info = "A1B2C3D4E5F60718";
            let ka = ok_json(&with_extra(
                &["ecdh", "kbpk"],
                &deriv(a, qb, kdf, hash, info, kt),
            ));
            let kb = ok_json(&with_extra(
                &["ecdh", "kbpk"],
                &deriv(b, qa, kdf, hash, info, kt),
            ));
            assert_eq!(ka, kb);
            assert_eq!(ka["curve"], *curve);
            // The same KBPK as `kdf` over Z.
            let len = (ka["kbpk"].as_str().unwrap().len() / 2).to_string();
            assert_eq!(
                ka["kbpk"].as_str().unwrap(),
                ok1(&[
                    "kdf",
                    kdf,
                    "--hash",
                    hash,
                    "--z",
                    &z1,
                    "--shared-info",
                    info,
                    "--length",
                    &len
                ])
            );
            // KCV: AES CMAC of a zero block, 3 bytes.
            assert_eq!(ka["kcv"].as_str().unwrap().len(), 6);
            // A BDK in a version D block, sender a, receiver b.
            let bdk = "0123456789ABCDEFFEDCBA9876543210";
            let mut w = with_extra(&["ecdh", "wrap"], &deriv(a, qb, kdf, hash, info, kt));
            w.extend(["--header", "D0000B0AX00E0000", "--key", bdk]);
            let block = ok1(&w);
            assert!(
                block.starts_with("D0144B0AX00E0000") || block.starts_with("D0112B0AX00E0000"),
                "{block}"
            );
            let mut u = with_extra(&["ecdh", "unwrap"], &deriv(b, qa, kdf, hash, info, kt));
            u.extend(["--block", &block]);
            assert_eq!(ok1(&u), bdk);
            let j = ok_json(&u);
            assert_eq!(j["key"], bdk);
            assert_eq!(j["kbpk_kcv"], ka["kcv"]);
            assert!(j["header"].as_str().unwrap().starts_with("D"));
            // A flipped character of the block: the key-block unwrap message, exit 1.
            let bad = flip_hex(&block, block.len() - 3);
            let mut u2 = with_extra(&["ecdh", "unwrap"], &deriv(b, qa, kdf, hash, info, kt));
            u2.extend(["--block", &bad]);
            assert_eq!(
                fails(1, &u2, &[bdk]),
                "error: key block authentication failed (wrong KBPK or corrupt key block)"
            );
            // The wrong shared info, KDF or hash: the same.
            for (k2, h2, i2) in [
                (kdf, hash, "A1B2C3D4E5F60719"),
                (if kdf == "concat" { "x963" } else { "concat" }, hash, info),
                (kdf, "sha384", info),
            ] {
                let mut u3 = with_extra(&["ecdh", "unwrap"], &deriv(b, qa, k2, h2, i2, kt));
                u3.extend(["--block", &block]);
                fails(1, &u3, &[bdk]);
            }
        }
    }
}

#[test]
fn ecdh_independent_z() {
    // Z of pyca/cryptography from the same scalars: write them as SEC1 keys is not needed —
    // `kdf` on the published Z gives the published KBPKs.
    let doc: Value = serde_json::from_str(INDEPENDENT).unwrap();
    for v in doc["ecdh"].as_array().unwrap() {
        let len = (v["concat"].as_str().unwrap().len() / 2).to_string();
        let got = ok1(&[
            "kdf",
            "concat",
            "--hash",
            str_field(v, "hash"),
            "--z",
            str_field(v, "z"),
            "--shared-info",
            str_field(v, "shared_info"),
            "--length",
            &len,
        ]);
        assert_eq!(got, str_field(v, "concat"));
        let got = ok1(&[
            "kdf",
            "x963",
            "--hash",
            str_field(v, "hash"),
            "--z",
            str_field(v, "z"),
            "--shared-info",
            str_field(v, "shared_info"),
            "--length",
            &len,
        ]);
        assert_eq!(got, str_field(v, "x963"));
    }
}

#[test]
fn ecdh_refusals() {
    let (a, qb) = (keys!("kdh-p256.key.pem"), keys!("krd-p256.cert.pem"));
    fn kbpk(d: Vec<&str>) -> Vec<&str> {
        with_extra(&["ecdh", "kbpk"], &d)
    }
    // Curve mismatch and strength: exit 1 with the contract's messages.
    assert_eq!(
        fails(
            1,
            &kbpk(deriv(
                a,
                keys!("krd-p384.cert.pem"),
                "concat",
                "sha256",
                "01",
                "aes128"
            )),
            &[]
        ),
        "error: curve mismatch"
    );
    assert_eq!(
        fails(
            1,
            &kbpk(deriv(a, qb, "concat", "sha256", "01", "aes192")),
            &[]
        ),
        "error: curve weaker than derived key"
    );
    assert_eq!(
        fails(
            1,
            &kbpk(deriv(
                keys!("kdh-p384.key.pem"),
                keys!("krd-p384.cert.pem"),
                "concat",
                "sha256",
                "01",
                "aes256"
            )),
            &[]
        ),
        "error: curve weaker than derived key"
    );
    // Shared info: missing, empty, too long, not hex: exit 2.
    let no_info = [
        "ecdh",
        "kbpk",
        "--private-key",
        a,
        "--peer-cert",
        qb,
        "--kdf",
        "concat",
        "--hash",
        "sha256",
        "--kbpk-type",
        "aes128",
    ];
    fails(2, &no_info, &[]);
    fails(
        2,
        &kbpk(deriv(a, qb, "concat", "sha256", "", "aes128")),
        &[],
    );
    let long = "01".repeat(1025);
    fails(
        2,
        &kbpk(deriv(a, qb, "concat", "sha256", &long, "aes128")),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(a, qb, "concat", "sha256", "0G", "aes128")),
        &[],
    );
    // Keys: RSA for ecdh, unsupported curve, encrypted key, garbage, missing file: exit 2.
    fails(
        2,
        &kbpk(deriv(
            keys!("rsa2048.key.pem"),
            qb,
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(
            a,
            keys!("rsa2048.cert.pem"),
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(
            keys!("secp256k1.key.pem"),
            qb,
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(
            a,
            keys!("secp256k1.cert.b64"),
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(
            keys!("encrypted.key.pem"),
            qb,
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    let garbage = temp("garbage.pem", b"not a certificate");
    fails(
        2,
        &kbpk(deriv(a, &garbage, "concat", "sha256", "01", "aes128")),
        &[],
    );
    fails(
        2,
        &kbpk(deriv(
            a,
            "/nonexistent/cert.pem",
            "concat",
            "sha256",
            "01",
            "aes128",
        )),
        &[],
    );
    let big = temp("big.pem", &vec![b'A'; 70_000]);
    fails(
        2,
        &kbpk(deriv(a, &big, "concat", "sha256", "01", "aes128")),
        &[],
    );
    // The peer certificate from stdin.
    let pem = std::fs::read_to_string(qb).unwrap();
    ok_stdin(
        &kbpk(deriv(a, "-", "concat", "sha256", "01", "aes128")),
        Some(&pem),
    );
    // wrap: an AES-256 key under an AES-128 KBPK is refused (exit 1); a B header under an AES
    // KBPK is a usage error (exit 2); unwrap of a B block with an AES KBPK type: exit 2.
    let key32 = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF";
    let mut w = with_extra(
        &["ecdh", "wrap"],
        &deriv(a, qb, "concat", "sha256", "01", "aes128"),
    );
    w.extend(["--header", "D0000B0AX00E0000", "--key", key32]);
    assert_eq!(
        fails(1, &w, &[key32]),
        "error: wrapping key weaker than wrapped key"
    );
    let mut w = with_extra(
        &["ecdh", "wrap"],
        &deriv(a, qb, "concat", "sha256", "01", "aes128"),
    );
    w.extend([
        "--header",
        "B0000B0TX00E0000",
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
    ]);
    fails(2, &w, &["0123456789ABCDEFFEDCBA9876543210"]);
    let mut w = with_extra(
        &["ecdh", "wrap"],
        &deriv(a, qb, "concat", "sha256", "01", "tdes2"),
    );
    w.extend([
        "--header",
        "B0000B0TX00E0000",
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
        "--padding",
        "000000000000",
    ]);
    let block = ok1(&w);
    assert!(block.starts_with("B0"));
    let mut u = with_extra(
        &["ecdh", "unwrap"],
        &deriv(
            keys!("krd-p256.key.pem"),
            keys!("kdh-p256.cert.pem"),
            "concat",
            "sha256",
            "01",
            "aes128",
        ),
    );
    u.extend(["--block", &block]);
    fails(2, &u, &[]);
    let mut u = with_extra(
        &["ecdh", "unwrap"],
        &deriv(
            keys!("krd-p256.key.pem"),
            keys!("kdh-p256.cert.pem"),
            "concat",
            "sha256",
            "01",
            "tdes2",
        ),
    );
    u.extend(["--block", &block]);
    assert_eq!(ok1(&u), "0123456789ABCDEFFEDCBA9876543210");
    // A TDES key block under a 3-key TDES KBPK from P-256, with a key too strong for tdes2.
    let mut w = with_extra(
        &["ecdh", "wrap"],
        &deriv(a, qb, "concat", "sha256", "01", "tdes2"),
    );
    w.extend([
        "--header",
        "B0000B0TX00E0000",
        "--key",
        "0123456789ABCDEFFEDCBA987654321089ABCDEF01234567",
    ]);
    assert_eq!(
        fails(1, &w, &[]),
        "error: wrapping key weaker than wrapped key"
    );
}

// ---------------------------------------------------------------------------------------------
// rsa

#[test]
fn rsa_independent_cryptograms() {
    let doc: Value = serde_json::from_str(INDEPENDENT).unwrap();
    let all = doc["rsa_oaep"].as_array().unwrap();
    for v in all {
        let key_file = format!(
            "{}/../keyexchange/tests/data/{}",
            env!("CARGO_MANIFEST_DIR"),
            str_field(v, "private_key")
        );
        let (scheme, kt, c, key) = (
            str_field(v, "scheme"),
            str_field(v, "key_type"),
            str_field(v, "cryptogram"),
            str_field(v, "key"),
        );
        let a = [
            "rsa",
            "unwrap",
            "--scheme",
            scheme,
            "--private-key",
            &key_file,
            "--cryptogram",
            c,
            "--key-type",
            kt,
        ];
        assert_eq!(ok1(&a), key);
        let j = ok_json(&a);
        assert_eq!(j["key"], key);
        if kt.starts_with("tdes") {
            assert_eq!(
                j["kcv"].as_str().unwrap(),
                ok1(&["kcv", "--key", key, "--algorithm", "tdes"])
                    .get(..6)
                    .unwrap()
            );
        } else {
            assert_eq!(j["kcv"].as_str().unwrap().len(), 6);
        }
        let bad = flip_hex(c, 20);
        let a = [
            "rsa",
            "unwrap",
            "--scheme",
            scheme,
            "--private-key",
            &key_file,
            "--cryptogram",
            &bad,
            "--key-type",
            kt,
        ];
        assert_eq!(
            fails(1, &a, &[key]),
            "error: key cryptogram does not decrypt"
        );
        let other = if kt == "tdes3" { "tdes2" } else { "tdes3" };
        let a = [
            "rsa",
            "unwrap",
            "--scheme",
            scheme,
            "--private-key",
            &key_file,
            "--cryptogram",
            c,
            "--key-type",
            other,
        ];
        assert_eq!(
            fails(1, &a, &[key]),
            "error: key cryptogram does not decrypt"
        );
    }
    assert_eq!(all.len(), 4);
}

#[test]
fn rsa_wrap_unwrap_policy() {
    let key = "0123456789ABCDEFFEDCBA9876543210";
    for (cert, priv_key, bits) in [
        (keys!("rsa2048.cert.b64"), keys!("rsa2048.pkcs1.pem"), 2048),
        (keys!("rsa3072.cert.der"), keys!("rsa3072.key.der"), 3072),
    ] {
        for scheme in ["oaep-sha256", "oaep-sha512"] {
            let seed = if scheme == "oaep-sha256" {
                "11".repeat(32)
            } else {
                "22".repeat(64)
            };
            let w = [
                "rsa",
                "wrap",
                "--scheme",
                scheme,
                "--cert",
                cert,
                "--key",
                key,
                "--key-type",
                "tdes2",
                "--seed",
                &seed,
            ];
            let c = ok1(&w);
            assert_eq!(c, ok1(&w), "--seed is reproducible");
            assert_eq!(c.len(), bits / 4);
            let j = ok_json(&w);
            assert_eq!(j["cryptogram"], c.as_str());
            assert_eq!(j["modulus_bits"], bits);
            let random = ok1(&[
                "rsa",
                "wrap",
                "--scheme",
                scheme,
                "--cert",
                cert,
                "--key",
                key,
                "--key-type",
                "tdes2",
            ]);
            assert_ne!(random, c);
            for ct in [&c, &random] {
                let u = [
                    "rsa",
                    "unwrap",
                    "--scheme",
                    scheme,
                    "--private-key",
                    priv_key,
                    "--cryptogram",
                    ct,
                    "--key-type",
                    "tdes2",
                ];
                assert_eq!(ok1(&u), key);
            }
            // Cryptogram of the wrong length or not hex: exit 2.
            let u = [
                "rsa",
                "unwrap",
                "--scheme",
                scheme,
                "--private-key",
                priv_key,
                "--cryptogram",
                &c[2..],
                "--key-type",
                "tdes2",
            ];
            fails(2, &u, &[key]);
            let u = [
                "rsa",
                "unwrap",
                "--scheme",
                scheme,
                "--private-key",
                priv_key,
                "--cryptogram",
                "ZZ",
                "--key-type",
                "tdes2",
            ];
            fails(2, &u, &[key]);
            // Seed of the wrong length: exit 2.
            fails(
                2,
                &[
                    "rsa",
                    "wrap",
                    "--scheme",
                    scheme,
                    "--cert",
                    cert,
                    "--key",
                    key,
                    "--key-type",
                    "tdes2",
                    "--seed",
                    "00",
                ],
                &[key],
            );
        }
        // aes128 needs ≥ 3072 bits; aes192/aes256 never (exit 1, before any decryption).
        let aes = [
            "rsa",
            "wrap",
            "--scheme",
            "oaep-sha256",
            "--cert",
            cert,
            "--key",
            key,
            "--key-type",
            "aes128",
        ];
        if bits == 2048 {
            assert_eq!(
                fails(1, &aes, &[key]),
                "error: wrapping key weaker than wrapped key"
            );
        } else {
            ok1(&aes);
        }
        let k24 = "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF";
        let a = [
            "rsa",
            "wrap",
            "--scheme",
            "oaep-sha256",
            "--cert",
            cert,
            "--key",
            k24,
            "--key-type",
            "aes192",
        ];
        assert_eq!(
            fails(1, &a, &[k24]),
            "error: wrapping key weaker than wrapped key"
        );
        let u = [
            "rsa",
            "unwrap",
            "--scheme",
            "oaep-sha256",
            "--private-key",
            priv_key,
            "--cryptogram",
            &"00".repeat(bits / 8),
            "--key-type",
            "aes256",
        ];
        assert_eq!(
            fails(1, &u, &[]),
            "error: wrapping key weaker than wrapped key"
        );
        // Key length not the key type's: exit 2.
        fails(
            2,
            &[
                "rsa",
                "wrap",
                "--scheme",
                "oaep-sha256",
                "--cert",
                cert,
                "--key",
                key,
                "--key-type",
                "tdes3",
            ],
            &[key],
        );
    }
    // RSA-1024, an EC certificate for rsa, an EC key for rsa unwrap: exit 2.
    fails(
        2,
        &[
            "rsa",
            "wrap",
            "--scheme",
            "oaep-sha256",
            "--cert",
            keys!("rsa1024.spki.pem"),
            "--key",
            key,
            "--key-type",
            "tdes2",
        ],
        &[key],
    );
    fails(
        2,
        &[
            "rsa",
            "wrap",
            "--scheme",
            "oaep-sha256",
            "--cert",
            keys!("kdh-p256.cert.pem"),
            "--key",
            key,
            "--key-type",
            "tdes2",
        ],
        &[key],
    );
    fails(
        2,
        &[
            "rsa",
            "unwrap",
            "--scheme",
            "oaep-sha256",
            "--private-key",
            keys!("kdh-p256.key.pem"),
            "--cryptogram",
            &"00".repeat(256),
            "--key-type",
            "tdes2",
        ],
        &[],
    );
    fails(
        2,
        &[
            "rsa",
            "unwrap",
            "--scheme",
            "oaep-sha256",
            "--private-key",
            keys!("rsa1024.key.pem"),
            "--cryptogram",
            &"00".repeat(128),
            "--key-type",
            "tdes2",
        ],
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// TR-34 with AWS's base64-of-PEM certificates and keys (issue 13 item 6)

macro_rules! tr34 {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tr34/", $rel)
    };
}

#[test]
fn tr34_accepts_base64_of_pem() {
    let kdh_cert = b64_file("kdh_1.cert.b64", tr34!("test-pki/certs/kdh_1.cert.pem"));
    let ca_cert = b64_file("ca_kdh.cert.b64", tr34!("test-pki/certs/ca_kdh.cert.pem"));
    let krd_key = b64_file("krd_1.key.b64", tr34!("test-pki/keys/krd_1.key.pem"));
    let a = [
        "tr34",
        "open",
        "--token",
        tr34!("tokens/aws2012_2pass_tdes.der"),
        "--krd-key",
        &krd_key,
        "--kdh-cert",
        &kdh_cert,
        "--nonce",
        "AC68C760D2817A55",
        "--ca-cert",
        &ca_cert,
    ];
    assert_eq!(ok1(&a), "8A8349794C9EE9A4C2927098F249FED6");
    // build with --krd-cert in the base64 form, then open.
    let krd_cert = b64_file("krd_1.cert.b64", tr34!("test-pki/certs/krd_1.cert.pem"));
    let out = std::env::temp_dir()
        .join(format!("paycrypt-cli-kex-{}/tok.der", std::process::id()))
        .display()
        .to_string();
    ok(&[
        "tr34",
        "build",
        "--kdh-key",
        tr34!("test-pki/keys/kdh_1.key.pem"),
        "--kdh-cert",
        &kdh_cert,
        "--krd-cert",
        &krd_cert,
        "--key",
        "0123456789ABCDEFFEDCBA9876543210",
        "--header",
        "A0256K0TB00E0000",
        "--one-pass",
        "--out",
        &out,
    ]);
    let o = [
        "tr34",
        "open",
        "--token",
        &out,
        "--krd-key",
        tr34!("test-pki/keys/krd_1.key.pem"),
        "--kdh-cert",
        tr34!("test-pki/certs/kdh_1.cert.pem"),
    ];
    assert_eq!(ok1(&o), "0123456789ABCDEFFEDCBA9876543210");
    // The help says so.
    for cmd in ["open", "build"] {
        let help = ok(&["tr34", cmd, "--help"]).join("\n");
        assert!(help.contains("base64 of the PEM text"), "{help}");
    }
}

#[test]
fn help_names_forms_and_commands() {
    let top = ok(&["--help"]).join("\n");
    for c in ["keywrap", "kdf", "ecdh", "rsa"] {
        assert!(top.contains(c), "{c}");
    }
    let h = ok(&["ecdh", "kbpk", "--help"]).join("\n");
    assert!(h.contains("base64 of the PEM text"));
    let h = ok(&["rsa", "wrap", "--help"]).join("\n");
    assert!(h.contains("base64 of the PEM text"));
}

// ---------------------------------------------------------------------------------------------
// ecdh signed-wrap / signed-unwrap (the ECDSA-signed package, `paycrypt_kex::signed`)

const SIGNED: &str = include_str!("../../keyexchange/tests/data/signed.json");

#[test]
fn ecdh_signed_package_python_vectors_and_round_trip() {
    let doc: Value = serde_json::from_str(SIGNED).unwrap();
    let ca = TempFile::new("ca.pem", str_field(&doc, "ca_cert"));
    let mut opened = 0;
    for v in doc["vectors"].as_array().unwrap() {
        let rk = TempFile::new("rk.pem", str_field(v, "receiver_key"));
        let now = format!("@{}", v["signing_time"].as_u64().unwrap() + 5);
        let mut args = vec![
            "ecdh",
            "signed-unwrap",
            "--private-key",
            &rk.0.to_str().unwrap(),
            "--ca",
            &ca.0.to_str().unwrap(),
            "--package",
            str_field(v, "package"),
            "--now",
            &now,
        ];
        let static_key;
        if let Some(spki) = v.get("sender_static_spki") {
            let der = paycrypt_primitives::hex::decode(spki.as_str().unwrap()).unwrap();
            let pem = format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
                base64_lines(&der)
            );
            static_key = TempFile::new("sk.pem", &pem);
            args.extend(["--sender-key", static_key.0.to_str().unwrap()]);
        }
        if str_field(v, "expect") == "ok" {
            let j = ok_json(&args);
            assert_eq!(s(&j, "key"), str_field(v, "key"));
            assert_eq!(&s(&j, "header")[..16], str_field(v, "header"));
            assert_eq!(s(&j, "kbpk_kcv").len(), 6);
            assert_eq!(j["signing_time"], v["signing_time"]);
            opened += 1;
        } else {
            fails(1, &args, &[]);
        }
    }
    assert_eq!(opened, 5);

    // Round trip through the CLI with the P-256 signer of vector 0.
    let v = &doc["vectors"][0];
    let sk = TempFile::new("signer.pem", str_field(v, "signer_key"));
    let sc = TempFile::new("signer.cert", str_field(v, "signer_cert"));
    let krd_key = keys!("krd-p256.key.pem");
    let krd_cert = keys!("krd-p256.cert.pem");
    let key = "00112233445566778899AABBCCDDEEFF";
    let wrap = |extra: &[&str]| {
        let mut a = vec![
            "ecdh",
            "signed-wrap",
            "--signing-key",
            sk.0.to_str().unwrap(),
            "--signer-cert",
            sc.0.to_str().unwrap(),
            "--peer-cert",
            &krd_cert,
            "--hash",
            "sha256",
            "--kbpk-type",
            "aes128",
            "--header",
            "D0000P0AE00N0000",
            "--key",
            key,
        ];
        a.extend_from_slice(extra);
        ok1(&a)
    };
    let pkg = wrap(&["--signing-time", "2026-12-04T12:00:00Z"]);
    let unwrap_args = |pkg: &'_ str, extra: &[&'_ str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "ecdh",
            "signed-unwrap",
            "--private-key",
            krd_key,
            "--package",
            pkg,
            "--now",
            "2026-12-04T12:01:00Z",
        ]
        .iter()
        .map(|x| x.to_string())
        .collect();
        a.extend(extra.iter().map(|x| x.to_string()));
        a
    };
    let a = unwrap_args(&pkg, &["--ca", ca.0.to_str().unwrap()]);
    assert_eq!(ok1(&refs(&a)), key);
    let a = unwrap_args(&pkg, &["--sender-cert", sc.0.to_str().unwrap()]);
    assert_eq!(ok1(&refs(&a)), key);
    // A flipped byte of the signature (the package's last byte): the one opaque message.
    let mut t = pkg.clone().into_bytes();
    let last = t.len() - 1;
    t[last] = if t[last] == b'0' { b'1' } else { b'0' };
    let t = String::from_utf8(t).unwrap();
    let a = unwrap_args(&t, &["--ca", ca.0.to_str().unwrap()]);
    assert_eq!(
        fails(1, &refs(&a), &[key]),
        "error: signed key package does not verify"
    );
    // Too late, a nonce where a time was signed.
    let a = unwrap_args(&pkg, &["--ca", ca.0.to_str().unwrap(), "--max-skew", "10"]);
    fails(1, &refs(&a), &[key]);
    let a = unwrap_args(
        &pkg,
        &["--ca", ca.0.to_str().unwrap(), "--nonce", "0102030405"],
    );
    fails(1, &refs(&a), &[key]);
    // Two-pass with a nonce, certificate left out: only the pinned certificate opens it.
    let pkg = wrap(&["--nonce", "A1A2A3A4A5A6A7A8", "--no-certificate"]);
    let nonce_with =
        |trust: &str, file: &str| unwrap_args(&pkg, &[trust, file, "--nonce", "A1A2A3A4A5A6A7A8"]);
    let a = nonce_with("--sender-cert", sc.0.to_str().unwrap());
    assert_eq!(ok1(&refs(&a)), key);
    let a = nonce_with("--ca", ca.0.to_str().unwrap());
    fails(1, &refs(&a), &[key]);
    // Usage errors: no trust anchor, bad hex, the concat-only policy is not an option here.
    let a = unwrap_args(&pkg, &[]);
    fails(2, &refs(&a), &[key]);
    let a = unwrap_args("30XY", &["--ca", ca.0.to_str().unwrap()]);
    fails(2, &refs(&a), &[key]);
    let a = unwrap_args("3003020101", &["--ca", ca.0.to_str().unwrap()]);
    fails(2, &refs(&a), &[key]);
}

/// `der` as PEM body lines (64 characters, RFC 7468 §2).
fn base64_lines(der: &[u8]) -> String {
    let text = base64(der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|l| core::str::from_utf8(l).unwrap())
        .collect();
    lines.join("\n")
}
