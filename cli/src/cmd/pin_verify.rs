//! `paycrypt pin pvv|ibm3624|verify|random` over the PIN-verification core of
//! `paycrypt-pinblock` (IBM 3624 offsets, Visa PVV, encrypted-block verification, random PINs
//! delivered only enciphered). Every failed verification is exit 1 with the one message
//! `verification failed`; the computed value is never shown.

use super::card::VERIFY_FAILED;
use super::pin::{block_hex, format, key, pan, pin_error};
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;
use clap::{ArgGroup, Args, Subcommand};
use paycrypt_pinblock::{
    DecimalizationTable, Error as PinError, Format, Pan, Pin, PinMethod, PinOffset,
    PinVerificationKey, Pvki, Pvv, ValidationData, ibm3624_natural_pin, ibm3624_offset,
    ibm3624_offset_from_pin_block, ibm3624_pin_from_offset, ibm3624_verify, pvv_from_pin_block,
    random_pin_block, verify_pin_block, visa_pvv, visa_pvv_verify,
};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::DesKey;
use paycrypt_primitives::rng::OsRng;

/// `pin pvv`.
#[derive(Debug, Subcommand)]
pub enum PvvCommand {
    /// Generates a Visa PVV from a PIN or from an encrypted PIN block.
    #[command(
        after_help = "Examples:\n  paycrypt pin pvv generate --pvk @pvk.hex --pan 4012345678909 --pvki 1 --pin 1234\n  paycrypt pin pvv generate --pvk @pvk.hex --pan 4012345678909 --pvki 1 --block 1B9C1845EB993A7A --key @pek.hex --format 0"
    )]
    Generate(PvvGenerateArgs),
    /// Verifies a PIN against a Visa PVV (exit 0 OK, 1 when it does not match).
    #[command(
        after_help = "Example:\n  paycrypt pin pvv verify --pvk @pvk.hex --pan 4012345678909 --pvki 1 --pin 1234 --pvv 1234"
    )]
    Verify(PvvVerifyArgs),
}

/// The PVV parameters.
#[derive(Debug, Args)]
pub struct PvvParams {
    /// The PIN verification key: TDES 16/24 bytes, or DES 8 (legacy) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub pvk: String,
    /// The PAN, 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pan: String,
    /// The PIN verification key index, one digit 0-9.
    #[arg(long, value_name = "N")]
    pub pvki: String,
}

/// A PIN given in the clear or as an encrypted block.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("pinsource").required(true).args(["pin", "block"])))]
pub struct PinSource {
    /// The PIN, 4-12 digits (or @FILE, or - for stdin).
    #[arg(long, value_name = "DIGITS")]
    pub pin: Option<String>,
    /// An encrypted ISO 9564 PIN block (formats 0, 1, 3: 16 hex; 4: 32 hex).
    #[arg(long, value_name = "HEX", requires_all = ["key", "format"])]
    pub block: Option<String>,
    /// The PIN encryption key of --block (TDES for formats 0-3, AES for 4) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX", requires = "block")]
    pub key: Option<String>,
    /// The format of --block: 0, 1, 3 or 4.
    #[arg(long, value_name = "F", requires = "block", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: Option<u8>,
}

/// `pin pvv generate`.
#[derive(Debug, Args)]
pub struct PvvGenerateArgs {
    #[command(flatten)]
    pub params: PvvParams,
    #[command(flatten)]
    pub source: PinSource,
}

/// `pin pvv verify`.
#[derive(Debug, Args)]
pub struct PvvVerifyArgs {
    #[command(flatten)]
    pub params: PvvParams,
    /// The PIN, 4-12 digits (the first 4 are used) (or @FILE, or - for stdin).
    #[arg(long, value_name = "DIGITS")]
    pub pin: String,
    /// The PVV on file, 4 digits.
    #[arg(long, value_name = "DDDD")]
    pub pvv: String,
}

