//! Certificates, public keys and private keys as paycrypt's asymmetric crates receive them —
//! the one loader shared by ECDH, RSA-OAEP key cryptograms and TR-34 (`paycrypt-tr34` calls
//! [`decode_documents`], [`decode_secret`], [`rsa_public_key_from_spki`] and
//! [`RsaPrivateKey::from_input`]).
//!
//! Accepted forms (detected from the bytes, leading whitespace ignored):
//! - **PEM** (RFC 7468): text starting with `-----BEGIN`, or text containing a `-----BEGIN`
//!   line after explanatory text (as `openssl x509 -text` writes; base64 has no `-`, so this
//!   cannot be the third form); text around the blocks is ignored;
//! - **DER**: first byte `0x30` (a SEQUENCE);
//! - **base64 of the PEM text**: what AWS Payment Cryptography returns in `KeyCertificate`,
//!   `KeyCertificateChain`, `WrappingKeyCertificate` and expects in `PublicKeyCertificate`.
//!   Anything else that base64-decodes to something not starting with `-----BEGIN` is refused.
//!
//! Certificates (RFC 5280 §4.1) or bare SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) carry EC keys
//! (`id-ecPublicKey` with P-256, P-384 or P-521, RFC 5480 §2.1.1) or RSA keys (RFC 3279
//! §2.3.1, at least 2048 bits). Private keys: PKCS #8 (`PRIVATE KEY`, RFC 5208 / RFC 5958),
//! SEC1 (`EC PRIVATE KEY`, RFC 5915), PKCS #1 (`RSA PRIVATE KEY`, RFC 8017 Appendix A.1.2); no
//! encrypted keys. Every input is limited to [`MAX_INPUT`] bytes.

use crate::Error;
use crate::ecdh::{Curve, EcPrivateKey, EcPublicKey};
use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;
use der::Decode;
use rsa::RsaPublicKey;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

/// The largest certificate, chain or key file accepted (bytes).
pub const MAX_INPUT: usize = 64 * 1024;

/// Minimum RSA modulus accepted anywhere (SP 800-131A Rev. 2 §2; TR-34-2019 §4.2).
pub const MIN_RSA_BITS: usize = 2048;

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// The form an input was given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Form {
    /// PEM text.
    Pem,
    /// Binary DER.
    Der,
    /// Base64 of PEM text (AWS API fields).
    Base64Pem,
}

fn trim_start(input: &[u8]) -> &[u8] {
    let first = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    input.get(first..).unwrap_or_default()
}

const BEGIN: &[u8] = b"-----BEGIN";

/// Classifies `input` and returns the PEM text for the PEM forms, or the DER bytes.
///
/// # Errors
/// [`Error::Length`] over [`MAX_INPUT`] or empty; [`Error::Encoding`] when it is none of the
/// three forms.
pub fn classify(input: &[u8]) -> Result<(Form, Cow<'_, [u8]>), Error> {
    if input.is_empty() || input.len() > MAX_INPUT {
        return Err(Error::length("certificate or key input", input.len()));
    }
    let t = trim_start(input);
    if t.starts_with(BEGIN) {
        return Ok((Form::Pem, Cow::Borrowed(t)));
    }
    if t.first() == Some(&0x30) {
        return Ok((Form::Der, Cow::Borrowed(t)));
    }
    // PEM after explanatory text (`openssl x509 -text`): base64 has no '-', so this cannot be
    // the base64 form.
    if t.windows(BEGIN.len()).any(|w| w == BEGIN) {
        return Ok((Form::Pem, Cow::Borrowed(t)));
    }
    let compact: Zeroizing<Vec<u8>> = Zeroizing::new(
        t.iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
    );
    let decoded = <base64ct::Base64 as base64ct::Encoding>::decode_vec(
        core::str::from_utf8(&compact).map_err(|_| Error::encoding("PEM, DER or base64 of PEM"))?,
    )
    .map_err(|_| Error::encoding("PEM, DER or base64 of PEM"))?;
    let decoded = Zeroizing::new(decoded);
    if trim_start(&decoded).starts_with(BEGIN) {
        Ok((Form::Base64Pem, Cow::Owned(decoded.to_vec())))
    } else {
        Err(Error::encoding("PEM, DER or base64 of PEM"))
    }
}

