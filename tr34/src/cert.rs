//! X.509 certificates and CRLs as TR-34 uses them (RFC 5280 §4.1, §5.1), kept as the exact
//! received DER so identifiers can be copied and compared byte for byte (RFC 5652 §10.2.4,
//! §5.3), plus the `IssuerAndSerialNumber` identifier (RFC 5652 §10.2.4).
//!
//! ```text
//! Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
//! TBSCertificate ::= SEQUENCE { [0] version, serialNumber INTEGER, signature, issuer Name,
//!     validity SEQUENCE { notBefore Time, notAfter Time }, subject Name,
//!     subjectPublicKeyInfo, [1] issuerUID, [2] subjectUID, [3] extensions }
//! CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { version INTEGER OPTIONAL, signature,
//!     issuer Name, thisUpdate Time, nextUpdate Time OPTIONAL,
//!     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time,
//!     crlEntryExtensions OPTIONAL } OPTIONAL, [0] crlExtensions OPTIONAL },
//!     signatureAlgorithm, signatureValue BIT STRING }
//! ```
//!
//! Certificates are parsed by the workspace's one X.509 parser, `paycrypt_kex::pki` (tolerant
//! reading: the TR-34-2019 Annex B KDH 1 certificate carries a duplicate basicConstraints
//! extension and still loads); this module keeps the `SIGNED{}` envelope checks it shares with
//! CRLs, the RSA rule, and the CRL parser (RFC 5280 §5.1), which `pki` does not have.

use crate::der::{self, AlgId, Reader, Tlv};
use crate::{Error, oid};
use ::der::Decode;
use alloc::vec::Vec;
use core::time::Duration;
use rsa::RsaPublicKey;
use rsa::traits::PublicKeyParts;
use sha2::Digest;

/// keyUsage bit `digitalSignature` (RFC 5280 §4.2.1.3), as a mask over the first two octets.
pub const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 0x8000;
/// keyUsage bit `keyEncipherment`.
pub const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 0x2000;
/// keyUsage bit `keyCertSign`.
pub const KEY_USAGE_KEY_CERT_SIGN: u16 = 0x0400;
/// keyUsage bit `cRLSign`.
pub const KEY_USAGE_CRL_SIGN: u16 = 0x0200;

/// Minimum RSA modulus size accepted anywhere in TR-34 (TR-34-2019 §4.2: RSA ≥ 2048).
pub const MIN_RSA_BITS: usize = paycrypt_kex::pki::MIN_RSA_BITS;

/// Parses an X.509 `Time` (UTCTime or GeneralizedTime, RFC 5280 §4.1.2.5) TLV.
pub(crate) fn parse_time(t: &Tlv<'_>, what: &'static str) -> Result<Duration, Error> {
    let err = Error::malformed(what, t.value_offset);
    match t.tag {
        der::UTC_TIME => ::der::asn1::UtcTime::from_der(t.raw)
            .map(|u| u.to_unix_duration())
            .map_err(|_| err),
        der::GENERALIZED_TIME => ::der::asn1::GeneralizedTime::from_der(t.raw)
            .map(|g| g.to_unix_duration())
            .map_err(|_| err),
        _ => Err(err),
    }
}

/// Encodes `UTCTime` (for `signingTime`, RFC 5652 §11.3: UTCTime for 1950–2049).
pub(crate) fn encode_utc_time(t: Duration) -> Result<Vec<u8>, Error> {
    use ::der::Encode;
    ::der::asn1::UtcTime::from_unix_duration(Duration::from_secs(t.as_secs()))
        .and_then(|u| u.to_der())
        .map_err(|_| Error::InvalidInput {
            what: "signing time outside UTCTime range",
        })
}

/// The signature algorithms accepted on certificates and CRLs: RSASSA-PKCS1-v1_5 with SHA-256,
/// SHA-384 or SHA-512 (RFC 4055 §5; TR-34-2019 §4.2).
fn verify_pkcs1v15(
    key: &RsaPublicKey,
    alg_oid: &[u8],
    tbs: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    use rsa::pkcs1v15::Pkcs1v15Sign;
    let r = if alg_oid == oid::SHA256_WITH_RSA || alg_oid == oid::RSA_ENCRYPTION {
        key.verify(
            Pkcs1v15Sign::new::<sha2::Sha256>(),
            &sha2::Sha256::digest(tbs),
            sig,
        )
    } else if alg_oid == oid::SHA384_WITH_RSA {
        key.verify(
            Pkcs1v15Sign::new::<sha2::Sha384>(),
            &sha2::Sha384::digest(tbs),
            sig,
        )
    } else if alg_oid == oid::SHA512_WITH_RSA {
        key.verify(
            Pkcs1v15Sign::new::<sha2::Sha512>(),
            &sha2::Sha512::digest(tbs),
            sig,
        )
    } else {
        return Err(Error::Rejected);
    };
    r.map_err(|_| Error::Rejected)
}

