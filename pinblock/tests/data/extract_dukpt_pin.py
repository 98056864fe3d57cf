#!/usr/bin/env python3
"""Extracts the PIN-block values of ../shared/vectors/dukpt.json into dukpt-pin.json.

Run from pinblock/tests/data:  python3 extract_dukpt_pin.py ../../../../shared/vectors/dukpt.json
Only copies published values; the one computation is the X9.24-1:2009 A.3 PIN variant
(transaction key XOR 00000000000000FF00000000000000FF), which the tests state explicitly.
"""
import json
import sys

src = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/vectors/dukpt.json"))
out = {
    "conventions": {
        "origin": "extracted by extract_dukpt_pin.py from shared/vectors/dukpt.json (each entry keeps its source)",
        "tdes": "format 0 under the DUKPT PIN key = txn_key XOR 00000000000000FF00000000000000FF (X9.24-1:2009 A.3 PIN variant)",
        "aes": "format 4 under the AES-128 DUKPT PIN working key; random half = last 8 bytes of iso4_plain_pin_field",
    },
    "vectors": [],
}
for v in src["vectors"]:
    e = v.get("expected", {})
    i = v.get("inputs", {})
    if v.get("scheme") == "tdes" and "encrypted_pin_block" in e:
        out["vectors"].append({
            "id": v["id"], "format": "ISO_0", "pin": i["pin"], "pan": i["pan"],
            "clear_block": i["clear_pin_block"], "txn_key": e["txn_key"],
            "cipher_block": e["encrypted_pin_block"], "source": v["source"],
        })
    if v.get("scheme") == "aes" and "encrypted_pin_block_iso4" in e:
        out["vectors"].append({
            "id": v["id"], "format": "ISO_4", "pin": i["pin"], "pan": i["pan"],
            "pin_field": i["iso4_plain_pin_field"], "pan_field": i["iso4_pan_field"],
            "key": e["working_keys"]["PINEncryption/AES128"],
            "cipher_block": e["encrypted_pin_block_iso4"], "source": v["source"],
        })
json.dump(out, open("dukpt-pin.json", "w"), indent=1)
print(len(out["vectors"]), "vectors")
