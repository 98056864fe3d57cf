//! Wrap and unwrap (X9.143:2021 §7, TR-31:2018 A.7, ISO 20038:2017 §6).
//!
//! Payload layout (X9.143 §6.1, TR-31:2018 A.7; key-length obfuscation X9.143 §6.1.1):
//!
//! ```text
//! key block = header ‖ optional blocks ‖ hex(encrypted payload) ‖ hex(MAC)
//! payload   = key length in bits (2 bytes, big-endian) ‖ key ‖ padding
//! ```

use crate::binding;
use crate::codes::{Algorithm, BlockId, Version};
use crate::error::{Error, Field};
use crate::header::{FIXED_HEADER_LEN, KeyBlockHeader, MAX_KEY_BLOCK_LEN};
use crate::kbpk::{Kbpk, binding_keys};
use crate::optblock::{BlockValue, OptionalBlock, is_printable};
use crate::profile::Profile;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use paycrypt_mac::KcvMethod;
use paycrypt_primitives::hex::{Case, decode_into, digit_value, encode_upper_into};
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::{TryCryptoRng, fill};
use paycrypt_primitives::zeroize::Zeroizing;
use subtle::{Choice, ConstantTimeEq};

/// A clear key of any type (TDES, AES, HMAC, an RSA or EC private key in DER): zeroized on
/// drop, never printed, compared in constant time.
#[derive(Clone)]
pub struct ClearKey(Zeroizing<Vec<u8>>);

impl ClearKey {
    /// A key from its bytes (copied).
    #[must_use]
    pub fn new(bytes: &[u8]) -> Self {
        Self(Zeroizing::new(bytes.to_vec()))
    }

    /// The key bytes. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for an empty key (never produced by unwrap).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key as a typed block-cipher key for the header's algorithm (`T` → TDES, `A` → AES,
    /// `D` → DES), by [`key_algorithm`].
    ///
    /// # Errors
    /// [`Error::KeyLength`] when the algorithm is not a block cipher or the length does not fit.
    pub fn to_symmetric_key(&self, algorithm: Algorithm) -> Result<SymmetricKey, Error> {
        let alg = key_algorithm(algorithm, self.len())?;
        SymmetricKey::new(alg, &self.0).map_err(|_| Error::KeyLength {
            algorithm,
            length: self.len(),
        })
    }
}

impl From<&SymmetricKey> for ClearKey {
    fn from(k: &SymmetricKey) -> Self {
        Self::new(k.expose_bytes())
    }
}

impl fmt::Debug for ClearKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClearKey({} bytes)", self.0.len())
    }
}

impl ConstantTimeEq for ClearKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.as_slice().ct_eq(other.0.as_slice())
    }
}

impl PartialEq for ClearKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for ClearKey {}

/// The block-cipher key type of a key of `len` bytes under the header algorithm `algorithm`
/// (X9.143 §6.2 Table 3 algorithm codes with the key lengths of X9.143 §6.1: `T` 16 → 2-key
/// TDEA, 24 → 3-key TDEA; `A` 16/24/32 → AES-128/192/256; `D` 8 → DES). The one place this
/// rule is written: [`ClearKey::to_symmetric_key`], TR-34 (which carries a subset, TR-34-2019
/// Table 15) and the command line use it.
///
/// # Errors
/// [`Error::KeyLength`] when the algorithm is not a block cipher or the length does not fit it.
pub const fn key_algorithm(algorithm: Algorithm, len: usize) -> Result<KeyAlgorithm, Error> {
    Ok(match (algorithm, len) {
        (Algorithm::Tdes, 16) => KeyAlgorithm::Tdes2,
        (Algorithm::Tdes, 24) => KeyAlgorithm::Tdes3,
        (Algorithm::Aes, 16) => KeyAlgorithm::Aes128,
        (Algorithm::Aes, 24) => KeyAlgorithm::Aes192,
        (Algorithm::Aes, 32) => KeyAlgorithm::Aes256,
        (Algorithm::Des, 8) => KeyAlgorithm::Des,
        _ => {
            return Err(Error::KeyLength {
                algorithm,
                length: len,
            });
        }
    })
}

/// How a `PB` block added by wrap is filled (X9.143 §6.3 padding block: printable data; random
/// alphanumerics unless zeros are asked for).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PbFill {
    /// Random upper-case alphanumerics from the wrap's random source (the default).
    #[default]
    Random,
    /// `0` characters.
    Zeros,
}

/// Options for [`wrap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrapOptions {
    /// The profile the header must satisfy (default [`Profile::X9_143`]).
    pub profile: Profile,
    /// X9.143 key-length obfuscation (§6.1.1): pad TDES keys to 24 and AES keys to 32 bytes
    /// before the block padding (default `true`; version E never pads).
    pub obfuscate: bool,
    /// Fill of a `PB` block added to align the optional blocks.
    pub pb_fill: PbFill,
    /// Overrides the header's version (default: the header's own; [`Kbpk::default_version`]
    /// is the usual choice for a KBPK).
    pub version: Option<Version>,
}

impl Default for WrapOptions {
    fn default() -> Self {
        Self {
            profile: Profile::X9_143,
            obfuscate: true,
            pb_fill: PbFill::Random,
            version: None,
        }
    }
}

impl WrapOptions {
    /// Defaults with another profile.
    #[must_use]
    pub fn with_profile(profile: Profile) -> Self {
        Self {
            profile,
            ..Self::default()
        }
    }
}

enum PaddingSource<'a> {
    Random,
    Exact(&'a [u8]),
}

