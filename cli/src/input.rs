//! Input resolution: hex values, secrets given as `HEX`, `@FILE` or `-` (stdin), digits.
//!
//! # Rules every command follows (new ones included)
//!
//! 1. **Everything read has a size limit.** Read files and stdin only through this module:
//!    [`Inputs::secret_text`] / [`Inputs::secret_hex`] (a secret or a header given as `@FILE` or
//!    `-`: at most [`SECRET_CAP`] bytes), [`Inputs::read_file`] (a certificate, token, key file
//!    or CRL: at most [`FILE_CAP`]), [`Inputs::stdin_lines`] (a stream of lines, e.g. a KSN
//!    batch: each line at most [`LINE_CAP`], memory bounded whatever the input size). A larger
//!    input stops at the cap without reading further (exit 2, "... is larger than N bytes").
//!    Buffers are allocated once at their cap, so nothing secret is copied on growth.
//! 2. **No secret in any message.** An option is secret when its name is in
//!    [`SECRET_OPTIONS`] or its last dash-separated word is in [`SECRET_WORDS`] (`--key`,
//!    `--to-kbpk`, `--oaep-seed`, `--pvk`, ...): name new secret options that way and
//!    [`crate::error::Redactor`] removes their values from every `error:` line, clap's included — a
//!    value given after the option, after `=`, or glued to it (`--kbpk0123...`), with or
//!    without a leading `@`. Messages should still never repeat a value.
//! 3. **Secret arguments are [`SecretArg`]**: zeroized on drop, `Debug` prints `<redacted>`; it
//!    derefs to `str`, so `&args.key` works where a `&str` is wanted.
//! 4. **Decoded secrets live in `Zeroizing`** buffers ([`Inputs::secret_hex`], [`secret_hex`]).
//! 5. **stderr is one inert line**: control characters of any message are escaped
//!    ([`crate::error::escape`]).

use crate::error::{CliError, CliResult};
use paycrypt_primitives::hex;
use std::io::{BufRead, Read};
use zeroize::{Zeroize, Zeroizing};

/// Most bytes a secret or a header read from `@FILE` or `-` may have (hex of the longest key
/// is 64 characters; key-block headers with optional blocks stay well under this).
pub const SECRET_CAP: usize = 4 * 1024;
/// Most bytes a certificate, token, private-key file or CRL may have.
pub const FILE_CAP: usize = 64 * 1024;
/// Most bytes one line of a line stream ([`Inputs::stdin_lines`]) may have.
pub const LINE_CAP: usize = 1024;

/// Options whose values are secret, whatever their name says (see the module rules).
pub const SECRET_OPTIONS: &[&str] = &[
    "key",
    "bdk",
    "ik",
    "kbpk",
    "from-key",
    "to-key",
    "pin",
    "component",
    "from-kbpk",
    "to-kbpk",
    "to-bdk",
    "imk",
    "cvk",
    "pvk",
    "kek",
    "private-key",
    "ephemeral-key",
    "oaep-seed",
];

/// Last words of an option name that mark it secret (`--<anything>-key`, `--new-pin`, ...).
pub const SECRET_WORDS: &[&str] = &[
    "key",
    "keys",
    "bdk",
    "ik",
    "ipek",
    "kbpk",
    "kek",
    "imk",
    "cvk",
    "pvk",
    "zmk",
    "zpk",
    "tmk",
    "pek",
    "pin",
    "component",
    "components",
    "seed",
    "secret",
    "password",
    "passphrase",
];

/// Whether the long option `name` (without `--`) carries a secret value.
pub fn is_secret_option(name: &str) -> bool {
    SECRET_OPTIONS.contains(&name)
        || name
            .rsplit('-')
            .next()
            .is_some_and(|last| SECRET_WORDS.contains(&last))
}

/// A secret command-line value: zeroized on drop, redacted in `Debug`, a `str` by deref.
#[derive(Clone, Default)]
pub struct SecretArg(Zeroizing<String>);

impl From<String> for SecretArg {
    fn from(s: String) -> Self {
        Self(Zeroizing::new(s))
    }
}

