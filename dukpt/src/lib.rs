#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod aes;
mod counter_bits;
mod direction;
mod error;
mod slots;
pub mod tdes;
#[doc(hidden)]
pub mod trace;

pub use direction::Direction;
pub use error::{Error, ErrorClass};
