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
# FUZZ_LARGE_KEEP of those, default 1, at most 3, are kept besides).
# A run that stops on a crash is restarted until its time is spent; each distinct failure (told
# apart by its exception message, sanitizer report or libFuzzer error) is minimized and saved in
# the shipped corpus as crash-<sha1> (timeout-, oom-, leak-), so the replay test reproduces it;
# reproducers already shipped are re-run first, and a failure they still show is not saved again;
# one that no longer fails is renamed regression-<sha1> and kept (regression-* files always stay).
# Prints per target: executions, corpus size, crashes. Exit 0 if no target found anything, 1 if
# one did, 2 on usage or build errors.
# Environment: SUANLI_DATA (default ../shared/data beside the project), BUILD_DIR (build-fuzz),
# JOBS (make jobs, default 2), FUZZ_CORPUS_CAP (60), FUZZ_LARGE_KEEP (1).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${SUANLI_DATA:-$root/../shared/data}
build=${BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-2}
cap=${FUZZ_CORPUS_CAP:-60}
small_max=65536      # bytes: largest input of the small-input targets, and of a shipped corpus file
large_keep=${FUZZ_LARGE_KEEP:-1}  # whole-year files (EPW, carbon) kept in the shipped corpus (at most 3)
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
[ "$large_keep" -ge 0 ] && [ "$large_keep" -le 3 ] || { echo "fuzz: FUZZ_LARGE_KEEP must be 0..3" >&2; exit 2; }
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
  bash "$root/scripts/install-deps.sh" clang-14 libclang-rt-14-dev || exit 2
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
echo "fuzz: building ${make_targets[*]} in $build (log: $build/fuzz/build.log)"
make -C "$build" -j"$jobs" "${make_targets[@]}" >"$build/fuzz/build.log" 2>&1 \
  || { tail -n 40 "$build/fuzz/build.log" >&2; echo "fuzz: build failed" >&2; exit 2; }

# --- seeds -------------------------------------------------------------------------------------
# Each target's seeds go to $build/fuzz/<name>/seeds/ (rewritten every run, like all of $build/fuzz/<name>/).
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
    epw)  # whole years (the only valid input), and short slices that run fast (header + 200 hours)
      for f in "$data"/weather/*.epw; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/seed-$(basename "$f")"
        head -n 208 "$f" >"$dir/seed-$(basename "$f" .epw)-head.epw"
      done ;;
    carbon)
      for f in "$data"/carbon/*.csv; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/seed-$(basename "$f")"
        head -n 300 "$f" >"$dir/seed-$(basename "$f" .csv)-head.csv"
      done ;;
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
# Kept in the shipped corpus whatever the merge says: reproducers, and regression-* inputs (fixed bugs).
is_pinned() {
  is_reproducer "$1" && return 0
  case "$(basename "$1")" in regression-*) return 0 ;; esac
  return 1
}
count_files() { find "$1" -maxdepth 1 -type f | wc -l; }

# --- run ---------------------------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# One line naming what went wrong in a libFuzzer log, without addresses, pids or the input's text:
# the uncaught exception's type and message, the sanitizer's report and first frame in sim/, or
# libFuzzer's own error (timeout, out-of-memory).
signature_of_log() {
  local log=$1 line frame
  line=$(grep -m1 -o "terminate called after throwing an instance of '[^']*'" "$log" || true)
  if [ -n "$line" ]; then
    echo "uncaught ${line#terminate called after throwing an instance of }: $(grep -m1 'what():' "$log" \
      | sed -E "s/^.*what\(\): *//; s/'[^']*'/'…'/g; s/\"[^\"]*\"/\"…\"/g; s/[0-9]+/N/g")"
    return
  fi
  line=$(grep -m1 -E "runtime error: " "$log" || true)
  if [ -n "$line" ]; then echo "${line#"$root"/}" | sed -E "s/'[^']*'/'…'/g; s/0x[0-9a-fA-F]+//g"; return; fi
  line=$(grep -m1 -oE "ERROR: (AddressSanitizer|LeakSanitizer): [a-zA-Z-]+" "$log" || true)
  if [ -n "$line" ]; then
    frame=$(grep -m1 -oE "in [^ ].* $root/sim/[^ ]+" "$log" | sed -E "s| $root/| |" || true)
    echo "${line#ERROR: } ${frame}"
    return
  fi
  line=$(grep -m1 -oE "ERROR: libFuzzer: [a-zA-Z -]+" "$log" || true)
  echo "${line#ERROR: }"
}
sha1_of() { sha1sum "$1" | cut -d' ' -f1; }

