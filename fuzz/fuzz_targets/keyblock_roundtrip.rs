//! wrap→unwrap round trip for arbitrary versions, KBPKs, keys, header fields and optional
//! blocks: whatever wraps unwraps to the same key and header attributes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use paycrypt_keyblock::{
    Algorithm, BlockId, ClearKey, Exportability, KeyBlockHeader, KeyUsage, KeyVersion, Kbpk,
    ModeOfUse, OptionalBlock, PbFill, Profile, Version, WrapOptions, unwrap, wrap,
};
use paycrypt_primitives::rng::ReplayRng;

#[derive(Debug, Arbitrary)]
struct Input {
    version: u8,
    kbpk: [u8; 32],
    kbpk_len: u8,
    key: Vec<u8>,
    usage: [u8; 2],
    algorithm: u8,
    mode: u8,
    key_version: [u8; 2],
    blocks: Vec<([u8; 2], String)>,
    obfuscate: bool,
    zeros: bool,
    random: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let version = [Version::A, Version::B, Version::C, Version::D, Version::E]
        [usize::from(input.version % 5)];
    let lens: &[usize] = if version.is_aes() { &[16, 24, 32] } else { &[16, 24] };
    let len = lens[usize::from(input.kbpk_len) % lens.len()];
    let Ok(kbpk) = Kbpk::for_version(version, &input.kbpk[..len]) else {
        return;
    };
    let printable = |b: u8| (0x20..0x7F).contains(&b);
    if !input.usage.iter().chain(&input.key_version).all(|b| printable(*b))
        || !printable(input.algorithm)
        || !printable(input.mode)
    {
        return;
    }
    let mut header = KeyBlockHeader::new(
        version,
        KeyUsage::from_code(input.usage),
        Algorithm::from_code([input.algorithm]),
        ModeOfUse::from_code([input.mode]),
        KeyVersion::from_code(input.key_version),
        Exportability::Exportable,
    );
    for (id, data) in &input.blocks {
        let id = BlockId::from_code(*id);
        if id == BlockId::PB {
            continue;
        }
        let Ok(b) = OptionalBlock::new(id, data) else {
            continue;
        };
        if header.push_block(b).is_err() {
            break;
        }
    }
    let key = ClearKey::new(&input.key);
    let opts = WrapOptions {
        profile: Profile::Lenient,
        obfuscate: input.obfuscate,
        pb_fill: if input.zeros { PbFill::Zeros } else { PbFill::Random },
        version: None,
    };
    let Ok(text) = wrap(&kbpk, &header, &key, &opts, &mut ReplayRng::new(&input.random)) else {
        return;
    };
    let u = unwrap(&kbpk, &text, Profile::Lenient).expect("a wrapped block unwraps");
    assert_eq!(u.key(), &key);
    assert_eq!(u.header().key_usage(), header.key_usage());
    assert_eq!(u.header().key_version(), header.key_version());
    let blocks: Vec<_> = u
        .header()
        .optional_blocks()
        .iter()
        .filter(|b| b.id() != BlockId::PB)
        .collect();
    assert_eq!(blocks.len(), header.optional_blocks().len());
    for (a, b) in blocks.iter().zip(header.optional_blocks()) {
        assert_eq!(*a, b);
    }
});
