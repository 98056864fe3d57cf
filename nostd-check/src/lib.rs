//! Build-only proof that the paycrypt library crates are `no_std`.
//!
//! This crate is `#![no_std]` and defines its own `#[panic_handler]`. If any dependency (a
//! paycrypt crate with default features off, or anything it pulls in) links `std`, std's own
//! `panic_impl` lang item collides with the one below and the build fails with E0152
//! ("found duplicate lang item `panic_impl`"). `.ci/run` builds it with
//! `cargo build --manifest-path nostd-check/Cargo.toml`. It is a workspace of its own (excluded
//! from the root workspace) so that its dependencies' features are not unified with the
//! std-using crates there.

#![no_std]
#![forbid(unsafe_code)]

// One line per library crate: the `extern crate` forces each to be linked even though nothing
// below names it.
extern crate paycrypt_cvv;
extern crate paycrypt_dukpt;
extern crate paycrypt_emv;
extern crate paycrypt_keyblock;
extern crate paycrypt_kex;
extern crate paycrypt_mac;
extern crate paycrypt_pinblock;
extern crate paycrypt_primitives;
extern crate paycrypt_tr34;

/// The panic handler a `no_std` binary must provide; it collides with std's if std is linked.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
