#!/usr/bin/env python3
"""Independent vectors for paycrypt-kex's ECDSA-signed ECDH key package (paycrypt_kex::signed).

Implementations: pyca/cryptography (ECDH, X9.63 KDF, X.509 certificates and the CMS/PKCS #7
SignedData with ECDSA: PKCS7SignatureBuilder) and psec (TR-31 key block, version D / B). The
KexPackage DER is written here by hand from the module documentation of
keyexchange/src/signed.rs. Versions are recorded in the output.

    python3 -m venv venv && venv/bin/pip install cryptography psec
    venv/bin/python gen_signed.py                # writes signed.json (the vectors)
    venv/bin/python gen_signed.py --check FILE   # verifies packages made by paycrypt (the
                                                 # reverse direction; FILE written by the
                                                 # test signed::export_for_python with
                                                 # PAYCRYPT_KEX_EXPORT=FILE)

Key generation, ECDSA signatures and ephemeral keys come from the OS; the outputs are
recorded, so the committed file is the vector set.
"""
import datetime
import json
import os
import sys
import time

import cryptography
import psec
import psec.tr31
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))

CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
CURVE_OID = {"P-256": "1.2.840.10045.3.1.7", "P-384": "1.3.132.0.34", "P-521": "1.3.132.0.35"}
HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
SCHEME_OID = {"sha256": "1.3.132.1.11.1", "sha384": "1.3.132.1.11.2", "sha512": "1.3.132.1.11.3"}
PAIR = {"P-256": "sha256", "P-384": "sha384", "P-521": "sha512"}


# --- minimal DER (X.690) -------------------------------------------------------------------
def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + value


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def integer(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def parse(data):
    """Splits concatenated DER elements into (tag, value, raw) triples."""
    out, i = [], 0
    while i < len(data):
        tag, ln = data[i], data[i + 1]
        j = i + 2
        if ln & 0x80:
            k = ln & 0x7F
            ln = int.from_bytes(data[j : j + k], "big")
            j += k
        out.append((tag, data[j : j + ln], data[i : j + ln]))
        i = j + ln
    return out


def kex_package(hash_name, curve, kbpk_len, shared_info, originator_spki, block):
    scheme = seq(oid(SCHEME_OID[hash_name]), seq(oid(CURVE_OID[curve]), integer(kbpk_len)))
    orig = b""
    if originator_spki is not None:
        orig = tlv(0xA0, parse(originator_spki)[0][1])  # [0] IMPLICIT SubjectPublicKeyInfo
    return seq(integer(1), scheme, tlv(0x04, shared_info), orig, tlv(0x04, block.encode()))


# --- certificates --------------------------------------------------------------------------
def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


NB = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NA = datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)


def ca():
    k = ec.generate_private_key(ec.SECP384R1())
    c = (
        x509.CertificateBuilder()
        .subject_name(name("paycrypt test signing CA"))
        .issuer_name(name("paycrypt test signing CA"))
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NB)
        .not_valid_after(NA)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(k, hashes.SHA384())
    )
    return k, c


