"""suanli from Python: scenarios, runs, annual PUE, capacity, sweeps, placement policies and queue
disciplines in Python.

    import suanli
    sc = suanli.load("scenarios/teaching-small.json")
    sc.set("/workload/classes/*/placement", "least_loaded")
    r = suanli.run(sc, seed=2, horizon_s=900)
    r.summary["jobs"], r.jobs.head(), r.timeseries.head()

Every run (and every PUE year and capacity study) executes in a child process forked for it:
SimGrid allows one simulation per process, so this is what lets a script run many. The walk-through
is docs/python.md.
"""

import json
import os
import subprocess
import tempfile

from . import _core
from ._errors import InternalError, PolicyError, ScenarioError

__all__ = ["load", "run", "pue", "capacity", "sweep", "register_placement", "placement_names", "register_queue",
           "queue_names", "policies", "Stepper", "Scenario", "Result", "ScenarioError", "PolicyError", "InternalError",
           "version"]

version = _core.version
_python_policies = {}
_python_queues = {}


class Scenario:
    """A scenario as loaded, with the edits made to it since (``set``)."""

    def __init__(self, core):
        self._core = core

    @property
    def path(self):
        """The file it was read from, or "<dict>"."""
        return self._core.path

    @property
    def name(self):
        return self._core.name

    @property
    def warnings(self):
        """Warnings of the last read (unknown fields, with ``lenient=True``)."""
        return list(self._core.warnings)

    def set(self, pointer, value):
        """Puts ``value`` (a Python value: dict, list, str, number, bool or None) at the JSON pointer,
        by the rules of ``suanli run --set``: "*" stands for every element of an array
        (``/workload/classes/*/placement``), "-" appends. Raises ScenarioError naming the pointer when
        it cannot apply. The edited scenario is read again (and errors in it raised) when it is used
        (check, run, ...) or by ``validate()``, so edits that only make sense together can be made one
        by one. Returns the scenario."""
        self._core.set(pointer, value)
        return self

    def validate(self):
        """Reads the scenario as edited; raises ScenarioError (every validation error) when it is invalid."""
        self._core.validate()
        return self

    def document(self):
        """The scenario document as edited (a dict, as in the file)."""
        return self._core.document()

    def resolved(self):
        """The scenario with every default filled in (what ``suanli show`` prints), as a dict."""
        return self._core.resolved()

    def check(self):
        """The latency-circle report (what ``suanli check --json`` prints), as a dict."""
        return self._core.check()

    def __repr__(self):
        return f"<suanli.Scenario {self.name!r} from {self.path}>"


def load(path_or_dict, lenient=False):
    """Reads and validates a scenario file (a path) or document (a dict; relative file paths in it are
    then relative to the current folder). Raises ScenarioError with the CLI's message."""
    if isinstance(path_or_dict, Scenario):
        return Scenario(_core.load_dict(path_or_dict.document(), lenient, path_or_dict.path))
    if isinstance(path_or_dict, dict):
        core = _core.load_dict(path_or_dict, lenient)
    else:
        core = _core.load_file(os.fspath(path_or_dict), lenient)
    return Scenario(core)


def _scenario(s):
    return s if isinstance(s, Scenario) else load(s)


class Result:
    """A finished run: ``summary`` (dict, what summary.json holds), ``jobs`` and ``timeseries``
    (pandas DataFrames with the columns of jobs.csv and timeseries.csv, from memory), ``outputs``
    (the folder written, or None)."""

    def __init__(self, raw, outputs, keep_jobs):
        self.summary = raw["summary"]
        self.outputs = outputs
        self._raw = raw
        self._keep_jobs = keep_jobs
        self._jobs = None
        self._timeseries = None

    @property
    def jobs(self):
        """One row per job (None when run with jobs=False). Times in seconds; NaN where jobs.csv is empty."""
        if not self._keep_jobs:
            return None
        if self._jobs is None:
            self._jobs = _jobs_frame(self._raw)
        return self._jobs

    @property
    def timeseries(self):
        """One row per site and sampling interval."""
        if self._timeseries is None:
            self._timeseries = _timeseries_frame(self._raw)
        return self._timeseries

    def __repr__(self):
        j = self.summary["jobs"]
        return (f"<suanli.Result {self.summary['scenario']} seed {self.summary['seed']}: {j['submitted']} jobs, "
                f"{j['completed']} completed>")


