//! The host (receiving party): BDK, initial key, intermediate derivation keys and working keys
//! (X9.24-3:2017 §6.3.3, §6.4, §6.6).

use core::fmt;

use paycrypt_primitives::key::AesKey;
use zeroize::Zeroize;

use crate::Error;

use super::derive::{KeyBuf, Schedule, aes_type, walk_chain};
use super::keys::WorkingKey;
use super::ksn::{InitialKeyId, Ksn, UPDATE_KEY_COUNTER};
use super::types::{DerivationData, KeyType, KeyUsage, check_allowed};

/// A Base Derivation Key: AES-128, AES-192 or AES-256 (X9.24-3:2017 §6.2).
///
/// The AES key schedule is expanded once and cached, so every derivation from this handle
/// starts without a key expansion. Zeroized on drop; `Debug` shows only the type.
#[derive(Clone)]
pub struct Bdk {
    key: AesKey,
    schedule: Schedule,
}

impl Bdk {
    /// A BDK from 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        KeyType::aes_for_len(bytes.len())?;
        Ok(Self::new(AesKey::from_bytes(bytes)?))
    }

    /// A BDK from an AES key (any of the three sizes, X9.24-3:2017 §6.2).
    #[must_use]
    pub fn new(key: AesKey) -> Self {
        let schedule = Schedule::from_key(&key);
        Self { key, schedule }
    }

    /// The BDK itself (for export in a TR-31 `B0` key block, or a KCV).
    #[must_use]
    pub const fn expose_key(&self) -> &AesKey {
        &self.key
    }

    /// [`KeyType::Aes128`], [`KeyType::Aes192`] or [`KeyType::Aes256`].
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        self.schedule.key_type()
    }

    /// The initial key (IK) for an initial key ID (X9.24-3:2017 §6.3.3):
    ///
    /// ```text
    /// IK = DeriveKey(BDK, 01 01 8001 <BDK algorithm> <BDK length> ‖ Initial Key ID)
    /// ```
    #[must_use]
    pub fn initial_key(&self, initial_key_id: &InitialKeyId) -> InitialKey {
        let dd = DerivationData::initial_key(self.key_type(), initial_key_id);
        InitialKey {
            key: self.schedule.derive(&dd).to_aes(),
            initial_key_id: *initial_key_id,
        }
    }

    /// The intermediate derivation key for a KSN's counter (X9.24-3:2017 §6.4). The host
    /// derives any counter, including those with more than 16 one-bits that no device uses.
    /// This is **not** a working key (some tools call it the "transaction key").
    ///
    /// # Errors
    /// [`Error::ReservedCounter`] for counter `0xFFFFFFFF` (the update key's; see
    /// [`Bdk::update_derivation_key`]).
    pub fn intermediate_key(&self, ksn: &Ksn) -> Result<IntermediateKey, Error> {
        ksn.check_host_counter()?;
        self.initial_key(&ksn.initial_key_id())
            .intermediate_key(ksn.counter())
    }

    /// The working key of `key_type` for `usage` at a KSN (X9.24-3:2017 §6.4):
    ///
    /// ```text
    /// working = DeriveKey(intermediate key, 01 01 <usage> <type> <length> ‖ derivation ID ‖ TC)
    /// ```
    ///
    /// # Errors
    /// [`Error::KeyTypeNotAllowed`] when `key_type` is stronger than the BDK (strength, not
    /// length: 3TDEA from AES-128 is allowed) or is HMAC with a non-MAC usage;
    /// [`Error::ReservedCounter`] for counter `0xFFFFFFFF`.
    pub fn working_key(
        &self,
        ksn: &Ksn,
        usage: KeyUsage,
        key_type: KeyType,
    ) -> Result<WorkingKey, Error> {
        check_allowed(self.key_type(), usage, key_type)?;
        self.intermediate_key(ksn)?.working_key(usage, key_type)
    }

    /// The update key of `key_type` for an initial key ID (X9.24-3:2017 §6.6): the
    /// intermediate key at counter `0xFFFFFFFF`, then usage `0x0002` (key encryption key).
    ///
    /// # Errors
    /// [`Error::KeyTypeNotAllowed`] for a type stronger than the BDK or an HMAC type.
    pub fn update_key(
        &self,
        initial_key_id: &InitialKeyId,
        key_type: KeyType,
    ) -> Result<WorkingKey, Error> {
        self.initial_key(initial_key_id).update_key(key_type)
    }

    /// The intermediate derivation key at the reserved counter `0xFFFFFFFF`, from which the
    /// update key is derived (X9.24-3:2017 §6.6). For comparing against an HSM; its
    /// [`IntermediateKey::working_key`] refuses to derive transaction keys.
    #[must_use]
    pub fn update_derivation_key(&self, initial_key_id: &InitialKeyId) -> IntermediateKey {
        self.initial_key(initial_key_id).update_derivation_key()
    }

    /// Batch derivation: `out[i]` = `Some(working key)` of `key_type` for `usage` at `ksns[i]`
    /// (the same keys as [`Bdk::working_key`], computed by [`Bdk::derive_batch`]). No
    /// allocation.
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length; otherwise as
    /// [`Bdk::working_key`]. Nothing is written on error.
    pub fn derive_many(
        &self,
        ksns: &[Ksn],
        usage: KeyUsage,
        key_type: KeyType,
        out: &mut [Option<WorkingKey>],
    ) -> Result<(), Error> {
        if ksns.len() != out.len() {
            return Err(Error::BatchLength {
                ksns: ksns.len(),
                keys: out.len(),
            });
        }
        self.derive_batch(ksns, usage, key_type, |i, key| {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(key);
            }
        })
    }

    /// Derives the working keys of one usage and type for many KSNs, calling
    /// `sink(index, key)` for each in order. Never allocates.
    ///
    /// Every KSN is checked before the first key is derived: nothing reaches `sink` when any
    /// KSN carries the reserved counter. Consecutive KSNs with the same initial key ID share
    /// one initial-key derivation; AES-128 BDKs with 128-bit outputs and AES-256 BDKs take an
    /// interleaved fast path (eight KSNs in lockstep, see `dukpt/PERFORMANCE.md`), so `sink`
    /// may see the indices out of order.
    ///
    /// # Errors
    /// As [`Bdk::working_key`].
    pub fn derive_batch<F>(
        &self,
        ksns: &[Ksn],
        usage: KeyUsage,
        key_type: KeyType,
        mut sink: F,
    ) -> Result<(), Error>
    where
        F: FnMut(usize, WorkingKey),
    {
        check_allowed(self.key_type(), usage, key_type)?;
        for ksn in ksns {
            ksn.check_host_counter()?;
        }
        if let Schedule::A128(bdk) = &self.schedule
            && key_type.len() == 16
        {
            return super::batch::derive_batch_128(bdk, ksns, usage, key_type, &mut sink);
        }
        if let Schedule::A256(bdk) = &self.schedule {
            return super::batch::derive_batch_256(bdk, ksns, usage, key_type, &mut sink);
        }
        if let Schedule::A192(bdk) = &self.schedule {
            return super::batch::derive_batch_192(bdk, ksns, usage, key_type, &mut sink);
        }
        let mut cached: Option<InitialKey> = None;
        for (index, ksn) in ksns.iter().enumerate() {
            let ikid = ksn.initial_key_id();
            let ik = match cached.take() {
                Some(ik) if ik.initial_key_id == ikid => ik,
                _ => self.initial_key(&ikid),
            };
            let key = ik
                .intermediate_key(ksn.counter())?
                .working_key(usage, key_type)?;
            sink(index, key);
            cached = Some(ik);
        }
        Ok(())
    }
}

