//! Both sides of the two AWS Payment Cryptography key exchanges that do without TR-34.
//!
//! ```text
//! 1. ECDH import (ImportKey with DiffieHellmanTr31KeyBlock)
//!    service (receiver)                          paycrypt (sender)
//!      ECC key pair, certificate  ─────────────▶  validates it; own key pair on the same curve
//!                                 ◀─────────────  sender certificate, SharedInformation,
//!                                                 TR-31 block (BDK) under KBPK = KDF(Z, info)
//!      KBPK = KDF(Z, info); opens the block; KCV
//!
//! 2. RSA-OAEP export (ExportKey with KeyCryptogram)
//!    paycrypt (receiver)                         service (sender)
//!      RSA-3072 wrapping certificate ──────────▶  OAEP-SHA-256 of the bare AES-128 key
//!                                 ◀─────────────  WrappedKeyCryptogram
//!      decrypts; KCV
//! ```
//!
//! Both sides run here. The ECC key pairs are generated; the RSA key is the project's test key
//! (`keyexchange/tests/data/keys/`, never for production). The certificates travel in AWS's
//! form, base64 of the PEM text. Run with `cargo run --example ecdh_key_exchange`; exits 0 only
//! when every check passed.

mod walkthrough;

use paycrypt::kex::ecdh::{self, Derivation};
use paycrypt::kex::pki::{Certificate, PublicKey};
use paycrypt::kex::rsawrap::{self, OaepScheme};
use paycrypt::kex::{Curve, EcPrivateKey, Hash, Kdf, KeyType, RsaPrivateKey};
use paycrypt::keyblock::{ClearKey, KeyBlockHeader, Profile, WrapOptions};
use paycrypt::primitives::hex::Hex;
use paycrypt::primitives::key::{AesKey, SymmetricKey};
use paycrypt::primitives::rng::{OsRng, fill};
use walkthrough::{Result, check};

const RSA_KEY: &[u8] = include_bytes!("../keyexchange/tests/data/keys/rsa3072.key.pem");
const RSA_CERT_B64: &[u8] = include_bytes!("../keyexchange/tests/data/keys/rsa3072.cert.b64");
const CA_CERT_B64: &[u8] = include_bytes!("../keyexchange/tests/data/keys/ecc-ca.cert.b64");

