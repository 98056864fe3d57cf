//! The storage shared by clear and enciphered PIN blocks: a block's bytes with its format.
//!
//! ISO 9564-1:2017 §9.3 (formats 0–3) and §9.4 (format 4): a block is 8 bytes (one TDEA block)
//! for formats 0–3 and 16 bytes (one AES block) for format 4.

use crate::Error;
use crate::format::Format;
use zeroize::Zeroize;

/// A block of `format`: the first [`Format::block_len`] bytes of `bytes` are used, the rest
/// stay zero.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Zeroize)]
pub(crate) struct FormattedBlock {
    bytes: [u8; 16],
    #[zeroize(skip)]
    format: Format,
}

impl FormattedBlock {
    /// An all-zero block of `format`, to be filled through [`Self::bytes_mut`].
    pub(crate) const fn zeroed(format: Format) -> Self {
        Self {
            bytes: [0; 16],
            format,
        }
    }

    /// A block of `format` from its bytes.
    ///
    /// # Errors
    /// [`Error::BlockLength`] unless `bytes` is 8 bytes (formats 0–3) or 16 (format 4).
    pub(crate) fn from_bytes(format: Format, bytes: &[u8]) -> Result<Self, Error> {
        check_block_len(format, bytes.len())?;
        let mut block = Self::zeroed(format);
        if let Some(d) = block.bytes.get_mut(..bytes.len()) {
            d.copy_from_slice(bytes);
        }
        Ok(block)
    }

    /// A format-4 block from its 16 bytes.
    pub(crate) const fn iso4(bytes: [u8; 16]) -> Self {
        Self {
            bytes,
            format: Format::Iso4,
        }
    }

    /// The format.
    pub(crate) const fn format(&self) -> Format {
        self.format
    }

    /// The block's bytes (8 or 16).
    pub(crate) fn bytes(&self) -> &[u8] {
        self.bytes
            .get(..self.format.block_len())
            .unwrap_or(&self.bytes)
    }

    /// The whole 16-byte buffer, for encoding into it (bytes past the block length must stay
    /// zero).
    pub(crate) const fn bytes_mut(&mut self) -> &mut [u8; 16] {
        &mut self.bytes
    }
}

/// ISO 9564-1:2017 §9.3/§9.4 block lengths, checked before anything else.
pub(crate) const fn check_block_len(format: Format, got: usize) -> Result<(), Error> {
    let expected = format.block_len();
    if got == expected {
        Ok(())
    } else {
        Err(Error::BlockLength {
            format,
            expected,
            got,
        })
    }
}
