#!/usr/bin/env python3
"""`suanli check` and `suanli plan-edge` agree on what they measure: every violation `check` reports
that is not about demand coverage (a site beyond its city's budget, a pair too far apart) is listed by
`plan-edge` as not closed by new edge sites, in the text and the JSON; demand-point violations are
what plan-edge covers.

Usage: coverage_test.py SUANLI SOURCE_DIR
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, failures, run_or_exit  # noqa: E402

SUANLI, SRC = sys.argv[1], sys.argv[2]


def run(*args):
    return run_or_exit([SUANLI, *args])


# (scenario, edits): the teaching-growth network with Putian's edge DC moved 170 km north of its hub
# (a site violation) and a demand point far from every site (a demand violation).
CASES = [("fujian-2025.json", []), ("teaching.json", []),
         ("teaching-growth.json", ["--set", "/sites/4/lat_deg=27.0",
                                   "--set", '/demand_points/-={"name": "far", "city": "putian", '
                                            '"lat_deg": 22.0, "lon_deg": 116.0, "weight": 1}'])]
for name, edits in CASES:
    scenario = os.path.join(SRC, "scenarios", name)
    report = json.loads(run("check", scenario, "--json", *edits))
    violations = report["violations"]
    plan = json.loads(run("plan-edge", scenario, "--json", *edits))
    not_fixed = plan["not_fixed_by_new_sites"]
    expected = sorted((v["kind"], v["subject"]) for v in violations if v["kind"] != "demand_point")
    check(sorted((v["kind"], v["subject"]) for v in not_fixed) == expected,
          f"{name}: plan-edge lists the {len(expected)} violation(s) check reports that new sites cannot close")
    demand = [v for v in violations if v["kind"] == "demand_point"]
    check(plan["covered_before"] == plan["demand_points"] - len(demand),
          f"{name}: demand points check counts outside the budget ({len(demand)}) are those plan-edge starts from")
    text = run("plan-edge", scenario, *edits)
    check(("Not closed by new edge sites" in text) == bool(expected),
          f"{name}: the text says what plan-edge does not close exactly when there is something")

moved = json.loads(run("check", os.path.join(SRC, "scenarios", "teaching-growth.json"), "--json", *CASES[2][1]))
check({v["kind"] for v in moved["violations"]} >= {"site", "demand_point"},
      "teaching-growth edited: check reports both a site and a demand-point violation (the case means something)")
fujian = json.loads(run("plan-edge", os.path.join(SRC, "scenarios", "fujian-2025.json"), "--json"))
check([v["subject"] for v in fujian["not_fixed_by_new_sites"]] ==
      ["nanping / edge-pucheng-1", "nanping / edge-pucheng-2", "nanping / edge-pucheng-3"],
      "fujian-2025: the three Nanping edge DCs beyond 1 ms of their hub")
print(f"{len(failures)} failed" if failures else "all coverage checks passed")
sys.exit(1 if failures else 0)
