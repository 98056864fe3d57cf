//! `paycrypt emv ...` over `paycrypt-emv`: BER-TLV and DOLs (EMV 4.4 Book 3 Annex B, §5.4),
//! CVN detection, ICC master and session keys (Book 2 A1.3, A1.4), ARQC/ARPC (Book 2 §8),
//! issuer-script secure messaging and PIN change (Book 2 §9). The contract is spec/cli-emv.md.

use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use clap::{Args, Subcommand, ValueEnum};
use paycrypt_emv::tlv::{self, Tag, Tlv};
use paycrypt_emv::{
    Ac, AcInput, AcKeyMethod, AcSessionKey, ArpcKey, ArpcKeyChoice, ArpcMethod, ArpcResponse,
    CardMasterKeys, CryptogramVersion, Emv2000Tree, Error as EmvError, IccDerivation, IccMasterKey,
    IssuerMasterKey, KeyRole, Psn, SmEncryption, SmcSessionKey, SmiSessionKey, ac_session_key,
    command_mac, common_session_key, detect_iad, encrypt_command_data, generate_ac, hazmat,
    mastercard_r, pin_change_command, smc_session_key, smi_session_key, verify_arqc,
    verify_arqc_with_session_key, visa_sm_session_key,
};
use paycrypt_pinblock::{Pan, Pin};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::TdesKey;
use serde_json::{Value, json};

macro_rules! secret {
    ($what:literal) => {
        concat!($what, " (hex; or @FILE, or - for stdin)")
    };
}

/// EMV issuer cryptography.
#[derive(Debug, Subcommand)]
pub enum EmvCommand {
    /// BER-TLV (EMV Book 3 Annex B).
    #[command(subcommand)]
    Tlv(TlvCommand),
    /// Data object lists (EMV Book 3 5.4).
    #[command(subcommand)]
    Dol(DolCommand),
    /// Detects the cryptogram version from tag 9F10; prints the profile name.
    #[command(after_help = "Example:\n  paycrypt emv iad --iad 06011203A0B800")]
    Iad(IadArgs),
    /// ICC master key (EMV Book 2 A1.4 option A or B), parity-adjusted.
    #[command(
        after_help = "Example:\n  paycrypt emv icc-key --imk 0123456789ABCDEFFEDCBA9876543210 --pan 5413330089020011 --psn 01"
    )]
    IccKey(IccKeyArgs),
    /// Session key (common session key, Mastercard SKD, Visa SM, EMV2000 tree).
    #[command(
        after_help = "Example:\n  paycrypt emv session-key --mk 0123456789ABCDEFFEDCBA9876543210 --method csk --atc 0001"
    )]
    SessionKey(SessionKeyArgs),
    /// Application cryptograms (ARQC, TC and AAC are computed alike).
    #[command(subcommand)]
    Arqc(ArqcCommand),
    /// ARPC method 1 or 2 (EMV Book 2 8.2) for an ARQC verified elsewhere.
    #[command(
        after_help = "Example:\n  paycrypt emv arpc --session-key 0123456789ABCDEFFEDCBA9876543210 --method 1 --arqc 1122334455667788 --arc 3030"
    )]
    Arpc(ArpcArgs),
    /// Issuer-script command MAC (EMV Book 2 9.2).
    #[command(
        after_help = "Example:\n  paycrypt emv script-mac --session-key 0123456789ABCDEFFEDCBA9876543210 --header 84DA00000B --atc 0001 --arqc 1122334455667788 --data 010203"
    )]
    ScriptMac(ScriptMacArgs),
    /// Issuer-script command data encryption (EMV Book 2 9.3, VIS, M/Chip).
    #[command(
        after_help = "Example:\n  paycrypt emv script-encrypt --session-key 0123456789ABCDEFFEDCBA9876543210 --mode mchip --data 0102030405060708"
    )]
    ScriptEncrypt(ScriptEncryptArgs),
    /// PIN CHANGE/UNBLOCK command with enciphered PIN block and MAC.
    #[command(
        after_help = "Example:\n  paycrypt emv pin-change --profile mchip16 --mk-ac @ac.hex --mk-smi @smi.hex --mk-smc @smc.hex --pin 4321 --atc 0001 --arqc 1122334455667788"
    )]
    PinChange(PinChangeArgs),
}

/// `emv tlv`.
#[derive(Debug, Subcommand)]
pub enum TlvCommand {
    /// Decodes BER-TLV data: one line per data object, indented by nesting level.
    #[command(after_help = "Example:\n  paycrypt emv tlv decode --data 77079F360200019C0100")]
    Decode {
        /// The data (hex).
        #[arg(long, value_name = "HEX")]
        data: String,
    },
    /// Encodes primitive elements in the order given (shortest length form).
    #[command(
        after_help = "Example:\n  paycrypt emv tlv encode --element 9F02=000000001000 --element 5F2A=0978"
    )]
    Encode {
        /// TAG=HEX (repeatable; a constructed value is given already encoded).
        #[arg(long = "element", value_name = "TAG=HEX", required = true)]
        elements: Vec<String>,
    },
}

/// `emv dol`.
#[derive(Debug, Subcommand)]
pub enum DolCommand {
    /// Lists the entries of a DOL: `TAG LENGTH`.
    #[command(after_help = "Example:\n  paycrypt emv dol parse --dol 9F02069F03069F1A02")]
    Parse {
        /// The DOL (hex).
        #[arg(long, value_name = "HEX")]
        dol: String,
    },
    /// Builds the DOL-related data from TLV data.
    #[command(
        after_help = "Example:\n  paycrypt emv dol build --dol 9F02069F1A02 --tlv 9F0206000000001000"
    )]
    Build {
        /// The DOL (hex).
        #[arg(long, value_name = "HEX")]
        dol: String,
        /// The data objects to take values from (hex BER-TLV).
        #[arg(long, value_name = "HEX")]
        tlv: Option<String>,
    },
}

/// `emv iad`.
#[derive(Debug, Args)]
pub struct IadArgs {
    /// The value of tag 9F10 (hex).
    #[arg(long, value_name = "HEX")]
    iad: String,
}

