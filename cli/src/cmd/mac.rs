//! `paycrypt mac generate|verify` and `paycrypt kcv` over `paycrypt-mac` (ISO/IEC 9797-1
//! algorithms 1 and 3, CMAC = SP 800-38B, HMAC-SHA-256; KCVs per X9.24-1:2017 A.2 / A.3).

use crate::args::{KcvAlgorithm, KcvArgs, KcvMethod, MacAlgorithm, MacArgs, MacCipher, MacCommand};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes};
use crate::output::Output;
use paycrypt_mac::{Error as MacError, MacKey, MacParams, Padding, generate, verify_mac};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod as CrateKcvMethod, hmac_kcv, kcv as crate_kcv};
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::{AesKey, DesKey, SymmetricKey, TdesKey};

/// Runs a `mac` subcommand.
pub fn run(command: MacCommand, inputs: &mut Inputs) -> CliResult<Output> {
    match command {
        MacCommand::Generate(a) => mac_generate(&a, inputs),
        MacCommand::Verify(a) => mac_verify(&a.mac, &a.expected, inputs),
    }
}

/// Maps a MAC-crate error: the exit code follows [`MacError::class`] (a mismatch exits 1,
/// everything else is malformed input, exit 2); the message names the option.
pub fn mac_error(e: MacError) -> CliError {
    let option = match e {
        MacError::MacLength { .. } | MacError::KcvLength { .. } => "--length: ",
        MacError::HmacKeyLength { .. } | MacError::UnsupportedKey { .. } => "--key: ",
        MacError::IvNotAllowed => "--iv: ",
        MacError::DataTooLong => "--data: ",
        _ => "",
    };
    CliError::classified(e.class(), format!("{option}{e}"))
}

/// Largest `--data-file` read, in bytes.
pub const MAX_DATA_FILE: u64 = 16 * 1024 * 1024;

/// Reads `--data-file`: the file's raw bytes, at most [`MAX_DATA_FILE`].
pub fn data_file(path: &str) -> CliResult<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| {
        CliError::usage(format!(
            "--data-file: cannot read file '{path}': {}",
            e.kind()
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_DATA_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            CliError::usage(format!(
                "--data-file: cannot read file '{path}': {}",
                e.kind()
            ))
        })?;
    if bytes.len() as u64 > MAX_DATA_FILE {
        return Err(CliError::usage(format!(
            "--data-file: larger than {MAX_DATA_FILE} bytes"
        )));
    }
    Ok(bytes)
}

/// The message of a command: exactly one of `--data HEX`, `--data-file FILE` (raw bytes) or
/// `--data-text TEXT` (UTF-8 bytes).
pub fn message(data: Option<&str>, file: Option<&str>, text: Option<&str>) -> CliResult<Vec<u8>> {
    match (data, file, text) {
        (Some(h), None, None) => hex_bytes("--data", h),
        (None, Some(f), None) => data_file(f),
        (None, None, Some(t)) => Ok(t.as_bytes().to_vec()),
        _ => Err(CliError::usage(
            "give exactly one of --data, --data-file or --data-text",
        )),
    }
}

/// A block-cipher key for `cipher` from raw bytes; the message names `option` and the lengths.
fn cipher_key(option: &str, cipher: MacCipher, bytes: &[u8]) -> CliResult<SymmetricKey> {
    let r = match cipher {
        MacCipher::Des => DesKey::from_bytes(bytes).map(SymmetricKey::from),
        MacCipher::Tdes => TdesKey::from_bytes(bytes).map(SymmetricKey::from),
        MacCipher::Aes => AesKey::from_bytes(bytes).map(SymmetricKey::from),
    };
    r.map_err(|_| {
        let want = match cipher {
            MacCipher::Des => "a DES key is 8 bytes",
            MacCipher::Tdes => "a TDES key is 16 or 24 bytes",
            MacCipher::Aes => "an AES key is 16, 24 or 32 bytes",
        };
        CliError::usage(format!("{option}: {want}, not {}", bytes.len()))
    })
}

/// The key and parameters of a MAC computation, checked against the contract.
struct Prepared {
    sym: Option<SymmetricKey>,
    hmac: Option<HmacKey>,
    algorithm: paycrypt_mac::MacAlgorithm,
    iv: Option<Vec<u8>>,
    data: Vec<u8>,
}

impl Prepared {
    fn key(&self) -> CliResult<MacKey<'_>> {
        match (&self.sym, &self.hmac) {
            (Some(k), _) => Ok(MacKey::Symmetric(k)),
            (None, Some(k)) => Ok(MacKey::Hmac(k)),
            (None, None) => Err(CliError::usage("--key: no key")),
        }
    }

    fn params(&self, len: Option<usize>) -> MacParams<'_> {
        let mut p = MacParams::new(self.algorithm);
        if let Some(iv) = &self.iv {
            p = p.with_iv(iv);
        }
        if let Some(n) = len {
            p = p.with_mac_len(n);
        }
        p
    }
}

