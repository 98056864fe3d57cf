//! `paycrypt keyblock translate` (unwrap under one KBPK, re-wrap under another with the same
//! attributes: `paycrypt_keyblock::translate`, keyblock spec §10.7) and `paycrypt keyblock
//! inspect` with the meaning of every code (X9.143:2021 §6.2 Tables 1–7, §6.3 Table 9) and the
//! decoded `KS`, `IK`, `KC`, `KP`, `TS`/`TC`, `HM` blocks (§6.3.x).

use crate::args::{InspectArgs, Profile};
use crate::cmd::keyblock::{blocks_json, header_json, kb_error};
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::input::SecretArg;
use crate::output::Output;
use clap::Args;
use paycrypt_keyblock::optblock::{BdkId, HashAlgorithm};
use paycrypt_keyblock::{
    BlockValue, Inspection, Kbpk, KeyBlock, KeyBlockHeader, KeyVersion, OptionalBlock,
    Profile as KbProfile, Version, WrapOptions, inspect, translate,
};
use paycrypt_mac::KcvMethod;
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::rng::OsRng;
use serde_json::{Map, Value};

/// `keyblock translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    #[arg(
        long,
        value_name = "HEX",
        help = "The KBPK the block is wrapped under (hex; or @FILE to read it from a file, or - to read it from stdin)"
    )]
    pub from_kbpk: SecretArg,
    #[arg(
        long,
        value_name = "HEX",
        help = "The KBPK to re-wrap under (hex; or @FILE to read it from a file, or - to read it from stdin)"
    )]
    pub to_kbpk: SecretArg,
    /// The key block text.
    #[arg(long, value_name = "TEXT")]
    pub block: String,
    /// Version of the new block (A, B, C, D, E; default: the source's version).
    #[arg(long, value_name = "V", value_parser = ["A", "B", "C", "D", "E"])]
    pub to_version: Option<String>,
    /// Validation profile for the source block (default: interop).
    #[arg(long, value_name = "P")]
    pub profile: Option<Profile>,
}

fn profile(p: Option<Profile>) -> KbProfile {
    match p {
        Some(Profile::X9_143) => KbProfile::X9_143,
        Some(Profile::Tr31_2018) => KbProfile::Tr31_2018,
        Some(Profile::Iso20038) => KbProfile::Iso20038,
        Some(Profile::Lenient) => KbProfile::Lenient,
        Some(Profile::Interop) | None => KbProfile::Interop,
    }
}

/// Runs `keyblock translate`: the key is never printed.
pub fn kb_translate(args: &TranslateArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let prof = profile(args.profile);
    let parsed = KeyBlock::parse(&args.block, prof).map_err(|e| kb_error(e, "--block"))?;
    let source_version = parsed.header().version();
    let to_version = args
        .to_version
        .as_deref()
        .and_then(|v| v.bytes().next())
        .map(Version::from_char)
        .transpose()
        .map_err(|e| CliError::classified(e.class(), format!("--to-version: {e}")))?;
    let from_bytes = inputs.secret_hex("--from-kbpk", &args.from_kbpk)?;
    let from = Kbpk::for_version(source_version, &from_bytes)
        .map_err(|e| CliError::classified(e.class(), format!("--from-kbpk: {e}")))?;
    let to_bytes = inputs.secret_hex("--to-kbpk", &args.to_kbpk)?;
    let target = to_version.unwrap_or(source_version);
    let to = Kbpk::for_version(target, &to_bytes).map_err(|e| {
        CliError::usage(format!(
            "--to-kbpk: {e} (give --to-version for another version)"
        ))
    })?;
    let mut options = WrapOptions::with_profile(KbProfile::Interop);
    options.version = Some(target);
    let block =
        translate(&from, &args.block, prof, &to, &options, &mut OsRng).map_err(|e| match e {
            paycrypt_keyblock::Error::InvalidKbpk { .. } => {
                CliError::classified(e.class(), format!("--to-kbpk: {e}"))
            }
            other => kb_error(other, "--block"),
        })?;
    let mut out = Output::new();
    out.primary("key_block", block);
    out.field("version", target.to_string());
    Ok(out)
}

