//! `paycrypt keywrap|kdf|ecdh|rsa` over `paycrypt-kex` (NIST SP 800-38F key wrap, SP 800-56C
//! and ANSI X9.63 KDFs, ECDH-derived TR-31 KBPKs as AWS Payment Cryptography uses them,
//! RSA-OAEP key cryptograms). Contract: `cli-keyexchange.md`. Usage errors exit 2; every
//! cryptographic or policy failure exits 1 with the crate's single message for it.

use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use clap::{Args, Subcommand, ValueEnum};
use paycrypt_kex::ecdh::{self, Derivation, EcPrivateKey, EcPublicKey};
use paycrypt_kex::kdf;
use paycrypt_kex::pki::{self, PrivateKey, PublicKey};
use paycrypt_kex::rsawrap::{self, OaepScheme};
use paycrypt_kex::wrap::{self, Kek};
use paycrypt_kex::{Error as KexError, KeyType};
use paycrypt_keyblock::{ClearKey, KeyBlockHeader, Profile as KbProfile, WrapOptions};
use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::SymmetricKey;
use paycrypt_primitives::rng::OsRng;
use std::io::Read;
use zeroize::Zeroizing;

/// Help suffix for every option that takes a secret.
macro_rules! secret {
    ($what:literal) => {
        concat!(
            $what,
            " (hex; or @FILE to read it from a file, or - to read it from stdin)"
        )
    };
}

// ---------------------------------------------------------------------------------------------
// Grammar

/// Wrapping algorithm (`--algorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WrapAlg {
    /// NIST SP 800-38F KW (RFC 3394): AES KEK 16/24/32 bytes, key a multiple of 8, at least 16.
    #[value(name = "aes-kw")]
    AesKw,
    /// NIST SP 800-38F KWP (RFC 5649): AES KEK, key of any length from 1 byte.
    #[value(name = "aes-kwp")]
    AesKwp,
    /// NIST SP 800-38F TKW: three-key TDEA KEK (24 bytes), key a multiple of 4, at least 8.
    #[value(name = "tdes-kw")]
    TdesKw,
}

impl From<WrapAlg> for wrap::Algorithm {
    fn from(a: WrapAlg) -> Self {
        match a {
            WrapAlg::AesKw => Self::AesKw,
            WrapAlg::AesKwp => Self::AesKwp,
            WrapAlg::TdesKw => Self::TdesKw,
        }
    }
}

/// Symmetric key type (`--key-type`, `--kbpk-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    /// Two-key TDES (16 bytes, 80-bit strength).
    Tdes2,
    /// Three-key TDES (24 bytes, 112-bit).
    Tdes3,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

impl From<KeyTypeArg> for KeyType {
    fn from(t: KeyTypeArg) -> Self {
        match t {
            KeyTypeArg::Tdes2 => Self::Tdes2,
            KeyTypeArg::Tdes3 => Self::Tdes3,
            KeyTypeArg::Aes128 => Self::Aes128,
            KeyTypeArg::Aes192 => Self::Aes192,
            KeyTypeArg::Aes256 => Self::Aes256,
        }
    }
}

/// KDF hash (`--hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HashArg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl From<HashArg> for kdf::Hash {
    fn from(h: HashArg) -> Self {
        match h {
            HashArg::Sha256 => Self::Sha256,
            HashArg::Sha384 => Self::Sha384,
            HashArg::Sha512 => Self::Sha512,
        }
    }
}

/// KDF (`--kdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KdfArg {
    /// NIST SP 800-56C one-step KDF (AWS NIST_SP800): H(counter ‖ Z ‖ info).
    Concat,
    /// ANSI X9.63 KDF (AWS ANSI_X963): H(Z ‖ counter ‖ info).
    X963,
}

impl From<KdfArg> for kdf::Kdf {
    fn from(k: KdfArg) -> Self {
        match k {
            KdfArg::Concat => Self::Concat,
            KdfArg::X963 => Self::X963,
        }
    }
}

/// RSA-OAEP scheme (`--scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeArg {
    /// AWS RSA_OAEP_SHA_256: OAEP with SHA-256 and MGF1-SHA-256, empty label.
    #[value(name = "oaep-sha256")]
    OaepSha256,
    /// AWS RSA_OAEP_SHA_512: OAEP with SHA-512 and MGF1-SHA-512, empty label.
    #[value(name = "oaep-sha512")]
    OaepSha512,
}

impl From<SchemeArg> for OaepScheme {
    fn from(s: SchemeArg) -> Self {
        match s {
            SchemeArg::OaepSha256 => Self::Sha256,
            SchemeArg::OaepSha512 => Self::Sha512,
        }
    }
}

