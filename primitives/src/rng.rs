//! The randomness injection point.
//!
//! Every random value a paycrypt crate draws (ISO 9564 format 1/3/4 fills, X9.143 padding and
//! key-length obfuscation, TR-34 ephemeral keys, IVs and nonces) comes from a caller-supplied
//! [`TryCryptoRng`]. Production code passes [`OsRng`]; tests and tools that must reproduce a
//! published value pass a [`ReplayRng`] holding the exact bytes.

use crate::Error;
use core::fmt;
pub use rand_core::{TryCryptoRng, TryRng};

/// The operating system's CSPRNG (`getrandom`).
#[cfg(feature = "std")]
pub use getrandom::SysRng as OsRng;

/// Fills `dst` from `rng`, mapping any failure to [`Error::Rng`].
///
/// # Errors
/// [`Error::Rng`] when the source fails.
pub fn fill<R: TryCryptoRng + ?Sized>(rng: &mut R, dst: &mut [u8]) -> Result<(), Error> {
    rng.try_fill_bytes(dst).map_err(|_| Error::Rng)
}

/// A "random" source that replays fixed bytes, then fails.
///
/// For reproducing published examples (a key block's padding, a PIN block's fill) and for
/// command-line options such as `--padding HEX`. It is **not** random: never use it to make
/// secrets in production. It fails with [`Error::Rng`] when asked for more bytes than it holds,
/// so a test notices when the consumer draws a different amount than expected.
pub struct ReplayRng<'a> {
    bytes: &'a [u8],
}

impl<'a> ReplayRng<'a> {
    /// A source that yields `bytes` in order.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// How many bytes are left.
    #[must_use]
    pub const fn remaining(&self) -> usize {
        self.bytes.len()
    }
}

impl fmt::Debug for ReplayRng<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplayRng {{ remaining: {} }}", self.bytes.len())
    }
}

/// The error of an exhausted [`ReplayRng`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayExhausted;

impl fmt::Display for ReplayExhausted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("replayed random bytes exhausted")
    }
}

impl core::error::Error for ReplayExhausted {}

impl TryRng for ReplayRng<'_> {
    type Error = ReplayExhausted;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        if dst.len() > self.bytes.len() {
            return Err(ReplayExhausted);
        }
        let (head, tail) = self.bytes.split_at(dst.len());
        dst.copy_from_slice(head);
        self.bytes = tail;
        Ok(())
    }
}

/// Marked cryptographic only so it can be injected where a CSPRNG is expected; see the type
/// docs: it is for reproducing fixed values.
impl TryCryptoRng for ReplayRng<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_yields_then_fails() {
        let mut r = ReplayRng::new(&[1, 2, 3]);
        let mut b = [0u8; 2];
        fill(&mut r, &mut b).unwrap();
        assert_eq!(b, [1, 2]);
        assert_eq!(r.remaining(), 1);
        assert_eq!(fill(&mut r, &mut b), Err(Error::Rng));
    }

    #[cfg(feature = "std")]
    #[test]
    fn os_rng_fills() {
        let mut a = [0u8; 32];
        fill(&mut OsRng, &mut a).unwrap();
        assert_ne!(a, [0u8; 32]);
    }
}
