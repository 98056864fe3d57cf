//! BER-TLV (EMV 4.4 Book 3 Annex B) and data object lists (Book 3 §5.4).
//!
//! The decoder borrows: [`iter`] walks one level of data objects and yields [`Tlv`] views into
//! the input, [`Tlv::children`] the next level; nothing is allocated. [`validate`] checks a
//! whole tree, [`find`] searches it. With the `alloc` feature [`decode_tree`] builds an owned
//! [`Node`] tree and [`encode`]/[`Node::encode`] write the shortest encoding.
//!
//! Limits against hostile input: [`MAX_INPUT`] bytes (64 KiB) and [`MAX_DEPTH`] levels of
//! nesting. Duplicated tags (ISO 8583 field 55 is a flat list and sometimes repeats one) are
//! all kept; [`find`] returns the **first** occurrence in pre-order.

use crate::Error;
use core::fmt;

/// The largest TLV input accepted, in bytes.
pub const MAX_INPUT: usize = 64 * 1024;
/// The deepest nesting of constructed objects accepted (the outermost level is 1).
pub const MAX_DEPTH: usize = 8;
/// The longest tag accepted, in bytes (EMV uses up to 3; Book 3 Annex B1).
pub const MAX_TAG_LEN: usize = 4;

/// A BER-TLV tag, kept as its bytes (`9F02`, `BF0C`, `DF8101`), 1 to 4 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    bytes: [u8; MAX_TAG_LEN],
    len: u8,
}

/// The class of a tag (bits 8–7 of its first byte, Book 3 Annex B1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `00`.
    Universal,
    /// `01`.
    Application,
    /// `10`.
    Context,
    /// `11`.
    Private,
}

impl Class {
    /// The lower-case name (`universal`, `application`, `context`, `private`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Universal => "universal",
            Self::Application => "application",
            Self::Context => "context",
            Self::Private => "private",
        }
    }
}

impl Tag {
    /// A one-byte tag (no validation: for constants).
    #[must_use]
    pub const fn one(b: u8) -> Self {
        Self {
            bytes: [b, 0, 0, 0],
            len: 1,
        }
    }

    /// A two-byte tag (no validation: for constants).
    #[must_use]
    pub const fn two(a: u8, b: u8) -> Self {
        Self {
            bytes: [a, b, 0, 0],
            len: 2,
        }
    }

    /// A tag from its complete encoding, checked against Book 3 Annex B1 (the subsequent-byte
    /// rule; no trailing bytes).
    ///
    /// # Errors
    /// [`Error::TruncatedTag`], [`Error::TagTooLong`], or [`Error::FieldLength`] when bytes
    /// follow the tag.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let (tag, next) = read_tag(bytes, 0, 0)?;
        if next != bytes.len() {
            return Err(Error::FieldLength {
                field: "tag",
                min: next,
                max: next,
                got: bytes.len(),
            });
        }
        Ok(tag)
    }

    /// The tag's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The class (bits 8–7 of the first byte).
    #[must_use]
    pub const fn class(&self) -> Class {
        match self.bytes[0] >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::Context,
            _ => Class::Private,
        }
    }

    /// Whether the object is constructed (bit 6 of the first byte).
    #[must_use]
    pub const fn is_constructed(&self) -> bool {
        self.bytes[0] & 0x20 != 0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

/// Reads a tag at `pos` (Book 3 Annex B1); `base` is added to reported offsets.
fn read_tag(data: &[u8], pos: usize, base: usize) -> Result<(Tag, usize), Error> {
    let offset = base + pos;
    let first = *data.get(pos).ok_or(Error::TruncatedTag { offset })?;
    let mut tag = Tag::one(first);
    let mut i = pos + 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *data.get(i).ok_or(Error::TruncatedTag { offset })?;
            let n = usize::from(tag.len);
            if n >= MAX_TAG_LEN {
                return Err(Error::TagTooLong { offset });
            }
            if let Some(slot) = tag.bytes.get_mut(n) {
                *slot = b;
            }
            tag.len += 1;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    Ok((tag, i))
}

/// Reads a length at `pos` (Book 3 Annex B2): `00`–`7F`, `81 xx`, `82 xxxx`, `83 xxxxxx`.
fn read_len(data: &[u8], pos: usize, base: usize) -> Result<(usize, usize), Error> {
    let offset = base + pos;
    let first = *data.get(pos).ok_or(Error::TruncatedLength { offset })?;
    match first {
        0x00..=0x7F => Ok((usize::from(first), pos + 1)),
        0x80 => Err(Error::IndefiniteLength { offset }),
        0x81..=0x83 => {
            let n = usize::from(first & 0x7F);
            let bytes = data
                .get(pos + 1..pos + 1 + n)
                .ok_or(Error::TruncatedLength { offset })?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            Ok((len, pos + 1 + n))
        }
        _ => Err(Error::LengthTooLong { offset }),
    }
}

/// One data object, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    tag: Tag,
    value: &'a [u8],
    offset: usize,
    value_offset: usize,
}

