//! The ECDSA-signed ECDH key package: "ECDH shared key + ECDSA signature over the encrypted key
//! and its attributes", one of the asymmetric key-conveyance methods PCI PIN Security lists,
//! built on CMS like TR-34.
//!
//! No public standard fixes a format for this (TR-34-2019 is RSA-only), so paycrypt carries it
//! in a CMS `SignedData` (RFC 5652 §5) whose content is the key package below. Everything except
//! the package's `scheme` field uses registered identifiers only, the ones mainstream CMS stacks
//! (OpenSSL, pyca/cryptography's PKCS #7 builder) emit:
//!
//! ```text
//! ContentInfo { id-signedData 1.2.840.113549.1.7.2, [0] EXPLICIT SignedData {      -- RFC 5652 §3, §5.1
//!   version 1,
//!   digestAlgorithms SET { sha256 2.16.840.1.101.3.4.2.1 | sha384 .2.2 | sha512 .2.3 },  -- RFC 5754 §2
//!   encapContentInfo { id-data 1.2.840.113549.1.7.1, [0] EXPLICIT OCTET STRING = DER of KexPackage },
//!   certificates [0] IMPLICIT { sender certificate } OPTIONAL,
//!   signerInfos SET { SignerInfo {                                                  -- RFC 5652 §5.3
//!     version 1, sid IssuerAndSerialNumber(sender certificate),
//!     digestAlgorithm (as above),
//!     signedAttrs [0] IMPLICIT SET { contentType id-data, messageDigest H(eContent),  -- RFC 5652 §11.1, §11.2
//!                                    signingTime (one-pass) | randomNonce (two-pass) },  -- §11.3; PKCS #9 1.2.840.113549.1.9.25.3
//!     signatureAlgorithm ecdsa-with-SHA256 1.2.840.10045.4.3.2 | -SHA384 .4.3.3 | -SHA512 .4.3.4,  -- RFC 5758 §3.2
//!     signature OCTET STRING (DER ECDSA-Sig-Value, RFC 5480 §2.2) } } } }
//!
//! KexPackage ::= SEQUENCE {
//!   version        INTEGER (1),
//!   scheme         AlgorithmIdentifier {
//!                    algorithm  dhSinglePass-stdDH-sha256kdf-scheme 1.3.132.1.11.1 | -sha384kdf 1.3.132.1.11.2
//!                               | -sha512kdf 1.3.132.1.11.3,   -- SEC 1 v2 §C.4, RFC 5753 §7.1.4: ECDH + ANSI X9.63 KDF
//!                    parameters KexSchemeParameters },
//!   sharedInfo     OCTET STRING,                    -- exactly the X9.63 KDF SharedInfo
//!   originatorKey  [0] IMPLICIT SubjectPublicKeyInfo OPTIONAL,   -- ephemeral sender ECDH key
//!   keyBlock       OCTET STRING }                   -- the TR-31 / ANSI X9.143 block
//! KexSchemeParameters ::= SEQUENCE {
//!   curve          OBJECT IDENTIFIER,               -- prime256v1 | secp384r1 | secp521r1 (RFC 5480 §2.1.1.1)
//!   kbpkLength     INTEGER (16 | 24 | 32) }         -- L; AES for block versions D/E, TDEA for A/B/C
//! ```
//!
//! Choices made where no standard decides:
//! - The key-agreement scheme is named by the SEC 1 / RFC 5753 identifiers for "standard ECDH
//!   with the ANSI X9.63 KDF over SHA-2", the only registered ones for ECDH + a hash KDF. The
//!   SP 800-56C one-step ("concat") KDF has no registered identifier and is therefore not
//!   offered in the signed package (the unsigned AWS flow of [`crate::ecdh`] keeps it).
//! - Curve and hash go together (FIPS 186-5 §6.1.1 / SP 800-57 Part 1 Table 3 strength match):
//!   P-256 signs with SHA-256, P-384 with SHA-384, P-521 with SHA-512; any other pairing, and a
//!   digestAlgorithm that differs from the signature's hash, is refused
//!   ([`Error::SignaturePolicy`]).
//! - SHA-2 AlgorithmIdentifiers are built with absent parameters (RFC 5754 §2) and read with
//!   absent or NULL ones; ECDSA ones are built without parameters (RFC 5758 §3.2) and read with
//!   absent or NULL. Unknown signed attributes (e.g. SMIMECapabilities) are ignored; duplicate
//!   contentType, messageDigest, signingTime or randomNonce attributes are refused (RFC 5652
//!   §11).
//! - `[0]` tags are IMPLICIT as in the RFC 5652 module.
//! - The signature protects the KBPK's authenticity, so the signing curve must be at least as
//!   strong as the derived KBPK (the SP 800-57 Part 1 Table 2 rule of [`crate::policy`], applied
//!   to the signature as it is to the ECDH curve).
//! - The ECDSA nonce is deterministic (RFC 6979 §3.2), so builds are reproducible.
//!
//! Receiver order (verify, then unwrap): parse the CMS envelope (one opaque usage error for any
//! structural fault) → check the algorithm policy → validate the sender certificate (pinned, or
//! issued by a pinned CA, valid at `now`, keyUsage digitalSignature) → verify the signature and
//! the messageDigest (combined in constant time; one opaque [`Error::SignatureInvalid`] for every
//! cause) → only then parse the authenticated package (named errors) → freshness (signing time
//! window or nonce, named) → derive Z and the KBPK → open the key block (MAC first,
//! `paycrypt-keyblock`) → strength policy. The TR-31 header inside the signed content is the
//! "sensitive attributes": there is no separate attribute field, so the two cannot disagree.