fn prepare(args: &MacArgs, inputs: &mut Inputs) -> CliResult<Prepared> {
    let iso = matches!(
        args.algorithm,
        MacAlgorithm::Iso9797Alg1 | MacAlgorithm::Iso9797Alg3
    );
    if !iso {
        if args.padding.is_some() {
            return Err(CliError::usage(
                "--padding: only for the ISO 9797-1 algorithms",
            ));
        }
        if args.iv.is_some() {
            return Err(CliError::usage("--iv: only for the ISO 9797-1 algorithms"));
        }
    }
    let padding = match args.padding.unwrap_or(1) {
        1 => Padding::Method1,
        2 => Padding::Method2,
        _ => Padding::Method3,
    };
    let data = message(
        args.data.as_deref(),
        args.data_file.as_deref(),
        args.data_text.as_deref(),
    )?;
    let iv = args
        .iv
        .as_deref()
        .map(|t| hex_bytes("--iv", t))
        .transpose()?;
    let key = inputs.secret_hex("--key", &args.key)?;
    let (sym, hmac, algorithm) = match args.algorithm {
        MacAlgorithm::Iso9797Alg1 => {
            let cipher = args.cipher.ok_or_else(|| {
                CliError::usage("--cipher: iso9797-1-1 needs --cipher des, tdes or aes")
            })?;
            (
                Some(cipher_key("--key", cipher, &key)?),
                None,
                paycrypt_mac::MacAlgorithm::Iso9797Algorithm1 { padding },
            )
        }
        MacAlgorithm::Iso9797Alg3 => {
            if matches!(args.cipher, Some(MacCipher::Aes)) {
                return Err(CliError::usage(
                    "--cipher: iso9797-1-3 is DES-based (no AES)",
                ));
            }
            if key.len() != 16 {
                return Err(CliError::usage(format!(
                    "--key: iso9797-1-3 takes a 16-byte key K||K', not {}",
                    key.len()
                )));
            }
            (
                Some(cipher_key("--key", MacCipher::Tdes, &key)?),
                None,
                paycrypt_mac::MacAlgorithm::Iso9797Algorithm3 { padding },
            )
        }
        MacAlgorithm::Cmac => {
            let cipher = match args.cipher {
                Some(c @ (MacCipher::Tdes | MacCipher::Aes)) => c,
                Some(MacCipher::Des) => {
                    return Err(CliError::usage(
                        "--cipher: cmac needs --cipher tdes or aes, not des",
                    ));
                }
                None => return Err(CliError::usage("--cipher: cmac needs --cipher tdes or aes")),
            };
            (
                Some(cipher_key("--key", cipher, &key)?),
                None,
                paycrypt_mac::MacAlgorithm::Cmac,
            )
        }
        MacAlgorithm::HmacSha1
        | MacAlgorithm::HmacSha224
        | MacAlgorithm::HmacSha256
        | MacAlgorithm::HmacSha384
        | MacAlgorithm::HmacSha512 => {
            if args.cipher.is_some() {
                return Err(CliError::usage(format!(
                    "--cipher: not used with {}",
                    algorithm_name(args.algorithm)
                )));
            }
            let hash = match args.algorithm {
                MacAlgorithm::HmacSha1 => HashFunction::Sha1,
                MacAlgorithm::HmacSha224 => HashFunction::Sha224,
                MacAlgorithm::HmacSha384 => HashFunction::Sha384,
                MacAlgorithm::HmacSha512 => HashFunction::Sha512,
                _ => HashFunction::Sha256,
            };
            let k = HmacKey::from_bytes(&key).map_err(mac_error)?;
            (None, Some(k), paycrypt_mac::MacAlgorithm::Hmac(hash))
        }
    };
    if let (Some(iv), Some(k)) = (&iv, &sym) {
        let bs = k.algorithm().block_size();
        if iv.len() != bs {
            return Err(CliError::usage(format!(
                "--iv: must be one {bs}-byte block, not {} bytes",
                iv.len()
            )));
        }
    }
    Ok(Prepared {
        sym,
        hmac,
        algorithm,
        iv,
        data,
    })
}

fn algorithm_name(a: MacAlgorithm) -> &'static str {
    match a {
        MacAlgorithm::Iso9797Alg1 => "iso9797-1-1",
        MacAlgorithm::Iso9797Alg3 => "iso9797-1-3",
        MacAlgorithm::Cmac => "cmac",
        MacAlgorithm::HmacSha1 => "hmac-sha1",
        MacAlgorithm::HmacSha224 => "hmac-sha224",
        MacAlgorithm::HmacSha256 => "hmac-sha256",
        MacAlgorithm::HmacSha384 => "hmac-sha384",
        MacAlgorithm::HmacSha512 => "hmac-sha512",
    }
}

fn mac_generate(args: &MacArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let p = prepare(args, inputs)?;
    let tag = generate(p.key()?, &p.params(args.length), &p.data).map_err(mac_error)?;
    let mut out = Output::new();
    out.primary("mac", encode_upper(tag.as_bytes()));
    out.field("algorithm", algorithm_name(args.algorithm));
    out.field("length", tag.as_bytes().len());
    if args.trace {
        trace_mac(&mut out, &p)?;
    }
    Ok(out)
}

