//! DES back ends for the derivation steps: the constant-time bitsliced DES ([`Sliced`], the
//! default) and the table-driven DES of [`super::des_fast`] ([`TableVartime`], variable time).
//!
//! Both engines zeroize every key-dependent local (key halves, masked halves, the crypto
//! registers of X9.24-1:2009 A.2) before returning; only the result leaves.

use super::bitslice::{self, Key2};
use super::des_fast::{self, Schedule};
use super::types::{Halves, KEY_MASK};
use zeroize::Zeroize;

/// The operations DUKPT needs from DES.
pub(crate) trait Engine {
    /// Non-reversible key generation process (X9.24-1:2009 A.2), `K` = 16 bytes:
    ///
    /// ```text
    /// CR2 = DES-E(K_L, R8 ⊕ K_R) ⊕ K_R
    /// K'  = K ⊕ C0C0C0C000000000 C0C0C0C000000000
    /// CR1 = DES-E(K'_L, R8 ⊕ K'_R) ⊕ K'_R
    /// result = CR1 ‖ CR2        (the left half comes from the masked key)
    /// ```
    fn nrkgp(k: Halves, r8: u64) -> Halves;

    /// `TDEA-E(K, b1) ‖ TDEA-E(K, b2)` (2-key EDE) for a fresh double-length key.
    fn tdea_encrypt2(k: Halves, b1: u64, b2: u64) -> Halves;
}

/// The constant-time engine: the bitsliced DES of [`super::bitslice`] on two lanes of a `u64`
/// (the two DES of one NRKGP step, or the two blocks of one TDEA pair, side by side). No
/// secret-indexed table, no secret-dependent branch.
#[derive(Debug)]
pub(crate) struct Sliced;

/// The default engine of every unsuffixed method (name kept for the device code).
pub(crate) type Portable = Sliced;

/// The table-driven DES of [`des_fast`]: variable time (table reads indexed by secrets).
#[derive(Debug)]
pub(crate) struct TableVartime;

/// Two 64-bit values in lanes 0 and 1 (lane `l` is bit `63 - l` of every word), bit by bit:
/// cheaper than the full 64 × 64 transposition for two lanes.
fn slice2(a: u64, b: u64) -> [u64; 64] {
    core::array::from_fn(|i| {
        let s = 63 - i;
        (((a >> s) & 1) << 63) | (((b >> s) & 1) << 62)
    })
}

/// Lanes 0 and 1 back to two 64-bit values.
fn unslice2(w: &[u64; 64]) -> [u64; 2] {
    w.iter().fold([0u64; 2], |[a, b], x| {
        [(a << 1) | (x >> 63), (b << 1) | ((x >> 62) & 1)]
    })
}

/// A double-length key per lane: lane 0 = `a`, lane 1 = `b`.
pub(crate) fn key2_lanes(a: Halves, b: Halves) -> Key2<u64> {
    [slice2(a[0], b[0]), slice2(a[1], b[1])]
}

/// `TDEA-E(lane key, x)` for lanes 0 and 1 (the lanes' keys from [`key2_lanes`]).
pub(crate) fn tdea_pair(k: &Key2<u64>, x0: u64, x1: u64) -> Halves {
    let mut x = slice2(x0, x1);
    let mut y = bitslice::tdea(k, &x);
    let out = unslice2(&y);
    x.zeroize();
    y.zeroize();
    out
}

impl Engine for Sliced {
    fn nrkgp(k: Halves, r8: u64) -> Halves {
        let [mut kl, mut kr] = k;
        let (mut ml, mut mr) = (kl ^ KEY_MASK, kr ^ KEY_MASK);
        // Lane 0: CR2 under K_L; lane 1: CR1 under the masked K'_L.
        let mut key = slice2(kl, ml);
        let mut msg = slice2(r8 ^ kr, r8 ^ mr);
        let mut c = bitslice::encrypt(&key, &msg);
        let [mut c2, mut c1] = unslice2(&c);
        let out = [c1 ^ mr, c2 ^ kr];
        key.zeroize();
        msg.zeroize();
        c.zeroize();
        wipe(&mut [&mut kl, &mut kr, &mut ml, &mut mr, &mut c1, &mut c2]);
        out
    }

    fn tdea_encrypt2(k: Halves, b1: u64, b2: u64) -> Halves {
        let mut key = key2_lanes(k, k);
        let out = tdea_pair(&key, b1, b2);
        key.zeroize();
        out
    }
}

/// Zeroizes key-dependent 64-bit registers.
#[inline(always)]
fn wipe(regs: &mut [&mut u64]) {
    for r in regs.iter_mut() {
        r.zeroize();
    }
}

/// 2-key TDEA-EDE with table schedules: `E_K1(D_K2(E_K1(x)))`.
pub(crate) fn tdea_vartime(k1: &Schedule, k2: &Schedule, x: u64) -> u64 {
    let mut a = k1.encrypt_vartime(x);
    let mut b = k2.decrypt_vartime(a);
    let out = k1.encrypt_vartime(b);
    wipe(&mut [&mut a, &mut b]);
    out
}