/// ICC master key derivation option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OptionArg {
    /// Option A (Book 2 A1.4.1).
    A,
    /// Option B (Book 2 A1.4.2; equals A up to 16 digits).
    B,
}

impl OptionArg {
    const fn derivation(self) -> IccDerivation {
        match self {
            Self::A => IccDerivation::OptionA,
            Self::B => IccDerivation::OptionB,
        }
    }
}

/// `emv icc-key`.
#[derive(Debug, Args)]
pub struct IccKeyArgs {
    #[arg(long, value_name = "HEX", help = secret!("Issuer master key, 16 bytes"))]
    imk: String,
    /// PAN, 12-19 digits including the check digit.
    #[arg(long, value_name = "DIGITS")]
    pan: String,
    /// PAN sequence number, two digits (default 00).
    #[arg(long, value_name = "NN")]
    psn: Option<String>,
    /// Derivation option (default b, which equals a up to 16 digits).
    #[arg(long, value_name = "a|b")]
    option: Option<OptionArg>,
}

/// Session key method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SessionMethod {
    /// Common session key (Book 2 A1.3.1).
    Csk,
    /// Mastercard SKD (R = ATC 0000 UN).
    Mastercard,
    /// Visa secure-messaging key.
    VisaSm,
    /// EMV2000 tree (EMV 4.1 Book 2 A1.3).
    Emv2000,
}

impl SessionMethod {
    const fn name(self) -> &'static str {
        match self {
            Self::Csk => "csk",
            Self::Mastercard => "mastercard",
            Self::VisaSm => "visa-sm",
            Self::Emv2000 => "emv2000",
        }
    }
}

/// `emv session-key`.
#[derive(Debug, Args)]
pub struct SessionKeyArgs {
    #[arg(long, value_name = "HEX", help = secret!("ICC master key, 16 bytes"))]
    mk: String,
    /// Derivation method.
    #[arg(long, value_name = "M")]
    method: SessionMethod,
    /// ATC, 2 bytes.
    #[arg(long, value_name = "HEX")]
    atc: Option<String>,
    /// Diversification value R, 8 bytes (csk only; e.g. the ARQC for SM keys).
    #[arg(long, value_name = "HEX")]
    r: Option<String>,
    /// Unpredictable number, 4 bytes (mastercard).
    #[arg(long, value_name = "HEX")]
    un: Option<String>,
    /// EMV2000 tree height (default 8).
    #[arg(long, value_name = "H")]
    height: Option<u32>,
    /// EMV2000 branch factor (default 4).
    #[arg(long, value_name = "B")]
    branch: Option<u32>,
    /// EMV2000 IV, 16 bytes (default zeros).
    #[arg(long, value_name = "HEX16")]
    iv: Option<String>,
}

/// A cryptogram profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Visa CVN 10.
    Visa10,
    /// Visa CVN 18.
    Visa18,
    /// Visa CVN 22.
    Visa22,
    /// M/Chip 4 CVN 16.
    Mchip16,
    /// M/Chip 4 CVN 17.
    Mchip17,
    /// M/Chip Advance CVN 20.
    Mchip20,
    /// M/Chip Advance CVN 21.
    Mchip21,
    /// From tag 9F10 (only with --tlv).
    Auto,
}

impl ProfileArg {
    fn fixed(self) -> CliResult<CryptogramVersion> {
        Ok(match self {
            Self::Visa10 => CryptogramVersion::Visa10,
            Self::Visa18 => CryptogramVersion::Visa18,
            Self::Visa22 => CryptogramVersion::Visa22,
            Self::Mchip16 => CryptogramVersion::Mchip16,
            Self::Mchip17 => CryptogramVersion::Mchip17,
            Self::Mchip20 => CryptogramVersion::Mchip20,
            Self::Mchip21 => CryptogramVersion::Mchip21,
            Self::Auto => {
                return Err(CliError::usage(
                    "--profile: auto is only available with --tlv (arqc generate/verify)",
                ));
            }
        })
    }
}

/// The key source of `arqc`, `arpc`, `script-mac`, `script-encrypt`.
#[derive(Debug, Args)]
pub struct KeySourceArgs {
    #[arg(long, value_name = "HEX", help = secret!("Issuer master key (the ICC MK is derived)"))]
    imk: Option<String>,
    /// PAN (with --imk), 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pan: Option<String>,
    /// PAN sequence number (with --imk), two digits (default 00).
    #[arg(long, value_name = "NN")]
    psn: Option<String>,
    /// ICC MK derivation option (with --imk; default: the profile's).
    #[arg(long, value_name = "a|b")]
    option: Option<OptionArg>,
    #[arg(long, value_name = "HEX", help = secret!("ICC master key (UDK)"))]
    mk: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("Session key (no derivation)"))]
    session_key: Option<String>,
}

/// `emv arqc`.
#[derive(Debug, Subcommand)]
pub enum ArqcCommand {
    /// Computes the 8-byte cryptogram.
    #[command(
        after_help = "Example:\n  paycrypt emv arqc generate --profile mchip20 --mk @udk.hex --data 0000000010000000000000000840... --atc 0001"
    )]
    Generate(ArqcArgs),
    /// Verifies a cryptogram (constant time); prints OK or, with --arc/--csu, the ARPC.
    #[command(
        after_help = "Example:\n  paycrypt emv arqc verify --profile auto --mk @udk.hex --tlv @field55 --arqc 1122334455667788 --arc 0010"
    )]
    Verify(ArqcVerifyArgs),
}

/// `emv arqc generate`.
#[derive(Debug, Args)]
pub struct ArqcArgs {
    /// Cryptogram profile.
    #[arg(long, value_name = "P")]
    profile: ProfileArg,
    #[command(flatten)]
    key: KeySourceArgs,
    /// Transaction data as BER-TLV (hex): the Book 2 tags and 9F10.
    #[arg(long, value_name = "HEX", conflicts_with = "data")]
    tlv: Option<String>,
    /// The complete unpadded cryptogram input (hex).
    #[arg(long, value_name = "HEX")]
    data: Option<String>,
    /// ATC, 2 bytes (with --data).
    #[arg(long, value_name = "HEX")]
    atc: Option<String>,
    /// Unpredictable number, 4 bytes (with --data, Mastercard SKD).
    #[arg(long, value_name = "HEX")]
    un: Option<String>,
}

