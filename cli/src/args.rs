//! The command-line grammar (clap derive). Help texts are part of the contract: every command
//! shows an example, and every secret option says it may be `@FILE` or `-`. Secret values are
//! [`SecretArg`] (zeroized, `Debug` redacted); see the rules in `input.rs`.

use crate::input::SecretArg;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use paycrypt_dukpt::aes;

/// Help suffix for every option that takes a secret.
macro_rules! secret_help {
    ($what:literal) => {
        concat!(
            $what,
            " (hex; or @FILE to read it from a file, or - to read it from stdin)"
        )
    };
}

/// Payment cryptography on the command line: DUKPT, key blocks, TR-34, PIN blocks, MACs.
///
/// Hex input is case-insensitive; hex output is upper-case. Every secret (--key, --bdk, --ik,
/// --kbpk, --from-key, --to-key) may be given as HEX, as @FILE (one trailing newline is
/// removed) or as - (read from stdin; only one option may read stdin). A secret read from a file
/// or stdin has at most 4 KiB; a certificate, token, key file or CRL at most 64 KiB. No error
/// message repeats a secret's value.
#[derive(Debug, Parser)]
#[command(
    name = "paycrypt",
    version,
    disable_help_subcommand = true,
    after_help = "Exit codes: 0 success; 1 a cryptographic or policy check failed; 2 malformed input or usage.\n\
On failure stdout is empty and stderr holds one line starting with 'error: '.\n\n\
Example:\n  paycrypt dukpt derive --bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00001 --usage pin"
)]
pub struct Cli {
    /// Print one JSON object instead of plain lines (fields documented in the README).
    #[arg(long, global = true)]
    pub json: bool,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// DUKPT key derivation (TDES X9.24-1:2009, AES X9.24-3:2017).
    #[command(subcommand)]
    Dukpt(DukptCommand),
    /// TR-31 / X9.143 / ISO 20038 key blocks.
    #[command(subcommand)]
    Keyblock(KeyblockCommand),
    /// ISO 9564-1 PIN blocks, formats 0 to 4.
    #[command(subcommand)]
    Pin(PinCommand),
    /// Card verification codes: CVV / CVV2 / iCVV, CAVV, Visa dCVV, Mastercard CVC3.
    #[command(subcommand)]
    Card(crate::cmd::card::CardCommand),
    /// ISO 9797-1, CMAC and HMAC message authentication codes.
    #[command(subcommand)]
    Mac(MacCommand),
    /// Key check value of a key.
    #[command(
        after_help = "Examples:\n  paycrypt kcv --key 0123456789ABCDEFFEDCBA9876543210 --algorithm tdes\n  paycrypt kcv --key @hmac.hex --algorithm hmac-sha256 --method hmac"
    )]
    Kcv(KcvArgs),
    /// Raw block-cipher encryption and decryption (ECB, CBC; optional padding).
    #[command(subcommand)]
    Cipher(CipherCommand),
    /// TR-34 asymmetric key transport.
    #[command(subcommand)]
    Tr34(Tr34Command),
    /// EMV issuer cryptography: TLV, DOL, ICC and session keys, ARQC/ARPC, secure messaging.
    #[command(subcommand)]
    Emv(crate::cmd::emv::EmvCommand),
    /// PBOC / JR/T 0025 e-purse: key diversification, MAC, load, purchase.
    #[command(subcommand)]
    Pboc(crate::cmd::pboc::PbocCommand),
    /// Operations per second of the main algorithms, like `openssl speed`.
    #[command(
        after_help = "Benchmarks: dukpt-tdes, dukpt-tdes-ct, dukpt-aes-128, dukpt-aes-192, dukpt-aes-256,\n\
keyblock-{a,b,c,d,e}-{wrap,unwrap}, pin-0 .. pin-4, mac-iso9797-1-1, mac-iso9797-1-3, mac-cmac-tdes,\n\
mac-cmac-aes, mac-hmac-sha256. A NAME selects the benchmarks called NAME or starting with NAME-\n\
(dukpt, dukpt-aes, keyblock, keyblock-d, pin, mac, mac-cmac, ...); no NAME runs them all.\n\n\
Example:\n  paycrypt speed dukpt mac-cmac --seconds 0.5"
    )]
    Speed(SpeedArgs),
    /// Key generation, components and DES parity.
    #[command(subcommand)]
    Key(crate::cmd::key::KeyCommand),
    /// NIST SP 800-38F key wrap: AES KW, AES KWP, TDES TKW.
    #[command(subcommand)]
    Keywrap(crate::cmd::kex::KeywrapCommand),
    /// SP 800-56C one-step (concat) and ANSI X9.63 key derivation.
    #[command(subcommand)]
    Kdf(crate::cmd::kex::KdfCommand),
    /// ECDH-derived TR-31 KBPKs (AWS ImportDiffieHellmanTr31KeyBlock), P-256/P-384/P-521.
    #[command(subcommand)]
    Ecdh(crate::cmd::kex::EcdhCommand),
    /// RSA-OAEP key cryptograms (AWS ImportKeyCryptogram / ExportKeyCryptogram).
    #[command(subcommand)]
    Rsa(crate::cmd::kex::RsaCommand),
}

