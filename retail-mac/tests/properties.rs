//! Property tests: streaming == one-shot for random splits, verify(generate(m)) succeeds, any
//! flipped bit of tag or data fails, truncation keeps the leftmost bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::large_enum_variant
)]

use paycrypt_mac::{
    Error, KeyAlgorithm, Mac, MacAlgorithm, MacKey, MacParams, Padding, SymmetricKey, generate,
    verify, verify_mac,
};
use paycrypt_mac::{HashFunction, HmacKey};
use proptest::prelude::*;

enum Key {
    Sym(SymmetricKey),
    Hmac(HmacKey),
}

impl Key {
    fn mac_key(&self) -> MacKey<'_> {
        match self {
            Self::Sym(k) => MacKey::Symmetric(k),
            Self::Hmac(k) => MacKey::Hmac(k),
        }
    }
}

const PADDINGS: [Padding; 3] = [Padding::Method1, Padding::Method2, Padding::Method3];
const KEY_ALGS: [KeyAlgorithm; 6] = [
    KeyAlgorithm::Des,
    KeyAlgorithm::Tdes2,
    KeyAlgorithm::Tdes3,
    KeyAlgorithm::Aes128,
    KeyAlgorithm::Aes192,
    KeyAlgorithm::Aes256,
];

/// A valid (key, algorithm, IV) combination from a selector and raw bytes.
fn setup(
    sel: u8,
    pad: u8,
    key_bytes: &[u8],
    with_iv: bool,
) -> (Key, MacAlgorithm, Option<Vec<u8>>) {
    let padding = PADDINGS[usize::from(pad) % 3];
    match sel % 5 {
        0 => {
            let alg = KEY_ALGS[usize::from(sel / 5) % 6];
            let k = SymmetricKey::new(alg, &key_bytes[..alg.key_len()]).unwrap();
            let iv = with_iv.then(|| key_bytes[..alg.block_size()].to_vec());
            (Key::Sym(k), MacAlgorithm::Iso9797Algorithm1 { padding }, iv)
        }
        1 => {
            let k = SymmetricKey::new(KeyAlgorithm::Tdes2, &key_bytes[..16]).unwrap();
            let iv = with_iv.then(|| key_bytes[16..24].to_vec());
            (Key::Sym(k), MacAlgorithm::Iso9797Algorithm3 { padding }, iv)
        }
        2 => {
            let k = SymmetricKey::new(KeyAlgorithm::Tdes3, &key_bytes[..24]).unwrap();
            let iv = with_iv.then(|| key_bytes[24..32].to_vec());
            (
                Key::Sym(k),
                MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { padding },
                iv,
            )
        }
        3 => {
            let alg = KEY_ALGS[1 + usize::from(sel / 5) % 5];
            let k = SymmetricKey::new(alg, &key_bytes[..alg.key_len()]).unwrap();
            (Key::Sym(k), MacAlgorithm::Cmac, None)
        }
        _ => {
            let h = HashFunction::ALL[usize::from(sel / 5) % 5];
            let len = 1 + usize::from(key_bytes[0]) % 32;
            (
                Key::Hmac(HmacKey::from_bytes(&key_bytes[..len]).unwrap()),
                MacAlgorithm::Hmac(h),
                None,
            )
        }
    }
}

proptest! {

    #[test]
    fn streaming_equals_one_shot(
        sel in any::<u8>(), pad in any::<u8>(), key in prop::collection::vec(any::<u8>(), 32),
        with_iv in any::<bool>(), data in prop::collection::vec(any::<u8>(), 0..200),
        cuts in prop::collection::vec(any::<usize>(), 0..6), declare in any::<bool>(),
    ) {
        let (key, alg, iv) = setup(sel, pad, &key, with_iv);
        let mut params = MacParams::new(alg);
        if let Some(iv) = iv.as_deref() {
            params = params.with_iv(iv);
        }
        let one = generate(key.mac_key(), &params, &data).unwrap();
        let needs_len = matches!(
            alg,
            MacAlgorithm::Iso9797Algorithm1 { padding: Padding::Method3 }
                | MacAlgorithm::Iso9797Algorithm3 { padding: Padding::Method3 }
                | MacAlgorithm::Iso9797Algorithm3ThreeKeyNonStandard { padding: Padding::Method3 }
        );
        let len = (declare || needs_len).then_some(data.len() as u64);
        let mut m = Mac::new(key.mac_key(), &params, len).unwrap();
        let mut points: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
        points.sort_unstable();
        let mut start = 0;
        for p in points {
            m.update(&data[start..p]);
            start = p;
        }
        m.update(&data[start..]);
        let streamed = m.finalize().unwrap();
        prop_assert_eq!(streamed.as_bytes(), one.as_bytes());
    }

    #[test]
    fn verify_generate_and_flipped_bits(
        sel in any::<u8>(), pad in any::<u8>(), key in prop::collection::vec(any::<u8>(), 32),
        with_iv in any::<bool>(), data in prop::collection::vec(any::<u8>(), 0..100),
        bit in any::<usize>(), trunc in any::<usize>(),
    ) {
        let (key, alg, iv) = setup(sel, pad, &key, with_iv);
        let mut params = MacParams::new(alg);
        if let Some(iv) = iv.as_deref() {
            params = params.with_iv(iv);
        }
        let tag = generate(key.mac_key(), &params, &data).unwrap();
        verify_mac(key.mac_key(), &params, &data, tag.as_bytes()).unwrap();
        verify(tag.as_bytes(), &tag).unwrap();

        // Truncation keeps the leftmost bytes and still verifies.
        let n = 4 + trunc % (tag.len() - 3);
        let short = tag.truncate(n).unwrap();
        prop_assert_eq!(short.as_bytes(), &tag.as_bytes()[..n]);
        verify_mac(key.mac_key(), &params.with_mac_len(n), &data, short.as_bytes()).unwrap();
        let direct = generate(key.mac_key(), &params.with_mac_len(n), &data).unwrap();
        prop_assert_eq!(direct.as_bytes(), short.as_bytes());

        // Any flipped bit in the tag fails with the one uniform error.
        let mut bad = tag.as_bytes().to_vec();
        let b = bit % (bad.len() * 8);
        bad[b / 8] ^= 1 << (b % 8);
        prop_assert_eq!(verify_mac(key.mac_key(), &params, &data, &bad), Err(Error::Verification));
        prop_assert_eq!(verify(&bad, &tag), Err(Error::Verification));

        // Any flipped bit in the data fails.
        if !data.is_empty() {
            let mut d = data.clone();
            let b = bit % (d.len() * 8);
            d[b / 8] ^= 1 << (b % 8);
            prop_assert_eq!(
                verify_mac(key.mac_key(), &params, &d, tag.as_bytes()),
                Err(Error::Verification)
            );
        }
    }
}
