//! Property tests: wrap→unwrap, header parse→encode identity, any flipped character fails,
//! translation, key components.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_keyblock::{
    Algorithm, BlockId, ClearKey, Error, Exportability, Kbpk, KeyBlockHeader, KeyUsage, KeyVersion,
    ModeOfUse, OptionalBlock, PbFill, Profile, Version, WrapOptions, combine_components,
    split_components, translate, unwrap, wrap,
};
use paycrypt_mac::KcvMethod;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::ReplayRng;
use proptest::prelude::*;

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        Just(Version::A),
        Just(Version::B),
        Just(Version::C),
        Just(Version::D),
        Just(Version::E),
    ]
}

fn kbpk_for(v: Version, seed: &[u8], len_sel: usize) -> Kbpk {
    let lens: &[usize] = if v.is_aes() { &[16, 24, 32] } else { &[16, 24] };
    let len = lens[len_sel % lens.len()];
    Kbpk::for_version(v, &seed[..len]).unwrap()
}

fn printable(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0x20u8..0x7F, 0..max).prop_map(|v| String::from_utf8(v).unwrap())
}

/// Optional blocks with distinct ids: label, KS, TS, a proprietary id and an extended LB.
fn blocks() -> impl Strategy<Value = Vec<OptionalBlock>> {
    (
        proptest::option::of(printable(40)),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 10)),
        any::<bool>(),
        proptest::option::of(printable(20)),
        proptest::option::of(printable(400)),
    )
        .prop_map(|(lb, ks, ts, prop, long)| {
            let mut v = Vec::new();
            if let Some(l) = lb {
                v.push(OptionalBlock::new(BlockId::LB, &l).unwrap());
            }
            if let Some(k) = ks {
                let hex = paycrypt_primitives::hex::encode_upper(&k);
                v.push(OptionalBlock::new(BlockId::KS, &hex).unwrap());
            }
            if ts {
                v.push(OptionalBlock::new(BlockId::TS, "20200818221218Z").unwrap());
            }
            if let Some(p) = prop {
                v.push(OptionalBlock::new(BlockId::from_code(*b"10"), &p).unwrap());
            }
            if let Some(l) = long {
                v.push(OptionalBlock::new(BlockId::from_code(*b"ZZ"), &l).unwrap());
            }
            v
        })
}

fn key_for(alg_sel: usize, bytes: &[u8]) -> (Algorithm, ClearKey) {
    match alg_sel % 6 {
        0 => (Algorithm::Tdes, ClearKey::new(&bytes[..16])),
        1 => (Algorithm::Tdes, ClearKey::new(&bytes[..24])),
        2 => (Algorithm::Aes, ClearKey::new(&bytes[..16])),
        3 => (Algorithm::Aes, ClearKey::new(&bytes[..24])),
        4 => (Algorithm::Aes, ClearKey::new(&bytes[..32])),
        // An HMAC key of odd length (block padding only).
        _ => (Algorithm::Hmac, ClearKey::new(&bytes[..(alg_sel % 40) + 1])),
    }
}

