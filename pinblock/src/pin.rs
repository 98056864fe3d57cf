//! The PIN value (ISO 9564-1:2017 §8.1: 4 to 12 decimal digits).

use crate::Error;
use core::fmt;
use subtle::{
    Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Fewest PIN digits (ISO 9564-1:2017 §8.1).
pub const PIN_MIN_LEN: usize = 4;
/// Most PIN digits (ISO 9564-1:2017 §8.1; the length nibble allows up to `C`).
pub const PIN_MAX_LEN: usize = 12;

/// A personal identification number: 4 to 12 decimal digits, validated on construction.
///
/// Zeroized on drop; `Debug` prints only the length; comparison is constant-time. The digits
/// are reachable only through the explicitly named [`expose_str`](Pin::expose_str) /
/// [`expose_digits`](Pin::expose_digits).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Pin {
    /// ASCII digits; only `..len` are meaningful, the rest are zero.
    digits: [u8; PIN_MAX_LEN],
    #[zeroize(skip)]
    len: u8,
}

impl Pin {
    /// A PIN from its decimal digits, e.g. `"1234"`.
    ///
    /// # Errors
    /// [`Error::PinLength`] unless 4–12 characters, [`Error::PinNotNumeric`] for any character
    /// that is not `0`–`9`.
    pub fn new(digits: &str) -> Result<Self, Error> {
        Self::from_ascii(digits.as_bytes())
    }

    /// A PIN from ASCII decimal digits.
    ///
    /// # Errors
    /// As [`Pin::new`].
    pub fn from_ascii(digits: &[u8]) -> Result<Self, Error> {
        if !(PIN_MIN_LEN..=PIN_MAX_LEN).contains(&digits.len()) {
            return Err(Error::PinLength { got: digits.len() });
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(Error::PinNotNumeric);
        }
        let mut out = [0u8; PIN_MAX_LEN];
        for (o, d) in out.iter_mut().zip(digits) {
            *o = *d;
        }
        Ok(Self {
            digits: out,
            len: u8::try_from(digits.len()).map_err(|_| Error::PinLength { got: digits.len() })?,
        })
    }

    /// A PIN from the nibbles of a PIN field (`field[2..2 + len]`), branch-free: every one of
    /// the 12 digit slots is written, those past `len` with zero by a constant-time select.
    /// The caller has checked (in constant time) that `len` is 4–12 and those nibbles are
    /// 0–9; out of that range the result is meaningless and must be discarded.
    pub(crate) fn from_field_ct(field: &[u8; 32], len: u8) -> Self {
        let mut digits = [0u8; PIN_MAX_LEN];
        for (i, (d, n)) in (0u8..).zip(digits.iter_mut().zip(field.iter().skip(2))) {
            let ascii = b'0'.wrapping_add(*n & 0x0F);
            *d = u8::conditional_select(&0, &ascii, i.ct_lt(&len));
        }
        #[allow(clippy::cast_possible_truncation)]
        let len =
            u8::conditional_select(&(PIN_MIN_LEN as u8), &len, !len.ct_gt(&(PIN_MAX_LEN as u8)));
        Self { digits, len }
    }

    /// A PIN from digit values 0–9 (as found in the nibbles of a PIN field).
    pub(crate) fn from_values(values: &[u8]) -> Result<Self, Error> {
        let mut ascii = [0u8; PIN_MAX_LEN];
        if values.len() > PIN_MAX_LEN {
            return Err(Error::PinLength { got: values.len() });
        }
        for (a, v) in ascii.iter_mut().zip(values) {
            *a = b'0'.wrapping_add(*v);
        }
        let r = Self::from_ascii(ascii.get(..values.len()).unwrap_or(&[]));
        ascii.zeroize();
        r
    }

    /// Number of digits (4–12).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false: a PIN has at least 4 digits.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The PIN's ASCII digits. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_digits(&self) -> &[u8] {
        self.digits.get(..self.len()).unwrap_or(&[])
    }

    /// The PIN as a string of digits. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_str(&self) -> &str {
        core::str::from_utf8(self.expose_digits()).unwrap_or("")
    }

    /// Digit `i` as a value 0–9 (0 past the end).
    pub(crate) fn value_at(&self, i: usize) -> u8 {
        self.digits
            .get(i)
            .map_or(0, |d| d.wrapping_sub(b'0') & 0x0F)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin {{ len: {}, digits: <redacted> }}", self.len)
    }
}

impl ConstantTimeEq for Pin {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.digits.ct_eq(&other.digits)
    }
}

impl PartialEq for Pin {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Pin {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        assert_eq!(Pin::new("123").err(), Some(Error::PinLength { got: 3 }));
        assert_eq!(
            Pin::new("1234567890123").err(),
            Some(Error::PinLength { got: 13 })
        );
        assert_eq!(Pin::new("12a4").err(), Some(Error::PinNotNumeric));
        assert_eq!(Pin::new("12 4").err(), Some(Error::PinNotNumeric));
        let p = Pin::new("123456789012").unwrap();
        assert_eq!(p.len(), 12);
        assert_eq!(p.expose_str(), "123456789012");
        assert_eq!(
            Pin::from_values(&[1, 2, 3, 4]).unwrap().expose_str(),
            "1234"
        );
        assert_eq!(
            Pin::from_values(&[1, 2, 10, 4]).err(),
            Some(Error::PinNotNumeric)
        );
        assert_eq!(
            Pin::from_values(&[0; 13]).err(),
            Some(Error::PinLength { got: 13 })
        );
    }

    #[test]
    fn debug_redacts_and_eq() {
        let p = Pin::new("987654").unwrap();
        let s = std::format!("{p:?}");
        assert!(!s.contains('9') && !s.contains('8') && !s.contains('7'));
        assert_eq!(p, Pin::new("987654").unwrap());
        assert_ne!(p, Pin::new("9876").unwrap());
        assert_ne!(p, Pin::new("987655").unwrap());
    }
}
