//! The two hash-based KDFs AWS Payment Cryptography offers for ECDH (`KeyDerivationFunction`):
//!
//! | AWS | here | K(i) | standard |
//! |---|---|---|---|
//! | `NIST_SP800` | [`Kdf::Concat`] | H(\[i\]₃₂ ‖ Z ‖ FixedInfo) | NIST SP 800-56C Rev. 2 §4.1 option 1 (= SP 800-56A "concatenation" KDF) |
//! | `ANSI_X963` | [`Kdf::X963`] | H(Z ‖ \[i\]₃₂ ‖ SharedInfo) | ANSI X9.63-2011 §5.6.3 (= SEC 1 v2 §3.6.1) |
//!
//! The counter is 32-bit big-endian from 1; reps = ⌈L / hLen⌉; the output is the leftmost L
//! bytes of K(1) ‖ … ‖ K(reps). FixedInfo / SharedInfo is used verbatim, exactly as AWS uses
//! `DerivationData.SharedInformation`: no AlgorithmID, PartyUInfo, PartyVInfo or length is
//! added.

use crate::Error;
use core::fmt;
use sha2::Digest;
use zeroize::Zeroize;

/// The largest output (bytes) and the largest Z / shared information accepted.
pub const MAX_LEN: usize = 1024;

/// The KDF construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kdf {
    /// SP 800-56C one-step KDF with a hash (AWS `NIST_SP800`).
    Concat,
    /// ANSI X9.63 KDF (AWS `ANSI_X963`).
    X963,
}

impl Kdf {
    /// `concat` or `x963`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Concat => "concat",
            Self::X963 => "x963",
        }
    }
}

impl fmt::Display for Kdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The hash function (AWS `KeyDerivationHashAlgorithm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hash {
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// `sha256`, `sha384` or `sha512`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// Output length in bytes.
    #[must_use]
    pub const fn len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Always `false` (kept for the `len` convention).
    #[must_use]
    pub const fn is_empty(self) -> bool {
        false
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One-step KDF (SP 800-56C Rev. 2 §4.1, H(x) = hash): K(i) = H(\[i\]₃₂ ‖ Z ‖ FixedInfo).
fn one_step_with<D: Digest>(z: &[u8], info: &[u8], out: &mut [u8]) {
    counter_kdf::<D>(out, |h, counter| {
        h.update(counter);
        h.update(z);
        h.update(info);
    });
}

/// ANSI X9.63 KDF (X9.63-2011 §5.6.3; SEC 1 v2 §3.6.1): K(i) = H(Z ‖ \[i\]₃₂ ‖ SharedInfo).
fn x963_with<D: Digest>(z: &[u8], info: &[u8], out: &mut [u8]) {
    counter_kdf::<D>(out, |h, counter| {
        h.update(z);
        h.update(counter);
        h.update(info);
    });
}

/// The counter loop both KDFs share: fills `out` with the leftmost bytes of K(1) ‖ K(2) ‖ ….
fn counter_kdf<D: Digest>(out: &mut [u8], absorb: impl Fn(&mut D, &[u8; 4])) {
    let hlen = <D as Digest>::output_size();
    for (i, chunk) in (1u32..).zip(out.chunks_mut(hlen)) {
        let mut h = D::new();
        absorb(&mut h, &i.to_be_bytes());
        let mut k = h.finalize();
        for (o, b) in chunk.iter_mut().zip(k.iter()) {
            *o = *b;
        }
        k.as_mut_slice().zeroize();
    }
}

/// One-step (concat) KDF over any `sha2` hash, generic form.
///
/// # Errors
/// [`Error::KdfInput`] when `out` is empty or any input is over [`MAX_LEN`].
pub fn one_step<D: Digest>(z: &[u8], fixed_info: &[u8], out: &mut [u8]) -> Result<(), Error> {
    check(z, fixed_info, out)?;
    one_step_with::<D>(z, fixed_info, out);
    Ok(())
}

/// ANSI X9.63 KDF over any `sha2` hash, generic form.
///
/// # Errors
/// As [`one_step`].
pub fn x963<D: Digest>(z: &[u8], shared_info: &[u8], out: &mut [u8]) -> Result<(), Error> {
    check(z, shared_info, out)?;
    x963_with::<D>(z, shared_info, out);
    Ok(())
}

fn check(z: &[u8], info: &[u8], out: &[u8]) -> Result<(), Error> {
    if out.is_empty() || out.len() > MAX_LEN {
        return Err(Error::KdfInput {
            what: "output length (1..1024 bytes)",
        });
    }
    if z.len() > MAX_LEN {
        return Err(Error::KdfInput { what: "Z length" });
    }
    if info.len() > MAX_LEN {
        return Err(Error::KdfInput {
            what: "shared information length (at most 1024 bytes)",
        });
    }
    Ok(())
}

/// Derives `out.len()` bytes with `kdf` and `hash` from `z` and the shared information.
///
/// # Errors
/// As [`one_step`].
pub fn derive(kdf: Kdf, hash: Hash, z: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), Error> {
    use sha2::{Sha256, Sha384, Sha512};
    match (kdf, hash) {
        (Kdf::Concat, Hash::Sha256) => one_step::<Sha256>(z, info, out),
        (Kdf::Concat, Hash::Sha384) => one_step::<Sha384>(z, info, out),
        (Kdf::Concat, Hash::Sha512) => one_step::<Sha512>(z, info, out),
        (Kdf::X963, Hash::Sha256) => x963::<Sha256>(z, info, out),
        (Kdf::X963, Hash::Sha384) => x963::<Sha384>(z, info, out),
        (Kdf::X963, Hash::Sha512) => x963::<Sha512>(z, info, out),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        let mut empty = [];
        assert!(matches!(
            derive(Kdf::Concat, Hash::Sha256, &[1], &[], &mut empty),
            Err(Error::KdfInput { .. })
        ));
        let mut big = [0u8; MAX_LEN + 1];
        assert!(derive(Kdf::X963, Hash::Sha512, &[1], &[], &mut big).is_err());
        let mut ok = [0u8; MAX_LEN];
        assert!(derive(Kdf::X963, Hash::Sha512, &[1], &[2; MAX_LEN], &mut ok).is_ok());
        assert!(derive(Kdf::X963, Hash::Sha512, &[1], &[2; MAX_LEN + 1], &mut ok).is_err());
        assert!(derive(Kdf::X963, Hash::Sha512, &[1; MAX_LEN + 1], &[], &mut ok).is_err());
    }

    #[test]
    fn concat_and_x963_differ_only_in_order() {
        let mut a = [0u8; 40];
        let mut b = [0u8; 40];
        derive(Kdf::Concat, Hash::Sha256, &[7; 32], b"info", &mut a).unwrap();
        derive(Kdf::X963, Hash::Sha256, &[7; 32], b"info", &mut b).unwrap();
        assert_ne!(a, b);
        // K(1) of concat is SHA-256(00000001 ‖ Z ‖ info).
        let mut h = sha2::Sha256::new();
        h.update([0, 0, 0, 1]);
        h.update([7; 32]);
        h.update(b"info");
        assert_eq!(&a[..32], h.finalize().as_slice());
    }
}
