//! Data padding for block-cipher encryption (not for MACs: `paycrypt-mac` pads its own input).
//!
//! | padding | definition | removable |
//! |---|---|---|
//! | [`DataPadding::Iso9797Method1`] | ISO/IEC 9797-1:2011 §6.1.1: zero bytes up to the block (none when aligned and non-empty; the empty data becomes one zero block) | no: zeros cannot be told from data |
//! | [`DataPadding::Iso9797Method2`] | ISO/IEC 9797-1:2011 §6.1.2: `80` then zeros up to the block (always at least one byte) | yes |
//! | [`DataPadding::Pkcs7`] | RFC 5652 §6.3: `n` bytes of value `n`, 1 ≤ n ≤ block size | yes |

use crate::Error;
use subtle::{ConstantTimeEq, ConstantTimeGreater};

/// How data is padded to a whole number of cipher blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataPadding {
    /// ISO/IEC 9797-1:2011 §6.1.1 padding method 1 (zeros; not removable).
    Iso9797Method1,
    /// ISO/IEC 9797-1:2011 §6.1.2 padding method 2 (`80 00 … 00`).
    Iso9797Method2,
    /// PKCS #7 (RFC 5652 §6.3).
    Pkcs7,
}

/// Longest padding [`padding_for`] returns (one AES block).
pub const MAX_PADDING: usize = 16;

/// The bytes to append to `data_len` bytes of data for `block` (8 or 16) byte blocks, in a
/// fixed buffer, and how many of them to use.
///
/// # Errors
/// [`Error::BlockLength`] for a block size other than 8 or 16.
pub fn padding_for(
    padding: DataPadding,
    data_len: usize,
    block: usize,
) -> Result<([u8; MAX_PADDING], usize), Error> {
    if block != 8 && block != 16 {
        return Err(Error::BlockLength {
            block_size: block,
            got: data_len,
        });
    }
    let rem = data_len % block; // block is 8 or 16 here
    let mut out = [0u8; MAX_PADDING];
    let n = match padding {
        // §6.1.1: "as few (possibly none) '0' bits as necessary"; the empty string is padded
        // to one block.
        DataPadding::Iso9797Method1 if rem == 0 && data_len > 0 => 0,
        DataPadding::Iso9797Method1 => block - rem,
        // §6.1.2: a single '1' bit, then method 1 (at least one byte is always added).
        DataPadding::Iso9797Method2 => {
            if let Some(first) = out.first_mut() {
                *first = 0x80;
            }
            block - rem
        }
        // RFC 5652 §6.3: k - (l mod k) octets all having value k - (l mod k).
        DataPadding::Pkcs7 => {
            let n = block - rem;
            for b in out.iter_mut().take(n) {
                *b = u8::try_from(n).unwrap_or(0);
            }
            n
        }
    };
    Ok((out, n))
}

/// Pads the first `data_len` bytes of `buf` in place (the padding of [`padding_for`] written
/// after them) and returns the padded length.
///
/// # Errors
/// [`Error::BlockLength`] for a block size other than 8 or 16, or when `buf` is too short for
/// the padded data.
pub fn pad_in_place(
    padding: DataPadding,
    buf: &mut [u8],
    data_len: usize,
    block: usize,
) -> Result<usize, Error> {
    let (pad, n) = padding_for(padding, data_len, block)?;
    let got = buf.len();
    let dst = buf
        .get_mut(data_len..data_len + n)
        .ok_or(Error::BlockLength {
            block_size: block,
            got,
        })?;
    dst.copy_from_slice(pad.get(..n).unwrap_or_default());
    Ok(data_len + n)
}

/// The length of the data in `padded` (a whole number of `block`-byte blocks) once the padding
/// is removed. Method 1 removes nothing (its zeros cannot be told from data). The check runs in
/// constant time over the last block.
///
/// # Errors
/// [`Error::BlockLength`] when `padded` is empty or not whole blocks; [`Error::Padding`] when the
/// padding is not well formed.
pub fn unpadded_len(padding: DataPadding, padded: &[u8], block: usize) -> Result<usize, Error> {
    if (block != 8 && block != 16) || padded.is_empty() || !padded.len().is_multiple_of(block) {
        return Err(Error::BlockLength {
            block_size: block,
            got: padded.len(),
        });
    }
    let start = padded.len() - block;
    let last = padded.get(start..).ok_or(Error::Padding)?;
    match padding {
        DataPadding::Iso9797Method1 => Ok(padded.len()),
        DataPadding::Iso9797Method2 => {
            // Scan from the end: zeros, then exactly one 0x80.
            let mut found = subtle::Choice::from(0);
            let mut bad = subtle::Choice::from(0);
            let mut pad = 0u8;
            for (i, b) in last.iter().enumerate().rev() {
                let is_zero = b.ct_eq(&0);
                let is_mark = b.ct_eq(&0x80);
                let before = !found;
                // Before the mark: anything but 0 or 0x80 is bad.
                bad |= before & !is_zero & !is_mark;
                let here = before & is_mark;
                let pos = u8::try_from(block - i).unwrap_or(0);
                pad = u8::conditional_select_ct(pad, pos, here);
                found |= here;
            }
            if bool::from(found & !bad) {
                Ok(padded.len() - usize::from(pad))
            } else {
                Err(Error::Padding)
            }
        }
        DataPadding::Pkcs7 => {
            let n = last.last().copied().unwrap_or(0);
            let block_u8 = u8::try_from(block).unwrap_or(16);
            let mut ok = !n.ct_eq(&0) & !n.ct_gt(&block_u8);
            for (i, b) in last.iter().enumerate() {
                let from_end = u8::try_from(block - i).unwrap_or(0);
                let in_pad = !from_end.ct_gt(&n);
                ok &= !in_pad | b.ct_eq(&n);
            }
            if bool::from(ok) {
                Ok(padded.len() - usize::from(n))
            } else {
                Err(Error::Padding)
            }
        }
    }
}

