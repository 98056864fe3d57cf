#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// Modules, lower → higher (each uses only those above it; the crate docs draw it):
// der, oid, error, hex_form, header → cert → rsa_key, trust → content, envelope, signed →
// random_number, credential → bind → key_token (vocabulary → krd → kdh) → freshness → hazmat.
mod der;
mod error;
pub mod hex_form;
pub mod oid;

pub mod cert;
mod rsa_key;
mod trust;

mod content;
mod header;

pub mod envelope;
mod signed;

mod bind;
mod credential;
mod random_number;

mod freshness;
#[doc(hidden)]
pub mod hazmat;
mod key_token;

pub use bind::{BindKind, BindToken};
pub use cert::{Certificate, Crl, IssuerAndSerialNumber};
pub use content::{EnvelopeContent, HeaderForm, PaddingCheck};
pub use credential::CredentialToken;
pub use envelope::{ContentAlgorithm, OaepParamsForm};
pub use error::{Error, ErrorClass};
pub use freshness::{FreshnessState, MemoryFreshnessState};
pub use header::KeyHeader;
pub use key_token::{
    AttributeOrder, KeyToken, KeyTokenBuilder, Krd, Layout, NONCE_LEN, ObservedLayout, OpenedKey,
    Pass, SignatureInput,
};
pub use random_number::RandomNumberToken;
pub use rsa_key::RsaPrivateKeyOps;
#[cfg(feature = "std")]
pub use rsa_key::SoftwareRsaKey;
pub use trust::{KdhTrust, KdhValidator};
