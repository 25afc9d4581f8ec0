"""suanli.Stepper: a run paused between events, driven from Python (the `suanli step` protocol in a
forked child). Environment: as test_suanli.py."""
import json
import os

import pytest

import suanli

SRC = os.environ.get("SUANLI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SMALL = os.path.join(SRC, "scenarios", "teaching-small.json")
HORIZON = 300


def test_stepping_to_the_horizon_gives_the_run(tmp_path):
    sc = suanli.load(SMALL)
    st = suanli.Stepper(sc, seed=4, horizon_s=HORIZON, outputs=str(tmp_path / "stepped"))
    assert [s["name"] for s in st.layout["sites"]] == [s["name"] for s in sc.document()["sites"]]
    assert st.state["t_s"] == 0 and not st.state["finished"]
    before = st.state["events"]
    state = st.step(5)
    assert state["events"] == before + 5
    state = st.advance(60)
    assert 0 < state["t_s"] <= 60 and state["totals"]["arrived"] > 0
    t = state["t_s"]
    state = st.interval()
    assert state["t_s"] > t and state["samples"]  # a sampling instant: its rows
    st.advance(HORIZON)
    result = st.finish()
    assert st.state["finished"]
    run = suanli.run(sc, seed=4, horizon_s=HORIZON, outputs=str(tmp_path / "run"))
    assert result.summary == run.summary
    assert json.load(open(tmp_path / "stepped" / "summary.json")) == run.summary
    assert (tmp_path / "stepped" / "jobs.csv").read_bytes() == (tmp_path / "run" / "jobs.csv").read_bytes()
    assert len(result.jobs) == len(run.jobs)
    with pytest.raises(ValueError, match="finished"):
        st.step()


def test_finish_at_once_is_the_run():
    st = suanli.Stepper(SMALL, seed=7, horizon_s=120)
    tmp = st._tmp
    run = suanli.run(SMALL, seed=7, horizon_s=120)
    result = st.finish()
    assert result.summary == run.summary
    # The tables come from a temporary run folder, removed once read.
    assert list(result.jobs.columns) == list(run.jobs.columns) and len(result.jobs) == len(run.jobs)
    assert (result.jobs["id"].to_numpy() == run.jobs["id"].to_numpy()).all()
    assert len(result.timeseries) == len(run.timeseries)
    assert not os.path.exists(tmp)
    assert suanli.Stepper(SMALL, seed=7, horizon_s=60, jobs=False).finish().jobs is None


def farthest(request, sites):
    """The eligible site farthest from the job within its budget: not what any built-in policy picks."""
    allowed = [s for s in sites if s.eligible and (request.budget_rtt_s <= 0 or 2 * s.latency_s <= request.budget_rtt_s)]
    return max(allowed, key=lambda s: s.latency_s) if allowed else None


def test_policies_changed_live_with_python_ones():
    suanli.register_placement("py_farthest", farthest)
    suanli.register_queue("py_fifo", lambda state: range(len(state.waiting)))
    st = suanli.Stepper(SMALL, seed=2, horizon_s=HORIZON)
    st.advance(100)
    st.set_placement("py_farthest")
    st.set_queue("py_fifo")
    with pytest.raises(ValueError, match="py_unknown"):
        st.set_placement("py_unknown")  # refused; the run goes on
    with pytest.raises(ValueError):
        st.set_queue("py_unknown")
    st.advance(200)
    policies = {d["policy"] for d in st.state["decisions"]}
    assert "py_farthest" in policies
    summary = st.finish().summary
    assert summary["jobs"]["submitted"] > 0
    # Different placements from t = 100 s: not the run without the change.
    assert summary != suanli.run(SMALL, seed=2, horizon_s=HORIZON).summary


def test_a_failing_python_policy_ends_the_stepped_run():
    def broken(request, sites):
        raise RuntimeError("stepped policy broke")

    suanli.register_placement("py_broken_step", broken)
    st = suanli.Stepper(suanli.load(SMALL).set("/workload/classes/*/placement", "py_broken_step"), horizon_s=60)
    with pytest.raises(suanli.PolicyError, match="stepped policy broke"):
        st.advance(60)
    # The next stepper and run work.
    assert suanli.Stepper(SMALL, horizon_s=30).finish().summary["jobs"]["submitted"] > 0


def test_bad_input_raises_scenario_error():
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.Stepper(suanli.load(SMALL).set("/sites/1/racks", -4))
    assert e.value.pointer.startswith("/sites/1/racks")
    with pytest.raises(suanli.ScenarioError):
        suanli.Stepper(SMALL, outages=["atlantis:1:2"])
