#!/usr/bin/env python3
"""`suanli sweep` options end to end (docs/sweeps.md), each a regression test:

- one child run killed (SIGKILL): recorded failed, the sweep exits 1; `--resume --keep-failed` keeps it
  (exit 1 again); `--resume` runs it again and ends with every replication of every configuration;
- `--resume` refuses (exit 2, naming the file) when the base scenario, the sweep file or an input file
  changed since the runs were made, unless `--force`;
- every run of a sweep covers the same period (the horizon), although their loads end at different times
  (a plain `suanli run` of the same scenario stops earlier: what the sweep changes);
- `--no-jobs`: no jobs.csv in any run folder, the same summary.csv;
- `--dry-run` (and `--dry-run --json`) lists the runs and writes nothing;
- `points`: a list of configurations instead of the full grid; a point naming no such value is refused;
- `sweep --json`: the result as JSON;
- `run_arguments` cannot pass `--set`, `-o` or `--seed` in any spelling;
- the collect command printed by `--emit-slurm` is shell-quoted (a folder named with a space, a quote
  and `$(...)` survives; nothing is executed).

Usage: sweep_options_test.py SUANLI SOURCE_DIR
"""
import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, exit_on_failures, failures  # noqa: E402

SUANLI, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
POLICIES = os.path.join(SRC, "scenarios", "teaching-policies.json")


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


def sweep(*args, **kw):
    return subprocess.run([SUANLI, "sweep", *args], capture_output=True, text=True, timeout=600, **kw)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def absolutized(path):
    """A shipped scenario with its file paths absolute, so a copy can live anywhere."""
    doc = json.load(open(path))
    base = os.path.dirname(path)
    fix = lambda o, k: o.__setitem__(k, os.path.normpath(os.path.join(base, o[k]))) if o.get(k) else None
    for place in doc.get("cities", []) + doc.get("sites", []):
        fix(place, "weather_file")
    for c in doc.get("workload", {}).get("classes", []):
        fix(c.get("arrivals", {}), "file")
    fix(doc.get("energy", {}).get("grid", {}), "carbon_file")
    return doc


# The policy network for 30 min, arrivals only in the first minute; two loads.
SHORT = {"/horizon_s": 1800, "/outputs/sampling_interval_s": 300,
         "/workload/classes/*/arrivals/until_s": 60}
LOAD_AXIS = {"name": "load", "values": [
    {"label": "1x", "set": {}},
    {"label": "3x", "set": {"/workload/classes/2/arrivals/rate_per_s": 0.03,
                            "/workload/classes/3/arrivals/rate_per_s": 0.0012}}]}


def short_sweep(name, scenario=POLICIES, replications=1, **extra):
    doc = {"name": name, "scenario": scenario, "seed": 3, "replications": replications, "set": dict(SHORT),
           "axes": [LOAD_AXIS]}
    doc.update(extra)
    return doc