/// `keywrap` commands.
#[derive(Debug, Subcommand)]
pub enum KeywrapCommand {
    /// Wraps a key under a KEK (SP 800-38F KW-AE / KWP-AE / TKW-AE); prints the wrapped key.
    #[command(
        after_help = "A bare cryptogram protects the key bytes only: authenticate the key's attributes\n\
some other way (prefer a TR-31 / X9.143 key block).\n\n\
Example:\n  paycrypt keywrap wrap --algorithm aes-kw --kek 000102030405060708090A0B0C0D0E0F --key 00112233445566778899AABBCCDDEEFF"
    )]
    Wrap(KeywrapWrapArgs),
    /// Unwraps a key (SP 800-38F KW-AD / KWP-AD / TKW-AD); prints the key. Any failed integrity
    /// check exits 1 with one message.
    #[command(
        after_help = "Example:\n  paycrypt keywrap unwrap --algorithm aes-kw --kek 000102030405060708090A0B0C0D0E0F --wrapped 1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"
    )]
    Unwrap(KeywrapUnwrapArgs),
}

/// `keywrap wrap`.
#[derive(Debug, Args)]
pub struct KeywrapWrapArgs {
    /// The wrapping algorithm.
    #[arg(long, value_name = "A")]
    pub algorithm: WrapAlg,
    #[arg(long, value_name = "HEX", help = secret!("Key-encryption key"))]
    pub kek: String,
    #[arg(long, value_name = "HEX", help = secret!("The key to wrap"))]
    pub key: String,
    /// What the key is: its length must match and the KEK must be at least as strong (PCI).
    #[arg(long, value_name = "T")]
    pub key_type: Option<KeyTypeArg>,
}

/// `keywrap unwrap`.
#[derive(Debug, Args)]
pub struct KeywrapUnwrapArgs {
    /// The wrapping algorithm.
    #[arg(long, value_name = "A")]
    pub algorithm: WrapAlg,
    #[arg(long, value_name = "HEX", help = secret!("Key-encryption key"))]
    pub kek: String,
    /// The wrapped key (hex).
    #[arg(long, value_name = "HEX")]
    pub wrapped: String,
    /// What the key is: its length must match and the KEK must be at least as strong (PCI).
    #[arg(long, value_name = "T")]
    pub key_type: Option<KeyTypeArg>,
}

/// `kdf` commands.
#[derive(Debug, Subcommand)]
pub enum KdfCommand {
    /// SP 800-56C one-step KDF (AWS NIST_SP800): H(counter ‖ Z ‖ info), counter from 1.
    #[command(
        after_help = "Example:\n  paycrypt kdf concat --hash sha256 --z 189D12179F4F2415419319540FF7045244B7C92236D244BF58236BA69D974512 --shared-info A1B2C3D4E5 --length 16"
    )]
    Concat(KdfArgs),
    /// ANSI X9.63 KDF (AWS ANSI_X963): H(Z ‖ counter ‖ info), counter from 1.
    #[command(
        after_help = "Example:\n  paycrypt kdf x963 --hash sha256 --z BE91C4F176B067F465244742A9DF72CA921A6ACF462739A4 --length 16"
    )]
    X963(KdfArgs),
}

/// `kdf concat|x963`.
#[derive(Debug, Args)]
pub struct KdfArgs {
    /// Hash function.
    #[arg(long, value_name = "H")]
    pub hash: HashArg,
    #[arg(long, value_name = "HEX", help = secret!("The shared secret Z"))]
    pub z: String,
    /// FixedInfo / SharedInfo, used verbatim (hex; may be omitted or empty).
    #[arg(long, value_name = "HEX", default_value = "")]
    pub shared_info: String,
    /// Output length in bytes (1..1024).
    #[arg(long, value_name = "N")]
    pub length: usize,
}

/// The derivation options every `ecdh` command but `shared-secret` takes.
#[derive(Debug, Args)]
pub struct DerivArgs {
    #[command(flatten)]
    pub keys: EcdhKeys,
    /// The KDF (AWS KeyDerivationFunction: concat = NIST_SP800, x963 = ANSI_X963).
    #[arg(long, value_name = "KDF")]
    pub kdf: KdfArg,
    /// The KDF hash (AWS KeyDerivationHashAlgorithm).
    #[arg(long, value_name = "H")]
    pub hash: HashArg,
    /// AWS DerivationData.SharedInformation: 1..1024 bytes of hex, used verbatim.
    #[arg(long, value_name = "HEX")]
    pub shared_info: Option<String>,
    /// The KBPK type (AWS DeriveKeyAlgorithm); its length is the KDF output length.
    #[arg(long, value_name = "T")]
    pub kbpk_type: KeyTypeArg,
}

