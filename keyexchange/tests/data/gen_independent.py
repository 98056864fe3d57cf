#!/usr/bin/env python3
"""Independent vectors and test keys for paycrypt-kex, made with pyca/cryptography.

Run from this directory:  python3 gen_independent.py
Writes independent.json and keys/ (test-only keys and certificates). Deterministic inputs come
from a seeded PRNG; RSA/EC key generation and OAEP seeds come from the OS (the outputs are
recorded, so the committed files are the vectors).
"""
import base64
import datetime
import json
import os
import random

import cryptography
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.keywrap import aes_key_wrap, aes_key_wrap_with_padding
from cryptography.x509.oid import NameOID

rng = random.Random(20261204)
HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
os.makedirs(KEYS, exist_ok=True)


def rb(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def hx(b):
    return b.hex().upper()


def write(name, data):
    with open(os.path.join(KEYS, name), "wb") as f:
        f.write(data)


HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
FIELD = {"P-256": 32, "P-384": 48, "P-521": 66}
impl = f"pyca/cryptography {cryptography.__version__}"
out = {"generator": "gen_independent.py", "implementation": impl, "keywrap": [], "ecdh": [], "rsa_oaep": []}

# --- KW / KWP -------------------------------------------------------------------------------
for kek_len in (16, 24, 32):
    for n in (16, 24, 32, 40, 64):
        kek, key = rb(kek_len), rb(n)
        out["keywrap"].append({"algorithm": "aes-kw", "kek": hx(kek), "key": hx(key), "wrapped": hx(aes_key_wrap(kek, key))})
    for n in (1, 5, 8, 9, 16, 17, 24, 31, 32, 33):
        kek, key = rb(kek_len), rb(n)
        out["keywrap"].append({"algorithm": "aes-kwp", "kek": hx(kek), "key": hx(key), "wrapped": hx(aes_key_wrap_with_padding(kek, key))})

# --- ECDH + KDFs ----------------------------------------------------------------------------
KBPK = {"aes128": 16, "aes192": 24, "aes256": 32, "tdes2": 16, "tdes3": 24}
for cname, curve in CURVES.items():
    for i in range(4):
        a = ec.derive_private_key(int.from_bytes(rb(FIELD[cname]), "big") % (2**(FIELD[cname] * 8 - 9)) + 1, curve())
        b = ec.derive_private_key(int.from_bytes(rb(FIELD[cname]), "big") % (2**(FIELD[cname] * 8 - 9)) + 1, curve())
        z = a.exchange(ec.ECDH(), b.public_key())
        assert z == b.exchange(ec.ECDH(), a.public_key())
        info = rb(16 + 8 * i)
        hname = ["sha256", "sha384", "sha512", "sha256"][i]
        ktype = ["aes128", "aes192", "tdes3", "tdes2"][i] if cname == "P-256" else ["aes128", "aes192", "aes256", "tdes3"][i]
        if cname == "P-256" and ktype == "aes192":
            ktype = "aes128"
        L = KBPK[ktype]
        concat = ConcatKDFHash(HASHES[hname](), L, otherinfo=info).derive(z)
        x963 = X963KDF(HASHES[hname](), L, sharedinfo=info).derive(z)
        pa, pb = a.public_key().public_numbers(), b.public_key().public_numbers()
        out["ecdh"].append({
            "curve": cname, "hash": hname, "kbpk_type": ktype,
            "d_a": hx(a.private_numbers().private_value.to_bytes(FIELD[cname], "big")),
            "qx_a": hx(pa.x.to_bytes(FIELD[cname], "big")), "qy_a": hx(pa.y.to_bytes(FIELD[cname], "big")),
            "d_b": hx(b.private_numbers().private_value.to_bytes(FIELD[cname], "big")),
            "qx_b": hx(pb.x.to_bytes(FIELD[cname], "big")), "qy_b": hx(pb.y.to_bytes(FIELD[cname], "big")),
            "z": hx(z), "shared_info": hx(info), "concat": hx(concat), "x963": hx(x963),
        })

# --- keys and certificates ------------------------------------------------------------------
now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject_key, cn, issuer_key, issuer_cn, ca, usage, hash_alg=hashes.SHA256()):
    b = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(name(issuer_cn))
         .public_key(subject_key.public_key()).serial_number(rng.getrandbits(63) + 1)
         .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=usage == "sign", content_commitment=False,
                                      key_encipherment=usage == "encipher", data_encipherment=False,
                                      key_agreement=usage == "agree", key_cert_sign=ca, crl_sign=ca,
                                      encipher_only=False, decipher_only=False), critical=True))
    return b.sign(issuer_key, hash_alg)


