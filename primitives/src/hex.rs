//! Strict hexadecimal: upper-case output, caller-chosen input case.
//!
//! Payment standards print binary values as upper-case hex (X9.143 §4 requires it inside key
//! blocks, where the text is authenticated byte for byte), while tools and logs often use lower
//! case. Decoding therefore takes a [`Case`]: [`Case::Upper`] for authenticated text,
//! [`Case::Any`] for user input.

use crate::Error;
use core::fmt;
use zeroize::Zeroize;

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

/// The value of one hex digit (0–15), or a value with bit 8 set when `c` is not a hex digit in
/// `case`. Branch-free: the time does not depend on `c` (only on `case`, which is public).
///
/// Each range test is a sign-bit mask: for `lo < c < hi`, `(lo - c) & (c - hi)` is negative
/// exactly inside the range, so `>> 8` (arithmetic) gives all ones there and zero elsewhere.
#[must_use]
const fn nibble_ct(c: u8, case: Case) -> u16 {
    let b = c as i16;
    let lower_ok: i16 = match case {
        Case::Any => -1,
        Case::Upper => 0,
    };
    let mut v: i16 = -1;
    // '0'..='9' (0x30..=0x39): add c - 0x30 + 1.
    v += ((0x2F - b) & (b - 0x3A)) >> 8 & (b - 0x2F);
    // 'A'..='F' (0x41..=0x46): add c - 0x41 + 10 + 1.
    v += ((0x40 - b) & (b - 0x47)) >> 8 & (b - 0x36);
    // 'a'..='f' (0x61..=0x66): add c - 0x61 + 10 + 1, when the case allows it.
    v += ((0x60 - b) & (b - 0x67)) >> 8 & (b - 0x56) & lower_ok;
    // -1 (not a digit) becomes 0xFFFF: bit 8 set.
    v as u16
}

/// The value of one hex digit, or `None` when `c` is not a hex digit in `case`.
///
/// The digit is classified without branches (arithmetic range masks); only the returned `Option` tells
/// valid from invalid, so a caller decoding a secret should use [`decode_into`] / [`decode`],
/// which also keep that decision out of the loop.
#[must_use]
pub const fn digit_value(c: u8, case: Case) -> Option<u8> {
    let v = nibble_ct(c, case);
    if v & 0x100 == 0 {
        Some((v & 0x0F) as u8)
    } else {
        None
    }
}

