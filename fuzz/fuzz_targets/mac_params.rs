//! Drives every paycrypt-mac algorithm with arbitrary keys, parameters and data: it must never
//! panic, streaming must equal one-shot, verify(generate(m)) must succeed and a flipped tag bit
//! must fail. Also exercises KCVs and the named profiles.
//!
//! Input layout: `sel pad flags key_len iv_len mac_len split key… iv… data…`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{KcvMethod, hmac_kcv, kcv, legacy_kcv};
use paycrypt_mac::{iso16609, pboc, x9_19};
use paycrypt_mac::{
    Error, KeyAlgorithm, Mac, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, TdesKey,
    generate, verify, verify_mac,
};

const KEY_ALGS: [KeyAlgorithm; 6] = [
    KeyAlgorithm::Des,
    KeyAlgorithm::Tdes2,
    KeyAlgorithm::Tdes3,
    KeyAlgorithm::Aes128,
    KeyAlgorithm::Aes192,
    KeyAlgorithm::Aes256,
];

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let n = n.min(data.len());
    let (head, rest) = data.split_at(n);
    *data = rest;
    head
}

fn run(key: MacKey<'_>, params: &MacParams<'_>, msg: &[u8], split: usize, declare: Option<u64>) {
    let one = generate(key, params, msg);
    let stream = Mac::new(key, params, declare).and_then(|mut m| {
        let cut = split % (msg.len() + 1);
        let (a, b) = msg.split_at(cut);
        m.update(a);
        m.update(b);
        m.finalize()
    });
    match (&one, &stream) {
        (Ok(t), Ok(s)) => {
            if declare.is_none_or(|d| d == msg.len() as u64) {
                assert_eq!(t.as_bytes(), s.as_bytes(), "streaming != one-shot");
            }
            assert!(verify_mac(key, params, msg, t.as_bytes()).is_ok());
            assert!(verify(t.as_bytes(), t).is_ok());
            let mut bad = t.as_bytes().to_vec();
            if let Some(b) = bad.get_mut(split % t.len().max(1)) {
                *b ^= 1 << (split % 8);
            }
            assert_eq!(verify_mac(key, params, msg, &bad), Err(Error::Verification));
        }
        (Ok(_), Err(Error::DataLength { .. } | Error::PaddingNeedsLength)) => {}
        (Ok(_), Err(e)) => panic!("one-shot ok but streaming failed: {e:?}"),
        (Err(e), _) => {
            // Every failure is a typed error with a message.
            assert!(!e.to_string().is_empty());
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let mut d = input;
    let hdr = take(&mut d, 7);
    let [sel, pad, flags, key_len, iv_len, mac_len, split] = match hdr {
        [a, b, c, e, f, g, h] => [*a, *b, *c, *e, *f, *g, *h],
        _ => return,
    };
    let key_bytes = take(&mut d, usize::from(key_len % 40));
    let iv = take(&mut d, usize::from(iv_len % 20));
    let msg = d;
    let split = usize::from(split);
    let Some(padding) = Padding::from_number(pad % 4) else {
        return;
    };
    let iv = (flags & 1 != 0).then_some(iv);
    let declare = match flags & 6 {
        2 => Some(msg.len() as u64),
        4 => Some((msg.len() as u64).wrapping_add(1)),
        _ => None,
    };
    let kcv_len = usize::from(mac_len % 20);
    let mac_len = (flags & 8 != 0).then_some(usize::from(mac_len % 70));

    let alg_for_key = KEY_ALGS[usize::from(sel / 8) % 6];
    let algorithm = match sel % 8 {
        0 => MacAlgorithm::Iso9797Algorithm1 { padding },
        1 => MacAlgorithm::Iso9797Algorithm3 { padding },
        2 => MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { padding },
        3 => MacAlgorithm::Cmac,
        _ => MacAlgorithm::Hmac(HashFunction::ALL[usize::from(sel / 8) % 5]),
    };
    let params = MacParams { algorithm, iv, mac_len };

    // Block-cipher keys, including ones that do not fit the algorithm.
    if let Ok(k) = SymmetricKey::new(alg_for_key, key_bytes) {
        run(MacKey::Symmetric(&k), &params, msg, split, declare);
        // Key check values with arbitrary lengths and every method.
        for method in [KcvMethod::Legacy, KcvMethod::Cmac, KcvMethod::Hmac] {
            if let Ok(v) = kcv(&k, method, kcv_len) {
                assert_eq!(v.len(), kcv_len);
            }
        }
        let legacy = legacy_kcv(&k);
        assert_eq!(legacy.len(), 3);
        // Profiles.
        if let Ok(t) = pboc(&k, iv, msg) {
            assert_eq!(t.len(), 4);
        }
        if let SymmetricKey::Tdes(t) = &k {
            let _ = x9_19(t, msg).map(|t| assert_eq!(t.len(), 8));
            let _ = iso16609(t, padding, msg).map(|t| assert_eq!(t.len(), 8));
        }
    } else if let Ok(t) = TdesKey::from_bytes(key_bytes) {
        let _ = x9_19(&t, msg);
    }
    match HmacKey::from_bytes(key_bytes) {
        Ok(hk) => {
            run(MacKey::Hmac(&hk), &params, msg, split, declare);
            for h in HashFunction::ALL {
                let _ = hmac_kcv(&hk, h, kcv_len);
            }
        }
        Err(e) => assert!(matches!(e, Error::HmacKeyLength { .. })),
    }
});