impl<'a> Tlv<'a> {
    /// The tag.
    #[must_use]
    pub const fn tag(&self) -> Tag {
        self.tag
    }

    /// The value bytes (for a constructed object, its encoded children).
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Offset of the tag's first byte in the outermost input.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Whether the object is constructed.
    #[must_use]
    pub const fn is_constructed(&self) -> bool {
        self.tag.is_constructed()
    }

    /// The children of a constructed object (an empty iterator for a primitive one).
    #[must_use]
    pub fn children(&self) -> Iter<'a> {
        let data = if self.is_constructed() {
            self.value
        } else {
            &[]
        };
        Iter {
            data,
            pos: 0,
            base: self.value_offset,
            nested: true,
            done: false,
        }
    }
}

/// Iterator over the data objects of one level (see [`iter`]). Stops after the first error.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    nested: bool,
    done: bool,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Result<Tlv<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // Book 3 Annex B: 00 and FF before, between and after objects are padding.
        while matches!(self.data.get(self.pos), Some(0x00 | 0xFF)) {
            self.pos += 1;
        }
        if self.pos >= self.data.len() {
            self.done = true;
            return None;
        }
        let r = self.read_one();
        if r.is_err() {
            self.done = true;
        }
        Some(r)
    }
}

impl<'a> Iter<'a> {
    fn read_one(&mut self) -> Result<Tlv<'a>, Error> {
        let start = self.pos;
        let offset = self.base + start;
        let (tag, p) =
            read_tag(self.data, start, self.base).map_err(|e| self.overrun(e, offset))?;
        let (len, p) = read_len(self.data, p, self.base).map_err(|e| self.overrun(e, offset))?;
        let value = p
            .checked_add(len)
            .and_then(|end| self.data.get(p..end))
            .ok_or_else(|| self.overrun(Error::TruncatedValue { offset }, offset))?;
        self.pos = p + len;
        Ok(Tlv {
            tag,
            value,
            offset,
            value_offset: self.base + p,
        })
    }

    /// Inside a template, running off the end is the child's overrun of its parent.
    fn overrun(&self, e: Error, offset: usize) -> Error {
        match e {
            Error::TruncatedTag { .. }
            | Error::TruncatedLength { .. }
            | Error::TruncatedValue { .. }
                if self.nested =>
            {
                Error::ChildOverrun { offset }
            }
            other => other,
        }
    }
}

/// The top-level data objects of `data`, borrowed. Does not look inside templates (use
/// [`Tlv::children`]) and does not apply the size limit (use [`validate`] first on untrusted
/// input).
#[must_use]
pub fn iter(data: &[u8]) -> Iter<'_> {
    Iter {
        data,
        pos: 0,
        base: 0,
        nested: false,
        done: false,
    }
}

/// Checks the whole tree (every level, Book 3 Annex B) against the encoding rules and the
/// limits; returns the number of data objects.
///
/// # Errors
/// [`Error::TooLong`] over [`MAX_INPUT`]; [`Error::TooDeep`] over [`MAX_DEPTH`]; every parse
/// error with its offset; [`Error::NoObject`] when there is no object at all.
pub fn validate(data: &[u8]) -> Result<usize, Error> {
    if data.len() > MAX_INPUT {
        return Err(Error::TooLong {
            what: "TLV data",
            max: MAX_INPUT,
            got: data.len(),
        });
    }
    let n = walk(iter(data), 1, &mut |_, _| false)?.0;
    if n == 0 {
        return Err(Error::NoObject);
    }
    Ok(n)
}

