//! The crate's module layering (issue 14 item 3: no module circles): every `super::` and
//! `crate::` path in the library sources (tests excluded) points to a module *earlier* in the
//! documented order, so the graph is acyclic. The order is the one in the README ("Module
//! layering") and in `docs/ARCHITECTURE.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lower → higher. A module may use only modules before it.
const CRATE: &[&str] = &[
    "counter_bits",
    "direction",
    "error",
    "slots",
    "tdes",
    "aes",
    "trace",
];
const TDES: &[&str] = &[
    "ksn",
    "types",
    "des_fast",
    "bitslice",
    "engine",
    "derive",
    "keys",
    "host",
    "originator",
];
const AES: &[&str] = &[
    "ksn",
    "types",
    "derive",
    "keys",
    "lanes",
    "batch",
    "host",
    "originator",
];

/// The source without comments and without the `#[cfg(test)]` module (test-only paths may
/// reach up: a test compares a low layer against a higher one).
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers `p::NAME` in `src` for the path prefix `p` (`super::` or `crate::`),
/// including those inside `p::{a::X, b}` groups.
fn targets(src: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

/// The module behind a crate-root name: the re-exports of `lib.rs` resolve to their module.
fn root_module(name: &str) -> &str {
    match name {
        "Error" | "ErrorClass" => "error",
        "Direction" => "direction",
        other => other,
    }
}

/// Module edges `(from, to)` at one level: `parent` is `""` for the crate root's children,
/// or `tdes` / `aes`.
fn edges() -> BTreeMap<(String, String), BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel: Vec<String> = f
            .strip_prefix(&src)
            .unwrap()
            .with_extension("")
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if rel == ["lib"] {
            continue;
        }
        let text = code(&std::fs::read_to_string(&f).unwrap());
        // (parent, module): `tdes/bitslice/sboxes.rs` belongs to `bitslice` (its `super::`
        // is its own parent module).
        let (parent, module) = match rel.as_slice() {
            [m] => (String::new(), m.clone()),
            [p, m] => (p.clone(), m.clone()),
            [p, m, _child] => (p.clone(), m.clone()),
            _ => panic!("unexpected module depth: {rel:?}"),
        };
        let is_child = rel.len() == 3;
        let mut add = |parent: &str, from: &str, to: &str| {
            if from != to {
                out.entry((parent.to_string(), from.to_string()))
                    .or_default()
                    .insert(to.to_string());
            }
        };
        if !parent.is_empty() && !is_child {
            for t in targets(&text, "super::") {
                add(&parent, &module, &t);
            }
        }
        for t in targets(&text, "crate::") {
            let top = if parent.is_empty() { &module } else { &parent };
            add("", top, root_module(&t));
            if t == parent {
                // `crate::tdes::x` from inside `tdes`: a sibling edge.
                let inner = format!("crate::{parent}::");
                for s in targets(&text, &inner) {
                    add(&parent, &module, &s);
                }
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let order = |parent: &str| match parent {
        "" => CRATE,
        "tdes" => TDES,
        "aes" => AES,
        other => panic!("no documented order for {other}"),
    };
    let edges = edges();
    let mut seen = 0;
    for ((parent, from), tos) in &edges {
        let layers = order(parent);
        let pos = |m: &str| {
            layers
                .iter()
                .position(|x| *x == m)
                .unwrap_or_else(|| panic!("{parent}::{m} is not in the documented order"))
        };
        for to in tos {
            // Paths into items of the parent itself (`super::Word`, `crate::Error`) are not
            // modules; only module names are in the order.
            if !layers.contains(&to.as_str()) {
                continue;
            }
            seen += 1;
            assert!(
                pos(to) < pos(from),
                "{parent}::{from} uses {parent}::{to}, a higher layer (order: {layers:?})"
            );
        }
        println!("{parent}::{from} -> {tos:?}");
    }
    // The check saw the edges it is about (a parser that finds nothing must not pass).
    assert!(seen >= 30, "only {seen} module edges found");
    for (parent, from, to) in [
        ("tdes", "keys", "derive"),
        ("tdes", "host", "keys"),
        ("tdes", "engine", "bitslice"),
        ("tdes", "bitslice", "types"),
        ("aes", "batch", "lanes"),
        ("", "tdes", "error"),
    ] {
        assert!(
            edges
                .get(&(parent.to_string(), from.to_string()))
                .is_some_and(|t| t.contains(to)),
            "edge {parent}::{from} -> {to} not found"
        );
    }
}

#[test]
fn orders_are_complete() {
    // Every module file is in the documented order (a new module must be placed).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (dir, layers) in [("tdes", TDES), ("aes", AES)] {
        for e in std::fs::read_dir(src.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rs") {
                let m = p.file_stem().unwrap().to_string_lossy().into_owned();
                assert!(
                    layers.contains(&m.as_str()),
                    "{dir}/{m}.rs is not in the order"
                );
            }
        }
    }
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") {
            let m = p.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                m == "lib" || CRATE.contains(&m.as_str()),
                "{m}.rs is not in the order"
            );
        }
    }
}
