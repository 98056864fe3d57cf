//! The key-block header: 16 fixed characters and the optional blocks (X9.143:2021 §6.2–6.3,
//! TR-31:2018 A.5, ISO 20038:2017 §6).
//!
//! ```text
//! pos len field
//!  0   1  version id            A B C D E, digits proprietary
//!  1   4  key block length      decimal, whole block in characters
//!  5   2  key usage             B0 ... V5, digits proprietary
//!  7   1  algorithm             A D E H I J R S T
//!  8   1  mode of use           B C D E G N S T V X Y
//!  9   2  key version number    00 unused, c1..c9 component, else version
//! 11   1  exportability         E N S
//! 12   2  number of optional blocks, decimal 00-99
//! 14   1  key context           0 1 2 (X9.143); TR-31:2018 "reserved 0"
//! 15   1  reserved              0
//! 16      optional blocks       ID ‖ LL ‖ data, ...
//! ```
//!
//! A parsed header keeps every character (unknown codes included), so [`KeyBlockHeader`]'s
//! `Display` re-encodes it byte for byte.
//!
//! This module reads the structure only, under a small strictness value; the validation profiles
//! ([`crate::Profile`], one layer up) judge the values. [`KeyBlockHeader::parse`],
//! [`KeyBlockHeader::parse_with`] and [`KeyBlockHeader::validate`] are defined there.

use crate::codes::{
    Algorithm, BlockId, Exportability, KeyContext, KeyUsage, KeyVersion, ModeOfUse, Version,
};
use crate::error::{Error, Field};
pub(crate) use crate::optblock::Strictness;
use crate::optblock::{OptionalBlock, is_printable};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Length of the fixed part of the header.
pub const FIXED_HEADER_LEN: usize = 16;
/// Maximum key-block length (four decimal digits).
pub const MAX_KEY_BLOCK_LEN: usize = 9999;
/// Maximum number of optional blocks (two decimal digits).
pub const MAX_OPTIONAL_BLOCKS: usize = 99;

/// A key-block header with its optional blocks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyBlockHeader {
    version: Version,
    length: u16,
    key_usage: KeyUsage,
    algorithm: Algorithm,
    mode_of_use: ModeOfUse,
    key_version: KeyVersion,
    exportability: Exportability,
    key_context: KeyContext,
    reserved: u8,
    blocks: Vec<OptionalBlock>,
}

fn decimal(digits: &[u8]) -> Option<usize> {
    digits.iter().try_fold(0usize, |v, d| {
        d.is_ascii_digit().then(|| v * 10 + usize::from(d - b'0'))
    })
}

impl KeyBlockHeader {
    /// A header with no optional blocks, key context `0`, reserved `0` and length `0000`
    /// (wrap computes the length).
    #[must_use]
    pub const fn new(
        version: Version,
        key_usage: KeyUsage,
        algorithm: Algorithm,
        mode_of_use: ModeOfUse,
        key_version: KeyVersion,
        exportability: Exportability,
    ) -> Self {
        Self {
            version,
            length: 0,
            key_usage,
            algorithm,
            mode_of_use,
            key_version,
            exportability,
            key_context: KeyContext::DeterminedByWrappingKey,
            reserved: b'0',
            blocks: Vec::new(),
        }
    }

