//! CT-KRD and CT-KDH, the credential tokens of binding (TR-34-2019 Annex B.7 and
//! B.6): a degenerate RFC 5652 §5 SignedData carrying a certificate (and the CA-KDH CRL).

use crate::cert::{Certificate, Crl};
use crate::{Error, oid, signed};
use alloc::vec::Vec;

/// CT-KRD / CT-KDH, the credential tokens (TR-34-2019 B.7, B.6): a degenerate SignedData with
/// no signers, eContent `id-data` with an empty OCTET STRING, the certificate in
/// `certificates` and (CT-KDH) the CA-KDH CRL in `crls`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialToken {
    certificates: Vec<Certificate>,
    crls: Vec<Crl>,
}

impl CredentialToken {
    /// A credential token for `certificate`, with an optional CRL (CT-KDH).
    #[must_use]
    pub fn new(certificate: Certificate, crl: Option<Crl>) -> Self {
        Self {
            certificates: alloc::vec![certificate],
            crls: crl.into_iter().collect(),
        }
    }

    /// Parses a credential token. `lenient` accepts B.6's signerInfos-before-crls order.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(input: &[u8], lenient: bool) -> Result<Self, Error> {
        let sd = signed::parse_content_info(input, lenient)?;
        if sd.econtent_type != oid::ID_DATA || !sd.signers.is_empty() || sd.certificates.is_empty()
        {
            return Err(Error::malformed("credential token", 0));
        }
        if sd.econtent.as_deref().is_some_and(|c| !c.is_empty()) {
            return Err(Error::malformed(
                "credential token eContent",
                sd.econtent_offset,
            ));
        }
        Ok(Self {
            certificates: sd.certificates,
            crls: sd.crls,
        })
    }

    /// The DER token (B.7 / B.6 field order corrected: crls before signerInfos).
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let certs: Vec<&[u8]> = self.certificates.iter().map(Certificate::as_der).collect();
        let crls: Vec<&[u8]> = self.crls.iter().map(Crl::as_der).collect();
        signed::encode_content_info(false, oid::ID_DATA, Some(&[]), &certs, &crls, &[])
    }

    /// The credential certificate (the first one).
    #[must_use]
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificates.first()
    }

    /// All certificates carried.
    #[must_use]
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The CRLs carried.
    #[must_use]
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }
}
