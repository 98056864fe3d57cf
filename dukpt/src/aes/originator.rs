//! The originating device (terminal): the 32-register state machine of X9.24-3:2017 §6.5.

use core::fmt;

use paycrypt_primitives::key::AesKey;
use paycrypt_primitives::subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;

use super::derive::{KeyBuf, Schedule, derive_key};
use super::host::{InitialKey, IntermediateKey};
use super::keys::WorkingKey;
use super::ksn::{InitialKeyId, Ksn, LAST_COUNTER, MAX_ONE_BITS, counter_is_valid};
use super::types::{DerivationData, KeyType, KeyUsage, check_allowed};

/// Number of intermediate derivation key registers (one per counter bit, X9.24-3:2017 §6.5).
const REGISTERS: usize = 32;

/// Length of a saved device state ([`Originator::save`]).
///
///
/// ```text
/// bytes    0–3     magic "PDA1"
/// byte     4       format version 0x01
/// byte     5       key length in bytes (16, 24, 32)
/// byte     6       flags (bit 0: exhausted)
/// byte     7       0x00
/// bytes    8–15    initial key ID
/// bytes   16–19    counter of the next transaction (big-endian)
/// bytes   20–23    register validity bits (bit i = register i, big-endian)
/// bytes   24–1047  32 registers × 32 bytes (unused bytes and invalid registers zero)
/// bytes 1048–1055  generation, big-endian ([`Originator::generation`])
/// bytes 1056–1071  integrity check: AES CBC-MAC under the storage key over bytes 0–1055
///                  (ISO/IEC 9797-1 MAC algorithm 1, IV 0, 16 bytes; fixed-length input)
/// ```
pub const STATE_LEN: usize = 1072;

const MAGIC: [u8; 4] = *b"PDA1";
const VERSION: u8 = 2;
const BODY_LEN: usize = 1056;
const REGS_END: usize = 1048;
/// The key that protects a saved device state ([`Originator::save`]): an AES key (any size)
/// that the device keeps in its secure memory, for example a device-unique storage key. It
/// is never a DUKPT key. `Debug` redacted; the schedule is zeroized on drop.
#[derive(Clone)]
pub struct StorageKey(Schedule);

impl StorageKey {
    /// A storage key from an AES key.
    #[must_use]
    pub fn new(key: &AesKey) -> Self {
        Self(Schedule::from_key(key))
    }
}

impl fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StorageKey({})", self.0.key_type().name())
    }
}

/// An AES DUKPT originating device (X9.24-3:2017 §6.5).
///
/// ```text
/// load:         IDK[i] = DeriveKey(IK, DD(0x8000, type, derivation ID ‖ 1<<i)), i = 31 … 0;
///               counter = 1; the IK is erased
/// transaction:  p = lowest one-bit of the counter; current key = IDK[p];
///               working keys = DeriveKey(IDK[p], DD(usage, type, derivation ID ‖ counter))
/// new key:      if popcount(counter) < 16:
///                   IDK[i] = DeriveKey(IDK[p], DD(0x8000, …, counter | 1<<i)), i = p-1 … 0
///               erase IDK[p]; counter = next counter (more than 16 one-bits skipped);
///               exhausted past 0xFFFF0000
/// ```
///
/// Either [`Originator::next_transaction`] (the KSN and the intermediate key, from which the
/// working keys are derived, then "new key"), or one [`Originator::working_key`] call per key
/// the transaction needs, then [`Originator::advance`]. Registers are zeroized when used and
/// when the device is dropped; `Debug` shows no key material. [`Originator::save`] /
/// [`Originator::restore`] keep the state across power loss with an integrity check.
///
/// ```
/// use paycrypt_dukpt::aes::{Bdk, InitialKeyId, KeyType, KeyUsage, Originator, StorageKey};
/// use paycrypt_primitives::key::AesKey;
///
/// let bdk = Bdk::from_bytes(&[0x11; 16])?;
/// let ik = bdk.initial_key(&InitialKeyId::from_hex("1234567890123456")?);
/// let mut device = Originator::with_initial_key(&ik);
/// let (ksn, key) = device.next_transaction()?;
/// assert_eq!(ksn.to_string(), "123456789012345600000001");
/// let pin = key.working_key(KeyUsage::PinEncryption, KeyType::Aes128)?;
/// assert_eq!(pin, bdk.working_key(&ksn, KeyUsage::PinEncryption, KeyType::Aes128)?);
///
/// let storage = StorageKey::new(&AesKey::from_bytes(&[0x22; 16])?);
/// let saved = device.save(&storage);
/// let mut restored = Originator::restore(&saved[..], &storage)?;
/// assert_eq!(restored.next_transaction()?.0, device.next_transaction()?.0);
/// # Ok::<(), paycrypt_dukpt::Error>(())
/// ```
pub struct Originator {
    initial_key_id: InitialKeyId,
    key_len: u8,
    counter: u32,
    valid: u32,
    exhausted: bool,
    registers: [[u8; 32]; REGISTERS],
    /// Grows by one with every change of state (see [`Originator::generation`]).
    generation: u64,
}

