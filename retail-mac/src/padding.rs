//! ISO/IEC 9797-1 padding methods 1, 2 and 3, and the CBC chaining that consumes padded blocks.
//!
//! The caller always names the padding method: this crate never pads implicitly (the
//! RustCrypto `cbc-mac`/`retail-mac` crates zero-pad internally and give a different result for
//! the empty message than ISO/IEC 9797-1 method 1 defines).
//!
//! ```text
//! method 1 (§6.1.1)  D ‖ 00…00            as few zeros as needed (none when |D| is a positive
//!                                          multiple of n); the empty D becomes one zero block
//! method 2 (§6.1.2)  D ‖ 80 ‖ 00…00       always at least one byte; empty D → 80 00 … 00
//! method 3 (§6.1.3)  L ‖ D ‖ 00…00        L = bit length of D, big-endian, in one n-bit block;
//!                                          D zero-padded as few as needed; the empty D is the
//!                                          length block alone
//! ```

use crate::Error;
use cipher::array::{Array, ArraySize as BlockSizes};
use cipher::{BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser};
use paycrypt_primitives::block::BlockCipher;
use zeroize::Zeroize;

/// The ISO/IEC 9797-1 padding method, chosen explicitly by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Padding {
    /// ISO/IEC 9797-1:2011 §6.1.1 padding method 1: right-pad with as few zero bits as needed
    /// (none for a non-empty block-aligned message); the empty message becomes one zero block.
    /// ANSI X9.19 and ISO 16609 use it. Not injective: `D` and `D ‖ 00` collide.
    Method1,
    /// ISO/IEC 9797-1:2011 §6.1.2 padding method 2: append one `1` bit (byte `0x80`), then as
    /// few zeros as needed. Always adds at least one byte (a full block for aligned data).
    /// EMV and PBOC / JR/T 0025 use it.
    Method2,
    /// ISO/IEC 9797-1:2011 §6.1.3 padding method 3: prefix one block `L` holding the bit
    /// length of the data (big-endian, right-aligned), then pad the data with method-1 zeros,
    /// adding none when it is block-aligned. The empty message is the length block `L` alone
    /// (all zeros). Streaming needs the total length up front.
    Method3,
}

impl Padding {
    /// The method number in ISO/IEC 9797-1 (1, 2 or 3).
    #[must_use]
    pub const fn number(self) -> u8 {
        match self {
            Self::Method1 => 1,
            Self::Method2 => 2,
            Self::Method3 => 3,
        }
    }

    /// The padding method with ISO/IEC 9797-1 number `n`, if there is one (1, 2 or 3).
    #[must_use]
    pub const fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Method1),
            2 => Some(Self::Method2),
            3 => Some(Self::Method3),
            _ => None,
        }
    }
}

/// Largest cipher block (AES).
const MAX_BLOCK: usize = 16;

/// The CBC chain of ISO/IEC 9797-1:2011 §7.1 steps 3–4 ("initial transformation 1" and
/// "iteration") over the padded data, fed incrementally:
///
/// ```text
/// H_0 = IV (all zeros unless given)      H_i = E_K(D_i ⊕ H_{i-1}),  i = 1 … q
/// ```
///
/// Whole blocks are enciphered as soon as they are complete; the last (partial or empty)
/// block is padded in [`Chain::finish`]. Intermediate values are zeroized on drop.
pub(crate) struct Chain {
    cipher: BlockCipher,
    state: [u8; MAX_BLOCK],
    buf: [u8; MAX_BLOCK],
    buf_len: usize,
    bs: usize,
    padding: Padding,
    fed: u64,
    declared: Option<u64>,
    error: Option<Error>,
}

impl Drop for Chain {
    fn drop(&mut self) {
        self.state.zeroize();
        self.buf.zeroize();
    }
}

