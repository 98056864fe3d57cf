//! Cryptogram-version profiles as data, and CVN detection from the issuer application data
//! (tag 9F10).
//!
//! The table follows pyemv 1.5.0 (`cvn.py`) and jPOS 3 (`org.jpos.emv.cryptogram`), which
//! agree on the data selection (Visa: VIS 1.5/1.6 and the Visa Contactless Payment
//! Specification IAD formats; Mastercard: M/Chip 4 and M/Chip Advance card application
//! specifications). Adding a profile is adding a row.

use crate::Error;
use crate::kdf::IccDerivation;
use paycrypt_mac::Padding;

/// How the AC key is obtained from the ICC master key (EMV 4.4 Book 2 A1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AcKeyMethod {
    /// No session key: the ICC MK itself (Visa CVN 10, "UDK").
    IccMasterKey,
    /// Common session key with `R = ATC ‖ 00…00` (Book 2 A1.3.1).
    CommonSessionKey,
    /// Mastercard SKD: the common session key function with `R = ATC ‖ 0000 ‖ UN`.
    MastercardSkd,
}

/// Which part of the issuer application data enters the cryptogram input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IadPart {
    /// Visa formats 0/1/3: IAD bytes 3–6 (the CVR with its length byte `03`), 4 bytes.
    VisaCvr,
    /// The whole 9F10 value (Visa CVN 18/22).
    Whole,
    /// Mastercard: the CVR, IAD bytes 2–7 (6 bytes).
    MastercardCvr,
    /// Mastercard: the CVR (bytes 2–7) ‖ the counters (bytes 10–17), 14 bytes.
    MastercardCvrCounters,
}

impl IadPart {
    /// The selected bytes of `iad`.
    ///
    /// # Errors
    /// [`Error::IadLength`] when the IAD is too short for the part.
    pub fn select(self, iad: &[u8], out: &mut [u8; 32]) -> Result<usize, Error> {
        let short = |min| Error::IadLength {
            min,
            got: iad.len(),
        };
        let parts: [&[u8]; 2] = match self {
            Self::VisaCvr => [iad.get(3..7).ok_or(short(7))?, &[]],
            Self::Whole => {
                if iad.len() > 32 {
                    return Err(Error::TooLong {
                        what: "issuer application data (9F10)",
                        max: 32,
                        got: iad.len(),
                    });
                }
                [iad, &[]]
            }
            Self::MastercardCvr => [iad.get(2..8).ok_or(short(8))?, &[]],
            Self::MastercardCvrCounters => [
                iad.get(2..8).ok_or(short(18))?,
                iad.get(10..18).ok_or(short(18))?,
            ],
        };
        let mut n = 0;
        for p in parts {
            if let Some(dst) = out.get_mut(n..n + p.len()) {
                dst.copy_from_slice(p);
            }
            n += p.len();
        }
        Ok(n)
    }
}

/// ARPC method (EMV 4.4 Book 2 §8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArpcMethod {
    /// Method 1 (§8.2.1): `E_K(ARQC ⊕ (ARC ‖ 00…00))`, 8 bytes.
    Method1,
    /// Method 2 (§8.2.2): leftmost 4 bytes of `MAC(K, ARQC ‖ CSU ‖ PAD)`.
    Method2,
}

/// Which key computes the ARPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArpcKeyChoice {
    /// The ICC master key MK-AC.
    IccMasterKey,
    /// The AC session key of the transaction.
    AcSessionKey,
}

/// How the secure-messaging session keys are derived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SmKeyMethod {
    /// The Visa SM key from the ATC (VIS; CVN 10/18).
    VisaSm,
    /// The common session key with `R` = the ARQC (Book 2 A1.3.1; Visa CVN 22, M/Chip).
    CommonSessionKeyArqc,
}

/// Command-data encryption mode (issuer scripts, Book 2 §9.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmEncryption {
    /// VIS: TDES-ECB over `pad2(len(data) ‖ data)`.
    Visa,
    /// M/Chip: TDES-CBC, IV 0, padding method 2 only when the data is not block-aligned.
    Mchip,
    /// EMV 4.4 Book 2 §9.3 generic: TDES-CBC, IV 0, padding method 2 always.
    Emv,
}