// ---------------------------------------------------------------------------------------------
// dukpt

/// DUKPT commands.
#[derive(Debug, Subcommand)]
pub enum DukptCommand {
    /// The initial key (IPEK) for a KSN: TDES for a 10-byte (or 8-byte) KSN, AES for 12 bytes.
    #[command(
        after_help = "Examples:\n  paycrypt dukpt initial-key --bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00000\n  paycrypt dukpt initial-key --bdk @bdk.hex --ksn FFFF9876543210E00000 --export-kbpk @kbpk.hex --json"
    )]
    InitialKey(InitialKeyArgs),
    /// A transaction, intermediate or working key for a KSN (host side; or from the initial key).
    #[command(
        after_help = "Examples:\n  paycrypt dukpt derive --bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00001 --usage pin\n  paycrypt dukpt derive --ik @ipek.hex --ksn FFFF9876543210E00001\n  paycrypt dukpt derive --bdk - --ksn 123456789012345600000001 --usage pin --key-type aes128 < bdk.hex\n  paycrypt dukpt derive --bdk @bdk.hex --ksn FFFF9876543210E00003 --usage pin --trace"
    )]
    Derive(DeriveArgs),
    /// The AES DUKPT update key for the KSN's initial key ID.
    #[command(
        after_help = "Example:\n  paycrypt dukpt update-key --bdk FEDCBA9876543210F1F1F1F1F1F1F1F1 --ksn 123456789012345600000001"
    )]
    UpdateKey(UpdateKeyArgs),
    /// The next KSN an originating device uses.
    #[command(after_help = "Example:\n  paycrypt dukpt next-ksn --ksn FFFF9876543210E00001")]
    NextKsn(NextKsnArgs),
    /// Derives one key per KSN read from stdin (one KSN per line).
    #[command(
        after_help = "Example:\n  printf 'FFFF9876543210E00001\\nFFFF9876543210E00002\\n' | paycrypt dukpt derive-batch --bdk @bdk.hex --usage pin"
    )]
    DeriveBatch(DeriveBatchArgs),
    /// PIN blocks under a DUKPT PIN key: encrypt, decrypt, translate.
    #[command(subcommand)]
    Pin(crate::cmd::dukpt_ops::DukptPinCommand),
    /// MACs under a DUKPT MAC key (TDES X9.19, AES CMAC / HMAC).
    #[command(subcommand)]
    Mac(crate::cmd::dukpt_ops::DukptMacCommand),
    /// Data encryption under a DUKPT data key.
    #[command(subcommand)]
    Data(crate::cmd::dukpt_ops::DukptDataCommand),
}

/// `dukpt initial-key`.
#[derive(Debug, Args)]
pub struct InitialKeyArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("Base derivation key"))]
    pub bdk: SecretArg,
    /// Key serial number (hex; 8 or 10 bytes TDES, 12 bytes AES).
    #[arg(long, value_name = "HEX")]
    pub ksn: String,
    #[arg(long, value_name = "HEX", help = secret_help!("Wrap the initial key in a key block under this KBPK (AWS ExportDukptInitialKey); the key itself is not printed"))]
    pub export_kbpk: Option<SecretArg>,
    /// Key block header for --export-kbpk (usage B1; default B0000B1TX00E0000 for TDES,
    /// D0000B1AX00E0000 for AES); the KS / IK block is added when missing.
    #[arg(long, value_name = "TEXT", requires = "export_kbpk")]
    pub export_header: Option<String>,
}

/// Working-key usage (TDES and AES names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Usage {
    /// PIN encryption (TDES and AES).
    Pin,
    /// TDES: request MAC key.
    MacRequest,
    /// TDES: response MAC key.
    MacResponse,
    /// TDES: request data key.
    DataRequest,
    /// TDES: response data key.
    DataResponse,
    /// AES: key encryption key.
    Kek,
    /// AES: MAC generation.
    MacGenerate,
    /// AES: MAC verification.
    MacVerify,
    /// AES: MAC generation and verification.
    MacBoth,
    /// AES: data encryption.
    DataEncrypt,
    /// AES: data decryption.
    DataDecrypt,
    /// AES: data encryption and decryption.
    DataBoth,
    /// AES: key derivation.
    KeyDerivation,
}

/// `--key-type` values: exactly the names `paycrypt-dukpt` gives its AES working-key types
/// (`tdes2`, `tdes3`, `aes128`, `aes192`, `aes256`, `hmac128`, `hmac192`, `hmac256`).
pub(crate) fn key_type_parser() -> impl TypedValueParser<Value = aes::KeyType> {
    PossibleValuesParser::new(aes::KeyType::ALL.map(aes::KeyType::name))
        .try_map(|name: String| aes::KeyType::from_name(&name).ok_or("unknown key type"))
}

/// TDES DUKPT data-key style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DataStyle {
    /// X9.24-1:2009 one-way function (variant then encrypt with itself).
    #[default]
    Owf,
    /// The bare data variant.
    Variant,
}

