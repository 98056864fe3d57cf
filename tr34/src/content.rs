//! The content of the EnvelopedData: what TR-34-2019 §5.3.1 (Annex D ASN.1, sample B.2.2.2)
//! calls the KeyBlock — the KDH identifier, the clear key and its key-block header — named
//! [`EnvelopeContent`] here because `paycrypt_keyblock::KeyBlock` is the X9.143 key block.
//!
//! ```text
//! KeyBlock ::= SEQUENCE {
//!   version         INTEGER (1),              -- every sample and implementation uses 1
//!   idKDH           IssuerAndSerialNumber,    -- the KDH signing certificate
//!   clearKey        OCTET STRING,             -- 16 or 24 bytes
//!   keyBlockHeader  SEQUENCE { OBJECT IDENTIFIER id-data, SET { OCTET STRING header } } }
//! ```

use crate::cert::IssuerAndSerialNumber;
use crate::header::KeyHeader;
use crate::{Error, der, oid};
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// How a KRD treats the PKCS #7 padding of the decrypted KeyBlock (RFC 5652 §6.3: always
/// present; one AWS sample generator omits it when the KeyBlock is already aligned).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaddingCheck {
    /// Strict RFC 5652 §6.3 padding (the default).
    #[default]
    Required,
    /// Also accept no padding when the DER KeyBlock ends exactly at the end of the plaintext.
    MayBeMissing,
}

/// How a KRD reads the KeyBlock's keyBlockHeader field (TR-34-2019 §5.3.1: a SEQUENCE of
/// id-data and a SET holding one OCTET STRING).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeaderForm {
    /// Exactly the TR-34-2019 form (the default).
    #[default]
    Standard,
    /// Also a SET of several OCTET STRINGs (concatenated) or a bare OCTET STRING.
    Lenient,
}

/// A decoded TR-34 KeyBlock (TR-34-2019 §5.3.1), the plaintext of the EnvelopedData. The clear
/// key is zeroized on drop and never printed.
pub struct EnvelopeContent {
    /// The KDH identifier.
    pub(crate) id_kdh: IssuerAndSerialNumber,
    /// The clear key bytes.
    pub(crate) clear_key: Zeroizing<Vec<u8>>,
    /// The header bytes as carried.
    pub(crate) header: Vec<u8>,
}

impl core::fmt::Debug for EnvelopeContent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EnvelopeContent")
            .field("key_len", &self.clear_key.len())
            .field(
                "header",
                &core::str::from_utf8(&self.header).unwrap_or("<binary>"),
            )
            .finish_non_exhaustive()
    }
}

impl EnvelopeContent {
    /// Encodes the KeyBlock DER (TR-34-2019 B.2.2.2.1).
    pub(crate) fn encode(
        id_kdh: &IssuerAndSerialNumber,
        clear_key: &[u8],
        header: &KeyHeader,
    ) -> Zeroizing<Vec<u8>> {
        let key = Zeroizing::new(der::tlv(der::OCTET_STRING, &[clear_key]));
        let hdr_oct = der::tlv(der::OCTET_STRING, &[header.as_str().as_bytes()]);
        let hdr_set = der::tlv(der::SET, &[&hdr_oct]);
        let hdr = der::tlv(der::SEQUENCE, &[&der::oid(oid::ID_DATA), &hdr_set]);
        Zeroizing::new(der::tlv(
            der::SEQUENCE,
            &[&[der::INTEGER, 1, 1], id_kdh.as_der(), &key, &hdr],
        ))
    }

