//! Host (receiving party) derivation: IPEK from the BDK (X9.24-1:2009 A.6), transaction key
//! from the IPEK (A.3), working keys (A.4.1), and the batch calls. The derivations themselves
//! are in `derive` (one key) and `bitslice` (64 lanes); this module holds the BDK handle.

use super::bitslice::{self, Key2, SlicedBdk};
use super::derive::{Tables, transaction, working};
use super::engine::{self, Portable, TableVartime};
use super::keys::{Ipek, PinWorkingKey, TransactionKey};
use super::ksn::Ksn;
use super::types::{Halves, KEY_MASK, Key16, KeyVariant};
use crate::Error;
use core::fmt;
use paycrypt_primitives::key::TdesKey;
use zeroize::Zeroize;

/// A Base Derivation Key, sliced once for the constant-time bitsliced DES (X9.24-1:2009 A.6).
///
/// The handle holds `BDK` and `BDK ⊕ key mask` as bitsliced keys (the DES key schedule is wire
/// selection, so there is nothing else to expand). Every unsuffixed method is constant time
/// (`dukpt/PERFORMANCE.md`); the `_vartime` methods build table schedules per call. Zeroized
/// on drop; `Debug` prints no key.
///
/// ```
/// use paycrypt_dukpt::tdes::{Bdk, DataKeyStyle, KeyVariant, Ksn};
/// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
/// let ksn: Ksn = "FFFF9876543210E00001".parse()?;
/// let ipek = bdk.ipek(&ksn);
/// assert_eq!(ipek.expose_key().expose_bytes(), hex_literal::hex!("6AC292FAA1315B4D858AB3A3D7D5933A"));
/// let pin = bdk.pin_key(&ksn);
/// assert_eq!(pin.key().expose_bytes(), hex_literal::hex!("042666B49184CF5C68DE9628D0397B36"));
/// let data = bdk.working_key(&ksn, KeyVariant::DataRequest(DataKeyStyle::Owf2009));
/// assert_eq!(data.expose_bytes(), hex_literal::hex!("448D3F076D8304036A55A3D7E0055A78"));
/// # Ok::<(), paycrypt_dukpt::Error>(())
/// ```
pub struct Bdk {
    key: Key16,
    /// Lane 0 = `BDK`, lane 1 = `BDK ⊕ mask`: both IPEK halves in one TDEA pass.
    pair: Key2<u64>,
    /// `BDK` and `BDK ⊕ mask` on all 64 lanes, for batches.
    sliced: SlicedBdk<u64>,
}

impl fmt::Debug for Bdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bdk { ... }")
    }
}

impl Drop for Bdk {
    fn drop(&mut self) {
        self.pair.zeroize();
    }
}

// `key` (a `TdesKey`) and `sliced` (`SlicedBdk`'s `Drop`) zeroize themselves.
impl zeroize::ZeroizeOnDrop for Bdk {}

/// How many keys the byte-oriented batch calls derive per call of the sliced engine.
const BATCH: usize = 2048;