/// What a version character means (X9.143:2021 §6.2 Table 1, ISO 20038 §6.2).
fn version_meaning(v: Version) -> &'static str {
    match v {
        Version::A => "TDES key variant binding (TR-31:2005; deprecated)",
        Version::B => "TDES key derivation binding",
        Version::C => "TDES key variant binding",
        Version::D => "AES key derivation binding",
        Version::E => "ISO 20038 AES key derivation binding",
        _ => "proprietary",
    }
}

fn key_version_meaning(v: KeyVersion) -> String {
    match v {
        KeyVersion::Unused => "key versioning not used".to_owned(),
        KeyVersion::Component(n) => format!("key component {n}"),
        KeyVersion::Version(_) => "key version".to_owned(),
    }
}

/// The meaning of every header code, by field name.
fn meanings(h: &KeyBlockHeader) -> [(&'static str, String, String); 7] {
    [
        (
            "version",
            h.version().to_string(),
            version_meaning(h.version()).to_owned(),
        ),
        (
            "key_usage",
            h.key_usage().to_string(),
            h.key_usage().description().to_owned(),
        ),
        (
            "algorithm",
            h.algorithm().to_string(),
            h.algorithm().description().to_owned(),
        ),
        (
            "mode_of_use",
            h.mode_of_use().to_string(),
            h.mode_of_use().description().to_owned(),
        ),
        (
            "key_version",
            h.key_version().to_string(),
            key_version_meaning(h.key_version()),
        ),
        (
            "exportability",
            h.exportability().to_string(),
            h.exportability().description().to_owned(),
        ),
        (
            "key_context",
            h.key_context().to_string(),
            h.key_context().description().to_owned(),
        ),
    ]
}

fn hash_name(h: HashAlgorithm) -> &'static str {
    match h {
        HashAlgorithm::Sha1 => "SHA-1",
        HashAlgorithm::Sha224 => "SHA-224",
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
        HashAlgorithm::Sha512_224 => "SHA-512/224",
        HashAlgorithm::Sha512_256 => "SHA-512/256",
        HashAlgorithm::Sha3_224 => "SHA3-224",
        HashAlgorithm::Sha3_256 => "SHA3-256",
        HashAlgorithm::Sha3_384 => "SHA3-384",
        HashAlgorithm::Sha3_512 => "SHA3-512",
        HashAlgorithm::Shake128 => "SHAKE128",
        HashAlgorithm::Shake256 => "SHAKE256",
        _ => "unknown hash",
    }
}

/// A readable decoding of a block's data, for the blocks whose format is defined
/// (X9.143:2021 §6.3.2–§6.3.9); `None` for the others or data that does not decode.
fn decode_block(b: &OptionalBlock) -> Option<String> {
    let kcv = |what: &str, method: KcvMethod, value: &str| {
        let method = match method {
            KcvMethod::Cmac => "CMAC",
            _ => "legacy (encrypted zero block)",
        };
        format!("{what}: {value}, {method}")
    };
    Some(match b.value().ok()? {
        BlockValue::InitialKsn(d) => match (d.get(..10), d.get(10..)) {
            (Some(ksi), Some(rest)) if d.len() == 20 => {
                format!("key set ID {ksi}, device ID and counter {rest}")
            }
            _ => format!("legacy 16-digit KSN {d}"),
        },
        BlockValue::InitialKeyId(d) => match (d.get(..8), d.get(8..)) {
            (Some(bdk), Some(der)) => {
                format!("BDK ID {bdk}, derivation ID {der}")
            }
            _ => d.to_owned(),
        },
        BlockValue::KeyCheckValue(k) => kcv("check value of the wrapped key", k.method, k.value),
        BlockValue::KbpkCheckValue(k) => kcv("check value of the KBPK", k.method, k.value),
        BlockValue::ExportKbpkCheckValue(k) => {
            kcv("check value of the export KBPK", k.method, k.value)
        }
        BlockValue::TimeStamp(t) | BlockValue::TimeOfCreation(t) => {
            let frac = t.hundredths.map_or(String::new(), |h| format!(".{h:02}"));
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{frac} UTC",
                t.year, t.month, t.day, t.hour, t.minute, t.second
            )
        }
        BlockValue::HmacHash(h) => format!("HMAC hash function {}", hash_name(h)),
        BlockValue::BdkId(BdkId::KeySetId(s)) => format!("TDES DUKPT key set ID {s}"),
        BlockValue::BdkId(BdkId::AesBdkId(s)) => format!("AES DUKPT BDK ID {s}"),
        BlockValue::Label(l) => format!("label \"{l}\""),
        _ => return None,
    })
}