/// `emv arqc verify`.
#[derive(Debug, Args)]
pub struct ArqcVerifyArgs {
    #[command(flatten)]
    base: ArqcArgs,
    /// The cryptogram to verify, 8 bytes.
    #[arg(long, value_name = "HEX")]
    arqc: String,
    #[command(flatten)]
    response: ResponseArgs,
}

/// ARPC response data.
#[derive(Debug, Args)]
pub struct ResponseArgs {
    /// Authorisation response code, 2 bytes (ARPC method 1).
    #[arg(long, value_name = "HEX", conflicts_with_all = ["csu", "pad"])]
    arc: Option<String>,
    /// Card status update, 4 bytes (ARPC method 2).
    #[arg(long, value_name = "HEX")]
    csu: Option<String>,
    /// Proprietary authentication data, 0-8 bytes (ARPC method 2).
    #[arg(long, value_name = "HEX", requires = "csu")]
    pad: Option<String>,
}

/// `emv arpc`.
#[derive(Debug, Args)]
pub struct ArpcArgs {
    /// Cryptogram profile (not with --session-key).
    #[arg(long, value_name = "P")]
    profile: Option<ProfileArg>,
    #[command(flatten)]
    key: KeySourceArgs,
    /// ATC, 2 bytes (profiles whose ARPC key is the AC session key).
    #[arg(long, value_name = "HEX")]
    atc: Option<String>,
    /// Unpredictable number, 4 bytes.
    #[arg(long, value_name = "HEX")]
    un: Option<String>,
    /// ARPC method (required with --session-key; overrides the profile's).
    #[arg(long, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
    method: Option<u8>,
    /// The ARQC, 8 bytes.
    #[arg(long, value_name = "HEX")]
    arqc: String,
    #[command(flatten)]
    response: ResponseArgs,
}

/// `emv script-mac`.
#[derive(Debug, Args)]
pub struct ScriptMacArgs {
    /// Cryptogram profile (not with --session-key).
    #[arg(long, value_name = "P")]
    profile: Option<ProfileArg>,
    #[command(flatten)]
    key: KeySourceArgs,
    /// Command header CLA INS P1 P2 Lc, 5 bytes (Lc counts data + MAC).
    #[arg(long, value_name = "HEX5")]
    header: String,
    /// ATC, 2 bytes.
    #[arg(long, value_name = "HEX")]
    atc: String,
    /// ARQC, 8 bytes.
    #[arg(long, value_name = "HEX")]
    arqc: String,
    /// Command data (hex).
    #[arg(long, value_name = "HEX")]
    data: Option<String>,
    /// MAC length, 4 to 8 bytes (default 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(4..=8))]
    length: Option<u8>,
}

/// Command-data encryption mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// VIS: ECB over pad2(len ‖ data).
    Visa,
    /// M/Chip: CBC, pad2 only when not aligned.
    Mchip,
    /// EMV Book 2 9.3: CBC, pad2 always.
    Emv,
}

impl ModeArg {
    const fn mode(self) -> SmEncryption {
        match self {
            Self::Visa => SmEncryption::Visa,
            Self::Mchip => SmEncryption::Mchip,
            Self::Emv => SmEncryption::Emv,
        }
    }
}

/// `emv script-encrypt`.
#[derive(Debug, Args)]
pub struct ScriptEncryptArgs {
    /// Cryptogram profile (not with --session-key).
    #[arg(long, value_name = "P")]
    profile: Option<ProfileArg>,
    #[command(flatten)]
    key: KeySourceArgs,
    /// ATC, 2 bytes (with --profile).
    #[arg(long, value_name = "HEX")]
    atc: Option<String>,
    /// ARQC, 8 bytes (with --profile).
    #[arg(long, value_name = "HEX")]
    arqc: Option<String>,
    /// Encryption mode (required with --session-key; overrides the profile's).
    #[arg(long, value_name = "MODE")]
    mode: Option<ModeArg>,
    /// Command data (hex).
    #[arg(long, value_name = "HEX")]
    data: String,
}

/// `emv pin-change`.
#[derive(Debug, Args)]
pub struct PinChangeArgs {
    /// Cryptogram profile.
    #[arg(long, value_name = "P")]
    profile: ProfileArg,
    #[arg(long, value_name = "HEX", help = secret!("Issuer master key for AC"))]
    imk_ac: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("Issuer master key for SMI"))]
    imk_smi: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("Issuer master key for SMC"))]
    imk_smc: Option<String>,
    /// PAN (with --imk-*), 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pan: Option<String>,
    /// PAN sequence number (with --imk-*), two digits (default 00).
    #[arg(long, value_name = "NN")]
    psn: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("ICC master key for AC"))]
    mk_ac: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("ICC master key for SMI"))]
    mk_smi: Option<String>,
    #[arg(long, value_name = "HEX", help = secret!("ICC master key for SMC"))]
    mk_smc: Option<String>,
    /// The new PIN, 4-12 digits.
    #[arg(long, value_name = "DIGITS")]
    pin: String,
    /// The current PIN, 4-12 digits (Visa profiles only).
    #[arg(long, value_name = "DIGITS")]
    current_pin: Option<String>,
    /// ATC, 2 bytes.
    #[arg(long, value_name = "HEX")]
    atc: String,
    /// ARQC, 8 bytes.
    #[arg(long, value_name = "HEX")]
    arqc: String,
}

// ---------------------------------------------------------------------------------------------

/// Maps a crate error by its class (Rejected → exit 1, Malformed → exit 2).
pub fn emv_error(e: EmvError) -> CliError {
    CliError::classified(e.class(), e.to_string())
}

