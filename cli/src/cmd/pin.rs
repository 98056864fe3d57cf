//! `paycrypt pin ...` over `paycrypt-pinblock` (ISO 9564-1:2017 formats 0–4). The crate
//! classifies its errors (`ErrorClass::Malformed` → exit 2, `Rejected` → exit 1).

use crate::args::{
    PinCommand, PinDecodeArgs, PinDecryptArgs, PinEncodeArgs, PinEncryptArgs, PinKeyType,
    PinTranslateArgs,
};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use paycrypt_pinblock::{
    Error as PinError, Fill, Format, Pan, Pin, PinKey, decipher, decode, encipher,
    encipher_with_fill, encode, encode_with_fill, translate, translate_with_fill,
};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::rng::OsRng;
use zeroize::Zeroizing;

/// Runs a `pin` subcommand.
pub fn run(command: PinCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        PinCommand::Encode(a) => pin_encode(&a),
        PinCommand::Decode(a) => pin_decode(&a),
        PinCommand::Encrypt(a) => pin_encrypt(&a, inputs),
        PinCommand::Decrypt(a) => pin_decrypt(&a, inputs),
        PinCommand::Translate(a) => pin_translate(&a, inputs),
        PinCommand::Pvv(c) => super::pin_verify::pvv(c, inputs),
        PinCommand::Ibm3624(c) => super::pin_verify::ibm3624(c, inputs),
        PinCommand::Verify(a) => super::pin_verify::verify(&a, inputs),
        PinCommand::Random(a) => super::pin_verify::random(&a, inputs),
    }
}

/// Maps a PIN-block error with the crate's own classification; `option` names the input the
/// error most likely concerns.
pub fn pin_error(e: PinError) -> CliError {
    let option = match e {
        PinError::PinLength { .. } | PinError::PinNotNumeric => "--pin: ",
        PinError::PanLength { .. }
        | PinError::PanNotNumeric
        | PinError::PanRequired { .. }
        | PinError::PanNotUsed { .. } => "--pan: ",
        PinError::FillNotAllowed { .. }
        | PinError::FillLength { .. }
        | PinError::FillNotHex { .. }
        | PinError::FillValue { .. } => "--fill: ",
        PinError::BlockLength { .. } => "--block: ",
        PinError::Primitives(_) => "--key: ",
        _ => "",
    };
    CliError::classified(e.class(), format!("{option}{e}"))
}

pub(super) fn format(n: u8) -> CliResult<Format> {
    Format::from_number(n).map_err(|e| CliError::usage(format!("--format: {e}")))
}

fn pin(text: &str) -> CliResult<Pin> {
    Pin::new(text).map_err(pin_error)
}

pub(super) fn pan(text: Option<&str>) -> CliResult<Option<Pan>> {
    text.map(|t| Pan::new(t).map_err(pin_error)).transpose()
}

fn fill(text: Option<&str>) -> CliResult<Option<Fill>> {
    text.map(|t| Fill::from_hex(t).map_err(pin_error))
        .transpose()
}

pub(super) fn key(
    option: &str,
    format: Format,
    text: &str,
    key_type: Option<PinKeyType>,
    inputs: &mut Inputs,
) -> CliResult<PinKey> {
    let bytes = inputs.secret_hex(option, text)?;
    if let Some(t) = key_type {
        return typed_key(option, format, &bytes, t);
    }
    PinKey::for_format_allow_legacy_des(format, &bytes).map_err(|e| match e {
        PinError::Primitives(_) => CliError::usage(format!(
            "{option}: {} bytes is not a key length for format {} (TDES 16/24 or DES 8 for formats 0-3; AES 16/24/32 for format 4)",
            bytes.len(),
            format.number()
        )),
        other => pin_error(other).context(option),
    })
}

/// A PIN key of an explicit algorithm; its length must match, and the algorithm must go with
/// the format (ISO 9564-1:2017 §9.4: format 4 under AES, formats 0-3 under TDES).
fn typed_key(option: &str, format: Format, bytes: &[u8], t: PinKeyType) -> CliResult<PinKey> {
    let (want, aes) = match t {
        PinKeyType::Tdes2 => (16, false),
        PinKeyType::Tdes3 => (24, false),
        PinKeyType::Aes128 => (16, true),
        PinKeyType::Aes192 => (24, true),
        PinKeyType::Aes256 => (32, true),
    };
    if bytes.len() != want {
        return Err(CliError::usage(format!(
            "{option}: {} bytes, but the key type says {want}",
            bytes.len()
        )));
    }
    let key = if aes {
        PinKey::aes_from_bytes(bytes)
    } else {
        PinKey::tdes_from_bytes(bytes)
    }
    .map_err(|e| pin_error(e).context(option))?;
    key.check_format(format)
        .map_err(|e| pin_error(e).context(option))?;
    Ok(key)
}

