//! Issuer-script secure messaging (EMV 4.4 Book 2 §9; VIS; M/Chip): session keys, command
//! MAC, command-data encryption and the PIN CHANGE/UNBLOCK command.
//!
//! ```text
//! MAC  = MAC3(SK_SMI, CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data, method 2), 4–8 bytes
//! visa : TDES-ECB(SK_SMC, pad2(len(data) ‖ data))
//! mchip: TDES-CBC(SK_SMC, IV 0, data, pad2 only when not block-aligned)
//! emv  : TDES-CBC(SK_SMC, IV 0, pad2(data))
//! ```

use crate::Error;
use crate::cvn::{CryptogramVersion, Scheme, SmEncryption, SmKeyMethod};
use crate::error::check_len;
use crate::kdf::{common_session_key, visa_sm_session_key};
use crate::keys::{Ac, IccMasterKey, Smc, SmcSessionKey, Smi, SmiSessionKey};
use paycrypt_mac::Padding;
use paycrypt_pinblock::Pin;
use paycrypt_primitives::block::BlockCipher;
use paycrypt_primitives::key::{SymmetricKey, TdesKey};
use paycrypt_primitives::pad::{DataPadding, pad_in_place};
use zeroize::Zeroizing;

/// The longest command data accepted (a short APDU carries at most 255 bytes).
pub const MAX_COMMAND_DATA: usize = 255;

/// The SMI session key (EMV 4.4 Book 2 §9.2 / A1.3; VIS for the Visa SM method).
#[must_use]
pub fn smi_session_key(
    method: SmKeyMethod,
    mk: &IccMasterKey<Smi>,
    atc: [u8; 2],
    arqc: [u8; 8],
) -> SmiSessionKey {
    SmiSessionKey::wrap(sm_key(method, mk.as_tdes(), atc, arqc))
}

/// The SMC session key (EMV 4.4 Book 2 §9.3 / A1.3; VIS for the Visa SM method).
#[must_use]
pub fn smc_session_key(
    method: SmKeyMethod,
    mk: &IccMasterKey<Smc>,
    atc: [u8; 2],
    arqc: [u8; 8],
) -> SmcSessionKey {
    SmcSessionKey::wrap(sm_key(method, mk.as_tdes(), atc, arqc))
}

fn sm_key(method: SmKeyMethod, mk: &TdesKey, atc: [u8; 2], arqc: [u8; 8]) -> TdesKey {
    match method {
        SmKeyMethod::VisaSm => visa_sm_session_key(mk, atc),
        SmKeyMethod::CommonSessionKeyArqc => common_session_key(mk, &arqc),
    }
}

/// A command MAC, 4 to 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandMac {
    bytes: [u8; 8],
    len: u8,
}

impl CommandMac {
    /// The MAC bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

/// The issuer-script command MAC (EMV 4.4 Book 2 §9.2.1): ISO/IEC 9797-1 MAC algorithm 3,
/// padding method 2, over `header ‖ ATC ‖ ARQC ‖ data`, leftmost `len` bytes (4–8). The
/// header is `CLA INS P1 P2 Lc` with the final Lc (data plus MAC length); it is MACed as given.
///
/// # Errors
/// [`Error::FieldLength`] for a MAC length outside 4–8; [`Error::TooLong`] for data over
/// [`MAX_COMMAND_DATA`].
pub fn command_mac(
    key: &SmiSessionKey,
    header: [u8; 5],
    atc: [u8; 2],
    arqc: [u8; 8],
    data: &[u8],
    len: usize,
) -> Result<CommandMac, Error> {
    check_len("script MAC", len, 4, 8)?;
    data_limit(data)?;
    let mut m = paycrypt_mac::Algorithm3::new(key.as_tdes(), Padding::Method2, None)?;
    m.update(&header);
    m.update(&atc);
    m.update(&arqc);
    m.update(data);
    let tag = m.finalize()?;
    let mut bytes = [0u8; 8];
    if let (Some(dst), Some(src)) = (bytes.get_mut(..len), tag.as_bytes().get(..len)) {
        dst.copy_from_slice(src);
    }
    Ok(CommandMac {
        bytes,
        len: u8::try_from(len).unwrap_or(8),
    })
}

fn data_limit(data: &[u8]) -> Result<(), Error> {
    if data.len() > MAX_COMMAND_DATA {
        Err(Error::TooLong {
            what: "command data",
            max: MAX_COMMAND_DATA,
            got: data.len(),
        })
    } else {
        Ok(())
    }
}

/// A block-cipher error (only a misaligned length, which the padding rules out).
const fn prim(e: paycrypt_primitives::Error) -> Error {
    Error::Mac(paycrypt_mac::Error::Primitives(e))
}

/// Enciphered command data (at most 264 bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptedData {
    bytes: [u8; 264],
    len: usize,
}

