//! Application cryptograms (ARQC/TC/AAC, EMV 4.4 Book 2 §8.1 and A1.2) and the ARPC
//! (Book 2 §8.2).
//!
//! ```text
//! AC   = MAC(SK, input, padding)       ISO/IEC 9797-1 MAC algorithm 3, IV 0, 8 bytes
//! ARPC = E_K(ARQC ⊕ (ARC ‖ 00…00))                          method 1, 8 bytes
//! ARPC = leftmost 4 bytes of MAC(K, ARQC ‖ CSU ‖ PAD, pad 2) method 2
//! ```
//!
//! An ARPC comes only from a [`VerifiedArqc`], which only a successful verification returns:
//! an issuer that answered unverified ARQCs would be an ARPC oracle. A wrong cryptogram is the
//! one opaque [`Error::ArqcVerification`].

use crate::Error;
use crate::cvn::{AcKeyMethod, ArpcKeyChoice, ArpcMethod, CryptogramVersion, IadPart};
use crate::error::{array, check_len};
use crate::kdf::{ac_r, common_session_key, mastercard_r};
use crate::keys::{Ac, AcSessionKey, ArpcKey, IccMasterKey, tdes_encrypt};
use crate::tlv::{self, Tag};
use core::fmt;
use paycrypt_mac::Padding;
use paycrypt_mac::mac_algorithm_3;
use subtle::ConstantTimeEq;

/// The longest cryptogram input accepted, in bytes.
pub const MAX_AC_INPUT: usize = 512;

/// An 8-byte application cryptogram (9F26). Not secret: `Debug` prints it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cryptogram(pub [u8; 8]);

impl fmt::Debug for Cryptogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cryptogram(")?;
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// The terminal data of the recommended minimum cryptogram input (EMV 4.4 Book 2 §8.1.1,
/// Table 26), in the table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TerminalData {
    /// 9F02 amount, authorised (n 12).
    pub amount: [u8; 6],
    /// 9F03 amount, other (n 12).
    pub amount_other: [u8; 6],
    /// 9F1A terminal country code.
    pub country: [u8; 2],
    /// 95 terminal verification results.
    pub tvr: [u8; 5],
    /// 5F2A transaction currency code.
    pub currency: [u8; 2],
    /// 9A transaction date YYMMDD.
    pub date: [u8; 3],
    /// 9C transaction type.
    pub tx_type: u8,
    /// 9F37 unpredictable number.
    pub un: [u8; 4],
}

/// The card data of the cryptogram input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardData<'a> {
    /// 82 application interchange profile.
    pub aip: [u8; 2],
    /// 9F36 application transaction counter.
    pub atc: [u8; 2],
    /// 9F10 issuer application data (the profile selects the bytes it needs).
    pub iad: &'a [u8],
}

/// The (unpadded) cryptogram input with the ATC and UN the session key needs.
#[derive(Clone)]
pub struct AcInput {
    buf: [u8; MAX_AC_INPUT],
    len: usize,
    atc: [u8; 2],
    un: Option<[u8; 4]>,
}

impl fmt::Debug for AcInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcInput")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// The terminal tags of Book 2 Table 26 with their lengths, in order.
pub const TABLE26_TERMINAL: [(Tag, usize); 8] = [
    (Tag::two(0x9F, 0x02), 6),
    (Tag::two(0x9F, 0x03), 6),
    (Tag::two(0x9F, 0x1A), 2),
    (Tag::one(0x95), 5),
    (Tag::two(0x5F, 0x2A), 2),
    (Tag::one(0x9A), 3),
    (Tag::one(0x9C), 1),
    (Tag::two(0x9F, 0x37), 4),
];
const TAG_AIP: Tag = Tag::one(0x82);
const TAG_ATC: Tag = Tag::two(0x9F, 0x36);
const TAG_UN: Tag = Tag::two(0x9F, 0x37);
const TAG_IAD: Tag = Tag::two(0x9F, 0x10);

/// The value of a fixed-length tag from TLV data that passed [`tlv::validate`].
fn fixed(data: &[u8], tag: Tag, len: usize) -> Result<&[u8], Error> {
    let v = tlv::find_in_validated(data, tag)?.ok_or(Error::MissingTag { tag })?;
    if v.len() == len {
        Ok(v)
    } else {
        Err(Error::TagLength {
            tag,
            expected: len,
            got: v.len(),
        })
    }
}

