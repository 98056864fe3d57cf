//! ECDH on the NIST curves P-256, P-384 and P-521 and the KBPK derivation of AWS Payment
//! Cryptography's `ImportDiffieHellmanTr31KeyBlock` / `ExportDiffieHellmanTr31KeyBlock`.
//!
//! 1. Z = the x-coordinate of d_own · Q_peer (NIST SP 800-56A Rev. 3 §5.7.1.2, ECC CDH
//!    primitive; cofactor 1 for these curves), as a big-endian string of the field length (32,
//!    48 or 66 bytes, leading zeros kept).
//! 2. KBPK = KDF(Z, SharedInformation, L) with the one-step (concat) or X9.63 KDF
//!    ([`crate::kdf`]); L = the KBPK type's key length.
//! 3. The working key travels in a TR-31 / ANSI X9.143 key block under the KBPK (version `D` for
//!    AES KBPKs, `B` for TDES ones), built and opened by `paycrypt-keyblock`: the header's usage,
//!    algorithm, mode of use and exportability are authenticated by the block MAC.
//!
//! Peer public keys get full public-key validation (SP 800-56A §5.6.2.3.3: on the curve, not
//! the identity, coordinates in range) from the RustCrypto decoders. Z is zeroized after the KDF.
//! The PCI strength rule ([`crate::policy`]) is checked before any scalar multiplication.

use crate::Error;
use crate::kdf::{self, Hash, Kdf};
use crate::policy::{KeyType, SecurityStrength, Strength};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use paycrypt_keyblock::{
    Algorithm as KbAlgorithm, ClearKey, Kbpk, KeyBlock, KeyBlockHeader, Profile, Unwrapped,
    Version, WrapOptions,
};
use paycrypt_primitives::key::{AesKey, SymmetricKey, TdesKey};
use paycrypt_primitives::rng::TryCryptoRng;
use zeroize::Zeroizing;

/// The largest shared information accepted (AWS `SharedInformation`: 2..2048 hex characters).
pub const MAX_SHARED_INFO: usize = 1024;

/// The supported curves (AWS `ECC_NIST_P256`, `ECC_NIST_P384`, `ECC_NIST_P521`; FIPS 186-5 /
/// SP 800-186 §3.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// P-256 (`prime256v1`, 1.2.840.10045.3.1.7).
    P256,
    /// P-384 (`secp384r1`, 1.3.132.0.34).
    P384,
    /// P-521 (`secp521r1`, 1.3.132.0.35).
    P521,
}

impl Curve {
    /// `P-256`, `P-384`, `P-521`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// The field length in bytes: the length of Z and of each coordinate (32, 48, 66).
    #[must_use]
    pub const fn field_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }

    /// The curve of a named-curve OID, if supported.
    #[must_use]
    pub fn from_oid(oid: &der::asn1::ObjectIdentifier) -> Option<Self> {
        match oid.to_string().as_str() {
            "1.2.840.10045.3.1.7" => Some(Self::P256),
            "1.3.132.0.34" => Some(Self::P384),
            "1.3.132.0.35" => Some(Self::P521),
            _ => None,
        }
    }
}

impl SecurityStrength for Curve {
    fn strength(&self) -> Strength {
        match self {
            Self::P256 => Strength::BITS_128,
            Self::P384 => Strength::BITS_192,
            Self::P521 => Strength::BITS_256,
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone)]
enum Secret {
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
}

/// An ECDH private key in the key-agreement role (never use the same key for ECDSA signing:
/// SP 800-57 Part 1 §5.2). Zeroized on drop (RustCrypto `SecretKey`); `Debug` names the curve
/// only.
#[derive(Clone)]
pub struct EcPrivateKey(Secret);

impl fmt::Debug for EcPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcPrivateKey")
            .field("curve", &self.curve())
            .finish_non_exhaustive()
    }
}

macro_rules! per_curve {
    ($curve:expr, $m:ident => $body:expr) => {
        match $curve {
            Curve::P256 => {
                use p256 as $m;
                $body
            }
            Curve::P384 => {
                use p384 as $m;
                $body
            }
            Curve::P521 => {
                use p521 as $m;
                $body
            }
        }
    };
}

