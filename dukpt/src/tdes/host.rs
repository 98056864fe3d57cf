//! Host (receiving party) derivation: IPEK from the BDK (X9.24-1:2009 A.6), transaction key
//! from the IPEK (A.3), working keys (A.4.1), and a batch call.

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

/// A Base Derivation Key with its TDEA key schedules expanded once (X9.24-1:2009 A.6).
///
/// The handle caches the schedules of `BDK` and `BDK ⊕ key mask` for both DES back ends, so
/// deriving many IPEKs costs no key schedule. Zeroized on drop; `Debug` prints no key.
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
    /// `TDEA(BDK)`, `TDEA(BDK ⊕ mask)` for the portable path.
    portable: [des::TdesEde2; 2],
    /// `K1, K2, K1 ⊕ mask, K2 ⊕ mask` for the table-driven path.
    tables: [Schedule; 4],
}

impl fmt::Debug for Bdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bdk { ... }")
    }
}

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
            portable: [engine::tdea2(k), engine::tdea2(m)],
            tables: [
                Schedule::new_vartime(k[0]),
                Schedule::new_vartime(k[1]),
                Schedule::new_vartime(m[0]),
                Schedule::new_vartime(m[1]),
            ],
            key,
        };
        k.zeroize();
        m.zeroize();
        Ok(out)
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
        Ipek::from_halves(self.ipek_halves_vartime(ksn))
    }

    fn ipek_halves(&self, ksn: &Ksn) -> Halves {
        let i8 = ksn.left64() & !0x1F_u64;
        let [l, r] = &self.portable;
        [engine::tdea2_encrypt(l, i8), engine::tdea2_encrypt(r, i8)]
    }

    #[inline]
    fn ipek_halves_vartime(&self, ksn: &Ksn) -> Halves {
        let i8 = ksn.left64() & !0x1F_u64;
        let [k1, k2, m1, m2] = &self.tables;
        engine::tdea_two_vartime([k1, k2], [m1, m2], i8)
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
            self.ipek_halves_vartime(ksn),
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

    /// Working key `usage` for the KSN, with the RustCrypto `des` crate.
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
        key_of(self.working_halves_vartime(ksn, usage))
    }

    #[inline]
    fn working_halves_vartime(&self, ksn: &Ksn, usage: KeyUsage) -> Halves {
        let k = transaction::<TableVartime>(self.ipek_halves_vartime(ksn), ksn);
        working::<TableVartime>(k, usage)
    }

    /// Working keys for two KSNs with their derivation chains interleaved.
    #[inline]
    fn working_pair_vartime(&self, a: &Ksn, b: &Ksn, usage: KeyUsage) -> (Halves, Halves) {
        let (ka, kb) = transaction2_vartime(
            self.ipek_halves_vartime(a),
            a,
            self.ipek_halves_vartime(b),
            b,
        );
        (
            working::<TableVartime>(ka, usage),
            working::<TableVartime>(kb, usage),
        )
    }

    /// Batch derivation: `out[i]` = working key `usage` for `ksns[i]`, with the RustCrypto
    /// `des` crate. No allocation.
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
        for (ksn, slot) in ksns.iter().zip(out.iter_mut()) {
            *slot = self.working_key(ksn, usage)?;
        }
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
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = self.working_pair_vartime(a, b, usage);
            *sa = key_of(ka)?;
            *sb = key_of(kb)?;
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            *slot = key_of(self.working_halves_vartime(ksn, usage))?;
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
        let put = |slot: &mut [u8; 16], [l, r]: Halves| {
            let (a, b) = slot.split_at_mut(8);
            a.copy_from_slice(&l.to_be_bytes());
            b.copy_from_slice(&r.to_be_bytes());
        };
        let (pairs, rest) = ksns.as_chunks::<2>();
        let (out_pairs, out_rest) = out.as_chunks_mut::<2>();
        for ([a, b], [sa, sb]) in pairs.iter().zip(out_pairs.iter_mut()) {
            let (ka, kb) = self.working_pair_vartime(a, b, usage);
            put(sa, ka);
            put(sb, kb);
        }
        for (ksn, slot) in rest.iter().zip(out_rest.iter_mut()) {
            put(slot, self.working_halves_vartime(ksn, usage));
        }
        Ok(())
    }
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
