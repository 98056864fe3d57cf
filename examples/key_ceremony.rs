//! A key ceremony: a KEK travels as three custodians' components, is recombined at the receiving
//! site, and wraps a BDK as an X9.143 key block with key-length obfuscation.
//!
//! ```text
//! site A HSM: KEK ──split (XOR, X9.24-1 key components)──▶ C1, C2, C3 + KCVs (ceremony log)
//! site B HSM: C1 ⊕ C2 ⊕ C3 ──▶ KEK   (each component's KCV checked as it is entered)
//! site A:     BDK ──X9.143 key block, version D, obfuscated to 32 bytes──▶ site B
//! ```
//!
//! The keys are random and printed so the ceremony can be followed (**never print components in
//! production**: each custodian sees only their own). Run with
//! `cargo run --example key_ceremony`; exits 0 only when every check passed.

mod walkthrough;

use paycrypt::keyblock::optblock::BdkId;
use paycrypt::keyblock::{
    Algorithm, BlockId, BlockValue, ClearKey, Exportability, Kbpk, KeyBlockHeader, KeyComponent,
    KeyUsage, KeyVersion, ModeOfUse, OptionalBlock, Profile, Version, WrapOptions,
    combine_components, inspect, split_components, unwrap, wrap,
};
use paycrypt::mac::{KcvMethod, kcv};
use paycrypt::primitives::hex::Hex;
use paycrypt::primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt::primitives::rng::{OsRng, fill};
use walkthrough::{Result, check};

fn random_key(algorithm: KeyAlgorithm) -> Result<SymmetricKey> {
    let mut bytes = vec![0u8; algorithm.key_len()];
    fill(&mut OsRng, &mut bytes)?;
    Ok(SymmetricKey::new(algorithm, &bytes)?)
}

fn cmac_kcv(key: &SymmetricKey) -> Result<String> {
    Ok(kcv(key, KcvMethod::Cmac, 5)?.to_string())
}

/// The BDK header: `B0`, AES, derive only, exportable, with the BDK ID (`BI`) and the KCV of
/// the KEK (`KP`) so the receiver can tell it holds the right KEK before unwrapping.
fn bdk_header(kek: &Kbpk, bdk_id: &str) -> Result<KeyBlockHeader> {
    let mut h = KeyBlockHeader::new(
        Version::D,
        KeyUsage::B0,
        Algorithm::Aes,
        ModeOfUse::Derive,
        KeyVersion::Unused,
        Exportability::Exportable,
    );
    h.push_block(OptionalBlock::from_value(&BlockValue::BdkId(
        BdkId::AesBdkId(bdk_id),
    ))?)?;
    h.push_block(OptionalBlock::check_value(
        BlockId::KP,
        KcvMethod::Cmac,
        kek.key(),
    )?)?;
    Ok(h)
}

