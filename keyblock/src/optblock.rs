//! Optional blocks: encoding, parsing and typed values (X9.143:2021 §6.3, TR-31:2018 A.5.6).
//!
//! ```text
//! short form:    ID(2 AN) ‖ LL(2 hex)                    ‖ data      LL = whole block length
//! extended form: ID(2 AN) ‖ 00 ‖ NN(2 hex) ‖ LLLL(NN hex) ‖ data      NN = 04: hex characters
//!                                                                     in the length field
//! ```
//!
//! A block keeps its exact text, so a parsed header re-encodes byte for byte whatever form
//! (short, extended `0004`, or the lenient `0002`) it used. Blocks built here use the short form
//! up to 255 characters and the published extended form `00 04 LLLL` above (X9.143:2021 8.5).

pub use crate::codes::BlockId;
use crate::codes::{Algorithm, Exportability, KeyUsage, ModeOfUse};
use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use paycrypt_mac::{KcvMethod, kcv};
use paycrypt_primitives::hex::{Case, digit_value};
use paycrypt_primitives::key::SymmetricKey;

/// How strictly the structure of a header and its optional blocks is read. The profile
/// ([`crate::Profile`]) maps to one of these and validates the parsed header above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// The X9.143 §6.3 structure: upper-case hex lengths, `00 04 LLLL` extended lengths,
    /// upper-case ids, no duplicate ids, `PB` last.
    Standard,
    /// Anything structurally decodable (the lenient import profile): lower-case hex, the
    /// `0002` extended forms, lower-case ids, duplicates and `PB` anywhere kept.
    Lenient,
}

/// Largest data length a short-form block can hold (`FF` − 4).
const SHORT_MAX: usize = 0xFF;

/// One optional block, kept as its exact text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OptionalBlock {
    raw: String,
    id: BlockId,
    data_start: usize,
}

impl fmt::Debug for OptionalBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Optional blocks are authenticated, not encrypted: they hold no secrets.
        f.debug_struct("OptionalBlock")
            .field("id", &self.id)
            .field("data", &self.data())
            .finish()
    }
}

impl fmt::Display for OptionalBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

pub(crate) const fn is_printable(b: u8) -> bool {
    matches!(b, 0x20..=0x7E)
}

fn hex_value(digits: &[u8], case: Case) -> Option<usize> {
    let mut v = 0usize;
    for d in digits {
        v = (v << 4) | usize::from(digit_value(*d, case)?);
    }
    Some(v)
}

fn is_hex(s: &str, len: Option<usize>) -> bool {
    len.is_none_or(|n| s.len() == n) && s.bytes().all(|b| digit_value(b, Case::Upper).is_some())
}

