//! The HCE token flow end to end on the PBOC / JR/T 0025 e-purse functions of `paycrypt-emv`:
//!
//! 1. card keys: the issuer diversifies the token's load, purchase and TAC keys (DLK, DPK, DTK)
//!    and a token MAC key from its master keys with the factor "rightmost 16 digits of
//!    PAN ‖ PSN" (`E_MK(f) ‖ E_MK(NOT f)`);
//! 2. token MAC: the provisioning record (token, expiry, ATC, offline limit) travels with a
//!    4-byte PBOC MAC; the wallet verifies it, and a changed offline limit is refused;
//! 3. offline-amount protection: a load (圈存) raises the offline balance only after the host
//!    verified the card's MAC1; the card accepts the host's MAC2; a load past `FFFFFFFF` is
//!    refused; the TAC records the new balance;
//! 4. purchase (消费) with TAC: the terminal's MAC1 is checked by the card, which answers with
//!    MAC2 and the TAC; the issuer recomputes the TAC at clearing and refuses a changed amount.
//!
//! The keys are test values printed on purpose. Run with
//! `cargo run --example hce_token_flow`; exits 0 only when every check passed.

mod walkthrough;

use paycrypt::emv::pboc::{self, Load, Purchase, TYPE_EP_LOAD, TYPE_EP_PURCHASE};
use paycrypt::emv::{Error, PbocLoadKey, PbocPurchaseKey, PbocTacKey};
use paycrypt::primitives::hex::{Hex, decode_array};
use paycrypt::primitives::key::TdesKey;
use walkthrough::{Result, check};

/// Issuer master keys (test values).
const MK_DLK: &str = "11111111111111112222222222222222";
const MK_DPK: &str = "33333333333333334444444444444444";
const MK_DTK: &str = "55555555555555556666666666666666";
const MK_TOKEN: &str = "77777777777777778888888888888888";

/// The token (device PAN) and its PSN.
const TOKEN_PAN: &str = "6212345678901234567";
const PSN: &str = "01";

fn master(hex: &str) -> Result<TdesKey> {
    Ok(TdesKey::from_bytes(&decode_array::<16>(hex)?)?)
}

/// The diversification factor: the rightmost 16 digits of PAN ‖ PSN, as BCD.
fn factor() -> Result<[u8; 8]> {
    let digits = format!("{TOKEN_PAN}{PSN}");
    let right = digits.get(digits.len() - 16..).ok_or("short PAN")?;
    Ok(decode_array::<8>(right)?)
}