impl SmEncryption {
    /// The CLI name (`visa`, `mchip`, `emv`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Visa => "visa",
            Self::Mchip => "mchip",
            Self::Emv => "emv",
        }
    }
}

/// Everything a cryptogram version fixes: one row of the profile table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CryptogramSpec {
    /// The short name (`visa10`, ...).
    pub name: &'static str,
    /// ICC master key derivation.
    pub icc: IccDerivation,
    /// AC key.
    pub ac_key: AcKeyMethod,
    /// ISO/IEC 9797-1 padding of the cryptogram input.
    pub padding: Padding,
    /// IAD bytes in the input.
    pub iad: IadPart,
    /// ARPC method.
    pub arpc: ArpcMethod,
    /// ARPC key.
    pub arpc_key: ArpcKeyChoice,
    /// Secure-messaging session keys.
    pub sm_key: SmKeyMethod,
    /// Command-data encryption.
    pub sm_encryption: SmEncryption,
    /// The issuer application data format (for PIN change: Visa or Mastercard rules).
    pub scheme: Scheme,
}

/// The payment scheme of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Visa (VIS).
    Visa,
    /// Mastercard (M/Chip).
    Mastercard,
}

/// A supported cryptogram version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CryptogramVersion {
    /// Visa CVN 10 (`0A`).
    Visa10,
    /// Visa CVN 18 (`12`).
    Visa18,
    /// Visa CVN 22 (`22`, IAD format 2).
    Visa22,
    /// M/Chip 4 CVN 16 (`10`).
    Mchip16,
    /// M/Chip 4 CVN 17 (`11`).
    Mchip17,
    /// M/Chip Advance CVN 20 (`14`).
    Mchip20,
    /// M/Chip Advance CVN 21 (`15`).
    Mchip21,
}

#[allow(clippy::too_many_arguments)]
const fn visa(
    name: &'static str,
    icc: IccDerivation,
    ac_key: AcKeyMethod,
    padding: Padding,
    iad: IadPart,
    arpc: ArpcMethod,
    arpc_key: ArpcKeyChoice,
    sm_key: SmKeyMethod,
) -> CryptogramSpec {
    CryptogramSpec {
        name,
        icc,
        ac_key,
        padding,
        iad,
        arpc,
        arpc_key,
        sm_key,
        sm_encryption: SmEncryption::Visa,
        scheme: Scheme::Visa,
    }
}

const fn mchip(
    name: &'static str,
    ac_key: AcKeyMethod,
    iad: IadPart,
    arpc_key: ArpcKeyChoice,
) -> CryptogramSpec {
    CryptogramSpec {
        name,
        icc: IccDerivation::OptionA,
        ac_key,
        padding: Padding::Method2,
        iad,
        arpc: ArpcMethod::Method1,
        arpc_key,
        sm_key: SmKeyMethod::CommonSessionKeyArqc,
        sm_encryption: SmEncryption::Mchip,
        scheme: Scheme::Mastercard,
    }
}

use AcKeyMethod as K;
use ArpcKeyChoice as AK;

