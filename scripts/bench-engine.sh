#!/usr/bin/env bash
# Benchmark of the engine (a separate command, not part of the test suite). One run measures, side by
# side on this machine, and prints tables whose ratios come from that same run:
#  (1) a synthetic workload — N hosts of 32 cores at 1 Gflop/s per core, one site, one FIFO queue,
#      single-core jobs, Poisson arrivals at offered load 0.8, exponential run times of mean 20 s —
#      at 100 hosts x 100,000 jobs and 1,000 hosts x 200,000 jobs (the horizon is jobs / rate; first a
#      2-host model check, where jobs do wait, against Erlang C), run by
#      `suanli run --engine exact`, `suanli run --engine simgrid`, a SimPy 3 model of the same queue
#      (tests/bench/simpy_fifo.py) and the minimal hand-written SimGrid S4U program
#      (tests/bench/minimal_s4u.cpp, with and without the host energy plugin): wall seconds, jobs,
#      completed jobs per wall second, peak RSS, mean wait; the ratio SimPy wall / suanli exact wall
#      (target >= 5 at 1,000 hosts) and the speed-up of the exact engine over the SimGrid one;
#  (2) SWF log replay with EASY backfilling: `suanli run SCENARIO --queue easy --engine exact` against
#      a plain Python EASY event loop (tests/bench/easy_loop.py) on the same log and machine size — the
#      KTH-SP2 log (scenarios/kth-sp2.json, 100 processors, 11 months) and the CEA-Curie subset
#      (scenarios/bench/cea-curie.json, 80,640 processors, 27 days), standing in for the 1,152-processor
#      SDSC-BLUE log, which is not on this machine: wall times, the ratio Python wall / suanli wall
#      (target >= 3), and both mean waits with their relative difference (the same model: <= 1 %);
#  (3) the Fujian reference scenario: its day at rack granularity (targets <= 60 s wall, <= 4 GB peak
#      RSS) and one simulated hour at server granularity: jobs, wall, jobs/s, peak RSS.
# Runs shorter than 5 s are repeated (best of 3 wall times). Without --quick it takes a few minutes on
# 2 cores; run nothing else meanwhile. Needs python3-simpy3 (scripts/install-deps.sh).
#   usage: scripts/bench-engine.sh [--quick] [--keep]
#     --quick: no 1,000 hosts, no Fujian runs (about 1.5 minutes instead of about 3-4)
#     --keep:  keep the runs' outputs (a temporary folder, ~0.5 GB; removed otherwise)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/suanli ] && [ -x build/tests/minimal_s4u ] || bash scripts/build.sh
# The Python that has SimPy (the Debian package installs it for /usr/bin/python3); the baselines run
# on that same interpreter.
py=python3
if ! "$py" -c 'import simpy' 2>/dev/null; then
  py=/usr/bin/python3
  "$py" -c 'import simpy' 2>/dev/null || { echo "bench-engine: SimPy missing: bash scripts/install-deps.sh" >&2; exit 1; }
fi
exec "$py" - "$@" <<'PY'
import atexit, json, os, platform, shutil, subprocess, sys, tempfile, time

quick = "--quick" in sys.argv[1:]
keep = "--keep" in sys.argv[1:]
SUANLI, MINIMAL = "build/suanli", "build/tests/minimal_s4u"
tmp = tempfile.mkdtemp(prefix="suanli-bench-")
if not keep:
    atexit.register(shutil.rmtree, tmp, True)


def measure(cmd, repeat_below_s=5.0, tries=3):
    """Runs cmd; returns (stdout, best wall seconds, peak RSS MiB of that child alone). A run shorter
    than repeat_below_s is repeated, up to `tries` runs: the best wall time and the largest RSS."""
    best, rss, out = None, 0.0, ""
    for _ in range(tries):
        with tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
            out = p.stdout.read()
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = 0  # reaped by wait4
            if status != 0:
                err.seek(0)
                sys.exit(f"bench-engine: {' '.join(cmd)} failed (status {status}):\n"
                         + err.read().decode(errors="replace")[-2000:])
        best = wall if best is None else min(best, wall)
        rss = max(rss, usage.ru_maxrss / 1024)
        if wall >= repeat_below_s:
            break
    return out, best, rss


def summary(out_dir):
    with open(os.path.join(out_dir, "summary.json")) as f:
        return json.load(f)


