//! Property tests: TLV encode → decode, cryptogram generate → verify, the ARPC of a verified
//! ARQC, no panic on arbitrary input.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use paycrypt_emv::tlv::{self, Content, Node, Tag};
use paycrypt_emv::{
    Ac, AcInput, ArpcMethod, ArpcResponse, CryptogramVersion, Error, IccMasterKey, detect_iad,
    generate, hazmat, verify_arqc,
};
use proptest::prelude::*;

/// A valid tag: 1 byte (low bits not 11111), or 2–3 bytes; never the padding bytes 00/FF.
fn tag(constructed: bool) -> impl Strategy<Value = Tag> {
    let first = any::<u8>().prop_map(move |b| {
        let b = if constructed { b | 0x20 } else { b & !0x20 };
        if b == 0x00 || b == 0xFF {
            if constructed { 0x70 } else { 0x5A }
        } else {
            b
        }
    });
    (first, 1usize..=3, any::<[u8; 2]>()).prop_map(move |(f, n, rest)| {
        let mut bytes = vec![];
        if n == 1 {
            let f = if f & 0x1F == 0x1F { f & !0x01 } else { f };
            bytes.push(if f == 0x00 { 0x5A } else { f });
        } else {
            let b0 = (f | 0x1F) & if constructed { 0xFF } else { !0x20 };
            bytes.push(if b0 == 0xFF { 0xBF } else { b0 });
            if n == 2 {
                bytes.push(rest[0] & 0x7F);
            } else {
                bytes.push(rest[0] | 0x80);
                bytes.push(rest[1] & 0x7F);
            }
        }
        Tag::from_bytes(&bytes).unwrap()
    })
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = (tag(false), prop::collection::vec(any::<u8>(), 0..300))
        .prop_map(|(t, v)| Node::primitive(t, v));
    leaf.prop_recursive(4, 40, 5, |inner| {
        (tag(true), prop::collection::vec(inner, 0..5)).prop_map(|(t, c)| Node {
            tag: t,
            content: Content::Constructed(c),
        })
    })
}

proptest! {
    #[test]
    fn tlv_encode_decode_round_trip(nodes in prop::collection::vec(node(), 1..4)) {
        let enc = tlv::encode(&nodes).unwrap();
        let dec = tlv::decode_tree(&enc).unwrap();
        prop_assert_eq!(&dec, &nodes);
        prop_assert_eq!(tlv::encode(&dec).unwrap(), enc);
    }

    #[test]
    fn tlv_decoders_never_panic(data in prop::collection::vec(any::<u8>(), 0..200)) {
        let v = tlv::validate(&data);
        let t = tlv::decode_tree(&data);
        prop_assert_eq!(v.is_ok(), t.is_ok());
        let _ = tlv::find(&data, Tag::two(0x9F, 0x10));
        let _ = tlv::dol_build(&data, &data);
        let _ = detect_iad(&data);
        let _ = AcInput::from_tlv(CryptogramVersion::Visa18, &data);
    }

    #[test]
    fn dol_build_length_is_the_sum(entries in prop::collection::vec((tag(false), 0u8..40), 0..10),
                                   value in prop::collection::vec(any::<u8>(), 0..50)) {
        let mut dol = vec![];
        let mut tl = vec![];
        for (t, n) in &entries {
            dol.extend_from_slice(t.as_bytes());
            dol.push(*n);
        }
        if let Some((t, _)) = entries.first() {
            tl = tlv::encode(&[Node::primitive(*t, value.clone())]).unwrap();
        }
        let total: usize = entries.iter().map(|(_, n)| usize::from(*n)).sum();
        prop_assert_eq!(tlv::dol_build(&dol, &tl).unwrap().len(), total);
    }

    #[test]
    fn generate_then_verify_and_arpc(
        p in 0usize..7,
        key in any::<[u8; 16]>(),
        data in prop::collection::vec(any::<u8>(), 0..200),
        atc in any::<[u8; 2]>(),
        un in any::<[u8; 4]>(),
        arc in any::<[u8; 2]>(),
        csu in any::<[u8; 4]>(),
        pad in prop::collection::vec(any::<u8>(), 0..=8),
        flip in 0usize..64,
    ) {
        let profile = CryptogramVersion::ALL[p];
        let params = profile.ac_params();
        let mk = IccMasterKey::<Ac>::from_bytes(&key).unwrap();
        let input = AcInput::raw(&data, atc, Some(un)).unwrap();
        let ac = generate(&params, &mk, &input).unwrap();
        let verified = verify_arqc(&params, &mk, &input, &ac.0).unwrap();
        prop_assert_eq!(verified.arqc(), ac.0);
        let response = match verified.method() {
            ArpcMethod::Method1 => ArpcResponse::Method1 { arc },
            ArpcMethod::Method2 => ArpcResponse::Method2 { csu, pad: &pad },
        };
        let arpc = verified.arpc(&response).unwrap();
        let spec = profile.spec();
        let key = hazmat::arpc_key(spec.arpc_key, spec.ac_key, &mk, atc, Some(un)).unwrap();
        prop_assert_eq!(hazmat::arpc_unverified(&key, ac.0, &response).unwrap(), arpc);
        let mut bad = ac.0;
        bad[flip / 8] ^= 1 << (flip % 8);
        prop_assert_eq!(verify_arqc(&params, &mk, &input, &bad).unwrap_err(), Error::ArqcVerification);
    }
}
