#!/usr/bin/env python3
"""The analysis scripts (analysis/) on real `suanli run` output and on a fabricated sweep folder:

- plot_run.py on a 15-minute teaching-small run (plain CSV, PNG + SVG) and on a --gzip run: the four
  figures exist, are valid PNG of the fixed size, the same bytes when made again (also with jobs.csv
  read in small chunks), SVG without a date; the latency histograms hold every job's weight; the
  capacity weights reproduce summary.json's network utilization;
- compare_runs.py: compare.csv equals the figures computed here from each summary.json (json module),
  one chart per metric;
- plot_sweep.py on a fabricated sweep folder (summary.csv, runs.csv, results.sqlite with known numbers):
  one chart per metric with a value, metrics without one skipped; load_sweep() and load_sweep_db()
  return those numbers; the pandas/SQLite example of the module docstring runs;
- a missing folder, file or column: exit 2 and one line on stderr naming it.

Usage: analysis_test.py SUANLI SOURCE_DIR
Prints "SKIP: ..." and exits 0 when pandas or matplotlib cannot be imported, unless the environment
variable SUANLI_REQUIRE_ANALYSIS is set (then exit 1).
"""
import csv
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time

SUANLI, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ANALYSIS = os.path.join(SRC, "analysis")
SCENARIO = os.path.join(SRC, "scenarios", "teaching-small.json")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
failures = []
started = time.monotonic()

try:
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
except ImportError as e:
    msg = f"SKIP: analysis tests need pandas and matplotlib ({e}; apt-get install python3-pandas python3-matplotlib)"
    if os.environ.get("SUANLI_REQUIRE_ANALYSIS"):
        sys.exit(msg.replace("SKIP", "FAIL", 1) + " and SUANLI_REQUIRE_ANALYSIS is set")
    print(msg)
    sys.exit(0)

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, ANALYSIS)
import plot_run  # noqa: E402
import plot_sweep  # noqa: E402
import suanli_io  # noqa: E402


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message)
    if not cond:
        failures.append(message)
    return cond


def close(a, b, rel=1e-12):
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def script(name, *args):
    return subprocess.run([sys.executable, os.path.join(ANALYSIS, name), *args], capture_output=True, text=True,
                           env=ENV)


def must(p, what):
    if p.returncode != 0:
        sys.exit(f"FAIL: {what} exited {p.returncode}: {p.stderr.strip()}")
    return p


def suanli_run(out, *args):
    cmd = [SUANLI, "run", SCENARIO, "-o", out, "--no-progress", "--horizon-s", "900", *args]
    must(subprocess.run(cmd, capture_output=True, text=True), " ".join(cmd))
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


