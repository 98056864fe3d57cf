//! PIN verification values: the IBM 3624 PIN offset and the Visa PIN verification value (PVV).
//!
//! Both derive decimal digits from a PIN verification key (PVK) and account data. Every
//! parameter is explicit (decimalization table, pad character, validation data, PVKI), and
//! verification compares in constant time with the one error [`Error::PinMismatch`]. Nibble
//! selection and decimalization are done without secret-dependent branches or table indices.

use crate::Error;
use crate::nibbles;
use crate::pan::Pan;
use crate::pin::{PIN_MAX_LEN, PIN_MIN_LEN, Pin};
use core::fmt;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::decimal::visa_decimalize;
use paycrypt_primitives::hex::{Case, digit_value};
use paycrypt_primitives::key::{DesKey, KeyAlgorithm, TdesKey};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A PIN verification key (PVK): 2- or 3-key TDES (a Visa "PVK pair" is the 16-byte 2-key
/// form); single DES only through [`legacy_single_des`](PinVerificationKey::legacy_single_des).
#[derive(Clone)]
pub struct PinVerificationKey {
    cipher: BlockCipher,
}

impl PinVerificationKey {
    /// A TDES PVK.
    #[must_use]
    pub fn from_tdes(key: &TdesKey) -> Self {
        Self {
            cipher: BlockCipher::from(key),
        }
    }

    /// A TDES PVK from 16 or 24 bytes.
    ///
    /// # Errors
    /// [`Error::Primitives`] with a key-length error.
    pub fn tdes_from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_tdes(&TdesKey::from_bytes(bytes)?))
    }

    /// **Legacy**: a single-DES PVK (the original IBM 3624 and Visa single-length keys).
    #[must_use]
    pub fn legacy_single_des(key: &DesKey) -> Self {
        Self {
            cipher: BlockCipher::from(key),
        }
    }

    /// The key's algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        self.cipher.algorithm()
    }

    /// `E_PVK` of one 8-byte block.
    fn encrypt(&self, block: &mut [u8; 8]) -> Result<(), Error> {
        Ok(self.cipher.encrypt_block(block)?)
    }
}

impl fmt::Debug for PinVerificationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinVerificationKey({:?})", self.algorithm())
    }
}

/// A decimalization table: the decimal digit each hex digit `0`–`F` maps to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DecimalizationTable([u8; 16]);

impl DecimalizationTable {
    /// The usual table `0123456789012345`.
    pub const DEFAULT: Self = Self([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5]);

    /// A table from its 16 decimal digits, e.g. `"0123456789012345"`.
    ///
    /// # Errors
    /// [`Error::DecimalizationTable`] unless exactly 16 digits `0`–`9`.
    pub fn new(digits: &str) -> Result<Self, Error> {
        let b = digits.as_bytes();
        if b.len() != 16 || !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::DecimalizationTable);
        }
        let mut t = [0u8; 16];
        for (o, d) in t.iter_mut().zip(b) {
            *o = d - b'0';
        }
        Ok(Self(t))
    }

    /// A table that can serve *verification*: 16 decimal digits in which every digit 0–9
    /// appears at least once.
    ///
    /// The decimalisation-table attack (Bond & Zieliński, "Decimalisation table attacks for PIN
    /// cracking", 2003) submits tables that map several hex digits to one value (e.g.
    /// `0000000000000000` with one digit changed) and learns which PIN digits occur from whether
    /// verification succeeds; about 15 queries reveal a PIN. A table covering every digit cannot
    /// be such a probe. The table is key-bound configuration (payShield and IBM CCA bind it to
    /// the PVK): take it from the key's configuration, never from the request.
    ///
    /// # Errors
    /// [`Error::DecimalizationTable`] unless 16 decimal digits covering 0–9.
    pub fn strict(digits: &str) -> Result<Self, Error> {
        let t = Self::new(digits)?;
        if t.is_strict() {
            Ok(t)
        } else {
            Err(Error::DecimalizationTable)
        }
    }

    /// Whether every digit 0–9 appears in the table (see [`strict`](Self::strict)).
    #[must_use]
    pub fn is_strict(&self) -> bool {
        (0u8..10).all(|d| self.0.contains(&d))
    }

    /// Maps a nibble through the table without a secret-dependent index.
    fn map(&self, nibble: u8) -> u8 {
        let mut out = 0u8;
        for (i, v) in (0u8..16).zip(self.0.iter()) {
            out.conditional_assign(v, nibble.ct_eq(&i));
        }
        out
    }
}