    /// Decodes a KeyBlock DER that spans all of `input`. With [`HeaderForm::Lenient`], the
    /// header may also be a SET of several OCTET STRINGs (concatenated) or a bare OCTET STRING.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(input: &[u8], header_form: HeaderForm) -> Result<Self, Error> {
        let lenient = header_form == HeaderForm::Lenient;
        let kb = der::parse_single(input, der::SEQUENCE, "KeyBlock")?;
        let mut r = kb.reader();
        let v = r.expect(der::INTEGER, "KeyBlock version")?;
        if v.value != [1] {
            return Err(Error::malformed("KeyBlock version", v.value_offset));
        }
        let id = r.read("KeyBlock idKDH")?;
        let id_kdh = IssuerAndSerialNumber::from_tlv(&id)?;
        let key = r.expect(der::OCTET_STRING, "KeyBlock clearKey")?;
        let clear_key = Zeroizing::new(key.value.to_vec());
        let at = r.offset();
        let h = r.read("KeyBlock keyBlockHeader")?;
        let header = match h.tag {
            der::SEQUENCE => {
                let mut hr = h.reader();
                let o = hr.expect(der::OID, "keyBlockHeader type")?;
                if o.value != oid::ID_DATA {
                    return Err(Error::malformed("keyBlockHeader type", o.value_offset));
                }
                let set = hr.expect(der::SET, "keyBlockHeader values")?;
                hr.finish("keyBlockHeader")?;
                let mut sr = set.reader();
                let mut header = sr
                    .expect(der::OCTET_STRING, "keyBlockHeader value")?
                    .value
                    .to_vec();
                while !sr.is_empty() {
                    if !lenient {
                        return Err(Error::malformed("keyBlockHeader values", sr.offset()));
                    }
                    header.extend_from_slice(
                        sr.expect(der::OCTET_STRING, "keyBlockHeader value")?.value,
                    );
                }
                header
            }
            der::OCTET_STRING if lenient => h.value.to_vec(),
            _ => return Err(Error::malformed("KeyBlock keyBlockHeader", at)),
        };
        r.finish("KeyBlock")?;
        Ok(Self {
            id_kdh,
            clear_key,
            header,
        })
    }

    /// The KDH identifier in the block.
    #[must_use]
    pub const fn id_kdh(&self) -> &IssuerAndSerialNumber {
        &self.id_kdh
    }

    /// The header bytes as carried.
    #[must_use]
    pub fn header_bytes(&self) -> &[u8] {
        &self.header
    }

    /// The clear key (secret).
    #[must_use]
    pub fn expose_clear_key(&self) -> &[u8] {
        &self.clear_key
    }
}

/// Appends PKCS #7 padding (RFC 5652 §6.3): always 1..=block bytes, a full block when aligned.
pub(crate) fn pad(data: &[u8], block: usize) -> Zeroizing<Vec<u8>> {
    let n = block - data.len() % block;
    let mut out = Zeroizing::new(Vec::with_capacity(data.len() + n));
    out.extend_from_slice(data);
    out.resize(data.len() + n, n as u8);
    out
}

