//! TDES DUKPT host side: arbitrary BDK and KSN bytes never panic, the two DES back ends
//! agree, and the counter rules hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_dukpt::Error;
use paycrypt_dukpt::tdes::{Bdk, DataKeyStyle, KeyVariant, Ksn, LAST_COUNTER};

const USAGES: [KeyVariant; 9] = [
    KeyVariant::Pin,
    KeyVariant::MacRequest,
    KeyVariant::MacResponse,
    KeyVariant::DataRequest(DataKeyStyle::Owf2009),
    KeyVariant::DataRequest(DataKeyStyle::BareVariant),
    KeyVariant::DataRequest(DataKeyStyle::PinVariantLegacy),
    KeyVariant::DataResponse(DataKeyStyle::Owf2009),
    KeyVariant::DataResponse(DataKeyStyle::BareVariant),
    KeyVariant::DataResponse(DataKeyStyle::PinVariantLegacy),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let (bdk_bytes, ksn_bytes) = rest.split_at(rest.len().min(16));
    let bdk = match Bdk::from_bytes(bdk_bytes) {
        Ok(b) => b,
        Err(e) => {
            assert_eq!(
                e,
                Error::KeyLength {
                    got: bdk_bytes.len()
                }
            );
            return;
        }
    };
    let parsed = match sel % 4 {
        0 => Ksn::from_slice(ksn_bytes),
        1 => Ksn::from_8_bytes_padded(ksn_bytes),
        2 => core::str::from_utf8(ksn_bytes).map_or(Err(Error::Unsupported), Ksn::from_hex),
        _ => {
            core::str::from_utf8(ksn_bytes).map_or(Err(Error::Unsupported), Ksn::from_hex_8_padded)
        }
    };
    let ksn = match parsed {
        Ok(k) => k,
        Err(Error::KsnLength { .. } | Error::Primitives(_) | Error::Unsupported) => return,
        Err(e) => panic!("unexpected {e:?}"),
    };
    let t = bdk.transaction_key(&ksn);
    assert_eq!(bdk.transaction_key_vartime(&ksn), t);
    let ipek = bdk.ipek(&ksn);
    assert_eq!(bdk.ipek_vartime(&ksn), ipek);
    assert_eq!(ipek.transaction_key_vartime(&ksn), t);
    let usage = USAGES[usize::from(sel / 4) % USAGES.len()];
    let w = bdk.working_key(&ksn, usage);
    assert_eq!(bdk.working_key_vartime(&ksn, usage), w);
    assert_eq!(t.working_key(usage), w);
    let c = ksn.counter();
    assert_eq!(
        ksn.is_valid_transaction_counter(),
        c != 0 && c.count_ones() <= 10
    );
    match ksn.next() {
        Ok(n) => {
            assert!(n.counter() > c && n.counter() <= LAST_COUNTER);
            assert!(n.is_valid_transaction_counter());
            assert_eq!(n.initial(), ksn.initial());
        }
        Err(e) => {
            assert_eq!(e, Error::Exhausted);
            assert!(c >= LAST_COUNTER);
        }
    }
});