def signer(curve, ca_key, ca_cert, usage_sign=True):
    k = ec.generate_private_key(CURVES[curve])
    c = (
        x509.CertificateBuilder()
        .subject_name(name("paycrypt test KDH signer " + curve))
        .issuer_name(ca_cert.subject)
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NB)
        .not_valid_after(NA)
        .add_extension(
            x509.KeyUsage(usage_sign, False, not usage_sign, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA384())
    )
    return k, c


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(k):
    return k.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def spki(k):
    return k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def build(case, ca_key, ca_cert):
    curve = case["ecdh_curve"]
    sig_curve = case["signer_curve"]
    sig_hash = case.get("signature_hash", PAIR[sig_curve])
    sk, scert = signer(sig_curve, ca_key, ca_cert, case.get("usage_sign", True))
    receiver = ec.generate_private_key(CURVES[curve])
    sender = ec.generate_private_key(CURVES[curve])
    z = sender.exchange(ec.ECDH(), receiver.public_key())
    shared_info = os.urandom(24)
    kbpk_len = case["kbpk_len"]
    kbpk = X963KDF(HASHES[case["kdf_hash"]], kbpk_len, shared_info).derive(z)
    key = os.urandom(case["key_len"])
    block = psec.tr31.wrap(kbpk, case["header"], key)
    originator = spki(sender) if case["ephemeral"] else None
    package = kex_package(case["kdf_hash"], curve, kbpk_len, shared_info, originator, block)
    signing_time = int(time.time())
    cms = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(package)
        .add_signer(scert, sk, HASHES[sig_hash])
        .sign(Encoding.DER, [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities])
    )
    out = {
        "name": case["name"],
        "ecdh_curve": curve,
        "signer_curve": sig_curve,
        "signature_hash": sig_hash,
        "kdf_hash": case["kdf_hash"],
        "signer_cert": pem(scert),
        "signer_key": key_pem(sk),
        "receiver_key": key_pem(receiver),
        "signing_time": signing_time,
        "package": cms.hex().upper(),
        "expect": case.get("expect", "ok"),
    }
    if not case["ephemeral"]:
        out["sender_static_spki"] = spki(sender).hex().upper()
    if out["expect"] == "ok":
        out["key"] = key.hex().upper()
        out["header"] = block[:16]
    return out


CASES = [
    {"name": "p256-ephemeral-aes128", "ecdh_curve": "P-256", "signer_curve": "P-256", "kdf_hash": "sha256",
     "kbpk_len": 16, "header": "D0000P0AE00N0000", "key_len": 16, "ephemeral": True},
    {"name": "p384-ephemeral-aes192", "ecdh_curve": "P-384", "signer_curve": "P-384", "kdf_hash": "sha384",
     "kbpk_len": 24, "header": "D0000K0AB00E0000", "key_len": 24, "ephemeral": True},
    {"name": "p521-ephemeral-aes256", "ecdh_curve": "P-521", "signer_curve": "P-521", "kdf_hash": "sha512",
     "kbpk_len": 32, "header": "D0000K0AB00E0000", "key_len": 32, "ephemeral": True},
    {"name": "p521-static-tdes3", "ecdh_curve": "P-521", "signer_curve": "P-384", "kdf_hash": "sha256",
     "kbpk_len": 24, "header": "B0000B1TX00N0000", "key_len": 16, "ephemeral": False},
    {"name": "p384-signer-p256-ecdh", "ecdh_curve": "P-256", "signer_curve": "P-384", "kdf_hash": "sha512",
     "kbpk_len": 16, "header": "D0000D0AB00N0000", "key_len": 16, "ephemeral": True},
    # Refused by the policy: a P-256 signature (128 bits) over an AES-192 KBPK.
    {"name": "p256-signer-weaker-than-kbpk", "ecdh_curve": "P-384", "signer_curve": "P-256", "kdf_hash": "sha384",
     "kbpk_len": 24, "header": "D0000D0AB00N0000", "key_len": 24, "ephemeral": True, "expect": "SignaturePolicy"},
    # Refused by the policy: a P-384 key signing with SHA-256.
    {"name": "p384-with-sha256", "ecdh_curve": "P-384", "signer_curve": "P-384", "signature_hash": "sha256",
     "kdf_hash": "sha384", "kbpk_len": 24, "header": "D0000K0AB00E0000", "key_len": 24, "ephemeral": True,
     "expect": "SignaturePolicy"},
    # Refused by the policy: a P-256 key signing with SHA-512.
    {"name": "p256-with-sha512", "ecdh_curve": "P-256", "signer_curve": "P-256", "signature_hash": "sha512",
     "kdf_hash": "sha256", "kbpk_len": 16, "header": "D0000P0AE00N0000", "key_len": 16, "ephemeral": True,
     "expect": "SignaturePolicy"},
    # The signer certificate lacks keyUsage digitalSignature.
    {"name": "signer-without-digital-signature", "ecdh_curve": "P-256", "signer_curve": "P-256",
     "usage_sign": False, "kdf_hash": "sha256", "kbpk_len": 16, "header": "D0000P0AE00N0000", "key_len": 16,
     "ephemeral": True, "expect": "CertificateRejected"},
]