impl EcPrivateKey {
    /// A private key from its big-endian scalar d (1 ≤ d < n), at most the field length (shorter
    /// inputs are left-padded; CAVP files print P-521 scalars with extra leading zero bytes, which
    /// are accepted).
    ///
    /// # Errors
    /// [`Error::Length`] for a longer scalar; [`Error::Encoding`] for d = 0 or d ≥ n.
    pub fn from_scalar(curve: Curve, d: &[u8]) -> Result<Self, Error> {
        let fl = curve.field_len();
        let first = d.iter().position(|&b| b != 0).unwrap_or(d.len());
        let d = d.get(first..).unwrap_or_default();
        if d.len() > fl {
            return Err(Error::length("private scalar", d.len()));
        }
        let mut buf = Zeroizing::new(alloc::vec![0u8; fl]);
        if let Some(dst) = buf.get_mut(fl - d.len()..) {
            dst.copy_from_slice(d);
        }
        let bad = |_| Error::encoding("private scalar (must be 1 ≤ d < n)");
        Ok(Self(per_curve!(curve, c => {
wrap_secret_any(c::SecretKey::from_slice(&buf).map_err(bad)?)})))
    }

    /// Generates a key pair on `curve` from `rng` (SP 800-56A §5.6.1.2.2 by rejection sampling).
    ///
    /// # Errors
    /// [`Error::Primitives`] when the random source fails (or yields only out-of-range values).
    pub fn generate<R: TryCryptoRng + ?Sized>(curve: Curve, rng: &mut R) -> Result<Self, Error> {
        let mut buf = Zeroizing::new(alloc::vec![0u8; curve.field_len()]);
        // A candidate is out of range with probability < 2⁻³² for these curves (P-521: < 1/2
        // after masking); 128 failures in a row mean the source is broken, not unlucky.
        for _ in 0..128 {
            paycrypt_primitives::rng::fill(rng, &mut buf)?;
            if curve == Curve::P521 {
                // Keep the 521 bits of the order's length so sampling terminates quickly.
                if let Some(b) = buf.first_mut() {
                    *b &= 0x01;
                }
            }
            if let Ok(k) = Self::from_scalar(curve, &buf) {
                return Ok(k);
            }
        }
        Err(Error::Primitives(paycrypt_primitives::Error::Rng))
    }

