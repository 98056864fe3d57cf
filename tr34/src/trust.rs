//! KDH certificate validation at the KRD (TR-34-2019 §5.4.9):
//! chained to a pinned trust anchor (signature RSASSA-PKCS1-v1_5 with SHA-256/384/512; the
//! anchor's keyUsage, when present, allowing keyCertSign), valid at a caller-given time, not on a
//! CRL signed by an anchor allowed cRLSign, its own keyUsage allowing digitalSignature
//! (RFC 5280 §4.2.1.3, §6.1.4 (n), §6.3.3 (f)).

use crate::Error;
use crate::cert::{
    Certificate, Crl, KEY_USAGE_CRL_SIGN, KEY_USAGE_DIGITAL_SIGNATURE, KEY_USAGE_KEY_CERT_SIGN,
};
use core::time::Duration;

/// Path validation of the KDH signing certificate (RFC 5280 §6), behind a trait so a
/// KRD can plug in its own PKI policy (an HSM-held trust store, OCSP, a longer chain).
/// [`KdhTrust`] is the built-in implementation.
pub trait KdhValidator {
    /// The KDH signing certificate the token must be signed with.
    fn kdh_certificate(&self) -> &Certificate;

    /// Validates the KDH certificate, given the CRLs carried in the token.
    ///
    /// # Errors
    /// [`Error::Rejected`] when the certificate is not acceptable.
    fn check(&self, token_crls: &[Crl]) -> Result<(), Error>;
}

impl KdhValidator for KdhTrust<'_> {
    fn kdh_certificate(&self) -> &Certificate {
        self.kdh_certificate
    }

    fn check(&self, token_crls: &[Crl]) -> Result<(), Error> {
        KdhTrust::check(self, token_crls)
    }
}

/// What a KRD trusts when it checks a KDH signing certificate.
#[derive(Clone, Copy, Debug)]
pub struct KdhTrust<'a> {
    /// The KDH signing certificate (TR-34 key tokens do not carry it; it is bound beforehand
    /// with CT-KDH or, at AWS, passed as `SigningKeyCertificate`).
    pub kdh_certificate: &'a Certificate,
    /// Trust anchors, one of which must have issued the KDH certificate. Empty means the KDH
    /// certificate is pinned and trusted as is (its validity and keyUsage are still checked).
    /// Pin the KDH CA, not a root shared with KRDs (with one shared root a rogue KRD could act
    /// as a KDH).
    pub anchors: &'a [Certificate],
    /// Extra CRLs known to the KRD, in addition to those in the token.
    pub crls: &'a [Crl],
    /// The time at which certificate validity is checked (since the Unix epoch).
    pub at: Duration,
}

impl KdhTrust<'_> {
    /// Checks the KDH certificate (TR-34-2019 §5.4.9; RFC 5280 §6.1, §6.3). With anchors, every CRL (from the
    /// token or [`KdhTrust::crls`]) must be issued and signed by one of the anchors, and a CRL
    /// listing the KDH serial rejects it. Without anchors CRLs cannot be verified and are not
    /// consulted.
    ///
    /// # Errors
    /// [`Error::Rejected`] for any failure.
    pub fn check(&self, token_crls: &[Crl]) -> Result<(), Error> {
        let kdh = self.kdh_certificate;
        if !kdh.is_valid_at(self.at) || !kdh.allows(KEY_USAGE_DIGITAL_SIGNATURE) {
            return Err(Error::Rejected);
        }
        if self.anchors.is_empty() {
            return Ok(());
        }
        let issued = self.anchors.iter().any(|a| {
            a.is_valid_at(self.at)
                && a.allows(KEY_USAGE_KEY_CERT_SIGN)
                && kdh.verify_issued_by(a).is_ok()
        });
        if !issued {
            return Err(Error::Rejected);
        }
        for crl in token_crls.iter().chain(self.crls) {
            // Every CRL must be vouched for by an anchor: an unverifiable CRL in a token is
            // treated as tampering, not ignored.
            let issuer = self
                .anchors
                .iter()
                .find(|a| crl.issuer_der() == a.subject_der() && a.allows(KEY_USAGE_CRL_SIGN))
                .ok_or(Error::Rejected)?;
            crl.verify_issued_by(issuer)?;
            if crl.lists(kdh) {
                return Err(Error::Rejected);
            }
        }
        Ok(())
    }
}
