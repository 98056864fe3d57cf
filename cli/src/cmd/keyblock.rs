//! `paycrypt keyblock ...` over `paycrypt-keyblock`.

use crate::args::KeyblockCommand;
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;

/// Runs a `keyblock` subcommand.
pub fn run(_command: KeyblockCommand, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}