/// The same with the option it concerns.
fn emv_error_at(option: &str, e: EmvError) -> CliError {
    emv_error(e).context(option)
}

/// A fixed-length hex option.
pub fn fixed<const N: usize>(option: &str, text: &str) -> CliResult<[u8; N]> {
    let bytes = hex_bytes(option, text)?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| CliError::usage(format!("{option}: must be {N} bytes, got {}", bytes.len())))
}

/// A 16-byte key option (secret).
fn key16(option: &str, text: &str, inputs: &mut Inputs) -> CliResult<TdesKey> {
    let bytes = inputs.secret_hex(option, text)?;
    if bytes.len() != 16 {
        return Err(CliError::usage(format!(
            "{option}: must be 16 bytes (double-length TDES), got {}",
            bytes.len()
        )));
    }
    TdesKey::from_bytes(&bytes).map_err(|_| CliError::usage(format!("{option}: invalid key")))
}

/// A PAN of 12-19 digits.
fn pan(text: &str) -> CliResult<Pan> {
    if !(12..=19).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::usage(format!(
            "--pan: must be 12 to 19 decimal digits, got {} characters",
            text.len()
        )));
    }
    Pan::new(text).map_err(|e| CliError::usage(format!("--pan: {e}")))
}

/// A PSN of exactly two digits (default 00).
fn psn(text: Option<&str>) -> CliResult<Psn> {
    let Some(t) = text else {
        return Ok(Psn::default());
    };
    let bytes = t.as_bytes();
    match bytes {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Psn::new((a - b'0') * 10 + (b - b'0')).map_err(|e| emv_error_at("--psn", e))
        }
        _ => Err(CliError::usage("--psn: must be two decimal digits")),
    }
}

fn kcv(key: &TdesKey) -> String {
    let mut z = [0u8; 8];
    let cipher = paycrypt_primitives::block::BlockCipher::new(
        &paycrypt_primitives::key::SymmetricKey::Tdes(key.clone()),
    );
    let _ = cipher.encrypt_block(&mut z);
    encode_upper(z.get(..3).unwrap_or(&[]))
}

/// Runs an `emv` subcommand.
pub fn run(command: EmvCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        EmvCommand::Tlv(TlvCommand::Decode { data }) => tlv_decode(&data),
        EmvCommand::Tlv(TlvCommand::Encode { elements }) => tlv_encode(&elements),
        EmvCommand::Dol(DolCommand::Parse { dol }) => dol_parse(&dol),
        EmvCommand::Dol(DolCommand::Build { dol, tlv }) => dol_build(&dol, tlv.as_deref()),
        EmvCommand::Iad(a) => iad(&a),
        EmvCommand::IccKey(a) => icc_key(&a, inputs),
        EmvCommand::SessionKey(a) => session_key(&a, inputs),
        EmvCommand::Arqc(ArqcCommand::Generate(a)) => arqc_generate(&a, inputs),
        EmvCommand::Arqc(ArqcCommand::Verify(a)) => arqc_verify(&a, inputs),
        EmvCommand::Arpc(a) => arpc(&a, inputs),
        EmvCommand::ScriptMac(a) => script_mac(&a, inputs),
        EmvCommand::ScriptEncrypt(a) => script_encrypt(&a, inputs),
        EmvCommand::PinChange(a) => pin_change(&a, inputs),
    }
}

// --- TLV and DOL --------------------------------------------------------------------------

fn tlv_json(obj: &Tlv<'_>) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("tag".into(), obj.tag().to_string().into());
    m.insert("class".into(), obj.tag().class().name().into());
    m.insert("constructed".into(), obj.is_constructed().into());
    m.insert("length".into(), obj.value().len().into());
    if obj.is_constructed() {
        let children: Vec<Value> = obj
            .children()
            .filter_map(Result::ok)
            .map(|c| tlv_json(&c))
            .collect();
        m.insert("children".into(), children.into());
    } else {
        m.insert("value".into(), encode_upper(obj.value()).into());
    }
    Value::Object(m)
}

fn tlv_decode(data: &str) -> CliResult<Output> {
    let data = hex_bytes("--data", data)?;
    tlv::validate(&data).map_err(|e| emv_error_at("--data", e))?;
    let mut out = Output::new();
    tlv::for_each(&data, |obj, depth| {
        let indent = "  ".repeat(depth.saturating_sub(1));
        if obj.is_constructed() || obj.value().is_empty() {
            out.line(format!("{indent}{}", obj.tag()));
        } else {
            out.line(format!(
                "{indent}{} {}",
                obj.tag(),
                encode_upper(obj.value())
            ));
        }
    })
    .map_err(|e| emv_error_at("--data", e))?;
    let objects: Vec<Value> = tlv::iter(&data)
        .filter_map(Result::ok)
        .map(|o| tlv_json(&o))
        .collect();
    out.field("objects", objects);
    Ok(out)
}

fn tlv_encode(elements: &[String]) -> CliResult<Output> {
    let mut nodes = Vec::new();
    for e in elements {
        let (t, v) = e
            .split_once('=')
            .ok_or_else(|| CliError::usage("--element: must be TAG=HEX"))?;
        let tag_bytes = hex_bytes("--element", t)?;
        let tag = Tag::from_bytes(&tag_bytes).map_err(|e| emv_error_at("--element", e))?;
        let value = hex_bytes("--element", v)?;
        nodes.push(tlv::Node::primitive(tag, value));
    }
    let enc = tlv::encode(&nodes).map_err(|e| emv_error_at("--element", e))?;
    let mut out = Output::new();
    out.primary("tlv", encode_upper(&enc));
    Ok(out)
}

fn dol_parse(dol: &str) -> CliResult<Output> {
    let dol = hex_bytes("--dol", dol)?;
    tlv::dol_validate(&dol).map_err(|e| emv_error_at("--dol", e))?;
    let mut out = Output::new();
    let mut entries = Vec::new();
    for e in tlv::dol(&dol) {
        let e = e.map_err(|e| emv_error_at("--dol", e))?;
        out.line(format!("{} {}", e.tag, e.len));
        entries.push(json!({"tag": e.tag.to_string(), "length": e.len}));
    }
    out.field("entries", entries);
    Ok(out)
}