use crate::Error;
use crate::asn1::{self, Reader, ctx};
use crate::ecdh::{self, Curve, Derivation, DerivedKbpk, EcPrivateKey, EcPublicKey};
use crate::kdf::{Hash, Kdf};
use crate::pki::{self, Certificate, PublicKey};
use crate::policy::{KeyType, SecurityStrength};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;
use der::Tag;
use paycrypt_keyblock::{ClearKey, KeyBlockHeader, Profile, Unwrapped, Version, WrapOptions};
use paycrypt_primitives::rng::TryCryptoRng;
use subtle::ConstantTimeEq;

/// The largest signed package accepted (bytes).
pub const MAX_PACKAGE: usize = 64 * 1024;

const ID_DATA: &str = "1.2.840.113549.1.7.1";
const ID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const ID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const ID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const ID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const ID_RANDOM_NONCE: &str = "1.2.840.113549.1.9.25.3";

const ENVELOPE: &str = "signed key package (CMS SignedData)";
const PACKAGE: &str = "KexPackage";

/// Which identifier of a hash [`oid_of`] returns.
#[derive(Clone, Copy)]
enum OidKind {
    /// The hash itself (NIST CSOR, RFC 5754 §2).
    Digest,
    /// `ecdsa-with-SHA256/384/512` (RFC 5758 §3.2).
    Ecdsa,
    /// `dhSinglePass-stdDH-sha{256,384,512}kdf-scheme` (SEC 1 v2 §C.4; RFC 5753 §7.1.4).
    Scheme,
}

/// The dotted OID of `kind` for `hash`.
const fn oid_of(hash: Hash, kind: OidKind) -> &'static str {
    let row = match hash {
        Hash::Sha256 => [
            "2.16.840.1.101.3.4.2.1",
            "1.2.840.10045.4.3.2",
            "1.3.132.1.11.1",
        ],
        Hash::Sha384 => [
            "2.16.840.1.101.3.4.2.2",
            "1.2.840.10045.4.3.3",
            "1.3.132.1.11.2",
        ],
        Hash::Sha512 => [
            "2.16.840.1.101.3.4.2.3",
            "1.2.840.10045.4.3.4",
            "1.3.132.1.11.3",
        ],
    };
    match kind {
        OidKind::Digest => row[0],
        OidKind::Ecdsa => row[1],
        OidKind::Scheme => row[2],
    }
}

/// The hash whose `kind` identifier is the DER OID `oid`.
fn hash_of(oid: &[u8], kind: OidKind) -> Result<Option<Hash>, Error> {
    for h in HASHES {
        if asn1::oid(oid_of(h, kind))? == oid {
            return Ok(Some(h));
        }
    }
    Ok(None)
}

/// The named-curve OID (RFC 5480 §2.1.1.1).
const fn curve_oid(curve: Curve) -> &'static str {
    match curve {
        Curve::P256 => "1.2.840.10045.3.1.7",
        Curve::P384 => "1.3.132.0.34",
        Curve::P521 => "1.3.132.0.35",
    }
}

const HASHES: [Hash; 3] = [Hash::Sha256, Hash::Sha384, Hash::Sha512];

fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match hash {
        Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
    }
}

/// The signature hash that goes with a curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512;
/// FIPS 186-5 §6.1.1, SP 800-57 Part 1 Table 3).
#[must_use]
pub const fn signature_hash(curve: Curve) -> Hash {
    match curve {
        Curve::P256 => Hash::Sha256,
        Curve::P384 => Hash::Sha384,
        Curve::P521 => Hash::Sha512,
    }
}

/// An ECDSA private key in the signing role (distinct from the key-agreement
/// [`EcPrivateKey`]: SP 800-57 Part 1 §5.2, one key one purpose). Zeroized on drop; `Debug`
/// names the curve only.
#[derive(Clone)]
pub struct EcSigningKey(EcPrivateKey);

