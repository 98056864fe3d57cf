#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

pub mod algorithm;
pub mod cmac;
mod error;
pub mod hmac;
pub mod iso9797;
pub mod kcv;
mod padding;
pub mod profile;
mod tag;
#[doc(hidden)]
pub mod trace;

pub use algorithm::{Mac, MacAlgorithm, MacKey, MacParams, generate, verify_mac};
pub use error::{Error, ErrorClass};
pub use padding::Padding;
pub use tag::{Tag, verify};

/// The key types this crate takes (re-exported from `paycrypt-primitives`).
pub use paycrypt_primitives::key::{AesKey, DesKey, KeyAlgorithm, SymmetricKey, TdesKey};
