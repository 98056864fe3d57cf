#!/usr/bin/env python3
"""Independent values for cli/tests/calculator.rs (data/calculator.json).

HMAC KCVs follow AWS Payment Cryptography's KeyCheckValueAlgorithm HMAC: the leftmost 3 bytes
of HMAC_K("") (the empty message) with the key's hash. HMAC and padding values come from the
Python standard library (hmac, hashlib) and pycryptodome (AES/DES3 ECB, CBC).
"""
import hashlib, hmac, json, platform, sys

import Crypto
from Crypto.Cipher import AES, DES3

KEYS = {
    "sha1": "0B" * 20,
    "sha224": "4A656665",  # RFC 4231 test case 2 key ("Jefe")
    "sha256": "0B" * 20,  # RFC 4231 test case 1 key
    "sha384": "AA" * 131,  # RFC 4231 test case 6 key
    "sha512": "0102030405060708090A0B0C0D0E0F10111213141516171819",  # RFC 4231 case 3 style
}

hmac_kcvs = []
for name, key in KEYS.items():
    tag = hmac.new(bytes.fromhex(key), b"", getattr(hashlib, name)).hexdigest().upper()
    hmac_kcvs.append({"hash": name, "key": key, "kcv": tag[:6]})

hmacs = []
for name in ["sha1", "sha224", "sha384", "sha512"]:
    key = KEYS[name]
    for text in ["", "what do ya want for nothing?"]:
        tag = hmac.new(bytes.fromhex(key), text.encode(), getattr(hashlib, name)).hexdigest()
        hmacs.append({"hash": name, "key": key, "text": text, "mac": tag.upper()})


def pad(data, block, method):
    if method == "iso9797-1":
        n = 0 if data and len(data) % block == 0 else block - len(data) % block
        return data + b"\0" * n
    if method == "iso9797-2":
        data = data + b"\x80"
        return data + b"\0" * (-len(data) % block)
    n = block - len(data) % block
    return data + bytes([n]) * n


ciphers = []
aes_key = bytes.fromhex("2B7E151628AED2A6ABF7158809CF4F3C")
tdes_key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
iv16 = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
iv8 = bytes.fromhex("0001020304050607")
for data_hex in ["", "6BC1BEE22E", "6BC1BEE22E409F96E93D7E117393172A"]:
    data = bytes.fromhex(data_hex)
    for method in ["iso9797-1", "iso9797-2", "pkcs7"]:
        for alg, key, iv, block in [("aes", aes_key, iv16, 16), ("tdes", tdes_key, iv8, 8)]:
            mod = AES if alg == "aes" else DES3
            p = pad(data, block, method)
            ecb = mod.new(key, mod.MODE_ECB).encrypt(p).hex().upper()
            cbc = mod.new(key, mod.MODE_CBC, iv=iv).encrypt(p).hex().upper()
            ciphers.append({"algorithm": alg, "key": key.hex().upper(), "iv": iv.hex().upper(),
                            "padding": method, "data": data_hex, "ecb": ecb, "cbc": cbc})

json.dump({
    "source": "gen_calculator.py with Python %s hmac/hashlib and pycryptodome %s"
              % (platform.python_version(), Crypto.__version__),
    "hmac_kcv": hmac_kcvs, "hmac": hmacs, "cipher": ciphers,
}, sys.stdout, indent=1)
print()