def save_cert(c, stem):
    pem = c.public_bytes(serialization.Encoding.PEM)
    write(stem + ".cert.pem", pem)
    write(stem + ".cert.der", c.public_bytes(serialization.Encoding.DER))
    write(stem + ".cert.b64", base64.b64encode(pem) + b"\n")


def save_key(k, stem, sec1=False):
    write(stem + ".key.pem", k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    write(stem + ".key.der", k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    if sec1:
        write(stem + ".sec1.pem", k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))


ca = ec.generate_private_key(ec.SECP384R1())
ca_cert = cert(ca, "paycrypt test ECC CA", ca, "paycrypt test ECC CA", True, None, hashes.SHA384())
save_key(ca, "ecc-ca")
save_cert(ca_cert, "ecc-ca")
for cname, curve in CURVES.items():
    tag = cname.lower().replace("-", "")
    for side in ("kdh", "krd"):
        k = ec.generate_private_key(curve())
        save_key(k, f"{side}-{tag}", sec1=True)
        save_cert(cert(k, f"paycrypt test {side} {cname}", ca, "paycrypt test ECC CA", False, "agree"), f"{side}-{tag}")
        write(f"{side}-{tag}.spki.pem", k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
# Unsupported curves and forms.
k = ec.generate_private_key(ec.SECP256K1())
save_key(k, "secp256k1")
save_cert(cert(k, "paycrypt test secp256k1", ca, "paycrypt test ECC CA", False, "agree"), "secp256k1")
k = ec.generate_private_key(ec.SECP256R1())
write("encrypted.key.pem", k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"test")))

k = rsa.generate_private_key(public_exponent=65537, key_size=1024)
write("rsa1024.key.pem", k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
write("rsa1024.spki.pem", k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

rsa_keys = {}
for bits in (2048, 3072):
    k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    rsa_keys[bits] = k
    save_key(k, f"rsa{bits}")
    write(f"rsa{bits}.pkcs1.pem", k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    save_cert(cert(k, f"paycrypt test RSA-{bits} wrapping key", ca, "paycrypt test ECC CA", False, "encipher"), f"rsa{bits}")

# --- RSA-OAEP key cryptograms ---------------------------------------------------------------
for bits, ktype, klen, h in ((2048, "tdes2", 16, "sha256"), (2048, "tdes3", 24, "sha512"), (3072, "aes128", 16, "sha256"), (3072, "tdes3", 24, "sha512")):
    key = rb(klen)
    alg = HASHES[h]()
    ct = rsa_keys[bits].public_key().encrypt(key, padding.OAEP(mgf=padding.MGF1(algorithm=HASHES[h]()), algorithm=alg, label=None))
    out["rsa_oaep"].append({"private_key": f"keys/rsa{bits}.key.pem", "modulus_bits": bits, "scheme": "oaep-" + h, "key_type": ktype, "key": hx(key), "cryptogram": hx(ct)})

with open(os.path.join(HERE, "independent.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("keywrap", len(out["keywrap"]), "ecdh", len(out["ecdh"]), "rsa_oaep", len(out["rsa_oaep"]))
