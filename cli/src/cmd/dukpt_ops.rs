//! DUKPT one-shot operations: what a host (or AWS Payment Cryptography's data plane) does with
//! a DUKPT working key in one call. Each command derives the working key with `paycrypt-dukpt`
//! (TDES X9.24-1:2009 A.3/A.4, AES X9.24-3:2017 §6.3) and hands it to the crate that does the
//! operation: `paycrypt-pinblock` (ISO 9564-1), `paycrypt-mac` (X9.19 = ISO/IEC 9797-1 MAC
//! algorithm 3 with padding method 1; CMAC = SP 800-38B; HMAC), `paycrypt_primitives::block`
//! (TDEA / AES ECB, CBC) and `paycrypt-keyblock` (the initial key as a `B1` key block).
//!
//! Directions follow the originator's view (X9.24-3:2017 Table 2): TDES request = the request
//! (both-ways) variant, response = the response variant; AES request MAC = MAC generation
//! `0x2000`, response MAC = MAC verification `0x2001`, request data = data encrypt `0x3000`,
//! response data = data decrypt `0x3001`.

use crate::args::{CipherPadding, DataStyle, InitialKeyArgs, key_type_parser};
use crate::cmd::dukpt::{Ksn, Root, Selection, aes_bdk, dukpt_error, parse_ksn, tdes_bdk};
use crate::cmd::keyblock::kb_error;
use crate::cmd::mac::{mac_error, message};
use crate::cmd::pin::pin_error;
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, SecretArg, hex_bytes};
use crate::output::Output;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use paycrypt_dukpt::{aes, tdes};
use paycrypt_keyblock::{
    BlockId, ClearKey, Kbpk, KeyBlockHeader, KeyUsage as KbUsage, OptionalBlock,
    Profile as KbProfile, WrapOptions, wrap,
};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod, kcv};
use paycrypt_mac::{MacKey, MacParams, Padding, generate, verify_mac};
use paycrypt_pinblock::{
    Fill, Format, Pan, Pin, PinKey, decipher, encipher, encipher_with_fill, translate,
    translate_with_fill,
};
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::{SymmetricKey, TdesKey};
use paycrypt_primitives::pad::{DataPadding, padding_for, unpadded_len};
use paycrypt_primitives::rng::OsRng;
use zeroize::Zeroizing;

/// Help suffix for secret options (as `args.rs` says it).
macro_rules! secret {
    ($what:literal) => {
        concat!(
            $what,
            " (hex; or @FILE to read it from a file, or - to read it from stdin)"
        )
    };
}

// ---------------------------------------------------------------------------------------------
// grammar

/// Where the working key comes from: `--bdk` (host) or `--ik` (the initial key), and the KSN.
#[derive(Debug, Args, Clone)]
#[command(group(ArgGroup::new("root").required(true).args(["bdk", "ik"])))]
pub struct DukptSource {
    #[arg(long, value_name = "HEX", help = secret!("Base derivation key (16 bytes TDES; 16, 24 or 32 AES)"))]
    pub bdk: Option<SecretArg>,
    #[arg(long, value_name = "HEX", help = secret!("Initial key (IPEK / IK) instead of the BDK"))]
    pub ik: Option<SecretArg>,
    /// Key serial number (hex; 8 or 10 bytes TDES, 12 bytes AES).
    #[arg(long, value_name = "HEX")]
    pub ksn: String,
    /// AES DUKPT working-key type (default: the BDK's AES type).
    #[arg(long, value_name = "T", value_parser = key_type_parser())]
    pub key_type: Option<aes::KeyType>,
}

/// Message direction (the originator's view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Direction {
    /// Originator to host (TDES request/both-ways variant; AES MAC generate / data encrypt).
    #[default]
    Request,
    /// Host to originator (TDES response variant; AES MAC verify / data decrypt).
    Response,
}

