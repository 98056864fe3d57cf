//! Validated inputs and the generated code type.

use crate::Error;
use core::fmt;
use paycrypt_pinblock::Pan;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Fewest PAN digits (the AWS Payment Cryptography range for card data, 12–19).
pub const PAN_MIN: usize = 12;
/// Most PAN digits (ISO/IEC 7812-1).
pub const PAN_MAX: usize = 19;

/// The PAN's digit values, checked to be 12–19 digits. No Luhn check: see [`luhn_ok`].
pub(crate) fn pan_digits(pan: &Pan) -> Result<&[u8], Error> {
    let d = pan.digit_values();
    if (PAN_MIN..=PAN_MAX).contains(&d.len()) {
        Ok(d)
    } else {
        Err(Error::Pan)
    }
}

/// Whether the PAN's last digit is its Luhn check digit (ISO/IEC 7812-1 Annex B). The codes
/// here never require it (test PANs often fail it); offered for callers' own policy.
#[must_use]
pub fn luhn_ok(pan: &Pan) -> bool {
    let mut sum = 0u32;
    for (i, d) in pan.digit_values().iter().rev().enumerate() {
        let d = u32::from(*d);
        sum += if i % 2 == 1 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
    }
    sum.is_multiple_of(10)
}

/// Parses exactly `N` ASCII decimal digits into digit values.
fn digits<const N: usize>(text: &str, err: Error) -> Result<[u8; N], Error> {
    let b = text.as_bytes();
    if b.len() != N || !b.iter().all(u8::is_ascii_digit) {
        return Err(err);
    }
    let mut out = [0u8; N];
    for (o, c) in out.iter_mut().zip(b) {
        *o = c - b'0';
    }
    Ok(out)
}

/// An expiry date: exactly 4 decimal digits, **used in the order given**. YYMM is the track
/// order (ISO/IEC 7813 track 2); some issuers compute with MMYY. Generation and verification
/// must use the same order; the month is not validated (a check would reject MMYY issuers).
#[derive(Clone, Copy, PartialEq, Eq, Zeroize)]
pub struct Expiry4([u8; 4]);

impl Expiry4 {
    /// An expiry from its 4 digits, e.g. `"8701"`.
    ///
    /// # Errors
    /// [`Error::Expiry`].
    pub fn new(expiry_digits: &str) -> Result<Self, Error> {
        digits(expiry_digits, Error::Expiry).map(Self)
    }

    pub(crate) const fn values(&self) -> &[u8; 4] {
        &self.0
    }
}

impl fmt::Debug for Expiry4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Expiry4(..)")
    }
}

/// A service code (ISO/IEC 7813): exactly 3 decimal digits, e.g. `101`, `201`, `221`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceCode([u8; 3]);

impl ServiceCode {
    /// The CVV2 / CVC2 / CAV2 service code `000` (AWS `CardVerificationValue2`).
    pub const CVV2: Self = Self([0, 0, 0]);
    /// The iCVV / Chip CVC service code `999` (AWS iCVV: `CardVerificationValue1`,
    /// `ServiceCode=999`).
    pub const ICVV: Self = Self([9, 9, 9]);

    /// A service code from its 3 digits.
    ///
    /// # Errors
    /// [`Error::ServiceCode`].
    pub fn new(code: &str) -> Result<Self, Error> {
        digits(code, Error::ServiceCode).map(Self)
    }

    pub(crate) const fn values(&self) -> &[u8; 3] {
        &self.0
    }
}

/// The number of digits of a CVV-family code: 3 (the default) to 5 (AWS
/// `ValidationDataLength` 3–5; IBM CCA allows 1–5, fewer than 3 is refused here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CvvLength(u8);

impl CvvLength {
    /// Three digits.
    pub const THREE: Self = Self(3);

    /// A length 3–5.
    ///
    /// # Errors
    /// [`Error::Length`].
    pub const fn new(n: u8) -> Result<Self, Error> {
        if n >= 3 && n <= 5 {
            Ok(Self(n))
        } else {
            Err(Error::Length)
        }
    }

    /// The number of digits.
    #[must_use]
    pub const fn get(self) -> usize {
        self.0 as usize
    }
}