impl fmt::Debug for Bdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bdk({})", self.key_type().name())
    }
}

/// The initial key (IK) loaded into an originating device, with its initial key ID
/// (X9.24-3:2017 §6.3.3). An AES key of the BDK's size; zeroized on drop; `Debug` redacted.
#[derive(Clone)]
pub struct InitialKey {
    key: AesKey,
    initial_key_id: InitialKeyId,
}

impl InitialKey {
    /// An initial key from its bytes (16, 24 or 32, the BDK's size) and initial key ID — the
    /// terminal's view, for example a key received in a TR-31 `B1` key block.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub fn from_bytes(key: &[u8], initial_key_id: InitialKeyId) -> Result<Self, Error> {
        KeyType::aes_for_len(key.len())?;
        Ok(Self {
            key: AesKey::from_bytes(key)?,
            initial_key_id,
        })
    }

    /// An initial key from an AES key.
    #[must_use]
    pub fn from_key(key: &AesKey, initial_key_id: InitialKeyId) -> Self {
        Self {
            key: key.clone(),
            initial_key_id,
        }
    }

    /// The initial key ID.
    #[must_use]
    pub const fn initial_key_id(&self) -> InitialKeyId {
        self.initial_key_id
    }

    /// The initial KSN (counter 0).
    #[must_use]
    pub const fn initial_ksn(&self) -> Ksn {
        Ksn::new(self.initial_key_id, 0)
    }

    /// The AES type of the key (the BDK's type).
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        aes_type(&self.key)
    }

    /// The key as an [`AesKey`], for export (e.g. in a TR-31 `B1` key block) or comparison
    /// against an HSM.
    #[must_use]
    pub fn expose_key(&self) -> AesKey {
        self.key.clone()
    }

    pub(crate) const fn key(&self) -> &AesKey {
        &self.key
    }

    pub(crate) fn key_buf(&self) -> KeyBuf {
        KeyBuf::from_aes(&self.key)
    }

    /// The intermediate derivation key for `counter` (X9.24-3:2017 §6.4), starting from this
    /// initial key. Any counter but `0xFFFFFFFF`; counter 0 gives the initial key itself.
    ///
    /// # Errors
    /// [`Error::ReservedCounter`] for `0xFFFFFFFF`.
    pub fn intermediate_key(&self, counter: u32) -> Result<IntermediateKey, Error> {
        if counter == UPDATE_KEY_COUNTER {
            return Err(Error::ReservedCounter);
        }
        Ok(self.walk(counter))
    }

    fn walk(&self, counter: u32) -> IntermediateKey {
        let key = walk_chain(
            self.key_buf(),
            self.initial_key_id.derivation_id(),
            0,
            counter,
        );
        IntermediateKey::new(&key, Ksn::new(self.initial_key_id, counter))
    }

    /// The working key of `key_type` for `usage` at `counter` (X9.24-3:2017 §6.4), starting
    /// from this initial key.
    ///
    /// # Errors
    /// As [`Bdk::working_key`].
    pub fn working_key(
        &self,
        counter: u32,
        usage: KeyUsage,
        key_type: KeyType,
    ) -> Result<WorkingKey, Error> {
        check_allowed(self.key_type(), usage, key_type)?;
        self.intermediate_key(counter)?.working_key(usage, key_type)
    }

    /// The intermediate key at counter `0xFFFFFFFF` (see [`Bdk::update_derivation_key`]).
    #[must_use]
    pub fn update_derivation_key(&self) -> IntermediateKey {
        self.walk(UPDATE_KEY_COUNTER)
    }

    /// The update key of `key_type` (X9.24-3:2017 §6.6):
    ///
    /// ```text
    /// K = intermediate key at counter FFFFFFFF (32 derivation steps)
    /// update key = DeriveKey(K, 01 01 0002 <type> <length> ‖ derivation ID ‖ FFFFFFFF)
    /// ```
    ///
    /// # Errors
    /// [`Error::KeyTypeNotAllowed`] for a type stronger than the BDK or an HMAC type.
    pub fn update_key(&self, key_type: KeyType) -> Result<WorkingKey, Error> {
        check_allowed(self.key_type(), KeyUsage::KeyEncryptionKey, key_type)?;
        self.walk(UPDATE_KEY_COUNTER)
            .derive_unchecked(KeyUsage::KeyEncryptionKey, key_type)
    }
}