impl fmt::Debug for EcSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcSigningKey")
            .field("curve", &self.curve())
            .finish_non_exhaustive()
    }
}

impl EcSigningKey {
    /// Loads a PKCS #8 or SEC1 EC private key (PEM, DER or base64 of PEM, [`pki`]).
    ///
    /// # Errors
    /// As [`pki::PrivateKey::from_input`]; [`Error::WrongKeyKind`] for an RSA key.
    pub fn from_input(input: &[u8]) -> Result<Self, Error> {
        pki::PrivateKey::from_input(input)?.into_ec().map(Self)
    }

    /// A signing key from its big-endian scalar (as [`EcPrivateKey::from_scalar`]).
    ///
    /// # Errors
    /// As [`EcPrivateKey::from_scalar`].
    pub fn from_scalar(curve: Curve, d: &[u8]) -> Result<Self, Error> {
        EcPrivateKey::from_scalar(curve, d).map(Self)
    }

    /// The curve.
    #[must_use]
    pub const fn curve(&self) -> Curve {
        self.0.curve()
    }

    /// The verification key.
    #[must_use]
    pub fn public_key(&self) -> EcPublicKey {
        self.0.public_key()
    }

    /// Signs `message` with the curve's hash ([`signature_hash`]): strict DER ECDSA-Sig-Value.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        self.0
            .sign_prehash_der(&digest(signature_hash(self.curve()), message))
    }
}

/// The freshness attribute the sender signs (TR-34-2019 §5.3: one-pass with a time, two-pass
/// with the receiver's nonce).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Freshness<'a> {
    /// One-pass: `signingTime` (RFC 5652 §11.3), seconds since the Unix epoch.
    SigningTime(Duration),
    /// Two-pass: `randomNonce` (PKCS #9, RFC 2985 §5.6), the receiver's nonce (4..=64 bytes).
    Nonce(&'a [u8]),
}

/// What the receiver accepts as fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FreshnessCheck<'a> {
    /// A `signingTime` within `max_skew` of the receiver's `now` (either side).
    SigningTime {
        /// The allowed distance from `now`.
        max_skew: Duration,
    },
    /// A `randomNonce` equal to the nonce the receiver issued (compared in constant time).
    Nonce(&'a [u8]),
}

/// Where the ECDH key of the sender comes from.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Originator<'a> {
    /// A fresh ephemeral key pair on the receiver's curve (SP 800-56A §6.2.2.2, One-Pass
    /// Diffie-Hellman), carried in `originatorKey`.
    Ephemeral,
    /// The sender's static key-agreement key, known to the receiver out of band (not carried).
    Static(&'a EcPrivateKey),
}

/// The sender's signing identity.
#[derive(Clone, Copy, Debug)]
pub struct Signer<'a> {
    /// The ECDSA key.
    pub key: &'a EcSigningKey,
    /// Its certificate (identified by IssuerAndSerialNumber in the SignerInfo).
    pub certificate: &'a Certificate,
    /// Whether the certificate travels in `certificates`.
    pub include_certificate: bool,
}

/// The parameters of [`wrap_signed`] besides the signer.
#[derive(Clone, Copy, Debug)]
pub struct WrapParams<'a> {
    /// The sender's ECDH key.
    pub originator: Originator<'a>,
    /// The receiver's static ECDH public key (from its certificate).
    pub receiver: &'a EcPublicKey,
    /// The X9.63 KDF parameters ([`Kdf::X963`] only; see the module docs).
    pub derivation: Derivation<'a>,
    /// The freshness attribute.
    pub freshness: Freshness<'a>,
}

fn hash_alg_id(hash: Hash) -> Result<Vec<u8>, Error> {
    asn1::seq(&[&asn1::oid(oid_of(hash, OidKind::Digest))?])
}

fn attribute(oid: &str, value: &[u8]) -> Result<Vec<u8>, Error> {
    asn1::seq(&[&asn1::oid(oid)?, &asn1::tlv(Tag::Set, value)?])
}

/// The UTCTime (1950–2049) or GeneralizedTime of `t` (RFC 5652 §11.3; RFC 5280 §4.1.2.5).
fn encode_time(t: Duration) -> Result<Vec<u8>, Error> {
    use der::Encode;
    let t = Duration::from_secs(t.as_secs());
    let bad = |_| Error::KdfInput {
        what: "signing time outside 1950..9999",
    };
    match der::asn1::UtcTime::from_unix_duration(t) {
        Ok(u) => u.to_der().map_err(bad),
        Err(_) => der::asn1::GeneralizedTime::from_unix_duration(t)
            .and_then(|g| g.to_der())
            .map_err(bad),
    }
}

