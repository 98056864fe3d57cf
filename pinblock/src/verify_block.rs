//! Verification and generation from an *encrypted* PIN block, and random PINs delivered only
//! enciphered (the host-security-module functions of AWS Payment Cryptography `VerifyPinData` /
//! `GeneratePinData`, payShield `DA`/`EA`/`DG`/`DE`, IBM CCA `CSNBPVR`).
//!
//! Input checks come first and keep their own errors (block length, format 2, key family, PAN
//! presence and length). Everything after decryption — a block that does not decode (ISO
//! 9564-1:2017 §9.5: wrong key, wrong PAN, corrupt block) and a PIN that does not verify — is
//! the one error [`Error::PinMismatch`]: a caller cannot tell whether the block decoded, so the
//! function is no decode oracle. The decoded PIN never leaves the function (it lives in a
//! zeroizing [`Pin`]).

use crate::Error;
use crate::block::check_block_len;
use crate::cipher::{EncryptedPinBlock, decipher, encipher};
use crate::clear::required_pan;
use crate::format::Format;
use crate::key::PinKey;
use crate::pan::{PAN_MAX_LEN, PAN_MIN_LEN_ISO0, Pan};
use crate::pin::{PIN_MAX_LEN, PIN_MIN_LEN, Pin};
use crate::verify::{
    DecimalizationTable, PinOffset, PinVerificationKey, Pvki, Pvv, ValidationData, ibm3624_offset,
    ibm3624_verify, visa_pvv, visa_pvv_verify,
};
use paycrypt_primitives::rng::TryCryptoRng;
use zeroize::Zeroizing;

/// How a PIN is checked: against an IBM 3624 offset or a Visa PVV, with every parameter
/// explicit.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum PinMethod<'a> {
    /// IBM 3624 offset verification (IBM CCA "IBM 3624 PIN offset"; `ibm3624_verify`).
    Ibm3624 {
        /// The PIN verification key.
        pvk: &'a PinVerificationKey,
        /// The decimalisation table — key-bound configuration; see
        /// [`DecimalizationTable::strict`].
        table: &'a DecimalizationTable,
        /// The validation data, padded.
        validation_data: &'a ValidationData,
        /// The offset on file; an offset of another length than the PIN does not verify.
        offset: &'a PinOffset,
    },
    /// Visa PVV verification (IBM CCA "PVV Generation algorithm"; `visa_pvv_verify`). Needs a
    /// PAN of 12–19 digits.
    VisaPvv {
        /// The PIN verification key.
        pvk: &'a PinVerificationKey,
        /// The PIN verification key index.
        pvki: Pvki,
        /// The PVV on file.
        pvv: &'a Pvv,
    },
}

/// Input checks shared by every function here, in the order of the contract: block length
/// (malformed), format 2 (policy: not an interchange format), key family (policy), PAN
/// (malformed: required for formats 0, 3, 4 with their length rules).
fn precheck<'p>(
    pek: &PinKey,
    format: Format,
    block: &[u8],
    pan: Option<&'p Pan>,
) -> Result<Option<&'p Pan>, Error> {
    check_block_len(format, block.len())?;
    if format == Format::Iso2 {
        return Err(Error::Format2NotInterchange);
    }
    pek.check_format(format)?;
    required_pan(format, pan)
}

/// A PAN for the Visa PVV: 12–19 digits.
fn pvv_pan(pan: Option<&Pan>) -> Result<&Pan, Error> {
    let pan = pan.ok_or(Error::PanRequired {
        format: Format::Iso0,
    })?;
    if (PAN_MIN_LEN_ISO0..=PAN_MAX_LEN).contains(&pan.len()) {
        Ok(pan)
    } else {
        Err(Error::PanLength {
            min: PAN_MIN_LEN_ISO0,
            max: PAN_MAX_LEN,
            got: pan.len(),
        })
    }
}

/// Decrypts, decodes and verifies an enciphered PIN block (formats 0, 1, 3, 4) against a PVV
/// or an IBM 3624 offset (AWS `VerifyPinData`, payShield `DA`/`EA`).
///
/// 1. the block length matches the format (ISO 9564-1:2017 §9.3/§9.4: 8 bytes for 0, 1, 3; 16
///    for 4);
/// 2. format 2 (ISO 9564-1:2017 §9.3.4: offline ICC only) and a key of the wrong family (AES
///    for 0–3, TDES for 4) are refused;
/// 3. the PAN is present for formats 0, 3, 4 (and for a PVV), with its length rule;
/// 4. decryption and every decode check of [`decipher`], then the verification.
///
/// # Errors
/// Steps 1–3: [`Error::BlockLength`], [`Error::Format2NotInterchange`],
/// [`Error::KeyFormatMismatch`], [`Error::PanRequired`], [`Error::PanLength`]. Step 4: only
/// [`Error::PinMismatch`], whatever failed.
pub fn verify_pin_block(
    pek: &PinKey,
    format: Format,
    block: &[u8],
    pan: Option<&Pan>,
    method: &PinMethod<'_>,
) -> Result<(), Error> {
    let bound = precheck(pek, format, block, pan)?;
    // The PVV needs the account's PAN whatever the block format (format 1 carries none).
    let pvv_pan = match method {
        PinMethod::VisaPvv { .. } => Some(pvv_pan(pan)?),
        PinMethod::Ibm3624 { .. } => None,
    };
    let pin = decipher(format, pek, block, bound).map_err(|_| Error::PinMismatch)?;
    let verified = match (method, pvv_pan) {
        (
            PinMethod::Ibm3624 {
                pvk,
                table,
                validation_data,
                offset,
            },
            _,
        ) => ibm3624_verify(pvk, table, validation_data, &pin, offset),
        (PinMethod::VisaPvv { pvk, pvki, pvv }, Some(pan)) => {
            visa_pvv_verify(pvk, pan, *pvki, &pin, pvv)
        }
        (PinMethod::VisaPvv { .. }, None) => Err(Error::PinMismatch),
    };
    verified.map_err(|_| Error::PinMismatch)
}

