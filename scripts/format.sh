#!/usr/bin/env bash
# Formats the C++ sources (sim/, tests/, examples/) with the committed .clang-format (Debian 12's clang-format 14), or checks them.
#   bash scripts/format.sh           rewrite every file in place
#   bash scripts/format.sh --check   change nothing; list the files that differ and exit 1 if any does
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format missing (bash scripts/install-deps.sh)" >&2; exit 2; }
mapfile -t files < <(find -H sim tests examples \( -name '*.cpp' -o -name '*.hpp' \) -type f | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "format: no C++ files found under sim/, tests/, examples/" >&2; exit 2; }
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    printf 'format: not formatted: %s\n' "${bad[@]}" >&2
    echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format; run bash scripts/format.sh" >&2
    exit 1
  fi
  echo "format: all ${#files[@]} C++ files follow .clang-format"
else
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
fi
