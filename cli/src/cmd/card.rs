//! `paycrypt card ...` over `paycrypt-cvv`: CVV / CVV2 / iCVV, CAVV (CVV-based), Visa dCVV
//! (jPOS / payShield profile), Mastercard CVC3. The crate classifies its errors
//! (`ErrorClass::Malformed` → exit 2, `Rejected` → exit 1); a failed verification is one
//! message that never shows the computed value.

use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use paycrypt_cvv::{
    Atc, CardCode, CardKey, CardKeySource, CavvData, CavvProfile, Cvk, CvvData, CvvLength,
    DcvvProfile, Error as CvvError, Expiry4, IccDerivation, ImkRole, IssuerMasterKey, Ivcvc3, Pan,
    Psn, ServiceCode, UnpredictableNumber, generate_cvc3, generate_dcvv, verify_cvc3, verify_dcvv,
};
use paycrypt_primitives::hex::encode_upper;

/// The one message of every failed verification (exit 1).
pub const VERIFY_FAILED: &str = "verification failed";

/// Card verification codes.
#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// CVV / CVV2 / iCVV (also Mastercard CVC1 / CVC2 / Chip CVC, JCB CAV / CAV2).
    #[command(subcommand)]
    Cvv(CvvCommand),
    /// CAVV, CVV-based (3-D Secure cavvAlgorithm 1/2, AWS "CAVV V7"): the CVV algorithm over
    /// PAN, UN, authentication results code and second-factor code.
    #[command(subcommand)]
    Cavv(CavvCommand),
    /// Visa dCVV (contactless MSD), jPOS / payShield profile, under the MK-AC card key.
    #[command(subcommand)]
    Dcvv(DcvvCommand),
    /// Mastercard CVC3 (PayPass mag-stripe), under the MK-CVC3 card key.
    #[command(subcommand)]
    Cvc3(Cvc3Command),
}

/// `card cvv`.
#[derive(Debug, Subcommand)]
pub enum CvvCommand {
    /// Generates a CVV (3-5 digits).
    #[command(
        after_help = "Examples:\n  paycrypt card cvv generate --kind cvv --key @cvk.hex --pan 4123456789012345 --expiry 8701 --service-code 101\n  paycrypt card cvv generate --kind cvv2 --key @cvk.hex --pan 4123456789012345 --expiry 8701 --length 4"
    )]
    Generate(CvvGenerateArgs),
    /// Verifies a CVV (exit 0 OK, 1 when it does not match).
    #[command(
        after_help = "Example:\n  paycrypt card cvv verify --kind cvv2 --key @cvk.hex --pan 4123456789012345 --expiry 8701 --value 123"
    )]
    Verify(CvvVerifyArgs),
}

/// Which member of the CVV family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// CVV1 / CVC1 / CAV: the track's service code (needs --service-code).
    Cvv,
    /// CVV2 / CVC2 / CAV2: service code 000.
    Cvv2,
    /// iCVV / Chip CVC: service code 999.
    Icvv,
}

/// The card data of a CVV.
#[derive(Debug, Args)]
pub struct CvvDataArgs {
    /// cvv (needs --service-code), cvv2 (service code 000) or icvv (999).
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// The CVK, CVK A || CVK B: 16 bytes (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub key: String,
    /// The PAN, 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pan: String,
    /// The expiry, 4 digits used in the order given (YYMM is the track order).
    #[arg(long, value_name = "YYMM")]
    pub expiry: String,
    /// The service code, 3 digits (--kind cvv only).
    #[arg(long, value_name = "SSS")]
    pub service_code: Option<String>,
}

/// `card cvv generate`.
#[derive(Debug, Args)]
pub struct CvvGenerateArgs {
    #[command(flatten)]
    pub data: CvvDataArgs,
    /// Number of digits, 3-5.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub length: u8,
}

/// `card cvv verify`.
#[derive(Debug, Args)]
pub struct CvvVerifyArgs {
    #[command(flatten)]
    pub data: CvvDataArgs,
    /// The presented code, 3-5 digits (as many are compared).
    #[arg(long, value_name = "DIGITS")]
    pub value: String,
}

