#!/usr/bin/env bash
# Fuzzes every reader of user input with libFuzzer (+ AddressSanitizer, UndefinedBehaviorSanitizer)
# for a bounded time, and merges the new interesting inputs into the shipped corpus
# tests/fuzz/corpus/<name>/, which the normal build replays as the "fuzz-replay" tests.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]
#
# Targets: scenario swf azure alibaba epw carbon specpower (default: all, one after the other).
# Builds build-fuzz/ with clang (installs clang-14 and libclang-rt-14-dev with apt-get if missing),
# seeds each target from the shipped files (scenarios/, tests/data/, ../shared/data/), runs it
# for SECONDS_PER_TARGET, then merges (libFuzzer -merge=1) into the shipped corpus, keeping it small:
# at most 60 files of at most 64 KiB each (the EPW and carbon readers need whole 8,760-hour files:
# up to 3 of those are kept besides). Crash, timeout, out-of-memory and leak reproducers are
# copied into the shipped corpus too (so the replay test reproduces them) and listed.
# Prints per target: executions, corpus size, crashes. Exit 0 if no target found anything, 1 if
# one did, 2 on usage or build errors.
# Environment: SUANLI_DATA (default ../shared/data beside the project), BUILD_DIR (build-fuzz),
# JOBS (make jobs, default 2), FUZZ_CORPUS_CAP (60).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${SUANLI_DATA:-$root/../shared/data}
build=${BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-2}
cap=${FUZZ_CORPUS_CAP:-60}
small_max=65536      # bytes: largest input of the small-input targets, and of a shipped corpus file
large_keep=3         # whole-year files (EPW, carbon) kept in the shipped corpus
all_targets=(scenario swf azure alibaba epw carbon specpower)

usage() { echo "usage: $0 [SECONDS_PER_TARGET=60] [TARGET...]  (targets: ${all_targets[*]})" >&2; exit 2; }

seconds=60
if [ $# -gt 0 ]; then
  case "$1" in
    -h|--help) usage ;;
    ''|*[!0-9]*) usage ;;
    *) seconds=$1; shift ;;
  esac
fi
[ "$seconds" -ge 1 ] || usage
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t'" >&2; usage; }
done

# --- toolchain ---------------------------------------------------------------------------------
fuzzer_lib_present() { compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; }
pick_clang() {
  for v in "" -14 -15 -16; do
    if command -v "clang++$v" >/dev/null 2>&1 && command -v "clang$v" >/dev/null 2>&1; then
      CC=$(command -v "clang$v"); CXX=$(command -v "clang++$v"); return 0
    fi
  done
  return 1
}
bash "$root/scripts/install-deps.sh"
if ! pick_clang || ! fuzzer_lib_present; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "fuzz: run as root to install clang-14 libclang-rt-14-dev" >&2; exit 2; }
    SUDO=sudo
  fi
  echo "fuzz: installing clang-14 libclang-rt-14-dev"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev
  pick_clang || { echo "fuzz: clang not found after installing clang-14" >&2; exit 2; }
fi
export CC CXX

# --- build -------------------------------------------------------------------------------------
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$build/fuzz"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUANLI_FUZZ=ON -DCMAKE_CXX_FLAGS="$sanitize" >"$build/fuzz/configure.log" 2>&1 \
  || { cat "$build/fuzz/configure.log" >&2; echo "fuzz: configure failed" >&2; exit 2; }
make_targets=()
for t in "${targets[@]}"; do make_targets+=("fuzz_$t"); done
make -C "$build" -j"$jobs" "${make_targets[@]}" || { echo "fuzz: build failed" >&2; exit 2; }

