//! Eight independent AES-128 encryptions under eight different keys, in lockstep (FIPS 197
//! §5.1 cipher and §5.2 key expansion), for the batch path.
//!
//! RustCrypto's `aes` expands one key at a time, and each DUKPT step needs a fresh expansion
//! whose latency dominates. Here the eight key schedules are computed on the fly, round by
//! round, next to the eight encryptions, with the `aes` crate's hazmat round functions
//! (`AESENC` on AES-NI / ARMv8 CE, its constant-time bitsliced software otherwise):
//!
//! ```text
//! SubWord(w3) for 8 lanes = one AES round with a zero round key over blocks that hold only
//!     column 3 (w3) of each lane's round key: ShiftRows puts one of its bytes in each
//!     column and MixColumns leaves S(x) unmixed in a row where the matrix entry is 1 (each
//!     row of the matrix sums to 1, so the S(0) terms of the other three bytes cancel);
//!     RotWord is a rotation of the word read back (see `sub_word`).
//! rounds 1–9 = AESENC with each lane's round key;
//! round 10   = AESENC with a zero key, InvMixColumns, ⊕ round key 10 (= AESENCLAST).
//! ```
//!
//! No secret-dependent branches or table indices are added here.

use aes::Block;
use aes::hazmat::{Block8, cipher_round_par, inv_mix_columns};
use cipher::Array;
use zeroize::Zeroize;

/// Lanes per call.
pub(crate) const WIDTH: usize = 8;

const RCON: [u32; 10] = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];

/// Working memory, owned by the caller so it is zeroized once after a whole batch instead of
/// after every call.
#[derive(Default)]
pub(crate) struct Scratch {
    state: Block8,
    sub: Block8,
    keys: Block8,
}

