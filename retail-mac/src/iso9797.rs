//! ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC) and MAC algorithm 3 (the "retail MAC", ANSI X9.19).
//!
//! Both algorithms run the CBC chain of ISO/IEC 9797-1:2011 §7.1 over data padded with the
//! method the caller names ([`Padding`]):
//!
//! ```text
//! H_0 = IV (zeros by default)     H_i = E_K(D_i ⊕ H_{i-1})     i = 1 … q
//! algorithm 1 (§7.2, output transformation 1):  G = H_q
//! algorithm 3 (§7.4, output transformation 3):  G = E_K(D_K'(H_q))
//! MAC = leftmost bytes of G (truncation, see Tag::truncate)
//! ```
//!
//! - Algorithm 1 takes any [`SymmetricKey`]: DES (8-byte key, 8-byte blocks), TDEA with the
//!   full EDE operation on every block (2-key or 3-key; ISO 16609 / TR-31 `M0`/`M1`), or AES
//!   (16-byte blocks).
//! - Algorithm 3 takes a 2-key [`TdesKey`] `K ‖ K'` (8 + 8 bytes): the chain is single DES
//!   under `K`, the output transformation decrypts with `K'` and encrypts with `K` again. With
//!   one block this equals TDEA-EDE(K, K', K) of that block. (Some libraries call a 2-key TDES
//!   CBC-MAC "retail MAC": that is algorithm 1 with TDES, not algorithm 3.)
//! - [`mac_algorithm_3_three_key_nonstandard`] is the non-ISO 24-byte variant some HSM
//!   libraries use: chain under K1, output `E_K3(D_K2(H_q))`. ISO/IEC 9797-1 does not define it;
//!   use it only to interoperate with such systems.
//!
//! The optional IV is the starting value `H_0` (PBOC / JR/T 0025 secure messaging puts the card
//! challenge there); without one it is all zeros, as ISO/IEC 9797-1 specifies.
//!
//! 2-key TDES keys with equal halves (K1 = K2) are accepted: they compute single DES, which is
//! what the ISO/IEC 9797-1 Annex B examples and legacy terminals need. Refusing such keys is a
//! key-import policy (`TdesKey::is_single_des_equivalent`), not a MAC-computation concern.

use crate::padding::Chain;
use crate::{Error, Padding, Tag};
use core::fmt;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{DesKey, KeyAlgorithm, SymmetricKey, TdesKey};
use zeroize::Zeroizing;

const ALG3: &str = "ISO/IEC 9797-1 MAC algorithm 3";

/// Streaming ISO/IEC 9797-1:2011 MAC algorithm 1 (§7.2): CBC-MAC, output `G = H_q`.
///
/// ```text
/// new / with_data_len  →  update(data)*  →  finalize() → Tag (full block: 8 or 16 bytes)
/// ```
pub struct Algorithm1 {
    chain: Chain,
}

impl fmt::Debug for Algorithm1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Algorithm1 { ... }")
    }
}

impl Algorithm1 {
    /// Starts a MAC computation whose length is not known yet (padding methods 1 and 2).
    ///
    /// # Errors
    /// [`Error::PaddingNeedsLength`] for [`Padding::Method3`] (use
    /// [`Algorithm1::with_data_len`]); [`Error::Primitives`] (`IvLength`) when `iv` is not one
    /// block.
    pub fn new(key: &SymmetricKey, padding: Padding, iv: Option<&[u8]>) -> Result<Self, Error> {
        Ok(Self {
            chain: Chain::new(BlockCipher::new(key), padding, iv, None)?,
        })
    }

    /// Starts a MAC computation over exactly `data_len` bytes (any padding method; required for
    /// padding method 3, whose first block holds the length, ISO/IEC 9797-1:2011 §6.1.3).
    ///
    /// # Errors
    /// [`Error::Primitives`] (`IvLength`); [`Error::DataTooLong`] when the bit length does not
    /// fit a block.
    pub fn with_data_len(
        key: &SymmetricKey,
        padding: Padding,
        iv: Option<&[u8]>,
        data_len: u64,
    ) -> Result<Self, Error> {
        Ok(Self {
            chain: Chain::new(BlockCipher::new(key), padding, iv, Some(data_len))?,
        })
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        self.chain.update(data);
    }

