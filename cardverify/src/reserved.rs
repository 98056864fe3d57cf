//! Names reserved for codes whose algorithms are not publicly specified.
//!
//! | code | why not here |
//! |---|---|
//! | American Express CSC versions 1 and 2 (3, 4, 5 digits; AWS `AmexCardSecurityCodeVersion1/2`, IBM CCA `CSC-V1`/`CSC-V2`), iCSC | the algorithm is in American Express's licensed specification; no public test data. Reserved: [`CscVersion`] and the CLI name `card csc`. |
//! | Visa CAVV version 8 and later, Mastercard AAV / SPA / SPA2, Amex AEVV | HMAC-based or undocumented; no public algorithm or test data. New [`CavvProfile`](crate::CavvProfile) variants when they are. |
//! | Mastercard PIN-CVC3 | not public. |
//! | Discover dCVV / DCVC (AWS `DiscoverDynamicCardVerificationCode`) | not public. |
//! | payShield's decimal-ATC dCVV layout | documented inputs, no public test data: a future [`DcvvProfile`](crate::DcvvProfile) variant. |
//!
//! Nothing is guessed: there is no function for these names.

/// American Express card security code versions (IBM CCA `CSC-V1`, `CSC-V2`). **Reserved**:
/// the algorithm is not public and no function takes this type in this release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CscVersion {
    /// CSC version 1.0.
    V1,
    /// CSC version 2.0.
    V2,
}