/// `dukpt pin` commands.
#[derive(Debug, Subcommand)]
pub enum DukptPinCommand {
    /// Builds and encrypts a PIN block under the DUKPT PIN key.
    #[command(
        after_help = "Examples:\n  paycrypt dukpt pin encrypt --bdk @bdk.hex --ksn FFFF9876543210E00001 --format 0 --pin 1234 --pan 4012345678909\n  paycrypt dukpt pin encrypt --bdk @bdk.hex --ksn FFFF9876543210E00001 --format 0 --block 041274EDCBA9876F"
    )]
    Encrypt(DukptPinEncryptArgs),
    /// Decrypts a PIN block under the DUKPT PIN key; prints the PIN.
    #[command(
        after_help = "Example:\n  paycrypt dukpt pin decrypt --bdk @bdk.hex --ksn FFFF9876543210E00001 --format 0 --block 1B9C1845EB993A7A --pan 4012345678909"
    )]
    Decrypt(DukptPinDecryptArgs),
    /// Re-encrypts a DUKPT PIN block under a zone key (--to-key) or another DUKPT key
    /// (--to-bdk, --to-ksn).
    #[command(
        after_help = "Examples:\n  paycrypt dukpt pin translate --bdk @bdk.hex --ksn FFFF9876543210E00001 --block 1B9C1845EB993A7A --pan 4012345678909 --from-format 0 --to-key @zpk.hex --to-format 0\n  paycrypt dukpt pin translate --bdk @bdk.hex --ksn FFFF9876543210E00001 --block 1B9C1845EB993A7A --pan 4012345678909 --from-format 0 --to-bdk @bdk2.hex --to-ksn FFFF0123456789E00003 --to-format 0"
    )]
    Translate(DukptPinTranslateArgs),
}

/// `dukpt pin encrypt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("clear").required(true).args(["pin", "block"])))]
pub struct DukptPinEncryptArgs {
    #[command(flatten)]
    pub source: DukptSource,
    /// ISO 9564-1 format, 0 to 4 (TDES DUKPT: 0, 1, 3; AES: 4 with an AES key type).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The PIN, 4 to 12 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pin: Option<SecretArg>,
    /// A clear PIN block instead of --pin (formats 0-3; hex, 8 bytes).
    #[arg(long, value_name = "HEX", conflicts_with_all = ["pan", "fill"])]
    pub block: Option<String>,
    /// The PAN (formats 0, 3 and 4).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Fill nibbles (formats 1, 3, 4); default random.
    #[arg(long, value_name = "HEX")]
    pub fill: Option<String>,
}

/// `dukpt pin decrypt`.
#[derive(Debug, Args)]
pub struct DukptPinDecryptArgs {
    #[command(flatten)]
    pub source: DukptSource,
    /// ISO 9564-1 format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The encrypted PIN block.
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN (formats 0, 3 and 4).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
}

/// `dukpt pin translate`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["to_key", "to_bdk"])))]
pub struct DukptPinTranslateArgs {
    #[command(flatten)]
    pub source: DukptSource,
    /// The encrypted source PIN block.
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN.
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Source format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub from_format: u8,
    /// Target format, 0 to 4.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub to_format: u8,
    #[arg(long, value_name = "HEX", help = secret!("Target zone PIN key (TDES 16/24 bytes for formats 0-3, AES for format 4)"))]
    pub to_key: Option<SecretArg>,
    #[arg(long, value_name = "HEX", requires = "to_ksn", help = secret!("Target DUKPT BDK"))]
    pub to_bdk: Option<SecretArg>,
    /// Target KSN (with --to-bdk).
    #[arg(long, value_name = "HEX", requires = "to_bdk")]
    pub to_ksn: Option<String>,
    /// Target AES DUKPT working-key type (with --to-bdk; default: the BDK's type).
    #[arg(long, value_name = "T", value_parser = key_type_parser(), requires = "to_bdk")]
    pub to_key_type: Option<aes::KeyType>,
    /// Fill nibbles for the target block (formats 1, 3, 4); default random.
    #[arg(long, value_name = "HEX")]
    pub fill: Option<String>,
}

/// `dukpt mac` commands.
#[derive(Debug, Subcommand)]
pub enum DukptMacCommand {
    /// MAC under the DUKPT MAC key (TDES: X9.19; AES: CMAC, or HMAC-SHA-256 for HMAC key types).
    #[command(
        after_help = "Examples:\n  paycrypt dukpt mac generate --bdk @bdk.hex --ksn FFFF9876543210E00001 --data-text 4012345678909D987 --length 4\n  paycrypt dukpt mac generate --bdk @bdk.hex --ksn 123456789012345600000001 --data 34303132 --direction response"
    )]
    Generate(DukptMacArgs),
    /// Verifies a MAC under the DUKPT MAC key (exit 1 on mismatch).
    #[command(
        after_help = "Example:\n  paycrypt dukpt mac verify --bdk @bdk.hex --ksn FFFF9876543210E00001 --data-text 4012345678909D987 --mac 9CCC7817"
    )]
    Verify(DukptMacVerifyArgs),
}

