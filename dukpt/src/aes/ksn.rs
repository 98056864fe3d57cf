//! The AES DUKPT key serial number and its counter rules (X9.24-3:2017 §6.1, §6.5).

use core::fmt;

use paycrypt_primitives::hex::{self, Case};

use crate::Error;

/// The most one-bits an originating device uses in a counter (X9.24-3:2017 §6.5).
pub const MAX_ONE_BITS: u32 = 16;

/// Number of transactions an originating device can perform: `Σ_{k=1..16} C(32,k)`.
pub const MAX_TRANSACTIONS: u32 = 2_448_023_842;

/// The last counter an originating device may use: `0xFFFF0000` (16 one-bits, X9.24-3:2017
/// §6.5). `Σ_{k=1..16} C(32,k) = 2,448,023,842` transactions in total.
pub const LAST_COUNTER: u32 = 0xFFFF_0000;

/// The counter reserved for the update key (X9.24-3:2017 §6.6); never a transaction counter.
pub const UPDATE_KEY_COUNTER: u32 = 0xFFFF_FFFF;

/// True when an originating device may use `counter`: not zero and at most 16 one-bits
/// (X9.24-3:2017 §6.5). `0xFFFFFFFF` (32 one-bits) is therefore never valid.
#[must_use]
pub const fn counter_is_valid(counter: u32) -> bool {
    counter != 0 && counter.count_ones() <= MAX_ONE_BITS
}

/// The counter an originating device uses after `counter`: `+1`, then counters with more than
/// 16 one-bits are skipped by adding their lowest one-bit (X9.24-3:2017 §6.5, "New key").
///
/// # Errors
/// [`Error::Exhausted`] past [`LAST_COUNTER`]; the counter never wraps to 0.
pub const fn next_counter(counter: u32) -> Result<u32, Error> {
    if counter >= LAST_COUNTER {
        return Err(Error::Exhausted);
    }
    // Cannot overflow: counter < 0xFFFF0000.
    let mut next = counter + 1;
    while next.count_ones() > MAX_ONE_BITS {
        // Adding the lowest one-bit clears a run of ones; the result never passes
        // 0xFFFF0000 from below, and wrapping would need 32 one-bits ≥ 17 at the top.
        let (sum, overflow) = next.overflowing_add(next & next.wrapping_neg());
        if overflow {
            return Err(Error::Exhausted);
        }
        next = sum;
    }
    if next > LAST_COUNTER {
        return Err(Error::Exhausted);
    }
    Ok(next)
}

/// The Initial Key ID: BDK ID (4 bytes) ‖ derivation ID (4 bytes), KSN bytes 0–7
/// (X9.24-3:2017 §6.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InitialKeyId([u8; 8]);

impl InitialKeyId {
    /// Byte length: 8.
    pub const LEN: usize = 8;

    /// From the BDK ID and the derivation ID.
    #[must_use]
    pub const fn new(bdk_id: [u8; 4], derivation_id: [u8; 4]) -> Self {
        let [a, b, c, d] = bdk_id;
        let [e, f, g, h] = derivation_id;
        Self([a, b, c, d, e, f, g, h])
    }

    /// From 8 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 8]) -> Self {
        Self(bytes)
    }

    /// From a slice of exactly 8 bytes.
    ///
    /// # Errors
    /// [`Error::KsnLength`] for any other length.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        bytes.try_into().map(Self).map_err(|_| Error::KsnLength {
            expected: Self::LEN,
            got: bytes.len(),
        })
    }

    /// From 16 hex digits (either case).
    ///
    /// # Errors
    /// [`Error::KsnLength`] when the text is not 16 digits, [`Error::Primitives`] for a bad digit.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        let mut out = [0u8; 8];
        if text.len() != 16 {
            return Err(Error::KsnLength {
                expected: Self::LEN,
                got: text.len() / 2,
            });
        }
        hex::decode_into(text.as_bytes(), &mut out, Case::Any)?;
        Ok(Self(out))
    }

    /// The 8 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 8] {
        self.0
    }

    /// The BDK ID (bytes 0–3).
    #[must_use]
    pub const fn bdk_id(&self) -> [u8; 4] {
        let [a, b, c, d, ..] = self.0;
        [a, b, c, d]
    }

    /// The derivation ID (bytes 4–7); it goes into the derivation data of every key below the
    /// initial key (X9.24-3:2017 §6.3.2).
    #[must_use]
    pub const fn derivation_id(&self) -> [u8; 4] {
        let [.., e, f, g, h] = self.0;
        [e, f, g, h]
    }
}

