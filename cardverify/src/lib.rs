#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod cardkey;
mod cavv;
mod cvc3;
mod cvv;
mod dcvv;
mod error;
pub mod reserved;
mod types;

pub use cardkey::{CardKey, CardKeySource, Imk, ImkRole, IssuerMasterKey};
pub use cavv::{CavvData, CavvProfile};
pub use cvc3::{Ivcvc3, TRACK_MAX, generate_cvc3, verify_cvc3};
pub use cvv::{Cvk, CvvData, CvvKind};
pub use dcvv::{DcvvProfile, generate_dcvv, verify_dcvv};
pub use error::Error;
pub use paycrypt_emv::{IccDerivation, Psn};
pub use paycrypt_pinblock::Pan;
pub use paycrypt_primitives::ErrorClass;
pub use reserved::CscVersion;
pub use types::{
    Atc, CardCode, CvvLength, Expiry4, PAN_MAX, PAN_MIN, ServiceCode, UnpredictableNumber, luhn_ok,
};
