//! Fill nibbles: explicit ([`Fill`]) or drawn from an injected random source.
//!
//! ISO 9564-1:2017 fill rules (14 − N nibbles after an N-digit PIN in formats 0–3):
//!
//! ```text
//! format 0, 2   F                                     (§9.3.2, §9.3.4)
//! format 1      transaction-unique values 0-F         (§9.3.3)
//! format 3      random values A-F                     (§9.3.5.2)
//! format 4      A up to nibble 15 (fixed), then 16 random nibbles 0-F   (§9.4.2.2.2)
//! ```

use crate::Error;
use crate::format::Format;
use crate::nibbles;
use core::fmt;
use paycrypt_primitives::hex::{Case, digit_value};
use paycrypt_primitives::rng::{self, TryCryptoRng};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Most fill nibbles any format takes (format 4's random half).
pub const FILL_MAX_NIBBLES: usize = 16;

/// Explicit fill nibbles, for reproducing a published block or a command line's `--fill HEX`.
///
/// Formats 1 and 3 take 14 − PIN length nibbles (format 3: each `A`–`F`); format 4 takes the 16
/// nibbles of the random second half of the PIN field. Formats 0 and 2 take none. The count and
/// values are checked against the format when the fill is used. Production code should let the
/// crate draw fill from a CSPRNG instead. Zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Fill {
    nibbles: [u8; FILL_MAX_NIBBLES],
    #[zeroize(skip)]
    len: u8,
}

impl Fill {
    /// Fill from hex digits, one nibble each (either case; odd counts are fine).
    ///
    /// # Errors
    /// [`Error::FillLength`] for more than 16 digits, [`Error::FillNotHex`] for a non-hex
    /// character.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        let b = text.as_bytes();
        if b.len() > FILL_MAX_NIBBLES {
            return Err(Error::FillLength {
                expected: FILL_MAX_NIBBLES,
                got: b.len(),
            });
        }
        let mut nibbles = [0u8; FILL_MAX_NIBBLES];
        for (position, (n, c)) in nibbles.iter_mut().zip(b).enumerate() {
            *n = digit_value(*c, Case::Any).ok_or(Error::FillNotHex { position })?;
        }
        Ok(Self {
            nibbles,
            len: u8::try_from(b.len()).unwrap_or(0),
        })
    }

    /// Fill from nibble values 0–15.
    ///
    /// # Errors
    /// [`Error::FillLength`] for more than 16 nibbles, [`Error::FillNotHex`] for a value above 15.
    pub fn from_nibbles(values: &[u8]) -> Result<Self, Error> {
        if values.len() > FILL_MAX_NIBBLES {
            return Err(Error::FillLength {
                expected: FILL_MAX_NIBBLES,
                got: values.len(),
            });
        }
        let mut nibbles = [0u8; FILL_MAX_NIBBLES];
        for (position, (n, v)) in nibbles.iter_mut().zip(values).enumerate() {
            if *v > 0x0F {
                return Err(Error::FillNotHex { position });
            }
            *n = *v;
        }
        Ok(Self {
            nibbles,
            len: u8::try_from(values.len()).unwrap_or(0),
        })
    }

    /// Format 4's random half from its 8 bytes (e.g. the `random` of a published example).
    #[must_use]
    pub fn from_format4_random(bytes: &[u8; 8]) -> Self {
        let mut nibbles = [0u8; FILL_MAX_NIBBLES];
        nibbles::unpack(bytes, &mut nibbles);
        Self { nibbles, len: 16 }
    }

    /// Number of nibbles.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// True for an empty fill.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The nibble values.
    #[must_use]
    pub fn nibbles(&self) -> &[u8] {
        self.nibbles.get(..self.len()).unwrap_or(&[])
    }
}

impl fmt::Debug for Fill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fill {{ len: {}, .. }}", self.len)
    }
}