impl Originator {
    /// Loads an initial key (X9.24-3:2017 §6.5 "Load initial key"): fills the 32 registers
    /// from the IK, sets the counter to 1 and erases the IK (it is consumed and zeroized).
    #[must_use]
    pub fn load(initial_key: InitialKey) -> Self {
        let key_type = initial_key.key_type();
        let initial_key_id = initial_key.initial_key_id();
        let did = initial_key_id.derivation_id();
        let schedule = Schedule::from_key(initial_key.key());
        let mut device = Self {
            initial_key_id,
            key_len: u8::try_from(key_type.len()).unwrap_or(16),
            counter: 1,
            valid: 0,
            exhausted: false,
            registers: [[0; 32]; REGISTERS],
            generation: 1,
        };
        for i in (0..REGISTERS).rev() {
            let dd = DerivationData::intermediate(key_type, did, 1u32 << i);
            let k = schedule.derive(&dd);
            device.set_register(i, &k);
        }
        drop(schedule);
        drop(initial_key);
        device
    }

    /// "Load initial key" from a borrowed initial key (a copy is made and erased after use);
    /// see [`Originator::load`].
    #[must_use]
    pub fn with_initial_key(initial_key: &InitialKey) -> Self {
        Self::load(initial_key.clone())
    }

    fn key_type(&self) -> KeyType {
        KeyType::aes_for_len(usize::from(self.key_len)).unwrap_or(KeyType::Aes128)
    }

    fn set_register(&mut self, i: usize, k: &KeyBuf) {
        if let Some(r) = self.registers.get_mut(i) {
            *r = k.bytes;
            self.valid |= 1u32 << i;
        }
    }

    fn erase_register(&mut self, i: usize) {
        if let Some(r) = self.registers.get_mut(i) {
            r.zeroize();
        }
        self.valid &= !(1u32 << i);
    }

    fn register(&self, i: usize) -> Result<KeyBuf, Error> {
        let bytes = self.registers.get(i).ok_or(Error::CorruptState)?;
        if self.valid & (1u32 << i) == 0 {
            return Err(Error::CorruptState);
        }
        Ok(KeyBuf {
            bytes: *bytes,
            len: self.key_len,
        })
    }

    /// The current register index (lowest one-bit of the counter).
    const fn current_index(&self) -> usize {
        self.counter.trailing_zeros() as usize
    }

    fn check_active(&self) -> Result<(), Error> {
        if self.exhausted {
            Err(Error::Exhausted)
        } else {
            Ok(())
        }
    }

    /// The initial key ID.
    #[must_use]
    pub const fn initial_key_id(&self) -> InitialKeyId {
        self.initial_key_id
    }

    /// The KSN the current (next) transaction uses, without changing anything.
    ///
    /// # Errors
    /// [`Error::Exhausted`] once the counter space is used up.
    pub fn current_ksn(&self) -> Result<Ksn, Error> {
        self.check_active()?;
        Ok(Ksn::new(self.initial_key_id, self.counter))
    }

    /// True once the device has used its last counter (`0xFFFF0000`).
    #[must_use]
    pub const fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// The current transaction's intermediate derivation key (the current register), for
    /// debugging against a host or HSM.
    ///
    /// # Errors
    /// [`Error::Exhausted`].
    pub fn intermediate_key(&self) -> Result<IntermediateKey, Error> {
        self.check_active()?;
        Ok(IntermediateKey::new(
            &self.register(self.current_index())?,
            Ksn::new(self.initial_key_id, self.counter),
        ))
    }

    /// The current transaction's working key of `key_type` for `usage` (X9.24-3:2017 §6.5,
    /// §6.4 last step). Call once per key the transaction needs, then [`Originator::advance`].
    ///
    /// # Errors
    /// [`Error::KeyTypeNotAllowed`] (strength rule, HMAC only for MAC usages);
    /// [`Error::Exhausted`].
    pub fn working_key(&self, usage: KeyUsage, key_type: KeyType) -> Result<WorkingKey, Error> {
        check_allowed(self.key_type(), usage, key_type)?;
        self.intermediate_key()?.working_key(usage, key_type)
    }

