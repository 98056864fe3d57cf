//! The command line's error type: every failure is one line on stderr and an exit code.

use core::fmt;
use paycrypt_primitives::ErrorClass;

/// Why a command failed; selects the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Well-formed input that fails a cryptographic or policy check: exit 1.
    Check,
    /// Malformed input or usage: exit 2.
    Usage,
}

/// A failure: its kind and a one-line message that never contains secret material.
#[derive(Debug, Clone)]
pub struct CliError {
    kind: Kind,
    message: String,
}

impl CliError {
    /// A usage / malformed-input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Usage,
            message: message.into(),
        }
    }

    /// A cryptographic or policy failure (exit 1).
    pub fn check(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Check,
            message: message.into(),
        }
    }

    /// An error whose exit code follows a crate error's [`ErrorClass`] alone
    /// (`Malformed` → 2, `Rejected` → 1).
    pub fn classified(class: ErrorClass, message: impl Into<String>) -> Self {
        match class {
            ErrorClass::Rejected => Self::check(message),
            // `ErrorClass` is non-exhaustive: anything new is treated as malformed input.
            _ => Self::usage(message),
        }
    }

    /// Prefixes the message with the option (or line) it concerns.
    #[must_use]
    pub fn context(self, what: &str) -> Self {
        Self {
            kind: self.kind,
            message: format!("{what}: {}", self.message),
        }
    }

    /// The message as constructed (not yet escaped): for [`Redactor::clean`].
    pub fn raw_message(&self) -> &str {
        &self.message
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Check => 1,
            Kind::Usage => 2,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One inert line whatever a library or an argument put in the message.
        f.write_str(&escape(&self.message))
    }
}

/// Escapes every character that could break the one-line, inert stderr contract: newline,
/// carriage return and tab as `\n`, `\r`, `\t`; other control characters (C0, DEL, C1, among
/// them ESC, the start of terminal escape sequences) as `\x..` / `\u{..}`; Unicode
/// bidirectional and zero-width format characters (which reorder or hide text) as `\u{..}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && u32::from(c) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// What replaces a secret in a message.
pub const REDACTED: &str = "<redacted>";

/// Removes the values of secret options from messages. Built from the command line before it
/// is parsed, so it also covers clap's own errors and values that never reached a command: a
/// value after a secret option (`--key V`), after `=` (`--key=V`), glued to it (`--kbpkV`),
/// each with and without a leading `@`. An option is secret by
/// [`is_secret_option`](crate::input::is_secret_option).
#[derive(Default)]
pub struct Redactor {
    /// Secret strings, longest first.
    secrets: Vec<zeroize::Zeroizing<String>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor {{ {} secrets }}", self.secrets.len())
    }
}

impl Redactor {
    /// The secrets of `args` (the arguments after the program name); `long_options` are every
    /// long option the grammar knows (without `--`), to tell a glued value from an option.
    pub fn new(args: &[String], long_options: &[String]) -> Self {
        use crate::input::{SECRET_OPTIONS, is_secret_option};
        let mut secret_names: Vec<&str> = long_options
            .iter()
            .map(String::as_str)
            .chain(SECRET_OPTIONS.iter().copied())
            .filter(|n| is_secret_option(n))
            .collect();
        secret_names.sort_by_key(|n| core::cmp::Reverse(n.len()));
        let mut found: Vec<&str> = Vec::new();
        let mut iter = args.iter().peekable();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                break;
            }
            let Some(body) = arg.strip_prefix("--") else {
                continue;
            };
            let known = |name: &str| long_options.iter().any(|o| o == name);
            if let Some((name, value)) = body.split_once('=')
                && (is_secret_option(name)
                    || (!known(name) && secret_names.iter().any(|n| name.starts_with(n))))
            {
                // A glued value may itself contain '=': the glued check below runs too.
                found.push(value);
            }
            if is_secret_option(body) {
                if let Some(next) = iter.peek() {
                    found.push(next.as_str());
                }
                continue;
            }
            if known(body) || body.split_once('=').is_some_and(|(name, _)| known(name)) {
                continue;
            }
            if let Some(name) = secret_names
                .iter()
                .find(|n| body.len() > n.len() && body.starts_with(**n))
            {
                found.push(body.get(name.len()..).unwrap_or(""));
            }
        }
        let mut secrets: Vec<zeroize::Zeroizing<String>> = Vec::new();
        for v in found {
            for candidate in [
                v,
                v.strip_prefix('@').unwrap_or(v),
                v.trim_start_matches('='),
            ] {
                // "-" (stdin) and one character carry nothing and would blank the message.
                if candidate.chars().count() >= 2
                    && !secrets.iter().any(|s| s.as_str() == candidate)
                {
                    secrets.push(zeroize::Zeroizing::new(candidate.to_owned()));
                }
            }
        }
        secrets.sort_by_key(|s| core::cmp::Reverse(s.len()));
        Self { secrets }
    }

    /// `message` with every secret replaced by [`REDACTED`], then [`escape`]d.
    pub fn clean(&self, message: &str) -> String {
        let mut text = zeroize::Zeroizing::new(message.to_owned());
        for s in &self.secrets {
            if text.contains(s.as_str()) {
                *text = text.replace(s.as_str(), REDACTED);
            }
        }
        escape(&text)
    }
}

/// Result alias used by every command.
pub type CliResult<T> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn escape_makes_one_inert_line() {
        assert_eq!(
            escape("a\nb\r\x1b[31mc\u{7f}\u{9b}\u{202e}d\te"),
            "a\\nb\\r\\x1b[31mc\\x7f\\u{9b}\\u{202e}d\\te"
        );
        let e = CliError::usage("--out: cannot write '-\n-'");
        assert_eq!(e.to_string(), "--out: cannot write '-\\n-'");
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn redactor_covers_every_form() {
        let known = strings(&["key", "kbpk", "key-type", "ksn", "to-kbpk"]);
        let r = Redactor::new(
            &strings(&[
                "--key",
                "@F0391234",
                "--kbpk89E8AAAA",
                "--to-kbpk=C0FFEE11",
                "--ksn",
                "FFFF01",
                "--pin",
                "-",
            ]),
            &known,
        );
        let m = r.clean(
            "file 'F0391234' or '@F0391234', unknown option '--kbpk89E8AAAA', C0FFEE11, FFFF01 -",
        );
        assert_eq!(
            m,
            "file '<redacted>' or '<redacted>', unknown option '--kbpk<redacted>', <redacted>, FFFF01 -"
        );
        // `--key-type` is an option, not `--key` with a glued value.
        let r = Redactor::new(
            &strings(&["--key-type", "aes128", "--key-type=aes256"]),
            &known,
        );
        assert_eq!(r.clean("aes128 aes256"), "aes128 aes256");
        assert!(format!("{r:?}").contains("0 secrets"));
    }
}
