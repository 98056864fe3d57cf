//! Table-driven single DES (FIPS 46-3) for the host's hot path — **variable time**.
//!
//! Why it exists: a DUKPT host derivation is a serial chain of DES operations that each use a
//! *new* key, so the DES key schedule (not the block encryption) dominates. The RustCrypto
//! `des` crate computes PC-2 bit by bit with shifts and multiplications for every subkey; this
//! module replaces that with byte-indexed tables, fuses the key schedule into the rounds, and
//! runs the two independent DES operations of one NRKGP step interleaved. Figures and the
//! command that measured them are in `dukpt/PERFORMANCE.md` (the criterion bench
//! `benches/dukpt_tdes.rs` contains the straightforward `des`-crate baseline next to it).
//!
//! Layout (all generated at compile time from the FIPS 46-3 tables below, so nothing here is a
//! hand-copied magic table):
//!
//! ```text
//! PC1[j][v]  j = key byte 0..8, v = byte >> 1 (parity ignored)  -> 56-bit C‖D
//! PC2[j][v]  j = 7-bit chunk of C‖D (0..8, MSB first)            -> subkey (ka << 32 | kb)
//! SP[i][v]   i = S-box 0..8, v = its 6-bit input                  -> P(S_i(v)) in place
//! subkey     ka = k0<<26 | k2<<18 | k4<<10 | k6<<2   (k_i = 6-bit group i of the 48-bit K_n)
//!            kb = k1<<26 | k3<<18 | k5<<10 | k7<<2
//! round      x = R >>> 1;  u = x ^ ka;  t = (x <<< 4) ^ kb;  groups of E(R) are the 6-bit
//!            fields of u and t at shifts 26, 18, 10, 2
//! ```
//!
//! IP and FP are delta swaps (no table, no secret-indexed access).
//!
//! **Timing**: the SP and PC-2 lookups are indexed by key- and data-dependent values, so the
//! time they take can depend on the cache state (2 KiB of SP tables, 8 KiB of key-schedule
//! tables). Every function is therefore named `*_vartime`. The default path of the crate is
//! the constant-time bitsliced DES of `bitslice.rs`. See `dukpt/PERFORMANCE.md` for the
//! trade-off. Every register holding a key- or data-dependent value (C‖D, L, R, the subkeys)
//! is zeroized before the function returns.

use zeroize::Zeroize;

/// FIPS 46-3 permuted choice 1 (1-based key bit numbers, C then D).
pub(super) const PC1: [u8; 56] = [
    57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60,
    52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29,
    21, 13, 5, 28, 20, 12, 4,
];

