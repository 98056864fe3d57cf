//! `paycrypt speed`: operations per second, like `openssl speed`.

use crate::args::SpeedArgs;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Runs `speed`.
pub fn run(_args: &SpeedArgs) -> CliResult<Output> {
    Err(CliError::not_available())
}
