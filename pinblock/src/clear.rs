//! Clear PIN blocks: encode a PIN (and PAN) into a block, decode a block back with every check.
//!
//! Formats 0–3 (ISO 9564-1:2017 §9.3), 16 nibbles:
//!
//! ```text
//! PIN field   C N P P P P P/F ... P/F F ... F       C = format, N = PIN length (hex, 4-C)
//! PAN field   0 0 0 0 A1 ... A12                     (formats 0 and 3 only)
//! clear block = PIN field XOR PAN field              (formats 1, 2: the PIN field)
//! ```
//!
//! Format 4 (§9.4.2.2), 32 nibbles; its clear block is the plain PIN field (the PAN enters
//! during encipherment, see [`encipher`](crate::encipher)):
//!
//! ```text
//! 4 N P P P P P/A ... P/A A ... A | R R R R R R R R R R R R R R R R
//! nibble 0 .................. 15  | 16 ............................ 31 (random)
//! ```

use crate::Error;
use crate::block::{FormattedBlock, check_block_len};
use crate::fill::{self, FILL_MAX_NIBBLES, Fill, FillFrom};
use crate::format::Format;
use crate::nibbles;
use crate::pan::Pan;
use crate::pin::{PIN_MAX_LEN, PIN_MIN_LEN, Pin};
use core::fmt;
use paycrypt_primitives::rng::TryCryptoRng;
use subtle::{
    Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess,
};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A clear (not enciphered) PIN block: 8 bytes for formats 0–3 (PIN field ⊕ PAN field for 0 and
/// 3), 16 bytes for format 4 (the plain PIN field).
///
/// Secret: zeroized on drop, `Debug` redacted, bytes only through
/// [`expose_bytes`](ClearPinBlock::expose_bytes).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ClearPinBlock {
    block: FormattedBlock,
}

impl ClearPinBlock {
    /// A clear block of `format` from its bytes (no content check: use [`decode`] for that).
    ///
    /// # Errors
    /// [`Error::BlockLength`] unless `bytes` is 8 bytes (formats 0–3) or 16 (format 4).
    pub fn from_bytes(format: Format, bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            block: FormattedBlock::from_bytes(format, bytes)?,
        })
    }

    /// The format.
    #[must_use]
    pub const fn format(&self) -> Format {
        self.block.format()
    }

    /// The block's bytes (8 or 16). Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.block.bytes()
    }
}

impl fmt::Debug for ClearPinBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClearPinBlock {{ format: {:?}, .. }}", self.format())
    }
}

/// The PAN a format needs, with its length rule checked (1–19 digits; 12–19 under `PanLengthRule::Min12`).
pub(crate) fn required_pan(format: Format, pan: Option<&Pan>) -> Result<Option<&Pan>, Error> {
    if !format.is_pan_bound() {
        return Ok(None);
    }
    let pan = pan.ok_or(Error::PanRequired { format })?;
    // Validate the PAN length for the format up front (format 4 accepts 1-19 digits).
    pan.field(format)?;
    Ok(Some(pan))
}

/// Builds the PIN field nibbles (32; formats 0–3 use the first 16).
pub(crate) fn pin_field<R: TryCryptoRng + ?Sized>(
    format: Format,
    pin: &Pin,
    source: &mut FillFrom<'_, R>,
) -> Result<Zeroizing<[u8; 32]>, Error> {
    let n = pin.len();
    let mut fill = Zeroizing::new([0u8; FILL_MAX_NIBBLES]);
    fill::draw(format, n, source, &mut fill)?;
    let mut f = Zeroizing::new([0u8; 32]);
    let len_nibble = u8::try_from(n).map_err(|_| Error::PinLength { got: n })?;
    let [c, l, ..] = &mut *f;
    *c = format.number();
    *l = len_nibble;
    for i in 0..n {
        if let Some(slot) = f.get_mut(2 + i) {
            *slot = pin.value_at(i);
        }
    }
    let fixed = match format {
        Format::Iso0 | Format::Iso2 => Some(0xF),
        Format::Iso4 => Some(0xA),
        Format::Iso1 | Format::Iso3 => None,
    };
    for (j, slot) in f.iter_mut().take(16).skip(2 + n).enumerate() {
        *slot = match fixed {
            Some(v) => v,
            None => fill.get(j).copied().unwrap_or(0),
        };
    }
    if format == Format::Iso4
        && let (Some(dst), Some(src)) = (f.get_mut(16..32), fill.get(..16))
    {
        dst.copy_from_slice(src);
    }
    Ok(f)
}

