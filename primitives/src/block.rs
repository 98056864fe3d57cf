//! Block-cipher operations on typed keys, with the key schedule built once.
//!
//! DES and TDEA follow FIPS 46-3 / ANSI X9.52 (TDEA-EDE: `E_K3(D_K2(E_K1(x)))`, a 2-key key
//! running K1, K2, K1), AES follows FIPS 197. The modes are those of ISO/IEC 10116 (NIST SP
//! 800-38A): ECB and CBC, **without padding** — every payment standard defines its own padding
//! and must apply it explicitly before calling these.

use crate::Error;
use crate::key::{AesKey, DesKey, KeyAlgorithm, SymmetricKey, TdesKey};
use cipher::array::{Array, ArraySize};
use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use core::fmt;
use zeroize::Zeroize;

/// A block cipher with its key schedule expanded (zeroized on drop by the RustCrypto types).
#[derive(Clone)]
pub enum BlockCipher {
    /// Single DES.
    Des(des::Des),
    /// 2-key TDEA-EDE.
    Tdes2(des::TdesEde2),
    /// 3-key TDEA-EDE.
    Tdes3(des::TdesEde3),
    /// AES-128.
    Aes128(aes::Aes128),
    /// AES-192.
    Aes192(aes::Aes192),
    /// AES-256.
    Aes256(aes::Aes256),
}

impl fmt::Debug for BlockCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlockCipher({:?})", self.algorithm())
    }
}

fn schedule<C: KeyInit>(bytes: &[u8], algorithm: KeyAlgorithm) -> Result<C, Error> {
    C::new_from_slice(bytes).map_err(|_| Error::KeyLength {
        algorithm: algorithm.name(),
        got: bytes.len(),
    })
}

/// Dispatches `$body` with `$c` bound to the concrete cipher.
macro_rules! with_cipher {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            BlockCipher::Des($c) => $body,
            BlockCipher::Tdes2($c) => $body,
            BlockCipher::Tdes3($c) => $body,
            BlockCipher::Aes128($c) => $body,
            BlockCipher::Aes192($c) => $body,
            BlockCipher::Aes256($c) => $body,
        }
    };
}

/// `data` viewed as whole cipher blocks; ISO/IEC 10116 ECB and CBC take no partial block
/// (padding is the caller's, see the module docs).
fn whole_blocks<B: ArraySize>(data: &mut [u8]) -> Result<&mut [Array<u8, B>], Error> {
    let len = data.len();
    match Array::<u8, B>::slice_as_chunks_mut(data) {
        (blocks, []) => Ok(blocks),
        _ => Err(Error::BlockLength {
            block_size: B::USIZE,
            got: len,
        }),
    }
}

/// ECB encryption (ISO/IEC 10116 §6): every block enciphered on its own.
fn encrypt_blocks<C: BlockCipherEncrypt>(c: &C, data: &mut [u8]) -> Result<(), Error> {
    match whole_blocks::<C::BlockSize>(data)? {
        // One block (PIN blocks, KCVs, key-schedule steps): the direct call, without the
        // multi-block back end's setup.
        [one] => c.encrypt_block(one),
        blocks => c.encrypt_blocks(blocks),
    }
    Ok(())
}

/// ECB decryption (ISO/IEC 10116 §6).
fn decrypt_blocks<C: BlockCipherDecrypt>(c: &C, data: &mut [u8]) -> Result<(), Error> {
    match whole_blocks::<C::BlockSize>(data)? {
        [one] => c.decrypt_block(one),
        blocks => c.decrypt_blocks(blocks),
    }
    Ok(())
}

/// CBC encryption (ISO/IEC 10116 §7): `C_i = E_K(P_i ⊕ C_{i-1})`, `C_0 = IV`.
fn cbc_encrypt_generic<C: BlockCipherEncrypt>(
    c: &C,
    iv: &[u8],
    data: &mut [u8],
) -> Result<(), Error> {
    check_iv(C::block_size(), iv)?;
    let blocks = whole_blocks::<C::BlockSize>(data)?;
    let mut chain = Array::<u8, C::BlockSize>::default();
    chain.copy_from_slice(iv);
    for block in blocks {
        for (d, p) in block.iter_mut().zip(chain.iter()) {
            *d ^= p;
        }
        c.encrypt_block(block);
        chain.copy_from_slice(block);
    }
    Ok(())
}

