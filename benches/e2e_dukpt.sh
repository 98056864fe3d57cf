#!/usr/bin/env bash
# End-to-end DUKPT host benchmark: `paycrypt dukpt derive-batch` against the straightforward
# program (examples/dukpt_straightforward.rs: RustCrypto des/aes keyed afresh per step), both
# built with LTO and one codegen unit, fed the same random KSNs on stdin (random devices /
# initial key IDs, counters uniform over the valid ones), I/O included on both sides, outputs
# compared byte for byte (SHA-256 of the whole output).
#
#   bash benches/e2e_dukpt.sh [N] [RUNS]     (default 200000 KSNs, best of 5 runs per side)
#
# Environment: CPU (default 0) = the CPU the single-thread runs are pinned to; CPUS (default
# 0,1) = the CPUs `--threads 2` is pinned to; ROWS (default "TDES AES-128 AES-192 AES-256") =
# which rows to run; MHZ (default: /proc/cpuinfo) = clock used for cycles per derivation.
#
# What is timed (bash's `time`, no other tool): for every run the wall time and the CPU time
# (user + system) of the process. Each side is run RUNS times and the minimum of each is kept
# (the minimum is the figure least disturbed by other load on the machine). Per row:
#
#   - straightforward and derive-batch --threads 1, both pinned to CPU: throughput from CPU
#     time (what one core costs), and their ratio;
#   - derive-batch --threads 2 pinned to CPUS against --threads 1 pinned to CPU: wall-time
#     ratio (the scaling, meaningful only when both CPUs are otherwise idle) and its CPU time
#     (the cost of splitting the batch);
#   - cycles per derivation of --threads 1 (CPU time × MHZ / N).
#
# The load average (/proc/loadavg) before and after each row is printed with it: a figure
# taken at a load above ~0.5 per CPU is not a quiet-machine figure.
#
# Needs only bash, coreutils (taskset from util-linux) and a Rust toolchain. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
RUNS="${2:-5}"
CPU="${CPU:-0}"
CPUS="${CPUS:-0,1}"
ROWS="${ROWS:-TDES AES-128 AES-192 AES-256}"
if [ -z "${MHZ:-}" ]; then
  MHZ=0
  while IFS=: read -r k v; do
    case "$k" in "cpu MHz"*) MHZ="${v// /}"; MHZ="${MHZ%%.*}"; break ;; esac
  done </proc/cpuinfo
fi
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/e2e}"
cargo build --release --quiet -p paycrypt-cli
cargo build --release --quiet --example dukpt_straightforward
BIN="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# "1.234" (seconds, three decimals, from TIMEFORMAT %3R) -> milliseconds as an integer.
ms() { local s="${1/./}"; echo $((10#$s)); }

# run IN OUT CMD...: RUNS runs of CMD <IN >OUT; sets WALL and CPUT (minimum ms of each) and
# checks that every run printed the same output (its SHA-256 in SUM).
run() {
  local in="$1" out="$2"; shift 2
  WALL="" CPUT="" SUM=""
  local TIMEFORMAT='%3R %3U %3S'
  for _ in $(seq "$RUNS"); do
    { time "$@" <"$in" >"$out" 2>"$work/err"; } 2>"$work/t" || {
      cat "$work/err" >&2; echo "failed: $*" >&2; exit 1; }
    local r u s; read -r r u s <"$work/t"
    local w c; w="$(ms "$r")"; c=$(( $(ms "$u") + $(ms "$s") ))
    if [ -z "$WALL" ] || [ "$w" -lt "$WALL" ]; then WALL="$w"; fi
    if [ -z "$CPUT" ] || [ "$c" -lt "$CPUT" ]; then CPUT="$c"; fi
    local h; h="$(sha256sum <"$out")"
    if [ -z "$SUM" ]; then SUM="$h"; elif [ "$SUM" != "$h" ]; then
      echo "output differs between runs: $*" >&2; exit 1; fi
  done
}
# rate MS: N per MS milliseconds, as k/s.
rate() { local t="$1"; [ "$t" -gt 0 ] || t=1; echo "$(( N / t ))k/s"; }
# ratio A B: A / B with two decimals.
ratio() { local b="$2"; [ "$b" -gt 0 ] || b=1; local x=$(( ($1 * 100 + b / 2) / b )); printf '%d.%02d×' $((x / 100)) $((x % 100)); }
load() { local a b c rest; read -r a b c rest </proc/loadavg; echo "$a"; }

echo "$N KSNs, best of $RUNS runs per side, CPU time = user + system; clock $MHZ MHz; $(nproc) CPUs."
echo
echo "| BDK → PIN key | straightforward (CPU $CPU) | derive-batch --threads 1 (CPU $CPU) | ratio (CPU time) | cycles / derivation | --threads 2 (CPUs $CPUS): wall vs --threads 1 | --threads 2 CPU time vs --threads 1 | load average |"
echo "|---|---|---|---|---|---|---|---|"
for row in "TDES tdes 0123456789ABCDEFFEDCBA9876543210" \
           "AES-128 aes FEDCBA9876543210F1F1F1F1F1F1F1F1" \
           "AES-192 aes FEDCBA9876543210F1F1F1F1F1F1F1F10123456789ABCDEF" \
           "AES-256 aes FEDCBA9876543210F1F1F1F1F1F1F1F10123456789ABCDEF0011223344556677"; do
  set -- $row
  name="$1" scheme="$2" bdk="$3"
  case " $ROWS " in *" $name "*) ;; *) continue ;; esac
  l0="$(load)"
  "$BIN/examples/dukpt_straightforward" gen "$scheme" "$N" 7 >"$work/ksns"
  usage=(--usage pin)
  [ "$scheme" = aes ] && usage+=(--key-type aes128)
  run "$work/ksns" "$work/a" taskset -c "$CPU" "$BIN/examples/dukpt_straightforward" "$bdk"
  cs="$CPUT" sa="$SUM"
  run "$work/ksns" "$work/b" taskset -c "$CPU" "$BIN/paycrypt" dukpt derive-batch --bdk "$bdk" "${usage[@]}" --threads 1
  c1="$CPUT" w1="$WALL"
  [ "$SUM" = "$sa" ] || { echo "$name: derive-batch --threads 1 output differs from the straightforward program" >&2; exit 1; }
  run "$work/ksns" "$work/c" taskset -c "$CPUS" "$BIN/paycrypt" dukpt derive-batch --bdk "$bdk" "${usage[@]}" --threads 2
  c2="$CPUT" w2="$WALL"
  [ "$SUM" = "$sa" ] || { echo "$name: derive-batch --threads 2 output differs from the straightforward program" >&2; exit 1; }
  cyc=$(( c1 * MHZ * 1000 / N ))
  echo "| $name | $(rate "$cs") (${cs} ms) | $(rate "$c1") (${c1} ms) | $(ratio "$cs" "$c1") | $cyc | $(ratio "$w1" "$w2") (${w1} → ${w2} ms) | ${c1} → ${c2} ms | $l0 → $(load) |"
done
