#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install dependencies, build, run the whole test suite.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest -j "$(nproc)" --output-on-failure --label-exclude "bench|long"