fn kbpk_type_of(version: Version, len: usize) -> Option<KeyType> {
    match version {
        Version::D | Version::E => KeyType::aes_of_len(len),
        _ => KeyType::tdes_of_len(len),
    }
}

/// Builds a signed key package (sender side): ECDH with the receiver's key, KBPK by the X9.63
/// KDF, the TR-31 block under it (`paycrypt-keyblock`), the package, then the ECDSA signature.
///
/// # Errors
/// [`Error::SignaturePolicy`] (concat KDF, a certificate that is not the signing key's, an
/// unsigned curve/hash pairing), [`Error::CurveMismatch`], [`Error::KdfInput`] (shared info,
/// nonce length), as [`ecdh::wrap_key_block`], [`Error::Encoding`].
pub fn wrap_signed<R: TryCryptoRng + ?Sized>(
    signer: &Signer<'_>,
    params: &WrapParams<'_>,
    header: &KeyBlockHeader,
    key: &ClearKey,
    options: &WrapOptions,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let d = &params.derivation;
    if d.kdf != Kdf::X963 {
        return Err(Error::SignaturePolicy {
            reason: "the signed package names the X9.63 KDF only (no registered OID for concat)",
        });
    }
    if let Freshness::Nonce(n) = params.freshness
        && !(4..=64).contains(&n.len())
    {
        return Err(Error::KdfInput {
            what: "nonce must be 4..64 bytes",
        });
    }
    match signer.certificate.public_key() {
        PublicKey::Ec(k) if *k == signer.key.public_key() => {}
        _ => {
            return Err(Error::SignaturePolicy {
                reason: "the signer certificate does not carry the signing key",
            });
        }
    }
    if signer.key.curve().strength() < d.kbpk_type.strength() {
        return Err(Error::SignaturePolicy {
            reason: "the signing curve is weaker than the derived KBPK",
        });
    }
    let curve = params.receiver.curve();
    let ephemeral;
    let (own, originator_spki) = match params.originator {
        Originator::Ephemeral => {
            ephemeral = EcPrivateKey::generate(curve, rng)?;
            let spki = ephemeral.public_key().to_spki_der()?;
            (&ephemeral, Some(spki))
        }
        Originator::Static(k) => (k, None),
    };
    if own.public_key() == signer.key.public_key() {
        return Err(Error::SignaturePolicy {
            reason: "the ECDH key must not be the signing key (SP 800-57 Part 1 §5.2)",
        });
    }
    let block = ecdh::wrap_key_block(own, params.receiver, d, header, key, None, options, rng)?;

    // KexPackage.
    let len_der = {
        use der::Encode;
        u32::try_from(d.kbpk_type.len())
            .map_err(|_| Error::encoding(PACKAGE))?
            .to_der()
            .map_err(|_| Error::encoding(PACKAGE))?
    };
    let scheme = asn1::seq(&[
        &asn1::oid(oid_of(d.hash, OidKind::Scheme))?,
        &asn1::seq(&[&asn1::oid(curve_oid(curve))?, &len_der])?,
    ])?;
    let version = asn1::tlv(Tag::Integer, &[1])?;
    let shared = asn1::tlv(Tag::OctetString, d.shared_info)?;
    let originator = match &originator_spki {
        Some(spki) => {
            let mut r = Reader::new(spki, PACKAGE)?;
            asn1::tlv(ctx(0, true), r.expect(Tag::Sequence)?)?
        }
        None => Vec::new(),
    };
    let kb = asn1::tlv(Tag::OctetString, block.as_bytes())?;
    let package = asn1::seq(&[&version, &scheme, &shared, &originator, &kb])?;

    // SignedData.
    let hash = signature_hash(signer.key.curve());
    let mut attrs = alloc::vec![
        attribute(ID_CONTENT_TYPE, &asn1::oid(ID_DATA)?)?,
        attribute(
            ID_MESSAGE_DIGEST,
            &asn1::tlv(Tag::OctetString, &digest(hash, &package))?,
        )?,
    ];
    attrs.push(match params.freshness {
        Freshness::SigningTime(t) => attribute(ID_SIGNING_TIME, &encode_time(t)?)?,
        Freshness::Nonce(n) => attribute(ID_RANDOM_NONCE, &asn1::tlv(Tag::OctetString, n)?)?,
    });
    let signed_attrs = asn1::set_of(attrs)?;
    let signature = signer.key.sign(&signed_attrs)?;
    let signed_attrs_implicit = {
        let mut r = Reader::new(&signed_attrs, ENVELOPE)?;
        asn1::tlv(ctx(0, true), r.expect(Tag::Set)?)?
    };
    let signer_info = asn1::seq(&[
        &asn1::tlv(Tag::Integer, &[1])?,
        &signer.certificate.issuer_and_serial_der()?,
        &hash_alg_id(hash)?,
        &signed_attrs_implicit,
        &asn1::seq(&[&asn1::oid(oid_of(hash, OidKind::Ecdsa))?])?,
        &asn1::tlv(Tag::OctetString, &signature)?,
    ])?;
    let encap = asn1::seq(&[
        &asn1::oid(ID_DATA)?,
        &asn1::tlv(ctx(0, true), &asn1::tlv(Tag::OctetString, &package)?)?,
    ])?;
    let certs = if signer.include_certificate {
        asn1::tlv(ctx(0, true), signer.certificate.as_der())?
    } else {
        Vec::new()
    };
    let signed_data = asn1::seq(&[
        &asn1::tlv(Tag::Integer, &[1])?,
        &asn1::tlv(Tag::Set, &hash_alg_id(hash)?)?,
        &encap,
        &certs,
        &asn1::tlv(Tag::Set, &signer_info)?,
    ])?;
    asn1::seq(&[
        &asn1::oid(ID_SIGNED_DATA)?,
        &asn1::tlv(ctx(0, true), &signed_data)?,
    ])
}

