//! The EnvelopedData of a key token (RFC 5652 §6, TR-34-2019 §5.4.5 and B.2.2.3): ephemeral content key wrapped with RSAES-OAEP to the KRD, the
//! padded KeyBlock CBC-encrypted under it.
//!
//! ```text
//! EnvelopedData ::= SEQUENCE {            -- the SEQUENCE header is absent in AWS/Futurex tokens
//!   version 0, recipientInfos SET { KeyTransRecipientInfo },
//!   encryptedContentInfo SEQUENCE {
//!     contentType id-data,
//!     contentEncryptionAlgorithm SEQUENCE { des-ede3-cbc | aes128-CBC, OCTET STRING iv
//!                                           [, [0] ciphertext] },   -- legacy placement
//!     [0] IMPLICIT ciphertext } }                                   -- RFC 5652 placement
//! KeyTransRecipientInfo ::= SEQUENCE { version 0, rid IssuerAndSerialNumber,
//!   keyEncryptionAlgorithm SEQUENCE { id-RSAES-OAEP, params }, encryptedKey OCTET STRING }
//! params (TR-34 practice, untagged):
//!   SEQUENCE { SEQUENCE { sha256 [, NULL] }, SEQUENCE { id-mgf1, SEQUENCE { sha256 } },
//!              SEQUENCE { id-pSpecified, OCTET STRING '' } }
//! params (RFC 8017 A.2.1):  SEQUENCE { [0] hashAlgorithm, [1] maskGenAlgorithm, [2] pSource }
//! ```

use crate::der::{self, AlgId, Reader, Tlv};
use crate::{Error, oid};
use alloc::vec::Vec;

/// The content-encryption algorithm for the KeyBlock (TR-34-2019 Table 15: only these two).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentAlgorithm {
    /// `des-ede3-cbc`: 24-byte ephemeral TDES key, 8-byte IV.
    DesEde3Cbc,
    /// `aes128-CBC`: 16-byte ephemeral AES key, 16-byte IV.
    Aes128Cbc,
}

impl ContentAlgorithm {
    /// Ephemeral key length in bytes.
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::DesEde3Cbc => 24,
            Self::Aes128Cbc => 16,
        }
    }

    /// Block (and IV) length in bytes.
    #[must_use]
    pub const fn block_len(self) -> usize {
        match self {
            Self::DesEde3Cbc => 8,
            Self::Aes128Cbc => 16,
        }
    }

    pub(crate) const fn oid(self) -> &'static [u8] {
        match self {
            Self::DesEde3Cbc => oid::DES_EDE3_CBC,
            Self::Aes128Cbc => oid::AES128_CBC,
        }
    }

    pub(crate) const fn key_algorithm(self) -> paycrypt_primitives::key::KeyAlgorithm {
        match self {
            Self::DesEde3Cbc => paycrypt_primitives::key::KeyAlgorithm::Tdes3,
            Self::Aes128Cbc => paycrypt_primitives::key::KeyAlgorithm::Aes128,
        }
    }

    fn from_oid(o: &[u8]) -> Option<Self> {
        if o == oid::DES_EDE3_CBC {
            Some(Self::DesEde3Cbc)
        } else if o == oid::AES128_CBC {
            Some(Self::Aes128Cbc)
        } else {
            None
        }
    }
}

/// How the RSAES-OAEP parameters are encoded (RFC 4055 §3.1 / RFC 8017 A.2.1 tagged, or the
/// untagged form of the TR-34-2019 Annex B samples).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OaepParamsForm {
    /// TR-34 practice: three untagged AlgorithmIdentifiers.
    Untagged,
    /// RFC 8017 A.2.1: `[0]`, `[1]`, `[2]` tagged fields.
    Tagged,
}

/// Encodes the OAEP parameters for SHA-256 / MGF1-SHA-256 / empty label.
fn oaep_params(form: OaepParamsForm) -> Vec<u8> {
    let null = [der::NULL, 0];
    let hash = der::algorithm(oid::SHA256, Some(&null));
    match form {
        OaepParamsForm::Untagged => {
            let mgf = der::algorithm(oid::MGF1, Some(&der::algorithm(oid::SHA256, None)));
            let p = der::algorithm(oid::P_SPECIFIED, Some(&[der::OCTET_STRING, 0]));
            der::tlv(der::SEQUENCE, &[&hash, &mgf, &p])
        }
        OaepParamsForm::Tagged => {
            let mgf = der::algorithm(oid::MGF1, Some(&hash));
            der::tlv(
                der::SEQUENCE,
                &[
                    &der::tlv(der::CTX0, &[&hash]),
                    &der::tlv(der::CTX1, &[&mgf]),
                ],
            )
        }
    }
}

