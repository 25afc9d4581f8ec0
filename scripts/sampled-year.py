#!/usr/bin/python3
"""A sampled weather year: one simulated day per month, weighted into annual figures.

Runs `suanli run` on the 15th of each month of the weather year (--set /energy/start_hour_of_year),
each a one-day run of the scenario with its seed, then weights each day by the days of its month:
annual PUE = sum(days x facility energy) / sum(days x IT energy). It compares that with `suanli pue`
(the annual fast path at the load the workload implies) and writes, in OUT:
  sampled-year.csv   one row per sampled day (date, PUE, IT MW, GPU and CPU utilization, carbon)
  sampled-year.json  the rows, the weighted annual figures and the pue fast path's

Usage: scripts/sampled-year.py [SCENARIO] [OUT] [--suanli build/suanli] [--set P=V ...]
Default: scenarios/fujian-2025.json at rack granularity into out/sampled-year (12 runs; about 4 minutes
on the project machine).
"""
import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def main():
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("scenario", nargs="?", default=str(root / "scenarios/fujian-2025.json"))
    ap.add_argument("out", nargs="?", default="out/sampled-year")
    ap.add_argument("--suanli", default=str(root / "build/suanli"))
    ap.add_argument("--set", action="append", default=None,
                    help="scenario edit for every run (default: /platform/host_granularity=rack)")
    a = ap.parse_args()
    edits = a.set if a.set is not None else ["/platform/host_granularity=rack"]
    sets = [x for e in edits for x in ("--set", e)]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    rows = []
    for m in range(12):
        day_of_year = sum(DAYS[:m]) + 14  # the 15th, 0-based
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [a.suanli, "run", a.scenario, "-o", tmp, "--horizon-s", "86400", "--no-progress", *sets,
                   "--set", f"/energy/start_hour_of_year={day_of_year * 24}"]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode not in (0, 1):
                sys.exit(f"sampled-year: {' '.join(cmd)} exited {p.returncode}\n{p.stderr[-2000:]}")
            s = json.loads((Path(tmp) / "summary.json").read_text())
        t = s["totals"]
        rows.append({"month": MONTHS[m], "date": s["period"]["from"], "days_weighted": DAYS[m],
                     "pue": t["pue"], "it_mw": t["mean_it_power_w"] / 1e6,
                     "it_mwh": t["it_energy_j"] / 3.6e9, "facility_mwh": t["facility_energy_j"] / 3.6e9,
                     "gpu_utilization": t["gpu_utilization"], "cpu_utilization": t["cpu_utilization"],
                     "carbon_t": t["carbon_kg"] / 1e3})
        r = rows[-1]
        print(f"{r['date']}  PUE {r['pue']:.3f}  IT {r['it_mw']:.1f} MW  GPU {100 * r['gpu_utilization']:.1f} %  "
              f"CPU {100 * r['cpu_utilization']:.1f} %", flush=True)

    it = sum(r["days_weighted"] * r["it_mwh"] for r in rows)
    fac = sum(r["days_weighted"] * r["facility_mwh"] for r in rows)
    annual = {"pue": fac / it, "it_gwh": it / 1e3, "facility_gwh": fac / 1e3,
              "gpu_utilization": sum(r["days_weighted"] * r["gpu_utilization"] for r in rows) / 365,
              "cpu_utilization": sum(r["days_weighted"] * r["cpu_utilization"] for r in rows) / 365}
    p = subprocess.run([a.suanli, "pue", a.scenario, "--json", *sets], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sampled-year: suanli pue exited {p.returncode}\n{p.stderr[-2000:]}")
    fast = json.loads(p.stdout)
    fast_path = {"pue": fast["total"]["pue"], "it_gwh": fast["total"]["it_kwh"] / 1e6,
                 "facility_gwh": fast["total"]["facility_kwh"] / 1e6, "it_load": fast["it_load"]["description"]}

    with open(out / "sampled-year.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    (out / "sampled-year.json").write_text(json.dumps({"scenario": a.scenario, "edits": edits, "days": rows,
                                                       "sampled_year": annual, "pue_fast_path": fast_path},
                                                      indent=2) + "\n")
    print(f"\nsampled year (12 days, each weighted by its month's days): PUE {annual['pue']:.3f}, "
          f"IT {annual['it_gwh']:.0f} GWh, GPU {100 * annual['gpu_utilization']:.1f} %, "
          f"CPU {100 * annual['cpu_utilization']:.1f} %")
    print(f"suanli pue (annual fast path, {fast_path['it_load']}): PUE {fast_path['pue']:.3f}, "
          f"IT {fast_path['it_gwh']:.0f} GWh")
    print(f"difference: {100 * (annual['pue'] / fast_path['pue'] - 1):+.2f} %; outputs in {out}")


if __name__ == "__main__":
    main()
