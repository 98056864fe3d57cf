//! The TDES DUKPT derivations on double-length keys in [`Halves`] form, over either DES back
//! end ([`Engine`]): IPEK (ANSI X9.24-1:2009 A.6), transaction key for any counter (A.3) and
//! working key (A.4.1). Everything here is below the typed key roles of `keys` and `host`:
//! it takes and returns halves and never a role.
//!
//! Every intermediate (key halves, the `R8` crypto register) is zeroized before it goes out
//! of scope, on both engines.

use super::des_fast::Schedule;
use super::engine::{self, Engine, TableVartime};
use super::ksn::Ksn;
use super::types::{
    DATA_REQUEST_VARIANT, DATA_RESPONSE_VARIANT, DataKeyStyle, Halves, KEY_MASK, KeyVariant,
    MAC_REQUEST_VARIANT, MAC_RESPONSE_VARIANT, PIN_VARIANT,
};
use crate::counter_bits;
use zeroize::Zeroize;

/// Transaction key for any counter (X9.24-1:2009 A.3):
///
/// ```text
/// R8 = rightmost 8 bytes of the KSN with the 21 counter bits cleared;  K = IPEK
/// for bit = 0x100000 down to 1:  if TC & bit:  R8 |= bit;  K = NRKGP(K, R8)
/// ```
///
/// Counters with more than 10 one-bits are derived too (hosts derive what the KSN carries).
/// `ipek` is zeroized.
#[inline]
pub(crate) fn transaction<E: Engine>(ipek: &mut Halves, ksn: &Ksn) -> Halves {
    let mut r8 = ksn.r8_base();
    let mut k = *ipek;
    ipek.zeroize();
    let mut rest = ksn.counter();
    while rest != 0 {
        // Highest remaining one-bit first (the shift register scans from bit 20 down).
        r8 |= u64::from(counter_bits::take_highest(&mut rest));
        let mut next = E::nrkgp(k, r8);
        k.zeroize();
        k = next;
        next.zeroize();
    }
    r8.zeroize();
    k
}

/// Working key from a transaction key (X9.24-1:2009 A.4.1); `k` is zeroized.
pub(crate) fn working<E: Engine>(k: &mut Halves, variant: KeyVariant) -> Halves {
    let xor = |k: &Halves, v: u64| [k[0] ^ v, k[1] ^ v];
    let out = match variant {
        KeyVariant::Pin => xor(k, PIN_VARIANT),
        KeyVariant::MacRequest => xor(k, MAC_REQUEST_VARIANT),
        KeyVariant::MacResponse => xor(k, MAC_RESPONSE_VARIANT),
        KeyVariant::DataRequest(s) => data::<E>(xor(k, DATA_REQUEST_VARIANT), s, k),
        KeyVariant::DataResponse(s) => data::<E>(xor(k, DATA_RESPONSE_VARIANT), s, k),
    };
    k.zeroize();
    out
}

/// A data key from `var` = transaction key ⊕ data variant in `style` (X9.24-1:2009 A.4.1
/// Figure A-2 for [`DataKeyStyle::Owf2009`]); `var` is zeroized.
fn data<E: Engine>(mut var: Halves, style: DataKeyStyle, k: &Halves) -> Halves {
    let out = match style {
        DataKeyStyle::Owf2009 => E::tdea_encrypt2(var, var[0], var[1]),
        DataKeyStyle::BareVariant => var,
        DataKeyStyle::PinVariantLegacy => [k[0] ^ PIN_VARIANT, k[1] ^ PIN_VARIANT],
    };
    var.zeroize();
    out
}

/// The table schedules of `K1, K2, K1 ⊕ mask, K2 ⊕ mask` of a BDK for the `_vartime` paths
/// (FIPS 46-3 key schedule, built per call: the table key schedule is itself
/// secret-indexed). Zeroized on drop ([`Schedule`] is).
pub(crate) struct Tables([Schedule; 4]);

impl Tables {
    /// The schedules of `bdk`; `bdk` is zeroized.
    pub(crate) fn new_vartime(bdk: &mut Halves) -> Self {
        let t = Self([
            Schedule::new_vartime(bdk[0]),
            Schedule::new_vartime(bdk[1]),
            Schedule::new_vartime(bdk[0] ^ KEY_MASK),
            Schedule::new_vartime(bdk[1] ^ KEY_MASK),
        ]);
        bdk.zeroize();
        t
    }

    /// IPEK (X9.24-1:2009 A.6), table-driven DES:
    ///
    /// ```text
    /// IPEK_L = TDEA-E(BDK, I8);  IPEK_R = TDEA-E(BDK ⊕ C0C0C0C000000000 C0C0C0C000000000, I8)
    /// ```
    #[inline]
    pub(crate) fn ipek_vartime(&self, ksn: &Ksn) -> Halves {
        let [k1, k2, m1, m2] = &self.0;
        engine::tdea_two_vartime([k1, k2], [m1, m2], ksn.i8())
    }

    /// Working key `variant` for a KSN (A.6, A.3, A.4.1), table-driven DES.
    #[inline]
    pub(crate) fn working_vartime(&self, ksn: &Ksn, variant: KeyVariant) -> Halves {
        let mut k = transaction::<TableVartime>(&mut self.ipek_vartime(ksn), ksn);
        working::<TableVartime>(&mut k, variant)
    }

    /// Working keys for two KSNs with their derivation chains interleaved.
    #[inline]
    pub(crate) fn working_pair_vartime(
        &self,
        a: &Ksn,
        b: &Ksn,
        variant: KeyVariant,
    ) -> (Halves, Halves) {
        let (mut ka, mut kb) =
            transaction2_vartime(self.ipek_vartime(a), a, self.ipek_vartime(b), b);
        (
            working::<TableVartime>(&mut ka, variant),
            working::<TableVartime>(&mut kb, variant),
        )
    }
}

impl core::fmt::Debug for Tables {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Tables { ... }")
    }
}

/// Two transaction keys (A.3) with the two NRKGP chains interleaved step by step while both
/// have one-bits left; the longer chain then finishes alone. The chain state is zeroized.
#[inline]
fn transaction2_vartime(ipek_a: Halves, a: &Ksn, ipek_b: Halves, b: &Ksn) -> (Halves, Halves) {
    struct Chain {
        k: Halves,
        r8: u64,
        rest: u32,
    }
    impl Chain {
        fn step(&mut self) -> (Halves, u64) {
            self.r8 |= u64::from(counter_bits::take_highest(&mut self.rest));
            (self.k, self.r8)
        }
    }
    impl Drop for Chain {
        fn drop(&mut self) {
            self.k.zeroize();
            self.r8.zeroize();
        }
    }
    let mut sa = Chain {
        k: ipek_a,
        r8: a.r8_base(),
        rest: a.counter(),
    };
    let mut sb = Chain {
        k: ipek_b,
        r8: b.r8_base(),
        rest: b.counter(),
    };
    loop {
        match (sa.rest != 0, sb.rest != 0) {
            (true, true) => {
                let (mut ka, ra) = sa.step();
                let (mut kb, rb) = sb.step();
                (sa.k, sb.k) = engine::nrkgp2_vartime(ka, ra, kb, rb);
                ka.zeroize();
                kb.zeroize();
            }
            (true, false) => {
                let (mut k, r) = sa.step();
                sa.k = TableVartime::nrkgp(k, r);
                k.zeroize();
            }
            (false, true) => {
                let (mut k, r) = sb.step();
                sb.k = TableVartime::nrkgp(k, r);
                k.zeroize();
            }
            (false, false) => break,
        }
    }
    (sa.k, sb.k)
}
