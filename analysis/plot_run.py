#!/usr/bin/python3
"""Figures of one `suanli run` output folder.

    python3 analysis/plot_run.py out/teaching-small                 # -> out/teaching-small/plots/
    python3 analysis/plot_run.py out/fujian-2025 -o figs --sites 8 --svg

Writes (PNG, and SVG with --svg):

  pue_by_site      PUE of each interval per site (the --sites N sites with the most IT energy, 12 by
                   default) and of the whole network (sum of facility power / sum of IT power)
  power_stack      power of the whole network per interval, stacked: IT, electrical losses,
                   cooling, overheads (timeseries.csv it_power_w, loss_w, cooling_w, overhead_w
                   summed over the sites)
  utilization      network CPU and GPU utilization at each sample: the sites' utilizations weighted
                   by installed cores / GPUs (from summary.json sites[] if it has them, else from
                   the run's scenario.json), or their plain mean when neither says
  latency_cdf      per class, the CDF of the network round trip (placed jobs) and of the response
                   time end_s - submit_s (completed jobs), each job weighted by `weight` (the real
                   jobs it stands for); jobs.csv is read in chunks of --chunk-rows rows, only the
                   columns needed, into histograms of 200 log-spaced bins per decade (1 ns to 1e9 s),
                   so memory does not grow with the number of jobs

Reads summary.json, timeseries.csv[.gz], jobs.csv[.gz] and, if present, scenario.json. Exit 2 with
one line naming the file on a missing file or column.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suanli_io as sio  # noqa: E402
from suanli_io import np, plt  # noqa: E402

TIMESERIES_COLUMNS = ["time_s", "site", "cpu_utilization", "gpu_utilization", "it_power_w", "loss_w",
                      "cooling_w", "overhead_w", "pue"]
JOBS_COLUMNS = ["class", "kind", "submit_s", "end_s", "network_rtt_s", "weight", "outcome"]

# Latency histograms: BINS_PER_DECADE log-spaced bins from 10**LOG_MIN to 10**LOG_MAX seconds, plus an
# underflow bin (values below 1 ns, zero included) and an overflow bin.
BINS_PER_DECADE = 200
LOG_MIN, LOG_MAX = -9, 9
N_BINS = (LOG_MAX - LOG_MIN) * BINS_PER_DECADE
BIN_EDGES = 10.0 ** (LOG_MIN + np.arange(N_BINS + 1) / BINS_PER_DECADE)


def site_colors(n):
    cmap = plt.get_cmap("tab20" if n > 10 else "tab10")
    return [cmap(i % cmap.N) for i in range(n)]


def run_title(summary):
    hours = float(summary.get("simulated_s") or 0) / 3600
    return f"{summary['scenario']} (seed {summary.get('seed', '?')}, {hours:g} h simulated)"


def interval_steps(times):
    """timeseries rows are averages over the interval that ends at time_s: the x of a 'steps-pre'
    curve, with the start of the first interval prepended (plot y with its first value repeated)."""
    t = np.asarray(times, dtype=float)
    if len(t) == 0:
        return t
    step = np.min(np.diff(t)) if len(t) > 1 else t[0]
    return np.concatenate([[max(0.0, t[0] - step)], t])


def with_first(y):
    y = np.asarray(y, dtype=float)
    return np.concatenate([y[:1], y])


# ---------------------------------------------------------------------------------------------


def plot_pue(summary, ts, out_dir, svg, top_n):
    energy = {s["name"]: sio.number_or_nan(s.get("it_energy_j")) for s in summary["sites"]}
    present = set(ts["site"].unique())
    names = [s["name"] for s in summary["sites"] if s["name"] in present]
    names += sorted(present - set(names))
    def rank(n):  # most IT energy first; unknown energy last; ties by name
        e = energy.get(n, float("nan"))
        return (0, -e, n) if e == e else (1, 0.0, n)
    ranked = sorted(names, key=rank)
    shown = ranked[:top_n]
    t_max = float(ts["time_s"].max()) if len(ts) else 0.0
    div, unit = sio.time_axis(t_max)

    fig, ax = sio.new_figure(11, 5.5)
    for name, color in zip(shown, site_colors(len(shown))):
        d = ts[ts["site"] == name].sort_values("time_s")
        ax.plot(interval_steps(d["time_s"]) / div, with_first(d["pue"]), drawstyle="steps-pre",
                color=color, linewidth=1.0, label=name)
    g = ts.groupby("time_s", sort=True)[["it_power_w", "loss_w", "cooling_w", "overhead_w"]].sum()
    it = g["it_power_w"].to_numpy()
    facility = it + g["loss_w"].to_numpy() + g["cooling_w"].to_numpy() + g["overhead_w"].to_numpy()
    network = np.divide(facility, it, out=np.full_like(it, np.nan), where=it > 0)
    ax.plot(interval_steps(g.index) / div, with_first(network), drawstyle="steps-pre", color="black",
            linewidth=2.2, label="whole network")
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel("PUE (facility power / IT power, –)")
    which = f"top {len(shown)} of {len(names)} sites by IT energy" if len(names) > len(shown) else \
        f"{len(shown)} sites"
    ax.set_title(f"PUE per interval, {which} — {run_title(summary)}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return sio.save_figure(fig, out_dir, "pue_by_site", svg)


def plot_power(summary, ts, out_dir, svg):
    g = ts.groupby("time_s", sort=True)[["it_power_w", "loss_w", "cooling_w", "overhead_w"]].sum()
    t_max = float(g.index.max()) if len(g) else 0.0
    div, unit = sio.time_axis(t_max)
    total = g.sum(axis=1)
    pdiv, punit = sio.power_unit(float(total.max()) if len(total) else 0.0)
    fig, ax = sio.new_figure(11, 5.5)
    labels = ["IT", "electrical losses (UPS, distribution)", "cooling", "overheads (lighting, offices)"]
    colors = ["#4c72b0", "#dd8452", "#55a868", "#8c8c8c"]
    x = interval_steps(g.index) / div
    ys = [with_first(g[c]) / pdiv for c in ["it_power_w", "loss_w", "cooling_w", "overhead_w"]]
    ax.stackplot(x, ys, labels=labels, colors=colors, step="pre", linewidth=0)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel(f"power ({punit})")
    ax.set_ylim(bottom=0)
    if len(x):
        ax.set_xlim(x[0], x[-1])
    ax.set_title(f"Power of the whole network ({ts['site'].nunique()} sites) — {run_title(summary)}")
    handles, names = ax.get_legend_handles_labels()  # top of the stack first, as drawn
    ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return sio.save_figure(fig, out_dir, "power_stack", svg)


def network_utilization(ts, column, weights):
    """Per time_s: sum(u * w) / sum(w) over the sites with w > 0 (weights: Series site -> w)."""
    d = ts[["time_s", "site", column]].copy()
    d["w"] = d["site"].map(weights).fillna(0.0).astype(float)
    d = d[(d["w"] > 0) & d[column].notna()]
    if d.empty:
        return None
    d["uw"] = d[column] * d["w"]
    g = d.groupby("time_s", sort=True)[["uw", "w"]].sum()
    return g["uw"] / g["w"]


def plot_utilization(run_dir, summary, ts, out_dir, svg):
    capacity = sio.site_capacity(run_dir, summary)
    sites = summary["sites"]
    if capacity is not None:
        cpu_w, gpu_w = capacity["cores"], capacity["gpus"]
        how = "weighted by installed cores / GPUs"
    else:  # plain mean over the sites that have cores / GPUs at all (summary says null otherwise)
        import pandas as pd
        cpu_w = pd.Series({s["name"]: 0.0 if s.get("cpu_utilization") is None else 1.0 for s in sites})
        gpu_w = pd.Series({s["name"]: 0.0 if s.get("gpu_utilization") is None else 1.0 for s in sites})
        how = "plain mean over sites, capacity unknown"
    t_max = float(ts["time_s"].max()) if len(ts) else 0.0
    div, unit = sio.time_axis(t_max)
    fig, ax = sio.new_figure(11, 5.5)
    totals = summary["totals"]
    drawn = []
    for column, label, color, weights, key in (
            ("cpu_utilization", "CPU at each sample (timeseries.csv)", "#4c72b0", cpu_w, "cpu_utilization"),
            ("gpu_utilization", "GPU at each sample (timeseries.csv)", "#c44e52", gpu_w, "gpu_utilization")):
        u = network_utilization(ts, column, weights)
        if u is None:
            continue
        # utilization is sampled at the instant time_s (docs/engine.md), not averaged: a plain line
        ax.plot(u.index.to_numpy(dtype=float) / div, u.to_numpy() * 100, color=color, linewidth=1.4,
                marker="." if len(u) <= 200 else None, markersize=4, label=label)
        mean = totals.get(key)
        if isinstance(mean, (int, float)):
            ax.axhline(mean * 100, color=color, linestyle="--", linewidth=0.9,
                       label=f"{label.split(' ')[0]} over the run (summary.json): {mean * 100:.1f} %")
        drawn.append(label.split(" ")[0])
    if not drawn:
        ax.text(0.5, 0.5, "no site with cores or GPUs", transform=ax.transAxes, ha="center")
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel("utilization (%)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.set_title(f"Network {' and '.join(drawn) or 'CPU and GPU'} utilization ({how}) — {run_title(summary)}",
                 fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return sio.save_figure(fig, out_dir, "utilization", svg)


# ---------------------------------------------------------------------------------------------


def bin_weights(values, weights):
    """Weighted counts of `values` (s) in underflow, the N_BINS log bins and overflow."""
    v = np.asarray(values, dtype=float)
    idx = np.empty(len(v), dtype=np.int64)
    small = ~(v >= 10.0 ** LOG_MIN)  # zero, negative (never expected) and below 1 ns
    big = v >= 10.0 ** LOG_MAX
    mid = ~small & ~big
    idx[small] = 0
    idx[big] = N_BINS + 1
    idx[mid] = 1 + np.clip(np.floor((np.log10(v[mid]) - LOG_MIN) * BINS_PER_DECADE).astype(np.int64), 0, N_BINS - 1)
    return np.bincount(idx, weights=weights, minlength=N_BINS + 2)


def latency_histograms(run_dir, summary, chunk_rows):
    order = [c["name"] for c in summary["classes"] if isinstance(c, dict) and "name" in c]
    kinds = {c["name"]: c.get("kind", "") for c in summary["classes"] if isinstance(c, dict) and "name" in c}
    rtt, resp = {}, {}
    for chunk in sio.iter_jobs(run_dir, JOBS_COLUMNS, chunk_rows):
        weight = chunk["weight"].fillna(1.0).to_numpy()
        outcome = chunk["outcome"].to_numpy()
        cls = chunk["class"].fillna("").to_numpy()
        placed = (outcome != "rejected") & chunk["network_rtt_s"].notna().to_numpy()
        completed = (outcome == "completed") & chunk["end_s"].notna().to_numpy() & chunk["submit_s"].notna().to_numpy()
        response = (chunk["end_s"] - chunk["submit_s"]).to_numpy()
        rtt_v = chunk["network_rtt_s"].to_numpy()
        for name in np.unique(cls):
            mine = cls == name
            if name not in kinds:
                kinds[name] = chunk["kind"][mine].iloc[0] if mine.any() else ""
            m = mine & placed
            if m.any():
                h = bin_weights(rtt_v[m], weight[m])
                rtt[name] = rtt[name] + h if name in rtt else h
            m = mine & completed
            if m.any():
                h = bin_weights(response[m], weight[m])
                resp[name] = resp[name] + h if name in resp else h
    extra = sorted((set(rtt) | set(resp)) - set(order))
    return order + extra, kinds, rtt, resp


def cdf_curve(hist, scale):
    """x (bin upper edges, times scale) and CDF values of a histogram, from its first to last
    non-empty bin; the underflow bin shows as the CDF's starting height."""
    total = hist.sum()
    if not total > 0:
        return None, None
    cum = np.cumsum(hist) / total
    nz = np.nonzero(hist[1:N_BINS + 1])[0]
    if len(nz) == 0:  # everything below 1 ns or above 1e9 s
        return None, None
    first, last = nz[0], nz[-1]
    x = np.concatenate([[BIN_EDGES[first]], BIN_EDGES[first + 1:last + 2]]) * scale
    y = np.concatenate([[cum[first]], cum[first + 1:last + 2]])
    if hist[N_BINS + 1] > 0:
        y[-1] = cum[N_BINS]  # overflow stays above the last bin
    return x, y