fn dol_build(dol: &str, data: Option<&str>) -> CliResult<Output> {
    let dol = hex_bytes("--dol", dol)?;
    let data = data
        .map(|t| hex_bytes("--tlv", t))
        .transpose()?
        .unwrap_or_default();
    tlv::dol_validate(&dol).map_err(|e| emv_error_at("--dol", e))?;
    let built = tlv::dol_build(&dol, &data).map_err(|e| emv_error_at("--tlv", e))?;
    let mut out = Output::new();
    out.primary("data", encode_upper(&built));
    out.field("length", built.len());
    Ok(out)
}

fn iad(args: &IadArgs) -> CliResult<Output> {
    let iad = hex_bytes("--iad", &args.iad)?;
    let info = detect_iad(&iad).map_err(|e| emv_error_at("--iad", e))?;
    let profile = info.version.ok_or_else(|| {
        CliError::check(format!(
            "--iad: no supported profile (format {}, cryptogram version {})",
            info.format.name(),
            info.cvn
                .map_or_else(|| "none".to_owned(), |c| format!("{c:02X}"))
        ))
    })?;
    let byte = |b: Option<u8>| b.map_or(Value::Null, |b| Value::from(format!("{b:02X}")));
    let mut out = Output::new();
    out.primary("profile", profile.name());
    out.field("format", info.format.name());
    out.field("cvn", byte(info.cvn));
    out.field("dki", byte(info.dki));
    out.field("cvr", encode_upper(info.cvr));
    Ok(out)
}

// --- keys ---------------------------------------------------------------------------------

fn icc_key(args: &IccKeyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let imk = key16("--imk", &args.imk, inputs)?;
    let pan = pan(&args.pan)?;
    let psn = psn(args.psn.as_deref())?;
    let option = args.option.unwrap_or(OptionArg::B);
    let key = paycrypt_emv::derive_icc_master_key(&imk, &pan, psn, option.derivation());
    let mut out = Output::new();
    out.primary("key", encode_upper(key.expose_bytes()));
    out.field("kcv", kcv(&key));
    out.field("option", if option == OptionArg::A { "a" } else { "b" });
    Ok(out)
}

fn refuse(option: &str, given: bool, why: &str) -> CliResult<()> {
    if given {
        Err(CliError::usage(format!("{option}: {why}")))
    } else {
        Ok(())
    }
}

fn need<'a>(option: &str, value: Option<&'a str>, why: &str) -> CliResult<&'a str> {
    value.ok_or_else(|| CliError::usage(format!("missing required option {option} ({why})")))
}

fn session_key(args: &SessionKeyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let m = args.method;
    let name = m.name();
    let not_for = format!("not used by --method {name}");
    refuse("--r", args.r.is_some() && m != SessionMethod::Csk, &not_for)?;
    refuse(
        "--un",
        args.un.is_some() && m != SessionMethod::Mastercard,
        &not_for,
    )?;
    let tree_opt = args.height.is_some() || args.branch.is_some() || args.iv.is_some();
    refuse(
        "--height/--branch/--iv",
        tree_opt && m != SessionMethod::Emv2000,
        &not_for,
    )?;
    let atc = args
        .atc
        .as_deref()
        .map(|t| fixed::<2>("--atc", t))
        .transpose()?;
    let mk = key16("--mk", &args.mk, inputs)?;
    let key = match m {
        SessionMethod::Csk => match (atc, &args.r) {
            (Some(atc), None) => common_session_key(&mk, &paycrypt_emv::ac_r(atc)),
            (None, Some(r)) => common_session_key(&mk, &fixed::<8>("--r", r)?),
            (Some(_), Some(_)) => return Err(CliError::usage("--r cannot be used with --atc")),
            (None, None) => {
                return Err(CliError::usage(
                    "--method csk needs exactly one of --atc and --r",
                ));
            }
        },
        SessionMethod::Mastercard => {
            let atc = atc.ok_or_else(|| CliError::usage("missing required option --atc"))?;
            let un = fixed::<4>(
                "--un",
                need("--un", args.un.as_deref(), "--method mastercard")?,
            )?;
            common_session_key(&mk, &mastercard_r(atc, un))
        }
        SessionMethod::VisaSm => {
            let atc = atc.ok_or_else(|| CliError::usage("missing required option --atc"))?;
            visa_sm_session_key(&mk, atc)
        }
        SessionMethod::Emv2000 => {
            let atc = atc.ok_or_else(|| CliError::usage("missing required option --atc"))?;
            let iv = args
                .iv
                .as_deref()
                .map(|t| fixed::<16>("--iv", t))
                .transpose()?;
            let tree = Emv2000Tree::new(
                args.branch.unwrap_or(4),
                args.height.unwrap_or(8),
                iv.unwrap_or([0; 16]),
            )
            .map_err(emv_error)?;
            tree.session_key(&mk, atc)
        }
    };
    let mut out = Output::new();
    out.primary("key", encode_upper(key.expose_bytes()));
    out.field("kcv", kcv(&key));
    out.field("method", name);
    Ok(out)
}

/// A resolved key source.
enum Source<R: KeyRole> {
    Icc(IccMasterKey<R>),
    Session(TdesKey),
}