impl AcInput {
    fn empty(atc: [u8; 2], un: Option<[u8; 4]>) -> Self {
        Self {
            buf: [0; MAX_AC_INPUT],
            len: 0,
            atc,
            un,
        }
    }

    fn push(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let end = self.len + bytes.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(Error::TooLong {
            what: "cryptogram input",
            max: MAX_AC_INPUT,
            got: end,
        })?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }

    fn push_card(
        &mut self,
        iad_part: IadPart,
        aip: &[u8],
        atc: &[u8],
        iad: &[u8],
    ) -> Result<(), Error> {
        self.push(aip)?;
        self.push(atc)?;
        let mut part = [0u8; 32];
        let n = iad_part.select(iad, &mut part)?;
        self.push(part.get(..n).unwrap_or(&[]))
    }

    /// The input of Book 2 Table 26: terminal data, AIP, ATC, then the profile's part of the
    /// IAD (pyemv 1.5.0 `cvn.py`).
    ///
    /// # Errors
    /// [`Error::IadLength`] when the IAD is too short for the profile's part.
    pub fn from_table(
        profile: CryptogramVersion,
        terminal: &TerminalData,
        card: &CardData<'_>,
    ) -> Result<Self, Error> {
        Self::with_iad_part(profile.spec().iad, terminal, card)
    }

    /// [`AcInput::from_table`] with an explicit IAD selection (generic mode).
    ///
    /// # Errors
    /// As [`AcInput::from_table`].
    pub fn with_iad_part(
        part: IadPart,
        t: &TerminalData,
        card: &CardData<'_>,
    ) -> Result<Self, Error> {
        let mut s = Self::empty(card.atc, Some(t.un));
        for f in [
            &t.amount[..],
            &t.amount_other,
            &t.country,
            &t.tvr,
            &t.currency,
            &t.date,
            &[t.tx_type],
            &t.un,
        ] {
            s.push(f)?;
        }
        s.push_card(part, &card.aip, &card.atc, card.iad)?;
        Ok(s)
    }

    /// The Table 26 input from BER-TLV data: the tags 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82
    /// 9F36 (exact lengths 6 6 2 5 2 3 1 4 2 2) and 9F10, found anywhere in the data (also
    /// inside templates; the first occurrence of each).
    ///
    /// # Errors
    /// [`Error::MissingTag`], [`Error::TagLength`], the TLV parse errors, [`Error::IadLength`].
    pub fn from_tlv(profile: CryptogramVersion, data: &[u8]) -> Result<Self, Error> {
        Self::from_tlv_part(profile.spec().iad, data)
    }

    /// [`AcInput::from_tlv`] with an explicit IAD selection (generic mode; e.g.
    /// [`IadPart::Whole`] for the EMV CCD cryptogram).
    ///
    /// # Errors
    /// As [`AcInput::from_tlv`].
    pub fn from_tlv_part(part: IadPart, data: &[u8]) -> Result<Self, Error> {
        tlv::validate(data)?;
        let un = array("9F37", fixed(data, TAG_UN, 4)?)?;
        let atc = array("9F36", fixed(data, TAG_ATC, 2)?)?;
        let mut s = Self::empty(atc, Some(un));
        for (tag, len) in TABLE26_TERMINAL {
            s.push(fixed(data, tag, len)?)?;
        }
        let aip = fixed(data, TAG_AIP, 2)?;
        let iad =
            tlv::find_in_validated(data, TAG_IAD)?.ok_or(Error::MissingTag { tag: TAG_IAD })?;
        s.push_card(part, aip, &atc, iad)?;
        Ok(s)
    }

    /// A CDOL1-driven input: the CDOL1-related data built from `data` (Book 3 §5.4), then
    /// AIP, ATC and the profile's IAD part. ATC (9F36) and UN (9F37, if present) come from
    /// `data`.
    ///
    /// # Errors
    /// As [`AcInput::from_tlv`] and [`tlv::dol_build_into`].
    pub fn from_cdol(profile: CryptogramVersion, cdol: &[u8], data: &[u8]) -> Result<Self, Error> {
        tlv::validate(data)?;
        let atc = array("9F36", fixed(data, TAG_ATC, 2)?)?;
        let un = match tlv::find_in_validated(data, TAG_UN)? {
            Some(v) => Some(array("9F37", v)?),
            None => None,
        };
        let mut s = Self::empty(atc, un);
        let n = tlv::dol_build_into(cdol, data, &mut s.buf)?;
        s.len = n;
        let aip = fixed(data, TAG_AIP, 2)?;
        let iad =
            tlv::find_in_validated(data, TAG_IAD)?.ok_or(Error::MissingTag { tag: TAG_IAD })?;
        s.push_card(profile.spec().iad, aip, &atc, iad)?;
        Ok(s)
    }

