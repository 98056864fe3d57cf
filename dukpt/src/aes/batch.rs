//! The batch fast path: AES-128 BDK, 128-bit working keys (X9.24-3:2017 §6.4 unchanged; only
//! the evaluation order differs).

use aes::Aes128Enc;
use cipher::{Array, BlockCipherEncrypt};
use zeroize::Zeroize;

use crate::Error;

use super::derive::{KeyBuf, step128};
use super::keys::WorkingKey;
use super::ksn::Ksn;
use super::types::{DerivationData, KeyType, KeyUsage};

/// Derives 128-bit working keys from an AES-128 BDK schedule for every KSN (already checked
/// by the caller), reusing the initial key across consecutive KSNs with the same initial key
/// ID.
pub(crate) fn derive_batch_128<F>(
    bdk: &Aes128Enc,
    ksns: &[Ksn],
    usage: KeyUsage,
    key_type: KeyType,
    sink: &mut F,
) -> Result<(), Error>
where
    F: FnMut(usize, WorkingKey),
{
    let mut last_ikid = None;
    let mut ik = [0u8; 16];
    let mut k = [0u8; 16];
    let mut out = KeyBuf::empty();
    for (index, ksn) in ksns.iter().enumerate() {
        let ikid = ksn.initial_key_id();
        if last_ikid != Some(ikid) {
            let mut b = Array::from(DerivationData::initial_key(KeyType::Aes128, &ikid).to_bytes());
            bdk.encrypt_block(&mut b);
            ik = b.into();
            last_ikid = Some(ikid);
        }
        let did = ikid.derivation_id();
        let counter = ksn.counter();
        k = ik;
        let mut remaining = counter;
        let mut w = 0u32;
        while remaining != 0 {
            let mask = 1u32 << (31 - remaining.leading_zeros());
            remaining &= !mask;
            w |= mask;
            k = step128(
                &k,
                DerivationData::intermediate(KeyType::Aes128, did, w).to_bytes(),
            );
        }
        let dd = DerivationData::working(usage.indicator(), key_type, did, counter);
        let wk = step128(&k, dd.to_bytes());
        if let Some(dst) = out.bytes.get_mut(..16) {
            dst.copy_from_slice(&wk);
        }
        out.len = 16;
        sink(index, WorkingKey::from_buf(key_type, &out)?);
    }
    ik.zeroize();
    k.zeroize();
    Ok(())
}
