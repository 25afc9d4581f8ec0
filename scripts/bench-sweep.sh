#!/usr/bin/env bash
# Sweep parallelism: the same sweep of N equal runs (the teaching network, one simulated hour each)
# with -j 1 and -j 2; prints both wall times and the speed-up (target on 2 cores: >= 1.8x).
#   bash scripts/bench-sweep.sh [RUNS]      (default 8; needs a build: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-8}
suanli=${SUANLI:-build/suanli}
[ -x "$suanli" ] || { echo "bench-sweep: $suanli not found; run scripts/build.sh first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/bench.json" <<JSON
{"name": "bench", "scenario": "$PWD/scenarios/teaching-small.json", "replications": $runs, "axes": []}
JSON
declare -A wall
for j in 1 2; do
  start=$(date +%s.%N)
  "$suanli" sweep "$tmp/bench.json" -o "$tmp/j$j" -j "$j" > /dev/null 2>&1
  end=$(date +%s.%N)
  wall[$j]=$(python3 -c "print($end - $start)")
  printf 'bench-sweep: %d runs with -j %d: %.1f s\n' "$runs" "$j" "${wall[$j]}"
done
printf 'bench-sweep: speed-up -j 2 vs -j 1: %.2fx (on %d cores)\n' "$(python3 -c "print(${wall[1]} / ${wall[2]})")" "$(nproc)"
cmp -s "$tmp/j1/summary.csv" "$tmp/j2/summary.csv" && echo "bench-sweep: summary.csv identical for -j 1 and -j 2" ||
  { echo "bench-sweep: summary.csv differs between -j 1 and -j 2" >&2; exit 1; }