impl Default for DecimalizationTable {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Decimalization tables are often secret-ish (some attacks manipulate them); `Debug` hides them.
impl fmt::Debug for DecimalizationTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DecimalizationTable(..)")
    }
}

/// IBM 3624 validation data: 4–16 hex digits (often account digits), right-padded with a pad
/// character to 16 hex digits = one 8-byte block.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ValidationData([u8; 8]);

impl ValidationData {
    /// Validation data from hex digits (either case) and a hex pad character (e.g. `'F'`).
    ///
    /// # Errors
    /// [`Error::ValidationData`] for fewer than 4 or more than 16 digits, a non-hex digit, or a
    /// non-hex pad.
    pub fn new(hex_digits: &str, pad: char) -> Result<Self, Error> {
        let b = hex_digits.as_bytes();
        if !(4..=16).contains(&b.len()) {
            return Err(Error::ValidationData);
        }
        let pad = u8::try_from(pad)
            .ok()
            .and_then(|p| digit_value(p, Case::Any))
            .ok_or(Error::ValidationData)?;
        let mut n = Zeroizing::new([pad; 16]);
        for (o, c) in n.iter_mut().zip(b) {
            *o = digit_value(*c, Case::Any).ok_or(Error::ValidationData)?;
        }
        let mut out = [0u8; 8];
        nibbles::pack(n.as_slice(), &mut out);
        Ok(Self(out))
    }

    /// The padded 8-byte block.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

impl fmt::Debug for ValidationData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ValidationData(..)")
    }
}

/// Up to 12 decimal digits (an IBM 3624 offset, or a PVV in the first 4), zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
struct Digits {
    d: [u8; PIN_MAX_LEN],
    #[zeroize(skip)]
    len: u8,
}

impl Digits {
    fn parse(text: &str, min: usize, max: usize) -> Result<Self, Error> {
        let b = text.as_bytes();
        if !(min..=max).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::VerificationValue);
        }
        let mut d = [0u8; PIN_MAX_LEN];
        for (o, c) in d.iter_mut().zip(b) {
            *o = c - b'0';
        }
        Ok(Self {
            d,
            len: u8::try_from(b.len()).map_err(|_| Error::VerificationValue)?,
        })
    }

    fn values(&self) -> &[u8] {
        self.d.get(..usize::from(self.len)).unwrap_or(&[])
    }

    fn fmt_digits(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in self.values() {
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl ConstantTimeEq for Digits {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.d.ct_eq(&other.d)
    }
}

/// An IBM 3624 PIN offset: as many decimal digits as the PIN. Not the PIN, but derived from it:
/// zeroized on drop; shown by `Display` (it is stored on cards and host records), not `Debug`.
#[derive(Clone)]
pub struct PinOffset(Digits);

impl PinOffset {
    /// An offset from 4–12 decimal digits.
    ///
    /// # Errors
    /// [`Error::VerificationValue`].
    pub fn new(digits: &str) -> Result<Self, Error> {
        Digits::parse(digits, PIN_MIN_LEN, PIN_MAX_LEN).map(Self)
    }

    /// Number of digits.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.0.len as usize
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }
}

impl fmt::Display for PinOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_digits(f)
    }
}

impl fmt::Debug for PinOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinOffset {{ len: {}, .. }}", self.0.len)
    }
}