def generate():
    ca_key, ca_cert = ca()
    doc = {
        "source": "gen_signed.py: pyca/cryptography %s (ECDH, X9.63 KDF, X.509, PKCS7SignatureBuilder), "
        "psec %s (TR-31)" % (cryptography.__version__, psec.__version__),
        "ca_cert": pem(ca_cert),
        "vectors": [build(c, ca_key, ca_cert) for c in CASES],
    }
    with open(os.path.join(HERE, "signed.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


# --- reverse direction: verify packages built by paycrypt -----------------------------------
SIG_HASH = {
    oid("1.2.840.10045.4.3.2"): hashes.SHA256(),
    oid("1.2.840.10045.4.3.3"): hashes.SHA384(),
    oid("1.2.840.10045.4.3.4"): hashes.SHA512(),
}
SCHEME = {oid(v): k for k, v in SCHEME_OID.items()}


def check_one(v):
    ca_cert = x509.load_pem_x509_certificate(v["ca_cert"].encode())
    der = bytes.fromhex(v["package"])
    (_, ci, _), = parse(der)
    (_, ctype, _), (_, sd_explicit, _) = parse(ci)
    assert ctype == parse(oid("1.2.840.113549.1.7.2"))[0][1]
    (_, sd, _), = parse(sd_explicit)
    items = parse(sd)
    encap = parse(items[2][1])
    content = parse(parse(encap[1][1])[0][2])[0][1]
    certs = [raw for (_, _, raw) in parse(items[3][1])] if items[3][0] == 0xA0 else []
    signer_info = parse(parse(items[-1][1])[0][1])
    cert = x509.load_der_x509_certificate(certs[0]) if certs else None
    if cert is None:
        cert = x509.load_pem_x509_certificate(v["signer_cert"].encode())
    cert.verify_directly_issued_by(ca_cert)
    attrs_implicit = signer_info[3]
    assert attrs_implicit[0] == 0xA0
    sig_alg = parse(signer_info[4][1])[0][2]
    h = SIG_HASH[sig_alg]
    signature = signer_info[5][1]
    cert.public_key().verify(signature, tlv(0x31, attrs_implicit[1]), ec.ECDSA(h))
    digest = hashes.Hash(h)
    digest.update(content)
    md = None
    for (_, a, _) in parse(attrs_implicit[1]):
        (_, aid, araw), (_, vals, _) = parse(a)
        if araw == oid("1.2.840.113549.1.9.4"):
            md = parse(vals)[0][1]
    assert md == digest.finalize(), "messageDigest"
    # KexPackage
    (_, pkg, _), = parse(content)
    fields = parse(pkg)
    scheme = parse(fields[1][1])
    kdf_hash = SCHEME[scheme[0][2]]
    params = parse(scheme[1][1])
    kbpk_len = int.from_bytes(params[1][1], "big")
    shared_info = fields[2][1]
    receiver = serialization.load_pem_private_key(v["receiver_key"].encode(), None)
    if fields[3][0] == 0xA0:
        peer = serialization.load_der_public_key(tlv(0x30, fields[3][1]))
        block = fields[4][1].decode()
    else:
        peer = serialization.load_der_public_key(bytes.fromhex(v["sender_static_spki"]))
        block = fields[3][1].decode()
    z = receiver.exchange(ec.ECDH(), peer)
    kbpk = X963KDF(HASHES[kdf_hash], kbpk_len, shared_info).derive(z)
    _, key = psec.tr31.unwrap(kbpk, block)
    assert key.hex().upper() == v["key"], "key"
    # Tampering the signature must fail here too.
    bad = bytearray(signature)
    bad[-1] ^= 1
    try:
        cert.public_key().verify(bytes(bad), tlv(0x31, attrs_implicit[1]), ec.ECDSA(h))
        raise AssertionError("tampered signature verified")
    except InvalidSignature:
        pass


def check(path):
    with open(path) as f:
        doc = json.load(f)
    for v in doc["vectors"]:
        check_one(v)
        print("ok", v["name"])
    print("%d paycrypt packages verified with cryptography %s, psec %s"
          % (len(doc["vectors"]), cryptography.__version__, psec.__version__))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        generate()