/// Options shared by `derive` and `derive-batch` that select the key.
#[derive(Debug, Args, Clone)]
pub struct KeySelection {
    /// Working-key usage; without it the TDES transaction key / AES intermediate derivation key.
    #[arg(long, value_name = "U")]
    pub usage: Option<Usage>,
    /// AES working-key type (default: the BDK's AES type).
    #[arg(long, value_name = "T", value_parser = key_type_parser())]
    pub key_type: Option<aes::KeyType>,
    /// TDES data-key style (data usages only).
    #[arg(long, value_name = "S")]
    pub data_style: Option<DataStyle>,
}

/// `dukpt derive`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("root").required(true).args(["bdk", "ik"])))]
pub struct DeriveArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("Base derivation key (16 bytes TDES; 16, 24 or 32 AES)"))]
    pub bdk: Option<SecretArg>,
    #[arg(long, value_name = "HEX", help = secret_help!("Initial key (IPEK) instead of the BDK"))]
    pub ik: Option<SecretArg>,
    /// Key serial number (hex; 8 or 10 bytes TDES, 12 bytes AES).
    #[arg(long, value_name = "HEX")]
    pub ksn: String,
    #[command(flatten)]
    pub select: KeySelection,
    /// After the result, print the IPEK / initial key, each intermediate key, the variant mask
    /// or derivation data and the working key on stderr (secrets!).
    #[arg(long)]
    pub trace: bool,
}

/// `dukpt update-key`.
#[derive(Debug, Args)]
pub struct UpdateKeyArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("AES base derivation key"))]
    pub bdk: SecretArg,
    /// AES key serial number (hex, 12 bytes).
    #[arg(long, value_name = "HEX")]
    pub ksn: String,
    /// Key type of the update key (default: the BDK's AES type).
    #[arg(long, value_name = "T", value_parser = key_type_parser())]
    pub key_type: Option<aes::KeyType>,
}

/// `dukpt next-ksn`.
#[derive(Debug, Args)]
pub struct NextKsnArgs {
    /// Current key serial number (hex; 8 or 10 bytes TDES, 12 bytes AES).
    #[arg(long, value_name = "HEX")]
    pub ksn: String,
}

/// `dukpt derive-batch`.
#[derive(Debug, Args)]
pub struct DeriveBatchArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("Base derivation key (stdin holds the KSNs, so not -)"))]
    pub bdk: SecretArg,
    #[command(flatten)]
    pub select: KeySelection,
    /// Worker threads (default: every available core); the output order is the input order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

// ---------------------------------------------------------------------------------------------
// keyblock

/// Key block commands.
#[derive(Debug, Subcommand)]
pub enum KeyblockCommand {
    /// Wraps a key into a key block.
    #[command(
        after_help = "Examples:\n  paycrypt keyblock wrap --kbpk @kbpk.hex --header D0000P0AE00E0000 --key 3F419E1CB7079442AA37474C2EFBF8B8\n  paycrypt keyblock wrap --kbpk @kbpk.hex --header B0000P0TE00E0000 --key @key.hex --trace"
    )]
    Wrap(WrapArgs),
    /// Authenticates and decrypts a key block; prints the key.
    #[command(
        after_help = "Example:\n  paycrypt keyblock unwrap --kbpk @kbpk.hex --block D0112P0AE00E0000... --json"
    )]
    Unwrap(UnwrapArgs),
    /// Decodes a key block or header without a key: each code's meaning, decoded optional blocks.
    #[command(
        after_help = "Example:\n  paycrypt keyblock inspect --block C0096B0TX12S0100KS1800604B120F9292800000 --json"
    )]
    Inspect(InspectArgs),
    /// Re-wraps a key block under another KBPK with the same attributes (the key is not printed).
    #[command(
        after_help = "Example:\n  paycrypt keyblock translate --from-kbpk @old.hex --to-kbpk @new.hex --block 'B0080P0TE00E0000...' --to-version D"
    )]
    Translate(crate::cmd::keyblock_ops::TranslateArgs),
}

/// `keyblock wrap`.
#[derive(Debug, Args)]
pub struct WrapArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("Key block protection key"))]
    pub kbpk: SecretArg,
    /// Header: the 16-character fixed header plus optional blocks (length field recomputed).
    #[arg(long, value_name = "TEXT")]
    pub header: String,
    #[arg(long, value_name = "HEX", help = secret_help!("The key to wrap"))]
    pub key: SecretArg,
    /// Exact bytes that follow the key in the payload (hex; may be empty), for reproducible output.
    #[arg(long, value_name = "HEX", conflicts_with = "no_obfuscation")]
    pub padding: Option<String>,
    /// Pad only to the cipher block instead of the algorithm's maximum key length.
    #[arg(long)]
    pub no_obfuscation: bool,
    /// Validation profile the header must satisfy (default: interop, as for unwrap; an 8-byte
    /// key under algorithm T and characters outside the X9.143 alphabet only with lenient).
    /// What wrap writes under a profile, unwrap accepts under it.
    #[arg(long, value_name = "P")]
    pub profile: Option<Profile>,
    /// Add a KC block with the key's check value (X9.143 §6.3.6: legacy KCV for TDES, CMAC for
    /// AES). A KC or KP block already in the header must match the key / KBPK (else exit 1).
    #[arg(long)]
    pub kc: bool,
    /// After the result, print the binding keys (KBEK, KBAK) on stderr (secrets!).
    #[arg(long)]
    pub trace: bool,
}