/// How the receiver trusts the sender's signing certificate.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum SenderTrust<'a> {
    /// This certificate, validated by the caller (its chain is the caller's business); it must
    /// still be the one the SignerInfo names.
    Pinned(&'a Certificate),
    /// The certificate the package carries, which must be issued by this CA (RFC 5280
    /// §6.1.3 (a)) — the CA pinned for "who may send me keys", kept apart from the
    /// one for receivers.
    IssuedBy(&'a Certificate),
}

/// The parameters of [`unwrap_signed`] besides the package and the receiver key.
#[derive(Clone, Copy, Debug)]
pub struct UnwrapParams<'a> {
    /// The trust in the sender.
    pub trust: SenderTrust<'a>,
    /// The receiver's clock (seconds since the Unix epoch): certificate validity and the
    /// signing-time window.
    pub now: Duration,
    /// The freshness rule.
    pub freshness: FreshnessCheck<'a>,
    /// The sender's static ECDH key, when the package carries no `originatorKey`.
    pub sender_static: Option<&'a EcPublicKey>,
    /// The key-block profile for opening the TR-31 block.
    pub profile: Profile,
}

/// An opened signed package.
#[derive(Debug)]
#[non_exhaustive]
pub struct OpenedPackage {
    /// The key and its authenticated header.
    pub unwrapped: Unwrapped,
    /// The KBPK derived by ECDH.
    pub kbpk: DerivedKbpk,
    /// The signing time, for one-pass packages.
    pub signing_time: Option<Duration>,
    /// The KDF hash of the scheme.
    pub kdf_hash: Hash,
    /// The signer's curve (and with it the signature hash).
    pub signer_curve: Curve,
}

/// The fields of a parsed (not yet verified) envelope.
struct Envelope<'a> {
    digest_algs: &'a [u8],
    content: &'a [u8],
    certificates: Vec<&'a [u8]>,
    sid: &'a [u8],
    digest_alg: Hash,
    signed_attrs: &'a [u8],
    signature_alg: Hash,
    signature: &'a [u8],
}

/// Reads an AlgorithmIdentifier of one of `oids` with absent or NULL parameters.
fn read_alg(r: &mut Reader<'_>, kind: OidKind) -> Result<Hash, Error> {
    let mut a = r.sequence()?;
    let oid = a.expect_raw(Tag::ObjectIdentifier)?;
    if !a.is_empty() {
        a.expect(Tag::Null)?;
    }
    a.finish()?;
    hash_of(oid, kind)?.ok_or(Error::SignaturePolicy {
        reason: "digest or signature algorithm is not SHA-256/384/512 with ECDSA",
    })
}

