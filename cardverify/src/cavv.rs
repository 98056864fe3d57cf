//! CAVV, the CVV-based form (3-D Secure `cavvAlgorithm` 1 "CVV" and 2 "CVV with ATN"; AWS
//! "CAVV V7").
//!
//! The cipher is the CVV algorithm (IBM CCA "CVV Generate") with the CVV fields repurposed.
//! Which digits of the ATN and which result codes go in is defined by Visa's private 3-D Secure
//! documents, so the mapping is one named profile and the fields are explicit inputs; the
//! 20-byte CAVV field (version, key indicator, the 3 CAVV digits, ATN…) is the caller's to
//! assemble and parse.

use crate::Error;
use crate::cvv::{Cvk, DATA_MAX};
use crate::types::{CardCode, CvvLength, Presented, pan_digits};
use core::fmt;
use paycrypt_pinblock::Pan;
use zeroize::Zeroizing;

/// A CAVV field mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CavvProfile {
    /// `D = PAN ‖ UN (4 digits, the expiry slot) ‖ authentication results code (1 digit) ‖
    /// second-factor authentication code (2 digits)` (the last three in the service-code slot),
    /// the CVV core, 3 digits. jPOS `calculateCAVV`; in "CVV with ATN" the UN is the 4 least
    /// significant digits of the ATN. Confirm the mapping with the scheme before production.
    #[default]
    CvvAtnV7,
}

/// The inputs of a CVV-based CAVV.
#[derive(Clone)]
pub struct CavvData {
    digits: Zeroizing<[u8; DATA_MAX]>,
    len: usize,
}

impl CavvData {
    /// CAVV data: `un4` 4 decimal digits, `auth_result` 1 digit, `second_factor` 2 digits.
    ///
    /// # Errors
    /// [`Error::Pan`], [`Error::UnpredictableNumber`], [`Error::AuthResult`],
    /// [`Error::SecondFactor`].
    pub fn new(
        profile: CavvProfile,
        pan: &Pan,
        un4: &str,
        auth_result: &str,
        second_factor: &str,
    ) -> Result<Self, Error> {
        let CavvProfile::CvvAtnV7 = profile;
        let pan = pan_digits(pan)?;
        let field = |s: &str, n: usize, e: Error| -> Result<(), Error> {
            let b = s.as_bytes();
            if b.len() == n && b.iter().all(u8::is_ascii_digit) {
                Ok(())
            } else {
                Err(e)
            }
        };
        field(un4, 4, Error::UnpredictableNumber)?;
        field(auth_result, 1, Error::AuthResult)?;
        field(second_factor, 2, Error::SecondFactor)?;
        let mut digits = Zeroizing::new([0u8; DATA_MAX]);
        let tail = un4
            .bytes()
            .chain(auth_result.bytes())
            .chain(second_factor.bytes())
            .map(|c| c - b'0');
        let mut len = 0;
        for (o, d) in digits.iter_mut().zip(pan.iter().copied().chain(tail)) {
            *o = d;
            len += 1;
        }
        Ok(Self { digits, len })
    }

    /// The 3-digit CAVV value.
    #[must_use]
    pub fn generate(&self, cvk: &Cvk) -> CardCode {
        cvk.core(self.digits.get(..self.len).unwrap_or(&[]), CvvLength::THREE)
    }

    /// Verifies 3 presented digits in constant time.
    ///
    /// # Errors
    /// [`Error::Value`] unless 3 decimal digits; [`Error::VerificationFailed`].
    pub fn verify(&self, cvk: &Cvk, presented: &str) -> Result<(), Error> {
        let p = Presented::parse(presented)?;
        if p.len() != 3 {
            return Err(Error::Value);
        }
        self.generate(cvk).check_suffix(&p)
    }
}

impl fmt::Debug for CavvData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CavvData(..)")
    }
}
