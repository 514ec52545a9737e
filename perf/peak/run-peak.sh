#!/usr/bin/env bash
# fp32 FMA peak, 256-bit and 512-bit, 1 and 2 threads: PROCESSES x REPS samples each, prints medians.
# Usage: perf/peak/run-peak.sh [PROCESSES] [REPS]     (needs gcc; the 512-bit run needs AVX-512F)
set -euo pipefail
cd "$(dirname "$0")"
PROCS=${1:-3}
REPS=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O2 -mavx2 -mfma -pthread fma_peak.c -o "$out/peak256"
builds=(256)
if grep -qw avx512f /proc/cpuinfo; then
  gcc -O2 -mavx512f -DPEAK_512 -pthread fma_peak.c -o "$out/peak512"
  builds+=(512)
fi
for bits in "${builds[@]}"; do
  for t in 1 2; do
    for _ in $(seq "$PROCS"); do "$out/peak$bits" "$t" "$REPS" 200000000; done > "$out/log"
    n=$(wc -l < "$out/log")
    grep -o 'gflops=[0-9.]*' "$out/log" | cut -d= -f2 | sort -n |
      awk -v b="$bits" -v t="$t" -v n="$n" '{v[NR]=$1} END {m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
        printf "%d-bit FMA, %d thread(s): median %.1f GFLOPS (min %.1f, max %.1f, %d samples)\n", b, t, m, v[1], v[NR], n}'
  done
done
