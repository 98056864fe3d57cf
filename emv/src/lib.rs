#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod ac;
mod cvn;
mod error;
mod kdf;
mod keys;
pub mod pboc;
mod sm;
pub mod tlv;

pub use ac::{
    AcInput, AcParams, Arpc, ArpcResponse, CardData, Cryptogram, MAX_AC_INPUT, TABLE26_TERMINAL,
    TerminalData, VerifiedArqc, ac_session_key, generate, generate_ac, hazmat, verify_and_respond,
    verify_arqc, verify_arqc_with_session_key,
};
pub use cvn::{
    AcKeyMethod, ArpcKeyChoice, ArpcMethod, CRYPTOGRAM_VERSIONS, CryptogramSpec, CryptogramVersion,
    IAD_MIN, IadFormat, IadInfo, IadPart, Scheme, SmEncryption, SmKeyMethod, detect as detect_iad,
};
pub use error::Error;
pub use kdf::{
    Emv2000Tree, IccDerivation, Psn, ac_r, common_session_key, derive_icc_master_key, mastercard_r,
    visa_sm_session_key,
};
pub use keys::{
    Ac, AcSessionKey, ArpcKey, IccMasterKey, IssuerMasterKey, KeyRole, PbocLoadKey,
    PbocPurchaseKey, PbocTacKey, Smc, SmcSessionKey, Smi, SmiSessionKey,
};
/// The ISO/IEC 9797-1 padding method (re-exported from `paycrypt-mac`).
pub use paycrypt_mac::Padding;
pub use paycrypt_primitives::ErrorClass;
pub use sm::{
    CardMasterKeys, CommandMac, EncryptedData, MAX_COMMAND_DATA, PinChangeCommand, command_mac,
    encrypt_command_data, pin_change_command, smc_session_key, smi_session_key,
};
pub use tlv::Tag;
