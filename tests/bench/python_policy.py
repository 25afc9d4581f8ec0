#!/usr/bin/python3
"""Cost of a placement decision made by a Python policy (a benchmark, not a test).

    PYTHONPATH=build/python /usr/bin/python3 tests/bench/python_policy.py [SCENARIO] [--horizon-s S] [--repeat N]

Runs the scenario (default scenarios/teaching-small.json, 900 s) with every class placed by the
C++ policy `nearest`, then by a trivial Python policy (the first eligible site), N times each
(default 3; the fastest run of each counts), and prints: decisions (jobs placed by the policy), wall
time of each run, the Python policy's added cost per decision, and decisions/s of the Python policy
alone (decisions / (Python run - C++ run)) and of the whole run with it. Figures are ratios of runs
on the same machine, so they carry across machines better than absolute times.
"""

import argparse
import os
import time

import suanli


def first_eligible(request, sites):
    for s in sites:
        if s.eligible:
            return s
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=os.path.join(here, "..", "..", "scenarios", "teaching-small.json"))
    ap.add_argument("--horizon-s", type=float, default=900)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    suanli.register_placement("bench_first_eligible", first_eligible)

    def best(policy):
        sc = suanli.load(a.scenario).set("/workload/classes/*/placement", policy)
        times, result = [], None
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            result = suanli.run(sc, horizon_s=a.horizon_s, jobs=False)
            times.append(time.perf_counter() - t0)
        return min(times), result

    t_cpp, r_cpp = best("nearest")
    t_py, r_py = best("bench_first_eligible")
    decisions = r_py.summary["jobs"]["submitted"]
    added = t_py - t_cpp
    print(f"scenario {os.path.basename(a.scenario)}, {a.horizon_s:g} s simulated, {decisions} placement decisions")
    print(f"  C++ nearest:            {t_cpp:.2f} s wall ({r_cpp.summary['jobs']['submitted'] / t_cpp:,.0f} jobs/s)")
    print(f"  Python first-eligible:  {t_py:.2f} s wall ({decisions / t_py:,.0f} jobs/s)")
    print(f"  Python policy alone:    {added / decisions * 1e6:.2f} us per decision, "
          f"{decisions / added if added > 0 else float('inf'):,.0f} decisions/s")


if __name__ == "__main__":
    main()