impl Chain {
    /// Starts the chain; for padding method 3 enciphers the length block first.
    pub(crate) fn new(
        cipher: BlockCipher,
        padding: Padding,
        iv: Option<&[u8]>,
        declared: Option<u64>,
    ) -> Result<Self, Error> {
        let bs = cipher.block_size();
        let mut state = [0u8; MAX_BLOCK];
        if let Some(iv) = iv {
            let dst = state.get_mut(..bs).filter(|_| iv.len() == bs).ok_or(
                paycrypt_primitives::Error::IvLength {
                    block_size: bs,
                    got: iv.len(),
                },
            )?;
            dst.copy_from_slice(iv);
        }
        let mut chain = Self {
            cipher,
            state,
            buf: [0u8; MAX_BLOCK],
            buf_len: 0,
            bs,
            padding,
            fed: 0,
            declared,
            error: None,
        };
        if padding == Padding::Method3 {
            let len = declared.ok_or(Error::PaddingNeedsLength)?;
            let mut l = length_block(len, bs)?;
            chain.absorb_block(&l);
            l.zeroize();
        }
        Ok(chain)
    }

    /// Block size in bytes.
    pub(crate) const fn block_size(&self) -> usize {
        self.bs
    }

    /// The chaining value `H_i` after the blocks absorbed so far (for [`crate::trace`]).
    pub(crate) fn state(&self) -> &[u8] {
        self.state.get(..self.bs).unwrap_or_default()
    }

    /// XORs one whole block into the state and enciphers it.
    fn absorb_block(&mut self, block: &[u8]) {
        self.absorb_blocks(block.get(..self.bs).unwrap_or(&[]));
    }

    /// Runs the chain over whole blocks (`data.len()` a multiple of the block size), with the
    /// cipher dispatched once per call rather than once per block.
    fn absorb_blocks(&mut self, data: &[u8]) {
        let state = self.state.get_mut(..self.bs).unwrap_or(&mut []);
        let ok = match &self.cipher {
            BlockCipher::Des(c) => chain_blocks(c, state, data),
            BlockCipher::Tdes2(c) => chain_blocks(c, state, data),
            BlockCipher::Tdes3(c) => chain_blocks(c, state, data),
            BlockCipher::Aes128(c) => chain_blocks(c, state, data),
            BlockCipher::Aes192(c) => chain_blocks(c, state, data),
            BlockCipher::Aes256(c) => chain_blocks(c, state, data),
        };
        if !ok {
            self.error
                .get_or_insert(Error::Primitives(paycrypt_primitives::Error::BlockLength {
                    block_size: self.bs,
                    got: data.len(),
                }));
        }
    }

    /// Feeds data (ISO/IEC 9797-1:2011 §7.1 step 4, iteration).
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.fed = self.fed.saturating_add(data.len() as u64);
        if self.buf_len > 0 {
            let take = (self.bs - self.buf_len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.buf_len..self.buf_len + take) {
                dst.copy_from_slice(head);
            }
            self.buf_len += take;
            data = rest;
            if self.buf_len < self.bs {
                return;
            }
            let block = self.buf;
            self.absorb_block(&block);
            self.buf_len = 0;
        }
        let whole = data.len() - data.len() % self.bs;
        let (blocks, rest) = data.split_at(whole);
        if !blocks.is_empty() {
            self.absorb_blocks(blocks);
        }
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.buf_len = rest.len();
    }

    /// Pads the last block (§6.1) and returns `H_q` (only the first `block_size` bytes are
    /// meaningful).
    pub(crate) fn finish(mut self) -> Result<[u8; MAX_BLOCK], Error> {
        if let Some(declared) = self.declared
            && declared != self.fed
        {
            return Err(Error::DataLength {
                declared,
                got: self.fed,
            });
        }
        let mut last = [0u8; MAX_BLOCK];
        if let Some(src) = self.buf.get(..self.buf_len)
            && let Some(dst) = last.get_mut(..self.buf_len)
        {
            dst.copy_from_slice(src);
        }
        let absorb = match self.padding {
            // §6.1.1: zeros to the block boundary; the empty message is one zero block.
            Padding::Method1 => self.buf_len > 0 || self.fed == 0,
            // §6.1.2: a single 1 bit, then zeros: always at least one byte.
            Padding::Method2 => {
                if let Some(b) = last.get_mut(self.buf_len) {
                    *b = 0x80;
                }
                true
            }
            // §6.1.3: zeros (possibly none) after the data; L was absorbed in `new`.
            Padding::Method3 => self.buf_len > 0,
        };
        if absorb {
            self.absorb_block(&last);
        }
        last.zeroize();
        if let Some(e) = self.error {
            return Err(e);
        }
        Ok(self.state)
    }
}

