//! `paycrypt tr34 token build|verify --kind K` for the TR-34 tokens other than the key token
//! (ASC X9 TR-34-2019 §5.5, Annex B): RT-KRD (B.9), CT-KRD (B.7), CT-KDH (B.6), UBT-KDH (B.14),
//! UBT-CA (B.13), RBT-KDH (B.11), RBT-CA (B.10), over `paycrypt-tr34`.

use crate::cmd::tr34::{certificate, read_file, rsa_key, tr34_error};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use crate::time;
use clap::{Args, Subcommand, ValueEnum};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::rng::OsRng;
use paycrypt_primitives::subtle::ConstantTimeEq;
use paycrypt_tr34::{
    BindKind, BindToken, Certificate, CredentialToken, Crl, RandomNumberToken, hex_form,
};

/// A TR-34 token kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenKind {
    /// Random number token of the KRD (B.9): the nonce of a two-pass exchange.
    RtKrd,
    /// KRD credential token (B.7): the KRD's certificate.
    CtKrd,
    /// KDH credential token (B.6): the KDH's certificate and the CA-KDH CRL.
    CtKdh,
    /// Unbind token signed by the KDH (B.14).
    UbtKdh,
    /// Unbind token signed by CA-KRD (B.13).
    UbtCa,
    /// Rebind token signed by the old KDH (B.11).
    RbtKdh,
    /// Rebind token signed by CA-KRD (B.10).
    RbtCa,
}

impl TokenKind {
    fn name(self) -> &'static str {
        match self {
            Self::RtKrd => "rt-krd",
            Self::CtKrd => "ct-krd",
            Self::CtKdh => "ct-kdh",
            Self::UbtKdh => "ubt-kdh",
            Self::UbtCa => "ubt-ca",
            Self::RbtKdh => "rbt-kdh",
            Self::RbtCa => "rbt-ca",
        }
    }

    fn bind(self) -> Option<BindKind> {
        match self {
            Self::UbtKdh => Some(BindKind::UnbindKdh),
            Self::UbtCa => Some(BindKind::UnbindCa),
            Self::RbtKdh => Some(BindKind::RebindKdh),
            Self::RbtCa => Some(BindKind::RebindCa),
            Self::RtKrd | Self::CtKrd | Self::CtKdh => None,
        }
    }
}

/// `tr34 token` commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Builds a TR-34 token of a kind (DER, or hex with --hex) into --out.
    #[command(
        after_help = "Examples:\n  paycrypt tr34 token build --kind ct-krd --cert krd.crt.pem --out ct.der\n  paycrypt tr34 token build --kind ubt-kdh --signer-key kdh.key.pem --signer-cert kdh.crt.pem --krd-cert krd.crt.pem --nonce 0011223344556677 --out ubt.der\n  paycrypt tr34 token build --kind rbt-ca --signer-key ca_krd.key.pem --signer-cert ca_krd.crt.pem --krd-cert krd.crt.pem --kdh-cert kdh.crt.pem --new-kdh-cert kdh2.crt.pem --out rbt.der"
    )]
    Build(TokenBuildArgs),
    /// Parses and verifies a TR-34 token of a kind (exit 1 when it does not verify).
    #[command(
        after_help = "Examples:\n  paycrypt tr34 token verify --kind rt-krd --token rt.der --nonce 00112233445566778899AABBCCDDEEFF\n  paycrypt tr34 token verify --kind ubt-kdh --token ubt.der --signer-cert kdh.crt.pem --krd-cert krd.crt.pem --nonce 0011223344556677"
    )]
    Verify(TokenVerifyArgs),
}