/// Key block validation profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// ANSI X9.143:2021.
    #[value(name = "x9.143")]
    X9_143,
    /// ASC X9 TR-31:2018.
    #[value(name = "tr31-2018")]
    Tr31_2018,
    /// ISO 20038.
    Iso20038,
    /// Structural rules every standard shares; accepts every published example (the default).
    Interop,
    /// Anything structurally decodable (and lower-case hex).
    Lenient,
}

/// `keyblock unwrap`.
#[derive(Debug, Args)]
pub struct UnwrapArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("Key block protection key"))]
    pub kbpk: SecretArg,
    /// The key block text.
    #[arg(long, value_name = "TEXT")]
    pub block: String,
    /// Validation profile (default: interop, which accepts every published example). After the
    /// MAC verifies, errors name the rule (exit 1): key-length field, key length for the
    /// algorithm (interop returns an 8-byte key under T; the strict profiles refuse it), and
    /// every KC/KP block, checked against the key and the KBPK.
    #[arg(long, value_name = "P")]
    pub profile: Option<Profile>,
    /// After the result, print the binding keys (KBEK, KBAK) on stderr (secrets!).
    #[arg(long)]
    pub trace: bool,
}

/// `keyblock inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The key block text, or a header with its optional blocks.
    #[arg(long, value_name = "TEXT")]
    pub block: String,
    /// Validation profile (default: interop).
    #[arg(long, value_name = "P")]
    pub profile: Option<Profile>,
}

// ---------------------------------------------------------------------------------------------
// pin

/// PIN block commands.
#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Builds a clear PIN block (format 4: the 16-byte plain PIN field).
    #[command(
        after_help = "Example:\n  paycrypt pin encode --format 0 --pin 1234 --pan 4012345678909"
    )]
    Encode(PinEncodeArgs),
    /// Decodes a clear PIN block; prints the PIN.
    #[command(
        after_help = "Example:\n  paycrypt pin decode --format 0 --block 041274EDCBA9876F --pan 4012345678909"
    )]
    Decode(PinDecodeArgs),
    /// Builds and encrypts a PIN block (formats 0-3 TDES, format 4 AES).
    #[command(
        after_help = "Example:\n  paycrypt pin encrypt --format 0 --key @pinkey.hex --pin 1234 --pan 4012345678909"
    )]
    Encrypt(PinEncryptArgs),
    /// Decrypts and decodes a PIN block; prints the PIN.
    #[command(
        after_help = "Example:\n  paycrypt pin decrypt --format 0 --key @pinkey.hex --block 1B9C1845EB993A7A --pan 4012345678909"
    )]
    Decrypt(PinDecryptArgs),
    /// Re-encrypts a PIN block under another key and/or format.
    #[command(
        after_help = "Examples:\n  paycrypt pin translate --from-format 0 --from-key @k1.hex --to-format 4 --to-key @k2.hex --block 1B9C1845EB993A7A --pan 4012345678909\n  paycrypt pin translate --from-format 0 --from-key @k1.hex --from-key-type tdes2 --to-format 0 --to-key @k2.hex --to-key-type tdes2 --block 1B9C1845EB993A7A --pan 4012345678909 --trace"
    )]
    Translate(PinTranslateArgs),
    /// Visa PIN verification values (PVV).
    #[command(subcommand)]
    Pvv(crate::cmd::pin_verify::PvvCommand),
    /// IBM 3624 natural PIN, offset, PIN from offset, verify.
    #[command(subcommand)]
    Ibm3624(crate::cmd::pin_verify::Ibm3624Command),
    /// Decrypts, decodes and verifies a PIN block against a PVV or an IBM 3624 offset.
    #[command(
        after_help = "Example:\n  paycrypt pin verify --format 0 --key @pek.hex --block 1B9C1845EB993A7A --pan 4012345678909 --pvk @pvk.hex --pvv 1234 --pvki 1"
    )]
    Verify(crate::cmd::pin_verify::PinVerifyArgs),
    /// A random PIN, printed only as an encrypted PIN block.
    #[command(
        after_help = "Example:\n  paycrypt pin random --length 4 --format 0 --key @pek.hex --pan 4012345678909"
    )]
    Random(crate::cmd::pin_verify::PinRandomArgs),
}

/// The algorithm of a PIN key given as bytes, so that a 16-byte key is never silently read as
/// AES (or TDES).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PinKeyType {
    /// 2-key TDES (16 bytes).
    Tdes2,
    /// 3-key TDES (24 bytes).
    Tdes3,
    /// AES-128 (16 bytes).
    Aes128,
    /// AES-192 (24 bytes).
    Aes192,
    /// AES-256 (32 bytes).
    Aes256,
}

