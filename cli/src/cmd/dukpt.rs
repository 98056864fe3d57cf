//! `paycrypt dukpt ...` over `paycrypt-dukpt`.

use crate::args::DukptCommand;
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::Output;

/// Runs a `dukpt` subcommand.
pub fn run(_command: DukptCommand, _inputs: &mut Inputs) -> CliResult<Output> {
    Err(CliError::not_available())
}
