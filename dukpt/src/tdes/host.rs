//! Host (receiving party) derivation: IPEK from the BDK (X9.24-1:2009 A.6), transaction key
//! from the IPEK (A.3), working keys (A.4.1), and a batch call.

use super::bitslice::{self, Key2, SlicedBdk};
use super::des_fast::Schedule;
use super::engine::{self, Engine, Portable, TableVartime};
use super::keys::{
    Halves, Ipek, KEY_MASK, KeyUsage, PinKey, TransactionKey, halves_of, key_of, working,
};
use super::ksn::{COUNTER_MASK, Ksn};
use crate::Error;
use crate::counter_bits;
use core::fmt;
use paycrypt_primitives::key::TdesKey;
use zeroize::Zeroize;

/// Transaction key for any counter (X9.24-1:2009 A.3):
///
/// ```text
/// R8 = rightmost 8 bytes of the KSN with the 21 counter bits cleared;  K = IPEK
/// for bit = 0x100000 down to 1:  if TC & bit:  R8 |= bit;  K = NRKGP(K, R8)
/// ```
///
/// Counters with more than 10 one-bits are derived too (hosts derive what the KSN carries).
#[inline]
pub(crate) fn transaction<E: Engine>(ipek: Halves, ksn: &Ksn) -> Halves {
    let tc = ksn.counter();
    let mut r8 = ksn.right64() & !u64::from(COUNTER_MASK);
    let mut k = ipek;
    let mut rest = tc;
    while rest != 0 {
        // Highest remaining one-bit first (the shift register scans from bit 20 down).
        r8 |= u64::from(counter_bits::take_highest(&mut rest));
        k = E::nrkgp(k, r8);
    }
    k
}

/// Two transaction keys (A.3) with the two NRKGP chains interleaved step by step while both
/// have one-bits left; the longer chain then finishes alone.
#[inline]
fn transaction2_vartime(ipek_a: Halves, a: &Ksn, ipek_b: Halves, b: &Ksn) -> (Halves, Halves) {
    let mut state = [
        (ipek_a, a.right64() & !u64::from(COUNTER_MASK), a.counter()),
        (ipek_b, b.right64() & !u64::from(COUNTER_MASK), b.counter()),
    ];
    let step = |(k, r8, rest): &mut (Halves, u64, u32)| {
        *r8 |= u64::from(counter_bits::take_highest(rest));
        (*k, *r8)
    };
    loop {
        let [sa, sb] = &mut state;
        match (sa.2 != 0, sb.2 != 0) {
            (true, true) => {
                let (ka, ra) = step(sa);
                let (kb, rb) = step(sb);
                (sa.0, sb.0) = engine::nrkgp2_vartime(ka, ra, kb, rb);
            }
            (true, false) => {
                let (k, r) = step(sa);
                sa.0 = TableVartime::nrkgp(k, r);
            }
            (false, true) => {
                let (k, r) = step(sb);
                sb.0 = TableVartime::nrkgp(k, r);
            }
            (false, false) => break,
        }
    }
    let [(ka, _, _), (kb, _, _)] = state;
    (ka, kb)
}