/// `pin encode`.
#[derive(Debug, Args)]
pub struct PinEncodeArgs {
    /// ISO 9564-1 format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The PIN, 4 to 12 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pin: SecretArg,
    /// The PAN (formats 0 and 3: 1-19 digits; under 12 right-justified, ISO 9564-1).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Fill nibbles (formats 1 and 3: 14 - PIN length; format 4: 16 random nibbles); default random.
    #[arg(long, value_name = "HEX")]
    pub fill: Option<String>,
}

/// `pin decode`.
#[derive(Debug, Args)]
pub struct PinDecodeArgs {
    /// ISO 9564-1 format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    /// The clear PIN block (format 4: the plain PIN field).
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN (formats 0 and 3).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
}

/// `pin encrypt`.
#[derive(Debug, Args)]
pub struct PinEncryptArgs {
    /// ISO 9564-1 format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    #[arg(long, value_name = "HEX", help = secret_help!("PIN encryption key (TDES 16/24 bytes or DES 8 for formats 0-3; AES for format 4)"))]
    pub key: SecretArg,
    /// The key's algorithm (default: TDES for formats 0-3, AES for format 4).
    #[arg(long, value_name = "T")]
    pub key_type: Option<PinKeyType>,
    /// The PIN, 4 to 12 digits.
    #[arg(long, value_name = "DIGITS")]
    pub pin: SecretArg,
    /// The PAN (formats 0, 3 and 4: 1-19 digits; under 12 right-justified, ISO 9564-1).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Fill nibbles (formats 1, 3, 4); default random.
    #[arg(long, value_name = "HEX")]
    pub fill: Option<String>,
}

/// `pin decrypt`.
#[derive(Debug, Args)]
pub struct PinDecryptArgs {
    /// ISO 9564-1 format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub format: u8,
    #[arg(long, value_name = "HEX", help = secret_help!("PIN encryption key"))]
    pub key: SecretArg,
    /// The key's algorithm (default: TDES for formats 0-3, AES for format 4).
    #[arg(long, value_name = "T")]
    pub key_type: Option<PinKeyType>,
    /// The encrypted PIN block.
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN (formats 0, 3 and 4).
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
}

/// `pin translate`.
#[derive(Debug, Args)]
pub struct PinTranslateArgs {
    /// Source format, 0 to 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub from_format: u8,
    #[arg(long, value_name = "HEX", help = secret_help!("Source PIN key"))]
    pub from_key: SecretArg,
    /// The source key's algorithm (default: TDES for formats 0-3, AES for format 4).
    #[arg(long, value_name = "T")]
    pub from_key_type: Option<PinKeyType>,
    /// Target format, 0 to 4.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub to_format: u8,
    #[arg(long, value_name = "HEX", help = secret_help!("Target PIN key"))]
    pub to_key: SecretArg,
    /// The target key's algorithm (default: TDES for formats 0-3, AES for format 4).
    #[arg(long, value_name = "T")]
    pub to_key_type: Option<PinKeyType>,
    /// The encrypted source PIN block.
    #[arg(long, value_name = "HEX")]
    pub block: String,
    /// The PAN.
    #[arg(long, value_name = "DIGITS")]
    pub pan: Option<String>,
    /// Fill nibbles for the target block; default random. Formats 1 and 3: 10 to 16 nibbles, of
    /// which the first 14 - PIN length are used (so no answer depends on the PIN length);
    /// format 4: 16.
    #[arg(long, value_name = "HEX")]
    pub fill: Option<String>,
    /// After the result, print the clear blocks, PAN fields and PIN fields of both sides on
    /// stderr (secrets!).
    #[arg(long)]
    pub trace: bool,
}

// ---------------------------------------------------------------------------------------------
// mac, kcv

/// MAC commands.
#[derive(Debug, Subcommand)]
pub enum MacCommand {
    /// Computes a MAC.
    #[command(
        after_help = "Examples:\n  paycrypt mac generate --algorithm iso9797-1-3 --key @mackey.hex --data 4E6F77206973207468652074696D6520666F7220616C6C20\n  paycrypt mac generate --algorithm cmac --cipher aes --key - --data 6BC1BEE22E409F96E93D7E117393172A < key.hex\n  paycrypt mac generate --algorithm hmac-sha512 --key @k.hex --data-text 'what do ya want for nothing?'\n  paycrypt mac generate --algorithm iso9797-1-3 --key @mackey.hex --data-file msg.bin --trace"
    )]
    Generate(MacArgs),
    /// Verifies a MAC (exit 0 when it matches, 1 when not).
    #[command(
        after_help = "Example:\n  paycrypt mac verify --algorithm hmac-sha256 --key @k.hex --data 4869205468657265 --mac B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"
    )]
    Verify(MacVerifyArgs),
}

