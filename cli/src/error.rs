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
        // Keep it on one line whatever a library put in its message.
        for (i, line) in self.message.lines().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(line.trim_end())?;
        }
        Ok(())
    }
}

/// Result alias used by every command.
pub type CliResult<T> = Result<T, CliError>;
