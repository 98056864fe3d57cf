//! The key token KT-KDH (TR-34-2019 §5.4.5–§5.4.9, Annex B.8/B.9; spec `tr34.md` §2–§5): KDH
//! build and KRD open, one-pass (signingTime) and two-pass (randomNonce), in the layouts real
//! systems emit.
//!
//! ```text
//! ContentInfo { id-signedData, [0] SignedData {
//!   1, { sha256 }, { id-envelopedData, [0] OCTET STRING <EnvelopedData, with or without SEQ> },
//!   [1] { CRL of CA-KDH } (Annex B), { SignerInfo { 1, IAS(KDH), sha256,
//!     [0] { contentType, randomNonce | signingTime, id-data <header>, messageDigest },
//!     rsaEncryption, signature } } } }
//! ```

use crate::cert::{Certificate, Crl, IssuerAndSerialNumber, KEY_USAGE_KEY_ENCIPHERMENT};
use crate::envelope::{self, ContentAlgorithm, EnvelopeLayout, OaepParamsForm};
use crate::header::KeyHeader;
use crate::keyblock::{self, KeyBlock};
use crate::rsa_key::{self, RsaPrivateKeyOps};
use crate::signed::{self, SignedData};
use crate::trust::KdhValidator;
use crate::{Error, der, oid};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::TryCryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Nonce lengths accepted in `randomNonce` (spec `tr34.md` §2.3: 8 at AWS and payShield, 16 in
/// Annex B and Futurex).
pub const NONCE_LEN: core::ops::RangeInclusive<usize> = 8..=16;

/// Output layout of a built key token (spec `tr34.md` §5).
///
/// Whatever the layout, what the builder writes is strict DER CMS: the signed attributes are a
/// DER-sorted SET OF (X.690 §11.6), the RSAES-OAEP parameters are the RFC 4055 §3.1 /
/// RFC 8017 A.2.1 `[0] [1]` form (SHA-256, MGF1-SHA-256, default empty label omitted), and the
/// SignedData version is 3 as RFC 5652 §5.1 requires for an eContentType other than id-data
/// (BouncyCastle and OpenSSL open it). The TR-34-2019 Annex B quirks — Annex B attribute order,
/// untagged OAEP parameters, SignedData version 1 — are produced only on request
/// ([`KeyTokenBuilder::annex_b_quirks`]); they are always accepted when opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// AWS Payment Cryptography `X9_TR34_2012`: eContent without the EnvelopedData SEQUENCE,
    /// encryptedContent inside the AlgorithmIdentifier, no certificates or CRLs.
    AwsX9Tr34_2012,
    /// TR-34-2019 Annex B (corrigendum): full EnvelopedData, RFC 5652 EncryptedContentInfo,
    /// CRL of CA-KDH when given. With [`KeyTokenBuilder::annex_b_quirks`] it reproduces the
    /// Annex B samples byte for byte.
    X9Tr34_2019AnnexB,
    /// Strict RFC 5652 / RFC 8017 (the same structure as [`Profile::X9Tr34_2019AnnexB`]).
    Rfc5652,
}

impl Profile {
    /// The command-line name (`aws`, `x9-2019`, `rfc5652`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::AwsX9Tr34_2012 => "aws",
            Self::X9Tr34_2019AnnexB => "x9-2019",
            Self::Rfc5652 => "rfc5652",
        }
    }

    /// Parses a command-line name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "aws" => Some(Self::AwsX9Tr34_2012),
            "x9-2019" => Some(Self::X9Tr34_2019AnnexB),
            "rfc5652" => Some(Self::Rfc5652),
            _ => None,
        }
    }

    const fn envelope(self) -> EnvelopeLayout {
        match self {
            Self::AwsX9Tr34_2012 => EnvelopeLayout {
                wrapped: false,
                ciphertext_inside_algorithm: true,
                oaep: OaepParamsForm::Tagged,
            },
            Self::X9Tr34_2019AnnexB => EnvelopeLayout {
                wrapped: true,
                ciphertext_inside_algorithm: false,
                oaep: OaepParamsForm::Tagged,
            },
            Self::Rfc5652 => EnvelopeLayout {
                wrapped: true,
                ciphertext_inside_algorithm: false,
                oaep: OaepParamsForm::Tagged,
            },
        }
    }

    /// The envelope with the Annex B quirks (untagged OAEP parameters).
    const fn quirks_envelope(self) -> EnvelopeLayout {
        let mut e = self.envelope();
        e.oaep = OaepParamsForm::Untagged;
        e
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Order of the signed attributes on output (spec `tr34.md` §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttributeOrder {
    /// contentType, randomNonce | signingTime, header, messageDigest (Annex B, AWS). Not DER
    /// order with a 16-byte nonce.
    AnnexB,
    /// DER SET OF order (X.690 §11.6).
    DerSorted,
}

/// Freshness mechanism of a key token (TR-34-2019 §5.4.6 one-pass, §5.4.7 two-pass).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PassMode {
    /// Two-pass: the echo of the KRD's RT-KRD nonce.
    TwoPass {
        /// The nonce (8..=16 bytes).
        nonce: Vec<u8>,
    },
    /// One-pass: the KDH's signing time.
    OnePass {
        /// signingTime, since the Unix epoch.
        signing_time: Duration,
    },
}

impl fmt::Debug for PassMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TwoPass { nonce } => {
                write!(
                    f,
                    "TwoPass {{ nonce: {} }}",
                    paycrypt_primitives::hex::Hex(nonce)
                )
            }
            Self::OnePass { signing_time } => {
                write!(f, "OnePass {{ signing_time: {} }}", signing_time.as_secs())
            }
        }
    }
}

