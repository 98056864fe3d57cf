//! Every error classifies through the workspace's one `ErrorClass` (the CLI's exit code follows it).

use paycrypt_mac::{Error, ErrorClass};

#[test]
fn rejected_and_malformed() {
    assert_eq!(Error::Verification.class(), ErrorClass::Rejected);
    assert_eq!(Error::KcvMismatch.class(), ErrorClass::Rejected);
    assert_eq!(Error::IvNotAllowed.class(), ErrorClass::Malformed);
    assert_eq!(Error::DataTooLong.class(), ErrorClass::Malformed);
    assert_eq!(
        Error::HmacKeyLength { got: 0 }.class(),
        ErrorClass::Malformed
    );
    assert_eq!(
        Error::Primitives(paycrypt_primitives::Error::IvLength {
            block_size: 8,
            got: 3
        })
        .class(),
        ErrorClass::Malformed
    );
}