    /// The curve.
    #[must_use]
    pub const fn curve(&self) -> Curve {
        match self.0 {
            Secret::P256(_) => Curve::P256,
            Secret::P384(_) => Curve::P384,
            Secret::P521(_) => Curve::P521,
        }
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> EcPublicKey {
        EcPublicKey(match &self.0 {
            Secret::P256(k) => Public::P256(k.public_key()),
            Secret::P384(k) => Public::P384(k.public_key()),
            Secret::P521(k) => Public::P521(k.public_key()),
        })
    }

    pub(crate) fn from_pkcs8_der(curve: Curve, der: &[u8]) -> Result<Self, Error> {
        use pkcs8::DecodePrivateKey;
        let bad = |_| Error::encoding("EC private key (PKCS #8)");
        Ok(Self(
            per_curve!(curve, c => wrap_secret_any(c::SecretKey::from_pkcs8_der(der).map_err(bad)?)),
        ))
    }

    pub(crate) fn from_sec1_der(curve: Curve, der: &[u8]) -> Result<Self, Error> {
        let bad = |_| Error::encoding("EC private key (SEC1)");
        Ok(Self(
            per_curve!(curve, c => wrap_secret_any(c::SecretKey::from_sec1_der(der).map_err(bad)?)),
        ))
    }
}

/// Puts a curve's `SecretKey` into [`Secret`].
trait IntoSecret {
    fn into_secret(self) -> Secret;
}
impl IntoSecret for p256::SecretKey {
    fn into_secret(self) -> Secret {
        Secret::P256(self)
    }
}
impl IntoSecret for p384::SecretKey {
    fn into_secret(self) -> Secret {
        Secret::P384(self)
    }
}
impl IntoSecret for p521::SecretKey {
    fn into_secret(self) -> Secret {
        Secret::P521(self)
    }
}
fn wrap_secret_any(k: impl IntoSecret) -> Secret {
    k.into_secret()
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Public {
    P256(p256::PublicKey),
    P384(p384::PublicKey),
    P521(p521::PublicKey),
}

/// A validated ECDH public key on one of the supported curves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcPublicKey(Public);

/// Puts a curve's `PublicKey` into [`Public`].
trait IntoPublic {
    fn into_public(self) -> Public;
}
impl IntoPublic for p256::PublicKey {
    fn into_public(self) -> Public {
        Public::P256(self)
    }
}
impl IntoPublic for p384::PublicKey {
    fn into_public(self) -> Public {
        Public::P384(self)
    }
}
impl IntoPublic for p521::PublicKey {
    fn into_public(self) -> Public {
        Public::P521(self)
    }
}
fn wrap_public_any(k: impl IntoPublic) -> Public {
    k.into_public()
}

impl EcPublicKey {
    /// Decodes a SEC1 point (SEC 1 v2 §2.3.4: `04 ‖ X ‖ Y`, or compressed) with full
    /// public-key validation.
    ///
    /// # Errors
    /// [`Error::UnsupportedCurve`] when the point is not a valid non-identity point on `curve`.
    pub fn from_sec1_bytes(curve: Curve, bytes: &[u8]) -> Result<Self, Error> {
        let bad = |_| Error::UnsupportedCurve;
        Ok(Self(
            per_curve!(curve, c => wrap_public_any(c::PublicKey::from_sec1_bytes(bytes).map_err(bad)?)),
        ))
    }

    /// A public key from its affine coordinates (big-endian; left-padded to the field length,
    /// extra leading zero bytes accepted).
    ///
    /// # Errors
    /// [`Error::Length`] for an over-long coordinate; as [`EcPublicKey::from_sec1_bytes`].
    pub fn from_affine(curve: Curve, x: &[u8], y: &[u8]) -> Result<Self, Error> {
        let fl = curve.field_len();
        let mut point = Vec::with_capacity(1 + 2 * fl);
        point.push(0x04);
        for c in [x, y] {
            let first = c.iter().position(|&b| b != 0).unwrap_or(c.len());
            let c = c.get(first..).unwrap_or_default();
            if c.len() > fl {
                return Err(Error::length("coordinate", c.len()));
            }
            point.resize(point.len() + fl - c.len(), 0);
            point.extend_from_slice(c);
        }
        Self::from_sec1_bytes(curve, &point)
    }

    /// The uncompressed SEC1 encoding `04 ‖ X ‖ Y`.
    #[must_use]
    pub fn to_sec1_bytes(&self) -> Vec<u8> {
        match &self.0 {
            Public::P256(k) => k.to_sec1_bytes().into_vec(),
            Public::P384(k) => k.to_sec1_bytes().into_vec(),
            Public::P521(k) => k.to_sec1_bytes().into_vec(),
        }
    }

    /// The DER SubjectPublicKeyInfo (RFC 5480 §2).
    ///
    /// # Errors
    /// [`Error::Encoding`] when encoding fails.
    pub fn to_spki_der(&self) -> Result<Vec<u8>, Error> {
        use pkcs8::EncodePublicKey;
        let bad = |_| Error::encoding("SubjectPublicKeyInfo");
        let doc = match &self.0 {
            Public::P256(k) => k.to_public_key_der().map_err(bad)?,
            Public::P384(k) => k.to_public_key_der().map_err(bad)?,
            Public::P521(k) => k.to_public_key_der().map_err(bad)?,
        };
        Ok(doc.as_bytes().to_vec())
    }

    /// The curve.
    #[must_use]
    pub const fn curve(&self) -> Curve {
        match self.0 {
            Public::P256(_) => Curve::P256,
            Public::P384(_) => Curve::P384,
            Public::P521(_) => Curve::P521,
        }
    }

    pub(crate) fn from_spki_der(curve: Curve, der: &[u8]) -> Result<Self, Error> {
        use pkcs8::DecodePublicKey;
        let bad = |_| Error::UnsupportedCurve;
        Ok(Self(
            per_curve!(curve, c => wrap_public_any(c::PublicKey::from_public_key_der(der).map_err(bad)?)),
        ))
    }
}

/// The ECDH shared secret Z (field length, big-endian). Zeroized on drop, redacted `Debug`.
pub struct SharedSecret(Zeroizing<Vec<u8>>);

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedSecret({} bytes)", self.0.len())
    }
}

