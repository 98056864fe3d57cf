//! The output layer: plain lines or one JSON object, written only once the command succeeded.

use core::sync::atomic::{AtomicBool, Ordering};
use serde_json::{Map, Value};
use std::io::Write;
use zeroize::{Zeroize, Zeroizing};

/// Zeroizes every string inside a JSON value.
fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.lines.iter_mut().for_each(Zeroize::zeroize);
        self.json.values_mut().for_each(wipe);
    }
}

impl core::fmt::Debug for Output {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Output {{ {} lines, {} fields, .. }}",
            self.lines.len(),
            self.json.len()
        )
    }
}

/// `--json`, for the commands that stream their output themselves (`dukpt derive-batch`).
static JSON: AtomicBool = AtomicBool::new(false);

/// Records the global `--json` flag (set once by `main` before the command runs).
pub fn set_json(json: bool) {
    JSON.store(json, Ordering::Relaxed);
}

/// Whether `--json` was given.
pub fn json_mode() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// What a successful command prints: plain lines (the first one is the primary value) and the
/// fields of its `--json` object. Both may hold keys or PINs: they are zeroized on drop, the
/// JSON text is zeroized once written, and `Debug` prints only the counts.
#[derive(Default)]
pub struct Output {
    lines: Vec<String>,
    json: Map<String, Value>,
    /// `--trace` lines (label, upper-case hex), written to stderr after the result.
    trace: Option<Vec<(String, String)>>,
    /// The command already wrote its output (streamed): `emit` writes nothing.
    written: bool,
}

impl Output {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// The output of a command that streamed it to stdout itself.
    pub fn written() -> Self {
        let mut out = Self::default();
        out.written = true;
        out
    }

    /// Adds a plain-text line.
    pub fn line(&mut self, line: impl Into<String>) -> &mut Self {
        self.lines.push(line.into());
        self
    }

    /// Adds a JSON field.
    pub fn field(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.json.insert(key.to_owned(), value.into());
        self
    }

    /// A primary value printed as the first line and stored under `key` in JSON.
    pub fn primary(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        self.json
            .insert(key.to_owned(), Value::String(value.clone()));
        self.lines.push(value);
        self
    }

    /// Turns on `--trace`: [`Output::trace`] lines are written to stderr after the result,
    /// below a first line warning that they hold secrets.
    pub fn enable_trace(&mut self) -> &mut Self {
        self.trace.get_or_insert_with(Vec::new);
        self
    }

    /// Adds a `--trace` line (ignored unless [`Output::enable_trace`] was called).
    pub fn trace(&mut self, label: &str, hex: impl Into<String>) -> &mut Self {
        if let Some(t) = &mut self.trace {
            t.push((label.to_owned(), hex.into()));
        }
        self
    }

    /// Writes the output to stdout (and any `--trace` lines to stderr).
    pub fn emit(&self, json: bool) -> std::io::Result<()> {
        self.emit_result(json)?;
        if let Some(trace) = &self.trace {
            let stderr = std::io::stderr();
            let mut err = stderr.lock();
            writeln!(
                err,
                "warning: --trace: the lines below are intermediate values and include secret keys"
            )?;
            for (label, value) in trace {
                writeln!(err, "trace: {label}: {value}")?;
            }
            err.flush()?;
        }
        Ok(())
    }

    fn emit_result(&self, json: bool) -> std::io::Result<()> {
        if self.written {
            return Ok(());
        }
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if json {
            let text =
                Zeroizing::new(serde_json::to_string(&self.json).map_err(std::io::Error::other)?);
            writeln!(out, "{}", text.as_str())?;
        } else {
            for line in &self.lines {
                writeln!(out, "{line}")?;
            }
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_value() {
        let mut o = Output::new();
        o.primary("key", "F0391234ABCD");
        o.field("pin", "1234");
        let d = format!("{o:?}");
        assert!(!d.contains("F039") && !d.contains("1234"), "{d}");
        let mut v = Value::Array(vec![Value::String("ABCD".to_owned())]);
        wipe(&mut v);
        assert_eq!(v, Value::Array(vec![Value::String(String::new())]));
    }
}