/// `tr34 token build`.
#[derive(Debug, Args)]
pub struct TokenBuildArgs {
    /// Token kind.
    #[arg(long, value_name = "K")]
    pub kind: TokenKind,
    /// Output file.
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// Write the hex form instead of DER.
    #[arg(long)]
    pub hex: bool,
    /// The credential certificate (ct-krd: the KRD's, ct-kdh: the KDH's; PEM or DER file).
    #[arg(long, value_name = "PEM")]
    pub cert: Option<String>,
    /// A CRL to carry (ct-kdh: the CA-KDH CRL; unbind/rebind tokens; PEM or DER file).
    #[arg(long, value_name = "PEM")]
    pub crl: Option<String>,
    /// The signer's private key file (unbind/rebind tokens: the KDH, or CA-KRD for *-ca).
    #[arg(long, value_name = "FILE")]
    pub signer_key: Option<String>,
    /// The signer's certificate.
    #[arg(long, value_name = "PEM")]
    pub signer_cert: Option<String>,
    /// The KRD's certificate (unbind/rebind tokens name it).
    #[arg(long, value_name = "PEM")]
    pub krd_cert: Option<String>,
    /// The KDH's certificate (ubt-ca, rbt-ca name it).
    #[arg(long, value_name = "PEM")]
    pub kdh_cert: Option<String>,
    /// The new KDH's certificate (rebind tokens).
    #[arg(long, value_name = "PEM")]
    pub new_kdh_cert: Option<String>,
    /// The nonce (rt-krd: default 16 random bytes; ubt-kdh, rbt-kdh: the KRD's nonce, required).
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<String>,
    /// Signing time of an rbt-ca token (RFC 3339; default now).
    #[arg(long, value_name = "TIME")]
    pub signing_time: Option<String>,
}

/// `tr34 token verify`.
#[derive(Debug, Args)]
pub struct TokenVerifyArgs {
    /// Token kind expected.
    #[arg(long, value_name = "K")]
    pub kind: TokenKind,
    /// The token file (DER or hex).
    #[arg(long, value_name = "FILE")]
    pub token: String,
    /// The signer's certificate (unbind/rebind tokens: required).
    #[arg(long, value_name = "PEM")]
    pub signer_cert: Option<String>,
    /// The KRD the token must name (unbind/rebind tokens).
    #[arg(long, value_name = "PEM")]
    pub krd_cert: Option<String>,
    /// The KDH the token must name (ubt-ca, rbt-ca).
    #[arg(long, value_name = "PEM")]
    pub kdh_cert: Option<String>,
    /// A CA that must have issued the credential certificate (ct-krd, ct-kdh).
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<String>,
    /// The nonce the token must carry (rt-krd; ubt-kdh and rbt-kdh: required).
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<String>,
}

/// A certificate's serial number as hex (the INTEGER's content, without its DER tag and length).
fn serial_hex(c: &Certificate) -> String {
    let der = c.serial_der();
    let body = match der {
        [0x02, len, rest @ ..] if usize::from(*len) == rest.len() => rest,
        _ => der,
    };
    encode_upper(body)
}

/// Runs a `tr34 token` subcommand.
pub fn run(command: TokenCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        TokenCommand::Build(a) => build(&a, inputs),
        TokenCommand::Verify(a) => verify(&a, inputs),
    }
}

fn need<'a>(value: Option<&'a String>, option: &str, kind: TokenKind) -> CliResult<&'a str> {
    value
        .map(String::as_str)
        .ok_or_else(|| CliError::usage(format!("{option}: required for --kind {}", kind.name())))
}

fn refuse(value: Option<&String>, option: &str, kind: TokenKind) -> CliResult<()> {
    match value {
        Some(_) => Err(CliError::usage(format!(
            "{option}: not used with --kind {}",
            kind.name()
        ))),
        None => Ok(()),
    }
}

fn crl(inputs: &mut Inputs, path: Option<&String>) -> CliResult<Option<Crl>> {
    path.map(|p| {
        let bytes = read_file(inputs, "--crl", p)?;
        Crl::from_pem_or_der(&bytes).map_err(|e| tr34_error(e, "--crl"))
    })
    .transpose()
}