/// The two ECDH keys.
#[derive(Debug, Args)]
pub struct EcdhKeys {
    /// Own EC private key file: PEM (PKCS #8, SEC1 `EC PRIVATE KEY`), PKCS #8 DER, or base64 of
    /// PEM; unencrypted. P-256, P-384 or P-521.
    #[arg(long, value_name = "FILE")]
    pub private_key: String,
    /// The peer's certificate or SubjectPublicKeyInfo file, on the same curve.
    #[arg(
        long,
        value_name = "FILE",
        long_help = "The peer's certificate or SubjectPublicKeyInfo file, on the same curve: PEM, DER, or base64 of the PEM text (as AWS returns it in KeyCertificate); - reads stdin"
    )]
    pub peer_cert: String,
}

/// `ecdh` commands.
#[derive(Debug, Subcommand)]
pub enum EcdhCommand {
    /// Prints Z, the x-coordinate of d·Q (SP 800-56A ECC CDH), left-padded to 32/48/66 bytes.
    #[command(
        after_help = "Example:\n  paycrypt ecdh shared-secret --private-key own.key.pem --peer-cert aws-cert.b64"
    )]
    SharedSecret(EcdhKeys),
    /// Derives the key block protection key as AWS ImportDiffieHellmanTr31KeyBlock does.
    #[command(
        after_help = "Example:\n  paycrypt ecdh kbpk --private-key own.key.pem --peer-cert aws-cert.b64 --kdf concat --hash sha512 --shared-info 00112233445566778899AABBCCDDEEFF --kbpk-type aes256"
    )]
    Kbpk(DerivArgs),
    /// Derives the KBPK and opens a TR-31 / X9.143 key block under it (as `keyblock unwrap`).
    #[command(
        after_help = "Example:\n  paycrypt ecdh unwrap --private-key own.key.pem --peer-cert aws-cert.b64 --kdf concat --hash sha512 --shared-info 00112233445566778899AABBCCDDEEFF --kbpk-type aes256 --block D0144B1AX00E0000..."
    )]
    Unwrap(EcdhUnwrapArgs),
    /// Derives the KBPK and builds a TR-31 / X9.143 key block under it (as `keyblock wrap`).
    #[command(
        after_help = "Example:\n  paycrypt ecdh wrap --private-key own.key.pem --peer-cert aws-cert.b64 --kdf concat --hash sha512 --shared-info 00112233445566778899AABBCCDDEEFF --kbpk-type aes256 --header D0000B0AX00E0000 --key @bdk.hex"
    )]
    Wrap(EcdhWrapArgs),
    /// Build an ECDSA-signed ECDH key package (CMS SignedData over the TR-31 block; X9.63 KDF).
    #[command(
        after_help = "The package: CMS SignedData (RFC 5652) signed with ECDSA (P-256/SHA-256, P-384/SHA-384,\n\
P-521/SHA-512) over a KexPackage that carries the X9.63 KDF scheme, the shared information, the\n\
ephemeral ECDH key (unless --private-key gives a static one) and the TR-31 block.\n\n\
Example:\n  paycrypt ecdh signed-wrap --signing-key signer.key.pem --signer-cert signer.cert.pem --peer-cert krd.cert.pem --hash sha256 --kbpk-type aes128 --header D0000P0AE00N0000 --key @key.hex"
    )]
    SignedWrap(EcdhSignedWrapArgs),
    /// Verify an ECDSA-signed ECDH key package, then derive the KBPK and open its key block.
    #[command(
        after_help = "Order: signature (one opaque error), then freshness, then ECDH, then the key block MAC.\n\n\
Example:\n  paycrypt ecdh signed-unwrap --private-key krd.key.pem --ca signing-ca.cert.pem --package @package.hex"
    )]
    SignedUnwrap(EcdhSignedUnwrapArgs),
}

