//! Durable device state: generations and the two-slot pattern, shared by the TDES and AES
//! originators.
//!
//! A saved state carries a generation number that grows by one with every change of state
//! (loading an initial key, every transaction). Two defences follow:
//!
//! - **Rollback**: a caller that keeps a monotonic counter (e.g. in secure hardware) restores
//!   with `restore_at_least(state, key, counter)`, which refuses an older genuine state with
//!   [`Error::RolledBack`] instead of re-issuing KSNs already used.
//! - **Torn writes**: with two storage slots, write each new state over the *older* slot
//!   (`slot_to_save`) and restore the *newest valid* one (`restore_newest`). A write torn by a
//!   power loss corrupts only the slot being written; the other still holds the previous
//!   state, whose integrity check passes. (Save before the key is used, so the previous state
//!   never covers a KSN already sent.)

use crate::Error;

/// The slot holding the newest valid state: its index and the restored value. `restore` is
/// the originator's integrity-checked restore.
pub(crate) fn newest<T>(
    slots: &[&[u8]],
    restore: impl Fn(&[u8]) -> Result<T, Error>,
    generation: impl Fn(&T) -> u64,
) -> Result<(usize, T), Error> {
    let mut best: Option<(usize, T)> = None;
    for (i, slot) in slots.iter().enumerate() {
        if let Ok(state) = restore(slot) {
            let newer = best
                .as_ref()
                .is_none_or(|(_, b)| generation(&state) > generation(b));
            if newer {
                best = Some((i, state));
            }
        }
    }
    best.ok_or(Error::CorruptState)
}

/// The slot to write next: the first one that does not restore, else the one of the lowest
/// generation (the older). Never the newest valid slot while there are two or more.
pub(crate) fn to_save(slots: &[&[u8]], generation_of: impl Fn(&[u8]) -> Option<u64>) -> usize {
    let mut oldest: Option<(usize, u64)> = None;
    for (i, slot) in slots.iter().enumerate() {
        match generation_of(slot) {
            None => return i,
            Some(g) => {
                if oldest.is_none_or(|(_, o)| g < o) {
                    oldest = Some((i, g));
                }
            }
        }
    }
    oldest.map_or(0, |(i, _)| i)
}

/// [`Error::RolledBack`] when `generation` is below `expected`.
pub(crate) const fn check_generation(generation: u64, expected: u64) -> Result<(), Error> {
    if generation < expected {
        Err(Error::RolledBack {
            generation,
            expected,
        })
    } else {
        Ok(())
    }
}
