//! CMS SignedData as TR-34 uses it (RFC 5652 §5, TR-34-2019 §5.4):
//! a tolerant parser that keeps the exact received bytes of the eContent and of the signed
//! attributes, signer verification over those bytes, and the encoder.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType id-signedData, content [0] EXPLICIT SignedData }
//! SignedData ::= SEQUENCE { version (1 | 73), digestAlgorithms SET, encapContentInfo SEQUENCE {
//!     eContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
//!   certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
//! SignerInfo ::= SEQUENCE { version, sid IssuerAndSerialNumber, digestAlgorithm sha256,
//!   signedAttrs [0] IMPLICIT OPTIONAL, signatureAlgorithm, signature OCTET STRING,
//!   unsignedAttrs [1] IMPLICIT OPTIONAL }
//! ```

use crate::cert::{Certificate, Crl};
use crate::der::{self, AlgId, Reader, Tlv};
use crate::{Error, oid};
use alloc::vec::Vec;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A parsed SignerInfo (owned).
#[derive(Clone, Debug)]
pub(crate) struct SignerInfo {
    /// `sid` TLV as received.
    pub sid: Vec<u8>,
    /// Contents octets of `signedAttrs` exactly as received (`None` when absent).
    pub signed_attrs: Option<Vec<u8>>,
    /// Offset of the signed attributes' contents.
    pub signed_attrs_offset: usize,
    /// The signature value.
    pub signature: Vec<u8>,
}

/// A parsed SignedData (owned).
#[derive(Clone, Debug)]
pub(crate) struct SignedData {
    pub version: u32,
    pub econtent_type: Vec<u8>,
    /// eContent OCTET STRING contents (`None` when absent).
    pub econtent: Option<Vec<u8>>,
    pub econtent_offset: usize,
    pub certificates: Vec<Certificate>,
    pub crls: Vec<Crl>,
    pub signers: Vec<SignerInfo>,
}

fn small_uint(t: &Tlv<'_>, what: &'static str) -> Result<u32, Error> {
    match t.value {
        [v] if *v < 0x80 => Ok(u32::from(*v)),
        _ => Err(Error::malformed(what, t.value_offset)),
    }
}

fn check_sha256(t: &Tlv<'_>, what: &'static str) -> Result<(), Error> {
    let a = AlgId::from_tlv(t, what)?;
    if a.oid == oid::SHA256 && a.params_absent_or_null() {
        Ok(())
    } else {
        Err(Error::malformed(what, t.value_offset))
    }
}

/// Parses `ContentInfo { id-signedData, [0] SignedData }` spanning all of `input`.
pub(crate) fn parse_content_info(input: &[u8], lenient: bool) -> Result<SignedData, Error> {
    let ci = der::parse_single(input, der::SEQUENCE, "ContentInfo")?;
    let mut r = ci.reader();
    let ct = r.expect(der::OID, "ContentInfo contentType")?;
    if ct.value != oid::ID_SIGNED_DATA {
        return Err(Error::malformed("ContentInfo contentType", ct.value_offset));
    }
    let content = r.expect(der::CTX0, "ContentInfo content")?;
    r.finish("ContentInfo")?;
    let mut c = content.reader();
    let sd = c.expect(der::SEQUENCE, "SignedData")?;
    c.finish("ContentInfo content")?;
    parse_signed_data_body(sd.reader(), lenient)
}

