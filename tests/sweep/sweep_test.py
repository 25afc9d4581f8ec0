#!/usr/bin/env python3
"""`suanli sweep` and `suanli collect` end to end on the teaching network (5 simulated minutes a run):

- a 2 x 2 x 3 sweep: 12 runs; summary.csv rows and 95 % CIs equal values computed here from the runs'
  own summary.json files; runs.csv and the SQLite database agree;
- a sweep killed (SIGKILL) midway and resumed ends with the same tables as an uninterrupted one;
- a sweep with one invalid configuration: that run is failed with its error and exit code, the others
  complete;
- shards 1/3, 2/3, 3/3 collected equal the unsharded sweep.

Usage: sweep_test.py SUANLI SOURCE_DIR
"""
import csv
import json
import math
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, exit_on_failures, failures  # noqa: E402

SUANLI, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
SCENARIO = os.path.join(SRC, "scenarios", "teaching-small.json")
T975 = {1: 12.706204736174707, 2: 4.302652729911275, 3: 3.182446305284263, 4: 2.7764451051977987}


def sweep_doc(name, extra_axis=None):
    axes = [
        {"name": "policy", "pointer": "/workload/classes/*/placement", "values": ["least_loaded", "consolidate"]},
        {"name": "queue", "pointer": "/scheduling/queue", "values": ["fcfs", "easy"]},
    ]
    if extra_axis:
        axes.append(extra_axis)
    return {"name": name, "scenario": SCENARIO, "seed": 5, "replications": 3, "axes": axes,
            "run_arguments": ["--horizon-s", "300"]}


def write(tmp, name, doc):
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def sweep(*args, check_rc=True):
    p = subprocess.run([SUANLI, "sweep", *args], capture_output=True, text=True)
    if check_rc and p.returncode != 0:
        sys.exit(f"FAIL: suanli sweep {' '.join(args)} exited {p.returncode}: {p.stderr.strip()[-2000:]}")
    return p


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def tables(d):
    with open(os.path.join(d, "summary.csv")) as f:
        summary = f.read()
    with open(os.path.join(d, "runs.csv")) as f:
        runs = f.read()
    db = sqlite3.connect(os.path.join(d, "results.sqlite"))
    rows = (db.execute("SELECT run_id, config, replication, seed, status, exit_code, error, params_json FROM runs ORDER BY run_id").fetchall(),
            db.execute("SELECT run_id, metric, value FROM metrics ORDER BY run_id, metric").fetchall())
    db.close()
    return summary, runs, rows