/// The value of one hex digit, variable-time (a `match` on the character): for public text
/// only, e.g. headers and lengths parsed on a hot path.
#[must_use]
pub const fn digit_value_vartime(c: u8, case: Case) -> Option<u8> {
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

/// Decodes `text` into exactly `out.len()` bytes, in constant time with respect to the digits:
/// the default for anything that may be a key.
///
/// Every digit is decoded branch-free (arithmetic range masks) and the validity of all of them is
/// accumulated; only after the whole text is decoded is the one result inspected. The position
/// of the first bad character is computed branch-free too. On error `out` is zeroized, so a
/// half-decoded key is never left behind. (The length of `text` is public: it is checked first.)
///
/// # Errors
/// [`Error::HexOddLength`], [`Error::HexLength`] when the decoded length differs from
/// `out.len()`, [`Error::HexDigit`] with the position of the first bad character.
pub fn decode_into(text: &[u8], out: &mut [u8], case: Case) -> Result<(), Error> {
    check_lengths(text, out)?;
    // `first_bad` holds the position of the first bad digit; `usize::MAX` while there is none.
    let mut first_bad = usize::MAX;
    let mut any_bad = 0u16;
    for (i, (pair, byte)) in text.chunks_exact(2).zip(out.iter_mut()).enumerate() {
        let (hi, lo) = match pair {
            [hi, lo] => (*hi, *lo),
            _ => (0, 0),
        };
        let h = nibble_ct(hi, case);
        let l = nibble_ct(lo, case);
        // All-ones masks (no branch) for "this digit is bad" and "no bad digit yet".
        let h_bad = 0usize.wrapping_sub(usize::from((h >> 8) & 1));
        let l_bad = 0usize.wrapping_sub(usize::from((l >> 8) & 1));
        let none_yet = 0usize.wrapping_sub(usize::from(first_bad == usize::MAX));
        let h_first = h_bad & none_yet;
        first_bad = (first_bad & !h_first) | ((2 * i) & h_first);
        let none_yet = 0usize.wrapping_sub(usize::from(first_bad == usize::MAX));
        let l_first = l_bad & none_yet;
        first_bad = (first_bad & !l_first) | ((2 * i + 1) & l_first);
        any_bad |= (h | l) & 0x100;
        *byte = (((h & 0x0F) << 4) | (l & 0x0F)) as u8;
    }
    if any_bad != 0 {
        out.zeroize();
        return Err(Error::HexDigit {
            position: first_bad,
        });
    }
    Ok(())
}

fn check_lengths(text: &[u8], out: &[u8]) -> Result<(), Error> {
    if !text.len().is_multiple_of(2) {
        return Err(Error::HexOddLength);
    }
    if text.len() / 2 != out.len() {
        return Err(Error::HexLength {
            expected: out.len(),
            got: text.len() / 2,
        });
    }
    Ok(())
}

/// Decodes public `text` into exactly `out.len()` bytes with a fast, variable-time loop that
/// stops at the first bad digit. Only for public data (KSNs, headers, ciphertext).
///
/// # Errors
/// As [`decode_into`].
pub fn decode_into_vartime(text: &[u8], out: &mut [u8], case: Case) -> Result<(), Error> {
    check_lengths(text, out)?;
    for (i, (pair, byte)) in text.chunks_exact(2).zip(out.iter_mut()).enumerate() {
        let (hi, lo) = match pair {
            [hi, lo] => (*hi, *lo),
            _ => return Err(Error::HexOddLength),
        };
        let h = digit_value_vartime(hi, case).ok_or(Error::HexDigit { position: 2 * i })?;
        let l = digit_value_vartime(lo, case).ok_or(Error::HexDigit {
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

/// Decodes `text` (either case) into a vector, in constant time with respect to the digits
/// (see [`decode_into`]): the default, fit for keys.
///
/// # Errors
/// [`Error::HexOddLength`] or [`Error::HexDigit`].
#[cfg(feature = "alloc")]
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    decode_case(text, Case::Any)
}

/// Decodes public `text` (either case) into a vector with the fast variable-time loop
/// ([`decode_into_vartime`]). Never for secrets.
///
/// # Errors
/// [`Error::HexOddLength`] or [`Error::HexDigit`].
#[cfg(feature = "alloc")]
pub fn decode_vartime(text: &str) -> Result<Vec<u8>, Error> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::HexOddLength);
    }
    let mut out = alloc::vec![0u8; bytes.len() / 2];
    decode_into_vartime(bytes, &mut out, Case::Any)?;
    Ok(out)
}

/// Decodes `text` into a vector, accepting only the letters `case` allows; constant time with
/// respect to the digits, and nothing decoded is left in memory on error.
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
    // `decode_into` zeroizes `out` on error before it is dropped.
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
        assert_eq!(decode("00G0x0"), Err(Error::HexDigit { position: 2 }));
        assert_eq!(
            decode_vartime("00G0x0"),
            Err(Error::HexDigit { position: 2 })
        );
        assert_eq!(decode_vartime("0"), Err(Error::HexOddLength));
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

    #[test]
    fn constant_time_digit_agrees_with_the_table_for_every_byte() {
        for case in [Case::Any, Case::Upper] {
            for c in 0..=255u8 {
                assert_eq!(
                    digit_value(c, case),
                    digit_value_vartime(c, case),
                    "{c:#04x}"
                );
            }
        }
    }

    #[test]
    fn a_failed_decode_leaves_no_decoded_byte() {
        let mut out = [0xEEu8; 4];
        assert_eq!(
            decode_into(b"F039F03Z", &mut out, Case::Any),
            Err(Error::HexDigit { position: 7 })
        );
        assert_eq!(out, [0; 4]);
    }

    proptest::proptest! {
        #[test]
        fn secret_and_public_decoders_agree(text in "[0-9A-Fa-fG-Zg-z ]{0,40}") {
            let mut a = alloc::vec![0u8; text.len() / 2];
            let mut b = alloc::vec![0u8; text.len() / 2];
            let ra = decode_into(text.as_bytes(), &mut a, Case::Any);
            let rb = decode_into_vartime(text.as_bytes(), &mut b, Case::Any);
            proptest::prop_assert_eq!(ra, rb);
            if ra.is_ok() {
                proptest::prop_assert_eq!(a, b);
            }
        }


        #[test]
        fn encode_decode_identity(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let text = encode_upper(&bytes);
            proptest::prop_assert_eq!(decode_case(&text, Case::Upper).unwrap(), bytes.clone());
            proptest::prop_assert_eq!(decode(&text.to_lowercase()).unwrap(), bytes);
        }
    }
}