/// Two 2-key TDEA-EDE encryptions, `(TDEA-E(K1‖K2, x), TDEA-E(M1‖M2, x))`, interleaved (the
/// two halves of an IPEK).
pub(crate) fn tdea_two_vartime(k: [&Schedule; 2], m: [&Schedule; 2], x: u64) -> Halves {
    let (mut a, mut b) = des_fast::encrypt_two_vartime(k[0], x, m[0], x);
    let (mut c, mut d) = des_fast::decrypt_two_vartime(k[1], a, m[1], b);
    let (e, f) = des_fast::encrypt_two_vartime(k[0], c, m[0], d);
    wipe(&mut [&mut a, &mut b, &mut c, &mut d]);
    [e, f]
}

/// Two NRKGP steps for two independent chains, interleaved (see [`Engine::nrkgp`]).
#[inline]
pub(crate) fn nrkgp2_vartime(ka: Halves, ra: u64, kb: Halves, rb: u64) -> (Halves, Halves) {
    let ([mut kal, mut kar], [mut kbl, mut kbr]) = (ka, kb);
    let (mut mar, mut mbr) = (kar ^ KEY_MASK, kbr ^ KEY_MASK);
    let ((mut a1, mut a2), (mut b1, mut b2)) =
        des_fast::encrypt_masked_pairs2_vartime(kal, ra ^ mar, ra ^ kar, kbl, rb ^ mbr, rb ^ kbr);
    let out = ([a1 ^ mar, a2 ^ kar], [b1 ^ mbr, b2 ^ kbr]);
    wipe(&mut [
        &mut kal, &mut kar, &mut kbl, &mut kbr, &mut mar, &mut mbr, &mut a1, &mut a2, &mut b1,
        &mut b2,
    ]);
    out
}

impl Engine for TableVartime {
    #[inline]
    fn nrkgp(k: Halves, r8: u64) -> Halves {
        let [mut kl, mut kr] = k;
        let mut mr = kr ^ KEY_MASK;
        let (mut c1, mut c2) = des_fast::encrypt_masked_pair_vartime(kl, r8 ^ mr, r8 ^ kr);
        let out = [c1 ^ mr, c2 ^ kr];
        wipe(&mut [&mut kl, &mut kr, &mut mr, &mut c1, &mut c2]);
        out
    }

    fn tdea_encrypt2(k: Halves, b1: u64, b2: u64) -> Halves {
        let s1 = Schedule::new_vartime(k[0]);
        let s2 = Schedule::new_vartime(k[1]);
        [tdea_vartime(&s1, &s2, b1), tdea_vartime(&s1, &s2, b2)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cipher::array::Array;
    use cipher::{BlockCipherEncrypt, KeyInit};
    use proptest::prelude::*;

    /// The straightforward NRKGP and TDEA with the RustCrypto `des` crate.
    fn des_encrypt(key: u64, block: u64) -> u64 {
        let c = des::Des::new(&key.to_be_bytes().into());
        let mut b: Array<u8, _> = block.to_be_bytes().into();
        c.encrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }

    fn nrkgp_des_crate([kl, kr]: Halves, r8: u64) -> Halves {
        let cr2 = des_encrypt(kl, r8 ^ kr) ^ kr;
        let (ml, mr) = (kl ^ KEY_MASK, kr ^ KEY_MASK);
        [des_encrypt(ml, r8 ^ mr) ^ mr, cr2]
    }

    fn tdea_des_crate(k: Halves, b: u64) -> u64 {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&k[0].to_be_bytes());
        bytes[8..].copy_from_slice(&k[1].to_be_bytes());
        let c = des::TdesEde2::new(&bytes.into());
        let mut x: Array<u8, _> = b.to_be_bytes().into();
        c.encrypt_block(&mut x);
        u64::from_be_bytes(x.into())
    }

    proptest! {
        #[test]
        fn engines_agree(kl: u64, kr: u64, r8: u64, b: u64) {
            use super::super::bitslice::Word;
            prop_assert_eq!(slice2(kl, kr), u64::slice(&[kl, kr]));
            prop_assert_eq!(unslice2(&slice2(kl, kr)), [kl, kr]);
            prop_assert_eq!(Sliced::nrkgp([kl, kr], r8), nrkgp_des_crate([kl, kr], r8));
            prop_assert_eq!(
                Sliced::tdea_encrypt2([kl, kr], r8, b),
                [tdea_des_crate([kl, kr], r8), tdea_des_crate([kl, kr], b)]
            );
            prop_assert_eq!(Portable::nrkgp([kl, kr], r8), TableVartime::nrkgp([kl, kr], r8));
            prop_assert_eq!(
                Portable::tdea_encrypt2([kl, kr], r8, b),
                TableVartime::tdea_encrypt2([kl, kr], r8, b)
            );
            let (x, y) = nrkgp2_vartime([kl, kr], r8, [b, r8], kl);
            prop_assert_eq!(x, Portable::nrkgp([kl, kr], r8));
            prop_assert_eq!(y, Portable::nrkgp([b, r8], kl));
        }
    }
}
