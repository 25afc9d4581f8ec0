#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install dependencies, build, and run the Fujian
# reference scenario (today: validation and the latency-circle report; the full simulation once
# the engine exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/suanli check scenarios/fujian-2025.json
