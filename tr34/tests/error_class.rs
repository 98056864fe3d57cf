//! Every error classifies through the workspace's one `ErrorClass` (the CLI's exit code follows it).

use paycrypt_tr34::{Error, ErrorClass};

#[test]
fn rejected_and_malformed() {
    assert_eq!(Error::Rejected.class(), ErrorClass::Rejected);
    assert_eq!(Error::Rsa.class(), ErrorClass::Rejected);
    for e in [
        Error::Malformed {
            what: "token",
            offset: 0,
        },
        Error::Pem,
        Error::RsaKey,
        Error::InvalidInput { what: "nonce" },
        Error::TooLong {
            max: 2048,
            got: 4000,
        },
    ] {
        assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}");
    }
}
