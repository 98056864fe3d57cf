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

/// The EMV common session key derivation (EMV 4.4 Book 2 A1.3.1) under an ICC master key and
/// an 8-byte diversification value `R`:
///
/// ```text
/// RA = R with byte 2 := F0      RB = R with byte 2 := 0F
/// SK = parity(E_MK(RA) ‖ E_MK(RB))
/// ```
///
/// AC keys take `R = ATC ‖ 00…00` ([`ac_r`]); secure-messaging keys `R` = the ARQC; the
/// Mastercard SKD `R = ATC ‖ 00 00 ‖ UN` ([`mastercard_r`]).
#[must_use]
pub fn common_session_key(mk: &TdesKey, r: &[u8; 8]) -> TdesKey {
    let mut out = Zeroizing::new([0u8; 16]);
    let (ra, rb) = out.split_at_mut(8);
    ra.copy_from_slice(r);
    rb.copy_from_slice(r);
    if let (Some(a), Some(b)) = (ra.get_mut(2), rb.get_mut(2)) {
        *a = 0xF0;
        *b = 0x0F;
    }
    let cipher = BlockCipher::new(&SymmetricKey::Tdes(mk.clone()));
    let _ = cipher.encrypt_block(ra);
    let _ = cipher.encrypt_block(rb);
    set_odd_parity(&mut *out);
    crate::keys::tdes_from_16(&out)
}

/// `R = ATC ‖ 00 00 00 00 00 00` for AC session keys (EMV 4.4 Book 2 A1.3.1).
#[must_use]
pub const fn ac_r(atc: [u8; 2]) -> [u8; 8] {
    [atc[0], atc[1], 0, 0, 0, 0, 0, 0]
}

/// `R = ATC ‖ 00 00 ‖ UN` for the Mastercard session key derivation (M/Chip 4 "SKD", CVN
/// 16/17; the CSK function of Book 2 A1.3.1 with this R).
#[must_use]
pub const fn mastercard_r(atc: [u8; 2], un: [u8; 4]) -> [u8; 8] {
    [atc[0], atc[1], 0, 0, un[0], un[1], un[2], un[3]]
}

/// The Visa secure-messaging session key (Visa Integrated Circuit Card Specification, CVN
/// 10/18): no encryption, the ATC is XORed into the last two bytes of each half:
///
/// ```text
/// SKL = MKL ⊕ (00 00 00 00 00 00 ‖ ATC)     SKR = MKR ⊕ (00 00 00 00 00 00 ‖ ATC ⊕ FFFF)
/// SK  = parity(SKL ‖ SKR)
/// ```
#[must_use]
pub fn visa_sm_session_key(mk: &TdesKey, atc: [u8; 2]) -> TdesKey {
    let mut out = Zeroizing::new([0u8; 16]);
    if let Some(src) = mk.expose_bytes().get(..16) {
        out.copy_from_slice(src);
    }
    let [a0, a1] = atc;
    for (i, x) in [(6, a0), (7, a1), (14, a0 ^ 0xFF), (15, a1 ^ 0xFF)] {
        if let Some(b) = out.get_mut(i) {
            *b ^= x;
        }
    }
    set_odd_parity(&mut *out);
    crate::keys::tdes_from_16(&out)
}

/// Parameters of the EMV2000 session key tree (EMV 4.0/4.1 Book 2 A1.3; superseded by the
/// common session key, EMV Specification Update Bulletin SU-46): branch factor `b`, height `H`
/// and the 16-byte initial value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Emv2000Tree {
    branch: u32,
    height: u32,
    iv: [u8; 16],
}

impl Emv2000Tree {
    /// Branch factor `b` (2 or more), height `H` (1 or more) with `b^H > 65535` (EMV 4.1
    /// Book 2 A1.3: every ATC must address a leaf), and IV.
    ///
    /// # Errors
    /// [`Error::Parameter`] when `b < 2`, `H < 1`, `H > 16` or `b^H ≤ 65535`.
    pub fn new(branch: u32, height: u32, iv: [u8; 16]) -> Result<Self, Error> {
        if branch < 2 || height == 0 || height > 16 {
            return Err(Error::Parameter {
                what: "EMV2000 tree: branch factor must be 2 or more and height 1 to 16",
            });
        }
        let leaves = u64::from(branch).checked_pow(height).unwrap_or(u64::MAX);
        if leaves <= 65535 {
            return Err(Error::Parameter {
                what: "EMV2000 tree: branch^height must exceed 65535",
            });
        }
        Ok(Self { branch, height, iv })
    }

    /// The recommended tree `b = 4`, `H = 8`, IV zero (EMV 4.1 Book 2 A1.3.1).
    #[must_use]
    pub const fn recommended() -> Self {
        Self {
            branch: 4,
            height: 8,
            iv: [0; 16],
        }
    }

    /// `F(X, Y, j) = E_X(YL ⊕ (j mod b)) ‖ E_X(YR ⊕ (j mod b) ⊕ 00…00F0)` (EMV 4.1 Book 2
    /// A1.3.1), `j mod b` as an 8-byte big-endian integer.
    fn f(&self, x: &TdesKey, y: &[u8; 16], j: u32) -> Zeroizing<[u8; 16]> {
        let m = u64::from(j % self.branch).to_be_bytes();
        let mut out = Zeroizing::new(*y);
        for (o, mb) in out.iter_mut().zip(m.iter().chain(m.iter())) {
            *o ^= mb;
        }
        if let Some(last) = out.get_mut(15) {
            *last ^= 0xF0;
        }
        let cipher = BlockCipher::new(&SymmetricKey::Tdes(x.clone()));
        let (l, r) = out.split_at_mut(8);
        let _ = cipher.encrypt_block(l);
        let _ = cipher.encrypt_block(r);
        out
    }

    /// The session key for `atc` (EMV 4.1 Book 2 A1.3.1): `GP := IV`, `P := MK`; for
    /// `i = 1 … H−1`: `(GP, P) := (P, F(P, GP, ⌊ATC / b^(H−i)⌋))`; then
    /// `SK = parity(F(P, GP, ATC) ⊕ GP)`.
    #[must_use]
    pub fn session_key(&self, mk: &TdesKey, atc: [u8; 2]) -> TdesKey {
        let atc = u32::from(u16::from_be_bytes(atc));
        let mut gp = Zeroizing::new(self.iv);
        let mut p = mk.clone();
        for i in 1..self.height {
            let div = u64::from(self.branch)
                .checked_pow(self.height - i)
                .unwrap_or(u64::MAX);
            let j = u32::try_from(u64::from(atc) / div).unwrap_or(0);
            let next = self.f(&p, &gp, j);
            let mut pb = Zeroizing::new([0u8; 16]);
            if let Some(src) = p.expose_bytes().get(..16) {
                pb.copy_from_slice(src);
            }
            *gp = *pb;
            p = crate::keys::tdes_from_16(&next);
        }
        let mut sk = self.f(&p, &gp, atc);
        for (s, g) in sk.iter_mut().zip(gp.iter()) {
            *s ^= g;
        }
        set_odd_parity(&mut *sk);
        crate::keys::tdes_from_16(&sk)
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