impl core::ops::Deref for SecretArg {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for SecretArg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Resolves option values; remembers whether stdin was already read so that only one option
/// may use `-`.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin_taken: Option<String>,
}

/// Removes one trailing newline (`\n` or `\r\n`).
fn trim_newline(text: &mut String) {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
}

/// Reads at most `cap` bytes from `reader` into a buffer allocated once (never grown, so
/// never copied); one byte more than `cap` is a usage error naming `what`.
pub fn read_capped<R: Read>(
    mut reader: R,
    cap: usize,
    what: &str,
) -> CliResult<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(vec![0u8; cap.saturating_add(1)]);
    let mut len = 0;
    while let Some(rest) = buf.get_mut(len..) {
        if rest.is_empty() {
            break;
        }
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(CliError::usage(format!(
                    "{what}: cannot read: {}",
                    e.kind()
                )));
            }
        }
    }
    if len > cap {
        return Err(CliError::usage(format!(
            "{what}: input is larger than {cap} bytes"
        )));
    }
    buf.truncate(len);
    Ok(buf)
}

/// Text from capped bytes (moved, not copied); invalid UTF-8 is a usage error.
fn into_text(bytes: Zeroizing<Vec<u8>>, what: &str) -> CliResult<Zeroizing<String>> {
    let mut bytes = bytes;
    let owned = core::mem::take(&mut *bytes);
    match String::from_utf8(owned) {
        Ok(s) => Ok(Zeroizing::new(s)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(CliError::usage(format!("{what}: input is not text")))
        }
    }
}

/// Lines of a stream, each at most [`LINE_CAP`] bytes, with bounded memory whatever the
/// stream's size (one line buffer, reused). Yields lines without their `\n` / `\r\n`.
#[derive(Debug)]
#[allow(dead_code)] // The streaming API for `dukpt derive-batch` (its rewrite, issue 18).
pub struct CappedLines<R> {
    reader: R,
    what: String,
    cap: usize,
    line: usize,
}

#[allow(dead_code)] // The streaming API for `dukpt derive-batch` (its rewrite, issue 18).
impl<R: BufRead> CappedLines<R> {
    /// Lines of `reader`, each at most `cap` bytes; `what` names the input in messages.
    pub fn new(reader: R, cap: usize, what: &str) -> Self {
        Self {
            reader,
            what: what.to_owned(),
            cap,
            line: 0,
        }
    }

    /// The next line (1-based number and text), `None` at the end of the stream.
    pub fn next_line(&mut self) -> CliResult<Option<(usize, String)>> {
        let mut out: Vec<u8> = Vec::with_capacity(64);
        let mut saw_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(CliError::usage(format!(
                        "{}: cannot read: {}",
                        self.what,
                        e.kind()
                    )));
                }
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if out.len().saturating_add(take) > self.cap.saturating_add(1) {
                return Err(CliError::usage(format!(
                    "{} line {}: longer than {} bytes",
                    self.what,
                    self.line + 1,
                    self.cap
                )));
            }
            out.extend_from_slice(chunk.get(..take).unwrap_or(&[]));
            self.reader.consume(if done { take + 1 } else { take });
            if done {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        if out.last() == Some(&b'\r') {
            out.pop();
        }
        if out.len() > self.cap {
            return Err(CliError::usage(format!(
                "{} line {}: longer than {} bytes",
                self.what,
                self.line + 1,
                self.cap
            )));
        }
        self.line += 1;
        let text = String::from_utf8(out)
            .map_err(|_| CliError::usage(format!("{} line {}: not text", self.what, self.line)))?;
        Ok(Some((self.line, text)))
    }
}

impl Inputs {
    /// A fresh resolver.
    pub fn new() -> Self {
        Self::default()
    }

    /// Claims stdin for `option`; a second claim is a usage error.
    pub fn claim_stdin(&mut self, option: &str) -> CliResult<()> {
        if let Some(first) = &self.stdin_taken {
            return Err(CliError::usage(format!(
                "{option}: only one input may be read from stdin ('-'), and {first} already is"
            )));
        }
        self.stdin_taken = Some(option.to_owned());
        Ok(())
    }

