"""Queue disciplines written in Python (suanli.register_queue), against the built-in ones.

Environment: as test_suanli.py (PYTHONPATH=build/python, SUANLI_BINARY, SUANLI_SOURCE_DIR).
"""
import json
import os
import subprocess

import pandas as pd
import pytest

import suanli

SRC = os.environ.get("SUANLI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("SUANLI_BINARY", os.path.join(SRC, "build", "suanli"))
SMALL = os.path.join(SRC, "scenarios", "teaching-small.json")
# A loaded teaching day: the heavy teaching day with batch jobs (64 cores each, exponential run times)
# arriving at 3/s for 600 s on average, about 1.4 times what the CPU pools hold; they wait in queues.
CONTRAST = os.path.join(SRC, "scenarios", "teaching-contrast.json")
LOADED_HORIZON = 1800


def fcfs(state):
    return range(len(state.waiting))


def shortest_first(state):
    return sorted(state.waiting, key=lambda j: (j.requested_s, j.position))


def loaded(queue):
    sc = suanli.load(CONTRAST).set("/workload/classes/2/arrivals/rate_per_s", 3.0)
    return sc.set("/workload/classes/2/service_s", 600).set("/scheduling/queue", queue)


def waited(result, horizon_s=LOADED_HORIZON):
    """Mean wait (s) of the batch jobs, those still waiting at the horizon counted until then."""
    jobs = result.jobs[result.jobs["class"] == "batch"]
    return (jobs["start_s"].fillna(horizon_s) - jobs["submit_s"]).mean()


@pytest.fixture(scope="module")
def registered():
    suanli.register_queue("py_fcfs", fcfs)
    suanli.register_queue("py_sjf", shortest_first, backfill=True)
    return True


def test_registered_disciplines_are_listed(registered):
    assert suanli.queue_names()[:3] == ["fcfs", "easy", "conservative"]
    assert {"py_fcfs", "py_sjf"} <= set(suanli.queue_names())
    listed = suanli.policies()
    cli = json.loads(subprocess.run([CLI, "policies", "--json"], stdout=subprocess.PIPE, check=True).stdout)
    # The CLI's registry, plus what this process registered.
    assert listed["queue"][:len(cli["queue"])] == cli["queue"]
    assert [p["name"] for p in listed["placement"]][:len(cli["placement"])] == [p["name"] for p in cli["placement"]]
    assert {"py_fcfs", "py_sjf"} <= set(listed["queue"])
    summaries = {q["name"]: q["summary"] for q in listed["queue_summaries"]}
    assert "backfill" in summaries["py_sjf"] and "backfill" not in summaries["py_fcfs"]
    with pytest.raises(ValueError, match="built-in"):
        suanli.register_queue("easy", fcfs)
    # The edited scenario names the discipline as written.
    assert loaded("py_sjf").resolved()["scheduling"]["queue"] == "py_sjf"


def test_python_fcfs_is_the_builtin_fcfs(registered):
    builtin = suanli.run(loaded("fcfs"), seed=3, horizon_s=LOADED_HORIZON)
    python = suanli.run(loaded("py_fcfs"), seed=3, horizon_s=LOADED_HORIZON)
    assert waited(builtin) > 60  # the queues are not empty: the discipline decides something
    pd.testing.assert_frame_equal(builtin.jobs, python.jobs)
    pd.testing.assert_frame_equal(builtin.timeseries, python.timeseries)


def test_shortest_job_first_waits_less(registered):
    fifo = suanli.run(loaded("fcfs"), seed=3, horizon_s=LOADED_HORIZON)
    sjf = suanli.run(loaded("py_sjf"), seed=3, horizon_s=LOADED_HORIZON)
    assert sjf.summary["jobs"]["submitted"] == fifo.summary["jobs"]["submitted"]
    assert waited(sjf) < 0.8 * waited(fifo), (waited(sjf), waited(fifo))
    # Shorter jobs first: more of them are done by the horizon.
    assert sjf.summary["jobs"]["completed"] > fifo.summary["jobs"]["completed"]


def test_the_state_seen_by_the_discipline(registered):
    """What fn(state) sees is what the engine has: capacity never oversubscribed, the queue in order."""
    def check(state):
        assert state.pool in ("cpu", "gpu") and state.site
        assert state.cores_free >= 0 and state.gpus_free >= 0
        assert [j.position for j in state.waiting] == list(range(len(state.waiting)))
        assert all(a.submit_s <= b.submit_s for a, b in zip(state.waiting, state.waiting[1:]))
        assert all(j.requested_s > 0 and j.cores >= 1 and j.submit_s <= state.now_s for j in state.waiting)
        assert all(r.cores >= 0 for r in state.running)
        # Some waiting job fits the free capacity: the engine asks only then.
        assert any(j.cores <= state.cores_free and j.gpus <= state.gpus_free for j in state.waiting)
        return state.waiting  # the jobs themselves, in queue order

    suanli.register_queue("py_check", check)
    r = suanli.run(loaded("py_check"), seed=3, horizon_s=600)
    assert r.summary["jobs"]["completed"] > 0


@pytest.mark.parametrize("returned, message", [
    (lambda state: None, "returned None"),
    (lambda state: 3, "returned a int"),
    (lambda state: "0", "returned a str"),
    (lambda state: [0, 0], "returned position 0 twice"),
    (lambda state: [len(state.waiting)], "outside state.waiting"),
    (lambda state: [-1], "outside state.waiting"),
    (lambda state: [1.0], "holding a float"),
    (lambda state: [True], "holding a bool"),
])
def test_a_bad_return_value_stops_the_run(returned, message):
    suanli.register_queue("py_bad", returned)
    with pytest.raises(suanli.PolicyError, match=message) as e:
        suanli.run(loaded("py_bad"), seed=3, horizon_s=600, jobs=False)
    assert 'queue discipline "py_bad"' in str(e.value)


def test_an_exception_in_the_discipline_stops_the_run():
    def broken(state):
        raise ZeroDivisionError("queue broke")

    suanli.register_queue("py_broken_queue", broken)
    with pytest.raises(suanli.PolicyError, match="queue broke"):
        suanli.run(loaded("py_broken_queue"), seed=3, horizon_s=600, jobs=False)


def test_unknown_discipline_names_the_pointer():
    with pytest.raises(suanli.ScenarioError) as e:
        suanli.load(SMALL).set("/scheduling/queue", "py_never_registered").validate()
    assert e.value.pointer == "/scheduling/queue"
    assert "unknown queue discipline" in e.value.message and "conservative" in e.value.message
    # The CLI says the same, listing the built-in names (this process lists its registered ones after).
    p = subprocess.run([CLI, "check", SMALL, "--set", "/scheduling/queue=py_never_registered"],
                       stderr=subprocess.PIPE, text=True)
    assert p.returncode == 2
    assert ("error: " + str(e.value)).startswith(p.stderr.strip().rstrip(")")), (p.stderr, str(e.value))
