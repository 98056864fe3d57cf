//! **Hazmat, for learning and debugging against an HSM log**: the intermediate values of a
//! host derivation, handed to an observer as labelled byte strings. Every value is secret key
//! material. Not part of the stable API.
//!
//! The values come from the crate's own derivation functions, one call per step (the key for
//! each prefix of the counter's one-bits), so what is traced is what the crate computes:
//!
//! - TDES (X9.24-1:2009 A.3, A.4.1, A.6): the IPEK, then for each one-bit of the counter from
//!   bit 20 down the KSN register `R8` and the key after NRKGP, the transaction key, and for a
//!   working key the variant mask and the key.
//! - AES (X9.24-3:2017 §6.3, §6.4): the initial key, then for each one-bit from bit 31 down
//!   the derivation data and the intermediate derivation key, and for a working key its
//!   derivation data and the key.

use crate::Error;
use crate::aes;
use crate::counter_bits;
use crate::tdes;

/// Receives one labelled value.
pub type Observer<'a> = &'a mut dyn FnMut(&str, &[u8]);

/// Traces a TDES derivation from the IPEK to the transaction key for `ksn` and, with `usage`,
/// the working key; returns the last key's bytes.
///
/// # Errors
/// [`Error::CounterNotValid`] for a KSN whose counter prefixes do not form KSNs (none do).
pub fn tdes(
    ipek: &tdes::Ipek,
    ksn: &tdes::Ksn,
    usage: Option<tdes::KeyVariant>,
    observe: Observer<'_>,
) -> Result<[u8; 16], Error> {
    observe("IPEK", ipek.expose_key().expose_bytes());
    let counter = ksn.counter();
    let mut rest = counter;
    let mut prefix = 0u32;
    let base = ksn.with_counter(0)?;
    let right = |k: &tdes::Ksn| {
        let b = k.as_bytes();
        let mut r8 = [0u8; 8];
        for (d, s) in r8.iter_mut().zip(b.iter().skip(2)) {
            *d = *s;
        }
        r8
    };
    observe("R8 (KSN rightmost 8 bytes, counter cleared)", &right(&base));
    while rest != 0 {
        let bit = counter_bits::take_highest(&mut rest);
        prefix |= bit;
        let step = ksn.with_counter(prefix)?;
        observe("R8 with counter bit set", &right(&step));
        let k = ipek.transaction_key(&step);
        observe("key after NRKGP", k.expose_key().expose_bytes());
    }
    let tk = ipek.transaction_key(ksn);
    let tk_bytes = tk.expose_key().expose_bytes();
    observe("transaction key", tk_bytes);
    let mut out = [0u8; 16];
    let last = match usage {
        None => tk_bytes,
        Some(u) => {
            let w = ipek.working_key(ksn, u);
            let bare = match u {
                tdes::KeyVariant::DataRequest(_) => Some(tdes::KeyVariant::DataRequest(
                    tdes::DataKeyStyle::BareVariant,
                )),
                tdes::KeyVariant::DataResponse(_) => Some(tdes::KeyVariant::DataResponse(
                    tdes::DataKeyStyle::BareVariant,
                )),
                _ => None,
            };
            // The variant mask is the XOR of the transaction key and the variant key.
            let variant = match bare {
                Some(b) => ipek.working_key(ksn, b),
                None => w.clone(),
            };
            let mut mask = [0u8; 16];
            for ((m, a), b) in mask.iter_mut().zip(tk_bytes).zip(variant.expose_bytes()) {
                *m = a ^ b;
            }
            observe("variant mask", &mask);
            if bare.is_some() && variant.expose_bytes() != w.expose_bytes() {
                observe(
                    "variant key (encrypted with itself: X9.24-1:2009 one-way function)",
                    variant.expose_bytes(),
                );
            }
            observe("working key", w.expose_bytes());
            for (d, s) in out.iter_mut().zip(w.expose_bytes()) {
                *d = *s;
            }
            return Ok(out);
        }
    };
    for (d, s) in out.iter_mut().zip(last) {
        *d = *s;
    }
    Ok(out)
}

