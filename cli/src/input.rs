//! Input resolution: hex values, secrets given as `HEX`, `@FILE` or `-` (stdin), digits.

use crate::error::{CliError, CliResult};
use paycrypt_primitives::hex;
use std::io::Read;
use zeroize::Zeroizing;

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

    /// Reads all of stdin for `option` (claiming it).
    pub fn read_stdin(&mut self, option: &str) -> CliResult<Zeroizing<String>> {
        self.claim_stdin(option)?;
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("{option}: cannot read stdin: {}", e.kind())))?;
        Ok(text)
    }

    /// Resolves the text of a secret option: `@FILE` (one trailing newline removed), `-`
    /// (stdin, one trailing newline removed) or the value itself.
    pub fn secret_text(&mut self, option: &str, value: &str) -> CliResult<Zeroizing<String>> {
        if value == "-" {
            let mut text = self.read_stdin(option)?;
            trim_newline(&mut text);
            Ok(text)
        } else if let Some(path) = value.strip_prefix('@') {
            let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
                CliError::usage(format!("{option}: cannot read file '{path}': {}", e.kind()))
            })?);
            let text = core::str::from_utf8(&bytes)
                .map_err(|_| CliError::usage(format!("{option}: file '{path}' is not text")))?;
            let mut text = Zeroizing::new(text.to_owned());
            trim_newline(&mut text);
            Ok(text)
        } else {
            Ok(Zeroizing::new(value.to_owned()))
        }
    }

    /// Resolves a secret hex option to bytes.
    pub fn secret_hex(&mut self, option: &str, value: &str) -> CliResult<Zeroizing<Vec<u8>>> {
        let text = self.secret_text(option, value)?;
        hex_bytes(option, &text).map(Zeroizing::new)
    }
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
