#!/usr/bin/env bash
# Benchmark: time and peak memory of building the Fujian platform in SimGrid, per host granularity,
# as ratios against the pod-granularity build measured in the same run. Not part of the test suite.
#   usage: scripts/bench-platform.sh [SCENARIO] [GRANULARITY...]   (default: fujian-2025, pod rack)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/fujian-2025.json}
shift || true
granularities=("$@")
[ ${#granularities[@]} -gt 0 ] || granularities=(pod rack)
[ -x build/suanli ] || bash scripts/build.sh

python3 - "$scenario" "${granularities[@]}" <<'PY'
import json, subprocess, sys
scenario, grains = sys.argv[1], sys.argv[2:]
if "pod" not in grains:
    grains = ["pod"] + grains
rows = {}
for g in grains:
    r = subprocess.run(["build/suanli", "platform", scenario, "--granularity", g, "--build"],
                       capture_output=True, text=True, check=True)
    rows[g] = json.loads(r.stdout)
base = rows["pod"]
print(f"platform build of {scenario} (baseline: pod granularity, same run)")
print(f"{'granularity':<12}{'hosts':>10}{'links':>10}{'build s':>10}{'x pod':>8}{'peak MiB':>10}{'x pod':>8}")
for g in grains:
    s = rows[g]
    print(f"{g:<12}{s['hosts']:>10}{s['links']:>10}{s['simgrid_build_seconds']:>10.2f}"
          f"{s['simgrid_build_seconds'] / base['simgrid_build_seconds']:>8.1f}"
          f"{s['peak_rss_mib']:>10.0f}{s['peak_rss_mib'] / base['peak_rss_mib']:>8.1f}")
PY