    /// One transaction: returns the KSN to send and its intermediate derivation key (derive
    /// the working keys from it with [`IntermediateKey::working_key`]), then runs
    /// [`Originator::advance`] ("new key").
    ///
    /// Save the state ([`Originator::save`]) before using the key, so a power loss cannot
    /// make the device reuse a KSN.
    ///
    /// # Errors
    /// [`Error::Exhausted`] after the 2,448,023,842nd transaction (never wraps).
    pub fn next_transaction(&mut self) -> Result<(Ksn, IntermediateKey), Error> {
        let key = self.intermediate_key()?;
        self.advance()?;
        Ok((key.ksn(), key))
    }

    /// The working key of `key_type` for `usage` for the current transaction, then
    /// [`Originator::advance`]: returns the KSN to send and the key.
    ///
    /// # Errors
    /// As [`Originator::working_key`].
    pub fn next_working_key(
        &mut self,
        usage: KeyUsage,
        key_type: KeyType,
    ) -> Result<(Ksn, WorkingKey), Error> {
        let ksn = self.current_ksn()?;
        let key = self.working_key(usage, key_type)?;
        self.advance()?;
        Ok((ksn, key))
    }

    /// Ends the current transaction (X9.24-3:2017 §6.5 "New key"): fills the registers below
    /// the current one (when the counter has fewer than 16 one-bits), erases the current
    /// register and moves to the next counter, skipping counters with more than 16 one-bits
    /// and registers found empty. After the last counter (`0xFFFF0000`) the device is
    /// exhausted and every register is erased.
    ///
    /// # Errors
    /// [`Error::Exhausted`] when already exhausted.
    pub fn advance(&mut self) -> Result<(), Error> {
        self.check_active()?;
        self.generation = self.generation.saturating_add(1);
        let p = self.current_index();
        let current = self.register(p)?;
        let key_type = self.key_type();
        let did = self.initial_key_id.derivation_id();
        if self.counter.count_ones() < MAX_ONE_BITS {
            for i in (0..p).rev() {
                let dd = DerivationData::intermediate(key_type, did, self.counter | (1u32 << i));
                let k = derive_key(&current, &dd);
                self.set_register(i, &k);
            }
            self.erase_register(p);
            // popcount < 16 and p ≥ 0: counter + 1 has at most 16 one-bits.
            self.counter = self.counter.wrapping_add(1);
        } else {
            self.erase_register(p);
            self.counter = self.counter.wrapping_add(1u32 << p);
        }
        drop(current);
        // Skip registers found empty (X9.24-3:2017 §6.5), never past the last counter.
        loop {
            if self.counter == 0 || self.counter > LAST_COUNTER {
                self.exhaust();
                return Ok(());
            }
            let q = self.current_index();
            if self.valid & (1u32 << q) != 0 {
                return Ok(());
            }
            let (next, overflow) = self.counter.overflowing_add(1u32 << q);
            self.counter = if overflow { 0 } else { next };
        }
    }

    fn exhaust(&mut self) {
        self.registers.zeroize();
        self.valid = 0;
        self.counter = 0;
        self.exhausted = true;
    }

    /// The state as a fixed-size byte array (layout at [`STATE_LEN`]) with an integrity
    /// check under `key`, for non-volatile storage. Zeroized on drop.
    ///
    /// **Threat model.** The check detects corruption (torn writes, flipped bits) and any
    /// modification by someone who does not hold the storage key; a corrupt state restores
    /// as [`Error::CorruptState`], never as a key. It gives no confidentiality: the registers
    /// are in clear, so keep the bytes in the device's secure memory or encrypt them at the
    /// storage layer. It does not prevent rollback: restoring an older genuine state makes
    /// the device reuse KSNs; the saved generation catches it: restore with
    /// [`Originator::restore_at_least`] against a monotonic counter, and keep two slots
    /// ([`Originator::slot_to_save`], [`Originator::restore_newest`]) so that a torn write
    /// loses nothing. Save before each key is used.
    #[must_use]
    pub fn save(&self, key: &StorageKey) -> Zeroizing<[u8; STATE_LEN]> {
        let mut out = Zeroizing::new([0u8; STATE_LEN]);
        let (body, check) = out.split_at_mut(BODY_LEN);
        let mut header = [0u8; 24];
        let (h0, rest) = header.split_at_mut(8);
        h0.copy_from_slice(&[
            MAGIC[0],
            MAGIC[1],
            MAGIC[2],
            MAGIC[3],
            VERSION,
            self.key_len,
            u8::from(self.exhausted),
            0,
        ]);
        let (h1, rest) = rest.split_at_mut(8);
        h1.copy_from_slice(&self.initial_key_id.to_bytes());
        let (h2, h3) = rest.split_at_mut(4);
        h2.copy_from_slice(&self.counter.to_be_bytes());
        h3.copy_from_slice(&self.valid.to_be_bytes());
        let (bh, rest) = body.split_at_mut(24);
        bh.copy_from_slice(&header);
        let (regs, generation) = rest.split_at_mut(REGS_END - 24);
        for (dst, src) in regs.chunks_exact_mut(32).zip(self.registers.iter()) {
            dst.copy_from_slice(src);
        }
        generation.copy_from_slice(&self.generation.to_be_bytes());
        check.copy_from_slice(&state_check(&key.0, body));
        out
    }

