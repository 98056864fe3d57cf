#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

// Private modules, everything public re-exported here (one flat namespace, as ring does): a
// module named like the function it holds (`cmac::cmac`) misleads the compiler's hints.
mod algorithm;
mod cmac;
mod error;
mod hmac;
mod iso9797;
mod kcv;
mod padding;
mod standard;
mod tag;
#[doc(hidden)]
pub mod trace;

pub use algorithm::{Mac, MacAlgorithm, MacKey, MacParams, full_mac_len, generate, verify_mac};
pub use cmac::{Cmac, cmac};
pub use error::{Error, ErrorClass};
pub use hmac::{HashFunction, Hmac, HmacKey, hmac};
pub use iso9797::{
    Algorithm1, Algorithm3, mac_algorithm_1, mac_algorithm_3, mac_algorithm_3_symmetric,
    mac_algorithm_3_three_key_nonstandard,
};
pub use kcv::{Kcv, KcvMethod, check_kcv, cmac_kcv, hmac_kcv, kcv, legacy_kcv};
pub use padding::Padding;
pub use standard::{MacStandard, PBOC_MAC_LEN, X9_19_MAC_LEN, iso16609, pboc, x9_19};
pub use tag::{Tag, verify};

/// The key types this crate takes (re-exported from `paycrypt-primitives`).
pub use paycrypt_primitives::key::{AesKey, DesKey, KeyAlgorithm, SymmetricKey, TdesKey};
