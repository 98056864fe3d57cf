//! PBOC / JR/T 0025 e-purse: card-key diversification, the PBOC MAC (also the HCE token MAC),
//! load (圈存) and purchase (消费) with MAC1, MAC2 and TAC (JR/T 0025.2 Electronic Purse /
//! Electronic Deposit application, §§ "圈存", "消费"; JR/T 0025.17 for the MAC).
//!
//! ```text
//! card key   K      = E_MK(f) ‖ E_MK(NOT f)                       (no parity adjustment)
//! MAC(K, x)         = leftmost 4 bytes of ISO/IEC 9797-1 alg 1 (8-byte K) / alg 3 (16-byte K),
//!                     padding method 2 (80 00… always), IV 0 or given
//! load:     SESLK   = E_DLK(random(4) ‖ online ATC(2) ‖ 80 00)
//!           MAC1    = MAC(SESLK, balance(4) ‖ amount(4) ‖ type(1) ‖ terminal(6))
//!           MAC2    = MAC(SESLK, amount ‖ type ‖ terminal ‖ date(4) ‖ time(3))
//!           TAC     = MAC(DTKL ⊕ DTKR, new balance ‖ online ATC ‖ amount ‖ type ‖ terminal ‖ date ‖ time)
//! purchase: SESPK   = E_DPK(random(4) ‖ offline ATC(2) ‖ serial bytes 2–3)
//!           MAC1    = MAC(SESPK, amount ‖ type ‖ terminal ‖ date ‖ time)
//!           MAC2    = MAC(SESPK, amount)
//!           TAC     = MAC(DTKL ⊕ DTKR, amount ‖ type ‖ terminal ‖ serial(4) ‖ date ‖ time)
//! ```

use crate::Error;
use crate::keys::{PbocLoadKey, PbocPurchaseKey, PbocTacKey, tdes_encrypt, tdes_from_16};
use paycrypt_mac::pboc as pboc_profile;
use paycrypt_primitives::key::{DesKey, SymmetricKey, TdesKey};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The longest data the PBOC MAC accepts here, in bytes.
pub const MAX_MAC_DATA: usize = 4096;

/// Transaction type `01`: ED (electronic deposit) load.
pub const TYPE_ED_LOAD: u8 = 0x01;
/// Transaction type `02`: EP (electronic purse) load.
pub const TYPE_EP_LOAD: u8 = 0x02;
/// Transaction type `05`: ED purchase.
pub const TYPE_ED_PURCHASE: u8 = 0x05;
/// Transaction type `06`: EP purchase.
pub const TYPE_EP_PURCHASE: u8 = 0x06;

/// Card-key diversification (JR/T 0025.7 / PBOC 3.0 Part 7 Annex: `E_MK(f) ‖ E_MK(NOT f)`),
/// raw bytes without parity adjustment. Two-level diversification applies it twice.
#[must_use]
pub fn diversify(mk: &TdesKey, factor: [u8; 8]) -> TdesKey {
    let mut out = Zeroizing::new([0u8; 16]);
    let mut l = factor;
    let mut r = factor.map(|b| !b);
    tdes_encrypt(mk, &mut l);
    tdes_encrypt(mk, &mut r);
    for (o, s) in out.iter_mut().zip(l.iter().chain(r.iter())) {
        *o = *s;
    }
    tdes_from_16(&out)
}

/// The PBOC MAC (4 bytes) under a DES (8-byte) or double-length TDES (16-byte) key, through
/// `paycrypt_mac::pboc`. This is also the HCE token MAC.
///
/// # Errors
/// [`Error::KeyLength`] for a key of another length; [`Error::TooLong`] over
/// [`MAX_MAC_DATA`].
pub fn mac(key: &[u8], iv: Option<[u8; 8]>, data: &[u8]) -> Result<[u8; 4], Error> {
    let key = match key.len() {
        8 => SymmetricKey::Des(DesKey::from_bytes(key).map_err(|_| Error::KeyLength { got: 8 })?),
        16 => SymmetricKey::Tdes(crate::keys::tdes16(key)?),
        got => return Err(Error::KeyLength { got }),
    };
    mac_with(&key, iv, data)
}