    /// Reads stdin for `option` (claiming it), at most `cap` bytes.
    pub fn read_stdin_capped(&mut self, option: &str, cap: usize) -> CliResult<Zeroizing<Vec<u8>>> {
        self.claim_stdin(option)?;
        read_capped(std::io::stdin().lock(), cap, &format!("{option} (stdin)"))
    }

    /// Reads stdin as text for `option` (claiming it), at most `cap` bytes.
    pub fn read_stdin_text(&mut self, option: &str, cap: usize) -> CliResult<Zeroizing<String>> {
        let bytes = self.read_stdin_capped(option, cap)?;
        into_text(bytes, &format!("{option} (stdin)"))
    }

    #[allow(dead_code)] // The streaming API for `dukpt derive-batch` (its rewrite, issue 18).
    /// Stdin as a stream of lines for `option` (claiming it): each at most [`LINE_CAP`]
    /// bytes, memory bounded whatever the number of lines. For `dukpt derive-batch`.
    pub fn stdin_lines(
        &mut self,
        option: &str,
    ) -> CliResult<CappedLines<std::io::StdinLock<'static>>> {
        self.claim_stdin(option)?;
        Ok(CappedLines::new(std::io::stdin().lock(), LINE_CAP, option))
    }

    /// Reads a file option (`-` is stdin, `@FILE` is accepted too), at most [`FILE_CAP`]
    /// bytes: certificates, tokens, private-key files, CRLs.
    pub fn read_file(&mut self, option: &str, path: &str) -> CliResult<Zeroizing<Vec<u8>>> {
        if path == "-" {
            return self.read_stdin_capped(option, FILE_CAP);
        }
        let path = path.strip_prefix('@').unwrap_or(path);
        open_capped(option, path, FILE_CAP)
    }

    /// Resolves the text of a secret option: `@FILE` (one trailing newline removed), `-`
    /// (stdin, one trailing newline removed) or the value itself; at most [`SECRET_CAP`]
    /// bytes from a file or stdin. A message never repeats the value or the file name (a
    /// stray `@` before a key would make the key the "file name").
    pub fn secret_text(&mut self, option: &str, value: &str) -> CliResult<Zeroizing<String>> {
        if value == "-" {
            let mut text = self.read_stdin_text(option, SECRET_CAP)?;
            trim_newline(&mut text);
            Ok(text)
        } else if let Some(path) = value.strip_prefix('@') {
            let bytes = open_capped(option, path, SECRET_CAP)?;
            let mut text = into_text(bytes, option)?;
            trim_newline(&mut text);
            Ok(text)
        } else {
            Ok(Zeroizing::new(value.to_owned()))
        }
    }

    /// Resolves a secret hex option to bytes.
    pub fn secret_hex(&mut self, option: &str, value: &str) -> CliResult<Zeroizing<Vec<u8>>> {
        let text = self.secret_text(option, value)?;
        secret_hex(option, &text)
    }
}

/// Opens `path` and reads at most `cap` bytes. The message names the option, not the path: for
/// a secret option the "path" may be a mistyped key.
fn open_capped(option: &str, path: &str, cap: usize) -> CliResult<Zeroizing<Vec<u8>>> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::usage(format!("{option}: cannot read the file: {}", e.kind())))?;
    read_capped(file, cap, option)
}

/// Decodes a secret hex value (constant time in the digits) into a zeroizing buffer.
pub fn secret_hex(option: &str, text: &str) -> CliResult<Zeroizing<Vec<u8>>> {
    hex::decode(text)
        .map(Zeroizing::new)
        .map_err(|e| hex_error(option, &e))
}

/// Decodes a (case-insensitive, space-free) hex option value. The message never repeats the
/// value.
pub fn hex_bytes(option: &str, text: &str) -> CliResult<Vec<u8>> {
    hex::decode(text).map_err(|e| hex_error(option, &e))
}

/// Decodes a non-secret hex option that must not be empty.
pub fn hex_nonempty(option: &str, text: &str) -> CliResult<Vec<u8>> {
    let bytes = hex_bytes(option, text)?;
    if bytes.is_empty() {
        return Err(CliError::usage(format!("{option}: must not be empty")));
    }
    Ok(bytes)
}