    /// Pads (§6.1) and returns the full output block `G = H_q` (§7.2, output transformation 1).
    ///
    /// # Errors
    /// [`Error::DataLength`] when a length was declared and a different amount was fed.
    pub fn finalize(self) -> Result<Tag, Error> {
        let bs = self.chain.block_size();
        let h = Zeroizing::new(self.chain.finish()?);
        Ok(Tag::from_output(h.get(..bs).unwrap_or(&[])))
    }
}

/// Which keys form the output transformation of [`Algorithm3`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Alg3Kind {
    /// ISO/IEC 9797-1 §7.4: `K ‖ K'`.
    Iso,
    /// Non-ISO: K1 ‖ K2 ‖ K3, final `E_K3(D_K2(·))`.
    ThreeKeyNonStandard,
}

/// Streaming ISO/IEC 9797-1:2011 MAC algorithm 3 (§7.4, the "retail MAC"; ANSI X9.19 with
/// padding method 1).
///
/// ```text
/// key = K ‖ K' (16 bytes)     H_i = DES_K(D_i ⊕ H_{i-1})     G = DES_K(DES⁻¹_K'(H_q))
/// ```
pub struct Algorithm3 {
    chain: Chain,
    k_prime: BlockCipher,
    k_final: BlockCipher,
}

impl fmt::Debug for Algorithm3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Algorithm3 { ... }")
    }
}

fn des_part(expanded: &[u8; 24], range: core::ops::Range<usize>) -> Result<BlockCipher, Error> {
    let bytes = expanded.get(range).unwrap_or(&[]);
    Ok(BlockCipher::from(&DesKey::from_bytes(bytes)?))
}

impl Algorithm3 {
    fn build(
        key: &TdesKey,
        kind: Alg3Kind,
        padding: Padding,
        iv: Option<&[u8]>,
        declared: Option<u64>,
    ) -> Result<Self, Error> {
        if kind == Alg3Kind::Iso && key.algorithm() != KeyAlgorithm::Tdes2 {
            return Err(Error::UnsupportedKey {
                key: key.algorithm().name(),
                method: ALG3,
            });
        }
        let expanded = Zeroizing::new(key.expose_expanded());
        let k = des_part(&expanded, 0..8)?;
        let k_prime = des_part(&expanded, 8..16)?;
        let k_final = match kind {
            Alg3Kind::Iso => k.clone(),
            Alg3Kind::ThreeKeyNonStandard => des_part(&expanded, 16..24)?,
        };
        Ok(Self {
            chain: Chain::new(k, padding, iv, declared)?,
            k_prime,
            k_final,
        })
    }

    /// Starts an algorithm-3 MAC (padding methods 1 and 2; length not needed).
    ///
    /// # Errors
    /// [`Error::UnsupportedKey`] unless `key` is a 2-key (16-byte) TDES key;
    /// [`Error::PaddingNeedsLength`] for [`Padding::Method3`]; [`Error::Primitives`]
    /// (`IvLength`) when `iv` is not 8 bytes.
    pub fn new(key: &TdesKey, padding: Padding, iv: Option<&[u8]>) -> Result<Self, Error> {
        Self::build(key, Alg3Kind::Iso, padding, iv, None)
    }

    /// Starts an algorithm-3 MAC over exactly `data_len` bytes (any padding method).
    ///
    /// # Errors
    /// As [`Algorithm3::new`] (except `PaddingNeedsLength`), plus [`Error::DataTooLong`].
    pub fn with_data_len(
        key: &TdesKey,
        padding: Padding,
        iv: Option<&[u8]>,
        data_len: u64,
    ) -> Result<Self, Error> {
        Self::build(key, Alg3Kind::Iso, padding, iv, Some(data_len))
    }

