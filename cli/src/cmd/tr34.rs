//! `paycrypt tr34 ...` over `paycrypt-tr34`.

use crate::args::Tr34Command;
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;

/// Runs a `tr34` subcommand.
pub fn run(_command: Tr34Command, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}
