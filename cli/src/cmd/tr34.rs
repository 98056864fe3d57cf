//! `paycrypt tr34 open|build|random-token` over `paycrypt-tr34` (ASC X9 TR-34-2019). A token
//! that does not parse exits 2; every failure after parsing is the crate's single
//! `Error::Rejected` (exit 1).

use crate::args::{Tr34BuildArgs, Tr34Command, Tr34Layout, Tr34OpenArgs, Tr34RandomTokenArgs};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes, secret_hex};
use crate::output::Output;
use crate::time;
use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::SymmetricKey;
use paycrypt_primitives::rng::{OsRng, ReplayRng};
use paycrypt_tr34::{
    Certificate, Crl, Error as Tr34Error, KdhTrust, KeyHeader, KeyToken, KeyTokenBuilder, Krd,
    Layout, Pass, RandomNumberToken, SoftwareRsaKey, hex_form,
};
use zeroize::Zeroizing;

/// Runs a `tr34` subcommand.
pub fn run(command: Tr34Command, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        Tr34Command::Open(a) => open(&a, inputs),
        Tr34Command::Build(a) => build(&a, inputs),
        Tr34Command::RandomToken(a) => random_token(&a),
        Tr34Command::Token(c) => super::tr34_token::run(c, inputs),
    }
}

/// Maps a TR-34 error for `option`: the exit code follows [`Tr34Error::class`]; parse errors
/// exit 2 naming the option, everything after parsing exits 1 with one message.
pub(crate) fn tr34_error(e: Tr34Error, option: &str) -> CliError {
    let class = e.class();
    match e {
        // After the signature verified and the KeyBlock decrypted: the rule is named.
        Tr34Error::KeyBlockMismatch { .. } | Tr34Error::KeyLength { .. } => {
            CliError::classified(class, format!("{option}: {e}"))
        }
        _ if class == ErrorClass::Rejected => CliError::classified(class, "TR-34 token rejected"),
        _ => CliError::classified(class, format!("{option}: {e}")),
    }
}

/// Reads a file option (`-` is stdin, `@FILE` is accepted too), at most 64 KiB.
pub(crate) fn read_file(
    inputs: &mut Inputs,
    option: &str,
    path: &str,
) -> CliResult<Zeroizing<Vec<u8>>> {
    inputs.read_file(option, path)
}

pub(crate) fn certificate(inputs: &mut Inputs, option: &str, path: &str) -> CliResult<Certificate> {
    let bytes = read_file(inputs, option, path)?;
    Certificate::from_pem_or_der(&bytes).map_err(|e| tr34_error(e, option))
}

pub(crate) fn rsa_key(inputs: &mut Inputs, option: &str, path: &str) -> CliResult<SoftwareRsaKey> {
    let bytes = read_file(inputs, option, path)?;
    SoftwareRsaKey::from_pkcs8_pem_or_der(&bytes).map_err(|e| tr34_error(e, option))
}

fn open(args: &Tr34OpenArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let token_bytes = read_file(inputs, "--token", &args.token)?;
    let token = KeyToken::from_der_or_hex(&token_bytes).map_err(|e| tr34_error(e, "--token"))?;
    let nonce = args
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let not_before = args
        .not_before
        .as_deref()
        .map(|t| time::parse("--not-before", t))
        .transpose()?;
    let at = match &args.at {
        Some(t) => time::parse("--at", t)?,
        None => time::now(),
    };
    let freshness = match (token.pass_mode(), &nonce, not_before) {
        (Pass::TwoPass { .. }, Some(n), None) => Pass::TwoPass {
            nonce: n.as_slice(),
        },
        (Pass::TwoPass { .. }, None, _) => {
            return Err(CliError::usage("--nonce: required for a two-pass token"));
        }
        (Pass::TwoPass { .. }, Some(_), Some(_)) => {
            return Err(CliError::usage("--not-before: only for a one-pass token"));
        }
        (Pass::OnePass { .. }, Some(_), _) => {
            return Err(CliError::usage("--nonce: refused for a one-pass token"));
        }
        (Pass::OnePass { .. }, None, Some(t)) => Pass::OnePass {
            signing_time: Some(t),
        },
        (Pass::OnePass { .. }, None, None) => Pass::OnePass { signing_time: None },
    };
    let krd_key = rsa_key(inputs, "--krd-key", &args.krd_key)?;
    let kdh_cert = certificate(inputs, "--kdh-cert", &args.kdh_cert)?;
    let anchors = args
        .ca_cert
        .iter()
        .map(|p| certificate(inputs, "--ca-cert", p))
        .collect::<CliResult<Vec<_>>>()?;
    let trust = KdhTrust {
        kdh_certificate: &kdh_cert,
        anchors: &anchors,
        crls: &[],
        at,
    };
    let opened = token
        .open(&Krd::new(&krd_key), &trust, freshness)
        .map_err(|e| tr34_error(e, "--token"))?;
    let mut out = Output::new();
    out.primary("key", encode_upper(opened.key.expose_bytes()));
    out.field("header", opened.header.as_str());
    out.field("layout", opened.layout.name());
    out.field("pass", opened.mode.name());
    Ok(out)
}