/// The form of `input` (see [`classify`]).
///
/// # Errors
/// As [`classify`].
pub fn form(input: &[u8]) -> Result<Form, Error> {
    classify(input).map(|(f, _)| f)
}

/// Iterates over the `-----BEGIN` … `-----END …` line spans of `input` (RFC 7468 §2).
fn pem_spans(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    const BEGIN_LINE: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let mut rest = input;
    core::iter::from_fn(move || {
        let start = rest
            .windows(BEGIN_LINE.len())
            .position(|w| w == BEGIN_LINE)?;
        let after = rest.get(start..)?;
        let end_marker = after.windows(END.len()).position(|w| w == END)?;
        let line_end = after
            .get(end_marker..)?
            .iter()
            .position(|&b| b == b'\n')
            .map_or(after.len(), |p| end_marker + p + 1);
        let block = after.get(..line_end)?;
        rest = after.get(line_end..).unwrap_or_default();
        Some(block)
    })
}

/// Decodes every document of `input` — one DER document, or every PEM block (directly or
/// inside base64) — whose label is one of `labels`; returns (label, DER) pairs. DER input gets
/// the label `""`.
///
/// # Errors
/// As [`classify`]; [`Error::Encoding`] for a PEM block that does not decode, has another
/// label, or when there is none.
pub fn decode_documents(
    input: &[u8],
    labels: &[&'static str],
) -> Result<Vec<(&'static str, Vec<u8>)>, Error> {
    let (form, bytes) = classify(input)?;
    if form == Form::Der {
        return Ok(alloc::vec![("", bytes.into_owned())]);
    }
    let mut out = Vec::new();
    for block in pem_spans(&bytes) {
        let (label, body) =
            der::pem::decode_vec(block).map_err(|_| Error::encoding("PEM armour"))?;
        let known = labels
            .iter()
            .find(|l| **l == label)
            .ok_or(Error::encoding("PEM document with an unexpected label"))?;
        out.push((*known, body));
    }
    if out.is_empty() {
        Err(Error::encoding("PEM armour"))
    } else {
        Ok(out)
    }
}

/// The first document of `input` with one of `labels` (see [`decode_documents`]).
///
/// # Errors
/// As [`decode_documents`].
pub fn decode_document(
    input: &[u8],
    labels: &[&'static str],
) -> Result<(&'static str, Vec<u8>), Error> {
    decode_documents(input, labels)?
        .into_iter()
        .next()
        .ok_or(Error::encoding("PEM armour"))
}

/// A private key's container as found in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretLabel {
    /// DER without a label.
    Der,
    /// `PRIVATE KEY` (PKCS #8).
    Pkcs8,
    /// `EC PRIVATE KEY` (SEC1).
    Sec1,
    /// `RSA PRIVATE KEY` (PKCS #1).
    Pkcs1,
}

/// Decodes the first private-key document of `input` (PEM, DER or base64 of PEM); the decoded
/// bytes are zeroized on drop on every path.
///
/// # Errors
/// As [`classify`]; [`Error::Encoding`] for bad armour, an encrypted key or another label.
pub fn decode_secret(input: &[u8]) -> Result<(SecretLabel, Zeroizing<Vec<u8>>), Error> {
    let (form, bytes) = classify(input)?;
    let bytes = Zeroizing::new(bytes.into_owned());
    if form == Form::Der {
        return Ok((SecretLabel::Der, bytes));
    }
    let block = pem_spans(&bytes)
        .next()
        .ok_or(Error::encoding("PEM armour"))?;
    let (label, body) = der::pem::decode_vec(block)
        .map_err(|_| Error::encoding("PEM armour (or an encrypted key)"))?;
    let body = Zeroizing::new(body);
    let label = match label {
        "PRIVATE KEY" => SecretLabel::Pkcs8,
        "EC PRIVATE KEY" => SecretLabel::Sec1,
        "RSA PRIVATE KEY" => SecretLabel::Pkcs1,
        "ENCRYPTED PRIVATE KEY" => {
            return Err(Error::encoding("encrypted private key (not supported)"));
        }
        _ => return Err(Error::encoding("private key PEM label")),
    };
    Ok((label, body))
}

/// Decodes an RSA SubjectPublicKeyInfo and enforces [`MIN_RSA_BITS`].
///
/// # Errors
/// [`Error::Encoding`]; [`Error::RsaKeyTooSmall`].
pub fn rsa_public_key_from_spki(spki: &[u8]) -> Result<RsaPublicKey, Error> {
    use spki::DecodePublicKey;
    let key =
        RsaPublicKey::from_public_key_der(spki).map_err(|_| Error::encoding("RSA public key"))?;
    if key.n().bits() < MIN_RSA_BITS as u32 {
        return Err(Error::RsaKeyTooSmall);
    }
    Ok(key)
}

/// A public key from a certificate or SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An EC key on a supported curve.
    Ec(EcPublicKey),
    /// An RSA key of at least 2048 bits.
    Rsa(RsaPublicKey),
}

