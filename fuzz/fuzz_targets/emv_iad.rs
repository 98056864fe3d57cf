//! Issuer application data (9F10) detection and the cryptogram-input paths on arbitrary bytes:
//! never panics; a detected profile's IAD part selects within the data; `Profile::from_iad`
//! agrees with `detect`; the TLV-driven input never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_emv::{AcInput, CardData, Error, CryptogramVersion, TerminalData, detect_iad};

fuzz_target!(|data: &[u8]| {
    match detect_iad(data) {
        Ok(info) => {
            assert!(data.len() >= 7 && data.len() <= 32);
            assert!(info.cvr.len() <= data.len());
            assert_eq!(CryptogramVersion::from_iad(data).ok(), info.version);
            if let Some(p) = info.version {
                let card = CardData {
                    aip: [0x58, 0x00],
                    atc: [0x00, 0x01],
                    iad: data,
                };
                let input = AcInput::from_table(p, &TerminalData::default(), &card);
                // A detected profile always finds its part of the IAD.
                assert!(input.is_ok(), "{p:?} {input:?}");
            }
        }
        Err(e) => assert!(matches!(e, Error::IadLength { .. } | Error::TooLong { .. })),
    }
    for p in CryptogramVersion::ALL {
        let _ = AcInput::from_tlv(p, data);
    }
});