/// `dukpt mac generate`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("message").required(true).args(["data", "data_file", "data_text"])))]
pub struct DukptMacArgs {
    #[command(flatten)]
    pub source: DukptSource,
    /// The message (hex; may be empty).
    #[arg(long, value_name = "HEX")]
    pub data: Option<String>,
    /// The message: a file's raw bytes (at most 16 MiB).
    #[arg(long, value_name = "FILE")]
    pub data_file: Option<String>,
    /// The message: this text's UTF-8 bytes.
    #[arg(long, value_name = "TEXT")]
    pub data_text: Option<String>,
    /// Which MAC key: request (default) or response.
    #[arg(long, value_name = "D")]
    pub direction: Option<Direction>,
    /// MAC length in bytes (default: the full block / tag; X9.24 tables print 4).
    #[arg(long, value_name = "N")]
    pub length: Option<usize>,
}

/// `dukpt mac verify`.
#[derive(Debug, Args)]
pub struct DukptMacVerifyArgs {
    #[command(flatten)]
    pub mac: DukptMacArgs,
    /// The MAC to check (hex; its length is the truncation).
    #[arg(long = "mac", value_name = "HEX")]
    pub expected: String,
}

/// Data-encryption mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DataMode {
    /// Cipher block chaining (IV zero unless --iv).
    #[default]
    Cbc,
    /// Electronic codebook.
    Ecb,
}

/// `dukpt data` commands.
#[derive(Debug, Subcommand)]
pub enum DukptDataCommand {
    /// Encrypts data under the DUKPT data key.
    #[command(
        after_help = "Example:\n  paycrypt dukpt data encrypt --bdk @bdk.hex --ksn FFFF9876543210E00001 --data 343031323334353637383930394439383700000000000000"
    )]
    Encrypt(DukptDataArgs),
    /// Decrypts data under the DUKPT data key.
    #[command(
        after_help = "Example:\n  paycrypt dukpt data decrypt --bdk @bdk.hex --ksn FFFF9876543210E00001 --data FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F"
    )]
    Decrypt(DukptDataArgs),
}

/// `dukpt data encrypt|decrypt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["data", "data_file"])))]
pub struct DukptDataArgs {
    #[command(flatten)]
    pub source: DukptSource,
    /// The data (hex): whole blocks unless --padding pads it.
    #[arg(long, value_name = "HEX")]
    pub data: Option<String>,
    /// The data: a file's raw bytes (at most 16 MiB).
    #[arg(long, value_name = "FILE")]
    pub data_file: Option<String>,
    /// Which data key: request (default) or response.
    #[arg(long, value_name = "D")]
    pub direction: Option<Direction>,
    /// Mode of operation (default cbc).
    #[arg(long, value_name = "ecb|cbc")]
    pub mode: Option<DataMode>,
    /// CBC initial value, one block (default zero).
    #[arg(long, value_name = "HEX")]
    pub iv: Option<String>,
    /// Padding added before encrypting and removed after decrypting (default none).
    #[arg(long, value_name = "P")]
    pub padding: Option<CipherPadding>,
    /// TDES data-key style: owf (X9.24-1:2009, default) or variant.
    #[arg(long, value_name = "S")]
    pub data_style: Option<DataStyle>,
}

// ---------------------------------------------------------------------------------------------
// working keys

/// What the working key is for.
#[derive(Debug, Clone, Copy)]
enum Purpose {
    Pin,
    Mac(Direction),
    Data(Direction, DataStyle),
}

/// A derived working key.
enum OpKey {
    Tdes(TdesKey),
    Aes(Box<aes::WorkingKey>),
}

