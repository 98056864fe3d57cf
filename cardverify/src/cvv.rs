//! The CVV algorithm and the CVV family: CVV / CVV2 / iCVV (Mastercard CVC1 / CVC2 / Chip CVC,
//! JCB CAV / CAV2).
//!
//! The algorithm is the one IBM CCA documents for `CSNBCSG` / `CSNBCSV` ("CVV Generate",
//! "CVV Verify") and every HSM implements (payShield `CW`/`CY`, AWS
//! `GenerateCardValidationData`); the brands' own manuals are private.

use crate::Error;
use crate::types::{CardCode, CvvLength, Expiry4, Presented, ServiceCode, pan_digits};
use core::fmt;
use paycrypt_pinblock::Pan;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::decimal::visa_decimalize;
use paycrypt_primitives::key::{DesKey, TdesKey};
use zeroize::Zeroizing;

/// Most nibbles of the CVV data block (two 8-byte blocks).
pub(crate) const DATA_MAX: usize = 32;

/// A card verification key (CVK): exactly 16 bytes, CVK A ‖ CVK B (IBM's pair of single-length
/// keys is this one key). 8- and 24-byte keys are refused. A K1 = K2 key computes (as single
/// DES); refusing it is a key-import policy. Distinct from a PIN verification key.
///
/// `Debug` prints nothing of the key; the expanded key schedules are zeroized on drop.
#[derive(Clone)]
pub struct Cvk {
    /// `E1` under CVK A.
    a: BlockCipher,
    /// TDEA under A ‖ B.
    ab: BlockCipher,
}

impl Cvk {
    /// A CVK from a 2-key TDES key.
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a 3-key key.
    pub fn new(key: &TdesKey) -> Result<Self, Error> {
        if key.len() != 16 {
            return Err(Error::KeyLength);
        }
        let a = DesKey::from_bytes(key.expose_bytes().get(..8).unwrap_or(&[]))
            .map_err(|_| Error::KeyLength)?;
        Ok(Self {
            a: BlockCipher::from(&a),
            ab: BlockCipher::from(key),
        })
    }

    /// A CVK from 16 bytes.
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 16 {
            return Err(Error::KeyLength);
        }
        Self::new(&TdesKey::from_bytes(bytes).map_err(|_| Error::KeyLength)?)
    }

    /// The CVV core over data nibbles (each 0–15, at most 32), `n` digits.
    pub(crate) fn core(&self, data: &[u8], n: CvvLength) -> CardCode {
        cvv_core(&self.a, &self.ab, data, n)
    }
}

impl fmt::Debug for Cvk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cvk(..)")
    }
}

/// The CVV core (IBM CCA "CVV Generate" algorithm), over a 2-key TDES key split into A and B:
///
/// ```text
/// D'  = D right-padded with 0 to 32 nibbles
/// B1  = D'[0..16] packed,  B2 = D'[16..32] packed
/// R1  = E1_A(B1)                    single DES under the left key
/// R2  = E_{A‖B}(R1 ⊕ B2)            = E1_A(D1_B(E1_A(R1 ⊕ B2)))
/// out = Visa two-pass decimalisation of R2, leftmost n digits
/// ```
///
/// `data` holds nibble values; the CVV family passes decimal digits, the dCVV profile hex
/// nibbles (its ATC). Longer input than 32 nibbles is truncated by the callers' fixed layouts
/// (they never exceed 32).
pub(crate) fn cvv_core(a: &BlockCipher, ab: &BlockCipher, data: &[u8], n: CvvLength) -> CardCode {
    let mut nib = Zeroizing::new([0u8; DATA_MAX]);
    for (o, d) in nib.iter_mut().zip(data) {
        *o = d & 0x0F;
    }
    let mut b1 = Zeroizing::new([0u8; 8]);
    let mut b2 = Zeroizing::new([0u8; 8]);
    let (lo, hi) = nib.split_at(16);
    pack(lo, &mut b1);
    pack(hi, &mut b2);
    // Both are one 8-byte block for a DES/TDES cipher: the calls cannot fail.
    let _ = a.encrypt_block(b1.as_mut_slice());
    for (x, y) in b1.iter_mut().zip(b2.iter()) {
        *x ^= y;
    }
    let _ = ab.encrypt_block(b1.as_mut_slice());
    let mut out = Zeroizing::new([0u8; 5]);
    visa_decimalize(&b1, out.get_mut(..n.get()).unwrap_or(&mut []));
    CardCode::from_values(out.get(..n.get()).unwrap_or(&[]))
}