pub(super) fn block_hex(text: &str) -> CliResult<Zeroizing<Vec<u8>>> {
    hex_bytes("--block", text).map(Zeroizing::new)
}

fn pin_encode(args: &PinEncodeArgs) -> CliResult<Output> {
    let f = format(args.format)?;
    let pin = pin(&args.pin)?;
    let pan = pan(args.pan.as_deref())?;
    let block = match fill(args.fill.as_deref())? {
        Some(fill) => encode_with_fill(f, &pin, pan.as_ref(), &fill),
        None => encode(f, &pin, pan.as_ref(), &mut OsRng),
    }
    .map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("block", encode_upper(block.expose_bytes()));
    out.field("format", f.number());
    Ok(out)
}

fn pin_decode(args: &PinDecodeArgs) -> CliResult<Output> {
    let f = format(args.format)?;
    let block = block_hex(&args.block)?;
    let pan = pan(args.pan.as_deref())?;
    let pin = decode(f, &block, pan.as_ref()).map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("pin", pin.expose_str());
    out.field("format", f.number());
    Ok(out)
}

fn pin_encrypt(args: &PinEncryptArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = format(args.format)?;
    let pin = pin(&args.pin)?;
    let pan = pan(args.pan.as_deref())?;
    let fill = fill(args.fill.as_deref())?;
    let key = key("--key", f, &args.key, args.key_type, inputs)?;
    let block = match fill {
        Some(fill) => encipher_with_fill(f, &key, &pin, pan.as_ref(), &fill),
        None => encipher(f, &key, &pin, pan.as_ref(), &mut OsRng),
    }
    .map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("block", encode_upper(block.as_bytes()));
    out.field("format", f.number());
    Ok(out)
}

fn pin_decrypt(args: &PinDecryptArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = format(args.format)?;
    let block = block_hex(&args.block)?;
    let pan = pan(args.pan.as_deref())?;
    let key = key("--key", f, &args.key, args.key_type, inputs)?;
    let pin = decipher(f, &key, &block, pan.as_ref()).map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("pin", pin.expose_str());
    out.field("format", f.number());
    Ok(out)
}

fn pin_translate(args: &PinTranslateArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let from = format(args.from_format).map_err(|e| e.context("--from-format"))?;
    let to = format(args.to_format).map_err(|e| e.context("--to-format"))?;
    let block = block_hex(&args.block)?;
    let pan = pan(args.pan.as_deref())?;
    let fill = fill(args.fill.as_deref())?;
    let from_key = key(
        "--from-key",
        from,
        &args.from_key,
        args.from_key_type,
        inputs,
    )?;
    let to_key = key("--to-key", to, &args.to_key, args.to_key_type, inputs)?;
    let out_block = match fill {
        Some(fill) => {
            translate_with_fill(&block, from, &from_key, to, &to_key, pan.as_ref(), &fill)
        }
        None => translate(
            &block,
            from,
            &from_key,
            to,
            &to_key,
            pan.as_ref(),
            &mut OsRng,
        ),
    }
    .map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("block", encode_upper(out_block.as_bytes()));
    out.field("format", to.number());
    if args.trace {
        trace_translate(
            &mut out,
            &block,
            from,
            &from_key,
            out_block.as_bytes(),
            to,
            &to_key,
            pan.as_ref(),
        )?;
    }
    Ok(out)
}

/// `pin translate --trace`: both sides' intermediate values from `paycrypt_pinblock::trace`.
#[allow(clippy::too_many_arguments)]
fn trace_translate(
    out: &mut Output,
    block: &[u8],
    from: Format,
    from_key: &PinKey,
    out_block: &[u8],
    to: Format,
    to_key: &PinKey,
    pan: Option<&Pan>,
) -> CliResult<()> {
    out.enable_trace();
    let mut lines: Vec<(String, String)> = Vec::new();
    for (side, f, k, b) in [
        ("source", from, from_key, block),
        ("target", to, to_key, out_block),
    ] {
        let pan = if matches!(f, Format::Iso1 | Format::Iso2) {
            None
        } else {
            pan
        };
        paycrypt_pinblock::trace::decipher(f, k, b, pan, &mut |label, value| {
            lines.push((format!("{side} {label}"), encode_upper(value)));
        })
        .map_err(pin_error)?;
    }
    for (label, value) in lines {
        out.trace(&label, value);
    }
    Ok(())
}