/// The profile table rows (pyemv 1.5.0 `cvn.py`, jPOS 3 `org.jpos.emv.cryptogram`).
mod rows {
    use super::*;
    pub(super) const VISA10: CryptogramSpec = visa(
        "visa10",
        IccDerivation::OptionA,
        K::IccMasterKey,
        Padding::Method1,
        IadPart::VisaCvr,
        ArpcMethod::Method1,
        AK::IccMasterKey,
        SmKeyMethod::VisaSm,
    );
    pub(super) const VISA18: CryptogramSpec = visa(
        "visa18",
        IccDerivation::OptionB,
        K::CommonSessionKey,
        Padding::Method2,
        IadPart::Whole,
        ArpcMethod::Method2,
        AK::AcSessionKey,
        SmKeyMethod::VisaSm,
    );
    pub(super) const VISA22: CryptogramSpec = visa(
        "visa22",
        IccDerivation::OptionB,
        K::CommonSessionKey,
        Padding::Method2,
        IadPart::Whole,
        ArpcMethod::Method2,
        AK::AcSessionKey,
        SmKeyMethod::CommonSessionKeyArqc,
    );
    pub(super) const MCHIP16: CryptogramSpec = mchip(
        "mchip16",
        K::MastercardSkd,
        IadPart::MastercardCvr,
        AK::IccMasterKey,
    );
    pub(super) const MCHIP17: CryptogramSpec = mchip(
        "mchip17",
        K::MastercardSkd,
        IadPart::MastercardCvrCounters,
        AK::IccMasterKey,
    );
    pub(super) const MCHIP20: CryptogramSpec = mchip(
        "mchip20",
        K::CommonSessionKey,
        IadPart::MastercardCvr,
        AK::AcSessionKey,
    );
    pub(super) const MCHIP21: CryptogramSpec = mchip(
        "mchip21",
        K::CommonSessionKey,
        IadPart::MastercardCvrCounters,
        AK::AcSessionKey,
    );
}

/// The profile table (pyemv 1.5.0 `cvn.py`, jPOS 3 `org.jpos.emv.cryptogram`).
pub const CRYPTOGRAM_VERSIONS: [(CryptogramVersion, CryptogramSpec); 7] = [
    (CryptogramVersion::Visa10, rows::VISA10),
    (CryptogramVersion::Visa18, rows::VISA18),
    (CryptogramVersion::Visa22, rows::VISA22),
    (CryptogramVersion::Mchip16, rows::MCHIP16),
    (CryptogramVersion::Mchip17, rows::MCHIP17),
    (CryptogramVersion::Mchip20, rows::MCHIP20),
    (CryptogramVersion::Mchip21, rows::MCHIP21),
];

impl CryptogramVersion {
    /// Every profile.
    pub const ALL: [Self; 7] = [
        Self::Visa10,
        Self::Visa18,
        Self::Visa22,
        Self::Mchip16,
        Self::Mchip17,
        Self::Mchip20,
        Self::Mchip21,
    ];

    /// The profile's row of [`CRYPTOGRAM_VERSIONS`].
    #[must_use]
    pub const fn spec(self) -> CryptogramSpec {
        match self {
            Self::Visa10 => rows::VISA10,
            Self::Visa18 => rows::VISA18,
            Self::Visa22 => rows::VISA22,
            Self::Mchip16 => rows::MCHIP16,
            Self::Mchip17 => rows::MCHIP17,
            Self::Mchip20 => rows::MCHIP20,
            Self::Mchip21 => rows::MCHIP21,
        }
    }

    /// The short name (`visa10`, `visa18`, `visa22`, `mchip16`, `mchip17`, `mchip20`,
    /// `mchip21`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The profile the issuer application data (9F10) names ([`detect`]).
    ///
    /// # Errors
    /// [`Error::UnsupportedCvn`] for a format or cryptogram version without a profile; as
    /// [`detect`].
    pub fn from_iad(iad: &[u8]) -> Result<Self, Error> {
        detect(iad)?.version.ok_or(Error::UnsupportedCvn)
    }

    /// The profile with that short name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

// ---------------------------------------------------------------------------------------------
// CVN detection

/// The issuer application data format recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IadFormat {
    /// Visa formats 0/1/3 (byte 0 = `06`).
    Vis,
    /// Visa format 2 (32 bytes, byte 0 = `1F`).
    Vis2,
    /// Mastercard M/Chip (18, 20, 26 or 28 bytes).
    Mchip,
    /// EMV Common Core Definitions format A (32 bytes, bytes 0 and 16 = `0F`).
    EmvA,
    /// None of these.
    Unknown,
}

impl IadFormat {
    /// The lower-case name (`vis`, `vis2`, `mchip`, `emv-a`, `unknown`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Vis => "vis",
            Self::Vis2 => "vis2",
            Self::Mchip => "mchip",
            Self::EmvA => "emv-a",
            Self::Unknown => "unknown",
        }
    }
}