def plot_latency(run_dir, summary, out_dir, svg, chunk_rows):
    order, kinds, rtt, resp = latency_histograms(run_dir, summary, chunk_rows)
    fig, (ax1, ax2) = sio.new_figure(13, 5.5, ncols=2)
    colors = site_colors(max(len(order), 1))
    for ax, hists, scale, xlabel, what in (
            (ax1, rtt, 1e3, "network round trip origin–site (ms)", "placed jobs"),
            (ax2, resp, 1.0, "response time end_s − submit_s (s)", "completed jobs")):
        any_line = False
        for name, color in zip(order, colors):
            if name not in hists:
                continue
            x, y = cdf_curve(hists[name], scale)
            if x is None:
                continue
            ax.plot(x, y, color=color, linewidth=1.4, label=f"{name} ({kinds.get(name, '')})")
            any_line = True
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"fraction of {what} ≤ x (weighted)")
        if any_line:
            ax.legend(loc="lower right", fontsize=8)
        else:
            ax.text(0.5, 0.5, f"no {what}", transform=ax.transAxes, ha="center")
    ax1.set_title("Network round trip")
    ax2.set_title("Response time")
    fig.suptitle(f"Latency CDF per class — {run_title(summary)}")
    return sio.save_figure(fig, out_dir, "latency_cdf", svg)