/// Traces an AES derivation from the initial key to the intermediate derivation key for
/// `counter` and, with `working`, the working key of that usage and type; calls `observe` with
/// each value.
///
/// # Errors
/// As [`aes::InitialKey::intermediate_key`] and [`aes::InitialKey::working_key`].
pub fn aes(
    ik: &aes::InitialKey,
    counter: u32,
    working: Option<(aes::KeyUsage, aes::KeyType)>,
    observe: Observer<'_>,
) -> Result<(), Error> {
    observe("initial key", ik.expose_key().expose_bytes());
    let derivation_id = ik.initial_key_id().derivation_id();
    let mut rest = counter;
    let mut prefix = 0u32;
    while rest != 0 {
        let bit = counter_bits::take_highest(&mut rest);
        prefix |= bit;
        let dd = aes::DerivationData::intermediate(ik.key_type(), derivation_id, prefix);
        observe("derivation data", &dd.to_bytes());
        let k = ik.intermediate_key(prefix)?;
        observe("intermediate derivation key", k.expose_key().expose_bytes());
    }
    if let Some((usage, key_type)) = working {
        let dd = aes::DerivationData::working(usage.indicator(), key_type, derivation_id, counter);
        observe("working key derivation data", &dd.to_bytes());
        let w = ik.working_key(counter, usage, key_type)?;
        observe("working key", w.expose_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    extern crate alloc;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    #[test]
    fn tdes_trace_ends_in_the_published_keys() {
        // X9.24-1:2009 A.4: IPEK 6AC292FA..., counter 1's PIN key.
        let bdk =
            tdes::Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let ksn = tdes::Ksn::from(hex_literal::hex!("FFFF9876543210E00003"));
        let ipek = bdk.ipek(&ksn);
        let mut seen: Vec<(String, Vec<u8>)> = Vec::new();
        let last = tdes(&ipek, &ksn, Some(tdes::KeyVariant::Pin), &mut |l, v| {
            seen.push((l.to_string(), v.to_vec()));
        })
        .unwrap();
        assert_eq!(
            seen[0].1,
            hex_literal::hex!("6AC292FAA1315B4D858AB3A3D7D5933A")
        );
        // Counter 3: two NRKGP steps.
        assert_eq!(
            seen.iter().filter(|(l, _)| l == "key after NRKGP").count(),
            2
        );
        let tk = seen.iter().find(|(l, _)| l == "transaction key").unwrap();
        assert_eq!(tk.1, bdk.transaction_key(&ksn).expose_key().expose_bytes());
        let mask = seen.iter().find(|(l, _)| l == "variant mask").unwrap();
        assert_eq!(
            mask.1,
            hex_literal::hex!("00000000000000FF00000000000000FF")
        );
        assert_eq!(
            &last[..],
            bdk.working_key(&ksn, tdes::KeyVariant::Pin).expose_bytes()
        );
        // The data key's one-way function shows the variant key too.
        let mut labels = Vec::new();
        tdes(
            &ipek,
            &ksn,
            Some(tdes::KeyVariant::DataRequest(tdes::DataKeyStyle::Owf2009)),
            &mut |l, _| labels.push(l.to_string()),
        )
        .unwrap();
        assert!(labels.iter().any(|l| l.starts_with("variant key")));
    }

    #[test]
    fn aes_trace_ends_in_the_intermediate_and_working_keys() {
        let bdk =
            aes::Bdk::from_bytes(&hex_literal::hex!("FEDCBA9876543210F1F1F1F1F1F1F1F1")).unwrap();
        let ksn = aes::Ksn::from(hex_literal::hex!("123456789012345600000005"));
        let ik = bdk.initial_key(&ksn.initial_key_id());
        let mut seen: Vec<(String, Vec<u8>)> = Vec::new();
        aes(
            &ik,
            ksn.counter(),
            Some((aes::KeyUsage::PinEncryption, aes::KeyType::Aes128)),
            &mut |l, v| seen.push((l.to_string(), v.to_vec())),
        )
        .unwrap();
        let inter: Vec<&(String, Vec<u8>)> = seen
            .iter()
            .filter(|(l, _)| l == "intermediate derivation key")
            .collect();
        assert_eq!(inter.len(), 2, "counter 5 has two one-bits");
        assert_eq!(
            inter[1].1,
            bdk.intermediate_key(&ksn)
                .unwrap()
                .expose_key()
                .expose_bytes()
        );
        assert_eq!(
            seen.last().unwrap().1,
            bdk.working_key(&ksn, aes::KeyUsage::PinEncryption, aes::KeyType::Aes128)
                .unwrap()
                .expose_bytes()
        );
        assert!(aes(&ik, 0xFFFF_FFFF, None, &mut |_, _| {}).is_err());
    }
}
