//! The originating device (PIN pad, card reader): the future-key state machine of
//! ANSI X9.24-1:2009 A.2, and saving / restoring its state.
//!
//! ```text
//! Load Initial Key   FK[i] = NRKGP(IPEK, base | 1<<i)   for i = 20 … 0;  counter = 1
//! Request            p = lowest one-bit of counter; current key = FK[p]
//!                    (FK[p] invalid: counter += 1<<p and retry; past 0x1FF800: cease)
//! New Key            popcount(counter) < 10:  FK[i] = NRKGP(FK[p], base | counter | 1<<i)
//!                                             for i = p-1 … 0;  erase FK[p];  counter += 1
//!                    popcount(counter) = 10:  erase FK[p];  counter += 1<<p
//! ```
//!
//! `base` is the rightmost 8 bytes of the initial KSN (counter bits clear).

use super::engine::{Engine, Portable};
use super::keys::{Ipek, TransactionKey};
use super::ksn::{COUNTER_MASK, Ksn, LAST_COUNTER, MAX_ONE_BITS};
use super::types::Halves;
use crate::Error;
use core::fmt;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::TdesKey;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Number of future key registers (X9.24-1:2009 A.2): one per counter bit.
pub const REGISTERS: usize = 21;

/// Length of a saved [`Originator`] state ([`Originator::save`]).
pub const STATE_LEN: usize = 384;

const MAGIC: [u8; 8] = *b"PCDUKTD2";
const BODY_LEN: usize = STATE_LEN - 8;
const ALL_REGISTERS: u32 = (1 << REGISTERS) - 1;

/// The key that protects a saved device state ([`Originator::save`]): a double- or
/// triple-length TDES key that the device keeps in its secure memory (for example a
/// device-unique storage key). It is never a DUKPT key.
#[derive(Clone)]
pub struct StorageKey(BlockCipher);

impl StorageKey {
    /// A storage key from a TDES key.
    #[must_use]
    pub fn new(key: &TdesKey) -> Self {
        Self(BlockCipher::from(key))
    }
}

impl fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StorageKey { ... }")
    }
}

/// An originating device's DUKPT state (X9.24-1:2009 A.2): initial KSN, transaction counter
/// and the 21 future key registers, with a validity flag per register (in place of the
/// standard's LRC byte).
///
/// Registers are erased (zeroized) as soon as they are used, and all of them on drop.
/// `Debug` shows the KSN and counter only.
///
/// ```
/// use paycrypt_dukpt::tdes::{Bdk, Ksn, Originator};
/// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
/// let iksn: Ksn = "FFFF9876543210E00000".parse()?;
/// let mut device = Originator::with_initial_key(&bdk.ipek(&iksn), &iksn)?;
/// let (ksn, key) = device.next_transaction()?;
/// assert_eq!(ksn.to_string(), "FFFF9876543210E00001");
/// assert_eq!(key, bdk.transaction_key(&ksn)); // the host derives the same key
/// # Ok::<(), paycrypt_dukpt::Error>(())
/// ```
pub struct Originator {
    loaded: bool,
    iksn: Ksn,
    /// The counter the next transaction uses (before skipping invalid registers).
    counter: u32,
    /// Bit `i` set: `registers[i]` holds a key.
    valid: u32,
    registers: [Halves; REGISTERS],
    /// Grows by one with every change of state (see [`Originator::generation`]).
    generation: u64,
}

impl fmt::Debug for Originator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Originator")
            .field("loaded", &self.loaded)
            .field("initial_ksn", &self.iksn)
            .field("counter", &self.counter)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Drop for Originator {
    fn drop(&mut self) {
        self.registers.zeroize();
        self.valid = 0;
    }
}

impl zeroize::ZeroizeOnDrop for Originator {}

impl Default for Originator {
    fn default() -> Self {
        Self::new()
    }
}

impl Originator {
    /// A device with no initial key loaded (every transaction fails with
    /// [`Error::NotInitialized`]).
    #[must_use]
    pub const fn new() -> Self {
        Self {
            loaded: false,
            iksn: Ksn::from_bytes([0; 10]),
            counter: 0,
            valid: 0,
            registers: [[0; 2]; REGISTERS],
            generation: 0,
        }
    }

    /// A device loaded with an initial key; see [`Originator::load_initial_key`].
    ///
    /// # Errors
    /// As [`Originator::load_initial_key`].
    pub fn with_initial_key(ipek: &Ipek, initial_ksn: &Ksn) -> Result<Self, Error> {
        let mut d = Self::new();
        d.load_initial_key(ipek, initial_ksn)?;
        Ok(d)
    }

