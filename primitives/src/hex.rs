//! Strict hexadecimal: upper-case output, caller-chosen input case.
//!
//! Payment standards print binary values as upper-case hex (X9.143 §4 requires it inside key
//! blocks, where the text is authenticated byte for byte), while tools and logs often use lower
//! case. Decoding therefore takes a [`Case`]: [`Case::Upper`] for authenticated text,
//! [`Case::Any`] for user input.

use crate::Error;
use core::fmt;

#[cfg(feature = "alloc")]
use alloc::{string::String, vec::Vec};

/// Which letter case a decoder accepts for `A`–`F`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Case {
    /// Only `A`–`F` (what X9.143 requires inside a key block).
    Upper,
    /// `A`–`F` and `a`–`f`.
    #[default]
    Any,
}

/// The value of one hex digit, or `None` when `c` is not a hex digit in `case`.
#[must_use]
pub const fn digit_value(c: u8, case: Case) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' if matches!(case, Case::Any) => Some(c - b'a' + 10),
        _ => None,
    }
}

/// The upper-case hex digit for the low four bits of `nibble`.
#[must_use]
pub const fn digit_char(nibble: u8) -> u8 {
    match nibble & 0x0F {
        n @ 0..=9 => b'0' + n,
        n => b'A' + (n - 10),
    }
}

/// Decodes `text` into exactly `out.len()` bytes.
///
/// # Errors
/// [`Error::HexOddLength`], [`Error::HexLength`] when the decoded length differs from
/// `out.len()`, [`Error::HexDigit`] with the position of the first bad character.
pub fn decode_into(text: &[u8], out: &mut [u8], case: Case) -> Result<(), Error> {
    if !text.len().is_multiple_of(2) {
        return Err(Error::HexOddLength);
    }
    if text.len() / 2 != out.len() {
        return Err(Error::HexLength {
            expected: out.len(),
            got: text.len() / 2,
        });
    }
    for (i, (pair, byte)) in text.chunks_exact(2).zip(out.iter_mut()).enumerate() {
        let (hi, lo) = match pair {
            [hi, lo] => (*hi, *lo),
            _ => return Err(Error::HexOddLength),
        };
        let h = digit_value(hi, case).ok_or(Error::HexDigit { position: 2 * i })?;
        let l = digit_value(lo, case).ok_or(Error::HexDigit {
            position: 2 * i + 1,
        })?;
        *byte = (h << 4) | l;
    }
    Ok(())
}

/// Decodes `text` (either case) into an array of exactly `N` bytes.
///
/// # Errors
/// As [`decode_into`].
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    decode_into(text.as_bytes(), &mut out, Case::Any)?;
    Ok(out)
}

/// Decodes `text` (either case) into a vector.
///
/// # Errors
/// [`Error::HexOddLength`] or [`Error::HexDigit`].
#[cfg(feature = "alloc")]
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    decode_case(text, Case::Any)
}

/// Decodes `text` into a vector, accepting only the letters `case` allows.
///
/// # Errors
/// [`Error::HexOddLength`] or [`Error::HexDigit`].
#[cfg(feature = "alloc")]
pub fn decode_case(text: &str, case: Case) -> Result<Vec<u8>, Error> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::HexOddLength);
    }
    let mut out = alloc::vec![0u8; bytes.len() / 2];
    decode_into(bytes, &mut out, case)?;
    Ok(out)
}

/// Writes upper-case hex of `bytes` into `out`, which must be exactly twice as long.
///
/// # Errors
/// [`Error::HexLength`] when `out.len() != 2 * bytes.len()`.
pub fn encode_upper_into(bytes: &[u8], out: &mut [u8]) -> Result<(), Error> {
    if out.len() != 2 * bytes.len() {
        return Err(Error::HexLength {
            expected: out.len() / 2,
            got: bytes.len(),
        });
    }
    for (b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        if let [hi, lo] = pair {
            *hi = digit_char(b >> 4);
            *lo = digit_char(*b);
        }
    }
    Ok(())
}

/// Upper-case hex of `bytes`.
#[cfg(feature = "alloc")]
#[must_use]
pub fn encode_upper(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push(char::from(digit_char(b >> 4)));
        s.push(char::from(digit_char(*b)));
    }
    s
}

/// Displays a byte slice as upper-case hex without allocating (`no_std` friendly).
///
/// Only for non-secret values (KSNs, KCVs, MACs, ciphertext): a key's bytes are never formatted.
#[derive(Clone, Copy, Debug)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        assert_eq!(encode_upper(&[0x01, 0xAB, 0xff]), "01ABFF");
        assert_eq!(decode("01abFF").unwrap(), [0x01, 0xAB, 0xFF]);
        assert_eq!(
            decode_case("01ab", Case::Upper),
            Err(Error::HexDigit { position: 2 })
        );
        assert_eq!(decode("0"), Err(Error::HexOddLength));
        assert_eq!(decode("0G"), Err(Error::HexDigit { position: 1 }));
        assert_eq!(
            decode_array::<2>("00"),
            Err(Error::HexLength {
                expected: 2,
                got: 1
            })
        );
        assert_eq!(alloc::format!("{}", Hex(&[0xDE, 0xAD])), "DEAD");
        let mut out = [0u8; 4];
        encode_upper_into(&[0xBE, 0xEF], &mut out).unwrap();
        assert_eq!(&out, b"BEEF");
        assert!(encode_upper_into(&[0xBE], &mut out).is_err());
    }

    proptest::proptest! {
        #[test]
        fn encode_decode_identity(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let text = encode_upper(&bytes);
            proptest::prop_assert_eq!(decode_case(&text, Case::Upper).unwrap(), bytes.clone());
            proptest::prop_assert_eq!(decode(&text.to_lowercase()).unwrap(), bytes);
        }
    }
}