/// Describes a hex decoding failure for `option`.
pub fn hex_error(option: &str, e: &paycrypt_primitives::Error) -> CliError {
    use paycrypt_primitives::Error as E;
    match e {
        E::HexOddLength => CliError::usage(format!("{option}: odd number of hex digits")),
        E::HexDigit { position } => CliError::usage(format!(
            "{option}: not a hex digit at position {}",
            position + 1
        )),
        other => CliError::usage(format!("{option}: invalid hex ({other})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_removed() {
        for (input, expected) in [
            ("AB\n", "AB"),
            ("AB\r\n", "AB"),
            ("AB\n\n", "AB\n"),
            ("AB", "AB"),
            ("", ""),
        ] {
            let mut s = input.to_owned();
            trim_newline(&mut s);
            assert_eq!(s, expected);
        }
    }

    #[test]
    fn hex_errors_name_the_option_not_the_value() {
        let e = hex_bytes("--key", "0123456789ABCDEG").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.to_string(), "--key: not a hex digit at position 16");
        let e = hex_bytes("--key", "012").unwrap_err();
        assert_eq!(e.to_string(), "--key: odd number of hex digits");
        assert!(hex_nonempty("--data", "").is_err());
        assert_eq!(hex_bytes("--data", "abCD").unwrap(), [0xAB, 0xCD]);
    }

    #[test]
    fn capped_reads_stop_at_the_cap() {
        let big = std::io::repeat(0).take(10 * 1024 * 1024);
        let e = read_capped(big, 100, "--key").unwrap_err();
        assert_eq!(e.to_string(), "--key: input is larger than 100 bytes");
        assert_eq!(read_capped(&[1u8; 100][..], 100, "x").unwrap().len(), 100);
        assert_eq!(read_capped(&b""[..], 100, "x").unwrap().len(), 0);
    }

    #[test]
    fn capped_lines() {
        let input = b"AA\r\nBB\n\nCC";
        let mut l = CappedLines::new(&input[..], 4, "stdin");
        assert_eq!(l.next_line().unwrap(), Some((1, "AA".to_owned())));
        assert_eq!(l.next_line().unwrap(), Some((2, "BB".to_owned())));
        assert_eq!(l.next_line().unwrap(), Some((3, String::new())));
        assert_eq!(l.next_line().unwrap(), Some((4, "CC".to_owned())));
        assert_eq!(l.next_line().unwrap(), None);
        let mut l = CappedLines::new(std::io::BufReader::new(std::io::repeat(b'A')), 8, "stdin");
        assert_eq!(
            l.next_line().unwrap_err().to_string(),
            "stdin line 1: longer than 8 bytes"
        );
    }

    #[test]
    fn secret_options_by_name() {
        for name in SECRET_OPTIONS {
            assert!(is_secret_option(name), "{name}");
        }
        for name in [
            "new-pin",
            "zone-key",
            "kdh-key",
            "to-pvk",
            "master-components",
        ] {
            assert!(is_secret_option(name), "{name}");
        }
        for name in [
            "key-type", "ksn", "pan", "header", "block", "data", "iv", "json",
        ] {
            assert!(!is_secret_option(name), "{name}");
        }
        let s = SecretArg::from("F039".to_owned());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(&*s, "F039");
    }

    #[test]
    fn secret_text_forms() {
        let mut inputs = Inputs::new();
        assert_eq!(
            inputs.secret_text("--key", "00FF").unwrap().as_str(),
            "00FF"
        );
        let path = std::env::temp_dir().join(format!("paycrypt-cli-unit-{}", std::process::id()));
        std::fs::write(&path, "00ff\n").unwrap();
        let at = format!("@{}", path.display());
        assert_eq!(
            inputs.secret_hex("--key", &at).unwrap().as_slice(),
            [0x00, 0xFF]
        );
        std::fs::remove_file(&path).unwrap();
        let missing = inputs.secret_text("--key", &at).unwrap_err();
        assert_eq!(missing.exit_code(), 2);
        assert!(!missing.to_string().contains("paycrypt-cli-unit"));
        inputs.claim_stdin("--bdk").unwrap();
        let twice = inputs.claim_stdin("--key").unwrap_err();
        assert!(twice.to_string().contains("--bdk"));
    }
}