/// `ecdh signed-wrap`.
#[derive(Debug, Args)]
pub struct EcdhSignedWrapArgs {
    /// The sender's ECDSA signing key (PKCS #8 or SEC1; never the ECDH key).
    #[arg(long, value_name = "FILE")]
    pub signing_key: String,
    /// The signing key's certificate (identified in the SignerInfo by issuer and serial number).
    #[arg(long, value_name = "FILE")]
    pub signer_cert: String,
    /// The receiver's ECDH certificate or SubjectPublicKeyInfo.
    #[arg(long, value_name = "FILE")]
    pub peer_cert: String,
    /// The sender's static ECDH key; without it a fresh ephemeral key is generated and carried.
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<String>,
    /// The X9.63 KDF hash.
    #[arg(long, value_name = "H")]
    pub hash: HashArg,
    /// The KDF SharedInfo, 1..1024 bytes; without it 24 random bytes.
    #[arg(long, value_name = "HEX")]
    pub shared_info: Option<String>,
    /// The KBPK type (the KDF output length).
    #[arg(long, value_name = "T")]
    pub kbpk_type: KeyTypeArg,
    /// The TR-31 header (16 characters plus optional blocks).
    #[arg(long, value_name = "TEXT")]
    pub header: String,
    #[arg(long, value_name = "HEX", help = secret!("The key to wrap"))]
    pub key: String,
    /// Two-pass: the receiver's random nonce (4..64 bytes) instead of a signing time.
    #[arg(long, value_name = "HEX", conflicts_with = "signing_time")]
    pub nonce: Option<String>,
    /// One-pass: the signing time (RFC 3339 or @SECONDS); default now.
    #[arg(long, value_name = "TIME")]
    pub signing_time: Option<String>,
    /// Leave the signer certificate out of the package (the receiver pins it).
    #[arg(long)]
    pub no_certificate: bool,
}

/// `ecdh signed-unwrap`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("trust").required(true).args(["sender_cert", "ca"])))]
pub struct EcdhSignedUnwrapArgs {
    /// The receiver's ECDH private key.
    #[arg(long, value_name = "FILE")]
    pub private_key: String,
    /// The package (hex; or @FILE, or - for stdin).
    #[arg(long, value_name = "HEX")]
    pub package: String,
    /// Trust this sender certificate (pinned).
    #[arg(long, value_name = "FILE")]
    pub sender_cert: Option<String>,
    /// Trust the sender certificate carried in the package if this CA issued it.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<String>,
    /// The sender's static ECDH public key, for packages without an ephemeral key.
    #[arg(long, value_name = "FILE")]
    pub sender_key: Option<String>,
    /// Two-pass: the nonce this receiver issued.
    #[arg(long, value_name = "HEX", conflicts_with = "max_skew")]
    pub nonce: Option<String>,
    /// One-pass: the accepted distance between the signing time and now, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub max_skew: u64,
    /// The receiver's clock (RFC 3339 or @SECONDS); default now.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// `ecdh unwrap`.
#[derive(Debug, Args)]
pub struct EcdhUnwrapArgs {
    #[command(flatten)]
    pub deriv: DerivArgs,
    /// The key block text.
    #[arg(long, value_name = "TEXT")]
    pub block: String,
}

/// `ecdh wrap`.
#[derive(Debug, Args)]
pub struct EcdhWrapArgs {
    #[command(flatten)]
    pub deriv: DerivArgs,
    /// Header: the 16-character fixed header plus optional blocks (length field recomputed).
    #[arg(long, value_name = "TEXT")]
    pub header: String,
    #[arg(long, value_name = "HEX", help = secret!("The key to wrap"))]
    pub key: String,
    /// Exact bytes that follow the key in the payload (hex; may be empty), for reproducible output.
    #[arg(long, value_name = "HEX", conflicts_with = "no_obfuscation")]
    pub padding: Option<String>,
    /// Pad only to the cipher block instead of the algorithm's maximum key length.
    #[arg(long)]
    pub no_obfuscation: bool,
}

/// `rsa` commands.
#[derive(Debug, Subcommand)]
pub enum RsaCommand {
    /// Encrypts a key with RSA-OAEP (AWS WrappedKeyCryptogram); prints the cryptogram.
    #[command(
        after_help = "Policy (PCI): RSA-2048 wraps tdes2/tdes3, aes128 needs >= 3072 bits, aes192/aes256 are refused.\n\n\
Example:\n  paycrypt rsa wrap --scheme oaep-sha256 --cert wrapping-cert.b64 --key @key.hex --key-type tdes3"
    )]
    Wrap(RsaWrapArgs),
    /// Decrypts an RSA-OAEP key cryptogram; prints the key.
    #[command(
        after_help = "Example:\n  paycrypt rsa unwrap --scheme oaep-sha256 --private-key rsa.key.pem --cryptogram @cryptogram.hex --key-type tdes3"
    )]
    Unwrap(RsaUnwrapArgs),
}

