//! One negative test per error variant (X9.143 §6.2–§7 structure and procedure).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use hex_literal::hex;
use paycrypt_keyblock::{
    Algorithm, BlockId, ClearKey, Error, Exportability, Field, Kbpk, KeyBlock, KeyBlockHeader,
    KeyComponent, KeyUsage, KeyVersion, ModeOfUse, OptionalBlock, PbFill, Profile, UnwrapOptions,
    Version, WrapOptions, combine_components, inspect, split_components, unwrap, wrap,
    wrap_with_padding,
};
use paycrypt_primitives::ErrorClass;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::ReplayRng;

/// TR-31:2018 A.7.2.2 (version B).
const B_KBPK: [u8; 16] = hex_literal::hex!("DD7515F2BFC17F85CE48F3CA25CB21F6");
const B_BLOCK: &str =
    "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
/// TR-31:2018 A.7.4 (version D).
const D_KBPK: [u8; 32] =
    hex_literal::hex!("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6");
const D_BLOCK: &str = "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34";

fn b_kbpk() -> Kbpk {
    Kbpk::tdes(&B_KBPK).unwrap()
}

fn d_kbpk() -> Kbpk {
    Kbpk::aes(&D_KBPK).unwrap()
}

fn err(kbpk: &Kbpk, text: &str) -> Error {
    unwrap(kbpk, text, Profile::default()).unwrap_err()
}

