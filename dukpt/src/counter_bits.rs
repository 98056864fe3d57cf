//! The counter walk shared by both DUKPT variants: a transaction counter's one-bits are taken
//! from the highest down, each adding one derivation step (X9.24-1:2009 A.2, the shift
//! register scanning from bit 20 down; X9.24-3:2017 §6.3.2, the intermediate keys of the
//! counter's prefixes).

/// Removes the highest one-bit from `rest` and returns it (0 when `rest` is 0).
#[inline]
pub(crate) const fn take_highest(rest: &mut u32) -> u32 {
    let bit = match (1u32 << 31).checked_shr(rest.leading_zeros()) {
        Some(bit) => bit,
        None => 0,
    };
    *rest &= !bit;
    bit
}

#[cfg(test)]
mod tests {
    use super::take_highest;

    #[test]
    fn takes_bits_from_the_top() {
        let mut rest = 0b1010_0001;
        assert_eq!(take_highest(&mut rest), 0b1000_0000);
        assert_eq!(take_highest(&mut rest), 0b0010_0000);
        assert_eq!(take_highest(&mut rest), 0b0000_0001);
        assert_eq!(rest, 0);
        assert_eq!(take_highest(&mut rest), 0);
        let mut top = u32::MAX;
        assert_eq!(take_highest(&mut top), 1 << 31);
        assert_eq!(top, u32::MAX >> 1);
    }
}