/// The fields of an issuer application data value, split for logging and profile selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IadInfo<'a> {
    /// The format.
    pub format: IadFormat,
    /// The cryptogram version number byte, when the format has one.
    pub cvn: Option<u8>,
    /// The derivation key index, when the format has one.
    pub dki: Option<u8>,
    /// The card verification results.
    pub cvr: &'a [u8],
    /// The Mastercard counters (IAD bytes 10–17), when present.
    pub counters: &'a [u8],
    /// The supported profile, if any.
    pub version: Option<CryptogramVersion>,
}

/// The smallest issuer application data detection accepts.
pub const IAD_MIN: usize = 7;

/// Detects the format and profile from tag 9F10 (rules after jPOS `IssuerApplicationData`,
/// tightened; the length tests come first because a Mastercard IAD can begin with `06`):
///
/// 1. fewer than 7 bytes → [`Error::IadLength`];
/// 2. length 18, 20, 26 or 28 → Mastercard, CVN = byte 1 (`10` mchip16, `11` mchip17,
///    `14` mchip20, `15` mchip21);
/// 3. length 32, bytes 0 and 16 = `0F` → EMV CCD format A (no profile here);
/// 4. length 32, byte 0 = `1F` → Visa format 2, CVN = byte 1 (`22` visa22);
/// 5. byte 0 = `06`, length ≤ 32 → Visa format 0/1/3, CVN = byte 2 (`0A` visa10,
///    `12` visa18);
/// 6. otherwise unknown.
///
/// A recognised format with an unsupported CVN returns `version: None`.
///
/// # Errors
/// [`Error::IadLength`] under 7 bytes, [`Error::TooLong`] over 32.
pub fn detect(iad: &[u8]) -> Result<IadInfo<'_>, Error> {
    if iad.len() < IAD_MIN {
        return Err(Error::IadLength {
            min: IAD_MIN,
            got: iad.len(),
        });
    }
    if iad.len() > 32 {
        return Err(Error::TooLong {
            what: "issuer application data (9F10)",
            max: 32,
            got: iad.len(),
        });
    }
    let byte = |i: usize| iad.get(i).copied();
    let unknown = IadInfo {
        format: IadFormat::Unknown,
        cvn: None,
        dki: None,
        cvr: &[],
        counters: &[],
        version: None,
    };
    let info = match (iad.len(), byte(0), byte(16)) {
        (18 | 20 | 26 | 28, _, _) => {
            let cvn = byte(1);
            IadInfo {
                format: IadFormat::Mchip,
                cvn,
                dki: byte(0),
                cvr: iad.get(2..8).unwrap_or(&[]),
                counters: iad.get(10..18).unwrap_or(&[]),
                version: match cvn {
                    Some(0x10) => Some(CryptogramVersion::Mchip16),
                    Some(0x11) => Some(CryptogramVersion::Mchip17),
                    Some(0x14) => Some(CryptogramVersion::Mchip20),
                    Some(0x15) => Some(CryptogramVersion::Mchip21),
                    _ => None,
                },
            }
        }
        (32, Some(0x0F), Some(0x0F)) => IadInfo {
            format: IadFormat::EmvA,
            cvn: byte(1),
            dki: None,
            cvr: iad.get(2..7).unwrap_or(&[]),
            ..unknown
        },
        (32, Some(0x1F), _) => {
            let cvn = byte(1);
            IadInfo {
                format: IadFormat::Vis2,
                cvn,
                dki: byte(2),
                cvr: iad.get(3..8).unwrap_or(&[]),
                counters: &[],
                version: if cvn == Some(0x22) {
                    Some(CryptogramVersion::Visa22)
                } else {
                    None
                },
            }
        }
        (_, Some(0x06), _) => {
            let cvn = byte(2);
            IadInfo {
                format: IadFormat::Vis,
                cvn,
                dki: byte(1),
                cvr: iad.get(3..7).unwrap_or(&[]),
                counters: &[],
                version: match cvn {
                    Some(0x0A) => Some(CryptogramVersion::Visa10),
                    Some(0x12) => Some(CryptogramVersion::Visa18),
                    _ => None,
                },
            }
        }
        _ => unknown,
    };
    Ok(info)
}