with tempfile.TemporaryDirectory() as tmp:
    # 1. The 2 x 2 x 3 sweep, checked against the runs' own outputs.
    spec = write(tmp, "base", sweep_doc("base"))
    full = os.path.join(tmp, "full")
    sweep(spec, "-o", full, "-j", "2")
    runs = read_csv(os.path.join(full, "runs.csv"))
    check(len(runs) == 12 and all(r["status"] == "ok" for r in runs), "12 runs, all ok")
    check(len({r["seed"] for r in runs}) == 3, "3 seeds (one per replication, shared by the configurations)")
    summary = read_csv(os.path.join(full, "summary.csv"))
    check(len(summary) == 4 and all(r["n"] == "3" for r in summary), "4 configuration rows of 3 runs")
    worst = 0.0
    for row in summary:
        members = [r for r in runs if r["config"] == row["config"]]
        for r in members:
            check(r["policy"] == row["policy"] and r["queue"] == row["queue"], f"run {r['run']} in config {row['config']}")
        for metric, extract in [
            ("it_energy_mwh", lambda s: s["totals"]["it_energy_j"] / 3.6e9),
            ("pue", lambda s: s["totals"]["pue"]),
            ("carbon_t", lambda s: s["totals"]["carbon_kg"] / 1000),
            ("completed", lambda s: s["jobs"]["completed"]),
        ]:
            values = []
            for r in members:
                with open(os.path.join(full, "runs", r["run"], "summary.json")) as f:
                    values.append(extract(json.load(f)))
            mean = statistics.fmean(values)
            sd = statistics.stdev(values)
            half = T975[len(values) - 1] * sd / math.sqrt(len(values))
            for key, want in [("mean", mean), ("sd", sd), ("ci95_lo", mean - half), ("ci95_hi", mean + half)]:
                got = float(row[f"{metric}_{key}"])
                err = abs(got - want) / max(abs(want), 1e-12)
                worst = max(worst, err)
    check(worst < 1e-9, f"summary.csv means, sds and 95 % CIs equal independent values (worst relative error {worst:.1e})")
    manifest = json.load(open(os.path.join(full, "runs", runs[0]["run"], "manifest.json")))
    check(len(manifest["scenario_sha256"]) == 64 and manifest["inputs"] and manifest["axes"]["policy"] == runs[0]["policy"],
          "each run folder has a manifest: scenario hash, input file hashes, axis values")
    _, _, (db_runs, db_metrics) = tables(full)
    check(len(db_runs) == 12 and len(db_metrics) >= 12 * 10, f"SQLite: {len(db_runs)} runs, {len(db_metrics)} metric rows")

    # 2. Killed midway, resumed: the same tables.
    killed = os.path.join(tmp, "killed")
    p = subprocess.Popen([SUANLI, "sweep", spec, "-o", killed, "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        done = [d for d in os.listdir(os.path.join(killed, "runs"))] if os.path.isdir(os.path.join(killed, "runs")) else []
        if sum(1 for d in done if not d.endswith(".partial")) >= 4:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    finished = [d for d in os.listdir(os.path.join(killed, "runs")) if not d.endswith(".partial")]
    check(4 <= len(finished) < 12, f"killed with {len(finished)} of 12 runs finished")
    r = sweep(spec, "-o", killed, "-j", "2", "--resume")
    check(f"{len(finished)} of 12 runs already done" in r.stderr, "resume skips the finished runs")
    check(tables(killed) == tables(full), "killed + resumed sweep: summary.csv, runs.csv and database equal the uninterrupted sweep's")
    r = sweep(spec, "-o", killed, check_rc=False)
    check(r.returncode == 2 and "--resume" in r.stderr, "rerunning into a sweep folder without --resume is refused")

    # 3. One invalid configuration (an unknown queue discipline).
    bad = write(tmp, "bad", dict(sweep_doc("bad"), axes=[
        {"name": "queue", "pointer": "/scheduling/queue", "values": ["fcfs", "lifo"]}], replications=1))
    badout = os.path.join(tmp, "bad-out")
    r = sweep(bad, "-o", badout, check_rc=False)
    rows = read_csv(os.path.join(badout, "runs.csv"))
    by = {x["queue"]: x for x in rows}
    check(r.returncode == 1, f"a sweep with a failed run exits 1 (got {r.returncode})")
    check(by["fcfs"]["status"] == "ok", "the valid configuration completes")
    check(by["lifo"]["status"] == "failed" and by["lifo"]["exit_code"] == "2" and "lifo" in by["lifo"]["error"],
          f"the invalid one is failed with exit code 2 and its error: {by['lifo']['error']}")

    # 4. Shards 1/3..3/3 collected equal the unsharded sweep.
    shards = []
    for i in (1, 2, 3):
        d = os.path.join(tmp, f"shard-{i}")
        sweep(spec, "-o", d, "--shard", f"{i}/3", "-j", "2")
        shards.append(d)
    merged = os.path.join(tmp, "merged")
    c = subprocess.run([SUANLI, "collect", *shards[:2], "-o", os.path.join(tmp, "partial")], capture_output=True, text=True)
    check(c.returncode == 2 and "runs are in none of the shard folders" in c.stderr, "collecting 2 of 3 shards names the missing runs")
    c = subprocess.run([SUANLI, "collect", *shards, "-o", merged], capture_output=True, text=True)
    check(c.returncode == 0, f"collect exits 0 ({c.stderr.strip()})")
    check(tables(merged) == tables(full), "shards 1/3, 2/3, 3/3 collected: the same tables as the unsharded sweep")

exit_on_failures()
print("all sweep checks passed")
