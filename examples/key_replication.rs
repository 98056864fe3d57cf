//! Disaster-recovery replication of payment keys between two regions.
//!
//! ```text
//! secondary (KRD)                               primary (KDH)
//!   RT-KRD: random nonce  ───────────────────▶
//!                         ◀───────────────────  KT-KDH: two-pass TR-34 key token carrying a KEK
//!   open (signature, CA, CRL, nonce, OAEP)        (signed by the KDH, encrypted to the KRD)
//!                         ◀───────────────────  B0 BDK, P0 PIN, M3 MAC, D0 data key as
//!   unwrap, compare KCVs                          X9.143 key blocks under the KEK
//! ```
//!
//! Done twice: with an AES-128 KEK (version `D` key blocks) and a 3-key TDES KEK (version `B`).
//! A tampered key block is refused.
//!
//! The RSA keys and certificates are the project's **test PKI**
//! (`tr34/tests/data/test-pki/`, "TR34 Test Vectors - NOT FOR PRODUCTION"); the symmetric keys
//! are random. Run with `cargo run --example key_replication`; exits 0 only when every check
//! passed.

mod walkthrough;

use core::time::Duration;
use paycrypt::keyblock::{
    Algorithm, BlockId, BlockValue, ClearKey, Exportability, Kbpk, KeyBlockHeader, KeyUsage,
    KeyVersion, ModeOfUse, OptionalBlock, Profile, WrapOptions, unwrap, wrap,
};
use paycrypt::mac::{KcvMethod, kcv};
use paycrypt::primitives::hex::Hex;
use paycrypt::primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt::primitives::rng::{OsRng, fill};
use paycrypt::tr34::{
    Certificate, Crl, KdhTrust, KeyHeader, KeyToken, KeyTokenBuilder, Krd, Pass, RandomNumberToken,
    SoftwareRsaKey,
};
use walkthrough::{Result, check};

/// The project's TR-34 test PKI (test keys, never for production).
mod pki {
    macro_rules! pem {
        ($path:literal) => {
            include_str!(concat!("../tr34/tests/data/test-pki/", $path))
        };
    }
    pub const KDH_KEY: &str = pem!("keys/kdh_1.key.pem");
    pub const KDH_CERT: &str = pem!("certs/kdh_1.cert.pem");
    pub const KRD_KEY: &str = pem!("keys/krd_1.key.pem");
    pub const KRD_CERT: &str = pem!("certs/krd_1.cert.pem");
    pub const CA_KDH_CERT: &str = pem!("certs/ca_kdh.cert.pem");
    pub const CA_KDH_CRL: &str = pem!("certs/ca_kdh.crl.pem");
}

/// The check value a custodian compares: legacy 3 bytes for TDES, CMAC 5 bytes for AES.
fn kcv_of(key: &SymmetricKey) -> Result<String> {
    let (method, len) = if key.algorithm().is_aes() {
        (KcvMethod::Cmac, 5)
    } else {
        (KcvMethod::Legacy, 3)
    };
    Ok(kcv(key, method, len)?.to_string())
}

fn random_key(algorithm: KeyAlgorithm) -> Result<SymmetricKey> {
    let mut bytes = vec![0u8; algorithm.key_len()];
    fill(&mut OsRng, &mut bytes)?;
    Ok(SymmetricKey::new(algorithm, &bytes)?)
}

/// One side's TR-34 credentials.
struct Site {
    key: SoftwareRsaKey,
    cert: Certificate,
}

/// Everything the two regions hold before the exchange.
struct Regions {
    primary: Site,
    secondary: Site,
    /// The secondary pins the CA that issues KDH certificates, and knows its CRL.
    ca_kdh: Certificate,
    crl: Crl,
}

impl Regions {
    fn load() -> Result<Self> {
        Ok(Self {
            primary: Site {
                key: SoftwareRsaKey::from_pkcs8_pem_or_der(pki::KDH_KEY.as_bytes())?,
                cert: Certificate::from_pem_or_der(pki::KDH_CERT.as_bytes())?,
            },
            secondary: Site {
                key: SoftwareRsaKey::from_pkcs8_pem_or_der(pki::KRD_KEY.as_bytes())?,
                cert: Certificate::from_pem_or_der(pki::KRD_CERT.as_bytes())?,
            },
            ca_kdh: Certificate::from_pem_or_der(pki::CA_KDH_CERT.as_bytes())?,
            crl: Crl::from_pem_or_der(pki::CA_KDH_CRL.as_bytes())?,
        })
    }
}