    /// The complete input as given (AWS `TransactionData` style), with the ATC and UN the
    /// session key derivation needs.
    ///
    /// # Errors
    /// [`Error::TooLong`] over [`MAX_AC_INPUT`].
    pub fn raw(data: &[u8], atc: [u8; 2], un: Option<[u8; 4]>) -> Result<Self, Error> {
        let mut s = Self::empty(atc, un);
        s.push(data)?;
        Ok(s)
    }

    /// The unpadded input bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// The ATC.
    #[must_use]
    pub const fn atc(&self) -> [u8; 2] {
        self.atc
    }

    /// The UN, if known.
    #[must_use]
    pub const fn un(&self) -> Option<[u8; 4]> {
        self.un
    }
}

/// The cryptogram parameters of a profile, or of the caller's own (generic mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcParams {
    /// AC key derivation.
    pub ac_key: AcKeyMethod,
    /// Padding of the input (required explicitly: jPOS #573).
    pub padding: Padding,
    /// ARPC method.
    pub arpc: ArpcMethod,
    /// ARPC key.
    pub arpc_key: ArpcKeyChoice,
}

impl CryptogramVersion {
    /// The profile's cryptogram parameters.
    #[must_use]
    pub const fn ac_params(self) -> AcParams {
        let s = self.spec();
        AcParams {
            ac_key: s.ac_key,
            padding: s.padding,
            arpc: s.arpc,
            arpc_key: s.arpc_key,
        }
    }
}

/// The AC session key (EMV 4.4 Book 2 A1.3) by `method`: the ICC MK itself, the common
/// session key with `R = ATC ‖ 00…00`, or the Mastercard SKD with `R = ATC ‖ 0000 ‖ UN`.
///
/// # Errors
/// [`Error::MissingTag`] (9F37) when the Mastercard SKD has no UN.
pub fn ac_session_key(
    method: AcKeyMethod,
    mk: &IccMasterKey<Ac>,
    atc: [u8; 2],
    un: Option<[u8; 4]>,
) -> Result<AcSessionKey, Error> {
    let key = match method {
        AcKeyMethod::IccMasterKey => mk.as_tdes().clone(),
        AcKeyMethod::CommonSessionKey => common_session_key(mk.as_tdes(), &ac_r(atc)),
        AcKeyMethod::MastercardSkd => {
            let un = un.ok_or(Error::MissingTag { tag: TAG_UN })?;
            common_session_key(mk.as_tdes(), &mastercard_r(atc, un))
        }
    };
    Ok(AcSessionKey::wrap(key))
}

/// `AC = MAC(SK, input)` with ISO/IEC 9797-1 MAC algorithm 3, IV 0, the given padding, 8 bytes
/// (EMV 4.4 Book 2 §8.1.2, A1.2.1).
///
/// # Errors
/// [`Error::TooLong`] over [`MAX_AC_INPUT`].
pub fn generate_ac(
    key: &AcSessionKey,
    padding: Padding,
    input: &[u8],
) -> Result<Cryptogram, Error> {
    if input.len() > MAX_AC_INPUT {
        return Err(Error::TooLong {
            what: "cryptogram input",
            max: MAX_AC_INPUT,
            got: input.len(),
        });
    }
    let tag = mac_algorithm_3(key.as_tdes(), padding, None, input)?;
    Ok(Cryptogram(array("AC", tag.as_bytes())?))
}

/// The cryptogram of `input` under the profile's AC key derived from `mk`.
///
/// # Errors
/// As [`ac_session_key`] and [`generate_ac`].
pub fn generate(
    params: &AcParams,
    mk: &IccMasterKey<Ac>,
    input: &AcInput,
) -> Result<Cryptogram, Error> {
    let sk = ac_session_key(params.ac_key, mk, input.atc, input.un)?;
    generate_ac(&sk, params.padding, input.as_bytes())
}

/// An ARQC that verified, holding the key and method for the ARPC. Only verification creates
/// one.
#[derive(Debug)]
pub struct VerifiedArqc {
    arqc: [u8; 8],
    key: ArpcKey,
    method: ArpcMethod,
}

