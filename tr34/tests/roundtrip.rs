//! Round trips for every layout × key type × pass mode, and the KRD-side negative tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::type_complexity
)]

mod common;
use common::*;
use core::time::Duration;
use paycrypt_primitives::key::{KeyAlgorithm, SymmetricKey};
use paycrypt_primitives::rng::{OsRng, ReplayRng};
use paycrypt_tr34::*;
use proptest::prelude::*;

const PROFILES: [Layout; 3] = [
    Layout::AwsX9Tr34_2012,
    Layout::X9Tr34_2019AnnexB,
    Layout::Rfc5652,
];
const SIGNED_AT: Duration = Duration::from_secs(1_800_000_000);

fn keys() -> Vec<(SymmetricKey, KeyHeader)> {
    vec![
        (
            SymmetricKey::new(
                KeyAlgorithm::Tdes2,
                &hex("0123456789ABCDEFFEDCBA9876543210"),
            )
            .unwrap(),
            KeyHeader::parse("A0256K0TB00E0000").unwrap(),
        ),
        (
            SymmetricKey::new(
                KeyAlgorithm::Tdes3,
                &hex("0123456789ABCDEFFEDCBA987654321089ABCDEF01234567"),
            )
            .unwrap(),
            KeyHeader::parse("B0000K0TB00E0000").unwrap(),
        ),
        (
            SymmetricKey::new(
                KeyAlgorithm::Aes128,
                &hex("00112233445566778899AABBCCDDEEFF"),
            )
            .unwrap(),
            KeyHeader::parse("D0000K0AB00E0000").unwrap(),
        ),
    ]
}

struct Pki {
    kdh_key: SoftwareRsaKey,
    kdh: Certificate,
    krd_key: SoftwareRsaKey,
    krd: Certificate,
    anchors: Vec<Certificate>,
}

fn pki() -> Pki {
    Pki {
        kdh_key: key("kdh_1"),
        kdh: cert("kdh_1"),
        krd_key: key("krd_1"),
        krd: cert("krd_1"),
        anchors: vec![cert("ca_kdh")],
    }
}

impl Pki {
    fn trust(&self) -> KdhTrust<'_> {
        KdhTrust {
            kdh_certificate: &self.kdh,
            anchors: &self.anchors,
            crls: &[],
            at: AT,
        }
    }
    fn build(
        &self,
        profile: Layout,
        key: &SymmetricKey,
        header: &KeyHeader,
        transport: Pass<&[u8], Duration>,
    ) -> Vec<u8> {
        self.build_with(profile, false, key, header, transport)
    }
    fn build_with(
        &self,
        profile: Layout,
        quirks: bool,
        key: &SymmetricKey,
        header: &KeyHeader,
        transport: Pass<&[u8], Duration>,
    ) -> Vec<u8> {
        let b = KeyTokenBuilder::new(&self.kdh_key, &self.kdh, &self.krd, profile);
        let b = if quirks { b.annex_b_quirks() } else { b };
        b.build(key, header, transport, &mut OsRng).unwrap()
    }
    fn open(&self, der: &[u8], fresh: Pass<&[u8], Option<Duration>>) -> Result<OpenedKey, Error> {
        KeyToken::from_der(der)?.open(
            &Krd::new(&self.krd_key).with_certificate(&self.krd),
            &self.trust(),
            fresh,
        )
    }
}

