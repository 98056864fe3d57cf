//! Key usages, key types and the derivation data block (X9.24-3:2017 §6.3.2, §6.2).

use crate::{Direction, Error};

use super::ksn::InitialKeyId;

/// What a derived key is for: the key usage indicator of the derivation data
/// (X9.24-3:2017 §6.3.2, Table 2). Names follow the standard; see the
/// [module documentation](super) for the request/response convention and [`Direction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyUsage {
    /// Key encryption key, `0x0002` (also the update key's usage, §6.6).
    KeyEncryptionKey,
    /// PIN encryption, `0x1000`.
    PinEncryption,
    /// MAC generation, `0x2000` (the device's request MAC; the host verifies requests with it).
    MacGeneration,
    /// MAC verification, `0x2001` (the host's response MAC).
    MacVerification,
    /// MAC both ways, `0x2002`.
    MacBothWays,
    /// Data encryption, encrypt, `0x3000` (request data; a host decrypting a request uses it).
    DataEncrypt,
    /// Data encryption, decrypt, `0x3001` (response data).
    DataDecrypt,
    /// Data encryption, both ways, `0x3002`.
    DataBothWays,
    /// Key derivation, `0x8000` (as a working key; the same indicator as the intermediate
    /// derivation keys).
    KeyDerivation,
}

impl KeyUsage {
    /// Every usage, in the order of the standard's table.
    pub const ALL: [Self; 9] = [
        Self::KeyEncryptionKey,
        Self::PinEncryption,
        Self::MacGeneration,
        Self::MacVerification,
        Self::MacBothWays,
        Self::DataEncrypt,
        Self::DataDecrypt,
        Self::DataBothWays,
        Self::KeyDerivation,
    ];

    /// The 16-bit key usage indicator (X9.24-3:2017 §6.3.2, Table 2).
    #[must_use]
    pub const fn indicator(self) -> u16 {
        match self {
            Self::KeyEncryptionKey => 0x0002,
            Self::PinEncryption => 0x1000,
            Self::MacGeneration => 0x2000,
            Self::MacVerification => 0x2001,
            Self::MacBothWays => 0x2002,
            Self::DataEncrypt => 0x3000,
            Self::DataDecrypt => 0x3001,
            Self::DataBothWays => 0x3002,
            Self::KeyDerivation => 0x8000,
        }
    }

    /// A short lower-case name, as the command line spells it: `kek`, `pin`, `mac-generate`,
    /// `mac-verify`, `mac-both`, `data-encrypt`, `data-decrypt`, `data-both`,
    /// `key-derivation`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::KeyEncryptionKey => "kek",
            Self::PinEncryption => "pin",
            Self::MacGeneration => "mac-generate",
            Self::MacVerification => "mac-verify",
            Self::MacBothWays => "mac-both",
            Self::DataEncrypt => "data-encrypt",
            Self::DataDecrypt => "data-decrypt",
            Self::DataBothWays => "data-both",
            Self::KeyDerivation => "key-derivation",
        }
    }

    /// Parses [`KeyUsage::name`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.name() == name)
    }

    /// True for the three MAC usages (the only ones an HMAC key type may take).
    #[must_use]
    pub const fn is_mac(self) -> bool {
        matches!(
            self,
            Self::MacGeneration | Self::MacVerification | Self::MacBothWays
        )
    }

    /// True for the three data-encryption usages.
    #[must_use]
    pub const fn is_data(self) -> bool {
        matches!(
            self,
            Self::DataEncrypt | Self::DataDecrypt | Self::DataBothWays
        )
    }

    /// The MAC usage for a message direction (originator's view, X9.24-3:2017 §6.3.2):
    /// `Request` → [`KeyUsage::MacGeneration`], `Response` → [`KeyUsage::MacVerification`],
    /// `Bidirectional` → [`KeyUsage::MacBothWays`].
    #[must_use]
    pub const fn mac(direction: Direction) -> Self {
        match direction {
            Direction::Request => Self::MacGeneration,
            Direction::Response => Self::MacVerification,
            Direction::Bidirectional => Self::MacBothWays,
        }
    }

    /// The data usage for a message direction (originator's view, X9.24-3:2017 §6.3.2):
    /// `Request` → [`KeyUsage::DataEncrypt`] (a host decrypting request data derives this
    /// key), `Response` → [`KeyUsage::DataDecrypt`], `Bidirectional` →
    /// [`KeyUsage::DataBothWays`].
    #[must_use]
    pub const fn data(direction: Direction) -> Self {
        match direction {
            Direction::Request => Self::DataEncrypt,
            Direction::Response => Self::DataDecrypt,
            Direction::Bidirectional => Self::DataBothWays,
        }
    }
}

