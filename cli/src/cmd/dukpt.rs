//! `paycrypt dukpt ...` over `paycrypt-dukpt` (TDES: X9.24-1:2009 Annex A; AES: X9.24-3:2017
//! §6). The KSN's length selects the scheme: 8 (padded with `FF`) or 10 bytes TDES, 12 AES.

use crate::args::{
    DataStyle, DeriveArgs, DukptCommand, InitialKeyArgs, KeySelection, NextKsnArgs, UpdateKeyArgs,
    Usage,
};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use paycrypt_dukpt::{Error as DukptError, aes, tdes};
use paycrypt_primitives::hex::encode_upper;
use serde_json::Value;
use zeroize::Zeroizing;

/// Runs a `dukpt` subcommand.
pub fn run(command: DukptCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        DukptCommand::InitialKey(a) if a.export_kbpk.is_some() => {
            super::dukpt_ops::export_initial_key(&a, inputs)
        }
        DukptCommand::InitialKey(a) => initial_key(&a, inputs),
        DukptCommand::Pin(c) => super::dukpt_ops::pin(c, inputs),
        DukptCommand::Mac(c) => super::dukpt_ops::mac(c, inputs),
        DukptCommand::Data(c) => super::dukpt_ops::data(c, inputs),
        DukptCommand::Derive(a) => derive(&a, inputs),
        DukptCommand::UpdateKey(a) => update_key(&a, inputs),
        DukptCommand::NextKsn(a) => next_ksn(&a),
        DukptCommand::DeriveBatch(a) => super::dukpt_batch::derive_batch(&a, inputs),
    }
}

/// Maps a DUKPT error: the exit code follows [`DukptError::class`] (counter and state
/// failures exit 1, malformed input exits 2); the message names the option.
pub fn dukpt_error(e: DukptError, option: &str) -> CliError {
    let message = match e {
        DukptError::Exhausted | DukptError::ReservedCounter | DukptError::CounterNotValid => {
            e.to_string()
        }
        DukptError::KeyTypeNotAllowed => format!("--key-type: {e}"),
        DukptError::KsnLength { .. } => format!("--ksn: {e}"),
        other => format!("{option}: {other}"),
    };
    CliError::classified(e.class(), message)
}

/// A parsed KSN of either scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ksn {
    Tdes(tdes::Ksn),
    Aes(aes::Ksn),
}

impl Ksn {
    pub(crate) fn scheme(&self) -> &'static str {
        match self {
            Self::Tdes(_) => "tdes",
            Self::Aes(_) => "aes",
        }
    }

    pub(crate) fn hex(&self) -> String {
        match self {
            Self::Tdes(k) => encode_upper(k.as_bytes()),
            Self::Aes(k) => encode_upper(k.as_bytes()),
        }
    }

    fn counter(&self) -> u32 {
        match self {
            Self::Tdes(k) => k.counter(),
            Self::Aes(k) => k.counter(),
        }
    }
}

/// Parses a KSN: 8 bytes (left-padded with `FF`) or 10 bytes TDES, 12 bytes AES.
pub(crate) fn parse_ksn(option: &str, text: &str) -> CliResult<Ksn> {
    let bytes = hex_bytes(option, text)?;
    let ksn = match bytes.len() {
        8 => tdes::Ksn::from_8_bytes_padded(&bytes).map(Ksn::Tdes),
        10 => <[u8; 10]>::try_from(bytes.as_slice())
            .map(|a| Ksn::Tdes(tdes::Ksn::from(a)))
            .map_err(|_| DukptError::KsnLength {
                expected: 10,
                got: bytes.len(),
            }),
        12 => <[u8; 12]>::try_from(bytes.as_slice())
            .map(|a| Ksn::Aes(aes::Ksn::from(a)))
            .map_err(|_| DukptError::KsnLength {
                expected: 12,
                got: bytes.len(),
            }),
        n => {
            return Err(CliError::usage(format!(
                "{option}: a KSN is 8 or 10 bytes (TDES) or 12 bytes (AES), not {n}"
            )));
        }
    };
    ksn.map_err(|e| CliError::usage(format!("{option}: {e}")))
}