fn is_sha256(t: &Tlv<'_>, what: &'static str) -> Result<(), Error> {
    let a = AlgId::from_tlv(t, what)?;
    if a.oid == oid::SHA256 && a.params_absent_or_null() {
        Ok(())
    } else {
        Err(Error::malformed(what, t.value_offset))
    }
}

/// Checks the OAEP parameters are SHA-256 / MGF1-SHA-256 / empty label in either form.
fn parse_oaep_params(alg: &AlgId<'_>) -> Result<OaepParamsForm, Error> {
    const WHAT: &str = "RSAES-OAEP parameters";
    let mut outer = Reader::new(alg.params, alg.params_offset);
    let params = outer.expect(der::SEQUENCE, WHAT)?;
    outer.finish(WHAT)?;
    let mut r = params.reader();
    let form = match r.peek_tag() {
        Some(der::SEQUENCE) => OaepParamsForm::Untagged,
        _ => OaepParamsForm::Tagged,
    };
    let mut next = |tag: u8| -> Result<Option<Tlv<'_>>, Error> {
        match form {
            OaepParamsForm::Untagged => r.optional(der::SEQUENCE, WHAT),
            OaepParamsForm::Tagged => match r.optional(tag, WHAT)? {
                Some(t) => {
                    let mut inner = t.reader();
                    let v = inner.expect(der::SEQUENCE, WHAT)?;
                    inner.finish(WHAT)?;
                    Ok(Some(v))
                }
                None => Ok(None),
            },
        }
    };
    // hashAlgorithm: must be present (the RFC 8017 default is SHA-1, which TR-34 does not use).
    let hash = next(der::CTX0)?.ok_or(Error::malformed(WHAT, alg.params_offset))?;
    is_sha256(&hash, "OAEP hash algorithm")?;
    let mgf = next(der::CTX1)?.ok_or(Error::malformed(WHAT, alg.params_offset))?;
    let m = AlgId::from_tlv(&mgf, "OAEP mask generation")?;
    let mut mr = Reader::new(m.params, m.params_offset);
    let mh = mr.expect(der::SEQUENCE, "OAEP MGF1 hash")?;
    mr.finish("OAEP MGF1 hash")?;
    if m.oid != oid::MGF1 {
        return Err(Error::malformed("OAEP mask generation", mgf.value_offset));
    }
    is_sha256(&mh, "OAEP MGF1 hash")?;
    if let Some(p) = next(der::CTX2)? {
        let pa = AlgId::from_tlv(&p, "OAEP pSource")?;
        if pa.oid != oid::P_SPECIFIED || pa.params != [der::OCTET_STRING, 0] {
            return Err(Error::malformed("OAEP pSource", p.value_offset));
        }
    }
    r.finish(WHAT)?;
    Ok(form)
}

/// Layout facts of an EnvelopedData (RFC 5652 §6.1 or the AWS / Annex B pre-corrigendum forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct EnvelopeLayout {
    /// eContent carries the EnvelopedData SEQUENCE header.
    pub wrapped: bool,
    /// `encryptedContent` sits inside the contentEncryptionAlgorithm SEQUENCE.
    pub ciphertext_inside_algorithm: bool,
    /// OAEP parameter encoding.
    pub oaep: OaepParamsForm,
}

/// Builds the eContent octets (RFC 5652 §6.1 EnvelopedData, in the requested layout).
pub(crate) fn build(
    rid: &[u8],
    encrypted_key: &[u8],
    alg: ContentAlgorithm,
    iv: &[u8],
    ciphertext: &[u8],
    layout: EnvelopeLayout,
) -> Vec<u8> {
    let kea = der::algorithm(oid::RSAES_OAEP, Some(&oaep_params(layout.oaep)));
    let ktri = der::tlv(
        der::SEQUENCE,
        &[
            &[der::INTEGER, 1, 0],
            rid,
            &kea,
            &der::tlv(der::OCTET_STRING, &[encrypted_key]),
        ],
    );
    let recipients = der::tlv(der::SET, &[&ktri]);
    let alg_oid = der::oid(alg.oid());
    let iv_t = der::tlv(der::OCTET_STRING, &[iv]);
    let ct = der::tlv(der::CTX0_PRIM, &[ciphertext]);
    let eci = if layout.ciphertext_inside_algorithm {
        let ai = der::tlv(der::SEQUENCE, &[&alg_oid, &iv_t, &ct]);
        der::tlv(der::SEQUENCE, &[&der::oid(oid::ID_DATA), &ai])
    } else {
        let ai = der::tlv(der::SEQUENCE, &[&alg_oid, &iv_t]);
        der::tlv(der::SEQUENCE, &[&der::oid(oid::ID_DATA), &ai, &ct])
    };
    let body: [&[u8]; 3] = [&[der::INTEGER, 1, 0], &recipients, &eci];
    if layout.wrapped {
        der::tlv(der::SEQUENCE, &body)
    } else {
        body.concat()
    }
}