fn header(v: Version, alg: Algorithm, blocks: Vec<OptionalBlock>) -> KeyBlockHeader {
    let mut h = KeyBlockHeader::new(
        v,
        KeyUsage::K0,
        alg,
        ModeOfUse::EncryptDecrypt,
        KeyVersion::Version(*b"07"),
        Exportability::Exportable,
    );
    for b in blocks {
        h.push_block(b).unwrap();
    }
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn wrap_then_unwrap(
        v in version(),
        seed in proptest::collection::vec(any::<u8>(), 32),
        len_sel in 0usize..3,
        alg_sel in 0usize..60,
        key_bytes in proptest::collection::vec(any::<u8>(), 48),
        blocks in blocks(),
        obfuscate in any::<bool>(),
        zeros in any::<bool>(),
        random in proptest::collection::vec(any::<u8>(), 512),
    ) {
        let kbpk = kbpk_for(v, &seed, len_sel);
        let (alg, key) = key_for(alg_sel, &key_bytes);
        let h = header(v, alg, blocks);
        let opts = WrapOptions {
            profile: Profile::Interop,
            obfuscate,
            pb_fill: if zeros { PbFill::Zeros } else { PbFill::Random },
            version: None,
        };
        let text = wrap(&kbpk, &h, &key, &opts, &mut ReplayRng::new(&random)).unwrap();
        prop_assert_eq!(text.len(), text[1..5].parse::<usize>().unwrap());
        let u = unwrap(&kbpk, &text, Profile::Interop).unwrap();
        prop_assert_eq!(u.key(), &key);
        // Attributes and block order kept; a PB may have been appended.
        let got: Vec<_> = u.header().optional_blocks().iter().filter(|b| b.id() != BlockId::PB).cloned().collect();
        prop_assert_eq!(got.as_slice(), h.optional_blocks());
        prop_assert_eq!(u.header().key_usage(), KeyUsage::K0);
        prop_assert!(u.header().is_aligned());
        // Also under the lenient profile.
        prop_assert!(unwrap(&kbpk, &text, Profile::Lenient).is_ok());
    }

    #[test]
    fn any_flipped_character_fails(
        v in version(),
        seed in proptest::collection::vec(any::<u8>(), 32),
        key_bytes in proptest::collection::vec(any::<u8>(), 48),
        blocks in blocks(),
        pos_sel in any::<usize>(),
        new_char in 0x20u8..0x7F,
        random in proptest::collection::vec(any::<u8>(), 512),
    ) {
        let kbpk = kbpk_for(v, &seed, 0);
        let alg = if v.is_aes() { Algorithm::Aes } else { Algorithm::Tdes };
        let h = header(v, alg, blocks);
        let key = ClearKey::new(&key_bytes[..16]);
        let opts = WrapOptions::with_profile(Profile::Interop);
        let text = wrap(&kbpk, &h, &key, &opts, &mut ReplayRng::new(&random)).unwrap();
        let pos = pos_sel % text.len();
        let mut b = text.clone().into_bytes();
        prop_assume!(b[pos] != new_char);
        b[pos] = new_char;
        let tampered = String::from_utf8(b).unwrap();
        for p in [Profile::Interop, Profile::X9_143, Profile::Tr31_2018, Profile::Iso20038] {
            prop_assert!(unwrap(&kbpk, &tampered, p).is_err(), "{} {}", pos, tampered);
        }
    }

    /// Whatever wrap writes under a profile, unwrap accepts under the same profile (X9.143
    /// §6.2–§6.3 rules): headers from a mix of standard codes, unknown codes and characters outside
    /// the X9.143 alphabet, optional blocks (KC of the key included), keys of any length.
    #[test]
    fn what_wrap_writes_under_a_profile_unwrap_accepts(
        v in version(),
        seed in proptest::collection::vec(any::<u8>(), 32),
        len_sel in 0usize..3,
        fields in proptest::collection::vec(
            prop_oneof![
                Just(b'0'), Just(b'1'), Just(b'B'), Just(b'D'), Just(b'E'), Just(b'K'),
                Just(b'M'), Just(b'N'), Just(b'P'), Just(b'A'), Just(b'T'), Just(b'X'),
                Just(b'c'), Just(b'*'), Just(b'_'), Just(b'a'), Just(b' ')
            ],
            10,
        ),
        blocks in blocks(),
        kc in any::<bool>(),
        key_len in prop_oneof![Just(8usize), Just(15), Just(16), Just(24), Just(32)],
        key_bytes in proptest::collection::vec(any::<u8>(), 32),
        profile_sel in 0usize..5,
    ) {
        let profile = Profile::ALL[profile_sel];
        let kbpk = kbpk_for(v, &seed, len_sel);
        // usage(2) algorithm mode version(2) exportability context reserved; the length and
        // block count come from the header itself.
        let f = String::from_utf8(fields).unwrap();
        let t = format!("{v}0000{}00{}", &f[..7], &f[7..9]);
        let Ok(mut h) = KeyBlockHeader::parse_with(&t, Profile::Lenient) else {
            return Ok(());
        };
        let key = ClearKey::new(&key_bytes[..key_len]);
        for b in blocks {
            h.push_block(b).unwrap();
        }
        if kc && let Ok(b) = paycrypt_keyblock::kc_block(&key, h.algorithm()) {
            h.push_block(b).unwrap();
        }
        let mut rng = ReplayRng::new(&[0x42; 256]);
        if let Ok(text) = wrap(&kbpk, &h, &key, &WrapOptions::with_profile(profile), &mut rng) {
            let u = unwrap(&kbpk, &text, profile);
            prop_assert!(u.is_ok(), "{profile}: {text}: {u:?}");
            let u = u.unwrap();
            prop_assert_eq!(u.key(), &key);
        }
    }

    #[test]
    fn header_parse_encode_identity(
        version in prop_oneof![Just(b'A'), Just(b'B'), Just(b'C'), Just(b'D'), Just(b'E'), b'0'..=b'9'],
        len in 0u16..10000,
        fields in proptest::collection::vec(0x20u8..0x7F, 9),
        data in proptest::collection::vec((0usize..20, printable(300), any::<bool>()), 0..6),
    ) {
        let mut t = String::new();
        t.push(char::from(version));
        t.push_str(&format!("{len:04}"));
        let f = String::from_utf8(fields).unwrap();
        t.push_str(&f[..7]);
        t.push_str(&format!("{:02}", data.len()));
        t.push_str(&f[7..9]);
        let ids = ["LB", "KS", "TS", "10", "ZZ", "HM", "PK", "KC", "CT", "DA", "FL", "IK", "KP", "KV", "WP", "TC", "AL", "BI", "99", "X1"];
        let mut used = Vec::new();
        for (i, d, ext) in &data {
            let id = ids[*i];
            if used.contains(&id) { return Ok(()); }
            used.push(id);
            if *ext || d.len() + 4 > 255 {
                t.push_str(&format!("{id}0004{:04X}{d}", d.len() + 10));
            } else {
                t.push_str(&format!("{id}{:02X}{d}", d.len() + 4));
            }
        }
        let h = KeyBlockHeader::parse_with(&t, Profile::Lenient).unwrap();
        prop_assert_eq!(h.to_string(), t.clone());
        prop_assert_eq!(h.encoded_len(), t.len());
        prop_assert_eq!(h.optional_blocks().len(), data.len());
        // Interop takes the same header exactly when its fixed fields are in the X9.143
        // alphabet (upper-case letters and digits, `c` in the key version's first place).
        let alphabet = t.bytes().enumerate().take(16).skip(5).all(|(i, b)| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || (i == 9 && b == b'c')
        });
        match KeyBlockHeader::parse(&t) {
            Ok(interop) => {
                prop_assert!(alphabet);
                prop_assert_eq!(interop, h);
            }
            Err(e) => {
                prop_assert!(!alphabet);
                prop_assert!(matches!(e, Error::InvalidField { .. }), "{e:?}");
            }
        }
    }

    #[test]
    fn translation_keeps_key_and_attributes(
        from_v in version(),
        to_v in version(),
        seed1 in proptest::collection::vec(any::<u8>(), 32),
        seed2 in proptest::collection::vec(any::<u8>(), 32),
        key_bytes in proptest::collection::vec(any::<u8>(), 24),
        random in proptest::collection::vec(any::<u8>(), 256),
    ) {
        let from = kbpk_for(from_v, &seed1, 1);
        let to = kbpk_for(to_v, &seed2, 0);
        let mut h = header(from_v, Algorithm::Tdes, vec![
            OptionalBlock::new(BlockId::LB, "label").unwrap(),
        ]);
        h.push_block(OptionalBlock::check_value(BlockId::KP, KcvMethod::Cmac, from.key()).unwrap()).unwrap();
        let key = ClearKey::new(&key_bytes);
        let mut rng = ReplayRng::new(&random);
        let interop = WrapOptions::with_profile(Profile::Interop);
        let text = wrap(&from, &h, &key, &interop, &mut rng).unwrap();
        let opts = WrapOptions { version: Some(to_v), ..interop };
        let out = translate(&from, &text, Profile::Interop, &to, &opts, &mut rng).unwrap();
        let u = unwrap(&to, &out, Profile::Interop).unwrap();
        prop_assert_eq!(u.key(), &key);
        prop_assert_eq!(u.header().version(), to_v);
        prop_assert_eq!(u.header().optional_block(BlockId::LB).unwrap().data(), "label");
        prop_assert_eq!(u.header().optional_block(BlockId::KP), Some(&OptionalBlock::check_value(BlockId::KP, KcvMethod::Cmac, to.key()).unwrap()));
        prop_assert_eq!(u.header().key_version(), KeyVersion::Version(*b"07"));
        // The old KBPK no longer opens it.
        prop_assert!(unwrap(&from, &out, Profile::Interop).is_err());
    }

    #[test]
    fn components_split_and_combine(
        alg_sel in 0usize..5,
        count in 2usize..=3,
        key_bytes in proptest::collection::vec(any::<u8>(), 32),
        random in proptest::collection::vec(any::<u8>(), 64),
    ) {
        let alg = [KeyAlgorithm::Tdes2, KeyAlgorithm::Tdes3, KeyAlgorithm::Aes128, KeyAlgorithm::Aes192, KeyAlgorithm::Aes256][alg_sel];
        let key = SymmetricKey::new(alg, &key_bytes[..alg.key_len()]).unwrap();
        let parts = split_components(&key, count, &mut ReplayRng::new(&random)).unwrap();
        prop_assert_eq!(parts.len(), count);
        for (i, p) in parts.iter().enumerate() {
            prop_assert_eq!(usize::from(p.number()), i + 1);
            let kcv = p.kcv().unwrap();
            prop_assert_eq!(kcv.as_bytes().len(), if alg.is_aes() { 5 } else { 3 });
        }
        prop_assert_eq!(combine_components(&parts).unwrap(), key);
    }
}