/// A TDES BDK: 16 bytes exactly.
pub(crate) fn tdes_bdk(option: &str, bytes: &[u8]) -> CliResult<tdes::Bdk> {
    if bytes.len() != 16 {
        return Err(CliError::usage(format!(
            "{option}: a TDES DUKPT BDK is 16 bytes, not {}",
            bytes.len()
        )));
    }
    tdes::Bdk::from_bytes(bytes).map_err(|e| dukpt_error(e, option))
}

/// An AES BDK: 16, 24 or 32 bytes.
pub(crate) fn aes_bdk(option: &str, bytes: &[u8]) -> CliResult<aes::Bdk> {
    if ![16, 24, 32].contains(&bytes.len()) {
        return Err(CliError::usage(format!(
            "{option}: an AES DUKPT BDK is 16, 24 or 32 bytes, not {}",
            bytes.len()
        )));
    }
    aes::Bdk::from_bytes(bytes).map_err(|e| dukpt_error(e, option))
}

/// A usage as `--usage` spells it.
fn usage_cli_name(u: Usage) -> Option<String> {
    use clap::ValueEnum;
    u.to_possible_value().map(|v| v.get_name().to_owned())
}

/// The name printed in JSON for a usage.
fn usage_name(u: Option<Usage>) -> Value {
    u.and_then(usage_cli_name)
        .map_or(Value::Null, Value::String)
}

/// What to derive, resolved for one scheme.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Selection {
    /// TDES: the transaction key, or a working key.
    Tdes(Option<tdes::KeyVariant>),
    /// AES: the intermediate derivation key, or a working key of a type (None = BDK's type).
    Aes(Option<(aes::KeyUsage, Option<aes::KeyType>)>),
}

/// Checks the usage / key-type / data-style options against the scheme (exit 2 on mismatch).
pub(super) fn resolve_selection(sel: &KeySelection, scheme_is_aes: bool) -> CliResult<Selection> {
    if scheme_is_aes {
        if sel.data_style.is_some() {
            return Err(CliError::usage(
                "--data-style: only for TDES DUKPT (10-byte KSN)",
            ));
        }
        let usage = match sel.usage {
            None => {
                if sel.key_type.is_some() {
                    return Err(CliError::usage("--key-type: needs --usage"));
                }
                return Ok(Selection::Aes(None));
            }
            // The AES usages are spelled as `paycrypt-dukpt` names them.
            Some(u) => match usage_cli_name(u).and_then(|n| aes::KeyUsage::from_name(&n)) {
                Some(usage) => usage,
                None => {
                    return Err(CliError::usage(
                        "--usage: a TDES DUKPT usage; AES usages are kek, pin, mac-generate, mac-verify, mac-both, data-encrypt, data-decrypt, data-both, key-derivation",
                    ));
                }
            },
        };
        Ok(Selection::Aes(Some((usage, sel.key_type))))
    } else {
        if sel.key_type.is_some() {
            return Err(CliError::usage(
                "--key-type: only for AES DUKPT (12-byte KSN)",
            ));
        }
        let style = match sel.data_style.unwrap_or_default() {
            DataStyle::Owf => tdes::DataKeyStyle::Owf2009,
            DataStyle::Variant => tdes::DataKeyStyle::BareVariant,
        };
        let is_data = matches!(sel.usage, Some(Usage::DataRequest | Usage::DataResponse));
        if sel.data_style.is_some() && !is_data {
            return Err(CliError::usage(
                "--data-style: only with --usage data-request or data-response",
            ));
        }
        let usage = match sel.usage {
            None => None,
            Some(Usage::Pin) => Some(tdes::KeyVariant::Pin),
            Some(Usage::MacRequest) => Some(tdes::KeyVariant::MacRequest),
            Some(Usage::MacResponse) => Some(tdes::KeyVariant::MacResponse),
            Some(Usage::DataRequest) => Some(tdes::KeyVariant::DataRequest(style)),
            Some(Usage::DataResponse) => Some(tdes::KeyVariant::DataResponse(style)),
            Some(_) => {
                return Err(CliError::usage(
                    "--usage: an AES DUKPT usage; TDES usages are pin, mac-request, mac-response, data-request, data-response",
                ));
            }
        };
        Ok(Selection::Tdes(usage))
    }
}