    /// Starts the **non-ISO** 3-key variant: chain with K1, output `E_K3(D_K2(H_q))`.
    ///
    /// ISO/IEC 9797-1 defines algorithm 3 for `K ‖ K'` only; some HSM libraries extend it to a
    /// 24-byte key this way. A 16-byte key gives the ISO result (K3 = K1). `data_len` is
    /// required for padding method 3 and checked in `finalize` when given.
    ///
    /// # Errors
    /// [`Error::PaddingNeedsLength`], [`Error::Primitives`] (`IvLength`),
    /// [`Error::DataTooLong`].
    pub fn new_three_key_nonstandard(
        key: &TdesKey,
        padding: Padding,
        iv: Option<&[u8]>,
        data_len: Option<u64>,
    ) -> Result<Self, Error> {
        Self::build(key, Alg3Kind::ThreeKeyNonStandard, padding, iv, data_len)
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        self.chain.update(data);
    }

    /// Pads (§6.1), applies output transformation 3 (§7.4: `G = E_K(D_K'(H_q))`) and returns
    /// the full 8-byte `G`.
    ///
    /// # Errors
    /// [`Error::DataLength`] when a length was declared and a different amount was fed.
    pub fn finalize(self) -> Result<Tag, Error> {
        let mut h = Zeroizing::new(self.chain.finish()?);
        let g = h.get_mut(..8).unwrap_or(&mut []);
        self.k_prime.decrypt_block(g)?;
        self.k_final.encrypt_block(g)?;
        Ok(Tag::from_output(g))
    }
}

/// One-shot ISO/IEC 9797-1:2011 MAC algorithm 1 (§7.2): the full output block (8 bytes for
/// DES/TDES, 16 for AES). Truncate with [`Tag::truncate`].
///
/// # Errors
/// [`Error::Primitives`] (`IvLength`) when `iv` is not one block; [`Error::DataTooLong`] (padding
/// method 3 only, unreachable in practice).
pub fn mac_algorithm_1(
    key: &SymmetricKey,
    padding: Padding,
    iv: Option<&[u8]>,
    data: &[u8],
) -> Result<Tag, Error> {
    let mut m = Algorithm1::with_data_len(key, padding, iv, data.len() as u64)?;
    m.update(data);
    m.finalize()
}

/// One-shot ISO/IEC 9797-1:2011 MAC algorithm 3 (§7.4) with `key = K ‖ K'` (16 bytes): the full
/// 8-byte output. ANSI X9.19 is this with [`Padding::Method1`].
///
/// # Errors
/// [`Error::UnsupportedKey`] for a 3-key TDES key (see
/// [`mac_algorithm_3_three_key_nonstandard`]); [`Error::Primitives`] (`IvLength`) when `iv` is
/// not 8 bytes.
pub fn mac_algorithm_3(
    key: &TdesKey,
    padding: Padding,
    iv: Option<&[u8]>,
    data: &[u8],
) -> Result<Tag, Error> {
    let mut m = Algorithm3::with_data_len(key, padding, iv, data.len() as u64)?;
    m.update(data);
    m.finalize()
}

/// One-shot **non-ISO** 3-key "algorithm 3": chain under K1, output `E_K3(D_K2(H_q))` (see
/// [`Algorithm3::new_three_key_nonstandard`]). Not defined by ISO/IEC 9797-1:2011 (§7.4
/// takes a 2-key `K ‖ K'`); offered only as this explicitly named option.
///
/// # Errors
/// [`Error::Primitives`] (`IvLength`) when `iv` is not 8 bytes.
pub fn mac_algorithm_3_three_key_nonstandard(
    key: &TdesKey,
    padding: Padding,
    iv: Option<&[u8]>,
    data: &[u8],
) -> Result<Tag, Error> {
    let mut m = Algorithm3::new_three_key_nonstandard(key, padding, iv, Some(data.len() as u64))?;
    m.update(data);
    m.finalize()
}

/// Algorithm 3 from a [`SymmetricKey`] (convenience for callers holding the general key type).
///
/// # Errors
/// [`Error::UnsupportedKey`] unless the key is 2-key TDES; otherwise as [`mac_algorithm_3`].
pub fn mac_algorithm_3_symmetric(
    key: &SymmetricKey,
    padding: Padding,
    iv: Option<&[u8]>,
    data: &[u8],
) -> Result<Tag, Error> {
    match key {
        SymmetricKey::Tdes(k) => mac_algorithm_3(k, padding, iv, data),
        other => Err(Error::UnsupportedKey {
            key: other.algorithm().name(),
            method: ALG3,
        }),
    }
}