impl SharedSecret {
    /// Z. Handle with care: copies are not zeroized by this crate.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Z = x(d_own · Q_peer) (SP 800-56A Rev. 3 §5.7.1.2).
///
/// # Errors
/// [`Error::CurveMismatch`] when the keys lie on different curves.
pub fn shared_secret(own: &EcPrivateKey, peer: &EcPublicKey) -> Result<SharedSecret, Error> {
    let z = match (&own.0, &peer.0) {
        (Secret::P256(d), Public::P256(q)) => d.diffie_hellman(q).raw_secret_bytes().to_vec(),
        (Secret::P384(d), Public::P384(q)) => d.diffie_hellman(q).raw_secret_bytes().to_vec(),
        (Secret::P521(d), Public::P521(q)) => d.diffie_hellman(q).raw_secret_bytes().to_vec(),
        _ => return Err(Error::CurveMismatch),
    };
    Ok(SharedSecret(Zeroizing::new(z)))
}

/// The KBPK derivation parameters (AWS `DiffieHellmanDerivationData` and friends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Derivation<'a> {
    /// `KeyDerivationFunction`.
    pub kdf: Kdf,
    /// `KeyDerivationHashAlgorithm`.
    pub hash: Hash,
    /// `DerivationData.SharedInformation`, used verbatim as FixedInfo / SharedInfo (1..1024
    /// bytes, not all zero). Public; should not be reused: generate 16–32 random bytes.
    pub shared_info: &'a [u8],
    /// `DeriveKeyAlgorithm`: the KBPK type (its length is the KDF output length L).
    pub kbpk_type: KeyType,
}

impl Derivation<'_> {
    /// The checks done before any secret is touched: the shared information's length and
    /// content, and the strength rule "curve ≥ derived KBPK" (SP 800-56A §5.6.1.1 with
    /// SP 800-57 Part 1 Table 2).
    ///
    /// # Errors
    /// [`Error::KdfInput`]; [`Error::CurveWeakerThanKey`].
    pub fn check(&self, curve: Curve) -> Result<(), Error> {
        if self.shared_info.is_empty() || self.shared_info.len() > MAX_SHARED_INFO {
            return Err(Error::KdfInput {
                what: "shared information must be 1..1024 bytes",
            });
        }
        if self.shared_info.iter().all(|&b| b == 0) {
            return Err(Error::KdfInput {
                what: "shared information must not be all zero",
            });
        }
        if curve.strength() < self.kbpk_type.strength() {
            return Err(Error::CurveWeakerThanKey);
        }
        Ok(())
    }
}

/// A KBPK derived by ECDH, with its type.
#[derive(Clone)]
pub struct DerivedKbpk {
    key: SymmetricKey,
    key_type: KeyType,
    curve: Curve,
}

impl fmt::Debug for DerivedKbpk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DerivedKbpk")
            .field("key_type", &self.key_type)
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl DerivedKbpk {
    /// The KBPK as a key-block crate `Kbpk`.
    ///
    /// # Errors
    /// Never in practice (the key is TDES or AES); [`Error::KeyBlock`] otherwise.
    pub fn kbpk(&self) -> Result<Kbpk, Error> {
        Ok(Kbpk::new(self.key.clone())?)
    }

    /// The KBPK type.
    #[must_use]
    pub const fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The curve it was derived on.
    #[must_use]
    pub const fn curve(&self) -> Curve {
        self.curve
    }

    /// The key bytes. Handle with care.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.key.expose_bytes()
    }

    /// The AWS-style 3-byte check value: AES — CMAC of a zero block (X9.24-1:2017 A.3); TDES —
    /// encryption of a zero block (A.2).
    #[must_use]
    pub fn kcv(&self) -> [u8; 3] {
        aws_kcv(&self.key)
    }

    /// Fails unless a key block of `version` can be protected by this KBPK (ANSI X9.143 §6.2
    /// Table 2: `D`/`E` under AES, `A`/`B`/`C` under TDES).
    ///
    /// # Errors
    /// [`Error::BlockVersionMismatch`].
    pub fn check_version(&self, version: Version) -> Result<(), Error> {
        version_fits(self.key_type, version)
    }
}

impl SecurityStrength for DerivedKbpk {
    fn strength(&self) -> Strength {
        self.key_type.strength()
    }
}

/// Fails unless a key block of `version` can be protected by a KBPK of `kbpk_type` (ANSI
/// X9.143 §6.2 Table 2: `D`/`E` under AES, `A`/`B`/`C` under TDES).
///
/// # Errors
/// [`Error::BlockVersionMismatch`].
pub fn version_fits(kbpk_type: KeyType, version: Version) -> Result<(), Error> {
    let aes_version = matches!(version, Version::D | Version::E);
    let tdes_version = matches!(version, Version::A | Version::B | Version::C);
    if (kbpk_type.is_tdes() && tdes_version) || (!kbpk_type.is_tdes() && aes_version) {
        Ok(())
    } else {
        Err(Error::BlockVersionMismatch)
    }
}

