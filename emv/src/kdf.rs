//! Key derivation: ICC master keys (EMV 4.4 Book 2 Annex A1.4).

use crate::Error;
use paycrypt_pinblock::Pan;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{SymmetricKey, TdesKey, set_odd_parity};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

/// A PAN sequence number (tag 5F34): two decimal digits, `00` when the card has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Psn(u8);

impl Psn {
    /// A PSN from its value 0–99.
    ///
    /// # Errors
    /// [`Error::Psn`] above 99.
    pub const fn new(value: u8) -> Result<Self, Error> {
        if value > 99 {
            Err(Error::Psn { got: value })
        } else {
            Ok(Self(value))
        }
    }

    /// The value 0–99.
    #[must_use]
    pub const fn value(self) -> u8 {
        self.0
    }

    /// The two decimal digits.
    const fn digits(self) -> [u8; 2] {
        [self.0 / 10, self.0 % 10]
    }
}

/// Which ICC master key derivation of EMV 4.4 Book 2 Annex A1.4 to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IccDerivation {
    /// Option A (Book 2 A1.4.1): the rightmost 16 digits of PAN ‖ PSN.
    OptionA,
    /// Option B (Book 2 A1.4.2): a SHA-1 digest of PAN ‖ PSN, decimalised, for PANs longer
    /// than 16 digits; for 16 digits or fewer it *is* option A (A1.4.2 says so).
    OptionB,
}

/// Derives the ICC master key (MK-AC, MK-SMI or MK-SMC, depending on which issuer master key
/// is given) from an issuer master key, EMV 4.4 Book 2 Annex A1.4.
///
/// ```text
/// Option A (A1.4.1): X  = rightmost 16 digits of PAN ‖ PSN (left-padded with 0 when shorter)
///                    Y  = X as 8 bytes (BCD)
/// Option B (A1.4.2), PAN > 16 digits only:
///                    X  = PAN ‖ PSN, left-padded with one 0 to an even digit count
///                    H  = SHA-1(X as BCD), 40 hex digits
///                    Y  = the first 16 decimal digits of H, left to right; if fewer than 16,
///                         continued with H's digits A–F read as A→0 … F→5, left to right
/// Both:              ZL = E_IMK(Y),  ZR = E_IMK(Y ⊕ FF…FF),  MK = ZL ‖ ZR with odd parity
/// ```
///
/// `imk` is a 2-key TDES key as EMV requires; a 3-key key computes TDEA under its three keys.
#[must_use]
pub fn derive_icc_master_key(imk: &TdesKey, pan: &Pan, psn: Psn, method: IccDerivation) -> TdesKey {
    let pan = pan.digit_values();
    let psn = psn.digits();
    // PAN ‖ PSN as digit values; at most 19 + 2.
    let mut x = Zeroizing::new([0u8; 21]);
    let n = pan.len() + 2;
    for (dst, src) in x.iter_mut().zip(pan.iter().chain(psn.iter())) {
        *dst = *src;
    }
    let x = x.get(..n).unwrap_or(&[]);
    let mut y = Zeroizing::new([0u8; 8]);
    if method == IccDerivation::OptionB && pan.len() > 16 {
        option_b_digits(x, &mut y);
    } else {
        // Rightmost 16 digits, left-padded with zeros (option A).
        let mut digits = [0u8; 16];
        let take = x.len().min(16);
        if let (Some(dst), Some(src)) = (digits.get_mut(16 - take..), x.get(x.len() - take..)) {
            dst.copy_from_slice(src);
        }
        pack_bcd(&digits, &mut y);
    }
    let cipher = BlockCipher::new(&SymmetricKey::Tdes(imk.clone()));
    let mut out = Zeroizing::new([0u8; 16]);
    let (zl, zr) = out.split_at_mut(8);
    zl.copy_from_slice(&*y);
    for (r, b) in zr.iter_mut().zip(y.iter()) {
        *r = b ^ 0xFF;
    }
    // Both halves are one TDES block; encrypt_block fails only on a wrong block length.
    let _ = cipher.encrypt_block(zl);
    let _ = cipher.encrypt_block(zr);
    set_odd_parity(&mut *out);
    match TdesKey::from_bytes(&*out) {
        Ok(k) => k,
        // 16 bytes is always a valid 2-key TDES length.
        Err(_) => unreachable_tdes(),
    }
}

#[cold]
fn unreachable_tdes() -> TdesKey {
    // A 16-byte buffer is a valid TDES key length; this path cannot be taken.
    match TdesKey::from_bytes(&[0u8; 16]) {
        Ok(k) => k,
        Err(_) => unreachable_tdes(),
    }
}

/// Option B's digest and decimalisation (Book 2 A1.4.2 steps 1–3).
fn option_b_digits(x: &[u8], y: &mut [u8; 8]) {
    // Left-pad with one 0 to an even number of digits, then BCD.
    let mut bcd = Zeroizing::new([0u8; 11]);
    let odd = x.len() % 2;
    let bytes = (x.len() + odd) / 2;
    for (i, d) in x.iter().enumerate() {
        let pos = i + odd;
        if let Some(b) = bcd.get_mut(pos / 2) {
            *b |= if pos.is_multiple_of(2) { d << 4 } else { *d };
        }
    }
    let h = Sha1::digest(bcd.get(..bytes).unwrap_or(&[]));
    let mut hex = Zeroizing::new([0u8; 40]);
    for (i, b) in h.iter().enumerate() {
        if let Some([hi, lo]) = hex.get_mut(2 * i..2 * i + 2) {
            *hi = b >> 4;
            *lo = b & 0x0F;
        }
    }
    let mut digits = Zeroizing::new([0u8; 16]);
    let mut k = 0;
    for &d in hex.iter().filter(|d| **d < 10) {
        if let Some(slot) = digits.get_mut(k) {
            *slot = d;
            k += 1;
        }
    }
    for &d in hex.iter().filter(|d| **d >= 10) {
        if let Some(slot) = digits.get_mut(k) {
            *slot = d - 10;
            k += 1;
        }
    }
    pack_bcd(&digits, y);
}

/// Packs 16 digit values into 8 BCD bytes.
fn pack_bcd(digits: &[u8; 16], out: &mut [u8; 8]) {
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *o = (hi << 4) | lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psn_range() {
        assert!(Psn::new(99).is_ok());
        assert_eq!(Psn::new(100), Err(Error::Psn { got: 100 }));
    }

    #[test]
    fn option_b_equals_option_a_up_to_16_digits() {
        let imk = TdesKey::from_bytes(&[0x11; 16]).unwrap();
        for pan in ["541333008902001", "5413330089020011"] {
            let pan = Pan::new(pan).unwrap();
            let a = derive_icc_master_key(&imk, &pan, Psn::new(1).unwrap(), IccDerivation::OptionA);
            let b = derive_icc_master_key(&imk, &pan, Psn::new(1).unwrap(), IccDerivation::OptionB);
            assert_eq!(a.expose_bytes(), b.expose_bytes());
        }
        let long = Pan::new("5413330089020011234").unwrap();
        let a = derive_icc_master_key(&imk, &long, Psn::new(1).unwrap(), IccDerivation::OptionA);
        let b = derive_icc_master_key(&imk, &long, Psn::new(1).unwrap(), IccDerivation::OptionB);
        assert_ne!(a.expose_bytes(), b.expose_bytes());
    }
}
