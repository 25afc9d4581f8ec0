#!/usr/bin/python3
"""Compare several `suanli run` output folders: one bar chart per metric and a CSV of the table.

    python3 analysis/compare_runs.py out/tp-nearest out/tp-consolidate --labels nearest consolidate -o out/compare

Writes into OUT (default ./compare-runs):

  compare.csv                    label, run_dir, scenario, seed, simulated_s, then the metrics:
                                 it_energy_mwh, facility_energy_mwh, pue, carbon_t, mean_wait_s
  compare_<metric>.png (.svg)    one bar per run

The metrics are read from each run's summary.json and defined as the sweep's metrics of the same
names: IT and facility energy in MWh (totals.it_energy_j, totals.facility_energy_j / 3.6e9), PUE
(totals.pue), carbon in tonnes (totals.carbon_kg / 1000), and the mean wait in seconds of the
completed jobs of the classes that are not latency_critical (each class's wait_s.mean weighted by its
completed jobs). A metric a run does not have (no such job) is an empty cell and a missing bar.

Labels default to the scenario names, or the folder names when scenarios repeat. Exit 2 with one line
naming the file when a folder or its summary.json is missing.
"""

import argparse
import math
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suanli_io as sio  # noqa: E402
from suanli_io import pd, plt  # noqa: E402


def default_labels(run_dirs, summaries):
    scen = [s["scenario"] for s in summaries]
    if len(set(scen)) == len(scen):
        return scen
    base = [os.path.basename(os.path.normpath(d)) for d in run_dirs]
    if len(set(base)) == len(base):
        return base
    return [os.path.normpath(d) for d in run_dirs]


def table(run_dirs, labels):
    summaries = [sio.read_summary(d) for d in run_dirs]
    labels = labels or default_labels(run_dirs, summaries)
    rows = []
    for d, label, s in zip(run_dirs, labels, summaries):
        row = {"label": label, "run_dir": d, "scenario": s["scenario"], "seed": s.get("seed"),
               "simulated_s": s.get("simulated_s")}
        row.update(sio.run_metrics(s))
        rows.append(row)
    return pd.DataFrame(rows, columns=["label", "run_dir", "scenario", "seed", "simulated_s"] +
                        [m for m, _, _ in sio.RUN_METRICS])


def value_text(v):
    if not math.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 10000 else f"{v:.4g}"


def bar_chart(df, metric, title, unit, out_dir, svg):
    n = len(df)
    fig, ax = sio.new_figure(max(8.0, min(16.0, 1.2 * n + 3)), 5.0)
    x = list(range(n))
    values = df[metric].astype(float).tolist()
    colors = [plt.get_cmap("tab10")(i % 10) for i in range(n)]
    heights = [v if math.isfinite(v) else 0.0 for v in values]
    ax.bar(x, heights, color=colors, width=0.6)
    finite = [v for v in values if math.isfinite(v)]
    top = max(finite) if finite else 1.0
    for xi, v in zip(x, values):
        ax.annotate(value_text(v), (xi, v if math.isfinite(v) else 0.0), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x)
    ax.set_xticklabels(df["label"].tolist(), rotation=20 if n > 4 else 0, ha="right" if n > 4 else "center")
    ax.set_ylabel(f"{title} ({unit})" if unit else title)
    if metric == "pue" and finite:  # PUE >= 1: zoom on the differences
        lo = min(finite)
        ax.set_ylim(max(0.0, min(1.0, lo - 0.05)), top + (top - min(1.0, lo)) * 0.15 + 0.02)
    else:
        ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
    ax.set_xlabel("run")
    scen = df["scenario"].unique().tolist()
    what = scen[0] if len(scen) == 1 else f"{len(scen)} scenarios"
    ax.set_title(textwrap.fill(f"{title} — {what}", 70))
    return sio.save_figure(fig, out_dir, f"compare_{metric}", svg)


def main():
    p = argparse.ArgumentParser(description="Bar charts and a CSV comparing `suanli run` output folders.")
    p.add_argument("run_dirs", metavar="RUN_DIR", nargs="+", help="output folders of `suanli run`")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="one label per run (default: scenario names)")
    p.add_argument("-o", "--output", metavar="OUT", default="compare-runs",
                   help="folder for compare.csv and the charts (default ./compare-runs)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    a = p.parse_args()
    if a.labels is not None and len(a.labels) != len(a.run_dirs):
        p.error(f"--labels: {len(a.labels)} labels for {len(a.run_dirs)} runs")
    df = table(a.run_dirs, a.labels)
    csv_path = os.path.join(a.output, "compare.csv")
    sio.write_csv_atomically(df, csv_path)
    written = [csv_path]
    for metric, title, unit in sio.RUN_METRICS:
        written += bar_chart(df, metric, title, unit, a.output, a.svg)
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sio.main_guard(main)
