//! Shared helpers for the data-driven tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

/// The `vectors` array of a data file (pass the `include_str!` text).
pub fn vectors(json: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(json).expect("vector file is JSON");
    let v = all["vectors"].as_array().expect("a vectors array").clone();
    assert!(!v.is_empty(), "no vectors in the data file");
    v
}

/// A string field.
#[track_caller]
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string field {key} in {v}"))
}

/// Hex decoding of a field.
#[track_caller]
pub fn h(v: &Value, key: &str) -> Vec<u8> {
    paycrypt_primitives::hex::decode(s(v, key)).expect("hex")
}
