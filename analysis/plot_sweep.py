#!/usr/bin/python3
"""Policy-comparison charts of a `suanli sweep` folder, and loaders for its tables.

    python3 analysis/plot_sweep.py out/sweep-teaching                  # -> out/sweep-teaching/plots/
    python3 analysis/plot_sweep.py out/sweep-teaching -o figs --metrics pue mean_wait_s --svg

For each metric of the sweep's summary.csv (one row per configuration: config, the axis columns, n,
then <metric>_mean, <metric>_sd, <metric>_ci95_lo, <metric>_ci95_hi) writes sweep_<metric>.png (and
.svg with --svg): grouped bars of the mean with its 95 % confidence interval as error bars; x = the
values of the first axis, one bar per combination of the other axes. A configuration without a
finite mean has no bar; one without an interval (n < 2) has no error bar; an interval reaching
below 0 is drawn down to 0 (no sweep metric can be negative). Metrics with no value in
any configuration (e.g. gpu_utilization without GPUs) are skipped. Reads only summary.csv (and the
sweep's name from sweep.json when present); exit 2 with one line naming the file on a missing file
or column.

In Python, the long per-run table (runs.csv: run, config, replication, seed, status, exit_code,
error, the axis columns, the metrics):

    import sys; sys.path.insert(0, "analysis")
    from plot_sweep import load_sweep
    runs = load_sweep("out/sweep-teaching")
    ok = runs[runs.status == "ok"]
    ok.groupby(["policy", "load"])["pue"].describe()

The same numbers from the sweep's SQLite database results.sqlite (tables runs(run_id, config,
replication, seed, status, exit_code, error, params_json) and metrics(run_id, metric, value);
params_json holds {"<axis>": "<label>", ...}), read with pandas:

    import json, sqlite3
    import pandas as pd
    con = sqlite3.connect("out/sweep-teaching/results.sqlite")
    runs = pd.read_sql("SELECT run_id, config, replication, seed, status, params_json FROM runs "
                       "ORDER BY run_id", con)
    long = pd.read_sql("SELECT m.run_id, m.metric, m.value FROM metrics m "
                       "JOIN runs r ON r.run_id = m.run_id WHERE r.status = 'ok'", con)
    con.close()
    wide = long.pivot(index="run_id", columns="metric", values="value")  # one column per metric
    axes = pd.DataFrame([json.loads(p) for p in runs.params_json], index=runs.run_id)
    table = runs.set_index("run_id").drop(columns="params_json").join(axes).join(wide)
    print(table.groupby(list(axes.columns))["pue"].agg(["mean", "std", "count"]))

(`load_sweep_db(dir)` below returns that `table`, its axis columns in the sweep's order and its
metrics in runs.csv's order rather than alphabetical.)
"""

import argparse
import csv
import json
import math
import os
import re
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suanli_io as sio  # noqa: E402
from suanli_io import np, pd, plt  # noqa: E402

RUN_COLUMNS = ["run", "config", "replication", "seed", "status", "exit_code", "error"]
STATS = ["mean", "sd", "ci95_lo", "ci95_hi"]

# The sweep's metrics (sim/sweep/Sweep.cpp metric_names()): axis label and unit.
METRIC_LABELS = {
    "it_energy_mwh": ("IT energy", "MWh"),
    "facility_energy_mwh": ("Facility energy", "MWh"),
    "pue": ("PUE", "facility / IT energy"),
    "carbon_t": ("Carbon", "t CO2"),
    "cost": ("Electricity cost", "currency of the tariff"),
    "water_m3": ("Water", "m³"),
    "cpu_utilization": ("CPU utilization", "fraction of core-seconds"),
    "gpu_utilization": ("GPU utilization", "fraction of GPU-seconds"),
    "submitted": ("Jobs submitted", "jobs"),
    "completed": ("Jobs completed", "jobs"),
    "rejected": ("Jobs rejected", "jobs"),
    "unfinished": ("Jobs unfinished at the end", "jobs"),
    "mean_wait_s": ("Mean wait, completed non-latency-critical jobs", "s"),
    "budget_attainment": ("Latency-budget attainment, worst class", "fraction"),
    "deadline_attainment": ("Deadline attainment, worst class", "fraction"),
}


def _header(path):
    if not os.path.isfile(path):
        raise sio.InputError(path, "missing: is this a `suanli sweep` output folder?")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), None)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise sio.InputError(path, f"not a readable CSV file: {sio.one_line(e)}") from None
    if not header:
        raise sio.InputError(path, "empty file (no header line)")
    return header