/// Verifies RSASSA-PKCS1-v1_5 with SHA-256 over `message` (RFC 8017 §8.2.2), the TR-34
/// SignerInfo signature (TR-34-2019 §5.4.9).
pub(crate) fn verify_sha256(key: &RsaPublicKey, message: &[u8], sig: &[u8]) -> Result<(), Error> {
    use rsa::pkcs1v15::Pkcs1v15Sign;
    key.verify(
        Pkcs1v15Sign::new::<sha2::Sha256>(),
        &sha2::Sha256::digest(message),
        sig,
    )
    .map_err(|_| Error::Rejected)
}

/// Decodes a certificate or CRL document with the expected label from PEM, DER or base64 of
/// PEM (AWS's `KeyCertificate` form), through the shared loader `paycrypt_kex::pki` (one
/// implementation for TR-34, ECDH and RSA-OAEP key exchange). Text before the first
/// `-----BEGIN` line (as `openssl x509 -text` writes) and after the last block is ignored.
pub(crate) fn pem_or_der(input: &[u8], label: &'static str) -> Result<Vec<u8>, Error> {
    paycrypt_kex::pki::decode_document(input, &[label])
        .map(|(_, der)| der)
        .map_err(|_| Error::Pem)
}

/// Every document with `label` in a PEM bundle (directly or as base64 of PEM), or one DER
/// document.
fn pem_blocks(input: &[u8], label: &'static str) -> Result<Vec<Vec<u8>>, Error> {
    paycrypt_kex::pki::decode_documents(input, &[label])
        .map(|docs| docs.into_iter().map(|(_, der)| der).collect())
        .map_err(|_| Error::Pem)
}

/// The names a [`Signed`] envelope reports its parse errors under.
struct SignedLabels {
    whole: &'static str,
    tbs: &'static str,
    outer_alg: &'static str,
    signature: &'static str,
    inner_alg: &'static str,
}

/// The `SIGNED{ToBeSigned}` envelope shared by certificates and CRLs (RFC 5280 §4.1 and §5.1):
///
/// ```text
/// SEQUENCE { tbs ToBeSigned, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
/// ```
struct Signed<'a> {
    tbs: Tlv<'a>,
    alg_der: Tlv<'a>,
    alg: AlgId<'a>,
    /// The signature's bits (a BIT STRING with no unused bits).
    signature: &'a [u8],
    labels: &'static SignedLabels,
}

impl<'a> Signed<'a> {
    /// Splits the envelope's SEQUENCE into its three fields.
    fn parse(envelope: &Tlv<'a>, labels: &'static SignedLabels) -> Result<Self, Error> {
        let mut c = envelope.reader();
        let tbs = c.expect(der::SEQUENCE, labels.tbs)?;
        let alg_der = c.expect(der::SEQUENCE, labels.outer_alg)?;
        let alg = AlgId::from_tlv(&alg_der, labels.outer_alg)?;
        let sig = c.expect(der::BIT_STRING, labels.signature)?;
        let signature = match sig.value.split_first() {
            Some((0, bits)) => bits,
            _ => return Err(Error::malformed(labels.signature, sig.value_offset)),
        };
        c.finish(labels.whole)?;
        Ok(Self {
            tbs,
            alg_der,
            alg,
            signature,
            labels,
        })
    }

    /// Reads the `signature` field inside the to-be-signed part, which must equal the outer
    /// `signatureAlgorithm` (RFC 5280 §4.1.1.2, §5.1.1.2).
    fn check_inner_alg(&self, tbs: &mut der::Reader<'a>) -> Result<(), Error> {
        let inner = tbs.expect(der::SEQUENCE, self.labels.inner_alg)?;
        if inner.raw == self.alg_der.raw {
            Ok(())
        } else {
            Err(Error::malformed(
                self.labels.outer_alg,
                self.alg_der.value_offset,
            ))
        }
    }
}

/// What a parsed [`Signed`] document keeps for checking its issuer later: the signed bytes,
/// the issuer Name, the algorithm and the signature.
#[derive(Clone, PartialEq, Eq)]
struct IssuerSignature {
    tbs: Vec<u8>,
    issuer: Vec<u8>,
    sig_alg: Vec<u8>,
    signature: Vec<u8>,
}