fn build(a: &TokenBuildArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let k = a.kind;
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let mut out = Output::new();
    let der = match k.bind() {
        None => {
            for (v, o) in [
                (&a.signer_key, "--signer-key"),
                (&a.signer_cert, "--signer-cert"),
                (&a.krd_cert, "--krd-cert"),
                (&a.kdh_cert, "--kdh-cert"),
                (&a.new_kdh_cert, "--new-kdh-cert"),
                (&a.signing_time, "--signing-time"),
            ] {
                refuse(v.as_ref(), o, k)?;
            }
            match k {
                TokenKind::RtKrd => {
                    refuse(a.cert.as_ref(), "--cert", k)?;
                    refuse(a.crl.as_ref(), "--crl", k)?;
                    let token = match &nonce {
                        Some(n) => RandomNumberToken::new(n),
                        None => RandomNumberToken::generate(&mut OsRng, 16),
                    }
                    .map_err(|e| tr34_error(e, "--nonce"))?;
                    out.field("nonce", encode_upper(token.nonce()));
                    token.to_der()
                }
                _ => {
                    refuse(a.nonce.as_ref(), "--nonce", k)?;
                    if k == TokenKind::CtKrd {
                        refuse(a.crl.as_ref(), "--crl", k)?;
                    }
                    let cert = certificate(inputs, "--cert", need(a.cert.as_ref(), "--cert", k)?)?;
                    let crl = crl(inputs, a.crl.as_ref())?;
                    CredentialToken::new(cert, crl).to_der()
                }
            }
        }
        Some(bind) => {
            refuse(a.cert.as_ref(), "--cert", k)?;
            let kdh_side = matches!(k, TokenKind::UbtKdh | TokenKind::RbtKdh);
            let rebind = matches!(k, TokenKind::RbtKdh | TokenKind::RbtCa);
            if kdh_side {
                refuse(a.kdh_cert.as_ref(), "--kdh-cert", k)?;
                if nonce.is_none() {
                    return Err(CliError::usage(format!(
                        "--nonce: required for --kind {}",
                        k.name()
                    )));
                }
            } else if nonce.is_some() {
                return Err(CliError::usage(format!(
                    "--nonce: not used with --kind {}",
                    k.name()
                )));
            }
            if !rebind {
                refuse(a.new_kdh_cert.as_ref(), "--new-kdh-cert", k)?;
            }
            if k != TokenKind::RbtCa {
                refuse(a.signing_time.as_ref(), "--signing-time", k)?;
            }
            let signer_key = rsa_key(
                inputs,
                "--signer-key",
                need(a.signer_key.as_ref(), "--signer-key", k)?,
            )?;
            let signer_cert = certificate(
                inputs,
                "--signer-cert",
                need(a.signer_cert.as_ref(), "--signer-cert", k)?,
            )?;
            let krd = certificate(
                inputs,
                "--krd-cert",
                need(a.krd_cert.as_ref(), "--krd-cert", k)?,
            )?;
            let kdh = if kdh_side {
                None
            } else {
                Some(certificate(
                    inputs,
                    "--kdh-cert",
                    need(a.kdh_cert.as_ref(), "--kdh-cert", k)?,
                )?)
            };
            let new_kdh = if rebind {
                Some(certificate(
                    inputs,
                    "--new-kdh-cert",
                    need(a.new_kdh_cert.as_ref(), "--new-kdh-cert", k)?,
                )?)
            } else {
                None
            };
            let signing_time = match (k, &a.signing_time) {
                (TokenKind::RbtCa, Some(t)) => Some(time::parse("--signing-time", t)?),
                (TokenKind::RbtCa, None) => Some(time::now()),
                _ => None,
            };
            let crl = crl(inputs, a.crl.as_ref())?;
            let kdh_ias = kdh.as_ref().map(Certificate::issuer_and_serial);
            BindToken::build(
                bind,
                &signer_key,
                &signer_cert,
                &krd.issuer_and_serial(),
                kdh_ias.as_ref(),
                new_kdh.as_ref(),
                nonce.as_deref(),
                signing_time,
                crl.as_ref(),
            )
            .map_err(|e| tr34_error(e, "--kind"))?
        }
    };
    let bytes = if a.hex {
        let mut text = hex_form::encode(&der).map_err(|e| tr34_error(e, "--hex"))?;
        text.push('\n');
        text.into_bytes()
    } else {
        der.clone()
    };
    std::fs::write(&a.out, &bytes)
        .map_err(|e| CliError::usage(format!("--out: cannot write '{}': {}", a.out, e.kind())))?;
    out.primary("out", a.out.clone());
    out.field("kind", k.name());
    out.field("bytes", der.len());
    Ok(out)
}

