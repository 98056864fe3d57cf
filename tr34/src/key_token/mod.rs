//! The key token KT-KDH (TR-34-2019 §5.4.5–§5.4.9, Annex B.8 one-pass and B.9 two-pass) and
//! the vocabulary both sides share: the output [`Layout`], the layout facts found in a parsed
//! token ([`ObservedLayout`]), the signed-attribute order and the one-pass / two-pass [`Pass`].
//!
//! ```text
//! ContentInfo { id-signedData, [0] SignedData {
//!   1, { sha256 }, { id-envelopedData, [0] OCTET STRING <EnvelopedData, with or without SEQ> },
//!   [1] { CRL of CA-KDH } (Annex B), { SignerInfo { 1, IAS(KDH), sha256,
//!     [0] { contentType, randomNonce | signingTime, id-data <header>, messageDigest },
//!     rsaEncryption, signature } } } }
//! ```
//!
//! Layering inside this module (lower → higher): this file (vocabulary) → [`krd`] (the
//! receiving side: parse, verify, open) → [`kdh`] (the distribution host: build). The KDH side
//! uses nothing of the KRD side.

mod kdh;
mod krd;

pub use kdh::KeyTokenBuilder;
pub(crate) use krd::decrypt_key_block;
pub use krd::{KeyToken, Krd, OpenedKey};

pub use crate::content::{HeaderForm, PaddingCheck};
use crate::envelope::{EnvelopeLayout, OaepParamsForm};
pub use crate::random_number::NONCE_LEN;
use core::fmt;

/// Output layout of a built key token: the CMS shapes TR-34 receivers expect (AWS Payment
/// Cryptography `X9_TR34_2012`, TR-34-2019 Annex B, RFC 5652).
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
pub enum Layout {
    /// AWS Payment Cryptography `X9_TR34_2012`: eContent without the EnvelopedData SEQUENCE,
    /// encryptedContent inside the AlgorithmIdentifier, no certificates or CRLs.
    AwsX9Tr34_2012,
    /// TR-34-2019 Annex B (corrigendum): full EnvelopedData, RFC 5652 §6.1
    /// EncryptedContentInfo, CRL of CA-KDH when given. With
    /// [`KeyTokenBuilder::annex_b_quirks`] it reproduces the Annex B samples byte for byte.
    X9Tr34_2019AnnexB,
    /// Strict RFC 5652 / RFC 8017 (the same structure as [`Layout::X9Tr34_2019AnnexB`]).
    Rfc5652,
}

impl Layout {
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

    pub(crate) const fn envelope(self) -> EnvelopeLayout {
        match self {
            Self::AwsX9Tr34_2012 => EnvelopeLayout {
                wrapped: false,
                ciphertext_inside_algorithm: true,
                oaep: OaepParamsForm::Tagged,
            },
            Self::X9Tr34_2019AnnexB | Self::Rfc5652 => EnvelopeLayout {
                wrapped: true,
                ciphertext_inside_algorithm: false,
                oaep: OaepParamsForm::Tagged,
            },
        }
    }

    /// The envelope with the Annex B quirks (untagged OAEP parameters).
    pub(crate) const fn quirks_envelope(self) -> EnvelopeLayout {
        let mut e = self.envelope();
        e.oaep = OaepParamsForm::Untagged;
        e
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Order of the signed attributes on output (RFC 5652 §5.3 `SignedAttributes`; TR-34-2019
/// Annex B.8/B.9 print contentType, randomNonce | signingTime, header, messageDigest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttributeOrder {
    /// contentType, randomNonce | signingTime, header, messageDigest (Annex B, AWS). Not DER
    /// order with a 16-byte nonce.
    AnnexB,
    /// DER SET OF order (X.690 §11.6).
    DerSorted,
}

/// One-pass or two-pass key transport, with the data each carries (TR-34-2019 §5.4.6 and
/// Annex B.8: signingTime; §5.4.7 and Annex B.9: the randomNonce of the KRD's RT-KRD).
///
/// The one enum serves the three places the choice appears, through its type parameters:
///
/// | where | `N` (nonce) | `T` (time) |
/// |---|---|---|
/// | build input ([`KeyTokenBuilder::build`]) | `&[u8]`, 8..=16 bytes | the signing time |
/// | found in a token ([`KeyToken::pass_mode`], [`OpenedKey::mode`]) | the nonce | the signing time |
/// | the KRD's expectation ([`KeyToken::open`], [`KeyToken::verify`]) | the nonce it issued | `Some(t)`: signed at or after `t`; `None`: not checked |
///
/// Times are durations since the Unix epoch (UTCTime, whole seconds). A pass built in a `let`
/// binding from a `Vec<u8>` nonce borrows it with `nonce.as_slice()` (or
/// [`Pass::as_borrowed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pass<N, T> {
    /// One-pass: the KDH's signing time.
    OnePass {
        /// signingTime (see the table for what it means where).
        signing_time: T,
    },
    /// Two-pass: the echo of the KRD's RT-KRD nonce.
    TwoPass {
        /// The nonce.
        nonce: N,
    },
}

impl<N, T> Pass<N, T> {
    /// `one-pass` or `two-pass`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::OnePass { .. } => "one-pass",
            Self::TwoPass { .. } => "two-pass",
        }
    }

    /// True for [`Pass::TwoPass`].
    #[must_use]
    pub const fn is_two_pass(&self) -> bool {
        matches!(self, Self::TwoPass { .. })
    }
}

impl<N: AsRef<[u8]>, T: Copy> Pass<N, T> {
    /// The same pass with the nonce borrowed as bytes.
    #[must_use]
    pub fn as_borrowed(&self) -> Pass<&[u8], T> {
        match self {
            Self::OnePass { signing_time } => Pass::OnePass {
                signing_time: *signing_time,
            },
            Self::TwoPass { nonce } => Pass::TwoPass {
                nonce: nonce.as_ref(),
            },
        }
    }
}

/// The layout facts found in a parsed token (TR-34-2019 Annex B, AWS, Futurex and RFC 5652
/// forms differ in these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ObservedLayout {
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

impl ObservedLayout {
    /// The build layout this corresponds to, if any (versions other than 1 and 3 never do). A
    /// full EnvelopedData with untagged OAEP parameters is the Annex B form (`x9-2019`), with
    /// RFC 4055 parameters the strict one (`rfc5652`).
    #[must_use]
    pub const fn layout(&self) -> Option<Layout> {
        if !matches!(self.version, 1 | 3) {
            return None;
        }
        match (
            self.econtent_sequence,
            self.ciphertext_inside_algorithm,
            self.oaep_params,
        ) {
            (false, true, _) => Some(Layout::AwsX9Tr34_2012),
            (true, false, OaepParamsForm::Untagged) => Some(Layout::X9Tr34_2019AnnexB),
            (true, false, OaepParamsForm::Tagged) => Some(Layout::Rfc5652),
            _ => None,
        }
    }

    /// A short description: the layout name, or the individual facts.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match (
            self.layout(),
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

/// Which bytes a KRD verifies the signature over (RFC 5652 §5.4: the signed attributes as
/// received; TR-34-2019 Annex B.9 verifies only over the wire order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureInput {
    /// The signed attributes exactly as received (the default).
    #[default]
    AsReceived,
    /// As received, and on failure once more over their DER-sorted re-encoding.
    AsReceivedOrSorted,
}