impl core::fmt::Debug for EncryptedData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EncryptedData")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl EncryptedData {
    /// The ciphertext.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// Command-data encryption under SK_SMC (EMV 4.4 Book 2 §9.3; VIS; M/Chip), see the module
/// docs for the three modes.
///
/// # Errors
/// [`Error::TooLong`] for data over [`MAX_COMMAND_DATA`].
pub fn encrypt_command_data(
    key: &SmcSessionKey,
    mode: SmEncryption,
    data: &[u8],
) -> Result<EncryptedData, Error> {
    data_limit(data)?;
    let mut buf = Zeroizing::new([0u8; 264]);
    let n = data.len();
    let cipher = BlockCipher::new(&SymmetricKey::Tdes(key.as_tdes().clone()));
    let len = match mode {
        SmEncryption::Visa => {
            if let Some(b) = buf.first_mut() {
                *b = u8::try_from(n).unwrap_or(0xFF);
            }
            if let Some(dst) = buf.get_mut(1..=n) {
                dst.copy_from_slice(data);
            }
            // ISO/IEC 9797-1:2011 §6.1.2 padding method 2 over the 8-byte TDEA block.
            let len =
                pad_in_place(DataPadding::Iso9797Method2, &mut *buf, n + 1, 8).map_err(prim)?;
            cipher
                .ecb_encrypt(buf.get_mut(..len).unwrap_or(&mut []))
                .map_err(prim)?;
            len
        }
        SmEncryption::Mchip | SmEncryption::Emv => {
            if let Some(dst) = buf.get_mut(..n) {
                dst.copy_from_slice(data);
            }
            let len = if mode == SmEncryption::Mchip && n.is_multiple_of(8) {
                n
            } else {
                pad_in_place(DataPadding::Iso9797Method2, &mut *buf, n, 8).map_err(prim)?
            };
            cipher
                .cbc_encrypt(&[0u8; 8], buf.get_mut(..len).unwrap_or(&mut []))
                .map_err(prim)?;
            len
        }
    };
    let mut bytes = [0u8; 264];
    bytes.copy_from_slice(&*buf);
    Ok(EncryptedData { bytes, len })
}

/// The VIS PIN block (Visa Integrated Circuit Card Specification, PIN change/unblock):
///
/// ```text
/// A = 00 00 00 00 ‖ MK-AC bytes 4–7
/// B = len(PIN) ‖ PIN digits ‖ F…F           (8 bytes, 14 nibbles after the length byte)
/// block = A ⊕ B [⊕ current PIN digits ‖ 0…0 (16 nibbles)]
/// ```
fn vis_pin_block(mk_ac: &IccMasterKey<Ac>, pin: &Pin, current: Option<&Pin>) -> Zeroizing<[u8; 8]> {
    let mut nib = Zeroizing::new([0xFu8; 16]);
    let mut b = Zeroizing::new([0u8; 8]);
    let digits = pin.expose_digits();
    let l = u8::try_from(digits.len()).unwrap_or(0);
    let [n0, n1, ..] = &mut *nib;
    *n0 = l >> 4;
    *n1 = l & 0x0F;
    for (n, d) in nib.iter_mut().skip(2).zip(digits) {
        *n = d.wrapping_sub(b'0') & 0x0F;
    }
    pack(&nib, &mut b);
    for (x, k) in b
        .iter_mut()
        .skip(4)
        .zip(mk_ac.expose_bytes().iter().skip(4))
    {
        *x ^= k;
    }
    if let Some(cur) = current {
        let mut cn = Zeroizing::new([0u8; 16]);
        for (n, d) in cn.iter_mut().zip(cur.expose_digits()) {
            *n = d.wrapping_sub(b'0') & 0x0F;
        }
        let mut c = Zeroizing::new([0u8; 8]);
        pack(&cn, &mut c);
        for (x, y) in b.iter_mut().zip(c.iter()) {
            *x ^= y;
        }
    }
    b
}

/// The ISO 9564-1 format 2 PIN block `2N PIN F…F` (ISO 9564-1:2017 §9.3.3).
fn iso2_pin_block(pin: &Pin) -> Zeroizing<[u8; 8]> {
    let mut nib = Zeroizing::new([0xFu8; 16]);
    let digits = pin.expose_digits();
    let [n0, n1, ..] = &mut *nib;
    *n0 = 2;
    *n1 = u8::try_from(digits.len()).unwrap_or(0) & 0x0F;
    for (n, d) in nib.iter_mut().skip(2).zip(digits) {
        *n = d.wrapping_sub(b'0') & 0x0F;
    }
    let mut b = Zeroizing::new([0u8; 8]);
    pack(&nib, &mut b);
    b
}