impl PublicKey {
    /// Decodes a DER SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// [`Error::Encoding`]; [`Error::UnsupportedCurve`] for another curve or a bad point;
    /// [`Error::RsaKeyTooSmall`].
    pub fn from_spki_der(spki: &[u8]) -> Result<Self, Error> {
        let info = spki::SubjectPublicKeyInfoRef::from_der(spki)
            .map_err(|_| Error::encoding("SubjectPublicKeyInfo"))?;
        let (alg, params) = info
            .algorithm
            .oids()
            .map_err(|_| Error::encoding("SubjectPublicKeyInfo algorithm"))?;
        match alg.to_string().as_str() {
            EC_PUBLIC_KEY => {
                let curve = params
                    .as_ref()
                    .and_then(Curve::from_oid)
                    .ok_or(Error::UnsupportedCurve)?;
                Ok(Self::Ec(EcPublicKey::from_spki_der(curve, spki)?))
            }
            RSA_ENCRYPTION => Ok(Self::Rsa(rsa_public_key_from_spki(spki)?)),
            _ => Err(Error::encoding("public key algorithm (EC or RSA only)")),
        }
    }

    /// Loads a certificate (its subject key) or a bare SubjectPublicKeyInfo, in any of the
    /// three forms. A chain yields its first certificate.
    ///
    /// # Errors
    /// As [`decode_document`] and [`PublicKey::from_spki_der`].
    pub fn from_input(input: &[u8]) -> Result<Self, Error> {
        let (label, der) = decode_document(input, &["CERTIFICATE", "PUBLIC KEY"])?;
        match label {
            "PUBLIC KEY" => Self::from_spki_der(&der),
            "CERTIFICATE" => Ok(Certificate::from_der(&der)?.public_key),
            _ => match Certificate::from_der(&der) {
                Ok(c) => Ok(c.public_key),
                Err(_) => Self::from_spki_der(&der),
            },
        }
    }

    /// The EC key, or [`Error::WrongKeyKind`].
    ///
    /// # Errors
    /// [`Error::WrongKeyKind`] for an RSA key.
    pub fn into_ec(self) -> Result<EcPublicKey, Error> {
        match self {
            Self::Ec(k) => Ok(k),
            Self::Rsa(_) => Err(Error::WrongKeyKind { expected: "EC" }),
        }
    }

    /// The RSA key, or [`Error::WrongKeyKind`].
    ///
    /// # Errors
    /// [`Error::WrongKeyKind`] for an EC key.
    pub fn into_rsa(self) -> Result<RsaPublicKey, Error> {
        match self {
            Self::Rsa(k) => Ok(k),
            Self::Ec(_) => Err(Error::WrongKeyKind { expected: "RSA" }),
        }
    }
}

/// A software RSA private key (`rsa` crate), at least 2048 bits. `Debug` shows the size only.
#[derive(Clone)]
pub struct RsaPrivateKey(rsa::RsaPrivateKey);

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &self.0.n().bits())
            .finish_non_exhaustive()
    }
}