fn layout(l: Option<Tr34Layout>) -> Layout {
    match l {
        Some(Tr34Layout::Aws) => Layout::AwsX9Tr34_2012,
        Some(Tr34Layout::Rfc5652) => Layout::Rfc5652,
        Some(Tr34Layout::X92019) | None => Layout::X9Tr34_2019AnnexB,
    }
}

fn build(args: &Tr34BuildArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let header = KeyHeader::parse(&args.header).map_err(|e| tr34_error(e, "--header"))?;
    let nonce = args
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let key_bytes = inputs.secret_hex("--key", &args.key)?;
    // The key's type follows the header's algorithm: the key-block rule
    // (`paycrypt_keyblock::key_algorithm`); TR-34's narrower one (TDES or AES-128) is checked
    // by the builder.
    let algorithm =
        paycrypt_keyblock::key_algorithm(header.key_block_header().algorithm(), key_bytes.len())
            .map_err(|e| CliError::classified(e.class(), format!("--key: {e}")))?;
    let key = SymmetricKey::new(algorithm, &key_bytes)
        .map_err(|e| CliError::usage(format!("--key: {e}")))?;
    let kdh_key = rsa_key(inputs, "--kdh-key", &args.kdh_key)?;
    let kdh_cert = certificate(inputs, "--kdh-cert", &args.kdh_cert)?;
    let krd_cert = certificate(inputs, "--krd-cert", &args.krd_cert)?;
    let profile = layout(args.layout);
    let transport = match &nonce {
        Some(n) => Pass::TwoPass {
            nonce: n.as_slice(),
        },
        None => Pass::OnePass {
            signing_time: time::now(),
        },
    };
    let crl = match &args.crl {
        Some(path) => {
            let bytes = read_file(inputs, "--crl", path)?;
            Some(Crl::from_pem_or_der(&bytes).map_err(|e| tr34_error(e, "--crl"))?)
        }
        None => None,
    };
    let mut builder = KeyTokenBuilder::new(&kdh_key, &kdh_cert, &krd_cert, profile);
    if args.annex_b_quirks {
        builder = builder.annex_b_quirks();
    }
    if let Some(crl) = &crl {
        builder = builder.crl(crl);
    }
    let der = match (&args.ephemeral_key, &args.iv, &args.oaep_seed) {
        (Some(e), Some(iv), Some(seed)) => {
            let (e, iv, seed) = (
                secret_hex("--ephemeral-key", e)?,
                hex_bytes("--iv", iv)?,
                secret_hex("--oaep-seed", seed)?,
            );
            let (want_key, want_iv) = if algorithm.is_aes() {
                (16, 16)
            } else {
                (24, 8)
            };
            if e.len() != want_key {
                return Err(CliError::usage(format!(
                    "--ephemeral-key: must be {want_key} bytes, not {}",
                    e.len()
                )));
            }
            if iv.len() != want_iv {
                return Err(CliError::usage(format!(
                    "--iv: must be {want_iv} bytes, not {}",
                    iv.len()
                )));
            }
            if seed.len() != 32 {
                return Err(CliError::usage(format!(
                    "--oaep-seed: must be 32 bytes, not {}",
                    seed.len()
                )));
            }
            let material = Zeroizing::new([e.as_slice(), &iv, seed.as_slice()].concat());
            builder.build(&key, &header, transport, &mut ReplayRng::new(&material))
        }
        (None, None, None) => builder.build(&key, &header, transport, &mut OsRng),
        _ => {
            return Err(CliError::usage(
                "--ephemeral-key, --iv and --oaep-seed go together",
            ));
        }
    }
    .map_err(|e| tr34_error(e, "--key"))?;
    let bytes = if args.hex {
        let mut text = hex_form::encode(&der).map_err(|e| tr34_error(e, "--hex"))?;
        text.push('\n');
        text.into_bytes()
    } else {
        der.clone()
    };
    std::fs::write(&args.out, &bytes).map_err(|e| {
        CliError::usage(format!("--out: cannot write '{}': {}", args.out, e.kind()))
    })?;
    let mut out = Output::new();
    out.primary("out", args.out.clone());
    out.field("bytes", der.len());
    out.field("layout", profile.name());
    out.field(
        "pass",
        if nonce.is_some() {
            "two-pass"
        } else {
            "one-pass"
        },
    );
    Ok(out)
}

fn random_token(args: &Tr34RandomTokenArgs) -> CliResult<Output> {
    let token = RandomNumberToken::generate(&mut OsRng, 16).map_err(|e| tr34_error(e, "--out"))?;
    std::fs::write(&args.out, token.to_der()).map_err(|e| {
        CliError::usage(format!("--out: cannot write '{}': {}", args.out, e.kind()))
    })?;
    let mut out = Output::new();
    out.primary("nonce", encode_upper(token.nonce()));
    out.field("out", args.out.clone());
    Ok(out)
}
