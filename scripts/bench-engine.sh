#!/usr/bin/env bash
# Benchmark of the engine (not part of the test suite):
#  (a) a synthetic workload — N hosts of 32 cores, Poisson arrivals (0.7 load), exponential run times
#      (mean 60 s), FIFO — at 100 and 1000 hosts, run by `suanli run` and by a minimal hand-written
#      SimGrid S4U program (tests/bench/minimal_s4u.cpp) in the same session, with and without the host
#      energy plugin suanli always uses; jobs per wall second and the ratio of wall time per job;
#  (b) the Fujian reference scenario for a simulated day: jobs, wall time, jobs/s, peak memory.
#   usage: scripts/bench-engine.sh [--quick]     (--quick: 100 hosts only, no Fujian day)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/suanli ] && [ -x build/tests/minimal_s4u ] || bash scripts/build.sh
python3 - "$@" <<'PY'
import json, os, subprocess, sys, tempfile, time

quick = "--quick" in sys.argv[1:]

def measure(cmd):
    """Runs cmd; returns (stdout, wall seconds, peak RSS MiB) of that child alone."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed with status {status}")
    return out, wall, usage.ru_maxrss / 1024

CORES, MEAN_RUNTIME, LOAD, SEED = 32, 60.0, 0.7, 1
rate_per_host = LOAD * CORES / MEAN_RUNTIME
tmp = tempfile.mkdtemp(prefix="suanli-bench-")
print(f"(a) synthetic workload: {CORES} cores per host, load {LOAD}, exponential run times (mean {MEAN_RUNTIME:g} s), FIFO")
print(f"{'hosts':>6}{'horizon s':>11}{'program':>14}{'jobs':>10}{'wall s':>9}{'jobs/s':>10}{'peak MiB':>10}{'x minimal':>11}")
for hosts, horizon in ([(100, 10000)] if quick else [(100, 10000), (1000, 2000)]):
    scenario = {
        "format_version": 1, "name": f"bench-{hosts}", "seed": SEED, "horizon_s": horizon,
        "outputs": {"sampling_interval_s": 600},
        "platform": {"host_granularity": "server"},
        "cities": [{"name": "c", "lat_deg": 26.0, "lon_deg": 119.0}],
        "node_types": [{"name": "n", "cores": CORES, "pstates": [{"core_speed_flops": 1e9, "idle_w": 100, "max_w": 300}],
                        "servers_per_rack": 1}],
        "sites": [{"name": "s", "kind": "core_cluster", "city": "c", "lat_deg": 26.0, "lon_deg": 119.0,
                   "racks": hosts, "nodes": [{"type": "n", "count": hosts}]}],
        "workload": {"classes": [{"name": "synthetic", "kind": "hpc_batch", "placement": "least_loaded",
                                  "arrivals": {"process": "poisson", "rate_per_s": rate_per_host * hosts},
                                  "service_s": MEAN_RUNTIME, "cores": 1}]},
    }
    path = os.path.join(tmp, f"bench-{hosts}.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    base = ["build/tests/minimal_s4u", str(hosts), str(rate_per_host), str(MEAN_RUNTIME), str(horizon), str(SEED)]
    out, wall_b, rss_b = measure(base + ["--log=root.thres:critical"])
    jobs_b = json.loads(out)["completed"]
    out, wall_m, rss_m = measure(base + ["energy", "--log=root.thres:critical"])
    jobs_m = json.loads(out)["completed"]
    _, wall_s, rss_s = measure(["build/suanli", "run", path, "-o", os.path.join(tmp, f"out-{hosts}"), "--no-progress"])
    with open(os.path.join(tmp, f"out-{hosts}", "summary.json")) as f:
        jobs_s = json.load(f)["jobs"]["completed"]
    per_job_ratio = (wall_s / jobs_s) / (wall_m / jobs_m)
    print(f"{hosts:>6}{horizon:>11}{'minimal bare':>14}{jobs_b:>10}{wall_b:>9.2f}{jobs_b / wall_b:>10.0f}{rss_b:>10.0f}"
          f"{(wall_b / jobs_b) / (wall_m / jobs_m):>11.2f}")
    print(f"{hosts:>6}{horizon:>11}{'minimal+energy':>14}{jobs_m:>10}{wall_m:>9.2f}{jobs_m / wall_m:>10.0f}{rss_m:>10.0f}{1.0:>11.2f}")
    print(f"{hosts:>6}{horizon:>11}{'suanli run':>14}{jobs_s:>10}{wall_s:>9.2f}{jobs_s / wall_s:>10.0f}{rss_s:>10.0f}{per_job_ratio:>11.2f}")
print("  (x minimal: wall time per completed job relative to the minimal S4U program with the host energy plugin,")
print("   which does the same work as suanli; 'minimal bare' is the same program without energy; target <= 1.3)")

if not quick:
    out_dir = os.path.join(tmp, "fujian")
    _, wall, rss = measure(["build/suanli", "run", "scenarios/fujian-2025.json", "-o", out_dir, "--no-progress"])
    with open(os.path.join(out_dir, "summary.json")) as f:
        s = json.load(f)
    jobs = s["jobs"]["submitted"]
    print(f"\n(b) Fujian reference day: {jobs} jobs ({s['jobs']['completed']} completed), "
          f"{s['simulated_s'] / 3600:.0f} h simulated in {wall:.1f} s wall: {jobs / wall:,.0f} jobs/s, peak {rss:,.0f} MiB"
          f"  (targets: >= 1,000,000 jobs, <= 300 s, <= 4,096 MiB)")
PY
