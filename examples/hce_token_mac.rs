//! A host card emulation (HCE) token service MAC.
//!
//! The token service concatenates the data elements of a token request and MACs them with
//! single-DES CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1, padding method 2), keeping the leftmost
//! 4 bytes; then the same with a double-length key (MAC algorithm 3, the retail MAC). That is the
//! PBOC / JR/T 0025 MAC profile of `paycrypt-mac` ([`paycrypt::mac::pboc`]); the
//! example also computes it through the explicit parameters and checks that both agree.
//!
//! The keys are the ISO/IEC 9797-1 Annex B test keys (published, printed on purpose). Run with
//! `cargo run --example hce_token_mac`; exits 0 only when every check passed.

mod walkthrough;

use paycrypt::mac::{
    KeyAlgorithm, MacAlgorithm, MacParams, Padding, SymmetricKey, generate, verify, verify_mac,
};
use paycrypt::mac::{PBOC_MAC_LEN, pboc};
use paycrypt::primitives::hex::{Hex, decode, decode_array};
use walkthrough::{Result, check};

/// ISO/IEC 9797-1 Annex B test keys.
const DES_KEY: &str = "0123456789ABCDEF";
const DOUBLE_KEY: &str = "0123456789ABCDEFFEDCBA9876543210";

/// The data elements of a token request, in MAC order (name, value as hex).
const ELEMENTS: [(&str, &str); 7] = [
    ("token (device PAN)", "4895370012345678"),
    ("token expiry YYMM", "2812"),
    ("application transaction counter", "0001"),
    ("unpredictable number", "1A2B3C4D"),
    ("amount", "000000001000"),
    ("currency (EUR)", "0978"),
    ("token requestor ID", "40010030273"),
];

/// The data elements concatenated (each packed from its hex digits; odd lengths get an `F`).
fn mac_input(elements: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    for (name, value) in elements {
        let v = if value.len() % 2 == 1 {
            format!("{value}F")
        } else {
            (*value).to_owned()
        };
        let bytes = decode(&v)?;
        println!("  {name:<34} {}", Hex(&bytes));
        data.extend_from_slice(&bytes);
    }
    Ok(data)
}

/// MACs the request with `key`, checks the named profile against the explicit parameters, has
/// the receiver verify it, and checks that a modified request is refused.
fn mac_flow(key: &SymmetricKey, explicit: MacAlgorithm, data: &[u8]) -> Result {
    let tag = pboc(key, None, data)?;
    println!("  MAC (leftmost {PBOC_MAC_LEN} bytes): {tag}");
    let params = MacParams::new(explicit).with_mac_len(4);
    let same = generate(key.into(), &params, data)?;
    println!(
        "  explicit parameters ({}, padding method 2, 4 bytes): {same}",
        explicit.name()
    );
    check(
        same.as_bytes() == tag.as_bytes(),
        "named profile and explicit parameters agree",
    )?;

    // The wallet / token vault receives the elements and the 4-byte MAC and verifies it.
    let received = tag.as_bytes().to_vec();
    verify_mac(key.into(), &params, data, &received)?;
    println!("    ✓ receiver verifies the MAC (constant-time compare)");

    // The ATC bumped by an attacker replaying the request.
    let mut altered = data.to_vec();
    let atc = 8 + 2 + 1; // token 8 bytes, expiry 2 bytes, ATC low byte
    *altered.get_mut(atc).ok_or("short request")? ^= 0x01;
    let outcome = verify(&received, &pboc(key, None, &altered)?);
    println!("  ATC changed 0001 → 0000: {outcome:?}");
    check(
        outcome == Err(paycrypt::mac::Error::Verification),
        "a modified request fails verification",
    )?;
    Ok(())
}

/// The whole walkthrough; `Err` as soon as any step or check fails.
fn run() -> Result {
    println!("HCE token service MAC walkthrough (ISO/IEC 9797-1 test keys)");

    println!("\n1. self-test against ISO/IEC 9797-1 Annex B (padding method 2, 32-bit MACs)");
    let des = SymmetricKey::new(KeyAlgorithm::Des, &decode_array::<8>(DES_KEY)?)?;
    let double = SymmetricKey::new(KeyAlgorithm::Tdes2, &decode_array::<16>(DOUBLE_KEY)?)?;
    let annex = b"Now is the time for all ";
    let a1 = pboc(&des, None, annex)?;
    let a3 = pboc(&double, None, annex)?;
    println!("  algorithm 1, DES key {DES_KEY}: {a1} (published 10E1F0F1)");
    println!("  algorithm 3, key {DOUBLE_KEY}: {a3} (published E9086230)");
    check(
        a1.to_string() == "10E1F0F1" && a3.to_string() == "E9086230",
        "both equal the published values",
    )?;

    println!("\n2. the token request's data elements, concatenated");
    let data = mac_input(&ELEMENTS)?;
    println!("  MAC input ({} bytes): {}", data.len(), Hex(&data));

    println!("\n3. single-DES CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1), key {DES_KEY}");
    mac_flow(
        &des,
        MacAlgorithm::Iso9797Algorithm1 {
            padding: Padding::Method2,
        },
        &data,
    )?;

    println!(
        "\n4. double-length key: retail MAC (ISO/IEC 9797-1 MAC algorithm 3), key {DOUBLE_KEY}"
    );
    mac_flow(
        &double,
        MacAlgorithm::Iso9797Algorithm3 {
            padding: Padding::Method2,
        },
        &data,
    )?;

    println!("\nAll checks passed.");
    Ok(())
}

#[cfg_attr(test, allow(dead_code))]
fn main() -> Result {
    run()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hce_token_mac_walkthrough_passes_every_check() {
        super::run().unwrap();
    }
}
