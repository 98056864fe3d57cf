//! The receiving side of a key token (TR-34-2019 §5.4.9 KRD processing): parse in every
//! layout real systems emit, verify (digest, signature, KDH path, freshness), then decrypt and
//! check the KeyBlock.

use super::{HeaderForm, NONCE_LEN, ObservedLayout, PaddingCheck, Pass, SignatureInput};
use crate::cert::{Certificate, Crl};
use crate::content::{self, EnvelopeContent};
use crate::envelope::{self, ContentAlgorithm};
use crate::header::KeyHeader;
use crate::rsa_key::RsaPrivateKeyOps;
use crate::signed::{self, SignedData};
use crate::trust::KdhValidator;
use crate::{Error, der, oid};
use alloc::vec::Vec;
use core::time::Duration;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::SymmetricKey;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// A parsed key token (KT-KDH). Nothing in it is trusted until [`KeyToken::open`] succeeds.
#[derive(Clone, Debug)]
pub struct KeyToken {
    sd: SignedData,
    econtent: Vec<u8>,
    econtent_offset: usize,
    header: Vec<u8>,
    mode: Pass<Vec<u8>, Duration>,
    layout: ObservedLayout,
}

impl KeyToken {
    /// Parses a key token in DER, tolerating every layout AWS, Futurex, TR-34-2019 Annex B and
    /// RFC 5652 producers emit (eContent with or without the EnvelopedData SEQUENCE,
    /// encryptedContent in either place, OAEP parameters tagged or not, signed attributes in
    /// any order, SignedData version 1, 3 or 73).
    ///
    /// # Errors
    /// [`Error::Malformed`] when it does not parse as a KT-KDH.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let sd = signed::parse_content_info(input, false)?;
        // TR-34-2019 §5.4.9: eContentType id-envelopedData, exactly one SignerInfo with
        // signed attributes (RFC 5652 §5.3).
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
        // signingTime.
        let mode = match (nonce, time) {
            (Some(n), _) if n.tag == der::OCTET_STRING && NONCE_LEN.contains(&n.value.len()) => {
                Pass::TwoPass {
                    nonce: n.value.to_vec(),
                }
            }
            (None, Some(t)) => Pass::OnePass {
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
        let layout = ObservedLayout {
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
    pub fn pass_mode(&self) -> Pass<&[u8], Duration> {
        self.mode.as_borrowed()
    }

    /// The signed key-block header attribute (unauthenticated until [`KeyToken::open`]).
    #[must_use]
    pub fn header_bytes(&self) -> &[u8] {
        &self.header
    }

    /// The layout found.
    #[must_use]
    pub const fn layout(&self) -> &ObservedLayout {
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

    /// The KRD processing of TR-34-2019 §5.4.9 up to decryption: messageDigest (RFC 5652
    /// §5.4), signature over the signed attributes as received, KDH certificate path and CRL,
    /// then freshness (§5.4.6 signingTime, §5.4.7 nonce). For KDH-side self-checks and for
    /// tokens whose KRD key is elsewhere. `freshness` is what the KRD expects (see [`Pass`]).
    ///
    /// # Errors
    /// [`Error::Rejected`] for every failure.
    pub fn verify<V: KdhValidator + ?Sized>(
        &self,
        trust: &V,
        freshness: Pass<&[u8], Option<Duration>>,
    ) -> Result<(), Error> {
        self.verify_with(trust, freshness, SignatureInput::AsReceived)
    }

    fn verify_with<V: KdhValidator + ?Sized>(
        &self,
        trust: &V,
        freshness: Pass<&[u8], Option<Duration>>,
        signature_input: SignatureInput,
    ) -> Result<(), Error> {
        let si = self.sd.signers.first().ok_or(Error::Rejected)?;
        // Steps 3–4: digest, signature (wire order), KDH certificate.
        signed::verify_signer(
            si,
            oid::ID_ENVELOPED_DATA,
            &self.econtent,
            trust.kdh_certificate(),
            signature_input == SignatureInput::AsReceivedOrSorted,
        )?;
        trust.check(&self.sd.crls)?;
        // Step 5: freshness.
        let fresh = match (&self.mode, freshness) {
            (Pass::TwoPass { nonce }, Pass::TwoPass { nonce: n }) => {
                bool::from(nonce.as_slice().ct_eq(n))
            }
            (Pass::OnePass { signing_time }, Pass::OnePass { signing_time: t }) => {
                t.is_none_or(|t| *signing_time >= t)
            }
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

    /// The KRD-side processing of TR-34-2019 §5.4.9, in this order:
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
        freshness: Pass<&[u8], Option<Duration>>,
    ) -> Result<OpenedKey, Error> {
        self.verify_with(trust, freshness, krd.signature_input)?;
        let si = self.sd.signers.first().ok_or(Error::Rejected)?;
        // Recipient (RFC 5652 §6.2.1 KeyTransRecipientInfo by IssuerAndSerialNumber), then
        // RSAES-OAEP (RFC 8017 §7.1.2).
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
            krd.padding,
            krd.header_form,
        )?;
        // TR-34-2019 §5.4.9 KeyBlock checks. The signature verified and the KeyBlock decrypted and
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
        let key = header.symmetric_key(&opened.clear_key)?;
        Ok(OpenedKey {
            key,
            header,
            layout: self.layout,
            mode: self.mode.clone(),
        })
    }
}

/// Decrypts the KeyBlock with the ephemeral key (TR-34-2019 §5.4.9; RFC 5652 §6.3 content
/// encryption): the key length must match the algorithm; CBC; strict PKCS #7 (or, with
/// [`PaddingCheck::MayBeMissing`], no padding when the DER KeyBlock ends exactly at the end).
/// Every failure is [`Error::Rejected`]. Reached from outside only through [`crate::hazmat`].
pub(crate) fn decrypt_key_block(
    ephemeral: &[u8],
    algorithm: ContentAlgorithm,
    iv: &[u8],
    ciphertext: &[u8],
    padding: PaddingCheck,
    header_form: HeaderForm,
) -> Result<EnvelopeContent, Error> {
    if ephemeral.len() != algorithm.key_len() || iv.len() != algorithm.block_len() {
        return Err(Error::Rejected);
    }
    let key =
        SymmetricKey::new(algorithm.key_algorithm(), ephemeral).map_err(|_| Error::Rejected)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    BlockCipher::new(&key)
        .cbc_decrypt(iv, &mut buf)
        .map_err(|_| Error::Rejected)?;
    if let Ok(len) = content::unpad_len(&buf, algorithm.block_len())
        && let Some(body) = buf.get(..len)
        && let Ok(kb) = EnvelopeContent::from_der(body, header_form)
    {
        return Ok(kb);
    }
    if padding == PaddingCheck::MayBeMissing {
        return EnvelopeContent::from_der(&buf, header_form).map_err(|_| Error::Rejected);
    }
    Err(Error::Rejected)
}

/// The KRD's side of [`KeyToken::open`]: its private key and options.
#[derive(Clone, Copy, Debug)]
pub struct Krd<'a, K: ?Sized> {
    /// The KRD private key (OAEP decryption, blinded).
    pub key: &'a K,
    /// The KRD certificate: selects the RecipientInfo by IssuerAndSerialNumber. Without it the
    /// token must have exactly one RecipientInfo.
    pub certificate: Option<&'a Certificate>,
    /// The PKCS #7 padding rule (default [`PaddingCheck::Required`]; one AWS sample generator
    /// omits the padding of an aligned KeyBlock).
    pub padding: PaddingCheck,
    /// Which bytes the signature is verified over (default [`SignatureInput::AsReceived`]).
    pub signature_input: SignatureInput,
    /// How the KeyBlock's header field is read (default [`HeaderForm::Standard`]).
    pub header_form: HeaderForm,
}

impl<'a, K: ?Sized> Krd<'a, K> {
    /// Strict defaults with the KRD key only.
    #[must_use]
    pub const fn new(key: &'a K) -> Self {
        Self {
            key,
            certificate: None,
            padding: PaddingCheck::Required,
            signature_input: SignatureInput::AsReceived,
            header_form: HeaderForm::Standard,
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
    pub layout: ObservedLayout,
    /// Its freshness mechanism, as found in the token.
    pub mode: Pass<Vec<u8>, Duration>,
}

#[cfg(test)]
mod tests {
    //! Crafted tokens for the checks after decryption (TR-34-2019 §5.4.9): header
    //! mismatch, KDH identifier mismatch, bad padding, key length vs header.
    use super::*;
    use crate::cert::IssuerAndSerialNumber;
    use crate::key_token::{KeyTokenBuilder, Layout};
    use crate::rsa_key;
    use crate::{ErrorClass, KdhTrust, SoftwareRsaKey};
    use alloc::format;
    use sha2::{Digest, Sha256};
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
        let block = EnvelopeContent::encode(id, clear, &KeyHeader::parse(kb_header).unwrap());
        let mut buf = match pad {
            Pad::Good => content::pad(&block, 8),
            Pad::None => Zeroizing::new(block.to_vec()),
            Pad::Bad(b) => {
                let mut p = content::pad(&block, 8);
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
            Layout::X9Tr34_2019AnnexB.envelope(),
        );
        KeyTokenBuilder::new(&kdh_key, &kdh, &krd, Layout::X9Tr34_2019AnnexB)
            .sign(
                &kdh.issuer_and_serial(),
                &econtent,
                &KeyHeader::parse(attr_header).unwrap(),
                Pass::TwoPass { nonce: &[1; 8] },
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
        if missing_pad_ok {
            krd.padding = PaddingCheck::MayBeMissing;
        }
        KeyToken::from_der(der)?.open(&krd, &trust, Pass::TwoPass { nonce: &[1; 8] })
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
        assert!(e.class() != ErrorClass::Malformed);
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
            Pass::TwoPass {
                nonce: &[1u8; 8][..]
            }
        );
        assert_eq!(open(&der, false).unwrap().key.expose_bytes(), K16);
        // A duplicated attribute does not parse.
        let mut dup = attrs.clone();
        dup.push(attrs[0].clone());
        let der = signed_with(&dup);
        assert!(KeyToken::from_der(&der).unwrap_err().class() == ErrorClass::Malformed);
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
        // The example: a 32-byte key under algorithm A names the rule.
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
