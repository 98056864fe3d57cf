#!/usr/bin/env python3
"""Generates the independent vectors of paycrypt-cvv from psec and pyemv (PyPI).

    python3 -m venv /tmp/v && /tmp/v/bin/pip install psec==1.3.0 pyemv==1.5.0
    /tmp/v/bin/python gen_vectors.py   # writes independent.json and pin_psec.json here

Where the libraries stop short of the spec, this script composes their primitives and says so in
each vector's "impl" field:
- psec.cvv.generate_cvv stops Visa decimalisation after pass 1 and returns only 3 digits: for
  4/5-digit codes and for the rare blocks with fewer than 3 decimal nibbles the value is computed
  from psec.des (the same two DES steps) plus the two-pass decimalisation below; the psec output
  is kept in "psec" to document the disagreement.
- pyemv.cvv.generate_cvc3 returns str(int) and drops leading zeros: "pyemv" keeps its output,
  "value" is it left-padded to 5 digits (the spec).
- dCVV has no implementation in either library: the card key comes from pyemv.kd, the CVV core
  from psec.des, the data layout is jPOS's calculatedCVV (ATC hex || PAN[4:] || expiry || SC).
- "jpos_option_b" keys reproduce jPOS JCESecurityModule.formatPANPSNOptionB, which its dCVV and
  CVC3 paths apply to every PAN: for PANs of 16 digits or fewer this is NOT EMV Option B, and the
  tests check such values are refused.
"""

import hashlib
import json
import os
import random

from psec import des as psec_des
from psec.cvv import generate_cvv
from psec.pin import generate_ibm3624_offset, generate_ibm3624_pin, generate_visa_pvv
from pyemv import kd
from pyemv.cvv import generate_cvc3
from pyemv.mac import mac_iso9797_3

from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261204)