#[test]
fn every_layout_key_type_and_pass_mode_round_trips() {
    let p = pki();
    let nonce8 = hex("0102030405060708");
    let nonce16 = hex("000102030405060708090A0B0C0D0E0F");
    let mut n = 0;
    for (profile, quirks) in PROFILES.into_iter().flat_map(|p| [(p, false), (p, true)]) {
        for (key, header) in keys() {
            for transport in [
                Pass::TwoPass { nonce: &nonce8[..] },
                Pass::TwoPass {
                    nonce: &nonce16[..],
                },
                Pass::OnePass {
                    signing_time: SIGNED_AT,
                },
            ] {
                let der = p.build_with(profile, quirks, &key, &header, transport);
                let fresh = match transport {
                    Pass::TwoPass { nonce } => Pass::TwoPass { nonce },
                    _ => Pass::OnePass {
                        signing_time: Some(SIGNED_AT),
                    },
                };
                let opened = p
                    .open(&der, fresh)
                    .unwrap_or_else(|e| panic!("{profile:?} {header}: {e}"));
                assert_eq!(opened.key, key);
                assert_eq!(&opened.header, &header);
                // Strict by default: DER-sorted attributes, RFC 4055 OAEP parameters and
                // SignedData version 3 in every layout (so a strict x9-2019 build has the
                // rfc5652 form); the Annex B quirks only on request.
                let detected = match (profile, quirks) {
                    (Layout::X9Tr34_2019AnnexB, false) => Layout::Rfc5652,
                    (Layout::Rfc5652, true) => Layout::X9Tr34_2019AnnexB,
                    _ => profile,
                };
                assert_eq!(opened.layout.layout(), Some(detected));
                let sorted_expected =
                    !quirks || !matches!(transport, Pass::TwoPass { nonce } if nonce.len() == 16);
                assert_eq!(
                    opened.layout.attributes_der_sorted, sorted_expected,
                    "{profile:?}"
                );
                assert_eq!(opened.layout.version, if quirks { 1 } else { 3 });
                assert_eq!(
                    opened.layout.oaep_params,
                    if quirks {
                        OaepParamsForm::Untagged
                    } else {
                        OaepParamsForm::Tagged
                    }
                );
                // the hex form round-trips too
                let hexed = hex_form::encode(&der).unwrap();
                assert_eq!(
                    KeyToken::from_der_or_hex(hexed.as_bytes())
                        .unwrap()
                        .layout(),
                    &opened.layout
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, 54);
}

#[test]
fn aes_over_rsa_3072_and_recipient_without_certificate() {
    let p = pki();
    let krd2 = cert("krd_2_rsa3072");
    let krd2_key = key("krd_2_rsa3072");
    let (key, header) = keys().pop().unwrap();
    let der = KeyTokenBuilder::new(&p.kdh_key, &p.kdh, &krd2, Layout::Rfc5652)
        .build(&key, &header, Pass::TwoPass { nonce: &[7; 8] }, &mut OsRng)
        .unwrap();
    let t = KeyToken::from_der(&der).unwrap();
    let opened = t
        .open(
            &Krd::new(&krd2_key),
            &p.trust(),
            Pass::TwoPass { nonce: &[7; 8] },
        )
        .unwrap();
    assert_eq!(opened.key, key);
    // wrong KRD key
    assert_eq!(
        t.open(
            &Krd::new(&p.krd_key),
            &p.trust(),
            Pass::TwoPass { nonce: &[7; 8] }
        )
        .unwrap_err(),
        Error::Rejected
    );
    // KRD certificate that is not a recipient
    assert_eq!(
        t.open(
            &Krd::new(&krd2_key).with_certificate(&p.krd),
            &p.trust(),
            Pass::TwoPass { nonce: &[7; 8] }
        )
        .unwrap_err(),
        Error::Rejected
    );
}

#[test]
fn negative_freshness_trust_and_keys() {
    let p = pki();
    let (key, header) = keys().remove(0);
    let nonce = hex("1122334455667788");
    let two = p.build(
        Layout::AwsX9Tr34_2012,
        &key,
        &header,
        Pass::TwoPass { nonce: &nonce },
    );
    let one = p.build(
        Layout::X9Tr34_2019AnnexB,
        &key,
        &header,
        Pass::OnePass {
            signing_time: SIGNED_AT,
        },
    );
    let rejected = |r: Result<OpenedKey, Error>| assert_eq!(r.unwrap_err(), Error::Rejected);
    // wrong nonce, nonce of another length, time for a nonce token
    rejected(p.open(
        &two,
        Pass::TwoPass {
            nonce: &hex("1122334455667789"),
        },
    ));
    rejected(p.open(
        &two,
        Pass::TwoPass {
            nonce: &hex("112233445566778800"),
        },
    ));
    rejected(p.open(&two, Pass::OnePass { signing_time: None }));
    // stale time; nonce for a one-pass token
    rejected(p.open(
        &one,
        Pass::OnePass {
            signing_time: Some(SIGNED_AT + Duration::from_secs(1)),
        },
    ));
    rejected(p.open(&one, Pass::TwoPass { nonce: &nonce }));
    assert!(p.open(&one, Pass::OnePass { signing_time: None }).is_ok());
    // wrong KRD key
    let krd_other = common::key("krd_2_rsa3072");
    rejected(KeyToken::from_der(&two).unwrap().open(
        &Krd::new(&krd_other),
        &p.trust(),
        Pass::TwoPass { nonce: &nonce },
    ));
    // untrusted KDH certificate: the KRD CA as anchor; KDH certificate of someone else
    let wrong_anchor = [cert("ca_krd")];
    let t = KeyToken::from_der(&two).unwrap();
    let krd = Krd::new(&p.krd_key);
    rejected(t.open(
        &krd,
        &KdhTrust {
            anchors: &wrong_anchor,
            ..p.trust()
        },
        Pass::TwoPass { nonce: &nonce },
    ));
    let not_kdh = cert("krd_1");
    rejected(t.open(
        &krd,
        &KdhTrust {
            kdh_certificate: &not_kdh,
            anchors: &[],
            ..p.trust()
        },
        Pass::TwoPass { nonce: &nonce },
    ));
    // outside validity
    rejected(t.open(
        &krd,
        &KdhTrust {
            at: Duration::from_secs(1_700_000_000),
            ..p.trust()
        },
        Pass::TwoPass { nonce: &nonce },
    ));
    // revoked: CRL given by the KRD, or carried in the token
    let revoked =
        Crl::from_pem_or_der(&data("test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem")).unwrap();
    let crls = [revoked.clone()];
    rejected(t.open(
        &krd,
        &KdhTrust {
            crls: &crls,
            ..p.trust()
        },
        Pass::TwoPass { nonce: &nonce },
    ));
    let with_crl = KeyTokenBuilder::new(&p.kdh_key, &p.kdh, &p.krd, Layout::X9Tr34_2019AnnexB)
        .crl(&revoked)
        .build(&key, &header, Pass::TwoPass { nonce: &nonce }, &mut OsRng)
        .unwrap();
    rejected(p.open(&with_crl, Pass::TwoPass { nonce: &nonce }));
    // the empty CRL is fine; a CRL by an unknown issuer is not
    let ok = KeyTokenBuilder::new(&p.kdh_key, &p.kdh, &p.krd, Layout::X9Tr34_2019AnnexB)
        .crl(&crl())
        .build(&key, &header, Pass::TwoPass { nonce: &nonce }, &mut OsRng)
        .unwrap();
    assert!(p.open(&ok, Pass::TwoPass { nonce: &nonce }).is_ok());
    let only_krd_anchor = [cert("ca_kdh"), cert("ca_krd")];
    assert!(
        KeyToken::from_der(&ok)
            .unwrap()
            .open(
                &krd,
                &KdhTrust {
                    anchors: &only_krd_anchor,
                    ..p.trust()
                },
                Pass::TwoPass { nonce: &nonce }
            )
            .is_ok()
    );
}

#[test]
fn build_input_errors() {
    let p = pki();
    let (tdes, tdes_header) = keys().remove(0);
    let (aes, aes_header) = keys().pop().unwrap();
    let b = KeyTokenBuilder::new(&p.kdh_key, &p.kdh, &p.krd, Layout::AwsX9Tr34_2012);
    let two = Pass::TwoPass {
        nonce: &[1u8; 8][..],
    };
    let invalid =
        |r: Result<Vec<u8>, Error>| assert!(matches!(r.unwrap_err(), Error::InvalidInput { .. }));
    invalid(b.build(&tdes, &aes_header, two, &mut OsRng));
    invalid(b.build(&aes, &tdes_header, two, &mut OsRng));
    let aes256 = SymmetricKey::new(KeyAlgorithm::Aes256, &[9; 32]).unwrap();
    invalid(b.build(&aes256, &aes_header, two, &mut OsRng));
    invalid(b.build(
        &tdes,
        &tdes_header,
        Pass::TwoPass { nonce: &[1; 7] },
        &mut OsRng,
    ));
    invalid(b.build(
        &tdes,
        &tdes_header,
        Pass::TwoPass { nonce: &[1; 17] },
        &mut OsRng,
    ));
    let c = crl();
    invalid(
        b.clone()
            .crl(&c)
            .build(&tdes, &tdes_header, two, &mut OsRng),
    );
    // KRD certificate without keyEncipherment (the KDH certificate)
    invalid(
        KeyTokenBuilder::new(&p.kdh_key, &p.kdh, &p.kdh, Layout::Rfc5652).build(
            &tdes,
            &tdes_header,
            two,
            &mut OsRng,
        ),
    );
    // random source exhausted
    let mut short = ReplayRng::new(&[0; 10]);
    assert_eq!(
        b.build(&tdes, &tdes_header, two, &mut short).unwrap_err(),
        Error::Primitives(paycrypt_primitives::Error::Rng)
    );
    // signing time outside UTCTime
    invalid(b.build(
        &tdes,
        &tdes_header,
        Pass::OnePass {
            signing_time: Duration::from_secs(4_000_000_000),
        },
        &mut OsRng,
    ));
    assert!(KeyHeader::parse("short").is_err());
}

#[test]
fn parse_errors_are_distinguishable() {
    let e = KeyToken::from_der(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
    assert!(matches!(e, Error::Malformed { .. }) && e.class() == ErrorClass::Malformed);
    assert!(Error::Rejected.class() != ErrorClass::Malformed);
    assert!(hex_form::decode(b"30zz").unwrap_err().class() == ErrorClass::Malformed);
    assert!(hex_form::decode(b"3003").is_ok());
    assert!(hex_form::decode(b"30ab").is_err(), "lower case refused");
    assert_eq!(hex_form::decode_any_case(b"30ab\n").unwrap(), [0x30, 0xAB]);
    let lower = hex_form::encode(&data("tokens/aws2012_2pass_tdes.der"))
        .unwrap()
        .to_lowercase();
    assert!(KeyToken::from_der_or_hex(lower.as_bytes()).is_ok());
    assert!(matches!(
        hex_form::decode(&vec![b'0'; 4098]).unwrap_err(),
        Error::TooLong { .. }
    ));
    assert!(matches!(
        hex_form::encode(&[0; 2049]).unwrap_err(),
        Error::TooLong { .. }
    ));
    assert_eq!(
        Certificate::from_pem_or_der(b"-----BEGIN NOTHING-----\n").unwrap_err(),
        Error::Pem
    );
    assert_eq!(
        Certificate::from_pem_or_der(b"no pem here").unwrap_err(),
        Error::Pem
    );
    // PEM bundles and leading text
    let mut bundle = b"Certificate:\n    Data: ...\n".to_vec();
    bundle.extend(data("test-pki/certs/ca_kdh.cert.pem"));
    bundle.extend(data("test-pki/certs/root.cert.pem"));
    assert_eq!(
        Certificate::from_pem_or_der(&bundle).unwrap(),
        cert("ca_kdh")
    );
    assert_eq!(
        Certificate::from_pem_bundle(&bundle).unwrap(),
        vec![cert("ca_kdh"), cert("root")]
    );
    assert_eq!(
        Certificate::from_pem_bundle(cert("root").as_der()).unwrap(),
        vec![cert("root")]
    );
    // PKCS #1 PEM keys are accepted too (`krd_1.pkcs1.key.pem`: `openssl rsa -traditional` of
    // `krd_1.key.pem`, committed).
    let k =
        SoftwareRsaKey::from_pkcs8_pem_or_der(&data("test-pki/keys/krd_1.pkcs1.key.pem")).unwrap();
    assert_eq!(k.public_key(), *cert("krd_1").public_key());
    // DER keys, PKCS #8 and PKCS #1, through the same entry point.
    {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
        let pem = data("test-pki/keys/krd_1.key.pem");
        let rsa_key =
            rsa::RsaPrivateKey::from_pkcs8_pem(core::str::from_utf8(&pem).unwrap()).unwrap();
        let want = cert("krd_1").public_key().clone();
        let pkcs8 = rsa_key.to_pkcs8_der().unwrap();
        let k = SoftwareRsaKey::from_pkcs8_pem_or_der(pkcs8.as_bytes()).unwrap();
        assert_eq!(k.public_key(), want);
        let pkcs1 = rsa_key.to_pkcs1_der().unwrap();
        let k = SoftwareRsaKey::from_pkcs8_pem_or_der(pkcs1.as_bytes()).unwrap();
        assert_eq!(k.public_key(), want);
        assert_eq!(
            SoftwareRsaKey::from_pkcs8_pem_or_der(&[0x30, 0]).unwrap_err(),
            Error::RsaKey
        );
        assert_eq!(
            SoftwareRsaKey::from_pkcs8_pem_or_der(b"no PEM here").unwrap_err(),
            Error::Pem
        );
    }
    assert_eq!(Certificate::from_pem_bundle(b"").unwrap_err(), Error::Pem);
    let crl_pem = data("test-pki/certs/ca_kdh.crl.pem");
    assert_eq!(
        Certificate::from_pem_or_der(&crl_pem).unwrap_err(),
        Error::Pem
    );
    let cert_pem = data("test-pki/certs/kdh_1.cert.pem");
    assert_eq!(
        SoftwareRsaKey::from_pkcs8_pem_or_der(&cert_pem).unwrap_err(),
        Error::Pem
    );
    assert_eq!(
        SoftwareRsaKey::from_pkcs8_der(&[0x30, 0]).unwrap_err(),
        Error::RsaKey
    );
    // the RT-KRD is not a key token
    assert!(
        KeyToken::from_der(&data("tokens/x9_2019_2pass_tdes.rtkrd.der"))
            .unwrap_err()
            .class()
            == ErrorClass::Malformed
    );
    assert!(RandomNumberToken::from_der(&data("tokens/x9_2019_2pass_tdes.der")).is_err());
    assert!(RandomNumberToken::new(&[0; 7]).is_err());
    for e in [
        Error::Rejected,
        Error::Rsa,
        Error::RsaKey,
        Error::Pem,
        Error::InvalidInput { what: "x" },
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn other_tokens_round_trip() {
    let p = pki();
    let rt = RandomNumberToken::generate(&mut OsRng, 16).unwrap();
    assert_eq!(RandomNumberToken::from_der(&rt.to_der()).unwrap(), rt);
    assert!(RandomNumberToken::generate(&mut OsRng, 20).is_err());
    let ct = CredentialToken::new(p.krd.clone(), None);
    assert_eq!(CredentialToken::from_der(&ct.to_der(), false).unwrap(), ct);
    let ct = CredentialToken::new(p.kdh.clone(), Some(crl()));
    let back = CredentialToken::from_der(&ct.to_der(), false).unwrap();
    assert_eq!(back.crls().len(), 1);
    let ca_krd_key = key("ca_krd");
    let ca_krd = cert("ca_krd");
    let krd_id = p.krd.issuer_and_serial();
    let kdh_id = p.kdh.issuer_and_serial();
    let new_kdh = cert("kdh_1");
    let nonce = [5u8; 16];
    let cases: [(
        BindKind,
        &SoftwareRsaKey,
        &Certificate,
        Option<&IssuerAndSerialNumber>,
        Option<&Certificate>,
        Option<&[u8]>,
        Option<Duration>,
    ); 4] = [
        (
            BindKind::UnbindKdh,
            &p.kdh_key,
            &p.kdh,
            None,
            None,
            Some(&nonce),
            None,
        ),
        (
            BindKind::UnbindCa,
            &ca_krd_key,
            &ca_krd,
            Some(&kdh_id),
            None,
            None,
            None,
        ),
        (
            BindKind::RebindKdh,
            &p.kdh_key,
            &p.kdh,
            None,
            Some(&new_kdh),
            Some(&nonce),
            None,
        ),
        (
            BindKind::RebindCa,
            &ca_krd_key,
            &ca_krd,
            Some(&kdh_id),
            Some(&new_kdh),
            None,
            Some(SIGNED_AT),
        ),
    ];
    for (kind, k, c, kdh, newc, n, time) in cases {
        let der = BindToken::build(kind, k, c, &krd_id, kdh, newc, n, time, None).unwrap();
        let t = BindToken::from_der(&der).unwrap();
        assert_eq!(t.kind(), kind);
        assert_eq!(t.krd(), &krd_id);
        assert_eq!(t.kdh(), kdh);
        assert_eq!(t.new_kdh_certificate(), newc);
        assert_eq!(t.nonce(), n);
        assert_eq!(t.signing_time(), time);
        t.verify(c).unwrap();
        assert_eq!(t.verify(&p.krd), Err(Error::Rejected));
    }
    assert!(matches!(
        BindToken::build(
            BindKind::UnbindKdh,
            &p.kdh_key,
            &p.kdh,
            &krd_id,
            None,
            None,
            None,
            None,
            None
        )
        .unwrap_err(),
        Error::InvalidInput { .. }
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn random_keys_round_trip(bytes in proptest::array::uniform16(any::<u8>()), profile in 0usize..3, nonce in proptest::collection::vec(any::<u8>(), 8..=16)) {
        let p = pki();
        let key = SymmetricKey::new(KeyAlgorithm::Aes128, &bytes).unwrap();
        let header = KeyHeader::parse("D0000K0AB00E0000").unwrap();
        let der = p.build(PROFILES[profile], &key, &header, Pass::TwoPass { nonce: &nonce });
        let opened = p.open(&der, Pass::TwoPass { nonce: &nonce }).unwrap();
        prop_assert_eq!(opened.key, key);
    }
}

/// An "HSM" backend: the trait is implemented outside the crate. This one refuses to sign,
/// which must surface as [`Error::Rsa`] on the KDH side and as the opaque error on the KRD side.
#[derive(Debug)]
struct BrokenHsm(rsa::RsaPublicKey);

impl RsaPrivateKeyOps for BrokenHsm {
    fn public_key(&self) -> rsa::RsaPublicKey {
        self.0.clone()
    }
    fn sign_pkcs1v15_sha256(&self, _digest: &[u8; 32]) -> Result<Vec<u8>, Error> {
        Err(Error::Rsa)
    }
    fn decrypt_oaep_sha256(
        &self,
        _ciphertext: &[u8],
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
        Err(Error::Rejected)
    }
}

#[test]
fn rsa_backend_failures() {
    let p = pki();
    let hsm = BrokenHsm(p.kdh.public_key().clone());
    let (key, header) = keys().remove(0);
    let r = KeyTokenBuilder::new(&hsm, &p.kdh, &p.krd, Layout::Rfc5652).build(
        &key,
        &header,
        Pass::TwoPass { nonce: &[1; 8] },
        &mut OsRng,
    );
    assert_eq!(r.unwrap_err(), Error::Rsa);
    let der = p.build(
        Layout::Rfc5652,
        &key,
        &header,
        Pass::TwoPass { nonce: &[1; 8] },
    );
    let t = KeyToken::from_der(&der).unwrap();
    assert_eq!(
        t.open(
            &Krd::new(&hsm),
            &p.trust(),
            Pass::TwoPass { nonce: &[1; 8] }
        )
        .unwrap_err(),
        Error::Rejected
    );
    // the DER-sorted retry option does not change the outcome for a valid token
    let mut krd = Krd::new(&p.krd_key);
    krd.signature_input = SignatureInput::AsReceivedOrSorted;
    assert_eq!(
        t.open(&krd, &p.trust(), Pass::TwoPass { nonce: &[1; 8] })
            .unwrap()
            .key,
        key
    );
}

/// Writes extra fuzz seeds (one-pass, RFC 5652, AES, credential and bind tokens) when
/// `TR34_WRITE_SEEDS` names a directory; otherwise checks they build.
#[test]
fn fuzz_seeds() {
    let p = pki();
    let mut seeds: Vec<(&str, Vec<u8>)> = Vec::new();
    let (tdes, th) = keys().remove(0);
    let (aes, ah) = keys().pop().unwrap();
    seeds.push((
        "kt_1pass_tdes_x9.der",
        p.build(
            Layout::X9Tr34_2019AnnexB,
            &tdes,
            &th,
            Pass::OnePass {
                signing_time: SIGNED_AT,
            },
        ),
    ));
    seeds.push((
        "kt_2pass_aes_rfc5652.der",
        p.build(
            Layout::Rfc5652,
            &aes,
            &ah,
            Pass::TwoPass { nonce: &[3; 16] },
        ),
    ));
    seeds.push((
        "ct_krd.der",
        CredentialToken::new(p.krd.clone(), None).to_der(),
    ));
    seeds.push((
        "ct_kdh.der",
        CredentialToken::new(p.kdh.clone(), Some(crl())).to_der(),
    ));
    let krd_id = p.krd.issuer_and_serial();
    seeds.push((
        "ubt_kdh.der",
        BindToken::build(
            BindKind::UnbindKdh,
            &p.kdh_key,
            &p.kdh,
            &krd_id,
            None,
            None,
            Some(&[4; 8]),
            None,
            None,
        )
        .unwrap(),
    ));
    seeds.push((
        "rbt_kdh.der",
        BindToken::build(
            BindKind::RebindKdh,
            &p.kdh_key,
            &p.kdh,
            &krd_id,
            None,
            Some(&p.kdh),
            Some(&[4; 8]),
            None,
            None,
        )
        .unwrap(),
    ));
    for (name, der) in &seeds {
        assert!(
            KeyToken::from_der(der).is_ok()
                || CredentialToken::from_der(der, false).is_ok()
                || BindToken::from_der(der).is_ok(),
            "{name}"
        );
    }
    if let Ok(dir) = std::env::var("TR34_WRITE_SEEDS") {
        for (name, der) in seeds {
            std::fs::write(std::path::Path::new(&dir).join(name), der).unwrap();
        }
    }
}

#[test]
fn freshness_state_makes_nonces_single_use_and_times_increasing() {
    let p = pki();
    let (key, header) = keys().remove(0);
    let mut state = MemoryFreshnessState::new();
    let rt = state.issue(&mut OsRng, 16).unwrap();
    let der = p.build(
        Layout::X9Tr34_2019AnnexB,
        &key,
        &header,
        Pass::TwoPass { nonce: rt.nonce() },
    );
    let t = KeyToken::from_der(&der).unwrap();
    let krd = Krd::new(&p.krd_key);
    assert_eq!(
        t.open_with_state(&krd, &p.trust(), &mut state).unwrap().key,
        key
    );
    // replay: the nonce was consumed
    assert_eq!(
        t.open_with_state(&krd, &p.trust(), &mut state).unwrap_err(),
        Error::Rejected
    );
    assert!(!state.is_outstanding(rt.nonce()));
    // one-pass: strictly increasing signing times
    let one = |secs| {
        KeyToken::from_der(&p.build(
            Layout::Rfc5652,
            &key,
            &header,
            Pass::OnePass {
                signing_time: Duration::from_secs(secs),
            },
        ))
        .unwrap()
    };
    assert!(
        one(1_800_000_000)
            .open_with_state(&krd, &p.trust(), &mut state)
            .is_ok()
    );
    assert_eq!(
        state.last_signing_time(),
        Some(Duration::from_secs(1_800_000_000))
    );
    assert_eq!(
        one(1_800_000_000)
            .open_with_state(&krd, &p.trust(), &mut state)
            .unwrap_err(),
        Error::Rejected
    );
    assert_eq!(
        one(1_700_000_000)
            .open_with_state(&krd, &p.trust(), &mut state)
            .unwrap_err(),
        Error::Rejected
    );
    assert!(
        one(1_800_000_001)
            .open_with_state(&krd, &p.trust(), &mut state)
            .is_ok()
    );
    // A state whose last time leaves no later second (a custom store's sentinel, say) rejects
    // instead of overflowing.
    state.record_signing_time(Duration::MAX);
    assert_eq!(
        one(1_800_000_002)
            .open_with_state(&krd, &p.trust(), &mut state)
            .unwrap_err(),
        Error::Rejected
    );
}
