#!/usr/bin/env bash
# Runs a scenario as it is, then once per placement policy (applied to every job class), plus
# consolidate with idle hosts switched off, and prints a Markdown table: energy, PUE, carbon, utilization, waits, budget attainment.
#   bash scripts/compare-policies.sh [SCENARIO] [OUT_DIR] [extra suanli run options...]
# Default: the Fujian day (scenarios/fujian-2025.json), about 1 min per run. Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/fujian-2025.json}
out=${2:-out/compare-policies}
shift $(( $# > 2 ? 2 : $# )) || true
suanli=${SUANLI:-build/suanli}
[ -x "$suanli" ] || { echo "compare-policies: $suanli not found; run scripts/build.sh first" >&2; exit 2; }
mkdir -p "$out"
runs=("as in the scenario|")  # each class with its own policy: the baseline
# Every placement policy of the registry, in its order (never a copied list).
policies=$("$suanli" policies --json | python3 -c 'import json, sys; print(" ".join(p["name"] for p in json.load(sys.stdin)["placement"]))')
for policy in $policies; do
  runs+=("$policy|--placement $policy")
done
runs+=("consolidate + idle-off 600 s|--placement consolidate --idle-off-s 600")
for entry in "${runs[@]}"; do
  label=${entry%%|*}
  args=${entry#*|}
  dir="$out/$(echo "$label" | tr -c 'a-zA-Z0-9_\n' '-' | sed 's/-\+/-/g; s/-$//')"
  echo "compare-policies: $label -> $dir" >&2
  # shellcheck disable=SC2086
  "$suanli" run "$scenario" -o "$dir" --no-progress $args "$@" > "$dir.log" 2>&1 ||
    { echo "compare-policies: run '$label' failed, see $dir.log" >&2; exit 1; }
  echo "$label|$dir" >> "$out/.runs"
done
python3 - "$out/.runs" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("|", 1) for l in open(sys.argv[1])]
print("| policy | IT MWh | facility MWh | PUE | CO2 t | CPU util | GPU util | mean wait s (non-LC) | p95 wait s (non-LC) | budget met | rejected | still queued at the end |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, d in rows:
    s = json.load(open(d + "/summary.json"))
    t = s["totals"]
    other = [c for c in s["classes"] if c["kind"] != "latency_critical" and c["completed"] > 0]
    n = sum(c["completed"] for c in other)
    mean_wait = sum(c["wait_s"]["mean"] * c["completed"] for c in other) / n if n else 0
    p95 = max((c["wait_s"]["p95"] for c in other), default=0)
    lc = [c for c in s["classes"] if c["kind"] == "latency_critical" and c["budget_attainment"] is not None]
    att = min((c["budget_attainment"] for c in lc), default=None)
    gpu = t["gpu_utilization"]
    # Work that never started (waits of completed jobs alone would hide it).
    queued = sum(c["reasons"].get("queued", 0) + c["reasons"].get("deferred", 0) for c in s["classes"])
    print(f"| {label} | {t['it_energy_j']/3.6e9:.2f} | {t['facility_energy_j']/3.6e9:.2f} | {t['pue']:.3f} | "
          f"{t['carbon_kg']/1000:.2f} | {t['cpu_utilization']*100:.1f} % | "
          f"{'-' if gpu is None else f'{gpu*100:.1f} %'} | {mean_wait:.1f} | {p95:.1f} | "
          f"{'-' if att is None else f'{att*100:.2f} %'} | {s['jobs']['rejected']} | {queued} |")
PY
rm -f "$out/.runs"