    /// Parses the fixed header and the optional blocks at the start of `text` (structure only);
    /// returns the header and the position where the optional blocks end.
    pub(crate) fn parse_prefix(
        text: &[u8],
        strictness: Strictness,
    ) -> Result<(Self, usize), Error> {
        let lenient = strictness == Strictness::Lenient;
        let fixed = text.get(..FIXED_HEADER_LEN).ok_or(Error::Truncated {
            position: text.len(),
        })?;
        let version = Version::from_char(fixed.first().copied().unwrap_or(0))?;
        if let Some(p) = fixed.iter().position(|b| !is_printable(*b)) {
            return Err(Error::InvalidCharacter { position: p });
        }
        let get = |from: usize, to: usize| fixed.get(from..to).unwrap_or_default();
        let pair = |from: usize| -> [u8; 2] { get(from, from + 2).try_into().unwrap_or([0; 2]) };
        let one = |at: usize| -> [u8; 1] { [fixed.get(at).copied().unwrap_or(0)] };
        let length = decimal(get(1, 5))
            .and_then(|v| u16::try_from(v).ok())
            .ok_or(Error::InvalidField {
                field: Field::Length,
                position: 1,
            })?;
        let count = decimal(get(12, 14)).ok_or(Error::InvalidField {
            field: Field::BlockCount,
            position: 12,
        })?;
        let mut header = Self {
            version,
            length,
            key_usage: KeyUsage::from_code(pair(5)),
            algorithm: Algorithm::from_code(one(7)),
            mode_of_use: ModeOfUse::from_code(one(8)),
            key_version: KeyVersion::from_code(pair(9)),
            exportability: Exportability::from_code(one(11)),
            key_context: KeyContext::from_code(one(14)),
            reserved: fixed.get(15).copied().unwrap_or(b'0'),
            blocks: Vec::with_capacity(count),
        };
        let mut pos = FIXED_HEADER_LEN;
        for _ in 0..count {
            let block = OptionalBlock::parse_at(text, pos, strictness)?;
            if !lenient {
                if header.blocks.iter().any(|b| b.id() == block.id()) {
                    return Err(Error::DuplicateBlock {
                        id: block.id(),
                        position: pos,
                    });
                }
                if header.blocks.last().is_some_and(|b| b.id() == BlockId::PB) {
                    return Err(Error::PaddingBlockNotLast {
                        position: pos - header.blocks.last().map_or(0, OptionalBlock::len),
                    });
                }
            }
            pos += block.len();
            header.blocks.push(block);
        }
        Ok((header, pos))
    }

    /// The version id.
    #[must_use]
    pub const fn version(&self) -> Version {
        self.version
    }

    /// The length field (characters of the whole key block). `0` on a header built with
    /// [`KeyBlockHeader::new`] until it is wrapped.
    #[must_use]
    pub const fn length(&self) -> usize {
        self.length as usize
    }

    /// The key usage.
    #[must_use]
    pub const fn key_usage(&self) -> KeyUsage {
        self.key_usage
    }

    /// The algorithm of the wrapped key.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The mode of use.
    #[must_use]
    pub const fn mode_of_use(&self) -> ModeOfUse {
        self.mode_of_use
    }

    /// The key version (or component number).
    #[must_use]
    pub const fn key_version(&self) -> KeyVersion {
        self.key_version
    }

    /// The exportability.
    #[must_use]
    pub const fn exportability(&self) -> Exportability {
        self.exportability
    }

    /// The key context (position 14).
    #[must_use]
    pub const fn key_context(&self) -> KeyContext {
        self.key_context
    }

    /// The reserved character (position 15).
    #[must_use]
    pub const fn reserved(&self) -> u8 {
        self.reserved
    }

    /// The optional blocks, in order.
    #[must_use]
    pub fn optional_blocks(&self) -> &[OptionalBlock] {
        &self.blocks
    }

    /// The first optional block with this id.
    #[must_use]
    pub fn optional_block(&self, id: BlockId) -> Option<&OptionalBlock> {
        self.blocks.iter().find(|b| b.id() == id)
    }

    /// Ids that occur more than once (only possible with
    /// [`Profile::Lenient`](crate::Profile::Lenient), which reports
    /// duplicates but keeps them).
    #[must_use]
    pub fn duplicate_ids(&self) -> Vec<BlockId> {
        let mut out: Vec<BlockId> = Vec::new();
        for (i, b) in self.blocks.iter().enumerate() {
            let earlier = self.blocks.get(..i).unwrap_or_default();
            if earlier.iter().any(|e| e.id() == b.id()) && !out.contains(&b.id()) {
                out.push(b.id());
            }
        }
        out
    }

    /// Sets the version (e.g. when translating to another version).
    pub const fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// Sets the key usage.
    pub const fn set_key_usage(&mut self, key_usage: KeyUsage) {
        self.key_usage = key_usage;
    }

    /// Sets the algorithm.
    pub const fn set_algorithm(&mut self, algorithm: Algorithm) {
        self.algorithm = algorithm;
    }

    /// Sets the mode of use.
    pub const fn set_mode_of_use(&mut self, mode_of_use: ModeOfUse) {
        self.mode_of_use = mode_of_use;
    }