impl Default for CvvLength {
    fn default() -> Self {
        Self::THREE
    }
}

/// An application transaction counter (EMV tag 9F36): 2 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Atc([u8; 2]);

impl Atc {
    /// An ATC from its 2 bytes.
    #[must_use]
    pub const fn new(bytes: [u8; 2]) -> Self {
        Self(bytes)
    }

    /// An ATC from a slice.
    ///
    /// # Errors
    /// [`Error::Atc`] unless 2 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        <[u8; 2]>::try_from(bytes).map(Self).map_err(|_| Error::Atc)
    }

    /// The bytes.
    #[must_use]
    pub const fn bytes(&self) -> [u8; 2] {
        self.0
    }
}

/// An unpredictable number (EMV tag 9F37): 4 bytes, as sent in the authorisation (numeric BCD
/// in mag-stripe mode, e.g. `00000899`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnpredictableNumber([u8; 4]);

impl UnpredictableNumber {
    /// An UN from its 4 bytes.
    #[must_use]
    pub const fn new(bytes: [u8; 4]) -> Self {
        Self(bytes)
    }

    /// An UN from a slice.
    ///
    /// # Errors
    /// [`Error::UnpredictableNumber`] unless 4 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        <[u8; 4]>::try_from(bytes)
            .map(Self)
            .map_err(|_| Error::UnpredictableNumber)
    }

    /// The bytes.
    #[must_use]
    pub const fn bytes(&self) -> [u8; 4] {
        self.0
    }
}

/// Most digits of any code here (CVV 5, CVC3 5).
pub(crate) const CODE_MAX: usize = 5;

/// A generated code: 3–5 ASCII digits. `Display` prints the digits (generation output is the
/// purpose); `Debug` prints only the length; zeroized on drop; `==` is constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CardCode {
    d: [u8; CODE_MAX],
    #[zeroize(skip)]
    len: u8,
}

impl CardCode {
    /// From digit values 0–9 (at most 5).
    pub(crate) fn from_values(values: &[u8]) -> Self {
        let mut d = [0u8; CODE_MAX];
        let mut len = 0u8;
        for (o, v) in d.iter_mut().zip(values) {
            *o = b'0' + (v % 10);
            len += 1;
        }
        Self { d, len }
    }

    /// The number of digits.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The ASCII digits.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.d.get(..self.len()).unwrap_or(&[])
    }

    /// The digits as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// Constant-time check of `presented` against the rightmost `presented.len()` digits of
    /// this code (for CVV-family codes the lengths are equal, so it is the whole code). The
    /// length is public and compared first; the digits are compared with `subtle` without an
    /// early exit.
    pub(crate) fn check_suffix(&self, presented: &Presented) -> Result<(), Error> {
        let k = presented.len();
        let own = self.as_bytes();
        let tail = own.get(own.len().saturating_sub(k)..).unwrap_or(&[]);
        if tail.len() == k && bool::from(tail.ct_eq(presented.as_bytes())) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

impl fmt::Display for CardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardCode {{ len: {}, .. }}", self.len)
    }
}

impl ConstantTimeEq for CardCode {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.d.ct_eq(&other.d)
    }
}

impl PartialEq for CardCode {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for CardCode {}

/// A presented code: 3–5 ASCII digits, zeroized on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct Presented {
    d: [u8; CODE_MAX],
    #[zeroize(skip)]
    len: u8,
}

impl Presented {
    /// Parses 3–5 decimal digits.
    pub(crate) fn parse(text: &str) -> Result<Self, Error> {
        let b = text.as_bytes();
        if !(3..=CODE_MAX).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::Value);
        }
        let mut d = [0u8; CODE_MAX];
        for (o, c) in d.iter_mut().zip(b) {
            *o = *c;
        }
        Ok(Self {
            d,
            len: u8::try_from(b.len()).map_err(|_| Error::Value)?,
        })
    }

    pub(crate) const fn len(&self) -> usize {
        self.len as usize
    }

    pub(crate) fn length(&self) -> Result<CvvLength, Error> {
        CvvLength::new(self.len)
    }

    fn as_bytes(&self) -> &[u8] {
        self.d.get(..self.len()).unwrap_or(&[])
    }
}