/// Freshness input to the KDH build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport<'a> {
    /// Two-pass with the nonce from the KRD's RT-KRD (8..=16 bytes).
    TwoPass {
        /// The nonce.
        nonce: &'a [u8],
    },
    /// One-pass with this signing time (UTCTime, whole seconds).
    OnePass {
        /// Time since the Unix epoch.
        signing_time: Duration,
    },
}

/// What the KRD expects for freshness (spec `tr34.md` §4 step 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Freshness<'a> {
    /// A two-pass token carrying exactly this nonce (the one the KRD issued; single use is the
    /// caller's nonce store's job).
    Nonce(&'a [u8]),
    /// A one-pass token whose signingTime is at or after this time (pass the last accepted time
    /// plus one second for "strictly later").
    SigningTimeNotBefore(Duration),
    /// A one-pass token, signing time not checked (the caller checks [`KeyToken::pass_mode`]).
    AnySigningTime,
}

/// The layout facts found in a parsed token (spec `tr34.md` §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Layout {
    /// eContent carries the EnvelopedData SEQUENCE header.
    pub econtent_sequence: bool,
    /// encryptedContent sits inside the content-encryption AlgorithmIdentifier.
    pub ciphertext_inside_algorithm: bool,
    /// OAEP parameter encoding.
    pub oaep_params: OaepParamsForm,
    /// The signed attributes on the wire are in DER order.
    pub attributes_der_sorted: bool,
    /// SignedData version (3 as paycrypt builds it, 1 in Annex B and AWS, 73 from Futurex).
    pub version: u32,
    /// A CRL is present in `crls`.
    pub crl_included: bool,
}

impl Layout {
    /// The build profile this layout corresponds to, if any (versions other than 1 and 3 never
    /// do). A full EnvelopedData with untagged OAEP parameters is the Annex B form
    /// (`x9-2019`), with RFC 4055 parameters the strict one (`rfc5652`).
    #[must_use]
    pub const fn profile(&self) -> Option<Profile> {
        if !matches!(self.version, 1 | 3) {
            return None;
        }
        match (
            self.econtent_sequence,
            self.ciphertext_inside_algorithm,
            self.oaep_params,
        ) {
            (false, true, _) => Some(Profile::AwsX9Tr34_2012),
            (true, false, OaepParamsForm::Untagged) => Some(Profile::X9Tr34_2019AnnexB),
            (true, false, OaepParamsForm::Tagged) => Some(Profile::Rfc5652),
            _ => None,
        }
    }

    /// A short description: the profile name, or the individual facts.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match (
            self.profile(),
            self.econtent_sequence,
            self.ciphertext_inside_algorithm,
        ) {
            (Some(p), _, _) => p.name(),
            (None, false, false) => "futurex",
            (None, true, true) => "x9-2019-original",
            _ => "other",
        }
    }
}

/// A parsed key token (KT-KDH). Nothing in it is trusted until [`KeyToken::open`] succeeds.
#[derive(Clone, Debug)]
pub struct KeyToken {
    sd: SignedData,
    econtent: Vec<u8>,
    econtent_offset: usize,
    header: Vec<u8>,
    mode: PassMode,
    layout: Layout,
}

