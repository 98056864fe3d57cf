//! `paycrypt speed [NAME...]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;

/// The benchmark names, the first word of each line.
fn names(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect()
}

#[test]
fn every_benchmark_runs_and_names_select() {
    let lines = ok(&["speed", "--seconds", "0.01"]);
    let all = names(&lines);
    for expected in [
        "dukpt-tdes",
        "dukpt-tdes-vartime",
        "dukpt-aes-128",
        "dukpt-aes-192",
        "dukpt-aes-256",
        "keyblock-a-wrap",
        "keyblock-a-unwrap",
        "keyblock-b-wrap",
        "keyblock-c-wrap",
        "keyblock-d-wrap",
        "keyblock-e-unwrap",
        "pin-0",
        "pin-1",
        "pin-2",
        "pin-3",
        "pin-4",
        "mac-iso9797-1-1",
        "mac-iso9797-1-3",
        "mac-cmac-tdes",
        "mac-cmac-aes",
        "mac-hmac-sha256",
    ] {
        assert!(all.contains(&expected), "{expected} in {all:?}");
    }
    for l in &lines {
        let rate: f64 = l.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(rate > 0.0, "{l}");
    }
    // Prefix selection.
    let lines = ok(&["speed", "dukpt-aes", "mac-cmac", "--seconds", "0.01"]);
    assert_eq!(
        names(&lines),
        [
            "dukpt-aes-128",
            "dukpt-aes-192",
            "dukpt-aes-256",
            "mac-cmac-tdes",
            "mac-cmac-aes"
        ]
    );
    let lines = ok(&["speed", "pin-4", "--seconds", "0.01"]);
    assert_eq!(lines.len(), 1);
    // JSON.
    let j = ok_json(&["speed", "keyblock-d", "--seconds", "0.01"]);
    let results = j["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["name"], "keyblock-d-wrap");
    assert!(results[0]["ops_per_second"].as_f64().unwrap() > 0.0);
    assert!(results[0]["operations"].as_u64().unwrap() > 0);
}

#[test]
fn bad_names_and_durations_exit_2() {
    let cases: [&[&str]; 6] = [
        &["rot13"],
        &["dukpt-tdes-v"],
        &["--seconds", "0"],
        &["--seconds", "-1"],
        &["--seconds", "abc"],
        &["--seconds", "NaN"],
    ];
    for extra in cases {
        fails(2, &with_extra(&["speed"], extra), &[]);
    }
}
