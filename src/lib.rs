#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "cvv")]
pub use paycrypt_cvv as cvv;
#[cfg(feature = "dukpt")]
pub use paycrypt_dukpt as dukpt;
#[cfg(feature = "emv")]
pub use paycrypt_emv as emv;
#[cfg(feature = "kex")]
pub use paycrypt_kex as kex;
#[cfg(feature = "keyblock")]
pub use paycrypt_keyblock as keyblock;
#[cfg(feature = "mac")]
pub use paycrypt_mac as mac;
#[cfg(feature = "pinblock")]
pub use paycrypt_pinblock as pinblock;
pub use paycrypt_primitives as primitives;
#[cfg(feature = "tr34")]
pub use paycrypt_tr34 as tr34;
