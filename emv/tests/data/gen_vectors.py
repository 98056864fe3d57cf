#!/usr/bin/env python3
"""Generates emv/tests/data/independent.json: vectors for paycrypt-emv computed by
independent implementations.

- pyemv 1.5.0 (PyPI, `pip install pyemv==1.5.0`): ICC master keys (options A/B), common
  session key, Visa SM key, EMV2000 tree, cryptograms, ARPCs, command MACs, command-data
  encryption and PIN change commands of every CVN profile (pyemv.cvn classes), BER-TLV
  encoding (pyemv.tlv).
- The small model below (pycryptodome 3.x/4.x `Crypto.Cipher.DES`/`DES3`), written from
  JR/T 0025 and EMV Book 3 §5.4, for what pyemv lacks: the Mastercard SKD session key on its
  own, PBOC diversification, PBOC MAC, load and purchase MAC1/MAC2/TAC, DOL building.

Deterministic (fixed seed). Run: python3 gen_vectors.py > independent.json
"""

import json
import random

import pyemv
from pyemv import cvn, kd, tlv
from Crypto.Cipher import DES, DES3

assert pyemv.__version__ == "1.5.0", pyemv.__version__

rng = random.Random(20261204)


def rb(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def h(b):
    return b.hex().upper()


def pan_digits(n):
    return "".join(str(rng.randrange(10)) for _ in range(n))


# --- independent model -----------------------------------------------------------------

def tdes_ecb(k, d):
    return DES3.new(k, DES3.MODE_ECB).encrypt(d) if k[:8] != k[8:16] else DES.new(k[:8], DES.MODE_ECB).encrypt(d)


def pad2(d):
    d = d + b"\x80"
    while len(d) % 8:
        d += b"\x00"
    return d


def pboc_mac(key, data, iv=b"\x00" * 8):
    d = pad2(data)
    k1 = key[:8]
    h_ = iv
    for i in range(0, len(d), 8):
        blk = bytes(a ^ b for a, b in zip(h_, d[i:i + 8]))
        h_ = DES.new(k1, DES.MODE_ECB).encrypt(blk)
    if len(key) == 16:
        h_ = DES.new(key[8:], DES.MODE_ECB).decrypt(h_)
        h_ = DES.new(k1, DES.MODE_ECB).encrypt(h_)
    return h_[:4]


def parity(b):
    out = bytearray()
    for x in b:
        x &= 0xFE
        out.append(x | ((bin(x).count("1") + 1) & 1))
    return bytes(out)


def mastercard_skd(mk, atc, un):
    r = atc + b"\x00\x00" + un
    ra = r[:2] + b"\xF0" + r[3:]
    rb_ = r[:2] + b"\x0F" + r[3:]
    return parity(tdes_ecb(mk, ra) + tdes_ecb(mk, rb_))


N_FORMAT = {"9F02", "9F03", "9F1A", "5F2A", "9A", "9C", "9F21", "9F41", "5F34", "5F36",
            "9F15", "9F35", "5F25", "5F24"}


def dol_build(entries, values):
    out = b""
    for tag, n in entries:
        v = values.get(tag)
        if v is None or (int(tag[:2], 16) & 0x20):
            out += b"\x00" * n
        elif tag in N_FORMAT:
            out += v[-n:] if len(v) >= n else b"\x00" * (n - len(v)) + v
        elif tag == "5A":
            out += v[:n] + b"\xFF" * max(0, n - len(v))
        else:
            out += v[:n] + b"\x00" * max(0, n - len(v))
    return out


doc = {
    "source": "computed by pyemv 1.5.0 (PyPI) and, where pyemv has no such function (Mastercard SKD alone, PBOC, DOL), by the independent pycryptodome model in gen_vectors.py",
    "generator": "emv/tests/data/gen_vectors.py",
}

# --- ICC master keys -------------------------------------------------------------------
icc = []
for n in [12, 15, 16, 17, 18, 19, 19, 19]:
    imk = rb(16)
    pan = pan_digits(n)
    psn = "%02d" % rng.randrange(100)
    icc.append({"imk": h(imk), "pan": pan, "psn": psn,
                "option_a": h(kd.derive_icc_mk_a(imk, pan, psn)),
                "option_b": h(kd.derive_icc_mk_b(imk, pan, psn))})
doc["icc_mk"] = icc

# --- session keys ----------------------------------------------------------------------
sk = []
for _ in range(4):
    mk = rb(16)
    atc = rb(2)
    un = rb(4)
    r = rb(8)
    sk.append({"method": "csk", "mk": h(mk), "r": h(r), "key": h(kd.derive_common_sk(mk, r))})
    sk.append({"method": "csk-atc", "mk": h(mk), "atc": h(atc),
               "key": h(kd.derive_common_sk(mk, atc + b"\x00" * 6))})
    sk.append({"method": "mastercard", "mk": h(mk), "atc": h(atc), "un": h(un),
               "key": h(mastercard_skd(mk, atc, un))})
    sk.append({"method": "visa-sm", "mk": h(mk), "atc": h(atc), "key": h(kd.derive_visa_sm_sk(mk, atc))})
    for b, hh in [(4, 8), (2, 16), (16, 4), (3, 11)]:
        iv = rb(16) if b == 3 else b"\x00" * 16
        sk.append({"method": "emv2000", "mk": h(mk), "atc": h(atc), "branch": b, "height": hh,
                   "iv": h(iv), "key": h(kd.derive_emv2000_tree_sk(mk, atc, height=hh, branch_factor=b, iv=iv))})
doc["session_keys"] = sk

# --- cryptogram profiles ---------------------------------------------------------------
def iad_for(profile):
    if profile == "visa10":
        return bytes.fromhex("06010A03") + rb(3) + (rb(rng.choice([0, 8])))
    if profile == "visa18":
        extra = rng.choice([b"", b"\x0F" + rb(15)])
        return bytes.fromhex("060112") + b"\x03" + rb(3) + extra
    if profile == "visa22":
        return bytes.fromhex("1F22") + rb(30)
    cvnb = {"mchip16": 0x10, "mchip17": 0x11, "mchip20": 0x14, "mchip21": 0x15}[profile]
    n = rng.choice([18, 20, 26, 28])
    return bytes([rng.randrange(256), cvnb]) + rb(n - 2)


CLASSES = {"visa10": cvn.VisaCVN10, "visa18": cvn.VisaCVN18, "visa22": cvn.VisaCVN22,
           "mchip16": cvn.MasterCardCVN16, "mchip17": cvn.MasterCardCVN17,
           "mchip20": cvn.MasterCardCVN20, "mchip21": cvn.MasterCardCVN21}

cryptograms = []
for profile, cls in CLASSES.items():
    for i in range(4):
        imk_ac, imk_smi, imk_smc = rb(16), rb(16), rb(16)
        pan = pan_digits(19 if (i % 2 and profile.startswith("visa")) else 16)
        psn = "%02d" % rng.randrange(100)
        card = cls(imk_ac, imk_smi, imk_smc, pan, psn)
        t = {"9F02": rb(6), "9F03": rb(6), "9F1A": rb(2), "95": rb(5), "5F2A": rb(2),
             "9A": rb(3), "9C": rb(1), "9F37": rb(4), "82": rb(2), "9F36": rb(2)}
        iad = iad_for(profile)
        args = [t[k] for k in ["9F02", "9F03", "9F1A", "95", "5F2A", "9A", "9C", "9F37", "82", "9F36"]]
        if profile == "visa10":
            part = iad[3:7]
            ac = card.generate_ac(*args, part)
        elif profile in ("visa18", "visa22"):
            part = iad
            ac = card.generate_ac(*args, iad)
        elif profile in ("mchip16", "mchip20"):
            part = iad[2:8]
            ac = card.generate_ac(*args, part)
        else:
            part = iad[2:8] + iad[10:18]
            ac = card.generate_ac(*args, iad[2:8], iad[10:18])
        v = {"profile": profile, "imk_ac": h(imk_ac), "imk_smi": h(imk_smi), "imk_smc": h(imk_smc),
             "pan": pan, "psn": psn, "icc_mk_ac": h(card.icc_mk_ac),
             "icc_mk_smi": h(card.icc_mk_smi), "icc_mk_smc": h(card.icc_mk_smc),
             "tags": {k: h(x) for k, x in t.items()}, "iad": h(iad),
             "input": h(b"".join(args) + part), "arqc": h(ac)}
        # ARPC
        if profile == "visa10":
            arc = bytes.fromhex(rng.choice(["3030", "3035"]))
            v["arc"] = h(arc)
            v["arpc"] = h(card.generate_arpc(ac, arc))
        elif profile in ("visa18", "visa22"):
            csu = rb(4)
            pad = rb(rng.choice([0, 1, 4, 8]))
            v["csu"], v["pad"] = h(csu), h(pad)
            v["arpc"] = h(card.generate_arpc(ac, t["9F36"], csu, pad or None))
        elif profile in ("mchip16", "mchip17"):
            arc = bytes.fromhex("0010")
            v["arc"] = h(arc)
            v["arpc"] = h(card.generate_arpc(ac, arc))
        else:
            arc = rb(2)
            v["arc"] = h(arc)
            v["arpc"] = h(card.generate_arpc(ac, t["9F36"], arc))
        # Script MAC and encryption
        data = rb(rng.choice([0, 3, 8, 13, 16]))
        header = bytes([0x84, 0xDA, 0x00, 0x00, len(data) + 8])
        v["script_header"] = h(header)
        v["script_data"] = h(data)
        v["script_mac"] = h(card.generate_command_mac(header, ac, t["9F36"], data))
        plain = rb(rng.choice([1, 7, 8, 16, 21]))
        v["plain"] = h(plain)
        if profile in ("visa10", "visa18"):
            v["ciphertext"] = h(card.encrypt_command_data(plain, t["9F36"]))
        else:
            v["ciphertext"] = h(card.encrypt_command_data(plain, ac))
        # PIN change
        pin = pan_digits(rng.randrange(4, 13))
        v["pin"] = pin
        v["pin_change"] = h(card.generate_pin_change_command(pin, ac, t["9F36"]))
        if profile.startswith("visa"):
            cur = pan_digits(rng.randrange(4, 13))
            v["current_pin"] = cur
            v["pin_change_current"] = h(card.generate_pin_change_command(pin, ac, t["9F36"], cur))
        cryptograms.append(v)
doc["cryptograms"] = cryptograms

# --- PBOC ------------------------------------------------------------------------------
pb = []
for _ in range(6):
    mk = rb(16)
    f = rb(8)
    key = tdes_ecb(mk, f) + tdes_ecb(mk, bytes(~x & 0xFF for x in f))
    pb.append({"kind": "diversify", "mk": h(mk), "factor": h(f), "key": h(key)})
for klen in [8, 16]:
    for n in [0, 1, 7, 8, 9, 16, 33]:
        key = rb(klen)
        data = rb(n)
        iv = rb(4) + b"\x00" * 4 if n % 2 else None
        e = {"kind": "mac", "key": h(key), "data": h(data),
             "mac": h(pboc_mac(key, data, iv or b"\x00" * 8))}
        if iv:
            e["iv"] = h(iv)
        pb.append(e)
for _ in range(5):
    dlk, dtk = rb(16), rb(16)
    random4, atc = rb(4), rb(2)
    bal = rng.randrange(0, 2**31)
    amt = rng.randrange(1, 2**20)
    ttype = 0x02
    term, date, time = rb(6), bytes.fromhex("20261204"), bytes.fromhex("190512")
    ses = tdes_ecb(dlk, random4 + atc + b"\x80\x00")
    mac1 = pboc_mac(ses, bal.to_bytes(4, "big") + amt.to_bytes(4, "big") + bytes([ttype]) + term)
    mac2 = pboc_mac(ses, amt.to_bytes(4, "big") + bytes([ttype]) + term + date + time)
    dtkx = bytes(a ^ b for a, b in zip(dtk[:8], dtk[8:]))
    tac = pboc_mac(dtkx, (bal + amt).to_bytes(4, "big") + atc + amt.to_bytes(4, "big") + bytes([ttype]) + term + date + time)
    pb.append({"kind": "load", "dlk": h(dlk), "dtk": h(dtk), "random": h(random4), "atc": h(atc),
               "balance": "%08X" % bal, "amount": "%08X" % amt, "type": "%02X" % ttype,
               "terminal": h(term), "date": h(date), "time": h(time),
               "mac1": h(mac1), "mac2": h(mac2), "tac": h(tac), "new_balance": "%08X" % (bal + amt)})
for _ in range(5):
    dpk, dtk = rb(16), rb(16)
    random4, atc, serial = rb(4), rb(2), rb(4)
    amt = rng.randrange(1, 2**20)
    ttype = 0x06
    term, date, time = rb(6), bytes.fromhex("20261204"), bytes.fromhex("235959")
    ses = tdes_ecb(dpk, random4 + atc + serial[2:])
    a = amt.to_bytes(4, "big")
    mac1 = pboc_mac(ses, a + bytes([ttype]) + term + date + time)
    mac2 = pboc_mac(ses, a)
    dtkx = bytes(x ^ y for x, y in zip(dtk[:8], dtk[8:]))
    tac = pboc_mac(dtkx, a + bytes([ttype]) + term + serial + date + time)
    pb.append({"kind": "purchase", "dpk": h(dpk), "dtk": h(dtk), "random": h(random4), "atc": h(atc),
               "serial": h(serial), "amount": "%08X" % amt, "type": "%02X" % ttype,
               "terminal": h(term), "date": h(date), "time": h(time),
               "mac1": h(mac1), "mac2": h(mac2), "tac": h(tac)})
doc["pboc"] = pb

# --- TLV (pyemv.tlv.encode) and DOL (model) ------------------------------------------------
tl = []
for obj in [
    {"9F02": bytes.fromhex("000000001000"), "5F2A": bytes.fromhex("0978")},
    {"70": {"5A": bytes.fromhex("4761739001010010"), "5F24": bytes.fromhex("301231")}},
    {"77": {"9F27": b"\x80", "9F36": b"\x00\x01", "9F26": rb(8), "9F10": rb(18)}},
    {"DF8101": rb(130)},
    {"9F4B": rb(300)},
    {"6F": {"84": rb(7), "A5": {"50": b"VISA", "BF0C": {"9F5A": rb(5)}}}},
    {"9F10": b""},
]:
    tl.append({"encoded": h(tlv.encode(obj))})
doc["tlv"] = tl

dols = []
values = {"9F02": bytes.fromhex("000000001234"), "9F03": bytes.fromhex("000000000000"),
          "9F1A": bytes.fromhex("0250"), "95": bytes.fromhex("0000008000"),
          "5A": bytes.fromhex("47617390010100"), "9F37": bytes.fromhex("11223344"),
          "9F4E": b"SHOP NAME"}
tlv_data = tlv.encode({k: v for k, v in values.items()})
for entries in [
    [("9F02", 6), ("9F03", 6), ("9F1A", 2), ("95", 5), ("9F37", 4)],
    [("9F02", 4), ("9F1A", 3), ("5A", 10), ("9F4E", 4), ("9F37", 2)],
    [("9F02", 8), ("95", 3), ("5A", 5), ("9F4E", 12), ("9F35", 1), ("70", 3)],
]:
    dol = b"".join(bytes.fromhex(t) + bytes([n]) for t, n in entries)
    dols.append({"dol": h(dol), "tlv": h(tlv_data), "data": h(dol_build(entries, values))})
doc["dol"] = dols

print(json.dumps(doc, indent=1))