/// `rsa wrap`.
#[derive(Debug, Args)]
pub struct RsaWrapArgs {
    /// OAEP hash (hash and MGF1 both).
    #[arg(long, value_name = "S")]
    pub scheme: SchemeArg,
    /// The wrapping certificate or public key file.
    #[arg(
        long,
        value_name = "FILE",
        long_help = "The wrapping certificate or SubjectPublicKeyInfo file (RSA, >= 2048 bits): PEM, DER, or base64 of the PEM text (as AWS returns it in WrappingKeyCertificate); - reads stdin"
    )]
    pub cert: String,
    #[arg(long, value_name = "HEX", help = secret!("The key to wrap"))]
    pub key: String,
    /// The key's type (its length must match).
    #[arg(long, value_name = "T")]
    pub key_type: KeyTypeArg,
    /// Fixed OAEP seed (hash-length bytes; tests only).
    #[arg(long, value_name = "HEX")]
    pub seed: Option<String>,
}

/// `rsa unwrap`.
#[derive(Debug, Args)]
pub struct RsaUnwrapArgs {
    /// OAEP hash (hash and MGF1 both).
    #[arg(long, value_name = "S")]
    pub scheme: SchemeArg,
    /// RSA private key file: PEM (PKCS #8, PKCS #1), PKCS #8 DER or base64 of PEM; unencrypted.
    #[arg(long, value_name = "FILE")]
    pub private_key: String,
    /// The cryptogram (hex; its length is the modulus length), or @FILE.
    #[arg(long, value_name = "HEX")]
    pub cryptogram: String,
    /// The key's type (the decrypted length must match).
    #[arg(long, value_name = "T")]
    pub key_type: KeyTypeArg,
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Maps a key-exchange error for `option`: usage errors exit 2 naming the option; failures
/// exit 1 with the crate's one message (the key-block layer's own message for a key block).
fn kex_error(e: KexError, option: &str) -> CliError {
    if let KexError::KeyBlock(k) = e {
        return super::keyblock::kb_error(k, option);
    }
    let class = e.class();
    match class {
        ErrorClass::Malformed => CliError::classified(class, format!("{option}: {e}")),
        _ => CliError::classified(class, e.to_string()),
    }
}

/// Reads a certificate or key file (`-` is stdin; a leading `@` is accepted too), at most
/// [`pki::MAX_INPUT`] bytes. Zeroized (it may hold a private key).
fn read_file(inputs: &mut Inputs, option: &str, path: &str) -> CliResult<Zeroizing<Vec<u8>>> {
    let limit = pki::MAX_INPUT as u64;
    let mut buf = Zeroizing::new(Vec::new());
    let too_big = || CliError::usage(format!("{option}: input larger than {limit} bytes"));
    if path == "-" {
        inputs.claim_stdin(option)?;
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("{option}: cannot read stdin: {}", e.kind())))?;
    } else {
        let path = path.strip_prefix('@').unwrap_or(path);
        let f = std::fs::File::open(path).map_err(|e| {
            CliError::usage(format!("{option}: cannot read file '{path}': {}", e.kind()))
        })?;
        f.take(limit + 1).read_to_end(&mut buf).map_err(|e| {
            CliError::usage(format!("{option}: cannot read file '{path}': {}", e.kind()))
        })?;
    }
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(buf)
}

fn ec_private_key(inputs: &mut Inputs, path: &str) -> CliResult<EcPrivateKey> {
    let bytes = read_file(inputs, "--private-key", path)?;
    PrivateKey::from_input(&bytes)
        .and_then(PrivateKey::into_ec)
        .map_err(|e| kex_error(e, "--private-key"))
}

fn peer_key(inputs: &mut Inputs, option: &str, path: &str) -> CliResult<PublicKey> {
    let bytes = read_file(inputs, option, path)?;
    PublicKey::from_input(&bytes).map_err(|e| kex_error(e, option))
}

fn ecdh_keys(inputs: &mut Inputs, keys: &EcdhKeys) -> CliResult<(EcPrivateKey, EcPublicKey)> {
    let own = ec_private_key(inputs, &keys.private_key)?;
    let peer = peer_key(inputs, "--peer-cert", &keys.peer_cert)?
        .into_ec()
        .map_err(|e| kex_error(e, "--peer-cert"))?;
    Ok((own, peer))
}

/// The AWS-style 3-byte KCV of a key of `key_type`.
fn kcv_of(key_type: KeyType, key: &[u8]) -> CliResult<String> {
    use paycrypt_primitives::key::{AesKey, TdesKey};
    let k = if key_type.is_tdes() {
        SymmetricKey::from(TdesKey::from_bytes(key).map_err(|e| CliError::usage(e.to_string()))?)
    } else {
        SymmetricKey::from(AesKey::from_bytes(key).map_err(|e| CliError::usage(e.to_string()))?)
    };
    Ok(encode_upper(&ecdh::aws_kcv(&k)))
}