/// Wraps `key` under `kbpk` with the attributes of `header` (X9.143 §7; TR-31:2018 A.7 for A–D,
/// ISO 20038:2017 §6 for E).
///
/// The header's length field is recomputed; a `PB` block is appended when the optional blocks
/// do not end on a cipher-block boundary and there is none. The payload padding (and X9.143
/// key-length obfuscation unless turned off) comes from `rng`; pass a
/// [`ReplayRng`](paycrypt_primitives::rng::ReplayRng) to reproduce a published block.
///
/// # Errors
/// [`Error::InvalidKbpk`] when the KBPK does not fit the version, [`Error::UnsupportedVersion`],
/// the profile's header errors, [`Error::KeyLength`] when the key does not fit the header's
/// algorithm (or is empty; an 8-byte key under `T` only under [`Profile::Lenient`]),
/// [`Error::KcvMismatch`] when a `KC` or `KP` block in the header does not match the key or the
/// KBPK (add one with [`kc_block`]), [`Error::OptionalBlockData`] when such a block is not
/// `00`/`01` ‖ hex, [`Error::Misaligned`] when the header ends with a `PB` block that
/// does not align it, [`Error::TooLong`], [`Error::TooManyBlocks`], [`Error::Rng`].
pub fn wrap<R: TryCryptoRng + ?Sized>(
    kbpk: &Kbpk,
    header: &KeyBlockHeader,
    key: &ClearKey,
    options: &WrapOptions,
    rng: &mut R,
) -> Result<String, Error> {
    wrap_inner(kbpk, header, key, options, PaddingSource::Random, rng)
}

/// As [`wrap`], with the exact bytes that follow the key in the payload (obfuscation and block
/// padding, verbatim; empty for version E). `rng` is used only to fill a `PB` block that has to
/// be added (not at all with [`PbFill::Zeros`]).
///
/// # Errors
/// As [`wrap`], and [`Error::PaddingLength`] when `2 + key + padding` is not a whole number of
/// cipher blocks (or the padding is not empty for version E).
pub fn wrap_with_padding<R: TryCryptoRng + ?Sized>(
    kbpk: &Kbpk,
    header: &KeyBlockHeader,
    key: &ClearKey,
    padding: &[u8],
    options: &WrapOptions,
    rng: &mut R,
) -> Result<String, Error> {
    wrap_inner(
        kbpk,
        header,
        key,
        options,
        PaddingSource::Exact(padding),
        rng,
    )
}

fn random_alphanumerics<R: TryCryptoRng + ?Sized>(rng: &mut R, n: usize) -> Result<String, Error> {
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = String::with_capacity(n);
    while out.len() < n {
        let mut b = [0u8; 1];
        fill(rng, &mut b)?;
        // Rejection sampling keeps the distribution uniform (252 = 7 × 36).
        if let Some(c) = ALPHABET.get(usize::from(b[0] % 36)).filter(|_| b[0] < 252) {
            out.push(char::from(*c));
        }
    }
    Ok(out)
}

fn wrap_inner<R: TryCryptoRng + ?Sized>(
    kbpk: &Kbpk,
    header: &KeyBlockHeader,
    key: &ClearKey,
    options: &WrapOptions,
    padding: PaddingSource<'_>,
    rng: &mut R,
) -> Result<String, Error> {
    let mut h = header.clone();
    if let Some(v) = options.version {
        h.set_version(v);
    }
    let version = h.version();
    let keys = binding_keys(kbpk, version)?;
    options.profile.check_header(&h)?;
    if key.is_empty() || !options.profile.key_length_fits(h.algorithm(), key.len()) {
        return Err(Error::KeyLength {
            algorithm: h.algorithm(),
            length: key.len(),
        });
    }
    // A KC or KP block must describe this key and this KBPK (X9.143 §6.3.6, §6.3.7).
    check_kcv_blocks(&h, key, kbpk)?;
    // Optional-block alignment (X9.143 §6.3: a `PB` block pads to a cipher-block multiple).
    if let Some(d) = h.padding_block_len() {
        if h.optional_blocks()
            .last()
            .is_some_and(|b| b.id() == BlockId::PB)
        {
            h.check_alignment()?;
        }
        let data = match options.pb_fill {
            PbFill::Random => random_alphanumerics(rng, d)?,
            PbFill::Zeros => "0".repeat(d),
        };
        h.push_block(OptionalBlock::padding(&data)?)?;
    }
    // Payload: key length in bits ‖ key ‖ padding (X9.143 §6.1; obfuscation §6.1.1; version
    // E has no padding, ISO 20038:2017 §6).
    let bs = version.block_size();
    let key_bits = u16::try_from(key.len() * 8).map_err(|_| Error::TooLong {
        length: key.len() * 2,
    })?;
    let pad_len = match padding {
        PaddingSource::Exact(p) => {
            let total = 2 + key.len() + p.len();
            let ok = if version == Version::E {
                p.is_empty()
            } else {
                total.is_multiple_of(bs)
            };
            if !ok {
                return Err(Error::PaddingLength { length: p.len() });
            }
            p.len()
        }
        PaddingSource::Random if version == Version::E => 0,
        PaddingSource::Random => {
            let obf = if options.obfuscate {
                h.algorithm()
                    .obfuscation_len()
                    .map_or(0, |m| m.saturating_sub(key.len()))
            } else {
                0
            };
            let unpadded = 2 + key.len() + obf;
            obf + (bs - unpadded % bs) % bs
        }
    };
    let payload_len = 2 + key.len() + pad_len;
    let total = h.encoded_len() + 2 * payload_len + 2 * version.mac_len();
    if total > MAX_KEY_BLOCK_LEN {
        return Err(Error::TooLong { length: total });
    }
    h.set_length(total)?;
    let mut payload = Zeroizing::new(alloc::vec![0u8; payload_len]);
    // Layout by construction: payload_len = 2 + key + padding.
    let internal = Error::PaddingLength { length: pad_len };
    let (len_field, rest) = payload.split_at_mut_checked(2).ok_or(internal)?;
    len_field.copy_from_slice(&key_bits.to_be_bytes());
    let (key_part, pad_part) = rest.split_at_mut_checked(key.len()).ok_or(internal)?;
    key_part.copy_from_slice(key.expose_bytes());
    match padding {
        PaddingSource::Exact(p) if p.len() == pad_part.len() => pad_part.copy_from_slice(p),
        PaddingSource::Exact(_) => return Err(internal),
        PaddingSource::Random => fill(rng, pad_part)?,
    }
    let header_text = h.encode();
    let mac = binding::seal(&keys, version, header_text.as_bytes(), &mut payload)?;
    let mut out = alloc::vec![0u8; total];
    let too_long = Error::TooLong { length: total };
    let (head, tail) = out
        .split_at_mut_checked(header_text.len())
        .ok_or(too_long)?;
    head.copy_from_slice(header_text.as_bytes());
    let (p_hex, m_hex) = tail.split_at_mut_checked(2 * payload_len).ok_or(too_long)?;
    encode_upper_into(&payload, p_hex)?;
    encode_upper_into(&mac, m_hex)?;
    String::from_utf8(out).map_err(|_| Error::InvalidCharacter { position: 0 })
}