    /// Sets the key version (e.g. [`KeyVersion::Component`] for a key component).
    pub const fn set_key_version(&mut self, key_version: KeyVersion) {
        self.key_version = key_version;
    }

    /// Sets the exportability.
    pub const fn set_exportability(&mut self, exportability: Exportability) {
        self.exportability = exportability;
    }

    /// Sets the key context (position 14).
    pub const fn set_key_context(&mut self, key_context: KeyContext) {
        self.key_context = key_context;
    }

    /// Sets the length field. Wrap computes it; this is for building a header by hand.
    ///
    /// # Errors
    /// [`Error::TooLong`] above 9999.
    pub fn set_length(&mut self, length: usize) -> Result<(), Error> {
        self.length = u16::try_from(length)
            .ok()
            .filter(|l| usize::from(*l) <= MAX_KEY_BLOCK_LEN)
            .ok_or(Error::TooLong { length })?;
        Ok(())
    }

    /// Appends an optional block (before an existing `PB`, which stays last).
    ///
    /// # Errors
    /// [`Error::TooManyBlocks`] beyond 99 blocks, [`Error::DuplicateBlock`] when the id is
    /// already present, [`Error::TooLong`] when the header would exceed 9999 characters.
    pub fn push_block(&mut self, block: OptionalBlock) -> Result<(), Error> {
        if self.blocks.len() >= MAX_OPTIONAL_BLOCKS {
            return Err(Error::TooManyBlocks);
        }
        if self.blocks.iter().any(|b| b.id() == block.id()) {
            return Err(Error::DuplicateBlock {
                id: block.id(),
                position: self.encoded_len(),
            });
        }
        let len = self.encoded_len() + block.len();
        if len > MAX_KEY_BLOCK_LEN {
            return Err(Error::TooLong { length: len });
        }
        let at = if self.blocks.last().is_some_and(|b| b.id() == BlockId::PB) {
            self.blocks.len() - 1
        } else {
            self.blocks.len()
        };
        self.blocks.insert(at, block);
        Ok(())
    }

    /// Removes every block with this id; returns how many were removed.
    pub fn remove_blocks(&mut self, id: BlockId) -> usize {
        let before = self.blocks.len();
        self.blocks.retain(|b| b.id() != id);
        before - self.blocks.len()
    }

    /// Length of the header including its optional blocks, in characters.
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        FIXED_HEADER_LEN + self.blocks.iter().map(OptionalBlock::len).sum::<usize>()
    }

    /// Position of the `i`-th optional block in the header.
    pub(crate) fn block_position(&self, i: usize) -> usize {
        FIXED_HEADER_LEN
            + self
                .blocks
                .get(..i)
                .unwrap_or_default()
                .iter()
                .map(OptionalBlock::len)
                .sum::<usize>()
    }

    /// True when the optional blocks end on the version's cipher-block boundary (8 characters
    /// for A/B/C, 16 for D/E).
    #[must_use]
    pub fn is_aligned(&self) -> bool {
        self.encoded_len().is_multiple_of(self.version.block_size())
    }

    /// Checks alignment (X9.143 §6.3: the optional blocks are padded to a cipher-block
    /// multiple with `PB`).
    ///
    /// # Errors
    /// [`Error::Misaligned`].
    pub fn check_alignment(&self) -> Result<(), Error> {
        if self.is_aligned() {
            Ok(())
        } else {
            Err(Error::Misaligned {
                length: self.encoded_len(),
                block_size: self.version.block_size(),
            })
        }
    }

    /// The data length of the `PB` block this header needs to align, or `None` when it is
    /// aligned already (X9.143 §6.3 padding block `PB`: with `S` the length of the other
    /// blocks and `B` the cipher block size, `d = (B − (S + 4) % B) % B`).
    #[must_use]
    pub fn padding_block_len(&self) -> Option<usize> {
        let b = self.version.block_size();
        let s = self.encoded_len() - FIXED_HEADER_LEN;
        (!s.is_multiple_of(b)).then(|| (b - (s + 4) % b) % b)
    }

    /// The header text (same as `to_string()`).
    #[must_use]
    pub fn encode(&self) -> String {
        use core::fmt::Write;
        let mut s = String::with_capacity(self.encoded_len());
        let _ = write!(s, "{self}");
        s
    }
}