/// Wraps `key` under the TDES KBPK with the interop profile, expecting an error.
fn wrap_err(header: &KeyBlockHeader, key: &ClearKey) -> Error {
    wrap(
        &b_kbpk(),
        header,
        key,
        &WrapOptions::with_profile(Profile::Interop),
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err()
}

/// Replaces the length field with the actual length.
fn fix_len(text: &str) -> String {
    format!("{}{:04}{}", &text[..1], text.len(), &text[5..])
}

fn tdes_header() -> KeyBlockHeader {
    KeyBlockHeader::new(
        Version::B,
        KeyUsage::P0,
        Algorithm::Tdes,
        ModeOfUse::EncryptOnly,
        KeyVersion::Unused,
        Exportability::Exportable,
    )
}

#[test]
fn invalid_character() {
    let t = B_BLOCK.replacen("P0TE", "P0T\u{7}", 1);
    assert_eq!(err(&b_kbpk(), &t), Error::InvalidCharacter { position: 8 });
    let t = "B0000P0TE00E0100KS08A\u{1}CD";
    assert!(matches!(
        KeyBlockHeader::parse(t).unwrap_err(),
        Error::InvalidCharacter { position: 21 }
    ));
}

#[test]
fn truncated() {
    assert_eq!(err(&b_kbpk(), "B0080P0"), Error::Truncated { position: 7 });
    assert_eq!(err(&b_kbpk(), ""), Error::Truncated { position: 0 });
}

#[test]
fn too_long() {
    let t = "B".repeat(10_000);
    assert_eq!(err(&b_kbpk(), &t), Error::TooLong { length: 10_000 });
    let mut h = tdes_header();
    assert_eq!(h.set_length(10_000), Err(Error::TooLong { length: 10_000 }));
    // A key too big for 9999 characters.
    let key = ClearKey::new(&[1; 5000]);
    h.set_algorithm(Algorithm::Rsa);
    h.set_key_usage(KeyUsage::S0);
    h.set_mode_of_use(ModeOfUse::SignOnly);
    let e = wrap_err(&h, &key);
    assert!(matches!(e, Error::TooLong { .. }));
}

#[test]
fn unknown_version() {
    let t = B_BLOCK.replacen('B', "F", 1);
    assert_eq!(err(&b_kbpk(), &t), Error::UnknownVersion { found: b'F' });
    let t = B_BLOCK.replacen('B', "b", 1);
    assert_eq!(err(&b_kbpk(), &t), Error::UnknownVersion { found: b'b' });
    assert!(
        Error::UnknownVersion { found: 0 }
            .to_string()
            .contains("0x00")
    );
}

#[test]
fn unsupported_version() {
    // TR-31:2018 A.7.2.1 with the version replaced by the proprietary digit 7 (4-byte MACs,
    // like A): the layout parses, the crypto is unknown.
    let a = "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701";
    let t = a.replacen('A', "7", 1);
    let e = unwrap(&b_kbpk(), &t, Profile::Lenient).unwrap_err();
    assert_eq!(
        e,
        Error::UnsupportedVersion {
            version: Version::Proprietary(b'7')
        }
    );
    let mut h = tdes_header();
    h.set_version(Version::Proprietary(b'1'));
    let e = wrap_err(&h, &ClearKey::new(&[1; 16]));
    assert!(matches!(e, Error::UnsupportedVersion { .. }));
}

#[test]
fn invalid_field() {
    let t = B_BLOCK.replacen("0080", "00A0", 1);
    assert_eq!(
        err(&b_kbpk(), &t),
        Error::InvalidField {
            field: Field::Length,
            position: 1
        }
    );
    let t = "B0000P0TE00E0X00";
    assert_eq!(
        KeyBlockHeader::parse(t).unwrap_err(),
        Error::InvalidField {
            field: Field::BlockCount,
            position: 12
        }
    );
    // Reserved position under X9.143.
    let t = B_BLOCK.replacen("E0000", "E0001", 1);
    assert_eq!(
        unwrap(&b_kbpk(), &t, Profile::X9_143).unwrap_err(),
        Error::InvalidField {
            field: Field::Reserved,
            position: 15
        }
    );
    assert!(Field::KeyContext.to_string().contains("context"));
}

#[test]
fn invalid_combination() {
    let t = B_BLOCK.replacen("P0TE", "P0TC", 1);
    assert_eq!(
        unwrap(&b_kbpk(), &t, Profile::X9_143).unwrap_err(),
        Error::InvalidCombination {
            field: Field::ModeOfUse
        }
    );
    // The structural default does not judge combinations: the MAC decides.
    assert_eq!(err(&b_kbpk(), &t), Error::AuthenticationFailed);
}

#[test]
fn length_field_mismatch() {
    let t = &B_BLOCK[..B_BLOCK.len() - 2];
    assert_eq!(
        err(&b_kbpk(), t),
        Error::LengthMismatch {
            declared: 80,
            actual: 78
        }
    );
}

#[test]
fn optional_block_length_and_id() {
    let t = fix_len(&format!("B0000P0TE00E0100KS03{}", &B_BLOCK[16..]));
    assert!(matches!(
        err(&b_kbpk(), &t),
        Error::OptionalBlockLength { position: 16 }
    ));
    // Extended length with NN = 02: lenient only.
    let h = "B0000P0TE00E0100LB0002000C00";
    assert!(matches!(
        KeyBlockHeader::parse(h).unwrap_err(),
        Error::OptionalBlockLength { position: 16 }
    ));
    assert!(KeyBlockHeader::parse_with(h, Profile::Lenient).is_ok());
    // Lower-case short length.
    let h = "B0000P0TE00E0100LB0cABCDEFGH";
    assert!(KeyBlockHeader::parse(h).is_err());
    assert!(KeyBlockHeader::parse_with(h, Profile::Lenient).is_ok());
    let h = "B0000P0TE00E0100K#08ABCD";
    assert_eq!(
        KeyBlockHeader::parse(h).unwrap_err(),
        Error::OptionalBlockId { position: 16 }
    );
}

#[test]
fn optional_block_data_and_not_allowed() {
    let h = "B0000P0TE00E0100TS082020";
    assert_eq!(
        KeyBlockHeader::parse_with(h, Profile::X9_143).unwrap_err(),
        Error::OptionalBlockData {
            id: BlockId::TS,
            position: 16
        }
    );
    let h = "D0000B0AX00N0100KS1800604B120F9292800000";
    assert_eq!(
        KeyBlockHeader::parse_with(h, Profile::X9_143).unwrap_err(),
        Error::OptionalBlockNotAllowed {
            id: BlockId::KS,
            position: 16
        }
    );
    assert!(KeyBlockHeader::parse_with(h, Profile::Lenient).is_ok());
}

#[test]
fn duplicate_ids() {
    let h = "B0000P0TE00E0200LB08ABCDLB08EFGH";
    assert_eq!(
        KeyBlockHeader::parse(h).unwrap_err(),
        Error::DuplicateBlock {
            id: BlockId::LB,
            position: 24
        }
    );
    let lenient = KeyBlockHeader::parse_with(h, Profile::Lenient).unwrap();
    assert_eq!(lenient.duplicate_ids(), vec![BlockId::LB]);
    assert_eq!(lenient.to_string(), h);
}

#[test]
fn padding_block_not_last() {
    let h = "B0000P0TE00E0200PB04LB08ABCD";
    assert_eq!(
        KeyBlockHeader::parse(h).unwrap_err(),
        Error::PaddingBlockNotLast { position: 16 }
    );
}

#[test]
fn too_many_blocks() {
    let mut h = tdes_header();
    for i in 0..99u8 {
        let id = BlockId::from_code([b'0' + i / 10, b'0' + i % 10]);
        h.push_block(OptionalBlock::new(id, "").unwrap()).unwrap();
    }
    let e = h
        .push_block(OptionalBlock::new(BlockId::LB, "x").unwrap())
        .unwrap_err();
    assert_eq!(e, Error::TooManyBlocks);
}

#[test]
fn misaligned_optional_blocks() {
    // A KS block of 12 characters: 16 + 12 = 28, not a multiple of 8.
    let t = fix_len(&format!("B0000P0TE00E0100KS0C01234567{}", &B_BLOCK[16..]));
    assert_eq!(
        err(&b_kbpk(), &t),
        Error::Misaligned {
            length: 28,
            block_size: 8
        }
    );
    // Wrap refuses a header whose PB does not align it.
    let h = KeyBlockHeader::parse("B0000P0TE00E0100PB05X").unwrap();
    let e = wrap(
        &b_kbpk(),
        &h,
        &ClearKey::new(&[1; 16]),
        &WrapOptions::default(),
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err();
    assert!(matches!(e, Error::Misaligned { .. }));
    assert!(h.check_alignment().is_err());
}

#[test]
fn trailing_data_after_header() {
    assert_eq!(
        KeyBlockHeader::parse("B0000P0TE00E0000ABCD").unwrap_err(),
        Error::TrailingData { position: 16 }
    );
}

#[test]
fn non_hex_and_lower_case_payload() {
    let mut t = B_BLOCK.to_string();
    t.replace_range(20..21, "G");
    assert_eq!(err(&b_kbpk(), &t), Error::InvalidPayload { position: 20 });
    let lower = format!("{}{}", &B_BLOCK[..16], B_BLOCK[16..].to_lowercase());
    assert_eq!(
        err(&b_kbpk(), &lower),
        Error::InvalidPayload { position: 18 }
    );
    // Lenient accepts lower-case hex.
    assert!(unwrap(&b_kbpk(), &lower, Profile::Lenient).is_ok());
}

#[test]
fn short_mac_and_payload_length() {
    // MAC truncated by two characters, length field fixed.
    let t = fix_len(&B_BLOCK[..B_BLOCK.len() - 2]);
    assert!(matches!(err(&b_kbpk(), &t), Error::PayloadLength { .. }));
    // Only a MAC.
    let t = fix_len(&format!("{}{}", &B_BLOCK[..16], "0123456789ABCDEF"));
    assert!(matches!(err(&b_kbpk(), &t), Error::PayloadLength { .. }));
    // Odd number of hex digits.
    let t = fix_len(&format!("{}0", &B_BLOCK));
    assert!(matches!(err(&b_kbpk(), &t), Error::PayloadLength { .. }));
    // Short MAC for D.
    let t = fix_len(&D_BLOCK[..D_BLOCK.len() - 8]);
    assert!(matches!(err(&d_kbpk(), &t), Error::PayloadLength { .. }));
    assert!(matches!(
        KeyBlock::parse(&t, Profile::Lenient),
        Err(Error::PayloadLength { .. })
    ));
}

#[test]
fn kbpk_for_the_version() {
    let e = err(&d_kbpk(), B_BLOCK);
    assert_eq!(
        e,
        Error::InvalidKbpk {
            version: Version::B,
            algorithm: Some(KeyAlgorithm::Aes256),
            length: 32
        }
    );
    assert!(e.to_string().contains("D, E"), "{e}");
    assert_eq!(e.class(), ErrorClass::Malformed);
    let e = err(&b_kbpk(), D_BLOCK);
    assert!(e.to_string().contains("A, B, C"), "{e}");
    let e = Kbpk::for_version(Version::A, &[0; 20]).unwrap_err();
    assert!(e.to_string().contains("TDES KBPK of 16 or 24 bytes"), "{e}");
    let e = Kbpk::for_version(Version::E, &[0; 8]).unwrap_err();
    assert!(e.to_string().contains("AES KBPK"), "{e}");
    // Wrap also checks it.
    let mut h = tdes_header();
    h.set_version(Version::D);
    let e = wrap(
        &b_kbpk(),
        &h,
        &ClearKey::new(&[1; 16]),
        &WrapOptions::default(),
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidKbpk { .. }));
}

#[test]
fn key_length_for_the_algorithm_on_wrap() {
    let e = wrap(
        &b_kbpk(),
        &tdes_header(),
        &ClearKey::new(&[1; 15]),
        &WrapOptions::default(),
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::KeyLength {
            algorithm: Algorithm::Tdes,
            length: 15
        }
    );
    let e = ClearKey::new(&[1; 15])
        .to_symmetric_key(Algorithm::Aes)
        .unwrap_err();
    assert!(matches!(e, Error::KeyLength { .. }));
    // Lenient wraps it, the default profile refuses it after authenticating.
    let t = wrap(
        &b_kbpk(),
        &tdes_header(),
        &ClearKey::new(&[1; 15]),
        &WrapOptions::with_profile(Profile::Lenient),
        &mut ReplayRng::new(&[0; 64]),
    )
    .unwrap();
    // After authentication the error names the rule (exit 1, not the opaque failure).
    let e = err(&b_kbpk(), &t);
    assert_eq!(
        e,
        Error::KeyLengthNotAllowed {
            algorithm: Algorithm::Tdes,
            length: 15
        }
    );
    assert!(e != Error::AuthenticationFailed && e.class() != ErrorClass::Malformed);
    assert_eq!(
        unwrap(&b_kbpk(), &t, Profile::Lenient).unwrap().key().len(),
        15
    );
}

#[test]
fn padding_length() {
    let key = ClearKey::new(&[1; 16]);
    let opts = WrapOptions::default();
    let e = wrap_with_padding(
        &b_kbpk(),
        &tdes_header(),
        &key,
        &[0; 5],
        &opts,
        &mut ReplayRng::new(&[]),
    )
    .unwrap_err();
    assert_eq!(e, Error::PaddingLength { length: 5 });
    let mut h = tdes_header();
    h.set_version(Version::E);
    h.set_algorithm(Algorithm::Aes);
    let e = wrap_with_padding(
        &d_kbpk(),
        &h,
        &key,
        &[0; 14],
        &WrapOptions::with_profile(Profile::Iso20038),
        &mut ReplayRng::new(&[]),
    )
    .unwrap_err();
    assert_eq!(e, Error::PaddingLength { length: 14 });
}

#[test]
fn components_errors() {
    let key = SymmetricKey::new(KeyAlgorithm::Tdes2, &[5; 16]).unwrap();
    let e = split_components(&key, 4, &mut ReplayRng::new(&[0; 64])).unwrap_err();
    assert_eq!(e, Error::Components);
    let a = KeyComponent::new(1, key.clone());
    let b = KeyComponent::new(
        2,
        SymmetricKey::new(KeyAlgorithm::Aes128, &[5; 16]).unwrap(),
    );
    assert_eq!(combine_components(&[a.clone(), b]), Err(Error::Components));
    assert_eq!(combine_components(&[a]), Err(Error::Components));
}

#[test]
fn authentication_failure_is_uniform() {
    // Wrong KBPK, flipped MAC: same error, same message.
    let wrong = Kbpk::tdes(&[0x5A; 16]).unwrap();
    let e1 = err(&wrong, B_BLOCK);
    let mut t = B_BLOCK.to_string();
    t.replace_range(79..80, "F");
    let e2 = err(&b_kbpk(), &t);
    assert_eq!(e1, Error::AuthenticationFailed);
    assert_eq!(e1, e2);
    assert_eq!(e1.to_string(), e2.to_string());
    assert_eq!(e1, Error::AuthenticationFailed);
}

#[test]
fn rng_failure() {
    let e = wrap(
        &b_kbpk(),
        &tdes_header(),
        &ClearKey::new(&[1; 16]),
        &WrapOptions::default(),
        &mut ReplayRng::new(&[0; 3]),
    )
    .unwrap_err();
    assert_eq!(e, Error::Rng);
    // PB fill from the random source.
    let h = KeyBlockHeader::parse("B0000P0TE00E0100LB05X").unwrap();
    let e = wrap_with_padding(
        &b_kbpk(),
        &h,
        &ClearKey::new(&[1; 16]),
        &[0; 6],
        &WrapOptions {
            pb_fill: PbFill::Random,
            ..WrapOptions::default()
        },
        &mut ReplayRng::new(&[]),
    )
    .unwrap_err();
    assert_eq!(e, Error::Rng);
}

#[test]
fn wrapped_lower_layer_errors_display() {
    let p: Error = paycrypt_primitives::Error::HexOddLength.into();
    assert!(matches!(p, Error::Primitives(_)));
    assert!(!p.to_string().is_empty());
    let m: Error = paycrypt_mac::Error::Verification.into();
    assert!(matches!(m, Error::Mac(_)));
    assert!(!m.to_string().is_empty());
    // A DES key cannot be a KBPK.
    let des = SymmetricKey::new(KeyAlgorithm::Des, &[1; 8]).unwrap();
    assert!(matches!(Kbpk::new(des), Err(Error::InvalidKbpk { .. })));
}

#[test]
fn inspect_header_or_block() {
    let h = inspect(
        "C0096B0TX12S0100KS1800604B120F9292800000",
        Profile::default(),
    )
    .unwrap();
    assert!(matches!(h, paycrypt_keyblock::Inspection::Header(_)));
    let k = inspect(B_BLOCK, Profile::default()).unwrap();
    assert!(matches!(k, paycrypt_keyblock::Inspection::KeyBlock(_)));
    assert_eq!(k.header().key_usage(), KeyUsage::P0);
    assert!(inspect(&B_BLOCK[..60], Profile::default()).is_err());
}

#[test]
fn kcv_blocks_checked_on_request() {
    use paycrypt_mac::KcvMethod;
    let kbpk = d_kbpk();
    let key = ClearKey::new(&[0x3C; 16]);
    let sym = key.to_symmetric_key(Algorithm::Aes).unwrap();
    let mut h = KeyBlockHeader::new(
        Version::D,
        KeyUsage::P0,
        Algorithm::Aes,
        ModeOfUse::EncryptOnly,
        KeyVersion::Unused,
        Exportability::Exportable,
    );
    h.push_block(OptionalBlock::check_value(BlockId::KC, KcvMethod::Cmac, &sym).unwrap())
        .unwrap();
    h.push_block(OptionalBlock::check_value(BlockId::KP, KcvMethod::Legacy, kbpk.key()).unwrap())
        .unwrap();
    let mut rng = ReplayRng::new(&[0x55; 128]);
    let text = wrap(&kbpk, &h, &key, &WrapOptions::default(), &mut rng).unwrap();
    let u = unwrap(&kbpk, &text, Profile::X9_143).unwrap();
    u.check_kcv_blocks(&kbpk).unwrap();
    // Every block is checked by unwrap itself, and a KC block can be required.
    assert!(
        KeyBlock::parse(&text, Profile::X9_143)
            .unwrap()
            .unwrap_with(
                &kbpk,
                &UnwrapOptions::with_profile(Profile::X9_143).requiring_kc()
            )
            .is_ok()
    );
    let mut no_kc = h.clone();
    no_kc.remove_blocks(BlockId::KC);
    let plain = wrap(&kbpk, &no_kc, &key, &WrapOptions::default(), &mut rng).unwrap();
    let parsed = KeyBlock::parse(&plain, Profile::X9_143).unwrap();
    assert!(parsed.unwrap(&kbpk, Profile::X9_143).is_ok());
    let e = parsed
        .unwrap_with(&kbpk, &UnwrapOptions::default().requiring_kc())
        .unwrap_err();
    assert_eq!(e, Error::KcBlockRequired);
    assert_eq!(e.class(), ErrorClass::Rejected);
    // Wrap refuses a KC computed from another key, and a KP of another KBPK.
    let other = ClearKey::new(&[0x3D; 16])
        .to_symmetric_key(Algorithm::Aes)
        .unwrap();
    let mut h2 = no_kc.clone();
    h2.push_block(OptionalBlock::check_value(BlockId::KC, KcvMethod::Cmac, &other).unwrap())
        .unwrap();
    let e = wrap(&kbpk, &h2, &key, &WrapOptions::default(), &mut rng).unwrap_err();
    assert_eq!(e, Error::KcvMismatch { id: BlockId::KC });
    assert_eq!(e.class(), ErrorClass::Rejected);
    let e = wrap(
        &Kbpk::aes(&[9; 32]).unwrap(),
        &h,
        &key,
        &WrapOptions::default(),
        &mut rng,
    )
    .unwrap_err();
    assert_eq!(e, Error::KcvMismatch { id: BlockId::KP });
    assert!(e.to_string().contains("KP"));
    // kc_block: legacy for TDES, CMAC for AES; the unwrapped key reports the same KCV.
    let kc = paycrypt_keyblock::kc_block(&key, Algorithm::Aes).unwrap();
    assert_eq!(kc.as_str(), h.optional_block(BlockId::KC).unwrap().as_str());
    assert_eq!(
        u.kcv().unwrap().to_string(),
        &kc.data()[2..],
        "Unwrapped::kcv uses the KC block's method"
    );
    let tdes = ClearKey::new(&hex!("0123456789ABCDEFFEDCBA9876543210"));
    assert_eq!(
        paycrypt_keyblock::kc_block(&tdes, Algorithm::Tdes)
            .unwrap()
            .as_str(),
        "KC0C0008D7B4"
    );
}

#[test]
fn wrap_refuses_leniently_parsed_structure() {
    let key = ClearKey::new(&[1; 16]);
    for h in [
        "B0000P0TE00E0200LB08ABCDLB08EFGH",
        "B0000P0TE00E0200PB04LB08ABCD",
        "B0000P0TE00E0100LB0002000C00",
    ] {
        let header = KeyBlockHeader::parse_with(h, Profile::Lenient).unwrap();
        let e = wrap_err(&header, &key);
        assert_eq!(e.class(), ErrorClass::Malformed, "{h}: {e:?}");
        assert!(header.validate(Profile::Interop).is_err());
        assert!(header.validate(Profile::Lenient).is_ok());
    }
}