impl Bdk {
    /// A BDK from 16 bytes (TDES DUKPT BDKs are double-length).
    ///
    /// Degenerate keys (K1 = K2) are accepted: refusing weak keys is an import policy, never
    /// a derivation failure.
    ///
    /// # Errors
    /// [`Error::KeyLength`] unless 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_key16(Key16::from_bytes(bytes)?))
    }

    /// A BDK from a double-length [`TdesKey`].
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a triple-length key.
    pub fn new(key: TdesKey) -> Result<Self, Error> {
        Ok(Self::from_key16(Key16::new(key)?))
    }

    fn from_key16(key: Key16) -> Self {
        let mut k = key.halves();
        let mut m = [k[0] ^ KEY_MASK, k[1] ^ KEY_MASK];
        let out = Self {
            pair: engine::key2_lanes(k, m),
            sliced: SlicedBdk::new(k),
            key,
        };
        k.zeroize();
        m.zeroize();
        out
    }

    /// The table schedules for the `_vartime` methods (built per call: the table key
    /// schedule is itself secret-indexed).
    fn tables_vartime(&self) -> Tables {
        Tables::new_vartime(&mut self.key.halves())
    }

    /// The BDK itself (handle with care).
    #[must_use]
    pub const fn expose_key(&self) -> &TdesKey {
        self.key.key()
    }

    /// IPEK for the device named by the KSN (X9.24-1:2009 A.6):
    ///
    /// ```text
    /// I8     = KSN bytes 0–7 with byte 7 &= E0      (the LEFTMOST 8 bytes of the IKSN)
    /// IPEK_L = TDEA-E(BDK, I8)
    /// IPEK_R = TDEA-E(BDK ⊕ C0C0C0C000000000 C0C0C0C000000000, I8)
    /// ```
    ///
    #[must_use]
    pub fn ipek(&self, ksn: &Ksn) -> Ipek {
        Ipek::from_halves(self.ipek_halves(ksn))
    }

    /// As [`Bdk::ipek`] with the table-driven DES (variable time).
    #[must_use]
    pub fn ipek_vartime(&self, ksn: &Ksn) -> Ipek {
        Ipek::from_halves(self.tables_vartime().ipek_vartime(ksn))
    }

    fn ipek_halves(&self, ksn: &Ksn) -> Halves {
        let i8 = ksn.i8();
        engine::tdea_pair(&self.pair, i8, i8)
    }

    /// Transaction key for the KSN's counter, whatever it is (IPEK, then X9.24-1:2009 A.3).
    #[must_use]
    pub fn transaction_key(&self, ksn: &Ksn) -> TransactionKey {
        TransactionKey::from_halves(transaction::<Portable>(&mut self.ipek_halves(ksn), ksn))
    }

    /// As [`Bdk::transaction_key`] with the table-driven DES (variable time).
    #[must_use]
    pub fn transaction_key_vartime(&self, ksn: &Ksn) -> TransactionKey {
        let mut ipek = self.tables_vartime().ipek_vartime(ksn);
        TransactionKey::from_halves(transaction::<TableVartime>(&mut ipek, ksn))
    }

    /// PIN encryption key for the KSN (X9.24-1:2009 A.4.1).
    #[must_use]
    pub fn pin_key(&self, ksn: &Ksn) -> PinWorkingKey {
        self.transaction_key(ksn).pin_key()
    }

    /// Working key `variant` for the KSN (X9.24-1:2009 A.6, A.3, A.4.1; constant time:
    /// bitsliced DES on two lanes).
    #[must_use]
    pub fn working_key(&self, ksn: &Ksn, variant: KeyVariant) -> TdesKey {
        let mut k = transaction::<Portable>(&mut self.ipek_halves(ksn), ksn);
        Key16::from_halves(working::<Portable>(&mut k, variant)).into_key()
    }

    /// Working key `variant` for the KSN, with the table-driven DES (variable time).
    #[must_use]
    pub fn working_key_vartime(&self, ksn: &Ksn, variant: KeyVariant) -> TdesKey {
        Key16::from_halves(self.tables_vartime().working_vartime(ksn, variant)).into_key()
    }

    /// Runs the 64-lane bitsliced derivation over `ksns`, `BATCH` at a time, handing each
    /// key's halves to `emit` (index, halves) in order.
    fn derive_sliced(
        &self,
        ksns: &[Ksn],
        variant: Option<KeyVariant>,
        mut emit: impl FnMut(usize, Halves),
    ) {
        let mut buf = [[0u64; 2]; BATCH];
        for (n, chunk) in ksns.chunks(BATCH).enumerate() {
            let out = buf.get_mut(..chunk.len()).unwrap_or(&mut []);
            bitslice::derive(&self.sliced, chunk, variant, out);
            for (i, k) in out.iter().enumerate() {
                emit(n * BATCH + i, *k);
            }
        }
        buf.zeroize();
    }

    /// Batch derivation: `out[i]` = working key `variant` for `ksns[i]` — constant time, 64
    /// lanes of bitsliced DES (see `dukpt/PERFORMANCE.md`). No allocation.
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many(
        &self,
        ksns: &[Ksn],
        variant: KeyVariant,
        out: &mut [TdesKey],
    ) -> Result<(), Error> {
        check_batch(ksns, out.len())?;
        self.derive_sliced(ksns, Some(variant), |i, k| {
            if let Some(slot) = out.get_mut(i) {
                *slot = Key16::from_halves(k).into_key();
            }
        });
        Ok(())
    }

    /// The raw working keys as bytes (`out[i]` = 16 bytes for `ksns[i]`), constant time (as
    /// [`Bdk::derive_many`]). For callers that format keys straight into a buffer (a batch
    /// tool); the caller zeroizes `out`. `variant = None` gives the transaction keys.
    ///
    /// ```
    /// use paycrypt_dukpt::tdes::{Bdk, KeyVariant, Ksn};
    /// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
    /// let ksns: [Ksn; 2] = ["FFFF9876543210E00001".parse()?, "FFFF9876543210F00000".parse()?];
    /// let mut out = [[0u8; 16]; 2];
    /// bdk.derive_many_bytes(&ksns, Some(KeyVariant::Pin), &mut out)?;
    /// assert_eq!(out[1], hex_literal::hex!("AA4D58DB653EC7B548C75F2F047DD24A"));
    /// # Ok::<(), paycrypt_dukpt::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many_bytes(
        &self,
        ksns: &[Ksn],
        variant: Option<KeyVariant>,
        out: &mut [[u8; 16]],
    ) -> Result<(), Error> {
        check_batch(ksns, out.len())?;
        self.derive_sliced(ksns, variant, |i, k| {
            if let Some(slot) = out.get_mut(i) {
                put_bytes(slot, k);
            }
        });
        Ok(())
    }

    /// Batch derivation with the table-driven DES (variable time; the fast host path — see
    /// `PERFORMANCE.md`). No allocation.
    ///
    /// ```
    /// use paycrypt_dukpt::tdes::{Bdk, KeyVariant, Ksn};
    /// use paycrypt_primitives::key::TdesKey;
    /// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
    /// let ksns: [Ksn; 2] = ["FFFF9876543210E00001".parse()?, "FFFF9876543210F00000".parse()?];
    /// let mut out: [TdesKey; 2] = core::array::from_fn(|_| TdesKey::from_double_length(&[0; 16]));
    /// bdk.derive_many_vartime(&ksns, KeyVariant::Pin, &mut out)?;
    /// assert_eq!(out[1].expose_bytes(), hex_literal::hex!("AA4D58DB653EC7B548C75F2F047DD24A"));
    /// # Ok::<(), paycrypt_dukpt::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many_vartime(
        &self,
        ksns: &[Ksn],
        variant: KeyVariant,
        out: &mut [TdesKey],
    ) -> Result<(), Error> {
        check_batch(ksns, out.len())?;
        let t = self.tables_vartime();
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = t.working_pair_vartime(a, b, variant);
            *sa = Key16::from_halves(ka).into_key();
            *sb = Key16::from_halves(kb).into_key();
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            *slot = Key16::from_halves(t.working_vartime(ksn, variant)).into_key();
        }
        Ok(())
    }

    /// The raw working keys as bytes (`out[i]` = 16 bytes for `ksns[i]`), table-driven DES.
    /// For callers that format keys straight into a buffer (a batch tool); the bytes are not
    /// zeroized by this crate.
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many_bytes_vartime(
        &self,
        ksns: &[Ksn],
        variant: KeyVariant,
        out: &mut [[u8; 16]],
    ) -> Result<(), Error> {
        check_batch(ksns, out.len())?;
        let t = self.tables_vartime();
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = t.working_pair_vartime(a, b, variant);
            put_bytes(sa, ka);
            put_bytes(sb, kb);
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            put_bytes(slot, t.working_vartime(ksn, variant));
        }
        Ok(())
    }
}

/// Writes `k` big-endian into `slot` and zeroizes `k`.
fn put_bytes(slot: &mut [u8; 16], mut k: Halves) {
    let (a, b) = slot.split_at_mut(8);
    a.copy_from_slice(&k[0].to_be_bytes());
    b.copy_from_slice(&k[1].to_be_bytes());
    k.zeroize();
}

fn check_batch(ksns: &[Ksn], keys: usize) -> Result<(), Error> {
    if ksns.len() == keys {
        Ok(())
    } else {
        Err(Error::BatchLength {
            ksns: ksns.len(),
            keys,
        })
    }
}
