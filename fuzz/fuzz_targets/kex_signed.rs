//! The ECDSA-signed ECDH key package (`paycrypt_kex::signed`) on arbitrary bytes. First byte
//! even: the whole CMS envelope through `unwrap_signed` (receiver key and pinned sender
//! certificate of `keyexchange/tests/data/signed.json` vector 0): never panics, and whatever
//! opens carries that vector's key (the signature and messageDigest leave nothing else to
//! change). Odd: the post-authentication `KexPackage` parser, whose errors are usage errors.
#![no_main]

use core::time::Duration;
use libfuzzer_sys::fuzz_target;
use paycrypt_kex::pki::{Certificate, PrivateKey};
use paycrypt_kex::signed::{self, FreshnessCheck, SenderTrust, UnwrapParams};
use paycrypt_keyblock::Profile;
use paycrypt_primitives::ErrorClass;
use std::sync::LazyLock;

static CERT: LazyLock<Certificate> = LazyLock::new(|| {
    Certificate::from_input(include_bytes!(
        "../../keyexchange/tests/data/keys/signed-p256-signer.cert.pem"
    ))
    .unwrap()
});
static RECEIVER: LazyLock<paycrypt_kex::EcPrivateKey> = LazyLock::new(|| {
    PrivateKey::from_input(include_bytes!(
        "../../keyexchange/tests/data/keys/signed-p256-receiver.key.pem"
    ))
    .unwrap()
    .into_ec()
    .unwrap()
});
const KEY: [u8; 16] = [
    0xAC, 0xE5, 0x37, 0x1E, 0xF7, 0x46, 0xD7, 0xF0, 0xF7, 0x3A, 0x5D, 0x7B, 0x8A, 0x7C, 0xCE, 0x8A,
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let params = UnwrapParams {
            trust: SenderTrust::Pinned(&CERT),
            now: Duration::from_secs(1_796_421_452),
            freshness: FreshnessCheck::SigningTime {
                max_skew: Duration::from_secs(u64::MAX / 2),
            },
            sender_static: None,
            profile: Profile::Interop,
        };
        if let Ok(o) = signed::unwrap_signed(rest, &RECEIVER, &params) {
            assert_eq!(o.unwrapped.key().expose_bytes(), KEY);
        }
    } else if let Err(e) = signed::parse_package_for_fuzzing(rest) {
        assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}");
    }
});
