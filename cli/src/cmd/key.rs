//! `paycrypt key generate|combine|parity` over `paycrypt-keyblock`'s key components
//! (X9.24-1:2017 §7.3), `paycrypt-mac` KCVs (X9.24-1:2017 A.2 / A.3, AWS `HMAC`) and the DES
//! parity helpers of `paycrypt-primitives` (FIPS 46-3 §3).

use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::input::SecretArg;
use crate::output::Output;
use clap::{Args, Subcommand, ValueEnum};
use paycrypt_keyblock::{
    KeyComponent, combine_components_with_parity, generate_components, random_key,
};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod, hmac_kcv, kcv};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey, has_odd_parity, set_odd_parity};
use paycrypt_primitives::rng::{OsRng, fill};
use paycrypt_primitives::subtle::ConstantTimeEq;
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// Key commands.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// A random key (odd parity for TDES) and its KCV; with --components N, its components.
    #[command(
        after_help = "Examples:\n  paycrypt key generate --algorithm tdes2\n  paycrypt key generate --algorithm aes128 --components 3 --json"
    )]
    Generate(GenerateArgs),
    /// XOR of 2 or 3 components (parity set odd for TDES); prints the key, then its KCV.
    #[command(
        after_help = "Example:\n  paycrypt key combine --component @c1.hex --component @c2.hex --algorithm tdes"
    )]
    Combine(CombineArgs),
    /// Odd-parity status of a DES/TDES key (exit 1 when not odd); --fix prints the adjusted key.
    #[command(
        after_help = "Examples:\n  paycrypt key parity --key 0123456789ABCDEFFEDCBA9876543210\n  paycrypt key parity --key @key.hex --fix"
    )]
    Parity(ParityArgs),
}

/// `--algorithm` of `key generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenAlgorithm {
    /// Double-length TDES (16 bytes).
    Tdes2,
    /// Triple-length TDES (24 bytes).
    Tdes3,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
    /// HMAC-SHA-1 key (20 bytes).
    #[value(name = "hmac-sha1")]
    HmacSha1,
    /// HMAC-SHA-224 key (28 bytes).
    #[value(name = "hmac-sha224")]
    HmacSha224,
    /// HMAC-SHA-256 key (32 bytes).
    #[value(name = "hmac-sha256")]
    HmacSha256,
    /// HMAC-SHA-384 key (48 bytes).
    #[value(name = "hmac-sha384")]
    HmacSha384,
    /// HMAC-SHA-512 key (64 bytes).
    #[value(name = "hmac-sha512")]
    HmacSha512,
}

impl GenAlgorithm {
    fn block(self) -> Result<KeyAlgorithm, HashFunction> {
        match self {
            Self::Tdes2 => Ok(KeyAlgorithm::Tdes2),
            Self::Tdes3 => Ok(KeyAlgorithm::Tdes3),
            Self::Aes128 => Ok(KeyAlgorithm::Aes128),
            Self::Aes192 => Ok(KeyAlgorithm::Aes192),
            Self::Aes256 => Ok(KeyAlgorithm::Aes256),
            Self::HmacSha1 => Err(HashFunction::Sha1),
            Self::HmacSha224 => Err(HashFunction::Sha224),
            Self::HmacSha256 => Err(HashFunction::Sha256),
            Self::HmacSha384 => Err(HashFunction::Sha384),
            Self::HmacSha512 => Err(HashFunction::Sha512),
        }
    }
}

/// `key generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Key algorithm (HMAC keys are as long as the hash output).
    #[arg(long, value_name = "A")]
    pub algorithm: GenAlgorithm,
    /// Also print N (2 or 3) components whose XOR is the key (TDES and AES keys).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub components: Option<u8>,
}

/// `--algorithm` of `key combine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CombineAlgorithm {
    /// TDES (16 or 24 bytes); the result gets odd parity.
    Tdes,
    /// AES (16, 24 or 32 bytes).
    Aes,
}

