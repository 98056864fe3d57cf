//! Visa dCVV (contactless MSD), one named data layout.
//!
//! payShield documents the inputs of `PM`/`PW` (MK-AC, Option A/B, PSN 00, PAN, expiry,
//! service code, ATC); the data layout is public only through jPOS's `JCESecurityModule`
//! (`calculatedCVV`), so it is the profile [`DcvvProfile::JposPayShield`], not "the" dCVV.

use crate::Error;
use crate::cardkey::{CardKeySource, ImkRole};
use crate::cvv::{DATA_MAX, cvv_core};
use crate::types::{Atc, CardCode, CvvLength, Expiry4, Presented, ServiceCode, pan_digits};
use paycrypt_pinblock::Pan;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::DesKey;
use zeroize::Zeroizing;

/// A dCVV data layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DcvvProfile {
    /// jPOS / payShield: under the card key derived from MK-AC,
    /// `D = ATC (4 upper-case hex characters) ‖ PAN[4..] ‖ expiry ‖ service code` — the ATC
    /// replaces the PAN's first 4 digits, so `D` is a hex string — then the CVV core (IBM CCA
    /// "CVV Generate"), 3 digits. payShield's decimal-ATC form of `PW` is another profile and
    /// is not offered (no public test data).
    #[default]
    JposPayShield,
}

/// The dCVV of a transaction.
///
/// # Errors
/// [`Error::Pan`] unless 12–19 digits; [`Error::KeyRole`] for a card key that is not MK-AC's.
pub fn generate_dcvv(
    key: &CardKeySource<'_>,
    profile: DcvvProfile,
    pan: &Pan,
    expiry: &Expiry4,
    service_code: &ServiceCode,
    atc: Atc,
) -> Result<CardCode, Error> {
    let DcvvProfile::JposPayShield = profile;
    let digits = pan_digits(pan)?;
    let card = key.card_key()?;
    let tdes = card.for_role(ImkRole::Ac)?;
    let mut d = Zeroizing::new([0u8; DATA_MAX]);
    let [a0, a1] = atc.bytes();
    let atc_nibbles = [a0 >> 4, a0 & 0x0F, a1 >> 4, a1 & 0x0F];
    let all = atc_nibbles
        .iter()
        .chain(digits.get(4..).unwrap_or(&[]))
        .chain(expiry.values())
        .chain(service_code.values());
    for (o, v) in d.iter_mut().zip(all) {
        *o = *v;
    }
    let left = DesKey::from_bytes(tdes.expose_bytes().get(..8).unwrap_or(&[]))
        .map_err(|_| Error::KeyLength)?;
    Ok(cvv_core(
        &BlockCipher::from(&left),
        &BlockCipher::from(tdes),
        d.as_slice(),
        CvvLength::THREE,
    ))
}

/// Verifies a presented 3-digit dCVV in constant time.
///
/// # Errors
/// [`Error::Value`] unless 3 decimal digits, those of [`generate_dcvv`],
/// [`Error::VerificationFailed`].
pub fn verify_dcvv(
    key: &CardKeySource<'_>,
    profile: DcvvProfile,
    pan: &Pan,
    expiry: &Expiry4,
    service_code: &ServiceCode,
    atc: Atc,
    presented: &str,
) -> Result<(), Error> {
    let p = Presented::parse(presented)?;
    if p.len() != 3 {
        return Err(Error::Value);
    }
    generate_dcvv(key, profile, pan, expiry, service_code, atc)?.check_suffix(&p)
}