/// CBC decryption (ISO/IEC 10116 §7): `P_i = D_K(C_i) ⊕ C_{i-1}`, `C_0 = IV`.
fn cbc_decrypt_generic<C: BlockCipherDecrypt>(
    c: &C,
    iv: &[u8],
    data: &mut [u8],
) -> Result<(), Error> {
    check_iv(C::block_size(), iv)?;
    let blocks = whole_blocks::<C::BlockSize>(data)?;
    let mut chain = Array::<u8, C::BlockSize>::default();
    chain.copy_from_slice(iv);
    for block in blocks {
        let next = block.clone();
        c.decrypt_block(block);
        for (d, p) in block.iter_mut().zip(chain.iter()) {
            *d ^= p;
        }
        chain = next;
    }
    Ok(())
}

const fn check_iv(block_size: usize, iv: &[u8]) -> Result<(), Error> {
    if iv.len() == block_size {
        Ok(())
    } else {
        Err(Error::IvLength {
            block_size,
            got: iv.len(),
        })
    }
}

impl BlockCipher {
    /// Expands the key schedule for `key`.
    #[must_use]
    pub fn new(key: &SymmetricKey) -> Self {
        match key {
            SymmetricKey::Des(k) => Self::from(k),
            SymmetricKey::Tdes(k) => Self::from(k),
            SymmetricKey::Aes(k) => Self::from(k),
        }
    }

    /// The algorithm of the key this cipher was built from.
    #[must_use]
    pub const fn algorithm(&self) -> KeyAlgorithm {
        match self {
            Self::Des(_) => KeyAlgorithm::Des,
            Self::Tdes2(_) => KeyAlgorithm::Tdes2,
            Self::Tdes3(_) => KeyAlgorithm::Tdes3,
            Self::Aes128(_) => KeyAlgorithm::Aes128,
            Self::Aes192(_) => KeyAlgorithm::Aes192,
            Self::Aes256(_) => KeyAlgorithm::Aes256,
        }
    }

    /// Block size in bytes (8 or 16).
    #[must_use]
    pub const fn block_size(&self) -> usize {
        self.algorithm().block_size()
    }

    /// Encrypts exactly one block in place.
    ///
    /// # Errors
    /// [`Error::BlockLength`] when `block` is not one block long.
    pub fn encrypt_block(&self, block: &mut [u8]) -> Result<(), Error> {
        self.check_one(block.len())?;
        self.ecb_encrypt(block)
    }

    /// Decrypts exactly one block in place.
    ///
    /// # Errors
    /// [`Error::BlockLength`] when `block` is not one block long.
    pub fn decrypt_block(&self, block: &mut [u8]) -> Result<(), Error> {
        self.check_one(block.len())?;
        self.ecb_decrypt(block)
    }

    /// ECB-encrypts `data` in place (ISO/IEC 10116 §6). Empty data is allowed and unchanged.
    ///
    /// # Errors
    /// [`Error::BlockLength`] when `data` is not a whole number of blocks.
    pub fn ecb_encrypt(&self, data: &mut [u8]) -> Result<(), Error> {
        with_cipher!(self, c => encrypt_blocks(c, data))
    }

    /// ECB-decrypts `data` in place.
    ///
    /// # Errors
    /// [`Error::BlockLength`] when `data` is not a whole number of blocks.
    pub fn ecb_decrypt(&self, data: &mut [u8]) -> Result<(), Error> {
        with_cipher!(self, c => decrypt_blocks(c, data))
    }

    /// CBC-encrypts `data` in place with `iv` (ISO/IEC 10116 §7), no padding.
    ///
    /// # Errors
    /// [`Error::IvLength`] or [`Error::BlockLength`].
    pub fn cbc_encrypt(&self, iv: &[u8], data: &mut [u8]) -> Result<(), Error> {
        with_cipher!(self, c => cbc_encrypt_generic(c, iv, data))
    }