/// `key combine`.
#[derive(Debug, Args)]
pub struct CombineArgs {
    /// A component: 2 or 3 of them, all of one length (secret: hex, @FILE or -).
    #[arg(long = "component", value_name = "HEX", required = true, num_args = 1)]
    pub components: Vec<SecretArg>,
    /// Key algorithm (default: tdes for 16 and 24 bytes, aes for 32).
    #[arg(long, value_name = "tdes|aes")]
    pub algorithm: Option<CombineAlgorithm>,
}

/// `key parity`.
#[derive(Debug, Args)]
pub struct ParityArgs {
    #[arg(
        long,
        value_name = "HEX",
        help = "The DES or TDES key: 8, 16 or 24 bytes (hex; or @FILE to read it from a file, or - to read it from stdin)"
    )]
    pub key: SecretArg,
    /// Print the key with odd parity set in every byte (exit 0).
    #[arg(long)]
    pub fix: bool,
}

/// Runs a `key` subcommand.
pub fn run(command: KeyCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        KeyCommand::Generate(a) => generate(&a),
        KeyCommand::Combine(a) => combine(&a, inputs),
        KeyCommand::Parity(a) => parity(&a, inputs),
    }
}

/// The KCV a custodian checks: legacy 3 bytes for TDES (X9.24-1:2017 A.2), CMAC 5 bytes for
/// AES (A.3).
fn block_kcv(key: &SymmetricKey) -> CliResult<(String, &'static str)> {
    let method = if key.algorithm().is_aes() {
        KcvMethod::Cmac
    } else {
        KcvMethod::Legacy
    };
    let value = kcv(key, method, method.default_len())
        .map_err(|e| CliError::classified(e.class(), format!("kcv: {e}")))?;
    Ok((encode_upper(value.as_bytes()), method.name()))
}

fn generate(args: &GenerateArgs) -> CliResult<Output> {
    let rng_error =
        |e: paycrypt_keyblock::Error| CliError::classified(e.class(), format!("key generate: {e}"));
    let mut out = Output::new();
    match args.algorithm.block() {
        Ok(algorithm) => match args.components {
            None => {
                let key = random_key(algorithm, &mut OsRng).map_err(rng_error)?;
                let (k, method) = block_kcv(&key)?;
                out.primary("key", encode_upper(key.expose_bytes()));
                out.line(format!("kcv: {k}"));
                out.field("kcv", k);
                out.field("kcv_method", method);
            }
            Some(n) => {
                let (key, parts) = generate_components(algorithm, usize::from(n), &mut OsRng)
                    .map_err(rng_error)?;
                let (k, method) = block_kcv(&key)?;
                out.primary("key", encode_upper(key.expose_bytes()));
                out.line(format!("kcv: {k}"));
                let mut list = Vec::new();
                for p in &parts {
                    let (pk, _) = block_kcv(p.key())?;
                    let hex = encode_upper(p.key().expose_bytes());
                    out.line(format!("component {}: {hex} kcv: {pk}", p.number()));
                    list.push(json!({"component": hex, "kcv": pk}));
                }
                out.field("kcv", k);
                out.field("kcv_method", method);
                out.field("components", Value::Array(list));
            }
        },
        Err(hash) => {
            if args.components.is_some() {
                return Err(CliError::usage("--components: only for TDES and AES keys"));
            }
            let mut bytes = Zeroizing::new(vec![0u8; hash.output_len()]);
            fill(&mut OsRng, &mut bytes)
                .map_err(|e| CliError::classified(e.class(), format!("key generate: {e}")))?;
            let key = HmacKey::from_bytes(&bytes)
                .map_err(|e| CliError::classified(e.class(), e.to_string()))?;
            let value = hmac_kcv(&key, hash, KcvMethod::Hmac.default_len())
                .map_err(|e| CliError::classified(e.class(), e.to_string()))?;
            out.primary("key", encode_upper(&bytes));
            out.line(format!("kcv: {}", encode_upper(value.as_bytes())));
            out.field("kcv", encode_upper(value.as_bytes()));
            out.field("kcv_method", "hmac");
        }
    }
    Ok(out)
}