/// The AWS-style 3-byte KCV of a symmetric key (AES: CMAC; TDES: legacy).
#[must_use]
pub fn aws_kcv(key: &SymmetricKey) -> [u8; 3] {
    use paycrypt_mac::{KcvMethod, kcv, legacy_kcv};
    let k = if key.algorithm().is_aes() {
        kcv(key, KcvMethod::Cmac, 3).unwrap_or_else(|_| legacy_kcv(key))
    } else {
        legacy_kcv(key)
    };
    let mut out = [0u8; 3];
    for (o, b) in out.iter_mut().zip(k.as_bytes()) {
        *o = *b;
    }
    out
}

/// Derives the KBPK: policy and input checks first, then Z, then the KDF (Z is zeroized).
///
/// # Errors
/// [`Error::CurveMismatch`], as [`Derivation::check`].
pub fn derive_kbpk(
    own: &EcPrivateKey,
    peer: &EcPublicKey,
    derivation: &Derivation<'_>,
) -> Result<DerivedKbpk, Error> {
    if own.curve() != peer.curve() {
        return Err(Error::CurveMismatch);
    }
    derivation.check(own.curve())?;
    let z = shared_secret(own, peer)?;
    let mut out = Zeroizing::new(alloc::vec![0u8; derivation.kbpk_type.len()]);
    kdf::derive(
        derivation.kdf,
        derivation.hash,
        z.expose_bytes(),
        derivation.shared_info,
        &mut out,
    )?;
    let key = if derivation.kbpk_type.is_tdes() {
        SymmetricKey::from(TdesKey::from_bytes(&out)?)
    } else {
        SymmetricKey::from(AesKey::from_bytes(&out)?)
    };
    Ok(DerivedKbpk {
        key,
        key_type: derivation.kbpk_type,
        curve: own.curve(),
    })
}

/// The strength of a key of `len` bytes under a key-block header algorithm: AES and TDES per
/// SP 800-57 Table 2; any other algorithm (HMAC, DES, ...) gets min(8·len, 256) bits.
fn block_key_strength(algorithm: KbAlgorithm, len: usize) -> Strength {
    let t = match algorithm {
        KbAlgorithm::Aes => KeyType::aes_of_len(len),
        KbAlgorithm::Tdes => KeyType::tdes_of_len(len),
        _ => None,
    };
    t.map_or_else(
        || match len.saturating_mul(8) {
            256.. => Strength::BITS_256,
            192.. => Strength::BITS_192,
            128.. => Strength::BITS_128,
            112.. => Strength::BITS_112,
            _ => Strength::TDES2,
        },
        |t| t.strength(),
    )
}

/// The sender side (AWS import): derives the KBPK and wraps `key` in a key block with
/// `header`. `padding`, when given, is the exact payload padding (see
/// `paycrypt_keyblock::wrap_with_padding`).
///
/// # Errors
/// [`Error::BlockVersionMismatch`], [`Error::WeakerWrappingKey`] (the key is stronger than the
/// KBPK), as [`derive_kbpk`], [`Error::KeyBlock`].
#[allow(clippy::too_many_arguments)]
pub fn wrap_key_block<R: TryCryptoRng + ?Sized>(
    own: &EcPrivateKey,
    peer: &EcPublicKey,
    derivation: &Derivation<'_>,
    header: &KeyBlockHeader,
    key: &ClearKey,
    padding: Option<&[u8]>,
    options: &WrapOptions,
    rng: &mut R,
) -> Result<String, Error> {
    version_fits(
        derivation.kbpk_type,
        options.version.unwrap_or(header.version()),
    )?;
    if block_key_strength(header.algorithm(), key.len()) > derivation.kbpk_type.strength() {
        return Err(Error::WeakerWrappingKey);
    }
    let kbpk = derive_kbpk(own, peer, derivation)?.kbpk()?;
    let block = match padding {
        Some(p) => paycrypt_keyblock::wrap_with_padding(&kbpk, header, key, p, options, rng)?,
        None => paycrypt_keyblock::wrap(&kbpk, header, key, options, rng)?,
    };
    Ok(block)
}