def main():
    p = argparse.ArgumentParser(description="Figures of one `suanli run` output folder (PNG; SVG with --svg).")
    p.add_argument("run_dir", metavar="RUN_DIR", help="output folder of `suanli run`")
    p.add_argument("-o", "--output", metavar="OUT_DIR", help="where the figures go (default RUN_DIR/plots)")
    p.add_argument("--sites", type=int, default=12, metavar="N",
                   help="PUE figure: the N sites with the most IT energy (default 12)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    p.add_argument("--chunk-rows", type=int, default=sio.JOBS_CHUNK_ROWS, metavar="ROWS",
                   help=f"jobs.csv rows read at a time (default {sio.JOBS_CHUNK_ROWS})")
    a = p.parse_args()
    if a.sites < 1:
        p.error("--sites must be at least 1")
    if a.chunk_rows < 1:
        p.error("--chunk-rows must be at least 1")
    summary = sio.read_summary(a.run_dir)
    ts = sio.read_timeseries(a.run_dir, TIMESERIES_COLUMNS)
    sio.require_columns(sio.find_output(a.run_dir, "jobs.csv"), JOBS_COLUMNS)  # fail before drawing anything
    out_dir = a.output or os.path.join(a.run_dir, "plots")
    written = []
    written += plot_pue(summary, ts, out_dir, a.svg, a.sites)
    written += plot_power(summary, ts, out_dir, a.svg)
    written += plot_utilization(a.run_dir, summary, ts, out_dir, a.svg)
    written += plot_latency(a.run_dir, summary, out_dir, a.svg, a.chunk_rows)
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sio.main_guard(main)
