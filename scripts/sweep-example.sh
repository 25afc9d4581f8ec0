#!/usr/bin/env bash
# One command: install, build, run the example sweep (placement policy x liquid-cooling share x load on
# the teaching network, 3 replications: 24 runs, about a minute on 2 cores) into out/sweep-teaching,
# and write its report. Rerunning resumes (finished runs are kept).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
out=out/sweep-teaching
./build/suanli sweep scenarios/sweeps/teaching.json -o "$out" --resume
./build/suanli report "$out" -o "$out/report.html"
echo "sweep-example: $out/summary.csv and $out/report.html"
