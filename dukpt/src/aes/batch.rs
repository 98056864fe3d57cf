//! The batch fast path: AES-128 BDK, 128-bit working keys (X9.24-3:2017 §6.4 unchanged; only
//! the evaluation order differs).
//!
//! A derivation is a serial chain (each `DeriveKey` output keys the next step), so one KSN
//! is bound by the latency of AES key expansion plus encryption. The batch runs [`LANES`]
//! independent KSNs in lockstep: each round expands the keys of all lanes, then encrypts one
//! derivation-data block per lane, so the processor overlaps the independent chains. A lane
//! that finishes is refilled with the next KSN. Consecutive KSNs with the same initial key
//! ID reuse the initial key.

use aes::{Aes128Enc, Aes192Enc, Aes256Enc};
use cipher::{Array, BlockCipherEncrypt};
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::counter_bits;

use super::derive::KeyBuf;
use super::keys::WorkingKey;
use super::ksn::{InitialKeyId, Ksn};
use super::lanes::{Scratch, Scratch192, Scratch256, WIDTH, encrypt_x8, encrypt2_x8};
use super::types::{DerivationData, KeyType, KeyUsage};

/// Independent KSNs derived in lockstep.
const LANES: usize = WIDTH;

#[derive(Clone, Copy)]
struct Lane {
    index: usize,
    /// Bytes 0–11 of the intermediate derivation data (usage `0x8000`) as a little-endian
    /// `u128`, bytes 12–15 (the counter) zero.
    intermediate: u128,
    /// The working key's derivation data (fixed for the lane's KSN).
    working: [u8; 16],
    remaining: u32,
    w: u32,
    key: [u8; 16],
    active: bool,
}

impl Zeroize for Lane {
    fn zeroize(&mut self) {
        self.key.zeroize();
    }
}

impl Lane {
    const IDLE: Self = Self {
        index: 0,
        intermediate: 0,
        working: [0; 16],
        remaining: 0,
        w: 0,
        key: [0; 16],
        active: false,
    };
}

/// The previous KSN's initial key, reused while consecutive KSNs share an initial key ID (the
/// initial key depends on the BDK and that ID alone, X9.24-3:2017 §6.3.1). Zeroized on drop,
/// so also when a batch ends early with an error.
struct InitialKeyCache<const N: usize> {
    id: Option<InitialKeyId>,
    key: [u8; N],
}

impl<const N: usize> InitialKeyCache<N> {
    const fn new() -> Self {
        Self {
            id: None,
            key: [0; N],
        }
    }

    /// The initial key for `id`, from `derive` unless it is the one held.
    fn get(&mut self, id: InitialKeyId, derive: impl FnOnce() -> [u8; N]) -> [u8; N] {
        if self.id != Some(id) {
            self.key = derive();
            self.id = Some(id);
        }
        self.key
    }
}

