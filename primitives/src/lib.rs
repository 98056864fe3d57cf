#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod block;
pub mod decimal;
mod error;
pub mod hex;
pub mod key;
pub mod pad;
pub mod rng;
#[doc(hidden)]
pub mod trace;

pub use error::{Error, ErrorClass};
pub use subtle;
pub use zeroize;