/// A parsed (not yet authenticated) key block: header, encrypted payload and MAC.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyBlock {
    text: String,
    header: KeyBlockHeader,
    header_len: usize,
    payload: Vec<u8>,
    mac: Vec<u8>,
}

impl fmt::Debug for KeyBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyBlock")
            .field("header", &self.header)
            .field("payload_len", &self.payload.len())
            .field("mac_len", &self.mac.len())
            .finish()
    }
}

/// Checks the fixed header's characters and the length field against the text (X9.143 §6.2
/// key block length field), before anything else is parsed.
fn check_length_field(text: &[u8]) -> Result<(), Error> {
    if text.len() > MAX_KEY_BLOCK_LEN {
        return Err(Error::TooLong { length: text.len() });
    }
    let fixed = text.get(..FIXED_HEADER_LEN).ok_or(Error::Truncated {
        position: text.len(),
    })?;
    Version::from_char(fixed.first().copied().unwrap_or(0))?;
    if let Some(p) = fixed.iter().position(|b| !is_printable(*b)) {
        return Err(Error::InvalidCharacter { position: p });
    }
    let digits = fixed.get(1..5).unwrap_or_default();
    let declared = digits
        .iter()
        .try_fold(0usize, |v, d| {
            d.is_ascii_digit().then(|| v * 10 + usize::from(d - b'0'))
        })
        .ok_or(Error::InvalidField {
            field: Field::Length,
            position: 1,
        })?;
    if declared != text.len() {
        return Err(Error::LengthMismatch {
            declared,
            actual: text.len(),
        });
    }
    Ok(())
}

impl KeyBlock {
    /// Parses a key block under `profile` (X9.143 §6.2–§6.3): length field, header
    /// and optional blocks (with the profile's rules), alignment, and the hex payload and MAC.
    /// Nothing is authenticated yet.
    ///
    /// # Errors
    /// [`Error::TooLong`], [`Error::Truncated`], [`Error::UnknownVersion`],
    /// [`Error::LengthMismatch`], the header errors of [`KeyBlockHeader::parse_with`],
    /// [`Error::Misaligned`], [`Error::InvalidPayload`], [`Error::PayloadLength`].
    pub fn parse(text: &str, profile: Profile) -> Result<Self, Error> {
        let bytes = text.as_bytes();
        check_length_field(bytes)?;
        let (header, end) = KeyBlockHeader::parse_prefix_with(bytes, profile)?;
        header.check_alignment()?;
        let version = header.version();
        let rest = bytes.get(end..).unwrap_or_default();
        let case = if profile.is_lenient() {
            Case::Any
        } else {
            Case::Upper
        };
        if let Some(p) = rest.iter().position(|b| digit_value(*b, case).is_none()) {
            return Err(Error::InvalidPayload { position: end + p });
        }
        let mac_hex = 2 * version.mac_len();
        let bad_len = Error::PayloadLength {
            length: rest.len(),
            block_size: version.block_size(),
        };
        let payload_hex = rest.len().checked_sub(mac_hex).ok_or(bad_len)?;
        if !payload_hex.is_multiple_of(2) {
            return Err(bad_len);
        }
        let payload_len = payload_hex / 2;
        let ok = if version == Version::E {
            payload_len > 2
        } else {
            payload_len > 0 && payload_len.is_multiple_of(version.block_size())
        };
        if !ok {
            return Err(bad_len);
        }
        let (p_text, m_text) = rest.split_at_checked(payload_hex).ok_or(bad_len)?;
        let mut payload = alloc::vec![0u8; payload_len];
        let mut mac = alloc::vec![0u8; version.mac_len()];
        decode_into(p_text, &mut payload, case).map_err(|_| bad_len)?;
        decode_into(m_text, &mut mac, case).map_err(|_| bad_len)?;
        Ok(Self {
            text: String::from(text),
            header,
            header_len: end,
            payload,
            mac,
        })
    }

    /// The header and optional blocks.
    #[must_use]
    pub const fn header(&self) -> &KeyBlockHeader {
        &self.header
    }