/// Reads a token file: DER, or the hex form.
fn token_der(inputs: &mut Inputs, path: &str) -> CliResult<Vec<u8>> {
    let bytes = read_file(inputs, "--token", path)?;
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    hex_form::decode(bytes.trim_ascii_end()).map_err(|e| tr34_error(e, "--token"))
}

fn verify(a: &TokenVerifyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let k = a.kind;
    let der = token_der(inputs, &a.token)?;
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex_bytes("--nonce", n))
        .transpose()?;
    let rejected = || CliError::check("TR-34 token rejected");
    let mut out = Output::new();
    match k {
        TokenKind::RtKrd => {
            let t = RandomNumberToken::from_der(&der).map_err(|e| tr34_error(e, "--token"))?;
            if let Some(n) = &nonce
                && !bool::from(t.nonce().ct_eq(n.as_slice()))
            {
                return Err(rejected());
            }
            out.primary("nonce", encode_upper(t.nonce()));
        }
        TokenKind::CtKrd | TokenKind::CtKdh => {
            let t = CredentialToken::from_der(&der, true).map_err(|e| tr34_error(e, "--token"))?;
            let cert = t.certificate().ok_or_else(rejected)?;
            if k == TokenKind::CtKrd && !t.crls().is_empty() {
                return Err(rejected());
            }
            if let Some(ca) = &a.ca_cert {
                let ca = certificate(inputs, "--ca-cert", ca)?;
                cert.verify_issued_by(&ca).map_err(|_| rejected())?;
                for c in t.crls() {
                    c.verify_issued_by(&ca).map_err(|_| rejected())?;
                    if c.lists(cert) {
                        return Err(rejected());
                    }
                }
            }
            out.primary("result", "OK");
            out.field("serial", serial_hex(cert));
            out.field("certificates", t.certificates().len());
            out.field("crls", t.crls().len());
        }
        _ => {
            let t = BindToken::from_der(&der).map_err(|e| tr34_error(e, "--token"))?;
            let signer = certificate(
                inputs,
                "--signer-cert",
                need(a.signer_cert.as_ref(), "--signer-cert", k)?,
            )?;
            let kdh_side = matches!(k, TokenKind::UbtKdh | TokenKind::RbtKdh);
            if kdh_side && nonce.is_none() {
                return Err(CliError::usage(format!(
                    "--nonce: required for --kind {}",
                    k.name()
                )));
            }
            if Some(t.kind()) != k.bind() {
                return Err(rejected());
            }
            t.verify(&signer).map_err(|_| rejected())?;
            if let Some(p) = &a.krd_cert {
                let krd = certificate(inputs, "--krd-cert", p)?;
                if !t.krd().identifies(&krd) {
                    return Err(rejected());
                }
            }
            if let Some(p) = &a.kdh_cert {
                let kdh = certificate(inputs, "--kdh-cert", p)?;
                if !t.kdh().is_some_and(|i| i.identifies(&kdh)) {
                    return Err(rejected());
                }
            }
            if let Some(n) = &nonce {
                let ok = t
                    .nonce()
                    .is_some_and(|got| bool::from(got.ct_eq(n.as_slice())));
                if !ok {
                    return Err(rejected());
                }
            }
            out.primary("result", "OK");
            if let Some(c) = t.new_kdh_certificate() {
                out.field("new_kdh_serial", serial_hex(c));
            }
            if let Some(t) = t.signing_time() {
                out.field("signing_time", t.as_secs());
            }
        }
    }
    out.field("kind", k.name());
    out.field("verified", true);
    Ok(out)
}