/// `pin ibm3624`.
#[derive(Debug, Subcommand)]
pub enum Ibm3624Command {
    /// Prints the natural PIN of --length digits.
    #[command(
        after_help = "Example:\n  paycrypt pin ibm3624 natural --pvk @pvk.hex --vdata 4012345678909 --length 4"
    )]
    Natural(NaturalArgs),
    /// Prints the offset of a PIN (given in the clear or as an encrypted block).
    #[command(
        after_help = "Examples:\n  paycrypt pin ibm3624 offset --pvk @pvk.hex --vdata 4012345678909 --pin 1234\n  paycrypt pin ibm3624 offset --pvk @pvk.hex --vdata 4012345678909 --block 1B9C1845EB993A7A --key @pek.hex --format 0 --pan 4012345678909"
    )]
    Offset(OffsetArgs),
    /// Prints the PIN an offset stands for.
    #[command(
        after_help = "Example:\n  paycrypt pin ibm3624 pin --pvk @pvk.hex --vdata 4012345678909 --offset 1234"
    )]
    Pin(PinFromOffsetArgs),
    /// Verifies a PIN against an offset (exit 0 OK, 1 when it does not match). The table must
    /// contain every digit 0-9 (decimalisation-table attack).
    #[command(
        after_help = "Example:\n  paycrypt pin ibm3624 verify --pvk @pvk.hex --vdata 4012345678909 --pin 1234 --offset 1234"
    )]
    Verify(Ibm3624VerifyArgs),
}

/// IBM 3624 parameters.
#[derive(Debug, Args)]
pub struct Ibm3624Params {
    /// The PIN verification key: TDES 16/24 bytes, or DES 8 (legacy) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub pvk: String,
    /// Validation data, 4-16 hex digits.
    #[arg(long, value_name = "HEX")]
    pub vdata: String,
    /// The pad character of the validation data, one hex digit.
    #[arg(long, value_name = "H", default_value = "F")]
    pub pad: String,
    /// The decimalisation table, 16 decimal digits.
    #[arg(long, value_name = "DIGITS16", default_value = "0123456789012345")]
    pub table: String,
}

/// `pin ibm3624 natural`.
#[derive(Debug, Args)]
pub struct NaturalArgs {
    #[command(flatten)]
    pub params: Ibm3624Params,
    /// PIN length, 4-12.
    #[arg(long, value_name = "N")]
    pub length: usize,
}

/// `pin ibm3624 offset`.
#[derive(Debug, Args)]
pub struct OffsetArgs {
    #[command(flatten)]
    pub params: Ibm3624Params,
    #[command(flatten)]
    pub source: PinSource,
    /// The PAN (with --block, formats 0, 3, 4).
    #[arg(long, value_name = "DIGITS", requires = "block")]
    pub pan: Option<String>,
}

/// `pin ibm3624 pin`.
#[derive(Debug, Args)]
pub struct PinFromOffsetArgs {
    #[command(flatten)]
    pub params: Ibm3624Params,
    /// The offset, 4-12 digits.
    #[arg(long, value_name = "DIGITS")]
    pub offset: String,
}

/// `pin ibm3624 verify`.
#[derive(Debug, Args)]
pub struct Ibm3624VerifyArgs {
    #[command(flatten)]
    pub params: Ibm3624Params,
    /// The PIN, 4-12 digits (or @FILE, or - for stdin).
    #[arg(long, value_name = "DIGITS")]
    pub pin: String,
    /// The offset on file, 4-12 digits.
    #[arg(long, value_name = "DIGITS")]
    pub offset: String,
}

