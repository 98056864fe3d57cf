//! Visa two-pass decimalisation of a cipher block, shared by every algorithm that turns an
//! 8-byte DES/TDES result into decimal digits: the Visa PVV (IBM CCA "PVV Generation
//! algorithm", two scans), the CVV family (IBM CCA "CVV Generate", step 5 of the CVV algorithm)
//! and the EMV Option B digit extraction (EMV 4.4 Book 2 A1.4.2 step 3).
//!
//! ```text
//! nibbles = the 16 hex digits of the block, left to right
//! pass 1  = every nibble 0–9, in order
//! pass 2  = every nibble A–F, in order, minus 10 (A→0 … F→5)
//! output  = the first n digits of pass 1 ‖ pass 2
//! ```
//!
//! Both passes always run over all 16 nibbles, and every nibble is written through
//! constant-time selects: which nibbles were decimal (and so the output) does not change the
//! sequence of operations. Stopping after pass 1 (as some libraries do) yields fewer than `n`
//! digits for rare blocks; that is a bug, not a variant.

use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};

/// Most digits a block yields (16 nibbles).
pub const MAX_DIGITS: usize = 16;

/// Writes the first `out.len()` (at most 16) Visa-decimalised digit values (0–9, not ASCII) of
/// `block` into `out`; positions past 16 are left untouched.
pub fn visa_decimalize(block: &[u8; 8], out: &mut [u8]) {
    let mut n = [0u8; MAX_DIGITS];
    for (pair, b) in n.chunks_exact_mut(2).zip(block.iter()) {
        if let [hi, lo] = pair {
            *hi = b >> 4;
            *lo = b & 0x0F;
        }
    }
    for o in out.iter_mut().take(MAX_DIGITS) {
        *o = 0;
    }
    let mut count = 0u8;
    for pass in 0..2u8 {
        for nib in &n {
            let decimal = !nib.ct_gt(&9);
            let take = if pass == 0 { decimal } else { !decimal };
            let value = nib.wrapping_sub(10 * pass);
            for (j, o) in (0u8..).zip(out.iter_mut().take(MAX_DIGITS)) {
                o.conditional_assign(&value, take & count.ct_eq(&j));
            }
            count = count.wrapping_add(u8::conditional_select(&0, &1, take));
        }
    }
    zeroize::Zeroize::zeroize(&mut n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_passes() {
        let mut out = [0u8; 5];
        // Only two decimal nibbles: pass 2 supplies the rest, A->0, B->1, C->2.
        visa_decimalize(&[0xAB, 0xC1, 0xDE, 0xF2, 0xFF, 0xFF, 0xFF, 0xFF], &mut out);
        assert_eq!(out, [1, 2, 0, 1, 2]);
        let mut all = [0u8; 16];
        visa_decimalize(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF], &mut all);
        assert_eq!(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5]);
        let mut none = [9u8; 3];
        visa_decimalize(&[0xFF; 8], &mut none);
        assert_eq!(none, [5, 5, 5]);
    }
}
