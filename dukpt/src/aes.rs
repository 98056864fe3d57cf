//! AES DUKPT (ANSI X9.24-3:2017 §6), host (receiving party) and originating device.
//!
//! ```text
//! KSN (12 bytes)  = Initial Key ID (BDK ID ‖ derivation ID, 8 bytes) ‖ counter (4 bytes, BE)
//! BDK ──DeriveKey(0x8001)──▶ Initial Key (IK) ──DeriveKey(0x8000) per counter one-bit──▶
//!     intermediate derivation key ──DeriveKey(usage, key type)──▶ working key
//! ```
//!
//! * [`Ksn`], [`InitialKeyId`] and the counter rules ([`counter_is_valid`], [`next_counter`]):
//!   X9.24-3:2017 §6.1, §6.5.
//! * [`KeyUsage`], [`KeyType`] and the derivation data ([`DerivationData`]):
//!   X9.24-3:2017 §6.3.2 (Table 2, 3, 4), the strength rule of §6.2.
//! * [`Bdk`] (host, schedule cached, batch [`Bdk::derive_batch`]), [`InitialKey`],
//!   [`IntermediateKey`]: X9.24-3:2017 §6.3.3 (`DeriveInitialKey`), §6.4 (host
//!   `DeriveWorkingKey`), §6.6 (update key).
//! * [`Originator`]: the originating device's 32-register state machine, X9.24-3:2017 §6.5;
//!   [`StorageKey`] and [`STATE_LEN`] for its saved state.
//! * Batch fast path (private `batch` and `lanes` modules): eight KSNs in lockstep, AES-128 /
//!   AES-192 / AES-256 key schedules computed round by round with the `aes` crate's hazmat round
//!   functions (FIPS 197 §5.1–5.2); see `dukpt/PERFORMANCE.md`.
//! * [`WorkingKey`]: the derived working key with its usage and type, converting into
//!   `paycrypt_pinblock::PinKey`, `paycrypt_mac::MacKey` and the data cipher
//!   `paycrypt_primitives::block::BlockCipher` after a usage check (X9.24-3:2017 §6.3.2).
//!
//! # Direction convention
//!
//! The usage names take the **originating device's** view (X9.24-3:2017 §6.3.2, Table 2):
//! "request" is terminal → host. The terminal MACs a request with the
//! [`KeyUsage::MacGeneration`] key and verifies the host's response with the
//! [`KeyUsage::MacVerification`] key; it encrypts request data with
//! [`KeyUsage::DataEncrypt`] and decrypts response data with [`KeyUsage::DataDecrypt`].
//! The host mirrors this: **a host decrypting request data derives the `DataEncrypt` (0x3000)
//! key**, verifies a request MAC with the `MacGeneration` key, and answers with the
//! `MacVerification` / `DataDecrypt` keys. The crate's [`Direction`](crate::Direction)
//! (`Request`, `Response`, `Bidirectional`, the vocabulary of cloud HSM APIs such as AWS's
//! `DukptKeyVariant`) maps onto these usages with [`KeyUsage::mac`] and [`KeyUsage::data`].
//!
//! # Example
//!
//! ```
//! use paycrypt_dukpt::aes::{Bdk, Ksn, KeyUsage, KeyType, Originator};
//!
//! let bdk = Bdk::from_bytes(&[0x11; 16])?;
//! let ksn = Ksn::from_hex("123456789012345600000001")?;
//! // Host: derive the PIN key for this KSN.
//! let host = bdk.working_key(&ksn, KeyUsage::PinEncryption, KeyType::Aes128)?;
//! // Device: load the initial key, use its first transaction.
//! let mut device = Originator::load(bdk.initial_key(&ksn.initial_key_id()));
//! assert_eq!(device.current_ksn()?, ksn);
//! let key = device.working_key(KeyUsage::PinEncryption, KeyType::Aes128)?;
//! assert_eq!(key, host);
//! device.advance()?;
//! assert_eq!(device.current_ksn()?.counter(), 2);
//! # Ok::<(), paycrypt_dukpt::Error>(())
//! ```

mod batch;
mod derive;
mod host;
mod keys;
mod ksn;
mod lanes;
mod originator;
mod types;

pub use host::{Bdk, InitialKey, IntermediateKey};
pub use keys::WorkingKey;
pub use ksn::{
    InitialKeyId, Ksn, LAST_COUNTER, MAX_ONE_BITS, MAX_TRANSACTIONS, UPDATE_KEY_COUNTER,
    counter_is_valid, next_counter,
};
pub use originator::{Originator, STATE_LEN, StorageKey};
pub use types::{DerivationData, KeyType, KeyUsage};