/// One KeyTransRecipientInfo.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Recipient<'a> {
    /// `rid` TLV as received (IssuerAndSerialNumber or `[0]` SubjectKeyIdentifier).
    pub rid: &'a [u8],
    /// The RSA-OAEP wrapped ephemeral key.
    pub encrypted_key: &'a [u8],
}

/// A parsed EnvelopedData.
#[derive(Clone, Debug)]
pub(crate) struct Enveloped<'a> {
    pub recipients: Vec<Recipient<'a>>,
    pub algorithm: ContentAlgorithm,
    pub iv: &'a [u8],
    pub ciphertext: &'a [u8],
    pub layout: EnvelopeLayout,
}

/// Parses eContent octets (RFC 5652 §6.1, with or without the SEQUENCE header, encryptedContent
/// in either place, OAEP parameters tagged or not).
pub(crate) fn parse(econtent: &[u8], base: usize) -> Result<Enveloped<'_>, Error> {
    let mut outer = Reader::new(econtent, base);
    let wrapped = outer.peek_tag() == Some(der::SEQUENCE);
    let mut r = if wrapped {
        let seq = outer.expect(der::SEQUENCE, "EnvelopedData")?;
        outer.finish("EnvelopedData")?;
        seq.reader()
    } else {
        outer
    };
    let v = r.expect(der::INTEGER, "EnvelopedData version")?;
    if v.value != [0] {
        return Err(Error::malformed("EnvelopedData version", v.value_offset));
    }
    let set = r.expect(der::SET, "recipientInfos")?;
    let mut recipients = Vec::new();
    let mut oaep_form = None;
    let mut sr = set.reader();
    while !sr.is_empty() {
        let ktri = sr.expect(der::SEQUENCE, "KeyTransRecipientInfo")?;
        let mut k = ktri.reader();
        let kv = k.expect(der::INTEGER, "KeyTransRecipientInfo version")?;
        if kv.value != [0] && kv.value != [2] {
            return Err(Error::malformed(
                "KeyTransRecipientInfo version",
                kv.value_offset,
            ));
        }
        let rid = k.read("KeyTransRecipientInfo rid")?;
        if rid.tag != der::SEQUENCE && rid.tag != der::CTX0_PRIM {
            return Err(Error::malformed(
                "KeyTransRecipientInfo rid",
                rid.value_offset,
            ));
        }
        let kea_t = k.expect(der::SEQUENCE, "keyEncryptionAlgorithm")?;
        let kea = AlgId::from_tlv(&kea_t, "keyEncryptionAlgorithm")?;
        if kea.oid != oid::RSAES_OAEP {
            return Err(Error::malformed(
                "keyEncryptionAlgorithm",
                kea_t.value_offset,
            ));
        }
        oaep_form = Some(parse_oaep_params(&kea)?);
        let ek = k.expect(der::OCTET_STRING, "encryptedKey")?;
        k.finish("KeyTransRecipientInfo")?;
        recipients.push(Recipient {
            rid: rid.raw,
            encrypted_key: ek.value,
        });
    }
    let oaep = oaep_form.ok_or(Error::malformed("recipientInfos", set.value_offset))?;
    let eci = r.expect(der::SEQUENCE, "encryptedContentInfo")?;
    r.finish("EnvelopedData")?;
    let mut e = eci.reader();
    let ct_type = e.expect(der::OID, "encryptedContentInfo contentType")?;
    if ct_type.value != oid::ID_DATA {
        return Err(Error::malformed(
            "encryptedContentInfo contentType",
            ct_type.value_offset,
        ));
    }
    let ai = e.expect(der::SEQUENCE, "contentEncryptionAlgorithm")?;
    let mut a = ai.reader();
    let alg_oid = a.expect(der::OID, "contentEncryptionAlgorithm")?;
    let algorithm = ContentAlgorithm::from_oid(alg_oid.value).ok_or(Error::malformed(
        "contentEncryptionAlgorithm",
        alg_oid.value_offset,
    ))?;
    let iv = a.expect(der::OCTET_STRING, "content encryption IV")?.value;
    let inside = a.optional(der::CTX0_PRIM, "encryptedContent")?;
    a.finish("contentEncryptionAlgorithm")?;
    let after = e.optional(der::CTX0_PRIM, "encryptedContent")?;
    e.finish("encryptedContentInfo")?;
    let (ciphertext, inside_flag) = match (inside, after) {
        (Some(c), None) => (c.value, true),
        (None, Some(c)) => (c.value, false),
        _ => return Err(Error::malformed("encryptedContent", eci.value_offset)),
    };
    Ok(Enveloped {
        recipients,
        algorithm,
        iv,
        ciphertext,
        layout: EnvelopeLayout {
            wrapped,
            ciphertext_inside_algorithm: inside_flag,
            oaep,
        },
    })
}
