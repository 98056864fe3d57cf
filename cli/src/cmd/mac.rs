//! `paycrypt mac ...` and `paycrypt kcv` over `paycrypt-mac`.

use crate::args::{KcvArgs, MacCommand};
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;

/// Runs a `mac` subcommand.
pub fn run(_command: MacCommand, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}

/// Runs `kcv`.
pub fn kcv(_args: &KcvArgs, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}
