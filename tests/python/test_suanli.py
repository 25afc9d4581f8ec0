"""The Python module `suanli` against the CLI it shares its engine with (run by ctest as python.module).

Environment (set by tests/CMakeLists.txt): PYTHONPATH=build/python, SUANLI_BINARY=build/suanli,
SUANLI_SOURCE_DIR=the project folder.
"""
import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import suanli

SRC = os.environ.get("SUANLI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("SUANLI_BINARY", os.path.join(SRC, "build", "suanli"))
SMALL = os.path.join(SRC, "scenarios", "teaching-small.json")
HORIZON = 300


def cli(*args, check=True):
    p = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=SRC)
    if check and p.returncode != 0:
        raise AssertionError(f"suanli {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


@pytest.fixture(scope="module")
def small():
    return suanli.load(SMALL)


def test_check_is_the_cli_report(small):
    report = small.check()
    assert report == json.loads(cli("check", SMALL, "--json").stdout)
    assert small.name == "teaching-small"


def test_set_follows_the_cli_rules():
    sc = suanli.load(SMALL).set("/workload/classes/*/placement", "round_robin")
    assert {c["placement"] for c in sc.document()["workload"]["classes"]} == {"round_robin"}
    assert {c["placement"] for c in sc.resolved()["workload"]["classes"]} == {"round_robin"}
    # An edit that cannot apply: the same one-line message as --set.
    with pytest.raises(suanli.ScenarioError) as e:
        sc.set("/sites/99/racks", 3)
    line = cli("check", SMALL, "--set", "/sites/99/racks=3", check=False).stderr.strip()
    assert line == "error: " + str(e.value)
    assert e.value.pointer == "/sites/99/racks"


def test_invalid_value_gives_the_cli_message_and_pointer():
    sc = suanli.load(SMALL).set("/sites/1/racks", -4)
    with pytest.raises(suanli.ScenarioError) as e:
        sc.validate()
    p = cli("check", SMALL, "--set", "/sites/1/racks=-4", check=False)
    assert p.returncode == 2
    assert [l for l in p.stderr.splitlines() if l.startswith("error: ")] == ["error: " + l for l in str(e.value).splitlines()]
    assert e.value.pointer.startswith("/sites/1/racks")
    assert e.value.file == SMALL
    with pytest.raises(suanli.ScenarioError):
        suanli.run(sc, horizon_s=60)


def test_bad_file_and_dict(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1, "name": "x",\n  "cities": [}\n')
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.load(str(bad))
    assert e.value.file == str(bad)
    assert str(e.value) == cli("check", str(bad), check=False).stderr.strip()[len("error: "):]
    doc = json.load(open(SMALL))
    doc["sites"][0]["city"] = "atlantis"
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.load(doc)
    assert e.value.file == "<dict>" and e.value.pointer == "/sites/0/city"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same run from Python (writing outputs) and from the CLI."""
    base = tmp_path_factory.mktemp("runs")
    py = suanli.run(suanli.load(SMALL), seed=3, horizon_s=HORIZON, outputs=str(base / "py"))
    cli("run", SMALL, "-o", str(base / "cli"), "--seed", "3", "--horizon-s", str(HORIZON), "--no-progress")
    return py, base


def test_outputs_are_the_cli_bytes(runs):
    _, base = runs
    names = sorted(os.listdir(base / "cli"))
    assert names == sorted(os.listdir(base / "py"))
    assert {"summary.json", "jobs.csv", "timeseries.csv", "scenario.json"} <= set(names)
    for name in names:
        assert (base / "py" / name).read_bytes() == (base / "cli" / name).read_bytes(), name


def test_in_memory_results_match_the_files(runs):
    r, base = runs
    assert r.summary == json.load(open(base / "cli" / "summary.json"))
    jobs = pd.read_csv(base / "cli" / "jobs.csv", keep_default_na=False, na_values=[""])
    assert len(r.jobs) == len(jobs) == r.summary["jobs"]["submitted"] > 1000
    assert list(r.jobs.columns) == list(jobs.columns)
    for col in ["id", "cores", "gpus"]:
        assert (r.jobs[col].to_numpy() == jobs[col].to_numpy()).all(), col
    for col in ["class", "kind", "origin", "site", "outcome", "reason"]:
        assert (r.jobs[col].astype(object).fillna("").to_numpy() == jobs[col].fillna("").astype(str).to_numpy()).all(), col
    for col in ["submit_s", "start_s", "end_s", "wait_s", "runtime_s", "network_rtt_s", "budget_s", "energy_j"]:
        np.testing.assert_allclose(r.jobs[col].to_numpy(), jobs[col].to_numpy(dtype=float), rtol=1e-9, atol=1e-12,
                                   err_msg=col)
    for col in ["budget_met", "deadline_met"]:
        mine = r.jobs[col].astype("float").to_numpy()
        np.testing.assert_array_equal(mine, jobs[col].to_numpy(dtype=float), err_msg=col)
    ts = pd.read_csv(base / "cli" / "timeseries.csv")
    assert len(r.timeseries) == len(ts) > 0
    assert (r.timeseries["site"].astype(str).to_numpy() == ts["site"].to_numpy()).all()
    for col in ["time_s", "running", "queued"]:
        assert (r.timeseries[col].to_numpy() == ts[col].to_numpy()).all(), col
    # The CSV rounds power to 3 decimals and utilization to 6.
    np.testing.assert_allclose(r.timeseries["facility_w"], ts["facility_w"], atol=1e-3)
    np.testing.assert_allclose(r.timeseries["cpu_utilization"], ts["cpu_utilization"], atol=1e-6)


def test_several_runs_in_one_process(small):
    a = suanli.run(small, seed=5, horizon_s=120, jobs=False)
    b = suanli.run(small, seed=6, horizon_s=120, jobs=False)
    c = suanli.run(small, seed=5, horizon_s=120, jobs=False)
    assert a.jobs is None and len(a.timeseries) > 0
    assert a.summary == c.summary  # same seed: same result, whatever ran before in this process
    assert a.summary["jobs"]["submitted"] != b.summary["jobs"]["submitted"]
    assert a.summary["simulated_s"] == pytest.approx(120, abs=60)
    # The SimGrid executor (one simulation per process in SimGrid) twice: each run is a fresh child.
    g1 = suanli.run(small, seed=5, horizon_s=120, jobs=False, engine="simgrid")
    g2 = suanli.run(small, seed=5, horizon_s=120, jobs=False, engine="simgrid")
    assert g1.summary == g2.summary and g1.summary["engine"] == "simgrid"
    assert g1.summary["jobs"] == a.summary["jobs"]


def test_interrupt_stops_the_run_and_the_next_one_works():
    import signal
    import threading
    sc = suanli.load(os.path.join(SRC, "scenarios", "teaching-contrast.json"))
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        suanli.run(sc, horizon_s=86400 * 3, jobs=False)  # about 20 s of work if not interrupted
    timer.join()
    assert suanli.run(sc, horizon_s=60, jobs=False).summary["jobs"]["submitted"] > 0


def least_loaded(request, sites):
    """least_loaded of sim/policy/placement/least_loaded.cpp, in Python."""
    best, best_key = None, 0.0
    for s in sites:
        if not s.eligible or (request.budget_rtt_s > 0 and 2 * s.latency_s > request.budget_rtt_s * (1 + 1e-12)):
            continue
        gpu = request.gpus > 0 and s.gpus_total > 0
        on = (s.gpus_total - s.gpus_off) if gpu else (s.cores_total - s.cores_off)
        need = request.gpus if gpu else request.cores
        key = math.inf if on <= 0 else (on - (s.gpus_free if gpu else s.cores_free) + s.queued * need) / on
        if best is None or key < best_key or (key == best_key and s.latency_s < best.latency_s):
            best, best_key = s, key
    return best


def test_python_policy_makes_the_same_decisions_as_cpp(small):
    suanli.register_placement("py_least_loaded", least_loaded)
    assert "py_least_loaded" in suanli.placement_names()
    cpp = suanli.load(SMALL).set("/workload/classes/*/placement", "least_loaded")
    pyl = suanli.load(SMALL).set("/workload/classes/*/placement", "py_least_loaded")
    a = suanli.run(cpp, seed=4, horizon_s=HORIZON)
    b = suanli.run(pyl, seed=4, horizon_s=HORIZON)
    pd.testing.assert_frame_equal(a.jobs, b.jobs)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)


def test_engine_enforces_eligibility_and_none_rejects(small):
    calls = []

    def to_one_site(request, sites):
        calls.append(len(sites))
        return "edge-putian-chengxiang"  # not eligible for GPU or HPC jobs, nor within every budget

    suanli.register_placement("py_one_site", to_one_site)
    r = suanli.run(suanli.load(SMALL).set("/workload/classes/*/placement", "py_one_site"), seed=2, horizon_s=60)
    placed = r.jobs[r.jobs["outcome"] != "rejected"]
    assert len(placed) > 0 and set(placed["site"].astype(str)) == {"edge-putian-chengxiang"}
    rejected = r.jobs[r.jobs["outcome"] == "rejected"]
    assert len(rejected) > 0 and set(rejected["reason"].astype(str)) <= {"no_capacity", "budget"}
    assert calls == []  # the calls happened in the run's child process, not here

    suanli.register_placement("py_none", lambda request, sites: None)
    r = suanli.run(suanli.load(SMALL).set("/workload/classes/*/placement", "py_none"), seed=2, horizon_s=60)
    assert (r.jobs["outcome"] == "rejected").all() and r.summary["jobs"]["completed"] == 0


def test_failing_policy_raises(small):
    def broken(request, sites):
        raise KeyError("no such thing")

    suanli.register_placement("py_broken", broken)
    with pytest.raises(suanli.PolicyError, match="no such thing"):
        suanli.run(suanli.load(SMALL).set("/workload/classes/*/placement", "py_broken"), horizon_s=60)
    suanli.register_placement("py_number", lambda request, sites: 3)
    with pytest.raises(suanli.PolicyError, match="returned a int"):
        suanli.run(suanli.load(SMALL).set("/workload/classes/*/placement", "py_number"), horizon_s=60)
    with pytest.raises(ValueError, match="built-in"):
        suanli.register_placement("nearest", least_loaded)
    # An unknown name is refused like the CLI refuses it.
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.load(SMALL).set("/workload/classes/0/placement", "py_unknown").validate()
    assert e.value.pointer == "/workload/classes/0/placement"


def test_pue_and_capacity_are_the_cli_reports(small):
    assert suanli.pue(small) == json.loads(cli("pue", SMALL, "--json").stdout)
    assert suanli.pue(small, it_load=0.6) == json.loads(cli("pue", SMALL, "--json", "--it-load", "0.6").stdout)
    assert suanli.capacity(small) == json.loads(cli("capacity", SMALL, "--json").stdout)


def test_sweep_returns_the_summary_table(tmp_path):
    spec = {"name": "py-sweep", "scenario": SMALL, "seed": 1, "replications": 2,
            "set": {"/horizon_s": 60},
            "axes": [{"name": "policy", "pointer": "/workload/classes/*/placement",
                      "values": ["least_loaded", "nearest"]}]}
    table = suanli.sweep(spec, str(tmp_path / "sweep"), jobs=2)
    assert list(table["policy"]) == ["least_loaded", "nearest"]
    assert list(table["n"]) == [2, 2]
    runs = pd.read_csv(tmp_path / "sweep" / "runs.csv")
    assert len(runs) == 4 and (runs["status"] == "ok").all()
    assert table.attrs["failed_runs"] is False


def test_sweep_with_a_python_policy_gives_the_single_runs(tmp_path):
    """Runs in children forked from this process: each run's folder is what suanli.run gives for its seed."""
    suanli.register_placement("py_in_sweep", least_loaded)
    spec = {"name": "py-seeds", "scenario": SMALL, "seed": 11, "replications": 3, "set": {"/horizon_s": 120},
            "axes": [{"name": "policy", "pointer": "/workload/classes/*/placement", "values": ["py_in_sweep"]}]}
    out = tmp_path / "sweep"
    table = suanli.sweep(spec, str(out), jobs=2)
    assert list(table["policy"]) == ["py_in_sweep"] and list(table["n"]) == [3]
    assert table.attrs["failed_runs"] is False
    runs = pd.read_csv(out / "runs.csv")
    assert list(runs["seed"]) == [11, 12, 13] and (runs["status"] == "ok").all()
    sc = suanli.load(SMALL).set("/workload/classes/*/placement", "py_in_sweep")
    completed = []
    for _, row in runs.iterrows():
        single = suanli.run(sc, seed=int(row["seed"]), horizon_s=120)
        assert json.load(open(out / "runs" / row["run"] / "summary.json")) == single.summary, row["run"]
        assert row["completed"] == single.summary["jobs"]["completed"]
        assert row["submitted"] == single.summary["jobs"]["submitted"]
        completed.append(single.summary["jobs"]["completed"])
    assert len(set(completed)) > 1  # the seeds differ, and each row is its own seed's
    assert table["completed_mean"][0] == pytest.approx(np.mean(completed))
    # The folder is a sweep folder: it refuses a second sweep, and resume finds every run done.
    with pytest.raises(suanli.ScenarioError, match="--resume"):
        suanli.sweep(spec, str(out))
    pd.testing.assert_frame_equal(suanli.sweep(spec, str(out), resume=True), table)
    # The same sweep file with a built-in policy runs through `suanli sweep`; its tables have the same form.
    spec["axes"][0]["values"] = ["least_loaded"]
    builtin = suanli.sweep(spec, str(tmp_path / "builtin"), jobs=2)
    assert list(builtin.columns) == list(table.columns)
    assert list(pd.read_csv(tmp_path / "builtin" / "runs.csv").columns) == list(runs.columns)


def test_sweep_with_a_failing_python_policy_records_failed_runs(tmp_path):
    def broken(request, sites):
        raise KeyError("no such site")

    suanli.register_placement("py_broken_in_sweep", broken)
    spec = {"name": "py-broken", "scenario": SMALL, "replications": 2, "set": {"/horizon_s": 60},
            "axes": [{"name": "policy", "pointer": "/workload/classes/*/placement",
                      "values": ["py_broken_in_sweep", "nearest"]}]}
    table = suanli.sweep(spec, str(tmp_path / "sweep"), jobs=2)
    assert table.attrs["failed_runs"] is True
    runs = pd.read_csv(tmp_path / "sweep" / "runs.csv")
    assert list(runs["status"]) == ["failed", "failed", "ok", "ok"]
    assert runs["error"][0].find("no such site") >= 0
    assert list(table["n"]) == [0, 2]


def test_run_at_a_growth_month_is_the_cli_run(tmp_path):
    growth = os.path.join(SRC, "scenarios", "teaching-growth.json")
    r = suanli.run(growth, seed=2, horizon_s=120, growth_month=24, outputs=str(tmp_path / "py"))
    cli("run", growth, "-o", str(tmp_path / "cli"), "--seed", "2", "--horizon-s", "120", "--growth-month", "24",
        "--no-progress")
    assert r.summary == json.load(open(tmp_path / "cli" / "summary.json"))
    assert (tmp_path / "py" / "scenario.json").read_bytes() == (tmp_path / "cli" / "scenario.json").read_bytes()
    month0 = suanli.run(growth, seed=2, horizon_s=120)
    assert r.summary != month0.summary  # month 24 is another network and demand
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.run(SMALL, horizon_s=60, growth_month=3)
    assert e.value.pointer == "/growth"
    with pytest.raises(ValueError, match="growth_month"):
        suanli.run(growth, horizon_s=60, growth_month=-1)
    with pytest.raises(ValueError, match="growth_month"):
        suanli.run(growth, horizon_s=60, growth_month=1.5)


def test_run_with_outages_is_the_cli_run(tmp_path):
    site = suanli.load(SMALL).document()["sites"][0]["name"]
    r = suanli.run(SMALL, seed=2, horizon_s=300, outages=[f"{site}:60:240"], outputs=str(tmp_path / "py"))
    cli("run", SMALL, "-o", str(tmp_path / "cli"), "--seed", "2", "--horizon-s", "300", "--outage", f"{site}:60:240",
        "--no-progress")
    assert r.summary == json.load(open(tmp_path / "cli" / "summary.json"))
    # The tuple form is the same outage.
    t = suanli.run(SMALL, seed=2, horizon_s=300, outages=[(site, 60, 240)])
    assert t.summary == r.summary
    plain = suanli.run(SMALL, seed=2, horizon_s=300)
    assert plain.summary != r.summary
    assert not r.jobs[(r.jobs["site"] == site) & (r.jobs["start_s"] > 61) & (r.jobs["start_s"] < 239)].shape[0]
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.run(SMALL, horizon_s=60, outages=["nowhere"])
    line = cli("run", SMALL, "-o", str(tmp_path / "bad"), "--outage", "nowhere", check=False).stderr.strip()
    assert line == "error: --outage: nowhere: " + e.value.message  # the CLI names its option, Python its argument
    assert e.value.file == "outages" and e.value.pointer == "nowhere"
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.run(SMALL, horizon_s=60, outages=["atlantis:1:2"])
    assert e.value.pointer.startswith("/outages/0")


def test_walkthrough_example_runs(tmp_path):
    """analysis/python_policy.py (docs/python.md), shortened: 3 policies x 2 seeds, a CSV and a PNG."""
    import sys
    out = tmp_path / "py-policy"
    p = subprocess.run([sys.executable, os.path.join(SRC, "analysis", "python_policy.py"), "--hours", "0.1",
                        "--seeds", "2", "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 0, p.stderr
    table = pd.read_csv(out / "python_policy.csv")
    assert list(table["policy"]) == ["low_carbon_fit"] * 2 + ["least_loaded"] * 2 + ["carbon_aware"] * 2
    assert table["facility_mwh"].gt(0).all() and table["budget_met"].between(0, 1).all()
    # Different policies place differently: not every policy's energy is the same.
    assert table.groupby("policy")["facility_mwh"].mean().nunique() > 1
    assert (out / "python_policy.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
