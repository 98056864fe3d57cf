//! The small DER layer TR-34 needs (X.690 §8.1, §10): a tolerant TLV reader that keeps the exact
//! received bytes of every element, and a TLV writer.
//!
//! The `cms`/`der` typed structures cannot represent the layouts real TR-34 systems emit
//! (headerless eContent, encryptedContent inside the AlgorithmIdentifier, signed
//! attributes in wire order), and re-encoding signed attributes breaks their signatures. This
//! module therefore works on raw TLVs: definite lengths only, single-byte tags only, minimal
//! length encodings (DER, X.690 §10.1).

use crate::Error;
use alloc::vec::Vec;

/// `INTEGER`.
pub(crate) const INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub(crate) const BIT_STRING: u8 = 0x03;
/// `OCTET STRING`.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// `NULL`.
pub(crate) const NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`.
pub(crate) const OID: u8 = 0x06;
/// `UTCTime`.
pub(crate) const UTC_TIME: u8 = 0x17;
/// `GeneralizedTime`.
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
/// `SEQUENCE`.
pub(crate) const SEQUENCE: u8 = 0x30;
/// `SET`.
pub(crate) const SET: u8 = 0x31;
/// `[0]` constructed.
pub(crate) const CTX0: u8 = 0xA0;
/// `[1]` constructed.
pub(crate) const CTX1: u8 = 0xA1;
/// `[2]` constructed.
pub(crate) const CTX2: u8 = 0xA2;
/// `[0]` primitive (`encryptedContent [0] IMPLICIT OCTET STRING`).
pub(crate) const CTX0_PRIM: u8 = 0x80;

/// One parsed TLV, borrowing the input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Identifier, length and contents octets exactly as received.
    pub raw: &'a [u8],
    /// Absolute offset of the contents octets in the outermost input.
    pub value_offset: usize,
}

impl<'a> Tlv<'a> {
    /// A reader over this element's contents.
    pub(crate) const fn reader(&self) -> Reader<'a> {
        Reader {
            data: self.value,
            pos: 0,
            base: self.value_offset,
        }
    }
}

/// Sequential reader of TLVs.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, whose first byte sits at absolute `base` in the outer input.
    pub(crate) const fn new(data: &'a [u8], base: usize) -> Self {
        Self { data, pos: 0, base }
    }

    /// Absolute offset of the next element.
    pub(crate) const fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// No bytes left.
    pub(crate) const fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The next identifier octet, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    /// Reads the next TLV (X.690 §8.1.2–§8.1.5, DER length rules §10.1).
    pub(crate) fn read(&mut self, what: &'static str) -> Result<Tlv<'a>, Error> {
        let start = self.pos;
        let err = Error::malformed(what, self.base + start);
        let rest = self.data.get(start..).ok_or(err)?;
        let (&tag, rest) = rest.split_first().ok_or(err)?;
        if tag & 0x1F == 0x1F {
            return Err(err); // multi-byte tags are never used by TR-34
        }
        let (&first, mut rest) = rest.split_first().ok_or(err)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 4 {
                return Err(err); // indefinite (BER) or absurd length
            }
            let (bytes, tail) = rest.split_at_checked(n).ok_or(err)?;
            rest = tail;
            if bytes.first() == Some(&0) {
                return Err(err); // non-minimal
            }
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(err); // long form for a short length
            }
            len
        };
        let header_len = self.data.len() - start - rest.len();
        let value = rest.get(..len).ok_or(err)?;
        let end = start + header_len + len;
        let raw = self.data.get(start..end).ok_or(err)?;
        self.pos = end;
        Ok(Tlv {
            tag,
            value,
            raw,
            value_offset: self.base + start + header_len,
        })
    }

    /// Reads the next TLV and checks its tag.
    pub(crate) fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, Error> {
        let at = self.offset();
        let tlv = self.read(what)?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(Error::malformed(what, at))
        }
    }

    /// Reads the next TLV if it carries `tag`.
    pub(crate) fn optional(
        &mut self,
        tag: u8,
        what: &'static str,
    ) -> Result<Option<Tlv<'a>>, Error> {
        if self.peek_tag() == Some(tag) {
            self.read(what).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails unless every byte has been read.
    pub(crate) fn finish(&self, what: &'static str) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::malformed(what, self.offset()))
        }
    }
}

/// Parses exactly one TLV spanning all of `data`.
pub(crate) fn parse_single<'a>(
    data: &'a [u8],
    tag: u8,
    what: &'static str,
) -> Result<Tlv<'a>, Error> {
    let mut r = Reader::new(data, 0);
    let tlv = r.expect(tag, what)?;
    r.finish(what)?;
    Ok(tlv)
}

/// Appends a DER length (X.690 §10.1: definite, minimal).
pub(crate) fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
}

/// Encodes `tag ‖ length ‖ parts...`.
pub(crate) fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    push_len(&mut out, len);
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// Encodes an `OBJECT IDENTIFIER` from its DER contents octets.
pub(crate) fn oid(contents: &[u8]) -> Vec<u8> {
    tlv(OID, &[contents])
}

/// Encodes an `AlgorithmIdentifier` with an OID and optional parameters TLV.
pub(crate) fn algorithm(oid_contents: &[u8], params: Option<&[u8]>) -> Vec<u8> {
    let o = oid(oid_contents);
    match params {
        Some(p) => tlv(SEQUENCE, &[&o, p]),
        None => tlv(SEQUENCE, &[&o]),
    }
}

/// A parsed `AlgorithmIdentifier`: the OID contents and the raw parameters TLV(s) that follow.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AlgId<'a> {
    /// OID contents octets.
    pub oid: &'a [u8],
    /// Everything after the OID inside the SEQUENCE (empty when absent).
    pub params: &'a [u8],
    /// Absolute offset of the parameters.
    pub params_offset: usize,
}

impl<'a> AlgId<'a> {
    /// Parses `SEQUENCE { OID, ANY OPTIONAL }` from an already read TLV.
    pub(crate) fn from_tlv(t: &Tlv<'a>, what: &'static str) -> Result<Self, Error> {
        if t.tag != SEQUENCE {
            return Err(Error::malformed(what, t.value_offset));
        }
        let mut r = t.reader();
        let oid = r.expect(OID, what)?.value;
        let params_offset = r.offset();
        let params = r.rest();
        // The parameters, when present, must be exactly one well-formed TLV.
        if !r.is_empty() {
            r.read(what)?;
            r.finish(what)?;
        }
        Ok(Self {
            oid,
            params,
            params_offset,
        })
    }

    /// `true` when the parameters are absent or a single `NULL` (RFC 5754 §2: both occur).
    pub(crate) fn params_absent_or_null(&self) -> bool {
        self.params.is_empty() || self.params == [NULL, 0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 255, 256, 65535, 65536] {
            let content = alloc::vec![0u8; len];
            let enc = tlv(OCTET_STRING, &[&content]);
            let t = parse_single(&enc, OCTET_STRING, "x").unwrap();
            assert_eq!(t.value.len(), len);
            assert_eq!(t.raw, &enc[..]);
        }
    }

    #[test]
    fn rejects_ber() {
        assert!(parse_single(&[0x04, 0x80, 0, 0], OCTET_STRING, "x").is_err());
        assert!(parse_single(&[0x04, 0x81, 0x01, 0], OCTET_STRING, "x").is_err());
        assert!(parse_single(&[0x04, 0x82, 0x00, 0x01, 0], OCTET_STRING, "x").is_err());
        assert!(parse_single(&[0x1F, 0x01, 0x00], 0x1F, "x").is_err());
        assert!(parse_single(&[0x04, 0x02, 0], OCTET_STRING, "x").is_err());
        assert!(parse_single(&[0x04, 0x00, 0], OCTET_STRING, "x").is_err());
    }
}