/// Pre-order walk with a visitor `(object, depth) -> stop?`; returns (objects seen, stopped).
fn walk<'a>(
    it: Iter<'a>,
    depth: usize,
    visit: &mut dyn FnMut(&Tlv<'a>, usize) -> bool,
) -> Result<(usize, bool), Error> {
    let mut count = 0;
    for obj in it {
        let obj = obj?;
        count += 1;
        if visit(&obj, depth) {
            return Ok((count, true));
        }
        if obj.is_constructed() {
            if depth >= MAX_DEPTH {
                return Err(Error::TooDeep { offset: obj.offset });
            }
            let (n, stop) = walk(obj.children(), depth + 1, visit)?;
            count += n;
            if stop {
                return Ok((count, true));
            }
        }
    }
    Ok((count, false))
}

/// The value of the first data object with `tag`, searched in pre-order through all
/// templates. Empty `data` finds nothing.
///
/// # Errors
/// As [`validate`] (except that empty data is `Ok(None)`): the whole input is checked first,
/// so a match is never returned from malformed data.
pub fn find(data: &[u8], tag: Tag) -> Result<Option<&[u8]>, Error> {
    if data.iter().all(|b| matches!(b, 0x00 | 0xFF)) {
        return Ok(None);
    }
    validate(data)?;
    find_in_validated(data, tag)
}

/// [`find`] on data that already passed [`validate`] (the walk still reports any error).
pub(crate) fn find_in_validated(data: &[u8], tag: Tag) -> Result<Option<&[u8]>, Error> {
    let mut found = None;
    walk(iter(data), 1, &mut |obj, _| {
        if obj.tag == tag {
            found = Some(obj.value);
            true
        } else {
            false
        }
    })?;
    Ok(found)
}

/// Visits every data object in pre-order with its depth (1 = top level), after [`validate`].
///
/// # Errors
/// As [`validate`].
pub fn for_each<'a>(data: &'a [u8], mut visit: impl FnMut(&Tlv<'a>, usize)) -> Result<(), Error> {
    validate(data)?;
    walk(iter(data), 1, &mut |obj, d| {
        visit(obj, d);
        false
    })?;
    Ok(())
}

/// The encoded length of a length field for `len` bytes (shortest form, Book 3 Annex B2).
#[must_use]
pub const fn length_field_len(len: usize) -> usize {
    match len {
        0..=0x7F => 1,
        0x80..=0xFF => 2,
        0x100..=0xFFFF => 3,
        _ => 4,
    }
}

/// Writes `tag ‖ length ‖ value` (shortest length form) into `out`; returns the bytes written.
///
/// # Errors
/// [`Error::TooLong`] for a value over `FFFFFF` bytes; [`Error::BufferTooSmall`].
pub fn encode_into(tag: Tag, value: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let len = value.len();
    if len > 0xFF_FFFF {
        return Err(Error::TooLong {
            what: "TLV value",
            max: 0xFF_FFFF,
            got: len,
        });
    }
    let t = tag.as_bytes();
    let lf = length_field_len(len);
    let need = t.len() + lf + len;
    let dst = out.get_mut(..need).ok_or(Error::BufferTooSmall { need })?;
    let (td, rest) = dst.split_at_mut(t.len());
    td.copy_from_slice(t);
    let (ld, vd) = rest.split_at_mut(lf);
    let be = (len as u32).to_be_bytes();
    match ld {
        [a] => *a = be[3],
        [a, b] => {
            *a = 0x81;
            *b = be[3];
        }
        [a, b, c] => {
            *a = 0x82;
            *b = be[2];
            *c = be[3];
        }
        [a, b, c, d] => {
            *a = 0x83;
            *b = be[1];
            *c = be[2];
            *d = be[3];
        }
        _ => {}
    }
    vd.copy_from_slice(value);
    Ok(need)
}

#[cfg(feature = "alloc")]
pub use tree::{Content, Node, decode_tree, encode};

#[cfg(feature = "alloc")]
mod tree {
    use super::{Error, Iter, MAX_DEPTH, Tag, encode_into, iter, length_field_len, validate};
    use alloc::vec::Vec;

