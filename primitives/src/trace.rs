//! **Hazmat**: what the `trace` modules of the sibling crates share (`paycrypt_mac::trace`,
//! `paycrypt_pinblock::trace`, …): the observer that receives each labelled intermediate value,
//! and a recorder for tests and tools. The values are secret (they depend on keys and PINs).
//! Not part of the stable API.

#[cfg(feature = "alloc")]
use alloc::{string::String, vec::Vec};

/// Receives one labelled intermediate value.
pub type Observer<'a> = &'a mut dyn FnMut(&str, &[u8]);

/// XORs `mask` into `data` (the shorter length wins): the step between two traced values of
/// PIN-block and MAC processing (ISO 9564-1:2017 §9.3.2 PAN field, ISO/IEC 9797-1 chaining).
pub fn xor_in_place(data: &mut [u8], mask: &[u8]) {
    for (x, m) in data.iter_mut().zip(mask) {
        *x ^= m;
    }
}

/// Records every observed value in order (label, bytes). Secret material: for tests and
/// debugging tools only; zeroize or drop it promptly.
#[cfg(feature = "alloc")]
#[derive(Default)]
pub struct Recorder {
    seen: Vec<(String, Vec<u8>)>,
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Recorder {{ {} values, .. }}", self.seen.len())
    }
}

#[cfg(feature = "alloc")]
impl Recorder {
    /// An empty recorder.
    #[must_use]
    pub const fn new() -> Self {
        Self { seen: Vec::new() }
    }

    /// The observer to hand to a `trace` function (`&mut recorder.observer()`).
    pub fn observer(&mut self) -> impl FnMut(&str, &[u8]) + '_ {
        |label, value| self.seen.push((String::from(label), Vec::from(value)))
    }

    /// The recorded values, in order.
    #[must_use]
    pub fn values(&self) -> Vec<&[u8]> {
        self.seen.iter().map(|(_, v)| v.as_slice()).collect()
    }

    /// The recorded labels, in order.
    #[must_use]
    pub fn labels(&self) -> Vec<&str> {
        self.seen.iter().map(|(l, _)| l.as_str()).collect()
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn records_in_order() {
        let mut r = Recorder::new();
        let trace = |o: Observer<'_>| {
            let mut b = [1u8, 2];
            o("first", &b);
            xor_in_place(&mut b, &[3, 3, 3]);
            o("second", &b);
        };
        trace(&mut r.observer());
        assert_eq!(r.labels(), ["first", "second"]);
        assert_eq!(r.values()[1], [2, 1]);
        assert_eq!(alloc::format!("{r:?}"), "Recorder { 2 values, .. }");
    }
}