impl KeyToken {
    /// Parses a key token in DER, tolerating every layout of spec `tr34.md` §3.1 (strict mode:
    /// no B.6 field order, no lenient header forms).
    ///
    /// # Errors
    /// [`Error::Malformed`] when it does not parse as a KT-KDH.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let sd = signed::parse_content_info(input, false)?;
        // §4 step 2: eContentType id-envelopedData, exactly one SignerInfo with attributes.
        if sd.econtent_type != oid::ID_ENVELOPED_DATA {
            return Err(Error::malformed("eContentType", 0));
        }
        let econtent = sd.econtent.clone().ok_or(Error::malformed("eContent", 0))?;
        let econtent_offset = sd.econtent_offset;
        let si = match sd.signers.as_slice() {
            [si] => si,
            _ => return Err(Error::malformed("signerInfos", 0)),
        };
        let attrs_raw = si
            .signed_attrs
            .as_deref()
            .ok_or(Error::malformed("signedAttrs", 0))?;
        let attrs = signed::parse_attributes(attrs_raw, si.signed_attrs_offset)?;
        let bad = |what| Error::malformed(what, si.signed_attrs_offset);
        let ct = signed::find(&attrs, oid::CONTENT_TYPE).ok_or(bad("contentType attribute"))?;
        if ct.tag != der::OID || ct.value != oid::ID_ENVELOPED_DATA {
            return Err(bad("contentType attribute"));
        }
        let md = signed::find(&attrs, oid::MESSAGE_DIGEST).ok_or(bad("messageDigest attribute"))?;
        if md.tag != der::OCTET_STRING || md.value.len() != 32 {
            return Err(bad("messageDigest attribute"));
        }
        let h = signed::find(&attrs, oid::ID_DATA).ok_or(bad("key block header attribute"))?;
        if h.tag != der::OCTET_STRING {
            return Err(bad("key block header attribute"));
        }
        let header = h.value.to_vec();
        let nonce = signed::find(&attrs, oid::RANDOM_NONCE);
        let time = signed::find(&attrs, oid::SIGNING_TIME);
        // A nonce makes a two-pass token even when a generator (BouncyCastle) also adds
        // signingTime (spec `tr34.md` §2.3).
        let mode = match (nonce, time) {
            (Some(n), _) if n.tag == der::OCTET_STRING && NONCE_LEN.contains(&n.value.len()) => {
                PassMode::TwoPass {
                    nonce: n.value.to_vec(),
                }
            }
            (None, Some(t)) => PassMode::OnePass {
                signing_time: crate::cert::parse_time(&t, "signingTime")?,
            },
            _ => return Err(bad("randomNonce or signingTime attribute")),
        };
        let env = envelope::parse(&econtent, econtent_offset)?;
        let mut items = Vec::new();
        let mut r = der::Reader::new(attrs_raw, 0);
        while !r.is_empty() {
            items.push(r.read("attribute")?.raw);
        }
        let sorted = items.windows(2).all(|w| matches!(w, [a, b] if a <= b));
        let layout = Layout {
            econtent_sequence: env.layout.wrapped,
            ciphertext_inside_algorithm: env.layout.ciphertext_inside_algorithm,
            oaep_params: env.layout.oaep,
            attributes_der_sorted: sorted,
            version: sd.version,
            crl_included: !sd.crls.is_empty(),
        };
        Ok(Self {
            econtent,
            econtent_offset,
            header,
            mode,
            layout,
            sd,
        })
    }

    /// Parses DER (first byte `0x30`) or the hex form (AWS `WrappedKeyBlock`; either case,
    /// surrounding whitespace ignored).
    ///
    /// # Errors
    /// As [`crate::hex_form::decode_any_case`] and [`KeyToken::from_der`].
    pub fn from_der_or_hex(input: &[u8]) -> Result<Self, Error> {
        if input.first() == Some(&der::SEQUENCE) {
            Self::from_der(input)
        } else {
            Self::from_der(&crate::hex_form::decode_any_case(input)?)
        }
    }

    /// The freshness mechanism found (unauthenticated until [`KeyToken::open`]).
    #[must_use]
    pub const fn pass_mode(&self) -> &PassMode {
        &self.mode
    }

    /// The signed key-block header attribute (unauthenticated until [`KeyToken::open`]).
    #[must_use]
    pub fn header_bytes(&self) -> &[u8] {
        &self.header
    }

    /// The layout found.
    #[must_use]
    pub const fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The CRLs carried in `crls`.
    #[must_use]
    pub fn crls(&self) -> &[Crl] {
        &self.sd.crls
    }

    /// The SignerInfo `sid` (DER).
    #[must_use]
    pub fn signer_id(&self) -> &[u8] {
        self.sd.signers.first().map_or(&[], |s| s.sid.as_slice())
    }

    /// Steps 3–5 of the KRD processing (spec `tr34.md` §4) without decryption: messageDigest,
    /// signature over the signed attributes as received, KDH certificate path and CRL, then
    /// freshness. For KDH-side self-checks and for tokens whose KRD key is elsewhere.
    ///
    /// # Errors
    /// [`Error::Rejected`] for every failure.
    pub fn verify<V: KdhValidator + ?Sized>(
        &self,
        trust: &V,
        freshness: Freshness<'_>,
    ) -> Result<(), Error> {
        self.verify_with(trust, freshness, false)
    }

    fn verify_with<V: KdhValidator + ?Sized>(
        &self,
        trust: &V,
        freshness: Freshness<'_>,
        retry_sorted: bool,
    ) -> Result<(), Error> {
        let si = self.sd.signers.first().ok_or(Error::Rejected)?;
        // Steps 3–4: digest, signature (wire order), KDH certificate.
        signed::verify_signer(
            si,
            oid::ID_ENVELOPED_DATA,
            &self.econtent,
            trust.kdh_certificate(),
            retry_sorted,
        )?;
        trust.check(&self.sd.crls)?;
        // Step 5: freshness.
        let fresh = match (&self.mode, freshness) {
            (PassMode::TwoPass { nonce }, Freshness::Nonce(n)) => {
                bool::from(nonce.as_slice().ct_eq(n))
            }
            (PassMode::OnePass { signing_time }, Freshness::SigningTimeNotBefore(t)) => {
                *signing_time >= t
            }
            (PassMode::OnePass { .. }, Freshness::AnySigningTime) => true,
            _ => false,
        };
        if fresh { Ok(()) } else { Err(Error::Rejected) }
    }

    /// The exact bytes the KDH signed: `0x31 ‖ length ‖ signedAttrs contents as received`
    /// (RFC 5652 §5.4).
    #[must_use]
    pub fn signed_attributes_der(&self) -> Vec<u8> {
        self.sd
            .signers
            .first()
            .map_or_else(Vec::new, |si| signed::signed_bytes(si, &self.econtent))
    }

    /// The eContent octets as received (the EnvelopedData, with or without its SEQUENCE).
    #[must_use]
    pub fn econtent(&self) -> &[u8] {
        &self.econtent
    }

    /// The KRD-side processing of spec `tr34.md` §4 (TR-34-2019 §5.4.9), in this order:
    /// messageDigest, signature over the signed attributes as received, KDH certificate path
    /// and CRL ([`crate::KdhTrust::check`]), freshness, recipient selection and RSA-OAEP decryption,
    /// CBC decryption and strict PKCS #7 unpadding, then the KeyBlock: version 1, idKDH equal
    /// to the signer, header equal to the signed header, key length fitting the header.
    ///
    /// # Errors
    /// [`Error::Rejected`] for every failure up to and including the KeyBlock's decryption and
    /// unpadding; it does not say which check failed. After that, [`Error::KeyBlockMismatch`]
    /// (idKDH or header differ from the signed token) and [`Error::KeyLength`] (a key length
    /// TR-34 does not carry, e.g. 32 bytes under `A`) name the rule.
    pub fn open<K: RsaPrivateKeyOps + ?Sized, V: KdhValidator + ?Sized>(
        &self,
        krd: &Krd<'_, K>,
        trust: &V,
        freshness: Freshness<'_>,
    ) -> Result<OpenedKey, Error> {
        self.verify_with(trust, freshness, krd.retry_der_sorted)?;
        let si = self.sd.signers.first().ok_or(Error::Rejected)?;
        // Step 6: recipient, RSA-OAEP.
        let env =
            envelope::parse(&self.econtent, self.econtent_offset).map_err(|_| Error::Rejected)?;
        let recipient = match krd.certificate {
            Some(cert) => {
                let ias = cert.issuer_and_serial();
                env.recipients.iter().find(|r| r.rid == ias.as_der())
            }
            None => match env.recipients.as_slice() {
                [only] => Some(only),
                _ => None,
            },
        }
        .ok_or(Error::Rejected)?;
        let eph = krd
            .key
            .decrypt_oaep_sha256(recipient.encrypted_key)
            .map_err(|_| Error::Rejected)?;
        let opened = decrypt_key_block(
            &eph,
            env.algorithm,
            env.iv,
            env.ciphertext,
            krd.accept_missing_padding,
            krd.lenient_header,
        )?;
        // Step 8: KeyBlock checks. The signature verified and the KeyBlock decrypted and
        // unpadded: from here on the errors name the rule (nothing is secret from the KRD).
        if opened.id_kdh.as_der() != si.sid.as_slice() {
            return Err(Error::KeyBlockMismatch {
                what: "idKDH is not the signer's IssuerAndSerialNumber (TR-34-2019 §5.4.9)",
            });
        }
        if opened.header != self.header {
            return Err(Error::KeyBlockMismatch {
                what: "header differs from the signed header attribute (TR-34-2019 §5.4.9)",
            });
        }
        let header = KeyHeader::from_bytes(&opened.header).ok_or(Error::KeyBlockMismatch {
            what: "header is not a key-block header",
        })?;
        let key = clear_key(&header, &opened.clear_key).ok_or(Error::KeyLength {
            algorithm: header.algorithm(),
            length: opened.clear_key.len(),
        })?;
        Ok(OpenedKey {
            key,
            header,
            layout: self.layout,
            mode: self.mode.clone(),
        })
    }
}

