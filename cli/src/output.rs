//! The output layer: plain lines or one JSON object, written only once the command succeeded.

use serde_json::{Map, Value};
use std::io::Write;

/// What a successful command prints: plain lines (the first one is the primary value) and the
/// fields of its `--json` object.
#[derive(Debug, Default)]
pub struct Output {
    lines: Vec<String>,
    json: Map<String, Value>,
}

impl Output {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
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

    /// Writes the output to stdout.
    pub fn emit(&self, json: bool) -> std::io::Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if json {
            let text = serde_json::to_string(&Value::Object(self.json.clone()))
                .map_err(std::io::Error::other)?;
            writeln!(out, "{text}")?;
        } else {
            for line in &self.lines {
                writeln!(out, "{line}")?;
            }
        }
        out.flush()
    }
}