impl KeySourceArgs {
    fn resolve<R: KeyRole>(
        &self,
        default: IccDerivation,
        inputs: &mut Inputs,
    ) -> CliResult<Source<R>> {
        let count = [
            self.imk.is_some(),
            self.mk.is_some(),
            self.session_key.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if count != 1 {
            return Err(CliError::usage(
                "exactly one key source is required: --imk (with --pan), --mk or --session-key",
            ));
        }
        if self.imk.is_none() {
            refuse("--pan", self.pan.is_some(), "only with --imk")?;
            refuse("--psn", self.psn.is_some(), "only with --imk")?;
            refuse("--option", self.option.is_some(), "only with --imk")?;
        }
        if let Some(imk) = &self.imk {
            let pan = pan(need("--pan", self.pan.as_deref(), "with --imk")?)?;
            let psn = psn(self.psn.as_deref())?;
            let imk = IssuerMasterKey::<R>::from_bytes(key16("--imk", imk, inputs)?.expose_bytes())
                .map_err(|e| emv_error_at("--imk", e))?;
            let method = self.option.map_or(default, OptionArg::derivation);
            Ok(Source::Icc(imk.derive_icc(&pan, psn, method)))
        } else if let Some(mk) = &self.mk {
            let k = key16("--mk", mk, inputs)?;
            Ok(Source::Icc(
                IccMasterKey::from_bytes(k.expose_bytes()).map_err(|e| emv_error_at("--mk", e))?,
            ))
        } else {
            let text = self.session_key.as_deref().unwrap_or_default();
            Ok(Source::Session(key16("--session-key", text, inputs)?))
        }
    }

    const fn is_session(&self) -> bool {
        self.session_key.is_some()
    }
}

// --- cryptograms --------------------------------------------------------------------------

/// The profile, input and key of an `arqc` command.
struct Prepared {
    profile: CryptogramVersion,
    input: AcInput,
    source: Source<Ac>,
}

fn prepare_arqc(args: &ArqcArgs, inputs: &mut Inputs) -> CliResult<Prepared> {
    let (profile, input) = match (&args.tlv, &args.data) {
        (Some(t), None) => {
            refuse(
                "--atc",
                args.atc.is_some(),
                "not with --tlv (the ATC comes from 9F36)",
            )?;
            refuse(
                "--un",
                args.un.is_some(),
                "not with --tlv (the UN comes from 9F37)",
            )?;
            let data = hex_bytes("--tlv", t)?;
            let profile = match args.profile {
                ProfileArg::Auto => {
                    let iad = tlv::find(&data, Tag::two(0x9F, 0x10))
                        .map_err(|e| emv_error_at("--tlv", e))?
                        .ok_or_else(|| CliError::usage("--tlv: data object 9F10 is missing"))?;
                    CryptogramVersion::from_iad(iad).map_err(|e| emv_error_at("--tlv: 9F10", e))?
                }
                p => p.fixed()?,
            };
            let input = AcInput::from_tlv(profile, &data).map_err(|e| emv_error_at("--tlv", e))?;
            (profile, input)
        }
        (None, Some(d)) => {
            let profile = args.profile.fixed()?;
            let data = hex_bytes("--data", d)?;
            let spec = profile.spec();
            let session = args.key.is_session();
            let atc = match args.atc.as_deref() {
                Some(t) => fixed::<2>("--atc", t)?,
                None if session || spec.ac_key == AcKeyMethod::IccMasterKey => [0; 2],
                None => {
                    return Err(CliError::usage(
                        "missing required option --atc (with --data)",
                    ));
                }
            };
            let un = match args.un.as_deref() {
                Some(t) => Some(fixed::<4>("--un", t)?),
                None if !session && spec.ac_key == AcKeyMethod::MastercardSkd => {
                    return Err(CliError::usage(
                        "missing required option --un (the Mastercard SKD needs it)",
                    ));
                }
                None => None,
            };
            let input = AcInput::raw(&data, atc, un).map_err(|e| emv_error_at("--data", e))?;
            (profile, input)
        }
        _ => {
            return Err(CliError::usage(
                "exactly one of --tlv and --data is required",
            ));
        }
    };
    let source = args.key.resolve::<Ac>(profile.spec().icc, inputs)?;
    Ok(Prepared {
        profile,
        input,
        source,
    })
}

fn ac_key(p: &Prepared) -> CliResult<AcSessionKey> {
    match &p.source {
        Source::Icc(mk) => ac_session_key(p.profile.spec().ac_key, mk, p.input.atc(), p.input.un())
            .map_err(emv_error),
        Source::Session(k) => AcSessionKey::from_bytes(k.expose_bytes()).map_err(emv_error),
    }
}

fn arqc_generate(args: &ArqcArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let p = prepare_arqc(args, inputs)?;
    let sk = ac_key(&p)?;
    let ac = generate_ac(&sk, p.profile.spec().padding, p.input.as_bytes()).map_err(emv_error)?;
    let mut out = Output::new();
    out.primary("arqc", encode_upper(&ac.0));
    out.field("profile", p.profile.name());
    out.field("data", encode_upper(p.input.as_bytes()));
    Ok(out)
}

/// The ARPC response from --arc / --csu / --pad for `method`.
fn response<'a>(
    r: &ResponseArgs,
    method: ArpcMethod,
    pad_buf: &'a mut Vec<u8>,
) -> CliResult<Option<ArpcResponse<'a>>> {
    match (method, &r.arc, &r.csu) {
        (_, None, None) => Ok(None),
        (ArpcMethod::Method1, Some(arc), None) => Ok(Some(ArpcResponse::Method1 {
            arc: fixed::<2>("--arc", arc)?,
        })),
        (ArpcMethod::Method2, None, Some(csu)) => {
            let csu = fixed::<4>("--csu", csu)?;
            *pad_buf = r
                .pad
                .as_deref()
                .map(|t| hex_bytes("--pad", t))
                .transpose()?
                .unwrap_or_default();
            if pad_buf.len() > 8 {
                return Err(CliError::usage(format!(
                    "--pad: must be 0 to 8 bytes, got {}",
                    pad_buf.len()
                )));
            }
            Ok(Some(ArpcResponse::Method2 { csu, pad: pad_buf }))
        }
        (ArpcMethod::Method1, _, Some(_)) => {
            Err(CliError::usage("--csu/--pad: ARPC method 1 takes --arc"))
        }
        (ArpcMethod::Method2, Some(_), _) => {
            Err(CliError::usage("--arc: ARPC method 2 takes --csu [--pad]"))
        }
    }
}

const fn method_number(m: ArpcMethod) -> u8 {
    match m {
        ArpcMethod::Method1 => 1,
        ArpcMethod::Method2 => 2,
    }
}