/// Runs `keyblock inspect`: the fields, what each code means, and the decoded blocks.
pub fn kb_inspect(args: &InspectArgs) -> CliResult<Output> {
    let prof = profile(args.profile);
    let found = inspect(&args.block, prof).map_err(|e| kb_error(e, "--block"))?;
    let mut out = Output::new();
    let h = found.header();
    match &found {
        Inspection::KeyBlock(k) => {
            out.line("kind: key_block");
            out.field("kind", "key_block");
            out.field("payload_length", k.encrypted_payload().len());
            out.field("mac", encode_upper(k.mac()));
        }
        _ => {
            out.line("kind: header");
            out.field("kind", "header");
        }
    }
    let m = meanings(h);
    let mut meaning = Map::new();
    for (name, code, text) in &m {
        if *name == "version" {
            out.line(format!("version: {code} {text}"));
            out.line(format!("length: {:04}", h.length()));
        } else {
            out.line(format!("{name}: {code} {text}"));
        }
        meaning.insert((*name).to_owned(), Value::String(text.clone()));
    }
    out.line(format!("optional_blocks: {}", h.optional_blocks().len()));
    let mut blocks = Vec::new();
    let plain = blocks_json(h);
    for (i, b) in h.optional_blocks().iter().enumerate() {
        let decoded = decode_block(b);
        let id_meaning = b.id().description();
        match &decoded {
            Some(d) => out.line(format!(
                "block {}: {} ({id_meaning}: {d})",
                b.id(),
                b.data()
            )),
            None => out.line(format!("block {}: {} ({id_meaning})", b.id(), b.data())),
        };
        let mut entry = plain
            .get(i)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        entry.insert("meaning".into(), Value::String(id_meaning.to_owned()));
        if let Some(d) = decoded {
            entry.insert("decoded".into(), Value::String(d));
        }
        blocks.push(Value::Object(entry));
    }
    if let Inspection::KeyBlock(k) = &found {
        out.line(format!("payload_length: {}", k.encrypted_payload().len()));
        out.line(format!("mac: {}", encode_upper(k.mac())));
    }
    out.field("header", header_json(h));
    out.field("meaning", Value::Object(meaning));
    out.field("optional_blocks", Value::Array(blocks));
    Ok(out)
}

/// `keyblock wrap|unwrap --trace`: the binding keys of the version (TR-31:2018 A.7.2 variants
/// for A/C, X9.143 §7.3/§7.4 CMAC derivation for B/D, ISO 20038 §6.3 for E), from
/// `paycrypt_keyblock::trace`.
pub(crate) fn trace_binding(kbpk: &Kbpk, version: Version, out: &mut Output) -> CliResult<()> {
    let (kbek, kbak) = paycrypt_keyblock::trace::binding_keys(kbpk, version)
        .map_err(|e| CliError::classified(e.class(), format!("--kbpk: {e}")))?;
    let method = match version {
        Version::A | Version::C => "variant (KBPK XOR 45.. / 4D..)",
        Version::B | Version::D => "CMAC key derivation",
        Version::E => "ISO 20038 CMAC key derivation",
        _ => "variant",
    };
    out.enable_trace();
    out.trace("binding method", method);
    out.trace("KBEK (encryption key)", encode_upper(kbek.expose_bytes()));
    out.trace(
        "KBAK (authentication key)",
        encode_upper(kbak.expose_bytes()),
    );
    Ok(())
}
