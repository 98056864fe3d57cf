//! The KRD's freshness state behind a trait (TR-34-2019 §5.4.6 one-pass signingTime, §5.4.7
//! two-pass nonce): the nonces it issued in RT-KRD tokens (each accepted once) and the last
//! accepted one-pass signing time (IBM CCA's "minimum timestamp").

use crate::Error;
use crate::key_token::{KeyToken, Krd, OpenedKey, Pass};
use crate::random_number::RandomNumberToken;
use crate::rsa_key::RsaPrivateKeyOps;
use crate::trust::KdhValidator;
use alloc::vec::Vec;
use core::time::Duration;
use paycrypt_primitives::rng::TryCryptoRng;
use subtle::ConstantTimeEq;

/// Where a KRD keeps its freshness state (persistent storage, an HSM, memory).
pub trait FreshnessState {
    /// `true` when `nonce` was issued and not used yet.
    fn is_outstanding(&self, nonce: &[u8]) -> bool;
    /// Marks `nonce` used; called once a token carrying it has been opened.
    fn consume_nonce(&mut self, nonce: &[u8]);
    /// The signing time of the last accepted one-pass token.
    fn last_signing_time(&self) -> Option<Duration>;
    /// Records an accepted one-pass token's signing time.
    fn record_signing_time(&mut self, signing_time: Duration);
}

impl KeyToken {
    /// [`KeyToken::open`] with the freshness decided by `state`: a two-pass token must carry an
    /// outstanding nonce (consumed on success), a one-pass token a signing time strictly later
    /// than the last accepted one (recorded on success).
    ///
    /// # Errors
    /// [`Error::Rejected`] for every failure, including a used or unknown nonce and a stale
    /// signing time.
    pub fn open_with_state<K, V, S>(
        &self,
        krd: &Krd<'_, K>,
        trust: &V,
        state: &mut S,
    ) -> Result<OpenedKey, Error>
    where
        K: RsaPrivateKeyOps + ?Sized,
        V: KdhValidator + ?Sized,
        S: FreshnessState + ?Sized,
    {
        let freshness = match self.pass_mode() {
            Pass::TwoPass { nonce } if state.is_outstanding(nonce) => Pass::TwoPass { nonce },
            Pass::TwoPass { .. } => return Err(Error::Rejected),
            // Strictly later: at least one second (UTCTime's resolution) after the last; a
            // state whose last time leaves no later second accepts nothing.
            Pass::OnePass { .. } => Pass::OnePass {
                signing_time: match state.last_signing_time() {
                    Some(last) => Some(
                        last.checked_add(Duration::from_secs(1))
                            .ok_or(Error::Rejected)?,
                    ),
                    None => None,
                },
            },
        };
        let opened = self.open(krd, trust, freshness)?;
        match &opened.mode {
            Pass::TwoPass { nonce } => state.consume_nonce(nonce),
            Pass::OnePass { signing_time } => state.record_signing_time(*signing_time),
        }
        Ok(opened)
    }
}

/// An in-memory [`FreshnessState`] (for tools and tests; a device persists its state).
#[derive(Clone, Debug, Default)]
pub struct MemoryFreshnessState {
    outstanding: Vec<Vec<u8>>,
    last_signing_time: Option<Duration>,
}

impl MemoryFreshnessState {
    /// An empty state.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            outstanding: Vec::new(),
            last_signing_time: None,
        }
    }

    /// Issues an RT-KRD with a fresh `len`-byte nonce and remembers the nonce.
    ///
    /// # Errors
    /// As [`RandomNumberToken::generate`].
    pub fn issue<R: TryCryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        len: usize,
    ) -> Result<RandomNumberToken, Error> {
        let token = RandomNumberToken::generate(rng, len)?;
        self.outstanding.push(token.nonce().to_vec());
        Ok(token)
    }
}

impl FreshnessState for MemoryFreshnessState {
    fn is_outstanding(&self, nonce: &[u8]) -> bool {
        self.outstanding.iter().fold(false, |found, n| {
            found | bool::from(n.as_slice().ct_eq(nonce))
        })
    }

    fn consume_nonce(&mut self, nonce: &[u8]) {
        self.outstanding.retain(|n| n.as_slice() != nonce);
    }

    fn last_signing_time(&self) -> Option<Duration> {
        self.last_signing_time
    }

    fn record_signing_time(&mut self, signing_time: Duration) {
        self.last_signing_time = Some(
            self.last_signing_time
                .map_or(signing_time, |t| t.max(signing_time)),
        );
    }
}
