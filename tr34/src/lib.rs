#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod cert;
mod der;
pub mod envelope;
mod error;
pub mod freshness;
pub mod header;
pub mod hex_form;
pub mod keyblock;
pub mod oid;
pub mod rsa_key;
mod signed;
pub mod token;
pub mod tokens;
pub mod trust;

pub use cert::{Certificate, Crl, IssuerAndSerialNumber};
pub use envelope::{ContentAlgorithm, OaepParamsForm};
pub use error::{Error, ErrorClass};
pub use freshness::{FreshnessState, MemoryFreshnessState};
pub use header::KeyHeader;
pub use keyblock::KeyBlock;
pub use rsa_key::RsaPrivateKeyOps;
#[cfg(feature = "std")]
pub use rsa_key::SoftwareRsaKey;
pub use token::{
    AttributeOrder, Freshness, KeyToken, KeyTokenBuilder, Krd, Layout, OpenedKey, PassMode,
    Profile, Transport,
};
pub use tokens::{BindKind, BindToken, CredentialToken, RandomNumberToken};
pub use trust::{KdhTrust, KdhValidator};