impl Zeroize for Scratch {
    fn zeroize(&mut self) {
        for b in self
            .state
            .iter_mut()
            .chain(self.sub.iter_mut())
            .chain(self.keys.iter_mut())
        {
            b.as_mut_slice().zeroize();
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.zeroize();
    }
}

/// Mask keeping column 3 (word `w3`, bytes 12..16) of a block held as a little-endian `u128`.
const COLUMN3: u128 = 0xFFFF_FFFF << 96;

/// `SubWord(w3)` read back from an AES round with a zero round key applied to a block that
/// holds only `w3 = (b12, b13, b14, b15)` in column 3 (all other bytes zero).
///
/// ```text
/// ShiftRows moves b12 to column 3 row 0, b13 to column 2 row 1, b14 to column 1 row 2 and
/// b15 to column 0 row 3; every other byte is S(0) = 0x63. In a column with one byte S(x)
/// in row k, MixColumns row i gives M[i][k]·S(x) ⊕ 0x63·(1 ⊕ M[i][k]) (each row of M sums
/// to 1), which is S(x) wherever M[i][k] = 1:
///   S(b12) = byte 13 (column 3 row 1)   S(b13) = byte 11 (column 2 row 3)
///   S(b14) = byte 7  (column 1 row 3)   S(b15) = byte 1  (column 0 row 1)
/// ```
///
/// `SubWord(RotWord(w3))` is the same word rotated by one byte.
#[inline(always)]
fn sub_word(out: &Block) -> u32 {
    let x = u128::from_le_bytes((*out).into());
    let t = ((x >> 104) & 0xFF)
        | ((x >> 80) & 0xFF00)
        | ((x >> 40) & 0xFF_0000)
        | ((x << 16) & 0xFF00_0000);
    // Only the low 32 bits are set.
    t as u32
}

/// Key expansion step (FIPS 197 §5.2, Nk = 4) on a little-endian `u128` round key: `w'0 = w0 ⊕
/// t`, `w'j = w'(j-1) ⊕ wj`, i.e. a prefix XOR of the words with `t` added to all of them.
#[inline(always)]
fn next_round_key(rk: u128, t: u32) -> u128 {
    let mut r = rk ^ (rk << 32);
    r ^= r << 64;
    let t = u128::from(t);
    let t = t | (t << 32);
    r ^ t ^ (t << 64)
}

/// `blocks[i] = AES-128-E(keys[i], blocks[i])` for the eight lanes.
pub(crate) fn encrypt_x8(
    scratch: &mut Scratch,
    keys: &[[u8; 16]; WIDTH],
    blocks: &mut [[u8; 16]; WIDTH],
) {
    let zero = Block8::default();
    // Round 0: AddRoundKey with the key itself. `scratch.keys` holds the current round key of
    // every lane, `scratch.sub` the input of the next SubWord round.
    for (((rk, sub), st), (key, block)) in scratch
        .keys
        .iter_mut()
        .zip(scratch.sub.iter_mut())
        .zip(scratch.state.iter_mut())
        .zip(keys.iter().zip(blocks.iter()))
    {
        let k = u128::from_le_bytes(*key);
        *rk = Array::from(*key);
        *sub = Array::from((k & COLUMN3).to_le_bytes());
        *st = Array::from((u128::from_le_bytes(*block) ^ k).to_le_bytes());
    }
    for (round, rcon) in RCON.iter().enumerate() {
        // SubWord(RotWord(w3)) of every lane through one parallel AES round.
        cipher_round_par(&mut scratch.sub, &zero);
        for (sub, key) in scratch.sub.iter_mut().zip(scratch.keys.iter_mut()) {
            let rk = u128::from_le_bytes((*key).into());
            let rk = next_round_key(rk, sub_word(sub).rotate_right(8) ^ rcon);
            *key = Array::from(rk.to_le_bytes());
            *sub = Array::from((rk & COLUMN3).to_le_bytes());
        }
        if round + 1 < RCON.len() {
            cipher_round_par(&mut scratch.state, &scratch.keys);
        }
    }
    // Round 10 (no MixColumns): AESENC with a zero key, undo MixColumns, add the round key.
    cipher_round_par(&mut scratch.state, &zero);
    for ((st, rk), block) in scratch
        .state
        .iter_mut()
        .zip(scratch.keys.iter())
        .zip(blocks.iter_mut())
    {
        inv_mix_columns(st);
        *block =
            (u128::from_le_bytes((*st).into()) ^ u128::from_le_bytes((*rk).into())).to_le_bytes();
    }
}

/// Working memory of [`encrypt2_x8`] for an AES key of `W / 4 - 1` rounds (`W` = 52 for
/// AES-192, 60 for AES-256: the key-schedule words of FIPS 197 §5.2), zeroized by the caller
/// once per batch.
pub(crate) struct ScratchWide<const W: usize> {
    /// The `W` key-schedule words of every lane (FIPS 197 §5.2), little-endian.
    words: [[u32; W]; WIDTH],
    state_a: Block8,
    state_b: Block8,
    sub: Block8,
    keys: Block8,
}

/// [`ScratchWide`] for AES-192 (Nk = 6, Nr = 12).
pub(crate) type Scratch192 = ScratchWide<52>;
/// [`ScratchWide`] for AES-256 (Nk = 8, Nr = 14).
pub(crate) type Scratch256 = ScratchWide<60>;

impl<const W: usize> Default for ScratchWide<W> {
    fn default() -> Self {
        Self {
            words: [[0; W]; WIDTH],
            state_a: Block8::default(),
            state_b: Block8::default(),
            sub: Block8::default(),
            keys: Block8::default(),
        }
    }
}

impl<const W: usize> Zeroize for ScratchWide<W> {
    fn zeroize(&mut self) {
        self.words.zeroize();
        for b in self
            .state_a
            .iter_mut()
            .chain(self.state_b.iter_mut())
            .chain(self.sub.iter_mut())
            .chain(self.keys.iter_mut())
        {
            b.as_mut_slice().zeroize();
        }
    }
}

impl<const W: usize> Drop for ScratchWide<W> {
    fn drop(&mut self) {
        self.zeroize();
    }
}

/// Round key `r` of a lane from its schedule words (`w[4r..4r + 4]`).
#[inline(always)]
fn round_key<const W: usize>(w: &[u32; W], r: usize) -> u128 {
    (0..4).fold(0u128, |acc, j| {
        acc | (u128::from(w.get(4 * r + j).copied().unwrap_or(0)) << (32 * j))
    })
}

/// `a[i] = AES-E(keys[i], a[i])` and `b[i] = AES-E(keys[i], b[i])` for the eight lanes, with
/// `N`-byte keys (24: AES-192, 32: AES-256) and `W = 4 (Nr + 1)` schedule words — the two
/// derivation-data blocks of one `DeriveKey` step (X9.24-3:2017 §6.3.1).
///
/// Key expansion (FIPS 197 §5.2), Nk = N / 4: `w[i] = w[i-Nk] ⊕ t` with
/// `t = SubWord(RotWord(w[i-1])) ⊕ Rcon[i/Nk]` when `Nk | i`, `t = SubWord(w[i-1])` when
/// Nk > 6 and `i mod Nk = 4`, else `t = w[i-1]`; the eight SubWords of a word run as one
/// parallel AES round (see `sub_word`). The whole schedule is expanded first, then the Nr
/// rounds run on both blocks of every lane.
pub(crate) fn encrypt2_x8<const N: usize, const W: usize>(
    scratch: &mut ScratchWide<W>,
    keys: &[[u8; N]; WIDTH],
    a: &mut [[u8; 16]; WIDTH],
    b: &mut [[u8; 16]; WIDTH],
) {
    let nk = N / 4;
    let nr = W / 4 - 1;
    let zero = Block8::default();
    for (w, key) in scratch.words.iter_mut().zip(keys.iter()) {
        for (d, c) in w.iter_mut().zip(key.chunks_exact(4)) {
            *d = u32::from_le_bytes(c.try_into().unwrap_or([0; 4]));
        }
    }
    for i in nk..W {
        let rot = i % nk == 0;
        if rot || (nk > 6 && i % nk == 4) {
            for (sub, w) in scratch.sub.iter_mut().zip(scratch.words.iter()) {
                let last = w.get(i - 1).copied().unwrap_or(0);
                *sub = Array::from((u128::from(last) << 96).to_le_bytes());
            }
            cipher_round_par(&mut scratch.sub, &zero);
            let rcon = if rot {
                RCON.get(i / nk - 1).copied().unwrap_or(0)
            } else {
                0
            };
            for (sub, w) in scratch.sub.iter().zip(scratch.words.iter_mut()) {
                let s = sub_word(sub);
                let t = if rot { s.rotate_right(8) ^ rcon } else { s };
                let nw = w.get(i - nk).copied().unwrap_or(0) ^ t;
                if let Some(d) = w.get_mut(i) {
                    *d = nw;
                }
            }
        } else {
            for w in &mut scratch.words {
                let nw = w.get(i - nk).copied().unwrap_or(0) ^ w.get(i - 1).copied().unwrap_or(0);
                if let Some(d) = w.get_mut(i) {
                    *d = nw;
                }
            }
        }
    }
    for (((sa, sb), w), (ba, bb)) in scratch
        .state_a
        .iter_mut()
        .zip(scratch.state_b.iter_mut())
        .zip(scratch.words.iter())
        .zip(a.iter().zip(b.iter()))
    {
        let k0 = round_key(w, 0);
        *sa = Array::from((u128::from_le_bytes(*ba) ^ k0).to_le_bytes());
        *sb = Array::from((u128::from_le_bytes(*bb) ^ k0).to_le_bytes());
    }
    for round in 1..nr {
        for (key, w) in scratch.keys.iter_mut().zip(scratch.words.iter()) {
            *key = Array::from(round_key(w, round).to_le_bytes());
        }
        cipher_round_par(&mut scratch.state_a, &scratch.keys);
        cipher_round_par(&mut scratch.state_b, &scratch.keys);
    }
    cipher_round_par(&mut scratch.state_a, &zero);
    cipher_round_par(&mut scratch.state_b, &zero);
    for (((sa, sb), w), (ba, bb)) in scratch
        .state_a
        .iter_mut()
        .zip(scratch.state_b.iter_mut())
        .zip(scratch.words.iter())
        .zip(a.iter_mut().zip(b.iter_mut()))
    {
        let r = round_key(w, nr);
        inv_mix_columns(sa);
        *ba = (u128::from_le_bytes((*sa).into()) ^ r).to_le_bytes();
        inv_mix_columns(sb);
        *bb = (u128::from_le_bytes((*sb).into()) ^ r).to_le_bytes();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::Aes128Enc;
    use cipher::{BlockCipherEncrypt, KeyInit};

    #[test]
    fn matches_aes_crate() {
        let mut scratch = Scratch::default();
        let mut keys = [[0u8; 16]; WIDTH];
        let mut blocks = [[0u8; 16]; WIDTH];
        let mut x = 0x9E37_79B9u32;
        for round in 0..50 {
            for (k, b) in keys.iter_mut().zip(blocks.iter_mut()) {
                for byte in k.iter_mut().chain(b.iter_mut()) {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    *byte = x.to_le_bytes()[0];
                }
            }
            if round == 0 {
                // FIPS 197 Appendix C.1.
                keys[0] = *b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f";
                blocks[0] = *b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff";
            }
            let mut expected = [[0u8; 16]; WIDTH];
            for ((e, k), b) in expected.iter_mut().zip(keys.iter()).zip(blocks.iter()) {
                let mut blk = Array::from(*b);
                Aes128Enc::new(&Array::from(*k)).encrypt_block(&mut blk);
                *e = blk.into();
            }
            encrypt_x8(&mut scratch, &keys, &mut blocks);
            assert_eq!(blocks, expected);
            if round == 0 {
                assert_eq!(
                    blocks[0],
                    *b"\x69\xc4\xe0\xd8\x6a\x7b\x04\x30\xd8\xcd\xb7\x80\x70\xb4\xc5\x5a"
                );
            }
        }
    }

    #[test]
    fn matches_aes192_crate() {
        use aes::Aes192Enc;
        let mut scratch = Scratch192::default();
        let mut keys = [[0u8; 24]; WIDTH];
        let mut a = [[0u8; 16]; WIDTH];
        let mut b = [[0u8; 16]; WIDTH];
        let mut x = 0x0BAD_F00Du32;
        for round in 0..50 {
            for byte in keys
                .iter_mut()
                .flatten()
                .chain(a.iter_mut().flatten())
                .chain(b.iter_mut().flatten())
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *byte = x.to_le_bytes()[0];
            }
            if round == 0 {
                // FIPS 197 Appendix C.2.
                for (i, k) in keys[0].iter_mut().enumerate() {
                    *k = i as u8;
                }
                a[0] = *b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff";
            }
            let mut ea = [[0u8; 16]; WIDTH];
            let mut eb = [[0u8; 16]; WIDTH];
            for (i, k) in keys.iter().enumerate() {
                let c = Aes192Enc::new(&Array::from(*k));
                let mut blk = Array::from(a[i]);
                c.encrypt_block(&mut blk);
                ea[i] = blk.into();
                let mut blk = Array::from(b[i]);
                c.encrypt_block(&mut blk);
                eb[i] = blk.into();
            }
            encrypt2_x8(&mut scratch, &keys, &mut a, &mut b);
            assert_eq!(a, ea);
            assert_eq!(b, eb);
            if round == 0 {
                assert_eq!(
                    a[0],
                    *b"\xdd\xa9\x7c\xa4\x86\x4c\xdf\xe0\x6e\xaf\x70\xa0\xec\x0d\x71\x91"
                );
            }
        }
    }

    #[test]
    fn matches_aes256_crate() {
        use aes::Aes256Enc;
        let mut scratch = Scratch256::default();
        let mut keys = [[0u8; 32]; WIDTH];
        let mut a = [[0u8; 16]; WIDTH];
        let mut b = [[0u8; 16]; WIDTH];
        let mut x = 0x1234_5678u32;
        for round in 0..50 {
            for byte in keys
                .iter_mut()
                .flatten()
                .chain(a.iter_mut().flatten())
                .chain(b.iter_mut().flatten())
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *byte = x.to_le_bytes()[0];
            }
            if round == 0 {
                // FIPS 197 Appendix C.3.
                for (i, k) in keys[0].iter_mut().enumerate() {
                    *k = i as u8;
                }
                a[0] = *b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff";
            }
            let mut ea = [[0u8; 16]; WIDTH];
            let mut eb = [[0u8; 16]; WIDTH];
            for (i, k) in keys.iter().enumerate() {
                let c = Aes256Enc::new(&Array::from(*k));
                let mut blk = Array::from(a[i]);
                c.encrypt_block(&mut blk);
                ea[i] = blk.into();
                let mut blk = Array::from(b[i]);
                c.encrypt_block(&mut blk);
                eb[i] = blk.into();
            }
            encrypt2_x8(&mut scratch, &keys, &mut a, &mut b);
            assert_eq!(a, ea);
            assert_eq!(b, eb);
            if round == 0 {
                assert_eq!(
                    a[0],
                    *b"\x8e\xa2\xb7\xca\x51\x67\x45\xbf\xea\xfc\x49\x90\x4b\x49\x60\x89"
                );
            }
        }
    }
}