/// The whole walkthrough; `Err` as soon as any step or check fails.
fn run() -> Result {
    println!("Key ceremony walkthrough (random keys, printed on purpose)");

    println!("\n[site A] 1. the HSM generates an AES-256 KEK and splits it into 3 components");
    let kek = random_key(KeyAlgorithm::Aes256)?;
    let kek_kcv = cmac_kcv(&kek)?;
    println!("  KEK KCV (CMAC, X9.24-1:2017 A.3) {kek_kcv}");
    let components = split_components(&kek, 3, &mut OsRng)?;
    let mut log = Vec::new();
    for c in &components {
        let c_kcv = c.kcv()?.to_string();
        println!(
            "  custodian {}: component {}  KCV {c_kcv}",
            c.number(),
            Hex(c.key().expose_bytes())
        );
        log.push(c_kcv);
    }
    check(
        log.iter()
            .enumerate()
            .all(|(i, a)| log.iter().skip(i + 1).all(|b| a != b)),
        "three distinct components (KCVs differ)",
    )?;

    println!("\n[site B] 2. each custodian enters their component; the HSM checks its KCV");
    let mut entered = Vec::new();
    for (c, logged) in components.iter().zip(&log) {
        // What the custodian types in (from their sealed mailer).
        let typed = KeyComponent::new(
            c.number(),
            SymmetricKey::new(c.key().algorithm(), c.key().expose_bytes())?,
        );
        let typed_kcv = typed.kcv()?.to_string();
        check(
            &typed_kcv == logged,
            &format!(
                "component {} KCV {typed_kcv} matches the log",
                typed.number()
            ),
        )?;
        entered.push(typed);
    }
    let combined = combine_components(&entered)?;
    let combined_kcv = cmac_kcv(&combined)?;
    println!("  combined KEK KCV {combined_kcv}");
    check(
        combined_kcv == kek_kcv,
        "the KEK at site B has site A's KCV",
    )?;

    println!("\n[site A] 3. wrap an AES-128 BDK under the KEK (X9.143, version D, obfuscated)");
    let kbpk = Kbpk::new(kek)?;
    let bdk = random_key(KeyAlgorithm::Aes128)?;
    let bdk_kcv = cmac_kcv(&bdk)?;
    println!("  BDK KCV {bdk_kcv}");
    let header = bdk_header(&kbpk, "0A1B2C3D")?;
    let options = WrapOptions::default();
    check(options.obfuscate, "key-length obfuscation is on by default")?;
    let block = wrap(&kbpk, &header, &ClearKey::from(&bdk), &options, &mut OsRng)?;
    println!("  key block ({} characters): {block}", block.len());

    println!("\n    why obfuscation: the AES-128 key is padded to 32 bytes like an AES-256 key");
    let plain = wrap(
        &kbpk,
        &header,
        &ClearKey::from(&bdk),
        &WrapOptions {
            obfuscate: false,
            ..options
        },
        &mut OsRng,
    )?;
    let aes256 = random_key(KeyAlgorithm::Aes256)?;
    let long = wrap(
        &kbpk,
        &header,
        &ClearKey::from(&aes256),
        &options,
        &mut OsRng,
    )?;
    println!(
        "  lengths: AES-128 obfuscated {}, AES-256 obfuscated {}, AES-128 not obfuscated {}",
        block.len(),
        long.len(),
        plain.len()
    );
    check(
        block.len() == long.len() && plain.len() < block.len(),
        "obfuscated blocks do not reveal the key length; the unobfuscated one does",
    )?;

    println!("\n[site B] 4. unwrap the BDK with the recombined KEK");
    let site_b_kek = Kbpk::new(combined)?;
    // Before unwrapping: the (authenticated later) header says which KEK it needs.
    let received_header = inspect(&block, Profile::X9_143)?.header().clone();
    let kp = received_header
        .optional_block(BlockId::KP)
        .ok_or("no KP block")?;
    println!("  KP block (KCV of the KEK the block needs): {}", kp.data());
    check(
        kp.data() == format!("01{combined_kcv}"),
        "the KP block names the KEK site B holds",
    )?;
    let (h, key) = unwrap(&site_b_kek, &block, Profile::X9_143)?.into_parts();
    let received = key.to_symmetric_key(h.algorithm())?;
    println!(
        "  {} {} BDK, KCV {}",
        h.key_usage(),
        received.algorithm().name(),
        cmac_kcv(&received)?
    );
    check(
        h.key_usage() == KeyUsage::B0 && cmac_kcv(&received)? == bdk_kcv,
        "B0 key received with the BDK's KCV",
    )?;

    println!("\n[site B] 5. a mistyped component is caught twice");
    let (c3, first_two) = entered.split_last().ok_or("no component")?;
    let mut wrong = c3.key().expose_bytes().to_vec();
    if let Some(b) = wrong.first_mut() {
        *b ^= 0x01;
    }
    let typo = KeyComponent::new(
        c3.number(),
        SymmetricKey::new(c3.key().algorithm(), &wrong)?,
    );
    let typo_kcv = typo.kcv()?.to_string();
    println!("  component 3 with one bit wrong: KCV {typo_kcv}");
    check(
        log.last().is_some_and(|logged| *logged != typo_kcv),
        "its KCV does not match the log",
    )?;
    let mut with_typo = first_two.to_vec();
    with_typo.push(typo);
    let bad_kek = Kbpk::new(combine_components(&with_typo)?)?;
    let outcome = unwrap(&bad_kek, &block, Profile::X9_143);
    println!(
        "  unwrap under the wrong KEK: {:?}",
        outcome.as_ref().map(|_| ())
    );
    check(
        outcome == Err(paycrypt::keyblock::Error::AuthenticationFailed),
        "combined anyway, the KEK cannot open the BDK block",
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
    fn key_ceremony_walkthrough_passes_every_check() {
        super::run().unwrap();
    }
}