summary=()
findings=()
found_any=0
for name in "${targets[@]}"; do
  bin="$build/tests/fuzz_$name"
  shipped="$root/tests/fuzz/corpus/$name"
  state="$build/fuzz/$name"
  work="$state/work"; seeds="$state/seeds"; inputs="$state/inputs"; artifacts="$state/artifacts"
  rm -rf "$state"; mkdir -p "$shipped" "$work" "$seeds" "$inputs" "$artifacts" "$state/logs"
  seed_target "$name" "$seeds"
  max_len=$(max_len_of "$name")
  dict=()
  [ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")
  echo "== fuzz_$name: ${seconds}s (max_len $max_len) =="

  # Shipped reproducers: the failures they still show are known; they are not fed to the fuzzer.
  known="$state/known-signatures"; : >"$known"
  for f in "$shipped"/*; do
    [ -f "$f" ] || continue
    if ! is_reproducer "$f"; then cp "$f" "$inputs/"; continue; fi
    if "$bin" "$f" >"$state/logs/reproducer.log" 2>&1; then
      base=$(basename "$f")
      mv "$f" "$shipped/regression-${base#*-}"
      cp "$shipped/regression-${base#*-}" "$inputs/"
      echo "fuzz_$name: tests/fuzz/corpus/$name/$base no longer fails: kept as regression-${base#*-}"
    else
      sig=$(signature_of_log "$state/logs/reproducer.log")
      echo "$sig" >>"$known"
      echo "fuzz_$name: known: $(basename "$f"): $sig"
    fi
  done

  # Fuzz until the time is spent, restarting after each failure.
  deadline=$((SECONDS + seconds))
  execs=0; rounds=0; new_failures=0; repeats=0
  while [ $((deadline - SECONDS)) -ge 1 ] && [ $rounds -lt 200 ]; do
    rounds=$((rounds + 1))
    log="$state/logs/round-$rounds.log"
    rm -rf "$artifacts"; mkdir -p "$artifacts"
    set +e
    "$bin" "$work" "$inputs" "$seeds" "${dict[@]}" -max_total_time=$((deadline - SECONDS)) -rss_limit_mb=4096 \
      -timeout=10 -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    set -e
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
    execs=$((execs + ${n:-0}))
    [ $status -ne 0 ] || break
    artifact=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | head -n 1)
    if [ -z "$artifact" ]; then
      echo "fuzz_$name: stopped with status $status and no reproducer; log: $log" >&2
      found_any=1
      break
    fi
    # An input that fails at once (a seed, or a corpus file) is not given to the next round.
    sum=$(sha1_of "$artifact")
    for f in "$work"/* "$inputs"/* "$seeds"/*; do
      [ -f "$f" ] && [ "$(sha1_of "$f")" = "$sum" ] && rm -f "$f"
    done
    sig=$(signature_of_log "$log")
    if grep -qxF -- "$sig" "$known"; then
      repeats=$((repeats + 1))
      continue
    fi
    echo "$sig" >>"$known"
    kind=$(basename "$artifact"); kind=${kind%%-*}
    repro="$artifact"
    if [ "$kind" = crash ] || [ "$kind" = leak ]; then
      # Minimize; keep the smaller input only if it still fails the same way.
      timeout 120 "$bin" -minimize_crash=1 -max_total_time=60 -runs=100000 -max_len="$max_len" \
        -exact_artifact_path="$state/minimized" "$artifact" >"$state/logs/minimize-$rounds.log" 2>&1 || true
      if [ -s "$state/minimized" ]; then
        if ! "$bin" "$state/minimized" >"$state/logs/minimized-$rounds.log" 2>&1 &&
           [ "$(signature_of_log "$state/logs/minimized-$rounds.log")" = "$sig" ]; then
          repro="$state/minimized"
        fi
      fi
    fi
    dest="$shipped/$kind-$(sha1_of "$repro")"
    cp "$repro" "$dest"
    rm -f "$state/minimized"
    new_failures=$((new_failures + 1))
    findings+=("$name: ${dest#"$root"/} ($(stat -c %s "$dest") bytes): $sig  [log: $log]")
    echo "fuzz_$name: NEW ${dest#"$root"/}: $sig"
  done
  [ $new_failures -eq 0 ] && [ ! -s "$known" ] || found_any=1

  # Merge: new inputs that add coverage join the shipped corpus (only inputs of at most 64 KiB;
  # whole-year seeds of epw/carbon are the exception, at most $large_keep of them in all).
  candidates="$state/candidates"; merged="$state/merged"
  mkdir -p "$candidates" "$merged"
  large=$(find "$inputs" -maxdepth 1 -type f -size +"$small_max"c | wc -l)
  for f in "$seeds"/*; do
    [ -f "$f" ] || continue
    size=$(stat -c %s "$f")
    if [ "$size" -le "$small_max" ]; then cp "$f" "$candidates/"
    elif [ "$size" -le "$max_len" ] && [ "$large" -lt "$large_keep" ]; then
      cp "$f" "$candidates/"; large=$((large + 1))
    fi
  done
  find "$work" -maxdepth 1 -type f -size -$((small_max + 1))c -exec cp -t "$candidates/" {} +
  cp -a "$inputs/." "$merged/"
  "$bin" -merge=1 -max_len="$max_len" -rss_limit_mb=4096 -timeout=10 "$merged" "$candidates" \
    >"$state/logs/merge.log" 2>&1 || echo "fuzz_$name: merge ended with status $?; log: $state/logs/merge.log"
  find "$merged" -maxdepth 1 -type f -size +"$small_max"c | sort | tail -n +$((large_keep + 1)) \
    | while read -r f; do rm -f "$f"; done
  if [ "$(count_files "$merged")" -gt "$cap" ]; then
    # Too many: keep the $cap inputs that together cover the most coverage features (greedy:
    # each step takes the input adding the most features not yet covered; ties go to the smaller).
    rm -rf "$state/scratch"; mkdir -p "$state/scratch"
    "$bin" -merge=1 -max_len="$max_len" -rss_limit_mb=4096 -timeout=10 -merge_control_file="$state/merge.control" \
      "$state/scratch" "$merged" >>"$state/logs/merge.log" 2>&1 || true
    python3 - "$state/merge.control" "$cap" >"$state/keep" <<'PY'
import os, sys
lines = open(sys.argv[1]).read().split("\n")
cap = int(sys.argv[2])
n = int(lines[0])
files = lines[2:2 + n]
features = {}
for line in lines[2 + n:]:
    if line.startswith("FT "):
        parts = line.split()
        features[int(parts[1])] = set(parts[2:])
covered, keep = set(), []
candidates = {i: f for i, f in features.items()}
while len(keep) < cap and candidates:
    best = max(candidates, key=lambda i: (len(candidates[i] - covered), -os.path.getsize(files[i]), files[i]))
    if not candidates[best] - covered:
        break
    covered |= candidates.pop(best)
    keep.append(files[best])
print("\n".join(keep))
PY
    if [ -s "$state/keep" ]; then
      for f in "$merged"/*; do grep -qxF -- "$f" "$state/keep" || rm -f "$f"; done
    else
      echo "fuzz_$name: could not rank the corpus (see $state/logs/merge.log); keeping the $cap smallest"
      find "$merged" -maxdepth 1 -type f -printf '%s %p\n' | sort -n -k1,1 -k2,2 | tail -n +$((cap + 1)) \
        | cut -d' ' -f2- | while read -r f; do rm -f "$f"; done
    fi
  fi
  # Replace the shipped corpus; reproducers stay.
  for f in "$shipped"/*; do [ -f "$f" ] && ! is_pinned "$f" && rm -f "$f"; done
  cp -a "$merged/." "$shipped/"

  corpus=$(count_files "$shipped")
  bytes=$(du -sb "$shipped" | cut -f1)
  failing=$(grep -c . "$known" || true)
  summary+=("$(printf '%-10s %12s %7s %8s %11s %9s %8s' "$name" "$execs" "$rounds" "$corpus" "$bytes" "$failing" "$new_failures")")
done

echo
printf '%-10s %12s %7s %8s %11s %9s %8s\n' target executions rounds corpus "corpus B" failures new
printf '%s\n' "${summary[@]}"
if [ ${#findings[@]} -gt 0 ]; then
  echo
  echo "New reproducers (the fuzz_replay tests fail on them until the reader is fixed):"
  printf '  %s\n' "${findings[@]}"
fi
exit $found_any