    /// The encrypted payload.
    #[must_use]
    pub fn encrypted_payload(&self) -> &[u8] {
        &self.payload
    }

    /// The MAC as carried (4, 8 or 16 bytes).
    #[must_use]
    pub fn mac(&self) -> &[u8] {
        &self.mac
    }

    /// The key block text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Authenticates and decrypts under `kbpk` with [`UnwrapOptions`] of `profile` (every `KC`
    /// and `KP` block present is checked; none is required). See [`KeyBlock::unwrap_with`].
    ///
    /// # Errors
    /// As [`KeyBlock::unwrap_with`].
    pub fn unwrap(&self, kbpk: &Kbpk, profile: Profile) -> Result<Unwrapped, Error> {
        self.unwrap_with(kbpk, &UnwrapOptions::with_profile(profile))
    }

    /// Authenticates and decrypts under `kbpk` (X9.143 §7; TR-31:2018 A.7; ISO 20038:2017 §6):
    ///
    /// 1. the KBPK must fit the version;
    /// 2. the MAC is checked in constant time over the header bytes as received, before
    ///    anything decrypted is read — everything up to and including this check fails with the
    ///    one opaque [`Error::AuthenticationFailed`];
    /// 3. after it, the block is authentic and the errors name the rule: the key-length field
    ///    (a whole number of bytes within the payload; exactly the payload for E,
    ///    [`Error::KeyLengthField`]), the key length against the header's algorithm under the
    ///    profile ([`Error::KeyLengthNotAllowed`]), and every `KC` (key) and `KP` (KBPK) block
    ///    present, recomputed and compared in constant time ([`Error::KcvMismatch`]; X9.143
    ///    §6.3.6–6.3.7). With [`UnwrapOptions::require_kc`] a checkable `KC` block must be
    ///    present ([`Error::KcBlockRequired`]).
    ///
    /// # Errors
    /// [`Error::InvalidKbpk`], [`Error::UnsupportedVersion`], [`Error::AuthenticationFailed`],
    /// then the rules above, and [`Error::OptionalBlockData`] for a `KC`/`KP` block that is not
    /// `00`/`01` ‖ hex (only reachable under profiles that do not check block formats).
    pub fn unwrap_with(&self, kbpk: &Kbpk, options: &UnwrapOptions) -> Result<Unwrapped, Error> {
        let profile = options.profile;
        let version = self.header.version();
        let keys = binding_keys(kbpk, version)?;
        let header_bytes = self
            .text
            .as_bytes()
            .get(..self.header_len)
            .ok_or(Error::AuthenticationFailed)?;
        let mut plain = Zeroizing::new(self.payload.clone());
        binding::open(&keys, version, header_bytes, &mut plain, &self.mac)?;
        // Only now is the plaintext read (X9.143 §7: the MAC is verified before the decrypted
        // key length is used, so a wrong KBPK is never an "invalid key length" oracle). From
        // here on the block is authentic: errors name the rule.
        let (len_field, rest) = plain
            .split_at_checked(2)
            .ok_or(Error::AuthenticationFailed)?;
        let bits = u16::from_be_bytes(
            len_field
                .try_into()
                .map_err(|_| Error::AuthenticationFailed)?,
        );
        let n = usize::from(bits / 8);
        let field_ok = bits.is_multiple_of(8)
            && n > 0
            && if version == Version::E {
                n == rest.len()
            } else {
                n <= rest.len()
            };
        if !field_ok {
            return Err(Error::KeyLengthField {
                bits,
                available: rest.len(),
            });
        }
        let algorithm = self.header.algorithm();
        if !profile.unwrap_key_length_fits(algorithm, n) {
            return Err(Error::KeyLengthNotAllowed {
                algorithm,
                length: n,
            });
        }
        let key = ClearKey::new(rest.get(..n).ok_or(Error::AuthenticationFailed)?);
        let checked_kc = check_kcv_blocks(&self.header, &key, kbpk)?;
        if options.require_kc && !checked_kc {
            return Err(Error::KcBlockRequired);
        }
        Ok(Unwrapped::new(self.header.clone(), key))
    }
}

/// Options for [`KeyBlock::unwrap_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct UnwrapOptions {
    /// The validation profile (default [`Profile::Interop`]).
    pub profile: Profile,
    /// Require a `KC` block that can be checked (a TDES, AES or DES key) and matches the key.
    /// Every `KC` and `KP` block present is checked whatever this says (default `false`).
    pub require_kc: bool,
}

impl UnwrapOptions {
    /// Defaults with another profile.
    #[must_use]
    pub fn with_profile(profile: Profile) -> Self {
        Self {
            profile,
            require_kc: false,
        }
    }

    /// These options requiring a `KC` block.
    #[must_use]
    pub const fn requiring_kc(mut self) -> Self {
        self.require_kc = true;
        self
    }
}

/// The block-cipher key a `KC` block describes: the header's algorithm and the key's length
/// (an 8-byte key under `T`, accepted by the interop and lenient profiles, is single DES:
/// `E_K(0)` of K‖K‖K equals the DES encryption). `None` for keys without a KC method (RSA, EC,
/// HMAC).
fn kc_key(key: &ClearKey, algorithm: Algorithm) -> Option<SymmetricKey> {
    match (algorithm, key.len()) {
        (Algorithm::Tdes, 8) => SymmetricKey::new(KeyAlgorithm::Des, key.expose_bytes()).ok(),
        _ => key.to_symmetric_key(algorithm).ok(),
    }
}

