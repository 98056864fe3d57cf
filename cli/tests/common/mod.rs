//! Shared harness: runs the built `paycrypt` binary and checks the contract's invariants.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    missing_docs
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The `vectors` array of a test-vector file (pass the `include_str!` text).
pub fn vectors(json: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(json).expect("vector file is JSON");
    all["vectors"]
        .as_array()
        .expect("a `vectors` array")
        .clone()
}

/// Reads the string field `key` of a vector.
#[track_caller]
pub fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string field {key} in {v}"))
}

/// Borrows owned arguments as `&str`.
pub fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `base` followed by `extra`.
pub fn with_extra<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

/// The result of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `paycrypt` with `args` and optional stdin.
pub fn run_with_stdin(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paycrypt"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn paycrypt");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `paycrypt` without stdin.
pub fn run(args: &[&str]) -> Run {
    run_with_stdin(args, None)
}

/// Asserts success and returns the stdout lines.
#[track_caller]
pub fn ok(args: &[&str]) -> Vec<String> {
    ok_stdin(args, None)
}

/// Asserts success (with stdin) and returns the stdout lines.
#[track_caller]
pub fn ok_stdin(args: &[&str], stdin: Option<&str>) -> Vec<String> {
    let r = run_with_stdin(args, stdin);
    assert_eq!(r.code, 0, "paycrypt {args:?} failed: {r:?}");
    assert!(r.stderr.is_empty(), "stderr on success: {r:?}");
    r.stdout.lines().map(str::to_owned).collect()
}

/// Asserts success and returns the first (primary) stdout line.
#[track_caller]
pub fn ok1(args: &[&str]) -> String {
    ok(args).into_iter().next().expect("a first line")
}

/// Asserts success with `--json` appended and returns the parsed object.
#[track_caller]
pub fn ok_json(args: &[&str]) -> serde_json::Map<String, serde_json::Value> {
    ok_json_stdin(args, None)
}

/// Like `ok_json` with stdin.
#[track_caller]
pub fn ok_json_stdin(
    args: &[&str],
    stdin: Option<&str>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut all = args.to_vec();
    all.push("--json");
    let lines = ok_stdin(&all, stdin);
    assert_eq!(lines.len(), 1, "--json prints one line: {lines:?}");
    match serde_json::from_str(&lines[0]).expect("valid JSON") {
        serde_json::Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

/// Asserts a failure with `code`: nothing on stdout, one `error: ` line on stderr that
/// contains none of `secrets`. Returns the message.
#[track_caller]
pub fn fails(code: i32, args: &[&str], secrets: &[&str]) -> String {
    fails_stdin(code, args, None, secrets)
}

/// Like `fails` with stdin.
#[track_caller]
pub fn fails_stdin(code: i32, args: &[&str], stdin: Option<&str>, secrets: &[&str]) -> String {
    let r = run_with_stdin(args, stdin);
    assert_eq!(
        r.code, code,
        "paycrypt {args:?}: expected exit {code}: {r:?}"
    );
    assert!(
        r.stdout.is_empty(),
        "stdout must be empty on failure: {r:?}"
    );
    assert!(
        r.stderr.starts_with("error: "),
        "stderr must start with 'error: ': {r:?}"
    );
    assert!(
        r.stderr.ends_with('\n'),
        "stderr must end with a newline: {r:?}"
    );
    assert_eq!(
        r.stderr.lines().count(),
        1,
        "stderr must be one line: {r:?}"
    );
    for s in secrets {
        if !s.is_empty() {
            let up = s.to_ascii_uppercase();
            let low = s.to_ascii_lowercase();
            assert!(
                !r.stderr.contains(s) && !r.stderr.contains(&up) && !r.stderr.contains(&low),
                "secret leaked to stderr: {r:?}"
            );
        }
    }
    // Nor on the same run with --json.
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let j = run_with_stdin(&with_json, stdin);
    assert_eq!(j.code, code, "--json changes the exit code: {j:?}");
    assert!(
        j.stdout.is_empty(),
        "stdout must be empty on failure (--json): {j:?}"
    );
    assert_eq!(
        j.stderr.lines().count(),
        1,
        "stderr one line (--json): {j:?}"
    );
    r.stderr.trim_end().to_owned()
}

/// `paycrypt cipher DIRECTION --algorithm ALG --mode MODE --key KEY [--iv IV] --data DATA`.
pub fn crypt_args<'a>(
    direction: &'a str,
    algorithm: &'a str,
    mode: &'a str,
    key: &'a str,
    iv: Option<&'a str>,
    data: &'a str,
) -> Vec<&'a str> {
    let mut args = vec![
        "cipher",
        direction,
        "--algorithm",
        algorithm,
        "--mode",
        mode,
        "--key",
        key,
    ];
    if let Some(iv) = iv {
        args.extend(["--iv", iv]);
    }
    args.extend(["--data", data]);
    args
}

/// Runs `crypt_args`: asserts success and one output line, and returns it.
#[track_caller]
pub fn crypt(
    direction: &str,
    algorithm: &str,
    mode: &str,
    key: &str,
    iv: Option<&str>,
    data: &str,
) -> String {
    let lines = ok(&crypt_args(direction, algorithm, mode, key, iv, data));
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    lines[0].clone()
}

/// A temporary file holding `contents`, removed on drop.
#[derive(Debug)]
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("paycrypt-cli-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}-{}", unique()));
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    /// `@PATH` for a secret option.
    pub fn at(&self) -> String {
        format!("@{}", self.0.display())
    }

    pub fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn unique() -> u64 {
    use core::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Reads a JSON string field.
#[track_caller]
pub fn s<'a>(map: &'a serde_json::Map<String, serde_json::Value>, key: &str) -> &'a str {
    map.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no string field {key} in {map:?}"))
}

/// Asserts that a secret option accepts `HEX`, `@FILE` (with a trailing newline) and `-`
/// (stdin) with the same output. `args` contains the literal `SECRET` where the value goes.
#[track_caller]
pub fn secret_forms_agree(args: &[&str], secret: &str) -> Vec<String> {
    let with = |v: &str| -> Vec<String> {
        args.iter()
            .map(|a| {
                if *a == "SECRET" {
                    v.to_owned()
                } else {
                    (*a).to_owned()
                }
            })
            .collect()
    };
    let expected = ok(&refs(&with(secret)));
    let file = TempFile::new("secret", &format!("{secret}\n"));
    assert_eq!(ok(&refs(&with(&file.at()))), expected, "@FILE differs");
    let crlf = TempFile::new(
        "secret-crlf",
        &format!("{}\r\n", secret.to_ascii_lowercase()),
    );
    assert_eq!(
        ok(&refs(&with(&crlf.at()))),
        expected,
        "@FILE with CRLF and lower case differs"
    );
    assert_eq!(
        ok_stdin(&refs(&with("-")), Some(&format!("{secret}\n"))),
        expected,
        "- differs"
    );
    expected
}