impl RsaPrivateKey {
    /// Wraps an `rsa` key.
    ///
    /// # Errors
    /// [`Error::RsaKeyTooSmall`].
    pub fn new(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        if key.n().bits() < MIN_RSA_BITS as u32 {
            return Err(Error::RsaKeyTooSmall);
        }
        Ok(Self(key))
    }

    /// Loads a PKCS #8 or PKCS #1 RSA private key in PEM, DER or base64 of PEM.
    ///
    /// # Errors
    /// As [`PrivateKey::from_input`]; [`Error::WrongKeyKind`] for an EC key.
    pub fn from_input(input: &[u8]) -> Result<Self, Error> {
        match PrivateKey::from_input(input)? {
            PrivateKey::Rsa(k) => Ok(k),
            PrivateKey::Ec(_) => Err(Error::WrongKeyKind { expected: "RSA" }),
        }
    }

    /// The `rsa` crate key.
    #[must_use]
    pub const fn as_rsa(&self) -> &rsa::RsaPrivateKey {
        &self.0
    }

    /// Unwraps into the `rsa` crate key.
    #[must_use]
    pub fn into_rsa(self) -> rsa::RsaPrivateKey {
        self.0
    }

    /// The public key.
    #[must_use]
    pub fn public_key(&self) -> RsaPublicKey {
        self.0.to_public_key()
    }
}

/// A private key of either kind.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PrivateKey {
    /// An ECDH key.
    Ec(EcPrivateKey),
    /// An RSA key.
    Rsa(RsaPrivateKey),
}

fn rsa_pkcs8(der: &[u8]) -> Result<PrivateKey, Error> {
    use pkcs8::DecodePrivateKey;
    let k = rsa::RsaPrivateKey::from_pkcs8_der(der)
        .map_err(|_| Error::encoding("RSA private key (PKCS #8)"))?;
    Ok(PrivateKey::Rsa(RsaPrivateKey::new(k)?))
}

fn rsa_pkcs1(der: &[u8]) -> Result<PrivateKey, Error> {
    use pkcs1::DecodeRsaPrivateKey;
    let k = rsa::RsaPrivateKey::from_pkcs1_der(der)
        .map_err(|_| Error::encoding("RSA private key (PKCS #1)"))?;
    Ok(PrivateKey::Rsa(RsaPrivateKey::new(k)?))
}

fn pkcs8_any(der: &[u8]) -> Result<PrivateKey, Error> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)
        .map_err(|_| Error::encoding("private key (PKCS #8)"))?;
    let (alg, params) = info
        .algorithm
        .oids()
        .map_err(|_| Error::encoding("private key algorithm"))?;
    match alg.to_string().as_str() {
        EC_PUBLIC_KEY => {
            let curve = params
                .as_ref()
                .and_then(Curve::from_oid)
                .ok_or(Error::UnsupportedCurve)?;
            Ok(PrivateKey::Ec(EcPrivateKey::from_pkcs8_der(curve, der)?))
        }
        RSA_ENCRYPTION => rsa_pkcs8(der),
        _ => Err(Error::encoding("private key algorithm (EC or RSA only)")),
    }
}

fn sec1_any(der: &[u8]) -> Result<PrivateKey, Error> {
    let k =
        sec1::EcPrivateKey::from_der(der).map_err(|_| Error::encoding("EC private key (SEC1)"))?;
    let curve = match k.parameters.and_then(sec1::EcParameters::named_curve) {
        Some(oid) => Curve::from_oid(&oid).ok_or(Error::UnsupportedCurve)?,
        None => match k.private_key.len() {
            32 => Curve::P256,
            48 => Curve::P384,
            66 => Curve::P521,
            _ => return Err(Error::UnsupportedCurve),
        },
    };
    Ok(PrivateKey::Ec(EcPrivateKey::from_sec1_der(curve, der)?))
}