impl IssuerSignature {
    fn new(signed: &Signed<'_>, issuer: &Tlv<'_>) -> Self {
        Self {
            tbs: signed.tbs.raw.to_vec(),
            issuer: issuer.raw.to_vec(),
            sig_alg: signed.alg.oid.to_vec(),
            signature: signed.signature.to_vec(),
        }
    }

    /// The issuer Name equals `issuer`'s subject byte for byte and the signature verifies
    /// under `issuer`'s key (RFC 5280 §6.1.3 (a)(1), (a)(4); §6.3.3 (f), (g)).
    fn verify(&self, issuer: &Certificate) -> Result<(), Error> {
        if self.issuer != issuer.subject_der() {
            return Err(Error::Rejected);
        }
        verify_pkcs1v15(
            &issuer.public_key,
            &self.sig_alg,
            &self.tbs,
            &self.signature,
        )
    }
}

/// An X.509 certificate with an RSA public key.
///
/// The TBSCertificate fields are parsed by the workspace's one certificate parser,
/// [`paycrypt_kex::pki::Certificate`] (x509-cert; serial, issuer and subject kept byte for byte
/// as received); this type adds the TR-34 rules: an RSA subject key of at least
/// [`MIN_RSA_BITS`], and the `SIGNED{}` envelope checks shared with [`Crl`] (outer and inner
/// signatureAlgorithm equal, no unused signature bits; RFC 5280 §4.1.1.2, §4.1.1.3).
#[derive(Clone)]
pub struct Certificate {
    pki: paycrypt_kex::pki::Certificate,
    signed: IssuerSignature,
    public_key: RsaPublicKey,
    not_before: Duration,
    not_after: Duration,
}

impl core::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Certificate")
            .field("serial", &paycrypt_primitives::hex::Hex(self.serial_der()))
            .field("rsa_bits", &self.public_key.n().bits())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.as_der() == other.as_der()
    }
}
impl Eq for Certificate {}

/// Maps a `paycrypt_kex::pki` certificate error to TR-34's: a subject key that is not a usable
/// RSA key is [`Error::RsaKey`], anything else a malformed certificate.
fn pki_error(e: &paycrypt_kex::Error) -> Error {
    use paycrypt_kex::Error as K;
    match e {
        K::RsaKeyTooSmall | K::UnsupportedCurve | K::WrongKeyKind { .. } => Error::RsaKey,
        K::Encoding { what } if what.contains("public key") || what.contains("PublicKeyInfo") => {
            Error::RsaKey
        }
        _ => Error::malformed("certificate", 0),
    }
}