/// FIPS 46-3 permuted choice 2 (1-based bit numbers of C‖D).
pub(super) const PC2: [u8; 48] = [
    14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52,
    31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/// FIPS 46-3 left shifts of C and D per round, as pairs of rounds.
pub(super) const SHIFTS: [(u32, u32); 8] = [
    (1, 1),
    (2, 2),
    (2, 2),
    (2, 2),
    (1, 2),
    (2, 2),
    (2, 2),
    (2, 1),
];

/// FIPS 46-3 permutation P (1-based input bit numbers).
pub(super) const P: [u8; 32] = [
    16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19,
    13, 30, 6, 22, 11, 4, 25,
];

/// FIPS 46-3 S-boxes `S1`..`S8`, `[box][row][column]`.
pub(super) const SBOX: [[[u8; 16]; 4]; 8] = [
    [
        [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7],
        [0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8],
        [4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0],
        [15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
    ],
    [
        [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10],
        [3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5],
        [0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15],
        [13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
    ],
    [
        [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8],
        [13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1],
        [13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7],
        [1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
    ],
    [
        [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15],
        [13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9],
        [10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4],
        [3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
    ],
    [
        [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9],
        [14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6],
        [4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14],
        [11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
    ],
    [
        [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11],
        [10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8],
        [9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6],
        [4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
    ],
    [
        [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1],
        [13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6],
        [1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2],
        [6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
    ],
    [
        [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7],
        [1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2],
        [7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8],
        [2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
    ],
];

/// Combined S-box and P tables: `SP[i][v] = P(S_{i+1}(v) placed at output nibble i)`.
// Evaluated at compile time: an out-of-range index would be a compile error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn build_sp() -> [[u32; 64]; 8] {
    let mut t = [[0u32; 64]; 8];
    let mut i = 0;
    while i < 8 {
        let mut v = 0;
        while v < 64 {
            let row = ((v >> 4) & 2) | (v & 1);
            let col = (v >> 1) & 15;
            let pre = (SBOX[i][row][col] as u32) << (28 - 4 * i);
            let mut out = 0u32;
            let mut n = 0;
            while n < 32 {
                let src = P[n] as u32;
                if (pre >> (32 - src)) & 1 == 1 {
                    out |= 1 << (31 - n);
                }
                n += 1;
            }
            t[i][v] = out;
            v += 1;
        }
        i += 1;
    }
    t
}

/// PC-1 by key byte: `PC1T[j][byte >> 1]` is that byte's contribution to the 56-bit C‖D
/// (C‖D bit `p`, 1-based, at `u64` bit `56 - p`).
#[allow(clippy::indexing_slicing)]
const fn build_pc1() -> [[u64; 128]; 8] {
    let mut t = [[0u64; 128]; 8];
    let mut p = 0;
    while p < 56 {
        let src = PC1[p] as usize - 1; // 0-based key bit, 0 = MSB of byte 0
        let j = src / 8;
        let vbit = 6 - (src % 8); // bit of `byte >> 1`
        let mut v = 0;
        while v < 128 {
            if (v >> vbit) & 1 == 1 {
                t[j][v] |= 1u64 << (55 - p);
            }
            v += 1;
        }
        p += 1;
    }
    t
}

/// Position, in `ka << 32 | kb`, of bit `m` (0-based) of the 48-bit subkey.
const fn subkey_bit(m: usize) -> u32 {
    let group = m / 6;
    let q = m % 6;
    let shift = 26 - 8 * (group / 2) as u32 + (5 - q as u32);
    if group.is_multiple_of(2) {
        32 + shift
    } else {
        shift
    }
}

/// PC-2 by 7-bit chunk of C‖D: `PC2T[j][(cd >> (49 - 7j)) & 127]`.
#[allow(clippy::indexing_slicing)]
const fn build_pc2() -> [[u64; 128]; 8] {
    let mut t = [[0u64; 128]; 8];
    let mut m = 0;
    while m < 48 {
        let src = PC2[m] as usize - 1; // 0-based bit of C‖D
        let j = src / 7;
        let vbit = 6 - (src % 7);
        let dst = subkey_bit(m);
        let mut v = 0;
        while v < 128 {
            if (v >> vbit) & 1 == 1 {
                t[j][v] |= 1u64 << dst;
            }
            v += 1;
        }
        m += 1;
    }
    t
}

const PC1_TABLE: [[u64; 128]; 8] = build_pc1();
const PC2_TABLE: [[u64; 128]; 8] = build_pc2();

static SP: [[u32; 64]; 8] = build_sp();
static PC1T: [[u64; 128]; 8] = PC1_TABLE;
static PC2T: [[u64; 128]; 8] = PC2_TABLE;

/// The DUKPT key mask (X9.24-1:2009 A.2) as a DES key half.
const KEY_MASK: u64 = super::types::KEY_MASK;

/// Key schedule of the key mask `C0C0C0C000000000`. PC-1, the rotations and PC-2 are bit
/// permutations, so `schedule(K ⊕ mask) = schedule(K) ⊕ schedule(mask)`: the NRKGP's
/// second DES key costs one XOR per round instead of a key schedule.
const MASK_SCHEDULE: [u64; 16] = const_schedule(KEY_MASK);

/// The key schedule at compile time (same tables as [`Schedule::new_vartime`]).
#[allow(clippy::indexing_slicing)]
const fn const_schedule(key: u64) -> [u64; 16] {
    let b = key.to_be_bytes();
    let mut cd = 0u64;
    let mut j = 0;
    while j < 8 {
        cd ^= PC1_TABLE[j][(b[j] >> 1) as usize];
        j += 1;
    }
    let mut out = [0u64; 16];
    let mut r = 0;
    while r < 16 {
        let (a, bb) = SHIFTS[r / 2];
        cd = rotate_cd(cd, if r.is_multiple_of(2) { a } else { bb });
        let mut sk = 0u64;
        let mut c = 0;
        while c < 8 {
            sk ^= PC2_TABLE[c][((cd >> (49 - 7 * c)) & 127) as usize];
            c += 1;
        }
        out[r] = sk;
        r += 1;
    }
    out
}

/// One table read with the index masked to the table (bounds check folds away; no panic).
#[inline(always)]
fn sp(i: usize, v: u32) -> u32 {
    SP.get(i)
        .and_then(|t| t.get((v & 63) as usize))
        .copied()
        .unwrap_or(0)
}

#[inline(always)]
fn t128(table: &[[u64; 128]; 8], j: usize, v: u64) -> u64 {
    table
        .get(j)
        .and_then(|t| t.get((v & 127) as usize))
        .copied()
        .unwrap_or(0)
}

/// Delta swap: exchanges the bits selected by `mask` with those `delta` places to the left.
#[inline(always)]
const fn delta_swap(a: u64, delta: u32, mask: u64) -> u64 {
    let b = (a ^ (a >> delta)) & mask;
    a ^ b ^ (b << delta)
}

/// FIPS 46-3 initial permutation IP (big-endian block in, `L0 << 32 | R0` out).
/// Delta-swap network as in the RustCrypto `des` crate.
#[inline(always)]
const fn ip(mut m: u64) -> u64 {
    m = delta_swap(m, 9, 0x0055_0055_0055_0055);
    m = delta_swap(m, 18, 0x0000_3333_0000_3333);
    m = delta_swap(m, 36, 0x0000_0000_0F0F_0F0F);
    m = delta_swap(m, 24, 0x0000_0000_FF00_FF00);
    delta_swap(m, 24, 0x0000_00FF_0000_00FF)
}

/// FIPS 46-3 final permutation IP⁻¹ (`R16 << 32 | L16` in, big-endian block out).
#[inline(always)]
const fn fp(mut m: u64) -> u64 {
    m = delta_swap(m, 24, 0x0000_00FF_0000_00FF);
    m = delta_swap(m, 24, 0x0000_0000_FF00_FF00);
    m = delta_swap(m, 36, 0x0000_0000_0F0F_0F0F);
    m = delta_swap(m, 18, 0x0000_3333_0000_3333);
    delta_swap(m, 9, 0x0055_0055_0055_0055)
}

/// PC-1 of a big-endian 64-bit key (parity bits ignored).
#[inline(always)]
fn pc1(key: u64) -> u64 {
    let b = key.to_be_bytes();
    let mut cd = 0;
    for (j, byte) in b.iter().enumerate() {
        cd ^= t128(&PC1T, j, u64::from(*byte >> 1));
    }
    cd
}

/// Rotates C and D (the two 28-bit halves of `cd`) left by `s` places.
#[inline(always)]
const fn rotate_cd(cd: u64, s: u32) -> u64 {
    let wrap = ((1u64 << s) - 1) | (((1u64 << s) - 1) << 28);
    ((cd << s) & 0x00FF_FFFF_FFFF_FFFF & !wrap) | ((cd >> (28 - s)) & wrap)
}

/// PC-2 of C‖D into the `ka << 32 | kb` subkey layout.
#[inline(always)]
fn pc2(cd: u64) -> u64 {
    t128(&PC2T, 0, cd >> 49)
        ^ t128(&PC2T, 1, cd >> 42)
        ^ t128(&PC2T, 2, cd >> 35)
        ^ t128(&PC2T, 3, cd >> 28)
        ^ t128(&PC2T, 4, cd >> 21)
        ^ t128(&PC2T, 5, cd >> 14)
        ^ t128(&PC2T, 6, cd >> 7)
        ^ t128(&PC2T, 7, cd)
}

/// The cipher function `f(R, K)` (FIPS 46-3), E and P folded into the tables.
#[inline(always)]
fn f(r: u32, k: u64) -> u32 {
    let x = r.rotate_right(1);
    // Truncations keep exactly the two 32-bit halves of the subkey.
    #[allow(clippy::cast_possible_truncation)]
    let (ka, kb) = ((k >> 32) as u32, k as u32);
    let u = x ^ ka;
    let t = x.rotate_left(4) ^ kb;
    sp(0, u >> 26)
        ^ sp(2, u >> 18)
        ^ sp(4, u >> 10)
        ^ sp(6, u >> 2)
        ^ sp(1, t >> 26)
        ^ sp(3, t >> 18)
        ^ sp(5, t >> 10)
        ^ sp(7, t >> 2)
}

#[inline(always)]
#[allow(clippy::cast_possible_truncation)]
const fn split(x: u64) -> (u32, u32) {
    ((x >> 32) as u32, x as u32)
}

#[inline(always)]
const fn join(r: u32, l: u32) -> u64 {
    ((r as u64) << 32) | l as u64
}

/// Zeroizes the round halves of a DES computation (X9.24-1:2009 A.2's crypto registers hold
/// key-dependent values).
#[inline(always)]
fn wipe(regs: &mut [&mut u32]) {
    for r in regs.iter_mut() {
        r.zeroize();
    }
}

/// An expanded DES key schedule (16 subkeys in the table layout). Zeroized on drop.
#[derive(Clone)]
pub(crate) struct Schedule([u64; 16]);

impl Schedule {
    /// Expands a big-endian 64-bit DES key (parity ignored).
    pub(crate) fn new_vartime(key: u64) -> Self {
        let mut cd = pc1(key);
        let mut ks = [0u64; 16];
        for (slot, (a, b)) in ks.as_chunks_mut::<2>().0.iter_mut().zip(SHIFTS) {
            cd = rotate_cd(cd, a);
            slot[0] = pc2(cd);
            cd = rotate_cd(cd, b);
            slot[1] = pc2(cd);
        }
        cd.zeroize();
        let out = Self(ks);
        ks.zeroize();
        out
    }

    /// DES encryption of one big-endian block.
    pub(crate) fn encrypt_vartime(&self, block: u64) -> u64 {
        let (mut l, mut r) = split(ip(block));
        for [a, b] in self.0.as_chunks::<2>().0 {
            l ^= f(r, *a);
            r ^= f(l, *b);
        }
        let out = fp(join(r, l));
        l.zeroize();
        r.zeroize();
        out
    }

    /// DES decryption of one big-endian block.
    pub(crate) fn decrypt_vartime(&self, block: u64) -> u64 {
        let (mut l, mut r) = split(ip(block));
        for [a, b] in self.0.as_chunks::<2>().0.iter().rev() {
            l ^= f(r, *b);
            r ^= f(l, *a);
        }
        let out = fp(join(r, l));
        l.zeroize();
        r.zeroize();
        out
    }
}

/// Two DES encryptions with cached schedules, interleaved (independent chains).
#[inline]
pub(crate) fn encrypt_two_vartime(s1: &Schedule, x1: u64, s2: &Schedule, x2: u64) -> (u64, u64) {
    let (mut l1, mut r1) = split(ip(x1));
    let (mut l2, mut r2) = split(ip(x2));
    for ([a1, b1], [a2, b2]) in s1.0.as_chunks::<2>().0.iter().zip(s2.0.as_chunks::<2>().0) {
        l1 ^= f(r1, *a1);
        l2 ^= f(r2, *a2);
        r1 ^= f(l1, *b1);
        r2 ^= f(l2, *b2);
    }
    let out = (fp(join(r1, l1)), fp(join(r2, l2)));
    wipe(&mut [&mut l1, &mut r1, &mut l2, &mut r2]);
    out
}

/// Two DES decryptions with cached schedules, interleaved.
#[inline]
pub(crate) fn decrypt_two_vartime(s1: &Schedule, x1: u64, s2: &Schedule, x2: u64) -> (u64, u64) {
    let (mut l1, mut r1) = split(ip(x1));
    let (mut l2, mut r2) = split(ip(x2));
    let k1 = s1.0.as_chunks::<2>().0.iter().rev();
    let k2 = s2.0.as_chunks::<2>().0.iter().rev();
    for ([a1, b1], [a2, b2]) in k1.zip(k2) {
        l1 ^= f(r1, *b1);
        l2 ^= f(r2, *b2);
        r1 ^= f(l1, *a1);
        r2 ^= f(l2, *a2);
    }
    let out = (fp(join(r1, l1)), fp(join(r2, l2)));
    wipe(&mut [&mut l1, &mut r1, &mut l2, &mut r2]);
    out
}

/// Two independent NRKGP DES pairs (see [`encrypt_masked_pair_vartime`]) for two keys,
/// interleaved: `((DES-E(ka ⊕ mask, a1), DES-E(ka, a2)), (DES-E(kb ⊕ mask, b1), DES-E(kb, b2)))`.
#[inline]
pub(crate) fn encrypt_masked_pairs2_vartime(
    ka: u64,
    a1: u64,
    a2: u64,
    kb: u64,
    b1: u64,
    b2: u64,
) -> ((u64, u64), (u64, u64)) {
    let mut cda = pc1(ka);
    let mut cdb = pc1(kb);
    let (mut la1, mut ra1) = split(ip(a1));
    let (mut la2, mut ra2) = split(ip(a2));
    let (mut lb1, mut rb1) = split(ip(b1));
    let (mut lb2, mut rb2) = split(ip(b2));
    for ((a, b), [m1, m2]) in SHIFTS.into_iter().zip(MASK_SCHEDULE.as_chunks::<2>().0) {
        cda = rotate_cd(cda, a);
        cdb = rotate_cd(cdb, a);
        let ska = pc2(cda);
        let skb = pc2(cdb);
        la1 ^= f(ra1, ska ^ m1);
        la2 ^= f(ra2, ska);
        lb1 ^= f(rb1, skb ^ m1);
        lb2 ^= f(rb2, skb);
        cda = rotate_cd(cda, b);
        cdb = rotate_cd(cdb, b);
        let ska = pc2(cda);
        let skb = pc2(cdb);
        ra1 ^= f(la1, ska ^ m2);
        ra2 ^= f(la2, ska);
        rb1 ^= f(lb1, skb ^ m2);
        rb2 ^= f(lb2, skb);
    }
    let out = (
        (fp(join(ra1, la1)), fp(join(ra2, la2))),
        (fp(join(rb1, lb1)), fp(join(rb2, lb2))),
    );
    cda.zeroize();
    cdb.zeroize();
    wipe(&mut [
        &mut la1, &mut ra1, &mut la2, &mut ra2, &mut lb1, &mut rb1, &mut lb2, &mut rb2,
    ]);
    out
}

impl Drop for Schedule {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl zeroize::ZeroizeOnDrop for Schedule {}

impl core::fmt::Debug for Schedule {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Schedule { ... }")
    }
}

/// The two DES encryptions of one NRKGP step (X9.24-1:2009 A.2):
/// `(DES-E(k ⊕ mask, b1), DES-E(k, b2))` with `mask = C0C0C0C000000000`.
///
/// One key schedule serves both keys (see [`MASK_SCHEDULE`]); it is computed inside the
/// rounds, and the two encryptions are interleaved (independent chains: instruction-level
/// parallelism).
#[inline]
pub(crate) fn encrypt_masked_pair_vartime(k: u64, b1: u64, b2: u64) -> (u64, u64) {
    let mut cd = pc1(k);
    let (mut l1, mut r1) = split(ip(b1));
    let (mut l2, mut r2) = split(ip(b2));
    for ((a, b), [m1, m2]) in SHIFTS.into_iter().zip(MASK_SCHEDULE.as_chunks::<2>().0) {
        cd = rotate_cd(cd, a);
        let sk = pc2(cd);
        l1 ^= f(r1, sk ^ m1);
        l2 ^= f(r2, sk);
        cd = rotate_cd(cd, b);
        let sk = pc2(cd);
        r1 ^= f(l1, sk ^ m2);
        r2 ^= f(l2, sk);
    }
    let out = (fp(join(r1, l1)), fp(join(r2, l2)));
    cd.zeroize();
    wipe(&mut [&mut l1, &mut r1, &mut l2, &mut r2]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
    use proptest::prelude::*;

    fn reference(key: u64, block: u64) -> u64 {
        let c = des::Des::new(&key.to_be_bytes().into());
        let mut b = block.to_be_bytes().into();
        c.encrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }

    fn reference_dec(key: u64, block: u64) -> u64 {
        let c = des::Des::new(&key.to_be_bytes().into());
        let mut b = block.to_be_bytes().into();
        c.decrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }

    #[test]
    fn fips_81_known_answer() {
        // FIPS 81 / classic DES test: key 0123456789ABCDEF, "Now is t" -> 3FA40E8A984D4815.
        let k = 0x0123_4567_89AB_CDEF;
        let p = 0x4E6F_7720_6973_2074;
        assert_eq!(
            Schedule::new_vartime(k).encrypt_vartime(p),
            0x3FA4_0E8A_984D_4815
        );
        assert_eq!(
            encrypt_masked_pair_vartime(k, p, p).1,
            0x3FA4_0E8A_984D_4815
        );
        assert_eq!(
            Schedule::new_vartime(k).decrypt_vartime(0x3FA4_0E8A_984D_4815),
            p
        );
    }

    #[test]
    fn ip_fp_inverse() {
        for x in [
            0u64,
            1,
            u64::MAX,
            0x0123_4567_89AB_CDEF,
            0x8000_0000_0000_0001,
        ] {
            assert_eq!(fp(ip(x)), x);
        }
    }

    proptest! {
        #[test]
        fn matches_des_crate(key: u64, block: u64, key2: u64, block2: u64) {
            let expect = reference(key, block);
            let s = Schedule::new_vartime(key);
            prop_assert_eq!(s.encrypt_vartime(block), expect);
            prop_assert_eq!(s.decrypt_vartime(expect), block);
            prop_assert_eq!(s.decrypt_vartime(block), reference_dec(key, block));
            prop_assert_eq!(
                encrypt_masked_pair_vartime(key, block2, block),
                (reference(key ^ KEY_MASK, block2), expect)
            );
            let s2 = Schedule::new_vartime(key2);
            prop_assert_eq!(
                encrypt_two_vartime(&s, block, &s2, block2),
                (expect, reference(key2, block2))
            );
            prop_assert_eq!(
                decrypt_two_vartime(&s, block, &s2, block2),
                (reference_dec(key, block), reference_dec(key2, block2))
            );
            prop_assert_eq!(
                encrypt_masked_pairs2_vartime(key, block2, block, key2, block, block2),
                (
                    (reference(key ^ KEY_MASK, block2), expect),
                    (reference(key2 ^ KEY_MASK, block), reference(key2, block2))
                )
            );
            prop_assert_eq!(
                Schedule::new_vartime(key ^ KEY_MASK).encrypt_vartime(key2),
                reference(key ^ KEY_MASK, key2)
            );
        }
    }
}
