#!/usr/bin/python3
"""Cost of a queue decision made by a Python queue discipline (a benchmark, not a test).

    PYTHONPATH=build/python /usr/bin/python3 tests/bench/python_queue.py [SCENARIO] [--horizon-s S] [--repeat N]
        [--set POINTER=JSON]...

Runs the scenario (default scenarios/teaching-contrast.json, 1800 s, loaded as tests/python/test_queue.py
loads it: batch jobs arriving at 3/s for 600 s each, so that queues form; --set replaces these edits)
with the built-in fcfs queue, then with a Python FCFS (`range(len(state.waiting))`) and a Python
shortest-job-first, N times each (default 3; the fastest run of each counts). A decision is one call of the Python
function (the engine asks a pool's queue when a job arrives or ends there and a waiting job fits);
a first run counts them, and the jobs offered per call, in memory shared with the run's child
process. Prints the decisions, the wall time of each run, and the Python discipline's added cost per
decision (decisions / (Python run - C++ run)). Figures are ratios of runs on the same machine.
"""

import argparse
import json
import multiprocessing
import os
import time

import suanli


def python_fcfs(state):
    return range(len(state.waiting))


def python_sjf(state):
    return sorted(state.waiting, key=lambda j: j.requested_s)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=os.path.join(here, "..", "..", "scenarios", "teaching-contrast.json"))
    ap.add_argument("--horizon-s", type=float, default=1800)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--set", action="append", metavar="POINTER=JSON",
                    help="scenario edit (default: /workload/classes/2/arrivals/rate_per_s=3 and "
                         "/workload/classes/2/service_s=600)")
    a = ap.parse_args()
    edits = [e.split("=", 1) for e in (a.set or ["/workload/classes/2/arrivals/rate_per_s=3",
                                                  "/workload/classes/2/service_s=600"])]

    def scenario(queue):
        sc = suanli.load(a.scenario)
        for pointer, value in edits:
            sc.set(pointer, json.loads(value))
        return sc.set("/scheduling/queue", queue)

    calls = multiprocessing.Value("q", 0, lock=False)  # shared with the run's child (fork)
    offered = multiprocessing.Value("q", 0, lock=False)

    def counting_fcfs(state):
        calls.value += 1
        offered.value += len(state.waiting)
        return range(len(state.waiting))

    suanli.register_queue("bench_counting_fcfs", counting_fcfs)
    suanli.register_queue("bench_python_fcfs", python_fcfs)
    suanli.register_queue("bench_python_sjf", python_sjf, backfill=True)

    def best(queue):
        sc = scenario(queue)
        times, result = [], None
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            result = suanli.run(sc, horizon_s=a.horizon_s, jobs=False)
            times.append(time.perf_counter() - t0)
        return min(times), result

    counted = suanli.run(scenario("bench_counting_fcfs"), horizon_s=a.horizon_s, jobs=False)
    decisions = calls.value
    t_cpp, r_cpp = best("fcfs")
    t_py, r_py = best("bench_python_fcfs")
    t_sjf, _ = best("bench_python_sjf")
    assert counted.summary["jobs"] == r_py.summary["jobs"] == r_cpp.summary["jobs"], "Python FCFS differs from fcfs"
    print(f"scenario {os.path.basename(a.scenario)} ({', '.join('='.join(e) for e in edits)}), {a.horizon_s:g} s "
          f"simulated, {r_cpp.summary['jobs']['submitted']} "
          f"jobs, {decisions} queue decisions ({offered.value / max(decisions, 1):.1f} waiting jobs offered per decision)")
    print(f"  C++ fcfs:               {t_cpp:.2f} s wall")
    print(f"  Python FCFS:            {t_py:.2f} s wall")
    print(f"  Python SJF (backfill):  {t_sjf:.2f} s wall")
    for name, t in [("Python FCFS alone:", t_py), ("Python SJF alone: ", t_sjf)]:
        added = t - t_cpp
        print(f"  {name}      {added / decisions * 1e6:.2f} us per decision, "
              f"{decisions / added if added > 0 else float('inf'):,.0f} decisions/s")


if __name__ == "__main__":
    main()
