"""Shared helpers for the analysis scripts: reading a `suanli run` folder and writing figures.

A run folder (docs/engine.md, "Outputs") holds summary.json, jobs.csv and timeseries.csv (or
jobs.csv.gz and timeseries.csv.gz with `--gzip`), and scenario.json, the scenario as run.

    import suanli_io as io
    summary = io.read_summary("out/teaching-small")
    ts = io.read_timeseries("out/teaching-small", ["time_s", "site", "pue"])
    for chunk in io.iter_jobs("out/teaching-small", ["class", "outcome", "wait_s"]):
        ...                                    # DataFrames of at most 500,000 rows

Every reader raises InputError(path, message) on a missing file or column or an unreadable file;
the scripts turn it into one line on stderr and exit code 2 (`main_guard`).
"""

import gzip
import json
import math
import os
import sys
import zlib

try:
    import numpy as np  # noqa: F401 - re-exported for the scripts
    import pandas as pd
    import matplotlib

    matplotlib.use("Agg")  # never a window; must come before pyplot is imported
    import matplotlib.pyplot as plt
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"{os.path.basename(sys.argv[0]) or 'suanli_io'}: needs pandas and matplotlib ({e}); "
        "on Debian: apt-get install python3-pandas python3-matplotlib\n")
    sys.exit(2)

JOBS_CHUNK_ROWS = 500_000

# Deterministic figures: no random ids in SVG, no date or software version in the files.
matplotlib.rcParams.update({
    "svg.hashsalt": "suanli",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
})
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}


class InputError(Exception):
    """A missing or unreadable input: `path` names the file, `message` says what is wrong."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message


def one_line(text):
    """The first line of an error text, so every error stays one line."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else str(text)


def main_guard(main):
    """Runs main() and turns InputError (and unreadable data) into one line on stderr, exit 2."""
    prog = os.path.basename(sys.argv[0])
    try:
        code = main()
    except InputError as e:
        sys.stderr.write(f"{prog}: {e.path}: {one_line(e.message)}\n")
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code or 0)


# ---------------------------------------------------------------------------------------------
# Files of a run folder


def require_dir(path, what="folder"):
    if not os.path.isdir(path):
        raise InputError(path, f"no such {what}" if not os.path.exists(path) else f"not a {what}")


def find_output(run_dir, name):
    """The path of `name` in run_dir, or of `name`.gz when only the compressed file is there."""
    require_dir(run_dir, "run folder")
    plain = os.path.join(run_dir, name)
    if os.path.isfile(plain):
        return plain
    if os.path.isfile(plain + ".gz"):
        return plain + ".gz"
    raise InputError(plain, f"missing (nor {name}.gz): is this a `suanli run` output folder?")


def read_json(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(path, "missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(path, f"not readable JSON: {one_line(e)}") from None


def require_keys(obj, keys, path, where=""):
    """Raises InputError naming the first key of `keys` missing from the dict `obj`."""
    if not isinstance(obj, dict):
        raise InputError(path, f"expected an object at {where or '/'}")
    for k in keys:
        if k not in obj:
            raise InputError(path, f"missing field {where}/{k}")


def read_summary(run_dir):
    """summary.json as a dict, checked for the fields the scripts use."""
    require_dir(run_dir, "run folder")
    path = os.path.join(run_dir, "summary.json")
    if not os.path.isfile(path):
        raise InputError(path, "missing: is this a `suanli run` output folder?")
    s = read_json(path)
    require_keys(s, ["scenario", "simulated_s", "sites", "totals", "classes", "jobs"], path)
    if not isinstance(s["sites"], list):
        raise InputError(path, "field /sites is not an array")
    for i, site in enumerate(s["sites"]):
        require_keys(site, ["name"], path, f"/sites/{i}")
    return s


def read_scenario(run_dir):
    """scenario.json (the scenario as run) or None when the run folder has none."""
    path = os.path.join(run_dir, "scenario.json")
    return read_json(path) if os.path.isfile(path) else None


def csv_columns(path):
    """The header of a CSV file (plain or .gz)."""
    try:
        return list(pd.read_csv(path, nrows=0).columns)
    except FileNotFoundError:
        raise InputError(path, "missing") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "empty file (no header line)") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, pd.errors.ParserError, ValueError) as e:
        raise InputError(path, f"not a readable CSV file: {one_line(e)}") from None


def require_columns(path, wanted):
    have = csv_columns(path)
    for c in wanted:
        if c not in have:
            raise InputError(path, f"missing column {c}")
    return have


def _csv_dtypes(columns, text_columns):
    return {c: (str if c in text_columns else "float64") for c in columns}


TEXT_COLUMNS = {"site", "class", "kind", "origin", "outcome", "reason", "trace_id"}


def read_timeseries(run_dir, columns):
    """timeseries.csv (or .gz), only `columns`; text columns as str, the others as float."""
    path = find_output(run_dir, "timeseries.csv")
    require_columns(path, columns)
    try:
        return pd.read_csv(path, usecols=columns, dtype=_csv_dtypes(columns, TEXT_COLUMNS),
                           keep_default_na=False, na_values=[""])
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, pd.errors.ParserError, ValueError) as e:
        raise InputError(path, f"not a readable CSV file: {one_line(e)}") from None


