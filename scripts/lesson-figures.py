#!/usr/bin/env python3
"""The figures of the 30-minute lesson (docs/teaching.md), read from `suanli step`, the engine behind
`suanli serve`, at the times the lesson names (seed 1, the scenarios' own): per site, the time-series
row of the sampling interval ending then, as the page's gauges show it; the totals as the page's
totals table shows them.

Usage: python3 scripts/lesson-figures.py [SUANLI]   (default ./build/suanli; about a minute)
"""
import json
import subprocess
import sys

SUANLI = sys.argv[1] if len(sys.argv) > 1 else "./build/suanli"
H = 3600.0


class Run:
    """A paused run (`suanli step`) and its layout."""

    def __init__(self, scenario, *args):
        self.p = subprocess.Popen([SUANLI, "step", f"scenarios/{scenario}.json", *args],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        first = json.loads(self.p.stdout.readline())
        self.sites = [s["name"] for s in first["layout"]["sites"]]

    def send(self, command):
        self.p.stdin.write(json.dumps(command) + "\n")
        self.p.stdin.flush()
        reply = json.loads(self.p.stdout.readline())
        if not reply["ok"]:
            sys.exit(f"lesson-figures: {reply['error']}")
        return reply["state"]

    def at(self, t_s):
        """The state at t_s and, per site, the time-series row of the sampling interval ending then
        (what the page's gauges show)."""
        state = self.send({"op": "advance", "to_s": t_s})
        return state, {row["site"]: row for row in state["samples"] if row["time_s"] == t_s}

    def close(self):
        self.p.stdin.close()
        self.p.wait()


print("3. Queueing, teaching-contrast at 15:00 (least_loaded | nearest)")
runs = [Run("teaching-contrast"), Run("teaching-contrast", "--placement", "nearest")]
sites = [r.at(15 * H)[1] for r in runs]
for name in ("fuzhou-core-dc", "xiamen-gpu-center"):
    print(f"  {name:18} waiting {sites[0][name]['queued']:>6,} | {sites[1][name]['queued']:>6,}"
          f"   GPUs busy {sites[0][name]['gpu_utilization']:4.0%} | {sites[1][name]['gpu_utilization']:4.0%}")
for r in runs:
    r.close()

print("4. PUE at 15:00, teaching-policies (as built | liquid share 0.8 at both centres)")
liquid = [f"--set=/sites/{i}/cooling/{k}={v}" for i in (0, 1) for k, v in (("liquid_share", 0.8), ("air_share", 0.2))]
runs = [Run("teaching-policies"), Run("teaching-policies", *liquid)]
states = [r.at(15 * H) for r in runs]
for name in ("fuzhou-core-dc", "xiamen-gpu-center", "edge-putian-chengxiang"):
    print(f"  {name:22} {states[0][1][name]['pue']:.3f} | {states[1][1][name]['pue']:.3f}")
print(f"  {'network':22} {states[0][0]['totals']['pue']:.3f} | {states[1][0]['totals']['pue']:.3f}")
for r in runs:
    r.close()

print("5. carbon_aware from 02:00, teaching-policies")
run = Run("teaching-policies")
run.at(2 * H)
run.send({"op": "set", "placement": "carbon_aware"})
for hour in (4, 12, 20, 21):
    state, site = run.at(hour * H)
    print(f"  {hour:02}:00  deferred {state['totals']['deferred']:>2}  carbon "
          f"{state['totals']['carbon_kg_per_kwh']:.3f} kg/kWh  Xiamen GPUs busy {site['xiamen-gpu-center']['gpu_utilization']:4.0%}")
run.close()
