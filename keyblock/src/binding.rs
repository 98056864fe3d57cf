//! Payload encryption and authentication per version (TR-31:2018 A.7.2 key variant binding for
//! A/C, A.7.3 and A.7.4 key derivation binding for B and D; ISO 20038:2017 §6 for E; X9.143 §7).
//!
//! ```text
//! A, C (TR-31:2018 A.7.2, X9.143 §7.2)   encrypt-then-MAC
//!   C   = TDES-CBC(KBEK, IV = header[0..8], P)
//!   MAC = leftmost 4 bytes of ISO 9797-1 alg 1 (TDES CBC-MAC, KBAK, IV 0)(header ‖ C)
//! B, D (TR-31:2018 A.7.3/A.7.4, X9.143 §7.3/7.4)   MAC-then-encrypt
//!   MAC = CMAC(KBAK, header ‖ P)              8 bytes (B), 16 bytes (D)
//!   C   = CBC(KBEK, IV = MAC, P)
//! E (ISO 20038:2017 §6.4)
//!   MAC = AES-CMAC(KBAK, header ‖ P)          16 bytes
//!   C   = AES-CTR(KBEK, initial counter block = MAC, P)    (no padding)
//! ```
//!
//! Opening always checks the MAC in constant time before anything in the plaintext is read, and
//! every mismatch is [`Error::AuthenticationFailed`].

use crate::codes::Version;
use crate::error::Error;
use crate::kbpk::BindingKeys;
use alloc::vec::Vec;
use paycrypt_mac::Algorithm1;
use paycrypt_mac::Cmac;
use paycrypt_mac::Padding;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::zeroize::Zeroizing;
use subtle::ConstantTimeEq;

/// AES-CTR (ISO/IEC 10116 §9, NIST SP 800-38A §6.5) as ISO 20038:2017 §6.4 uses it: the
/// initial counter block is the 16-byte MAC, incremented as one 128-bit big-endian integer.
/// Encryption and decryption are the same operation.
fn ctr(cipher: &BlockCipher, initial: &[u8], data: &mut [u8]) -> Result<(), Error> {
    let iv: [u8; 16] = initial
        .try_into()
        .map_err(|_| Error::AuthenticationFailed)?;
    let mut counter = u128::from_be_bytes(iv);
    for chunk in data.chunks_mut(16) {
        let mut ks = Zeroizing::new(counter.to_be_bytes());
        cipher.encrypt_block(ks.as_mut_slice())?;
        for (d, k) in chunk.iter_mut().zip(ks.iter()) {
            *d ^= k;
        }
        counter = counter.wrapping_add(1);
    }
    Ok(())
}

/// The variant-binding MAC (A, C): ISO/IEC 9797-1 MAC algorithm 1, padding method 1 (the
/// header and ciphertext are block aligned, so nothing is padded), leftmost 4 bytes.
fn variant_mac(keys: &BindingKeys, header: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut m = Algorithm1::new(&keys.mac, Padding::Method1, None)?;
    m.update(header);
    m.update(ciphertext);
    let tag = m.finalize()?;
    Ok(tag.as_bytes().get(..4).unwrap_or_default().to_vec())
}

/// The derivation-binding MAC (B, D, E): full CMAC over header ‖ plaintext payload.
fn cmac(keys: &BindingKeys, header: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut m = Cmac::new(&keys.mac)?;
    m.update(header);
    m.update(plaintext);
    Ok(m.finalize().as_bytes().to_vec())
}

/// Encrypts `payload` in place and returns the MAC.
pub(crate) fn seal(
    keys: &BindingKeys,
    version: Version,
    header: &[u8],
    payload: &mut [u8],
) -> Result<Vec<u8>, Error> {
    let cipher = BlockCipher::new(&keys.enc);
    match version {
        Version::A | Version::C | Version::Proprietary(_) => {
            let iv = header.get(..8).ok_or(Error::Truncated { position: 0 })?;
            cipher.cbc_encrypt(iv, payload)?;
            variant_mac(keys, header, payload)
        }
        Version::B | Version::D => {
            let mac = cmac(keys, header, payload)?;
            cipher.cbc_encrypt(&mac, payload)?;
            Ok(mac)
        }
        Version::E => {
            let mac = cmac(keys, header, payload)?;
            ctr(&cipher, &mac, payload)?;
            Ok(mac)
        }
    }
}

/// Authenticates and decrypts `payload` in place. On failure the buffer may hold unverified
/// plaintext: the caller keeps it in a zeroizing buffer and never reads it.
pub(crate) fn open(
    keys: &BindingKeys,
    version: Version,
    header: &[u8],
    payload: &mut [u8],
    mac: &[u8],
) -> Result<(), Error> {
    let cipher = BlockCipher::new(&keys.enc);
    let expected = match version {
        Version::A | Version::C | Version::Proprietary(_) => {
            // Encrypt-then-MAC: verify before decrypting.
            let m = variant_mac(keys, header, payload)?;
            if !bool::from(m.ct_eq(mac)) {
                return Err(Error::AuthenticationFailed);
            }
            let iv = header.get(..8).ok_or(Error::Truncated { position: 0 })?;
            cipher
                .cbc_decrypt(iv, payload)
                .map_err(|_| Error::AuthenticationFailed)?;
            return Ok(());
        }
        Version::B | Version::D => {
            cipher
                .cbc_decrypt(mac, payload)
                .map_err(|_| Error::AuthenticationFailed)?;
            cmac(keys, header, payload)?
        }
        Version::E => {
            ctr(&cipher, mac, payload)?;
            cmac(keys, header, payload)?
        }
    };
    if bool::from(expected.ct_eq(mac)) {
        Ok(())
    } else {
        Err(Error::AuthenticationFailed)
    }
}
