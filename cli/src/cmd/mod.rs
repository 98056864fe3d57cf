//! Command dispatch. Each submodule is a thin layer over one crate.

pub mod card;
mod cipher;
mod dukpt;
mod dukpt_batch;
pub(crate) mod dukpt_ops;
pub mod emv;
pub mod kex;
pub(crate) mod key;
pub(crate) mod keyblock;
pub(crate) mod keyblock_ops;
pub(crate) mod mac;
pub mod pboc;
pub(crate) mod pin;
pub mod pin_verify;
mod speed;
pub(crate) mod tr34;
pub(crate) mod tr34_token;

use crate::args::Command;
use crate::error::CliResult;
use crate::input::Inputs;
use crate::output::Output;

/// Runs a parsed command and returns what it prints.
pub fn run(command: Command) -> CliResult<Output> {
    let mut inputs = Inputs::new();
    match command {
        Command::Dukpt(c) => dukpt::run(c, &mut inputs),
        Command::Keyblock(c) => keyblock::run(c, &mut inputs),
        Command::Pin(c) => pin::run(c, &mut inputs),
        Command::Card(c) => card::run(c, &mut inputs),
        Command::Mac(c) => mac::run(c, &mut inputs),
        Command::Kcv(a) => mac::kcv(&a, &mut inputs),
        Command::Cipher(c) => cipher::run(c, &mut inputs),
        Command::Tr34(c) => tr34::run(c, &mut inputs),
        Command::Emv(c) => emv::run(c, &mut inputs),
        Command::Pboc(c) => pboc::run(c, &mut inputs),
        Command::Speed(a) => speed::run(&a),
        Command::Key(c) => key::run(c, &mut inputs),
        Command::Keywrap(c) => kex::run_keywrap(c, &mut inputs),
        Command::Kdf(c) => kex::run_kdf(c, &mut inputs),
        Command::Ecdh(c) => kex::run_ecdh(c, &mut inputs),
        Command::Rsa(c) => kex::run_rsa(c, &mut inputs),
    }
}