/// Packs 16 nibbles into 8 bytes, high nibble first.
pub(crate) fn pack(nibbles: &[u8], out: &mut [u8; 8]) {
    for (o, pair) in out.iter_mut().zip(nibbles.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *o = (hi << 4) | lo;
        }
    }
}

/// Which member of the CVV family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CvvKind {
    /// CVV1 / CVC1 / CAV: the magnetic stripe's code, under the track's service code.
    Cvv,
    /// CVV2 / CVC2 / CAV2: the printed code, service code `000`.
    Cvv2,
    /// iCVV / Chip CVC: the code in the chip's track 2 equivalent data, service code `999`.
    Icvv,
}

impl CvvKind {
    /// `cvv`, `cvv2` or `icvv`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Cvv => "cvv",
            Self::Cvv2 => "cvv2",
            Self::Icvv => "icvv",
        }
    }
}

/// The card data a CVV-family code covers: `D = PAN ‖ expiry ‖ service code` (IBM CCA "CVV
/// Generate"; AWS `GenerateCardValidationData`).
///
/// The three constructors fix the service code for CVV2 (`000`) and iCVV (`999`), so a CVV2
/// "with service code 101" cannot be built. Issue the three codes under three different CVKs
/// (AWS recommends it; this API cannot check it).
#[derive(Clone)]
pub struct CvvData {
    kind: CvvKind,
    /// PAN ‖ expiry ‖ service code as digit values (at most 19 + 4 + 3 = 26).
    digits: Zeroizing<[u8; DATA_MAX]>,
    len: usize,
}

impl CvvData {
    fn build(kind: CvvKind, pan: &Pan, expiry: &Expiry4, sc: &ServiceCode) -> Result<Self, Error> {
        let pan = pan_digits(pan)?;
        let mut digits = Zeroizing::new([0u8; DATA_MAX]);
        let all = pan.iter().chain(expiry.values()).chain(sc.values());
        let mut len = 0;
        for (o, d) in digits.iter_mut().zip(all) {
            *o = *d;
            len += 1;
        }
        Ok(Self { kind, digits, len })
    }

    /// CVV1 / CVC1 / CAV data: the track's service code.
    ///
    /// # Errors
    /// [`Error::Pan`] unless the PAN has 12–19 digits.
    pub fn cvv(pan: &Pan, expiry: &Expiry4, service_code: &ServiceCode) -> Result<Self, Error> {
        Self::build(CvvKind::Cvv, pan, expiry, service_code)
    }

    /// CVV2 / CVC2 / CAV2 data: service code `000`.
    ///
    /// # Errors
    /// [`Error::Pan`].
    pub fn cvv2(pan: &Pan, expiry: &Expiry4) -> Result<Self, Error> {
        Self::build(CvvKind::Cvv2, pan, expiry, &ServiceCode::CVV2)
    }

    /// iCVV / Chip CVC data: service code `999`.
    ///
    /// # Errors
    /// [`Error::Pan`].
    pub fn icvv(pan: &Pan, expiry: &Expiry4) -> Result<Self, Error> {
        Self::build(CvvKind::Icvv, pan, expiry, &ServiceCode::ICVV)
    }

    /// Which code this data is for.
    #[must_use]
    pub const fn kind(&self) -> CvvKind {
        self.kind
    }

    /// Generates the code with `length` digits.
    #[must_use]
    pub fn generate(&self, cvk: &Cvk, length: CvvLength) -> CardCode {
        cvk.core(self.digits.get(..self.len).unwrap_or(&[]), length)
    }

    /// Verifies a presented code: recomputes with as many digits as `presented` has (3–5) and
    /// compares in constant time. The recomputed value never leaves the function.
    ///
    /// # Errors
    /// [`Error::Value`] unless `presented` is 3–5 decimal digits; [`Error::VerificationFailed`].
    pub fn verify(&self, cvk: &Cvk, presented: &str) -> Result<(), Error> {
        let p = Presented::parse(presented)?;
        self.generate(cvk, p.length()?).check_suffix(&p)
    }
}

impl fmt::Debug for CvvData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CvvData {{ kind: {:?}, .. }}", self.kind)
    }
}