def iter_jobs(run_dir, columns, chunk_rows=JOBS_CHUNK_ROWS):
    """jobs.csv (or .gz) in DataFrames of at most chunk_rows rows, only `columns` read, so files of
    millions of jobs fit in memory. Text columns as str (empty -> NaN), the others as float."""
    path = find_output(run_dir, "jobs.csv")
    require_columns(path, columns)
    try:
        reader = pd.read_csv(path, usecols=columns, dtype=_csv_dtypes(columns, TEXT_COLUMNS),
                             keep_default_na=False, na_values=[""], chunksize=chunk_rows)
        with reader:
            for chunk in reader:
                yield chunk
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, pd.errors.ParserError,
            ValueError) as e:
        raise InputError(path, f"not a readable CSV file: {one_line(e)}") from None


# ---------------------------------------------------------------------------------------------
# Derived figures


def site_capacity(run_dir, summary):
    """Installed cores and GPUs per site as a DataFrame (index site name, columns cores, gpus), or
    None when unknown: the denominators of the engine's utilizations, i.e. the cores of the CPU
    servers (node types without GPUs) and the GPUs of the GPU servers. Taken from summary.json
    sites[] when it has the fields (cores, gpus), else from scenario.json in the run folder (nodes
    x node type), else None."""
    sites = summary["sites"]
    for ck, gk in (("cores", "gpus"), ("cores_total", "gpus_total")):
        if sites and all(isinstance(s.get(ck), (int, float)) for s in sites):
            return pd.DataFrame({"cores": [float(s[ck]) for s in sites],
                                 "gpus": [float(s.get(gk) or 0) for s in sites]},
                                index=[s["name"] for s in sites])
    scenario = read_scenario(run_dir)
    if not isinstance(scenario, dict):
        return None
    try:
        types = {t["name"]: t for t in scenario["node_types"]}
        by_site = {}
        for st in scenario["sites"]:
            cores = gpus = 0.0
            for n in st.get("nodes", []):
                t = types[n["type"]]
                if float(t.get("gpus", 0)) > 0:  # GPU servers form the GPU pool; their cores serve it
                    gpus += float(n["count"]) * float(t["gpus"])
                else:
                    cores += float(n["count"]) * float(t.get("cores", 0))
            by_site[st["name"]] = (cores, gpus)
        rows = [by_site[s["name"]] for s in sites]
    except (KeyError, TypeError, ValueError):
        return None  # an older or unexpected scenario.json: fall back to the plain mean
    return pd.DataFrame(rows, columns=["cores", "gpus"], index=[s["name"] for s in sites])


def number_or_nan(x):
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else math.nan


# The figures compared across runs; the same definitions as the sweep's metrics (sim/sweep/Sweep.cpp).
RUN_METRICS = [
    ("it_energy_mwh", "IT energy", "MWh"),
    ("facility_energy_mwh", "Facility energy", "MWh"),
    ("pue", "PUE", ""),
    ("carbon_t", "Carbon", "t CO2"),
    ("mean_wait_s", "Mean wait, completed non-latency-critical jobs", "s"),
]


def run_metrics(summary):
    """IT and facility energy (MWh), PUE, carbon (t) and the mean wait (s) of the completed jobs of
    the non-latency-critical classes (class mean waits weighted by completions), from summary.json."""
    t = summary["totals"]
    waited = completed = 0.0
    for c in summary["classes"]:
        done = number_or_nan(c.get("completed"))
        wait = c.get("wait_s")
        if c.get("kind", "") != "latency_critical" and done > 0 and isinstance(wait, dict):
            waited += number_or_nan(wait.get("mean")) * done
            completed += done
    return {
        "it_energy_mwh": number_or_nan(t.get("it_energy_j")) / 3.6e9,
        "facility_energy_mwh": number_or_nan(t.get("facility_energy_j")) / 3.6e9,
        "pue": number_or_nan(t.get("pue")),
        "carbon_t": number_or_nan(t.get("carbon_kg")) / 1000,
        "mean_wait_s": waited / completed if completed > 0 else math.nan,
    }


def time_axis(max_time_s):
    """(divisor, unit) for a time axis: minutes up to 2 h, hours up to 3 days, days beyond."""
    if max_time_s <= 2 * 3600:
        return 60.0, "min"
    if max_time_s <= 72 * 3600:
        return 3600.0, "h"
    return 86400.0, "d"


def power_unit(max_w):
    """(divisor, unit) for power in W."""
    for div, unit in ((1e9, "GW"), (1e6, "MW"), (1e3, "kW")):
        if max_w >= div:
            return div, unit
    return 1.0, "W"


# ---------------------------------------------------------------------------------------------
# Figures


def new_figure(width=10.0, height=5.5, ncols=1):
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, axes


def save_figure(fig, out_dir, stem, svg=False):
    """Writes out_dir/stem.png (and .svg) without timestamps, each under a temporary name renamed
    into place; returns the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    written = []
    formats = [("png", PNG_METADATA)] + ([("svg", SVG_METADATA)] if svg else [])
    for ext, metadata in formats:
        final = os.path.join(out_dir, f"{stem}.{ext}")
        tmp = final + ".partial"
        try:
            with open(tmp, "wb") as f:
                fig.savefig(f, format=ext, metadata=metadata)
            os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        written.append(final)
    plt.close(fig)
    return written


def write_csv_atomically(df, path, **kwargs):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".partial"
    try:
        with open(tmp, "w", newline="") as f:
            df.to_csv(f, index=False, **kwargs)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