help_text = subprocess.run([SUANLI, "run", "--help"], capture_output=True, text=True).stdout
has_engine = "--engine" in help_text
if has_engine:
    engines = [("exact", ["--engine", "exact"]), ("simgrid", ["--engine", "simgrid"])]
    exact_flag = ["--engine", "exact"]
else:
    print("NOTE: build/suanli has no --engine flag yet: the suanli rows are today's engine (SimGrid), run"
          " without the flag;\n      the exact-vs-simgrid speed-up is not measured.\n")
    engines = [("(no --engine)", [])]
    exact_flag = []

print(f"bench-engine on {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()} "
      f"({sys.executable}), SimPy {__import__('simpy').__version__}")

# (1) Synthetic workload ---------------------------------------------------------------------------
CORES, CORE_FLOPS, MEAN_RUNTIME, LOAD, SEED = 32, 1e9, 20.0, 0.8, 1
rate_per_host = LOAD * CORES / MEAN_RUNTIME
# 2 hosts (64 cores) first: a model check where jobs do wait, against Erlang C; then the sizes measured.
cases = [(2, 400_000), (100, 100_000)] + ([] if quick else [(1000, 200_000)])


def erlang_c_wait(c, lam, mu):
    """Mean wait in an M/M/c queue (Erlang C)."""
    a, b = lam / mu, 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)  # Erlang B, iteratively
    return b / (1 - a / c * (1 - b)) / (c * mu - lam)


print(f"\n(1) Synthetic workload: hosts of {CORES} cores at {CORE_FLOPS / 1e9:g} Gflop/s, one site, FIFO, "
      f"single-core jobs, Poisson arrivals at load {LOAD}, exponential run times (mean {MEAN_RUNTIME:g} s), seed {SEED}")
header = (f"{'hosts':>6}{'horizon s':>11}  {'program':<24}{'jobs':>9}{'completed':>11}{'wall s':>9}"
          f"{'done/s':>10}{'peak MiB':>10}{'mean wait s':>13}")
