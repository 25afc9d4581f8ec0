#!/usr/bin/env python3
"""The exact executor against the SimGrid reference: the same scenario and seed run with
`--engine exact` and `--engine simgrid` must give the same jobs.csv, timeseries.csv and summary.json.

Every line must be byte-identical, with two explained exceptions, each counted and printed:
- IT energy is summed per host and per solver step by SimGrid's plugin, per site in closed form by
  the exact executor: the same sums in another order, equal to ~1e-13 relative. A facility figure
  derived from it can then round the other way in its last printed decimal (timeseries.csv), and
  summary energy figures may differ within 1e-9 relative.
- SimGrid merges events closer than its timing precision (`precision/timing`, 1e-9 s): with job execs
  in the system it has more events to merge a transfer's end with, so an input transfer can end up to
  1e-9 s apart in the two runs (shown by running both with a finer precision: the gap shrinks with it).
  Times of such a job (start, end, wait) may differ by at most 2e-9 s, and summary time statistics
  within 1e-9 relative.
Every other field must be equal.

Utilization has one definition: the summary's per-site CPU and GPU utilization over the run equals the
time-weighted mean of timeseries.csv's per-interval figures (to their printed precision), checked on
every run here.

Cases: every shipped scenario with a workload (short horizons), the KTH-SP2 log under EASY, a site
outage, idle power-off and boot, DVFS under deadlines, cloud services and input transfers (the Fujian
scenario has both).

Usage: engines_test.py SUANLI SOURCE_DIR [CASE ...]
"""
import csv
import json
import math
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, failures, run_or_exit  # noqa: E402

SUANLI, SRC = sys.argv[1], sys.argv[2]
ONLY = sys.argv[3:]
S = lambda name: os.path.join(SRC, "scenarios", name)

CASES = [
    ("teaching-small", S("teaching-small.json"), []),
    ("teaching-policies", S("teaching-policies.json"), ["--horizon-s", "10800"]),
    ("teaching-growth", S("teaching-growth.json"), ["--horizon-s", "7200"]),
    ("fujian-2025", S("fujian-2025.json"), ["--horizon-s", "900"]),
    ("kth-sp2-easy", S("kth-sp2.json"), ["--queue", "easy"]),  # the whole log, 27,992 jobs
    ("outage", S("teaching-growth.json"), ["--horizon-s", "14400", "--outage", "fuzhou-core-dc:3600:7200"]),
    ("idle-off-and-boot", S("teaching-policies.json"),
     ["--horizon-s", "21600", "--placement", "consolidate", "--idle-off-s", "600"]),
    ("dvfs-deadline", S("teaching-policies.json"), ["--horizon-s", "86400", "--set", "/scheduling/dvfs=deadline"]),
    ("services-and-transfers", S("fujian-2025.json"), ["--horizon-s", "1800", "--placement", "least_loaded"]),
]


def run(scenario, out, engine, args):
    run_or_exit([SUANLI, "run", scenario, "-o", out, "--no-progress", "--engine", engine, *args])


