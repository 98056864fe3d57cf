//! `paycrypt keyblock wrap|unwrap|inspect` over `paycrypt-keyblock` (ANSI X9.143:2021,
//! ASC X9 TR-31:2018, ISO 20038:2017). Failures visible in the text exit 2; failures found
//! by authenticating exit 1 with one message (`Error::AuthenticationFailed`); rules checked
//! after the MAC verified (key length, KC/KP) exit 1 naming the rule (`Error::class`).

use crate::args::{KeyblockCommand, Profile, UnwrapArgs, WrapArgs};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use paycrypt_keyblock::{
    ClearKey, Error as KbError, Kbpk, KeyBlock, KeyBlockHeader, Profile as KbProfile, WrapOptions,
    kc_block, wrap, wrap_with_padding,
};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::rng::OsRng;
use serde_json::{Map, Value, json};

/// Runs a `keyblock` subcommand.
pub fn run(command: KeyblockCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        KeyblockCommand::Wrap(a) => kb_wrap(&a, inputs),
        KeyblockCommand::Unwrap(a) => kb_unwrap(&a, inputs),
        KeyblockCommand::Inspect(a) => super::keyblock_ops::kb_inspect(&a),
        KeyblockCommand::Translate(a) => super::keyblock_ops::kb_translate(&a, inputs),
    }
}

/// Maps a key-block error: the exit code follows [`KbError::class`]; authentication and
/// decryption failures exit 1 with one message, everything visible in the text exits 2.
pub fn kb_error(e: KbError, option: &str) -> CliError {
    let message = match e {
        KbError::AuthenticationFailed => {
            "key block authentication failed (wrong KBPK or corrupt key block)".to_owned()
        }
        // After the MAC verified the rule is named; the library says "the lenient profile",
        // here the option is `--profile lenient`.
        KbError::KeyLengthNotAllowed { .. } => format!(
            "{option}: {}",
            e.to_string()
                .replace("the lenient profile", "--profile lenient")
        ),
        KbError::InvalidKbpk { .. } => format!("--kbpk: {e}"),
        KbError::KeyLength { .. } => format!("--key: {e}"),
        KbError::PaddingLength { .. } => format!("--padding: {e}"),
        other => format!("{option}: {other}"),
    };
    CliError::classified(e.class(), message)
}

/// The crate profile for the CLI's `--profile` (default: interop).
fn profile(p: Option<Profile>) -> KbProfile {
    match p {
        Some(Profile::X9_143) => KbProfile::X9_143,
        Some(Profile::Tr31_2018) => KbProfile::Tr31_2018,
        Some(Profile::Iso20038) => KbProfile::Iso20038,
        Some(Profile::Lenient) => KbProfile::Lenient,
        Some(Profile::Interop) | None => KbProfile::Interop,
    }
}

/// The header's fields as JSON (stable names; values as they appear in the text).
pub(crate) fn header_json(h: &KeyBlockHeader) -> Value {
    json!({
        "version": h.version().to_string(),
        "length": h.length(),
        "key_usage": h.key_usage().to_string(),
        "algorithm": h.algorithm().to_string(),
        "mode_of_use": h.mode_of_use().to_string(),
        "key_version": h.key_version().to_string(),
        "exportability": h.exportability().to_string(),
        "key_context": h.key_context().to_string(),
    })
}

/// The optional blocks in order as JSON: `[{"id": "KS", "data": "..."}]`.
pub(crate) fn blocks_json(h: &KeyBlockHeader) -> Value {
    Value::Array(
        h.optional_blocks()
            .iter()
            .map(|b| {
                let mut m = Map::new();
                m.insert("id".into(), Value::String(b.id().to_string()));
                m.insert("data".into(), Value::String(b.data().to_owned()));
                Value::Object(m)
            })
            .collect(),
    )
}

fn kb_wrap(args: &WrapArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let wprofile = profile(args.profile);
    let mut header =
        KeyBlockHeader::parse_with(&args.header, wprofile).map_err(|e| kb_error(e, "--header"))?;
    let padding = args
        .padding
        .as_deref()
        .map(|p| hex_bytes("--padding", p))
        .transpose()?;
    let kbpk_bytes = inputs.secret_hex("--kbpk", &args.kbpk)?;
    let kbpk =
        Kbpk::for_version(header.version(), &kbpk_bytes).map_err(|e| kb_error(e, "--kbpk"))?;
    let key_bytes = inputs.secret_hex("--key", &args.key)?;
    let key = ClearKey::new(&key_bytes);
    if args.kc {
        let kc = kc_block(&key, header.algorithm()).map_err(|e| kb_error(e, "--key"))?;
        header.push_block(kc).map_err(|e| kb_error(e, "--kc"))?;
    }
    let mut options = WrapOptions::with_profile(wprofile);
    options.obfuscate = !args.no_obfuscation;
    let block = match &padding {
        Some(p) => wrap_with_padding(&kbpk, &header, &key, p, &options, &mut OsRng),
        None => wrap(&kbpk, &header, &key, &options, &mut OsRng),
    }
    .map_err(|e| kb_error(e, "--header"))?;
    let mut out = Output::new();
    out.primary("key_block", block);
    if args.trace {
        super::keyblock_ops::trace_binding(&kbpk, header.version(), &mut out)?;
    }
    Ok(out)
}

fn kb_unwrap(args: &UnwrapArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let prof = profile(args.profile);
    let parsed = KeyBlock::parse(&args.block, prof).map_err(|e| kb_error(e, "--block"))?;
    let kbpk_bytes = inputs.secret_hex("--kbpk", &args.kbpk)?;
    let kbpk = Kbpk::for_version(parsed.header().version(), &kbpk_bytes)
        .map_err(|e| kb_error(e, "--kbpk"))?;
    let unwrapped = parsed
        .unwrap(&kbpk, prof)
        .map_err(|e| kb_error(e, "--block"))?;
    let mut out = Output::new();
    out.primary("key", encode_upper(unwrapped.key().expose_bytes()));
    out.field("header", header_json(unwrapped.header()));
    out.field("optional_blocks", blocks_json(unwrapped.header()));
    out.field(
        "kcv",
        unwrapped
            .kcv()
            .map_or(Value::Null, |k| Value::String(k.to_string())),
    );
    if args.trace {
        super::keyblock_ops::trace_binding(&kbpk, parsed.header().version(), &mut out)?;
    }
    Ok(out)
}
