//! The constant-time bitsliced TDES batch (64 lanes, refilled as chains finish) against the
//! single derivations: every usage, random BDKs and KSNs, batch sizes across lane and chunk
//! boundaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::tdes::{Bdk, DataKeyStyle, KeyVariant, Ksn};
use paycrypt_primitives::key::TdesKey;
use proptest::prelude::*;

const USAGES: [Option<KeyVariant>; 7] = [
    None,
    Some(KeyVariant::Pin),
    Some(KeyVariant::MacRequest),
    Some(KeyVariant::MacResponse),
    Some(KeyVariant::DataRequest(DataKeyStyle::Owf2009)),
    Some(KeyVariant::DataResponse(DataKeyStyle::BareVariant)),
    Some(KeyVariant::DataResponse(DataKeyStyle::PinVariantLegacy)),
];

fn single(bdk: &Bdk, ksn: &Ksn, usage: Option<KeyVariant>) -> [u8; 16] {
    let key: TdesKey = match usage {
        None => bdk.transaction_key(ksn).expose_key().clone(),
        Some(u) => bdk.working_key(ksn, u),
    };
    let vt: TdesKey = match usage {
        None => bdk.transaction_key_vartime(ksn).expose_key().clone(),
        Some(u) => bdk.working_key_vartime(ksn, u),
    };
    assert_eq!(key, vt, "constant-time and table DES disagree");
    key.expose_bytes().try_into().unwrap()
}

fn ksn_strategy() -> impl Strategy<Value = Ksn> {
    // Any device, any 21-bit counter (hosts derive whatever the KSN carries), 0 included.
    (any::<[u8; 10]>(), 0u32..(1 << 21)).prop_map(|(mut b, tc)| {
        b[7] = (b[7] & 0xE0) | (tc >> 16) as u8;
        b[8] = (tc >> 8) as u8;
        b[9] = tc as u8;
        Ksn::from_bytes(b)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn batch_equals_single(bdk in any::<[u8; 16]>(),
                           ksns in proptest::collection::vec(ksn_strategy(), 0..300),
                           u in 0usize..USAGES.len()) {
        let bdk = Bdk::from_bytes(&bdk).unwrap();
        let usage = USAGES[u];
        let mut out = vec![[0u8; 16]; ksns.len()];
        bdk.derive_many_bytes(&ksns, usage, &mut out).unwrap();
        for (k, o) in ksns.iter().zip(&out) {
            prop_assert_eq!(*o, single(&bdk, k, usage));
        }
        if let Some(usage) = usage {
            let zero = TdesKey::from_bytes(&[0; 16]).unwrap();
            let mut keys = vec![zero; ksns.len()];
            bdk.derive_many(&ksns, usage, &mut keys).unwrap();
            for (k, o) in keys.iter().zip(&out) {
                prop_assert_eq!(k.expose_bytes(), &o[..]);
            }
        }
    }
}

#[test]
fn batch_across_chunks_and_repeats() {
    // More KSNs than one 2048-key chunk, one device's whole counter walk (consecutive
    // counters: chains of very different lengths side by side) and duplicates.
    let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
    let mut ksns: Vec<Ksn> = (0..2100u32)
        .map(|tc| {
            let mut b = hex_literal::hex!("FFFF9876543210E00000");
            b[7] |= (tc >> 16) as u8;
            b[8] = (tc >> 8) as u8;
            b[9] = tc as u8;
            Ksn::from_bytes(b)
        })
        .collect();
    ksns.push(ksns[5]);
    ksns.push("FFFF9876543210FFFFFF".parse().unwrap());
    let mut out = vec![[0u8; 16]; ksns.len()];
    bdk.derive_many_bytes(&ksns, Some(KeyVariant::Pin), &mut out)
        .unwrap();
    for (k, o) in ksns.iter().zip(&out) {
        assert_eq!(*o, single(&bdk, k, Some(KeyVariant::Pin)));
    }
    // X9.24-1:2009 A.4: KSN FFFF9876543210E00001 → PIN key 042666B49184CF5C68DE9628D0397B36.
    assert_eq!(
        out[1],
        hex_literal::hex!("042666B49184CF5C68DE9628D0397B36")
    );
    let mut short = vec![[0u8; 16]; 1];
    assert!(bdk.derive_many_bytes(&ksns, None, &mut short).is_err());
}
