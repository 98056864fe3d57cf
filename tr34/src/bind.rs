//! The unbind and rebind tokens of the KDH and of the CA (TR-34-2019 §5.5, Annex B.10, B.11,
//! B.13, B.14): RFC 5652 §5 SignedData over IssuerAndSerialNumber content, with a nonce
//! (KDH) or a signing time (CA rebind).

use crate::cert::{Certificate, Crl, IssuerAndSerialNumber};
use crate::random_number::NONCE_LEN;
use crate::rsa_key::RsaPrivateKeyOps;
use crate::signed::{self, SignedData};
use crate::{Error, der, oid};
use alloc::vec::Vec;
use core::time::Duration;
use sha2::{Digest, Sha256};

/// Which unbind / rebind token (TR-34-2019 §5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BindKind {
    /// UBT-KDH (B.14): content IAS(KRD); randomNonce; signed by the KDH.
    UnbindKdh,
    /// UBT-CA (B.13): content IAS(KRD) ‖ IAS(KDH); no signed attributes; signed by CA-KRD.
    UnbindCa,
    /// RBT-KDH (B.11): inner unsigned SignedData {IAS(KRD), new KDH cert}; randomNonce; signed
    /// by the old KDH.
    RebindKdh,
    /// RBT-CA (B.10): inner unsigned SignedData {IAS(KRD) ‖ IAS(KDH), new KDH cert};
    /// signingTime; signed by CA-KRD.
    RebindCa,
}

/// An unbind or rebind token, parsed (unauthenticated until [`BindToken::verify`]).
#[derive(Clone, Debug)]
pub struct BindToken {
    kind: BindKind,
    sd: SignedData,
    econtent: Vec<u8>,
    krd: IssuerAndSerialNumber,
    kdh: Option<IssuerAndSerialNumber>,
    new_kdh_certificate: Option<Certificate>,
    nonce: Option<Vec<u8>>,
    signing_time: Option<Duration>,
}

fn parse_ias_list(data: &[u8], base: usize) -> Result<Vec<IssuerAndSerialNumber>, Error> {
    let mut r = der::Reader::new(data, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(IssuerAndSerialNumber::from_tlv(
            &r.expect(der::SEQUENCE, "IssuerAndSerialNumber")?,
        )?);
    }
    Ok(out)
}