/// A Base Derivation Key, sliced once for the constant-time bitsliced DES (X9.24-1:2009 A.6).
///
/// The handle holds `BDK` and `BDK ⊕ key mask` as bitsliced keys (the DES key schedule is wire
/// selection, so there is nothing else to expand). Every unsuffixed method is constant time
/// (`dukpt/PERFORMANCE.md`); the `_vartime` methods build table schedules per call. Zeroized
/// on drop; `Debug` prints no key.
///
/// ```
/// use paycrypt_dukpt::tdes::{Bdk, DataKeyStyle, KeyUsage, Ksn};
/// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
/// let ksn: Ksn = "FFFF9876543210E00001".parse()?;
/// let ipek = bdk.ipek(&ksn)?;
/// assert_eq!(ipek.expose_key().expose_bytes(), hex_literal::hex!("6AC292FAA1315B4D858AB3A3D7D5933A"));
/// let pin = bdk.pin_key(&ksn)?;
/// assert_eq!(pin.key().expose_bytes(), hex_literal::hex!("042666B49184CF5C68DE9628D0397B36"));
/// let data = bdk.working_key(&ksn, KeyUsage::DataRequest(DataKeyStyle::Owf2009))?;
/// assert_eq!(data.expose_bytes(), hex_literal::hex!("448D3F076D8304036A55A3D7E0055A78"));
/// # Ok::<(), paycrypt_dukpt::Error>(())
/// ```
pub struct Bdk {
    key: TdesKey,
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
        if bytes.len() != 16 {
            return Err(Error::KeyLength { got: bytes.len() });
        }
        Self::new(TdesKey::from_bytes(bytes)?)
    }

    /// A BDK from a double-length [`TdesKey`].
    ///
    /// # Errors
    /// [`Error::KeyLength`] for a triple-length key.
    pub fn new(key: TdesKey) -> Result<Self, Error> {
        let mut k = halves_of(&key)?;
        let mut m = [k[0] ^ KEY_MASK, k[1] ^ KEY_MASK];
        let out = Self {
            pair: engine::key2_lanes(k, m),
            sliced: SlicedBdk::new(k),
            key,
        };
        k.zeroize();
        m.zeroize();
        Ok(out)
    }

    /// The table schedules of `K1, K2, K1 ⊕ mask, K2 ⊕ mask` for the `_vartime` methods
    /// (built per call: the table key schedule is itself secret-indexed).
    fn tables_vartime(&self) -> Result<[Schedule; 4], Error> {
        let mut k = halves_of(&self.key)?;
        let t = [
            Schedule::new_vartime(k[0]),
            Schedule::new_vartime(k[1]),
            Schedule::new_vartime(k[0] ^ KEY_MASK),
            Schedule::new_vartime(k[1] ^ KEY_MASK),
        ];
        k.zeroize();
        Ok(t)
    }

    /// The BDK itself (handle with care).
    #[must_use]
    pub fn expose_key(&self) -> &TdesKey {
        &self.key
    }

    /// IPEK for the device named by the KSN (X9.24-1:2009 A.6):
    ///
    /// ```text
    /// I8     = KSN bytes 0–7 with byte 7 &= E0      (the LEFTMOST 8 bytes of the IKSN)
    /// IPEK_L = TDEA-E(BDK, I8)
    /// IPEK_R = TDEA-E(BDK ⊕ C0C0C0C000000000 C0C0C0C000000000, I8)
    /// ```
    ///
    /// # Errors
    /// None in practice (key lengths are fixed by construction).
    pub fn ipek(&self, ksn: &Ksn) -> Result<Ipek, Error> {
        Ipek::from_halves(self.ipek_halves(ksn))
    }

    /// As [`Bdk::ipek`] with the table-driven DES (variable time).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn ipek_vartime(&self, ksn: &Ksn) -> Result<Ipek, Error> {
        Ipek::from_halves(ipek_halves_vartime(&self.tables_vartime()?, ksn))
    }

    fn ipek_halves(&self, ksn: &Ksn) -> Halves {
        let i8 = ksn.left64() & !0x1F_u64;
        engine::tdea_pair(&self.pair, i8, i8)
    }

    /// Transaction key for the KSN's counter, whatever it is (IPEK, then X9.24-1:2009 A.3).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn transaction_key(&self, ksn: &Ksn) -> Result<TransactionKey, Error> {
        TransactionKey::from_halves(transaction::<Portable>(self.ipek_halves(ksn), ksn))
    }

    /// As [`Bdk::transaction_key`] with the table-driven DES (variable time).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn transaction_key_vartime(&self, ksn: &Ksn) -> Result<TransactionKey, Error> {
        TransactionKey::from_halves(transaction::<TableVartime>(
            ipek_halves_vartime(&self.tables_vartime()?, ksn),
            ksn,
        ))
    }

    /// PIN encryption key for the KSN (X9.24-1:2009 A.4.1).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn pin_key(&self, ksn: &Ksn) -> Result<PinKey, Error> {
        self.transaction_key(ksn)?.pin_key()
    }

    /// Working key `usage` for the KSN (constant time: bitsliced DES on two lanes).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn working_key(&self, ksn: &Ksn, usage: KeyUsage) -> Result<TdesKey, Error> {
        let k = transaction::<Portable>(self.ipek_halves(ksn), ksn);
        key_of(working::<Portable>(k, usage))
    }

    /// Working key `usage` for the KSN, with the table-driven DES (variable time).
    ///
    /// # Errors
    /// As [`Bdk::ipek`].
    pub fn working_key_vartime(&self, ksn: &Ksn, usage: KeyUsage) -> Result<TdesKey, Error> {
        key_of(working_halves_vartime(&self.tables_vartime()?, ksn, usage))
    }

    /// Runs the 64-lane bitsliced derivation over `ksns`, `BATCH` at a time, handing each
    /// key's halves to `emit` (index, halves) in order.
    fn derive_sliced(
        &self,
        ksns: &[Ksn],
        usage: Option<KeyUsage>,
        mut emit: impl FnMut(usize, Halves),
    ) {
        let mut buf = [[0u64; 2]; BATCH];
        for (n, chunk) in ksns.chunks(BATCH).enumerate() {
            let out = buf.get_mut(..chunk.len()).unwrap_or(&mut []);
            bitslice::derive(&self.sliced, chunk, usage, out);
            for (i, k) in out.iter().enumerate() {
                emit(n * BATCH + i, *k);
            }
        }
        buf.zeroize();
    }

    /// Batch derivation: `out[i]` = working key `usage` for `ksns[i]` — constant time, 64
    /// lanes of bitsliced DES (see `dukpt/PERFORMANCE.md`). No allocation.
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many(
        &self,
        ksns: &[Ksn],
        usage: KeyUsage,
        out: &mut [TdesKey],
    ) -> Result<(), Error> {
        check_batch(ksns, out)?;
        let mut result = Ok(());
        self.derive_sliced(ksns, Some(usage), |i, k| {
            if let Some(slot) = out.get_mut(i) {
                match key_of(k) {
                    Ok(key) => *slot = key,
                    Err(e) => result = Err(e),
                }
            }
        });
        result
    }

    /// The raw working keys as bytes (`out[i]` = 16 bytes for `ksns[i]`), constant time (as
    /// [`Bdk::derive_many`]). For callers that format keys straight into a buffer (a batch
    /// tool); the caller zeroizes `out`. `usage = None` gives the transaction keys.
    ///
    /// ```
    /// use paycrypt_dukpt::tdes::{Bdk, KeyUsage, Ksn};
    /// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
    /// let ksns: [Ksn; 2] = ["FFFF9876543210E00001".parse()?, "FFFF9876543210F00000".parse()?];
    /// let mut out = [[0u8; 16]; 2];
    /// bdk.derive_many_bytes(&ksns, Some(KeyUsage::Pin), &mut out)?;
    /// assert_eq!(out[1], hex_literal::hex!("AA4D58DB653EC7B548C75F2F047DD24A"));
    /// # Ok::<(), paycrypt_dukpt::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many_bytes(
        &self,
        ksns: &[Ksn],
        usage: Option<KeyUsage>,
        out: &mut [[u8; 16]],
    ) -> Result<(), Error> {
        if ksns.len() != out.len() {
            return Err(Error::BatchLength {
                ksns: ksns.len(),
                keys: out.len(),
            });
        }
        self.derive_sliced(ksns, usage, |i, k| {
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
    /// use paycrypt_dukpt::tdes::{Bdk, KeyUsage, Ksn};
    /// use paycrypt_primitives::key::TdesKey;
    /// let bdk = Bdk::from_bytes(&hex_literal::hex!("0123456789ABCDEFFEDCBA9876543210"))?;
    /// let ksns: [Ksn; 2] = ["FFFF9876543210E00001".parse()?, "FFFF9876543210F00000".parse()?];
    /// let mut out: [TdesKey; 2] = core::array::from_fn(|_| TdesKey::from_bytes(&[0; 16]).unwrap());
    /// bdk.derive_many_vartime(&ksns, KeyUsage::Pin, &mut out)?;
    /// assert_eq!(out[1].expose_bytes(), hex_literal::hex!("AA4D58DB653EC7B548C75F2F047DD24A"));
    /// # Ok::<(), paycrypt_dukpt::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BatchLength`] when `out` and `ksns` differ in length (nothing is written).
    pub fn derive_many_vartime(
        &self,
        ksns: &[Ksn],
        usage: KeyUsage,
        out: &mut [TdesKey],
    ) -> Result<(), Error> {
        check_batch(ksns, out)?;
        let t = self.tables_vartime()?;
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = working_pair_vartime(&t, a, b, usage);
            *sa = key_of(ka)?;
            *sb = key_of(kb)?;
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            *slot = key_of(working_halves_vartime(&t, ksn, usage))?;
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
        usage: KeyUsage,
        out: &mut [[u8; 16]],
    ) -> Result<(), Error> {
        if ksns.len() != out.len() {
            return Err(Error::BatchLength {
                ksns: ksns.len(),
                keys: out.len(),
            });
        }
        let t = self.tables_vartime()?;
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = working_pair_vartime(&t, a, b, usage);
            put_bytes(sa, ka);
            put_bytes(sb, kb);
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            put_bytes(slot, working_halves_vartime(&t, ksn, usage));
        }
        Ok(())
    }
}

fn put_bytes(slot: &mut [u8; 16], [l, r]: Halves) {
    let (a, b) = slot.split_at_mut(8);
    a.copy_from_slice(&l.to_be_bytes());
    b.copy_from_slice(&r.to_be_bytes());
}

#[inline]
fn ipek_halves_vartime(t: &[Schedule; 4], ksn: &Ksn) -> Halves {
    let i8 = ksn.left64() & !0x1F_u64;
    let [k1, k2, m1, m2] = t;
    engine::tdea_two_vartime([k1, k2], [m1, m2], i8)
}

#[inline]
fn working_halves_vartime(t: &[Schedule; 4], ksn: &Ksn, usage: KeyUsage) -> Halves {
    let k = transaction::<TableVartime>(ipek_halves_vartime(t, ksn), ksn);
    working::<TableVartime>(k, usage)
}

/// Working keys for two KSNs with their derivation chains interleaved.
#[inline]
fn working_pair_vartime(t: &[Schedule; 4], a: &Ksn, b: &Ksn, usage: KeyUsage) -> (Halves, Halves) {
    let (ka, kb) = transaction2_vartime(ipek_halves_vartime(t, a), a, ipek_halves_vartime(t, b), b);
    (
        working::<TableVartime>(ka, usage),
        working::<TableVartime>(kb, usage),
    )
}

fn check_batch(ksns: &[Ksn], out: &[TdesKey]) -> Result<(), Error> {
    if ksns.len() == out.len() {
        Ok(())
    } else {
        Err(Error::BatchLength {
            ksns: ksns.len(),
            keys: out.len(),
        })
    }
}
