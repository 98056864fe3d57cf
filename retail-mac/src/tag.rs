//! MAC values, truncation and constant-time verification.
//!
//! ISO/IEC 9797-1:2011 §7 ends every MAC algorithm with "truncation": the MAC is the leftmost
//! `m` bits of the final block `G`. This crate works in whole bytes and allows
//! [`Tag::MIN_LEN`] (4) bytes up to the algorithm's full output (X9.19 and PBOC keep 4 bytes,
//! EMV cryptograms 8, AWS Payment Cryptography `MacLength` 4–32).

use crate::Error;
use core::fmt;
use subtle::{Choice, ConstantTimeEq};

/// Largest tag this crate produces (HMAC-SHA-512).
const CAPACITY: usize = 64;

/// A MAC value: the full output of an algorithm or its leftmost bytes after truncation.
///
/// A MAC is not secret, so `Debug` prints it in hex. Compare tags with [`verify`] or
/// [`ConstantTimeEq`], never with a short-circuiting comparison; `Tag` has no `PartialEq` on
/// purpose.
#[derive(Clone, Copy)]
pub struct Tag {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl Tag {
    /// The shortest tag truncation may produce or verification accepts, in bytes
    /// (ISO/IEC 9797-1:2011 Annex C discusses the forgery bound; 32 bits is the payment
    /// industry minimum: X9.19, PBOC, AWS `MacLength`).
    pub const MIN_LEN: usize = 4;

    /// The largest tag, in bytes (HMAC-SHA-512).
    pub const MAX_LEN: usize = CAPACITY;

    /// A full-length tag from an algorithm's output block (internal: lengths are known).
    pub(crate) fn from_output(out: &[u8]) -> Self {
        let mut bytes = [0u8; CAPACITY];
        let len = out.len().min(CAPACITY);
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), out.get(..len)) {
            dst.copy_from_slice(src);
        }
        Self { bytes, len }
    }

    /// A tag received from outside (e.g. to pass to [`verify`] as a `&Tag`).
    ///
    /// # Errors
    /// [`Error::MacLength`] unless `bytes` is [`Tag::MIN_LEN`] to [`Tag::MAX_LEN`] bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if (Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            Ok(Self::from_output(bytes))
        } else {
            Err(Error::MacLength {
                min: Self::MIN_LEN,
                max: Self::MAX_LEN,
                got: bytes.len(),
            })
        }
    }

    /// The MAC bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }

    /// Length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a tag has at least one byte.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Keeps the leftmost `n` bytes (ISO/IEC 9797-1:2011 §7.2 step 6 "truncation": the MAC is
    /// the leftmost `m` bits of `G`).
    ///
    /// # Errors
    /// [`Error::MacLength`] unless `4 <= n <= self.len()`.
    pub fn truncate(self, n: usize) -> Result<Self, Error> {
        if n < Self::MIN_LEN || n > self.len {
            return Err(Error::MacLength {
                min: Self::MIN_LEN,
                max: self.len,
                got: n,
            });
        }
        let mut bytes = [0u8; CAPACITY];
        if let (Some(dst), Some(src)) = (bytes.get_mut(..n), self.bytes.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok(Self { bytes, len: n })
    }

    /// Truncates when `len` is `Some`, otherwise returns the tag unchanged.
    ///
    /// # Errors
    /// As [`Tag::truncate`].
    pub fn truncate_opt(self, len: Option<usize>) -> Result<Self, Error> {
        match len {
            Some(n) => self.truncate(n),
            None => Ok(self),
        }
    }
}

impl AsRef<[u8]> for Tag {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl ConstantTimeEq for Tag {
    /// Constant time in the contents; tags of different lengths are unequal.
    fn ct_eq(&self, other: &Self) -> Choice {
        self.as_bytes().ct_eq(other.as_bytes())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({})", paycrypt_primitives::hex::Hex(self.as_bytes()))
    }
}

impl fmt::Display for Tag {
    /// Upper-case hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&paycrypt_primitives::hex::Hex(self.as_bytes()), f)
    }
}

/// Checks a received MAC against a computed one, in constant time.
///
/// `expected` is the MAC that came with the message (possibly truncated); it is compared with
/// the leftmost `expected.len()` bytes of `computed` (ISO/IEC 9797-1:2011 §7.2: the MAC is the
/// leftmost bits of the output). The comparison runs in time independent of the contents
/// (`subtle`).
///
/// # Errors
/// - [`Error::MacLength`] when `expected` is shorter than [`Tag::MIN_LEN`] or longer than
///   `computed` (a length is public and checked before any comparison; AWS rejects MACs shorter
///   than 4 bytes the same way);
/// - [`Error::Verification`] when the bytes differ — and nothing else.
pub fn verify(expected: &[u8], computed: &Tag) -> Result<(), Error> {
    if expected.len() < Tag::MIN_LEN || expected.len() > computed.len() {
        return Err(Error::MacLength {
            min: Tag::MIN_LEN,
            max: computed.len(),
            got: expected.len(),
        });
    }
    let left = computed.as_bytes().get(..expected.len()).unwrap_or(&[]);
    if bool::from(left.ct_eq(expected)) {
        Ok(())
    } else {
        Err(Error::Verification)
    }
}