/// Where the per-transaction fill comes from.
pub(crate) enum FillFrom<'a, R: TryCryptoRng + ?Sized> {
    /// Drawn from a CSPRNG.
    Rng(&'a mut R),
    /// Given by the caller.
    Explicit(&'a Fill),
}

/// Number of variable fill nibbles `format` takes after an `pin_len`-digit PIN.
pub(crate) const fn variable_fill_len(format: Format, pin_len: usize) -> usize {
    match format {
        Format::Iso0 | Format::Iso2 => 0,
        Format::Iso1 | Format::Iso3 => 14usize.saturating_sub(pin_len),
        Format::Iso4 => FILL_MAX_NIBBLES,
    }
}

/// Rejects explicit fill for the fixed-fill formats 0 and 2; checks what can be checked without
/// knowing the PIN length.
pub(crate) fn precheck<R: TryCryptoRng + ?Sized>(
    format: Format,
    source: &FillFrom<'_, R>,
) -> Result<(), Error> {
    match source {
        FillFrom::Explicit(fill) => match format {
            Format::Iso0 | Format::Iso2 => Err(Error::FillNotAllowed { format }),
            Format::Iso4 if fill.len() != FILL_MAX_NIBBLES => Err(Error::FillLength {
                expected: FILL_MAX_NIBBLES,
                got: fill.len(),
            }),
            Format::Iso3 => fill
                .nibbles()
                .iter()
                .position(|n| *n < 0xA)
                .map_or(Ok(()), |position| Err(Error::FillValue { position })),
            _ => Ok(()),
        },
        FillFrom::Rng(_) => Ok(()),
    }
}

/// The variable fill nibbles for `format` and a PIN of `pin_len` digits, in `out[..k]` where
/// `k = variable_fill_len(format, pin_len)`.
///
/// Format 1: ⌈k/2⌉ random bytes, high nibble first. Format 3: one random byte `b` per nibble,
/// rejecting `b ≥ 252`, nibble `0xA + b mod 6` (unbiased over `A`–`F`). Format 4: 8 random
/// bytes.
pub(crate) fn draw<R: TryCryptoRng + ?Sized>(
    format: Format,
    pin_len: usize,
    source: &mut FillFrom<'_, R>,
    out: &mut [u8; FILL_MAX_NIBBLES],
) -> Result<(), Error> {
    let k = variable_fill_len(format, pin_len);
    precheck(format, source)?;
    match source {
        FillFrom::Explicit(fill) => {
            if fill.len() != k {
                return Err(Error::FillLength {
                    expected: k,
                    got: fill.len(),
                });
            }
            if let Some(dst) = out.get_mut(..k) {
                dst.copy_from_slice(fill.nibbles());
            }
        }
        FillFrom::Rng(r) => match format {
            Format::Iso0 | Format::Iso2 => {}
            Format::Iso1 | Format::Iso4 => {
                let mut bytes = Zeroizing::new([0u8; FILL_MAX_NIBBLES / 2]);
                let nbytes = k.div_ceil(2);
                let buf = bytes.get_mut(..nbytes).unwrap_or(&mut []);
                rng::fill(&mut **r, buf)?;
                let mut all = Zeroizing::new([0u8; FILL_MAX_NIBBLES]);
                nibbles::unpack(bytes.as_slice(), all.as_mut_slice());
                if let (Some(dst), Some(src)) = (out.get_mut(..k), all.get(..k)) {
                    dst.copy_from_slice(src);
                }
            }
            Format::Iso3 => random_a_to_f(&mut **r, out.get_mut(..k).unwrap_or(&mut []))?,
        },
    }
    Ok(())
}

/// Fills `out` with uniformly random nibbles from `A`–`F`: each source byte `b ≥ 252`
/// (= 6 · 42) is rejected, otherwise the nibble is `0xA + b mod 6`.
///
/// Bytes are drawn in batches of as many as slots remain, so the result equals drawing one byte
/// per nibble, without the cost of one source call per nibble.
fn random_a_to_f<R: TryCryptoRng + ?Sized>(r: &mut R, out: &mut [u8]) -> Result<(), Error> {
    let mut batch = Zeroizing::new([0u8; FILL_MAX_NIBBLES]);
    let mut filled = 0;
    // A source that keeps returning bytes >= 252 is broken: 64 rejections within one call (at
    // most 14 nibbles) happen with negligible probability for a working one.
    let mut rejected = 0usize;
    while filled < out.len() {
        let want = out.len() - filled;
        let buf = batch.get_mut(..want).unwrap_or(&mut []);
        rng::fill(r, buf)?;
        for b in buf.iter() {
            if *b < 252 {
                if let Some(slot) = out.get_mut(filled) {
                    *slot = 0xA + b % 6;
                }
                filled += 1;
            } else {
                rejected += 1;
                if rejected >= 64 {
                    return Err(Error::Rng);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use paycrypt_primitives::rng::ReplayRng;

    #[test]
    fn from_hex_and_nibbles() {
        let f = Fill::from_hex("aBc0").unwrap();
        assert_eq!(f.nibbles(), &[0xA, 0xB, 0xC, 0]);
        assert_eq!(
            Fill::from_hex("0123456789ABCDEF0").err(),
            Some(Error::FillLength {
                expected: 16,
                got: 17
            })
        );
        assert_eq!(
            Fill::from_hex("AG").err(),
            Some(Error::FillNotHex { position: 1 })
        );
        assert_eq!(
            Fill::from_nibbles(&[1, 16]).err(),
            Some(Error::FillNotHex { position: 1 })
        );
        assert_eq!(
            Fill::from_nibbles(&[0; 17]).err(),
            Some(Error::FillLength {
                expected: 16,
                got: 17
            })
        );
        assert!(Fill::from_hex("").unwrap().is_empty());
        assert!(!std::format!("{f:?}").contains("ABC"));
    }

    #[test]
    fn format3_rejection_sampling() {
        // 252..=255 are rejected; 0 -> A, 5 -> F, 251 -> 0xA + 251 % 6 = 0xF.
        let mut r = ReplayRng::new(&[252, 255, 0, 5, 251, 6]);
        let mut src = FillFrom::Rng(&mut r);
        let mut out = [0u8; 16];
        draw(Format::Iso3, 10, &mut src, &mut out).unwrap();
        assert_eq!(&out[..4], &[0xA, 0xF, 0xF, 0xA]);
        // Only rejections: the source fails.
        let bad = [255u8; 63];
        let mut r = ReplayRng::new(&bad);
        assert_eq!(random_a_to_f(&mut r, &mut [0; 1]), Err(Error::Rng));
        let bad = [255u8; 65];
        let mut r = ReplayRng::new(&bad);
        assert_eq!(random_a_to_f(&mut r, &mut [0; 1]), Err(Error::Rng));
        // 63 rejections, then a good byte: still fine.
        let mut bytes = [255u8; 64];
        bytes[63] = 7;
        let mut one = [0u8; 1];
        random_a_to_f(&mut ReplayRng::new(&bytes), &mut one).unwrap();
        assert_eq!(one, [0xB]);
    }

    #[test]
    fn format1_and_4_draws() {
        let mut r = ReplayRng::new(&[0x12, 0x34, 0x56, 0x78, 0x9A]);
        let mut out = [0u8; 16];
        draw(Format::Iso1, 5, &mut FillFrom::Rng(&mut r), &mut out).unwrap();
        assert_eq!(&out[..9], &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(r.remaining(), 0);
        let mut r = ReplayRng::new(&[0xAB; 7]);
        assert_eq!(
            draw(Format::Iso4, 4, &mut FillFrom::Rng(&mut r), &mut out),
            Err(Error::Rng)
        );
    }
}