    /// "Load Initial Key" (X9.24-1:2009 A.2): fills the 21 future key registers from the
    /// IPEK (21 NRKGP), sets the counter to 1 and keeps no copy of the IPEK. Replaces any
    /// previous state.
    ///
    /// # Errors
    /// [`Error::CounterNotValid`] unless `initial_ksn` has counter 0 (an initial KSN).
    pub fn load_initial_key(&mut self, ipek: &Ipek, initial_ksn: &Ksn) -> Result<(), Error> {
        if initial_ksn.counter() != 0 {
            return Err(Error::CounterNotValid);
        }
        let mut k = ipek.halves();
        let base = initial_ksn.right64();
        self.registers.zeroize();
        for (i, reg) in self.registers.iter_mut().enumerate().rev() {
            *reg = Portable::nrkgp(k, base | (1 << i));
        }
        k.zeroize();
        self.iksn = *initial_ksn;
        self.counter = 1;
        self.valid = ALL_REGISTERS;
        self.loaded = true;
        self.generation = self.generation.saturating_add(1);
        Ok(())
    }

    /// The generation of this state: 0 for a new device, one more after every change (loading
    /// an initial key, every transaction). Saved with the state; a caller that keeps a
    /// monotonic counter restores with [`Originator::restore_at_least`] to refuse rollback.
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// True once an initial key is loaded.
    #[must_use]
    pub const fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// The initial KSN (counter 0), if loaded.
    #[must_use]
    pub const fn initial_ksn(&self) -> Option<Ksn> {
        if self.loaded { Some(self.iksn) } else { None }
    }

    /// The counter the next transaction starts from and the register it uses, after
    /// skipping invalid registers (A.2 "Request PIN Entry" steps 1–2).
    fn current(&self) -> Result<(u32, usize), Error> {
        if !self.loaded {
            return Err(Error::NotInitialized);
        }
        let mut c = self.counter;
        loop {
            if c == 0 || c > LAST_COUNTER {
                return Err(Error::Exhausted);
            }
            let p = c.trailing_zeros();
            if self.valid & (1 << p) != 0 {
                return Ok((c, p as usize));
            }
            c += 1 << p;
        }
    }

    /// The KSN the next transaction will use, without changing anything.
    ///
    /// # Errors
    /// [`Error::NotInitialized`] before a key is loaded; [`Error::Exhausted`] after the
    /// 1,048,575th transaction.
    pub fn current_ksn(&self) -> Result<Ksn, Error> {
        let (c, _) = self.current()?;
        self.iksn.with_counter(c)
    }