/// The type of a derived key: algorithm indicator and length of the derivation data
/// (X9.24-3:2017 §6.3.2, Tables 3 and 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// 2-key TDEA (16 bytes, 80-bit strength), algorithm `0x0000`.
    Tdes2,
    /// 3-key TDEA (24 bytes, 112-bit strength), algorithm `0x0001`.
    Tdes3,
    /// AES-128, algorithm `0x0002`.
    Aes128,
    /// AES-192, algorithm `0x0003`.
    Aes192,
    /// AES-256, algorithm `0x0004`.
    Aes256,
    /// HMAC with a 128-bit key, algorithm `0x0005`.
    Hmac128,
    /// HMAC with a 192-bit key, algorithm `0x0005`.
    Hmac192,
    /// HMAC with a 256-bit key, algorithm `0x0005`.
    Hmac256,
}

impl KeyType {
    /// Every key type.
    pub const ALL: [Self; 8] = [
        Self::Tdes2,
        Self::Tdes3,
        Self::Aes128,
        Self::Aes192,
        Self::Aes256,
        Self::Hmac128,
        Self::Hmac192,
        Self::Hmac256,
    ];

    /// The 16-bit algorithm indicator (X9.24-3:2017 §6.3.2, Table 3).
    #[must_use]
    pub const fn algorithm_indicator(self) -> u16 {
        match self {
            Self::Tdes2 => 0x0000,
            Self::Tdes3 => 0x0001,
            Self::Aes128 => 0x0002,
            Self::Aes192 => 0x0003,
            Self::Aes256 => 0x0004,
            Self::Hmac128 | Self::Hmac192 | Self::Hmac256 => 0x0005,
        }
    }

    /// Key length in bits, as written in the derivation data (X9.24-3:2017 §6.3.2, Table 4).
    #[must_use]
    pub const fn length_bits(self) -> u16 {
        match self {
            Self::Tdes2 | Self::Aes128 | Self::Hmac128 => 128,
            Self::Tdes3 | Self::Aes192 | Self::Hmac192 => 192,
            Self::Aes256 | Self::Hmac256 => 256,
        }
    }

    /// Key length in bytes (16, 24 or 32).
    #[must_use]
    pub const fn len(self) -> usize {
        self.length_bits() as usize / 8
    }

    /// Always false.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        false
    }

    /// Security strength in bits: 2TDEA 80, 3TDEA 112, AES-n and HMAC-n n (X9.24-3:2017
    /// §6.2). The strength rule compares these, never byte lengths.
    #[must_use]
    pub const fn strength_bits(self) -> u16 {
        match self {
            Self::Tdes2 => 80,
            Self::Tdes3 => 112,
            _ => self.length_bits(),
        }
    }

    /// True for the AES types (the only types a BDK, initial key or intermediate key has).
    #[must_use]
    pub const fn is_aes(self) -> bool {
        matches!(self, Self::Aes128 | Self::Aes192 | Self::Aes256)
    }

    /// True for the HMAC types.
    #[must_use]
    pub const fn is_hmac(self) -> bool {
        matches!(self, Self::Hmac128 | Self::Hmac192 | Self::Hmac256)
    }

    /// True for the TDEA types.
    #[must_use]
    pub const fn is_tdes(self) -> bool {
        matches!(self, Self::Tdes2 | Self::Tdes3)
    }

    /// The AES type of an AES key of `len` bytes (16, 24, 32).
    ///
    /// # Errors
    /// [`Error::KeyLength`] for any other length.
    pub const fn aes_for_len(len: usize) -> Result<Self, Error> {
        match len {
            16 => Ok(Self::Aes128),
            24 => Ok(Self::Aes192),
            32 => Ok(Self::Aes256),
            got => Err(Error::KeyLength { got }),
        }
    }

    /// A short lower-case name (`tdes2`, `tdes3`, `aes128`, …, `hmac256`), as the command line
    /// spells it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tdes2 => "tdes2",
            Self::Tdes3 => "tdes3",
            Self::Aes128 => "aes128",
            Self::Aes192 => "aes192",
            Self::Aes256 => "aes256",
            Self::Hmac128 => "hmac128",
            Self::Hmac192 => "hmac192",
            Self::Hmac256 => "hmac256",
        }
    }

    /// Parses [`KeyType::name`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Checks the strength rule (X9.24-3:2017 §6.2: no derived key stronger than the BDK) and the
