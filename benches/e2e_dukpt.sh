#!/usr/bin/env bash
# End-to-end DUKPT host benchmark: `paycrypt dukpt derive-batch` against the straightforward
# program (examples/dukpt_straightforward.rs: RustCrypto des/aes keyed afresh per step), both
# built with LTO and one codegen unit, both pinned to one CPU with taskset, fed the same random
# KSNs on stdin (random devices / initial key IDs, counters uniform over the valid ones), I/O
# included on both sides, outputs compared byte for byte. Then derive-batch on all CPUs.
#
#   bash benches/e2e_dukpt.sh [N] [RUNS]        (default 200000 KSNs, best of 5 runs)
#
# Public tools only: bash, taskset, /usr/bin/time, cmp. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
RUNS="${2:-5}"
CPU="${CPU:-0}"
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/e2e}"
cargo build --release --quiet -p paycrypt-cli
cargo build --release --quiet --example dukpt_straightforward
BIN="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Best (lowest) wall-clock seconds of RUNS runs of: $@ < $in > $out
best() {
  local in="$1" out="$2"; shift 2
  local b=""
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$work/t" "$@" <"$in" >"$out"
    local t; t="$(cat "$work/t")"
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN{exit !(a<b)}'; then b="$t"; fi
  done
  echo "$b"
}
rate() { awk -v n="$N" -v t="$1" 'BEGIN{ if (t <= 0) t = 0.01; printf "%.0fk/s", n / t / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b <= 0) b = 0.01; printf "%.2f×", a / b }'; }

echo "| BDK → PIN key ($N KSNs) | straightforward (1 CPU) | derive-batch --threads 1 (1 CPU) | ratio | derive-batch, all CPUs | vs 1 thread |"
echo "|---|---|---|---|---|---|"
for row in "TDES tdes 0123456789ABCDEFFEDCBA9876543210" \
           "AES-128 aes FEDCBA9876543210F1F1F1F1F1F1F1F1" \
           "AES-192 aes FEDCBA9876543210F1F1F1F1F1F1F1F10123456789ABCDEF" \
           "AES-256 aes FEDCBA9876543210F1F1F1F1F1F1F1F10123456789ABCDEF0011223344556677"; do
  set -- $row
  name="$1" scheme="$2" bdk="$3"
  "$BIN/examples/dukpt_straightforward" gen "$scheme" "$N" 7 >"$work/ksns"
  usage=(--usage pin)
  [ "$scheme" = aes ] && usage+=(--key-type aes128)
  ts="$(best "$work/ksns" "$work/a" taskset -c "$CPU" "$BIN/examples/dukpt_straightforward" "$bdk")"
  tb="$(best "$work/ksns" "$work/b" taskset -c "$CPU" "$BIN/paycrypt" dukpt derive-batch --bdk "$bdk" "${usage[@]}" --threads 1)"
  cmp "$work/a" "$work/b"
  tm="$(best "$work/ksns" "$work/c" "$BIN/paycrypt" dukpt derive-batch --bdk "$bdk" "${usage[@]}")"
  cmp "$work/a" "$work/c"
  echo "| $name | $(rate "$ts") | $(rate "$tb") | $(ratio "$ts" "$tb") | $(rate "$tm") | $(ratio "$tb" "$tm") |"
done
