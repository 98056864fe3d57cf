//! TDES DUKPT (ANSI X9.24-1:2009 Annex A; repeated in X9.24-3:2017 Annex C).
//!
//! | concern | where | clause |
//! |---|---|---|
//! | KSN fields, counter rules, next KSN | [`Ksn`] | A.1, A.2 |
//! | IPEK from BDK + KSN | [`Bdk::ipek`] | A.6 |
//! | transaction key (host, any counter) | [`Bdk::transaction_key`], [`Ipek::transaction_key`] | A.3 |
//! | non-reversible key generation (NRKGP) | `engine` | A.2 |
//! | working keys, data-key styles | [`TransactionKey`], [`KeyVariant`], [`DataKeyStyle`] | A.4.1 |
//! | originating device (21 future-key registers) | [`Originator`] | A.2 |
//! | constant-time bitsliced DES, 64-lane host batch | `bitslice` | FIPS 46-3, A.3, A.6 |
//! | table-driven DES (variable time) | `des_fast`, `*_vartime` methods | FIPS 46-3 |
//!
//! Two DES back ends compute identical results: methods without a suffix (host, batch and the
//! originating device) use this crate's bitsliced DES — constant time, and for batches several
//! times faster than a straightforward implementation; methods ending in `_vartime` use the
//! table-driven DES, with secret-indexed table reads (see `dukpt/PERFORMANCE.md`).
//!
//! # Module layering (lower → higher; each module uses only modules above it in this list)
//!
//! 1. `ksn` — the KSN (A.1, A.2).
//! 2. `types` — the vocabulary: [`KeyVariant`], [`DataKeyStyle`], the variant constants and
//!    key mask (A.2, A.4.1), the double-length key form.
//! 3. DES level: `des_fast` (table DES) → `bitslice` (+ `bitslice/sboxes.rs`, bitsliced DES
//!    and the 64-lane derivation) → `engine` (the `Engine` trait: NRKGP and TDEA on either DES)
//!    → `derive` (IPEK A.6, transaction key A.3, working key A.4.1 on key halves).
//! 4. `keys` — the typed roles ([`Ipek`], [`TransactionKey`], [`PinWorkingKey`],
//!    [`MacWorkingKey`], [`DataWorkingKey`]) and their conversions into
//!    `paycrypt_pinblock::PinKey`, `paycrypt_mac::MacKey` and the data cipher.
//! 5. `host` — [`Bdk`]: single and batch derivations.
//! 6. `originator` — the device ([`Originator`]).

mod bitslice;
mod derive;
mod des_fast;
mod engine;
mod host;
mod keys;
mod ksn;
mod originator;
mod types;

pub use host::Bdk;
pub use keys::{DataWorkingKey, Ipek, MacWorkingKey, PinWorkingKey, TransactionKey};
pub use ksn::{COUNTER_MASK, Ksn, LAST_COUNTER, MAX_ONE_BITS, MAX_TRANSACTIONS};
pub use originator::{Originator, REGISTERS, STATE_LEN, StorageKey};
pub use types::{DataKeyStyle, KeyVariant};