    /// CBC-decrypts `data` in place with `iv`, no padding.
    ///
    /// # Errors
    /// [`Error::IvLength`] or [`Error::BlockLength`].
    pub fn cbc_decrypt(&self, iv: &[u8], data: &mut [u8]) -> Result<(), Error> {
        with_cipher!(self, c => cbc_decrypt_generic(c, iv, data))
    }

    fn check_one(&self, len: usize) -> Result<(), Error> {
        let bs = self.block_size();
        if len == bs {
            Ok(())
        } else {
            Err(Error::BlockLength {
                block_size: bs,
                got: len,
            })
        }
    }
}

impl From<&DesKey> for BlockCipher {
    fn from(k: &DesKey) -> Self {
        Self::Des(des::Des::new(k.expose_bytes().into()))
    }
}

impl From<&TdesKey> for BlockCipher {
    fn from(k: &TdesKey) -> Self {
        let bytes = k.expose_bytes();
        // Lengths are guaranteed by `TdesKey`; fall back to EDE3 over the expansion otherwise.
        match k.algorithm() {
            KeyAlgorithm::Tdes2 => schedule(bytes, KeyAlgorithm::Tdes2)
                .map(Self::Tdes2)
                .unwrap_or_else(|_| Self::Tdes3(des::TdesEde3::new(&k.expose_expanded().into()))),
            _ => Self::Tdes3(des::TdesEde3::new(&k.expose_expanded().into())),
        }
    }
}

impl From<&AesKey> for BlockCipher {
    fn from(k: &AesKey) -> Self {
        // Infallible by construction: the schedule is built from the key's fixed buffer, cut
        // to the length its algorithm names (FIPS 197 §5.2 key expansion in the `aes` crate).
        let buf = k.buffer();
        match k.algorithm() {
            KeyAlgorithm::Aes128 => {
                let mut key = [0u8; 16];
                key.copy_from_slice(&buf[..16]);
                let c = Self::Aes128(aes::Aes128::new(&key.into()));
                key.zeroize();
                c
            }
            KeyAlgorithm::Aes192 => {
                let mut key = [0u8; 24];
                key.copy_from_slice(&buf[..24]);
                let c = Self::Aes192(aes::Aes192::new(&key.into()));
                key.zeroize();
                c
            }
            _ => Self::Aes256(aes::Aes256::new(&(*buf).into())),
        }
    }
}

