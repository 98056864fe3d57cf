//! The crate's DER layer over the `der` crate (ITU-T X.690 §8, §10): a TLV reader that hands
//! out each element's exact bytes (strict DER lengths, no indefinite form, enforced by
//! `der::SliceReader`) and a TLV writer. Used for the signed key package ([`crate::signed`])
//! and for copying certificate identifiers byte for byte ([`crate::pki`]).

use crate::Error;
use alloc::vec::Vec;
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader as _, Tag, TagNumber, Tagged};

/// The context-specific tag `[number]` (X.690 §8.1.2.2), constructed or primitive.
pub(crate) const fn ctx(number: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(number as u32),
    }
}

/// Encodes one TLV with `tag` and `value` (X.690 §8.1, DER definite length §10.1).
pub(crate) fn tlv(tag: Tag, value: &[u8]) -> Result<Vec<u8>, Error> {
    AnyRef::new(tag, value)
        .and_then(|a| a.to_der())
        .map_err(|_| Error::encoding("DER element too long"))
}

/// Encodes a SEQUENCE of the concatenated `parts`.
pub(crate) fn seq(parts: &[&[u8]]) -> Result<Vec<u8>, Error> {
    tlv(Tag::Sequence, &parts.concat())
}

/// Encodes a DER SET OF: the elements sorted by their encodings (X.690 §11.6).
pub(crate) fn set_of(mut elements: Vec<Vec<u8>>) -> Result<Vec<u8>, Error> {
    elements.sort();
    tlv(Tag::Set, &elements.concat())
}

/// Encodes an OBJECT IDENTIFIER from its dotted form (a constant of this crate).
pub(crate) fn oid(dotted: &str) -> Result<Vec<u8>, Error> {
    der::asn1::ObjectIdentifier::new(dotted)
        .map_err(|_| Error::encoding("object identifier"))?
        .to_der()
        .map_err(|_| Error::encoding("object identifier"))
}

/// A strict DER reader over the elements of one constructed value; every failure is
/// [`Error::Encoding`] naming `what` (the structure being read, not the field: the error
/// says where the input is bad without acting as a parser oracle for signed content).
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `input` (the concatenated elements).
    pub(crate) const fn new(input: &'a [u8], what: &'static str) -> Result<Self, Error> {
        Ok(Self { rest: input, what })
    }

    const fn bad(&self) -> Error {
        Error::encoding(self.what)
    }

    /// The next element: its tag, its value and its whole encoding.
    pub(crate) fn any(&mut self) -> Result<(Tag, &'a [u8], &'a [u8]), Error> {
        let mut r = der::SliceReader::new(self.rest).map_err(|_| self.bad())?;
        let any = AnyRef::decode(&mut r).map_err(|_| self.bad())?;
        let used = usize::try_from(r.position()).map_err(|_| self.bad())?;
        let (raw, rest) = self.rest.split_at_checked(used).ok_or(self.bad())?;
        self.rest = rest;
        Ok((any.tag(), any.value(), raw))
    }

    /// The next element's value; fails unless its tag is `tag`.
    pub(crate) fn expect(&mut self, tag: Tag) -> Result<&'a [u8], Error> {
        match self.any()? {
            (t, value, _) if t == tag => Ok(value),
            _ => Err(self.bad()),
        }
    }

    /// The next element's whole encoding; fails unless its tag is `tag`.
    pub(crate) fn expect_raw(&mut self, tag: Tag) -> Result<&'a [u8], Error> {
        match self.any()? {
            (t, _, raw) if t == tag => Ok(raw),
            _ => Err(self.bad()),
        }
    }

    /// A reader over the next element, which must be a SEQUENCE.
    pub(crate) fn sequence(&mut self) -> Result<Self, Error> {
        let what = self.what;
        Self::new(self.expect(Tag::Sequence)?, what)
    }

    /// A reader over the next element's contents, whose tag must be `tag`.
    pub(crate) fn nested(&mut self, tag: Tag) -> Result<Self, Error> {
        let what = self.what;
        Self::new(self.expect(tag)?, what)
    }

    /// `true` when the next element has `tag`.
    pub(crate) fn peek_is(&self, tag: Tag) -> bool {
        der::SliceReader::new(self.rest)
            .ok()
            .and_then(|r| Tag::peek(&r).ok())
            == Some(tag)
    }

    /// `true` when every element has been read.
    pub(crate) const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Fails unless every element has been read.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.bad())
        }
    }
}

/// Decodes a DER INTEGER value that must be a small non-negative number (a version field).
pub(crate) fn small_uint(value: &[u8], what: &'static str) -> Result<u32, Error> {
    let enc = tlv(Tag::Integer, value)?;
    u32::from_der(&enc).map_err(|_| Error::encoding(what))
}
