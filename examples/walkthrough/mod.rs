//! What every walkthrough example shares: its result type and the check that stops the flow.

use core::error::Error;

/// The result of a walkthrough step; any error ends the example with a non-zero exit.
pub type Result<T = ()> = core::result::Result<T, Box<dyn Error>>;

/// Prints `✓ what` when `ok` holds; otherwise fails the walkthrough (and the process).
///
/// # Errors
/// When `ok` is false.
pub fn check(ok: bool, what: &str) -> Result {
    if ok {
        println!("    ✓ {what}");
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}