impl Certificate {
    /// Parses a DER certificate (RFC 5280 §4.1).
    ///
    /// # Errors
    /// [`Error::Malformed`] when the DER does not parse; [`Error::RsaKey`] when the subject key
    /// is not RSA or smaller than 2048 bits.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        const LABELS: SignedLabels = SignedLabels {
            whole: "certificate",
            tbs: "tbsCertificate",
            outer_alg: "certificate signatureAlgorithm",
            signature: "certificate signatureValue",
            inner_alg: "certificate signature",
        };
        let cert = der::parse_single(input, der::SEQUENCE, "certificate")?;
        let signed = Signed::parse(&cert, &LABELS)?;
        let mut t = signed.tbs.reader();
        t.optional(der::CTX0, "certificate version")?;
        t.expect(der::INTEGER, "certificate serialNumber")?;
        signed.check_inner_alg(&mut t)?;
        let pki = paycrypt_kex::pki::Certificate::from_der(input).map_err(|e| pki_error(&e))?;
        let public_key = match pki.public_key() {
            paycrypt_kex::PublicKey::Rsa(k) => k.clone(),
            _ => return Err(Error::RsaKey),
        };
        let signed = IssuerSignature {
            tbs: signed.tbs.raw.to_vec(),
            issuer: pki.issuer_der().to_vec(),
            sig_alg: signed.alg.oid.to_vec(),
            signature: signed.signature.to_vec(),
        };
        Ok(Self {
            not_before: pki.not_before(),
            not_after: pki.not_after(),
            pki,
            signed,
            public_key,
        })
    }

    /// Parses a certificate from PEM (`CERTIFICATE`), DER or base64 of the PEM text (the form
    /// AWS Payment Cryptography uses in `KeyCertificate` and `SigningKeyCertificate`), detected
    /// from the bytes.
    ///
    /// # Errors
    /// [`Error::Pem`] for a bad PEM document, else as [`Certificate::from_der`].
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self, Error> {
        Self::from_der(&pem_or_der(input, "CERTIFICATE")?)
    }

    /// Parses every `CERTIFICATE` block of a PEM bundle or of base64 of a PEM bundle (a chain
    /// as AWS returns it in `KeyCertificateChain`), or a single DER certificate.
    ///
    /// # Errors
    /// [`Error::Pem`] for a bad or empty bundle, else as [`Certificate::from_der`].
    pub fn from_pem_bundle(input: &[u8]) -> Result<Vec<Self>, Error> {
        pem_blocks(input, "CERTIFICATE")?
            .iter()
            .map(|der| Self::from_der(der))
            .collect()
    }

    /// The certificate DER as received.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        self.pki.as_der()
    }

    /// The serialNumber INTEGER TLV exactly as encoded (a leading `00` kept).
    #[must_use]
    pub fn serial_der(&self) -> &[u8] {
        self.pki.serial_der()
    }

    /// The issuer Name TLV exactly as encoded.
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        self.pki.issuer_der()
    }

    /// The subject Name TLV exactly as encoded.
    #[must_use]
    pub fn subject_der(&self) -> &[u8] {
        self.pki.subject_der()
    }

    /// notBefore, as time since the Unix epoch.
    #[must_use]
    pub const fn not_before(&self) -> Duration {
        self.not_before
    }

    /// notAfter, as time since the Unix epoch.
    #[must_use]
    pub const fn not_after(&self) -> Duration {
        self.not_after
    }

    /// The keyUsage bits (first two octets, big-endian; [`KEY_USAGE_DIGITAL_SIGNATURE`] ...),
    /// or `None` when the extension is absent.
    #[must_use]
    pub const fn key_usage(&self) -> Option<u16> {
        self.pki.key_usage()
    }

    /// The subject's RSA public key.
    #[must_use]
    pub const fn public_key(&self) -> &RsaPublicKey {
        &self.public_key
    }

    /// The certificate as the shared `paycrypt_kex::pki` view.
    #[must_use]
    pub const fn as_pki(&self) -> &paycrypt_kex::pki::Certificate {
        &self.pki
    }

    /// `IssuerAndSerialNumber` of this certificate (RFC 5652 §10.2.4), copied byte for byte
    /// from the certificate.
    #[must_use]
    pub fn issuer_and_serial(&self) -> IssuerAndSerialNumber {
        IssuerAndSerialNumber {
            der: der::tlv(der::SEQUENCE, &[self.issuer_der(), self.serial_der()]),
        }
    }

    /// `true` when `at` lies within notBefore..=notAfter (RFC 5280 §4.1.2.5).
    #[must_use]
    pub fn is_valid_at(&self, at: Duration) -> bool {
        self.pki.is_valid_at(at)
    }

    /// `true` when the keyUsage extension is absent or has every bit of `mask`.
    #[must_use]
    pub const fn allows(&self, mask: u16) -> bool {
        self.pki.allows(mask)
    }

    /// Checks that `issuer` issued this certificate: issuer Name equal to the issuer's subject
    /// byte for byte and the RSASSA-PKCS1-v1_5 signature (SHA-256/384/512) valid under the
    /// issuer's key (RFC 5280 §6.1.3 (a)(1), (a)(4)).
    ///
    /// # Errors
    /// [`Error::Rejected`] when either check fails.
    pub fn verify_issued_by(&self, issuer: &Self) -> Result<(), Error> {
        self.signed.verify(issuer)
    }
}

/// `IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }` (RFC 5652
/// §10.2.4), kept as DER bytes: TR-34 compares identifiers byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerAndSerialNumber {
    der: Vec<u8>,
}

impl IssuerAndSerialNumber {
    /// Parses and keeps the DER of an IssuerAndSerialNumber.
    ///
    /// # Errors
    /// [`Error::Malformed`] when it is not `SEQUENCE { SEQUENCE, INTEGER }`.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let t = der::parse_single(input, der::SEQUENCE, "IssuerAndSerialNumber")?;
        Self::check(&t)?;
        Ok(Self {
            der: input.to_vec(),
        })
    }

    pub(crate) fn from_tlv(t: &Tlv<'_>) -> Result<Self, Error> {
        Self::check(t)?;
        Ok(Self {
            der: t.raw.to_vec(),
        })
    }

    fn check(t: &Tlv<'_>) -> Result<(), Error> {
        let mut r = t.reader();
        r.expect(der::SEQUENCE, "IssuerAndSerialNumber issuer")?;
        r.expect(der::INTEGER, "IssuerAndSerialNumber serialNumber")?;
        r.finish("IssuerAndSerialNumber")
    }

    /// The DER encoding.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// `true` when this identifies `cert` (issuer and serial equal byte for byte).
    #[must_use]
    pub fn identifies(&self, cert: &Certificate) -> bool {
        self.der == cert.issuer_and_serial().der
    }
}

