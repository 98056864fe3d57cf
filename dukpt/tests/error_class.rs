//! Every error classifies through the workspace's one `ErrorClass` (the CLI's exit code follows it).

use paycrypt_dukpt::{Error, ErrorClass};

#[test]
fn rejected_and_malformed() {
    for e in [
        Error::Exhausted,
        Error::CounterNotValid,
        Error::ReservedCounter,
        Error::NotInitialized,
        Error::CorruptState,
        Error::RolledBack {
            generation: 1,
            expected: 2,
        },
    ] {
        assert_eq!(e.class(), ErrorClass::Rejected, "{e:?}");
    }
    for e in [
        Error::KsnLength {
            expected: 10,
            got: 9,
        },
        Error::KeyLength { got: 3 },
        Error::KeyTypeNotAllowed,
        Error::UsageMismatch {
            usage: "mac-generate",
            role: "PIN encryption",
        },
        Error::Unsupported,
        Error::BatchLength { ksns: 1, keys: 2 },
    ] {
        assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}");
    }
}