/// Constant-time select for `u8` without pulling `ConditionallySelectable` into the API.
trait SelectCt {
    fn conditional_select_ct(a: Self, b: Self, choice: subtle::Choice) -> Self;
}

impl SelectCt for u8 {
    fn conditional_select_ct(a: Self, b: Self, choice: subtle::Choice) -> Self {
        use subtle::ConditionallySelectable;
        Self::conditional_select(&a, &b, choice)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn pad_in_place_method2() {
        let mut buf = [0xAAu8; 16];
        buf[..3].copy_from_slice(b"abc");
        let n = pad_in_place(DataPadding::Iso9797Method2, &mut buf, 3, 8).unwrap();
        assert_eq!(&buf[..n], b"abc\x80\0\0\0\0");
        // Aligned data takes a whole block of padding; a buffer too short is an error.
        let mut buf = [0u8; 16];
        assert_eq!(
            pad_in_place(DataPadding::Iso9797Method2, &mut buf, 8, 8),
            Ok(16)
        );
        assert_eq!(buf[8], 0x80);
        assert!(pad_in_place(DataPadding::Iso9797Method2, &mut buf[..12], 9, 8).is_err());
    }

    const ALL: [DataPadding; 3] = [
        DataPadding::Iso9797Method1,
        DataPadding::Iso9797Method2,
        DataPadding::Pkcs7,
    ];

    #[test]
    fn known_paddings() {
        let (p, n) = padding_for(DataPadding::Iso9797Method1, 0, 8).unwrap();
        assert_eq!(&p[..n], [0u8; 8]);
        assert_eq!(padding_for(DataPadding::Iso9797Method1, 8, 8).unwrap().1, 0);
        let (p, n) = padding_for(DataPadding::Iso9797Method1, 5, 8).unwrap();
        assert_eq!(&p[..n], [0, 0, 0]);
        let (p, n) = padding_for(DataPadding::Iso9797Method2, 5, 8).unwrap();
        assert_eq!(&p[..n], [0x80, 0, 0]);
        let (p, n) = padding_for(DataPadding::Iso9797Method2, 16, 16).unwrap();
        assert_eq!(n, 16);
        assert_eq!(p[0], 0x80);
        let (p, n) = padding_for(DataPadding::Pkcs7, 13, 16).unwrap();
        assert_eq!(&p[..n], [3, 3, 3]);
        let (p, n) = padding_for(DataPadding::Pkcs7, 8, 8).unwrap();
        assert_eq!(&p[..n], [8; 8]);
        assert!(padding_for(DataPadding::Pkcs7, 8, 12).is_err());
    }

    #[test]
    fn round_trips_for_every_length() {
        for block in [8usize, 16] {
            for len in 0..40 {
                let data: std::vec::Vec<u8> = (0..len).map(|i| (i as u8) | 1).collect();
                for padding in ALL {
                    let (p, n) = padding_for(padding, len, block).unwrap();
                    let mut padded = data.clone();
                    padded.extend_from_slice(&p[..n]);
                    assert_eq!(padded.len() % block, 0);
                    assert!(!padded.is_empty());
                    let got = unpadded_len(padding, &padded, block).unwrap();
                    if padding == DataPadding::Iso9797Method1 {
                        assert_eq!(got, padded.len());
                    } else {
                        assert_eq!(got, len, "{padding:?} {block} {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn bad_paddings_are_refused() {
        for bad in [
            [1, 2, 3, 4, 5, 6, 7, 0],
            [1, 2, 3, 4, 5, 6, 7, 9],
            [1, 2, 3, 4, 5, 6, 2, 3],
        ] {
            assert_eq!(
                unpadded_len(DataPadding::Pkcs7, &bad, 8),
                Err(Error::Padding)
            );
        }
        for bad in [
            [0u8; 8],
            [1, 2, 3, 4, 5, 6, 0x80, 1],
            [0x80, 0, 0, 0, 0, 0, 0, 7],
        ] {
            assert_eq!(
                unpadded_len(DataPadding::Iso9797Method2, &bad, 8),
                Err(Error::Padding)
            );
        }
        assert_eq!(
            unpadded_len(
                DataPadding::Iso9797Method2,
                &[1, 0x80, 0x80, 0, 0, 0, 0, 0],
                8
            ),
            Ok(2)
        );
        assert!(matches!(
            unpadded_len(DataPadding::Pkcs7, &[1, 2, 3], 8),
            Err(Error::BlockLength { .. })
        ));
        assert!(matches!(
            unpadded_len(DataPadding::Pkcs7, &[], 8),
            Err(Error::BlockLength { .. })
        ));
    }
}