/// An X.509 CRL (RFC 5280 §5.1) kept as received DER.
#[derive(Clone, PartialEq, Eq)]
pub struct Crl {
    der: Vec<u8>,
    signed: IssuerSignature,
    this_update: Duration,
    next_update: Option<Duration>,
    revoked: Vec<Vec<u8>>,
}

impl core::fmt::Debug for Crl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Crl")
            .field("revoked", &self.revoked.len())
            .finish_non_exhaustive()
    }
}

impl Crl {
    /// Parses a DER CRL.
    ///
    /// # Errors
    /// [`Error::Malformed`] when it does not parse.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(input, 0);
        let t = outer.expect(der::SEQUENCE, "CRL")?;
        outer.finish("CRL")?;
        Self::from_tlv(&t)
    }

    pub(crate) fn from_tlv(crl: &Tlv<'_>) -> Result<Self, Error> {
        const LABELS: SignedLabels = SignedLabels {
            whole: "CRL",
            tbs: "tbsCertList",
            outer_alg: "CRL signatureAlgorithm",
            signature: "CRL signatureValue",
            inner_alg: "CRL signature",
        };
        let signed = Signed::parse(crl, &LABELS)?;
        let tbs = &signed.tbs;
        let mut t = tbs.reader();
        t.optional(der::INTEGER, "CRL version")?;
        signed.check_inner_alg(&mut t)?;
        let issuer = t.expect(der::SEQUENCE, "CRL issuer")?;
        let this_update = parse_time(&t.read("thisUpdate")?, "thisUpdate")?;
        let next_update = match t.peek_tag() {
            Some(der::UTC_TIME | der::GENERALIZED_TIME) => {
                Some(parse_time(&t.read("nextUpdate")?, "nextUpdate")?)
            }
            _ => None,
        };
        let mut revoked = Vec::new();
        if let Some(list) = t.optional(der::SEQUENCE, "revokedCertificates")? {
            let mut l = list.reader();
            while !l.is_empty() {
                let entry = l.expect(der::SEQUENCE, "revoked certificate")?;
                let mut e = entry.reader();
                let serial = e.expect(der::INTEGER, "revoked serial")?;
                parse_time(&e.read("revocationDate")?, "revocationDate")?;
                e.optional(der::SEQUENCE, "crlEntryExtensions")?;
                e.finish("revoked certificate")?;
                revoked.push(serial.raw.to_vec());
            }
        }
        t.optional(der::CTX0, "crlExtensions")?;
        t.finish("tbsCertList")?;
        Ok(Self {
            der: crl.raw.to_vec(),
            signed: IssuerSignature::new(&signed, &issuer),
            this_update,
            next_update,
            revoked,
        })
    }

    /// Parses a CRL from PEM (`X509 CRL`), DER or base64 of PEM.
    ///
    /// # Errors
    /// [`Error::Pem`] for a bad PEM document, else as [`Crl::from_der`].
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self, Error> {
        Self::from_der(&pem_or_der(input, "X509 CRL")?)
    }

    /// The CRL DER as received.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer Name TLV.
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        &self.signed.issuer
    }

    /// thisUpdate, as time since the Unix epoch.
    #[must_use]
    pub const fn this_update(&self) -> Duration {
        self.this_update
    }

    /// nextUpdate, if present.
    #[must_use]
    pub const fn next_update(&self) -> Option<Duration> {
        self.next_update
    }

    /// `true` when `cert`'s serial number is listed (its issuer must be this CRL's issuer).
    #[must_use]
    pub fn lists(&self, cert: &Certificate) -> bool {
        cert.signed.issuer == self.signed.issuer
            && self
                .revoked
                .iter()
                .any(|s| s.as_slice() == cert.serial_der())
    }

    /// Verifies the CRL signature with `issuer`'s key and that `issuer` is the CRL issuer
    /// (RFC 5280 §6.3.3 (f), (g)).
    ///
    /// # Errors
    /// [`Error::Rejected`] when either check fails.
    pub fn verify_issued_by(&self, issuer: &Certificate) -> Result<(), Error> {
        self.signed.verify(issuer)
    }
}