/// Maps a clear key and its header to a typed key (spec `tr34.md` §4 step 8).
fn clear_key(header: &KeyHeader, bytes: &[u8]) -> Option<SymmetricKey> {
    if !header.fits_key_len(bytes.len()) {
        return None;
    }
    let alg = match (header.algorithm(), bytes.len()) {
        (b'T', 16) => KeyAlgorithm::Tdes2,
        (b'T', 24) => KeyAlgorithm::Tdes3,
        (b'A', 16) => KeyAlgorithm::Aes128,
        _ => return None,
    };
    SymmetricKey::new(alg, bytes).ok()
}

/// Decrypts the KeyBlock with the ephemeral key (spec `tr34.md` §4 step 7): the key length must
/// match the algorithm; CBC; strict PKCS #7 (or, with `accept_missing_padding`, no padding when
/// the DER KeyBlock ends exactly at the end, §8.5). Every failure is [`Error::Rejected`].
///
/// Exposed for testing the symmetric layer with the TR-34-2019 Annex B ephemeral keys.
///
/// # Errors
/// [`Error::Rejected`].
pub fn decrypt_key_block(
    ephemeral: &[u8],
    algorithm: ContentAlgorithm,
    iv: &[u8],
    ciphertext: &[u8],
    accept_missing_padding: bool,
    lenient_header: bool,
) -> Result<KeyBlock, Error> {
    if ephemeral.len() != algorithm.key_len() || iv.len() != algorithm.block_len() {
        return Err(Error::Rejected);
    }
    let key =
        SymmetricKey::new(algorithm.key_algorithm(), ephemeral).map_err(|_| Error::Rejected)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    BlockCipher::new(&key)
        .cbc_decrypt(iv, &mut buf)
        .map_err(|_| Error::Rejected)?;
    if let Ok(len) = keyblock::unpad_len(&buf, algorithm.block_len())
        && let Some(body) = buf.get(..len)
        && let Ok(kb) = KeyBlock::from_der(body, lenient_header)
    {
        return Ok(kb);
    }
    if accept_missing_padding {
        return KeyBlock::from_der(&buf, lenient_header).map_err(|_| Error::Rejected);
    }
    Err(Error::Rejected)
}