/// The working key for `purpose` from a source (`prefix` is `""` or `"to-"` for messages).
fn working_key(
    inputs: &mut Inputs,
    bdk: Option<&str>,
    ik: Option<&str>,
    ksn: &Ksn,
    key_type: Option<aes::KeyType>,
    purpose: Purpose,
    prefix: &str,
) -> CliResult<OpKey> {
    let bdk_opt = format!("--{prefix}bdk");
    let ksn_opt = format!("--{prefix}ksn");
    let err = |e| dukpt_error(e, &ksn_opt);
    match *ksn {
        Ksn::Tdes(k) => {
            if key_type.is_some() {
                return Err(CliError::usage(format!(
                    "--{prefix}key-type: only for AES DUKPT (12-byte KSN)"
                )));
            }
            let usage = match purpose {
                Purpose::Pin => tdes::KeyVariant::Pin,
                Purpose::Mac(d) => tdes::KeyVariant::mac(tdes_direction(d)),
                Purpose::Data(d, s) => tdes::KeyVariant::data(tdes_direction(d), tdes_style(s)),
            };
            let key = match (bdk, ik) {
                (Some(b), _) => {
                    let bdk = tdes_bdk(&bdk_opt, &inputs.secret_hex(&bdk_opt, b)?)?;
                    bdk.working_key(&k, usage)
                }
                (None, Some(i)) => {
                    let bytes = inputs.secret_hex("--ik", i)?;
                    if bytes.len() != 16 {
                        return Err(CliError::usage(format!(
                            "--ik: a TDES IPEK is 16 bytes, not {}",
                            bytes.len()
                        )));
                    }
                    let ipek =
                        tdes::Ipek::from_bytes(&bytes).map_err(|e| dukpt_error(e, "--ik"))?;
                    ipek.working_key(&k, usage)
                }
                (None, None) => return Err(CliError::usage("one of --bdk or --ik is required")),
            };
            Ok(OpKey::Tdes(key))
        }
        Ksn::Aes(k) => {
            if matches!(purpose, Purpose::Data(_, s) if s != DataStyle::Owf) {
                return Err(CliError::usage(
                    "--data-style: only for TDES DUKPT (10-byte KSN)",
                ));
            }
            let usage = match purpose {
                Purpose::Pin => aes::KeyUsage::PinEncryption,
                Purpose::Mac(Direction::Request) => aes::KeyUsage::MacGeneration,
                Purpose::Mac(Direction::Response) => aes::KeyUsage::MacVerification,
                Purpose::Data(Direction::Request, _) => aes::KeyUsage::DataEncrypt,
                Purpose::Data(Direction::Response, _) => aes::KeyUsage::DataDecrypt,
            };
            let key = match (bdk, ik) {
                (Some(b), _) => {
                    let bdk = aes_bdk(&bdk_opt, &inputs.secret_hex(&bdk_opt, b)?)?;
                    let t = key_type.unwrap_or(bdk.key_type());
                    bdk.working_key(&k, usage, t).map_err(err)?
                }
                (None, Some(i)) => {
                    let bytes = inputs.secret_hex("--ik", i)?;
                    if ![16, 24, 32].contains(&bytes.len()) {
                        return Err(CliError::usage(format!(
                            "--ik: an AES initial key is 16, 24 or 32 bytes, not {}",
                            bytes.len()
                        )));
                    }
                    let ik = aes::InitialKey::from_bytes(&bytes, k.initial_key_id())
                        .map_err(|e| dukpt_error(e, "--ik"))?;
                    let t = key_type.unwrap_or(ik.key_type());
                    ik.working_key(k.counter(), usage, t).map_err(err)?
                }
                (None, None) => return Err(CliError::usage("one of --bdk or --ik is required")),
            };
            Ok(OpKey::Aes(Box::new(key)))
        }
    }
}

fn tdes_direction(d: Direction) -> paycrypt_dukpt::Direction {
    match d {
        Direction::Request => paycrypt_dukpt::Direction::Request,
        Direction::Response => paycrypt_dukpt::Direction::Response,
    }
}

fn tdes_style(s: DataStyle) -> tdes::DataKeyStyle {
    match s {
        DataStyle::Owf => tdes::DataKeyStyle::Owf2009,
        DataStyle::Variant => tdes::DataKeyStyle::BareVariant,
    }
}

fn source_key(inputs: &mut Inputs, s: &DukptSource, purpose: Purpose) -> CliResult<(Ksn, OpKey)> {
    let ksn = parse_ksn("--ksn", &s.ksn)?;
    let key = working_key(
        inputs,
        s.bdk.as_deref(),
        s.ik.as_deref(),
        &ksn,
        s.key_type,
        purpose,
        "",
    )?;
    Ok((ksn, key))
}

/// The PIN key of a derived working key (TDES for formats 0-3, AES for format 4).
fn pin_key(key: &OpKey, option: &str) -> CliResult<PinKey> {
    match key {
        OpKey::Tdes(k) => Ok(PinKey::from_tdes(k)),
        OpKey::Aes(k) => PinKey::try_from(&**k).map_err(|_| {
            CliError::usage(format!(
                "{option}: an HMAC key type cannot encrypt PIN blocks"
            ))
        }),
    }
}

fn format(option: &str, n: u8) -> CliResult<Format> {
    Format::from_number(n).map_err(|e| CliError::usage(format!("{option}: {e}")))
}

fn pan(text: Option<&str>) -> CliResult<Option<Pan>> {
    text.map(|t| Pan::new(t).map_err(pin_error)).transpose()
}