fn pack(nibbles: &[u8; 16], out: &mut [u8; 8]) {
    for (o, pair) in out.iter_mut().zip(nibbles.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *o = (hi << 4) | lo;
        }
    }
}

/// The three ICC master keys of a card (MK-AC for the VIS PIN block, MK-SMI, MK-SMC).
#[derive(Debug)]
pub struct CardMasterKeys<'a> {
    /// MK-AC.
    pub ac: &'a IccMasterKey<Ac>,
    /// MK-SMI.
    pub smi: &'a IccMasterKey<Smi>,
    /// MK-SMC.
    pub smc: &'a IccMasterKey<Smc>,
}

/// A PIN CHANGE/UNBLOCK command (`84 24 00 P2 Lc ‖ enciphered PIN block ‖ MAC`).
#[derive(Clone, PartialEq, Eq)]
pub struct PinChangeCommand {
    header: [u8; 5],
    block: EncryptedData,
    mac: CommandMac,
}

impl core::fmt::Debug for PinChangeCommand {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PinChangeCommand")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl PinChangeCommand {
    /// The command header.
    #[must_use]
    pub const fn header(&self) -> [u8; 5] {
        self.header
    }

    /// The enciphered PIN block.
    #[must_use]
    pub fn encrypted_pin_block(&self) -> &[u8] {
        self.block.as_bytes()
    }

    /// The 8-byte command MAC.
    #[must_use]
    pub fn mac(&self) -> &[u8] {
        self.mac.as_bytes()
    }

    /// The whole APDU `header ‖ enciphered PIN block ‖ MAC` into `out`; returns its length.
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`].
    pub fn write_apdu(&self, out: &mut [u8]) -> Result<usize, Error> {
        let b = self.block.as_bytes();
        let m = self.mac.as_bytes();
        let need = 5 + b.len() + m.len();
        let dst = out.get_mut(..need).ok_or(Error::BufferTooSmall { need })?;
        for (d, s) in dst.iter_mut().zip(self.header.iter().chain(b).chain(m)) {
            *d = *s;
        }
        Ok(need)
    }
}

/// The PIN CHANGE/UNBLOCK command (EMV 4.4 Book 3 §6.5.10, VIS, M/Chip):
///
/// - Visa with the current PIN (all Visa profiles) and Visa CVN 10/18 without it: the VIS PIN
///   block (`00000000 ‖ MK-AC[4..8]` ⊕ `len ‖ PIN ‖ F…`, ⊕ the current PIN); P2 `01` with the current PIN, `02` without; Lc `18`;
/// - Visa CVN 22 without the current PIN: ISO 9564 format 2; P2 `02`, Lc `18`;
/// - M/Chip: ISO 9564 format 2, header `84 24 00 02 10`; no current-PIN variant.
///
/// The block is enciphered with the profile's mode under SK_SMC, then MACed under SK_SMI over
/// `header ‖ ATC ‖ ARQC ‖ enciphered block` (8 bytes). The clear block is zeroized.
///
/// # Errors
/// [`Error::Parameter`] for a current PIN with an M/Chip profile.
pub fn pin_change_command(
    profile: CryptogramVersion,
    keys: &CardMasterKeys<'_>,
    pin: &Pin,
    current: Option<&Pin>,
    atc: [u8; 2],
    arqc: [u8; 8],
) -> Result<PinChangeCommand, Error> {
    let spec = profile.spec();
    let (block, p2) = match (spec.scheme, current) {
        (Scheme::Mastercard, Some(_)) => {
            return Err(Error::Parameter {
                what: "M/Chip PIN change has no current-PIN variant",
            });
        }
        (Scheme::Mastercard, None) => (iso2_pin_block(pin), 0x02),
        (Scheme::Visa, Some(c)) => (vis_pin_block(keys.ac, pin, Some(c)), 0x01),
        (Scheme::Visa, None) if profile == CryptogramVersion::Visa22 => (iso2_pin_block(pin), 0x02),
        (Scheme::Visa, None) => (vis_pin_block(keys.ac, pin, None), 0x02),
    };
    let smc = smc_session_key(spec.sm_key, keys.smc, atc, arqc);
    let enc = encrypt_command_data(&smc, spec.sm_encryption, &*block)?;
    let lc = u8::try_from(enc.as_bytes().len() + 8).unwrap_or(0);
    let header = [0x84, 0x24, 0x00, p2, lc];
    let smi = smi_session_key(spec.sm_key, keys.smi, atc, arqc);
    let mac = command_mac(&smi, header, atc, arqc, enc.as_bytes(), 8)?;
    Ok(PinChangeCommand {
        header,
        block: enc,
        mac,
    })
}
