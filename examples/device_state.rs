//! Durable DUKPT device state: the two-slot pattern with a monotonic generation counter.
//!
//! A terminal must never reuse a KSN (X9.24-1:2009 A.2, X9.24-3:2017 §6.5: each transaction
//! key is used once). Its state therefore goes to non-volatile memory before each key is used,
//! and two failures must be survived:
//!
//! - **a torn write** (power lost in the middle of a save): with two slots, each save goes over
//!   the *older* slot ([`Originator::slot_to_save`]); on power-up the *newest valid* slot is
//!   restored ([`Originator::restore_newest`]). The torn slot fails its integrity check; the
//!   other still holds the state saved before the last key was used.
//! - **a rollback** (an attacker, or a restore from backup, puts back an older genuine
//!   state): every state carries a generation; the device also keeps a monotonic counter (a
//!   secure element's, or a one-way hardware counter) that it bumps after each save, and
//!   restores with [`Originator::restore_at_least`], which refuses an older state.
//!
//! Run with `cargo run --example device_state`; it exits 0 only when every check passed.

use paycrypt::dukpt::Error;
use paycrypt::dukpt::tdes::{Bdk, Ksn, Originator, STATE_LEN, StorageKey};
use paycrypt::primitives::key::TdesKey;

/// Non-volatile memory: two slots and the monotonic counter.
struct Flash {
    slots: [[u8; STATE_LEN]; 2],
    /// Monotonic: only ever increases (in a real device, hardware enforces that).
    counter: u64,
}

impl Flash {
    fn refs(&self) -> [&[u8]; 2] {
        [&self.slots[0][..], &self.slots[1][..]]
    }

    /// Saves over the older slot; `torn_after` simulates a power loss after that many bytes.
    fn save(&mut self, device: &Originator, key: &StorageKey, torn_after: Option<usize>) {
        let slot = Originator::slot_to_save(&self.refs(), key);
        let state = device.save(key);
        let n = torn_after.unwrap_or(STATE_LEN).min(STATE_LEN);
        if let (Some(dst), Some(src)) = (
            self.slots.get_mut(slot).and_then(|s| s.get_mut(..n)),
            state.get(..n),
        ) {
            dst.copy_from_slice(src);
        }
        if torn_after.is_none() {
            // Bump the counter only once the save is complete.
            self.counter = self.counter.max(device.generation());
        }
    }

    /// Power-up: the newest valid slot, and never older than the counter.
    fn restore(&self, key: &StorageKey) -> Result<Originator, Error> {
        let (slot, _) = Originator::restore_newest(&self.refs(), key)?;
        let bytes = self.slots.get(slot).ok_or(Error::CorruptState)?;
        Originator::restore_at_least(bytes, key, self.counter)
    }
}

fn check(ok: bool, what: &str) -> Result<(), Box<dyn core::error::Error>> {
    println!("{} {what}", if ok { "ok  " } else { "FAIL" });
    if ok { Ok(()) } else { Err(what.into()) }
}

fn main() -> Result<(), Box<dyn core::error::Error>> {
    // Test keys only.
    let bdk = Bdk::from_bytes(&[0x01; 16])?;
    let iksn: Ksn = "FFFF9876543210E00000".parse()?;
    let storage = StorageKey::new(&TdesKey::from_bytes(&[0x22; 16])?);
    let mut flash = Flash {
        slots: [[0; STATE_LEN]; 2],
        counter: 0,
    };

    let mut device = Originator::with_initial_key(&bdk.ipek(&iksn), &iksn)?;
    flash.save(&device, &storage, None);
    let mut used = Vec::new();
    for _ in 0..3 {
        // Advance, save, and only then use the key.
        let (ksn, _key) = device.next_transaction()?;
        flash.save(&device, &storage, None);
        used.push(ksn);
    }

    // 1. A torn write: power fails 100 bytes into the next save. Nothing is lost.
    let (ksn, _key) = device.next_transaction()?;
    flash.save(&device, &storage, Some(100));
    let restored = flash.restore(&storage)?;
    check(
        restored.generation() == device.generation() - 1,
        "torn write: the previous state restores",
    )?;
    // The key of `ksn` was never used (its save did not complete), so the restored device
    // issuing `ksn` again reuses nothing.
    check(
        restored.current_ksn()? == ksn && !used.contains(&ksn),
        "torn write: no used KSN is issued again",
    )?;

    // 2. A rollback: an attacker puts back an old genuine snapshot over both slots.
    let mut device = restored;
    let (ksn, _key) = device.next_transaction()?;
    flash.save(&device, &storage, None);
    used.push(ksn);
    let old = Originator::with_initial_key(&bdk.ipek(&iksn), &iksn)?.save(&storage);
    flash.slots = [*old, *old];
    let refused = matches!(flash.restore(&storage), Err(Error::RolledBack { .. }));
    check(refused, "rollback: an older genuine state is refused")?;
    println!("every check passed");
    Ok(())
}