// ---------------------------------------------------------------------------------------------
// Commands

/// Runs a `keywrap` subcommand.
pub fn run_keywrap(command: KeywrapCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let mut out = Output::new();
    match command {
        KeywrapCommand::Wrap(a) => {
            let kek = inputs.secret_hex("--kek", &a.kek)?;
            let kek = Kek::new(a.algorithm.into(), &kek).map_err(|e| kex_error(e, "--kek"))?;
            let key = inputs.secret_hex("--key", &a.key)?;
            let wrapped = match a.key_type {
                Some(t) => {
                    let t = KeyType::from(t);
                    t.check_len("key", &key)
                        .map_err(|e| kex_error(e, "--key"))?;
                    wrap::wrap_key(&kek, t, &key)
                }
                None => wrap::wrap(&kek, &key),
            }
            .map_err(|e| kex_error(e, "--key"))?;
            out.primary("wrapped", encode_upper(&wrapped));
            out.field("algorithm", wrap::Algorithm::from(a.algorithm).name());
        }
        KeywrapCommand::Unwrap(a) => {
            let kek = inputs.secret_hex("--kek", &a.kek)?;
            let kek = Kek::new(a.algorithm.into(), &kek).map_err(|e| kex_error(e, "--kek"))?;
            let wrapped = hex_bytes("--wrapped", &a.wrapped)?;
            let key = match a.key_type {
                Some(t) => wrap::unwrap_key(&kek, t.into(), &wrapped),
                None => wrap::unwrap(&kek, &wrapped),
            }
            .map_err(|e| kex_error(e, "--wrapped"))?;
            out.primary("key", encode_upper(&key));
            out.field("algorithm", wrap::Algorithm::from(a.algorithm).name());
        }
    }
    Ok(out)
}

/// Runs a `kdf` subcommand.
pub fn run_kdf(command: KdfCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let (k, a) = match command {
        KdfCommand::Concat(a) => (kdf::Kdf::Concat, a),
        KdfCommand::X963(a) => (kdf::Kdf::X963, a),
    };
    if a.length == 0 || a.length > kdf::MAX_LEN {
        return Err(CliError::usage("--length: must be 1..1024 bytes"));
    }
    let z = inputs.secret_hex("--z", &a.z)?;
    let info = hex_bytes("--shared-info", &a.shared_info)?;
    let mut derived = Zeroizing::new(vec![0u8; a.length]);
    kdf::derive(k, a.hash.into(), &z, &info, &mut derived).map_err(|e| kex_error(e, "--z"))?;
    let mut out = Output::new();
    out.primary("derived", encode_upper(&derived));
    out.field("kdf", k.name());
    out.field("hash", kdf::Hash::from(a.hash).name());
    Ok(out)
}

/// Resolves the derivation options (shared info required, 1..1024 bytes).
fn shared_info(d: &DerivArgs) -> CliResult<Vec<u8>> {
    let info = hex_bytes("--shared-info", d.shared_info.as_deref().unwrap_or(""))?;
    if info.is_empty() || info.len() > ecdh::MAX_SHARED_INFO {
        return Err(CliError::usage(
            "--shared-info: 1..1024 bytes (2..2048 hex characters) required",
        ));
    }
    Ok(info)
}

