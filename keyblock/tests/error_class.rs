//! Every error classifies through the workspace's one `ErrorClass` (the CLI's exit code follows it).

use paycrypt_keyblock::{BlockId, Error, ErrorClass, Field};

#[test]
fn rejected_and_malformed() {
    for e in [
        Error::AuthenticationFailed,
        Error::KcvMismatch { id: BlockId::KC },
        Error::Rng,
        Error::Mac(paycrypt_mac::Error::Verification),
        Error::Primitives(paycrypt_primitives::Error::Rng),
    ] {
        assert_eq!(e.class(), ErrorClass::Rejected, "{e:?}");
    }
    for e in [
        Error::InvalidCharacter { position: 3 },
        Error::TooManyBlocks,
        Error::Components,
        Error::InvalidField {
            field: Field::Algorithm,
            position: 7,
        },
        Error::Primitives(paycrypt_primitives::Error::HexOddLength),
    ] {
        assert_eq!(e.class(), ErrorClass::Malformed, "{e:?}");
    }
}
