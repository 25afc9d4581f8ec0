#!/usr/bin/env python3
"""Policies end to end, through `suanli run` (one process per run):

- EASY and conservative backfilling beat FCFS on the KTH-SP2 log (mean wait, mean bounded slowdown);
- consolidate + idle power-off uses less energy than least_loaded with hosts always on, and every
  job still finishes;
- carbon_aware with deferrable training emits less than nearest under an hourly carbon series;
- pue_aware lowers facility energy where sites differ in cooling;
- under every placement policy, no latency-critical request is counted as met beyond its budget.

Usage: policy_test.py SUANLI SOURCE_DIR [--report]   (--report prints the figures as a Markdown table)
"""
import csv
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, exit_on_failures, run_or_exit, run_scenario  # noqa: E402

SUANLI, SRC = sys.argv[1], sys.argv[2]
REPORT = "--report" in sys.argv
TEACHING = os.path.join(SRC, "scenarios", "teaching-policies.json")
KTH = os.path.join(SRC, "scenarios", "kth-sp2.json")
# Every placement policy the registry lists (a policy added later is tested too).
POLICIES = [p["name"] for p in json.loads(run_or_exit([SUANLI, "policies", "--json"]))["placement"]]


def run(scenario, out, *args):
    return run_scenario(SUANLI, scenario, out, *args)


def jobs(out):
    with open(os.path.join(out, "jobs.csv"), newline="") as f:
        return list(csv.DictReader(f))


def queue_figures(rows):
    done = [r for r in rows if r["outcome"] == "completed"]
    waits = [float(r["wait_s"]) for r in done]
    bsld = [max(1.0, (float(r["wait_s"]) + float(r["runtime_s"])) / max(float(r["runtime_s"]), 10.0)) for r in done]
    return len(done), sum(waits) / len(waits), sum(bsld) / len(bsld)


