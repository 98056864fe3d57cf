//! SoftPOS point-to-point encryption with DUKPT, end to end.
//!
//! ```text
//! acquirer: BDK ──X9.24-1 A.6──▶ IPEK ──TR-31 B1 key block + KS (under a KEK)──▶ terminal
//! terminal: unwrap ─▶ originating-device state machine ─▶ per transaction:
//!           PIN block (ISO 9564 format 0), request MAC (X9.19), track data (TDES CBC)
//! host:     BDK + KSN ─▶ same keys ─▶ verify MAC, decrypt data,
//!           translate PIN: DUKPT key (fmt 0) → 3-key TDES zone key (fmt 0) → AES key (fmt 4)
//! ```
//!
//! Then the same flow with AES DUKPT (X9.24-3): AES-128 BDK, a `B1` key block with an `IK`
//! block, format 4 end to end, a CMAC request MAC and AES-CBC data.
//!
//! Run with `cargo run --example softpos`. The BDKs are **test keys** and every key is
//! printed so the walkthrough can be followed; never print or reuse them in production. The
//! process exits 0 only when every check passed.

mod walkthrough;

use paycrypt::dukpt::{aes, tdes};
use paycrypt::keyblock::{
    Algorithm, BlockId, BlockValue, ClearKey, Exportability, Kbpk, KeyBlockHeader, KeyUsage,
    KeyVersion, ModeOfUse, OptionalBlock, Profile, Version, WrapOptions, unwrap, wrap,
};
use paycrypt::mac::X9_19_MAC_LEN;
use paycrypt::mac::{KcvMethod, kcv};
use paycrypt::mac::{MacAlgorithm, MacKey, MacParams, Padding, generate, verify_mac};
use paycrypt::pinblock::{
    EncryptedPinBlock, Format, Pan, Pin, PinKey, decipher, encipher, translate,
};
use paycrypt::primitives::block::BlockCipher;
use paycrypt::primitives::hex::{Hex, decode, decode_array};
use paycrypt::primitives::key::{AesKey, SymmetricKey, TdesKey};
use paycrypt::primitives::rng::{OsRng, fill};
use walkthrough::{Result, check};

/// The TDES test BDK and its legacy KCV as recorded in the project's TR-34 test vectors
/// (`tr34/tests/data/tokens/vectors.json`, `expected_kcv`).
const TDES_BDK: &str = "8A8349794C9EE9A4C2927098F249FED6";
const TDES_BDK_KCV: &str = "9C8552";
/// The KSN of the first transaction; its counter bits cleared give the initial KSN.
const TDES_KSN: &str = "FFFF9876543210E00001";
/// The card.
const PAN: &str = "55164222217375116";
/// The AES DUKPT test BDK and initial key ID of ANSI X9.24-3:2017 Annex B.
const AES_BDK: &str = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
const AES_INITIAL_KEY_ID: &str = "1234567890123456";
/// Its published initial key (X9.24-3-2017 Supplement Test Vectors, AES-128 BDK).
const AES_INITIAL_KEY: &str = "1273671EA26AC29AFA4D1084127652A1";

/// What the terminal sends to the host for one transaction.
struct Request {
    ksn: Vec<u8>,
    pin_block: EncryptedPinBlock,
    track: Vec<u8>,
    amount: &'static str,
    mac: Vec<u8>,
}

impl Request {
    /// The MACed part of the message: KSN ‖ PIN block ‖ encrypted track ‖ amount.
    fn mac_input(&self) -> Vec<u8> {
        let mut m = self.ksn.clone();
        m.extend_from_slice(self.pin_block.as_bytes());
        m.extend_from_slice(&self.track);
        m.extend_from_slice(self.amount.as_bytes());
        m
    }
}

/// One purchase on the terminal: the cardholder's PIN, the track 2 data, the amount.
struct Purchase {
    pin: &'static str,
    track2: &'static str,
    amount: &'static str,
}

const PURCHASES: [Purchase; 3] = [
    Purchase {
        pin: "1234",
        track2: "55164222217375116D28122011234567890",
        amount: "000000001250",
    },
    Purchase {
        pin: "9876",
        track2: "55164222217375116D28122011234567891",
        amount: "000000099900",
    },
    Purchase {
        pin: "271828",
        track2: "55164222217375116D28122011234567892",
        amount: "000000000399",
    },
];