def hexs(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def two_pass(block: bytes, n: int) -> str:
    h = block.hex().upper()
    p1 = [c for c in h if c.isdigit()]
    p2 = [str(int(c, 16) - 10) for c in h if not c.isdigit()]
    return "".join((p1 + p2)[:n])


def cvv_core(key: bytes, data: str, n: int) -> str:
    block = data.ljust(32, "0")
    r1 = psec_des.encrypt_tdes_ecb(key[:8], bytes.fromhex(block[:16]))
    r1 = bytes(a ^ b for a, b in zip(r1, bytes.fromhex(block[16:])))
    r2 = psec_des.encrypt_tdes_ecb(key, r1)
    return two_pass(r2, n)


def cvv_block_r2(key, data):
    block = data.ljust(32, "0")
    r1 = psec_des.encrypt_tdes_ecb(key[:8], bytes.fromhex(block[:16]))
    r1 = bytes(a ^ b for a, b in zip(r1, bytes.fromhex(block[16:])))
    return psec_des.encrypt_tdes_ecb(key, r1)


def jpos_option_b(imk: bytes, pan: str, psn: str = "00") -> bytes:
    s = pan + psn
    if len(s) % 2:
        s = "0" + s
    d = hashlib.sha1(bytes.fromhex(s)).digest()
    y = bytes.fromhex(_dec40(d))
    l = psec_des.encrypt_tdes_ecb(imk, y)
    r = psec_des.encrypt_tdes_ecb(imk, bytes(b ^ 0xFF for b in y))
    return psec_des.adjust_key_parity(l + r)


def _dec40(d: bytes) -> str:
    h = d.hex().upper()
    p1 = [c for c in h if c.isdigit()]
    p2 = [str(int(c, 16) - 10) for c in h if not c.isdigit()]
    return "".join((p1 + p2)[:16])


def pan_of(n):
    return "4" + digits(n - 1)


vectors = []


def add(v):
    v["id"] = f"{v['op']}-{sum(1 for x in vectors if x['op'] == v['op']) + 1:03d}"
    vectors.append(v)


# --- CVV family -------------------------------------------------------------------------------
# psec's own doctest example.
k = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
add({"op": "cvv", "kind": "cvv", "key": k.hex().upper(), "pan": "1234567890123456",
     "expiry": "9912", "service_code": "220", "length": 3,
     "value": generate_cvv(k, "1234567890123456", "9912", "220"),
     "impl": "psec.cvv.generate_cvv (its docstring example, '170')"})
for kind, sc in (("cvv", None), ("cvv2", "000"), ("icvv", "999")):
    for i in range(40):
        key = hexs(16)
        pan = pan_of(rng.randint(12, 19))
        exp = digits(4)
        code = sc or rng.choice(["101", "201", "221", "120", digits(3)])
        ps = generate_cvv(key, pan, exp, code)
        full = cvv_core(key, pan + exp + code, 3)
        assert len(ps) < 3 or ps == full
        v = {"op": "cvv", "kind": kind, "key": key.hex().upper(), "pan": pan, "expiry": exp,
             "service_code": code, "length": 3, "value": full, "impl": "psec.cvv.generate_cvv"}
        if ps != full:
            v["psec"] = ps
            v["impl"] = "psec.des + two-pass decimalisation; psec's short value kept in 'psec'"
        add(v)
    for n in (4, 5):
        for i in range(10):
            key = hexs(16)
            pan = pan_of(rng.randint(12, 19))
            exp = digits(4)
            code = sc or "101"
            add({"op": "cvv", "kind": kind, "key": key.hex().upper(), "pan": pan, "expiry": exp,
                 "service_code": code, "length": n, "value": cvv_core(key, pan + exp + code, n),
                 "impl": "psec.des.encrypt_tdes_ecb + two-pass decimalisation (psec gives 3 digits only)"})
# Blocks with fewer than 3 decimal nibbles: psec returns a short value (pitfall 1).
found = 0
tries = 0
key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
while found < 3:
    tries += 1
    pan = "4" + digits(15)
    exp = digits(4)
    r2 = cvv_block_r2(key, pan + exp + "000")
    if sum(c.isdigit() for c in r2.hex()) < 3:
        found += 1
        for n in (3, 5):
            add({"op": "cvv", "kind": "cvv2", "key": key.hex().upper(), "pan": pan, "expiry": exp,
                 "service_code": "000", "length": n, "value": cvv_core(key, pan + exp + "000", n),
                 "psec": generate_cvv(key, pan, exp, "000"),
                 "r2": r2.hex().upper(),
                 "impl": "psec.des + two-pass decimalisation; psec.cvv.generate_cvv returns the short "
                         "'psec' value (pass 1 only) -- disagreement with the spec",
                 "search_tries": tries})
# A K1 = K2 (single-DES-equivalent) CVK computes.
k11 = bytes.fromhex("0123456789ABCDEF0123456789ABCDEF")
add({"op": "cvv", "kind": "cvv", "key": k11.hex().upper(), "pan": "4123456789012345", "expiry": "8701",
     "service_code": "101", "length": 3, "value": generate_cvv(k11, "4123456789012345", "8701", "101"),
     "impl": "psec.cvv.generate_cvv (K1 = K2 key)"})

# --- CAVV (CVV-based): psec's CVV with UN in the expiry slot, result codes in the SC slot --------
for i in range(20):
    key = hexs(16)
    pan = pan_of(rng.randint(12, 19))
    un, ar, sf = digits(4), digits(1), digits(2)
    ps = generate_cvv(key, pan, un, ar + sf)
    if len(ps) < 3:
        continue
    add({"op": "cavv", "key": key.hex().upper(), "pan": pan, "un": un, "auth_result": ar,
         "second_factor": sf, "value": ps,
         "impl": "psec.cvv.generate_cvv(cvk, pan, un, auth_result + second_factor)"})

# --- ICC master keys (pyemv) ------------------------------------------------------------------
imk = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
add({"op": "icc_mk", "imk": imk.hex().upper(), "pan": "99012345678901234", "psn": "45", "method": "a",
     "key": kd.derive_icc_mk_a(imk, "99012345678901234", "45").hex().upper(),
     "impl": "pyemv.kd.derive_icc_mk_a (module docstring, 67F8...)"})
add({"op": "icc_mk", "imk": imk.hex().upper(), "pan": "12345678901234567", "psn": "01", "method": "b",
     "key": kd.derive_icc_mk_b(imk, "12345678901234567", "01").hex().upper(),
     "impl": "pyemv.kd.derive_icc_mk_b (docstring, AD40...)"})
for i in range(20):
    key = hexs(16)
    n = rng.randint(12, 19)
    pan = pan_of(n)
    psn = digits(2)
    m = rng.choice("ab")
    f = kd.derive_icc_mk_a if m == "a" else kd.derive_icc_mk_b
    v = {"op": "icc_mk", "imk": key.hex().upper(), "pan": pan, "psn": psn, "method": m,
         "key": f(key, pan, psn).hex().upper(), "impl": f"pyemv.kd.derive_icc_mk_{m}"}
    if m == "b" and n <= 16:
        v["jpos_option_b"] = jpos_option_b(key, pan, psn).hex().upper()
    add(v)

# --- dCVV (jPOS layout) -----------------------------------------------------------------------
for i in range(20):
    key = hexs(16)
    n = rng.randint(12, 19)
    pan = pan_of(n)
    m = rng.choice("ab")
    exp, sc = digits(4), rng.choice(["101", "201", "221", "999"])
    atc = hexs(2) if i % 2 else bytes([0, rng.randint(0, 0x99)])
    card = kd.derive_icc_mk_a(key, pan, "00") if m == "a" else kd.derive_icc_mk_b(key, pan, "00")
    data = atc.hex().upper() + pan[4:] + exp + sc
    v = {"op": "dcvv", "imk": key.hex().upper(), "pan": pan, "psn": "00", "method": m,
         "card_key": card.hex().upper(), "expiry": exp, "service_code": sc,
         "atc": atc.hex().upper(), "value": cvv_core(card, data, 3),
         "impl": f"pyemv.kd.derive_icc_mk_{m} + psec.des CVV core over jPOS's ATC||PAN[4:]||expiry||SC"}
    if data.isdigit():
        v["psec"] = generate_cvv(card, atc.hex() + pan[4:], exp, sc)
    if m == "b" and n <= 16:
        jk = jpos_option_b(key, pan, "00")
        v["jpos_option_b_value"] = cvv_core(jk, data, 3)
    add(v)

# --- CVC3 (pyemv) -----------------------------------------------------------------------------
iss = bytes.fromhex("01234567899876543210012345678998")
t2 = bytes.fromhex("5123456789012345D35121010000000000000F")
icc = kd.derive_icc_mk_a(iss, "5123456789012345", "00")
add({"op": "cvc3", "imk": iss.hex().upper(), "pan": "5123456789012345", "psn": "00", "method": "a",
     "card_key": icc.hex().upper(), "track": t2.hex().upper(),
     "ivcvc3": mac_iso9797_3(icc[:8], icc[-8:], t2, 2)[-2:].hex().upper(),
     "un": "00000899", "atc": "005E", "pyemv": generate_cvc3(icc, t2, bytes.fromhex("005E"), bytes.fromhex("00000899")),
     "impl": "pyemv.cvv.generate_cvc3 (its docstring example, '29488')"})
zero_found = 0
i = 0
while i < 30 or zero_found < 3:
    i += 1
    key = hexs(16)
    n = rng.randint(12, 19)
    pan = "5" + digits(n - 1)
    psn = digits(2)
    m = rng.choice("ab")
    icc = kd.derive_icc_mk_a(key, pan, psn) if m == "a" else kd.derive_icc_mk_b(key, pan, psn)
    if rng.random() < 0.5:
        tr = pan + "D" + digits(4) + "101" + digits(rng.randint(0, 13))
        if len(tr) % 2:
            tr += "F"
        track = bytes.fromhex(tr)
    else:
        track = ("B" + pan + "^CARDHOLDER/TEST^" + digits(4) + "101" + digits(rng.randint(0, 20))).encode()
    un, atc = hexs(4), hexs(2)
    py = generate_cvc3(icc, track, atc, un)
    if i > 30 and len(py) == 5:
        continue
    if len(py) < 5:
        zero_found += 1
    v = {"op": "cvc3", "imk": key.hex().upper(), "pan": pan, "psn": psn, "method": m,
         "card_key": icc.hex().upper(), "track": track.hex().upper(),
         "ivcvc3": mac_iso9797_3(icc[:8], icc[-8:], track, 2)[-2:].hex().upper(),
         "un": un.hex().upper(), "atc": atc.hex().upper(), "pyemv": py,
         "impl": "pyemv.cvv.generate_cvc3; ivcvc3 from pyemv.mac.mac_iso9797_3(padding 2)[-2:]"}
    if m == "b" and n <= 16:
        v["jpos_option_b"] = jpos_option_b(key, pan, psn).hex().upper()
    add(v)
for v in vectors:
    if v["op"] == "cvc3":
        v["value"] = v["pyemv"].zfill(5)
        if v["value"] != v["pyemv"]:
            v["note"] = "pyemv drops leading zeros (str(int)); the spec keeps 5 digits"

libs = {name: version(name) for name in ("psec", "pyemv", "cryptography")}
doc = {
    "conventions": {
        "source": f"generated by gen_vectors.py with psec {libs['psec']} and pyemv {libs['pyemv']} "
                  f"(PyPI; DES from cryptography {libs['cryptography']}), seed 20261204; see the script's docstring for where it composes their "
                  "primitives and where they disagree with the spec",
        "hex": "upper-case; keys raw bytes",
        "ops": "cvv (kind cvv/cvv2/icvv) | cavv | icc_mk | dcvv | cvc3",
    },
    "vectors": vectors,
}
with open(os.path.join(HERE, "independent.json"), "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")

# --- PIN verification values (psec) -----------------------------------------------------------
pins = []


def addp(v):
    v["id"] = f"{v['op']}-{sum(1 for x in pins if x['op'] == v['op']) + 1:03d}"
    pins.append(v)


k = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
addp({"op": "pvv", "pvk": k.hex().upper(), "pvki": "3", "pin": "4524", "pan": "1122334455667788",
      "pvv": generate_visa_pvv(k, "3", "4524", "1122334455667788"),
      "impl": "psec.pin.generate_visa_pvv (docstring, '4021')"})
addp({"op": "offset", "pvk": k.hex().upper(), "table": "1234567890123456", "vdata": "1122334455667788",
      "pad": "F", "pin": "4524",
      "offset": generate_ibm3624_offset(k, "1234567890123456", "4524", "1122334455667788", 0, 16, "F"),
      "impl": "psec.pin.generate_ibm3624_offset (docstring, '0000')"})
for i in range(30):
    key = hexs(rng.choice([16, 24]))
    pan = pan_of(rng.randint(12, 19))
    pvki = str(rng.randint(0, 9))
    pin = digits(4)
    addp({"op": "pvv", "pvk": key.hex().upper(), "pvki": pvki, "pin": pin, "pan": pan,
          "pvv": generate_visa_pvv(key, pvki, pin, pan), "impl": "psec.pin.generate_visa_pvv"})
for i in range(30):
    key = hexs(rng.choice([8, 16, 24]))
    table = rng.choice(["0123456789012345", "9876543210123456", digits(16)])
    pan = pan_of(16)
    start = rng.randint(0, 4)
    ln = rng.randint(4, 16 - start)
    vdata = pan[start:start + ln]
    pad = rng.choice("0123456789ABCDEF")
    plen = rng.randint(4, 12)
    pin = digits(plen)
    nat = generate_ibm3624_pin(key, table, "0" * plen, pan, start, ln, pad)
    addp({"op": "offset", "pvk": key.hex().upper(), "table": table, "vdata": vdata, "pad": pad,
          "pin": pin, "natural": nat,
          "offset": generate_ibm3624_offset(key, table, pin, pan, start, ln, pad),
          "impl": "psec.pin.generate_ibm3624_offset; natural = generate_ibm3624_pin with offset 0"})
doc = {
    "conventions": {
        "source": f"generated by gen_vectors.py with psec {libs['psec']} (PyPI), seed 20261204",
        "hex": "upper-case; keys raw bytes (8 bytes = single DES)",
        "ops": "pvv | offset (IBM 3624; natural = the natural PIN of the PIN's length)",
    },
    "vectors": pins,
}
with open(os.path.join(HERE, "pin_psec.json"), "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(len(vectors), "card vectors,", len(pins), "PIN vectors; short psec CVV search tries:", tries)