print(header)
print("-" * len(header))
ratios = []
for hosts, target_jobs in cases:
    rate = rate_per_host * hosts
    horizon = target_jobs / rate
    scenario = {
        "format_version": 1, "name": f"bench-{hosts}", "seed": SEED, "horizon_s": horizon,
        "outputs": {"sampling_interval_s": 600},
        "platform": {"host_granularity": "server"},
        "cities": [{"name": "c", "lat_deg": 26.0, "lon_deg": 119.0}],
        "node_types": [{"name": "n", "cores": CORES,
                        "pstates": [{"core_speed_flops": CORE_FLOPS, "idle_w": 100, "max_w": 300}],
                        "servers_per_rack": 1}],
        "sites": [{"name": "s", "kind": "core_cluster", "city": "c", "lat_deg": 26.0, "lon_deg": 119.0,
                   "racks": hosts, "nodes": [{"type": "n", "count": hosts}]}],
        "workload": {"classes": [{"name": "synthetic", "kind": "hpc_batch", "placement": "least_loaded",
                                  "arrivals": {"process": "poisson", "rate_per_s": rate},
                                  "service_s": MEAN_RUNTIME, "cores": 1}]},
        "scheduling": {"queue": "fcfs"},
    }
    path = os.path.join(tmp, f"bench-{hosts}.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    rows = {}
    for label, flag in engines:
        out_dir = os.path.join(tmp, f"out-{hosts}-{label.strip('()- ').replace(' ', '')}")
        _, wall, rss = measure([SUANLI, "run", path, "-o", out_dir, "--no-progress"] + flag)
        s = summary(out_dir)
        rows[f"suanli {label}"] = (s["jobs"]["submitted"], s["jobs"]["completed"], wall, rss,
                                   s["classes"][0]["wait_s"]["mean"])
    out, wall, rss = measure([sys.executable, "tests/bench/simpy_fifo.py", str(hosts), repr(rate), repr(MEAN_RUNTIME),
                              "--horizon-s", repr(horizon), "--seed", str(SEED)])
    r = json.loads(out)
    rows["SimPy 3 (simpy_fifo.py)"] = (r["jobs"], r["completed"], wall, rss, r["mean_wait_s"])
    base = [MINIMAL, str(hosts), repr(rate_per_host), repr(MEAN_RUNTIME), repr(horizon), str(SEED)]
    for label, extra in (("minimal S4U", []), ("minimal S4U + energy", ["energy"])):
        out, wall, rss = measure(base + extra + ["--log=root.thres:critical"])
        rows[label] = (None, json.loads(out)["completed"], wall, rss, None)
    for label, (jobs, done, wall, rss, wait) in rows.items():
        print(f"{hosts:>6}{horizon:>11.2f}  {label:<24}{'-' if jobs is None else f'{jobs:,}':>9}{done:>11,}"
              f"{wall:>9.2f}{done / wall:>10,.0f}{rss:>10.0f}{'-' if wait is None else f'{wait:.4f}':>13}")
    print(f"{hosts:>6}{horizon:>11.2f}  {'M/M/c, Erlang C':<24}{'':>9}{'':>11}{'':>9}{'':>10}{'':>10}"
          f"{erlang_c_wait(CORES * hosts, rate, 1 / MEAN_RUNTIME):>13.4f}")
    first = rows[f"suanli {engines[0][0]}"]
    simpy = rows["SimPy 3 (simpy_fifo.py)"]
    speedup = rows["suanli simgrid"][2] / first[2] if has_engine else None
    ratios.append((hosts, simpy[2] / first[2], speedup, rows["minimal S4U + energy"][2] / first[2]))
print("  jobs: submitted in the horizon; completed: ended by it; done/s: completed per wall second; mean wait over")
print("  jobs that started. SimPy keeps the 32 x N free cores in one simpy.Container served in request order (suanli:")
print("  one site queue, first fit over hosts: the same M/M/c queue; a simpy.Resource of that capacity gives the")
print("  same waits but its release is linear in the users: about 10 x slower at 1,000 hosts); its random streams")
print("  differ from suanli's. The minimal S4U program draws Poisson arrivals per host into a FIFO per host and")
print("  prints no waits. The 2-host case only checks the model: it is not a measured size.")
print(f"\n  {'hosts':>6}  {'SimPy wall / suanli exact wall':>31}  {'exact speed-up over simgrid':>28}"
      f"  {'minimal+energy wall / exact wall':>33}")
for hosts, simpy_ratio, speedup, minimal_ratio in ratios:
    target = "  (target >= 5: " + ("met)" if simpy_ratio >= 5 else "NOT met)") if hosts == 1000 else ""
    sp = f"{speedup:.1f} x" if speedup is not None else "n/a"
    print(f"  {hosts:>6}  {simpy_ratio:>29.1f} x  {sp:>28}  {minimal_ratio:>31.1f} x{target}")

# (2) SWF replay with EASY backfilling ---------------------------------------------------------------
print("\n(2) SWF log replay, EASY backfilling (one reservation, window 256, requested time as estimate)")
print("  The 1,152-processor SDSC-BLUE log (232k jobs) is not on this machine. In its place: KTH-SP2")
print("  (the longest log here: 11 months, 28k jobs, 100 processors) and the CEA-Curie subset (the biggest:")
print("  33,560 jobs on 80,640 processors, scenarios/bench/cea-curie.json, a benchmark-only scenario), and")
print("  KTH-SP2 replayed 8 times in succession (224k jobs on 100 processors, near SDSC-BLUE's 232k jobs), where")
print("  the cost per job rather than either program's start-up decides the ratio.")
header = (f"  {'log':<10}{'procs':>7}{'jobs':>8}  {'program':<33}{'wall s':>8}{'peak MiB':>10}{'mean wait s':>14}")
print(header)
print("  " + "-" * (len(header) - 2))
swf_ratios = []
# KTH-SP2 x 8: the log replayed eight times in succession (224k jobs, near SDSC-BLUE's 232k), so the
# per-job cost, not the start-up of either program, decides the ratio.
def kth_times(n):
    # Written by a child process: a forked child's peak RSS counts its parent's at the fork, so this
    # process must stay small for the RSS figures of the programs it measures.
    with open("scenarios/kth-sp2.json") as f:
        sc = json.load(f)
    src = os.path.normpath(os.path.join("scenarios", sc["workload"]["classes"][0]["arrivals"]["file"]))
    log = os.path.join(tmp, f"kth-x{n}.swf.gz")
    code = """
import gzip, sys
src, log, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with gzip.open(src, "rt") as f:
    rows = [l.split() for l in f if l.strip() and not l.lstrip().startswith(";")]
span = int(max(float(r[1]) for r in rows)) + 86400
with gzip.open(log, "wt") as f:
    f.write("; KTH-SP2-1996-2.1-cln replayed %d times in succession (benchmark only)\\n; MaxProcs: 100\\n" % n)
    for k in range(n):
        for i, r in enumerate(rows):
            f.write(" ".join([str(k * len(rows) + i + 1), str(int(float(r[1])) + k * span)] + r[2:]) + "\\n")
"""
    subprocess.run([sys.executable, "-c", code, src, log, str(n)], check=True)
    sc["workload"]["classes"][0]["arrivals"]["file"] = log
    sc["horizon_s"] = sc["horizon_s"] * n
    sc.pop("$schema", None)
    path = os.path.join(tmp, f"kth-x{n}.json")
    with open(path, "w") as f:
        json.dump(sc, f)
    return path

for name, scen in (("KTH-SP2", "scenarios/kth-sp2.json"), ("KTH x 8", kth_times(8)),
                   ("CEA-Curie", "scenarios/bench/cea-curie.json")):
    with open(scen) as f:
        sc = json.load(f)
    cores = {t["name"]: t["cores"] for t in sc["node_types"]}
    procs = sum(n["count"] * cores[n["type"]] for site in sc["sites"] for n in site["nodes"])
    log = os.path.normpath(os.path.join(os.path.dirname(scen), sc["workload"]["classes"][0]["arrivals"]["file"]))
    out_dir = os.path.join(tmp, f"swf-{name}")
    _, wall_s, rss_s = measure([SUANLI, "run", scen, "-o", out_dir, "--queue", "easy", "--no-progress"] + exact_flag)
    s = summary(out_dir)
    jobs_s, wait_s = s["jobs"]["submitted"], s["classes"][0]["wait_s"]["mean"]
    out, wall_p, rss_p = measure([sys.executable, "tests/bench/easy_loop.py", log, str(procs),
                                  "--horizon-s", repr(float(sc["horizon_s"]))])
    r = json.loads(out)
    label = "suanli run --queue easy" + (" (exact)" if has_engine else "")
    print(f"  {name:<10}{procs:>7,}{jobs_s:>8,}  {label:<33}{wall_s:>8.2f}{rss_s:>10.0f}{wait_s:>14.3f}")
    print(f"  {name:<10}{procs:>7,}{r['jobs']:>8,}  {'Python EASY (easy_loop.py)':<33}{wall_p:>8.2f}{rss_p:>10.0f}"
          f"{r['mean_wait_s']:>14.3f}")
    swf_ratios.append((name, wall_p / wall_s, (wait_s - r["mean_wait_s"]) / r["mean_wait_s"]))
print(f"\n  {'log':<10}{'Python wall / suanli wall':>27}{'mean wait, suanli vs Python':>30}")
for name, ratio, diff in swf_ratios:
    print(f"  {name:<10}{ratio:>25.2f} x{diff * 100:>+28.4f} %   (targets: >= 3 x: {'met' if ratio >= 3 else 'NOT met'};"
          f" |difference| <= 1 %: {'met' if abs(diff) <= 0.01 else 'NOT met'})")

# (3) Fujian reference scenario ----------------------------------------------------------------------
if not quick:
    print("\n(3) Fujian reference scenario (scenarios/fujian-2025.json)")
    header = f"  {'granularity':<12}{'simulated':>10}{'jobs':>11}{'completed':>11}{'wall s':>9}{'jobs/s':>10}{'peak MiB':>10}  targets"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for gran, extra, targets in (("rack", [], (60, 4096)), ("server", ["--horizon-s", "3600"], None)):
        out_dir = os.path.join(tmp, f"fujian-{gran}")
        _, wall, rss = measure([SUANLI, "run", "scenarios/fujian-2025.json", "-o", out_dir, "--no-progress",
                                "--set", f"/platform/host_granularity={gran}"] + extra + exact_flag, tries=1)
        s = summary(out_dir)
        jobs = s["jobs"]["submitted"]
        verdict = ""
        if targets:
            ok = wall <= targets[0] and rss <= targets[1]
            verdict = f"<= {targets[0]} s, <= {targets[1]:,} MiB: {'met' if ok else 'NOT met'}"
        print(f"  {gran:<12}{s['simulated_s'] / 3600:>8.0f} h{jobs:>11,}{s['jobs']['completed']:>11,}{wall:>9.1f}"
              f"{jobs / wall:>10,.0f}{rss:>10,.0f}  {verdict}")
if keep:
    print(f"\n(outputs in {tmp})")
PY