/// Strips PKCS #7 padding (RFC 5652 §6.3) without branching on the pad bytes' values; returns
/// the unpadded length or [`Error::Rejected`].
pub(crate) fn unpad_len(data: &[u8], block: usize) -> Result<usize, Error> {
    use subtle::{ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess};
    let len = data.len();
    if len == 0 || !len.is_multiple_of(block) {
        return Err(Error::Rejected);
    }
    let last = data.get(len - 1).copied().unwrap_or(0);
    let n = u64::from(last);
    let mut ok = n.ct_gt(&0) & n.ct_lt(&(block as u64 + 1));
    for (i, &b) in data.iter().rev().take(block).enumerate() {
        let in_pad = (i as u64).ct_lt(&n);
        let matches = b.ct_eq(&last);
        ok &= !in_pad | matches;
    }
    if bool::from(ok) {
        Ok(len - usize::from(last))
    } else {
        Err(Error::Rejected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn ias() -> IssuerAndSerialNumber {
        let name = der::tlv(der::SEQUENCE, &[]);
        IssuerAndSerialNumber::from_der(&der::tlv(der::SEQUENCE, &[&name, &[der::INTEGER, 1, 5]]))
            .unwrap()
    }

    fn block_with_header(header_field: &[u8]) -> Vec<u8> {
        let key = der::tlv(der::OCTET_STRING, &[&[0x11; 16]]);
        der::tlv(
            der::SEQUENCE,
            &[&[der::INTEGER, 1, 1], ias().as_der(), &key, header_field],
        )
    }

    #[test]
    fn key_block_round_trip_and_lenient_header_forms() {
        let h = KeyHeader::parse("A0256K0TB00E0000").unwrap();
        let enc = EnvelopeContent::encode(&ias(), &[0x11; 16], &h);
        let kb = EnvelopeContent::from_der(&enc, HeaderForm::Standard).unwrap();
        assert_eq!(kb.header_bytes(), b"A0256K0TB00E0000");
        assert_eq!(kb.expose_clear_key(), [0x11; 16]);
        assert_eq!(kb.id_kdh(), &ias());
        // SET with two OCTET STRINGs: lenient only, concatenated.
        let parts = [
            der::tlv(der::OCTET_STRING, &[b"A0256K0T"]),
            der::tlv(der::OCTET_STRING, &[b"B00E0000"]),
        ];
        let set = der::tlv(der::SET, &[&parts[0], &parts[1]]);
        let field = der::tlv(der::SEQUENCE, &[&der::oid(oid::ID_DATA), &set]);
        let two = block_with_header(&field);
        assert!(EnvelopeContent::from_der(&two, HeaderForm::Standard).is_err());
        assert_eq!(
            EnvelopeContent::from_der(&two, HeaderForm::Lenient)
                .unwrap()
                .header_bytes(),
            b"A0256K0TB00E0000"
        );
        // Bare OCTET STRING: lenient only.
        let bare = block_with_header(&der::tlv(der::OCTET_STRING, &[b"A0256K0TB00E0000"]));
        assert!(EnvelopeContent::from_der(&bare, HeaderForm::Standard).is_err());
        assert_eq!(
            EnvelopeContent::from_der(&bare, HeaderForm::Lenient)
                .unwrap()
                .header_bytes(),
            b"A0256K0TB00E0000"
        );
        // Version 0, another header type, trailing bytes: never.
        let mut v0 = enc.to_vec();
        let pos = v0.windows(3).position(|w| w == [2, 1, 1]).unwrap();
        v0[pos + 2] = 0;
        assert!(EnvelopeContent::from_der(&v0, HeaderForm::Lenient).is_err());
        let other = der::tlv(
            der::SEQUENCE,
            &[&der::oid(oid::SHA256), &der::tlv(der::SET, &[&parts[0]])],
        );
        assert!(
            EnvelopeContent::from_der(&block_with_header(&other), HeaderForm::Lenient).is_err()
        );
        let mut trailing = enc.to_vec();
        trailing.push(0);
        assert!(EnvelopeContent::from_der(&trailing, HeaderForm::Lenient).is_err());
        assert!(!alloc::format!("{kb:?}").contains("11"));
    }

    #[test]
    fn pad_unpad() {
        for len in 0..40 {
            let data = alloc::vec![0xAAu8; len];
            for block in [8, 16] {
                let p = pad(&data, block);
                assert!(p.len() > len && p.len().is_multiple_of(block));
                assert_eq!(unpad_len(&p, block).unwrap(), len);
            }
        }
        assert!(unpad_len(&[1, 2, 3, 4, 5, 6, 7, 0], 8).is_err());
        assert!(unpad_len(&[1, 2, 3, 4, 5, 6, 7, 9], 8).is_err());
        assert!(unpad_len(&[1, 2, 3, 4, 5, 6, 2, 3], 8).is_err());
        assert!(unpad_len(&[], 8).is_err());
        assert!(unpad_len(&[1, 1, 1], 8).is_err());
        assert_eq!(unpad_len(&[8; 8], 8).unwrap(), 0);
    }
}