fn combine(args: &CombineArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let n = args.components.len();
    if !(2..=3).contains(&n) {
        return Err(CliError::usage(format!(
            "--component: give 2 or 3 components, not {n}"
        )));
    }
    let mut raw: Vec<Zeroizing<Vec<u8>>> = Vec::with_capacity(n);
    for (i, text) in args.components.iter().enumerate() {
        let option = format!("--component {}", i + 1);
        raw.push(inputs.secret_hex(&option, text)?);
    }
    let len = raw.first().map_or(0, |r| r.len());
    if raw.iter().any(|r| r.len() != len) {
        return Err(CliError::usage(
            "--component: the components have different lengths",
        ));
    }
    // A repeated component cancels out of the XOR: refuse it (compared in constant time).
    for (i, a) in raw.iter().enumerate() {
        for b in raw.iter().skip(i + 1) {
            if bool::from(a.as_slice().ct_eq(b.as_slice())) {
                return Err(CliError::usage(
                    "--component: the same component is given twice",
                ));
            }
        }
    }
    let algorithm = match (args.algorithm, len) {
        (Some(CombineAlgorithm::Tdes) | None, 16) => KeyAlgorithm::Tdes2,
        (Some(CombineAlgorithm::Tdes) | None, 24) => KeyAlgorithm::Tdes3,
        (Some(CombineAlgorithm::Aes), 16) => KeyAlgorithm::Aes128,
        (Some(CombineAlgorithm::Aes), 24) => KeyAlgorithm::Aes192,
        (Some(CombineAlgorithm::Aes) | None, 32) => KeyAlgorithm::Aes256,
        (Some(CombineAlgorithm::Tdes), n) => {
            return Err(CliError::usage(format!(
                "--component: a TDES component is 16 or 24 bytes, not {n}"
            )));
        }
        (_, n) => {
            return Err(CliError::usage(format!(
                "--component: a component is 16, 24 or 32 bytes, not {n}"
            )));
        }
    };
    let mut parts = Vec::with_capacity(n);
    for (i, r) in raw.iter().enumerate() {
        let key = SymmetricKey::new(algorithm, r)
            .map_err(|e| CliError::classified(e.class(), format!("--component {}: {e}", i + 1)))?;
        let number = u8::try_from(i + 1).unwrap_or(u8::MAX);
        parts.push(KeyComponent::new(number, key));
    }
    let key = combine_components_with_parity(&parts)
        .map_err(|e| CliError::classified(e.class(), format!("--component: {e}")))?;
    let (k, method) = block_kcv(&key)?;
    let mut out = Output::new();
    out.primary("key", encode_upper(key.expose_bytes()));
    out.primary("kcv", k);
    out.field("kcv_method", method);
    out.field("algorithm", algorithm.name());
    Ok(out)
}

fn parity(args: &ParityArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let mut bytes = inputs.secret_hex("--key", &args.key)?;
    if ![8, 16, 24].contains(&bytes.len()) {
        return Err(CliError::usage(format!(
            "--key: a DES or TDES key is 8, 16 or 24 bytes, not {}",
            bytes.len()
        )));
    }
    // Per 8-byte DES key: K1, K2 (and K3).
    let per_key: Vec<bool> = bytes.chunks(8).map(has_odd_parity).collect();
    let odd = per_key.iter().all(|b| *b);
    let mut out = Output::new();
    if args.fix {
        set_odd_parity(&mut bytes);
        out.primary("key", encode_upper(&bytes));
    } else if !odd {
        let which: Vec<String> = per_key
            .iter()
            .enumerate()
            .filter(|(_, ok)| !**ok)
            .map(|(i, _)| format!("K{}", i + 1))
            .collect();
        return Err(CliError::check(format!(
            "parity: not odd in {} (use --fix to adjust)",
            which.join(", ")
        )));
    }
    let status = if odd { "odd" } else { "not odd" };
    out.primary("parity", status);
    for (i, ok) in per_key.iter().enumerate() {
        out.line(format!(
            "K{}: {}",
            i + 1,
            if *ok { "odd" } else { "not odd" }
        ));
    }
    out.field("odd", odd);
    out.field("keys", per_key);
    Ok(out)
}
