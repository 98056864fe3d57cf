//! Placeholder until the crate's benches land.
fn main() {}