fn parse_envelope(input: &[u8]) -> Result<Envelope<'_>, Error> {
    if input.is_empty() || input.len() > MAX_PACKAGE {
        return Err(Error::length("signed key package", input.len()));
    }
    let mut top = Reader::new(input, ENVELOPE)?;
    let mut ci = top.sequence()?;
    top.finish()?;
    if ci.expect_raw(Tag::ObjectIdentifier)? != asn1::oid(ID_SIGNED_DATA)? {
        return Err(Error::encoding(ENVELOPE));
    }
    let mut explicit = ci.nested(ctx(0, true))?;
    ci.finish()?;
    let mut sd = explicit.sequence()?;
    explicit.finish()?;
    if asn1::small_uint(sd.expect(Tag::Integer)?, ENVELOPE)? != 1 {
        return Err(Error::encoding(ENVELOPE));
    }
    let digest_algs = sd.expect(Tag::Set)?;
    let mut encap = sd.sequence()?;
    if encap.expect_raw(Tag::ObjectIdentifier)? != asn1::oid(ID_DATA)? {
        return Err(Error::encoding(ENVELOPE));
    }
    let mut econtent = encap.nested(ctx(0, true))?;
    encap.finish()?;
    let content = econtent.expect(Tag::OctetString)?;
    econtent.finish()?;
    let mut certificates = Vec::new();
    if sd.peek_is(ctx(0, true)) {
        let mut certs = sd.nested(ctx(0, true))?;
        while !certs.is_empty() {
            certificates.push(certs.expect_raw(Tag::Sequence)?);
        }
    }
    if sd.peek_is(ctx(1, true)) {
        sd.any()?; // crls [1]: not used
    }
    let mut infos = sd.nested(Tag::Set)?;
    sd.finish()?;
    let mut si = infos.sequence()?;
    infos.finish()?; // exactly one SignerInfo
    if asn1::small_uint(si.expect(Tag::Integer)?, ENVELOPE)? != 1 {
        return Err(Error::encoding(ENVELOPE));
    }
    let sid = si.expect_raw(Tag::Sequence)?;
    let digest_alg = read_alg(&mut si, OidKind::Digest)?;
    let signed_attrs = si.expect(ctx(0, true))?;
    let signature_alg = read_alg(&mut si, OidKind::Ecdsa)?;
    let signature = si.expect(Tag::OctetString)?;
    if si.peek_is(ctx(1, true)) {
        si.any()?; // unsignedAttrs: not authenticated, ignored
    }
    si.finish()?;
    Ok(Envelope {
        digest_algs,
        content,
        certificates,
        sid,
        digest_alg,
        signed_attrs,
        signature_alg,
        signature,
    })
}

/// The signed attributes the receiver uses.
struct Attributes<'a> {
    content_type_ok: bool,
    message_digest: Option<&'a [u8]>,
    signing_time: Option<&'a [u8]>,
    nonce: Option<&'a [u8]>,
}

fn parse_attributes(value: &[u8]) -> Result<Attributes<'_>, Error> {
    let mut a = Attributes {
        content_type_ok: false,
        message_digest: None,
        signing_time: None,
        nonce: None,
    };
    let (ct, md, st, rn) = (
        asn1::oid(ID_CONTENT_TYPE)?,
        asn1::oid(ID_MESSAGE_DIGEST)?,
        asn1::oid(ID_SIGNING_TIME)?,
        asn1::oid(ID_RANDOM_NONCE)?,
    );
    let mut seen_ct = false;
    let mut r = Reader::new(value, ENVELOPE)?;
    while !r.is_empty() {
        let mut attr = r.sequence()?;
        let id = attr.expect_raw(Tag::ObjectIdentifier)?;
        let mut values = attr.nested(Tag::Set)?;
        attr.finish()?;
        let (tag, v, raw) = values.any()?;
        values.finish()?; // single-valued (RFC 5652 §11.1–§11.3)
        let dup = Error::encoding(ENVELOPE);
        if id == ct.as_slice() {
            if seen_ct {
                return Err(dup);
            }
            seen_ct = true;
            a.content_type_ok = tag == Tag::ObjectIdentifier && raw == asn1::oid(ID_DATA)?;
        } else if id == md.as_slice() {
            if a.message_digest.is_some() || tag != Tag::OctetString {
                return Err(dup);
            }
            a.message_digest = Some(v);
        } else if id == st.as_slice() {
            if a.signing_time.is_some() {
                return Err(dup);
            }
            a.signing_time = Some(raw);
        } else if id == rn.as_slice() {
            if a.nonce.is_some() || tag != Tag::OctetString {
                return Err(dup);
            }
            a.nonce = Some(v);
        }
    }
    Ok(a)
}

/// The sender certificate the receiver verifies with, checked against the trust rule.
fn sender_certificate(
    env: &Envelope<'_>,
    trust: SenderTrust<'_>,
    now: Duration,
) -> Result<Certificate, Error> {
    let reject = |reason| Error::CertificateRejected { reason };
    let cert = match trust {
        SenderTrust::Pinned(c) => c.clone(),
        SenderTrust::IssuedBy(ca) => {
            let mut found = None;
            for der in &env.certificates {
                let c = Certificate::from_der(der)?;
                if c.issuer_and_serial_der()? == env.sid {
                    found = Some(c);
                    break;
                }
            }
            let c = found.ok_or(reject("the package carries no certificate for its signer"))?;
            c.verify_issued_by(ca)?;
            if !ca.is_valid_at(now) {
                return Err(reject("the CA certificate is outside its validity period"));
            }
            c
        }
    };
    if cert.issuer_and_serial_der()? != env.sid {
        return Err(reject("the SignerInfo names another certificate"));
    }
    if !cert.is_valid_at(now) {
        return Err(reject(
            "the sender certificate is outside its validity period",
        ));
    }
    if !cert.allows(pki::KEY_USAGE_DIGITAL_SIGNATURE) {
        return Err(reject(
            "the sender certificate lacks keyUsage digitalSignature",
        ));
    }
    Ok(cert)
}

