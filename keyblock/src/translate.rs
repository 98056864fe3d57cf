//! Key-block translation: unwrap under one KBPK and re-wrap under another, keeping the
//! attributes (X9.143 §7 unwrap, then wrap; the `KP` block of X9.143 §6.3 recomputed). The key
//! never leaves this function.

use crate::codes::BlockId;
use crate::error::Error;
use crate::kbpk::Kbpk;
use crate::keyblock::{WrapOptions, unwrap, wrap};
use crate::optblock::{BlockValue, OptionalBlock};
use crate::profile::Profile;
use alloc::string::String;
use alloc::vec::Vec;
use paycrypt_primitives::rng::TryCryptoRng;

/// Translates a key block from `from` to `to`.
///
/// The block is unwrapped under `from` with `import_profile`; its header is kept (usage,
/// algorithm, mode, key version, exportability, context and optional blocks in order) except:
/// - the version becomes `options.version` when given, else stays when `to` fits it, else
///   becomes `to`'s default version (B for TDES, D for AES; [`Kbpk::default_version`]);
/// - a `KP` block (KCV of the KBPK) is recomputed for `to` with the same KCV algorithm;
/// - the `PB` block is dropped and re-added when the new version's alignment needs it.
///
/// The key is re-wrapped with `options` (profile, obfuscation) and padding from `rng`.
///
/// # Errors
/// Every error of [`unwrap`] and [`wrap`].
pub fn translate<R: TryCryptoRng + ?Sized>(
    from: &Kbpk,
    text: &str,
    import_profile: Profile,
    to: &Kbpk,
    options: &WrapOptions,
    rng: &mut R,
) -> Result<String, Error> {
    let (mut header, key) = unwrap(from, text, import_profile)?.into_parts();
    header.remove_blocks(BlockId::PB);
    let version = match options.version {
        Some(v) => v,
        None if to.check_version(header.version()).is_ok() => header.version(),
        None => to.default_version(),
    };
    header.set_version(version);
    // Recompute KP in place (order preserved).
    if let Some(kp) = header.optional_block(BlockId::KP) {
        let method = match kp.value() {
            Ok(BlockValue::KbpkCheckValue(k)) => k.method,
            _ => paycrypt_mac::KcvMethod::Cmac,
        };
        let new_kp = OptionalBlock::check_value(BlockId::KP, method, to.key())?;
        let blocks: Vec<OptionalBlock> = header
            .optional_blocks()
            .iter()
            .map(|b| {
                if b.id() == BlockId::KP {
                    new_kp.clone()
                } else {
                    b.clone()
                }
            })
            .collect();
        let n = blocks.len();
        for b in blocks.iter().map(OptionalBlock::id).collect::<Vec<_>>() {
            header.remove_blocks(b);
        }
        for b in blocks {
            header.push_block(b)?;
        }
        debug_assert_eq!(header.optional_blocks().len(), n);
    }
    let opts = WrapOptions {
        version: Some(version),
        ..*options
    };
    wrap(to, &header, &key, &opts, rng)
}
