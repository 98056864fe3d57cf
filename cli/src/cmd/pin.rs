//! `paycrypt pin ...` over `paycrypt-pinblock`.

use crate::args::PinCommand;
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;

/// Runs a `pin` subcommand.
pub fn run(_command: PinCommand, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}