/// The response data of an ARPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArpcResponse<'a> {
    /// Method 1: the 2-byte authorisation response code.
    Method1 {
        /// ARC (Visa `3030`/`3035`, Mastercard `0010`).
        arc: [u8; 2],
    },
    /// Method 2: the card status update and 0–8 bytes of proprietary authentication data.
    Method2 {
        /// CSU.
        csu: [u8; 4],
        /// Proprietary authentication data.
        pad: &'a [u8],
    },
}

impl ArpcResponse<'_> {
    /// The method this response is for.
    #[must_use]
    pub const fn method(&self) -> ArpcMethod {
        match self {
            Self::Method1 { .. } => ArpcMethod::Method1,
            Self::Method2 { .. } => ArpcMethod::Method2,
        }
    }
}

/// An ARPC with its issuer authentication data (tag 91).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Arpc {
    data: [u8; 16],
    arpc_len: u8,
    len: u8,
}

impl fmt::Debug for Arpc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Arpc(")?;
        for b in self.arpc() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

impl Arpc {
    /// The ARPC: 8 bytes (method 1) or 4 (method 2).
    #[must_use]
    pub fn arpc(&self) -> &[u8] {
        self.data.get(..usize::from(self.arpc_len)).unwrap_or(&[])
    }

    /// Issuer authentication data, tag 91: `ARPC ‖ ARC` (method 1) or `ARPC ‖ CSU ‖ PAD`
    /// (method 2).
    #[must_use]
    pub fn issuer_authentication_data(&self) -> &[u8] {
        self.data.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The method.
    #[must_use]
    pub const fn method(&self) -> ArpcMethod {
        if self.arpc_len == 8 {
            ArpcMethod::Method1
        } else {
            ArpcMethod::Method2
        }
    }
}

/// The ARPC of Book 2 §8.2 (method 1 §8.2.1, method 2 §8.2.2).
fn compute_arpc(key: &ArpcKey, arqc: &[u8; 8], resp: &ArpcResponse<'_>) -> Result<Arpc, Error> {
    let mut data = [0u8; 16];
    match resp {
        ArpcResponse::Method1 { arc } => {
            let mut x = *arqc;
            x[0] ^= arc[0];
            x[1] ^= arc[1];
            tdes_encrypt(key.as_tdes(), &mut x);
            data[..8].copy_from_slice(&x);
            data[8..10].copy_from_slice(arc);
            Ok(Arpc {
                data,
                arpc_len: 8,
                len: 10,
            })
        }
        ArpcResponse::Method2 { csu, pad } => {
            check_len("proprietary authentication data", pad.len(), 0, 8)?;
            let mut input = [0u8; 20];
            input[..8].copy_from_slice(arqc);
            input[8..12].copy_from_slice(csu);
            let n = 12 + pad.len();
            if let Some(dst) = input.get_mut(12..n) {
                dst.copy_from_slice(pad);
            }
            let tag = mac_algorithm_3(
                key.as_tdes(),
                Padding::Method2,
                None,
                input.get(..n).unwrap_or(&[]),
            )?;
            if let (Some(dst), Some(src)) = (data.get_mut(..4), tag.as_bytes().get(..4)) {
                dst.copy_from_slice(src);
            }
            data[4..8].copy_from_slice(csu);
            if let Some(dst) = data.get_mut(8..8 + pad.len()) {
                dst.copy_from_slice(pad);
            }
            Ok(Arpc {
                data,
                arpc_len: 4,
                len: u8::try_from(8 + pad.len()).unwrap_or(16),
            })
        }
    }
}

impl VerifiedArqc {
    /// The verified ARQC.
    #[must_use]
    pub const fn arqc(&self) -> [u8; 8] {
        self.arqc
    }

    /// The profile's ARPC method.
    #[must_use]
    pub const fn method(&self) -> ArpcMethod {
        self.method
    }

    /// The ARPC for this ARQC (EMV 4.4 Book 2 §8.2) under the profile's ARPC key. The method
    /// is the response's (normally the profile's, [`VerifiedArqc::method`]).
    ///
    /// # Errors
    /// [`Error::FieldLength`] for proprietary authentication data over 8 bytes.
    pub fn arpc(&self, response: &ArpcResponse<'_>) -> Result<Arpc, Error> {
        compute_arpc(&self.key, &self.arqc, response)
    }
}

fn arqc_array(arqc: &[u8]) -> Result<[u8; 8], Error> {
    array("ARQC", arqc)
}

/// Compares in constant time (`subtle`), all 8 bytes.
fn check(computed: &Cryptogram, arqc: &[u8; 8]) -> Result<(), Error> {
    if bool::from(computed.0.ct_eq(arqc)) {
        Ok(())
    } else {
        Err(Error::ArqcVerification)
    }
}

/// Verifies an ARQC (or TC/AAC) under the key the parameters derive from `mk` (constant-time
/// compare of all 8 bytes) and returns the token from which the ARPC may be computed.
///
/// # Errors
/// [`Error::ArqcVerification`] (opaque) for a wrong cryptogram; [`Error::FieldLength`] for an
/// ARQC that is not 8 bytes; as [`generate`].
pub fn verify_arqc(
    params: &AcParams,
    mk: &IccMasterKey<Ac>,
    input: &AcInput,
    arqc: &[u8],
) -> Result<VerifiedArqc, Error> {
    let arqc = arqc_array(arqc)?;
    let sk = ac_session_key(params.ac_key, mk, input.atc, input.un)?;
    let computed = generate_ac(&sk, params.padding, input.as_bytes())?;
    check(&computed, &arqc)?;
    let key = match params.arpc_key {
        ArpcKeyChoice::IccMasterKey => ArpcKey::wrap(mk.as_tdes().clone()),
        ArpcKeyChoice::AcSessionKey => ArpcKey::wrap(sk.as_tdes().clone()),
    };
    Ok(VerifiedArqc {
        arqc,
        key,
        method: params.arpc,
    })
}

/// Verifies an ARQC under a session key given directly (no derivation). The ARPC of the
/// returned token is computed under the same session key (there is no ICC MK to use).
///
/// # Errors
/// As [`verify_arqc`].
pub fn verify_arqc_with_session_key(
    key: &AcSessionKey,
    padding: Padding,
    input: &[u8],
    arqc: &[u8],
    arpc: ArpcMethod,
) -> Result<VerifiedArqc, Error> {
    let arqc = arqc_array(arqc)?;
    let computed = generate_ac(key, padding, input)?;
    check(&computed, &arqc)?;
    Ok(VerifiedArqc {
        arqc,
        key: ArpcKey::wrap(key.as_tdes().clone()),
        method: arpc,
    })
}

/// Verifies the ARQC and, only if it verified, returns its ARPC (EMV 4.4 Book 2 §8.1.2,
/// §8.2).
///
/// # Errors
/// As [`verify_arqc`] and [`VerifiedArqc::arpc`].
pub fn verify_and_respond(
    params: &AcParams,
    mk: &IccMasterKey<Ac>,
    input: &AcInput,
    arqc: &[u8],
    response: &ArpcResponse<'_>,
) -> Result<Arpc, Error> {
    verify_arqc(params, mk, input, arqc)?.arpc(response)
}

/// Entry points without the verification gate, for tools that must compute an ARPC for a
/// cryptogram verified elsewhere (an HSM, a test harness). Issuer hosts use
/// [`verify_arqc`] → [`VerifiedArqc::arpc`].
pub mod hazmat {
    use super::{Arpc, ArpcResponse, compute_arpc};
    use crate::cvn::ArpcKeyChoice;
    use crate::keys::{Ac, ArpcKey, IccMasterKey};
    use crate::{AcKeyMethod, Error};

    /// The ARPC key of a profile: the ICC MK or the AC session key for `atc`/`un`.
    ///
    /// # Errors
    /// As [`ac_session_key`](super::ac_session_key).
    pub fn arpc_key(
        choice: ArpcKeyChoice,
        ac_key: AcKeyMethod,
        mk: &IccMasterKey<Ac>,
        atc: [u8; 2],
        un: Option<[u8; 4]>,
    ) -> Result<ArpcKey, Error> {
        Ok(match choice {
            ArpcKeyChoice::IccMasterKey => ArpcKey::wrap(mk.as_tdes().clone()),
            ArpcKeyChoice::AcSessionKey => ArpcKey::wrap(
                super::ac_session_key(ac_key, mk, atc, un)?
                    .as_tdes()
                    .clone(),
            ),
        })
    }

    /// The ARPC of `arqc` **without** verifying it (EMV 4.4 Book 2 §8.2).
    ///
    /// # Errors
    /// As [`VerifiedArqc::arpc`](super::VerifiedArqc::arpc).
    pub fn arpc_unverified(
        key: &ArpcKey,
        arqc: [u8; 8],
        response: &ArpcResponse<'_>,
    ) -> Result<Arpc, Error> {
        compute_arpc(key, &arqc, response)
    }
}
