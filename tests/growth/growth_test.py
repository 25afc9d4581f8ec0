#!/usr/bin/env python3
"""Capacity planning end to end on scenarios/teaching-growth.json.

1. Exhaustion months of the growth fast path (`suanli capacity --growth`) against full simulations
   (`suanli run --growth-month M`) at two growth rates (+40 % and +80 % a year): for the GPUs and the
   CPU cores of the two sites that carry load, the first month a full simulation measures an offered
   utilization at or above growth.max_utilization is within one month of the fast path's month.
   Measured offered utilization over the day of arrivals: busy GPU-seconds (or CPU-only cores'
   busy core-seconds) of the whole run / (installed x 86,400 s), every job having finished.
2. A site failure during a run (`--outage`): every job on the site either completes elsewhere or is
   recorded lost with an outage reason; submitted = completed + rejected + lost + unfinished; nothing
   runs or starts at the site while it is down; the outage counts add up. After the repair, moved jobs
   still waiting elsewhere come back (after_repair = return), and stay with `stay`.
3. Cooling units failing during a run: N+1 -> N takes nothing out; with 1 of N = 3 units left the
   site's IT power stays within a third of its plant, the stopped jobs move, the counts balance.

Usage: growth_test.py SUANLI SOURCE_DIR [--report]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import check, failures  # noqa: E402

SUANLI, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
REPORT = "--report" in sys.argv
SCENARIO = os.path.join(SRC, "scenarios", "teaching-growth.json")
WINDOW_S = 86400.0  # arrivals.until_s of every class
SITES = ["fuzhou-core-dc", "xiamen-gpu-center"]


def suanli(*args):
    r = subprocess.run([SUANLI, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"suanli {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def installed(scenario):
    """GPUs and CPU-only cores of each site of a scenario as run (its scenario.json)."""
    types = {t["name"]: t for t in scenario["node_types"]}
    out = {}
    for site in scenario["sites"]:
        gpus = sum(n["count"] * types[n["type"]]["gpus"] for n in site["nodes"])
        cores = sum(n["count"] * types[n["type"]]["cores"] for n in site["nodes"] if types[n["type"]]["gpus"] == 0)
        out[site["name"]] = (gpus, cores)
    return out


def measured(summary, scenario):
    """Offered utilization over the arrival window per (site, pool) from a run's summary."""
    span = summary["simulated_s"]
    sizes = installed(scenario)
    out = {}
    for s in summary["sites"]:
        if s["name"] not in SITES:
            continue
        gpus, cores = sizes[s["name"]]
        gpu_busy = s["gpu_utilization"] * gpus * span
        core_busy = s["cpu_utilization"] * cores * span  # CPU-only hosts (GPU jobs' cores are not in it)
        out[(s["name"], "gpus")] = gpu_busy / (gpus * WINDOW_S)
        out[(s["name"], "cpu_cores")] = core_busy / (cores * WINDOW_S)
    return out


def growth_validation(tmp, rate):
    edit = f"/growth/demand/0/per_year={rate}"
    report = json.loads(suanli("capacity", SCENARIO, "--growth", "--json", "--set", edit))
    threshold = report["max_utilization"]
    fast = {}
    for s in report["sites"]:
        if s["name"] in SITES:
            for pool in ("gpus", "cpu_cores"):
                fast[(s["name"], pool)] = s["first"][pool]["month"]
    check(all(m is not None and m >= 3 for m in fast.values()),
          f"+{rate:.0%}/yr: the fast path finds every exhaustion month within the horizon, after month 2: {fast}")
    months = sorted({m + d for m in fast.values() if m is not None for d in (-2, -1, 0, 1)})
    util = {}
    for m in months:
        out = os.path.join(tmp, f"r{rate}-m{m}")
        suanli("run", SCENARIO, "-o", out, "--no-progress", "--growth-month", str(m), "--set", edit)
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(out, "scenario.json")) as f:
            as_run = json.load(f)
        check(summary["jobs"]["unfinished"] == 0 and summary["jobs"]["rejected"] == 0,
              f"+{rate:.0%}/yr month {m}: every job completes ({summary['jobs']})")
        for key, value in measured(summary, as_run).items():
            util[(key, m)] = value
    for key, m_fast in fast.items():
        if m_fast is None:
            continue
        series = [(m, util[(key, m)]) for m in (m_fast - 2, m_fast - 1, m_fast, m_fast + 1)]
        check(all(b[1] > a[1] for a, b in zip(series, series[1:])),
              f"+{rate:.0%}/yr {key}: measured utilization grows month by month {series}")
        below, above = series[0][1] < threshold, series[-1][1] >= threshold
        m_full = next((m for m, u in series if u >= threshold), None)
        check(below and above and m_full is not None and abs(m_full - m_fast) <= 1,
              f"+{rate:.0%}/yr {key}: full simulation first reaches {threshold:.0%} at month {m_full}, "
              f"fast path {m_fast} (measured {', '.join(f'{m}: {u:.3f}' for m, u in series)})")
        if REPORT:
            print(f"REPORT growth {rate} {key[0]} {key[1]} fast={m_fast} full={m_full} " +
                  " ".join(f"{m}:{u:.4f}" for m, u in series))


