//! Property tests: wrap → unwrap for KW / KWP / TKW, both ECDH sides derive one KBPK, and a
//! key block built under it opens on the other side.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_kex::ecdh::{self, Derivation, EcPrivateKey};
use paycrypt_kex::kdf::{Hash, Kdf};
use paycrypt_kex::policy::{KeyType, SecurityStrength};
use paycrypt_kex::wrap::{self, Algorithm, Kek};
use paycrypt_kex::{Curve, Error};
use paycrypt_keyblock::{ClearKey, KeyBlockHeader, Profile, WrapOptions};
use paycrypt_primitives::rng::ReplayRng;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn kw_round_trip(kek in prop::sample::select(vec![16usize, 24, 32]), seed: [u8; 32], n in 2usize..40, flip in any::<prop::sample::Index>()) {
        let kek = Kek::new(Algorithm::AesKw, &seed[..kek]).unwrap();
        let key: Vec<u8> = (0..n * 8).map(|i| seed[i % 32] ^ i as u8).collect();
        let c = wrap::wrap(&kek, &key).unwrap();
        prop_assert_eq!(c.len(), key.len() + 8);
        prop_assert_eq!(&*wrap::unwrap(&kek, &c).unwrap(), &key[..]);
        let mut t = c.clone();
        t[flip.index(c.len())] ^= 0x40;
        prop_assert_eq!(wrap::unwrap(&kek, &t).unwrap_err(), Error::IntegrityCheckFailed);
    }

    #[test]
    fn kwp_round_trip(seed: [u8; 32], key in prop::collection::vec(any::<u8>(), 1..200), flip in any::<prop::sample::Index>()) {
        let kek = Kek::new(Algorithm::AesKwp, &seed).unwrap();
        let c = wrap::wrap(&kek, &key).unwrap();
        prop_assert_eq!(c.len(), key.len().div_ceil(8) * 8 + 8);
        prop_assert_eq!(&*wrap::unwrap(&kek, &c).unwrap(), &key[..]);
        let mut t = c.clone();
        t[flip.index(c.len())] ^= 0x01;
        prop_assert_eq!(wrap::unwrap(&kek, &t).unwrap_err(), Error::IntegrityCheckFailed);
    }

    #[test]
    fn tkw_round_trip(k in any::<[u8; 24]>(), n in 2usize..30, flip in any::<prop::sample::Index>()) {
        prop_assume!(k[..8] != k[8..16] && k[8..16] != k[16..]);
        let kek = Kek::new(Algorithm::TdesKw, &k).unwrap();
        let key: Vec<u8> = (0..n * 4).map(|i| k[i % 24].wrapping_mul(i as u8)).collect();
        let c = wrap::wrap(&kek, &key).unwrap();
        prop_assert_eq!(c.len(), key.len() + 4);
        prop_assert_eq!(&*wrap::unwrap(&kek, &c).unwrap(), &key[..]);
        let mut t = c.clone();
        t[flip.index(c.len())] ^= 0x80;
        prop_assert_eq!(wrap::unwrap(&kek, &t).unwrap_err(), Error::IntegrityCheckFailed);
    }

    #[test]
    fn ecdh_both_sides_one_kbpk(
        curve in prop::sample::select(vec![Curve::P256, Curve::P384, Curve::P521]),
        da: [u8; 31], db: [u8; 31],
        info in prop::collection::vec(1u8.., 1..64),
        kdf in prop::sample::select(vec![Kdf::Concat, Kdf::X963]),
        hash in prop::sample::select(vec![Hash::Sha256, Hash::Sha384, Hash::Sha512]),
        kt in prop::sample::select(KeyType::ALL.to_vec()),
        key_seed: [u8; 32],
    ) {
        prop_assume!(da.iter().any(|&b| b != 0) && db.iter().any(|&b| b != 0));
        prop_assume!(curve.strength() >= kt.strength());
        let a = EcPrivateKey::from_scalar(curve, &da).unwrap();
        let b = EcPrivateKey::from_scalar(curve, &db).unwrap();
        let d = Derivation { kdf, hash, shared_info: &info, kbpk_type: kt };
        let ka = ecdh::derive_kbpk(&a, &b.public_key(), &d).unwrap();
        let kb = ecdh::derive_kbpk(&b, &a.public_key(), &d).unwrap();
        prop_assert_eq!(ka.expose_bytes(), kb.expose_bytes());
        prop_assert_eq!(ka.kcv(), kb.kcv());
        // A key block from one side opens on the other.
        let (hdr, key) = if kt.is_tdes() {
            ("B0000B1TX00N0000", &key_seed[..16])
        } else {
            ("D0000B1AX00N0000", &key_seed[..16])
        };
        let header = KeyBlockHeader::parse(hdr).unwrap();
        let block = ecdh::wrap_key_block(&a, &b.public_key(), &d, &header, &ClearKey::new(key), None,
            &WrapOptions::with_profile(Profile::Interop), &mut ReplayRng::new(&[0x11; 64])).unwrap();
        let (u, _) = ecdh::unwrap_key_block(&b, &a.public_key(), &d, &block, Profile::Interop).unwrap();
        prop_assert_eq!(u.key().expose_bytes(), key);
    }
}