/// Parses the fields of a SignedData (with or without its SEQUENCE header: the caller supplies
/// the reader over the fields).
pub(crate) fn parse_signed_data_body(
    mut r: Reader<'_>,
    lenient: bool,
) -> Result<SignedData, Error> {
    let v = r.expect(der::INTEGER, "SignedData version")?;
    let version = small_uint(&v, "SignedData version")?;
    if !matches!(version, 1 | 3 | 73) {
        return Err(Error::malformed("SignedData version", v.value_offset));
    }
    let algs = r.expect(der::SET, "digestAlgorithms")?;
    let mut ar = algs.reader();
    while !ar.is_empty() {
        let a = ar.read("digestAlgorithm")?;
        check_sha256(&a, "digestAlgorithm")?;
    }
    let encap = r.expect(der::SEQUENCE, "encapContentInfo")?;
    let mut e = encap.reader();
    let econtent_type = e.expect(der::OID, "eContentType")?.value.to_vec();
    let mut econtent = None;
    let mut econtent_offset = 0;
    if let Some(wrapper) = e.optional(der::CTX0, "eContent")? {
        let mut w = wrapper.reader();
        let oct = w.expect(der::OCTET_STRING, "eContent")?;
        w.finish("eContent")?;
        econtent_offset = oct.value_offset;
        econtent = Some(oct.value.to_vec());
    }
    e.finish("encapContentInfo")?;
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    let mut signers = None;
    while !r.is_empty() {
        let at = r.offset();
        let t = r.read("SignedData")?;
        match t.tag {
            der::CTX0 if signers.is_none() && crls.is_empty() && certificates.is_empty() => {
                let mut cr = t.reader();
                while !cr.is_empty() {
                    let c = cr.expect(der::SEQUENCE, "certificate")?;
                    certificates
                        .push(Certificate::from_der(c.raw).map_err(|e| shift(e, c.value_offset))?);
                }
            }
            der::CTX1 if crls.is_empty() && (signers.is_none() || lenient) => {
                let mut cr = t.reader();
                while !cr.is_empty() {
                    let c = cr.expect(der::SEQUENCE, "CRL")?;
                    crls.push(Crl::from_tlv(&c)?);
                }
            }
            der::SET if signers.is_none() => {
                let mut list = Vec::new();
                let mut sr = t.reader();
                while !sr.is_empty() {
                    list.push(parse_signer_info(&sr.expect(der::SEQUENCE, "SignerInfo")?)?);
                }
                signers = Some(list);
            }
            _ => return Err(Error::malformed("SignedData", at)),
        }
    }
    let signers = signers.ok_or(Error::malformed("signerInfos", r.offset()))?;
    Ok(SignedData {
        version,
        econtent_type,
        econtent,
        econtent_offset,
        certificates,
        crls,
        signers,
    })
}

fn shift(e: Error, base: usize) -> Error {
    match e {
        Error::Malformed { what, offset } => Error::Malformed {
            what,
            offset: offset + base,
        },
        other => other,
    }
}

fn parse_signer_info(si: &Tlv<'_>) -> Result<SignerInfo, Error> {
    let mut r = si.reader();
    let v = r.expect(der::INTEGER, "SignerInfo version")?;
    let version = small_uint(&v, "SignerInfo version")?;
    if !matches!(version, 1 | 3 | 73) {
        return Err(Error::malformed("SignerInfo version", v.value_offset));
    }
    let sid = r.read("SignerInfo sid")?;
    if sid.tag != der::SEQUENCE && sid.tag != der::CTX0_PRIM {
        return Err(Error::malformed("SignerInfo sid", sid.value_offset));
    }
    check_sha256(
        &r.expect(der::SEQUENCE, "SignerInfo digestAlgorithm")?,
        "SignerInfo digestAlgorithm",
    )?;
    let attrs = r.optional(der::CTX0, "signedAttrs")?;
    if let Some(a) = &attrs {
        // Every attribute must parse; the raw bytes are kept for the signature.
        parse_attributes(a.value, a.value_offset)?;
    }
    let sa = r.expect(der::SEQUENCE, "SignerInfo signatureAlgorithm")?;
    let alg = AlgId::from_tlv(&sa, "SignerInfo signatureAlgorithm")?;
    if !(alg.oid == oid::RSA_ENCRYPTION || alg.oid == oid::SHA256_WITH_RSA)
        || !alg.params_absent_or_null()
    {
        return Err(Error::malformed(
            "SignerInfo signatureAlgorithm",
            sa.value_offset,
        ));
    }
    let sig = r.expect(der::OCTET_STRING, "SignerInfo signature")?;
    r.optional(der::CTX1, "unsignedAttrs")?;
    r.finish("SignerInfo")?;
    Ok(SignerInfo {
        sid: sid.raw.to_vec(),
        signed_attrs_offset: attrs.as_ref().map_or(0, |a| a.value_offset),
        signed_attrs: attrs.map(|a| a.value.to_vec()),
        signature: sig.value.to_vec(),
    })
}

/// One attribute: its type and the contents of its single value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attribute<'a> {
    pub oid: &'a [u8],
    pub value: Tlv<'a>,
}

