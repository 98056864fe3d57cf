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
        inputs.claim_stdin("--bdk").unwrap();
        let twice = inputs.claim_stdin("--key").unwrap_err();
        assert!(twice.to_string().contains("--bdk"));
    }
}
