#!/usr/bin/env bash
# Configures and builds suanli in ./build (Release with debug info), using both cores, then installs
# the Python module for the system python3 (/usr/bin/python3) when this user may write its site folder
# (root on a fresh machine): `python3 -c "import suanli"` then works from any folder.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

# The package as built (build/python/suanli, its CLI link followed) into the interpreter's site folder.
site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
if mkdir -p "$site" 2>/dev/null && [ -w "$site" ]; then
  rm -rf "$site/suanli.new"
  cp -rL build/python/suanli "$site/suanli.new"
  rm -rf "$site/suanli.new/__pycache__" "$site/suanli"
  mv "$site/suanli.new" "$site/suanli"
  echo "build: Python module installed in $site/suanli"
else
  echo "build: cannot write $site; use the module from the build: PYTHONPATH=$PWD/build/python python3"
fi