/// MAC algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MacAlgorithm {
    /// ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC); needs --cipher des|tdes|aes.
    #[value(name = "iso9797-1-1")]
    Iso9797Alg1,
    /// ISO/IEC 9797-1 MAC algorithm 3 (retail MAC, X9.19); 16-byte key K||K'.
    #[value(name = "iso9797-1-3")]
    Iso9797Alg3,
    /// CMAC (NIST SP 800-38B); needs --cipher tdes|aes.
    Cmac,
    /// HMAC-SHA-1 (RFC 2104).
    #[value(name = "hmac-sha1")]
    HmacSha1,
    /// HMAC-SHA-224.
    #[value(name = "hmac-sha224")]
    HmacSha224,
    /// HMAC-SHA-256.
    #[value(name = "hmac-sha256")]
    HmacSha256,
    /// HMAC-SHA-384.
    #[value(name = "hmac-sha384")]
    HmacSha384,
    /// HMAC-SHA-512.
    #[value(name = "hmac-sha512")]
    HmacSha512,
}

/// Block cipher for a MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MacCipher {
    /// Single DES (8-byte key).
    Des,
    /// Triple DES (16 or 24-byte key).
    Tdes,
    /// AES (16, 24 or 32-byte key).
    Aes,
}

/// Options of `mac generate` (and `mac verify`).
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("message").required(true).args(["data", "data_file", "data_text"])))]
pub struct MacArgs {
    /// MAC algorithm.
    #[arg(long, value_name = "A")]
    pub algorithm: MacAlgorithm,
    #[arg(long, value_name = "HEX", help = secret_help!("MAC key"))]
    pub key: SecretArg,
    /// The message (hex; may be empty).
    #[arg(long, value_name = "HEX")]
    pub data: Option<String>,
    /// The message: a file's raw bytes (at most 16 MiB).
    #[arg(long, value_name = "FILE")]
    pub data_file: Option<String>,
    /// The message: this text's UTF-8 bytes.
    #[arg(long, value_name = "TEXT")]
    pub data_text: Option<String>,
    /// Block cipher (iso9797-1-1: des, tdes or aes; cmac: tdes or aes).
    #[arg(long, value_name = "C")]
    pub cipher: Option<MacCipher>,
    /// ISO 9797-1 padding method, 1 (default), 2 or 3.
    #[arg(long, value_name = "1|2|3", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub padding: Option<u8>,
    /// ISO 9797-1 initial value (hex, one block; default zero).
    #[arg(long, value_name = "HEX")]
    pub iv: Option<String>,
    /// MAC length in bytes, 4 up to the full block / tag (leftmost bytes kept).
    #[arg(long, value_name = "N")]
    pub length: Option<usize>,
    /// After the result, print the MAC input blocks and chaining values (ISO 9797-1) or the
    /// subkeys (CMAC) on stderr (secrets!).
    #[arg(long)]
    pub trace: bool,
}

/// `mac verify`.
#[derive(Debug, Args)]
pub struct MacVerifyArgs {
    #[command(flatten)]
    pub mac: MacArgs,
    /// The MAC to check (hex; its length selects the truncation unless --length is given).
    #[arg(long = "mac", value_name = "HEX")]
    pub expected: String,
}

/// KCV algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KcvAlgorithm {
    /// Triple DES (16 or 24-byte key; 8-byte single DES accepted).
    Tdes,
    /// AES (16, 24 or 32-byte key).
    Aes,
    /// HMAC-SHA-1 key (method hmac).
    #[value(name = "hmac-sha1")]
    HmacSha1,
    /// HMAC-SHA-224 key (method hmac).
    #[value(name = "hmac-sha224")]
    HmacSha224,
    /// HMAC-SHA-256 key (method hmac).
    #[value(name = "hmac-sha256")]
    HmacSha256,
    /// HMAC-SHA-384 key (method hmac).
    #[value(name = "hmac-sha384")]
    HmacSha384,
    /// HMAC-SHA-512 key (method hmac).
    #[value(name = "hmac-sha512")]
    HmacSha512,
}

/// KCV method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KcvMethod {
    /// Encrypt a zero block (X9.24 legacy).
    Legacy,
    /// CMAC of a zero block (X9.143 / TR-31 KCV).
    Cmac,
    /// HMAC of the empty message (AWS Payment Cryptography `HMAC`; HMAC keys).
    Hmac,
}

/// `kcv`.
#[derive(Debug, Args)]
pub struct KcvArgs {
    #[arg(long, value_name = "HEX", help = secret_help!("The key"))]
    pub key: SecretArg,
    /// Key algorithm.
    #[arg(long, value_name = "A")]
    pub algorithm: KcvAlgorithm,
    /// KCV method (default: legacy for TDES, cmac for AES, hmac for HMAC keys).
    #[arg(long, value_name = "legacy|cmac|hmac")]
    pub method: Option<KcvMethod>,
    /// KCV length in bytes (default: 3 for legacy and hmac, 5 for cmac).
    #[arg(long, value_name = "N")]
    pub length: Option<usize>,
}

// ---------------------------------------------------------------------------------------------
// cipher