impl PartialEq for PinOffset {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for PinOffset {}

/// `(a + 10 - b) mod 10` or `(a + b) mod 10` for digits, without division or branches.
fn mod10(x: u8) -> u8 {
    let mut r = x;
    let ten = r.wrapping_sub(10);
    r.conditional_assign(&ten, r.ct_gt(&9));
    r
}

/// IBM 3624 steps 1–2: `R = E_PVK(validation data)`, each hex digit of `R` decimalized; the
/// natural PIN is the first `len` digits.
fn natural_digits(
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    data: &ValidationData,
    len: usize,
) -> Result<Zeroizing<[u8; 16]>, Error> {
    if !(PIN_MIN_LEN..=PIN_MAX_LEN).contains(&len) {
        return Err(Error::PinLength { got: len });
    }
    let mut r = Zeroizing::new(*data.as_bytes());
    pvk.encrypt(&mut r)?;
    let mut n = Zeroizing::new([0u8; 16]);
    nibbles::unpack(r.as_slice(), n.as_mut_slice());
    for x in n.iter_mut() {
        *x = table.map(*x);
    }
    Ok(n)
}

/// The IBM 3624 natural PIN of `len` digits (4–12): the decimalized `E_PVK(validation data)`.
///
/// # Errors
/// [`Error::PinLength`] for a length outside 4–12.
pub fn ibm3624_natural_pin(
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    data: &ValidationData,
    len: usize,
) -> Result<Pin, Error> {
    let n = natural_digits(pvk, table, data, len)?;
    Pin::from_values(n.get(..len).unwrap_or(&[]))
}

/// The IBM 3624 offset of `pin`: digit `i` = `(PIN_i − natural_i) mod 10`, as many digits as the
/// PIN.
///
/// # Errors
/// Those of the key operation.
pub fn ibm3624_offset(
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    data: &ValidationData,
    pin: &Pin,
) -> Result<PinOffset, Error> {
    let n = natural_digits(pvk, table, data, pin.len())?;
    let mut d = [0u8; PIN_MAX_LEN];
    for (i, (o, nat)) in d.iter_mut().zip(n.iter()).take(pin.len()).enumerate() {
        *o = mod10(pin.value_at(i) + 10 - nat);
    }
    Ok(PinOffset(Digits {
        d,
        len: u8::try_from(pin.len()).map_err(|_| Error::PinLength { got: pin.len() })?,
    }))
}

/// The PIN an IBM 3624 offset stands for: digit `i` = `(natural_i + offset_i) mod 10`.
///
/// # Errors
/// Those of the key operation.
pub fn ibm3624_pin_from_offset(
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    data: &ValidationData,
    offset: &PinOffset,
) -> Result<Pin, Error> {
    let n = natural_digits(pvk, table, data, offset.len())?;
    let mut d = Zeroizing::new([0u8; PIN_MAX_LEN]);
    for ((o, nat), off) in d.iter_mut().zip(n.iter()).zip(offset.0.values()) {
        *o = mod10(nat + off);
    }
    Pin::from_values(d.get(..offset.len()).unwrap_or(&[]))
}

/// Verifies `pin` against an IBM 3624 offset, in constant time.
///
/// # Errors
/// [`Error::PinMismatch`] when it does not verify (also when the lengths differ).
pub fn ibm3624_verify(
    pvk: &PinVerificationKey,
    table: &DecimalizationTable,
    data: &ValidationData,
    pin: &Pin,
    offset: &PinOffset,
) -> Result<(), Error> {
    let expected = ibm3624_offset(pvk, table, data, pin)?;
    if bool::from(expected.0.ct_eq(&offset.0)) {
        Ok(())
    } else {
        Err(Error::PinMismatch)
    }
}

/// A Visa PIN verification key index: one digit. Visa and AWS use 0–6; other systems 0–9, so
/// the full digit range is accepted and narrowing it is the caller's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pvki(u8);

impl Pvki {
    /// A PVKI 0–9.
    ///
    /// # Errors
    /// [`Error::Pvki`] above 9.
    pub const fn new(value: u8) -> Result<Self, Error> {
        if value <= 9 {
            Ok(Self(value))
        } else {
            Err(Error::Pvki)
        }
    }

