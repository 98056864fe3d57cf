//! The distribution host's side of a key token (TR-34-2019 §5.4.5–§5.4.8, Annex B.8/B.9):
//! the KeyBlock, its encryption under an ephemeral key wrapped with RSAES-OAEP to the KRD
//! (RFC 5652 §6, RFC 8017 §7.1), and the SignedData over it (RFC 5652 §5).

use super::{AttributeOrder, Layout, NONCE_LEN, Pass};
use crate::cert::{Certificate, Crl, IssuerAndSerialNumber, KEY_USAGE_KEY_ENCIPHERMENT};
use crate::content::{self, EnvelopeContent};
use crate::envelope::{self, ContentAlgorithm};
use crate::header::KeyHeader;
use crate::rsa_key::{self, RsaPrivateKeyOps};
use crate::{Error, der, oid, signed};
use alloc::vec::Vec;
use core::time::Duration;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::SymmetricKey;
use paycrypt_primitives::rng::TryCryptoRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The KDH side: builds key tokens (TR-34-2019 §5.4.5–§5.4.8).
#[derive(Clone, Copy, Debug)]
pub struct KeyTokenBuilder<'a, K: ?Sized> {
    kdh_key: &'a K,
    kdh_cert: &'a Certificate,
    krd_cert: &'a Certificate,
    layout: Layout,
    order: Option<AttributeOrder>,
    quirks: bool,
    crl: Option<&'a Crl>,
}

impl<'a, K: RsaPrivateKeyOps + ?Sized> KeyTokenBuilder<'a, K> {
    /// A builder signing with `kdh_key` (whose certificate is `kdh_cert`) for the KRD holding
    /// `krd_cert`, in `layout`.
    #[must_use]
    pub const fn new(
        kdh_key: &'a K,
        kdh_cert: &'a Certificate,
        krd_cert: &'a Certificate,
        layout: Layout,
    ) -> Self {
        Self {
            kdh_key,
            kdh_cert,
            krd_cert,
            layout,
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

    /// Adds the CA-KDH CRL to `crls` (not allowed with [`Layout::AwsX9Tr34_2012`]).
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
        transport: Pass<&[u8], Duration>,
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        // The key's type follows the header (TR-34-2019 Table 15: TDES or AES-128), and the
        // ephemeral content key is at least as strong.
        let alg = match header.symmetric_key(key.expose_bytes()) {
            Ok(k) if k.algorithm() == key.algorithm() && k.algorithm().is_aes() => {
                ContentAlgorithm::Aes128Cbc
            }
            Ok(k) if k.algorithm() == key.algorithm() => ContentAlgorithm::DesEde3Cbc,
            _ => {
                return Err(Error::InvalidInput {
                    what: "key does not fit the header algorithm (T: TDES 16 or 24 bytes, A: AES-128)",
                });
            }
        };
        if let Pass::TwoPass { nonce } = transport
            && !NONCE_LEN.contains(&nonce.len())
        {
            return Err(Error::InvalidInput {
                what: "nonce must be 8 to 16 bytes",
            });
        }
        if self.crl.is_some() && self.layout == Layout::AwsX9Tr34_2012 {
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
        self.seal(
            &kdh_id,
            key.expose_bytes(),
            header,
            header,
            alg,
            transport,
            rng,
        )
    }

    /// Encrypts a KeyBlock of `id_kdh`, `clear_key` and `content_header` to the KRD and signs
    /// it with `signed_header` as the header attribute — no check of any of them (the checked
    /// path is [`KeyTokenBuilder::build`]; [`crate::hazmat`] reaches this to craft tokens that
    /// are authentic but break a KeyBlock rule of TR-34-2019 §5.4.9).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn seal<R: TryCryptoRng + ?Sized>(
        &self,
        id_kdh: &IssuerAndSerialNumber,
        clear_key: &[u8],
        content_header: &KeyHeader,
        signed_header: &KeyHeader,
        alg: ContentAlgorithm,
        transport: Pass<&[u8], Duration>,
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        let kdh_id = self.kdh_cert.issuer_and_serial();
        // KeyBlock, PKCS #7, ephemeral key, IV (TR-34-2019 B.2.2.2, B.2.2.3).
        let block = EnvelopeContent::encode(id_kdh, clear_key, content_header);
        let mut buf = content::pad(&block, alg.block_len());
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
            self.layout.quirks_envelope()
        } else {
            self.layout.envelope()
        };
        let econtent = envelope::build(rid.as_der(), &encrypted_key, alg, iv, &buf, layout);
        self.sign(&kdh_id, &econtent, signed_header, transport)
    }

    /// Signs `econtent` (RFC 5652 §5.3–§5.4) with the attributes of TR-34-2019 Annex B.8/B.9.
    pub(super) fn sign(
        &self,
        kdh_id: &IssuerAndSerialNumber,
        econtent: &[u8],
        header: &KeyHeader,
        transport: Pass<&[u8], Duration>,
    ) -> Result<Vec<u8>, Error> {
        let digest = Sha256::digest(econtent);
        let mut attrs = Vec::with_capacity(4);
        attrs.push(signed::encode_attribute(
            oid::CONTENT_TYPE,
            &der::oid(oid::ID_ENVELOPED_DATA),
        ));
        attrs.push(match transport {
            Pass::TwoPass { nonce } => {
                signed::encode_attribute(oid::RANDOM_NONCE, &der::tlv(der::OCTET_STRING, &[nonce]))
            }
            Pass::OnePass { signing_time } => signed::encode_attribute(
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
