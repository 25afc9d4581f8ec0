#!/usr/bin/env python3
"""Baseline for scripts/bench-engine.sh: the synthetic workload in SimPy 3 (python3-simpy3) — HOSTS
hosts of 32 cores as one pool of free cores (a simpy.Container, gets served in request order: one FIFO
queue), Poisson arrivals at RATE_PER_S in all, exponential run times, single-core jobs; the run stops at
the horizon, or (--jobs) after N arrivals once every job has ended.
  usage: simpy_fifo.py HOSTS RATE_PER_S MEAN_RUNTIME_S (--horizon-s T | --jobs N) [--seed S]
Prints JSON: jobs submitted, completed, mean wait (start - submit, over the jobs that started)."""
import argparse, json, random
import simpy

a = argparse.ArgumentParser()
a.add_argument("hosts", type=int); a.add_argument("rate", type=float); a.add_argument("mean_runtime", type=float)
a.add_argument("--horizon-s", type=float); a.add_argument("--jobs", type=int); a.add_argument("--seed", type=int, default=1)
args = a.parse_args()
rng = random.Random(args.seed)
env = simpy.Environment()
cores = simpy.Container(env, capacity=32 * args.hosts, init=32 * args.hosts)  # free cores
stats = {"jobs": 0, "completed": 0, "started": 0, "wait_sum": 0.0}

def job(runtime):
    submit = env.now
    yield cores.get(1)  # FIFO: gets are served in request order
    stats["started"] += 1; stats["wait_sum"] += env.now - submit
    yield env.timeout(runtime)
    yield cores.put(1)
    stats["completed"] += 1

def arrivals():
    while args.jobs is None or stats["jobs"] < args.jobs:
        yield env.timeout(rng.expovariate(args.rate))
        if args.horizon_s is not None and env.now >= args.horizon_s: return
        stats["jobs"] += 1
        env.process(job(rng.expovariate(1.0 / args.mean_runtime)))

env.process(arrivals())
env.run(until=args.horizon_s)
print(json.dumps({"jobs": stats["jobs"], "completed": stats["completed"], "simulated_s": env.now,
                  "mean_wait_s": stats["wait_sum"] / max(1, stats["started"])}))
