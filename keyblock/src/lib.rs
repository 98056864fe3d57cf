#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Key blocks are variable-length text: the crate needs an allocator (`no_std` + `alloc`).
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// Modules, lower → higher (each uses only those above it; the crate docs draw it):
// codes → error → optblock → header → profile; error → kbpk → binding; → keyblock →
// translate, convert; error → components.
pub mod codes;
mod error;
pub mod header;
pub mod optblock;
pub mod profile;

pub use codes::{
    Algorithm, BlockId, Exportability, KeyContext, KeyUsage, KeyVersion, ModeOfUse, UnknownVersion,
    Version,
};
pub use error::{Error, ErrorClass, Field};
pub use header::KeyBlockHeader;
pub use optblock::{BlockValue, OptionalBlock};
pub use profile::Profile;

mod binding;
pub mod components;
mod convert;
pub mod kbpk;
mod keyblock;
#[doc(hidden)]
pub mod trace;
mod translate;

pub use components::{
    KeyComponent, combine_components, combine_components_with_parity, generate_components,
    random_key, split_components,
};
pub use kbpk::Kbpk;
pub use keyblock::{
    ClearKey, Inspection, KeyBlock, PbFill, UnwrapOptions, Unwrapped, WrapOptions, inspect,
    kc_block, key_algorithm, unwrap, wrap, wrap_with_padding,
};
pub use translate::translate;
