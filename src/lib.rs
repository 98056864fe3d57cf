#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]

pub use paycrypt_dukpt as dukpt;
pub use paycrypt_keyblock as keyblock;
pub use paycrypt_mac as mac;
pub use paycrypt_pinblock as pinblock;
pub use paycrypt_primitives as primitives;
pub use paycrypt_tr34 as tr34;