/// `card cavv`.
#[derive(Debug, Subcommand)]
pub enum CavvCommand {
    /// Generates a 3-digit CAVV value.
    #[command(
        after_help = "Example:\n  paycrypt card cavv generate --key @cvk.hex --pan 4123456789012345 --un 1234 --auth-result 0 --second-factor 01"
    )]
    Generate(CavvArgs),
    /// Verifies a 3-digit CAVV value.
    #[command(
        after_help = "Example:\n  paycrypt card cavv verify --key @cvk.hex --pan 4123456789012345 --un 1234 --auth-result 0 --second-factor 01 --value 123"
    )]
    Verify(CavvVerifyArgs),
}

/// The CAVV inputs.
#[derive(Debug, Args)]
pub struct CavvArgs {
    /// The CVK: 16 bytes (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub key: String,
    /// The PAN, 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pan: String,
    /// The unpredictable number: 4 digits (in "CVV with ATN", the ATN's 4 least significant digits).
    #[arg(long, value_name = "DDDD")]
    pub un: String,
    /// The authentication results code, 1 digit.
    #[arg(long, value_name = "D")]
    pub auth_result: String,
    /// The second-factor authentication code, 2 digits.
    #[arg(long, value_name = "DD")]
    pub second_factor: String,
}

/// `card cavv verify`.
#[derive(Debug, Args)]
pub struct CavvVerifyArgs {
    #[command(flatten)]
    pub cavv: CavvArgs,
    /// The presented value, 3 digits.
    #[arg(long, value_name = "DDD")]
    pub value: String,
}

/// Option A or B (EMV Book 2 A1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Derivation {
    /// Option A.
    A,
    /// Option B (= Option A for PANs of 16 digits or fewer).
    B,
}

/// Where the card key comes from.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("cardkey").required(true).args(["imk", "card_key"])))]
pub struct CardKeyArgs {
    /// The issuer master key, 16 bytes (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub imk: Option<String>,
    /// Card key derivation, EMV Option a or b (with --imk; default a).
    #[arg(long, value_enum, requires = "imk", conflicts_with = "card_key")]
    pub derivation: Option<Derivation>,
    /// PAN sequence number, 2 digits (with --imk; default 00).
    #[arg(long, value_name = "NN", requires = "imk", conflicts_with = "card_key")]
    pub psn: Option<String>,
    /// The card (ICC master) key, 16 bytes (hex; or @FILE to read it from a file, or - to read it from stdin).
    #[arg(long, value_name = "HEX")]
    pub card_key: Option<String>,
}

/// `card dcvv`.
#[derive(Debug, Subcommand)]
pub enum DcvvCommand {
    /// Generates a 3-digit dCVV.
    #[command(
        after_help = "Example:\n  paycrypt card dcvv generate --imk @mkac.hex --pan 4123456789012345 --expiry 8701 --service-code 101 --atc 0001"
    )]
    Generate(DcvvArgs),
    /// Verifies a 3-digit dCVV.
    #[command(
        after_help = "Example:\n  paycrypt card dcvv verify --card-key @icc.hex --pan 4123456789012345 --expiry 8701 --service-code 101 --atc 0001 --value 123"
    )]
    Verify(DcvvVerifyArgs),
}

/// The dCVV inputs.
#[derive(Debug, Args)]
pub struct DcvvArgs {
    #[command(flatten)]
    pub key: CardKeyArgs,
    /// The PAN, 12-19 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pan: String,
    /// The expiry, 4 digits used in the order given (YYMM is the track order).
    #[arg(long, value_name = "YYMM")]
    pub expiry: String,
    /// The service code, 3 digits.
    #[arg(long, value_name = "SSS")]
    pub service_code: String,
    /// The application transaction counter, 2 bytes (4 hex).
    #[arg(long, value_name = "HHHH")]
    pub atc: String,
}

/// `card dcvv verify`.
#[derive(Debug, Args)]
pub struct DcvvVerifyArgs {
    #[command(flatten)]
    pub dcvv: DcvvArgs,
    /// The presented dCVV, 3 digits.
    #[arg(long, value_name = "DDD")]
    pub value: String,
}