def compare(a, b, path, diffs):
    """Collects the differences between two summaries: integers and text exact, real numbers within 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if path == "" and k == "engine":
                continue
            if k not in a or k not in b:
                diffs.append(f"{path}/{k}: only in one")
            else:
                compare(a[k], b[k], f"{path}/{k}", diffs)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append(f"{path}: {len(a)} vs {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}/{i}", diffs)
    elif isinstance(a, float) or isinstance(b, float):
        if a == b:
            return
        # Energy figures (summation order) and time statistics (transfer ends, see above).
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return
        diffs.append(f"{path}: {a!r} vs {b!r}")
    elif a != b:
        diffs.append(f"{path}: {a!r} vs {b!r}")


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def decimals(text):
    return len(text) - text.index(".") - 1 if "." in text and "e" not in text.lower() else None


def compare_csv(fa, fb, kind):
    """Returns (lines that differ in bytes but within the explained tolerances, first real difference)."""
    with open(fa) as x, open(fb) as y:
        la, lb = x.read().splitlines(), y.read().splitlines()
    if len(la) != len(lb):
        return 0, f"{len(la)} vs {len(lb)} lines"
    tolerated = 0
    for n, (a, b) in enumerate(zip(la, lb), 1):
        if a == b:
            continue
        fa_, fb_ = a.split(","), b.split(",")
        ok = len(fa_) == len(fb_)
        for u, v in zip(fa_, fb_):
            if not ok:
                break
            if u == v:
                continue
            x, y = number(u), number(v)
            if x is None or y is None:
                ok = False
            elif kind == "jobs":  # transfer ends: SimGrid's timing precision
                ok = abs(x - y) <= 2e-9
            else:  # the last printed decimal of a figure derived from IT energy
                d = decimals(u)
                ok = d is not None and abs(x - y) <= 1.0001 * 10 ** -d
        if not ok:
            return tolerated, f"line {n}:\n      exact   {a}\n      simgrid {b}"
        tolerated += 1
    return tolerated, None


def check_utilization(name, out):
    """The summary's utilization of each site = the time-weighted mean of the time series'."""
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    span = summary["simulated_s"]
    sums, last = {}, {}
    with open(os.path.join(out, "timeseries.csv"), newline="") as f:
        for row in csv.DictReader(f):
            t, site = float(row["time_s"]), row["site"]
            dt = t - last.get(site, 0.0)
            last[site] = t
            c, g = sums.get(site, (0.0, 0.0))
            sums[site] = (c + float(row["cpu_utilization"]) * dt, g + float(row["gpu_utilization"]) * dt)
    worst, busy = 0.0, 0
    for site in summary["sites"]:
        c, g = sums[site["name"]]
        for key, mean in (("cpu_utilization", c / span), ("gpu_utilization", g / span)):
            value = site[key] if site[key] is not None else 0.0
            worst = max(worst, abs(value - mean))
            busy += value > 0
    check(worst <= 2e-6 and busy > 0,
          f"{name}: summary utilization = time-weighted mean of the series (worst {worst:.1e}, {busy} busy figures)")


with tempfile.TemporaryDirectory() as tmp:
    for name, scenario, args in CASES:
        if ONLY and name not in ONLY:
            continue
        outs = {}
        for engine in ("exact", "simgrid"):
            outs[engine] = os.path.join(tmp, f"{name}-{engine}")
            run(scenario, outs[engine], engine, args)
        for f, kind in (("jobs.csv", "jobs"), ("timeseries.csv", "timeseries")):
            fa, fb = (os.path.join(outs[e], f) for e in ("exact", "simgrid"))
            tolerated, difference = compare_csv(fa, fb, kind)
            why = "transfer ends within SimGrid's 1e-9 s" if kind == "jobs" else "last decimal of a derived figure"
            check(difference is None, f"{name}: {f} identical" +
                  (f" except {tolerated} line(s) ({why})" if tolerated else "") +
                  ("" if difference is None else " — first difference at " + difference))
        with open(os.path.join(outs["exact"], "summary.json")) as x, open(os.path.join(outs["simgrid"], "summary.json")) as y:
            sa, sb = json.load(x), json.load(y)
        check(sa.get("engine") == "exact" and sb.get("engine") == "simgrid", f"{name}: summaries name their engine")
        diffs = []
        compare(sa, sb, "", diffs)
        check(not diffs, f"{name}: summary.json equal (energy within 1e-9)" + ("" if not diffs else ": " + "; ".join(diffs[:5])))
        check_utilization(name, outs["exact"])
        jobs = sa["jobs"]["submitted"]
        check(jobs > 0, f"{name}: {jobs} jobs submitted")

print(f"{len(failures)} failed" if failures else "all engine comparisons passed")
sys.exit(1 if failures else 0)