/// The KCV method X9.143 §6.3.6 names by default for a key of `algorithm`: legacy (`00`) for
/// TDES and DES, CMAC (`01`) for AES.
const fn default_kc_method(algorithm: Algorithm) -> KcvMethod {
    match algorithm {
        Algorithm::Aes => KcvMethod::Cmac,
        _ => KcvMethod::Legacy,
    }
}

/// A `KC` optional block for `key` under the header algorithm `algorithm` (X9.143 §6.3.6;
/// X9.24-1:2017 Annex A): `00` ‖ 3-byte legacy KCV for TDES (and DES), `01` ‖ 5-byte CMAC KCV
/// for AES. Push it onto the header before [`wrap`].
///
/// # Errors
/// [`Error::KeyLength`] when the key is not a TDES, AES or DES key of `algorithm`.
pub fn kc_block(key: &ClearKey, algorithm: Algorithm) -> Result<OptionalBlock, Error> {
    let k = kc_key(key, algorithm).ok_or(Error::KeyLength {
        algorithm,
        length: key.len(),
    })?;
    OptionalBlock::check_value(BlockId::KC, default_kc_method(algorithm), &k)
}

/// Checks every `KC` (the key) and `KP` (the KBPK) block of `header` (X9.143 §6.3.6–6.3.7;
/// KCVs recomputed with `paycrypt-mac`, compared in constant time). Returns whether a `KC`
/// block was checked (a `KC` block of a key without a KCV method — RSA, EC, HMAC — is not).
fn check_kcv_blocks(header: &KeyBlockHeader, key: &ClearKey, kbpk: &Kbpk) -> Result<bool, Error> {
    use paycrypt_mac::check_kcv;
    let mut checked_kc = false;
    for (i, b) in header.optional_blocks().iter().enumerate() {
        let id = b.id();
        let k = match id {
            BlockId::KC => match kc_key(key, header.algorithm()) {
                Some(k) => k,
                None => continue,
            },
            BlockId::KP => kbpk.key().clone(),
            _ => continue,
        };
        let bad = Error::OptionalBlockData {
            id,
            position: header.block_position(i),
        };
        let kcv = match b.value() {
            Ok(BlockValue::KeyCheckValue(k) | BlockValue::KbpkCheckValue(k)) => k,
            _ => return Err(bad),
        };
        let mut buf = [0u8; 8];
        let expected = buf.get_mut(..kcv.value.len() / 2).ok_or(bad)?;
        decode_into(kcv.value.as_bytes(), expected, Case::Upper).map_err(|_| bad)?;
        let method = kcv.method;
        // `check_kcv` compares in constant time; a method the key cannot use (CMAC of a DES
        // key) is a mismatch too: the block cannot describe this key.
        check_kcv(&k, method, expected).map_err(|_| Error::KcvMismatch { id })?;
        checked_kc |= id == BlockId::KC;
    }
    Ok(checked_kc)
}

/// The result of unwrapping: the header (with its optional blocks) and the key.
///
/// It converts into the typed key of the role its key usage names (X9.143 §6.2 Table 2), with
/// the usage and algorithm checked: `PinKey` (`P0`), a `paycrypt_mac` [`MacKey`] or
/// [`HmacKey`] (`M0`–`M8`), a DUKPT BDK (`B0`) or initial key (`B1`) — see the crate docs.
///
/// [`MacKey`]: paycrypt_mac::MacKey
/// [`HmacKey`]: paycrypt_mac::HmacKey
#[derive(Clone, Debug)]
pub struct Unwrapped {
    header: KeyBlockHeader,
    key: ClearKey,
    /// The key as the typed key of its algorithm (`T`/`A`/`D` block-cipher keys, `H`/`I`/`J`
    /// HMAC keys), so a `MacKey` can borrow it; `None` for other algorithms and lengths.
    typed: TypedKey,
}

/// The typed form of an unwrapped key (see [`Unwrapped`]). Inline on purpose: one per
/// unwrapped key, and boxing would move key bytes through another allocation.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum TypedKey {
    /// A TDES, AES or DES key.
    Symmetric(SymmetricKey),
    /// An HMAC key.
    Hmac(paycrypt_mac::HmacKey),
    /// Another algorithm (RSA, EC, proprietary) or a length that fits no typed key.
    None,
}

impl PartialEq for Unwrapped {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header && self.key == other.key
    }
}

impl Eq for Unwrapped {}

impl Unwrapped {
    fn new(header: KeyBlockHeader, key: ClearKey) -> Self {
        let algorithm = header.algorithm();
        let typed = if algorithm.is_hmac() {
            paycrypt_mac::HmacKey::from_bytes(key.expose_bytes())
                .map_or(TypedKey::None, TypedKey::Hmac)
        } else {
            key.to_symmetric_key(algorithm)
                .map_or(TypedKey::None, TypedKey::Symmetric)
        };
        Self { header, key, typed }
    }

    /// The typed key (for the conversions).
    pub(crate) const fn typed(&self) -> &TypedKey {
        &self.typed
    }

    /// The key as a block-cipher key when the header's algorithm is `T`, `A` or `D` and the
    /// length fits it ([`key_algorithm`]).
    #[must_use]
    pub const fn symmetric_key(&self) -> Option<&SymmetricKey> {
        match &self.typed {
            TypedKey::Symmetric(k) => Some(k),
            _ => None,
        }
    }
    /// The header and optional blocks.
    #[must_use]
    pub const fn header(&self) -> &KeyBlockHeader {
        &self.header
    }

    /// The clear key.
    #[must_use]
    pub const fn key(&self) -> &ClearKey {
        &self.key
    }