impl BindToken {
    /// Parses an unbind or rebind token, detecting its kind (eContentType id-data → unbind,
    /// id-signedData → rebind; IAS count and attributes tell KDH from CA).
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let sd = signed::parse_content_info(input, false)?;
        let econtent = sd.econtent.clone().ok_or(Error::malformed("eContent", 0))?;
        let si = match sd.signers.as_slice() {
            [si] => si,
            _ => return Err(Error::malformed("signerInfos", 0)),
        };
        let (ids, new_kdh_certificate, rebind) = if sd.econtent_type == oid::ID_DATA {
            (parse_ias_list(&econtent, sd.econtent_offset)?, None, false)
        } else if sd.econtent_type == oid::ID_SIGNED_DATA {
            // The inner SignedData, with or without its SEQUENCE header (TR-34-2019 Annex B.10/B.11
            // print it without).
            let mut r = der::Reader::new(&econtent, sd.econtent_offset);
            let inner_reader = if r.peek_tag() == Some(der::SEQUENCE) {
                let t = r.expect(der::SEQUENCE, "inner SignedData")?;
                r.finish("inner SignedData")?;
                t.reader()
            } else {
                r
            };
            let inner = signed::parse_signed_data_body(inner_reader, false)?;
            if inner.econtent_type != oid::ID_DATA || !inner.signers.is_empty() {
                return Err(Error::malformed("inner SignedData", sd.econtent_offset));
            }
            let c = inner
                .econtent
                .as_deref()
                .ok_or(Error::malformed("inner eContent", sd.econtent_offset))?;
            let ids = parse_ias_list(c, inner.econtent_offset)?;
            let cert = inner
                .certificates
                .first()
                .cloned()
                .ok_or(Error::malformed("inner certificates", sd.econtent_offset))?;
            (ids, Some(cert), true)
        } else {
            return Err(Error::malformed("eContentType", 0));
        };
        let mut ids = ids.into_iter();
        let krd = ids.next().ok_or(Error::malformed(
            "IssuerAndSerialNumber",
            sd.econtent_offset,
        ))?;
        let kdh = ids.next();
        if ids.next().is_some() {
            return Err(Error::malformed(
                "IssuerAndSerialNumber",
                sd.econtent_offset,
            ));
        }
        let (mut nonce, mut signing_time) = (None, None);
        if let Some(a) = &si.signed_attrs {
            let attrs = signed::parse_attributes(a, si.signed_attrs_offset)?;
            if let Some(n) = signed::find(&attrs, oid::RANDOM_NONCE) {
                if n.tag != der::OCTET_STRING || !NONCE_LEN.contains(&n.value.len()) {
                    return Err(Error::malformed("randomNonce", n.value_offset));
                }
                nonce = Some(n.value.to_vec());
            }
            if let Some(t) = signed::find(&attrs, oid::SIGNING_TIME) {
                signing_time = Some(crate::cert::parse_time(&t, "signingTime")?);
            }
        }
        let kind = match (rebind, kdh.is_some()) {
            (false, false) => BindKind::UnbindKdh,
            (false, true) => BindKind::UnbindCa,
            (true, false) => BindKind::RebindKdh,
            (true, true) => BindKind::RebindCa,
        };
        Ok(Self {
            kind,
            econtent,
            krd,
            kdh,
            new_kdh_certificate,
            nonce,
            signing_time,
            sd,
        })
    }

    /// Builds an unbind or rebind token signed by `signer` (certificate `signer_cert`).
    ///
    /// `krd` identifies the KRD; `kdh` (CA tokens only) the KDH; `new_kdh_certificate` is
    /// required for rebind tokens; `nonce` is required for KDH tokens; `signing_time` for
    /// RBT-CA. The inner SignedData of rebind tokens is emitted with its SEQUENCE header.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a missing or superfluous input; [`Error::Rsa`].
    #[allow(clippy::too_many_arguments)]
    pub fn build<K: RsaPrivateKeyOps + ?Sized>(
        kind: BindKind,
        signer: &K,
        signer_cert: &Certificate,
        krd: &IssuerAndSerialNumber,
        kdh: Option<&IssuerAndSerialNumber>,
        new_kdh_certificate: Option<&Certificate>,
        nonce: Option<&[u8]>,
        signing_time: Option<Duration>,
        crl: Option<&Crl>,
    ) -> Result<Vec<u8>, Error> {
        let ca = matches!(kind, BindKind::UnbindCa | BindKind::RebindCa);
        let rebind = matches!(kind, BindKind::RebindKdh | BindKind::RebindCa);
        if ca != kdh.is_some() || rebind != new_kdh_certificate.is_some() || ca == nonce.is_some() {
            return Err(Error::InvalidInput {
                what: "inputs do not match the token kind",
            });
        }
        if nonce.is_some_and(|n| !NONCE_LEN.contains(&n.len())) {
            return Err(Error::InvalidInput {
                what: "nonce must be 8 to 16 bytes",
            });
        }
        let mut ids = krd.as_der().to_vec();
        if let Some(k) = kdh {
            ids.extend_from_slice(k.as_der());
        }
        let (ctype, econtent) = match new_kdh_certificate {
            Some(cert) => {
                let fields = signed::signed_data_fields(
                    false,
                    oid::ID_DATA,
                    Some(&ids),
                    &[cert.as_der()],
                    &[],
                    &[],
                );
                (oid::ID_SIGNED_DATA, der::tlv(der::SEQUENCE, &[&fields]))
            }
            None => (oid::ID_DATA, ids),
        };
        let attrs = if kind == BindKind::UnbindCa {
            None
        } else {
            let mut a = alloc::vec![signed::encode_attribute(
                oid::CONTENT_TYPE,
                &der::oid(ctype)
            )];
            if let Some(n) = nonce {
                a.push(signed::encode_attribute(
                    oid::RANDOM_NONCE,
                    &der::tlv(der::OCTET_STRING, &[n]),
                ));
            }
            if let Some(t) = signing_time {
                a.push(signed::encode_attribute(
                    oid::SIGNING_TIME,
                    &crate::cert::encode_utc_time(t)?,
                ));
            }
            a.push(signed::encode_attribute(
                oid::MESSAGE_DIGEST,
                &der::tlv(der::OCTET_STRING, &[Sha256::digest(&econtent).as_slice()]),
            ));
            Some(a)
        };
        let si = signed::encode_signer_info(
            signer,
            signer_cert.issuer_and_serial().as_der(),
            attrs.as_deref(),
            &econtent,
        )?;
        let crls: Vec<&[u8]> = crl.iter().map(|c| c.as_der()).collect();
        Ok(signed::encode_content_info(
            true,
            ctype,
            Some(&econtent),
            &[],
            &crls,
            &[&si],
        ))
    }

    /// The kind detected.
    #[must_use]
    pub const fn kind(&self) -> BindKind {
        self.kind
    }

    /// The KRD the token addresses.
    #[must_use]
    pub const fn krd(&self) -> &IssuerAndSerialNumber {
        &self.krd
    }

    /// The KDH named by a CA token.
    #[must_use]
    pub const fn kdh(&self) -> Option<&IssuerAndSerialNumber> {
        self.kdh.as_ref()
    }

    /// The new KDH certificate of a rebind token.
    #[must_use]
    pub const fn new_kdh_certificate(&self) -> Option<&Certificate> {
        self.new_kdh_certificate.as_ref()
    }

    /// The randomNonce attribute, if any.
    #[must_use]
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// The signingTime attribute, if any.
    #[must_use]
    pub const fn signing_time(&self) -> Option<Duration> {
        self.signing_time
    }

    /// The CRLs carried.
    #[must_use]
    pub fn crls(&self) -> &[Crl] {
        &self.sd.crls
    }

    /// Verifies the signature (over the signed attributes as received, or over the content for
    /// UBT-CA), messageDigest and contentType against `signer` (the KDH or CA-KRD certificate).
    /// Freshness (nonce, time) and the authority of the signer are the caller's policy.
    ///
    /// # Errors
    /// [`Error::Rejected`].
    pub fn verify(&self, signer: &Certificate) -> Result<(), Error> {
        let si = self.sd.signers.first().ok_or(Error::Rejected)?;
        signed::verify_signer(si, &self.sd.econtent_type, &self.econtent, signer, false)
    }
}