/// `H_i = E_K(D_i ⊕ H_{i-1})` over every block of `data`, `state` holding `H_{i-1}` in and
/// `H_q` out. False (state untouched) when `state` is not one block or `data` not whole blocks.
///
/// Runs inside the cipher's backend closure (`encrypt_with_backend`), so CPU-feature dispatch
/// (AES-NI) happens once per call, not once per block.
fn chain_blocks<C: BlockCipherEncrypt>(c: &C, state: &mut [u8], data: &[u8]) -> bool {
    struct Closure<'a, N: BlockSizes> {
        h: &'a mut Array<u8, N>,
        data: &'a [u8],
    }
    impl<N: BlockSizes> BlockSizeUser for Closure<'_, N> {
        type BlockSize = N;
    }
    impl<N: BlockSizes> BlockCipherEncClosure for Closure<'_, N> {
        #[inline(always)]
        fn call<B: BlockCipherEncBackend<BlockSize = N>>(self, backend: &B) {
            for block in self.data.chunks_exact(N::USIZE) {
                for (s, b) in self.h.iter_mut().zip(block) {
                    *s ^= b;
                }
                backend.encrypt_block((&mut *self.h).into());
            }
        }
    }

    let Ok(mut h) = cipher::Block::<C>::try_from(&*state) else {
        return false;
    };
    if !data.len().is_multiple_of(h.len()) {
        return false;
    }
    c.encrypt_with_backend(Closure { h: &mut h, data });
    state.copy_from_slice(&h);
    h.iter_mut().for_each(|b| *b = 0);
    true
}

/// The length block `L` of padding method 3 (ISO/IEC 9797-1:2011 §6.1.3): the bit length of
/// the data as an unsigned big-endian integer, right-aligned in one `n`-bit block.
fn length_block(len_bytes: u64, bs: usize) -> Result<[u8; MAX_BLOCK], Error> {
    let bits = u128::from(len_bytes) * 8;
    let be = bits.to_be_bytes();
    let mut out = [0u8; MAX_BLOCK];
    let skip = be.len().saturating_sub(bs);
    let (high, low) = be.split_at(skip);
    if high.iter().any(|&b| b != 0) {
        return Err(Error::DataTooLong);
    }
    if let Some(dst) = out.get_mut(..bs) {
        dst.copy_from_slice(low);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_block_des_and_aes() {
        let l = length_block(3, 8).unwrap();
        assert_eq!(&l[..8], &[0, 0, 0, 0, 0, 0, 0, 24]);
        let l = length_block(0x1_0000_0000, 16).unwrap();
        assert_eq!(
            &l[..16],
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0]
        );
        assert_eq!(length_block(u64::MAX, 8), Err(Error::DataTooLong));
        assert!(length_block(u64::MAX, 16).is_ok());
    }

    #[test]
    fn padding_numbers_round_trip() {
        for p in [Padding::Method1, Padding::Method2, Padding::Method3] {
            assert_eq!(Padding::from_number(p.number()), Some(p));
        }
        assert_eq!(Padding::from_number(0), None);
        assert_eq!(Padding::from_number(4), None);
    }
}
