//! Key hygiene (issue 13 item 14): every key role zeroizes on drop and prints no key material in
//! `Debug`, on the TDES and AES halves alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use paycrypt_dukpt::{Direction, aes, tdes};
use paycrypt_primitives::hex;
use zeroize::ZeroizeOnDrop;

fn zeroize_on_drop<T: ZeroizeOnDrop>(_: &T) {}

#[test]
fn tdes_roles_zeroize_and_redact() {
    let bdk = tdes::Bdk::from_bytes(&[0xAB; 16]).unwrap();
    let ksn: tdes::Ksn = "FFFF9876543210E00003".parse().unwrap();
    let ipek = bdk.ipek(&ksn);
    let txn = bdk.transaction_key(&ksn);
    let pin = txn.pin_key();
    let mac = txn.mac_key(Direction::Response);
    let data = txn.data_key(Direction::Request, tdes::DataKeyStyle::Owf2009);
    let mut device = tdes::Originator::with_initial_key(&ipek, &ksn.initial()).unwrap();
    let _ = device.next_transaction().unwrap();
    zeroize_on_drop(&bdk);
    zeroize_on_drop(&ipek);
    zeroize_on_drop(&txn);
    zeroize_on_drop(&pin);
    zeroize_on_drop(&mac);
    zeroize_on_drop(&data);
    zeroize_on_drop(&device);
    let secrets = [
        hex::encode_upper(bdk.expose_key().expose_bytes()),
        hex::encode_upper(ipek.expose_key().expose_bytes()),
        hex::encode_upper(txn.expose_key().expose_bytes()),
        hex::encode_upper(pin.key().expose_bytes()),
        hex::encode_upper(mac.expose_bytes()),
        hex::encode_upper(data.key().expose_bytes()),
    ];
    for s in [
        format!("{bdk:?}"),
        format!("{ipek:?}"),
        format!("{txn:?}"),
        format!("{pin:?}"),
        format!("{mac:?}"),
        format!("{data:?}"),
        format!("{device:?}"),
    ] {
        for secret in &secrets {
            // No 4-byte run of any key appears, in either case.
            for i in 0..secret.len() - 8 {
                let run = &secret[i..i + 8];
                assert!(!s.to_uppercase().contains(run), "{s} shows {run}");
            }
        }
        assert!(!s.contains("AB") && !s.contains("171"), "{s}");
    }
    assert_eq!(format!("{pin:?}"), "PinWorkingKey { ... }");
}

#[test]
fn aes_keys_zeroize_and_redact() {
    let bdk = aes::Bdk::from_bytes(&[0xAB; 32]).unwrap();
    let ksn = aes::Ksn::new(aes::InitialKeyId::from_bytes([1; 8]), 7);
    let ik = bdk.initial_key(&ksn.initial_key_id());
    let im = bdk.intermediate_key(&ksn).unwrap();
    let wk = bdk
        .working_key(&ksn, aes::KeyUsage::DataEncrypt, aes::KeyType::Aes256)
        .unwrap();
    zeroize_on_drop(&wk);
    let secrets = [
        hex::encode_upper(ik.expose_key().expose_bytes()),
        hex::encode_upper(im.expose_key().expose_bytes()),
        hex::encode_upper(wk.expose_bytes()),
    ];
    for s in [format!("{ik:?}"), format!("{im:?}"), format!("{wk:?}")] {
        for secret in &secrets {
            for i in 0..secret.len() - 8 {
                assert!(!s.to_uppercase().contains(&secret[i..i + 8]), "{s}");
            }
        }
    }
    assert_eq!(
        format!("{wk:?}"),
        "WorkingKey { type: aes256, usage: data-encrypt, .. }"
    );
}