/// `pin verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("method").required(true).args(["pvv", "offset"])))]
pub struct PinVerifyArgs {
    /// The format of --block: 0, 1, 3 or 4.
    #[arg(long, value_name = "F", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The PIN encryption key (TDES for formats 0-3, AES for 4) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub key: String,
    /// The encrypted PIN block.
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN (formats 0, 3, 4, and --pvv).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// The PIN verification key: TDES 16/24 bytes, or DES 8 (legacy) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub pvk: String,
    /// The Visa PVV on file, 4 digits (with --pvki).
    #[arg(long, value_name = "DDDD", requires = "pvki", conflicts_with_all = ["offset", "vdata", "pad", "table"])]
    pub pvv: Option<String>,
    /// The PIN verification key index, one digit (with --pvv).
    #[arg(long, value_name = "N", requires = "pvv")]
    pub pvki: Option<String>,
    /// The IBM 3624 offset on file, 4-12 digits (with --vdata).
    #[arg(long, value_name = "DIGITS", requires = "vdata")]
    pub offset: Option<String>,
    /// Validation data, 4-16 hex digits (with --offset).
    #[arg(long, value_name = "HEX", requires = "offset")]
    pub vdata: Option<String>,
    /// The pad character of the validation data (with --offset; default F).
    #[arg(long, value_name = "H", requires = "offset")]
    pub pad: Option<String>,
    /// The decimalisation table, 16 digits covering 0-9 (with --offset; default 0123456789012345).
    #[arg(long, value_name = "DIGITS16", requires = "offset")]
    pub table: Option<String>,
}

/// `pin random`.
#[derive(Debug, Args)]
pub struct PinRandomArgs {
    /// PIN length, 4-12.
    #[arg(long, value_name = "N")]
    pub length: usize,
    /// The format of the output block: 0, 1, 3 or 4.
    #[arg(long, value_name = "F", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The PIN encryption key (TDES for formats 0-3, AES for 4) (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub key: String,
    /// The PAN (formats 0, 3, 4).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
}

// ---------------------------------------------------------------------------------------------

/// A PIN-crate error, with a failed verification as the one message.
fn verify_error(e: PinError) -> CliError {
    match e {
        PinError::PinMismatch => CliError::check(VERIFY_FAILED),
        other => pin_error(other),
    }
}

fn ok() -> Output {
    let mut out = Output::new();
    out.primary("result", "OK");
    out.field("verified", true);
    out
}

fn pvk(text: &str, inputs: &mut Inputs) -> CliResult<PinVerificationKey> {
    let bytes = inputs.secret_hex("--pvk", text)?;
    match bytes.len() {
        8 => DesKey::from_bytes(&bytes)
            .map(|k| PinVerificationKey::legacy_single_des(&k))
            .map_err(|e| CliError::usage(format!("--pvk: {e}"))),
        16 | 24 => PinVerificationKey::tdes_from_bytes(&bytes).map_err(pin_error),
        n => Err(CliError::usage(format!(
            "--pvk: {n} bytes is not a PVK length (TDES 16 or 24, DES 8)"
        ))),
    }
}

fn pvki(text: &str) -> CliResult<Pvki> {
    match text.as_bytes() {
        [d] if d.is_ascii_digit() => Pvki::new(d - b'0').map_err(pin_error),
        _ => Err(CliError::usage("--pvki: the PVKI is one digit 0-9")),
    }
}

fn secret_pin(text: &str, inputs: &mut Inputs) -> CliResult<Pin> {
    let t = inputs.secret_text("--pin", text)?;
    Pin::new(&t).map_err(pin_error)
}

fn pvv_pan(text: &str) -> CliResult<Pan> {
    super::card::card_pan(text)
}

fn pad(text: &str) -> CliResult<char> {
    let mut it = text.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if c.is_ascii_hexdigit() => Ok(c),
        _ => Err(CliError::usage("--pad: the pad character is one hex digit")),
    }
}

fn vdata(text: &str, pad_text: &str) -> CliResult<ValidationData> {
    let p = pad(pad_text)?;
    ValidationData::new(text, p).map_err(|e| CliError::usage(format!("--vdata: {e}")))
}

fn table(text: &str) -> CliResult<DecimalizationTable> {
    DecimalizationTable::new(text).map_err(|e| CliError::usage(format!("--table: {e}")))
}

/// A table for *verification*: every digit 0–9 must appear (Bond & Zieliński 2003); otherwise a
/// policy refusal (exit 1).
fn strict_table(text: &str) -> CliResult<DecimalizationTable> {
    let t = table(text)?;
    if t.is_strict() {
        Ok(t)
    } else {
        Err(CliError::check(
            "--table: a verification table must contain every digit 0-9 (decimalisation-table attack)",
        ))
    }
}