def _categorical(codes, names):
    import pandas as pd
    return pd.Categorical.from_codes(codes, categories=list(names)) if len(set(names)) == len(names) else \
        pd.Series([names[c] if c >= 0 else None for c in codes], dtype="object")


def _flag(values):
    import pandas as pd
    s = pd.array(values == 1, dtype="boolean")
    s[values < 0] = pd.NA
    return s


def _jobs_frame(raw):
    import pandas as pd
    j = raw["jobs"]
    kinds = raw["class_kinds"]
    cls = j["class"]
    trace = pd.array(j["trace_id"], dtype="Int64")
    trace[j["trace_id"] < 0] = pd.NA
    return pd.DataFrame({
        "id": j["id"],
        "class": _categorical(cls, raw["classes"]),
        "kind": pd.Categorical([kinds[c] for c in cls]) if len(cls) else pd.Categorical([]),
        "origin": _categorical(j["origin"], raw["origins"]),
        "site": _categorical(j["site"], raw["sites"]),
        "submit_s": j["submit_s"],
        "start_s": j["start_s"],
        "end_s": j["end_s"],
        "wait_s": j["wait_s"],
        "runtime_s": j["runtime_s"],
        "cores": j["cores"],
        "gpus": j["gpus"],
        "network_rtt_s": j["network_rtt_s"],
        "budget_s": j["budget_s"],
        "budget_met": _flag(j["budget_met"]),
        "deadline_met": _flag(j["deadline_met"]),
        "weight": j["weight"],
        "energy_j": j["energy_j"],
        "outcome": _categorical(j["outcome"], raw["outcomes"]),
        "reason": _categorical(j["reason"], raw["reasons"]),
        "trace_id": trace,
    })


def _timeseries_frame(raw):
    import pandas as pd
    t = raw["timeseries"]
    columns = {"time_s": t["time_s"], "site": _categorical(t["site"], raw["sites"])}
    for name in ["cpu_utilization", "gpu_utilization", "running", "queued", "it_power_w", "loss_w", "cooling_w",
                 "overhead_w", "facility_w", "pue", "free_cooling", "dry_bulb_c", "wet_bulb_c", "carbon_kg_per_h"]:
        columns[name] = t[name]
    return pd.DataFrame(columns)


def _outage_text(outage):
    """An outage as --outage takes it: "SITE:START_S:END_S", or a (site, start_s, end_s) tuple."""
    if isinstance(outage, str):
        return outage
    if isinstance(outage, (tuple, list)) and len(outage) == 3:
        site, start, end = outage
        return f"{site}:{float(start)!r}:{float(end)!r}"
    raise TypeError(f"outages: expected \"SITE:START_S:END_S\" or (site, start_s, end_s), got {outage!r}")


def run(scenario, seed=None, horizon_s=None, outputs=None, jobs=True, engine="exact", gzip=False,
        decision_log=False, growth_month=None, outages=()):
    """Simulates the scenario (a Scenario, path or dict) as ``suanli run`` does, in a child process.

    seed, horizon_s: as --seed and --horizon-s (None: the scenario's). outputs: a folder to also write
    summary.json, jobs.csv, timeseries.csv and scenario.json into, byte for byte what ``suanli run -o``
    writes (gzip, decision_log: as --gzip and --decision-log); None writes nothing. jobs=False keeps
    no per-job records (big runs): ``Result.jobs`` is then None. engine: "exact" or "simgrid".
    growth_month: as --growth-month, the scenario as it stands at that month of its growth section.
    outages: as --outage, each "SITE:START_S:END_S" or (site, start_s, end_s), added to the scenario's.
    Returns a Result. Raises ScenarioError (bad input), PolicyError (a Python policy failed)."""
    sc = _scenario(scenario)
    out = "" if outputs is None else os.fspath(outputs)
    growth_month, texts = _run_arguments(growth_month, outages)
    raw = _core.run(sc._core, seed, horizon_s, out, bool(jobs), engine, bool(gzip), bool(decision_log), growth_month,
                    texts)
    return Result(raw, outputs, bool(jobs))