/// `card cvc3`.
#[derive(Debug, Subcommand)]
pub enum Cvc3Command {
    /// Generates the 5-digit CVC3 (leading zeros kept) and prints the IVCVC3.
    #[command(
        after_help = "Example:\n  paycrypt card cvc3 generate --imk @mkcvc3.hex --pan 5123456789012345 --track 5123456789012345D35121010000000000000F --un 00000899 --atc 005E"
    )]
    Generate(Cvc3Args),
    /// Verifies a 3-5 digit CVC3 against the rightmost digits.
    #[command(
        after_help = "Example:\n  paycrypt card cvc3 verify --card-key @icc.hex --ivcvc3 1A2B --un 00000899 --atc 005E --value 488"
    )]
    Verify(Cvc3VerifyArgs),
}

/// The CVC3 inputs.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("iv").required(true).args(["track", "ivcvc3"])))]
pub struct Cvc3Args {
    #[command(flatten)]
    pub key: CardKeyArgs,
    /// The PAN, 12-19 digits (needed with --imk).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Track data, 1-79 bytes hex (track 2 BCD F-padded, or track 1 ASCII): the IVCVC3 is computed from it.
    #[arg(long, value_name = "HEX")]
    pub track: Option<String>,
    /// The IVCVC3, 2 bytes (4 hex).
    #[arg(long, value_name = "HHHH")]
    pub ivcvc3: Option<String>,
    /// The unpredictable number, 4 bytes (8 hex).
    #[arg(long, value_name = "HEX8")]
    pub un: String,
    /// The application transaction counter, 2 bytes (4 hex).
    #[arg(long, value_name = "HHHH")]
    pub atc: String,
}

/// `card cvc3 verify`.
#[derive(Debug, Args)]
pub struct Cvc3VerifyArgs {
    #[command(flatten)]
    pub cvc3: Cvc3Args,
    /// The presented CVC3, 3-5 digits (compared with the rightmost digits).
    #[arg(long, value_name = "DIGITS")]
    pub value: String,
}

/// Runs a `card` subcommand.
pub fn run(command: CardCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        CardCommand::Cvv(CvvCommand::Generate(a)) => cvv_generate(&a, inputs),
        CardCommand::Cvv(CvvCommand::Verify(a)) => cvv_verify(&a, inputs),
        CardCommand::Cavv(CavvCommand::Generate(a)) => {
            let (cvk, data) = cavv_inputs(&a, inputs)?;
            Ok(value(&data.generate(&cvk)))
        }
        CardCommand::Cavv(CavvCommand::Verify(a)) => {
            let (cvk, data) = cavv_inputs(&a.cavv, inputs)?;
            verified(data.verify(&cvk, &a.value))
        }
        CardCommand::Dcvv(DcvvCommand::Generate(a)) => dcvv(&a, None, inputs),
        CardCommand::Dcvv(DcvvCommand::Verify(a)) => dcvv(&a.dcvv, Some(&a.value), inputs),
        CardCommand::Cvc3(Cvc3Command::Generate(a)) => cvc3(&a, None, inputs),
        CardCommand::Cvc3(Cvc3Command::Verify(a)) => cvc3(&a.cvc3, Some(&a.value), inputs),
    }
}

/// Maps a card-code error: the option it concerns, exit by class; a mismatch is the one
/// message.
fn cvv_error(e: CvvError, key_option: &str) -> CliError {
    let option = match e {
        CvvError::VerificationFailed => return CliError::check(VERIFY_FAILED),
        CvvError::Pan => "--pan",
        CvvError::Expiry => "--expiry",
        CvvError::ServiceCode => "--service-code",
        CvvError::Length => "--length",
        CvvError::Value => "--value",
        CvvError::KeyLength | CvvError::KeyRole => key_option,
        CvvError::Atc => "--atc",
        CvvError::UnpredictableNumber => "--un",
        CvvError::Psn => "--psn",
        CvvError::Track => "--track",
        CvvError::Ivcvc3 => "--ivcvc3",
        CvvError::AuthResult => "--auth-result",
        CvvError::SecondFactor => "--second-factor",
        _ => "error",
    };
    CliError::classified(e.class(), format!("{option}: {e}"))
}

/// A PAN of 12–19 digits.
pub fn card_pan(text: &str) -> CliResult<Pan> {
    let pan = Pan::new(text).map_err(|_| cvv_error(CvvError::Pan, "--pan"))?;
    if (paycrypt_cvv::PAN_MIN..=paycrypt_cvv::PAN_MAX).contains(&pan.len()) {
        Ok(pan)
    } else {
        Err(cvv_error(CvvError::Pan, "--pan"))
    }
}