fn offset(text: &str) -> CliResult<PinOffset> {
    PinOffset::new(text)
        .map_err(|_| CliError::usage("--offset: an offset is 4 to 12 decimal digits"))
}

fn block_format(n: u8) -> CliResult<Format> {
    format(n)
}

/// Runs `pin pvv ...`.
pub fn pvv(command: PvvCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        PvvCommand::Generate(a) => {
            let pan = pvv_pan(&a.params.pan)?;
            let pvki = pvki(&a.params.pvki)?;
            let value = match (&a.source.pin, &a.source.block) {
                (Some(p), None) => {
                    let pin = secret_pin(p, inputs)?;
                    let pvk = pvk(&a.params.pvk, inputs)?;
                    visa_pvv(&pvk, &pan, pvki, &pin).map_err(pin_error)?
                }
                (None, Some(b)) => {
                    let (f, block, pek) = block_inputs(&a.source, b, inputs)?;
                    let pvk = pvk(&a.params.pvk, inputs)?;
                    pvv_from_pin_block(&pek, f, &block, Some(&pan), &pvk, pvki)
                        .map_err(pin_error)?
                }
                _ => {
                    return Err(CliError::usage(
                        "exactly one of --pin and --block is required",
                    ));
                }
            };
            let mut out = Output::new();
            out.primary("pvv", value.to_string());
            Ok(out)
        }
        PvvCommand::Verify(a) => {
            let pan = pvv_pan(&a.params.pan)?;
            let pvki = pvki(&a.params.pvki)?;
            let expected = Pvv::new(&a.pvv)
                .map_err(|_| CliError::usage("--pvv: a PVV is 4 decimal digits"))?;
            let pin = secret_pin(&a.pin, inputs)?;
            let pvk = pvk(&a.params.pvk, inputs)?;
            visa_pvv_verify(&pvk, &pan, pvki, &pin, &expected).map_err(verify_error)?;
            Ok(ok())
        }
    }
}

/// `--block/--key/--format` resolved.
fn block_inputs(
    s: &PinSource,
    block: &str,
    inputs: &mut Inputs,
) -> CliResult<(
    Format,
    zeroize::Zeroizing<Vec<u8>>,
    paycrypt_pinblock::PinKey,
)> {
    let n = s
        .format
        .ok_or_else(|| CliError::usage("missing required option --format"))?;
    let f = block_format(n)?;
    let b = block_hex(block)?;
    let k = s
        .key
        .as_deref()
        .ok_or_else(|| CliError::usage("missing required option --key"))?;
    let pek = key("--key", f, k, None, inputs)?;
    Ok((f, b, pek))
}

/// Runs `pin ibm3624 ...`.
pub fn ibm3624(command: Ibm3624Command, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        Ibm3624Command::Natural(a) => {
            let vd = vdata(&a.params.vdata, &a.params.pad)?;
            let t = table(&a.params.table)?;
            if !(4..=12).contains(&a.length) {
                return Err(CliError::usage("--length: a PIN has 4 to 12 digits"));
            }
            let pvk = pvk(&a.params.pvk, inputs)?;
            let pin = ibm3624_natural_pin(&pvk, &t, &vd, a.length).map_err(pin_error)?;
            let mut out = Output::new();
            out.primary("pin", pin.expose_str());
            Ok(out)
        }
        Ibm3624Command::Offset(a) => {
            let vd = vdata(&a.params.vdata, &a.params.pad)?;
            let t = table(&a.params.table)?;
            let off = match (&a.source.pin, &a.source.block) {
                (Some(p), None) => {
                    let pin = secret_pin(p, inputs)?;
                    let pvk = pvk(&a.params.pvk, inputs)?;
                    ibm3624_offset(&pvk, &t, &vd, &pin).map_err(pin_error)?
                }
                (None, Some(b)) => {
                    let panv = pan(a.pan.as_deref())?;
                    let (f, block, pek) = block_inputs(&a.source, b, inputs)?;
                    let pvk = pvk(&a.params.pvk, inputs)?;
                    ibm3624_offset_from_pin_block(&pek, f, &block, panv.as_ref(), &pvk, &t, &vd)
                        .map_err(pin_error)?
                }
                _ => {
                    return Err(CliError::usage(
                        "exactly one of --pin and --block is required",
                    ));
                }
            };
            let mut out = Output::new();
            out.primary("offset", off.to_string());
            Ok(out)
        }
        Ibm3624Command::Pin(a) => {
            let vd = vdata(&a.params.vdata, &a.params.pad)?;
            let t = table(&a.params.table)?;
            let off = offset(&a.offset)?;
            let pvk = pvk(&a.params.pvk, inputs)?;
            let pin = ibm3624_pin_from_offset(&pvk, &t, &vd, &off).map_err(pin_error)?;
            let mut out = Output::new();
            out.primary("pin", pin.expose_str());
            Ok(out)
        }
        Ibm3624Command::Verify(a) => {
            let vd = vdata(&a.params.vdata, &a.params.pad)?;
            let off = offset(&a.offset)?;
            let pin = secret_pin(&a.pin, inputs)?;
            let t = strict_table(&a.params.table)?;
            let pvk = pvk(&a.params.pvk, inputs)?;
            ibm3624_verify(&pvk, &t, &vd, &pin, &off).map_err(verify_error)?;
            Ok(ok())
        }
    }
}

