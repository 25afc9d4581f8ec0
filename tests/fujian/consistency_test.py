#!/usr/bin/env python3
"""run, pue and capacity agree on the Fujian reference, and the reference is calibrated.

Runs the README's reference day (scripts/run-fujian.sh: rack granularity), `suanli pue --hours 24`
over the same day, `suanli pue --hours 24 --it-load <the run's load>`, and `suanli capacity --growth`
(month 0), then checks:
  - PUE over the day: run vs pue at the workload's load and at the run's own load, within 1 %;
  - IT power: run vs the capacity fast path at month 0, within 5 %;
  - GPU and CPU utilization: run vs capacity month 0, within 5 points;
  - the calibration: the run's GPU and CPU utilization and rack occupancy inside the ranges
    docs/fujian.md gives with sources.

Usage: consistency_test.py SUANLI SOURCE_DIR [--report]   (--report prints the side-by-side table)
"""
import json
import os
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, failures, run_or_exit  # noqa: E402

# Published ranges (docs/fujian.md, "Utilization against published figures"), as fractions.
RANGES = {
    "GPU utilization of the AI (gpu-ai-8x) GPUs": (0.20, 0.35),
    "GPU utilization, all GPUs": (0.20, 0.35),
    "CPU utilization": (0.10, 0.50),
    "rack occupancy": (0.58, 0.78),
}

def run(cmd):
    return run_or_exit(cmd)


def main():
    suanli, src = sys.argv[1], Path(sys.argv[2])
    report = "--report" in sys.argv
    scenario = str(src / "scenarios/fujian-2025.json")
    rack = ["--set", "/platform/host_granularity=rack"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        run([suanli, "run", scenario, "-o", str(out), "--no-progress", *rack])
        summary = json.loads((out / "summary.json").read_text())
    t = summary["totals"]
    hours = summary["period"]["hours"]
    pue_work = json.loads(run([suanli, "pue", scenario, "--hours", str(round(hours)), "--json"]))
    pue_equal = json.loads(run([suanli, "pue", scenario, "--hours", str(round(hours)), "--json",
                                "--it-load", repr(t["it_load_utilization"])]))
    pue_year = json.loads(run([suanli, "pue", scenario, "--json"]))
    growth = json.loads(run([suanli, "capacity", scenario, "--growth", "--json"]))
    m0 = growth["province"]["months"][0]

    cap_gpu = m0["gpu_load"] / m0["gpus"]
    cap_cpu = m0["core_busy"] / m0["cores"]
    cap_it_w = m0["it_w"]
    # The AI GPUs: sites with gpu-ai-8x servers, i.e. every site whose GPUs the training class uses
    # (the supercomputing centres' accelerators are used by no class).
    ai_sites = {s["name"]: s["months"][0]["gpus"] for s in growth["sites"]
                if s["months"][0]["gpus"] > 0 and "supercomputing" not in s["name"]}
    ai_gpus = sum(ai_sites.values())
    run_ai_gpu = sum(s["gpu_utilization"] * ai_sites[s["name"]] for s in summary["sites"]
                     if s["name"] in ai_sites) / ai_gpus

    rows = [
        ("PUE over the run's day (01-01)", t["pue"], pue_work["total"]["pue"], None),
        ("PUE over the day at the run's own IT load", t["pue"], pue_equal["total"]["pue"], None),
        ("annual PUE at the workload's load", None, pue_year["total"]["pue"], None),
        ("mean IT power, MW", t["mean_it_power_w"] / 1e6, None, cap_it_w / 1e6),
        ("GPU utilization, all GPUs", t["gpu_utilization"], None, cap_gpu),
        ("CPU utilization (busy cores)", t["cpu_utilization"], None, cap_cpu),
    ]
    if report:
        print(f"{'figure':45} {'run':>10} {'pue':>10} {'capacity':>10}")
        for name, r, p, c in rows:
            cell = lambda v: "-" if v is None else f"{v:.3f}"
            print(f"{name:45} {cell(r):>10} {cell(p):>10} {cell(c):>10}")
        print(f"run: AI GPUs {run_ai_gpu:.3f}, IT load {t['it_load_utilization']:.3f} of rated")

    for name, r, p, c in rows[:2]:
        check(abs(r - p) <= 0.01 * p, f"{name}: run {r:.4f} vs pue {p:.4f} (within 1 %)")
    check(abs(t["mean_it_power_w"] - cap_it_w) <= 0.05 * cap_it_w,
          f"mean IT power: run {t['mean_it_power_w'] / 1e6:.1f} MW vs capacity month 0 {cap_it_w / 1e6:.1f} MW "
          f"(within 5 %)")
    check(abs(t["gpu_utilization"] - cap_gpu) <= 0.05,
          f"GPU utilization: run {t['gpu_utilization']:.3f} vs capacity month 0 {cap_gpu:.3f} (within 5 points)")
    check(abs(t["cpu_utilization"] - cap_cpu) <= 0.05,
          f"CPU utilization: run {t['cpu_utilization']:.3f} vs capacity month 0 {cap_cpu:.3f} (within 5 points)")
    for name, value in [("GPU utilization of the AI (gpu-ai-8x) GPUs", run_ai_gpu),
                        ("GPU utilization, all GPUs", t["gpu_utilization"]),
                        ("CPU utilization", t["cpu_utilization"]),
                        ("rack occupancy", t["rack_occupancy"])]:
        lo, hi = RANGES[name]
        check(lo <= value <= hi, f"calibration: {name} {value:.3f} in [{lo}, {hi}]")
    # A day is not a year: the run states it and gives no verdict; pue over 24 h gives none either.
    check(summary["period"]["annual"] is False and pue_work["period"]["annual"] is False,
          "a one-day run and pue --hours 24 both say they are not annual")
    check(pue_work["total"]["targets"]["pue"] == "n/a",
          f"pue --hours 24 gives no PUE verdict (got {pue_work['total']['targets']['pue']})")
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("all consistency checks passed")


if __name__ == "__main__":
    main()
