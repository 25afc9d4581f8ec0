#!/usr/bin/env bash
# Installs suanli's build and test dependencies from Debian 12 packages (idempotent, run as root).
# Extra package names given as arguments are installed too (scripts/fuzz.sh adds clang).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  clang-format
  libsimgrid-dev
  libtbb-dev
  libboost-graph-dev
  nlohmann-json3-dev
  libgtest-dev libgmock-dev
  libcli11-dev
  libbenchmark-dev
  zlib1g-dev
  libsqlite3-dev
  python3 python3-jsonschema
  python3-dev pybind11-dev python3-pytest
  python3-pandas python3-matplotlib
  python3-simpy3
  chromium chromium-driver python3-selenium fonts-wqy-microhei
  libcpp-httplib-dev
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO=sudo
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