/// Track 2 as packed nibbles (`D` = field separator), padded with `F` to whole cipher blocks.
fn track_bytes(track2: &str, block: usize) -> Result<Vec<u8>> {
    let mut nibbles = String::from(track2);
    while !(nibbles.len() / 2).is_multiple_of(block) || nibbles.len() % 2 == 1 {
        nibbles.push('F');
    }
    Ok(decode(&nibbles)?)
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    fill(&mut OsRng, &mut b)?;
    Ok(b)
}

fn legacy_kcv(key: &SymmetricKey) -> Result<String> {
    Ok(kcv(key, KcvMethod::Legacy, 3)?.to_string())
}

fn cmac_kcv(key: &SymmetricKey) -> Result<String> {
    Ok(kcv(key, KcvMethod::Cmac, 5)?.to_string())
}

/// The acquirer's PIN working keys the host translates into: a 3-key TDES zone PIN key
/// (format 0) and an AES-256 key (format 4).
struct AcquirerKeys {
    zpk_tdes: PinKey,
    zpk_aes: PinKey,
}

impl AcquirerKeys {
    fn generate() -> Result<Self> {
        let t = random::<24>()?;
        let a = random::<32>()?;
        let keys = Self {
            zpk_tdes: PinKey::tdes_from_bytes(&t)?,
            zpk_aes: PinKey::aes_from_bytes(&a)?,
        };
        println!(
            "  acquirer zone PIN key, 3-key TDES (random), KCV {}",
            legacy_kcv(&SymmetricKey::Tdes(TdesKey::from_bytes(&t)?))?
        );
        println!(
            "  acquirer PIN key, AES-256 (random), KCV {}",
            cmac_kcv(&SymmetricKey::Aes(AesKey::from_bytes(&a)?))?
        );
        Ok(keys)
    }
}

// ---------------------------------------------------------------------------------------------
// TDES DUKPT (ANSI X9.24-1:2009)
// ---------------------------------------------------------------------------------------------