/// Decrypts the EnvelopedData of a parsed token with a known ephemeral key, bypassing RSA
/// (for testing the symmetric layer, e.g. with the TR-34-2019 Annex B B.2.2.3 ephemeral keys).
///
/// # Errors
/// [`Error::Malformed`] if `econtent` does not parse, else [`Error::Rejected`].
pub fn decrypt_enveloped_with_ephemeral(
    econtent: &[u8],
    ephemeral: &[u8],
    iv_override: Option<&[u8]>,
) -> Result<KeyBlock, Error> {
    let env = envelope::parse(econtent, 0)?;
    decrypt_key_block(
        ephemeral,
        env.algorithm,
        iv_override.unwrap_or(env.iv),
        env.ciphertext,
        false,
        false,
    )
}

/// The KRD's side of [`KeyToken::open`]: its private key and options.
#[derive(Clone, Copy, Debug)]
pub struct Krd<'a, K: ?Sized> {
    /// The KRD private key (OAEP decryption, blinded).
    pub key: &'a K,
    /// The KRD certificate: selects the RecipientInfo by IssuerAndSerialNumber. Without it the
    /// token must have exactly one RecipientInfo.
    pub certificate: Option<&'a Certificate>,
    /// Accept a KeyBlock without PKCS #7 padding when it ends exactly at a block boundary (one
    /// AWS sample generator; spec `tr34.md` §8.5). Default off.
    pub accept_missing_padding: bool,
    /// Retry the signature over DER-sorted attributes (spec §3.1 item 4). Default off.
    pub retry_der_sorted: bool,
    /// Accept a header as a SET of several OCTET STRINGs or a bare OCTET STRING (spec §2.1).
    pub lenient_header: bool,
}

impl<'a, K: ?Sized> Krd<'a, K> {
    /// Strict defaults with the KRD key only.
    #[must_use]
    pub const fn new(key: &'a K) -> Self {
        Self {
            key,
            certificate: None,
            accept_missing_padding: false,
            retry_der_sorted: false,
            lenient_header: false,
        }
    }

    /// Selects the recipient by this certificate.
    #[must_use]
    pub const fn with_certificate(mut self, certificate: &'a Certificate) -> Self {
        self.certificate = Some(certificate);
        self
    }
}

/// The result of opening a key token.
#[derive(Debug)]
#[non_exhaustive]
pub struct OpenedKey {
    /// The transported key (zeroized on drop, redacted `Debug`).
    pub key: SymmetricKey,
    /// Its key-block header (authenticated: equal to the signed header).
    pub header: KeyHeader,
    /// The layout the token used.
    pub layout: Layout,
    /// Its freshness mechanism.
    pub mode: PassMode,
}

/// The KDH side: builds key tokens (spec `tr34.md` §5).
#[derive(Clone, Copy, Debug)]
pub struct KeyTokenBuilder<'a, K: ?Sized> {
    kdh_key: &'a K,
    kdh_cert: &'a Certificate,
    krd_cert: &'a Certificate,
    profile: Profile,
    order: Option<AttributeOrder>,
    quirks: bool,
    crl: Option<&'a Crl>,
}

impl<'a, K: RsaPrivateKeyOps + ?Sized> KeyTokenBuilder<'a, K> {
    /// A builder signing with `kdh_key` (whose certificate is `kdh_cert`) for the KRD holding
    /// `krd_cert`, in `profile`.
    #[must_use]
    pub const fn new(
        kdh_key: &'a K,
        kdh_cert: &'a Certificate,
        krd_cert: &'a Certificate,
        profile: Profile,
    ) -> Self {
        Self {
            kdh_key,
            kdh_cert,
            krd_cert,
            profile,
            order: None,
            quirks: false,
            crl: None,
        }
    }

    /// Overrides the attribute order (default [`AttributeOrder::DerSorted`], the DER SET OF
    /// order; [`AttributeOrder::AnnexB`] is not DER with a 16-byte nonce).
    #[must_use]
    pub const fn attribute_order(mut self, order: AttributeOrder) -> Self {
        self.order = Some(order);
        self
    }

    /// Produces the TR-34-2019 Annex B / AWS sample quirks instead of strict DER CMS: the
    /// signed attributes in Annex B order, untagged OAEP parameters (three plain
    /// AlgorithmIdentifiers) and SignedData version 1. For reproducing published samples and
    /// for receivers that need them; strict CMS stacks (BouncyCastle) refuse such tokens.
    #[must_use]
    pub const fn annex_b_quirks(mut self) -> Self {
        self.quirks = true;
        self
    }

    /// Adds the CA-KDH CRL to `crls` (not allowed with [`Profile::AwsX9Tr34_2012`]).
    #[must_use]
    pub const fn crl(mut self, crl: &'a Crl) -> Self {
        self.crl = Some(crl);
        self
    }

