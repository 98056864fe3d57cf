//! `paycrypt cipher encrypt|decrypt`: raw ECB / CBC over `paycrypt_primitives::block`, with
//! optional ISO/IEC 9797-1 method 1 / 2 or PKCS #7 padding (`paycrypt_primitives::pad`).

use crate::args::{CipherAlgorithm, CipherArgs, CipherCommand, CipherMode, CipherPadding};
use crate::error::{CliError, CliResult};
use crate::input::{Inputs, hex_bytes, hex_nonempty};
use crate::output::Output;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::hex::encode_upper;
use paycrypt_primitives::key::{AesKey, SymmetricKey, TdesKey};
use paycrypt_primitives::pad::{DataPadding, padding_for, unpadded_len};
use zeroize::Zeroizing;

/// Runs `cipher encrypt` or `cipher decrypt`.
pub fn run(command: CipherCommand, inputs: &mut Inputs) -> CliResult<Output> {
    let (args, encrypt) = match command {
        CipherCommand::Encrypt(a) => (a, true),
        CipherCommand::Decrypt(a) => (a, false),
    };
    crypt(&args, encrypt, inputs)
}

/// Builds the key for `--algorithm` from `--key` bytes.
pub fn symmetric_key(
    option: &str,
    algorithm: CipherAlgorithm,
    bytes: &[u8],
) -> CliResult<SymmetricKey> {
    match algorithm {
        CipherAlgorithm::Tdes => TdesKey::from_bytes(bytes)
            .map(SymmetricKey::from)
            .map_err(|_| {
                CliError::usage(format!(
                    "{option}: a TDES key is 16 or 24 bytes, not {}",
                    bytes.len()
                ))
            }),
        CipherAlgorithm::Aes => AesKey::from_bytes(bytes)
            .map(SymmetricKey::from)
            .map_err(|_| {
                CliError::usage(format!(
                    "{option}: an AES key is 16, 24 or 32 bytes, not {}",
                    bytes.len()
                ))
            }),
    }
}

fn crypt(args: &CipherArgs, encrypt: bool, inputs: &mut Inputs) -> CliResult<Output> {
    let key_bytes = inputs.secret_hex("--key", &args.key)?;
    let key = symmetric_key("--key", args.algorithm, &key_bytes)?;
    let cipher = BlockCipher::new(&key);
    let block = cipher.block_size();
    let mut data = Zeroizing::new(match (&args.data, &args.data_file) {
        (Some(h), None) if args.padding.is_none() => hex_nonempty("--data", h)?,
        (Some(h), None) => hex_bytes("--data", h)?,
        (None, Some(f)) => crate::cmd::mac::data_file(f)?,
        _ => return Err(CliError::usage("give one of --data or --data-file")),
    });
    let option = if args.data.is_some() {
        "--data"
    } else {
        "--data-file"
    };
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
    if data.is_empty() {
        return Err(CliError::usage(format!("{option}: must not be empty")));
    }
    if !data.len().is_multiple_of(block) {
        return Err(CliError::usage(format!(
            "{option}: {} bytes is not a whole number of {block}-byte blocks (see --padding)",
            data.len()
        )));
    }
    let iv = match (args.mode, &args.iv) {
        (CipherMode::Ecb, Some(_)) => {
            return Err(CliError::usage("--iv: not used in ECB mode"));
        }
        (CipherMode::Cbc, None) => return Err(CliError::usage("--iv: required in CBC mode")),
        (CipherMode::Ecb, None) => None,
        (CipherMode::Cbc, Some(text)) => {
            let iv = hex_bytes("--iv", text)?;
            if iv.len() != block {
                return Err(CliError::usage(format!(
                    "--iv: must be one {block}-byte block, not {} bytes",
                    iv.len()
                )));
            }
            Some(iv)
        }
    };
    let result = match (&iv, encrypt) {
        (None, true) => cipher.ecb_encrypt(&mut data),
        (None, false) => cipher.ecb_decrypt(&mut data),
        (Some(iv), true) => cipher.cbc_encrypt(iv, &mut data),
        (Some(iv), false) => cipher.cbc_decrypt(iv, &mut data),
    };
    result.map_err(|e| CliError::usage(format!("cipher: {e}")))?;
    if let (Some(p), false) = (padding, encrypt) {
        let len = unpadded_len(p, &data, block).map_err(|_| {
            CliError::check("--padding: the decrypted data does not end in valid padding")
        })?;
        data.truncate(len);
    }
    let mut out = Output::new();
    out.primary("data", encode_upper(&data));
    Ok(out)
}