/// Block-cipher commands.
#[derive(Debug, Subcommand)]
pub enum CipherCommand {
    /// Encrypts whole blocks (or pads first with --padding).
    #[command(
        after_help = "Examples:\n  paycrypt cipher encrypt --algorithm aes --mode cbc --key @k.hex --iv 000102030405060708090A0B0C0D0E0F --data 6BC1BEE22E409F96E93D7E117393172A\n  paycrypt cipher encrypt --algorithm tdes --mode ecb --key @k.hex --padding iso9797-2 --data 0102030405"
    )]
    Encrypt(CipherArgs),
    /// Decrypts whole blocks.
    #[command(
        after_help = "Examples:\n  paycrypt cipher decrypt --algorithm tdes --mode ecb --key - --data 1B9C1845EB993A7A < key.hex\n  paycrypt cipher decrypt --algorithm aes --mode cbc --key @k.hex --iv 000102030405060708090A0B0C0D0E0F --padding pkcs7 --data-file msg.bin"
    )]
    Decrypt(CipherArgs),
}

/// Cipher algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CipherAlgorithm {
    /// Triple DES (16 or 24-byte key).
    Tdes,
    /// AES (16, 24 or 32-byte key).
    Aes,
}

/// Cipher mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CipherMode {
    /// Electronic codebook.
    Ecb,
    /// Cipher block chaining (needs --iv).
    Cbc,
}

/// Data padding of `cipher`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CipherPadding {
    /// No padding: the data is whole blocks.
    #[default]
    None,
    /// ISO/IEC 9797-1 method 1: zeros (decrypt cannot remove them and keeps them).
    #[value(name = "iso9797-1")]
    Iso9797M1,
    /// ISO/IEC 9797-1 method 2: 80 then zeros.
    #[value(name = "iso9797-2")]
    Iso9797M2,
    /// PKCS #7 (RFC 5652 §6.3).
    Pkcs7,
}

/// Options of `cipher encrypt|decrypt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["data", "data_file"])))]
pub struct CipherArgs {
    /// Block cipher.
    #[arg(long, value_name = "tdes|aes")]
    pub algorithm: CipherAlgorithm,
    /// Mode of operation.
    #[arg(long, value_name = "ecb|cbc")]
    pub mode: CipherMode,
    #[arg(long, value_name = "HEX", help = secret_help!("The key"))]
    pub key: SecretArg,
    /// Initial value, one block (CBC only).
    #[arg(long, value_name = "HEX")]
    pub iv: Option<String>,
    /// The data (hex): a non-empty whole number of blocks unless --padding pads it.
    #[arg(long, value_name = "HEX")]
    pub data: Option<String>,
    /// The data: a file's raw bytes (at most 16 MiB).
    #[arg(long, value_name = "FILE")]
    pub data_file: Option<String>,
    /// Padding added before encrypting and removed after decrypting (default none).
    #[arg(long, value_name = "P")]
    pub padding: Option<CipherPadding>,
}

// ---------------------------------------------------------------------------------------------
// tr34

/// TR-34 commands.
#[derive(Debug, Subcommand)]
pub enum Tr34Command {
    /// KRD side: verifies and opens a key token; prints the clear key.
    #[command(
        after_help = "Example:\n  paycrypt tr34 open --token token.der --krd-key krd.key.pem --kdh-cert kdh.crt.pem --nonce 1F2E3D4C5B6A7988"
    )]
    Open(Tr34OpenArgs),
    /// KDH side: builds a key token.
    #[command(
        after_help = "Example:\n  paycrypt tr34 build --kdh-key kdh.key.pem --kdh-cert kdh.crt.pem --krd-cert krd.crt.pem --key @key.hex --header A0256K0TB00E0000 --one-pass --out token.der"
    )]
    Build(Tr34BuildArgs),
    /// KRD side: writes a random-number token; prints the nonce.
    #[command(after_help = "Example:\n  paycrypt tr34 random-token --out rt.der")]
    RandomToken(Tr34RandomTokenArgs),
    /// The other TR-34 tokens: RT-KRD, CT-KRD, CT-KDH, UBT-KDH, UBT-CA, RBT-KDH, RBT-CA.
    #[command(subcommand)]
    Token(crate::cmd::tr34_token::TokenCommand),
}

/// `tr34 open`.
#[derive(Debug, Args)]
pub struct Tr34OpenArgs {
    /// The key token file (DER or hex).
    #[arg(long, value_name = "FILE")]
    pub token: String,
    /// The KRD private key file: PEM (PKCS #8 or PKCS #1), DER, or base64 of the PEM text.
    #[arg(long, value_name = "FILE")]
    pub krd_key: String,
    /// The KDH certificate file: PEM, DER, or base64 of the PEM text (as AWS returns it).
    #[arg(long, value_name = "PEM")]
    pub kdh_cert: String,
    /// The KRD's random nonce (two-pass tokens only).
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<String>,
    /// A trust anchor that must have issued the KDH certificate (file: PEM, DER, or base64 of
    /// the PEM text as AWS returns it; repeatable).
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Vec<String>,
    /// Earliest acceptable signing time of a one-pass token (RFC 3339, e.g. 2025-06-01T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub not_before: Option<String>,
    /// Time for certificate validity (RFC 3339; default now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// Token layout for `tr34 build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Tr34Layout {
    /// AWS Payment Cryptography X9_TR34_2012.
    Aws,
    /// TR-34-2019 Annex B (corrigendum).
    #[value(name = "x9-2019")]
    X92019,
    /// Plain RFC 5652.
    Rfc5652,
}

