//! BER-TLV (EMV Book 3 Annex B) on arbitrary bytes: never panics; the borrowing walk, the
//! owned tree and `find` agree; whatever decodes re-encodes to a canonical form that decodes to
//! the same tree (encode ∘ decode is a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paycrypt_emv::tlv::{self, Content, Node, Tag};

fn count(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match &n.content {
            Content::Constructed(c) => 1 + count(c),
            Content::Primitive(_) => 1,
        })
        .sum()
}

fuzz_target!(|data: &[u8]| {
    let validated = tlv::validate(data);
    let tree = tlv::decode_tree(data);
    assert_eq!(validated.is_ok(), tree.is_ok());
    let _ = tlv::find(data, Tag::two(0x9F, 0x10));
    // The borrowing iterator never panics either.
    for obj in tlv::iter(data).take(64) {
        let Ok(obj) = obj else { break };
        for c in obj.children().take(64) {
            let _ = c.map(|c| c.value().len());
        }
    }
    let (Ok(n), Ok(tree)) = (validated, tree) else {
        return;
    };
    assert_eq!(n, count(&tree));
    let mut visited = 0;
    tlv::for_each(data, |_, _| visited += 1).unwrap();
    assert_eq!(visited, n);
    let enc = tlv::encode(&tree).unwrap();
    assert!(enc.len() <= data.len());
    let again = tlv::decode_tree(&enc).unwrap();
    assert_eq!(again, tree);
    assert_eq!(tlv::encode(&again).unwrap(), enc);
    // The first occurrence of the first tag is found.
    if let Some(first) = tree.first() {
        assert!(tlv::find(data, first.tag).unwrap().is_some());
    }
});