/// Verifies a PBOC MAC (4 bytes) in constant time (`subtle`).
///
/// # Errors
/// [`Error::MacVerification`] for a wrong MAC (or one not 4 bytes long); as [`mac`].
pub fn verify_mac(
    key: &[u8],
    iv: Option<[u8; 8]>,
    data: &[u8],
    expected: &[u8],
) -> Result<(), Error> {
    let computed = mac(key, iv, data)?;
    verify4(expected, &computed)
}

fn mac_with(key: &SymmetricKey, iv: Option<[u8; 8]>, data: &[u8]) -> Result<[u8; 4], Error> {
    if data.len() > MAX_MAC_DATA {
        return Err(Error::TooLong {
            what: "MAC data",
            max: MAX_MAC_DATA,
            got: data.len(),
        });
    }
    let tag = pboc_profile(key, iv.as_ref().map(|v| &v[..]), data)?;
    crate::error::array("MAC", tag.as_bytes())
}

/// A PBOC process key (SESLK / SESPK): single DES.
fn session_key(key: &TdesKey, input: [u8; 8]) -> SymmetricKey {
    let mut b = Zeroizing::new(input);
    tdes_encrypt(key, &mut b);
    match DesKey::from_bytes(&*b) {
        Ok(k) => SymmetricKey::Des(k),
        Err(_) => SymmetricKey::Des(des_zero()),
    }
}

#[cold]
fn des_zero() -> DesKey {
    match DesKey::from_bytes(&[0u8; 8]) {
        Ok(k) => k,
        Err(_) => des_zero(),
    }
}

/// The TAC key `DTKL ⊕ DTKR` (single DES).
fn tac_key(dtk: &PbocTacKey) -> SymmetricKey {
    let b = dtk.expose_bytes();
    let mut k = Zeroizing::new([0u8; 8]);
    for (i, o) in k.iter_mut().enumerate() {
        *o = b.get(i).copied().unwrap_or(0) ^ b.get(i + 8).copied().unwrap_or(0);
    }
    match DesKey::from_bytes(&*k) {
        Ok(k) => SymmetricKey::Des(k),
        Err(_) => SymmetricKey::Des(des_zero()),
    }
}

/// Concatenates fields into a small buffer and MACs them.
fn mac_fields(key: &SymmetricKey, fields: &[&[u8]]) -> Result<[u8; 4], Error> {
    let mut buf = [0u8; 64];
    let mut n = 0;
    for f in fields {
        if let Some(dst) = buf.get_mut(n..n + f.len()) {
            dst.copy_from_slice(f);
        }
        n += f.len();
    }
    mac_with(key, None, buf.get(..n).unwrap_or(&[]))
}

fn verify4(expected: &[u8], computed: &[u8; 4]) -> Result<(), Error> {
    if expected.len() == 4 && bool::from(computed.ct_eq(expected)) {
        Ok(())
    } else {
        Err(Error::MacVerification)
    }
}

/// A load (圈存) transaction's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    /// The card's pseudo-random number from INITIALIZE FOR LOAD.
    pub random: [u8; 4],
    /// The online ATC from INITIALIZE FOR LOAD.
    pub online_atc: [u8; 2],
    /// The balance before the load (fen).
    pub balance: u32,
    /// The amount (fen).
    pub amount: u32,
    /// Transaction type (`02` EP load, `01` ED load).
    pub tx_type: u8,
    /// Terminal ID.
    pub terminal: [u8; 6],
    /// Date YYYYMMDD (BCD).
    pub date: [u8; 4],
    /// Time hhmmss (BCD).
    pub time: [u8; 3],
}

/// The MACs of a load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadMacs {
    /// MAC1 (card → host).
    pub mac1: [u8; 4],
    /// MAC2 (host → card).
    pub mac2: [u8; 4],
    /// TAC.
    pub tac: [u8; 4],
    /// The balance after the load.
    pub new_balance: u32,
}

