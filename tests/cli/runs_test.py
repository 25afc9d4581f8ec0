#!/usr/bin/env python3
"""A run folder explains itself and can be run again from anywhere:

- the scenario.json a run keeps, and the output of `suanli show`, name their files (weather, traces)
  by absolute paths: a run folder moved to another place runs again from there, and gives the same
  summary.json as the original run;
- `run --no-jobs` writes no jobs.csv and the same summary.json as a run with it;
- `run --full-horizon` simulates the whole horizon when the work ends earlier (without it the run stops
  when its last job ends).

Usage: runs_test.py PATH_TO_SUANLI SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, exit_on_failures, failures  # noqa: E402

SUANLI, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def suanli(*args, cwd=None):
    return subprocess.run([SUANLI, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def summary(folder):
    with open(os.path.join(folder, "summary.json")) as f:
        return f.read()


SMALL = os.path.join(SRC, "scenarios", "teaching-small.json")
SHORT = ["--horizon-s", "300", "--no-progress"]

with tempfile.TemporaryDirectory() as tmp:
    # 1. The kept scenario.json runs again from a moved run folder, with the same results.
    first = os.path.join(tmp, "first")
    r = suanli("run", SMALL, "-o", first, *SHORT, "--seed", "4")
    check(r.returncode == 0, f"a run of teaching-small ({r.stderr.strip()[-200:]})")
    kept = json.load(open(os.path.join(first, "scenario.json")))
    files = [c["arrivals"]["file"] for c in kept["workload"]["classes"] if c["arrivals"].get("file")]
    files += [x["weather_file"] for x in kept["cities"] + kept["sites"] if x.get("weather_file")]
    check(files and all(os.path.isabs(f) and os.path.exists(f) for f in files),
          f"scenario.json names its {len(files)} files by absolute, existing paths")
    moved = os.path.join(tmp, "elsewhere", "deeper", "first")
    os.makedirs(os.path.dirname(moved))
    shutil.move(first, moved)
    again = os.path.join(tmp, "again")
    r = suanli("run", "scenario.json", "-o", again, *SHORT, cwd=moved)
    check(r.returncode == 0, f"the moved folder's scenario.json runs again from there ({r.stderr.strip()[-300:]})")
    if r.returncode == 0:
        check(summary(again) == summary(moved), "... and gives a byte-identical summary.json")

    # 2. suanli show prints a scenario that works from any folder.
    r = suanli("show", SMALL)
    shown = os.path.join(tmp, "elsewhere", "shown.json")
    with open(shown, "w") as f:
        f.write(r.stdout)
    r2 = suanli("check", "shown.json", cwd=os.path.dirname(shown))
    r3 = suanli("run", "shown.json", "-o", os.path.join(tmp, "shown-run"), *SHORT, "--seed", "4",
                cwd=os.path.dirname(shown))
    check(r.returncode == 0 and r2.returncode == 0 and r3.returncode == 0,
          f"the output of suanli show, saved elsewhere, checks and runs ({r3.stderr.strip()[-300:]})")
    if r3.returncode == 0:
        check(summary(os.path.join(tmp, "shown-run")) == summary(moved),
              "... with the summary.json of a run of the original file")

    # 3. --no-jobs.
    nojobs = os.path.join(tmp, "nojobs")
    r = suanli("run", SMALL, "-o", nojobs, *SHORT, "--seed", "4", "--no-jobs")
    check(r.returncode == 0 and not os.path.exists(os.path.join(nojobs, "jobs.csv")) and
          os.path.exists(os.path.join(nojobs, "timeseries.csv")),
          "run --no-jobs writes no jobs.csv (timeseries.csv still)")
    if r.returncode == 0:
        check(summary(nojobs) == summary(moved), "run --no-jobs: the same summary.json as with jobs.csv")

    # 4. --full-horizon: arrivals end at 60 s of a 600 s horizon.
    spans = {}
    for flag in ([], ["--full-horizon"]):
        out = os.path.join(tmp, "horizon" + "".join(flag))
        r = suanli("run", os.path.join(SRC, "scenarios", "teaching-policies.json"), "-o", out, "--no-progress",
                   "--horizon-s", "600", "--set", "/workload/classes/*/arrivals/until_s=60",
                   "--set", "/outputs/sampling_interval_s=60", *flag)
        spans[bool(flag)] = json.load(open(os.path.join(out, "summary.json")))["simulated_s"] if r.returncode == 0 else None
    check(spans[True] == 600 and spans[False] is not None and spans[False] < 600,
          f"--full-horizon simulates the 600 s horizon; without it the run stops when its work ends ({spans})")

exit_on_failures()
print("all run-folder checks passed")
