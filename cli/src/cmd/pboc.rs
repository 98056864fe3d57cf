//! `paycrypt pboc ...` over `paycrypt-emv`'s `pboc` module (JR/T 0025 e-purse: card-key
//! diversification, the PBOC / HCE token MAC, load and purchase MAC1/MAC2/TAC).

use crate::cmd::emv::{emv_error, fixed};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use clap::{Args, Subcommand};
use paycrypt_emv::pboc::{self, Load, Purchase};
use paycrypt_emv::{PbocLoadKey, PbocPurchaseKey, PbocTacKey};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::TdesKey;

macro_rules! secret {
    ($what:literal) => {
        concat!($what, " (hex; or @FILE, or - for stdin)")
    };
}

/// PBOC / JR/T 0025 e-purse.
#[derive(Debug, Subcommand)]
pub enum PbocCommand {
    /// Card-key diversification E(MK, f) ‖ E(MK, NOT f), no parity change.
    #[command(
        after_help = "Example:\n  paycrypt pboc diversify --mk 0123456789ABCDEFFEDCBA9876543210 --factor 1234567890123456"
    )]
    Diversify(DiversifyArgs),
    /// PBOC MAC (also the HCE token MAC): 80-padding, DES or ISO 9797-1 alg 3, 4 bytes.
    #[command(
        after_help = "Example:\n  paycrypt pboc mac --key 0123456789ABCDEF --data 0102030405"
    )]
    Mac(MacArgs),
    /// Load (圈存): MAC1, MAC2, TAC.
    #[command(
        after_help = "Example:\n  paycrypt pboc load --dlk @dlk.hex --dtk @dtk.hex --random 11223344 --atc 0001 --balance 00000000 --amount 00002710 --terminal 112233445566 --date 20261204 --time 120000"
    )]
    Load(LoadArgs),
    /// Purchase (消费): MAC1, MAC2, TAC.
    #[command(
        after_help = "Example:\n  paycrypt pboc purchase --dpk @dpk.hex --dtk @dtk.hex --random 11223344 --atc 0001 --serial 00000001 --amount 00000064 --terminal 112233445566 --date 20261204 --time 120000"
    )]
    Purchase(PurchaseArgs),
}

/// `pboc diversify`.
#[derive(Debug, Args)]
pub struct DiversifyArgs {
    #[arg(long, value_name = "HEX16", help = secret!("Master key, 16 bytes"))]
    mk: String,
    /// Diversification factor, 8 bytes.
    #[arg(long, value_name = "HEX8")]
    factor: String,
}

/// `pboc mac`.
#[derive(Debug, Args)]
pub struct MacArgs {
    #[arg(long, value_name = "HEX", help = secret!("Key, 8 or 16 bytes"))]
    key: String,
    /// Data (hex; may be empty).
    #[arg(long, value_name = "HEX", allow_hyphen_values = false)]
    data: String,
    /// Initial value, 8 bytes (default zeros).
    #[arg(long, value_name = "HEX8")]
    iv: Option<String>,
}

/// `pboc load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    #[arg(long, value_name = "HEX", help = secret!("Card load key DLK, 16 bytes"))]
    dlk: String,
    #[arg(long, value_name = "HEX", help = secret!("Card TAC key DTK, 16 bytes"))]
    dtk: String,
    /// Card pseudo-random number, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    random: String,
    /// Online ATC, 2 bytes.
    #[arg(long, value_name = "HEX2")]
    atc: String,
    /// Balance before the load, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    balance: String,
    /// Amount, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    amount: String,
    /// Terminal ID, 6 bytes.
    #[arg(long, value_name = "HEX6")]
    terminal: String,
    /// Date YYYYMMDD, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    date: String,
    /// Time hhmmss, 3 bytes.
    #[arg(long, value_name = "HEX3")]
    time: String,
    /// Transaction type, 1 byte (default 02).
    #[arg(long = "type", value_name = "HEX1")]
    tx_type: Option<String>,
    /// The card's MAC1 to verify first, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    mac1: Option<String>,
}

/// `pboc purchase`.
#[derive(Debug, Args)]
pub struct PurchaseArgs {
    #[arg(long, value_name = "HEX", help = secret!("Card purchase key DPK, 16 bytes"))]
    dpk: String,
    #[arg(long, value_name = "HEX", help = secret!("Card TAC key DTK, 16 bytes"))]
    dtk: String,
    /// Card pseudo-random number, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    random: String,
    /// Offline ATC, 2 bytes.
    #[arg(long, value_name = "HEX2")]
    atc: String,
    /// Terminal transaction serial number, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    serial: String,
    /// Amount, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    amount: String,
    /// Terminal ID, 6 bytes.
    #[arg(long, value_name = "HEX6")]
    terminal: String,
    /// Date YYYYMMDD, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    date: String,
    /// Time hhmmss, 3 bytes.
    #[arg(long, value_name = "HEX3")]
    time: String,
    /// Transaction type, 1 byte (default 06).
    #[arg(long = "type", value_name = "HEX1")]
    tx_type: Option<String>,
    /// MAC1 to verify first, 4 bytes.
    #[arg(long, value_name = "HEX4")]
    mac1: Option<String>,
}