impl fmt::Display for KeyBlockHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{:04}{}{}{}{}{}{:02}{}",
            self.version,
            self.length,
            self.key_usage,
            self.algorithm,
            self.mode_of_use,
            self.key_version,
            self.exportability,
            self.blocks.len(),
            self.key_context,
        )?;
        fmt::Write::write_char(f, char::from(self.reserved))?;
        for b in &self.blocks {
            f.write_str(b.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use alloc::string::ToString;

    #[test]
    fn parse_and_reencode() {
        for t in [
            "A0072P0TE00E0000",
            "C0096B0TX12S0100KS1800604B120F9292800000",
            "D0192C0AVA1N0300KS08VM9ATS1A2018-06-18T20:42:39.22PB0E0000000000",
            "B0000K0TB00E0000",
            "10000100a1c10000",
        ] {
            let h = KeyBlockHeader::parse_with(t, Profile::Lenient).unwrap();
            assert_eq!(h.to_string(), t);
        }
        let h = KeyBlockHeader::parse("C0096B0TX12S0100KS1800604B120F9292800000").unwrap();
        assert_eq!(h.version(), Version::C);
        assert_eq!(h.key_usage(), KeyUsage::B0);
        assert_eq!(h.algorithm(), Algorithm::Tdes);
        assert_eq!(h.mode_of_use(), ModeOfUse::Derive);
        assert_eq!(h.key_version(), KeyVersion::Version(*b"12"));
        assert_eq!(h.exportability(), Exportability::Sensitive);
        assert_eq!(h.optional_blocks().len(), 1);
        assert_eq!(
            h.optional_block(BlockId::KS).unwrap().data(),
            "00604B120F9292800000"
        );
        assert!(h.is_aligned());
    }

    #[test]
    fn structural_errors() {
        let e = |t: &str| KeyBlockHeader::parse(t).unwrap_err();
        assert_eq!(e("A0072P0TE00E000"), Error::Truncated { position: 15 });
        assert_eq!(e("F0072P0TE00E0000"), Error::UnknownVersion { found: b'F' });
        assert!(matches!(
            e("A00X2P0TE00E0000"),
            Error::InvalidField {
                field: Field::Length,
                ..
            }
        ));
        assert!(matches!(
            e("A0072P0TE00E0X00"),
            Error::InvalidField {
                field: Field::BlockCount,
                ..
            }
        ));
        assert_eq!(e("A0072P0TE00E0000X"), Error::TrailingData { position: 16 });
        assert!(matches!(
            e("B0000K0TB00E0200KS08ABCDKS08ABCD"),
            Error::DuplicateBlock { .. }
        ));
        assert!(matches!(
            e("B0000K0TB00E0200PB08ABCDKS08ABCD"),
            Error::PaddingBlockNotLast { position: 16 }
        ));
        assert!(matches!(
            e("B0000K0TB00E0100KS09ABCD"),
            Error::Truncated { .. } | Error::OptionalBlockLength { .. }
        ));
        assert!(matches!(
            e("B0000K0TB00E0100KS\u{7f}8ABCD"),
            Error::OptionalBlockLength { .. }
        ));
        assert_eq!(
            e("B0000K0TB\u{1}0E0000"),
            Error::InvalidCharacter { position: 9 }
        );
    }

    #[test]
    fn builder_and_padding() {
        let mut h = KeyBlockHeader::new(
            Version::D,
            KeyUsage::P0,
            Algorithm::Aes,
            ModeOfUse::EncryptOnly,
            KeyVersion::Unused,
            Exportability::Exportable,
        );
        assert_eq!(h.to_string(), "D0000P0AE00E0000");
        assert_eq!(h.padding_block_len(), None);
        h.push_block(OptionalBlock::new(BlockId::KS, "00604B120F9292800000").unwrap())
            .unwrap();
        // S = 24, B = 16: d = (16 - 28 % 16) % 16 = 4.
        assert_eq!(h.padding_block_len(), Some(4));
        assert!(
            h.push_block(OptionalBlock::new(BlockId::KS, "00").unwrap())
                .is_err()
        );
        assert_eq!(h.remove_blocks(BlockId::KS), 1);
    }
}