with tempfile.TemporaryDirectory() as tmp:
    # 1. Queue disciplines on KTH-SP2 (100 nodes, requested times as estimates).
    q = {}
    for name in ["fcfs", "easy", "conservative"]:
        out = os.path.join(tmp, "kth-" + name)
        run(KTH, out, "--queue", name)
        q[name] = queue_figures(jobs(out))
    for name in ["easy", "conservative"]:
        check(q[name][0] == q["fcfs"][0] == 27992, f"KTH {name}: all 27,992 jobs complete")
        check(q[name][1] < q["fcfs"][1], f"KTH {name} mean wait {q[name][1]:.0f} s < FCFS {q['fcfs'][1]:.0f} s")
        check(q[name][2] < q["fcfs"][2], f"KTH {name} mean bounded slowdown {q[name][2]:.2f} < FCFS {q['fcfs'][2]:.2f}")

    # 2. Consolidation with idle power-off on a lightly loaded network (CPU 4 %, GPU 15 %).
    base = run(TEACHING, os.path.join(tmp, "ll"), "--placement", "least_loaded")
    cons = run(TEACHING, os.path.join(tmp, "cons"), "--placement", "consolidate", "--idle-off-s", "600")
    for name, s in [("least_loaded", base), ("consolidate+off", cons)]:
        check(s["jobs"]["rejected"] == 0 and s["jobs"]["unfinished"] == 0 and
              s["jobs"]["completed"] == s["jobs"]["submitted"], f"{name}: every job finishes")
    e0, e1 = base["totals"]["it_energy_j"], cons["totals"]["it_energy_j"]
    f0, f1 = base["totals"]["facility_energy_j"], cons["totals"]["facility_energy_j"]
    check(e1 < e0, f"consolidate + idle-off IT energy {e1 / 3.6e9:.2f} MWh < least_loaded always-on {e0 / 3.6e9:.2f} MWh")
    check(f1 < f0, f"consolidate + idle-off facility energy {f1 / 3.6e9:.2f} MWh < {f0 / 3.6e9:.2f} MWh")

    # 3. Carbon: deferrable training placed by carbon_aware vs nearest (hourly CAISO series).
    near = run(TEACHING, os.path.join(tmp, "c-near"), "--set", "/workload/classes/3/placement=nearest")
    carb = run(TEACHING, os.path.join(tmp, "c-carb"), "--set", "/workload/classes/3/placement=carbon_aware")
    c0, c1 = near["totals"]["carbon_kg"], carb["totals"]["carbon_kg"]
    train = [r for r in jobs(os.path.join(tmp, "c-carb")) if r["class"] == "training"]
    check(all(r["outcome"] == "completed" and r["deadline_met"] == "1" for r in train),
          f"carbon_aware: all {len(train)} training jobs finish by their deadline")
    check(c1 < c0, f"carbon_aware (deferrable training) {c1:.1f} kg CO2 < nearest {c0:.1f} kg")

    # 4. PUE-aware placement where sites differ in cooling (all classes).
    pue = run(TEACHING, os.path.join(tmp, "pue"), "--placement", "pue_aware")
    nea = run(TEACHING, os.path.join(tmp, "near-all"), "--placement", "nearest")
    p0, p1 = nea["totals"]["facility_energy_j"], pue["totals"]["facility_energy_j"]
    check(p1 < p0, f"pue_aware facility energy {p1 / 3.6e9:.3f} MWh < nearest {p0 / 3.6e9:.3f} MWh")

    # 5. The latency budget under every policy (4 h of the teaching day).
    table = []
    for name in POLICIES:
        out = os.path.join(tmp, "b-" + name)
        s = run(TEACHING, out, "--placement", name, "--horizon-s", "14400")
        bad = 0
        lc = 0
        for r in jobs(out):
            if r["kind"] != "latency_critical":
                continue
            lc += 1
            rtt, budget = float(r["network_rtt_s"] or 0), float(r["budget_s"])
            if r["budget_met"] == "1" and rtt > budget * (1 + 1e-12):
                bad += 1
            if r["outcome"] == "completed" and rtt > budget * (1 + 1e-12):
                bad += 1
        check(lc > 0 and bad == 0, f"{name}: none of {lc} latency-critical requests counted met or run beyond the budget")
        table.append((name, s))

    # 6. A day where the policies differ (teaching-contrast): under load, where jobs go decides waits,
    # unfinished work, energy and carbon.
    contrast = os.path.join(SRC, "scenarios", "teaching-contrast.json")
    figures = {}
    for name in ("least_loaded", "nearest", "round_robin"):
        s = run(contrast, os.path.join(tmp, "c-" + name), "--placement", name)
        waits = [c["wait_s"]["mean"] for c in s["classes"] if c["kind"] != "latency_critical" and c["wait_s"]]
        figures[name] = (max(waits), s["jobs"]["unfinished"], s["totals"]["facility_energy_j"], s["totals"]["carbon_kg"])
    (w0, u0, f0c, c0c), (w1, u1, f1c, c1c), (w2, u2, _, _) = (figures[n] for n in ("least_loaded", "nearest", "round_robin"))
    check(w1 > 10 * w0 and w2 > 10 * w0,
          f"teaching-contrast: the longest mean wait of a class is {w0:.0f} s under least_loaded, "
          f"{w1:.0f} s under nearest, {w2:.0f} s under round_robin")
    check(u1 > u0 and u2 > u0, f"teaching-contrast: unfinished jobs {u0} (least_loaded), {u1} (nearest), {u2} (round_robin)")
    check(abs(f1c - f0c) > 0.02 * f0c and abs(c1c - c0c) > 0.02 * c0c,
          f"teaching-contrast: facility energy and carbon move with the policy "
          f"({f0c / 3.6e9:.2f} vs {f1c / 3.6e9:.2f} MWh, {c0c:.0f} vs {c1c:.0f} kg)")

    if REPORT:
        print("\n| queue | mean wait s | mean bounded slowdown |\n|---|---:|---:|")
        for name in ["fcfs", "easy", "conservative"]:
            print(f"| {name} | {q[name][1]:.0f} | {q[name][2]:.2f} |")
        print(f"\nconsolidate+off IT {e1 / 3.6e9:.3f} vs {e0 / 3.6e9:.3f} MWh; facility {f1 / 3.6e9:.3f} vs {f0 / 3.6e9:.3f} MWh")
        print(f"carbon_aware {c1:.1f} vs nearest {c0:.1f} kg; pue_aware facility {p1 / 3.6e9:.3f} vs nearest {p0 / 3.6e9:.3f} MWh")

exit_on_failures()
print("all policy checks passed")