/// Parses an RSA private key from a decoded document ([`decode_secret`]): PKCS #8 or PKCS #1
/// by label, and for unlabelled DER PKCS #8 then PKCS #1 (as `openssl rsa -traditional
/// -outform DER` writes it).
///
/// # Errors
/// [`Error::Encoding`]; [`Error::WrongKeyKind`] for a SEC1 EC key; [`Error::RsaKeyTooSmall`].
pub fn rsa_private_key_from_der(label: SecretLabel, der: &[u8]) -> Result<RsaPrivateKey, Error> {
    let k = match label {
        SecretLabel::Pkcs8 => rsa_pkcs8(der),
        SecretLabel::Pkcs1 => rsa_pkcs1(der),
        SecretLabel::Der => rsa_pkcs8(der).or_else(|_| rsa_pkcs1(der)),
        SecretLabel::Sec1 => Err(Error::WrongKeyKind { expected: "RSA" }),
    }?;
    match k {
        PrivateKey::Rsa(k) => Ok(k),
        PrivateKey::Ec(_) => Err(Error::WrongKeyKind { expected: "RSA" }),
    }
}

impl PrivateKey {
    /// Loads a private key: PKCS #8, SEC1 or PKCS #1, in PEM, DER (PKCS #8, then SEC1, then
    /// PKCS #1 are tried) or base64 of PEM.
    ///
    /// # Errors
    /// As [`decode_secret`]; [`Error::Encoding`]; [`Error::UnsupportedCurve`];
    /// [`Error::RsaKeyTooSmall`].
    pub fn from_input(input: &[u8]) -> Result<Self, Error> {
        let (label, der) = decode_secret(input)?;
        match label {
            SecretLabel::Pkcs8 => pkcs8_any(&der),
            SecretLabel::Sec1 => sec1_any(&der),
            SecretLabel::Pkcs1 => rsa_pkcs1(&der),
            SecretLabel::Der => match pkcs8_any(&der) {
                Err(Error::Encoding { .. }) => match sec1_any(&der) {
                    Err(Error::Encoding { .. }) => rsa_pkcs1(&der),
                    other => other,
                },
                other => other,
            },
        }
    }

    /// The EC key, or [`Error::WrongKeyKind`].
    ///
    /// # Errors
    /// [`Error::WrongKeyKind`] for an RSA key.
    pub fn into_ec(self) -> Result<EcPrivateKey, Error> {
        match self {
            Self::Ec(k) => Ok(k),
            Self::Rsa(_) => Err(Error::WrongKeyKind { expected: "EC" }),
        }
    }
}

/// keyUsage `digitalSignature` (RFC 5280 §4.2.1.3), as a mask over the first two octets.
pub const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 0x8000;
/// keyUsage `keyEncipherment`.
pub const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 0x2000;
/// keyUsage `keyAgreement`.
pub const KEY_USAGE_KEY_AGREEMENT: u16 = 0x0800;
/// keyUsage `keyCertSign`.
pub const KEY_USAGE_KEY_CERT_SIGN: u16 = 0x0400;