/// Parses `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ANY }` items; TR-34 uses
/// exactly one value per attribute.
pub(crate) fn parse_attributes(contents: &[u8], base: usize) -> Result<Vec<Attribute<'_>>, Error> {
    let mut r = Reader::new(contents, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        let a = r.expect(der::SEQUENCE, "attribute")?;
        let mut ar = a.reader();
        let o = ar.expect(der::OID, "attribute type")?;
        let set = ar.expect(der::SET, "attribute values")?;
        ar.finish("attribute")?;
        let mut sr = set.reader();
        let value = sr.read("attribute value")?;
        sr.finish("attribute values")?;
        if out.iter().any(|x: &Attribute<'_>| x.oid == o.value) {
            return Err(Error::malformed("duplicate attribute", a.value_offset));
        }
        out.push(Attribute {
            oid: o.value,
            value,
        });
    }
    Ok(out)
}

/// Finds an attribute by type.
pub(crate) fn find<'a>(attrs: &[Attribute<'a>], oid: &[u8]) -> Option<Tlv<'a>> {
    attrs.iter().find(|a| a.oid == oid).map(|a| a.value)
}

/// The bytes a SignerInfo signature covers (RFC 5652 §5.4): `0x31 ‖ length ‖ signedAttrs
/// contents` as received, or the eContent itself when there are no signed attributes.
pub(crate) fn signed_bytes(si: &SignerInfo, econtent: &[u8]) -> Vec<u8> {
    match &si.signed_attrs {
        Some(a) => der::tlv(der::SET, &[a]),
        None => econtent.to_vec(),
    }
}

/// Verifies a SignerInfo against `cert` over the received bytes (RFC 5652 §5.4, §5.6;
/// TR-34-2019 §5.4.9):
/// sid identifies `cert`; with signed attributes, contentType equals the eContentType and
/// messageDigest equals SHA-256 of the eContent (constant time); then the RSASSA-PKCS1-v1_5
/// SHA-256 signature. With `retry_sorted`, a signature that fails over the wire order is tried
/// once more over the DER-sorted attributes (X.690 §11.6 SET OF order).
pub(crate) fn verify_signer(
    si: &SignerInfo,
    econtent_type: &[u8],
    econtent: &[u8],
    cert: &Certificate,
    retry_sorted: bool,
) -> Result<(), Error> {
    if si.sid != cert.issuer_and_serial().as_der() {
        return Err(Error::Rejected);
    }
    if let Some(a) = &si.signed_attrs {
        let attrs = parse_attributes(a, 0).map_err(|_| Error::Rejected)?;
        let ct = find(&attrs, oid::CONTENT_TYPE).ok_or(Error::Rejected)?;
        if ct.tag != der::OID || ct.value != econtent_type {
            return Err(Error::Rejected);
        }
        let md = find(&attrs, oid::MESSAGE_DIGEST).ok_or(Error::Rejected)?;
        let digest = Sha256::digest(econtent);
        if md.tag != der::OCTET_STRING || !bool::from(md.value.ct_eq(digest.as_slice())) {
            return Err(Error::Rejected);
        }
        let wire = signed_bytes(si, econtent);
        if crate::cert::verify_sha256(cert.public_key(), &wire, &si.signature).is_ok() {
            return Ok(());
        }
        if retry_sorted {
            let mut items: Vec<&[u8]> = Vec::new();
            let mut r = Reader::new(a, 0);
            while !r.is_empty() {
                items.push(r.read("attribute").map_err(|_| Error::Rejected)?.raw);
            }
            items.sort_unstable();
            let sorted = der::tlv(der::SET, &items);
            return crate::cert::verify_sha256(cert.public_key(), &sorted, &si.signature);
        }
        Err(Error::Rejected)
    } else {
        crate::cert::verify_sha256(cert.public_key(), econtent, &si.signature)
    }
}

/// Encodes one attribute with a single value TLV.
pub(crate) fn encode_attribute(oid_contents: &[u8], value: &[u8]) -> Vec<u8> {
    der::tlv(
        der::SEQUENCE,
        &[&der::oid(oid_contents), &der::tlv(der::SET, &[value])],
    )
}