fn is_alnum(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_base64(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

impl OptionalBlock {
    /// A block with this id and data, in the short form when it fits (≤ 255 characters in
    /// total) and the X9.143 extended form `00 04 LLLL` otherwise.
    ///
    /// # Errors
    /// [`Error::OptionalBlockId`] when the id is not two upper-case letters or digits,
    /// [`Error::InvalidCharacter`] for data that is not printable ASCII (position within the
    /// data), [`Error::TooLong`] when the block exceeds 9999 characters.
    pub fn new(id: BlockId, data: &str) -> Result<Self, Error> {
        let code = id.code();
        if !code
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(Error::OptionalBlockId { position: 0 });
        }
        if let Some(p) = data.bytes().position(|b| !is_printable(b)) {
            return Err(Error::InvalidCharacter { position: p });
        }
        let mut raw = String::with_capacity(data.len() + 10);
        raw.push(char::from(code[0]));
        raw.push(char::from(code[1]));
        let short = data.len() + 4;
        let data_start = if short <= SHORT_MAX {
            push_hex(&mut raw, short, 2);
            4
        } else {
            let long = data.len() + 10;
            if long > 9999 {
                return Err(Error::TooLong { length: long });
            }
            raw.push_str("0004");
            push_hex(&mut raw, long, 4);
            10
        };
        raw.push_str(data);
        Ok(Self {
            raw,
            id,
            data_start,
        })
    }

    /// A block from a typed value (the id follows from the value).
    ///
    /// # Errors
    /// As [`OptionalBlock::new`].
    pub fn from_value(value: &BlockValue<'_>) -> Result<Self, Error> {
        let (id, data) = value.encode();
        Self::new(id, &data)
    }

    /// A padding block `PB` whose data is `data` (printable).
    ///
    /// # Errors
    /// As [`OptionalBlock::new`].
    pub fn padding(data: &str) -> Result<Self, Error> {
        Self::new(BlockId::PB, data)
    }

    /// A `KC`, `KP` or `PK` block (X9.143 §6.3: KCV of the key, of the KBPK, of the export
    /// KBPK) holding `key`'s check value by `method`: `00` ‖ 3-byte legacy KCV
    /// (X9.24-1:2017 A.2) or `01` ‖ 5-byte CMAC KCV (X9.24-1:2017 A.3), computed with
    /// `paycrypt-mac`. For a `KP` block: `OptionalBlock::check_value(BlockId::KP, method,
    /// kbpk.key())`; for a `KC` block with the method X9.143 names by default, [`crate::kc_block`].
    ///
    /// # Errors
    /// [`Error::Mac`] when the KCV cannot be computed (CMAC of a DES key, or
    /// [`KcvMethod::Hmac`] for a block-cipher key), [`Error::OptionalBlockData`] for a method
    /// without a key-block code.
    pub fn check_value(id: BlockId, method: KcvMethod, key: &SymmetricKey) -> Result<Self, Error> {
        // `kcv` refuses HMAC for a block-cipher key; a method without a code cannot be written.
        let k = kcv(key, method, kcv_len(method))?;
        let code = kcv_code(method).ok_or(Error::OptionalBlockData { id, position: 0 })?;
        Self::new(id, &alloc::format!("{code}{k}"))
    }

    /// Parses one block starting at `pos` in `text`. Returns the block and its length.
    pub(crate) fn parse_at(text: &[u8], pos: usize, strictness: Strictness) -> Result<Self, Error> {
        let lenient = strictness == Strictness::Lenient;
        let at = |from: usize, len: usize| {
            text.get(pos + from..pos + from + len)
                .ok_or(Error::Truncated {
                    position: pos + from,
                })
        };
        let case = if lenient { Case::Any } else { Case::Upper };
        let id_bytes = at(0, 2)?;
        let id_ok = id_bytes.iter().all(|b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || (lenient && b.is_ascii_lowercase())
        });
        let id_arr: [u8; 2] = id_bytes
            .try_into()
            .map_err(|_| Error::Truncated { position: pos })?;
        if !id_ok {
            return Err(Error::OptionalBlockId { position: pos });
        }
        let id = BlockId::from_code(id_arr);
        let bad_len = Error::OptionalBlockLength { position: pos };
        let short = hex_value(at(2, 2)?, case).ok_or(bad_len)?;
        let (len, data_start) = if short != 0 {
            (short, 4)
        } else {
            // Extended form: NN = number of hex characters in the length field (X9.143 §6.3;
            // the published examples X9.143:2021 8.5 and 8.6 write `00 04 LLLL`). `02` only in
            // the lenient profile, in either of the two forms
            // other implementations write:
            // - `ID 00 02 LL data`: NN read as X9.143 defines it, two hex characters of length
            //   (moov-io and psec write short data this way, e.g. `KS0002…`);
            // - `ID 00 02 LLLL data`: NN read as "two bytes" of length.
            // The first reading is taken when it gives a length that covers the 8 characters of
            // id and length fields and fits the text; `LL` = `00` (how the second form starts
            // for every length under 256) never does.
            let nn = at(4, 2)?;
            match nn {
                b"04" => (hex_value(at(6, 4)?, case).ok_or(bad_len)?, 10),
                b"02" if lenient => {
                    let fits = |len: usize, start: usize| {
                        len >= start && text.get(pos..pos + len).is_some()
                    };
                    let two = at(6, 2)
                        .ok()
                        .and_then(|d| hex_value(d, case))
                        .filter(|l| fits(*l, 8));
                    match two {
                        Some(len) => (len, 8),
                        None => (hex_value(at(6, 4)?, case).ok_or(bad_len)?, 10),
                    }
                }
                _ => return Err(bad_len),
            }
        };
        if len < data_start {
            return Err(bad_len);
        }
        let raw_bytes = text.get(pos..pos + len).ok_or(bad_len)?;
        if let Some(p) = raw_bytes.iter().position(|b| !is_printable(*b)) {
            return Err(Error::InvalidCharacter { position: pos + p });
        }
        let raw = core::str::from_utf8(raw_bytes)
            .map_err(|_| Error::InvalidCharacter { position: pos })?;
        Ok(Self {
            raw: String::from(raw),
            id,
            data_start,
        })
    }

    /// The block id.
    #[must_use]
    pub const fn id(&self) -> BlockId {
        self.id
    }

    /// The block data (after the id and length).
    #[must_use]
    pub fn data(&self) -> &str {
        self.raw.get(self.data_start..).unwrap_or("")
    }

    /// The whole block text exactly as parsed or built.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Length of the whole block in characters.
    #[must_use]
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Always false: a block has at least its id and length.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// True when the block uses the extended length form.
    #[must_use]
    pub const fn is_extended(&self) -> bool {
        self.data_start > 4
    }

    /// True when the block uses the extended form with `NN = 02` (accepted only leniently).
    #[must_use]
    pub fn is_nonstandard_extended(&self) -> bool {
        self.raw.as_bytes().get(4..6) == Some(b"02".as_slice()) && self.is_extended()
    }

    /// True when the block's length digits use lower-case hex (accepted only leniently).
    #[must_use]
    pub fn has_lowercase_length(&self) -> bool {
        self.raw
            .as_bytes()
            .get(2..self.data_start)
            .is_some_and(|l| l.iter().any(u8::is_ascii_lowercase))
    }

    /// Decodes the data in the format X9.143 §6.3 defines for the id (TR-31:2018 A.5.6 for the
    /// blocks it shares).
    ///
    /// # Errors
    /// [`Error::OptionalBlockData`] (position 0 — the header parser adds the real one) when the
    /// data does not follow the format.
    pub fn value(&self) -> Result<BlockValue<'_>, Error> {
        let d = self.data();
        let bad = Error::OptionalBlockData {
            id: self.id,
            position: 0,
        };
        let v = match self.id {
            BlockId::AL => match d {
                "0100" => BlockValue::AsymmetricKeyLife(KeyLife::Ephemeral),
                "0101" => BlockValue::AsymmetricKeyLife(KeyLife::Static),
                _ => return Err(bad),
            },
            BlockId::BI => {
                let (kind, rest) = d.split_at_checked(2).ok_or(bad)?;
                match kind {
                    "00" if is_hex(rest, Some(10)) => BlockValue::BdkId(BdkId::KeySetId(rest)),
                    "01" if is_hex(rest, Some(8)) => BlockValue::BdkId(BdkId::AesBdkId(rest)),
                    _ => return Err(bad),
                }
            }
            BlockId::CT => BlockValue::Certificates(parse_certificates(d).ok_or(bad)?),
            BlockId::DA => BlockValue::DerivationsAllowed(parse_derivations(d).ok_or(bad)?),
            BlockId::FL => BlockValue::Flags(d),
            BlockId::HM => BlockValue::HmacHash(HashAlgorithm::from_code(d).ok_or(bad)?),
            BlockId::IK if is_hex(d, Some(16)) => BlockValue::InitialKeyId(d),
            BlockId::KC => BlockValue::KeyCheckValue(BlockKcv::parse(d).ok_or(bad)?),
            BlockId::KP => BlockValue::KbpkCheckValue(BlockKcv::parse(d).ok_or(bad)?),
            BlockId::PK => BlockValue::ExportKbpkCheckValue(BlockKcv::parse(d).ok_or(bad)?),
            BlockId::KS if (d.len() == 20 || d.len() == 16) && is_hex(d, None) => {
                BlockValue::InitialKsn(d)
            }
            BlockId::KV if d.len() == 4 => BlockValue::KeyBlockValues(d),
            BlockId::LB => BlockValue::Label(d),
            BlockId::PB => BlockValue::Padding(d),
            BlockId::TC => BlockValue::TimeOfCreation(Timestamp::parse(d).ok_or(bad)?),
            BlockId::TS => BlockValue::TimeStamp(Timestamp::parse(d).ok_or(bad)?),
            BlockId::WP => BlockValue::WrappingPedigree(match d {
                "00" => WrappingPedigree::EqualOrGreater,
                "01" => WrappingPedigree::Lesser,
                "02" => WrappingPedigree::AsymmetricQuantumRisk,
                "03" => WrappingPedigree::LesserAndQuantumRisk,
                _ => return Err(bad),
            }),
            BlockId::Proprietary(_) => BlockValue::Proprietary(d),
            BlockId::Unknown(_) => BlockValue::Unknown(d),
            BlockId::IK | BlockId::KS | BlockId::KV => return Err(bad),
        };
        Ok(v)
    }
}