fn expiry(text: &str) -> CliResult<Expiry4> {
    Expiry4::new(text).map_err(|e| cvv_error(e, ""))
}

fn service_code(text: &str) -> CliResult<ServiceCode> {
    ServiceCode::new(text).map_err(|e| cvv_error(e, ""))
}

fn key16(option: &str, text: &str, inputs: &mut Inputs) -> CliResult<zeroize::Zeroizing<Vec<u8>>> {
    let bytes = inputs.secret_hex(option, text)?;
    if bytes.len() != 16 {
        return Err(CliError::usage(format!(
            "{option}: the key must be 16 bytes (32 hex digits), not {}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn fixed_hex<const N: usize>(option: &str, text: &str, what: &str) -> CliResult<[u8; N]> {
    let b = hex_bytes(option, text)?;
    <[u8; N]>::try_from(b.as_slice()).map_err(|_| {
        CliError::usage(format!(
            "{option}: {what} is {N} bytes ({} hex digits)",
            2 * N
        ))
    })
}

fn value(code: &CardCode) -> Output {
    let mut out = Output::new();
    out.primary("value", code.as_str());
    out
}

/// `OK` / `{"result": "OK", "verified": true}`, or the one failure.
pub fn verified<E>(r: Result<(), E>) -> CliResult<Output>
where
    CliError: From<E>,
{
    r.map_err(CliError::from)?;
    let mut out = Output::new();
    out.primary("result", "OK");
    out.field("verified", true);
    Ok(out)
}

impl From<CvvError> for CliError {
    fn from(e: CvvError) -> Self {
        cvv_error(e, "--key")
    }
}

fn cvv_inputs(a: &CvvDataArgs, inputs: &mut Inputs) -> CliResult<(Cvk, CvvData)> {
    let pan = card_pan(&a.pan)?;
    let exp = expiry(&a.expiry)?;
    let data = match (a.kind, a.service_code.as_deref()) {
        (Kind::Cvv, Some(sc)) => CvvData::cvv(&pan, &exp, &service_code(sc)?),
        (Kind::Cvv, None) => {
            return Err(CliError::usage(
                "--service-code: --kind cvv needs the track's service code",
            ));
        }
        (Kind::Cvv2 | Kind::Icvv, Some(_)) => {
            return Err(CliError::usage(
                "--service-code: --kind cvv2 (000) and icvv (999) fix the service code; it cannot be given",
            ));
        }
        (Kind::Cvv2, None) => CvvData::cvv2(&pan, &exp),
        (Kind::Icvv, None) => CvvData::icvv(&pan, &exp),
    }
    .map_err(|e| cvv_error(e, "--key"))?;
    let key = key16("--key", &a.key, inputs)?;
    let cvk = Cvk::from_bytes(&key).map_err(|e| cvv_error(e, "--key"))?;
    Ok((cvk, data))
}

fn cvv_generate(a: &CvvGenerateArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let length = CvvLength::new(a.length).map_err(|e| cvv_error(e, ""))?;
    let (cvk, data) = cvv_inputs(&a.data, inputs)?;
    let code = data.generate(&cvk, length);
    let mut out = value(&code);
    out.field("kind", data.kind().name());
    out.field("length", length.get());
    Ok(out)
}

fn cvv_verify(a: &CvvVerifyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let (cvk, data) = cvv_inputs(&a.data, inputs)?;
    verified(data.verify(&cvk, &a.value))
}

fn cavv_inputs(a: &CavvArgs, inputs: &mut Inputs) -> CliResult<(Cvk, CavvData)> {
    let pan = card_pan(&a.pan)?;
    let data = CavvData::new(
        CavvProfile::CvvAtnV7,
        &pan,
        &a.un,
        &a.auth_result,
        &a.second_factor,
    )
    .map_err(|e| match e {
        CvvError::UnpredictableNumber => CliError::usage("--un: the UN is 4 decimal digits"),
        other => cvv_error(other, "--key"),
    })?;
    let key = key16("--key", &a.key, inputs)?;
    let cvk = Cvk::from_bytes(&key).map_err(|e| cvv_error(e, "--key"))?;
    Ok((cvk, data))
}

fn psn(text: Option<&str>) -> CliResult<Psn> {
    match text {
        None => Ok(Psn::default()),
        Some(t) if t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit()) => t
            .parse::<u8>()
            .ok()
            .and_then(|v| Psn::new(v).ok())
            .ok_or_else(|| cvv_error(CvvError::Psn, "")),
        Some(_) => Err(cvv_error(CvvError::Psn, "")),
    }
}

/// The card key of `role`: derived from `--imk` (needs the PAN) or given as `--card-key`.
fn card_key(
    a: &CardKeyArgs,
    role: ImkRole,
    pan: Option<&Pan>,
    inputs: &mut Inputs,
) -> CliResult<CardKey> {
    match (&a.imk, &a.card_key) {
        (Some(imk), None) => {
            let pan = pan.ok_or_else(|| {
                CliError::usage(
                    "missing required option --pan (needed to derive the card key from --imk)",
                )
            })?;
            let psn = psn(a.psn.as_deref())?;
            let key = key16("--imk", imk, inputs)?;
            let imk = IssuerMasterKey::from_bytes(role, &key).map_err(|e| cvv_error(e, "--imk"))?;
            let method = match a.derivation {
                Some(Derivation::B) => IccDerivation::OptionB,
                Some(Derivation::A) | None => IccDerivation::OptionA,
            };
            CardKeySource::Derived {
                imk: &imk,
                pan,
                psn,
                method,
            }
            .card_key()
            .map_err(|e| cvv_error(e, "--imk"))
        }
        (None, Some(ck)) => {
            let key = key16("--card-key", ck, inputs)?;
            CardKey::from_bytes(role, &key).map_err(|e| cvv_error(e, "--card-key"))
        }
        _ => Err(CliError::usage(
            "exactly one of --imk and --card-key is required",
        )),
    }
}

fn dcvv(a: &DcvvArgs, presented: Option<&str>, inputs: &mut Inputs) -> CliResult<Output> {
    let pan = card_pan(&a.pan)?;
    let exp = expiry(&a.expiry)?;
    let sc = service_code(&a.service_code)?;
    let atc = Atc::new(fixed_hex::<2>("--atc", &a.atc, "the ATC")?);
    let key = card_key(&a.key, ImkRole::Ac, Some(&pan), inputs)?;
    let src = CardKeySource::Direct(&key);
    let p = DcvvProfile::JposPayShield;
    match presented {
        None => {
            let code = generate_dcvv(&src, p, &pan, &exp, &sc, atc).map_err(CliError::from)?;
            Ok(value(&code))
        }
        Some(v) => verified(verify_dcvv(&src, p, &pan, &exp, &sc, atc, v)),
    }
}

fn cvc3(a: &Cvc3Args, presented: Option<&str>, inputs: &mut Inputs) -> CliResult<Output> {
    let pan = a.pan.as_deref().map(card_pan).transpose()?;
    let un = UnpredictableNumber::new(fixed_hex::<4>("--un", &a.un, "the UN")?);
    let atc = Atc::new(fixed_hex::<2>("--atc", &a.atc, "the ATC")?);
    let track = a
        .track
        .as_deref()
        .map(|t| {
            let b = hex_bytes("--track", t)?;
            if b.is_empty() || b.len() > paycrypt_cvv::TRACK_MAX {
                Err(cvv_error(CvvError::Track, ""))
            } else {
                Ok(b)
            }
        })
        .transpose()?;
    let given_iv = a
        .ivcvc3
        .as_deref()
        .map(|t| fixed_hex::<2>("--ivcvc3", t, "the IVCVC3"))
        .transpose()?;
    let key = card_key(&a.key, ImkRole::Cvc3, pan.as_ref(), inputs)?;
    let iv = match (track, given_iv) {
        (Some(t), None) => Ivcvc3::from_track(&key, &t).map_err(CliError::from)?,
        (None, Some(iv)) => Ivcvc3::new(iv),
        _ => {
            return Err(CliError::usage(
                "exactly one of --track and --ivcvc3 is required",
            ));
        }
    };
    match presented {
        None => {
            let code = generate_cvc3(&key, iv, un, atc).map_err(CliError::from)?;
            let mut out = value(&code);
            out.field("ivcvc3", encode_upper(&iv.bytes()));
            Ok(out)
        }
        Some(v) => verified(verify_cvc3(&key, iv, un, atc, v)),
    }
}
