//! Nibble packing (a PIN block is specified nibble by nibble, ISO 9564-1:2017 §9).

/// Packs nibble values (low 4 bits used) into bytes, high nibble first. Writes
/// `min(out.len(), nibbles.len() / 2)` bytes.
pub(crate) fn pack(nibbles: &[u8], out: &mut [u8]) {
    for (o, pair) in out.iter_mut().zip(nibbles.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *o = ((hi & 0x0F) << 4) | (lo & 0x0F);
        }
    }
}

/// Unpacks bytes into nibble values, high nibble first. Writes
/// `min(out.len() / 2, bytes.len())` byte's worth of nibbles.
pub(crate) fn unpack(bytes: &[u8], out: &mut [u8]) {
    for (b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        if let [hi, lo] = pair {
            *hi = b >> 4;
            *lo = b & 0x0F;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut n = [0u8; 4];
        unpack(&[0xAB, 0x0F], &mut n);
        assert_eq!(n, [0xA, 0xB, 0x0, 0xF]);
        let mut b = [0u8; 2];
        pack(&n, &mut b);
        assert_eq!(b, [0xAB, 0x0F]);
    }
}
