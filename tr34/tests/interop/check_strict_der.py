#!/usr/bin/env python3
"""Independent strict-DER check of the TR-34 key tokens paycrypt builds (issue 13 item 5).

Run by .ci/run after `PAYCRYPT_TR34_DER_OUT=DIR cargo test -p paycrypt-tr34 --test strict_der`
has written one DER token per layout, key type and pass mode into DIR:

    python3 tr34/tests/interop/check_strict_der.py DIR

Needs asn1crypto (pip install asn1crypto; checked with 1.5.1). For every token: asn1crypto's
DER re-encoding (`dump(force=True)`: minimal lengths, SET OF sorted, DEFAULT fields omitted)
reproduces the token byte for byte, and so does the re-encoding of its signed attributes and of
its EnvelopedData (for the AWS layout, whose eContent is not CMS — no EnvelopedData SEQUENCE
header, encryptedContent inside the AlgorithmIdentifier — every other part of the SignedData
and the recipient infos); the
SignedData is version 3 (RFC 5652 5.1) and the RSAES-OAEP parameters are RFC 4055 SHA-256 /
MGF1-SHA-256. Exits non-zero on the first failure, and when DIR holds no token.
"""
import pathlib
import sys

from asn1crypto import cms


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(b):
    """(tag, contents, total length) of the DER TLV at the start of b."""
    tag, first = b[0], b[1]
    if first < 0x80:
        return tag, b[2 : 2 + first], 2 + first
    n = first & 0x7F
    length = int.from_bytes(b[2 : 2 + n], "big")
    return tag, b[2 + n : 2 + n + length], 2 + n + length


def check(path):
    der = path.read_bytes()
    ci = cms.ContentInfo.load(der, strict=True)
    sd = ci["content"]
    # The eContent octets, read without letting asn1crypto parse them as CMS.
    eci = sd["encap_content_info"].contents
    _, _, used = tlv(eci)  # eContentType
    tag, wrapper, _ = tlv(eci[used:])  # [0] EXPLICIT
    assert tag == 0xA0, hex(tag)
    tag, econtent, _ = tlv(wrapper)  # OCTET STRING
    assert tag == 0x04, hex(tag)
    aws = econtent[:1] != b"\x30"
    if aws:
        # The AWS layout's eContent is the EnvelopedData without its SEQUENCE header, which
        # asn1crypto cannot parse as CMS: re-encode every other part of the SignedData.
        for field in ("digest_algorithms", "signer_infos", "certificates", "crls"):
            part = sd[field]
            assert part.dump(force=True) == part.dump(), f"{field} does not re-encode"
    else:
        assert ci.dump(force=True) == der, "token does not re-encode identically"
    assert sd["version"].native == "v3", sd["version"].native
    for si in sd["signer_infos"]:
        attrs = si["signed_attrs"]
        raw = attrs.dump()
        again = cms.CMSAttributes.load(b"\x31" + raw[1:]).dump(force=True)
        assert again[1:] == raw[1:], "signed attributes are not a DER-sorted SET OF"
    if aws:  # restore the SEQUENCE header
        econtent = b"\x30" + der_len(len(econtent)) + econtent
    env = cms.EnvelopedData.load(econtent, strict=True)
    if aws:
        # AWS also puts encryptedContent inside the content-encryption AlgorithmIdentifier
        # (its layout, not CMS): re-encode the recipient infos.
        ris = env["recipient_infos"]
        assert ris.dump(force=True) == ris.dump(), "recipientInfos do not re-encode"
    else:
        assert env.dump(force=True) == econtent, "EnvelopedData does not re-encode identically"
    for ri in env["recipient_infos"]:
        kea = ri.chosen["key_encryption_algorithm"]
        assert kea["algorithm"].native == "rsaes_oaep", kea["algorithm"].native
        params = kea["parameters"]
        assert params["hash_algorithm"]["algorithm"].native == "sha256"
        mgf = params["mask_gen_algorithm"]
        assert mgf["algorithm"].native == "mgf1"
        assert mgf["parameters"]["algorithm"].native == "sha256"
        assert params["p_source_algorithm"]["algorithm"].native == "p_specified"


def main():
    tokens = sorted(pathlib.Path(sys.argv[1]).glob("*.der"))
    if not tokens:
        sys.exit("no tokens to check")
    for t in tokens:
        try:
            check(t)
        except Exception as e:  # noqa: BLE001 - report which token failed, then fail
            sys.exit(f"{t.name}: {e!r}")
    print(f"{len(tokens)} TR-34 tokens are strict DER (asn1crypto)")


if __name__ == "__main__":
    main()
