#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod block;
mod cipher;
mod clear;
mod error;
mod fill;
mod format;
mod key;
mod nibbles;
mod pan;
mod pin;
#[doc(hidden)]
pub mod trace;
mod translate;
mod verify;
mod verify_block;

pub use cipher::{
    EncryptedPinBlock, Format4Intermediates, decipher, encipher,
    encipher_format4_with_intermediates, encipher_with_fill,
};
pub use clear::{ClearPinBlock, decode, encode, encode_with_fill};
pub use error::{Error, ErrorClass};
pub use fill::{FILL_MAX_NIBBLES, Fill};
pub use format::Format;
pub use key::PinKey;
pub use pan::{Format4Pan, PAN_MAX_LEN, PAN_MIN_LEN_ISO0, Pan, PanField, PanLengthRule};
pub use pin::{PIN_MAX_LEN, PIN_MIN_LEN, Pin};
pub use translate::{TRANSLATE_FILL_MIN, check_translation, translate, translate_with_fill};
pub use verify::{
    DecimalizationTable, PinOffset, PinVerificationKey, Pvki, Pvv, ValidationData,
    ibm3624_natural_pin, ibm3624_offset, ibm3624_pin_from_offset, ibm3624_verify, visa_pvv,
    visa_pvv_verify,
};
pub use verify_block::{
    PinMethod, ibm3624_offset_from_pin_block, pvv_from_pin_block, random_pin_block,
    verify_pin_block,
};

/// The operating system's CSPRNG (re-exported from `paycrypt-primitives`), the usual fill source.
#[cfg(feature = "std")]
pub use paycrypt_primitives::rng::OsRng;
pub use paycrypt_primitives::rng::{ReplayRng, TryCryptoRng};