    /// Checks the `KC` and `KP` optional blocks against the key and `kbpk`. Unwrap already did
    /// this (every block present, after authentication); kept for callers that build an
    /// [`Unwrapped`] by other means.
    ///
    /// # Errors
    /// [`Error::OptionalBlockData`] when a block is not `00`/`01` ‖ hex,
    /// [`Error::KcvMismatch`] when a value does not match.
    pub fn check_kcv_blocks(&self, kbpk: &Kbpk) -> Result<(), Error> {
        check_kcv_blocks(&self.header, &self.key, kbpk).map(|_| ())
    }

    /// The key's check value (X9.24-1:2017 Annex A), by the method of the block's `KC` block
    /// when it has one, else the default for the algorithm (X9.143 §6.3.6: legacy 3 bytes for
    /// TDES and DES, CMAC 5 bytes for AES). `None` for keys without a KCV method (RSA, EC, HMAC).
    #[must_use]
    pub fn kcv(&self) -> Option<paycrypt_mac::Kcv> {
        use paycrypt_mac::kcv;
        let algorithm = self.header.algorithm();
        let k = kc_key(&self.key, algorithm)?;
        let method = match self
            .header
            .optional_block(BlockId::KC)
            .map(OptionalBlock::value)
        {
            Some(Ok(BlockValue::KeyCheckValue(v))) => v.method,
            _ => default_kc_method(algorithm),
        };
        let len = if method == KcvMethod::Cmac { 5 } else { 3 };
        kcv(&k, method, len).ok()
    }

    /// Splits into header and key.
    #[must_use]
    pub fn into_parts(self) -> (KeyBlockHeader, ClearKey) {
        (self.header, self.key)
    }
}

/// Unwraps a key block: [`KeyBlock::parse`] then [`KeyBlock::unwrap`].
///
/// # Errors
/// The malformed-text errors of [`KeyBlock::parse`] ([`ErrorClass::Malformed`](crate::ErrorClass::Malformed)), then
/// [`Error::InvalidKbpk`], then the uniform [`Error::AuthenticationFailed`], then the rules
/// checked after authentication (see [`KeyBlock::unwrap_with`]).
pub fn unwrap(kbpk: &Kbpk, text: &str, profile: Profile) -> Result<Unwrapped, Error> {
    KeyBlock::parse(text, profile)?.unwrap(kbpk, profile)
}

/// What [`inspect`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Inspection {
    /// A whole key block (length field, alignment and payload checked, not authenticated).
    KeyBlock(KeyBlock),
    /// A header with its optional blocks and nothing after them (the length field is not
    /// compared with anything).
    Header(KeyBlockHeader),
}

impl Inspection {
    /// The header in either case.
    #[must_use]
    pub const fn header(&self) -> &KeyBlockHeader {
        match self {
            Self::KeyBlock(k) => k.header(),
            Self::Header(h) => h,
        }
    }
}