impl From<&SymmetricKey> for BlockCipher {
    fn from(k: &SymmetricKey) -> Self {
        Self::new(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn fips197_aes128() {
        let k = AesKey::from_bytes(&hex!("000102030405060708090a0b0c0d0e0f")).unwrap();
        let c = BlockCipher::from(&k);
        let mut b = hex!("00112233445566778899aabbccddeeff");
        c.encrypt_block(&mut b).unwrap();
        assert_eq!(b, hex!("69c4e0d86a7b0430d8cdb78070b4c55a"));
        c.decrypt_block(&mut b).unwrap();
        assert_eq!(b, hex!("00112233445566778899aabbccddeeff"));
    }

    #[test]
    fn fips197_aes192_aes256() {
        // FIPS 197 Appendix C.2 and C.3.
        for (key, ct) in [
            (
                &hex!("000102030405060708090a0b0c0d0e0f1011121314151617")[..],
                hex!("dda97ca4864cdfe06eaf70a0ec0d7191"),
            ),
            (
                &hex!("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")[..],
                hex!("8ea2b7ca516745bfeafc49904b496089"),
            ),
        ] {
            let c = BlockCipher::from(&AesKey::from_bytes(key).unwrap());
            let mut b = hex!("00112233445566778899aabbccddeeff");
            c.encrypt_block(&mut b).unwrap();
            assert_eq!(b, ct);
            c.decrypt_block(&mut b).unwrap();
            assert_eq!(b, hex!("00112233445566778899aabbccddeeff"));
        }
    }

    #[test]
    fn tdes_kcv_and_two_key_equals_expanded() {
        let k2 = TdesKey::from_bytes(&hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let k3 = TdesKey::from_bytes(&k2.expose_expanded()).unwrap();
        let mut a = [0u8; 8];
        let mut b = [0u8; 8];
        BlockCipher::from(&k2).encrypt_block(&mut a).unwrap();
        BlockCipher::from(&k3).encrypt_block(&mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..3], &hex!("08D7B4"));
    }

    #[test]
    fn cbc_sp800_38a_f21() {
        // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks.
        let k = AesKey::from_bytes(&hex!("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        let c = BlockCipher::from(&k);
        let iv = hex!("000102030405060708090a0b0c0d0e0f");
        let mut d = hex!("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        c.cbc_encrypt(&iv, &mut d).unwrap();
        assert_eq!(
            d,
            hex!("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
        );
        c.cbc_decrypt(&iv, &mut d).unwrap();
        assert_eq!(
            d,
            hex!("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        );
    }

    /// NIST SP 800-38A F.1 / F.2 plaintext (four AES blocks).
    const SP800_38A_PT: [u8; 64] = hex!(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
    );

    #[test]
    fn ecb_and_cbc_sp800_38a_four_blocks() {
        let k = AesKey::from_bytes(&hex!("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        let c = BlockCipher::from(&k);
        // F.1.1 ECB-AES128.Encrypt.
        let mut d = SP800_38A_PT;
        c.ecb_encrypt(&mut d).unwrap();
        assert_eq!(
            d,
            hex!(
                "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
                "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"
            )
        );
        c.ecb_decrypt(&mut d).unwrap();
        assert_eq!(d, SP800_38A_PT);
        // F.2.1 CBC-AES128.Encrypt.
        let iv = hex!("000102030405060708090a0b0c0d0e0f");
        c.cbc_encrypt(&iv, &mut d).unwrap();
        assert_eq!(
            d,
            hex!(
                "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
                "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
            )
        );
        c.cbc_decrypt(&iv, &mut d).unwrap();
        assert_eq!(d, SP800_38A_PT);
    }

    #[test]
    fn tdes_cbc_is_ecb_of_chained_blocks() {
        let k = TdesKey::from_bytes(&hex!("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let c = BlockCipher::from(&k);
        let iv = hex!("1122334455667788");
        let pt = hex!("000102030405060708090a0b0c0d0e0f1011121314151617");
        let mut cbc = pt;
        c.cbc_encrypt(&iv, &mut cbc).unwrap();
        // ISO/IEC 10116 §7, one block at a time.
        let mut chain = iv;
        for (p, got) in pt.chunks(8).zip(cbc.chunks(8)) {
            let mut b = [0u8; 8];
            for ((b, p), x) in b.iter_mut().zip(p).zip(chain) {
                *b = p ^ x;
            }
            c.encrypt_block(&mut b).unwrap();
            assert_eq!(&b[..], got);
            chain = b;
        }
        c.cbc_decrypt(&iv, &mut cbc).unwrap();
        assert_eq!(cbc, pt);
    }

    #[test]
    fn partial_block_errors_name_the_whole_length() {
        let c = BlockCipher::from(&AesKey::from_bytes(&[7; 16]).unwrap());
        let want = Err(Error::BlockLength {
            block_size: 16,
            got: 17,
        });
        assert_eq!(c.ecb_encrypt(&mut [0; 17]), want);
        assert_eq!(c.ecb_decrypt(&mut [0; 17]), want);
        assert_eq!(c.cbc_encrypt(&[0; 16], &mut [0; 17]), want);
        assert_eq!(c.cbc_decrypt(&[0; 16], &mut [0; 17]), want);
        // Nothing is touched on error.
        let mut d = [5u8; 33];
        assert!(c.cbc_encrypt(&[0; 16], &mut d).is_err());
        assert_eq!(d, [5; 33]);
    }

    #[test]
    fn length_errors() {
        let c = BlockCipher::from(&DesKey::from_bytes(&[1; 8]).unwrap());
        assert_eq!(
            c.encrypt_block(&mut [0; 16]),
            Err(Error::BlockLength {
                block_size: 8,
                got: 16
            })
        );
        assert_eq!(
            c.cbc_encrypt(&[0; 7], &mut [0; 8]),
            Err(Error::IvLength {
                block_size: 8,
                got: 7
            })
        );
        assert!(c.ecb_decrypt(&mut [0; 9]).is_err());
        assert!(c.ecb_encrypt(&mut []).is_ok());
    }
}