fn arqc_verify(args: &ArqcVerifyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let arqc = fixed::<8>("--arqc", &args.arqc)?;
    let p = prepare_arqc(&args.base, inputs)?;
    let spec = p.profile.spec();
    let mut pad = Vec::new();
    let resp = response(&args.response, spec.arpc, &mut pad)?;
    let verified = match &p.source {
        Source::Icc(mk) => {
            verify_arqc(&p.profile.ac_params(), mk, &p.input, &arqc).map_err(emv_error)?
        }
        Source::Session(k) => {
            if resp.is_some()
                && spec.arpc_key == ArpcKeyChoice::IccMasterKey
                && spec.ac_key != AcKeyMethod::IccMasterKey
            {
                return Err(CliError::usage(
                    "--session-key: this profile's ARPC key is the ICC master key; give --mk or --imk",
                ));
            }
            let sk = AcSessionKey::from_bytes(k.expose_bytes()).map_err(emv_error)?;
            verify_arqc_with_session_key(&sk, spec.padding, p.input.as_bytes(), &arqc, spec.arpc)
                .map_err(emv_error)?
        }
    };
    let mut out = Output::new();
    out.field("verified", true);
    out.field("profile", p.profile.name());
    match resp {
        Some(r) => {
            let arpc = verified.arpc(&r).map_err(emv_error)?;
            out.primary("arpc", encode_upper(arpc.arpc()));
        }
        None => {
            out.line("OK");
        }
    }
    Ok(out)
}

fn arpc(args: &ArpcArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let arqc = fixed::<8>("--arqc", &args.arqc)?;
    let (key, method, profile) = if args.key.is_session() {
        refuse(
            "--profile",
            args.profile.is_some(),
            "not with --session-key",
        )?;
        let method = match args.method {
            Some(1) => ArpcMethod::Method1,
            Some(_) => ArpcMethod::Method2,
            None => {
                return Err(CliError::usage(
                    "missing required option --method (with --session-key)",
                ));
            }
        };
        let Source::Session(k) = args.key.resolve::<Ac>(IccDerivation::OptionA, inputs)? else {
            return Err(CliError::usage("--session-key: no key"));
        };
        (
            ArpcKey::from_bytes(k.expose_bytes()).map_err(emv_error)?,
            method,
            None,
        )
    } else {
        let profile = args
            .profile
            .ok_or_else(|| CliError::usage("missing required option --profile (or --session-key)"))?
            .fixed()?;
        let spec = profile.spec();
        let method = match args.method {
            Some(1) => ArpcMethod::Method1,
            Some(_) => ArpcMethod::Method2,
            None => spec.arpc,
        };
        let atc = args
            .atc
            .as_deref()
            .map(|t| fixed::<2>("--atc", t))
            .transpose()?;
        let un = args
            .un
            .as_deref()
            .map(|t| fixed::<4>("--un", t))
            .transpose()?;
        let Source::Icc(mk) = args.key.resolve::<Ac>(spec.icc, inputs)? else {
            return Err(CliError::usage("--session-key: not with --profile"));
        };
        let atc = match (spec.arpc_key, atc) {
            (ArpcKeyChoice::AcSessionKey, None) => {
                return Err(CliError::usage(
                    "missing required option --atc (this profile's ARPC key is the AC session key)",
                ));
            }
            (_, a) => a.unwrap_or([0; 2]),
        };
        let key = hazmat::arpc_key(spec.arpc_key, spec.ac_key, &mk, atc, un).map_err(emv_error)?;
        (key, method, Some(profile))
    };
    let mut pad = Vec::new();
    let resp = response(&args.response, method, &mut pad)?.ok_or_else(|| {
        CliError::usage("one of --arc (method 1) or --csu (method 2) is required")
    })?;
    let a = hazmat::arpc_unverified(&key, arqc, &resp).map_err(emv_error)?;
    let mut out = Output::new();
    out.primary("arpc", encode_upper(a.arpc()));
    out.field("method", method_number(method));
    if let Some(p) = profile {
        out.field("profile", p.name());
    }
    Ok(out)
}

// --- secure messaging ---------------------------------------------------------------------

fn script_mac(args: &ScriptMacArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let header = fixed::<5>("--header", &args.header)?;
    let atc = fixed::<2>("--atc", &args.atc)?;
    let arqc = fixed::<8>("--arqc", &args.arqc)?;
    let data = args
        .data
        .as_deref()
        .map(|t| hex_bytes("--data", t))
        .transpose()?
        .unwrap_or_default();
    let len = usize::from(args.length.unwrap_or(8));
    let key = if args.key.is_session() {
        refuse(
            "--profile",
            args.profile.is_some(),
            "not with --session-key",
        )?;
        let Source::Session(k) = args
            .key
            .resolve::<paycrypt_emv::Smi>(IccDerivation::OptionA, inputs)?
        else {
            return Err(CliError::usage("--session-key: no key"));
        };
        SmiSessionKey::from_bytes(k.expose_bytes()).map_err(emv_error)?
    } else {
        let profile = args
            .profile
            .ok_or_else(|| CliError::usage("missing required option --profile (or --session-key)"))?
            .fixed()?;
        let spec = profile.spec();
        let Source::Icc(mk) = args.key.resolve::<paycrypt_emv::Smi>(spec.icc, inputs)? else {
            return Err(CliError::usage("--session-key: not with --profile"));
        };
        smi_session_key(spec.sm_key, &mk, atc, arqc)
    };
    let mac = command_mac(&key, header, atc, arqc, &data, len).map_err(emv_error)?;
    let mut out = Output::new();
    out.primary("mac", encode_upper(mac.as_bytes()));
    out.field("length", len);
    Ok(out)
}

