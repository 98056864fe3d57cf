//! The TDES DUKPT Key Serial Number (ANSI X9.24-1:2009 A.1, A.2).
//!
//! ```text
//! bits (from the left)   field
//! 0–39                   Key Set Identifier (BDK ID), 40 bits by convention
//! 40–58                  TRSM (device) ID, 19 bits
//! 59–79                  transaction counter, 21 bits
//! ```

use crate::Error;
use core::fmt;
use core::str::FromStr;
use paycrypt_primitives::hex;

/// Mask of the 21-bit transaction counter (X9.24-1:2009 A.1).
pub const COUNTER_MASK: u32 = 0x1F_FFFF;

/// The last counter an originating device may use: the largest 21-bit value with 10 one-bits
/// (X9.24-1:2009 A.2). After it the device ceases operation.
pub const LAST_COUNTER: u32 = 0x1F_F800;

/// The most one-bits a counter used by an originating device may have (X9.24-1:2009 A.2).
pub const MAX_ONE_BITS: u32 = 10;

/// Number of transactions a device performs before it is exhausted:
/// `Σ_{k=1..10} C(21, k)` (X9.24-1:2009 A.2).
pub const MAX_TRANSACTIONS: u32 = 1_048_575;

/// A TDES DUKPT Key Serial Number: 10 bytes, the counter in the rightmost 21 bits.
///
/// A `Ksn` is a plain value (`Copy`): every operation returns a new KSN and never changes the
/// caller's (X9.24 interoperability pitfall: an implementation that mutated its input KSN).
///
/// ```
/// use paycrypt_dukpt::tdes::Ksn;
/// let ksn: Ksn = "FFFF9876543210E00012".parse()?;
/// assert_eq!(ksn.counter(), 0x12);
/// assert_eq!(ksn.initial().to_string(), "FFFF9876543210E00000");
/// assert_eq!(ksn.next()?.counter(), 0x13);
/// assert_eq!(ksn.counter(), 0x12); // unchanged
/// # Ok::<(), paycrypt_dukpt::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ksn([u8; 10]);

impl Ksn {
    /// Length of a KSN in bytes.
    pub const LEN: usize = 10;

    /// A KSN from its 10 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 10]) -> Self {
        Self(bytes)
    }

    /// A KSN from a 10-byte slice.
    ///
    /// # Errors
    /// [`Error::KsnLength`] unless the slice has exactly 10 bytes (an 8-byte KSN must go
    /// through [`Ksn::from_8_bytes_padded`], an explicit choice).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        bytes.try_into().map(Self).map_err(|_| Error::KsnLength {
            expected: Self::LEN,
            got: bytes.len(),
        })
    }

    /// A KSN from its 8-byte short form, left-padded with `FF FF` (the convention of
    /// devices and tools that print 16-hex-digit KSNs).
    ///
    /// # Errors
    /// [`Error::KsnLength`] unless the slice has exactly 8 bytes.
    pub fn from_8_bytes_padded(bytes: &[u8]) -> Result<Self, Error> {
        let short: [u8; 8] = bytes.try_into().map_err(|_| Error::KsnLength {
            expected: 8,
            got: bytes.len(),
        })?;
        let mut out = [0xFF; 10];
        let [_, _, tail @ ..] = &mut out;
        *tail = short;
        Ok(Self(out))
    }

    /// A KSN from 20 hexadecimal digits (either case).
    ///
    /// # Errors
    /// [`Error::KsnLength`] for any other number of digits (16 digits need
    /// [`Ksn::from_hex_8_padded`]); [`Error::Primitives`] for a non-hex digit.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        if text.len() != 2 * Self::LEN {
            return Err(Error::KsnLength {
                expected: Self::LEN,
                got: text.len() / 2,
            });
        }
        let mut out = [0u8; 10];
        hex::decode_into(text.as_bytes(), &mut out, hex::Case::Any)?;
        Ok(Self(out))
    }

    /// A KSN from 16 hexadecimal digits, left-padded with `FFFF` (see
    /// [`Ksn::from_8_bytes_padded`]).
    ///
    /// # Errors
    /// [`Error::KsnLength`] for any other number of digits; [`Error::Primitives`] for a
    /// non-hex digit.
    pub fn from_hex_8_padded(text: &str) -> Result<Self, Error> {
        if text.len() != 16 {
            return Err(Error::KsnLength {
                expected: 8,
                got: text.len() / 2,
            });
        }
        let mut short = [0u8; 8];
        hex::decode_into(text.as_bytes(), &mut short, hex::Case::Any)?;
        Self::from_8_bytes_padded(&short)
    }

    /// The 10 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 10] {
        self.0
    }

    /// The 10 bytes, borrowed.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 10] {
        &self.0
    }

    /// The Key Set Identifier: the leftmost 40 bits (5 bytes), by convention the BDK ID.
    #[must_use]
    pub fn key_set_id(&self) -> [u8; 5] {
        let [a, b, c, d, e, ..] = self.0;
        [a, b, c, d, e]
    }

    /// The 19-bit TRSM (device) ID: KSN bits 40–58.
    #[must_use]
    pub fn device_id(&self) -> u32 {
        let [.., f, g, h, _, _] = self.0;
        (u32::from(f) << 11) | (u32::from(g) << 3) | (u32::from(h) >> 5)
    }

    /// The 21-bit transaction counter (X9.24-1:2009 A.1).
    #[must_use]
    pub fn counter(&self) -> u32 {
        let [.., h, i, j] = self.0;
        u32::from_be_bytes([0, h, i, j]) & COUNTER_MASK
    }

    /// The rightmost 8 bytes as a big-endian integer (what the key generation process uses).
    pub(crate) fn right64(&self) -> u64 {
        let [_, _, tail @ ..] = self.0;
        u64::from_be_bytes(tail)
    }

    /// The leftmost 8 bytes as a big-endian integer (what the IPEK derivation uses).
    pub(crate) fn left64(&self) -> u64 {
        let [head @ .., _, _] = self.0;
        u64::from_be_bytes(head)
    }

    /// `I8` of X9.24-1:2009 A.6, the IPEK derivation's input: the leftmost 8 bytes with the
    /// counter's top 5 bits cleared.
    pub(crate) fn i8(&self) -> u64 {
        self.left64() & !0x1F_u64
    }

    /// The base of `R8` of X9.24-1:2009 A.3 (and of the originator's registers, A.2): the
    /// rightmost 8 bytes with the 21 counter bits cleared.
    pub(crate) fn r8_base(&self) -> u64 {
        self.right64() & !u64::from(COUNTER_MASK)
    }

    /// This KSN with its counter replaced by `counter`.
    ///
    /// # Errors
    /// [`Error::CounterNotValid`] if `counter` does not fit in 21 bits. (A counter with more
    /// than 10 one-bits is accepted: hosts derive whatever a KSN carries; see
    /// [`Ksn::is_valid_transaction_counter`].)
    pub fn with_counter(&self, counter: u32) -> Result<Self, Error> {
        if counter & !COUNTER_MASK != 0 {
            return Err(Error::CounterNotValid);
        }
        let mut out = self.0;
        let [.., h, i, j] = &mut out;
        let [_, c1, c2, c3] = counter.to_be_bytes();
        *h = (*h & 0xE0) | c1;
        *i = c2;
        *j = c3;
        Ok(Self(out))
    }

    /// The initial KSN (IKSN): this KSN with the 21 counter bits cleared (X9.24-1:2009 A.6).
    #[must_use]
    pub fn initial(&self) -> Self {
        let mut out = self.0;
        let [.., h, i, j] = &mut out;
        *h &= 0xE0;
        *i = 0;
        *j = 0;
        Self(out)
    }

    /// True when the counter is one an originating device may use: non-zero with at most 10
    /// one-bits (X9.24-1:2009 A.2). Every such counter is at most [`LAST_COUNTER`].
    #[must_use]
    pub fn is_valid_transaction_counter(&self) -> bool {
        is_valid_counter(self.counter())
    }

    /// True when no transaction can follow this KSN: its counter is [`LAST_COUNTER`] or a
    /// counter that no valid counter follows.
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        next_counter(self.counter()).is_none()
    }

    /// The KSN an originating device uses after this one: counter + 1, skipping counters with
    /// more than 10 one-bits (X9.24-1:2009 A.2). Returns a new KSN; `self` is unchanged.
    ///
    /// # Errors
    /// [`Error::Exhausted`] after [`LAST_COUNTER`] — the counter never wraps to 0.
    pub fn next(&self) -> Result<Self, Error> {
        let c = next_counter(self.counter()).ok_or(Error::Exhausted)?;
        self.with_counter(c)
    }
}