    /// Builds a key token for `key` with `header`.
    ///
    /// Randomness is drawn from `rng` in this order: the ephemeral content key (24 bytes for
    /// TDES keys, 16 for AES-128), the IV (8 or 16 bytes), the 32-byte OAEP seed. A
    /// [`paycrypt_primitives::rng::ReplayRng`] over `ephemeral ‖ iv ‖ seed` reproduces a token.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a key that does not fit the header, an AES-192/256 key, a
    /// nonce outside 8..=16 bytes, a CRL with the AWS profile or a KRD certificate without
    /// keyEncipherment; [`Error::Primitives`] when the random source fails; [`Error::Rsa`].
    pub fn build<R: TryCryptoRng + ?Sized>(
        &self,
        key: &SymmetricKey,
        header: &KeyHeader,
        transport: Transport<'_>,
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        let alg = match (key.algorithm(), header.algorithm()) {
            (KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3, b'T') => ContentAlgorithm::DesEde3Cbc,
            (KeyAlgorithm::Aes128, b'A') => ContentAlgorithm::Aes128Cbc,
            _ => {
                return Err(Error::InvalidInput {
                    what: "key algorithm does not match the header (TDES or AES-128)",
                });
            }
        };
        if !header.fits_key_len(key.len()) {
            return Err(Error::InvalidInput {
                what: "key length does not fit the header",
            });
        }
        if let Transport::TwoPass { nonce } = transport
            && !NONCE_LEN.contains(&nonce.len())
        {
            return Err(Error::InvalidInput {
                what: "nonce must be 8 to 16 bytes",
            });
        }
        if self.crl.is_some() && self.profile == Profile::AwsX9Tr34_2012 {
            return Err(Error::InvalidInput {
                what: "the AWS layout carries no CRL",
            });
        }
        if !self.krd_cert.allows(KEY_USAGE_KEY_ENCIPHERMENT) {
            return Err(Error::InvalidInput {
                what: "KRD certificate lacks keyEncipherment",
            });
        }
        let kdh_id = self.kdh_cert.issuer_and_serial();
        // KeyBlock, PKCS #7, ephemeral key, IV (TR-34-2019 B.2.2.2, B.2.2.3).
        let block = KeyBlock::encode(&kdh_id, key.expose_bytes(), header);
        let mut buf = keyblock::pad(&block, alg.block_len());
        let mut eph = Zeroizing::new([0u8; 24]);
        let eph = eph.get_mut(..alg.key_len()).ok_or(Error::Rsa)?;
        paycrypt_primitives::rng::fill(rng, eph)?;
        let mut iv = [0u8; 16];
        let iv = iv.get_mut(..alg.block_len()).ok_or(Error::Rsa)?;
        paycrypt_primitives::rng::fill(rng, iv)?;
        let ck = SymmetricKey::new(alg.key_algorithm(), eph)?;
        BlockCipher::new(&ck).cbc_encrypt(iv, &mut buf)?;
        let encrypted_key = rsa_key::encrypt_oaep_sha256(self.krd_cert.public_key(), rng, eph)?;
        let rid = self.krd_cert.issuer_and_serial();
        let layout = if self.quirks {
            self.profile.quirks_envelope()
        } else {
            self.profile.envelope()
        };
        let econtent = envelope::build(rid.as_der(), &encrypted_key, alg, iv, &buf, layout);
        self.sign(&kdh_id, &econtent, header, transport)
    }

    fn sign(
        &self,
        kdh_id: &IssuerAndSerialNumber,
        econtent: &[u8],
        header: &KeyHeader,
        transport: Transport<'_>,
    ) -> Result<Vec<u8>, Error> {
        let digest = Sha256::digest(econtent);
        let mut attrs = Vec::with_capacity(4);
        attrs.push(signed::encode_attribute(
            oid::CONTENT_TYPE,
            &der::oid(oid::ID_ENVELOPED_DATA),
        ));
        attrs.push(match transport {
            Transport::TwoPass { nonce } => {
                signed::encode_attribute(oid::RANDOM_NONCE, &der::tlv(der::OCTET_STRING, &[nonce]))
            }
            Transport::OnePass { signing_time } => signed::encode_attribute(
                oid::SIGNING_TIME,
                &crate::cert::encode_utc_time(signing_time)?,
            ),
        });
        attrs.push(signed::encode_attribute(
            oid::ID_DATA,
            &der::tlv(der::OCTET_STRING, &[header.as_str().as_bytes()]),
        ));
        attrs.push(signed::encode_attribute(
            oid::MESSAGE_DIGEST,
            &der::tlv(der::OCTET_STRING, &[digest.as_slice()]),
        ));
        let default_order = if self.quirks {
            AttributeOrder::AnnexB
        } else {
            AttributeOrder::DerSorted
        };
        if self.order.unwrap_or(default_order) == AttributeOrder::DerSorted {
            // X.690 §11.6: SET OF components in ascending order of their encodings.
            attrs.sort_unstable();
        }
        let si = signed::encode_signer_info(self.kdh_key, kdh_id.as_der(), Some(&attrs), econtent)?;
        let crls: Vec<&[u8]> = self.crl.iter().map(|c| c.as_der()).collect();
        // RFC 5652 §5.1: eContentType id-envelopedData (not id-data) → version 3; Annex B
        // prints 1.
        let version = if self.quirks {
            1
        } else {
            signed::rfc5652_version(oid::ID_ENVELOPED_DATA)
        };
        Ok(signed::encode_content_info_version(
            version,
            true,
            oid::ID_ENVELOPED_DATA,
            Some(econtent),
            &[],
            &crls,
            &[&si],
        ))
    }
}

