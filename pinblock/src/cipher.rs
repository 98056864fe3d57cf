//! Encipherment and decipherment of PIN blocks.
//!
//! Formats 0–3 (ISO 9564-1:2017 §9.3): `block = E_K(clear block)`, TDEA-ECB (single DES only by
//! explicit legacy opt-in).
//!
//! Format 4 (ISO 9564-1:2017 §9.4.2.3, the two-step encipherment), AES:
//!
//! ```text
//! A     = E_K(PIN field)
//! B     = A XOR PAN field
//! block = E_K(B)
//! ```
//!
//! Decipherment reverses it (`B = D_K(block)`, `A = B XOR PAN field`, `PIN field = D_K(A)`) and
//! then runs every decode check; any failure is [`Error::WrongKeyOrPan`].

use crate::Error;
use crate::block::{FormattedBlock, check_block_len};
use crate::clear::{self, ClearPinBlock, NoRng, required_pan};
use crate::fill::{Fill, FillFrom};
use crate::format::Format;
use crate::key::PinKey;
use crate::pan::Pan;
use crate::pin::Pin;
use core::fmt;
use paycrypt_primitives::hex::Hex;
use paycrypt_primitives::rng::TryCryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// An enciphered PIN block: 8 bytes (formats 0–3) or 16 (format 4). Not secret by itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncryptedPinBlock {
    block: FormattedBlock,
}

impl EncryptedPinBlock {
    /// An enciphered block of `format` from its bytes.
    ///
    /// # Errors
    /// [`Error::BlockLength`] unless 8 bytes (formats 0–3) or 16 (format 4).
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

    /// The block's bytes (8 or 16).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.block.bytes()
    }
}

impl AsRef<[u8]> for EncryptedPinBlock {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Upper-case hex.
impl fmt::Display for EncryptedPinBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Hex(self.as_bytes()))
    }
}

impl fmt::Debug for EncryptedPinBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptedPinBlock({:?}, {self})", self.format())
    }
}

/// The intermediate values of the format-4 two-step encipherment (ISO 9564-1:2017 §9.4.2.3;
/// published in the X9.24-3-2017 supplement as "A" and "B"). For tests and diagnostics.
/// Zeroized on drop; `Debug` redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Format4Intermediates {
    a: [u8; 16],
    b: [u8; 16],
    block: [u8; 16],
}

impl Format4Intermediates {
    /// `A = E_K(PIN field)`.
    #[must_use]
    pub const fn intermediate_a(&self) -> &[u8; 16] {
        &self.a
    }

    /// `B = A ⊕ PAN field`.
    #[must_use]
    pub const fn intermediate_b(&self) -> &[u8; 16] {
        &self.b
    }

    /// The enciphered block `E_K(B)`.
    #[must_use]
    pub fn block(&self) -> EncryptedPinBlock {
        EncryptedPinBlock {
            block: FormattedBlock::iso4(self.block),
        }
    }
}

impl fmt::Debug for Format4Intermediates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Format4Intermediates { .. }")
    }
}

/// Enciphers a format-4 PIN field under an AES key and returns the intermediates A, B and the
/// block (ISO 9564-1:2017 §9.4.2.3).
///
/// # Errors
/// [`Error::KeyFormatMismatch`] unless `key` is AES, [`Error::BlockLength`] unless
/// `pin_field` is a format-4 block (use [`encode`](crate::encode) with [`Format::Iso4`]).
pub fn encipher_format4_with_intermediates(
    key: &PinKey,
    pin_field: &ClearPinBlock,
    pan: &Pan,
) -> Result<Format4Intermediates, Error> {
    key.check_format(Format::Iso4)?;
    if pin_field.format() != Format::Iso4 {
        return Err(Error::BlockLength {
            format: Format::Iso4,
            expected: 16,
            got: pin_field.format().block_len(),
        });
    }
    let pan_field = Zeroizing::new(pan.iso4_field()?);
    let c = key.cipher();
    let mut out = Format4Intermediates {
        a: [0; 16],
        b: [0; 16],
        block: [0; 16],
    };
    out.a.copy_from_slice(pin_field.expose_bytes());
    c.encrypt_block(&mut out.a)?;
    for ((b, a), p) in out.b.iter_mut().zip(out.a).zip(pan_field.iter()) {
        *b = a ^ p;
    }
    out.block = out.b;
    c.encrypt_block(&mut out.block)?;
    Ok(out)
}

/// Enciphers a clear block: E_K for formats 0–3, the two-step encipherment for format 4.
fn encipher_clear(
    key: &PinKey,
    clear: &ClearPinBlock,
    pan: Option<&Pan>,
) -> Result<EncryptedPinBlock, Error> {
    let format = clear.format();
    if format == Format::Iso4 {
        let pan = pan.ok_or(Error::PanRequired { format })?;
        return Ok(encipher_format4_with_intermediates(key, clear, pan)?.block());
    }
    let mut buf = Zeroizing::new([0u8; 8]);
    buf.copy_from_slice(clear.expose_bytes());
    key.cipher().encrypt_block(buf.as_mut_slice())?;
    EncryptedPinBlock::from_bytes(format, buf.as_slice())
}