def _run_arguments(growth_month, outages):
    """growth_month and outages of run() and Stepper(), checked and in the CLI's form."""
    if isinstance(outages, str) or (isinstance(outages, tuple) and len(outages) == 3 and
                                    isinstance(outages[1], (int, float))):
        outages = [outages]  # one outage given alone
    texts = [_outage_text(o) for o in outages]
    if growth_month is not None:
        if isinstance(growth_month, bool) or not float(growth_month).is_integer():
            raise ValueError(f"growth_month: expected a whole number of months >= 0, got {growth_month!r}")
        growth_month = int(growth_month)
    return growth_month, texts


class Stepper:
    """A run paused between events, driven from Python: the engine's stepping (``suanli step``,
    docs/engine.md) in a child process forked for it.

        st = suanli.Stepper(sc, seed=2)
        st.advance(600)                 # every event up to t = 600 s
        st.set_placement("nearest")     # from now on, every class
        st.interval()                   # up to the next sampling instant
        result = st.finish()            # to the end: a Result, as suanli.run returns

    ``state`` is the state after the last command (a dict: t_s, events, finished, per-site figures,
    totals, the time-series rows and placement decisions recorded since the command before);
    ``layout`` what does not change (sites, cities, links, classes, horizon). The arguments are
    suanli.run's; ``full_horizon=True`` simulates up to the horizon even when no work is left;
    ``jobs=False`` without ``outputs`` keeps no tables (the result then has the summary alone).
    Python policies and queue disciplines registered before the Stepper is made can be used.
    Raises ScenarioError (bad input), PolicyError (a Python policy failed: the run is over)."""

    def __init__(self, scenario, seed=None, horizon_s=None, outputs=None, engine="exact", growth_month=None,
                 outages=(), full_horizon=False, jobs=True):
        sc = _scenario(scenario)
        growth_month, texts = _run_arguments(growth_month, outages)
        self._outputs = outputs
        self._child = None
        # Without an outputs folder, the run writes into a temporary one that finish() reads and removes.
        self._tmp = tempfile.mkdtemp(prefix="suanli-step-") if outputs is None and jobs else None
        folder = self._tmp if self._tmp else ("" if outputs is None else os.fspath(outputs))
        try:
            self._child = _core.StepChild(sc._core, seed, horizon_s, folder, engine, growth_month, texts,
                                          bool(full_horizon))
        except BaseException:
            self._remove_tmp()
            raise
        first = json.loads(self._child.start())
        self.layout = first["layout"]
        self.state = first["state"]
        self.result = None

    def _do(self, command):
        if self.result is not None:
            raise ValueError("the stepped run is finished (finish() was called)")
        reply = json.loads(self._child.command(json.dumps(command)))
        if not reply.get("ok"):
            raise ValueError(reply.get("error", "the command failed"))
        self.state = reply["state"]
        return reply

    def step(self, n=1):
        """Handles the next n events (an arrival, a completion, a timer, a transfer's end or a sampling
        instant each count as one). Returns the state."""
        return self._do({"op": "step", "events": int(n)})["state"]

    def advance(self, to_s):
        """Handles every event at times <= to_s. Returns the state."""
        return self._do({"op": "advance", "to_s": float(to_s)})["state"]

    def interval(self):
        """Handles every event up to and including the next sampling instant. Returns the state."""
        return self._do({"op": "interval"})["state"]

    def set_placement(self, name, cls="*"):
        """From now on, class ``cls`` ("*": every class) places its jobs with policy ``name``
        (built-in, or registered from Python). ValueError for an unknown class or policy."""
        return self._do({"op": "set", "placement": name, "class": cls})["state"]

    def set_queue(self, name):
        """From now on, every site's queues use discipline ``name``. ValueError when unknown."""
        return self._do({"op": "set", "queue": name})["state"]

    def finish(self):
        """Runs to the end, writes the outputs (if ``outputs`` was given) and returns a Result: its
        summary is what suanli.run gives for the same scenario and seed; ``jobs`` and ``timeseries``
        are the run's jobs.csv and timeseries.csv read into DataFrames (None with jobs=False and no
        ``outputs``)."""
        if self.result is not None:
            return self.result
        if not self.state.get("finished"):
            self._do({"op": "finish"})
        summary = self._child.close()  # the run's end: its summary, the child reaped
        self.result = _SteppedResult(json.loads(summary), self._outputs, self._tmp)
        self._remove_tmp()
        return self.result

    def _remove_tmp(self):
        if self._tmp:
            import shutil
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def close(self):
        """Abandons the run (no outputs) and ends its child process."""
        if self._child is not None:
            self._child.kill()
        self._remove_tmp()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_child", None) is not None:
            self.close()


