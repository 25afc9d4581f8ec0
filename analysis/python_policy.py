#!/usr/bin/python3
"""A placement policy written in Python, compared with least_loaded and carbon_aware over 5 seeds.

    /usr/bin/python3 analysis/python_policy.py                  # teaching-contrast, 24 h, seeds 1-5
    /usr/bin/python3 analysis/python_policy.py --hours 2 -o out/py-policy

Drives the simulator through the Python module (docs/python.md): every run is `suanli.run` on the
scenario with one policy set for every job class. Writes into OUT (default ./python-policy):

  python_policy.csv   one row per policy and seed: facility energy (MWh), carbon (t), mean wait of
                      the jobs that are not latency-critical (s), latency-budget attainment
  python_policy.png   those four metrics per policy: mean over the seeds and each seed's value
"""

import argparse
import os
import sys

import suanli


# ---- The policy: 15 lines. Among the sites allowed for the job and within its latency budget, where
# the job fits now: the lowest carbon rate it would add (its IT power x the site's marginal facility
# power per IT watt x the grid's carbon intensity there). Where it fits nowhere now: the least queued.
def low_carbon_fit(request, sites):
    allowed = [s for s in sites if s.eligible and
               (request.budget_rtt_s <= 0 or 2 * s.latency_s <= request.budget_rtt_s)]
    if not allowed:
        return None  # rejected

    def fits(s):
        return s.cores_free >= request.cores and s.gpus_free >= request.gpus

    def carbon_rate(s):
        return s.job_it_w * s.facility_w_per_it_w * s.carbon_kg_per_kwh

    fitting = [s for s in allowed if fits(s)]
    if fitting:
        return min(fitting, key=carbon_rate)
    return min(allowed, key=lambda s: s.queued)
# ---- end of the policy


def metrics(summary):
    """Facility MWh, carbon t, mean wait (s) of the non-latency-critical completed jobs, budget attainment."""
    t = summary["totals"]
    waited = [(c["wait_s"]["mean"], c["completed"]) for c in summary["classes"]
              if c["kind"] != "latency_critical" and c["wait_s"] and c["completed"]]
    n = sum(k for _, k in waited)
    budget = [c["budget_attainment"] for c in summary["classes"] if c["budget_attainment"] is not None]
    return {"facility_mwh": t["facility_energy_j"] / 3.6e9,
            "carbon_t": t["carbon_kg"] / 1000,
            "mean_wait_s": sum(w * k for w, k in waited) / n if n else float("nan"),
            "budget_met": min(budget) if budget else float("nan")}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default=os.path.join(here, "..", "scenarios", "teaching-contrast.json"))
    ap.add_argument("--hours", type=float, default=24, help="simulated hours per run (default 24)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 1..N (default 5)")
    ap.add_argument("-o", "--output", default="python-policy")
    a = ap.parse_args()

    import pandas as pd
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    suanli.register_placement("low_carbon_fit", low_carbon_fit)
    rows = []
    for policy in ["low_carbon_fit", "least_loaded", "carbon_aware"]:
        scenario = suanli.load(a.scenario).set("/workload/classes/*/placement", policy)
        for seed in range(1, a.seeds + 1):
            result = suanli.run(scenario, seed=seed, horizon_s=a.hours * 3600, jobs=False)
            rows.append({"policy": policy, "seed": seed, **metrics(result.summary)})
            print(f"{policy:15s} seed {seed}: " + ", ".join(f"{k} {v:.4g}" for k, v in rows[-1].items()
                                                           if k not in ("policy", "seed")), file=sys.stderr)
    table = pd.DataFrame(rows)
    os.makedirs(a.output, exist_ok=True)
    table.to_csv(os.path.join(a.output, "python_policy.csv"), index=False, float_format="%.6g")

    names = {"facility_mwh": "facility energy, MWh", "carbon_t": "carbon, t",
             "mean_wait_s": "mean wait (not latency-critical), s", "budget_met": "latency budget met (worst class)"}
    policies = list(dict.fromkeys(table["policy"]))
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.6))
    for ax, (col, title) in zip(axes, names.items()):
        means = table.groupby("policy", sort=False)[col].mean()
        ax.bar(range(len(policies)), [means[p] for p in policies], color=["#d62728", "#1f77b4", "#2ca02c"])
        for i, p in enumerate(policies):
            ax.plot([i] * a.seeds, table[table["policy"] == p][col], "k.", ms=4)
        ax.set_xticks(range(len(policies)), policies, rotation=20)
        ax.set_title(title, fontsize=10)
    fig.suptitle(f"{os.path.basename(a.scenario)}, {a.hours:g} h, seeds 1-{a.seeds}: bars are means, dots seeds")
    fig.tight_layout()
    png = os.path.join(a.output, "python_policy.png")
    fig.savefig(png, dpi=100, metadata={"Software": None})
    print(f"wrote {os.path.join(a.output, 'python_policy.csv')} and {png}")


if __name__ == "__main__":
    main()
