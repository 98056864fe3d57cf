//! **Hazmat, for learning and debugging against an HSM log**: the intermediate values of a MAC
//! computation, handed to an observer as labelled byte strings (secret: they depend on the
//! key). Not part of the stable API.
//!
//! - ISO/IEC 9797-1:2011 MAC algorithms 1 and 3 (§7.2, §7.4): the length block of padding
//!   method 3, each input block `D_i` with the chaining value `H_i = E_K(D_i ⊕ H_{i-1})` (the
//!   crate's own CBC chain), the padded last block, `H_q`, and for algorithm 3 the output
//!   transformation `DES⁻¹_K'(H_q)` and `G = DES_K(…)`.
//! - CMAC (NIST SP 800-38B §6.1): `L = E_K(0ⁿ)` and the subkeys `K1`, `K2`.

use crate::padding::Chain;
use crate::{Error, Padding};
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{DesKey, KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::pad::{DataPadding, padding_for};
/// Receives one labelled value (shared with the other crates' `trace` modules).
pub use paycrypt_primitives::trace::Observer;
use paycrypt_primitives::zeroize::Zeroizing;

/// Traces ISO/IEC 9797-1 MAC algorithm 1 (`algorithm3 = false`, any block-cipher key) or 3
/// (`algorithm3 = true`, a 2-key TDES key `K ‖ K'`) over `data`; returns the full MAC (one
/// block), which equals [`crate::mac_algorithm_1`] / `mac_algorithm_3`.
///
/// # Errors
/// [`Error::UnsupportedKey`] for algorithm 3 without a 2-key TDES key; the chain's errors.
pub fn iso9797(
    key: &SymmetricKey,
    algorithm3: bool,
    padding: Padding,
    iv: Option<&[u8]>,
    data: &[u8],
    observe: Observer<'_>,
) -> Result<Zeroizing<[u8; 16]>, Error> {
    let (chain_cipher, k_prime) = if algorithm3 {
        if key.algorithm() != KeyAlgorithm::Tdes2 {
            return Err(Error::UnsupportedKey {
                key: key.algorithm().name(),
                method: "ISO/IEC 9797-1 MAC algorithm 3",
            });
        }
        let b = key.expose_bytes();
        let k = DesKey::from_bytes(b.get(..8).unwrap_or_default())?;
        let kp = DesKey::from_bytes(b.get(8..16).unwrap_or_default())?;
        (BlockCipher::from(&k), Some(BlockCipher::from(&kp)))
    } else {
        (BlockCipher::new(key), None)
    };
    let bs = chain_cipher.block_size();
    let final_cipher = chain_cipher.clone();
    let mut chain = Chain::new(chain_cipher, padding, iv, Some(data.len() as u64))?;
    if padding == Padding::Method3 {
        observe(
            "H after the length block L (padding method 3)",
            chain.state(),
        );
    }
    let whole = data.len() - data.len() % bs;
    let (blocks, rest) = data.split_at(whole);
    for block in blocks.chunks(bs) {
        chain.update(block);
        observe("D (input block)", block);
        observe("H = E_K(D xor previous H)", chain.state());
    }
    // The last block as padded (ISO/IEC 9797-1:2011 §6.1), when there is one.
    let method = match padding {
        Padding::Method2 => DataPadding::Iso9797Method2,
        Padding::Method1 | Padding::Method3 => DataPadding::Iso9797Method1,
    };
    let pads = match padding {
        Padding::Method1 => !rest.is_empty() || data.is_empty(),
        Padding::Method2 => true,
        Padding::Method3 => !rest.is_empty(),
    };
    chain.update(rest);
    if pads {
        let (p, n) = padding_for(method, rest.len(), bs)?;
        let mut last = Zeroizing::new([0u8; 16]);
        for (d, s) in last
            .iter_mut()
            .zip(rest.iter().chain(p.get(..n).unwrap_or_default()))
        {
            *d = *s;
        }
        observe("last block (padded)", last.get(..bs).unwrap_or_default());
    }
    let hq = Zeroizing::new(chain.finish()?);
    let hq = hq.get(..bs).unwrap_or_default();
    observe("Hq (final chaining value)", hq);
    let mut out = Zeroizing::new([0u8; 16]);
    let dst = out.get_mut(..bs).unwrap_or_default();
    dst.copy_from_slice(hq);
    if let Some(kp) = k_prime {
        kp.decrypt_block(dst)?;
        observe("DES-1 with K' of Hq (output transformation)", dst);
        final_cipher.encrypt_block(dst)?;
        observe("G = DES with K (MAC before truncation)", dst);
    }
    Ok(out)
}

/// SP 800-38B §6.1 doubling in GF(2ⁿ): shift left one bit, XOR `R_b` (0x87 for 128-bit blocks,
/// 0x1B for 64-bit blocks) into the last byte when the top bit was set.
fn dbl(block: &mut [u8]) {
    let carry = block.first().is_some_and(|b| b & 0x80 != 0);
    let mut next = 0u8;
    for b in block.iter_mut().rev() {
        let top = *b >> 7;
        *b = (*b << 1) | next;
        next = top;
    }
    let rb = if block.len() == 16 { 0x87 } else { 0x1B };
    if carry && let Some(last) = block.last_mut() {
        *last ^= rb;
    }
}

/// Traces CMAC subkey generation (NIST SP 800-38B §6.1): `L = CIPH_K(0ⁿ)`, `K1`, `K2`.
///
/// # Errors
/// [`Error::UnsupportedKey`] for a single-DES key.
pub fn cmac_subkeys(key: &SymmetricKey, observe: Observer<'_>) -> Result<(), Error> {
    if key.algorithm() == KeyAlgorithm::Des {
        return Err(Error::UnsupportedKey {
            key: key.algorithm().name(),
            method: "CMAC",
        });
    }
    let cipher = BlockCipher::new(key);
    let mut buf = Zeroizing::new([0u8; 16]);
    let l = buf.get_mut(..cipher.block_size()).unwrap_or_default();
    cipher.encrypt_block(l)?;
    observe("L = E_K(0) (CMAC)", l);
    dbl(l);
    observe("K1 (CMAC subkey)", l);
    dbl(l);
    observe("K2 (CMAC subkey)", l);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use paycrypt_primitives::key::{AesKey, TdesKey};
    use paycrypt_primitives::trace::Recorder;

    #[test]
    fn iso9797_trace_ends_in_the_mac() {
        // ISO/IEC 9797-1 Annex B / X9.19: "Now is the time for all ", key 0123456789ABCDEF
        // FEDCBA9876543210.
        let key = SymmetricKey::from(
            TdesKey::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap(),
        );
        let data = b"Now is the time for all ";
        for padding in [Padding::Method1, Padding::Method2, Padding::Method3] {
            for alg3 in [false, true] {
                let mut rec = Recorder::new();
                let mac = iso9797(&key, alg3, padding, None, data, &mut rec.observer()).unwrap();
                let labels = rec.labels();
                let want = if alg3 {
                    crate::mac_algorithm_3(
                        &TdesKey::from_bytes(key.expose_bytes()).unwrap(),
                        padding,
                        None,
                        data,
                    )
                    .unwrap()
                } else {
                    crate::mac_algorithm_1(&key, padding, None, data).unwrap()
                };
                assert_eq!(&mac[..8], want.as_bytes(), "{padding:?} {alg3}");
                assert_eq!(
                    labels
                        .iter()
                        .filter(|l| l.ends_with("(input block)"))
                        .count(),
                    3
                );
                assert_eq!(
                    labels.contains(&"last block (padded)"),
                    padding == Padding::Method2
                );
            }
        }
    }

    #[test]
    fn cmac_subkeys_of_sp800_38b() {
        // SP 800-38B D.1 (AES-128): K1 = FBEED618357133667C85E08F7236A8DE, K2 = F7DDAC30...
        let key = SymmetricKey::from(
            AesKey::from_bytes(&hex_literal::hex!("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap(),
        );
        let mut rec = Recorder::new();
        cmac_subkeys(&key, &mut rec.observer()).unwrap();
        let seen = rec.values();
        assert_eq!(
            seen[0],
            hex_literal::hex!("7DF76B0C1AB899B33E42F047B91B546F")
        );
        assert_eq!(
            seen[1],
            hex_literal::hex!("FBEED618357133667C85E08F7236A8DE")
        );
        assert_eq!(
            seen[2],
            hex_literal::hex!("F7DDAC306AE266CCF90BC11EE46D513B")
        );
    }
}