/// `tr34 build`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("pass").required(true).args(["nonce", "one_pass"])))]
pub struct Tr34BuildArgs {
    /// The KDH private key file: PEM (PKCS #8 or PKCS #1), DER, or base64 of the PEM text.
    #[arg(long, value_name = "FILE")]
    pub kdh_key: String,
    /// The KDH certificate file: PEM, DER, or base64 of the PEM text (as AWS returns it).
    #[arg(long, value_name = "PEM")]
    pub kdh_cert: String,
    /// The KRD certificate file: PEM, DER, or base64 of the PEM text (as AWS returns it).
    #[arg(long, value_name = "PEM")]
    pub krd_cert: String,
    #[arg(long, value_name = "HEX", help = secret_help!("The key to transport"))]
    pub key: SecretArg,
    /// The key block header (16 characters plus optional blocks).
    #[arg(long, value_name = "TEXT")]
    pub header: String,
    /// The KRD's random nonce (two-pass token).
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<String>,
    /// Build a one-pass token (signing time instead of a nonce).
    #[arg(long)]
    pub one_pass: bool,
    /// Token layout. Every layout is built as strict DER CMS (DER-sorted signed attributes,
    /// RFC 4055 OAEP parameters, SignedData version 3); a strict x9-2019 token has the rfc5652
    /// form, so `tr34 open` reports it as rfc5652.
    #[arg(long, value_name = "L")]
    pub layout: Option<Tr34Layout>,
    /// Produce the TR-34-2019 Annex B / AWS sample quirks instead (Annex B attribute order,
    /// untagged OAEP parameters, SignedData version 1), e.g. to reproduce published tokens.
    /// Strict CMS stacks such as BouncyCastle refuse them.
    #[arg(long)]
    pub annex_b_quirks: bool,
    /// Output file.
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// Write hex instead of DER.
    #[arg(long)]
    pub hex: bool,
    /// The CA-KDH CRL to carry in the token's `crls` (PEM or DER file; not with --layout aws).
    #[arg(long, value_name = "PEM")]
    pub crl: Option<String>,
    /// Fixed ephemeral key (tests; needs --iv and --oaep-seed).
    #[arg(long, value_name = "HEX", requires_all = ["iv", "oaep_seed"])]
    pub ephemeral_key: Option<SecretArg>,
    /// Fixed IV (tests; needs --ephemeral-key and --oaep-seed).
    #[arg(long, value_name = "HEX", requires_all = ["ephemeral_key", "oaep_seed"])]
    pub iv: Option<String>,
    /// Fixed OAEP seed (tests; needs --ephemeral-key and --iv).
    #[arg(long, value_name = "HEX", requires_all = ["ephemeral_key", "iv"])]
    pub oaep_seed: Option<SecretArg>,
}

/// `tr34 random-token`.
#[derive(Debug, Args)]
pub struct Tr34RandomTokenArgs {
    /// Output file (DER).
    #[arg(long, value_name = "FILE")]
    pub out: String,
}

// ---------------------------------------------------------------------------------------------
// speed

/// `speed`.
#[derive(Debug, Args)]
pub struct SpeedArgs {
    /// Benchmarks to run (all when none): dukpt, keyblock, pin, mac or a finer name.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Seconds to run each benchmark.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_arguments_redacts_secrets() {
        let cases: [&[&str]; 4] = [
            &[
                "paycrypt",
                "kcv",
                "--algorithm",
                "tdes",
                "--key",
                "F039A1B2C3D4E5F6",
            ],
            &[
                "paycrypt", "pin", "encode", "--format", "1", "--pin", "98765432",
            ],
            &[
                "paycrypt",
                "pin",
                "translate",
                "--from-format",
                "0",
                "--to-format",
                "0",
                "--from-key",
                "F039A1B2C3D4E5F6",
                "--to-key",
                "F039A1B2C3D4E5F6",
                "--block",
                "00",
            ],
            &[
                "paycrypt",
                "keyblock",
                "wrap",
                "--kbpk",
                "F039A1B2C3D4E5F6",
                "--key",
                "F039A1B2C3D4E5F6",
                "--header",
                "D0000P0AE00E0000",
            ],
        ];
        for argv in cases {
            let cli = Cli::try_parse_from(argv).unwrap();
            let debug = format!("{cli:?}");
            assert!(
                !debug.contains("F039") && !debug.contains("98765432"),
                "{debug}"
            );
            assert!(debug.contains("<redacted>"), "{debug}");
        }
    }
}