#[cfg(test)]
mod tests {
    //! Crafted tokens for the checks after decryption (spec `tr34.md` §4 steps 7–8): header
    //! mismatch, KDH identifier mismatch, bad padding, key length vs header.
    use super::*;
    use crate::{KdhTrust, SoftwareRsaKey};
    use alloc::format;
    use std::path::PathBuf;

    fn data(rel: &str) -> Vec<u8> {
        std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/test-pki")
                .join(rel),
        )
        .unwrap()
    }
    fn cert(n: &str) -> Certificate {
        Certificate::from_pem_or_der(&data(&format!("certs/{n}.cert.pem"))).unwrap()
    }
    fn key(n: &str) -> SoftwareRsaKey {
        SoftwareRsaKey::from_pkcs8_pem_or_der(&data(&format!("keys/{n}.key.pem"))).unwrap()
    }

    enum Pad {
        Good,
        None,
        Bad(u8),
    }

    /// Builds a two-pass token whose KeyBlock carries `kb_header`, `id` and `clear`, and whose
    /// signed attribute carries `attr_header`.
    fn craft(
        kb_header: &str,
        attr_header: &str,
        id: &IssuerAndSerialNumber,
        clear: &[u8],
        pad: Pad,
    ) -> Vec<u8> {
        let (kdh_key, kdh, krd) = (key("kdh_1"), cert("kdh_1"), cert("krd_1"));
        let alg = ContentAlgorithm::DesEde3Cbc;
        let block = KeyBlock::encode(id, clear, &KeyHeader::parse(kb_header).unwrap());
        let mut buf = match pad {
            Pad::Good => keyblock::pad(&block, 8),
            Pad::None => Zeroizing::new(block.to_vec()),
            Pad::Bad(b) => {
                let mut p = keyblock::pad(&block, 8);
                let last = p.len() - 1;
                p[last] = b;
                p
            }
        };
        if !buf.len().is_multiple_of(8) {
            return Vec::new();
        }
        let eph = [0x11u8; 24];
        let iv = [0x22u8; 8];
        let ck = SymmetricKey::new(alg.key_algorithm(), &eph).unwrap();
        BlockCipher::new(&ck).cbc_encrypt(&iv, &mut buf).unwrap();
        let ek = rsa_key::encrypt_oaep_sha256(
            krd.public_key(),
            &mut paycrypt_primitives::rng::OsRng,
            &eph,
        )
        .unwrap();
        let econtent = envelope::build(
            krd.issuer_and_serial().as_der(),
            &ek,
            alg,
            &iv,
            &buf,
            Profile::X9Tr34_2019AnnexB.envelope(),
        );
        KeyTokenBuilder::new(&kdh_key, &kdh, &krd, Profile::X9Tr34_2019AnnexB)
            .sign(
                &kdh.issuer_and_serial(),
                &econtent,
                &KeyHeader::parse(attr_header).unwrap(),
                Transport::TwoPass { nonce: &[1; 8] },
            )
            .unwrap()
    }

    fn open(der: &[u8], missing_pad_ok: bool) -> Result<OpenedKey, Error> {
        let (krd_key, kdh) = (key("krd_1"), cert("kdh_1"));
        let trust = KdhTrust {
            kdh_certificate: &kdh,
            anchors: &[],
            crls: &[],
            at: Duration::from_secs(1_893_456_000),
        };
        let mut krd = Krd::new(&krd_key);
        krd.accept_missing_padding = missing_pad_ok;
        KeyToken::from_der(der)?.open(&krd, &trust, Freshness::Nonce(&[1; 8]))
    }

    const H: &str = "A0256K0TB00E0000";
    const K16: [u8; 16] = [0x5A; 16];

    #[test]
    fn crafted_good_token_opens() {
        let id = cert("kdh_1").issuer_and_serial();
        assert_eq!(
            open(&craft(H, H, &id, &K16, Pad::Good), false)
                .unwrap()
                .key
                .expose_bytes(),
            K16
        );
    }

    #[test]
    fn header_mismatch_is_rejected() {
        let id = cert("kdh_1").issuer_and_serial();
        let t = craft("A0256K0TB00N0000", H, &id, &K16, Pad::Good);
        let e = open(&t, false).unwrap_err();
        assert!(matches!(e, Error::KeyBlockMismatch { what } if what.starts_with("header")));
        assert!(!e.is_parse_error());
    }

    #[test]
    fn kdh_identifier_mismatch_is_rejected() {
        let other = cert("kdh_1");
        let mut id = other.issuer_and_serial().as_der().to_vec();
        let last = id.len() - 1;
        id[last] ^= 1; // another serial number under the same CA
        let id = IssuerAndSerialNumber::from_der(&id).unwrap();
        let e = open(&craft(H, H, &id, &K16, Pad::Good), false).unwrap_err();
        assert!(matches!(e, Error::KeyBlockMismatch { what } if what.starts_with("idKDH")));
        let krd_id = cert("krd_1").issuer_and_serial();
        let e = open(&craft(H, H, &krd_id, &K16, Pad::Good), false).unwrap_err();
        assert!(matches!(e, Error::KeyBlockMismatch { .. }));
    }

    #[test]
    fn bad_padding_is_rejected() {
        let id = cert("kdh_1").issuer_and_serial();
        for b in [0u8, 9, 0xFF, 2] {
            let t = craft(H, H, &id, &K16, Pad::Bad(b));
            assert_eq!(
                open(&t, false).unwrap_err(),
                Error::Rejected,
                "pad byte {b}"
            );
        }
    }

    #[test]
    fn missing_padding_only_in_compatibility_mode() {
        let id = cert("kdh_1").issuer_and_serial();
        // Pick a header length that makes the KeyBlock block-aligned.
        let mut found = false;
        for n in 4usize..20 {
            for id_chars in ["KS", "0A", "DA", "TS"] {
                let opt = format!("{id_chars}{n:02X}{}", "0".repeat(n - 4));
                let h = format!("A0256K0TB00E0100{opt}");
                if KeyHeader::parse(&h).is_err() {
                    continue;
                }
                let t = craft(&h, &h, &id, &K16, Pad::None);
                if t.is_empty() {
                    continue;
                }
                found = true;
                assert_eq!(open(&t, false).unwrap_err(), Error::Rejected);
                assert_eq!(open(&t, true).unwrap().key.expose_bytes(), K16);
            }
        }
        assert!(found);
    }

    #[test]
    fn extra_attributes_are_ignored() {
        let id = cert("kdh_1").issuer_and_serial();
        let good = craft(H, H, &id, &K16, Pad::Good);
        let econtent = KeyToken::from_der(&good).unwrap().econtent().to_vec();
        let digest = Sha256::digest(&econtent);
        let protect = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x34];
        let attrs = alloc::vec![
            signed::encode_attribute(oid::CONTENT_TYPE, &der::oid(oid::ID_ENVELOPED_DATA)),
            signed::encode_attribute(
                oid::SIGNING_TIME,
                &crate::cert::encode_utc_time(Duration::from_secs(1_800_000_000)).unwrap()
            ),
            signed::encode_attribute(oid::RANDOM_NONCE, &der::tlv(der::OCTET_STRING, &[&[1; 8]])),
            signed::encode_attribute(oid::ID_DATA, &der::tlv(der::OCTET_STRING, &[H.as_bytes()])),
            signed::encode_attribute(&protect, &der::tlv(der::SEQUENCE, &[])),
            signed::encode_attribute(
                oid::MESSAGE_DIGEST,
                &der::tlv(der::OCTET_STRING, &[digest.as_slice()])
            ),
        ];
        // The token signed by KDH 1 over `econtent` with the given signed attributes.
        let signed_with = |attrs: &[Vec<u8>]| {
            let si = signed::encode_signer_info(
                &key("kdh_1"),
                cert("kdh_1").issuer_and_serial().as_der(),
                Some(attrs),
                &econtent,
            )
            .unwrap();
            signed::encode_content_info(
                true,
                oid::ID_ENVELOPED_DATA,
                Some(&econtent),
                &[],
                &[],
                &[&si],
            )
        };
        let der = signed_with(&attrs);
        let t = KeyToken::from_der(&der).unwrap();
        assert_eq!(
            t.pass_mode(),
            &PassMode::TwoPass {
                nonce: alloc::vec![1; 8]
            }
        );
        assert_eq!(open(&der, false).unwrap().key.expose_bytes(), K16);
        // A duplicated attribute does not parse.
        let mut dup = attrs.clone();
        dup.push(attrs[0].clone());
        let der = signed_with(&dup);
        assert!(KeyToken::from_der(&der).unwrap_err().is_parse_error());
    }

    #[test]
    fn key_length_must_fit_header() {
        let id = cert("kdh_1").issuer_and_serial();
        let t = craft(
            "D0000K0AB00E0000",
            "D0000K0AB00E0000",
            &id,
            &[0x33; 24],
            Pad::Good,
        );
        assert_eq!(
            open(&t, false).unwrap_err(),
            Error::KeyLength {
                algorithm: b'A',
                length: 24
            }
        );
        let t = craft(H, H, &id, &[0x33; 8], Pad::Good);
        assert_eq!(
            open(&t, false).unwrap_err(),
            Error::KeyLength {
                algorithm: b'T',
                length: 8
            }
        );
        // The issue's example: a 32-byte key under algorithm A names the rule.
        let t = craft(
            "D0000K0AB00E0000",
            "D0000K0AB00E0000",
            &id,
            &[0x33; 32],
            Pad::Good,
        );
        let e = open(&t, false).unwrap_err();
        assert_eq!(
            alloc::string::ToString::to_string(&e),
            "32-byte key under algorithm A: TR-34 carries TDES (16 or 24 bytes, algorithm T) \
             and AES-128 (16 bytes, algorithm A) keys only"
        );
        // Before the signature verifies, the same token altered is the opaque rejection.
        let mut bad = t.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(open(&bad, false).unwrap_err(), Error::Rejected);
    }
}