/// Establishes a KEK with a two-pass TR-34 exchange; returns (primary's KEK, secondary's KEK).
fn tr34_exchange(
    regions: &Regions,
    kek_algorithm: KeyAlgorithm,
    tr34_header: &str,
    now: Duration,
) -> Result<(Kbpk, Kbpk)> {
    println!("\n[secondary/KRD] 1. issue a random number token (RT-KRD)");
    let rt = RandomNumberToken::generate(&mut OsRng, 16)?;
    let rt_der = rt.to_der();
    println!("  RT-KRD ({} bytes DER): {}", rt_der.len(), Hex(&rt_der));

    println!("\n[primary/KDH] 2. generate the KEK and send it in a two-pass key token (KT-KDH)");
    let received_rt = RandomNumberToken::from_der(&rt_der)?;
    let kek = random_key(kek_algorithm)?;
    println!(
        "  KEK: {} (random), KCV {}",
        kek.algorithm().name(),
        kcv_of(&kek)?
    );
    let header = KeyHeader::parse(tr34_header)?;
    let p = &regions.primary;
    let token = KeyTokenBuilder::new(
        &p.key,
        &p.cert,
        &regions.secondary.cert,
        paycrypt::tr34::Layout::X9Tr34_2019AnnexB,
    )
    .build(
        &kek,
        &header,
        Pass::TwoPass {
            nonce: received_rt.nonce(),
        },
        &mut OsRng,
    )?;
    println!(
        "  KT-KDH: {} bytes DER (TR-34-2019 Annex B layout), header {header}, nonce echoed",
        token.len()
    );

    println!("\n[secondary/KRD] 3. verify and open the key token");
    let parsed = KeyToken::from_der(&token)?;
    let anchors = [regions.ca_kdh.clone()];
    let crls = [regions.crl.clone()];
    let trust = KdhTrust {
        kdh_certificate: &p.cert,
        anchors: &anchors,
        crls: &crls,
        at: now,
    };
    let s = &regions.secondary;
    let krd = Krd::new(&s.key).with_certificate(&s.cert);
    let opened = parsed.open(&krd, &trust, Pass::TwoPass { nonce: rt.nonce() })?;
    println!(
        "  opened: header {}, KEK {} KCV {}",
        opened.header,
        opened.key.algorithm().name(),
        kcv_of(&opened.key)?
    );
    check(
        kcv_of(&opened.key)? == kcv_of(&kek)?,
        "KEK KCV on the secondary equals the primary's",
    )?;

    // A replayed token (any other nonce than the one just issued) is refused.
    let stale = RandomNumberToken::generate(&mut OsRng, 16)?;
    let replay = parsed.open(
        &krd,
        &trust,
        Pass::TwoPass {
            nonce: stale.nonce(),
        },
    );
    check(
        matches!(replay, Err(paycrypt::tr34::Error::Rejected)),
        "the same token against another nonce (a replay) is rejected",
    )?;
    Ok((Kbpk::new(kek)?, Kbpk::new(opened.key)?))
}

/// A working key to replicate: usage, algorithm, mode of use.
struct WorkingKeySpec {
    name: &'static str,
    usage: KeyUsage,
    key_algorithm: KeyAlgorithm,
    mode: ModeOfUse,
}

/// The four working keys every region holds: a DUKPT BDK (`B0`), a PIN key (`P0`), a retail
/// MAC key (`M3`, always 2-key TDES: ISO 9797-1 algorithm 3) and a data key (`D0`).
fn working_keys(
    bdk: (&'static str, KeyAlgorithm),
    pin: KeyAlgorithm,
    data: KeyAlgorithm,
) -> [WorkingKeySpec; 4] {
    [
        WorkingKeySpec {
            name: bdk.0,
            usage: KeyUsage::B0,
            key_algorithm: bdk.1,
            mode: ModeOfUse::Derive,
        },
        WorkingKeySpec {
            name: "PIN encryption key",
            usage: KeyUsage::P0,
            key_algorithm: pin,
            mode: ModeOfUse::EncryptDecrypt,
        },
        WorkingKeySpec {
            name: "retail MAC key",
            usage: KeyUsage::M3,
            key_algorithm: KeyAlgorithm::Tdes2,
            mode: ModeOfUse::GenerateVerify,
        },
        WorkingKeySpec {
            name: "data encryption key",
            usage: KeyUsage::D0,
            key_algorithm: data,
            mode: ModeOfUse::EncryptDecrypt,
        },
    ]
}

fn block_algorithm(k: KeyAlgorithm) -> Algorithm {
    if k.is_aes() {
        Algorithm::Aes
    } else {
        Algorithm::Tdes
    }
}

/// Exports every working key under the KEK and imports it on the other side; returns one key
/// block for the tamper test.
fn replicate(primary_kek: &Kbpk, secondary_kek: &Kbpk, keys: &[WorkingKeySpec]) -> Result<String> {
    let version = primary_kek.default_version();
    println!(
        "\n[primary] 4. export the working keys as X9.143 key blocks, version {version} \
         (X9.143's choice for a {} KEK)",
        primary_kek.algorithm().name()
    );
    let mut blocks = Vec::new();
    for spec in keys {
        let key = random_key(spec.key_algorithm)?;
        let kcv = kcv_of(&key)?;
        let mut header = KeyBlockHeader::new(
            version,
            spec.usage,
            block_algorithm(spec.key_algorithm),
            spec.mode,
            KeyVersion::Unused,
            Exportability::Exportable,
        );
        let kcv_alg = if key.algorithm().is_aes() {
            KcvMethod::Cmac
        } else {
            KcvMethod::Legacy
        };
        header.push_block(OptionalBlock::check_value(BlockId::KC, kcv_alg, &key)?)?;
        let text = wrap(
            primary_kek,
            &header,
            &ClearKey::from(&key),
            &WrapOptions::default(),
            &mut OsRng,
        )?;
        println!(
            "  {} {:<7} KCV {kcv:<10} {text}",
            spec.usage,
            spec.key_algorithm.name(),
        );
        blocks.push((spec, text, kcv));
    }

    println!("\n[secondary] 5. import them under its copy of the KEK and compare the KCVs");
    for (spec, text, primary_kcv) in &blocks {
        let (header, key) = unwrap(secondary_kek, text, Profile::X9_143)?.into_parts();
        let key = key.to_symmetric_key(header.algorithm())?;
        let secondary_kcv = kcv_of(&key)?;
        let BlockValue::KeyCheckValue(carried) = header
            .optional_block(BlockId::KC)
            .ok_or("no KC block")?
            .value()?
        else {
            return Err("the KC block holds no KCV".into());
        };
        let carried = carried.value;
        println!(
            "  {} {:<7} primary KCV {primary_kcv}  secondary KCV {secondary_kcv}  KC block {carried}",
            header.key_usage(),
            key.algorithm().name()
        );
        check(
            header.key_usage() == spec.usage
                && header.mode_of_use() == spec.mode
                && key.algorithm() == spec.key_algorithm,
            &format!("{} ({}) arrived with its attributes", spec.usage, spec.name),
        )?;
        check(
            &secondary_kcv == primary_kcv && carried == secondary_kcv,
            &format!("{} KCVs equal on both sides", spec.usage),
        )?;
    }
    let (_, last, _) = blocks.pop().ok_or("no block")?;
    Ok(last)
}

/// The key block with the characters at `position` replaced by `replacement`.
fn tamper(text: &str, position: usize, replacement: &str) -> Result<String> {
    let end = position + replacement.len();
    let (head, tail) = (text.get(..position), text.get(end..));
    match (head, tail) {
        (Some(h), Some(t)) => Ok(format!("{h}{replacement}{t}")),
        _ => Err("tamper position outside the key block".into()),
    }
}

/// Another hex digit than the one at `position`.
fn other_digit(text: &str, position: usize) -> &'static str {
    if text.get(position..=position) == Some("0") {
        "1"
    } else {
        "0"
    }
}