#[test]
fn component_key_blocks_carry_the_component_number() {
    let kbpk = Kbpk::tdes(&[0x21; 16]).unwrap();
    let key = SymmetricKey::new(KeyAlgorithm::Tdes2, &[0x5C; 16]).unwrap();
    let parts = split_components(&key, 3, &mut ReplayRng::new(&[0x17; 32])).unwrap();
    let mut rng = ReplayRng::new(&[0x99; 128]);
    let mut received = Vec::new();
    for p in &parts {
        let mut h = header(Version::B, Algorithm::Tdes, vec![]);
        h.set_key_version(KeyVersion::Component(p.number()));
        let text = wrap(
            &kbpk,
            &h,
            &ClearKey::from(p.key()),
            &WrapOptions::default(),
            &mut rng,
        )
        .unwrap();
        assert_eq!(&text[9..11], format!("c{}", p.number()));
        let u = unwrap(&kbpk, &text, Profile::X9_143).unwrap();
        assert_eq!(u.header().key_version().component(), Some(p.number()));
        let k = u.key().to_symmetric_key(Algorithm::Tdes).unwrap();
        received.push(paycrypt_keyblock::KeyComponent::new(p.number(), k));
    }
    assert_eq!(combine_components(&received).unwrap(), key);
}

#[test]
fn translation_changes_version_with_the_kbpk_type() {
    let from = Kbpk::tdes(&[0x21; 24]).unwrap();
    let to = Kbpk::aes(&[0x42; 32]).unwrap();
    let h = header(Version::B, Algorithm::Tdes, vec![]);
    let key = ClearKey::new(&[0x5C; 16]);
    let mut rng = ReplayRng::new(&[0x99; 128]);
    let text = wrap(&from, &h, &key, &WrapOptions::default(), &mut rng).unwrap();
    let out = translate(
        &from,
        &text,
        Profile::X9_143,
        &to,
        &WrapOptions::default(),
        &mut rng,
    )
    .unwrap();
    assert!(out.starts_with('D'));
    assert_eq!(unwrap(&to, &out, Profile::X9_143).unwrap().key(), &key);
    // Wrong source KBPK: uniform failure, nothing produced.
    let e = translate(
        &to_tdes(),
        &text,
        Profile::X9_143,
        &to,
        &WrapOptions::default(),
        &mut rng,
    )
    .unwrap_err();
    assert_eq!(e, Error::AuthenticationFailed);
}