def png_size(path):
    """(width, height) of a PNG file, or None when it is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != PNG_MAGIC or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_png(path, size=None):
    ok = os.path.isfile(path) and os.path.getsize(path) > 1000 and png_size(path) is not None
    if ok and size:
        ok = png_size(path) == size
    return check(ok, f"{os.path.relpath(path, TMP)}: valid PNG" + (f" of {size[0]}x{size[1]}" if size else "")
                 + (f" (got {png_size(path)})" if os.path.isfile(path) and size and png_size(path) != size else ""))


def check_error(p, what, *names):
    lines = p.stderr.strip().splitlines()
    ok = p.returncode == 2 and len(lines) == 1 and all(n in lines[0] for n in names)
    check(ok, f"{what}: exit 2, one line naming {', '.join(names)} (got {p.returncode}: {p.stderr.strip()!r})")


# The figures compare_runs.py tables, computed independently from summary.json.
def expected_metrics(s):
    t = s["totals"]
    waited = done_total = 0.0
    for c in s["classes"]:
        if c["kind"] != "latency_critical" and c["completed"] > 0:
            waited += c["wait_s"]["mean"] * c["completed"]
            done_total += c["completed"]
    return {"it_energy_mwh": t["it_energy_j"] / 3.6e9, "facility_energy_mwh": t["facility_energy_j"] / 3.6e9,
            "pue": t["pue"], "carbon_t": t["carbon_kg"] / 1000,
            "mean_wait_s": waited / done_total if done_total > 0 else math.nan}


RUN_FIGURES = {"pue_by_site": (1100, 550), "power_stack": (1100, 550), "utilization": (1100, 550),
               "latency_cdf": (1300, 550)}

with tempfile.TemporaryDirectory(prefix="suanli-analysis-") as TMP:
    ENV = dict(os.environ, MPLCONFIGDIR=os.path.join(TMP, "mpl"), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    os.environ["MPLCONFIGDIR"] = ENV["MPLCONFIGDIR"]
    run = os.path.join(TMP, "run")
    run_gz = os.path.join(TMP, "run-gz")
    s1 = suanli_run(run)
    s2 = suanli_run(run_gz, "--seed", "2", "--gzip")
    check(os.path.isfile(os.path.join(run_gz, "jobs.csv.gz")) and not os.path.exists(os.path.join(run_gz, "jobs.csv")),
          "the --gzip run has jobs.csv.gz only")
    t_runs = time.monotonic() - started

    # 1. plot_run.py
    p = must(script("plot_run.py", run, "--svg"), "plot_run.py RUN --svg")
    plots = os.path.join(run, "plots")
    for stem, size in RUN_FIGURES.items():
        check_png(os.path.join(plots, stem + ".png"), size)
        svg = os.path.join(plots, stem + ".svg")
        with open(svg, "rb") as f:
            text = f.read()
        check(text.startswith(b"<?xml") and b"<svg" in text and b"<dc:date>" not in text,
              f"plots/{stem}.svg: SVG without a date")
    check(len(p.stdout.split()) == 8, "plot_run.py lists the 8 files it wrote")
    again = os.path.join(TMP, "plots-again")
    must(script("plot_run.py", run, "-o", again, "--chunk-rows", "10000"), "plot_run.py --chunk-rows 10000")
    for stem in RUN_FIGURES:
        with open(os.path.join(plots, stem + ".png"), "rb") as a, open(os.path.join(again, stem + ".png"), "rb") as b:
            check(a.read() == b.read(), f"{stem}.png: same bytes when made again (jobs.csv in chunks of 10,000)")
    must(script("plot_run.py", run_gz, "-o", os.path.join(TMP, "plots-gz"), "--sites", "2"), "plot_run.py on the --gzip run")
    for stem, size in RUN_FIGURES.items():
        check_png(os.path.join(TMP, "plots-gz", stem + ".png"), size)

    # The latency histograms, read in chunks, hold the weight of every placed / completed job.
    order, kinds, rtt, resp = plot_run.latency_histograms(run, s1, 7000)
    want_rtt, want_resp = {}, {}
    with open(os.path.join(run, "jobs.csv"), newline="") as f:
        for r in csv.DictReader(f):
            w = float(r["weight"] or 1)
            if r["outcome"] != "rejected" and r["network_rtt_s"] != "":
                want_rtt[r["class"]] = want_rtt.get(r["class"], 0.0) + w
            if r["outcome"] == "completed":
                want_resp[r["class"]] = want_resp.get(r["class"], 0.0) + w
    check(order == [c["name"] for c in s1["classes"]], "latency CDF: classes in summary.json order")
    check(all(close(rtt[c].sum(), want_rtt[c]) for c in want_rtt) and set(rtt) == set(want_rtt),
          "latency CDF: round-trip histograms hold the weight of every placed job, per class")
    check(all(close(resp[c].sum(), want_resp[c]) for c in want_resp) and set(resp) == set(want_resp),
          "latency CDF: response-time histograms hold the weight of every completed job, per class")

    # Capacity weights (summary.json sites[] or the run's scenario.json) reproduce the network utilization.
    cap = suanli_io.site_capacity(run, s1)
    if check(cap is not None, "site capacity known (summary.json sites[] or scenario.json)"):
        for key, col in (("cpu_utilization", "cores"), ("gpu_utilization", "gpus")):
            num = sum(site[key] * cap.loc[site["name"], col] for site in s1["sites"] if site[key] is not None)
            den = sum(cap.loc[site["name"], col] for site in s1["sites"] if site[key] is not None)
            check(close(num / den, s1["totals"][key], 1e-9),
                  f"{key}: capacity-weighted site mean {num / den:.6f} = totals {s1['totals'][key]:.6f}")

    # 2. compare_runs.py
    cmp_dir = os.path.join(TMP, "cmp")
    must(script("compare_runs.py", run, run_gz, "--labels", "seed-1", "seed-2 gz", "-o", cmp_dir),
         "compare_runs.py")
    with open(os.path.join(cmp_dir, "compare.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check([r["label"] for r in rows] == ["seed-1", "seed-2 gz"], "compare.csv: one row per run, in order, labelled")
    for r, s in zip(rows, [s1, s2]):
        want = expected_metrics(s)
        for m, v in want.items():
            got = float(r[m]) if r[m] != "" else math.nan
            check(close(got, v), f"compare.csv {r['label']} {m} = {got!r} (summary.json: {v!r})")
        check(r["scenario"] == s["scenario"] and int(r["seed"]) == s["seed"], f"compare.csv {r['label']}: scenario and seed")
    for m in expected_metrics(s1):
        check_png(os.path.join(cmp_dir, f"compare_{m}.png"))

    # 3. plot_sweep.py on a fabricated sweep folder: 2 x 2 configurations x 3 replications; in
    #    configuration 3 two runs failed (n = 1: no interval); gpu_utilization and
    #    deadline_attainment have no value anywhere (skipped).
    sweep = os.path.join(TMP, "sweep")
    os.makedirs(sweep)
    metrics = ["it_energy_mwh", "facility_energy_mwh", "pue", "carbon_t", "cost", "water_m3", "cpu_utilization",
               "gpu_utilization", "submitted", "completed", "rejected", "unfinished", "mean_wait_s",
               "budget_attainment", "deadline_attainment"]
    empty = {"gpu_utilization", "deadline_attainment"}
    axes = {"policy": ["nearest", "pue_aware"], "liquid share": ["0.20", "0.70"]}
    t975 = {2: 4.302652729911275}  # Student t, 0.975 quantile, 2 degrees of freedom
    runs, summary_rows, config = [], [], 0
    for pi, policy in enumerate(axes["policy"]):
        for li, liquid in enumerate(axes["liquid share"]):
            values = {m: [] for m in metrics}
            for rep in range(3):
                failed = config == 3 and rep > 0
                row = {"run": f"c{config:03d}-r{rep:02d}", "config": config, "replication": rep, "seed": 1 + rep,
                       "status": "failed" if failed else "ok", "exit_code": 2 if failed else 0,
                       "error": "bad, \"quoted\" input" if failed else "", "policy": policy, "liquid share": liquid}
                for k, m in enumerate(metrics):
                    v = None if failed or m in empty else round(1.1 + 0.1 * pi + 0.05 * li + 0.01 * rep + k, 6)
                    row[m] = v
                    if v is not None:
                        values[m].append(v)
                runs.append(row)
            srow = {"config": config, "policy": policy, "liquid share": liquid, "n": 1 if config == 3 else 3}
            for m in metrics:
                v = values[m]
                mean = sum(v) / len(v) if v else None
                sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else None
                half = t975[len(v) - 1] * sd / math.sqrt(len(v)) if sd is not None else None
                srow.update({f"{m}_mean": mean, f"{m}_sd": sd, f"{m}_ci95_lo": mean - half if half is not None else None,
                             f"{m}_ci95_hi": mean + half if half is not None else None})
            summary_rows.append(srow)
            config += 1

    def write_csv(path, header, rows):
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow(["" if r[h] is None else (repr(r[h]) if isinstance(r[h], float) else r[h]) for h in header])

    run_header = ["run", "config", "replication", "seed", "status", "exit_code", "error", *axes, *metrics]
    sum_header = ["config", *axes, "n"] + [f"{m}_{s}" for m in metrics for s in ("mean", "sd", "ci95_lo", "ci95_hi")]
    write_csv(os.path.join(sweep, "runs.csv"), run_header, runs)
    write_csv(os.path.join(sweep, "summary.csv"), sum_header, summary_rows)
    with open(os.path.join(sweep, "sweep.json"), "w") as f:
        json.dump({"name": "fabricated-sweep", "axes": []}, f)
    con = sqlite3.connect(os.path.join(sweep, "results.sqlite"))
    con.execute("CREATE TABLE runs (run_id TEXT PRIMARY KEY, config INTEGER, replication INTEGER, seed INTEGER, "
                "status TEXT, exit_code INTEGER, error TEXT, params_json TEXT)")
    con.execute("CREATE TABLE metrics (run_id TEXT, metric TEXT, value REAL, PRIMARY KEY (run_id, metric))")
    for r in runs:
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (r["run"], r["config"], r["replication"], r["seed"], r["status"], r["exit_code"], r["error"],
                     json.dumps({a: r[a] for a in sorted(axes)})))
        for m in metrics:
            if r[m] is not None:
                con.execute("INSERT INTO metrics VALUES (?, ?, ?)", (r["run"], m, r[m]))
    con.commit()
    con.close()

    p = must(script("plot_sweep.py", sweep, "--svg"), "plot_sweep.py SWEEP --svg")
    for m in metrics:
        png = os.path.join(sweep, "plots", f"sweep_{m}.png")
        if m in empty:
            check(not os.path.exists(png) and f"skipped {m}" in p.stdout, f"sweep_{m}.png: skipped (no value)")
        else:
            check_png(png)
            check(os.path.getsize(png[:-4] + ".svg") > 0, f"sweep_{m}.svg written")
    p = must(script("plot_sweep.py", sweep, "-o", os.path.join(TMP, "sweep-plots"), "--metrics", "pue"),
             "plot_sweep.py --metrics pue")
    check(os.listdir(os.path.join(TMP, "sweep-plots")) == ["sweep_pue.png"], "plot_sweep.py --metrics pue: one chart")

    # Error bars never reach below 0 (every sweep metric is non-negative), even when the t interval
    # of a skewed metric such as the mean wait does: the bars handed to matplotlib are recorded.
    drawn = []
    real_errorbar = plot_sweep.plt.Axes.errorbar
    plot_sweep.plt.Axes.errorbar = lambda self, x, y, yerr=None, **kw: drawn.append((list(y), yerr))
    try:
        skewed = plot_sweep.pd.DataFrame({"policy": ["a", "b"], "n": [3, 3], "mean_wait_s_mean": [1.0, 5.0],
                                          "mean_wait_s_ci95_lo": [-2.0, 3.0], "mean_wait_s_ci95_hi": [4.0, 7.0]})
        plot_sweep.metric_chart(skewed, ["policy"], "mean_wait_s", "skewed", TMP, False)
    finally:
        plot_sweep.plt.Axes.errorbar = real_errorbar
    bottoms = [y - down for ys, (downs, ups) in drawn for y, down in zip(ys, downs)]
    check(len(bottoms) == 2 and min(bottoms) == 0.0 and max(bottoms) == 3.0,
          f"plot_sweep: an interval reaching below 0 is drawn down to 0, others as they are (bottoms {bottoms})")

    summ, saxes, smetrics = plot_sweep.load_summary(sweep)
    check(saxes == list(axes) and smetrics == metrics, "summary.csv: axes are the columns between config and n")
    check(summ["liquid share"].tolist() == ["0.20", "0.70", "0.20", "0.70"], "summary.csv: axis labels kept as text")
    check(all(close(float(summ.loc[i, f"{m}_{s}"]), float(r[f"{m}_{s}"]) if r[f"{m}_{s}"] is not None else math.nan)
              for i, r in enumerate(summary_rows) for m in metrics for s in ("mean", "sd", "ci95_lo", "ci95_hi")),
          "summary.csv read back: every mean, sd and interval")
    df = plot_sweep.load_sweep(sweep)
    check(list(df.columns) == run_header and len(df) == 12, "load_sweep: runs.csv columns, one row per run")
    check(df.attrs["axes"] == list(axes) and df.attrs["metrics"] == metrics, "load_sweep: attrs name axes and metrics")
    check(df["liquid share"].tolist() == [r["liquid share"] for r in runs] and df["config"].dtype.kind == "i",
          "load_sweep: axis labels as text, config as integer")
    check(df["error"].tolist() == [r["error"] for r in runs], "load_sweep: error text (quoted CSV) read back")
    check(all(close(float(df.loc[i, m]), r[m] if r[m] is not None else math.nan)
              for i, r in enumerate(runs) for m in metrics), "load_sweep: every metric of every run")
    db = plot_sweep.load_sweep_db(sweep)
    check(list(db.columns) == ["config", "replication", "seed", "status", *axes, *[m for m in metrics if m not in empty]],
          "load_sweep_db: run columns, the axes in sweep order, the metrics with a value in runs.csv order")
    check(all(close(float(db.loc[r["run"], m]) if m in db.columns else math.nan,
                    r[m] if r[m] is not None else math.nan) for r in runs for m in metrics),
          "load_sweep_db: the database holds the numbers of runs.csv")
    # The example of plot_sweep's docstring, on the fabricated database.
    doc = plot_sweep.__doc__
    start = doc.index("    import json, sqlite3")
    end = doc.index("\n\n", start)
    example = textwrap.dedent(doc[start:end]).replace("out/sweep-teaching/results.sqlite",
                                                      os.path.join(sweep, "results.sqlite"))
    scope = {}
    try:
        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(example, "plot_sweep docstring", "exec"), scope)
        table = scope["table"]
        ok = sorted(table.columns) == sorted(db.columns) and table[db.columns].equals(db)
    except Exception as e:  # noqa: BLE001 - reported as a failure
        ok = False
        print(f"     {type(e).__name__}: {e}")
    check(ok, "the pandas.read_sql example of plot_sweep's docstring runs and gives load_sweep_db()'s table")

    # 4. Errors: one line naming the folder, file or column; exit 2.
    missing = os.path.join(TMP, "no-such-run")
    check_error(script("plot_run.py", missing), "plot_run.py on a missing folder", missing)
    check_error(script("compare_runs.py", run, missing), "compare_runs.py with a missing folder", missing)
    check_error(script("plot_sweep.py", missing), "plot_sweep.py on a missing folder", missing)
    broken = os.path.join(TMP, "broken")
    shutil.copytree(run, broken, ignore=shutil.ignore_patterns("plots", "jobs.csv"))
    check_error(script("plot_run.py", broken), "plot_run.py without jobs.csv", os.path.join(broken, "jobs.csv"))
    check(not os.path.exists(os.path.join(broken, "plots")), "plot_run.py without jobs.csv: no figure written")
    shutil.copy(os.path.join(run, "jobs.csv"), broken)
    with open(os.path.join(run, "timeseries.csv"), newline="") as f:
        ts = list(csv.reader(f))
    drop = ts[0].index("cooling_w")
    with open(os.path.join(broken, "timeseries.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([r[:drop] + r[drop + 1:] for r in ts])
    check_error(script("plot_run.py", broken), "plot_run.py, timeseries.csv without cooling_w",
                os.path.join(broken, "timeseries.csv"), "cooling_w")
    with open(os.path.join(broken, "summary.json"), "w") as f:
        json.dump({k: v for k, v in s1.items() if k != "totals"}, f)
    check_error(script("compare_runs.py", run, broken), "compare_runs.py, summary.json without totals",
                os.path.join(broken, "summary.json"), "totals")
    bad_sweep = os.path.join(TMP, "bad-sweep")
    os.makedirs(bad_sweep)
    write_csv(os.path.join(bad_sweep, "summary.csv"), [h for h in sum_header if h != "n"],
              [{k: v for k, v in r.items() if k != "n"} for r in summary_rows])
    check_error(script("plot_sweep.py", bad_sweep), "plot_sweep.py, summary.csv without n",
                os.path.join(bad_sweep, "summary.csv"), "column n")
    os.remove(os.path.join(bad_sweep, "summary.csv"))
    check_error(script("plot_sweep.py", bad_sweep), "plot_sweep.py without summary.csv",
                os.path.join(bad_sweep, "summary.csv"))

print(f"analysis test: {time.monotonic() - started:.1f} s (the two runs {t_runs:.1f} s)")
if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
