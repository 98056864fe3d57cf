#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;
mod kdf;

pub use error::Error;
pub use kdf::{IccDerivation, Psn, derive_icc_master_key};
pub use paycrypt_primitives::ErrorClass;