fn fill(text: Option<&str>) -> CliResult<Option<Fill>> {
    text.map(|t| Fill::from_hex(t).map_err(pin_error))
        .transpose()
}

fn describe(out: &mut Output, ksn: &Ksn) {
    out.field("scheme", ksn.scheme());
    out.field("ksn", ksn.hex());
}

// ---------------------------------------------------------------------------------------------
// pin

/// Runs a `dukpt pin` subcommand.
pub fn pin(command: DukptPinCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        DukptPinCommand::Encrypt(a) => pin_encrypt(&a, inputs),
        DukptPinCommand::Decrypt(a) => pin_decrypt(&a, inputs),
        DukptPinCommand::Translate(a) => pin_translate(&a, inputs),
    }
}

fn pin_encrypt(args: &DukptPinEncryptArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = format("--format", args.format)?;
    let pan = pan(args.pan.as_deref())?;
    let fill = fill(args.fill.as_deref())?;
    let clear_block = args
        .block
        .as_deref()
        .map(|b| hex_bytes("--block", b).map(Zeroizing::new))
        .transpose()?;
    let pin = args
        .pin
        .as_deref()
        .map(|p| Pin::new(p).map_err(pin_error))
        .transpose()?;
    let (ksn, key) = source_key(inputs, &args.source, Purpose::Pin)?;
    let pk = pin_key(&key, "--key-type")?;
    pk.check_format(f).map_err(pin_error)?;
    let block = match (&pin, &clear_block) {
        (Some(pin), _) => match fill {
            Some(fill) => encipher_with_fill(f, &pk, pin, pan.as_ref(), &fill),
            None => encipher(f, &pk, pin, pan.as_ref(), &mut OsRng),
        }
        .map_err(pin_error)?
        .as_bytes()
        .to_vec(),
        (None, Some(clear)) => {
            // A clear block as is: one TDEA block (ISO 9564-1 formats 0-3 are 8 bytes).
            let OpKey::Tdes(k) = &key else {
                return Err(CliError::usage(
                    "--block: a clear block is for TDES DUKPT (formats 0-3); use --pin for format 4",
                ));
            };
            if clear.len() != 8 || f == Format::Iso4 {
                return Err(CliError::usage(
                    "--block: a clear PIN block of formats 0-3 is 8 bytes",
                ));
            }
            let mut b = Zeroizing::new(clear.to_vec());
            BlockCipher::new(&SymmetricKey::from(k.clone()))
                .ecb_encrypt(&mut b)
                .map_err(|e| CliError::classified(e.class(), format!("--block: {e}")))?;
            b.to_vec()
        }
        (None, None) => return Err(CliError::usage("one of --pin or --block is required")),
    };
    let mut out = Output::new();
    out.primary("block", encode_upper(&block));
    out.field("format", f.number());
    describe(&mut out, &ksn);
    Ok(out)
}

fn pin_decrypt(args: &DukptPinDecryptArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let f = format("--format", args.format)?;
    let block = Zeroizing::new(hex_bytes("--block", &args.block)?);
    let pan = pan(args.pan.as_deref())?;
    let (ksn, key) = source_key(inputs, &args.source, Purpose::Pin)?;
    let pk = pin_key(&key, "--key-type")?;
    let pin = decipher(f, &pk, &block, pan.as_ref()).map_err(pin_error)?;
    let mut out = Output::new();
    out.primary("pin", pin.expose_str());
    out.field("format", f.number());
    describe(&mut out, &ksn);
    Ok(out)
}