/// Runs a `pboc` subcommand.
pub fn run(command: PbocCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        PbocCommand::Diversify(a) => diversify(&a, inputs),
        PbocCommand::Mac(a) => mac(&a, inputs),
        PbocCommand::Load(a) => load(&a, inputs),
        PbocCommand::Purchase(a) => purchase(&a, inputs),
    }
}

fn key16(option: &str, text: &str, inputs: &mut Inputs) -> CliResult<zeroize::Zeroizing<Vec<u8>>> {
    let bytes = inputs.secret_hex(option, text)?;
    if bytes.len() != 16 {
        return Err(CliError::usage(format!(
            "{option}: must be 16 bytes (double-length TDES), got {}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn kcv(key: &TdesKey) -> String {
    let mut z = [0u8; 8];
    let cipher = paycrypt_primitives::block::BlockCipher::new(
        &paycrypt_primitives::key::SymmetricKey::Tdes(key.clone()),
    );
    let _ = cipher.encrypt_block(&mut z);
    encode_upper(z.get(..3).unwrap_or(&[]))
}

fn diversify(args: &DiversifyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let factor = fixed::<8>("--factor", &args.factor)?;
    let mk = key16("--mk", &args.mk, inputs)?;
    let mk = TdesKey::from_bytes(&mk).map_err(|_| CliError::usage("--mk: invalid key"))?;
    let key = pboc::diversify(&mk, factor);
    let mut out = Output::new();
    out.primary("key", encode_upper(key.expose_bytes()));
    out.field("kcv", kcv(&key));
    Ok(out)
}

fn mac(args: &MacArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let data = hex_bytes("--data", &args.data)?;
    let iv = args
        .iv
        .as_deref()
        .map(|t| fixed::<8>("--iv", t))
        .transpose()?;
    let key = inputs.secret_hex("--key", &args.key)?;
    if key.len() != 8 && key.len() != 16 {
        return Err(CliError::usage(format!(
            "--key: must be 8 or 16 bytes, got {}",
            key.len()
        )));
    }
    let m = pboc::mac(&key, iv, &data).map_err(emv_error)?;
    let mut out = Output::new();
    out.primary("mac", encode_upper(&m));
    Ok(out)
}

fn tx_type(text: Option<&str>, default: u8) -> CliResult<u8> {
    match text {
        Some(t) => Ok(fixed::<1>("--type", t)?[0]),
        None => Ok(default),
    }
}

fn load(args: &LoadArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let t = Load {
        random: fixed("--random", &args.random)?,
        online_atc: fixed("--atc", &args.atc)?,
        balance: u32::from_be_bytes(fixed("--balance", &args.balance)?),
        amount: u32::from_be_bytes(fixed("--amount", &args.amount)?),
        tx_type: tx_type(args.tx_type.as_deref(), pboc::TYPE_EP_LOAD)?,
        terminal: fixed("--terminal", &args.terminal)?,
        date: fixed("--date", &args.date)?,
        time: fixed("--time", &args.time)?,
    };
    let mac1 = args
        .mac1
        .as_deref()
        .map(|m| fixed::<4>("--mac1", m))
        .transpose()?;
    let dlk = PbocLoadKey::from_bytes(&key16("--dlk", &args.dlk, inputs)?).map_err(emv_error)?;
    let dtk = PbocTacKey::from_bytes(&key16("--dtk", &args.dtk, inputs)?).map_err(emv_error)?;
    let r = pboc::load(&dlk, &dtk, &t, mac1.as_ref().map(|m| &m[..])).map_err(|e| match e {
        paycrypt_emv::Error::MacVerification => CliError::check("MAC1 verification failed"),
        other => emv_error(other),
    })?;
    let mut out = Output::new();
    out.primary("mac1", encode_upper(&r.mac1));
    out.primary("mac2", encode_upper(&r.mac2));
    out.primary("tac", encode_upper(&r.tac));
    out.field("new_balance", format!("{:08X}", r.new_balance));
    Ok(out)
}

fn purchase(args: &PurchaseArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let t = Purchase {
        random: fixed("--random", &args.random)?,
        offline_atc: fixed("--atc", &args.atc)?,
        serial: fixed("--serial", &args.serial)?,
        amount: u32::from_be_bytes(fixed("--amount", &args.amount)?),
        tx_type: tx_type(args.tx_type.as_deref(), pboc::TYPE_EP_PURCHASE)?,
        terminal: fixed("--terminal", &args.terminal)?,
        date: fixed("--date", &args.date)?,
        time: fixed("--time", &args.time)?,
    };
    let mac1 = args
        .mac1
        .as_deref()
        .map(|m| fixed::<4>("--mac1", m))
        .transpose()?;
    let dpk =
        PbocPurchaseKey::from_bytes(&key16("--dpk", &args.dpk, inputs)?).map_err(emv_error)?;
    let dtk = PbocTacKey::from_bytes(&key16("--dtk", &args.dtk, inputs)?).map_err(emv_error)?;
    let r = pboc::purchase(&dpk, &dtk, &t, mac1.as_ref().map(|m| &m[..])).map_err(|e| match e {
        paycrypt_emv::Error::MacVerification => CliError::check("MAC1 verification failed"),
        other => emv_error(other),
    })?;
    let mut out = Output::new();
    out.primary("mac1", encode_upper(&r.mac1));
    out.primary("mac2", encode_upper(&r.mac2));
    out.primary("tac", encode_upper(&r.tac));
    Ok(out)
}
