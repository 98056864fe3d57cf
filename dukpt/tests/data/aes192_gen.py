#!/usr/bin/env python3
"""Generates aes192_derived.json: AES-192 BDK known answers for AES DUKPT
(ANSI X9.24-3:2017 section 6), computed with Python's `cryptography` package -- an
implementation independent of the crate and of tests/aes_reference.rs. The supplement has no
AES-192 examples; these values are cross-checked by the crate's host, initial-key, batch and
originator paths (tests/aes_derived.rs). Run: python3 aes192_gen.py > aes192_derived.json
"""
import json
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

USAGES = {"KeyEncryptionKey": 0x0002, "PINEncryption": 0x1000,
          "MessageAuthenticationGeneration": 0x2000, "MessageAuthenticationVerification": 0x2001,
          "MessageAuthenticationBothWays": 0x2002, "DataEncryptionEncrypt": 0x3000,
          "DataEncryptionDecrypt": 0x3001, "DataEncryptionBothWays": 0x3002,
          "KeyDerivation": 0x8000}
TYPES = {"TDES2": (0, 128, 80), "TDES3": (1, 192, 112), "AES128": (2, 128, 128),
         "AES192": (3, 192, 192), "AES256": (4, 256, 256), "HMAC128": (5, 128, 128),
         "HMAC192": (5, 192, 192), "HMAC256": (5, 256, 256)}
MAC = {"MessageAuthenticationGeneration", "MessageAuthenticationVerification",
       "MessageAuthenticationBothWays"}


def ecb(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def derive(key, usage, algo, bits, tail):
    out = b""
    i = 1
    while len(out) < bits // 8:
        dd = bytes([1, i]) + usage.to_bytes(2, "big") + algo.to_bytes(2, "big") \
            + bits.to_bytes(2, "big") + tail
        out += ecb(key, dd)
        i += 1
    return out[: bits // 8]


def intermediate(bdk, ikid, counter):
    k = derive(bdk, 0x8001, 3, 192, ikid)
    w = 0
    for bit in range(31, -1, -1):
        if counter >> bit & 1:
            w |= 1 << bit
            k = derive(k, 0x8000, 3, 192, ikid[4:] + w.to_bytes(4, "big"))
    return k


def main():
    bdk = bytes.fromhex("FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210")
    ikid = bytes.fromhex("1234567890123456")
    src = ("computed by dukpt/tests/data/aes192_gen.py (Python cryptography, AES-ECB) from the "
           "X9.24-3:2017 section 6 algorithm; not published values")
    vectors = [{"id": "aes192-ik", "kind": "initial_key",
                "inputs": {"bdk": bdk.hex().upper(), "initial_key_id": ikid.hex().upper()},
                "expected": {"initial_key": derive(bdk, 0x8001, 3, 192, ikid).hex().upper()},
                "source": src}]
    for counter in [1, 2, 3, 0x1FFFE, 0x1FFFF, 0x20000, 0xFFFE8000, 0xFFFF0000]:
        k = intermediate(bdk, ikid, counter)
        tail = ikid[4:] + counter.to_bytes(4, "big")
        wk = {}
        if counter in (1, 0x20000):
            for un, u in USAGES.items():
                for tn, (a, bits, strength) in TYPES.items():
                    if strength > 192 or (a == 5 and un not in MAC):
                        continue
                    wk[f"{un}/{tn}"] = derive(k, u, a, bits, tail).hex().upper()
        else:
            wk["PINEncryption/AES128"] = derive(k, 0x1000, 2, 128, tail).hex().upper()
            wk["DataEncryptionBothWays/TDES3"] = derive(k, 0x3002, 1, 192, tail).hex().upper()
        ksn = ikid + counter.to_bytes(4, "big")
        vectors.append({"id": f"aes192-{ksn.hex().upper()}", "kind": "transaction",
                        "inputs": {"bdk": bdk.hex().upper(), "ksn": ksn.hex().upper()},
                        "expected": {"derivation_key": k.hex().upper(), "working_keys": wk},
                        "source": src})
    k = intermediate(bdk, ikid, 0xFFFFFFFF)
    tail = ikid[4:] + b"\xff\xff\xff\xff"
    exp = {"derivation_key_FFFFFFFF": k.hex().upper()}
    for tn in ["TDES2", "TDES3", "AES128", "AES192"]:
        a, bits, _ = TYPES[tn]
        exp[f"update_key/{tn}"] = derive(k, 0x0002, a, bits, tail).hex().upper()
    vectors.append({"id": "aes192-update-key", "kind": "update_key",
                    "inputs": {"bdk": bdk.hex().upper(), "initial_key_id": ikid.hex().upper()},
                    "expected": exp, "source": src})
    print(json.dumps({"conventions": "as aes_vectors.json", "vectors": vectors}, indent=1))


main()