    /// The content of an owned data object.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Content {
        /// A primitive object's value.
        Primitive(Vec<u8>),
        /// A constructed object's children.
        Constructed(Vec<Node>),
    }

    /// An owned data object (alloc).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Node {
        /// The tag.
        pub tag: Tag,
        /// Value or children. A constructed tag may also carry `Primitive` bytes (an already
        /// encoded value); the encoder writes them as they are.
        pub content: Content,
    }

    impl Node {
        /// A primitive object.
        #[must_use]
        pub const fn primitive(tag: Tag, value: Vec<u8>) -> Self {
            Self {
                tag,
                content: Content::Primitive(value),
            }
        }

        /// The encoded value length.
        fn value_len(&self) -> usize {
            match &self.content {
                Content::Primitive(v) => v.len(),
                Content::Constructed(children) => children.iter().map(Node::encoded_len).sum(),
            }
        }

        /// The length of the whole encoding.
        #[must_use]
        pub fn encoded_len(&self) -> usize {
            let v = self.value_len();
            self.tag.as_bytes().len() + length_field_len(v) + v
        }

        /// Appends the encoding (shortest length forms, Book 3 Annex B2) to `out`.
        ///
        /// # Errors
        /// [`Error::TooLong`] for a value over `FFFFFF` bytes.
        pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), Error> {
            match &self.content {
                Content::Primitive(v) => {
                    let start = out.len();
                    out.resize(start + self.encoded_len(), 0);
                    let dst = out.get_mut(start..).unwrap_or(&mut []);
                    encode_into(self.tag, v, dst)?;
                }
                Content::Constructed(children) => {
                    let mut inner = Vec::new();
                    for c in children {
                        c.encode(&mut inner)?;
                    }
                    let start = out.len();
                    out.resize(
                        start
                            + self.tag.as_bytes().len()
                            + length_field_len(inner.len())
                            + inner.len(),
                        0,
                    );
                    let dst = out.get_mut(start..).unwrap_or(&mut []);
                    encode_into(self.tag, &inner, dst)?;
                }
            }
            Ok(())
        }
    }

    /// Decodes and validates `data` into an owned tree (padding `00`/`FF` dropped).
    ///
    /// # Errors
    /// As [`validate`].
    pub fn decode_tree(data: &[u8]) -> Result<Vec<Node>, Error> {
        validate(data)?;
        build(iter(data), 1)
    }

    fn build(it: Iter<'_>, depth: usize) -> Result<Vec<Node>, Error> {
        let mut out = Vec::new();
        for obj in it {
            let obj = obj?;
            let content = if obj.is_constructed() {
                if depth >= MAX_DEPTH {
                    return Err(Error::TooDeep {
                        offset: obj.offset(),
                    });
                }
                Content::Constructed(build(obj.children(), depth + 1)?)
            } else {
                Content::Primitive(obj.value().to_vec())
            };
            out.push(Node {
                tag: obj.tag(),
                content,
            });
        }
        Ok(out)
    }

    /// Encodes a list of objects.
    ///
    /// # Errors
    /// As [`Node::encode`].
    pub fn encode(nodes: &[Node]) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        for n in nodes {
            n.encode(&mut out)?;
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Data object lists (EMV 4.4 Book 3 §5.4)

/// The largest DOL accepted, in bytes.
pub const MAX_DOL: usize = 1024;

/// One DOL entry: a tag and the length the card asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DolEntry {
    /// The tag.
    pub tag: Tag,
    /// The length in bytes.
    pub len: u8,
}

/// The data format of a data element (EMV 4.4 Book 3 §4.3), as far as DOL filling needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Numeric, BCD right-aligned: truncate on the left, pad with leading `00`.
    N,
    /// Compressed numeric, left-aligned: pad with trailing `FF`, truncate on the right.
    Cn,
    /// Everything else (b, an, ans): truncate on the right, pad with trailing `00`.
    Other,
}

/// The format of the terminal data elements a DOL commonly names (EMV 4.4 Book 3 Annex A):
/// `n` for 9F02 9F03 9F1A 5F2A 9A 9C 9F21 9F41 5F34 5F36 9F15 9F35 5F25 5F24, `cn` for 5A,
/// otherwise "other" (b).
#[must_use]
pub fn format_of(tag: Tag) -> Format {
    match tag.as_bytes() {
        [0x9F, 0x02 | 0x03 | 0x1A | 0x21 | 0x41 | 0x15 | 0x35]
        | [0x5F, 0x2A | 0x34 | 0x36 | 0x25 | 0x24]
        | [0x9A | 0x9C] => Format::N,
        [0x5A] => Format::Cn,
        _ => Format::Other,
    }
}

