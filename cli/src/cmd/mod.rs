//! Command dispatch. Each submodule is a thin layer over one crate.

mod cipher;
mod dukpt;
mod dukpt_batch;
pub(crate) mod dukpt_ops;
pub(crate) mod key;
pub(crate) mod keyblock;
pub(crate) mod keyblock_ops;
pub(crate) mod mac;
pub(crate) mod pin;
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
        Command::Mac(c) => mac::run(c, &mut inputs),
        Command::Kcv(a) => mac::kcv(&a, &mut inputs),
        Command::Cipher(c) => cipher::run(c, &mut inputs),
        Command::Tr34(c) => tr34::run(c, &mut inputs),
        Command::Speed(a) => speed::run(&a),
        Command::Key(c) => key::run(c, &mut inputs),
    }
}