/// Signs `attrs` (already ordered) and encodes a SignerInfo (version 1, sid = IAS of the
/// signer, sha256, rsaEncryption + NULL; TR-34-2019 B.8/B.9).
pub(crate) fn encode_signer_info<K: crate::RsaPrivateKeyOps + ?Sized>(
    signer: &K,
    sid: &[u8],
    attrs: Option<&[Vec<u8>]>,
    econtent: &[u8],
) -> Result<Vec<u8>, Error> {
    let (attr_field, to_sign) = match attrs {
        Some(list) => {
            let refs: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
            (der::tlv(der::CTX0, &refs), der::tlv(der::SET, &refs))
        }
        None => (Vec::new(), econtent.to_vec()),
    };
    let digest: [u8; 32] = Sha256::digest(&to_sign).into();
    let sig = signer.sign_pkcs1v15_sha256(&digest)?;
    Ok(der::tlv(
        der::SEQUENCE,
        &[
            &[der::INTEGER, 1, 1],
            sid,
            &der::algorithm(oid::SHA256, None),
            &attr_field,
            &der::algorithm(oid::RSA_ENCRYPTION, Some(&[der::NULL, 0])),
            &der::tlv(der::OCTET_STRING, &[&sig]),
        ],
    ))
}

/// Encodes `ContentInfo { id-signedData, [0] SignedData }` around the given fields (SignedData
/// version 1, as the TR-34-2019 Annex B samples carry it).
pub(crate) fn encode_content_info(
    digest_algorithms: bool,
    econtent_type: &[u8],
    econtent: Option<&[u8]>,
    certificates: &[&[u8]],
    crls: &[&[u8]],
    signer_infos: &[&[u8]],
) -> Vec<u8> {
    encode_content_info_version(
        1,
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        crls,
        signer_infos,
    )
}

/// The SignedData version RFC 5652 §5.1 requires for these contents (no attribute
/// certificates, no "other" certificate or CRL formats, version 1 SignerInfos): 3 when the
/// eContentType is not id-data, else 1.
pub(crate) fn rfc5652_version(econtent_type: &[u8]) -> u8 {
    if econtent_type == oid::ID_DATA { 1 } else { 3 }
}

/// As [`encode_content_info`] with an explicit SignedData `version`.
pub(crate) fn encode_content_info_version(
    version: u8,
    digest_algorithms: bool,
    econtent_type: &[u8],
    econtent: Option<&[u8]>,
    certificates: &[&[u8]],
    crls: &[&[u8]],
    signer_infos: &[&[u8]],
) -> Vec<u8> {
    let fields = signed_data_fields_version(
        version,
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        crls,
        signer_infos,
    );
    encode_content_info_with(der::tlv(der::SEQUENCE, &[&fields]))
}

/// Wraps an encoded SignedData SEQUENCE into a ContentInfo.
pub(crate) fn encode_content_info_with(signed_data: Vec<u8>) -> Vec<u8> {
    der::tlv(
        der::SEQUENCE,
        &[
            &der::oid(oid::ID_SIGNED_DATA),
            &der::tlv(der::CTX0, &[&signed_data]),
        ],
    )
}

/// The SignedData fields (without the SEQUENCE header) as one byte string, version 1.
pub(crate) fn signed_data_fields(
    digest_algorithms: bool,
    econtent_type: &[u8],
    econtent: Option<&[u8]>,
    certificates: &[&[u8]],
    crls: &[&[u8]],
    signer_infos: &[&[u8]],
) -> Vec<u8> {
    signed_data_fields_version(
        1,
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        crls,
        signer_infos,
    )
}

/// The SignedData fields with an explicit `version`.
fn signed_data_fields_version(
    version: u8,
    digest_algorithms: bool,
    econtent_type: &[u8],
    econtent: Option<&[u8]>,
    certificates: &[&[u8]],
    crls: &[&[u8]],
    signer_infos: &[&[u8]],
) -> Vec<u8> {
    let algs = if digest_algorithms {
        der::tlv(der::SET, &[&der::algorithm(oid::SHA256, None)])
    } else {
        der::tlv(der::SET, &[])
    };
    let encap = match econtent {
        Some(c) => der::tlv(
            der::SEQUENCE,
            &[
                &der::oid(econtent_type),
                &der::tlv(der::CTX0, &[&der::tlv(der::OCTET_STRING, &[c])]),
            ],
        ),
        None => der::tlv(der::SEQUENCE, &[&der::oid(econtent_type)]),
    };
    let mut out = Vec::new();
    out.extend_from_slice(&[der::INTEGER, 1, version]);
    out.extend_from_slice(&algs);
    out.extend_from_slice(&encap);
    if !certificates.is_empty() {
        out.extend_from_slice(&der::tlv(der::CTX0, certificates));
    }
    if !crls.is_empty() {
        out.extend_from_slice(&der::tlv(der::CTX1, crls));
    }
    out.extend_from_slice(&der::tlv(der::SET, signer_infos));
    out
}