/// Runs an `ecdh` subcommand.
pub fn run_ecdh(command: EcdhCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let mut out = Output::new();
    match command {
        EcdhCommand::SharedSecret(keys) => {
            let (own, peer) = ecdh_keys(inputs, &keys)?;
            let z = ecdh::shared_secret(&own, &peer).map_err(|e| kex_error(e, "--peer-cert"))?;
            out.primary("z", encode_upper(z.expose_bytes()));
            out.field("curve", own.curve().name());
        }
        EcdhCommand::Kbpk(d) => {
            let info = shared_info(&d)?;
            let (own, peer) = ecdh_keys(inputs, &d.keys)?;
            let der = derivation(&d, &info);
            let k =
                ecdh::derive_kbpk(&own, &peer, &der).map_err(|e| kex_error(e, "--shared-info"))?;
            out.primary("kbpk", encode_upper(k.expose_bytes()));
            out.field("kcv", encode_upper(&k.kcv()));
            out.field("curve", k.curve().name());
        }
        EcdhCommand::Unwrap(a) => {
            let info = shared_info(&a.deriv)?;
            let (own, peer) = ecdh_keys(inputs, &a.deriv.keys)?;
            let der = derivation(&a.deriv, &info);
            let (u, k) = ecdh::unwrap_key_block(&own, &peer, &der, &a.block, KbProfile::Interop)
                .map_err(|e| kex_error(e, "--block"))?;
            out.primary("key", encode_upper(u.key().expose_bytes()));
            out.field("header", u.header().encode());
            out.field("kbpk_kcv", encode_upper(&k.kcv()));
        }
        EcdhCommand::Wrap(a) => {
            let info = shared_info(&a.deriv)?;
            let profile = KbProfile::Interop;
            let header = KeyBlockHeader::parse_with(&a.header, profile)
                .map_err(|e| super::keyblock::kb_error(e, "--header"))?;
            let padding = a
                .padding
                .as_deref()
                .map(|p| hex_bytes("--padding", p))
                .transpose()?;
            let (own, peer) = ecdh_keys(inputs, &a.deriv.keys)?;
            let key = inputs.secret_hex("--key", &a.key)?;
            let mut options = WrapOptions::with_profile(profile);
            options.obfuscate = !a.no_obfuscation;
            let der = derivation(&a.deriv, &info);
            let block = ecdh::wrap_key_block(
                &own,
                &peer,
                &der,
                &header,
                &ClearKey::new(&key),
                padding.as_deref(),
                &options,
                &mut OsRng,
            )
            .map_err(|e| kex_error(e, "--header"))?;
            out.primary("key_block", block);
        }
        EcdhCommand::SignedWrap(a) => signed_wrap(&a, inputs, &mut out)?,
        EcdhCommand::SignedUnwrap(a) => signed_unwrap(&a, inputs, &mut out)?,
    }
    Ok(out)
}

fn certificate(inputs: &mut Inputs, option: &str, path: &str) -> CliResult<pki::Certificate> {
    let bytes = read_file(inputs, option, path)?;
    pki::Certificate::from_input(&bytes).map_err(|e| kex_error(e, option))
}

fn signed_wrap(a: &EcdhSignedWrapArgs, inputs: &mut Inputs, out: &mut Output) -> CliResult<()> {
    use paycrypt_kex::signed::{self, EcSigningKey, Freshness, Originator, Signer, WrapParams};
    let profile = KbProfile::Interop;
    let header = KeyBlockHeader::parse_with(&a.header, profile)
        .map_err(|e| super::keyblock::kb_error(e, "--header"))?;
    let info = match &a.shared_info {
        Some(h) => {
            let info = hex_bytes("--shared-info", h)?;
            if info.is_empty() || info.len() > ecdh::MAX_SHARED_INFO {
                return Err(CliError::usage(
                    "--shared-info: 1..1024 bytes (2..2048 hex characters) required",
                ));
            }
            info
        }
        None => {
            let mut info = vec![0u8; 24];
            paycrypt_primitives::rng::fill(&mut OsRng, &mut info)
                .map_err(|e| CliError::classified(e.class(), e.to_string()))?;
            info
        }
    };
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let time = match &a.signing_time {
        Some(t) => crate::time::parse("--signing-time", t)?,
        None => crate::time::now(),
    };
    let sk_bytes = read_file(inputs, "--signing-key", &a.signing_key)?;
    let signing_key =
        EcSigningKey::from_input(&sk_bytes).map_err(|e| kex_error(e, "--signing-key"))?;
    let cert = certificate(inputs, "--signer-cert", &a.signer_cert)?;
    let peer = peer_key(inputs, "--peer-cert", &a.peer_cert)?
        .into_ec()
        .map_err(|e| kex_error(e, "--peer-cert"))?;
    let own = a
        .private_key
        .as_deref()
        .map(|p| ec_private_key(inputs, p))
        .transpose()?;
    let key = inputs.secret_hex("--key", &a.key)?;
    let params = WrapParams {
        originator: own
            .as_ref()
            .map_or(Originator::Ephemeral, Originator::Static),
        receiver: &peer,
        derivation: Derivation {
            kdf: kdf::Kdf::X963,
            hash: a.hash.into(),
            shared_info: &info,
            kbpk_type: a.kbpk_type.into(),
        },
        freshness: nonce
            .as_deref()
            .map_or(Freshness::SigningTime(time), Freshness::Nonce),
    };
    let signer = Signer {
        key: &signing_key,
        certificate: &cert,
        include_certificate: !a.no_certificate,
    };
    let package = signed::wrap_signed(
        &signer,
        &params,
        &header,
        &ClearKey::new(&key),
        &WrapOptions::with_profile(profile),
        &mut OsRng,
    )
    .map_err(|e| kex_error(e, "--header"))?;
    out.primary("package", encode_upper(&package));
    Ok(())
}