/// An X.509 certificate (RFC 5280 §4.1) with an EC or RSA subject key, kept as received DER.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    ids: RawIdentifiers,
    cert: x509_cert::Certificate,
    public_key: PublicKey,
    key_usage: Option<u16>,
    is_ca: bool,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field(
                "subject",
                &self.cert.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

impl Certificate {
    /// Parses a DER certificate.
    ///
    /// # Errors
    /// [`Error::Encoding`]; as [`PublicKey::from_spki_der`].
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        use der::Encode;
        if der.len() > MAX_INPUT {
            return Err(Error::length("certificate", der.len()));
        }
        let cert =
            x509_cert::Certificate::from_der(der).map_err(|_| Error::encoding("certificate"))?;
        let tbs = cert.tbs_certificate();
        let spki = tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|_| Error::encoding("certificate subjectPublicKeyInfo"))?;
        let public_key = PublicKey::from_spki_der(&spki)?;
        let mut key_usage = None;
        let mut is_ca = false;
        for ext in tbs.extensions().map(|e| e.as_slice()).unwrap_or_default() {
            match ext.extn_id.to_string().as_str() {
                "2.5.29.15" => {
                    let bits = der::asn1::BitString::from_der(ext.extn_value.as_bytes())
                        .map_err(|_| Error::encoding("keyUsage"))?;
                    let raw = bits.raw_bytes();
                    key_usage = Some(u16::from_be_bytes([
                        raw.first().copied().unwrap_or(0),
                        raw.get(1).copied().unwrap_or(0),
                    ]));
                }
                "2.5.29.19" => {
                    let bc =
                        x509_cert::ext::pkix::BasicConstraints::from_der(ext.extn_value.as_bytes())
                            .map_err(|_| Error::encoding("basicConstraints"))?;
                    is_ca = bc.ca;
                }
                _ => {}
            }
        }
        let ids = RawIdentifiers::from_der(der)?;
        Ok(Self {
            der: der.to_vec(),
            ids,
            cert,
            public_key,
            key_usage,
            is_ca,
        })
    }

    /// Every certificate of `input` (PEM bundle, base64 of a PEM bundle, or one DER
    /// certificate), in order: a chain as AWS returns it (`KeyCertificateChain`).
    ///
    /// # Errors
    /// As [`decode_documents`] and [`Certificate::from_der`].
    pub fn chain_from_input(input: &[u8]) -> Result<Vec<Self>, Error> {
        decode_documents(input, &["CERTIFICATE"])?
            .iter()
            .map(|(_, der)| Self::from_der(der))
            .collect()
    }

    /// The first certificate of `input`.
    ///
    /// # Errors
    /// As [`Certificate::chain_from_input`].
    pub fn from_input(input: &[u8]) -> Result<Self, Error> {
        let (_, der) = decode_document(input, &["CERTIFICATE"])?;
        Self::from_der(&der)
    }

    /// The DER as received.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The serialNumber INTEGER TLV exactly as received (RFC 5280 §4.1.2.2; a leading `00`
    /// kept), for byte-exact `IssuerAndSerialNumber` matching (RFC 5652 §10.2.4).
    #[must_use]
    pub fn serial_der(&self) -> &[u8] {
        &self.ids.serial
    }

    /// The issuer Name TLV exactly as received (RFC 5280 §4.1.2.4).
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        &self.ids.issuer
    }

    /// The subject Name TLV exactly as received (RFC 5280 §4.1.2.6).
    #[must_use]
    pub fn subject_der(&self) -> &[u8] {
        &self.ids.subject
    }

    /// The DER `IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }`
    /// (RFC 5652 §10.2.4) of this certificate, copied byte for byte from it.
    ///
    /// # Errors
    /// [`Error::Encoding`] only if the lengths overflow the DER length range (never for a
    /// certificate within [`MAX_INPUT`]).
    pub fn issuer_and_serial_der(&self) -> Result<Vec<u8>, Error> {
        let mut body = self.ids.issuer.clone();
        body.extend_from_slice(&self.ids.serial);
        crate::asn1::tlv(der::Tag::Sequence, &body)
    }

    /// The subject's public key.
    #[must_use]
    pub const fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The keyUsage bits (first two octets big-endian), `None` when absent.
    #[must_use]
    pub const fn key_usage(&self) -> Option<u16> {
        self.key_usage
    }

    /// `true` when the keyUsage extension is absent or has every bit of `mask`.
    #[must_use]
    pub const fn allows(&self, mask: u16) -> bool {
        match self.key_usage {
            None => true,
            Some(bits) => bits & mask == mask,
        }
    }

    /// notBefore (RFC 5280 §4.1.2.5), as time since the Unix epoch.
    #[must_use]
    pub fn not_before(&self) -> core::time::Duration {
        self.cert
            .tbs_certificate()
            .validity()
            .not_before
            .to_unix_duration()
    }

    /// notAfter (RFC 5280 §4.1.2.5), as time since the Unix epoch.
    #[must_use]
    pub fn not_after(&self) -> core::time::Duration {
        self.cert
            .tbs_certificate()
            .validity()
            .not_after
            .to_unix_duration()
    }

    /// `true` when `at` (seconds since the Unix epoch) lies within the validity period.
    #[must_use]
    pub fn is_valid_at(&self, at: core::time::Duration) -> bool {
        let v = self.cert.tbs_certificate().validity();
        v.not_before.to_unix_duration() <= at && at <= v.not_after.to_unix_duration()
    }

    /// Checks that `issuer` issued this certificate (RFC 5280 §6.1.3 (a)): the issuer Name
    /// equals the issuer's subject, the issuer is a CA (basicConstraints cA, keyUsage
    /// keyCertSign when present), and the signature — ECDSA with SHA-256/384/512 (RFC 5758
    /// §3.2) or RSASSA-PKCS1-v1_5 with SHA-256/384/512 (RFC 4055 §5) — verifies under its key.
    ///
    /// # Errors
    /// [`Error::CertificateRejected`] naming the rule that failed.
    pub fn verify_issued_by(&self, issuer: &Self) -> Result<(), Error> {
        use der::Encode;
        let reject = |reason| Error::CertificateRejected { reason };
        if self.cert.tbs_certificate().issuer() != issuer.cert.tbs_certificate().subject() {
            return Err(reject("issuer name does not match the CA's subject"));
        }
        if !issuer.is_ca || !issuer.allows(KEY_USAGE_KEY_CERT_SIGN) {
            return Err(reject("issuer is not a CA (basicConstraints / keyUsage)"));
        }
        let tbs = self
            .cert
            .tbs_certificate()
            .to_der()
            .map_err(|_| Error::encoding("tbsCertificate"))?;
        let sig = self
            .cert
            .signature()
            .as_bytes()
            .ok_or(reject("signature has unused bits"))?;
        let alg = self.cert.signature_algorithm().oid.to_string();
        verify_signature(&issuer.public_key, &alg, &tbs, sig)
            .map_err(|_| reject("certificate signature does not verify"))
    }
}