/// JSON fields common to derived keys.
fn describe(out: &mut Output, ksn: &Ksn, sel: &KeySelection, key_type: Option<aes::KeyType>) {
    out.field("scheme", ksn.scheme());
    out.field("ksn", ksn.hex());
    out.field(
        "counter",
        format!(
            "{:0width$X}",
            ksn.counter(),
            width = if matches!(ksn, Ksn::Tdes(_)) { 6 } else { 8 }
        ),
    );
    out.field("usage", usage_name(sel.usage));
    out.field(
        "key_type",
        key_type.map_or(Value::Null, |t| Value::String(t.name().to_owned())),
    );
}

fn initial_key(args: &InitialKeyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let ksn = parse_ksn("--ksn", &args.ksn)?;
    let bdk = inputs.secret_hex("--bdk", &args.bdk)?;
    let mut out = Output::new();
    match ksn {
        Ksn::Tdes(k) => {
            let bdk = tdes_bdk("--bdk", &bdk)?;
            let ipek = bdk.ipek(&k);
            out.primary("key", encode_upper(ipek.expose_key().expose_bytes()));
        }
        Ksn::Aes(k) => {
            let bdk = aes_bdk("--bdk", &bdk)?;
            let ik = bdk.initial_key(&k.initial_key_id());
            let key = ik.expose_key();
            out.primary("key", encode_upper(key.expose_bytes()));
            out.field(
                "initial_key_id",
                encode_upper(&k.initial_key_id().to_bytes()),
            );
        }
    }
    out.field("scheme", ksn.scheme());
    out.field("ksn", ksn.hex());
    Ok(out)
}

/// The starting point of a derivation (one per run: the size difference does not matter).
#[allow(clippy::large_enum_variant)]
pub(crate) enum Root {
    TdesBdk(tdes::Bdk),
    TdesIpek(tdes::Ipek),
    AesBdk(aes::Bdk),
    AesIk(aes::InitialKey),
}

fn derive(args: &DeriveArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let ksn = parse_ksn("--ksn", &args.ksn)?;
    let selection = resolve_selection(&args.select, matches!(ksn, Ksn::Aes(_)))?;
    let root = match (&args.bdk, &args.ik, ksn) {
        (Some(b), _, Ksn::Tdes(_)) => {
            Root::TdesBdk(tdes_bdk("--bdk", &inputs.secret_hex("--bdk", b)?)?)
        }
        (Some(b), _, Ksn::Aes(_)) => {
            Root::AesBdk(aes_bdk("--bdk", &inputs.secret_hex("--bdk", b)?)?)
        }
        (None, Some(i), Ksn::Tdes(_)) => {
            let bytes = inputs.secret_hex("--ik", i)?;
            if bytes.len() != 16 {
                return Err(CliError::usage(format!(
                    "--ik: a TDES IPEK is 16 bytes, not {}",
                    bytes.len()
                )));
            }
            Root::TdesIpek(tdes::Ipek::from_bytes(&bytes).map_err(|e| dukpt_error(e, "--ik"))?)
        }
        (None, Some(i), Ksn::Aes(k)) => {
            let bytes = inputs.secret_hex("--ik", i)?;
            if ![16, 24, 32].contains(&bytes.len()) {
                return Err(CliError::usage(format!(
                    "--ik: an AES initial key is 16, 24 or 32 bytes, not {}",
                    bytes.len()
                )));
            }
            Root::AesIk(
                aes::InitialKey::from_bytes(&bytes, k.initial_key_id())
                    .map_err(|e| dukpt_error(e, "--ik"))?,
            )
        }
        (None, None, _) => return Err(CliError::usage("one of --bdk or --ik is required")),
    };
    let mut out = Output::new();
    let (key, key_type) = derive_one(&root, &ksn, selection)?;
    out.primary("key", encode_upper(&key));
    describe(&mut out, &ksn, &args.select, key_type);
    if args.trace {
        super::dukpt_ops::trace_derive(&root, &ksn, selection, key_type, &mut out)?;
    }
    Ok(out)
}

