//! **Hazmat, for learning and debugging against an HSM log**: the intermediate values of
//! deciphering a PIN block, handed to an observer as labelled byte strings (secret: they hold
//! the PIN). Not part of the stable API.
//!
//! - Formats 0–3 (ISO 9564-1:2017 §9.4.2.1, 9.4.2.2): the clear PIN block `D_K(block)`, and for
//!   the PAN-bound formats 0 and 3 the PAN field and the plain PIN field `clear ⊕ PAN field`.
//! - Format 4 (§9.4.2.3): `B = D_K(block)`, the PAN field, `A = B ⊕ PAN field` and the plain PIN
//!   field `D_K(A)`.

use crate::{Error, Format, Pan, PinKey};
/// Receives one labelled value (shared with the other crates' `trace` modules).
pub use paycrypt_primitives::trace::Observer;
use paycrypt_primitives::trace::xor_in_place;
use paycrypt_primitives::zeroize::Zeroizing;

/// Traces the decipherment of `block` (format `format`) under `key`.
///
/// # Errors
/// [`Error::KeyFormatMismatch`], [`Error::BlockLength`], the PAN errors of
/// [`Pan::field`](crate::Pan::field) (a PAN is needed for formats 0, 3 and 4).
pub fn decipher(
    format: Format,
    key: &PinKey,
    block: &[u8],
    pan: Option<&Pan>,
    observe: Observer<'_>,
) -> Result<(), Error> {
    key.check_format(format)?;
    let n = format.block_len();
    if block.len() != n {
        return Err(Error::BlockLength {
            format,
            expected: n,
            got: block.len(),
        });
    }
    let mut buf = Zeroizing::new([0u8; 16]);
    let b = buf.get_mut(..n).unwrap_or_default();
    b.copy_from_slice(block);
    let cipher = key.cipher();
    cipher.decrypt_block(b)?;
    let field = |pan: Option<&Pan>| -> Result<crate::PanField, Error> {
        pan.ok_or(Error::PanRequired { format })?.field(format)
    };
    match format {
        Format::Iso4 => {
            observe("B = D_K(block)", b);
            let f = field(pan)?;
            observe("PAN field", f.as_bytes());
            xor_in_place(b, f.as_bytes());
            observe("A = B xor PAN field", b);
            cipher.decrypt_block(b)?;
            observe("plain PIN field = D_K(A)", b);
        }
        Format::Iso0 | Format::Iso3 => {
            observe("clear PIN block = D_K(block)", b);
            let f = field(pan)?;
            observe("PAN field", f.as_bytes());
            xor_in_place(b, f.as_bytes());
            observe("PIN field = clear block xor PAN field", b);
        }
        _ => observe("clear PIN block = D_K(block)", b),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use paycrypt_primitives::trace::Recorder;

    #[test]
    fn format0_and_format4_intermediates() {
        // X9.24-1:2009 A.4 counter 1: PIN key, block 1B9C1845EB993A7A = E(041274EDCBA9876F).
        let k = PinKey::tdes_from_bytes(&hex_literal::hex!("042666B49184CF5C68DE9628D0397B36"))
            .unwrap();
        let pan = Pan::new("4012345678909").unwrap();
        let mut rec = Recorder::new();
        decipher(
            Format::Iso0,
            &k,
            &hex_literal::hex!("1B9C1845EB993A7A"),
            Some(&pan),
            &mut rec.observer(),
        )
        .unwrap();
        let seen = rec.values();
        assert_eq!(seen[0], hex_literal::hex!("041274EDCBA9876F"));
        assert_eq!(seen[2], hex_literal::hex!("041234FFFFFFFFFF"));
        // X9.24-3-2017 supplement p.31: A, B and the PIN field of the format-4 example.
        let k =
            PinKey::aes_from_bytes(&hex_literal::hex!("AF8CB133A78F8DC2D1359F18527593FB")).unwrap();
        let pan = Pan::new("4111111111111111").unwrap();
        let mut rec = Recorder::new();
        decipher(
            Format::Iso4,
            &k,
            &hex_literal::hex!("A912150391AB65A67E52883D81CE2D15"),
            Some(&pan),
            &mut rec.observer(),
        )
        .unwrap();
        let seen = rec.values();
        assert_eq!(
            seen[0],
            hex_literal::hex!("9A95036DE7CDB6CEF47BDE89057CB820")
        );
        assert_eq!(
            seen[1],
            hex_literal::hex!("44111111111111111000000000000000")
        );
        assert_eq!(
            seen[2],
            hex_literal::hex!("DE84127CF6DCA7DFE47BDE89057CB820")
        );
        assert_eq!(
            seen[3],
            hex_literal::hex!("441234AAAAAAAAAA2F69ADDE2E9E7ACE")
        );
        // Wrong key family, wrong length, missing PAN.
        assert!(decipher(Format::Iso0, &k, &[0; 8], Some(&pan), &mut |_, _| {}).is_err());
        assert!(decipher(Format::Iso4, &k, &[0; 8], Some(&pan), &mut |_, _| {}).is_err());
        assert!(decipher(Format::Iso4, &k, &[0; 16], None, &mut |_, _| {}).is_err());
    }
}
