//! What paycrypt builds is strict DER CMS in every layout (issue 13 item 5): each token built
//! without the Annex B quirks re-encodes identically under a strict DER re-encoder (X.690 §10:
//! definite, minimal lengths; §11.6: SET OF components sorted), its signed attributes are a
//! sorted SET OF, its RSAES-OAEP parameters are the RFC 4055 form and its SignedData version is
//! the one RFC 5652 §5.1 requires. The quirks build (explicit request) is shown to differ.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::OsRng;
use paycrypt_tr34::*;

/// One TLV parsed strictly: (tag, contents, total length). Panics on anything BER allows but
/// DER does not: indefinite length, non-minimal length octets, high tag numbers.
fn strict_tlv(input: &[u8]) -> Result<(u8, &[u8], usize), String> {
    let [tag, first, rest @ ..] = input else {
        return Err("truncated TLV".into());
    };
    if tag & 0x1F == 0x1F {
        return Err("high tag number".into());
    }
    let (len, hdr) = match *first {
        0x80 => return Err("indefinite length".into()),
        l if l < 0x80 => (usize::from(l), 2),
        l => {
            let n = usize::from(l & 0x7F);
            let octets = rest.get(..n).ok_or("truncated length")?;
            if octets.first() == Some(&0) {
                return Err("length with a leading zero octet".into());
            }
            let len = octets.iter().fold(0usize, |a, &b| a << 8 | usize::from(b));
            if len < 0x80 {
                return Err("long-form length under 128".into());
            }
            (len, 2 + n)
        }
    };
    let contents = input.get(hdr..hdr + len).ok_or("contents past the end")?;
    Ok((*tag, contents, hdr + len))
}

/// Re-encodes `input` (a sequence of TLVs) the DER way: constructed values recursively, every
/// universal SET's components sorted (X.690 §11.6), minimal definite lengths.
fn der_reencode(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, contents, used) = strict_tlv(rest)?;
        let body = if tag & 0x20 != 0 {
            let mut items = Vec::new();
            let mut r = contents;
            while !r.is_empty() {
                let (_, _, n) = strict_tlv(r)?;
                items.push(der_reencode(&r[..n])?);
                r = &r[n..];
            }
            if tag == 0x31 {
                items.sort();
            }
            items.concat()
        } else {
            contents.to_vec()
        };
        out.extend(tlv(tag, &body));
        rest = &rest[used..];
    }
    Ok(out)
}

fn keys() -> Vec<(SymmetricKey, KeyHeader)> {
    vec![
        (
            SymmetricKey::new(KeyAlgorithm::Tdes2, &[0x11; 16]).unwrap(),
            KeyHeader::parse("A0256K0TB00E0000").unwrap(),
        ),
        (
            SymmetricKey::new(KeyAlgorithm::Tdes3, &[0x22; 24]).unwrap(),
            KeyHeader::parse("B0000K0TB00E0000").unwrap(),
        ),
        (
            SymmetricKey::new(KeyAlgorithm::Aes128, &[0x33; 16]).unwrap(),
            KeyHeader::parse("D0000K0AB00E0000").unwrap(),
        ),
    ]
}

#[test]
fn tokens_built_in_every_layout_are_strict_der() {
    let (kdh_key, kdh, krd) = (key("kdh_1"), cert("kdh_1"), cert("krd_1"));
    let c = crl();
    let nonce8 = [0xA5; 8];
    let nonce16 = [0x5A; 16];
    let mut checked = 0;
    for profile in [
        Layout::AwsX9Tr34_2012,
        Layout::X9Tr34_2019AnnexB,
        Layout::Rfc5652,
    ] {
        for (k, header) in keys() {
            for transport in [
                Pass::TwoPass { nonce: &nonce8[..] },
                Pass::TwoPass {
                    nonce: &nonce16[..],
                },
                Pass::OnePass {
                    signing_time: AT - core::time::Duration::from_secs(60),
                },
            ] {
                for with_crl in [false, true] {
                    if with_crl && profile == Layout::AwsX9Tr34_2012 {
                        continue;
                    }
                    let mut b = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, profile);
                    if with_crl {
                        b = b.crl(&c);
                    }
                    let der = b.build(&k, &header, transport, &mut OsRng).unwrap();
                    let what = format!("{profile:?} {header} {transport:?} crl={with_crl}");
                    // For the independent check in CI (tests/interop/check_strict_der.py):
                    // the tokens are written where PAYCRYPT_TR34_DER_OUT says, if set.
                    if let Some(dir) = std::env::var_os("PAYCRYPT_TR34_DER_OUT") {
                        let name = format!("{}-{header}-{checked}.der", profile.name());
                        std::fs::write(std::path::Path::new(&dir).join(name), &der).unwrap();
                    }
                    // The whole token, and the EnvelopedData inside eContent (its fields with
                    // or without their SEQUENCE header), re-encode byte for byte.
                    assert_eq!(der_reencode(&der).unwrap(), der, "{what}");
                    let token = KeyToken::from_der(&der).unwrap();
                    let econtent = token.econtent();
                    assert_eq!(der_reencode(econtent).unwrap(), econtent, "{what}");
                    // The signed attributes (signed as a SET OF) are DER-sorted.
                    let attrs = token.signed_attributes_der();
                    assert_eq!(der_reencode(&attrs).unwrap(), attrs, "{what}");
                    let layout = token.layout();
                    assert!(layout.attributes_der_sorted, "{what}");
                    // RFC 4055 / RFC 8017 A.2.1 OAEP parameters, whatever the nonce length.
                    assert_eq!(layout.oaep_params, OaepParamsForm::Tagged, "{what}");
                    // RFC 5652 §5.1: eContentType id-envelopedData → version 3.
                    assert_eq!(layout.version, 3, "{what}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 45);
}

#[test]
fn annex_b_quirks_only_on_request() {
    let (kdh_key, kdh, krd) = (key("kdh_1"), cert("kdh_1"), cert("krd_1"));
    let (k, header) = keys().remove(0);
    let der = KeyTokenBuilder::new(&kdh_key, &kdh, &krd, Layout::X9Tr34_2019AnnexB)
        .annex_b_quirks()
        .build(
            &k,
            &header,
            Pass::TwoPass { nonce: &[0x5A; 16] },
            &mut OsRng,
        )
        .unwrap();
    let token = KeyToken::from_der(&der).unwrap();
    let layout = token.layout();
    assert!(!layout.attributes_der_sorted);
    assert_eq!(layout.oaep_params, OaepParamsForm::Untagged);
    assert_eq!(layout.version, 1);
    let attrs = token.signed_attributes_der();
    assert_ne!(der_reencode(&attrs).unwrap(), attrs);
}

#[test]
fn the_reencoder_is_strict() {
    // Indefinite and non-minimal lengths, unsorted SET.
    assert!(der_reencode(&[0x30, 0x80, 0, 0]).is_err());
    assert!(der_reencode(&[0x04, 0x81, 0x01, 0xAA]).is_err());
    assert!(der_reencode(&[0x04, 0x82, 0x00, 0x81]).is_err());
    let unsorted = [0x31, 0x06, 0x04, 0x01, 0x02, 0x04, 0x01, 0x01];
    assert_ne!(der_reencode(&unsorted).unwrap(), unsorted);
    let sorted = [0x31, 0x06, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02];
    assert_eq!(der_reencode(&sorted).unwrap(), sorted);
}