    /// Restores a state written by [`Originator::save`] under the same storage key. The
    /// integrity check is verified (in constant time) before anything is parsed.
    ///
    /// # Errors
    /// [`Error::CorruptState`] for a wrong length, a failed check, or content that
    /// [`Originator::save`] cannot produce — one error for every cause.
    pub fn restore(state: &[u8], key: &StorageKey) -> Result<Self, Error> {
        let state: &[u8; STATE_LEN] = state.try_into().map_err(|_| Error::CorruptState)?;
        let (body, check) = state.split_at(BODY_LEN);
        let mut expected = state_check(&key.0, body);
        let ok = bool::from(expected.ct_eq(check));
        expected.zeroize();
        if !ok {
            return Err(Error::CorruptState);
        }
        let (header, rest) = body.split_at(24);
        let (regs, generation) = rest.split_at(REGS_END - 24);
        let generation: [u8; 8] = generation.try_into().map_err(|_| Error::CorruptState)?;
        let h: [u8; 24] = header.try_into().map_err(|_| Error::CorruptState)?;
        let [m0, m1, m2, m3, version, key_len, flags, reserved, rest @ ..] = h;
        let [
            i0,
            i1,
            i2,
            i3,
            i4,
            i5,
            i6,
            i7,
            c0,
            c1,
            c2,
            c3,
            v0,
            v1,
            v2,
            v3,
        ] = rest;
        if [m0, m1, m2, m3] != MAGIC || version != VERSION || reserved != 0 || flags > 1 {
            return Err(Error::CorruptState);
        }
        let len = usize::from(key_len);
        KeyType::aes_for_len(len).map_err(|_| Error::CorruptState)?;
        let mut device = Self {
            initial_key_id: InitialKeyId::from_bytes([i0, i1, i2, i3, i4, i5, i6, i7]),
            key_len,
            counter: u32::from_be_bytes([c0, c1, c2, c3]),
            valid: u32::from_be_bytes([v0, v1, v2, v3]),
            exhausted: flags == 1,
            registers: [[0; 32]; REGISTERS],
            generation: u64::from_be_bytes(generation),
        };
        for (i, (dst, src)) in device
            .registers
            .iter_mut()
            .zip(regs.chunks_exact(32))
            .enumerate()
        {
            dst.copy_from_slice(src);
            let unused = dst.get(len..).unwrap_or(&[]);
            let empty = device.valid & (1u32 << i) == 0;
            if unused.iter().any(|&b| b != 0) || (empty && dst.iter().any(|&b| b != 0)) {
                return Err(Error::CorruptState);
            }
        }
        let consistent = if device.exhausted {
            device.counter == 0 && device.valid == 0
        } else {
            counter_is_valid(device.counter) && device.valid & (1u32 << device.current_index()) != 0
        };
        if consistent {
            Ok(device)
        } else {
            Err(Error::CorruptState)
        }
    }
}

impl Originator {
    /// The generation of this state: 1 once an initial key is loaded, one more after every
    /// transaction ([`Originator::advance`]). Saved with the state; a caller that keeps a
    /// monotonic counter restores with [`Originator::restore_at_least`] to refuse rollback.
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// As [`Originator::restore`], and refuses a state older than `expected` (the caller's
    /// monotonic counter of generations saved) with [`Error::RolledBack`].
    ///
    /// # Errors
    /// Those of [`Originator::restore`], [`Error::RolledBack`].
    pub fn restore_at_least(state: &[u8], key: &StorageKey, expected: u64) -> Result<Self, Error> {
        let d = Self::restore(state, key)?;
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
}

/// AES CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1, padding method 1, IV 0) of the fixed-length
/// state body under the storage key.
fn state_check(key: &Schedule, body: &[u8]) -> [u8; 16] {
    let mut mac = [0u8; 16];
    for chunk in body.chunks(16) {
        for (m, b) in mac.iter_mut().zip(chunk) {
            *m ^= *b;
        }
        mac = key.encrypt(mac);
    }
    mac
}

impl Drop for Originator {
    fn drop(&mut self) {
        self.registers.zeroize();
        self.valid = 0;
    }
}

impl fmt::Debug for Originator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Originator")
            .field("type", &self.key_type().name())
            .field("initial_key_id", &self.initial_key_id)
            .field("counter", &format_args!("{:08X}", self.counter))
            .field("exhausted", &self.exhausted)
            .finish_non_exhaustive()
    }
}