fn push_hex(s: &mut String, v: usize, digits: u32) {
    for i in (0..digits).rev() {
        let nib = u8::try_from((v >> (4 * i)) & 0xF).unwrap_or(0);
        s.push(char::from(paycrypt_primitives::hex::digit_char(nib)));
    }
}

/// Parses the `CT` data (X9.143:2021 §6.3.2, 8.5 and 8.6).
///
/// ```text
/// 00 ‖ base64(X.509 DER)   |   01 ‖ base64(EMV cert)   |
/// 02 ‖ { type(2) ‖ length(4 hex, characters) ‖ base64 }+     (chain)
/// ```
fn parse_certificates(d: &str) -> Option<Vec<Certificate<'_>>> {
    let (kind, rest) = d.split_at_checked(2)?;
    let mut out = Vec::new();
    match kind {
        "00" | "01" => {
            if !is_base64(rest) {
                return None;
            }
            out.push(Certificate {
                format: CertificateFormat::from_code(kind)?,
                data: rest,
            });
        }
        "02" => {
            let mut rest = rest;
            while !rest.is_empty() {
                let (t, r) = rest.split_at_checked(2)?;
                let (l, r) = r.split_at_checked(4)?;
                let len = hex_value(l.as_bytes(), Case::Upper)?;
                let (cert, r) = r.split_at_checked(len)?;
                let format = CertificateFormat::from_code(t)?;
                if format == CertificateFormat::Chain || !is_base64(cert) {
                    return None;
                }
                out.push(Certificate { format, data: cert });
                rest = r;
            }
            if out.is_empty() {
                return None;
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Parses the `DA` data: `01` ‖ n × (usage 2, algorithm 1, mode 1, exportability 1).
fn parse_derivations(d: &str) -> Option<Vec<Derivation>> {
    let rest = d.strip_prefix("01")?;
    if rest.is_empty() || !rest.len().is_multiple_of(5) || !is_alnum(rest) {
        return None;
    }
    let mut out = Vec::new();
    for c in rest.as_bytes().chunks_exact(5) {
        let [u0, u1, a, m, e] = <[u8; 5]>::try_from(c).ok()?;
        out.push(Derivation {
            key_usage: KeyUsage::from_code([u0, u1]),
            algorithm: Algorithm::from_code([a]),
            mode_of_use: ModeOfUse::from_code([m]),
            exportability: Exportability::from_code([e]),
        });
    }
    Some(out)
}

/// The typed content of an optional block (X9.143 §6.3, one variant per id of Table 9).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockValue<'a> {
    /// `AL`: asymmetric key life.
    AsymmetricKeyLife(KeyLife),
    /// `BI`: BDK identifier.
    BdkId(BdkId<'a>),
    /// `CT`: one certificate (`00`, `01`) or a chain (`02`; one entry per certificate).
    Certificates(Vec<Certificate<'a>>),
    /// `DA`: derivations allowed.
    DerivationsAllowed(Vec<Derivation>),
    /// `FL`: flags (format not published; passed through).
    Flags(&'a str),
    /// `HM`: hash of an HMAC key.
    HmacHash(HashAlgorithm),
    /// `IK`: AES DUKPT initial key id, 16 hex.
    InitialKeyId(&'a str),
    /// `KC`: KCV of the wrapped key.
    KeyCheckValue(BlockKcv<'a>),
    /// `KP`: KCV of the KBPK.
    KbpkCheckValue(BlockKcv<'a>),
    /// `PK`: KCV of the export KBPK.
    ExportKbpkCheckValue(BlockKcv<'a>),
    /// `KS`: TDES DUKPT initial KSN, 20 hex (16 legacy).
    InitialKsn(&'a str),
    /// `KV`: key block values (deprecated), 4 characters.
    KeyBlockValues(&'a str),
    /// `LB`: label.
    Label(&'a str),
    /// `PB`: padding.
    Padding(&'a str),
    /// `TC`: time of creation.
    TimeOfCreation(Timestamp<'a>),
    /// `TS`: time stamp.
    TimeStamp(Timestamp<'a>),
    /// `WP`: wrapping pedigree.
    WrappingPedigree(WrappingPedigree),
    /// A numeric (proprietary) id, data verbatim.
    Proprietary(&'a str),
    /// An unknown id, data verbatim.
    Unknown(&'a str),
}

impl BlockValue<'_> {
    /// The id and data text for this value. Proprietary and unknown values have no id of their
    /// own; they encode as `00` / `ZZ` respectively — build those with [`OptionalBlock::new`].
    #[must_use]
    pub fn encode(&self) -> (BlockId, String) {
        use alloc::string::ToString;
        match self {
            Self::AsymmetricKeyLife(l) => (
                BlockId::AL,
                match l {
                    KeyLife::Ephemeral => "0100".into(),
                    KeyLife::Static => "0101".into(),
                },
            ),
            Self::BdkId(BdkId::KeySetId(s)) => (BlockId::BI, alloc::format!("00{s}")),
            Self::BdkId(BdkId::AesBdkId(s)) => (BlockId::BI, alloc::format!("01{s}")),
            Self::Certificates(c) => {
                let mut s = String::new();
                if let [single] = c.as_slice() {
                    s.push_str(single.format.code());
                    s.push_str(single.data);
                } else {
                    s.push_str("02");
                    for cert in c {
                        s.push_str(cert.format.code());
                        push_hex(&mut s, cert.data.len(), 4);
                        s.push_str(cert.data);
                    }
                }
                (BlockId::CT, s)
            }
            Self::DerivationsAllowed(d) => {
                let mut s = String::from("01");
                for x in d {
                    s.push_str(&x.key_usage.to_string());
                    s.push_str(&x.algorithm.to_string());
                    s.push_str(&x.mode_of_use.to_string());
                    s.push_str(&x.exportability.to_string());
                }
                (BlockId::DA, s)
            }
            Self::Flags(s) => (BlockId::FL, (*s).into()),
            Self::HmacHash(h) => (BlockId::HM, h.code().into()),
            Self::InitialKeyId(s) => (BlockId::IK, (*s).into()),
            Self::KeyCheckValue(k) => (BlockId::KC, k.encode()),
            Self::KbpkCheckValue(k) => (BlockId::KP, k.encode()),
            Self::ExportKbpkCheckValue(k) => (BlockId::PK, k.encode()),
            Self::InitialKsn(s) => (BlockId::KS, (*s).into()),
            Self::KeyBlockValues(s) => (BlockId::KV, (*s).into()),
            Self::Label(s) => (BlockId::LB, (*s).into()),
            Self::Padding(s) => (BlockId::PB, (*s).into()),
            Self::TimeOfCreation(t) => (BlockId::TC, t.text.into()),
            Self::TimeStamp(t) => (BlockId::TS, t.text.into()),
            Self::WrappingPedigree(w) => (BlockId::WP, w.code().into()),
            Self::Proprietary(s) => (BlockId::Proprietary(*b"00"), (*s).into()),
            Self::Unknown(s) => (BlockId::Unknown(*b"ZZ"), (*s).into()),
        }
    }
}

/// `AL` asymmetric key life (X9.143 §6.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyLife {
    /// `00` ephemeral.
    Ephemeral,
    /// `01` static or permanent.
    Static,
}

/// `BI` content (X9.143 §6.3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BdkId<'a> {
    /// `00`: TDES DUKPT key set id, 10 hex.
    KeySetId(&'a str),
    /// `01`: AES DUKPT BDK id, 8 hex.
    AesBdkId(&'a str),
}

/// Certificate format in a `CT` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertificateFormat {
    /// `00` X.509.
    X509,
    /// `01` EMV.
    Emv,
    /// `02` certificate chain.
    Chain,
}

impl CertificateFormat {
    fn from_code(c: &str) -> Option<Self> {
        match c {
            "00" => Some(Self::X509),
            "01" => Some(Self::Emv),
            "02" => Some(Self::Chain),
            _ => None,
        }
    }

    /// The two-digit code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::X509 => "00",
            Self::Emv => "01",
            Self::Chain => "02",
        }
    }
}

/// One certificate of a `CT` block, base64 as carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Certificate<'a> {
    /// X.509 or EMV.
    pub format: CertificateFormat,
    /// Base64 text.
    pub data: &'a str,
}

/// One entry of a `DA` block: a derivation the B3 key may perform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Derivation {
    /// Usage of the derived key.
    pub key_usage: KeyUsage,
    /// Algorithm of the derived key.
    pub algorithm: Algorithm,
    /// Mode of use of the derived key.
    pub mode_of_use: ModeOfUse,
    /// Exportability of the derived key.
    pub exportability: Exportability,
}

/// `HM` hash algorithm (X9.143 §6.3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// `10` SHA-1.
    Sha1,
    /// `20` SHA-224.
    Sha224,
    /// `21` SHA-256.
    Sha256,
    /// `22` SHA-384.
    Sha384,
    /// `23` SHA-512.
    Sha512,
    /// `24` SHA-512/224.
    Sha512_224,
    /// `25` SHA-512/256.
    Sha512_256,
    /// `30` SHA3-224.
    Sha3_224,
    /// `31` SHA3-256.
    Sha3_256,
    /// `32` SHA3-384.
    Sha3_384,
    /// `33` SHA3-512.
    Sha3_512,
    /// `40` SHAKE128.
    Shake128,
    /// `41` SHAKE256.
    Shake256,
}

impl HashAlgorithm {
    const ALL: [(Self, &'static str); 13] = [
        (Self::Sha1, "10"),
        (Self::Sha224, "20"),
        (Self::Sha256, "21"),
        (Self::Sha384, "22"),
        (Self::Sha512, "23"),
        (Self::Sha512_224, "24"),
        (Self::Sha512_256, "25"),
        (Self::Sha3_224, "30"),
        (Self::Sha3_256, "31"),
        (Self::Sha3_384, "32"),
        (Self::Sha3_512, "33"),
        (Self::Shake128, "40"),
        (Self::Shake256, "41"),
    ];

    /// The hash for its two-digit code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, c)| *c == code).map(|(h, _)| *h)
    }

    /// The two-digit code.
    #[must_use]
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(h, _)| *h == self)
            .map_or("10", |(_, c)| *c)
    }
}

/// The two-digit KCV algorithm code of a `KC`/`KP`/`PK` block (X9.143 §6.3, X9.24-1:2017
/// Annex A): `00` legacy (A.2), `01` CMAC (A.3); `None` for methods without a code (HMAC).
#[must_use]
pub const fn kcv_code(method: KcvMethod) -> Option<&'static str> {
    match method {
        KcvMethod::Legacy => Some("00"),
        KcvMethod::Cmac => Some("01"),
        _ => None,
    }
}

/// The KCV length X9.143 §6.3 writes for `method`: 3 bytes legacy, 5 bytes CMAC.
const fn kcv_len(method: KcvMethod) -> usize {
    match method {
        KcvMethod::Cmac => 5,
        _ => 3,
    }
}

/// The content of a `KC`, `KP` or `PK` block: algorithm ‖ KCV hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockKcv<'a> {
    /// How the KCV was computed (`00` [`KcvMethod::Legacy`], `01` [`KcvMethod::Cmac`]).
    pub method: KcvMethod,
    /// The KCV, upper-case hex (4 or 6 digits legacy, 10 CMAC).
    pub value: &'a str,
}

impl<'a> BlockKcv<'a> {
    fn parse(d: &'a str) -> Option<Self> {
        let (alg, value) = d.split_at_checked(2)?;
        let method = match alg {
            "00" if value.len() == 4 || value.len() == 6 => KcvMethod::Legacy,
            "01" if value.len() == 10 => KcvMethod::Cmac,
            _ => return None,
        };
        is_hex(value, None).then_some(Self { method, value })
    }

    fn encode(&self) -> String {
        alloc::format!("{}{}", kcv_code(self.method).unwrap_or("00"), self.value)
    }
}

/// A `TC` / `TS` time (ISO 8601 UTC; X9.143 §6.3.9): `YYYYMMDDhhmmssZ`,
/// `YYYYMMDDhhmmssffZ`, `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss.ffZ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp<'a> {
    /// The text as carried.
    pub text: &'a str,
    /// Year.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
    /// Hour 0–23.
    pub hour: u8,
    /// Minute 0–59.
    pub minute: u8,
    /// Second 0–60.
    pub second: u8,
    /// Hundredths of a second, when given.
    pub hundredths: Option<u8>,
}

impl<'a> Timestamp<'a> {
    /// Parses one of the four ISO 8601 forms above.
    #[must_use]
    pub fn parse(text: &'a str) -> Option<Self> {
        let b = text.as_bytes();
        // Template: 'd' = digit, anything else literal.
        let template: &[u8] = match b.len() {
            15 => b"ddddddddddddddZ",
            17 => b"ddddddddddddddddZ",
            20 => b"dddd-dd-ddTdd:dd:ddZ",
            23 => b"dddd-dd-ddTdd:dd:dd.ddZ",
            _ => return None,
        };
        let mut digits = [0u8; 16];
        let mut n = 0;
        for (c, t) in b.iter().zip(template) {
            if *t == b'd' {
                if !c.is_ascii_digit() {
                    return None;
                }
                *digits.get_mut(n)? = c - b'0';
                n += 1;
            } else if c != t {
                return None;
            }
        }
        let num = |i: usize, len: usize| -> Option<u16> {
            let mut v = 0u16;
            for d in digits.get(i..i + len)? {
                v = v * 10 + u16::from(*d);
            }
            Some(v)
        };
        let two = |i: usize| num(i, 2).and_then(|v| u8::try_from(v).ok());
        let t = Self {
            text,
            year: num(0, 4)?,
            month: two(4)?,
            day: two(6)?,
            hour: two(8)?,
            minute: two(10)?,
            second: two(12)?,
            hundredths: if n == 16 { Some(two(14)?) } else { None },
        };
        let valid = (1..=12).contains(&t.month)
            && (1..=31).contains(&t.day)
            && t.hour < 24
            && t.minute < 60
            && t.second <= 60;
        valid.then_some(t)
    }
}

/// `WP` wrapping pedigree (X9.143:2021 §6.3.11): version `0` and the pedigree digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WrappingPedigree {
    /// `0`: wrapped only by keys of equal or greater strength.
    EqualOrGreater,
    /// `1`: has been wrapped by a lesser-strength key.
    Lesser,
    /// `2`: has been wrapped by an asymmetric key at quantum risk.
    AsymmetricQuantumRisk,
    /// `3`: both 1 and 2.
    LesserAndQuantumRisk,
}

impl WrappingPedigree {
    /// The data text (`0` version ‖ digit).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::EqualOrGreater => "00",
            Self::Lesser => "01",
            Self::AsymmetricQuantumRisk => "02",
            Self::LesserAndQuantumRisk => "03",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_extended_forms() {
        let b = OptionalBlock::new(BlockId::KS, "00604B120F9292800000").unwrap();
        assert_eq!(b.as_str(), "KS1800604B120F9292800000");
        let long = "A".repeat(300);
        let b = OptionalBlock::new(BlockId::LB, &long).unwrap();
        assert!(b.as_str().starts_with("LB00040136"));
        assert!(b.is_extended());
        let p = OptionalBlock::parse_at(b.as_str().as_bytes(), 0, Strictness::Standard).unwrap();
        assert_eq!(p, b);
        assert_eq!(p.data(), long);
    }

    #[test]
    fn lenient_extended_0002() {
        let text = "LB0002000EABCD";
        assert!(OptionalBlock::parse_at(text.as_bytes(), 0, Strictness::Standard).is_err());
        let b = OptionalBlock::parse_at(text.as_bytes(), 0, Strictness::Lenient).unwrap();
        assert!(b.is_nonstandard_extended());
        assert_eq!(b.data(), "ABCD");
        assert_eq!(b.as_str(), text);
    }

    #[test]
    fn values() {
        let v = |id, d: &str| OptionalBlock::new(id, d).unwrap();
        assert!(matches!(
            v(BlockId::HM, "21").value().unwrap(),
            BlockValue::HmacHash(HashAlgorithm::Sha256)
        ));
        assert!(v(BlockId::HM, "99").value().is_err());
        assert!(v(BlockId::KS, "VM9A").value().is_err());
        assert!(v(BlockId::TS, "2018-06-18T20:42:39.22").value().is_err());
        assert!(v(BlockId::TS, "2018-06-18T20:42:39.22Z").value().is_ok());
        assert!(v(BlockId::TS, "20200818221218Z").value().is_ok());
        assert!(v(BlockId::TS, "20201318221218Z").value().is_err());
        assert!(v(BlockId::KP, "01D77F007724").value().is_ok());
        assert!(v(BlockId::KP, "01D77F0077").value().is_err());
        assert!(v(BlockId::BI, "0112345678").value().is_ok());
        assert!(v(BlockId::DA, "01K0TBEM0TCN").value().is_ok());
        assert!(v(BlockId::DA, "01K0TB").value().is_err());
        assert!(v(BlockId::WP, "01").value().is_ok());
        assert!(v(BlockId::AL, "0102").value().is_err());
        assert!(v(BlockId::CT, "00MIIB+/==").value().is_ok());
        assert!(
            v(BlockId::CT, "0200000AMIIBAAAAAA0100044Q==")
                .value()
                .is_ok()
        );
        assert!(v(BlockId::CT, "020000000AMIIBAAAAA").value().is_err());
        for val in [
            BlockValue::Label("hello"),
            BlockValue::HmacHash(HashAlgorithm::Sha3_256),
            BlockValue::WrappingPedigree(WrappingPedigree::Lesser),
            BlockValue::AsymmetricKeyLife(KeyLife::Static),
            BlockValue::BdkId(BdkId::KeySetId("0123456789")),
        ] {
            let b = OptionalBlock::from_value(&val).unwrap();
            assert_eq!(b.value().unwrap(), val);
        }
    }

    #[test]
    fn bad_lengths() {
        for t in [
            "KS03",
            "KS0",
            "KSZZ00",
            "KS0003",
            "KS000400FF",
            "K#08ABCD",
            "KS10ABCD",
        ] {
            assert!(
                OptionalBlock::parse_at(t.as_bytes(), 0, Strictness::Standard).is_err(),
                "{t}"
            );
        }
    }
}