/// The Visa PVV of the PIN inside an enciphered block (AWS "generate a Visa PVV for a known
/// PIN", payShield `DG`). The clear PIN is never returned.
///
/// # Errors
/// The input errors of [`verify_pin_block`]; [`Error::WrongKeyOrPan`] when the block does not
/// decode.
pub fn pvv_from_pin_block(
    pek: &PinKey,
    format: Format,
    block: &[u8],
    pan: Option<&Pan>,
    pvk: &PinVerificationKey,
    pvki: Pvki,
) -> Result<Pvv, Error> {
    let bound = precheck(pek, format, block, pan)?;
    let pvv_pan = pvv_pan(pan)?;
    let pin = decipher(format, pek, block, bound).map_err(|_| Error::WrongKeyOrPan)?;
    visa_pvv(pvk, pvv_pan, pvki, &pin)
}

/// The IBM 3624 offset of the PIN inside an enciphered block (payShield `DE`, IBM CCA
/// `CSNBPGN` with an encrypted PIN). The clear PIN is never returned.
///
/// # Errors
/// The input errors of [`verify_pin_block`]; [`Error::WrongKeyOrPan`] when the block does not
/// decode.
pub fn ibm3624_offset_from_pin_block(
    pek: &PinKey,
    format: Format,
    block: &[u8],
    pan: Option<&Pan>,
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    validation_data: &ValidationData,
) -> Result<PinOffset, Error> {
    let bound = precheck(pek, format, block, pan)?;
    let pin = decipher(format, pek, block, bound).map_err(|_| Error::WrongKeyOrPan)?;
    ibm3624_offset(pvk, table, validation_data, &pin)
}

/// A random PIN of `len` digits (4–12), returned only as an enciphered block of `format`
/// (AWS `Ibm3624RandomPin` / `VisaPin`, payShield `JA`). Digits are drawn without bias from
/// `rng`: bytes ≥ 250 are rejected, digit = byte mod 10. The block's fill comes from `rng` too.
///
/// # Errors
/// [`Error::PinLength`], [`Error::Format2NotInterchange`], [`Error::KeyFormatMismatch`],
/// [`Error::PanRequired`], [`Error::PanLength`], [`Error::Rng`].
pub fn random_pin_block<R: TryCryptoRng + ?Sized>(
    len: usize,
    pek: &PinKey,
    format: Format,
    pan: Option<&Pan>,
    rng: &mut R,
) -> Result<EncryptedPinBlock, Error> {
    if !(PIN_MIN_LEN..=PIN_MAX_LEN).contains(&len) {
        return Err(Error::PinLength { got: len });
    }
    if format == Format::Iso2 {
        return Err(Error::Format2NotInterchange);
    }
    pek.check_format(format)?;
    let pan = required_pan(format, pan)?;
    let mut digits = Zeroizing::new([0u8; PIN_MAX_LEN]);
    let mut byte = Zeroizing::new([0u8; 1]);
    for d in digits.iter_mut().take(len) {
        loop {
            paycrypt_primitives::rng::fill(rng, byte.as_mut_slice())?;
            let [b] = *byte;
            if b < 250 {
                *d = b % 10;
                break;
            }
        }
    }
    let pin = Pin::from_values(digits.get(..len).unwrap_or(&[]))?;
    encipher(format, pek, &pin, pan, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paycrypt_primitives::rng::ReplayRng;

    #[test]
    fn random_digits_reject_high_bytes() {
        let key = PinKey::tdes_from_bytes(&[0x11; 16]).unwrap();
        // 250..=255 are skipped; 9, 19, 255, 29, 39 -> 9, 9, 9, 9 ; format 1 fill draws more.
        let mut bytes = std::vec![9u8, 19, 255, 250, 29, 39];
        bytes.extend_from_slice(&[0u8; 5]);
        let block =
            random_pin_block(4, &key, Format::Iso1, None, &mut ReplayRng::new(&bytes)).unwrap();
        let pin = decipher(Format::Iso1, &key, block.as_bytes(), None).unwrap();
        assert_eq!(pin.expose_str(), "9999");
    }
}