pub(crate) fn encipher_from<R: TryCryptoRng + ?Sized>(
    format: Format,
    key: &PinKey,
    pin: &Pin,
    pan: Option<&Pan>,
    source: &mut FillFrom<'_, R>,
) -> Result<EncryptedPinBlock, Error> {
    key.check_format(format)?;
    let pan = required_pan(format, pan)?;
    let clear = clear::encode_into(format, pin, pan, source)?;
    encipher_clear(key, &clear, pan)
}

/// Encodes and enciphers a PIN block, drawing any fill from `rng` (formats 1, 3, 4; see
/// [`encode`](crate::encode)).
///
/// Formats 0 and 3 need the PAN (1–19 digits), format 4 too (1–19 digits, or the legacy rule
/// the PAN carries, see [`Format4Pan`](crate::Format4Pan)); formats 1 and 2 ignore it.
///
/// # Errors
/// [`Error::KeyFormatMismatch`], [`Error::PanRequired`], [`Error::PanLength`], [`Error::Rng`].
pub fn encipher<R: TryCryptoRng + ?Sized>(
    format: Format,
    key: &PinKey,
    pin: &Pin,
    pan: Option<&Pan>,
    rng: &mut R,
) -> Result<EncryptedPinBlock, Error> {
    encipher_from(format, key, pin, pan, &mut FillFrom::Rng(rng))
}

/// As [`encipher`], with explicit fill (see [`Fill`] and [`encode_with_fill`](crate::encode_with_fill)).
///
/// # Errors
/// Those of [`encipher`], plus [`Error::FillNotAllowed`], [`Error::FillLength`],
/// [`Error::FillValue`].
pub fn encipher_with_fill(
    format: Format,
    key: &PinKey,
    pin: &Pin,
    pan: Option<&Pan>,
    fill: &Fill,
) -> Result<EncryptedPinBlock, Error> {
    encipher_from::<NoRng>(format, key, pin, pan, &mut FillFrom::Explicit(fill))
}

/// Deciphers and decodes a PIN block with every check.
///
/// Order: the key goes with the format; the block length matches the format (before any
/// decryption); the PAN is present and long enough for PAN-bound formats; then decryption and
/// all decode checks, whose failure is the single [`Error::WrongKeyOrPan`] (no hint which
/// check failed). For formats 1 and 2 a PAN given is ignored.
///
/// # Errors
/// [`Error::KeyFormatMismatch`], [`Error::BlockLength`], [`Error::PanRequired`],
/// [`Error::PanLength`], [`Error::WrongKeyOrPan`].
pub fn decipher(
    format: Format,
    key: &PinKey,
    block: &[u8],
    pan: Option<&Pan>,
) -> Result<Pin, Error> {
    key.check_format(format)?;
    check_block_len(format, block.len())?;
    let pan = required_pan(format, pan)?;
    let c = key.cipher();
    let mut buf = Zeroizing::new([0u8; 16]);
    let len = block.len();
    let work = buf.get_mut(..len).unwrap_or(&mut []);
    work.copy_from_slice(block);
    c.decrypt_block(work)?;
    if let Some(pan) = pan {
        let pf = pan.field(format)?;
        for (w, p) in work.iter_mut().zip(pf.as_bytes()) {
            *w ^= p;
        }
    }
    if format == Format::Iso4 {
        c.decrypt_block(work)?;
    }
    clear::decode_field(format, work, Error::WrongKeyOrPan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;
    use paycrypt_primitives::rng::ReplayRng;

    #[test]
    fn x9243_transaction_1() {
        let key = PinKey::aes_from_bytes(&hex!("AF8CB133A78F8DC2D1359F18527593FB")).unwrap();
        let pin = Pin::new("1234").unwrap();
        let pan = Pan::new("4111111111111111").unwrap();
        let rnd = hex!("2F69ADDE2E9E7ACE");
        let b = encipher(
            Format::Iso4,
            &key,
            &pin,
            Some(&pan),
            &mut ReplayRng::new(&rnd),
        )
        .unwrap();
        assert_eq!(b.as_bytes(), hex!("A912150391AB65A67E52883D81CE2D15"));
        assert_eq!(std::format!("{b}"), "A912150391AB65A67E52883D81CE2D15");
        assert_eq!(
            decipher(Format::Iso4, &key, b.as_bytes(), Some(&pan)).unwrap(),
            pin
        );
        let wrong = Pan::new("4111111111111112").unwrap();
        assert_eq!(
            decipher(Format::Iso4, &key, b.as_bytes(), Some(&wrong)).err(),
            Some(Error::WrongKeyOrPan)
        );
    }
}
