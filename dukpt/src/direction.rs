//! The message direction, shared by TDES and AES DUKPT.

/// Message direction: `Request` is originating device (terminal) → host, `Response` host →
/// terminal — the vocabulary of cloud HSM APIs (AWS Payment Cryptography's
/// `DukptKeyVariant`).
///
/// - TDES (X9.24-1:2009 A.4.1): the request variants are also the "both ways" variants, so
///   `Bidirectional` selects the request key
///   ([`tdes::KeyVariant::mac`](crate::tdes::KeyVariant::mac),
///   [`tdes::KeyVariant::data`](crate::tdes::KeyVariant::data)).
/// - AES (X9.24-3:2017 §6.3.2, Table 2): `Request` → MAC generation / data encrypt,
///   `Response` → MAC verification / data decrypt, `Bidirectional` → the "both ways" usages
///   ([`aes::KeyUsage::mac`](crate::aes::KeyUsage::mac),
///   [`aes::KeyUsage::data`](crate::aes::KeyUsage::data)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Terminal → host.
    Request,
    /// Host → terminal.
    Response,
    /// One key for both directions.
    Bidirectional,
}