fn main() -> Result {
    println!("1. card keys for token {TOKEN_PAN} (PSN {PSN})");
    let f = factor()?;
    println!("  factor                 {}", Hex(&f));
    let dlk = PbocLoadKey::from_bytes(pboc::diversify(&master(MK_DLK)?, f).expose_bytes())?;
    let dpk = PbocPurchaseKey::from_bytes(pboc::diversify(&master(MK_DPK)?, f).expose_bytes())?;
    let dtk = PbocTacKey::from_bytes(pboc::diversify(&master(MK_DTK)?, f).expose_bytes())?;
    let token_key = pboc::diversify(&master(MK_TOKEN)?, f);
    println!(
        "  DLK KCV {}  DPK KCV {}  DTK KCV {}",
        Hex(&dlk.kcv()),
        Hex(&dpk.kcv()),
        Hex(&dtk.kcv())
    );
    check(
        dlk.expose_bytes() != dpk.expose_bytes(),
        "each role has its own key",
    )?;

    println!("2. token MAC over the provisioning record");
    let limit: u32 = 50_000; // offline limit in fen (500.00)
    let mut record = Vec::new();
    record.extend_from_slice(&decode_array::<10>(&format!("{TOKEN_PAN}F"))?);
    record.extend_from_slice(&[0x28, 0x12]); // expiry YYMM
    record.extend_from_slice(&[0x00, 0x01]); // ATC
    record.extend_from_slice(&limit.to_be_bytes());
    let mac = pboc::mac(token_key.expose_bytes(), None, &record)?;
    println!("  record {}  MAC {}", Hex(&record), Hex(&mac));
    let wallet = pboc::verify_mac(token_key.expose_bytes(), None, &record, &mac);
    check(
        wallet.is_ok(),
        "the wallet verifies the token MAC (constant-time compare)",
    )?;
    let mut raised = record.clone();
    if let Some(b) = raised.last_mut() {
        *b ^= 0x01;
    }
    let forged = pboc::mac(token_key.expose_bytes(), None, &raised)?;
    check(
        forged != mac,
        "a changed offline limit no longer matches the MAC",
    )?;

    println!("3. load 200.00 onto the offline balance");
    let load = Load {
        random: [0x1A, 0x2B, 0x3C, 0x4D],
        online_atc: [0x00, 0x01],
        balance: 0,
        amount: 20_000,
        tx_type: TYPE_EP_LOAD,
        terminal: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66],
        date: [0x20, 0x26, 0x12, 0x04],
        time: [0x19, 0x30, 0x00],
    };
    // The card computes MAC1 in INITIALIZE FOR LOAD; the host verifies it before MAC2.
    let card = pboc::load(&dlk, &dtk, &load, None)?;
    let host = pboc::load(&dlk, &dtk, &load, Some(&card.mac1))?;
    println!(
        "  MAC1 {}  MAC2 {}  TAC {}  new balance {}",
        Hex(&host.mac1),
        Hex(&host.mac2),
        Hex(&host.tac),
        host.new_balance
    );
    check(
        host.mac2 == card.mac2,
        "the card accepts the host's MAC2 (CREDIT FOR LOAD)",
    )?;
    check(
        pboc::load(&dlk, &dtk, &load, Some(&[0, 0, 0, 0])) == Err(Error::MacVerification),
        "a wrong MAC1 gets no MAC2",
    )?;
    let overflow = Load {
        balance: u32::MAX - 100,
        ..load
    };
    check(
        pboc::load(&dlk, &dtk, &overflow, None) == Err(Error::BalanceOverflow),
        "a load past FFFFFFFF is refused",
    )?;
    check(
        host.new_balance <= limit,
        "the balance stays within the token's offline limit",
    )?;

    println!("4. purchase 35.00 with TAC");
    let purchase = Purchase {
        random: [0x5E, 0x6F, 0x70, 0x81],
        offline_atc: [0x00, 0x01],
        serial: [0x00, 0x00, 0x00, 0x2A],
        amount: 3_500,
        tx_type: TYPE_EP_PURCHASE,
        terminal: load.terminal,
        date: load.date,
        time: [0x19, 0x31, 0x15],
    };
    // The PSAM computes MAC1; the card verifies it and answers with MAC2 and the TAC.
    let psam = pboc::purchase(&dpk, &dtk, &purchase, None)?;
    let card = pboc::purchase(&dpk, &dtk, &purchase, Some(&psam.mac1))?;
    println!(
        "  MAC1 {}  MAC2 {}  TAC {}",
        Hex(&card.mac1),
        Hex(&card.mac2),
        Hex(&card.tac)
    );
    check(
        card.mac2 == psam.mac2,
        "the terminal accepts the card's MAC2",
    )?;
    let balance = host
        .new_balance
        .checked_sub(purchase.amount)
        .ok_or("insufficient balance")?;
    println!("  balance after purchase {balance}");
    // Clearing: the issuer recomputes the TAC; a changed amount does not match.
    let clearing = pboc::purchase(&dpk, &dtk, &purchase, None)?;
    check(
        clearing.tac == card.tac,
        "the issuer verifies the TAC at clearing",
    )?;
    let altered = Purchase {
        amount: 350,
        ..purchase
    };
    let altered = pboc::purchase(&dpk, &dtk, &altered, None)?;
    check(altered.tac != card.tac, "a changed amount fails the TAC")?;
    println!("all checks passed");
    Ok(())
}