fn tamper_tests(kek: &Kbpk, block: &str) -> Result {
    println!("\n[secondary] 6. tampered key blocks are refused");
    let refused = |t: &str| {
        matches!(
            unwrap(kek, t, Profile::X9_143),
            Err(paycrypt::keyblock::Error::AuthenticationFailed)
        )
    };
    check(
        unwrap(kek, block, Profile::X9_143).is_ok(),
        "the original imports",
    )?;
    // One payload hex digit changed (40 characters from the end is inside the payload: the
    // MAC is 16 or 32 hex digits, the payload at least 32).
    let i = block.len().saturating_sub(40);
    let payload = tamper(block, i, other_digit(block, i))?;
    check(
        refused(&payload),
        "a changed payload digit: authentication failed",
    )?;
    // The key usage rewritten from D0 (data) to P0 (PIN): a key-usage attack.
    check(
        block.get(5..7) == Some("D0"),
        "the last block is the D0 data key",
    )?;
    let usage = tamper(block, 5, "P0")?;
    check(
        refused(&usage),
        "usage D0 rewritten to P0: authentication failed",
    )?;
    // The last MAC digit changed.
    let n = block.len().saturating_sub(1);
    let mac = tamper(block, n, other_digit(block, n))?;
    check(refused(&mac), "a changed MAC digit: authentication failed")?;
    Ok(())
}

fn now() -> Result<Duration> {
    Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?)
}

/// The whole walkthrough; `Err` as soon as any step or check fails.
fn run() -> Result {
    println!("Key replication walkthrough (TR-34 test PKI; random symmetric keys)");
    let regions = Regions::load()?;
    let now = now()?;

    println!("\n=== AES-128 KEK → version D key blocks ===");
    let (p_kek, s_kek) = tr34_exchange(&regions, KeyAlgorithm::Aes128, "D0000K1AB00E0000", now)?;
    let aes_keys = working_keys(
        ("AES DUKPT BDK", KeyAlgorithm::Aes128),
        KeyAlgorithm::Aes128,
        KeyAlgorithm::Aes128,
    );
    let last = replicate(&p_kek, &s_kek, &aes_keys)?;
    tamper_tests(&s_kek, &last)?;

    println!("\n=== 3-key TDES KEK → version B key blocks ===");
    let (p_kek, s_kek) = tr34_exchange(&regions, KeyAlgorithm::Tdes3, "B0000K1TB00E0000", now)?;
    let tdes_keys = working_keys(
        ("TDES DUKPT BDK", KeyAlgorithm::Tdes2),
        KeyAlgorithm::Tdes3,
        KeyAlgorithm::Tdes3,
    );
    let last = replicate(&p_kek, &s_kek, &tdes_keys)?;
    tamper_tests(&s_kek, &last)?;

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
    fn key_replication_walkthrough_passes_every_check() {
        super::run().unwrap();
    }
}