/// True for a counter a device may use: `1 <= popcount <= 10` within 21 bits.
#[must_use]
pub(crate) const fn is_valid_counter(c: u32) -> bool {
    c != 0 && c & !COUNTER_MASK == 0 && c.count_ones() <= MAX_ONE_BITS
}

/// The next valid counter after `c` (X9.24-1:2009 A.2): `c + 1`, then while there are more
/// than 10 one-bits add the lowest one-bit. `None` past [`LAST_COUNTER`] (checked on the
/// unmasked value: masking `0x1FFFFF + 1` would give 0, the IPEK).
#[must_use]
pub(crate) const fn next_counter(c: u32) -> Option<u32> {
    let mut t = (c & COUNTER_MASK) + 1;
    while t.count_ones() > MAX_ONE_BITS {
        t += t & t.wrapping_neg();
    }
    if t > LAST_COUNTER { None } else { Some(t) }
}

impl fmt::Display for Ksn {
    /// 20 upper-case hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&hex::Hex(&self.0), f)
    }
}

impl fmt::Debug for Ksn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ksn({})", hex::Hex(&self.0))
    }
}

impl FromStr for Ksn {
    type Err = Error;

    /// 20 hex digits; see [`Ksn::from_hex`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_hex(s)
    }
}

impl From<[u8; 10]> for Ksn {
    fn from(b: [u8; 10]) -> Self {
        Self(b)
    }
}

impl TryFrom<&[u8]> for Ksn {
    type Error = Error;

    fn try_from(b: &[u8]) -> Result<Self, Error> {
        Self::from_slice(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let k = Ksn::from_hex("FFFF9876543210E00012").unwrap();
        assert_eq!(k.key_set_id(), [0xFF, 0xFF, 0x98, 0x76, 0x54]);
        assert_eq!(k.device_id(), (0x3210E0 >> 5) & 0x7FFFF);
        assert_eq!(k.counter(), 0x12);
        assert_eq!(k.right64(), 0x9876_5432_10E0_0012);
        assert_eq!(k.left64(), 0xFFFF_9876_5432_10E0);
    }

    #[test]
    fn next_counter_table() {
        assert_eq!(next_counter(0), Some(1));
        assert_eq!(next_counter(0x3FE), Some(0x3FF)); // 9 -> 10 one-bits
        assert_eq!(next_counter(0x3FF), Some(0x400));
        assert_eq!(next_counter(0x7FE), Some(0x800)); // 0x7FF has 11 one-bits
        assert_eq!(next_counter(0xFF800), Some(0xFF801));
        assert_eq!(next_counter(0xFFC00), Some(0x10_0000)); // A.4.3 rollover
        assert_eq!(next_counter(LAST_COUNTER), None);
        assert_eq!(next_counter(COUNTER_MASK), None);
    }
}