impl fmt::Display for InitialKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&hex::Hex(&self.0), f)
    }
}

impl fmt::Debug for InitialKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InitialKeyId({self})")
    }
}

/// An AES DUKPT key serial number: 12 bytes, X9.24-3:2017 §6.1.
///
/// ```text
/// bytes 0–3   BDK ID          ┐ Initial Key ID
/// bytes 4–7   derivation ID   ┘
/// bytes 8–11  transaction counter, 32-bit big-endian
/// ```
///
/// A `Ksn` is a value: every operation returns a new one and never changes the caller's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ksn([u8; 12]);

impl Ksn {
    /// Byte length: 12.
    pub const LEN: usize = 12;

    /// From the initial key ID and a counter.
    #[must_use]
    pub const fn new(initial_key_id: InitialKeyId, counter: u32) -> Self {
        let [a, b, c, d, e, f, g, h] = initial_key_id.0;
        let [i, j, k, l] = counter.to_be_bytes();
        Self([a, b, c, d, e, f, g, h, i, j, k, l])
    }

    /// From 12 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 12]) -> Self {
        Self(bytes)
    }

    /// From a slice of exactly 12 bytes.
    ///
    /// # Errors
    /// [`Error::KsnLength`] for any other length (an 80-bit compatibility KSN goes through
    /// [`Ksn::from_compatibility_ksn`]).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        bytes.try_into().map(Self).map_err(|_| Error::KsnLength {
            expected: Self::LEN,
            got: bytes.len(),
        })
    }

    /// From 24 hex digits (either case).
    ///
    /// # Errors
    /// [`Error::KsnLength`] when the text is not 24 digits, [`Error::Primitives`] for a bad digit.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        if text.len() != 2 * Self::LEN {
            return Err(Error::KsnLength {
                expected: Self::LEN,
                got: text.len() / 2,
            });
        }
        let mut out = [0u8; 12];
        hex::decode_into(text.as_bytes(), &mut out, Case::Any)?;
        Ok(Self(out))
    }

    /// Reserved: the 80-bit "compatibility" KSN that X9.24-3:2017 defines for AES DUKPT
    /// devices in TDES-sized message fields. Its encoding could not be confirmed from public
    /// material, so it is not guessed.
    ///
    /// # Errors
    /// Always [`Error::Unsupported`].
    pub fn from_compatibility_ksn(bytes: &[u8]) -> Result<Self, Error> {
        let _ = bytes;
        Err(Error::Unsupported)
    }

    /// Reserved: this KSN as an 80-bit compatibility KSN (see [`Ksn::from_compatibility_ksn`]).
    ///
    /// # Errors
    /// Always [`Error::Unsupported`].
    pub fn to_compatibility_ksn(&self) -> Result<[u8; 10], Error> {
        Err(Error::Unsupported)
    }

    /// The 12 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 12] {
        self.0
    }

    /// The 12 bytes, borrowed.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 12] {
        &self.0
    }

    /// The initial key ID (bytes 0–7).
    #[must_use]
    pub const fn initial_key_id(&self) -> InitialKeyId {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        InitialKeyId([a, b, c, d, e, f, g, h])
    }

    /// The transaction counter (bytes 8–11, big-endian).
    #[must_use]
    pub const fn counter(&self) -> u32 {
        let [.., i, j, k, l] = self.0;
        u32::from_be_bytes([i, j, k, l])
    }

    /// The same initial key ID with another counter.
    #[must_use]
    pub const fn with_counter(&self, counter: u32) -> Self {
        Self::new(self.initial_key_id(), counter)
    }

    /// The initial KSN: counter 0.
    #[must_use]
    pub const fn initial(&self) -> Self {
        self.with_counter(0)
    }

    /// True when an originating device may send this KSN ([`counter_is_valid`]).
    #[must_use]
    pub const fn is_valid_transaction_counter(&self) -> bool {
        counter_is_valid(self.counter())
    }

    /// True when no transaction can follow this KSN (its counter is [`LAST_COUNTER`] or
    /// above).
    #[must_use]
    pub const fn is_exhausted(&self) -> bool {
        next_counter(self.counter()).is_err()
    }

    /// Checks that a host may derive transaction keys for this KSN: every counter but
    /// [`UPDATE_KEY_COUNTER`] (hosts derive counters with more than 16 one-bits too,
    /// X9.24-3:2017 §6.4; validity is [`Ksn::is_valid_transaction_counter`]).
    ///
    /// # Errors
    /// [`Error::ReservedCounter`] for counter `0xFFFFFFFF`.
    pub const fn check_host_counter(&self) -> Result<(), Error> {
        if self.counter() == UPDATE_KEY_COUNTER {
            Err(Error::ReservedCounter)
        } else {
            Ok(())
        }
    }

    /// Checks that an originating device may use this KSN's counter (X9.24-3:2017 §6.5): not 0,
    /// at most 16 one-bits, not the update key's.
    ///
    /// # Errors
    /// [`Error::ReservedCounter`] for `0xFFFFFFFF`; [`Error::CounterNotValid`] for 0 or more
    /// than 16 one-bits.
    pub const fn check_transaction_counter(&self) -> Result<(), Error> {
        let c = self.counter();
        if c == UPDATE_KEY_COUNTER {
            Err(Error::ReservedCounter)
        } else if counter_is_valid(c) {
            Ok(())
        } else {
            Err(Error::CounterNotValid)
        }
    }

    /// The KSN an originating device uses next ([`next_counter`]).
    ///
    /// # Errors
    /// [`Error::Exhausted`] past [`LAST_COUNTER`].
    pub const fn next(&self) -> Result<Self, Error> {
        match next_counter(self.counter()) {
            Ok(c) => Ok(self.with_counter(c)),
            Err(e) => Err(e),
        }
    }
}

impl fmt::Display for Ksn {
    /// 24 upper-case hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&hex::Hex(&self.0), f)
    }
}

impl fmt::Debug for Ksn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ksn({self})")
    }
}

impl core::str::FromStr for Ksn {
    type Err = Error;
    /// 24 hex digits ([`Ksn::from_hex`]).
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_hex(s)
    }
}

impl From<[u8; 12]> for Ksn {
    fn from(bytes: [u8; 12]) -> Self {
        Self(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_table() {
        assert_eq!(next_counter(0), Ok(1));
        assert_eq!(next_counter(0x0001_FFFE), Ok(0x0002_0000));
        assert_eq!(next_counter(0x0000_FFFF), Ok(0x0001_0000));
        assert_eq!(next_counter(0xFFFE_8000), Ok(0xFFFF_0000));
        assert_eq!(next_counter(LAST_COUNTER), Err(Error::Exhausted));
        assert_eq!(next_counter(0xFFFF_FFFF), Err(Error::Exhausted));
        assert_eq!(next_counter(0xFFFF_0001), Err(Error::Exhausted));
        assert!(counter_is_valid(LAST_COUNTER));
        assert!(!counter_is_valid(0x0001_FFFF));
        assert!(!counter_is_valid(0));
    }
}