/// The authenticated package fields.
struct Package<'a> {
    hash: Hash,
    curve: Curve,
    kbpk_len: usize,
    shared_info: &'a [u8],
    originator: Option<&'a [u8]>,
    block: &'a [u8],
}

fn parse_package(content: &[u8]) -> Result<Package<'_>, Error> {
    let mut top = Reader::new(content, PACKAGE)?;
    let mut p = top.sequence()?;
    top.finish()?;
    if asn1::small_uint(p.expect(Tag::Integer)?, "KexPackage version")? != 1 {
        return Err(Error::encoding("KexPackage version (must be 1)"));
    }
    let mut scheme = p.sequence()?;
    let scheme_id = scheme.expect_raw(Tag::ObjectIdentifier)?;
    let hash = hash_of(scheme_id, OidKind::Scheme)?.ok_or(Error::encoding(
        "KexPackage scheme (dhSinglePass-stdDH-sha256/384/512kdf-scheme only)",
    ))?;
    let mut params = scheme.sequence()?;
    scheme.finish()?;
    let curve_id = params.expect_raw(Tag::ObjectIdentifier)?;
    let mut curve = None;
    for c in [Curve::P256, Curve::P384, Curve::P521] {
        if asn1::oid(curve_oid(c))? == curve_id {
            curve = Some(c);
        }
    }
    let curve = curve.ok_or(Error::UnsupportedCurve)?;
    let kbpk_len = asn1::small_uint(params.expect(Tag::Integer)?, "KexPackage kbpkLength")?;
    params.finish()?;
    let shared_info = p.expect(Tag::OctetString)?;
    let originator = if p.peek_is(ctx(0, true)) {
        Some(p.expect(ctx(0, true))?)
    } else {
        None
    };
    let block = p.expect(Tag::OctetString)?;
    p.finish()?;
    Ok(Package {
        hash,
        curve,
        kbpk_len: usize::try_from(kbpk_len).map_err(|_| Error::encoding(PACKAGE))?,
        shared_info,
        originator,
        block,
    })
}

fn decode_time(raw: &[u8]) -> Result<Duration, Error> {
    use der::Decode;
    der::asn1::UtcTime::from_der(raw)
        .map(|u| u.to_unix_duration())
        .or_else(|_| der::asn1::GeneralizedTime::from_der(raw).map(|g| g.to_unix_duration()))
        .map_err(|_| Error::encoding("signingTime"))
}

