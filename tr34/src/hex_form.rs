//! The upper-case hex token form of the AWS Payment Cryptography API (`WrappedKeyBlock`,
//! `[0-9A-F]+`, 2–4096 characters; AWS Payment Cryptography API reference, `ImportKey`
//! `Tr34KeyBlock`).

use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;
use paycrypt_primitives::hex::{self, Case};

/// Maximum token size in the hex form: 4096 hex characters.
pub const MAX_TOKEN_BYTES: usize = 2048;

/// Encodes a token as upper-case hex.
///
/// # Errors
/// [`Error::TooLong`] above [`MAX_TOKEN_BYTES`] (AWS refuses such tokens: do not embed
/// certificates or CRLs).
pub fn encode(token: &[u8]) -> Result<String, Error> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Error::TooLong {
            max: MAX_TOKEN_BYTES,
            got: token.len(),
        });
    }
    Ok(hex::encode_upper(token))
}

/// Decodes the upper-case hex form; surrounding ASCII whitespace (a trailing newline) is
/// ignored, lower-case digits are refused.
///
/// # Errors
/// [`Error::Primitives`] for bad hex, [`Error::TooLong`] above [`MAX_TOKEN_BYTES`].
pub fn decode(text: &[u8]) -> Result<Vec<u8>, Error> {
    decode_case(text, Case::Upper)
}

/// Decodes hex in either case (for reading files that were not produced by the AWS API).
///
/// # Errors
/// As [`decode`].
pub fn decode_any_case(text: &[u8]) -> Result<Vec<u8>, Error> {
    decode_case(text, Case::Any)
}

fn decode_case(text: &[u8], case: Case) -> Result<Vec<u8>, Error> {
    let trimmed = text.trim_ascii();
    if trimmed.len() / 2 > MAX_TOKEN_BYTES {
        return Err(Error::TooLong {
            max: MAX_TOKEN_BYTES,
            got: trimmed.len() / 2,
        });
    }
    let s = core::str::from_utf8(trimmed)
        .map_err(|_| paycrypt_primitives::Error::HexDigit { position: 0 })?;
    Ok(hex::decode_case(s, case)?)
}