def summary_layout(sweep_dir):
    """(path, axis names, metric names) of sweep_dir/summary.csv, from its header: the axes are the
    columns between `config` and `n`, a metric is a <m>_mean, <m>_sd, <m>_ci95_lo, <m>_ci95_hi group."""
    sio.require_dir(sweep_dir, "sweep folder")
    path = os.path.join(sweep_dir, "summary.csv")
    header = _header(path)
    if header[0] != "config":
        raise sio.InputError(path, f"missing column config (first column is \"{header[0]}\")")
    have = set(header)
    metrics, first = [], None
    for i, c in enumerate(header):
        if c.endswith("_mean"):
            m = c[: -len("_mean")]
            if all(f"{m}_{s}" in have for s in STATS[1:]):
                metrics.append(m)
                first = i if first is None else first
            else:
                missing = next(f"{m}_{s}" for s in STATS[1:] if f"{m}_{s}" not in have)
                raise sio.InputError(path, f"missing column {missing}")
    if first is None:
        raise sio.InputError(path, "missing columns <metric>_mean, _sd, _ci95_lo, _ci95_hi")
    if header[first - 1] != "n":
        raise sio.InputError(path, "missing column n (expected just before the first <metric>_mean)")
    return path, header[1:first - 1], metrics


def load_summary(sweep_dir):
    """summary.csv as a DataFrame (axis columns as text, in file order), its axes and metrics."""
    path, axes, metrics = summary_layout(sweep_dir)
    try:
        df = pd.read_csv(path, dtype={a: str for a in axes}, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as e:
        raise sio.InputError(path, f"not a readable CSV file: {sio.one_line(e)}") from None
    for a in axes:
        df[a] = df[a].fillna("")
    for m in metrics:
        for s in STATS:
            df[f"{m}_{s}"] = pd.to_numeric(df[f"{m}_{s}"], errors="coerce")
    return df, axes, metrics


def load_sweep(sweep_dir):
    """runs.csv of a sweep folder as a DataFrame, one row per run (long format): run, config,
    replication, seed, status, exit_code, error, the axis columns (text), the metrics (float; NaN
    where a run has none, and for failed runs). df.attrs["axes"] and df.attrs["metrics"] name them."""
    sio.require_dir(sweep_dir, "sweep folder")
    path = os.path.join(sweep_dir, "runs.csv")
    header = _header(path)
    for c in RUN_COLUMNS:
        if c not in header:
            raise sio.InputError(path, f"missing column {c}")
    rest = header[header.index("error") + 1:]
    if os.path.isfile(os.path.join(sweep_dir, "summary.csv")):
        _, axes, _ = summary_layout(sweep_dir)
        for a in axes:
            if a not in rest:
                raise sio.InputError(path, f"missing column {a} (an axis of summary.csv)")
    else:  # the axes are the columns before the first known metric
        known = [i for i, c in enumerate(rest) if c in METRIC_LABELS]
        axes = rest[: known[0]] if known else []
    metrics = [c for c in rest if c not in axes]
    text = {c: str for c in ["run", "status", "error"] + axes}
    try:
        df = pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as e:
        raise sio.InputError(path, f"not a readable CSV file: {sio.one_line(e)}") from None
    for c in ["error"] + axes:
        df[c] = df[c].fillna("")
    for m in metrics:
        df[m] = pd.to_numeric(df[m], errors="coerce")
    df.attrs["axes"] = list(axes)
    df.attrs["metrics"] = list(metrics)
    return df


def load_sweep_db(sweep_dir):
    """results.sqlite as one row per run (index run_id): config, replication, seed, status, the axis
    labels from params_json (in summary.csv's order when the folder has one), one column per metric
    (successful runs only; NaN otherwise)."""
    import sqlite3
    path = os.path.join(sweep_dir, "results.sqlite")
    if not os.path.isfile(path):
        raise sio.InputError(path, "missing")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            runs = pd.read_sql("SELECT run_id, config, replication, seed, status, params_json FROM runs "
                               "ORDER BY run_id", con)
            long = pd.read_sql("SELECT m.run_id, m.metric, m.value FROM metrics m "
                               "JOIN runs r ON r.run_id = m.run_id WHERE r.status = 'ok'", con)
        finally:
            con.close()
        axes = pd.DataFrame([json.loads(p) for p in runs.params_json], index=runs.run_id)
    except (sqlite3.Error, pd.errors.DatabaseError, ValueError, TypeError) as e:
        raise sio.InputError(path, f"not a readable sweep database: {sio.one_line(e)}") from None
    wide = long.pivot(index="run_id", columns="metric", values="value")
    if os.path.isfile(os.path.join(sweep_dir, "summary.csv")):  # params_json keys are sorted: axis order
        order = [a for a in summary_layout(sweep_dir)[1] if a in axes.columns]
        axes = axes[order + [a for a in axes.columns if a not in order]]
    known = [m for m in METRIC_LABELS if m in wide.columns]
    wide = wide[known + [m for m in wide.columns if m not in known]]
    return runs.set_index("run_id").drop(columns="params_json").join(axes).join(wide)


def sweep_name(sweep_dir):
    path = os.path.join(sweep_dir, "sweep.json")
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as f:
                name = json.load(f).get("name")
            if isinstance(name, str) and name:
                return name
        except (OSError, ValueError, AttributeError):
            pass
    return os.path.basename(os.path.normpath(os.path.abspath(sweep_dir)))


def unique_in_order(values):
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def file_stem(metric):
    return "sweep_" + re.sub(r"[^A-Za-z0-9_.-]", "_", metric)


def error_bar(mean, lo, hi):
    """(length below the mean, length above) of the error bar of a 95 % interval [lo, hi]. Every sweep
    metric is non-negative, so an interval reaching below 0 is drawn down to 0 only."""
    return mean - max(lo, 0.0), hi - mean


def metric_chart(df, axes, metric, name, out_dir, svg):
    """One grouped-bar chart; returns the paths written, or [] when the metric has no value."""
    mean = df[f"{metric}_mean"].to_numpy(dtype=float)
    if not np.isfinite(mean).any():
        return []
    lo = np.maximum(df[f"{metric}_ci95_lo"].to_numpy(dtype=float), 0.0)  # as error_bar draws it
    hi = df[f"{metric}_ci95_hi"].to_numpy(dtype=float)
    x_axis = axes[0] if axes else None
    others = axes[1:]
    xs = unique_in_order(df[x_axis]) if x_axis else ["all runs"]
    groups = unique_in_order(tuple(r) for r in df[others].itertuples(index=False, name=None)) if others else [()]
    cell = {}
    for i, row in enumerate(df[axes].itertuples(index=False, name=None) if axes else [()] * len(df)):
        key = (row[0] if axes else "all runs", tuple(row[1:]))
        cell[key] = i
    n_groups = len(groups)
    width = 0.8 / n_groups
    fig, ax = sio.new_figure(max(8.0, min(18.0, 1.0 + len(xs) * (0.5 + 0.35 * n_groups))) + 3.0, 5.5)
    cmap = plt.get_cmap("tab10" if n_groups <= 10 else "tab20")
    for j, g in enumerate(groups):
        pos, heights, err_pos, err_y, err_lo, err_hi = [], [], [], [], [], []
        for i, xv in enumerate(xs):
            k = cell.get((xv, g))
            if k is None or not math.isfinite(mean[k]):
                continue
            p = i + (j - (n_groups - 1) / 2) * width
            pos.append(p)
            heights.append(mean[k])
            if math.isfinite(lo[k]) and math.isfinite(hi[k]):
                err_pos.append(p)
                err_y.append(mean[k])
                down, up = error_bar(mean[k], lo[k], hi[k])
                err_lo.append(down)
                err_hi.append(up)
        label = " / ".join(g) if others else None
        ax.bar(pos, heights, width=width * 0.95, color=cmap(j % cmap.N), label=label)
        if err_pos:
            ax.errorbar(err_pos, err_y, yerr=[err_lo, err_hi], fmt="none", ecolor="black", elinewidth=1.0, capsize=3)
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels(xs, rotation=20 if len(xs) > 6 else 0, ha="right" if len(xs) > 6 else "center")
    ax.set_xlabel(x_axis or "")
    title, unit = METRIC_LABELS.get(metric, (metric, ""))
    ax.set_ylabel(f"{title} ({unit}), mean" if unit else f"{title}, mean")
    finite_lo = [v for v in np.concatenate([mean, lo]) if math.isfinite(v)]
    finite_hi = [v for v in np.concatenate([mean, hi]) if math.isfinite(v)]
    top, bottom = max(finite_hi), min(finite_lo)
    if metric == "pue" and bottom >= 1.0:
        ax.set_ylim(max(0.0, min(1.0, bottom - 0.05)), top + 0.15 * (top - min(1.0, bottom)) + 0.01)
    elif bottom >= 0:
        ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
    if others:
        ax.legend(title=" / ".join(others), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  title_fontsize=8, frameon=False)
    ns = df["n"].to_numpy(dtype=float)
    nmin, nmax = int(np.nanmin(ns)), int(np.nanmax(ns))
    n_text = f"n = {nmin}" if nmin == nmax else f"n = {nmin}–{nmax}"
    ax.set_title(textwrap.fill(f"{title} by {x_axis or 'configuration'} — {name}", 80))
    fig.supxlabel(f"bars: mean over the successful replications ({n_text} per configuration); "
                  "error bars: 95 % Student t confidence interval (none where n < 2)", fontsize=7, color="0.3")
    return sio.save_figure(fig, out_dir, file_stem(metric), svg)


def main():
    p = argparse.ArgumentParser(description="Policy-comparison charts of a `suanli sweep` folder (summary.csv).")
    p.add_argument("sweep_dir", metavar="SWEEP_DIR", help="output folder of `suanli sweep`")
    p.add_argument("-o", "--output", metavar="OUT_DIR", help="where the charts go (default SWEEP_DIR/plots)")
    p.add_argument("--metrics", nargs="+", metavar="METRIC", help="only these metrics (default: all)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    a = p.parse_args()
    df, axes, metrics = load_summary(a.sweep_dir)
    if a.metrics:
        for m in a.metrics:
            if m not in metrics:
                raise sio.InputError(os.path.join(a.sweep_dir, "summary.csv"), f"missing column {m}_mean")
        metrics = [m for m in metrics if m in a.metrics]
    name = sweep_name(a.sweep_dir)
    out_dir = a.output or os.path.join(a.sweep_dir, "plots")
    for m in metrics:
        written = metric_chart(df, axes, m, name, out_dir, a.svg)
        if not written:
            print(f"skipped {m}: no value in any configuration")
        for w in written:
            print(w)
    return 0


if __name__ == "__main__":
    sio.main_guard(main)
