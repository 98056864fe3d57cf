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
use crate::fill::{self, Fill, FillFrom};
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
    let pin = cipher::decipher(from, from_key, block, pan)?;
    cipher::encipher_from(to, to_key, &pin, pan, source).map_err(|e| match e {
        // Do not echo the PIN length through the expected fill count.
        Error::FillLength { .. } => Error::FillLengthForPin,
        other => other,
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

/// As [`translate`], with explicit fill for the target format (formats 1 and 3:
/// 14 − PIN length nibbles; format 4: 16). A fill count that does not fit the PIN is reported as
/// [`Error::FillLengthForPin`], without numbers.
///
/// # Errors
/// Those of [`translate`], plus [`Error::FillNotAllowed`] (target 0 or 2),
/// [`Error::FillLength`] (format 4, before decryption), [`Error::FillValue`],
/// [`Error::FillLengthForPin`].
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