class _SteppedResult(Result):
    """A Result of a stepped run: the summary, and the tables of the run folder it wrote (read at once
    from a temporary folder, which is then removed)."""

    def __init__(self, summary, outputs, tmp=None):
        self.summary = summary
        self.outputs = outputs
        self._folder = tmp or outputs
        self._jobs = None
        self._timeseries = None
        if tmp:
            self._jobs, self._timeseries = self._read("jobs"), self._read("timeseries")

    def _read(self, name):
        import pandas as pd
        if self._folder is None:
            return None
        for file in (name + ".csv", name + ".csv.gz"):
            path = os.path.join(os.fspath(self._folder), file)
            if os.path.exists(path):
                return pd.read_csv(path, keep_default_na=False, na_values=[""], low_memory=False)
        return None

    @property
    def jobs(self):
        if self._jobs is None:
            self._jobs = self._read("jobs")
        return self._jobs

    @property
    def timeseries(self):
        if self._timeseries is None:
            self._timeseries = self._read("timeseries")
        return self._timeseries


def pue(scenario, it_load=None, it_diurnal_amplitude=0.0):
    """The annual PUE report (what ``suanli pue --json`` prints) as a dict. it_load: as --it-load (a share
    of rated IT power; None: the load the scenario's workload implies)."""
    return _core.pue(_scenario(scenario)._core, it_load, float(it_diurnal_amplitude))


def capacity(scenario, growth=False, from_run=None, min_budget_attainment=0.99):
    """Capacity headroom per site and province (``suanli capacity --json``), or with growth=True the
    month-by-month growth study (``suanli capacity --growth --json``), as a dict. from_run: a run folder
    whose measured usage replaces the workload's estimate (as --from)."""
    return _core.capacity(_scenario(scenario)._core, bool(growth), "" if from_run is None else os.fspath(from_run),
                          float(min_budget_attainment))


def register_placement(name, fn, summary=""):
    """Registers a placement policy written in Python under ``name``; scenarios then accept it as a class's
    placement (``sc.set("/workload/classes/*/placement", name)``) in ``suanli.run``.

    ``fn(request, sites)`` is called for every placement decision. ``request`` describes the job
    (job_id, job_class, kind, cores, gpus, runtime_s, submit_s, deadline_s, weight, origin) and the
    moment (now_s, budget_rtt_s, deferrable); ``sites`` is the list of site views (name, city, kind,
    index, eligible, latency_s, cores_total/free/off, gpus_total/free/off, queued, running,
    liquid_share, job_it_w, facility_w_per_it_w, carbon_kg_per_kwh), read-only and valid during the
    call. Return one of the views, a site name, or None (reject the job). The engine still enforces
    eligibility, capacity (the job queues at the site) and the latency budget. Returns fn."""
    if not callable(fn):
        raise TypeError("register_placement: fn must be callable as fn(request, sites)")
    _core.register_placement(name, fn, summary)
    _python_policies[name] = fn
    return fn


def placement_names():
    """Built-in placement policies, then those registered from Python."""
    return list(_core.placement_names())


def register_queue(name, fn, backfill=False, summary=""):
    """Registers a queue discipline written in Python under ``name``; scenarios then accept it as
    ``/scheduling/queue`` (``sc.set("/scheduling/queue", name)``) in ``suanli.run`` and ``suanli.sweep``.

    Every site pool (the CPU hosts, the GPU hosts of a site) has its own queue. ``fn(state)`` is called
    when a job could start there (a job arrived or ended and a waiting job fits the free capacity).
    ``state`` holds ``now_s``, ``site`` (name), ``pool`` ("cpu" or "gpu"), ``cores_free``, ``gpus_free``,
    ``waiting`` (the first /scheduling/backfill_window jobs of the queue, in arrival order: id, position,
    cores, gpus, requested_s, submit_s, job_class) and ``running`` (expected_end_s, cores, gpus).
    Return the waiting jobs to start, in the order to try them: positions in ``state.waiting`` or the
    jobs themselves; an empty list starts nothing. The engine tries each in turn and starts it if the
    pool has room (a GPU job needs one host). With backfill=False it stops at the first that does not
    start (the order is a strict priority: a Python FCFS is the built-in fcfs); with backfill=True it
    goes on and starts any later one that fits. A bad return value stops the run with PolicyError.
    Returns fn."""
    if not callable(fn):
        raise TypeError("register_queue: fn must be callable as fn(state)")
    _core.register_queue(name, fn, bool(backfill), summary)
    _python_queues[name] = fn
    return fn