fn pin_translate(args: &DukptPinTranslateArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let from = format("--from-format", args.from_format)?;
    let to = format("--to-format", args.to_format)?;
    let block = Zeroizing::new(hex_bytes("--block", &args.block)?);
    let pan = pan(args.pan.as_deref())?;
    let fill = fill(args.fill.as_deref())?;
    let to_ksn = args
        .to_ksn
        .as_deref()
        .map(|k| parse_ksn("--to-ksn", k))
        .transpose()?;
    let (ksn, key) = source_key(inputs, &args.source, Purpose::Pin)?;
    let from_key = pin_key(&key, "--key-type")?;
    let to_key = match (&args.to_key, &to_ksn) {
        (Some(t), _) => {
            let bytes = inputs.secret_hex("--to-key", t)?;
            PinKey::for_format(to, &bytes).map_err(|e| pin_error(e).context("--to-key"))?
        }
        (None, Some(tk)) => {
            let k = working_key(
                inputs,
                args.to_bdk.as_deref(),
                None,
                tk,
                args.to_key_type,
                Purpose::Pin,
                "to-",
            )?;
            pin_key(&k, "--to-key-type")?
        }
        (None, None) => return Err(CliError::usage("one of --to-key or --to-bdk is required")),
    };
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
    describe(&mut out, &ksn);
    if let Some(tk) = &to_ksn {
        out.field("to_ksn", tk.hex());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// mac

/// Runs a `dukpt mac` subcommand.
pub fn mac(command: DukptMacCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        DukptMacCommand::Generate(a) => mac_run(&a, None, inputs),
        DukptMacCommand::Verify(a) => mac_run(&a.mac, Some(&a.expected), inputs),
    }
}

fn mac_run(args: &DukptMacArgs, expected: Option<&str>, inputs: &mut Inputs) -> CliResult<Output> {
    let data = message(
        args.data.as_deref(),
        args.data_file.as_deref(),
        args.data_text.as_deref(),
    )?;
    let tag = expected.map(|t| hex_bytes("--mac", t)).transpose()?;
    let direction = args.direction.unwrap_or_default();
    let (ksn, key) = source_key(inputs, &args.source, Purpose::Mac(direction))?;
    let mut sym = None;
    let mut hmac = None;
    let (algorithm, name) = match &key {
        // X9.24-1:2009 A.4: ANSI X9.19 = ISO/IEC 9797-1 MAC algorithm 3, padding method 1.
        OpKey::Tdes(k) => {
            sym = Some(SymmetricKey::from(k.clone()));
            (
                paycrypt_mac::MacAlgorithm::Iso9797Algorithm3 {
                    padding: Padding::Method1,
                },
                "x9.19",
            )
        }
        OpKey::Aes(w) if w.key_type().is_aes() => {
            sym = w.as_symmetric().cloned();
            (paycrypt_mac::MacAlgorithm::Cmac, "cmac-aes")
        }
        OpKey::Aes(w) if w.key_type().is_tdes() => {
            sym = w.as_symmetric().cloned();
            (paycrypt_mac::MacAlgorithm::Cmac, "cmac-tdes")
        }
        OpKey::Aes(w) => {
            hmac = Some(HmacKey::from_bytes(w.expose_bytes()).map_err(mac_error)?);
            (
                paycrypt_mac::MacAlgorithm::Hmac(HashFunction::Sha256),
                "hmac-sha256",
            )
        }
    };
    let mac_key = match (&sym, &hmac) {
        (Some(k), _) => MacKey::Symmetric(k),
        (None, Some(k)) => MacKey::Hmac(k),
        (None, None) => return Err(CliError::usage("no MAC key")),
    };
    let mut params = MacParams::new(algorithm);
    let length = args.length.or(tag.as_ref().map(Vec::len));
    if let Some(n) = length {
        params = params.with_mac_len(n);
    }
    let mut out = Output::new();
    match &tag {
        None => {
            let t = generate(mac_key, &params, &data).map_err(mac_error)?;
            out.primary("mac", encode_upper(t.as_bytes()));
            out.field("length", t.as_bytes().len());
        }
        Some(t) => {
            if length != Some(t.len()) {
                return Err(CliError::usage(format!(
                    "--mac: {} bytes, but --length says {}",
                    t.len(),
                    length.unwrap_or_default()
                )));
            }
            verify_mac(mac_key, &params, &data, t).map_err(|e| match e {
                paycrypt_mac::Error::MacLength { .. } => CliError::usage(format!("--mac: {e}")),
                other => mac_error(other),
            })?;
            out.primary("result", "OK");
            out.field("verified", true);
            out.field("length", t.len());
        }
    }
    out.field("algorithm", name);
    out.field(
        "direction",
        match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        },
    );
    describe(&mut out, &ksn);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// data

/// Runs a `dukpt data` subcommand.
pub fn data(command: DukptDataCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let (args, encrypt) = match command {
        DukptDataCommand::Encrypt(a) => (a, true),
        DukptDataCommand::Decrypt(a) => (a, false),
    };
    let mut data = Zeroizing::new(match (&args.data, &args.data_file) {
        (Some(h), None) => hex_bytes("--data", h)?,
        (None, Some(f)) => crate::cmd::mac::data_file(f)?,
        _ => return Err(CliError::usage("give one of --data or --data-file")),
    });
    let mode = args.mode.unwrap_or_default();
    let iv = args
        .iv
        .as_deref()
        .map(|t| hex_bytes("--iv", t))
        .transpose()?;
    if mode == DataMode::Ecb && iv.is_some() {
        return Err(CliError::usage("--iv: not used in ECB mode"));
    }
    let direction = args.direction.unwrap_or_default();
    let style = args.data_style.unwrap_or_default();
    let (ksn, key) = source_key(inputs, &args.source, Purpose::Data(direction, style))?;
    let sym = match &key {
        OpKey::Tdes(k) => SymmetricKey::from(k.clone()),
        OpKey::Aes(w) => match w.as_symmetric() {
            Some(k) => k.clone(),
            None => {
                return Err(CliError::usage(
                    "--key-type: an HMAC key type cannot encrypt data",
                ));
            }
        },
    };
    let cipher = BlockCipher::new(&sym);
    let block = cipher.block_size();
    let padding = match args.padding.unwrap_or_default() {
        CipherPadding::None => None,
        CipherPadding::Iso9797M1 => Some(DataPadding::Iso9797Method1),
        CipherPadding::Iso9797M2 => Some(DataPadding::Iso9797Method2),
        CipherPadding::Pkcs7 => Some(DataPadding::Pkcs7),
    };
    if let (Some(p), true) = (padding, encrypt) {
        let (bytes, n) = padding_for(p, data.len(), block)
            .map_err(|e| CliError::classified(e.class(), format!("--padding: {e}")))?;
        data.extend_from_slice(bytes.get(..n).unwrap_or_default());
    }
    if data.is_empty() || !data.len().is_multiple_of(block) {
        return Err(CliError::usage(format!(
            "--data: {} bytes is not a non-empty whole number of {block}-byte blocks (see --padding)",
            data.len()
        )));
    }
    let zero = vec![0u8; block];
    let iv = iv.unwrap_or(zero);
    if iv.len() != block {
        return Err(CliError::usage(format!(
            "--iv: must be one {block}-byte block, not {} bytes",
            iv.len()
        )));
    }
    match (mode, encrypt) {
        (DataMode::Ecb, true) => cipher.ecb_encrypt(&mut data),
        (DataMode::Ecb, false) => cipher.ecb_decrypt(&mut data),
        (DataMode::Cbc, true) => cipher.cbc_encrypt(&iv, &mut data),
        (DataMode::Cbc, false) => cipher.cbc_decrypt(&iv, &mut data),
    }
    .map_err(|e| CliError::classified(e.class(), format!("--data: {e}")))?;
    if let (Some(p), false) = (padding, encrypt) {
        let len = unpadded_len(p, &data, block).map_err(|_| {
            CliError::check("--padding: the decrypted data does not end in valid padding")
        })?;
        data.truncate(len);
    }
    let mut out = Output::new();
    out.primary("data", encode_upper(&data));
    out.field(
        "mode",
        match mode {
            DataMode::Cbc => "cbc",
            DataMode::Ecb => "ecb",
        },
    );
    out.field(
        "direction",
        match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        },
    );
    describe(&mut out, &ksn);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// initial key export

/// `dukpt initial-key --export-kbpk`: the initial key (TDES IPEK, X9.24-1:2009 A.6; AES initial
/// key, X9.24-3:2017 §6.3.1) wrapped in a key block with usage `B1` and its `KS` (TDES, the
/// initial KSN, 20 hex) or `IK` (AES, the initial key ID, 16 hex) block (X9.143:2021 §6.3),
/// as AWS Payment Cryptography's `ExportKey` with `ExportDukptInitialKey` returns it.
pub fn export_initial_key(args: &InitialKeyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let ksn = parse_ksn("--ksn", &args.ksn)?;
    let (default_header, block_id, block_data) = match ksn {
        Ksn::Tdes(k) => (
            "B0000B1TX00E0000",
            BlockId::KS,
            encode_upper(k.initial().as_bytes()),
        ),
        Ksn::Aes(k) => (
            "D0000B1AX00E0000",
            BlockId::IK,
            encode_upper(&k.initial_key_id().to_bytes()),
        ),
    };
    let profile = KbProfile::Interop;
    let text = args.export_header.as_deref().unwrap_or(default_header);
    let mut header =
        KeyBlockHeader::parse_with(text, profile).map_err(|e| kb_error(e, "--export-header"))?;
    if header.key_usage() != KbUsage::B1 {
        return Err(CliError::usage(
            "--export-header: an initial DUKPT key has key usage B1",
        ));
    }
    if header.optional_block(block_id).is_none() {
        let block = OptionalBlock::new(block_id, &block_data)
            .map_err(|e| kb_error(e, "--export-header"))?;
        header
            .push_block(block)
            .map_err(|e| kb_error(e, "--export-header"))?;
    }
    let bdk = inputs.secret_hex("--bdk", &args.bdk)?;
    let key_bytes: Zeroizing<Vec<u8>> = match ksn {
        Ksn::Tdes(k) => {
            let bdk = tdes_bdk("--bdk", &bdk)?;
            let ipek = bdk.ipek(&k);
            Zeroizing::new(ipek.expose_key().expose_bytes().to_vec())
        }
        Ksn::Aes(k) => {
            let bdk = aes_bdk("--bdk", &bdk)?;
            let ik = bdk.initial_key(&k.initial_key_id());
            let key = ik.expose_key();
            Zeroizing::new(key.expose_bytes().to_vec())
        }
    };
    let kbpk_text = args.export_kbpk.as_deref().unwrap_or_default();
    let kbpk_bytes = inputs.secret_hex("--export-kbpk", kbpk_text)?;
    let kbpk = Kbpk::for_version(header.version(), &kbpk_bytes)
        .map_err(|e| CliError::classified(e.class(), format!("--export-kbpk: {e}")))?;
    let key = ClearKey::new(&key_bytes);
    let block = wrap(
        &kbpk,
        &header,
        &key,
        &WrapOptions::with_profile(profile),
        &mut OsRng,
    )
    .map_err(|e| match e {
        paycrypt_keyblock::Error::InvalidKbpk { .. } => {
            CliError::classified(e.class(), format!("--export-kbpk: {e}"))
        }
        other => kb_error(other, "--export-header"),
    })?;
    // The check value AWS returns with the export: legacy for TDES, CMAC for AES.
    let (sym, method) = match ksn {
        Ksn::Tdes(_) => (
            TdesKey::from_bytes(&key_bytes).map(SymmetricKey::from),
            KcvMethod::Legacy,
        ),
        Ksn::Aes(_) => (
            paycrypt_primitives::key::AesKey::from_bytes(&key_bytes).map(SymmetricKey::from),
            KcvMethod::Cmac,
        ),
    };
    let sym = sym.map_err(|e| CliError::classified(e.class(), format!("--bdk: {e}")))?;
    let value = kcv(&sym, method, 3).map_err(mac_error)?;
    let mut out = Output::new();
    out.primary("key_block", block);
    out.line(format!("kcv: {}", encode_upper(value.as_bytes())));
    out.field("kcv", encode_upper(value.as_bytes()));
    out.field("kcv_method", method.name());
    describe(&mut out, &ksn);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// dukpt derive --trace

/// `dukpt derive --trace`: the derivation's intermediate values from
/// `paycrypt_dukpt::trace` (the crate's own derivation, one step at a time).
pub(crate) fn trace_derive(
    root: &Root,
    ksn: &Ksn,
    selection: Selection,
    key_type: Option<aes::KeyType>,
    out: &mut Output,
) -> CliResult<()> {
    out.enable_trace();
    let err = |e| dukpt_error(e, "--ksn");
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut observe = |label: &str, value: &[u8]| {
        lines.push((label.to_owned(), encode_upper(value)));
    };
    match (root, ksn, selection) {
        (Root::TdesBdk(bdk), Ksn::Tdes(k), Selection::Tdes(usage)) => {
            let ipek = bdk.ipek(k);
            paycrypt_dukpt::trace::tdes(&ipek, k, usage, &mut observe).map_err(err)?;
        }
        (Root::TdesIpek(ipek), Ksn::Tdes(k), Selection::Tdes(usage)) => {
            paycrypt_dukpt::trace::tdes(ipek, k, usage, &mut observe).map_err(err)?;
        }
        (Root::AesBdk(bdk), Ksn::Aes(k), Selection::Aes(w)) => {
            let ik = bdk.initial_key(&k.initial_key_id());
            let working = w.map(|(u, t)| (u, t.or(key_type).unwrap_or(bdk.key_type())));
            paycrypt_dukpt::trace::aes(&ik, k.counter(), working, &mut observe).map_err(err)?;
        }
        (Root::AesIk(ik), Ksn::Aes(k), Selection::Aes(w)) => {
            let working = w.map(|(u, t)| (u, t.or(key_type).unwrap_or(ik.key_type())));
            paycrypt_dukpt::trace::aes(ik, k.counter(), working, &mut observe).map_err(err)?;
        }
        _ => {
            return Err(CliError::usage(
                "--ksn: the KSN's scheme does not match the key",
            ));
        }
    }
    for (label, value) in lines {
        out.trace(&label, value);
    }
    Ok(())
}