with tempfile.TemporaryDirectory() as tmp:
    # 1. One child run killed; --resume --keep-failed keeps it; --resume retries it.
    spec = write(os.path.join(tmp, "kill.json"), short_sweep("kill", replications=3))
    out = os.path.join(tmp, "kill")
    p = subprocess.Popen([SUANLI, "sweep", spec, "-o", out, "-j", "1"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    victim, deadline = None, time.time() + 120
    while victim is None and time.time() < deadline and p.poll() is None:
        children = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        if children:
            victim = int(children[0])
            os.kill(victim, signal.SIGKILL)
        else:
            time.sleep(0.02)
    p.communicate(timeout=600)
    check(victim is not None, "a child `suanli run` of the sweep was found and killed")
    rows = read_csv(os.path.join(out, "runs.csv"))
    killed = [r for r in rows if r["status"] == "failed"]
    check(p.returncode == 1 and len(rows) == 6 and len(killed) == 1 and killed[0]["exit_code"] == "137",
          f"the killed run is recorded failed with exit code 137, the sweep exits 1 (got {p.returncode}, "
          f"{[(r['run'], r['status'], r['exit_code']) for r in rows]})")
    r = sweep(spec, "-o", out, "--resume", "--keep-failed")
    rows = read_csv(os.path.join(out, "runs.csv"))
    check(r.returncode == 1 and sum(x["status"] == "failed" for x in rows) == 1,
          f"--resume --keep-failed keeps the failed run and exits 1 (got {r.returncode})")
    r = sweep(spec, "-o", out, "--resume", "--json")
    rows = read_csv(os.path.join(out, "runs.csv"))
    summary = read_csv(os.path.join(out, "summary.csv"))
    check(r.returncode == 0 and all(x["status"] == "ok" for x in rows) and [s["n"] for s in summary] == ["3", "3"],
          f"--resume retries the killed run: every configuration ends with 3 replications (exit {r.returncode}, "
          f"n = {[s['n'] for s in summary]})")
    try:
        result = json.loads(r.stdout)
    except ValueError:
        result = {}
    check(result.get("planned") == 6 and result.get("retried") == 1 and result.get("already_done") == 5 and
          result.get("ok") == 1 and result.get("failed") == 0 and len(result.get("runs", [])) == 6 and
          all(x["status"] == "ok" for x in result["runs"]) and
          result.get("files", {}).get("summary_csv") == os.path.join(out, "summary.csv"),
          f"sweep --json prints the result: counts, every run, the files ({r.stdout[:300]!r})")

    # 2. The runs of a sweep cover the same period: the horizon.
    spans = {x["run"]: json.load(open(os.path.join(out, "runs", x["run"], "summary.json")))["simulated_s"] for x in rows}
    check(set(spans.values()) == {1800}, f"every run of the sweep simulated the 30 min horizon ({sorted(set(spans.values()))})")
    plain = os.path.join(tmp, "plain-run")
    sets = [a for k, v in SHORT.items() for a in ("--set", f"{k}={json.dumps(v)}")]
    q = subprocess.run([SUANLI, "run", POLICIES, "-o", plain, "--no-progress", "--seed", "3", *sets],
                       capture_output=True, text=True, timeout=600)
    plain_span = json.load(open(os.path.join(plain, "summary.json")))["simulated_s"] if q.returncode == 0 else None
    check(plain_span is not None and plain_span < 1800,
          f"a plain run of the same scenario stops when its last job ends ({plain_span} s): the sweep made the difference")

    # 3. --resume refuses changed inputs unless --force.
    base = write(os.path.join(tmp, "base.json"), absolutized(POLICIES))
    epw_src = absolutized(POLICIES)["cities"][0]["weather_file"]
    epw = os.path.join(tmp, "city0.epw")
    with open(epw_src, "rb") as f, open(epw, "wb") as g:
        g.write(f.read())
    doc = json.load(open(base))
    doc["cities"][0]["weather_file"] = epw
    write(base, doc)
    spec = write(os.path.join(tmp, "changed.json"), short_sweep("changed", scenario=base))
    out = os.path.join(tmp, "changed")
    r = sweep(spec, "-o", out)
    check(r.returncode == 0, f"the sweep on a copied scenario runs ({r.stderr.strip()[-300:]})")
    manifest = json.load(open(os.path.join(out, "runs", "c000-r00", "manifest.json")))
    check(len(manifest.get("sweep_file_sha256", "")) == 64 and epw in manifest.get("inputs", {}),
          "the manifest records the sweep file's and the weather file's SHA-256")
    with open(epw, "ab") as g:
        g.write(b"\n")
    r = sweep(spec, "-o", out, "--resume")
    check(r.returncode == 2 and epw in r.stderr and "--force" in r.stderr and len(r.stderr.strip().splitlines()) == 1,
          f"--resume after an input file changed: exit 2, one line naming it ({r.stderr.strip()!r})")
    with open(epw_src, "rb") as f, open(epw, "wb") as g:
        g.write(f.read())
    doc["name"] = doc.get("name", "x") + "-edited"
    write(base, doc)
    r = sweep(spec, "-o", out, "--resume")
    check(r.returncode == 2 and base in r.stderr and "base scenario" in r.stderr,
          f"--resume after the base scenario changed: exit 2 naming it ({r.stderr.strip()!r})")
    r = sweep(spec, "-o", out, "--resume", "--force")
    check(r.returncode == 0, f"... and --force goes on ({r.returncode}: {r.stderr.strip()[-200:]})")
    doc["name"] = doc["name"][:-len("-edited")]
    write(base, doc)  # the base scenario as the runs read it: only the sweep file differs below
    with open(spec, "a") as f:
        f.write("\n\n")
    r = sweep(spec, "-o", out, "--resume")
    check(r.returncode == 2 and spec in r.stderr and "sweep file" in r.stderr,
          f"--resume after the sweep file changed: exit 2 naming it ({r.stderr.strip()!r})")
    r = sweep(spec, "-o", out, "--force")
    check(r.returncode == 2 and "--force" in r.stderr, "--force without --resume is refused")

    # 4. --no-jobs: no jobs.csv, the same tables.
    spec = write(os.path.join(tmp, "nojobs.json"), short_sweep("nojobs"))
    with_jobs, without = os.path.join(tmp, "with-jobs"), os.path.join(tmp, "without-jobs")
    r1 = sweep(spec, "-o", with_jobs)
    r2 = sweep(spec, "-o", without, "--no-jobs")
    runs = sorted(os.listdir(os.path.join(without, "runs")))
    check(r1.returncode == 0 and r2.returncode == 0 and len(runs) == 2 and
          not any(os.path.exists(os.path.join(without, "runs", d, "jobs.csv")) for d in runs) and
          all(os.path.exists(os.path.join(with_jobs, "runs", d, "jobs.csv")) for d in runs),
          "sweep --no-jobs: no run folder holds jobs.csv (without it, every one does)")
    check(open(os.path.join(with_jobs, "summary.csv")).read() == open(os.path.join(without, "summary.csv")).read(),
          "sweep --no-jobs: summary.csv byte-identical to the sweep with jobs.csv")

    # 5. --dry-run lists the runs, writes nothing.
    grid = {"name": "grid", "scenario": POLICIES, "replications": 2, "axes": [
        {"name": "policy", "pointer": "/workload/classes/*/placement", "values": ["least_loaded", "consolidate"]},
        {"name": "queue", "pointer": "/scheduling/queue", "values": ["fcfs", "easy"]}]}
    spec = write(os.path.join(tmp, "grid.json"), grid)
    dry = os.path.join(tmp, "dry")
    r = sweep(spec, "-o", dry, "--dry-run")
    lines = [l for l in r.stdout.splitlines() if l.startswith("  c")]
    check(r.returncode == 0 and len(lines) == 8 and not os.path.exists(dry) and
          lines[1].split()[:3] == ["c000-r01", "seed", "2"] and "queue=easy" in lines[2] and "(to run)" in lines[0],
          f"--dry-run lists the 8 runs (id, seed, axis values, status) and creates nothing:\n{r.stdout}")
    r = sweep(spec, "-o", dry, "--dry-run", "--json")
    listed = json.loads(r.stdout)["runs"] if r.returncode == 0 else []
    check([x["run"] for x in listed] == ["c000-r00", "c000-r01", "c001-r00", "c001-r01", "c002-r00", "c002-r01",
                                          "c003-r00", "c003-r01"] and listed[7]["axes"] == {"policy": "consolidate", "queue": "easy"},
          "--dry-run --json lists the runs as JSON")

    # 6. A list of points instead of the full grid.
    pts = dict(grid, name="points", points=[{"policy": "consolidate", "queue": "easy"},
                                            {"policy": "least_loaded", "queue": "fcfs"}])
    spec = write(os.path.join(tmp, "points.json"), pts)
    r = sweep(spec, "-o", dry, "--dry-run", "--json")
    listed = json.loads(r.stdout)["runs"] if r.returncode == 0 else []
    check([(x["run"], x["axes"]["policy"], x["axes"]["queue"]) for x in listed] ==
          [("c000-r00", "consolidate", "easy"), ("c000-r01", "consolidate", "easy"),
           ("c001-r00", "least_loaded", "fcfs"), ("c001-r01", "least_loaded", "fcfs")],
          f"points: only the listed configurations, in the file's order ({r.stdout[:200]!r})")
    spec = write(os.path.join(tmp, "badpoint.json"), dict(pts, points=[{"policy": "consolidate", "queue": "easy"},
                                                                      {"policy": "consolidate", "queue": "lifo"}]))
    r = sweep(spec, "-o", dry, "--dry-run")
    check(r.returncode == 2 and "/points/1/queue" in r.stderr and "lifo" in r.stderr,
          f"a point naming no value of its axis is refused with its pointer ({r.stderr.strip()!r})")

    # 7. run_arguments cannot bypass the ban on --set, -o and --seed.
    for arg in [["--set", "/scheduling/queue=\"easy\""], ["--set=/scheduling/queue=\"easy\""], ["--seed=7"],
                ["-o/tmp/elsewhere"], ["--output=/tmp/elsewhere"], ["-o", "/tmp/elsewhere"]]:
        spec = write(os.path.join(tmp, "args.json"), dict(grid, name="args", run_arguments=arg))
        r = sweep(spec, "-o", os.path.join(tmp, "args"), "--dry-run")
        check(r.returncode == 2 and "/run_arguments" in r.stderr, f"run_arguments {arg} refused ({r.stderr.strip()!r})")

    # 8. The collect command printed by --emit-slurm is shell-quoted.
    nasty = os.path.join(tmp, "my sweep's $(touch PWNED) dir")
    r = sweep(os.path.join(tmp, "grid.json"), "-o", nasty, "--emit-slurm", "--shards", "2", cwd=tmp)
    then = [l for l in r.stdout.splitlines() if l.startswith("then:")]
    words = shlex.split(then[0][len("then:"):]) if then else []
    check(r.returncode == 0 and words == [os.path.realpath(SUANLI), "collect", nasty + "/shard-*", "-o", nasty + "/all"],
          f"--emit-slurm prints a shell-quoted collect command ({then})")
    if then:
        subprocess.run(["bash", "-c", then[0][len("then:"):]], cwd=tmp, capture_output=True, timeout=60)
    check(not os.path.exists(os.path.join(tmp, "PWNED")), "running the printed collect command executes nothing else")
    script = open(os.path.join(nasty, "sweep.slurm")).read()
    then_line = [l for l in script.splitlines() if l.startswith("# Then:")]
    check(then_line and shlex.split(then_line[0][len("# Then:"):]) == words,
          "the script's own collect line is quoted the same way")

exit_on_failures()
print("all sweep option checks passed")