/// Decodes a key block, or a header with optional blocks and nothing after them, without a
/// key.
///
/// # Errors
/// The errors of [`KeyBlockHeader::parse_with`] or [`KeyBlock::parse`].
pub fn inspect(text: &str, profile: Profile) -> Result<Inspection, Error> {
    let (_, end) = KeyBlockHeader::parse_prefix(text.as_bytes(), profile.strictness())?;
    if end == text.len() {
        KeyBlockHeader::parse_with(text, profile).map(Inspection::Header)
    } else {
        KeyBlock::parse(text, profile).map(Inspection::KeyBlock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Exportability, KeyUsage, KeyVersion, ModeOfUse};

    /// Builds a MAC-valid key block around an arbitrary plaintext payload (to reach the checks
    /// that run after authentication).
    fn craft(kbpk: &Kbpk, header: &str, payload: &[u8]) -> String {
        let mut h = KeyBlockHeader::parse_with(header, Profile::Lenient).unwrap();
        let v = h.version();
        let total = h.encoded_len() + 2 * payload.len() + 2 * v.mac_len();
        h.set_length(total).unwrap();
        let text = h.encode();
        let keys = binding_keys(kbpk, v).unwrap();
        let mut p = payload.to_vec();
        let mac = binding::seal(&keys, v, text.as_bytes(), &mut p).unwrap();
        let mut out = text;
        out.push_str(&paycrypt_primitives::hex::encode_upper(&p));
        out.push_str(&paycrypt_primitives::hex::encode_upper(&mac));
        out
    }

    #[test]
    fn crafted_length_fields_name_the_rule_after_authentication() {
        let tdes = Kbpk::tdes(&[0x11; 16]).unwrap();
        let aes = Kbpk::aes(&[0x22; 32]).unwrap();
        for (kbpk, header, bs) in [
            (&tdes, "A0000P0TE00E0000", 8),
            (&tdes, "B0000P0TE00E0000", 8),
            (&tdes, "C0000P0TE00E0000", 8),
            (&aes, "D0000P0AE00E0000", 16),
        ] {
            let mut good = alloc::vec![0u8; 2 * bs + bs];
            good[..2].copy_from_slice(&128u16.to_be_bytes());
            let ok = craft(kbpk, header, &good);
            assert_eq!(unwrap(kbpk, &ok, Profile::Interop).unwrap().key().len(), 16);
            // 3-bit length, zero length, past the payload: the MAC verified, so
            // the error names the field (and is still a rejection, not malformed text).
            for bits in [3u16, 0, 8 * (3 * bs as u16), 0xFFF8] {
                let mut p = good.clone();
                p[..2].copy_from_slice(&bits.to_be_bytes());
                let t = craft(kbpk, header, &p);
                let e = unwrap(kbpk, &t, Profile::Lenient).unwrap_err();
                assert_eq!(
                    e,
                    Error::KeyLengthField {
                        bits,
                        available: 3 * bs - 2
                    },
                    "{header} {bits}"
                );
                assert_eq!(e.class(), paycrypt_primitives::ErrorClass::Rejected);
                assert_ne!(e, Error::AuthenticationFailed);
                // A wrong KBPK still gets the one opaque error.
                let other = Kbpk::for_version(kbpk_version(header), &[0x5A; 16]).unwrap();
                assert_eq!(
                    unwrap(&other, &t, Profile::Lenient).unwrap_err(),
                    Error::AuthenticationFailed
                );
            }
            // Key length not fitting T/A: accepted only leniently, named otherwise.
            let mut p = good.clone();
            p[..2].copy_from_slice(&(15u16 * 8).to_be_bytes());
            let t = craft(kbpk, header, &p);
            let e = unwrap(kbpk, &t, Profile::Interop).unwrap_err();
            assert!(matches!(e, Error::KeyLengthNotAllowed { length: 15, .. }));
            assert_eq!(e.class(), paycrypt_primitives::ErrorClass::Rejected);
            assert_eq!(unwrap(kbpk, &t, Profile::Lenient).unwrap().key().len(), 15);
        }
        // Version E: the length must equal the payload.
        let p = [
            0x00, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        ];
        let t = craft(&aes, "E0000P0AE00E0000", &p);
        assert_eq!(
            unwrap(&aes, &t, Profile::Interop).unwrap_err(),
            Error::KeyLengthField {
                bits: 128,
                available: 17
            }
        );
        let t = craft(&aes, "E0000P0AE00E0000", &p[..18]);
        assert!(unwrap(&aes, &t, Profile::Interop).is_ok());
    }

    fn kbpk_version(header: &str) -> Version {
        Version::from_char(header.as_bytes()[0]).unwrap()
    }

    #[test]
    fn eight_byte_key_under_t() {
        // An authentic block carrying a single-DES key under algorithm T (as in psec's and
        // moov-io's published known values): the default profile returns it, the strict
        // profiles name the rule, wrap writes it only leniently.
        let kbpk = Kbpk::tdes(&[0x11; 16]).unwrap();
        let mut p = alloc::vec![0u8; 16];
        p[..2].copy_from_slice(&64u16.to_be_bytes());
        p[2..10].copy_from_slice(&[0x23; 8]);
        let t = craft(&kbpk, "B0000P0TE00E0000", &p);
        assert_eq!(unwrap(&kbpk, &t, Profile::Interop).unwrap().key().len(), 8);
        assert_eq!(unwrap(&kbpk, &t, Profile::Lenient).unwrap().key().len(), 8);
        for strict in [Profile::X9_143, Profile::Tr31_2018] {
            let e = unwrap(&kbpk, &t, strict).unwrap_err();
            assert_eq!(
                e,
                Error::KeyLengthNotAllowed {
                    algorithm: Algorithm::Tdes,
                    length: 8
                }
            );
            assert_eq!(
                alloc::string::ToString::to_string(&e),
                "8-byte key under algorithm T: X9.143 requires 16 or 24 bytes; the lenient profile accepts it"
            );
        }
        let header = KeyBlockHeader::parse("B0000P0TE00E0000").unwrap();
        let key = ClearKey::new(&[0x23; 8]);
        let mut rng = paycrypt_primitives::rng::ReplayRng::new(&[7; 64]);
        for p in [Profile::X9_143, Profile::Tr31_2018, Profile::Interop] {
            assert!(matches!(
                wrap(
                    &kbpk,
                    &header,
                    &key,
                    &WrapOptions::with_profile(p),
                    &mut rng
                ),
                Err(Error::KeyLength { length: 8, .. })
            ));
        }
        let w = wrap(
            &kbpk,
            &header,
            &key,
            &WrapOptions::with_profile(Profile::Lenient),
            &mut rng,
        )
        .unwrap();
        assert_eq!(unwrap(&kbpk, &w, Profile::Interop).unwrap().key(), &key);
    }

    /// A MAC-valid block with `key` under `header` (optional blocks as given, no checks).
    fn craft_key(kbpk: &Kbpk, header: &str, key: &[u8]) -> String {
        let bs = Version::from_char(header.as_bytes()[0])
            .unwrap()
            .block_size();
        let mut p = alloc::vec![0u8; 2 + key.len()];
        p[..2].copy_from_slice(&u16::try_from(key.len() * 8).unwrap().to_be_bytes());
        p[2..].copy_from_slice(key);
        while !p.len().is_multiple_of(bs) {
            p.push(0);
        }
        craft(kbpk, header, &p)
    }

    #[test]
    fn kc_and_kp_are_enforced_on_unwrap() {
        // The issue's example: KC 00FFFFFF is not the KCV of this key.
        let kbpk = Kbpk::tdes(&[0x11; 16]).unwrap();
        let key = [0x23u8; 16];
        let t = craft_key(&kbpk, "B0000P0TE00N0200KC0C00FFFFFFPB04", &key);
        // (ISO 20038 has no version B.)
        for p in [
            Profile::X9_143,
            Profile::Tr31_2018,
            Profile::Interop,
            Profile::Lenient,
        ] {
            let e = unwrap(&kbpk, &t, p).unwrap_err();
            assert_eq!(e, Error::KcvMismatch { id: BlockId::KC }, "{p}");
            assert_eq!(e.class(), paycrypt_primitives::ErrorClass::Rejected);
        }
        // The right KC passes and is what `Unwrapped::kcv` reports.
        let kc = kc_block(&ClearKey::new(&key), Algorithm::Tdes).unwrap();
        let h = alloc::format!("B0000P0TE00N0200{kc}PB04");
        let t = craft_key(&kbpk, &h, &key);
        let u = unwrap(&kbpk, &t, Profile::X9_143).unwrap();
        assert_eq!(alloc::format!("KC0C00{}", u.kcv().unwrap()), kc.as_str());
        // A KP of another KBPK, authentic otherwise.
        let kp = Kbpk::tdes(&[0x12; 16]).unwrap().key().clone();
        let kp = OptionalBlock::check_value(BlockId::KP, KcvMethod::Cmac, &kp).unwrap();
        let t = craft_key(&kbpk, &alloc::format!("B0000P0TE00N0100{kp}"), &key);
        assert_eq!(
            unwrap(&kbpk, &t, Profile::Interop).unwrap_err(),
            Error::KcvMismatch { id: BlockId::KP }
        );
        let kp = OptionalBlock::check_value(BlockId::KP, KcvMethod::Cmac, kbpk.key()).unwrap();
        let t = craft_key(&kbpk, &alloc::format!("B0000P0TE00N0100{kp}"), &key);
        assert!(unwrap(&kbpk, &t, Profile::Interop).is_ok());
        // A wrong KBPK is still the opaque failure, KC or not.
        let t = craft_key(&kbpk, "B0000P0TE00N0200KC0C00FFFFFFPB04", &key);
        assert_eq!(
            unwrap(&Kbpk::tdes(&[0x12; 16]).unwrap(), &t, Profile::Interop).unwrap_err(),
            Error::AuthenticationFailed
        );
        // Wrap refuses the mismatching header.
        let header = KeyBlockHeader::parse("B0000P0TE00N0100KC0C00FFFFFF").unwrap();
        let mut rng = paycrypt_primitives::rng::ReplayRng::new(&[7; 64]);
        assert_eq!(
            wrap(
                &kbpk,
                &header,
                &ClearKey::new(&key),
                &WrapOptions::with_profile(Profile::Interop),
                &mut rng
            )
            .unwrap_err(),
            Error::KcvMismatch { id: BlockId::KC }
        );
    }

    #[test]
    fn fixed_header_alphabet_outside_lenient() {
        for h in [
            "B0000**TE00N0000",
            "B0000P0_E00N0000",
            "B0000P0TE0aN0000",
            "B0000P0TE00 0000",
        ] {
            assert!(
                matches!(
                    KeyBlockHeader::parse_with(h, Profile::Interop),
                    Err(Error::InvalidField { .. })
                ),
                "{h}"
            );
            assert!(
                KeyBlockHeader::parse_with(h, Profile::Lenient).is_ok(),
                "{h}"
            );
        }
        // A key component's version `c1` is in the alphabet.
        assert!(KeyBlockHeader::parse_with("B0000P0TEc1N0000", Profile::Interop).is_ok());
    }

    #[test]
    fn extended_length_with_short_data_in_lenient() {
        // `KS 00 02 LL data` (moov-io, psec): NN = 02 hex characters of length.
        let h = "B0000B0TX00N0100KS00021C00604B120F9292800000";
        let parsed = KeyBlockHeader::parse_with(h, Profile::Lenient).unwrap();
        let ks = parsed.optional_block(BlockId::KS).unwrap();
        assert_eq!(ks.data(), "00604B120F9292800000");
        assert!(ks.is_nonstandard_extended());
        assert_eq!(parsed.encode(), h);
        assert!(matches!(
            KeyBlockHeader::parse_with(h, Profile::Interop),
            Err(Error::OptionalBlockLength { position: 16 })
        ));
        // `LB 00 02 LLLL data` still reads as before.
        let b =
            KeyBlockHeader::parse_with("B0000P0TE00E0100LB0002000C00", Profile::Lenient).unwrap();
        assert_eq!(b.optional_blocks()[0].data(), "00");
        // And a whole block in that form unwraps leniently.
        let kbpk = Kbpk::tdes(&[0x11; 16]).unwrap();
        let t = craft_key(
            &kbpk,
            "B0000B0TX00N0200KS00021C00604B120F9292800000PB0C00000000",
            &[0x44; 16],
        );
        assert_eq!(unwrap(&kbpk, &t, Profile::Lenient).unwrap().key().len(), 16);
    }

    #[test]
    fn thales_variant_version_zero() {
        let kbpk = Kbpk::tdes(&[0x33; 24]).unwrap();
        let header = KeyBlockHeader::new(
            Version::Proprietary(b'0'),
            KeyUsage::P0,
            Algorithm::Tdes,
            ModeOfUse::EncryptDecrypt,
            KeyVersion::Unused,
            Exportability::Exportable,
        );
        let key = ClearKey::new(&[0x44; 16]);
        let opts = WrapOptions::with_profile(Profile::Interop);
        let text = wrap(
            &kbpk,
            &header,
            &key,
            &opts,
            &mut paycrypt_primitives::rng::ReplayRng::new(&[7; 14]),
        )
        .unwrap();
        assert!(text.starts_with('0'));
        assert_eq!(unwrap(&kbpk, &text, Profile::Interop).unwrap().key(), &key);
        // Other digits parse but are not supported.
        let one = alloc::format!("1{}", text.get(1..).unwrap());
        assert_eq!(
            unwrap(&kbpk, &one, Profile::Interop).unwrap_err(),
            Error::UnsupportedVersion {
                version: Version::Proprietary(b'1')
            }
        );
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = ClearKey::new(&[0xAB; 16]);
        let s = alloc::format!("{key:?}");
        assert_eq!(s, "ClearKey(16 bytes)");
    }
}
