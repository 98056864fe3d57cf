#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Test plumbing: a failed load is a failed test, so panicking is the contract here.
#![allow(clippy::panic, clippy::std_instead_of_core)]

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::fmt;
use std::path::PathBuf;

/// The absolute path of `rel`, a path relative to the workspace root (this crate sits one level
/// below it).
#[must_use]
pub fn workspace_path(rel: &str) -> PathBuf {
    let mut p = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    p.pop();
    p.push(rel);
    p
}

/// Reads and parses a JSON file given relative to the workspace root.
///
/// # Panics
/// When the file is missing or is not JSON of shape `T`: a test without its data fails.
#[must_use]
pub fn load_file<T: DeserializeOwned>(rel: &str) -> T {
    let path = workspace_path(rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test data {} is missing: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("test data {}: {e}", path.display()))
}

/// The `vectors` of a vector file given relative to the workspace root.
///
/// # Panics
/// When the file is missing, has no `vectors` array, or the array is empty.
#[must_use]
pub fn load<T: DeserializeOwned>(rel: &str) -> Vec<T> {
    let file: VectorFile<T> = load_file(rel);
    assert!(!file.vectors.is_empty(), "test data {rel}: no vectors");
    file.vectors
}

/// A vector file: `{ "vectors": [...] }` plus whatever else the file carries (`conventions`,
/// `source`, `generator`, ... in [`VectorFile::rest`]).
#[derive(Debug, Deserialize)]
pub struct VectorFile<T> {
    /// The vectors (required).
    pub vectors: Vec<T>,
    /// The file's other top-level fields.
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// Hex text, decoded when read (either case; public test data): keeps the text for command
/// lines and the bytes for the library.
#[derive(Clone, PartialEq, Eq)]
pub struct Hex {
    text: String,
    bytes: Vec<u8>,
}

impl Hex {
    /// Decodes hex text.
    ///
    /// # Panics
    /// When `text` is not hex.
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let bytes = paycrypt_primitives::hex::decode_vartime(text)
            .map_err(|e| format!("not hex ({e}): {text:?}"))?;
        Ok(Self {
            text: text.to_owned(),
            bytes,
        })
    }

    /// The hex text as written in the file.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The bytes.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, owned.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes.clone()
    }
}

impl core::ops::Deref for Hex {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(D::Error::custom)
    }
}

/// One vector of a file whose vectors differ in shape (dispatched on a `kind`, `algorithm`, …
/// field): its `id` and its other fields, with typed accessors that fail the test, naming the
/// vector, when a field is missing or has the wrong type.
#[derive(Clone, Debug, Deserialize)]
pub struct Vector {
    /// The vector's identifier (empty in files whose vectors have none).
    #[serde(default)]
    pub id: String,
    /// Every other field.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Vector {
    /// The raw field, if present.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// Whether the field is present.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// A string field.
    ///
    /// # Panics
    /// When it is missing or not a string.
    #[must_use]
    #[track_caller]
    pub fn str(&self, key: &str) -> &str {
        self.opt_str(key)
            .unwrap_or_else(|| panic!("{}: no string field {key}", self.id))
    }

    /// A string field, if present (`"id"` is the [`Vector::id`]).
    #[must_use]
    pub fn opt_str(&self, key: &str) -> Option<&str> {
        if key == "id" {
            return Some(&self.id);
        }
        self.get(key).and_then(Value::as_str)
    }

    /// A hex field, decoded.
    ///
    /// # Panics
    /// When it is missing or not hex.
    #[must_use]
    #[track_caller]
    pub fn hex(&self, key: &str) -> Vec<u8> {
        let text = self.str(key);
        paycrypt_primitives::hex::decode_vartime(text)
            .unwrap_or_else(|e| panic!("{}: field {key} is not hex: {e}", self.id))
    }

    /// A hex field, decoded, if present.
    #[must_use]
    #[track_caller]
    pub fn opt_hex(&self, key: &str) -> Option<Vec<u8>> {
        self.has(key).then(|| self.hex(key))
    }

    /// An unsigned integer field.
    ///
    /// # Panics
    /// When it is missing or not an unsigned integer.
    #[must_use]
    #[track_caller]
    pub fn u64(&self, key: &str) -> u64 {
        self.get(key)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("{}: no integer field {key}", self.id))
    }

    /// A boolean field, `false` when absent.
    #[must_use]
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }
}

/// One vector of `retail-mac/tests/data/mac.json` (ISO/IEC 9797-1 Annex B, ANSI X9.19,
/// NIST SP 800-38B, RFC 4231 / ISO/IEC 9797-2, X9.24-1 DUKPT MAC examples), read by
/// `paycrypt-mac`'s and the CLI's tests.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacVector {
    /// Identifier.
    pub id: String,
    /// `ISO9797_1_ALG1`, `ISO9797_1_ALG3`, `CMAC` or `HMAC_SHA256`.
    pub algorithm: String,
    /// `DES`, `TDES-2KEY`, `TDES-3KEY`, `AES-128`/`-192`/`-256` (absent for algorithm 3 and HMAC).
    pub cipher: Option<String>,
    /// The key.
    pub key: Hex,
    /// The ISO/IEC 9797-1 padding method (1–3) where the algorithm takes one.
    pub padding: Option<u8>,
    /// The message as text, where the source gives it so.
    pub data_ascii: Option<String>,
    /// The message.
    pub data_hex: Hex,
    /// The full MAC.
    pub mac: Hex,
    /// The truncated MAC as published.
    pub published_mac_prefix: Option<Hex>,
    /// The library error expected instead of a MAC (`mac_length`).
    pub expect_error: Option<String>,
    /// DUKPT request/response MAC variant of the transaction key.
    pub mac_variant: Option<String>,
    /// DUKPT KSN.
    pub ksn: Option<Hex>,
    /// DUKPT transaction key the MAC key is derived from.
    pub dukpt_transaction_key: Option<Hex>,
    /// Where the vector was published.
    pub source: String,
    /// Remarks.
    pub notes: Option<String>,
}

/// Prints which vector of which file was running when a test panics (the guard of
/// [`vector_test!`]).
#[derive(Debug)]
pub struct Context<'a> {
    /// The data file.
    pub file: &'a str,
    /// The vector's index in it.
    pub index: usize,
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("failed at vector #{} of {}", self.index, self.file);
        }
    }
}

/// One `#[test]` that runs `body` for every vector of a data file (path relative to the
/// workspace root), in the style of RustCrypto's `new_mac_test!` / ring's `test_file!`. A
/// missing file or an empty `vectors` array fails the test. `$t` is the vector type
/// ([`MacVector`], [`Vector`], or a test's own `Deserialize` struct); the body sees each vector
/// by reference.
///
/// ```text
/// vector_test!(every_vector, "pinblock/tests/data/pinblock.json", |v: Vector| {
///     run(v);
/// });
/// ```
#[macro_export]
macro_rules! vector_test {
    ($(#[$meta:meta])* $name:ident, $file:expr, |$v:ident : $t:ty| $body:block) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            let vectors: ::std::vec::Vec<$t> = $crate::load($file);
            for (index, $v) in vectors.iter().enumerate() {
                let _context = $crate::Context { file: $file, index };
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "is missing")]
    fn missing_file_fails() {
        let _: Vec<Vector> = load("test-support/no-such-file.json");
    }

    #[test]
    fn mac_file_is_typed() {
        let v: Vec<MacVector> = load("retail-mac/tests/data/mac.json");
        assert!(v.iter().all(|m| !m.mac.is_empty() && !m.source.is_empty()));
    }
}