/// Iterator over the entries of a DOL (see [`dol`]).
#[derive(Clone, Debug)]
pub struct DolIter<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
}

impl Iterator for DolIter<'_> {
    type Item = Result<DolEntry, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let offset = self.pos;
        let r = read_tag(self.data, self.pos, 0)
            .map_err(|e| match e {
                Error::TruncatedTag { .. } => Error::TruncatedDol { offset },
                other => other,
            })
            .and_then(|(tag, p)| {
                let len = *self.data.get(p).ok_or(Error::TruncatedDol { offset })?;
                self.pos = p + 1;
                Ok(DolEntry { tag, len })
            });
        if r.is_err() {
            self.done = true;
        }
        Some(r)
    }
}

/// The entries of a DOL: `tag ‖ one length byte`, repeated (Book 3 §5.4). Check the size
/// with [`dol_validate`] first on untrusted input.
#[must_use]
pub fn dol(data: &[u8]) -> DolIter<'_> {
    DolIter {
        data,
        pos: 0,
        done: false,
    }
}

/// Checks a whole DOL; returns the total length of the data it asks for.
///
/// # Errors
/// [`Error::TooLong`] over [`MAX_DOL`]; [`Error::TruncatedDol`]; [`Error::TagTooLong`].
pub fn dol_validate(data: &[u8]) -> Result<usize, Error> {
    if data.len() > MAX_DOL {
        return Err(Error::TooLong {
            what: "DOL",
            max: MAX_DOL,
            got: data.len(),
        });
    }
    dol(data).try_fold(0usize, |acc, e| Ok(acc + usize::from(e?.len)))
}

/// Builds the DOL-related data (EMV 4.4 Book 3 §5.4) into `out` from the data objects in `tlv`
/// (first occurrence of each tag, searched through templates); returns the length written.
///
/// For each entry in order: absent → that many `00`; a constructed tag → zeros; value longer
/// than the entry → `n` keeps the rightmost bytes, others the leftmost; shorter → `n` pads
/// leading `00`, `cn` trailing `FF`, others trailing `00`. Formats come from [`format_of`].
///
/// # Errors
/// As [`dol_validate`] and [`find`]; [`Error::BufferTooSmall`].
pub fn dol_build_into(dol_bytes: &[u8], tlv: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let need = dol_validate(dol_bytes)?;
    let dst = out.get_mut(..need).ok_or(Error::BufferTooSmall { need })?;
    let mut pos = 0;
    for entry in dol(dol_bytes) {
        let entry = entry?;
        let n = usize::from(entry.len);
        let field = dst.get_mut(pos..pos + n).unwrap_or(&mut []);
        pos += n;
        field.fill(0);
        if entry.tag.is_constructed() {
            continue;
        }
        let Some(value) = find(tlv, entry.tag)? else {
            continue;
        };
        fill_field(field, value, format_of(entry.tag));
    }
    Ok(need)
}

/// One DOL field from a value (Book 3 §5.4 rules).
fn fill_field(field: &mut [u8], value: &[u8], format: Format) {
    let n = field.len();
    let v = value.len();
    match format {
        Format::N => {
            if v >= n {
                field.copy_from_slice(value.get(v - n..).unwrap_or(&[]));
            } else if let Some(dst) = field.get_mut(n - v..) {
                dst.copy_from_slice(value);
            }
        }
        Format::Cn | Format::Other => {
            let take = v.min(n);
            if let (Some(dst), Some(src)) = (field.get_mut(..take), value.get(..take)) {
                dst.copy_from_slice(src);
            }
            if let (Format::Cn, Some(rest)) = (format, field.get_mut(take..)) {
                rest.fill(0xFF);
            }
        }
    }
}

/// [`dol_build_into`] into a new vector (alloc).
///
/// # Errors
/// As [`dol_build_into`].
#[cfg(feature = "alloc")]
pub fn dol_build(dol_bytes: &[u8], tlv: &[u8]) -> Result<alloc::vec::Vec<u8>, Error> {
    let need = dol_validate(dol_bytes)?;
    let mut out = alloc::vec![0u8; need];
    dol_build_into(dol_bytes, tlv, &mut out)?;
    Ok(out)
}