/// Encodes the clear block (ISO 9564-1:2017 §9.3, §9.4.2.2) into `out` (16 bytes; 8 used for
/// formats 0–3).
pub(crate) fn encode_into<R: TryCryptoRng + ?Sized>(
    format: Format,
    pin: &Pin,
    pan: Option<&Pan>,
    source: &mut FillFrom<'_, R>,
) -> Result<ClearPinBlock, Error> {
    fill::precheck(format, source)?;
    let pan = match format {
        // The format-4 clear block is the plain PIN field; the PAN is applied when enciphering.
        Format::Iso4 => None,
        _ => required_pan(format, pan)?,
    };
    let field = pin_field(format, pin, source)?;
    let mut block = ClearPinBlock {
        block: FormattedBlock::zeroed(format),
    };
    let bytes = block.block.bytes_mut();
    nibbles::pack(&field[..], bytes);
    if let Some(pan) = pan {
        let pf = pan.field(format)?;
        for (b, p) in bytes.iter_mut().zip(pf.as_bytes()) {
            *b ^= p;
        }
    }
    Ok(block)
}

/// Encodes a clear PIN block, drawing any fill from `rng`.
///
/// - formats 0 and 3 need the PAN (1–19 digits, ISO 9564-1:2017 §9.3.2.3; 12–19 under
///   [`PanLengthRule::Min12`](crate::PanLengthRule::Min12));
/// - formats 1 and 2 use no PAN (a PAN given is ignored);
/// - format 4 returns the plain 16-byte PIN field (ISO 9564-1:2017 §9.4.2.2); the PAN is bound
///   only by [`encipher`](crate::encipher), so a PAN given here is ignored.
///
/// Fill: format 1 draws ⌈(14 − N)/2⌉ bytes; format 3 one byte per nibble (rejection sampling,
/// unbiased `A`–`F`); format 4 eight bytes; formats 0 and 2 draw nothing.
///
/// # Errors
/// [`Error::PanRequired`], [`Error::PanLength`], [`Error::Rng`].
pub fn encode<R: TryCryptoRng + ?Sized>(
    format: Format,
    pin: &Pin,
    pan: Option<&Pan>,
    rng: &mut R,
) -> Result<ClearPinBlock, Error> {
    encode_into(format, pin, pan, &mut FillFrom::Rng(rng))
}

/// Encodes a clear PIN block with explicit fill (see [`Fill`]): formats 1 and 3 take
/// 14 − PIN length nibbles (format 3 only `A`–`F`), format 4 the 16 nibbles of its random half.
///
/// # Errors
/// [`Error::FillNotAllowed`] for formats 0 and 2, [`Error::FillLength`], [`Error::FillValue`],
/// and those of [`encode`].
pub fn encode_with_fill(
    format: Format,
    pin: &Pin,
    pan: Option<&Pan>,
    fill: &Fill,
) -> Result<ClearPinBlock, Error> {
    encode_into::<NoRng>(format, pin, pan, &mut FillFrom::Explicit(fill))
}

/// A placeholder type for the never-used RNG of explicit-fill calls.
pub(crate) type NoRng = paycrypt_primitives::rng::ReplayRng<'static>;

/// The outcome of checking a PIN field, computed without a branch on any nibble value.
struct FieldCheck {
    /// All checks passed.
    ok: Choice,
    /// The PIN length nibble (used only when `ok`).
    len: u8,
}

/// Runs every check of ISO 9564-1:2017 §9.3.1–§9.3.5 / §9.4.2.2 on the nibbles of a PIN field —
/// control nibble, length nibble 4–12, PIN digits 0–9, fill — accumulating the results in one
/// [`Choice`]: the time depends on the format only, never on which check fails, and nothing
/// records which one did.
fn scan_pin_field(format: Format, n: &[u8; 32]) -> FieldCheck {
    let [control, len, ..] = *n;
    let control_ok = control.ct_eq(&format.number());
    #[allow(clippy::cast_possible_truncation)]
    let len_ok = !len.ct_lt(&(PIN_MIN_LEN as u8)) & !len.ct_gt(&(PIN_MAX_LEN as u8));
    let mut all_ok = control_ok & len_ok;
    for (i, nib) in (2u8..16).zip(n.iter().skip(2)) {
        let in_pin = i.ct_lt(&len.wrapping_add(2));
        let digit_ok = !nib.ct_gt(&9);
        let fill_ok = match format {
            Format::Iso0 | Format::Iso2 => nib.ct_eq(&0xF),
            Format::Iso1 => Choice::from(1),
            Format::Iso3 => !nib.ct_lt(&0xA),
            Format::Iso4 => nib.ct_eq(&0xA),
        };
        all_ok &= Choice::conditional_select(&fill_ok, &digit_ok, in_pin);
    }
    FieldCheck { ok: all_ok, len }
}