# --- seeds -------------------------------------------------------------------------------------
# Each target's seeds go to $build/fuzz/seeds/<name>/ (rewritten every run).
slice_swf() {  # header comments plus the first 200 data lines of a (gzip) SWF log
  { gzip -dc "$1" 2>/dev/null || true; } | awk '/^;/ && !d { print; next } { d = 1; if (++n > 200) exit; print }'
}
seed_target() {
  local name=$1 dir=$2 f base
  case "$name" in
    scenario)
      for f in "$root"/scenarios/*.json "$root"/tests/data/*.json; do
        [ -f "$f" ] || continue
        if [ "$(stat -c %s "$f")" -le "$small_max" ]; then cp "$f" "$dir/seed-$(basename "$f")"
        else echo "fuzz: scenario: seed $(basename "$f") is over $small_max bytes, skipped"; fi
      done ;;
    swf)
      for f in "$data"/swf/*.gz; do
        [ -f "$f" ] || continue
        base=$(basename "$f" .gz)
        slice_swf "$f" >"$dir/seed-$base"
        # The reader inflates gzip itself: one compressed slice too (head of the plain slice).
        head -c 16384 "$dir/seed-$base" | gzip -n -9 >"$dir/seed-$base.gz"
      done ;;
    azure)
      for f in "$data"/inference/*.csv; do [ -f "$f" ] && head -n 300 "$f" >"$dir/seed-$(basename "$f")"; done ;;
    alibaba)
      f="$data/gpu/openb_pod_list_default.csv"
      [ -f "$f" ] && head -n 300 "$f" >"$dir/seed-$(basename "$f")" ;;
    epw)
      for f in "$data"/weather/*.epw; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"; done ;;
    carbon)
      for f in "$data"/carbon/*.csv; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"; done ;;
    specpower)
      for f in "$data"/power/*.txt; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"; done ;;
  esac
  return 0
}
max_len_of() {
  case "$1" in
    epw) echo 2097152 ;;     # whole EPW files are ~1.75 MB
    carbon) echo 1048576 ;;  # whole Electricity Maps years are ~0.75 MB
    *) echo "$small_max" ;;
  esac
}
is_reproducer() { case "$(basename "$1")" in crash-*|timeout-*|oom-*|leak-*|slow-unit-*) return 0 ;; esac; return 1; }
count_files() { find "$1" -maxdepth 1 -type f | wc -l; }

# --- run ---------------------------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
summary=()
found_any=0
for name in "${targets[@]}"; do
  bin="$build/tests/fuzz_$name"
  shipped="$root/tests/fuzz/corpus/$name"
  work="$build/fuzz/work/$name"
  seeds="$build/fuzz/seeds/$name"
  artifacts="$build/fuzz/artifacts/$name"
  log="$build/fuzz/$name.log"
  mkdir -p "$shipped" "$work" "$artifacts"
  rm -rf "$seeds"; mkdir -p "$seeds"
  rm -f "$artifacts"/*
  seed_target "$name" "$seeds"
  max_len=$(max_len_of "$name")
  dict=()
  [ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")

  # The shipped corpus's reproducers are not fed back in (they would stop the run at once).
  inputs="$build/fuzz/inputs/$name"
  rm -rf "$inputs"; mkdir -p "$inputs"
  for f in "$shipped"/*; do [ -f "$f" ] && ! is_reproducer "$f" && cp "$f" "$inputs/"; done

  echo "== fuzz_$name: ${seconds}s (max_len $max_len) =="
  set +e
  "$bin" "$work" "$inputs" "$seeds" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  status=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs="?"
  [ $status -eq 0 ] || echo "fuzz_$name stopped with status $status; log: $log"

  # Merge: new inputs that add coverage join the shipped corpus (only inputs of at most 64 KiB;
  # whole-year seeds of epw/carbon are the exception, at most $large_keep of them).
  candidates="$build/fuzz/candidates/$name"
  merged="$build/fuzz/merged/$name"
  rm -rf "$candidates" "$merged"; mkdir -p "$candidates" "$merged"
  large=0
  for f in "$seeds"/*; do
    [ -f "$f" ] || continue
    size=$(stat -c %s "$f")
    if [ "$size" -le "$small_max" ]; then cp "$f" "$candidates/"
    elif [ "$max_len" -gt "$small_max" ] && [ "$size" -le "$max_len" ] && [ $large -lt $large_keep ]; then
      cp "$f" "$candidates/"; large=$((large + 1))
    fi
  done
  find "$work" -maxdepth 1 -type f -size -$((small_max + 1))c -exec cp -t "$candidates/" {} +
  cp -a "$inputs/." "$merged/"
  "$bin" -merge=1 -max_len="$max_len" -rss_limit_mb=4096 -timeout=10 "$merged" "$candidates" \
    >"$build/fuzz/$name.merge.log" 2>&1 || echo "fuzz_$name: merge reported status $?; log: $build/fuzz/$name.merge.log"
  if [ "$(count_files "$merged")" -gt "$cap" ]; then
    # Too many: minimize from scratch, then keep the whole-year files and the smallest others.
    minimized="$build/fuzz/minimized/$name"
    rm -rf "$minimized"; mkdir -p "$minimized"
    "$bin" -merge=1 -max_len="$max_len" -rss_limit_mb=4096 -timeout=10 "$minimized" "$merged" \
      >>"$build/fuzz/$name.merge.log" 2>&1 || true
    rm -rf "$merged"; mv "$minimized" "$merged"
    keep_small=$((cap - $(find "$merged" -maxdepth 1 -type f -size +$((small_max))c | wc -l)))
    find "$merged" -maxdepth 1 -type f -size -$((small_max + 1))c -printf '%s %p\n' | sort -n -k1,1 -k2,2 \
      | tail -n +$((keep_small + 1)) | cut -d' ' -f2- | while read -r f; do rm -f "$f"; done
  fi
  # Replace the shipped corpus (reproducers stay), adding this run's reproducers.
  for f in "$shipped"/*; do [ -f "$f" ] && ! is_reproducer "$f" && rm -f "$f"; done
  cp -a "$merged/." "$shipped/"
  crashes=0; others=0
  for f in "$artifacts"/*; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in
      crash-*|leak-*) crashes=$((crashes + 1)) ;;
      timeout-*|oom-*) others=$((others + 1)) ;;
      *) continue ;;
    esac
    cp "$f" "$shipped/"
    echo "fuzz_$name: reproducer tests/fuzz/corpus/$name/$(basename "$f") (log: $log)"
  done
  [ $((crashes + others)) -eq 0 ] || found_any=1
  corpus=$(count_files "$shipped")
  bytes=$(du -sb "$shipped" | cut -f1)
  summary+=("$(printf '%-10s %12s %8s %12s %8s %8s' "$name" "$execs" "$corpus" "$bytes" "$crashes" "$others")")
done

echo
printf '%-10s %12s %8s %12s %8s %8s\n' target executions corpus "corpus B" crashes "tmo/oom"
printf '%s\n' "${summary[@]}"
exit $found_any
