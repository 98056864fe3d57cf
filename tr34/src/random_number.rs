//! RT-KRD, the KRD's random number token (TR-34-2019 Annex B.12): the nonce a two-pass
//! key token (B.9) and the KDH's unbind / rebind tokens (B.11, B.14) echo.

use crate::{Error, der, oid, signed};
use alloc::vec::Vec;
use paycrypt_primitives::rng::TryCryptoRng;

/// Nonce lengths accepted in `randomNonce` (TR-34-2019 Annex B.12 RT-KRD carries 16 bytes; AWS
/// Payment Cryptography and payShield send 8).
pub const NONCE_LEN: core::ops::RangeInclusive<usize> = 8..=16;

/// RT-KRD, the KRD random number token (TR-34-2019 B.12): not CMS but an X.501 `Attribute`.
///
/// ```text
/// SEQUENCE { OBJECT IDENTIFIER randomNonce, SET { OCTET STRING nonce } }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomNumberToken {
    nonce: Vec<u8>,
}

impl RandomNumberToken {
    /// A token for this nonce (8..=16 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for another length.
    pub fn new(nonce: &[u8]) -> Result<Self, Error> {
        if !NONCE_LEN.contains(&nonce.len()) {
            return Err(Error::InvalidInput {
                what: "nonce must be 8 to 16 bytes",
            });
        }
        Ok(Self {
            nonce: nonce.to_vec(),
        })
    }

    /// A fresh token with a `len`-byte nonce from `rng` (16 in Annex B, 8 at AWS).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a length outside 8..=16, [`Error::Primitives`] when the
    /// random source fails.
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R, len: usize) -> Result<Self, Error> {
        if !NONCE_LEN.contains(&len) {
            return Err(Error::InvalidInput {
                what: "nonce must be 8 to 16 bytes",
            });
        }
        let mut nonce = alloc::vec![0u8; len];
        paycrypt_primitives::rng::fill(rng, &mut nonce)?;
        Ok(Self { nonce })
    }

    /// Parses the DER token.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let t = der::parse_single(input, der::SEQUENCE, "RT-KRD")?;
        let mut r = t.reader();
        let o = r.expect(der::OID, "RT-KRD type")?;
        if o.value != oid::RANDOM_NONCE {
            return Err(Error::malformed("RT-KRD type", o.value_offset));
        }
        let set = r.expect(der::SET, "RT-KRD values")?;
        r.finish("RT-KRD")?;
        let mut s = set.reader();
        let n = s.expect(der::OCTET_STRING, "RT-KRD nonce")?;
        s.finish("RT-KRD values")?;
        if !NONCE_LEN.contains(&n.value.len()) {
            return Err(Error::malformed("RT-KRD nonce", n.value_offset));
        }
        Ok(Self {
            nonce: n.value.to_vec(),
        })
    }

    /// The DER token.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        signed::encode_attribute(
            oid::RANDOM_NONCE,
            &der::tlv(der::OCTET_STRING, &[&self.nonce]),
        )
    }

    /// The nonce.
    #[must_use]
    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }
}
