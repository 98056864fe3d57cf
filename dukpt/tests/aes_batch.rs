//! The batch paths agree with single derivations (random initial key IDs, counters, types).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::Error;
use paycrypt_dukpt::aes::{Bdk, InitialKeyId, KeyType, KeyUsage, Ksn, WorkingKey};
use proptest::prelude::*;

fn ksn_strategy() -> impl Strategy<Value = Ksn> {
    (any::<[u8; 8]>(), any::<u32>(), 0usize..4).prop_map(|(ikid, counter, shared)| {
        // Some KSNs share an initial key ID, to exercise the initial-key cache.
        let ikid = if shared == 0 { [7; 8] } else { ikid };
        let counter = if counter == u32::MAX { 0 } else { counter };
        Ksn::new(InitialKeyId::from_bytes(ikid), counter)
    })
}

fn bdk_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 16),
        proptest::collection::vec(any::<u8>(), 24),
        proptest::collection::vec(any::<u8>(), 32),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn batch_equals_single(
        bdk in bdk_strategy(),
        ksns in proptest::collection::vec(ksn_strategy(), 0..40),
        usage in 0usize..9,
        ty in 0usize..8,
    ) {
        let bdk = Bdk::from_bytes(&bdk).unwrap();
        let usage = KeyUsage::ALL[usage];
        let ty = KeyType::ALL[ty];
        let mut got: Vec<Option<WorkingKey>> = vec![None; ksns.len()];
        let r = bdk.derive_batch(&ksns, usage, ty, |i, k| {
            assert!(got[i].is_none());
            got[i] = Some(k);
        });
        match ksns.first().map(|k| bdk.working_key(k, usage, ty)) {
            Some(Err(e)) => prop_assert_eq!(r, Err(e)),
            _ => {
                if let Err(e) = r {
                    prop_assert_eq!(e, Error::KeyTypeNotAllowed);
                    prop_assert!(got.iter().all(Option::is_none));
                } else {
                    for (ksn, k) in ksns.iter().zip(&got) {
                        let single = bdk.working_key(ksn, usage, ty).unwrap();
                        prop_assert_eq!(k.as_ref().unwrap(), &single, "{}", ksn);
                    }
                }
            }
        }
        // derive_many gives the same keys in order.
        if let Ok(()) = r {
            let mut out = vec![None; ksns.len()];
            bdk.derive_many(&ksns, usage, ty, &mut out).unwrap();
            for (a, b) in out.iter().zip(&got) {
                prop_assert_eq!(a.as_ref(), b.as_ref());
            }
        }
    }
}

#[test]
fn batch_refuses_reserved_counter_before_deriving() {
    let bdk = Bdk::from_bytes(&[1; 16]).unwrap();
    let ikid = InitialKeyId::from_bytes([1; 8]);
    let ksns = [Ksn::new(ikid, 1), Ksn::new(ikid, u32::MAX)];
    let mut calls = 0;
    let r = bdk.derive_batch(&ksns, KeyUsage::PinEncryption, KeyType::Aes128, |_, _| {
        calls += 1
    });
    assert_eq!(r, Err(Error::ReservedCounter));
    assert_eq!(calls, 0);
}

#[test]
fn derive_many_checks_lengths() {
    let bdk = Bdk::from_bytes(&[1; 16]).unwrap();
    let ksns = [Ksn::new(InitialKeyId::from_bytes([1; 8]), 1)];
    let mut out: [Option<WorkingKey>; 0] = [];
    assert_eq!(
        bdk.derive_many(&ksns, KeyUsage::PinEncryption, KeyType::Aes128, &mut out),
        Err(Error::BatchLength { ksns: 1, keys: 0 })
    );
}