def read_jobs(folder):
    with open(os.path.join(folder, "jobs.csv"), newline="") as f:
        return list(csv.DictReader(f))


def outage_validation(tmp):
    t1, t2 = 30000.0, 40000.0  # Fuzhou's core DC out for 10,000 s
    u1, u2 = 32000.0, 34000.0  # Xiamen's GPU centre out meanwhile: jobs there have nowhere to go
    failed, other = "fuzhou-core-dc", "xiamen-gpu-center"
    out = os.path.join(tmp, "outage")
    suanli("run", SCENARIO, "-o", out, "--no-progress", "--growth-month", "12",
           "--outage", f"{failed}:{t1:g}:{t2:g}", "--outage", f"{other}:{u1:g}:{u2:g}")
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    jobs = read_jobs(out)
    j = summary["jobs"]
    check(j["submitted"] == j["completed"] + j["rejected"] + j["lost"] + j["unfinished"] == len(jobs),
          f"job counts balance: {j}, {len(jobs)} rows in jobs.csv")
    names = [s["name"] for s in summary["sites"]]
    lost = [r for r in jobs if r["outcome"] == "lost"]
    check(len(lost) > 0 and all(r["reason"].startswith("outage_") for r in lost),
          f"{len(lost)} lost jobs, each with an outage reason: {sorted({r['reason'] for r in lost})}")
    for site, a, b in ((failed, t1, t2), (other, u1, u2)):
        index = str(names.index(site))
        through = [r for r in jobs if r["site"] == index and r["outcome"] == "completed"
                   and float(r["start_s"]) < b and float(r["end_s"]) > a]
        check(not through, f"no job completed at {site} ran during its outage ({len(through)} did)")
        started = [r for r in jobs if r["site"] == index and r["start_s"] not in ("", "-1")
                   and a <= float(r["start_s"]) < b]
        check(not started, f"no job started at {site} while it was down ({len(started)} did)")
    for o in summary["outages"]:
        check(o["running"] > 0 and o["running"] + o["waiting"] == o["replaced"] + o["lost"],
              f"outage of {o['site']}: {o['running']} running + {o['waiting']} waiting = {o['replaced']} re-placed "
              f"+ {o['lost']} lost")
    check(j["lost"] == sum(x["lost"] for x in summary["outages"]), "jobs.lost equals the outages' lost")
    # IT power of the failed site while down: one idle host (the network gateway) and the others off.
    with open(os.path.join(out, "timeseries.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["site"] == failed]
    before = [float(r["it_power_w"]) for r in rows if t1 - 3600 < float(r["time_s"]) <= t1]
    during = [float(r["it_power_w"]) for r in rows if t1 + 300 < float(r["time_s"]) <= t2]
    check(before and during and max(during) < 0.05 * min(before),
          f"{failed} draws almost nothing while down: at most {max(during) / 1e3:.1f} kW vs at least "
          f"{min(before) / 1e3:.1f} kW in the hour before")
    if REPORT:
        print(f"REPORT outage {summary['outages']} jobs {j}")


def repair_validation(tmp):
    """After the repair, jobs the outage moved that still wait elsewhere return to the repaired site
    (scheduling.after_repair = return, the default), never running ones; with `stay` they stay."""
    t1, t2 = 30000.0, 40000.0
    runs = {}
    for rule in ("return", "stay"):
        out = os.path.join(tmp, f"repair-{rule}")
        suanli("run", SCENARIO, "-o", out, "--no-progress", "--growth-month", "36",
               "--outage", f"fuzhou-core-dc:{t1:g}:{t2:g}", "--set", f"/scheduling/after_repair={rule}")
        with open(os.path.join(out, "summary.json")) as f:
            runs[rule] = (json.load(f), read_jobs(out))
    (back, back_jobs), (stay, _) = runs["return"], runs["stay"]
    o = back["outages"][0]
    check(o["returned"] > 0 and stay["outages"][0]["returned"] == 0,
          f"return: {o['returned']} moved jobs still waiting elsewhere came back at the repair; stay: none")
    check(o["returned"] <= o["replaced"], "only jobs the outage moved come back")
    index = str([x["name"] for x in back["sites"]].index("fuzhou-core-dc"))
    early = [r for r in back_jobs if r["site"] == index and r["start_s"] not in ("", "-1")
             and t1 <= float(r["start_s"]) < t2]
    check(not early, f"nothing starts at the repaired site before the repair ({len(early)} did)")
    check(back["jobs"]["unfinished"] < stay["jobs"]["unfinished"],
          f"work comes back: {back['jobs']['unfinished']} unfinished at the end vs {stay['jobs']['unfinished']} "
          "when moved jobs stay")
    j = back["jobs"]
    check(j["submitted"] == j["completed"] + j["rejected"] + j["lost"] + j["unfinished"] == len(back_jobs),
          f"job counts balance with returns: {j}")
    if REPORT:
        print(f"REPORT repair return {o} {j}; stay {stay['outages'][0]} {stay['jobs']}")


def plant_outage_validation(tmp):
    """Cooling units failing during a run: N+1 -> N takes nothing out; below N, the servers the plant
    can no longer cool go out and their jobs move."""
    t1, t2 = 30000.0, 40000.0
    site = "fuzhou-core-dc"
    results = {}
    for units in (1, 3):  # of 4 units, N+1: N = 3
        out = os.path.join(tmp, f"cooling-{units}")
        outage = [{"site": site, "what": "cooling", "units": units, "start_s": t1, "end_s": t2}]
        suanli("run", SCENARIO, "-o", out, "--no-progress", "--growth-month", "30",
               "--set", "/sites/0/cooling/units=4", "--set", "/outages=" + json.dumps(outage))
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        j, o = summary["jobs"], summary["outages"][0]
        check(j["submitted"] == j["completed"] + j["rejected"] + j["lost"] + j["unfinished"] == len(read_jobs(out)),
              f"{units} cooling unit(s) out: job counts balance {j}")
        check(o["running"] + o["waiting"] == o["replaced"] + o["lost"],
              f"{units} cooling unit(s) out: {o['running']} stopped = {o['replaced']} re-placed + {o['lost']} lost")
        with open(os.path.join(out, "timeseries.csv"), newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["site"] == site]
        results[units] = (o, max(float(r["it_power_w"]) for r in rows if t1 + 300 < float(r["time_s"]) <= t2))
    (o1, p1), (o3, p3) = results[1], results[3]
    check(o1["hosts_out"] == 0 and o1["running"] == 0, f"N+1 -> N: no host out, no job stopped ({o1})")
    # One of three needed units left: a third of the 375 kW plant for 344 kW of servers.
    check(o3["hosts_out"] > 0 and o3["running"] > 0, f"1 of N = 3 units: {o3['hosts_out']} hosts out, {o3['running']} jobs stopped")
    check(p3 <= 375e3 / 3 * 1.001, f"1 of N = 3 units: IT power at most a third of the plant: {p3 / 1e3:.1f} kW <= 125 kW")
    if REPORT:
        print(f"REPORT cooling N+1->N {o1} max {p1 / 1e3:.1f} kW; 1 of 3: {o3} max {p3 / 1e3:.1f} kW")


def main():
    with tempfile.TemporaryDirectory(prefix="suanli-growth-") as tmp:
        for rate in (0.4, 0.8):
            growth_validation(tmp, rate)
        outage_validation(tmp)
        repair_validation(tmp)
        plant_outage_validation(tmp)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
