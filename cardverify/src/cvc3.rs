//! Mastercard CVC3 (PayPass / contactless mag-stripe; EMV Contactless Book C-2, PayPass M/Chip
//! mag-stripe mode: IVCVC3, UN, ATC).

use crate::Error;
use crate::cardkey::{CardKey, ImkRole};
use crate::types::{Atc, CardCode, Presented, UnpredictableNumber};
use core::fmt;
use paycrypt_mac::Padding;
use paycrypt_mac::mac_algorithm_3;
use paycrypt_primitives::block::BlockCipher;
use zeroize::Zeroizing;

/// Most bytes of track data (track 1: 79 characters, ISO/IEC 7813).
pub const TRACK_MAX: usize = 79;

/// The IVCVC3: 2 bytes computed at personalisation from the track data template (and
/// recomputed by the host, or stored). Not secret by itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ivcvc3([u8; 2]);

impl Ivcvc3 {
    /// A given IVCVC3 (jPOS and many hosts store it).
    #[must_use]
    pub const fn new(bytes: [u8; 2]) -> Self {
        Self(bytes)
    }

    /// A given IVCVC3 from a slice.
    ///
    /// # Errors
    /// [`Error::Ivcvc3`] unless 2 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        <[u8; 2]>::try_from(bytes)
            .map(Self)
            .map_err(|_| Error::Ivcvc3)
    }

    /// The IVCVC3 of a track data template:
    ///
    /// ```text
    /// IVCVC3 = rightmost 2 bytes of ISO/IEC 9797-1 MAC algorithm 3 (single-DES chaining under
    ///          K_L, output E1_{K_L}(D1_{K_R}(·))) with padding method 2, over the template
    /// ```
    ///
    /// The template is opaque bytes, 1–79 of them: track 2 as stored on the card, BCD
    /// `PAN ‖ D ‖ YYMM ‖ service code ‖ discretionary data`, `F`-padded to whole bytes (e.g.
    /// `5123456789012345D35121010000000000000F`), or the ASCII bytes of track 1.
    ///
    /// # Errors
    /// [`Error::Track`] unless 1–79 bytes; [`Error::KeyRole`] unless an MK-CVC3 card key.
    pub fn from_track(key: &CardKey, track: &[u8]) -> Result<Self, Error> {
        if track.is_empty() || track.len() > TRACK_MAX {
            return Err(Error::Track);
        }
        let tdes = key.for_role(ImkRole::Cvc3)?;
        let tag =
            mac_algorithm_3(tdes, Padding::Method2, None, track).map_err(|_| Error::KeyLength)?;
        let b = tag.as_bytes();
        match b.get(b.len().saturating_sub(2)..) {
            Some([x, y]) => Ok(Self([*x, *y])),
            _ => Err(Error::Track),
        }
    }

    /// The bytes.
    #[must_use]
    pub const fn bytes(&self) -> [u8; 2] {
        self.0
    }
}

impl fmt::Debug for Ivcvc3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ivcvc3({:02X}{:02X})", self.0[0], self.0[1])
    }
}

/// The CVC3 of a transaction:
///
/// ```text
/// CVC3 = rightmost 2 bytes of E_cardkey(IVCVC3 (2) ‖ UN (4) ‖ ATC (2)), big-endian 0–65535,
///        written as 5 decimal digits with leading zeros
/// ```
///
/// # Errors
/// [`Error::KeyRole`] unless an MK-CVC3 card key.
pub fn generate_cvc3(
    key: &CardKey,
    ivcvc3: Ivcvc3,
    un: UnpredictableNumber,
    atc: Atc,
) -> Result<CardCode, Error> {
    let tdes = key.for_role(ImkRole::Cvc3)?;
    let mut block = Zeroizing::new([0u8; 8]);
    let (iv, rest) = block.split_at_mut(2);
    let (u, a) = rest.split_at_mut(4);
    iv.copy_from_slice(&ivcvc3.0);
    u.copy_from_slice(&un.bytes());
    a.copy_from_slice(&atc.bytes());
    BlockCipher::from(tdes)
        .encrypt_block(block.as_mut_slice())
        .map_err(|_| Error::KeyLength)?;
    let [.., hi, lo] = *block;
    let mut v = u32::from(u16::from_be_bytes([hi, lo]));
    let mut digits = Zeroizing::new([0u8; 5]);
    for d in digits.iter_mut().rev() {
        // Fixed five iterations: the work does not depend on the value.
        *d = u8::try_from(v % 10).unwrap_or(0);
        v /= 10;
    }
    Ok(CardCode::from_values(digits.as_slice()))
}

/// Verifies a presented CVC3 of `k` = 3–5 digits (the count the card's PCVC3/NATC bitmaps fix)
/// against the **rightmost** `k` digits of the 5-digit value, in constant time.
///
/// # Errors
/// [`Error::Value`] unless 3–5 decimal digits; [`Error::KeyRole`];
/// [`Error::VerificationFailed`].
pub fn verify_cvc3(
    key: &CardKey,
    ivcvc3: Ivcvc3,
    un: UnpredictableNumber,
    atc: Atc,
    presented: &str,
) -> Result<(), Error> {
    let p = Presented::parse(presented)?;
    generate_cvc3(key, ivcvc3, un, atc)?.check_suffix(&p)
}