fn ecdh_import() -> Result {
    println!("1. ECDH import: a BDK in a TR-31 block under an ECDH-derived KBPK");
    // The service's key pair (KeyUsage TR31_K3_ASYMMETRIC_KEY_FOR_KEY_AGREEMENT) and the
    // sender's, on P-521 so that an AES-256 KBPK passes the strength rule.
    let service = EcPrivateKey::generate(Curve::P521, &mut OsRng)?;
    let sender = EcPrivateKey::generate(Curve::P521, &mut OsRng)?;
    let service_public = service.public_key();
    let sender_public = sender.public_key();
    check(
        service_public.curve() == sender_public.curve(),
        "both keys on P-521",
    )?;

    // Fresh SharedInformation per derivation (AWS: must not be reused).
    let mut info = [0u8; 32];
    fill(&mut OsRng, &mut info)?;
    let derivation = Derivation {
        kdf: Kdf::Concat,
        hash: Hash::Sha512,
        shared_info: &info,
        kbpk_type: KeyType::Aes256,
    };

    // Sender: the BDK in a version D block (B0 = BDK, AES, derive only, exportable under KEK).
    let mut bdk = [0u8; 16];
    fill(&mut OsRng, &mut bdk)?;
    let header = KeyBlockHeader::parse("D0000B0AX00E0000")?;
    let block = ecdh::wrap_key_block(
        &sender,
        &service_public,
        &derivation,
        &header,
        &ClearKey::new(&bdk),
        None,
        &WrapOptions::with_profile(Profile::Interop),
        &mut OsRng,
    )?;
    let sender_kbpk = ecdh::derive_kbpk(&sender, &service_public, &derivation)?;
    println!("    WrappedKeyBlock {block}");
    println!("    SharedInformation {}", Hex(&info));

    // Service: derives the same KBPK from its private key and the sender's public key, opens
    // the block (MAC first), checks the KBPK's and the BDK's check values.
    let service_kbpk = ecdh::derive_kbpk(&service, &sender_public, &derivation)?;
    check(
        service_kbpk.kcv() == sender_kbpk.kcv(),
        "both sides derive one KBPK (same KCV)",
    )?;
    let (opened, _) = ecdh::unwrap_key_block(
        &service,
        &sender_public,
        &derivation,
        &block,
        Profile::Interop,
    )?;
    check(
        opened.key().expose_bytes() == bdk,
        "the service recovers the BDK",
    )?;
    let bdk_key = SymmetricKey::from(AesKey::from_bytes(&bdk)?);
    println!("    BDK KCV {}", Hex(&ecdh::aws_kcv(&bdk_key)));

    // Refused: a tampered block, another SharedInformation, a curve weaker than the KBPK.
    let mut tampered = block.clone().into_bytes();
    if let Some(last) = tampered.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    let tampered = String::from_utf8(tampered)?;
    check(
        ecdh::unwrap_key_block(
            &service,
            &sender_public,
            &derivation,
            &tampered,
            Profile::Interop,
        )
        .is_err(),
        "a tampered key block is refused",
    )?;
    let other = Derivation {
        shared_info: b"another context",
        ..derivation
    };
    check(
        ecdh::unwrap_key_block(&service, &sender_public, &other, &block, Profile::Interop).is_err(),
        "another SharedInformation gives another KBPK: refused",
    )?;
    let weak = EcPrivateKey::generate(Curve::P256, &mut OsRng)?;
    check(
        ecdh::derive_kbpk(&weak, &weak.public_key(), &derivation).is_err(),
        "P-256 may not derive an AES-256 KBPK (strength rule)",
    )?;
    Ok(())
}

fn rsa_export() -> Result {
    println!("2. RSA-OAEP export: an AES-128 key as a key cryptogram");
    // The receiver's wrapping certificate, as the service receives it (base64 of PEM); the
    // receiver checks it chains to its CA first.
    let cert = Certificate::from_input(RSA_CERT_B64)?;
    let ca = Certificate::from_input(CA_CERT_B64)?;
    cert.verify_issued_by(&ca)?;
    check(true, "the wrapping certificate chains to the CA")?;
    let PublicKey::Rsa(public) = cert.public_key().clone() else {
        return Err("not an RSA certificate".into());
    };

    // Sender (the service): OAEP-SHA-256 of the bare key bytes.
    let mut key = [0u8; 16];
    fill(&mut OsRng, &mut key)?;
    let cryptogram = rsawrap::wrap(
        &public,
        OaepScheme::Sha256,
        KeyType::Aes128,
        &key,
        &mut OsRng,
    )?;
    println!(
        "    WrappedKeyCryptogram {}… ({} bytes)",
        Hex(cryptogram.get(..8).unwrap_or_default()),
        cryptogram.len()
    );

    // Receiver: decrypts with its private key.
    let private = RsaPrivateKey::from_input(RSA_KEY)?;
    let got = rsawrap::unwrap(&private, OaepScheme::Sha256, KeyType::Aes128, &cryptogram)?;
    check(*got == key, "the receiver recovers the key")?;
    let mut bad = cryptogram.clone();
    if let Some(b) = bad.get_mut(7) {
        *b ^= 1;
    }
    check(
        rsawrap::unwrap(&private, OaepScheme::Sha256, KeyType::Aes128, &bad).is_err(),
        "a modified cryptogram does not decrypt",
    )?;
    check(
        rsawrap::wrap(
            &public,
            OaepScheme::Sha256,
            KeyType::Aes256,
            &[0; 32],
            &mut OsRng,
        )
        .is_err(),
        "RSA-3072 may not carry an AES-256 key (strength rule)",
    )?;
    Ok(())
}

fn run() -> Result {
    ecdh_import()?;
    rsa_export()
}

fn main() -> Result {
    run()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ecdh_key_exchange_walkthrough_passes_every_check() {
        super::run().unwrap();
    }
}
