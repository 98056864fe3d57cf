//! PIN translation: decipher under one key and format, re-encipher under another, in one call.
//!
//! Policy (ISO 9564-1:2017 §9.5 and PCI PIN Security Requirements), checked before anything
//! is decrypted, each a typed error:
//!
//! 1. a PAN-bound block (formats 0, 3, 4) never becomes format 1 ([`Error::PanBoundToFormat1`]);
//! 2. format 2 is not an interchange format: neither source nor target
//!    ([`Error::Format2NotInterchange`]);
//! 3. format 4 only with AES keys, formats 0–3 only with TDES keys ([`Error::KeyFormatMismatch`]);
//!    so a TDES↔AES move is always between formats 0/3 and 4;
//! 4. the block length matches the source format ([`Error::BlockLength`]).
//!
//! The clear PIN exists only inside the call, in zeroizing buffers.

use crate::Error;
use crate::block::check_block_len;
use crate::cipher::{self, EncryptedPinBlock};
use crate::clear::{NoRng, required_pan};
use crate::fill::{self, FILL_MAX_NIBBLES, Fill, FillFrom};
use crate::format::Format;
use crate::key::PinKey;
use crate::pan::Pan;
use paycrypt_primitives::rng::TryCryptoRng;

/// Checks the translation policy (rules 1–3 of the module docs) for a source and target.
///
/// # Errors
/// [`Error::Format2NotInterchange`], [`Error::PanBoundToFormat1`],
/// [`Error::KeyFormatMismatch`].
pub fn check_translation(
    from: Format,
    from_key: &PinKey,
    to: Format,
    to_key: &PinKey,
) -> Result<(), Error> {
    if !from.is_interchange() || !to.is_interchange() {
        return Err(Error::Format2NotInterchange);
    }
    if from.is_pan_bound() && to == Format::Iso1 {
        return Err(Error::PanBoundToFormat1 { from });
    }
    from_key.check_format(from)?;
    to_key.check_format(to)
}

fn translate_from<R: TryCryptoRng + ?Sized>(
    block: &[u8],
    (from, from_key): (Format, &PinKey),
    (to, to_key): (Format, &PinKey),
    pan: Option<&Pan>,
    source: &mut FillFrom<'_, R>,
) -> Result<EncryptedPinBlock, Error> {
    check_translation(from, from_key, to, to_key)?;
    check_block_len(from, block.len())?;
    required_pan(from, pan)?;
    required_pan(to, pan)?;
    fill::precheck(to, source)?;
    // Explicit fill for formats 1 and 3 is checked against the longest fill any PIN needs
    // (10 nibbles, for 4 digits) before decryption, so that whether it fits never depends on
    // the PIN inside the block: the PIN length stays hidden.
    if let FillFrom::Explicit(f) = source
        && matches!(to, Format::Iso1 | Format::Iso3)
    {
        if !(TRANSLATE_FILL_MIN..=FILL_MAX_NIBBLES).contains(&f.len()) {
            return Err(Error::FillLength {
                expected: TRANSLATE_FILL_MIN,
                got: f.len(),
            });
        }
        let pin = cipher::decipher(from, from_key, block, pan)?;
        let need = fill::variable_fill_len(to, pin.len());
        let trimmed = Fill::from_nibbles(f.nibbles().get(..need).unwrap_or(&[]))
            .map_err(|_| Error::WrongKeyOrPan)?;
        return reencipher(
            to,
            to_key,
            &pin,
            pan,
            &mut FillFrom::<R>::Explicit(&trimmed),
        );
    }
    let pin = cipher::decipher(from, from_key, block, pan)?;
    reencipher(to, to_key, &pin, pan, source)
}

/// Fewest (and, up to 16, accepted) explicit fill nibbles of a format 1 or 3 target in
/// translation: the 14 − 4 that a 4-digit PIN needs. The first 14 − N are used.
pub const TRANSLATE_FILL_MIN: usize = 10;

/// Re-enciphers the PIN of a deciphered block. Every failure here comes after decryption, so it
/// is the one [`Error::WrongKeyOrPan`] (the random source's failure excepted): nothing about
/// the PIN reaches the caller.
fn reencipher<R: TryCryptoRng + ?Sized>(
    to: Format,
    to_key: &PinKey,
    pin: &crate::Pin,
    pan: Option<&Pan>,
    source: &mut FillFrom<'_, R>,
) -> Result<EncryptedPinBlock, Error> {
    cipher::encipher_from(to, to_key, pin, pan, source).map_err(|e| match e {
        Error::Rng => Error::Rng,
        _ => Error::WrongKeyOrPan,
    })
}

/// Translates `block` from (`from`, `from_key`) to (`to`, `to_key`), drawing any new fill from
/// `rng`. The PAN is needed when either side is PAN-bound (0, 3, 4) and is used for both.
///
/// # Errors
/// Policy errors of [`check_translation`], [`Error::BlockLength`], [`Error::PanRequired`],
/// [`Error::PanLength`], [`Error::WrongKeyOrPan`] when the source does not decode,
/// [`Error::Rng`].
pub fn translate<R: TryCryptoRng + ?Sized>(
    block: &[u8],
    from: Format,
    from_key: &PinKey,
    to: Format,
    to_key: &PinKey,
    pan: Option<&Pan>,
    rng: &mut R,
) -> Result<EncryptedPinBlock, Error> {
    translate_from(
        block,
        (from, from_key),
        (to, to_key),
        pan,
        &mut FillFrom::Rng(rng),
    )
}

/// As [`translate`], with explicit fill for the target format. Format 4 takes 16 nibbles.
/// Formats 1 and 3 take 10 to 16 nibbles ([`TRANSLATE_FILL_MIN`]) and use the first
/// 14 − PIN length of them: the fill is checked before decryption and fits every PIN, so that
/// no answer depends on the length of the PIN inside the block (with an exact 14 − N rule,
/// trying fills of each length would reveal it).
///
/// # Errors
/// Those of [`translate`], plus [`Error::FillNotAllowed`] (target 0 or 2),
/// [`Error::FillLength`], [`Error::FillValue`] — all before decryption.
pub fn translate_with_fill(
    block: &[u8],
    from: Format,
    from_key: &PinKey,
    to: Format,
    to_key: &PinKey,
    pan: Option<&Pan>,
    fill: &Fill,
) -> Result<EncryptedPinBlock, Error> {
    translate_from::<NoRng>(
        block,
        (from, from_key),
        (to, to_key),
        pan,
        &mut FillFrom::Explicit(fill),
    )
}