/// usage policy (HMAC key types only for MAC usages).
///
/// # Errors
/// [`Error::KeyTypeNotAllowed`].
pub(crate) const fn check_allowed(
    bdk: KeyType,
    usage: KeyUsage,
    key_type: KeyType,
) -> Result<(), Error> {
    if key_type.strength_bits() > bdk.strength_bits() || (key_type.is_hmac() && !usage.is_mac()) {
        Err(Error::KeyTypeNotAllowed)
    } else {
        Ok(())
    }
}

/// The 16-byte derivation data block of X9.24-3:2017 §6.3.2.
///
/// ```text
/// byte  0     version                       0x01
/// byte  1     key block counter             0x01 (output bytes 0–15), 0x02 (bytes 16–31)
/// bytes 2–3   key usage indicator           Table 2 (0x8001 initial key, 0x8000 derivation)
/// bytes 4–5   algorithm indicator           Table 3
/// bytes 6–7   length of the derived key     0x0080, 0x00C0, 0x0100 (bits)
/// bytes 8–15  initial key: the whole Initial Key ID;
///             otherwise derivation ID (IKID bytes 4–7) ‖ 32-bit counter
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DerivationData([u8; 16]);

impl DerivationData {
    /// Usage indicator `0x8001`: derivation of the initial key.
    pub const USAGE_INITIAL_KEY: u16 = 0x8001;
    /// Usage indicator `0x8000`: key derivation (intermediate derivation keys).
    pub const USAGE_KEY_DERIVATION: u16 = 0x8000;

    /// Derivation data for the initial key (usage `0x8001`, the BDK's type).
    #[must_use]
    pub const fn initial_key(bdk_type: KeyType, initial_key_id: &InitialKeyId) -> Self {
        let [a, b, c, d, e, f, g, h] = initial_key_id.to_bytes();
        Self::raw(Self::USAGE_INITIAL_KEY, bdk_type, [a, b, c, d, e, f, g, h])
    }

    /// Derivation data for an intermediate derivation key (usage `0x8000`, the BDK's type)
    /// at counter value `counter`.
    #[must_use]
    pub const fn intermediate(bdk_type: KeyType, derivation_id: [u8; 4], counter: u32) -> Self {
        Self::working(Self::USAGE_KEY_DERIVATION, bdk_type, derivation_id, counter)
    }

    /// Derivation data for a working key (or the update key: usage `0x0002`, counter
    /// `0xFFFFFFFF`).
    #[must_use]
    pub const fn working(
        usage_indicator: u16,
        key_type: KeyType,
        derivation_id: [u8; 4],
        counter: u32,
    ) -> Self {
        let [e, f, g, h] = derivation_id;
        let [i, j, k, l] = counter.to_be_bytes();
        Self::raw(usage_indicator, key_type, [e, f, g, h, i, j, k, l])
    }

    const fn raw(usage: u16, key_type: KeyType, tail: [u8; 8]) -> Self {
        let [u0, u1] = usage.to_be_bytes();
        let [a0, a1] = key_type.algorithm_indicator().to_be_bytes();
        let [l0, l1] = key_type.length_bits().to_be_bytes();
        let [t0, t1, t2, t3, t4, t5, t6, t7] = tail;
        Self([
            0x01, 0x01, u0, u1, a0, a1, l0, l1, t0, t1, t2, t3, t4, t5, t6, t7,
        ])
    }

    /// The block with key block counter 1 (byte 1 = `0x01`).
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 16] {
        self.0
    }

    /// The derived key's length in bytes (bytes 6–7 / 8).
    #[must_use]
    pub const fn output_len(&self) -> usize {
        let [.., l0, l1, _, _, _, _, _, _, _, _] = self.0;
        u16::from_be_bytes([l0, l1]) as usize / 8
    }
}