/// The receiver side (AWS export): parses the block (usage errors), checks that its version
/// fits the KBPK type, derives the KBPK, opens the block (MAC first, then decryption, then the
/// header and length checks, in the key-block crate) and applies the strength rule to the key.
///
/// # Errors
/// [`Error::KeyBlock`] (parse errors, or the opaque authentication failure that a wrong
/// private key, certificate, shared info, KDF or hash produces), [`Error::BlockVersionMismatch`],
/// as [`derive_kbpk`], [`Error::WeakerWrappingKey`].
pub fn unwrap_key_block(
    own: &EcPrivateKey,
    peer: &EcPublicKey,
    derivation: &Derivation<'_>,
    block: &str,
    profile: Profile,
) -> Result<(Unwrapped, DerivedKbpk), Error> {
    let parsed = KeyBlock::parse(block, profile)?;
    version_fits(derivation.kbpk_type, parsed.header().version())?;
    let derived = derive_kbpk(own, peer, derivation)?;
    let unwrapped = parsed.unwrap(&derived.kbpk()?, profile)?;
    let strength = block_key_strength(unwrapped.header().algorithm(), unwrapped.key().len());
    if strength > derived.strength() {
        return Err(Error::WeakerWrappingKey);
    }
    Ok((unwrapped, derived))
}

impl EcPublicKey {
    /// Verifies a DER `ECDSA-Sig-Value` (RFC 5480 §2.2 / SEC 1 §4.1.4) over a precomputed
    /// digest (the signer's hash; FIPS 186-5 §6.4.2). Used for certificate signatures.
    pub(crate) fn verify_prehash_der(&self, digest: &[u8], sig: &[u8]) -> Result<(), ()> {
        use ecdsa::signature::hazmat::PrehashVerifier;
        macro_rules! v {
            ($c:ident, $k:expr) => {{
                let vk = $c::ecdsa::VerifyingKey::from($k);
                let s = $c::ecdsa::DerSignature::from_bytes(sig).map_err(|_| ())?;
                let s = $c::ecdsa::Signature::try_from(s).map_err(|_| ())?;
                vk.verify_prehash(digest, &s).map_err(|_| ())
            }};
        }
        match &self.0 {
            Public::P256(k) => v!(p256, k),
            Public::P384(k) => v!(p384, k),
            Public::P521(k) => v!(p521, k),
        }
    }
}

impl EcPrivateKey {
    /// Signs a precomputed digest with deterministic ECDSA (FIPS 186-5 §6.4.1 with the nonce of
    /// RFC 6979 §3.2), returning the strict DER `ECDSA-Sig-Value` (RFC 5480 §2.2). Only the
    /// signing-role wrapper [`crate::signed::EcSigningKey`] calls this.
    pub(crate) fn sign_prehash_der(&self, digest: &[u8]) -> Result<Vec<u8>, Error> {
        use ecdsa::signature::hazmat::PrehashSigner;
        macro_rules! s {
            ($c:ident, $k:expr) => {{
                let sk = $c::ecdsa::SigningKey::from($k);
                let sig: $c::ecdsa::DerSignature =
                    sk.sign_prehash(digest).map_err(|_| Error::Asymmetric)?;
                sig.as_bytes().to_vec()
            }};
        }
        Ok(match &self.0 {
            Secret::P256(k) => s!(p256, k),
            Secret::P384(k) => s!(p384, k),
            Secret::P521(k) => s!(p521, k),
        })
    }
}

impl EcPublicKey {
    /// `true` when `sig` is a canonical DER `ECDSA-Sig-Value` for this key's curve: it decodes
    /// and re-encodes to the same bytes (X.690 §10.1, §8.3.2 minimal INTEGERs).
    pub(crate) fn der_signature_is_canonical(&self, sig: &[u8]) -> bool {
        macro_rules! c {
            ($c:ident) => {{
                $c::ecdsa::DerSignature::from_bytes(sig)
                    .ok()
                    .and_then(|d| $c::ecdsa::Signature::try_from(d).ok())
                    .is_some_and(|s| s.to_der().as_bytes() == sig)
            }};
        }
        match &self.0 {
            Public::P256(_) => c!(p256),
            Public::P384(_) => c!(p384),
            Public::P521(_) => c!(p521),
        }
    }
}
