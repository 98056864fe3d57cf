#!/usr/bin/env python3
"""Generates iso9564-derived.json: ISO 9564-1 formats 0-4 clear and enciphered blocks computed by
an independent implementation (pycryptodome), written from pinblock-mac.md sections 1-2 without
the Rust code. DERIVED values (not published): they cover what the published examples do not
(PIN lengths 4-12 with hex length nibbles A-C, PANs of 1-19 digits, 3-key TDES, AES-192/256,
explicit fills). Deterministic (fixed seed).

Run from pinblock/tests/data:  python3 gen_iso9564_derived.py
"""
import json
import random
from Crypto.Cipher import AES, DES3

rng = random.Random(9564)


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def tdes_key(n):
    while True:
        k = bytes(rng.randrange(256) for _ in range(n))
        try:
            DES3.new(k, DES3.MODE_ECB)
            return k
        except ValueError:
            pass


def pin_field(fmt, pin, fill):
    n = len(pin)
    head = f"{fmt:X}{n:X}{pin}"
    if fmt in (0, 2):
        return head + "F" * (14 - n)
    if fmt in (1, 3):
        return head + fill
    return head + "A" * (14 - n) + fill


def pan_field_03(pan):
    body = pan[:-1][-12:]
    return "0000" + body.rjust(12, "0")


def pan_field_4(pan):
    if len(pan) < 12:
        return ("0" + pan.rjust(12, "0")).ljust(32, "0")
    return (str(len(pan) - 12) + pan).ljust(32, "0")


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


vectors = []
for fmt in range(5):
    for n in range(4, 13):
        pin = digits(n)
        if fmt == 4:
            pan = digits(rng.choice([1, 5, 11, 12, 13, 16, 19]))
            fill = "".join(rng.choice("0123456789ABCDEF") for _ in range(16))
            key = bytes(rng.randrange(256) for _ in range(rng.choice([16, 24, 32])))
            field = bytes.fromhex(pin_field(4, pin, fill))
            c = AES.new(key, AES.MODE_ECB)
            a = c.encrypt(field)
            b = xor(a, bytes.fromhex(pan_field_4(pan)))
            block = c.encrypt(b)
            clear = field
        else:
            pan = digits(rng.randint(12, 19))
            if fmt == 1:
                fill = "".join(rng.choice("0123456789ABCDEF") for _ in range(14 - n))
            elif fmt == 3:
                fill = "".join(rng.choice("ABCDEF") for _ in range(14 - n))
            else:
                fill = None
            key = tdes_key(rng.choice([16, 24]))
            clear = bytes.fromhex(pin_field(fmt, pin, fill or ""))
            if fmt in (0, 3):
                clear = xor(clear, bytes.fromhex(pan_field_03(pan)))
            block = DES3.new(key, DES3.MODE_ECB).encrypt(clear)
        v = {"id": f"iso{fmt}-derived-len{n:02}", "format": fmt, "pin": pin, "pan": pan,
             "key": key.hex().upper(), "clear_block": clear.hex().upper(),
             "cipher_block": block.hex().upper(),
             "source": "derived: gen_iso9564_derived.py (pycryptodome), pinblock-mac.md sections 1-2"}
        if fill is not None:
            v["fill"] = fill
        vectors.append(v)

json.dump({"conventions": {"note": "DERIVED values from an independent Python implementation; format 4 clear_block is the plain PIN field; fill is the explicit fill (formats 1, 3: 14 - PIN length nibbles; 4: the 16 random nibbles)"},
           "vectors": vectors}, open("iso9564-derived.json", "w"), indent=1)
print(len(vectors), "vectors")