impl<const N: usize> Drop for InitialKeyCache<N> {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

/// Derives 128-bit working keys from an AES-128 BDK schedule for every KSN (already checked
/// by the caller). `sink(index, key)` is called once per KSN; indices may arrive out of
/// order.
pub(crate) fn derive_batch_128<F>(
    bdk: &Aes128Enc,
    ksns: &[Ksn],
    usage: KeyUsage,
    key_type: KeyType,
    sink: &mut F,
) -> Result<(), Error>
where
    F: FnMut(usize, WorkingKey),
{
    // Every buffer holding key material is zeroized on drop, on the error path too.
    let mut lanes = Zeroizing::new([Lane::IDLE; LANES]);
    let mut keys = Zeroizing::new([[0u8; 16]; LANES]);
    let mut scratch = Scratch::default();
    let mut blocks = Zeroizing::new([[0u8; 16]; LANES]);
    let mut finals = [false; LANES];
    let mut next = ksns.iter().enumerate();
    let mut initial_keys = InitialKeyCache::<16>::new();
    let mut out = KeyBuf::empty();
    out.len = 16;
    let usage_indicator = usage.indicator();
    loop {
        // Refill idle lanes; compute each lane's next derivation data.
        let mut any = false;
        for ((lane, block), fin) in lanes
            .iter_mut()
            .zip(blocks.iter_mut())
            .zip(finals.iter_mut())
        {
            if !lane.active {
                if let Some((index, ksn)) = next.next() {
                    let ikid = ksn.initial_key_id();
                    let ik = initial_keys.get(ikid, || {
                        let mut b = Array::from(
                            DerivationData::initial_key(KeyType::Aes128, &ikid).to_bytes(),
                        );
                        bdk.encrypt_block(&mut b);
                        b.into()
                    });
                    let counter = ksn.counter();
                    let derivation_id = ikid.derivation_id();
                    *lane = Lane {
                        index,
                        intermediate: u128::from_le_bytes(
                            DerivationData::intermediate(KeyType::Aes128, derivation_id, 0)
                                .to_bytes(),
                        ),
                        working: DerivationData::working(
                            usage_indicator,
                            key_type,
                            derivation_id,
                            counter,
                        )
                        .to_bytes(),
                        remaining: counter,
                        w: 0,
                        key: ik,
                        active: true,
                    };
                } else {
                    *fin = false;
                    continue;
                }
            }
            any = true;
            if lane.remaining != 0 {
                lane.w |= counter_bits::take_highest(&mut lane.remaining);
                // The counter goes big-endian into bytes 12–15 (X9.24-3:2017 §6.3.2).
                *block =
                    (lane.intermediate | (u128::from(lane.w.swap_bytes()) << 96)).to_le_bytes();
                *fin = false;
            } else {
                *block = lane.working;
                *fin = true;
            }
        }
        if !any {
            break;
        }
        // One AES-128 encryption per lane, each under its own key, in lockstep.
        for (key, lane) in keys.iter_mut().zip(lanes.iter()) {
            *key = lane.key;
        }
        encrypt_x8(&mut scratch, &keys, &mut blocks);
        for ((block, lane), fin) in blocks.iter().zip(lanes.iter_mut()).zip(finals.iter()) {
            lane.key = *block;
            if *fin && lane.active {
                if let Some(dst) = out.bytes.get_mut(..16) {
                    dst.copy_from_slice(&lane.key);
                }
                lane.active = false;
                sink(lane.index, WorkingKey::from_buf(usage, key_type, &out)?);
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
struct LaneWide<const N: usize> {
    index: usize,
    derivation_id: [u8; 4],
    counter: u32,
    remaining: u32,
    w: u32,
    key: [u8; N],
    active: bool,
}

impl<const N: usize> Zeroize for LaneWide<N> {
    fn zeroize(&mut self) {
        self.key.zeroize();
    }
}

impl<const N: usize> LaneWide<N> {
    const IDLE: Self = Self {
        index: 0,
        derivation_id: [0; 4],
        counter: 0,
        remaining: 0,
        w: 0,
        key: [0; N],
        active: false,
    };
}

/// The second derivation-data block (key block counter `0x02`, X9.24-3:2017 §6.3.1).
fn second_block(mut block: [u8; 16]) -> [u8; 16] {
    if let Some(c) = block.get_mut(1) {
        *c = 0x02;
    }
    block
}

/// As [`derive_batch_128`] for an AES-256 BDK and any working-key type: every `DeriveKey`
/// step encrypts the two derivation-data blocks (key block counters 1 and 2) under one key,
/// eight lanes at a time.
pub(crate) fn derive_batch_256<F>(
    bdk: &Aes256Enc,
    ksns: &[Ksn],
    usage: KeyUsage,
    key_type: KeyType,
    sink: &mut F,
) -> Result<(), Error>
where
    F: FnMut(usize, WorkingKey),
{
    let mut scratch = Scratch256::default();
    derive_batch_wide::<32, _, _>(
        bdk,
        KeyType::Aes256,
        ksns,
        usage,
        key_type,
        sink,
        |keys, a, b| encrypt2_x8(&mut scratch, keys, a, b),
    )
}

/// As [`derive_batch_256`] for an AES-192 BDK (24-byte intermediate keys, FIPS 197 Nk = 6).
pub(crate) fn derive_batch_192<F>(
    bdk: &Aes192Enc,
    ksns: &[Ksn],
    usage: KeyUsage,
    key_type: KeyType,
    sink: &mut F,
) -> Result<(), Error>
where
    F: FnMut(usize, WorkingKey),
{
    let mut scratch = Scratch192::default();
    derive_batch_wide::<24, _, _>(
        bdk,
        KeyType::Aes192,
        ksns,
        usage,
        key_type,
        sink,
        |keys, a, b| encrypt2_x8(&mut scratch, keys, a, b),
    )
}

/// The lockstep batch for BDKs longer than one block: `N`-byte intermediate keys, each
/// `DeriveKey` two blocks under one key (`encrypt2`), [`LANES`] KSNs at a time.
fn derive_batch_wide<const N: usize, F, E>(
    bdk: &impl BlockCipherEncrypt<BlockSize = cipher::consts::U16>,
    bdk_type: KeyType,
    ksns: &[Ksn],
    usage: KeyUsage,
    key_type: KeyType,
    sink: &mut F,
    mut encrypt2: E,
) -> Result<(), Error>
where
    F: FnMut(usize, WorkingKey),
    E: FnMut(&[[u8; N]; LANES], &mut [[u8; 16]; LANES], &mut [[u8; 16]; LANES]),
{
    // Every buffer holding key material is zeroized on drop, on the error path too.
    let mut lanes = Zeroizing::new([LaneWide::<N>::IDLE; LANES]);
    let mut keys = Zeroizing::new([[0u8; N]; LANES]);
    let mut first = Zeroizing::new([[0u8; 16]; LANES]);
    let mut second = Zeroizing::new([[0u8; 16]; LANES]);
    let mut finals = [false; LANES];
    let mut next = ksns.iter().enumerate();
    let mut initial_keys = InitialKeyCache::<N>::new();
    let mut out = KeyBuf::empty();
    let usage_indicator = usage.indicator();
    loop {
        let mut any = false;
        for (((lane, a), b), fin) in lanes
            .iter_mut()
            .zip(first.iter_mut())
            .zip(second.iter_mut())
            .zip(finals.iter_mut())
        {
            if !lane.active {
                if let Some((index, ksn)) = next.next() {
                    let ikid = ksn.initial_key_id();
                    let ik = initial_keys.get(ikid, || {
                        let dd = DerivationData::initial_key(bdk_type, &ikid).to_bytes();
                        let mut ik = [0u8; 32];
                        for (half, block) in ik.chunks_exact_mut(16).zip([dd, second_block(dd)]) {
                            let mut blk = Array::from(block);
                            bdk.encrypt_block(&mut blk);
                            half.copy_from_slice(&blk);
                        }
                        let mut key = [0u8; N];
                        key.copy_from_slice(ik.get(..N).unwrap_or(&[0; N]));
                        ik.zeroize();
                        key
                    });
                    let counter = ksn.counter();
                    *lane = LaneWide {
                        index,
                        derivation_id: ikid.derivation_id(),
                        counter,
                        remaining: counter,
                        w: 0,
                        key: ik,
                        active: true,
                    };
                } else {
                    *fin = false;
                    continue;
                }
            }
            any = true;
            let dd = if lane.remaining != 0 {
                lane.w |= counter_bits::take_highest(&mut lane.remaining);
                *fin = false;
                DerivationData::intermediate(bdk_type, lane.derivation_id, lane.w)
            } else {
                *fin = true;
                DerivationData::working(usage_indicator, key_type, lane.derivation_id, lane.counter)
            };
            *a = dd.to_bytes();
            *b = second_block(*a);
        }
        if !any {
            break;
        }
        for (key, lane) in keys.iter_mut().zip(lanes.iter()) {
            *key = lane.key;
        }
        encrypt2(&keys, &mut first, &mut second);
        for (((a, b), lane), fin) in first
            .iter()
            .zip(second.iter())
            .zip(lanes.iter_mut())
            .zip(finals.iter())
        {
            let mut both = [0u8; 32];
            let (lo, hi) = both.split_at_mut(16);
            lo.copy_from_slice(a);
            hi.copy_from_slice(b);
            lane.key.copy_from_slice(both.get(..N).unwrap_or(&[0; N]));
            if *fin && lane.active {
                // `from_buf` takes the key type's leading bytes.
                out.bytes = both;
                lane.active = false;
                sink(lane.index, WorkingKey::from_buf(usage, key_type, &out)?);
            }
            both.zeroize();
        }
    }
    Ok(())
}