fn tdes_flow(acquirer: &AcquirerKeys) -> Result {
    println!("\n=== Part 1: TDES DUKPT (ANSI X9.24-1:2009 Annex A) ===");
    let pan = Pan::new(PAN)?;

    println!("\n[acquirer] 1. BDK (a test key; in production: generated in an HSM)");
    let bdk = tdes::Bdk::from_bytes(&decode_array::<16>(TDES_BDK)?)?;
    let bdk_kcv = legacy_kcv(&SymmetricKey::Tdes(bdk.expose_key().clone()))?;
    println!("  BDK {TDES_BDK}  KCV {bdk_kcv}");
    check(
        bdk_kcv == TDES_BDK_KCV,
        "BDK KCV equals the recorded 9C8552",
    )?;

    println!("\n[acquirer] 2. IPEK for KSN {TDES_KSN} (X9.24-1:2009 A.6)");
    let ksn = tdes::Ksn::from_hex(TDES_KSN)?;
    let iksn = ksn.initial();
    let ipek = bdk.ipek(&ksn);
    let ipek_kcv = legacy_kcv(&SymmetricKey::Tdes(ipek.expose_key().clone()))?;
    println!("  initial KSN {iksn}");
    println!(
        "  IPEK {} (test value)  KCV {ipek_kcv}",
        Hex(ipek.expose_key().expose_bytes())
    );

    println!("\n[acquirer] 3. export the IPEK as a TR-31 B1 key block with a KS block");
    let kek_bytes = random::<24>()?;
    let kek = Kbpk::tdes(&kek_bytes)?;
    println!(
        "  KEK shared with the terminal: 3-key TDES, random, KCV {} (in production: TR-34, see \
         the key_replication example)",
        legacy_kcv(kek.key())?
    );
    let mut header = KeyBlockHeader::new(
        Version::B,
        KeyUsage::B1,
        Algorithm::Tdes,
        ModeOfUse::Derive,
        KeyVersion::Unused,
        Exportability::NonExportable,
    );
    let iksn_hex = iksn.to_string();
    header.push_block(OptionalBlock::from_value(&BlockValue::InitialKsn(
        &iksn_hex,
    ))?)?;
    header.push_block(OptionalBlock::check_value(
        BlockId::KC,
        KcvMethod::Legacy,
        &SymmetricKey::Tdes(ipek.expose_key().clone()),
    )?)?;
    let b1 = wrap(
        &kek,
        &header,
        &ClearKey::new(ipek.expose_key().expose_bytes()),
        &WrapOptions::default(),
        &mut OsRng,
    )?;
    println!("  key block: {b1}");

    println!("\n[terminal] 4. unwrap the key block (X9.143 profile) and load the IPEK");
    let (header, key) = unwrap(&kek, &b1, Profile::X9_143)?.into_parts();
    check(
        header.key_usage() == KeyUsage::B1 && header.algorithm() == Algorithm::Tdes,
        "header says B1 (initial DUKPT key), algorithm T",
    )?;
    let ks = header.optional_block(BlockId::KS).ok_or("no KS block")?;
    let BlockValue::InitialKsn(ks_hex) = ks.value()? else {
        return Err("KS block does not hold an initial KSN".into());
    };
    let terminal_iksn = tdes::Ksn::from_hex(ks_hex)?;
    println!("  KS block: initial KSN {terminal_iksn}");
    check(terminal_iksn == iksn, "initial KSN received intact")?;
    let terminal_ipek = tdes::Ipek::from_bytes(key.expose_bytes())?;
    let received_kcv = legacy_kcv(&SymmetricKey::Tdes(terminal_ipek.expose_key().clone()))?;
    let kc = header.optional_block(BlockId::KC).ok_or("no KC block")?;
    println!("  IPEK KCV {received_kcv}, KC block {}", kc.data());
    check(
        received_kcv == ipek_kcv && kc.data() == format!("00{ipek_kcv}"),
        "IPEK KCV matches the acquirer's and the KC block",
    )?;
    let mut device = tdes::Originator::with_initial_key(&terminal_ipek, &terminal_iksn)?;
    drop(terminal_ipek);
    println!(
        "  21 future-key registers filled; IPEK erased; next KSN {}",
        device.current_ksn()?
    );
    check(
        device.current_ksn()? == ksn,
        "first transaction uses KSN ...E00001",
    )?;
    // The device keeps its state in secure storage between transactions (integrity-checked).
    let storage = tdes::StorageKey::new(&TdesKey::from_bytes(&random::<16>()?)?);
    // ANSI X9.19 = ISO/IEC 9797-1 MAC algorithm 3, padding method 1, leftmost 4 bytes.
    let x919 = MacParams::new(MacAlgorithm::Iso9797Algorithm3 {
        padding: Padding::Method1,
    })
    .with_mac_len(X9_19_MAC_LEN);

    let mut requests = Vec::new();
    for (i, p) in PURCHASES.iter().enumerate() {
        println!(
            "\n[terminal] 5.{} purchase of {} (PIN entered: {} digits)",
            i + 1,
            p.amount,
            p.pin.len()
        );
        let (txn_ksn, tk) = device.next_transaction()?;
        // Save before the keys are used, so a power loss cannot reuse a KSN.
        let saved = device.save(&storage);
        device = tdes::Originator::restore(&saved[..], &storage)?;
        println!("  KSN {txn_ksn} (counter {})", txn_ksn.counter());
        // A DUKPT working key becomes the PIN / MAC / data crate's key in one `from`.
        let pin_key = PinKey::from(tk.pin_key());
        let pin_block = encipher(
            Format::Iso0,
            &pin_key,
            &Pin::new(p.pin)?,
            Some(&pan),
            &mut OsRng,
        )?;
        println!("  PIN block, ISO 9564 format 0 under the DUKPT PIN key: {pin_block}");
        let mut track = track_bytes(p.track2, 8)?;
        let data_key = tk.data_key(
            paycrypt::dukpt::Direction::Request,
            tdes::DataKeyStyle::Owf2009,
        );
        BlockCipher::from(&data_key).cbc_encrypt(&[0u8; 8], &mut track)?;
        println!(
            "  track 2, TDES CBC under the request data key: {}",
            Hex(&track)
        );
        let mut req = Request {
            ksn: txn_ksn.to_bytes().to_vec(),
            pin_block,
            track,
            amount: p.amount,
            mac: Vec::new(),
        };
        let mac_key = tk.mac_key(paycrypt::dukpt::Direction::Request);
        let mac = generate(MacKey::from(&mac_key), &x919, &req.mac_input())?;
        println!("  request MAC, ANSI X9.19 (ISO 9797-1 alg 3, padding 1), 4 bytes: {mac}");
        req.mac = mac.as_bytes().to_vec();
        requests.push(req);
    }

    for (i, (req, p)) in requests.iter().zip(&PURCHASES).enumerate() {
        println!("\n[host] 6.{} request with KSN {}", i + 1, Hex(&req.ksn));
        let ksn = tdes::Ksn::from_slice(&req.ksn)?;
        let tk = bdk.transaction_key(&ksn);
        let mac_key = tk.mac_key(paycrypt::dukpt::Direction::Request);
        verify_mac(MacKey::from(&mac_key), &x919, &req.mac_input(), &req.mac)?;
        println!("    ✓ request MAC verified");
        let mut track = req.track.clone();
        let data_key = tk.data_key(
            paycrypt::dukpt::Direction::Request,
            tdes::DataKeyStyle::Owf2009,
        );
        BlockCipher::from(&data_key).cbc_decrypt(&[0u8; 8], &mut track)?;
        println!("  track 2 decrypted: {}", Hex(&track));
        check(
            track == track_bytes(p.track2, 8)?,
            "track data equals what the card gave",
        )?;

        let dukpt_pin_key = PinKey::from(tk.pin_key());
        let zone = translate(
            req.pin_block.as_bytes(),
            Format::Iso0,
            &dukpt_pin_key,
            Format::Iso0,
            &acquirer.zpk_tdes,
            Some(&pan),
            &mut OsRng,
        )?;
        println!("  PIN translated DUKPT key fmt 0 → 3-key TDES zone key fmt 0: {zone}");
        let aes4 = translate(
            zone.as_bytes(),
            Format::Iso0,
            &acquirer.zpk_tdes,
            Format::Iso4,
            &acquirer.zpk_aes,
            Some(&pan),
            &mut OsRng,
        )?;
        println!("  PIN translated TDES zone key fmt 0 → AES-256 key fmt 4: {aes4}");
        // The check a PIN-verification HSM would make; the example knows the PIN entered.
        let pin = Pin::new(p.pin)?;
        check(
            decipher(
                Format::Iso0,
                &acquirer.zpk_tdes,
                zone.as_bytes(),
                Some(&pan),
            )? == pin
                && decipher(Format::Iso4, &acquirer.zpk_aes, aes4.as_bytes(), Some(&pan))? == pin,
            "both translated PIN blocks hold the PIN the cardholder entered",
        )?;
    }

    println!("\n[host] 7. a request altered in transit is refused");
    let mut forged = requests.pop().ok_or("no request")?;
    forged.amount = "000099999999";
    let tk = bdk.transaction_key(&tdes::Ksn::from_slice(&forged.ksn)?);
    let mac_key = tk.mac_key(paycrypt::dukpt::Direction::Request);
    let outcome = verify_mac(
        MacKey::from(&mac_key),
        &x919,
        &forged.mac_input(),
        &forged.mac,
    );
    println!("  amount changed to {}: {outcome:?}", forged.amount);
    check(
        outcome == Err(paycrypt::mac::Error::Verification),
        "MAC verification fails",
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// AES DUKPT (ANSI X9.24-3:2017)
// ---------------------------------------------------------------------------------------------

fn aes_flow(acquirer: &AcquirerKeys) -> Result {
    println!("\n=== Part 2: AES DUKPT (ANSI X9.24-3:2017 §6), format 4 end to end ===");
    let pan = Pan::new(PAN)?;
    let cmac8 = MacParams::new(MacAlgorithm::Cmac).with_mac_len(8);

    println!("\n[acquirer] 1. AES-128 BDK (X9.24-3 test key) and initial key ID");
    let bdk = aes::Bdk::from_bytes(&decode_array::<16>(AES_BDK)?)?;
    println!(
        "  BDK {AES_BDK}  KCV (CMAC) {}",
        cmac_kcv(&SymmetricKey::Aes(bdk.expose_key().clone()))?
    );
    let ikid = aes::InitialKeyId::from_hex(AES_INITIAL_KEY_ID)?;

    println!("\n[acquirer] 2. initial key for initial key ID {ikid} (X9.24-3:2017 §6.3.3)");
    let ik = bdk.initial_key(&ikid);
    let ik_key = SymmetricKey::Aes(ik.expose_key());
    let ik_kcv = cmac_kcv(&ik_key)?;
    println!(
        "  initial key {} (test value)  KCV {ik_kcv}",
        Hex(ik_key.expose_bytes())
    );
    check(
        ik_key.expose_bytes() == decode_array::<16>(AES_INITIAL_KEY)?,
        "equals the X9.24-3-2017 supplement test vector",
    )?;

    println!("\n[acquirer] 3. export it as a B1 key block (version D) with an IK block");
    let kek_bytes = random::<32>()?;
    let kek = Kbpk::aes(&kek_bytes)?;
    println!("  KEK: AES-256, random, KCV {}", cmac_kcv(kek.key())?);
    let mut header = KeyBlockHeader::new(
        Version::D,
        KeyUsage::B1,
        Algorithm::Aes,
        ModeOfUse::Derive,
        KeyVersion::Unused,
        Exportability::NonExportable,
    );
    let ikid_hex = ikid.to_string();
    header.push_block(OptionalBlock::from_value(&BlockValue::InitialKeyId(
        &ikid_hex,
    ))?)?;
    header.push_block(OptionalBlock::check_value(
        BlockId::KC,
        KcvMethod::Cmac,
        &ik_key,
    )?)?;
    let b1 = wrap(
        &kek,
        &header,
        &ClearKey::from(&ik_key),
        &WrapOptions::default(),
        &mut OsRng,
    )?;
    println!("  key block: {b1}");

    println!("\n[terminal] 4. unwrap and load the initial key");
    let (header, key) = unwrap(&kek, &b1, Profile::X9_143)?.into_parts();
    check(
        header.key_usage() == KeyUsage::B1 && header.algorithm() == Algorithm::Aes,
        "header says B1, algorithm A",
    )?;
    let ik_block = header.optional_block(BlockId::IK).ok_or("no IK block")?;
    let BlockValue::InitialKeyId(ik_hex) = ik_block.value()? else {
        return Err("IK block does not hold an initial key ID".into());
    };
    let terminal_ikid = aes::InitialKeyId::from_hex(ik_hex)?;
    check(terminal_ikid == ikid, "initial key ID received intact")?;
    let received = key.to_symmetric_key(Algorithm::Aes)?;
    let kc = header.optional_block(BlockId::KC).ok_or("no KC block")?;
    check(
        cmac_kcv(&received)? == ik_kcv && kc.data() == format!("01{ik_kcv}"),
        "initial key KCV matches the acquirer's and the KC block",
    )?;
    let mut device = aes::Originator::load(aes::InitialKey::from_bytes(
        key.expose_bytes(),
        terminal_ikid,
    )?);
    println!(
        "  32 intermediate-key registers filled; initial key erased; next KSN {}",
        device.current_ksn()?
    );
    // The device keeps its state in secure storage between transactions (integrity-checked).
    let storage = aes::StorageKey::new(&AesKey::from_bytes(&random::<16>()?)?);

    let mut requests = Vec::new();
    for (i, p) in PURCHASES.iter().enumerate() {
        println!("\n[terminal] 5.{} purchase of {}", i + 1, p.amount);
        // The current register (intermediate derivation key) and its KSN; the device moves on
        // ("new key", X9.24-3:2017 §6.5) and saves its state before the keys are used.
        let (ksn, current) = device.next_transaction()?;
        let saved = device.save(&storage);
        device = aes::Originator::restore(saved.as_slice(), &storage)?;
        println!("  KSN {ksn} (counter {})", ksn.counter());
        // Each working key converts after a usage check (a MAC key is not a PIN key).
        let key = |usage| current.working_key(usage, aes::KeyType::Aes128);
        let pin_key = PinKey::try_from(&key(aes::KeyUsage::PinEncryption)?)?;
        let pin_block = encipher(
            Format::Iso4,
            &pin_key,
            &Pin::new(p.pin)?,
            Some(&pan),
            &mut OsRng,
        )?;
        println!("  PIN block, ISO 9564 format 4 under the DUKPT AES PIN key: {pin_block}");
        let mut track = track_bytes(p.track2, 16)?;
        BlockCipher::try_from(&key(aes::KeyUsage::DataEncrypt)?)?
            .cbc_encrypt(&[0u8; 16], &mut track)?;
        println!(
            "  track 2, AES-128 CBC under the request data key: {}",
            Hex(&track)
        );
        let mut req = Request {
            ksn: ksn.to_bytes().to_vec(),
            pin_block,
            track,
            amount: p.amount,
            mac: Vec::new(),
        };
        let mac_key = key(aes::KeyUsage::MacGeneration)?;
        let mac = generate(MacKey::try_from(&mac_key)?, &cmac8, &req.mac_input())?;
        println!("  request MAC, AES-CMAC, 8 bytes: {mac}");
        req.mac = mac.as_bytes().to_vec();
        requests.push(req);
    }

    for (i, (req, p)) in requests.iter().zip(&PURCHASES).enumerate() {
        println!("\n[host] 6.{} request with KSN {}", i + 1, Hex(&req.ksn));
        let ksn = aes::Ksn::from_slice(&req.ksn)?;
        // The host decrypts request data with the DataEncrypt key and verifies a request MAC
        // with the MacGeneration key (X9.24-3 usages are named from the device's side).
        let key = |usage| bdk.working_key(&ksn, usage, aes::KeyType::Aes128);
        let mac_key = key(aes::KeyUsage::MacGeneration)?;
        verify_mac(
            MacKey::try_from(&mac_key)?,
            &cmac8,
            &req.mac_input(),
            &req.mac,
        )?;
        println!("    ✓ request CMAC verified");
        let mut track = req.track.clone();
        BlockCipher::try_from(&key(aes::KeyUsage::DataEncrypt)?)?
            .cbc_decrypt(&[0u8; 16], &mut track)?;
        println!("  track 2 decrypted: {}", Hex(&track));
        check(
            track == track_bytes(p.track2, 16)?,
            "track data equals what the card gave",
        )?;
        let dukpt_pin_key = PinKey::try_from(&key(aes::KeyUsage::PinEncryption)?)?;
        let out = translate(
            req.pin_block.as_bytes(),
            Format::Iso4,
            &dukpt_pin_key,
            Format::Iso4,
            &acquirer.zpk_aes,
            Some(&pan),
            &mut OsRng,
        )?;
        println!("  PIN translated DUKPT AES key fmt 4 → AES-256 acquirer key fmt 4: {out}");
        check(
            decipher(Format::Iso4, &acquirer.zpk_aes, out.as_bytes(), Some(&pan))?
                == Pin::new(p.pin)?,
            "the translated PIN block holds the PIN the cardholder entered",
        )?;
    }

    println!("\n[host] 7. a replayed request under another KSN is refused");
    let mut forged = requests.pop().ok_or("no request")?;
    forged.ksn = requests.first().ok_or("no request")?.ksn.clone();
    let ksn = aes::Ksn::from_slice(&forged.ksn)?;
    let mac_key = bdk.working_key(&ksn, aes::KeyUsage::MacGeneration, aes::KeyType::Aes128)?;
    let outcome = verify_mac(
        MacKey::try_from(&mac_key)?,
        &cmac8,
        &forged.mac_input(),
        &forged.mac,
    );
    println!("  KSN swapped to {ksn}: {outcome:?}");
    check(
        outcome == Err(paycrypt::mac::Error::Verification),
        "CMAC verification fails",
    )?;
    Ok(())
}

/// The whole walkthrough; `Err` as soon as any step or check fails.
fn run() -> Result {
    println!("SoftPOS DUKPT walkthrough (test keys only: they are printed on purpose)");
    println!("\n[acquirer] 0. PIN working keys the host translates into");
    let acquirer = AcquirerKeys::generate()?;
    tdes_flow(&acquirer)?;
    aes_flow(&acquirer)?;
    println!("\nAll checks passed.");
    Ok(())
}

#[cfg_attr(test, allow(dead_code))]
fn main() -> Result {
    run()
}

#[cfg(test)]
mod tests {
    #[test]
    fn softpos_walkthrough_passes_every_check() {
        super::run().unwrap();
    }
}