/// Opens a signed key package (receiver side), in the order of the module docs: nothing of
/// the content is parsed, and no ECDH is done, before the signature verifies.
///
/// # Errors
/// Before authentication: [`Error::Length`], [`Error::Encoding`] (one message for any fault of
/// the CMS envelope), [`Error::SignaturePolicy`], [`Error::CertificateRejected`],
/// [`Error::SignatureInvalid`] (every signature or messageDigest failure). After it:
/// [`Error::Encoding`] naming the package field, [`Error::Freshness`], [`Error::CurveMismatch`],
/// [`Error::SignaturePolicy`], as [`ecdh::unwrap_key_block`].
pub fn unwrap_signed(
    package: &[u8],
    receiver: &EcPrivateKey,
    params: &UnwrapParams<'_>,
) -> Result<OpenedPackage, Error> {
    let env = parse_envelope(package)?;
    // Policy on the public algorithm choices, before any public-key operation.
    if env.digest_alg != env.signature_alg {
        return Err(Error::SignaturePolicy {
            reason: "digestAlgorithm differs from the signature hash",
        });
    }
    if !contains_alg(env.digest_algs, env.digest_alg)? {
        return Err(Error::encoding(ENVELOPE));
    }
    let cert = sender_certificate(&env, params.trust, params.now)?;
    let PublicKey::Ec(signer_key) = cert.public_key() else {
        return Err(Error::SignaturePolicy {
            reason: "the sender certificate does not carry an EC key",
        });
    };
    if signature_hash(signer_key.curve()) != env.signature_alg {
        return Err(Error::SignaturePolicy {
            reason: "curve and hash do not match (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512)",
        });
    }
    // Authentication: signature over DER(SET OF signed attributes) and messageDigest, both
    // evaluated, combined in constant time, one opaque error.
    let attrs_set = asn1::tlv(Tag::Set, env.signed_attrs)?;
    let sig_ok = strict_signature(signer_key, env.signature)
        && signer_key
            .verify_prehash_der(&digest(env.signature_alg, &attrs_set), env.signature)
            .is_ok();
    let attrs = parse_attributes(env.signed_attrs);
    let computed = digest(env.digest_alg, env.content);
    let (md_ok, ct_ok) = match &attrs {
        Ok(a) => (
            a.message_digest
                .map_or(subtle::Choice::from(0), |md| md.ct_eq(&computed)),
            a.content_type_ok,
        ),
        Err(_) => (subtle::Choice::from(0), false),
    };
    let ok = subtle::Choice::from(u8::from(sig_ok)) & md_ok & subtle::Choice::from(u8::from(ct_ok));
    if !bool::from(ok) {
        return Err(Error::SignatureInvalid);
    }
    let attrs = attrs.map_err(|_| Error::SignatureInvalid)?;

    // Authenticated from here on: named errors.
    let signing_time = attrs.signing_time.map(decode_time).transpose()?;
    match params.freshness {
        FreshnessCheck::SigningTime { max_skew } => {
            let t = signing_time.ok_or(Error::Freshness {
                reason: "no signingTime (one-pass package expected)",
            })?;
            if t.abs_diff(params.now) > max_skew {
                return Err(Error::Freshness {
                    reason: "signingTime outside the accepted window",
                });
            }
        }
        FreshnessCheck::Nonce(expected) => {
            let n = attrs.nonce.ok_or(Error::Freshness {
                reason: "no randomNonce (two-pass package expected)",
            })?;
            if !bool::from(n.ct_eq(expected)) {
                return Err(Error::Freshness {
                    reason: "randomNonce is not the receiver's nonce",
                });
            }
        }
    }
    let p = parse_package(env.content)?;
    if p.curve != receiver.curve() {
        return Err(Error::CurveMismatch);
    }
    let peer = match (p.originator, params.sender_static) {
        (Some(spki_value), _) => {
            let spki = asn1::tlv(Tag::Sequence, spki_value)?;
            match PublicKey::from_spki_der(&spki)? {
                PublicKey::Ec(k) => k,
                PublicKey::Rsa(_) => return Err(Error::WrongKeyKind { expected: "EC" }),
            }
        }
        (None, Some(k)) => k.clone(),
        (None, None) => {
            return Err(Error::KdfInput {
                what: "no originatorKey and no static sender key",
            });
        }
    };
    if peer == *signer_key {
        return Err(Error::SignaturePolicy {
            reason: "the ECDH key must not be the signing key (SP 800-57 Part 1 §5.2)",
        });
    }
    let block =
        core::str::from_utf8(p.block).map_err(|_| Error::encoding("KexPackage keyBlock"))?;
    let version = block
        .as_bytes()
        .first()
        .and_then(|&b| Version::from_char(b).ok())
        .ok_or(Error::encoding("KexPackage keyBlock version"))?;
    let kbpk_type = kbpk_type_of(version, p.kbpk_len).ok_or(Error::encoding(
        "KexPackage kbpkLength for the block version",
    ))?;
    if signer_key.curve().strength() < kbpk_type.strength() {
        return Err(Error::SignaturePolicy {
            reason: "the signing curve is weaker than the derived KBPK",
        });
    }
    let derivation = Derivation {
        kdf: Kdf::X963,
        hash: p.hash,
        shared_info: p.shared_info,
        kbpk_type,
    };
    let (unwrapped, kbpk) =
        ecdh::unwrap_key_block(receiver, &peer, &derivation, block, params.profile)?;
    Ok(OpenedPackage {
        unwrapped,
        kbpk,
        signing_time,
        kdf_hash: p.hash,
        signer_curve: signer_key.curve(),
    })
}

/// `true` when the DER signature is canonical: it re-encodes to the same bytes (X.690 §10; a
/// BER or padded encoding is refused).
fn strict_signature(key: &EcPublicKey, sig: &[u8]) -> bool {
    key.der_signature_is_canonical(sig)
}

fn contains_alg(set: &[u8], hash: Hash) -> Result<bool, Error> {
    let mut r = Reader::new(set, ENVELOPE)?;
    let mut found = false;
    while !r.is_empty() {
        let (_, _, raw) = r.any()?;
        let mut one = Reader::new(raw, ENVELOPE)?;
        found |= read_alg(&mut one, OidKind::Digest).is_ok_and(|h| h == hash);
    }
    Ok(found)
}

/// Parses the content of a signed package (a DER `KexPackage`) as [`unwrap_signed`] does after
/// the signature verified — the entry point of the fuzz target for that parser.
///
/// # Errors
/// [`Error::Encoding`], [`Error::UnsupportedCurve`].
#[doc(hidden)]
pub fn parse_package_for_fuzzing(content: &[u8]) -> Result<(), Error> {
    parse_package(content).map(|_| ())
}