fn script_encrypt(args: &ScriptEncryptArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let data = hex_bytes("--data", &args.data)?;
    let (key, mode) = if args.key.is_session() {
        refuse(
            "--profile",
            args.profile.is_some(),
            "not with --session-key",
        )?;
        let mode = args
            .mode
            .ok_or_else(|| CliError::usage("missing required option --mode (with --session-key)"))?
            .mode();
        let Source::Session(k) = args
            .key
            .resolve::<paycrypt_emv::Smc>(IccDerivation::OptionA, inputs)?
        else {
            return Err(CliError::usage("--session-key: no key"));
        };
        (
            SmcSessionKey::from_bytes(k.expose_bytes()).map_err(emv_error)?,
            mode,
        )
    } else {
        let profile = args
            .profile
            .ok_or_else(|| CliError::usage("missing required option --profile (or --session-key)"))?
            .fixed()?;
        let spec = profile.spec();
        let atc = fixed::<2>(
            "--atc",
            need("--atc", args.atc.as_deref(), "with --profile")?,
        )?;
        let arqc = fixed::<8>(
            "--arqc",
            need("--arqc", args.arqc.as_deref(), "with --profile")?,
        )?;
        let Source::Icc(mk) = args.key.resolve::<paycrypt_emv::Smc>(spec.icc, inputs)? else {
            return Err(CliError::usage("--session-key: not with --profile"));
        };
        let mode = args.mode.map_or(spec.sm_encryption, ModeArg::mode);
        (smc_session_key(spec.sm_key, &mk, atc, arqc), mode)
    };
    let ct = encrypt_command_data(&key, mode, &data).map_err(|e| emv_error_at("--data", e))?;
    let mut out = Output::new();
    out.primary("ciphertext", encode_upper(ct.as_bytes()));
    out.field("mode", mode.name());
    Ok(out)
}

fn pin_arg(option: &str, text: &str) -> CliResult<Pin> {
    Pin::new(text).map_err(|e| CliError::usage(format!("{option}: {e}")))
}

fn pin_change(args: &PinChangeArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let profile = args.profile.fixed()?;
    let spec = profile.spec();
    let atc = fixed::<2>("--atc", &args.atc)?;
    let arqc = fixed::<8>("--arqc", &args.arqc)?;
    let pin = pin_arg("--pin", &args.pin)?;
    let current = args
        .current_pin
        .as_deref()
        .map(|t| pin_arg("--current-pin", t))
        .transpose()?;
    if current.is_some() && spec.scheme == paycrypt_emv::Scheme::Mastercard {
        return Err(CliError::usage("--current-pin: only for Visa profiles"));
    }
    let imk = [&args.imk_ac, &args.imk_smi, &args.imk_smc];
    let mk = [&args.mk_ac, &args.mk_smi, &args.mk_smc];
    let any_imk = imk.iter().any(|o| o.is_some());
    let any_mk = mk.iter().any(|o| o.is_some());
    let (ac, smi, smc) = match (any_imk, any_mk) {
        (true, false) => {
            let all = |o: &Option<String>, n: &str| {
                o.clone()
                    .ok_or_else(|| CliError::usage(format!("missing required option {n}")))
            };
            let (a, i, c) = (
                all(&args.imk_ac, "--imk-ac")?,
                all(&args.imk_smi, "--imk-smi")?,
                all(&args.imk_smc, "--imk-smc")?,
            );
            let pan = pan(need("--pan", args.pan.as_deref(), "with --imk-*")?)?;
            let psn = psn(args.psn.as_deref())?;
            let d = |o: &str, t: &str, inputs: &mut Inputs| key16(o, t, inputs);
            let ka = IssuerMasterKey::<Ac>::from_bytes(d("--imk-ac", &a, inputs)?.expose_bytes())
                .map_err(emv_error)?;
            let ki = IssuerMasterKey::<paycrypt_emv::Smi>::from_bytes(
                d("--imk-smi", &i, inputs)?.expose_bytes(),
            )
            .map_err(emv_error)?;
            let kc = IssuerMasterKey::<paycrypt_emv::Smc>::from_bytes(
                d("--imk-smc", &c, inputs)?.expose_bytes(),
            )
            .map_err(emv_error)?;
            (
                ka.derive_icc(&pan, psn, spec.icc),
                ki.derive_icc(&pan, psn, spec.icc),
                kc.derive_icc(&pan, psn, spec.icc),
            )
        }
        (false, true) => {
            refuse("--pan", args.pan.is_some(), "only with --imk-*")?;
            refuse("--psn", args.psn.is_some(), "only with --imk-*")?;
            let all = |o: &Option<String>, n: &str| {
                o.clone()
                    .ok_or_else(|| CliError::usage(format!("missing required option {n}")))
            };
            let (a, i, c) = (
                all(&args.mk_ac, "--mk-ac")?,
                all(&args.mk_smi, "--mk-smi")?,
                all(&args.mk_smc, "--mk-smc")?,
            );
            (
                IccMasterKey::<Ac>::from_bytes(key16("--mk-ac", &a, inputs)?.expose_bytes())
                    .map_err(emv_error)?,
                IccMasterKey::from_bytes(key16("--mk-smi", &i, inputs)?.expose_bytes())
                    .map_err(emv_error)?,
                IccMasterKey::from_bytes(key16("--mk-smc", &c, inputs)?.expose_bytes())
                    .map_err(emv_error)?,
            )
        }
        _ => {
            return Err(CliError::usage(
                "give either --imk-ac/--imk-smi/--imk-smc with --pan, or --mk-ac/--mk-smi/--mk-smc",
            ));
        }
    };
    let keys = CardMasterKeys {
        ac: &ac,
        smi: &smi,
        smc: &smc,
    };
    let cmd =
        pin_change_command(profile, &keys, &pin, current.as_ref(), atc, arqc).map_err(emv_error)?;
    let mut apdu = [0u8; 64];
    let n = cmd.write_apdu(&mut apdu).map_err(emv_error)?;
    let mut out = Output::new();
    out.primary("command", encode_upper(apdu.get(..n).unwrap_or(&[])));
    out.field("header", encode_upper(&cmd.header()));
    out.field(
        "encrypted_pin_block",
        encode_upper(cmd.encrypted_pin_block()),
    );
    out.field("mac", encode_upper(cmd.mac()));
    Ok(out)
}