/// The identifiers of a certificate as received, byte for byte: the serialNumber, issuer and
/// subject TLVs of the TBSCertificate (RFC 5280 §4.1). Copied rather than re-encoded, so that a
/// certificate whose Names are not in canonical DER still matches its own identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RawIdentifiers {
    serial: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
}

impl RawIdentifiers {
    fn from_der(cert: &[u8]) -> Result<Self, Error> {
        use crate::asn1::Reader;
        let bad = "certificate";
        let mut outer = Reader::new(cert, bad)?;
        let mut c = outer.sequence()?;
        outer.finish()?;
        let mut tbs = c.sequence()?;
        if tbs.peek_is(crate::asn1::ctx(0, true)) {
            tbs.any()?;
        }
        let serial = tbs.expect_raw(der::Tag::Integer)?.to_vec();
        let inner_alg = tbs.expect_raw(der::Tag::Sequence)?;
        // RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal the TBSCertificate's signature field.
        if c.expect_raw(der::Tag::Sequence)? != inner_alg {
            return Err(Error::encoding(
                "certificate (signatureAlgorithm differs from the signed one)",
            ));
        }
        let issuer = tbs.expect_raw(der::Tag::Sequence)?.to_vec();
        tbs.expect_raw(der::Tag::Sequence)?;
        let subject = tbs.expect_raw(der::Tag::Sequence)?.to_vec();
        Ok(Self {
            serial,
            issuer,
            subject,
        })
    }
}

/// Verifies `sig` over `msg` under `key` with the signature algorithm `alg` (dotted OID).
fn verify_signature(key: &PublicKey, alg: &str, msg: &[u8], sig: &[u8]) -> Result<(), ()> {
    use sha2::Digest;
    let digest: Vec<u8> = match alg {
        "1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11" => sha2::Sha256::digest(msg).to_vec(),
        "1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12" => sha2::Sha384::digest(msg).to_vec(),
        "1.2.840.10045.4.3.4" | "1.2.840.113549.1.1.13" => sha2::Sha512::digest(msg).to_vec(),
        _ => return Err(()),
    };
    match key {
        PublicKey::Ec(k) => k.verify_prehash_der(&digest, sig),
        PublicKey::Rsa(k) => {
            use rsa::pkcs1v15::Pkcs1v15Sign;
            let scheme = match digest.len() {
                32 => Pkcs1v15Sign::new::<sha2::Sha256>(),
                48 => Pkcs1v15Sign::new::<sha2::Sha384>(),
                _ => Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            if !alg.starts_with("1.2.840.113549") {
                return Err(());
            }
            k.verify(scheme, &digest, sig).map_err(|_| ())
        }
    }
}
