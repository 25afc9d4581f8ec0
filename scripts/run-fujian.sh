#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install dependencies, build, check the Fujian reference
# scenario (latency circle) and simulate a day of its workload into out/fujian-2025, at rack
# granularity (one SimGrid host per rack of servers: about 50,000 hosts; ~25 s and ~350 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/suanli check scenarios/fujian-2025.json
./build/suanli run scenarios/fujian-2025.json -o out/fujian-2025 --set /platform/host_granularity=rack