/// Runs `pin verify`.
pub fn verify(a: &PinVerifyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = block_format(a.format)?;
    let block = block_hex(&a.block)?;
    let panv = pan(a.pan.as_deref())?;
    let pek = key("--key", f, &a.key, None, inputs)?;
    let pvk = pvk(&a.pvk, inputs)?;
    let r = match (&a.pvv, &a.offset) {
        (Some(pvv_text), None) => {
            let p = panv
                .as_ref()
                .ok_or_else(|| CliError::usage("--pan: --pvv needs the PAN"))?;
            pvv_pan_check(p)?;
            let expected = Pvv::new(pvv_text)
                .map_err(|_| CliError::usage("--pvv: a PVV is 4 decimal digits"))?;
            let pvki = pvki(
                a.pvki
                    .as_deref()
                    .ok_or_else(|| CliError::usage("missing required option --pvki"))?,
            )?;
            let m = PinMethod::VisaPvv {
                pvk: &pvk,
                pvki,
                pvv: &expected,
            };
            verify_pin_block(&pek, f, &block, panv.as_ref(), &m)
        }
        (None, Some(off_text)) => {
            let off = offset(off_text)?;
            let vd = vdata(
                a.vdata
                    .as_deref()
                    .ok_or_else(|| CliError::usage("missing required option --vdata"))?,
                a.pad.as_deref().unwrap_or("F"),
            )?;
            let t = strict_table(a.table.as_deref().unwrap_or("0123456789012345"))?;
            let m = PinMethod::Ibm3624 {
                pvk: &pvk,
                table: &t,
                validation_data: &vd,
                offset: &off,
            };
            verify_pin_block(&pek, f, &block, panv.as_ref(), &m)
        }
        _ => {
            return Err(CliError::usage(
                "exactly one of --pvv and --offset is required",
            ));
        }
    };
    r.map_err(verify_error)?;
    Ok(ok())
}

fn pvv_pan_check(p: &Pan) -> CliResult<()> {
    if (12..=19).contains(&p.len()) {
        Ok(())
    } else {
        Err(CliError::usage(
            "--pan: the PAN must have 12 to 19 decimal digits",
        ))
    }
}

/// Runs `pin random`.
pub fn random(a: &PinRandomArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = block_format(a.format)?;
    if !(4..=12).contains(&a.length) {
        return Err(CliError::usage("--length: a PIN has 4 to 12 digits"));
    }
    let panv = pan(a.pan.as_deref())?;
    let pek = key("--key", f, &a.key, None, inputs)?;
    let block =
        random_pin_block(a.length, &pek, f, panv.as_ref(), &mut OsRng).map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("block", encode_upper(block.as_bytes()));
    out.field("format", f.number());
    Ok(out)
}