def queue_names():
    """Built-in queue disciplines, then those registered from Python."""
    return list(_core.queue_names())


def policies():
    """What ``suanli policies --json`` prints, with the policies and disciplines registered from Python:
    {"placement": [{"name", "summary"}], "queue": [names], "queue_summaries": [{"name", "summary"}],
    "allocation": [names], "dvfs": [names]}."""
    return _core.policies()


def _cli():
    binary = os.environ.get("SUANLI_BINARY") or os.path.join(os.path.dirname(__file__), "bin", "suanli")
    if not os.access(binary, os.X_OK):
        raise InternalError(f"the suanli command is missing at {binary} (set SUANLI_BINARY to build/suanli)")
    return binary


def _python_names_in(texts):
    """The Python-registered policies and disciplines whose quoted name appears in one of the texts."""
    names = list(_python_policies) + list(_python_queues)
    return [n for n in names if any(f'"{n}"' in t for t in texts)]


def sweep(spec, output, jobs=0, resume=False):
    """Runs a sweep into the folder ``output`` as ``suanli sweep`` does (``jobs`` runs at once; 0: one per
    core) and returns its summary table (summary.csv: one row per configuration, mean, sd and 95 % CI
    of each metric) as a DataFrame; runs.csv, results.sqlite and each run's folder are in ``output``
    too. ``spec``: a sweep file, or a dict in its format (docs/sweeps.md; its scenario path is then
    relative to the current folder). ``table.attrs["failed_runs"]`` says whether a run failed.

    A sweep whose sweep file or base scenario names a policy or queue discipline registered from
    Python runs each run in a child forked from this process (where the Python functions are), each
    executing ``suanli run`` with the sweep's arguments; any other sweep runs the ``suanli sweep``
    command. Both write the same folder. Raises ScenarioError when the sweep file is bad."""
    import pandas as pd
    output = os.fspath(output)
    with tempfile.TemporaryDirectory(prefix="suanli-sweep-") as tmp:
        if isinstance(spec, dict):
            doc = dict(spec)
            if isinstance(doc.get("scenario"), str):
                doc["scenario"] = os.path.abspath(doc["scenario"])
            path = os.path.join(tmp, "sweep.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            text = json.dumps(doc)
        else:
            path = os.fspath(spec)
            with open(path) as f:
                text = f.read()
        texts = [text]
        try:
            base = json.loads(text).get("scenario")
            if isinstance(base, str):
                with open(os.path.join(os.path.dirname(os.path.abspath(path)), base)) as f:
                    texts.append(f.read())
        except (OSError, ValueError, AttributeError):
            pass  # the sweep reports a bad sweep file or a missing scenario
        if _python_names_in(texts):
            outcome = _core.sweep(path, output, int(jobs), bool(resume))
            failed = outcome["any_failed"]
        else:
            args = [_cli(), "sweep", path, "-o", output, "-j", str(int(jobs))]
            if resume:
                args.append("--resume")
            p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if p.returncode == 2:
                lines = [l[len("error: "):] if l.startswith("error: ") else l for l in p.stderr.strip().splitlines()]
                raise ScenarioError([_split_line(l) for l in lines if l])
            if p.returncode not in (0, 1):
                raise InternalError(f"suanli sweep exited with {p.returncode}: {p.stderr.strip()}")
            failed = p.returncode == 1
    table = pd.read_csv(os.path.join(output, "summary.csv"))
    table.attrs["failed_runs"] = failed
    return table


def _split_line(line):
    """ "FILE: POINTER: MESSAGE" into its parts (the CLI's one-line error)."""
    parts = line.split(": ", 2)
    if len(parts) == 3:
        return {"file": parts[0], "pointer": parts[1], "message": parts[2], "line": line}
    return {"file": "", "pointer": "", "message": line, "line": line}