/// `mac generate --trace`: the intermediate values from `paycrypt_mac::trace`.
fn trace_mac(out: &mut Output, p: &Prepared) -> CliResult<()> {
    out.enable_trace();
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut observe =
        |label: &str, value: &[u8]| lines.push((label.to_owned(), encode_upper(value)));
    match (p.algorithm, &p.sym) {
        (paycrypt_mac::MacAlgorithm::Iso9797Algorithm1 { padding }, Some(k)) => {
            paycrypt_mac::trace::iso9797(k, false, padding, p.iv.as_deref(), &p.data, &mut observe)
                .map(|_| ())
                .map_err(mac_error)?;
        }
        (paycrypt_mac::MacAlgorithm::Iso9797Algorithm3 { padding }, Some(k)) => {
            paycrypt_mac::trace::iso9797(k, true, padding, p.iv.as_deref(), &p.data, &mut observe)
                .map(|_| ())
                .map_err(mac_error)?;
        }
        (paycrypt_mac::MacAlgorithm::Cmac, Some(k)) => {
            paycrypt_mac::trace::cmac_subkeys(k, &mut observe).map_err(mac_error)?;
        }
        _ => observe("message (HMAC: no intermediate values are traced)", &p.data),
    }
    for (label, value) in lines {
        out.trace(&label, value);
    }
    Ok(())
}

fn mac_verify(args: &MacArgs, expected: &str, inputs: &mut Inputs) -> CliResult<Output> {
    let p = prepare(args, inputs)?;
    let tag = hex_bytes("--mac", expected)?;
    if let Some(n) = args.length
        && tag.len() != n
    {
        return Err(CliError::usage(format!(
            "--mac: {} bytes, but --length says {n}",
            tag.len()
        )));
    }
    verify_mac(p.key()?, &p.params(args.length), &p.data, &tag).map_err(|e| match e {
        MacError::MacLength { .. } => CliError::usage(format!("--mac: {e}")),
        other => mac_error(other),
    })?;
    let mut out = Output::new();
    out.primary("result", "OK");
    out.field("verified", true);
    out.field("algorithm", algorithm_name(args.algorithm));
    out.field("length", tag.len());
    Ok(out)
}

/// The hash function of an HMAC `--algorithm` of `kcv`.
fn kcv_hash(a: KcvAlgorithm) -> Option<HashFunction> {
    match a {
        KcvAlgorithm::Tdes | KcvAlgorithm::Aes => None,
        KcvAlgorithm::HmacSha1 => Some(HashFunction::Sha1),
        KcvAlgorithm::HmacSha224 => Some(HashFunction::Sha224),
        KcvAlgorithm::HmacSha256 => Some(HashFunction::Sha256),
        KcvAlgorithm::HmacSha384 => Some(HashFunction::Sha384),
        KcvAlgorithm::HmacSha512 => Some(HashFunction::Sha512),
    }
}

/// Runs `kcv`.
pub fn kcv(args: &KcvArgs, inputs: &mut Inputs) -> CliResult<Output> {
    let bytes = inputs.secret_hex("--key", &args.key)?;
    let method = args.method.unwrap_or(match args.algorithm {
        KcvAlgorithm::Tdes => KcvMethod::Legacy,
        KcvAlgorithm::Aes => KcvMethod::Cmac,
        _ => KcvMethod::Hmac,
    });
    // The length travels with the method: legacy and HMAC 3 bytes, CMAC 5 bytes.
    let len = args.length.unwrap_or(match method {
        KcvMethod::Legacy | KcvMethod::Hmac => 3,
        KcvMethod::Cmac => 5,
    });
    let value = match (kcv_hash(args.algorithm), method) {
        (Some(hash), KcvMethod::Hmac) => {
            let key = HmacKey::from_bytes(&bytes).map_err(mac_error)?;
            hmac_kcv(&key, hash, len).map_err(mac_error)?
        }
        (Some(_), _) => {
            return Err(CliError::usage(
                "--method: an HMAC key's KCV is --method hmac",
            ));
        }
        (None, KcvMethod::Hmac) => {
            return Err(CliError::usage(
                "--method: hmac needs an HMAC key (--algorithm hmac-sha1|hmac-sha224|hmac-sha256|hmac-sha384|hmac-sha512)",
            ));
        }
        (None, m) => {
            let key = match args.algorithm {
                KcvAlgorithm::Tdes if bytes.len() == 8 => {
                    cipher_key("--key", MacCipher::Des, &bytes)?
                }
                KcvAlgorithm::Aes => cipher_key("--key", MacCipher::Aes, &bytes)?,
                _ => cipher_key("--key", MacCipher::Tdes, &bytes)?,
            };
            let crate_method = match m {
                KcvMethod::Cmac => CrateKcvMethod::Cmac,
                _ => CrateKcvMethod::Legacy,
            };
            crate_kcv(&key, crate_method, len).map_err(mac_error)?
        }
    };
    let mut out = Output::new();
    out.primary("kcv", encode_upper(value.as_bytes()));
    out.field("method", value.method().name());
    out.field("length", value.as_bytes().len());
    Ok(out)
}