impl fmt::Debug for InitialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "InitialKey {{ type: {}, initial_key_id: {}, .. }}",
            self.key_type().name(),
            self.initial_key_id
        )
    }
}

/// An intermediate derivation key with the KSN it belongs to (X9.24-3:2017 §6.4). Not a
/// working key: derive one with [`IntermediateKey::working_key`]. Zeroized on drop; `Debug`
/// redacted; raw bytes only through [`IntermediateKey::expose_key`].
#[derive(Clone)]
pub struct IntermediateKey {
    key: AesKey,
    ksn: Ksn,
}

impl IntermediateKey {
    pub(crate) fn new(key: &KeyBuf, ksn: Ksn) -> Self {
        Self {
            key: key.to_aes(),
            ksn,
        }
    }

    /// The KSN whose counter this key belongs to.
    #[must_use]
    pub const fn ksn(&self) -> Ksn {
        self.ksn
    }

    /// The AES type of the key (the BDK's type).
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        aes_type(&self.key)
    }

    /// The raw key, for debugging against an HSM.
    #[must_use]
    pub fn expose_key(&self) -> AesKey {
        self.key.clone()
    }

    /// The working key of `key_type` for `usage` (X9.24-3:2017 §6.4, last step; run even at
    /// counter 0).
    ///
    /// # Errors
    /// [`Error::KeyTypeNotAllowed`] (strength rule, HMAC only for MAC usages);
    /// [`Error::ReservedCounter`] for the update key's intermediate key.
    pub fn working_key(&self, usage: KeyUsage, key_type: KeyType) -> Result<WorkingKey, Error> {
        check_allowed(self.key_type(), usage, key_type)?;
        self.ksn.check_host_counter()?;
        self.derive_unchecked(usage, key_type)
    }

    fn derive_unchecked(&self, usage: KeyUsage, key_type: KeyType) -> Result<WorkingKey, Error> {
        let dd = DerivationData::working(
            usage.indicator(),
            key_type,
            self.ksn.initial_key_id().derivation_id(),
            self.ksn.counter(),
        );
        let mut out = Schedule::from_key(&self.key).derive(&dd);
        let key = WorkingKey::from_buf(usage, key_type, &out);
        out.zeroize();
        key
    }
}

impl fmt::Debug for IntermediateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IntermediateKey {{ type: {}, ksn: {}, .. }}",
            self.key_type().name(),
            self.ksn
        )
    }
}