    /// The digit.
    #[must_use]
    pub const fn value(self) -> u8 {
        self.0
    }
}

/// A Visa PIN verification value: 4 decimal digits. Zeroized on drop; shown by `Display`.
#[derive(Clone)]
pub struct Pvv(Digits);

impl Pvv {
    /// A PVV from its 4 digits.
    ///
    /// # Errors
    /// [`Error::VerificationValue`] unless exactly 4 decimal digits.
    pub fn new(digits: &str) -> Result<Self, Error> {
        Digits::parse(digits, 4, 4).map(Self)
    }
}

impl fmt::Display for Pvv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_digits(f)
    }
}

impl fmt::Debug for Pvv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pvv(..)")
    }
}

impl PartialEq for Pvv {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for Pvv {}

/// The Visa PVV of `pin` for `pan` and `pvki`:
///
/// ```text
/// TSP = 11 PAN digits left of the check digit ‖ PVKI ‖ first 4 PIN digits   (16 digits, 8 bytes)
/// R   = E_PVK(TSP)
/// PVV = the first 4 decimal digits of R, left to right; if fewer than 4, continue with a second
///       pass over R mapping A–F to 0–5
/// ```
///
/// # Errors
/// [`Error::PanLength`] unless the PAN has 12–19 digits.
pub fn visa_pvv(pvk: &PinVerificationKey, pan: &Pan, pvki: Pvki, pin: &Pin) -> Result<Pvv, Error> {
    let twelve = pan.rightmost12(crate::pan::PAN_MIN_LEN_ISO0)?;
    let mut tsp_n = Zeroizing::new([0u8; 16]);
    if let (Some(dst), Some(src)) = (tsp_n.get_mut(..11), twelve.get(1..)) {
        dst.copy_from_slice(src);
    }
    if let Some(p) = tsp_n.get_mut(11) {
        *p = pvki.value();
    }
    for (i, slot) in tsp_n.iter_mut().skip(12).enumerate() {
        *slot = pin.value_at(i);
    }
    let mut r = Zeroizing::new([0u8; 8]);
    nibbles::pack(tsp_n.as_slice(), r.as_mut_slice());
    pvk.encrypt(&mut r)?;
    // Visa two-pass decimalisation (IBM CCA "PVV Generation algorithm"), first 4 digits.
    let mut out = [0u8; PIN_MAX_LEN];
    visa_decimalize(&r, out.get_mut(..4).unwrap_or(&mut []));
    Ok(Pvv(Digits { d: out, len: 4 }))
}

/// Verifies `pin` against a Visa PVV, in constant time.
///
/// # Errors
/// [`Error::PinMismatch`] when it does not verify; [`Error::PanLength`].
pub fn visa_pvv_verify(
    pvk: &PinVerificationKey,
    pan: &Pan,
    pvki: Pvki,
    pin: &Pin,
    pvv: &Pvv,
) -> Result<(), Error> {
    let expected = visa_pvv(pvk, pan, pvki, pin)?;
    if bool::from(expected.0.ct_eq(&pvv.0)) {
        Ok(())
    } else {
        Err(Error::PinMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod10_and_table() {
        for a in 0..10u8 {
            for b in 0..10u8 {
                assert_eq!(mod10(a + 10 - b), (a + 10 - b) % 10);
                assert_eq!(mod10(a + b), (a + b) % 10);
            }
        }
        let t = DecimalizationTable::new("9876543210123456").unwrap();
        assert_eq!(t.map(0), 9);
        assert_eq!(t.map(0xF), 6);
        assert_eq!(DecimalizationTable::DEFAULT.map(0xC), 2);
    }
}