fn signed_unwrap(a: &EcdhSignedUnwrapArgs, inputs: &mut Inputs, out: &mut Output) -> CliResult<()> {
    use paycrypt_kex::signed::{self, FreshnessCheck, SenderTrust, UnwrapParams};
    let text = inputs.secret_text("--package", &a.package)?;
    let package = hex_bytes("--package", text.trim())?;
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let now = match &a.now {
        Some(t) => crate::time::parse("--now", t)?,
        None => crate::time::now(),
    };
    let own = ec_private_key(inputs, &a.private_key)?;
    let (pinned, ca) = match (&a.sender_cert, &a.ca) {
        (Some(p), _) => (Some(certificate(inputs, "--sender-cert", p)?), None),
        (None, Some(c)) => (None, Some(certificate(inputs, "--ca", c)?)),
        (None, None) => return Err(CliError::usage("--sender-cert or --ca is required")),
    };
    let trust = match (&pinned, &ca) {
        (Some(p), _) => SenderTrust::Pinned(p),
        (None, Some(c)) => SenderTrust::IssuedBy(c),
        (None, None) => return Err(CliError::usage("--sender-cert or --ca is required")),
    };
    let sender_key = a
        .sender_key
        .as_deref()
        .map(|p| {
            peer_key(inputs, "--sender-key", p)?
                .into_ec()
                .map_err(|e| kex_error(e, "--sender-key"))
        })
        .transpose()?;
    let params = UnwrapParams {
        trust,
        now,
        freshness: nonce.as_deref().map_or(
            FreshnessCheck::SigningTime {
                max_skew: core::time::Duration::from_secs(a.max_skew),
            },
            FreshnessCheck::Nonce,
        ),
        sender_static: sender_key.as_ref(),
        profile: KbProfile::Interop,
    };
    let o =
        signed::unwrap_signed(&package, &own, &params).map_err(|e| kex_error(e, "--package"))?;
    out.primary("key", encode_upper(o.unwrapped.key().expose_bytes()));
    out.field("header", o.unwrapped.header().encode());
    out.field("kbpk_kcv", encode_upper(&o.kbpk.kcv()));
    out.field("signing_time", o.signing_time.map(|t| t.as_secs()));
    Ok(())
}

fn derivation<'a>(d: &DerivArgs, info: &'a [u8]) -> Derivation<'a> {
    Derivation {
        kdf: d.kdf.into(),
        hash: d.hash.into(),
        shared_info: info,
        kbpk_type: d.kbpk_type.into(),
    }
}

/// Runs an `rsa` subcommand.
pub fn run_rsa(command: RsaCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let mut out = Output::new();
    match command {
        RsaCommand::Wrap(a) => {
            let public = peer_key(inputs, "--cert", &a.cert)?
                .into_rsa()
                .map_err(|e| kex_error(e, "--cert"))?;
            let key = inputs.secret_hex("--key", &a.key)?;
            let t = KeyType::from(a.key_type);
            let scheme = OaepScheme::from(a.scheme);
            let seed = a
                .seed
                .as_deref()
                .map(|s| hex_bytes("--seed", s).map(Zeroizing::new))
                .transpose()?;
            let c = match &seed {
                Some(s) => rsawrap::wrap_with_seed(&public, scheme, t, &key, s),
                None => rsawrap::wrap(&public, scheme, t, &key, &mut OsRng),
            }
            .map_err(|e| match e {
                KexError::Length {
                    what: "OAEP seed", ..
                } => kex_error(e, "--seed"),
                e => kex_error(e, "--key"),
            })?;
            out.primary("cryptogram", encode_upper(&c));
            out.field("modulus_bits", rsawrap::modulus_bits(&public));
        }
        RsaCommand::Unwrap(a) => {
            let bytes = read_file(inputs, "--private-key", &a.private_key)?;
            let private = paycrypt_kex::RsaPrivateKey::from_input(&bytes)
                .map_err(|e| kex_error(e, "--private-key"))?;
            let text = inputs.secret_text("--cryptogram", &a.cryptogram)?;
            let c = hex_bytes("--cryptogram", &text)?;
            let t = KeyType::from(a.key_type);
            let key = rsawrap::unwrap(&private, a.scheme.into(), t, &c)
                .map_err(|e| kex_error(e, "--cryptogram"))?;
            out.primary("key", encode_upper(&key));
            out.field("kcv", kcv_of(t, &key)?);
        }
    }
    Ok(out)
}