fn to_tdes() -> Kbpk {
    Kbpk::tdes(&[0x77; 16]).unwrap()
}

#[test]
fn default_wrap_obfuscates_and_adds_pb() {
    let kbpk = Kbpk::aes(&[0x42; 32]).unwrap();
    let h = header(
        Version::D,
        Algorithm::Aes,
        vec![OptionalBlock::new(BlockId::KS, "00604B120F9292800000").unwrap()],
    );
    let mut h2 = h.clone();
    h2.set_key_usage(KeyUsage::B0);
    h2.set_mode_of_use(ModeOfUse::Derive);
    let key = ClearKey::new(&[0x5C; 16]);
    let mut rng = ReplayRng::new(&[0x41; 256]);
    let opts = WrapOptions::with_profile(Profile::Interop);
    let text = wrap(&kbpk, &h, &key, &opts, &mut rng).unwrap();
    // 16 + 24 (KS) + 8 (PB04 + 4 chars) = 48; payload 2 + 32 (obfuscated) + 14 = 48 bytes.
    assert_eq!(text.len(), 48 + 96 + 32);
    assert!(text[40..48].starts_with("PB08"));
    let text = wrap(
        &kbpk,
        &h,
        &key,
        &WrapOptions {
            obfuscate: false,
            pb_fill: PbFill::Zeros,
            ..opts
        },
        &mut rng,
    )
    .unwrap();
    assert_eq!(&text[40..48], "PB080000");
    assert_eq!(text.len(), 48 + 64 + 32);
}
