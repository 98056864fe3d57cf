#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod asn1;
pub mod ecdh;
mod error;
pub mod kdf;
pub mod pki;
pub mod policy;
pub mod rsawrap;
pub mod signed;
pub mod wrap;

pub use ecdh::{Curve, Derivation, DerivedKbpk, EcPrivateKey, EcPublicKey};
pub use error::Error;
pub use kdf::{Hash, Kdf};
pub use pki::{Certificate, PrivateKey, PublicKey, RsaPrivateKey};
pub use policy::{KeyType, SecurityStrength, Strength};
pub use rsawrap::{OaepDecrypt, OaepScheme};
pub use signed::EcSigningKey;
pub use wrap::{Algorithm, Kek};