/// Decodes the PIN field nibbles of an already un-PANned 8- or 16-byte block: every check runs
/// branch-free ([`scan_pin_field`], [`Pin::from_field_ct`]), then one result — the PIN or
/// `failure`, a constant chosen by the caller ([`Error::InvalidPinBlock`] for a clear block,
/// [`Error::WrongKeyOrPan`] after decryption). Nothing of which check failed leaves this
/// function, not even in the time taken.
pub(crate) fn decode_field(
    format: Format,
    field_bytes: &[u8],
    failure: Error,
) -> Result<Pin, Error> {
    let mut n = Zeroizing::new([0u8; 32]);
    nibbles::unpack(field_bytes, n.as_mut_slice());
    let check = scan_pin_field(format, &n);
    let pin = Pin::from_field_ct(&n, check.len);
    if bool::from(check.ok) {
        Ok(pin)
    } else {
        Err(failure)
    }
}

/// Decodes a clear PIN block with every check ISO 9564-1:2017 allows, in this order: block
/// length; PAN field removed (formats 0, 3); control nibble; PIN length nibble 4–12; PIN nibbles
/// 0–9; fill (formats 0, 2: all `F`; 3: each ≥ `A`, after the PAN XOR; 4: `A` up to nibble 15;
/// format 1's fill and format 4's random half are not checkable).
///
/// For format 4 `block` is the plain 16-byte PIN field and the PAN is not used. For formats 1
/// and 2 a PAN given is ignored.
///
/// The errors of the public inputs (block length, PAN) are specific; every check of the block's
/// content fails with the one [`Error::InvalidPinBlock`], built after all checks ran
/// branch-free, so neither the error nor the time taken says which check failed (a clear block
/// is as secret as the PIN: with a wrong PAN the digits or the fill fail, with a bad length nibble
/// the length check, and telling them apart is an oracle on the PIN and PAN). After decryption
/// use [`decipher`](crate::decipher), which reports the same failures as
/// [`Error::WrongKeyOrPan`].
///
/// # Errors
/// [`Error::BlockLength`], [`Error::PanRequired`], [`Error::PanLength`] (public inputs, checked
/// first); [`Error::InvalidPinBlock`] (control nibble, PIN length nibble 4–12, PIN digits 0–9 or
/// fill).
pub fn decode(format: Format, block: &[u8], pan: Option<&Pan>) -> Result<Pin, Error> {
    check_block_len(format, block.len())?;
    let pan = match format {
        Format::Iso4 => None,
        _ => required_pan(format, pan)?,
    };
    let mut field = Zeroizing::new([0u8; 16]);
    if let Some(d) = field.get_mut(..block.len()) {
        d.copy_from_slice(block);
    }
    if let Some(pan) = pan {
        let pf = pan.field(format)?;
        for (b, p) in field.iter_mut().zip(pf.as_bytes()) {
            *b ^= p;
        }
    }
    decode_field(
        format,
        field.get(..block.len()).unwrap_or(&[]),
        Error::InvalidPinBlock,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;
    use paycrypt_primitives::rng::ReplayRng;

    fn pan() -> Pan {
        Pan::new("4012345678909").unwrap()
    }

    #[test]
    fn format0_published() {
        let pin = Pin::new("1234").unwrap();
        let b = encode(Format::Iso0, &pin, Some(&pan()), &mut ReplayRng::new(&[])).unwrap();
        assert_eq!(b.expose_bytes(), hex!("041274EDCBA9876F"));
        assert_eq!(
            decode(Format::Iso0, b.expose_bytes(), Some(&pan())).unwrap(),
            pin
        );
    }

    #[test]
    fn length_nibble_is_hex() {
        let pin = Pin::new("123456789012").unwrap();
        let b = encode(Format::Iso2, &pin, None, &mut ReplayRng::new(&[])).unwrap();
        assert_eq!(b.expose_bytes(), hex!("2C123456789012FF"));
        assert_eq!(decode(Format::Iso2, b.expose_bytes(), None).unwrap(), pin);
    }

    #[test]
    fn decode_errors_are_uniform() {
        let p = Some(&pan());
        let xor = |clear: [u8; 8]| {
            let pf = pan().iso0_field().unwrap();
            let mut o = clear;
            for (a, b) in o.iter_mut().zip(pf) {
                *a ^= b;
            }
            o
        };
        // Control nibble, length nibble below 4 and above 12, PIN digit, fill: one error.
        for clear in [
            hex!("141234FFFFFFFFFF"),
            hex!("031234FFFFFFFFFF"),
            hex!("0D1234FFFFFFFFFF"),
            hex!("04123AFFFFFFFFFF"),
            hex!("041234FFFFFFFFFE"),
        ] {
            assert_eq!(
                decode(Format::Iso0, &xor(clear), p).err(),
                Some(Error::InvalidPinBlock)
            );
        }
        // Public inputs keep their specific errors.
        assert_eq!(
            decode(Format::Iso0, &[0; 7], p).err(),
            Some(Error::BlockLength {
                format: Format::Iso0,
                expected: 8,
                got: 7
            })
        );
        assert_eq!(
            decode(Format::Iso0, &[0; 8], None).err(),
            Some(Error::PanRequired {
                format: Format::Iso0
            })
        );
    }
}