/// A load: SESLK, MAC1, MAC2, TAC (JR/T 0025.2 圈存). With `card_mac1` the card's MAC1 is
/// verified first (constant time) and nothing else is computed when it fails.
///
/// # Errors
/// [`Error::MacVerification`] for a wrong MAC1; [`Error::BalanceOverflow`] when the new
/// balance exceeds `FFFFFFFF`.
pub fn load(
    dlk: &PbocLoadKey,
    dtk: &PbocTacKey,
    t: &Load,
    card_mac1: Option<&[u8]>,
) -> Result<LoadMacs, Error> {
    let [a0, a1] = t.online_atc;
    let [r0, r1, r2, r3] = t.random;
    let ses = session_key(dlk.as_tdes(), [r0, r1, r2, r3, a0, a1, 0x80, 0x00]);
    let amount = t.amount.to_be_bytes();
    let mac1 = mac_fields(
        &ses,
        &[&t.balance.to_be_bytes(), &amount, &[t.tx_type], &t.terminal],
    )?;
    if let Some(m) = card_mac1 {
        verify4(m, &mac1)?;
    }
    let new_balance = t
        .balance
        .checked_add(t.amount)
        .ok_or(Error::BalanceOverflow)?;
    let mac2 = mac_fields(
        &ses,
        &[&amount, &[t.tx_type], &t.terminal, &t.date, &t.time],
    )?;
    let tac = mac_fields(
        &tac_key(dtk),
        &[
            &new_balance.to_be_bytes(),
            &t.online_atc,
            &amount,
            &[t.tx_type],
            &t.terminal,
            &t.date,
            &t.time,
        ],
    )?;
    Ok(LoadMacs {
        mac1,
        mac2,
        tac,
        new_balance,
    })
}

/// A purchase (消费) transaction's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purchase {
    /// The card's pseudo-random number from INITIALIZE FOR PURCHASE.
    pub random: [u8; 4],
    /// The offline ATC from INITIALIZE FOR PURCHASE.
    pub offline_atc: [u8; 2],
    /// The terminal transaction serial number.
    pub serial: [u8; 4],
    /// The amount (fen).
    pub amount: u32,
    /// Transaction type (`06` EP purchase, `05` ED purchase).
    pub tx_type: u8,
    /// Terminal ID.
    pub terminal: [u8; 6],
    /// Date YYYYMMDD (BCD).
    pub date: [u8; 4],
    /// Time hhmmss (BCD).
    pub time: [u8; 3],
}

/// The MACs of a purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PurchaseMacs {
    /// MAC1 (terminal / PSAM → card).
    pub mac1: [u8; 4],
    /// MAC2 (card → terminal).
    pub mac2: [u8; 4],
    /// TAC.
    pub tac: [u8; 4],
}

/// A purchase: SESPK, MAC1, MAC2, TAC (JR/T 0025.2 消费). With `mac1` the given MAC1 is
/// verified first (as the card does) and nothing else is computed when it fails.
///
/// # Errors
/// [`Error::MacVerification`] for a wrong MAC1.
pub fn purchase(
    dpk: &PbocPurchaseKey,
    dtk: &PbocTacKey,
    t: &Purchase,
    mac1: Option<&[u8]>,
) -> Result<PurchaseMacs, Error> {
    let [a0, a1] = t.offline_atc;
    let [r0, r1, r2, r3] = t.random;
    let [_, _, s2, s3] = t.serial;
    let ses = session_key(dpk.as_tdes(), [r0, r1, r2, r3, a0, a1, s2, s3]);
    let amount = t.amount.to_be_bytes();
    let m1 = mac_fields(
        &ses,
        &[&amount, &[t.tx_type], &t.terminal, &t.date, &t.time],
    )?;
    if let Some(m) = mac1 {
        verify4(m, &m1)?;
    }
    let mac2 = mac_fields(&ses, &[&amount])?;
    let tac = mac_fields(
        &tac_key(dtk),
        &[
            &amount,
            &[t.tx_type],
            &t.terminal,
            &t.serial,
            &t.date,
            &t.time,
        ],
    )?;
    Ok(PurchaseMacs {
        mac1: m1,
        mac2,
        tac,
    })
}