/// Derives one key; returns its bytes and (AES) its type.
fn derive_one(
    root: &Root,
    ksn: &Ksn,
    selection: Selection,
) -> CliResult<(Zeroizing<Vec<u8>>, Option<aes::KeyType>)> {
    let err = |e| dukpt_error(e, "--ksn");
    let bytes = |b: &[u8]| Zeroizing::new(b.to_vec());
    match (root, ksn, selection) {
        (Root::TdesBdk(bdk), Ksn::Tdes(k), Selection::Tdes(None)) => Ok((
            bytes(bdk.transaction_key(k).expose_key().expose_bytes()),
            None,
        )),
        (Root::TdesBdk(bdk), Ksn::Tdes(k), Selection::Tdes(Some(u))) => {
            Ok((bytes(bdk.working_key(k, u).expose_bytes()), None))
        }
        (Root::TdesIpek(ipek), Ksn::Tdes(k), Selection::Tdes(None)) => Ok((
            bytes(ipek.transaction_key(k).expose_key().expose_bytes()),
            None,
        )),
        (Root::TdesIpek(ipek), Ksn::Tdes(k), Selection::Tdes(Some(u))) => {
            Ok((bytes(ipek.working_key(k, u).expose_bytes()), None))
        }
        (Root::AesBdk(bdk), Ksn::Aes(k), Selection::Aes(None)) => {
            let key = bdk.intermediate_key(k).map_err(err)?.expose_key();
            Ok((bytes(key.expose_bytes()), Some(bdk.key_type())))
        }
        (Root::AesBdk(bdk), Ksn::Aes(k), Selection::Aes(Some((u, t)))) => {
            let t = t.unwrap_or(bdk.key_type());
            Ok((
                bytes(bdk.working_key(k, u, t).map_err(err)?.expose_bytes()),
                Some(t),
            ))
        }
        (Root::AesIk(ik), Ksn::Aes(k), Selection::Aes(None)) => {
            let key = ik.intermediate_key(k.counter()).map_err(err)?.expose_key();
            Ok((bytes(key.expose_bytes()), Some(ik.key_type())))
        }
        (Root::AesIk(ik), Ksn::Aes(k), Selection::Aes(Some((u, t)))) => {
            let t = t.unwrap_or(ik.key_type());
            Ok((
                bytes(
                    ik.working_key(k.counter(), u, t)
                        .map_err(err)?
                        .expose_bytes(),
                ),
                Some(t),
            ))
        }
        _ => Err(CliError::usage(
            "--ksn: the KSN's scheme does not match the key",
        )),
    }
}

fn update_key(args: &UpdateKeyArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let ksn = match parse_ksn("--ksn", &args.ksn)? {
        Ksn::Aes(k) => k,
        Ksn::Tdes(_) => {
            return Err(CliError::usage(
                "--ksn: update keys are AES DUKPT only (12-byte KSN)",
            ));
        }
    };
    let bdk = aes_bdk("--bdk", &inputs.secret_hex("--bdk", &args.bdk)?)?;
    let key_type = args.key_type.unwrap_or(bdk.key_type());
    let key = bdk
        .update_key(&ksn.initial_key_id(), key_type)
        .map_err(|e| dukpt_error(e, "--bdk"))?;
    let mut out = Output::new();
    out.primary("key", encode_upper(key.expose_bytes()));
    out.field("scheme", "aes");
    out.field(
        "initial_key_id",
        encode_upper(&ksn.initial_key_id().to_bytes()),
    );
    out.field("key_type", key_type.name());
    Ok(out)
}

fn next_ksn(args: &NextKsnArgs) -> CliResult<Output> {
    let ksn = parse_ksn("--ksn", &args.ksn)?;
    let next = match ksn {
        Ksn::Tdes(k) => Ksn::Tdes(k.next().map_err(|e| dukpt_error(e, "--ksn"))?),
        Ksn::Aes(k) => Ksn::Aes(k.next().map_err(|e| dukpt_error(e, "--ksn"))?),
    };
    let mut out = Output::new();
    out.primary("ksn", next.hex());
    out.field("scheme", next.scheme());
    out.field(
        "counter",
        format!(
            "{:0width$X}",
            next.counter(),
            width = if matches!(next, Ksn::Tdes(_)) { 6 } else { 8 }
        ),
    );
    Ok(out)
}