    /// True when no further transaction is possible (or no key is loaded).
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.current().is_err()
    }

    /// One transaction: returns the KSN to send and its transaction key (derive the working
    /// keys from it), then runs "New Key" (X9.24-1:2009 A.2): fills the lower registers from
    /// the current key if the counter has fewer than 10 one-bits, erases the used register
    /// and advances the counter (skipping counters with more than 10 one-bits).
    ///
    /// Save the state ([`Originator::save`]) before using the key, so a power loss cannot
    /// make the device reuse a KSN.
    ///
    /// # Errors
    /// [`Error::NotInitialized`] before a key is loaded; [`Error::Exhausted`] after the
    /// 1,048,575th transaction (the counter never wraps to 0).
    pub fn next_transaction(&mut self) -> Result<(Ksn, TransactionKey), Error> {
        let (c, p) = self.current()?;
        let ksn = self.iksn.with_counter(c)?;
        let mut current = *self.registers.get(p).ok_or(Error::CorruptState)?;
        let key = TransactionKey::from_halves(current);
        let ones = c.count_ones();
        if ones < MAX_ONE_BITS {
            let base = self.iksn.right64() | u64::from(c);
            for (i, reg) in self.registers.iter_mut().enumerate().take(p).rev() {
                *reg = Portable::nrkgp(current, base | (1 << i));
                self.valid |= 1 << i;
            }
        }
        current.zeroize();
        if let Some(reg) = self.registers.get_mut(p) {
            reg.zeroize();
        }
        self.valid &= !(1 << p);
        self.counter = if ones < MAX_ONE_BITS {
            c + 1
        } else {
            c + (1 << p)
        };
        self.generation = self.generation.saturating_add(1);
        Ok((ksn, key))
    }

    /// The state as bytes, with an integrity check value under `key`.
    ///
    /// ```text
    /// 0..8      "PCDUKTD2" (format and version)
    /// 8         flags: 1 = initial key loaded, 0 = empty
    /// 9..19     initial KSN
    /// 19..23    next counter, big-endian
    /// 23..27    register validity bits (bit i = FK[i]), big-endian
    /// 27..363   FK[0] … FK[20], 16 bytes each (erased registers are zero)
    /// 363..371  generation, big-endian ([`Originator::generation`])
    /// 371..376  zero
    /// 376..384  TDEA CBC-MAC of bytes 0..376 under the storage key
    ///           (ISO/IEC 9797-1 MAC algorithm 1, IV 0, 8 bytes; fixed-length input)
    /// ```
    ///
    /// **Threat model.** The check detects corruption (torn writes, flipped bits) and any
    /// modification by someone who does not hold the storage key; a corrupt state restores
    /// as [`Error::CorruptState`], never as a key. It does **not** give confidentiality: the
    /// future keys are in clear, so keep the bytes in the device's secure (tamper-responsive)
    /// memory or encrypt them at the storage layer. Rollback (an older genuine state makes the
    /// device reuse KSNs and keys) is caught by the generation: restore with
    /// [`Originator::restore_at_least`] against a monotonic counter, and keep two slots
    /// ([`Originator::slot_to_save`], [`Originator::restore_newest`]) so that a torn write
    /// loses nothing. Save before each key is used. Zeroized on drop (it holds the future
    /// keys).
    #[must_use]
    pub fn save(&self, key: &StorageKey) -> Zeroizing<[u8; STATE_LEN]> {
        let mut out = Zeroizing::new([0u8; STATE_LEN]);
        let (body, tag) = out.split_at_mut(BODY_LEN);
        let mut w = Writer(body);
        w.put(&MAGIC);
        w.put(&[u8::from(self.loaded)]);
        w.put(self.iksn.as_bytes());
        w.put(&self.counter.to_be_bytes());
        w.put(&self.valid.to_be_bytes());
        for [l, r] in &self.registers {
            w.put(&l.to_be_bytes());
            w.put(&r.to_be_bytes());
        }
        w.put(&self.generation.to_be_bytes());
        tag.copy_from_slice(&cbc_mac(&key.0, body));
        out
    }

    /// Restores a state saved by [`Originator::save`]. The integrity check is verified (in
    /// constant time) before anything is parsed.
    ///
    /// # Errors
    /// [`Error::CorruptState`] for a wrong length, a failed integrity check, or content that
    /// [`Originator::save`] cannot produce — one error for all of them.
    pub fn restore(bytes: &[u8], key: &StorageKey) -> Result<Self, Error> {
        let (body, tag) = bytes
            .split_at_checked(BODY_LEN)
            .ok_or(Error::CorruptState)?;
        if tag.len() != 8 {
            return Err(Error::CorruptState);
        }
        let mut expect = cbc_mac(&key.0, body);
        let ok = bool::from(expect.ct_eq(tag));
        expect.zeroize();
        if !ok {
            return Err(Error::CorruptState);
        }
        Self::parse(body)
    }

    /// As [`Originator::restore`], and refuses a state older than `expected` (the caller's
    /// monotonic counter of generations saved) with [`Error::RolledBack`].
    ///
    /// # Errors
    /// Those of [`Originator::restore`], [`Error::RolledBack`].
    pub fn restore_at_least(bytes: &[u8], key: &StorageKey, expected: u64) -> Result<Self, Error> {
        let d = Self::restore(bytes, key)?;
        crate::slots::check_generation(d.generation, expected)?;
        Ok(d)
    }

    /// The two-slot pattern, restore side: the newest valid state among `slots` (highest
    /// generation whose integrity check passes) and its index. A slot torn by a power loss
    /// during [`Originator::save`] fails its check and is skipped.
    ///
    /// # Errors
    /// [`Error::CorruptState`] when no slot holds a valid state.
    pub fn restore_newest(slots: &[&[u8]], key: &StorageKey) -> Result<(usize, Self), Error> {
        crate::slots::newest(slots, |b| Self::restore(b, key), |d| d.generation)
    }

    /// The two-slot pattern, save side: the index of the slot to overwrite with the next
    /// [`Originator::save`] — one that holds no valid state, else the older one. Never the
    /// newest valid slot while there are two or more.
    #[must_use]
    pub fn slot_to_save(slots: &[&[u8]], key: &StorageKey) -> usize {
        crate::slots::to_save(slots, |b| Self::restore(b, key).ok().map(|d| d.generation))
    }

    /// Parses an authenticated body (also exercised directly by the tests with arbitrary
    /// bytes).
    fn parse(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader(body);
        let magic: [u8; 8] = r.take()?;
        let [flags]: [u8; 1] = r.take()?;
        let iksn = Ksn::from_bytes(r.take()?);
        let counter = u32::from_be_bytes(r.take()?);
        let valid = u32::from_be_bytes(r.take()?);
        let mut d = Self::new();
        for reg in &mut d.registers {
            *reg = [u64::from_be_bytes(r.take()?), u64::from_be_bytes(r.take()?)];
        }
        let generation = u64::from_be_bytes(r.take()?);
        let pad: [u8; 5] = r.take()?;
        let registers_ok = d
            .registers
            .iter()
            .enumerate()
            .all(|(i, reg)| valid & (1 << i) != 0 || *reg == [0, 0]);
        let ok = magic == MAGIC
            && pad == [0; 5]
            && r.0.is_empty()
            && valid & !ALL_REGISTERS == 0
            && registers_ok
            && match flags {
                0 => iksn == Ksn::from_bytes([0; 10]) && counter == 0 && valid == 0,
                1 => iksn.counter() == 0 && counter != 0 && counter <= 2 * (COUNTER_MASK + 1),
                _ => false,
            };
        if !ok {
            return Err(Error::CorruptState);
        }
        d.loaded = flags == 1;
        d.iksn = iksn;
        d.counter = counter;
        d.valid = valid;
        d.generation = generation;
        Ok(d)
    }
}

/// ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC, IV 0, no padding: the input has a fixed length
/// that is a multiple of 8) with a TDEA key.
fn cbc_mac(cipher: &BlockCipher, data: &[u8]) -> [u8; 8] {
    let mut state = [0u8; 8];
    for block in data.chunks(8) {
        for (s, b) in state.iter_mut().zip(block) {
            *s ^= b;
        }
        // The key is TDEA (8-byte blocks) by construction; a failure leaves `state` as is,
        // which then cannot match a genuine tag.
        let _ = cipher.encrypt_block(&mut state);
    }
    state
}

struct Writer<'a>(&'a mut [u8]);

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let buf = core::mem::take(&mut self.0);
        let (head, tail) = buf.split_at_mut(bytes.len().min(buf.len()));
        head.copy_from_slice(bytes.get(..head.len()).unwrap_or_default());
        self.0 = tail;
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let (head, tail) = self.0.split_at_checked(N).ok_or(Error::CorruptState)?;
        self.0 = tail;
        head.try_into().map_err(|_| Error::CorruptState)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Originator::parse(&body);
        }
    }

    #[test]
    fn parse_round_trip_and_rejects() {
        let ipek = Ipek::from_bytes(&[0x11; 16]).unwrap();
        let iksn = Ksn::from_bytes([0xFF, 0xFF, 1, 2, 3, 4, 5, 0xE0, 0, 0]);
        let mut d = Originator::with_initial_key(&ipek, &iksn).unwrap();
        for _ in 0..5 {
            d.next_transaction().unwrap();
        }
        let key = StorageKey::new(&TdesKey::from_bytes(&[0x22; 16]).unwrap());
        let saved = d.save(&key);
        let body = &saved[..BODY_LEN];
        let back = Originator::parse(body).unwrap();
        assert_eq!(back.counter, d.counter);
        assert_eq!(back.valid, d.valid);
        assert_eq!(back.registers, d.registers);
        // Content that save() cannot produce is refused even when authentic.
        for (pos, val) in [(0, b'X'), (8, 2), (17, 0x01), (23, 0xFF), (372, 1)] {
            let mut b = body.to_vec();
            b[pos] = val;
            assert_eq!(
                Originator::parse(&b).unwrap_err(),
                Error::CorruptState,
                "{pos}"
            );
        }
        // An erased register that is not zero.
        let mut b = body.to_vec();
        let erased = (0..REGISTERS).find(|i| d.valid & (1 << i) == 0).unwrap();
        b[27 + 16 * erased] = 1;
        assert_eq!(Originator::parse(&b).unwrap_err(), Error::CorruptState);
        // The empty state round-trips.
        let empty = Originator::new().save(&key);
        assert!(!Originator::parse(&empty[..BODY_LEN]).unwrap().is_loaded());
    }
}
