#!/usr/bin/env python3
"""Baseline for scripts/bench-engine.sh: a plain Python EASY-backfilling event loop (standard library
only) replaying a gzip SWF log on PROCS one-core processors, as `suanli run ... --queue easy` does.
  usage: easy_loop.py LOG.swf.gz PROCS [--horizon-s T] [--window 256]
Jobs as sim/workload/TraceSources.cpp reads them: procs = allocated (field 5) if > 0 else requested
(field 8); skipped when procs <= 0 or run time <= 0; submit relative to the first kept job; estimate =
requested time (field 9) if > 0 else the run time; jobs wider than the machine are rejected. EASY as
sim/policy/QueueScheduler.cpp: the first WINDOW queued jobs are seen; FCFS while jobs fit, one
reservation (the shadow time) for the first that does not, then backfill; a running job past its
expected end counts as freeing its cores now (but they are not free to start a job). Completions at
a time before arrivals at that time; each event schedules. Prints JSON: jobs, mean wait (started)."""
import argparse, gzip, heapq, json

a = argparse.ArgumentParser()
a.add_argument("log"); a.add_argument("procs", type=int)
a.add_argument("--horizon-s", type=float, default=float("inf")); a.add_argument("--window", type=int, default=256)
args = a.parse_args()
P, W, INF = args.procs, args.window, float("inf")

jobs, t0 = [], None  # (submit, cores, run, estimate)
with gzip.open(args.log, "rt") as f:
    for line in f:
        v = line.split()
        if not v or v[0][0] == ";": continue
        run, procs = float(v[3]), int(v[4]) if int(v[4]) > 0 else int(v[7])
        if procs <= 0 or run <= 0: continue
        t0 = float(v[1]) if t0 is None else t0
        if float(v[1]) - t0 >= args.horizon_s: break
        jobs.append((float(v[1]) - t0, procs, run, float(v[8]) if float(v[8]) > 0 else run))

free, queue, running, ends, seq = P, [], {}, [], 0  # running: id -> (expected end, cores); ends: heap
st = {"started": 0, "completed": 0, "rejected": 0, "wait_sum": 0.0}

def start(k, now):
    global free, seq
    submit, cores, run, est = jobs[k]
    free -= cores; running[k] = (now + est, cores); seq += 1
    heapq.heappush(ends, (now + run, seq, k))
    st["started"] += 1; st["wait_sum"] += now - submit

def schedule(now):
    view = min(len(queue), W)
    pfree = free + sum(c for e, c in running.values() if e <= now)  # the profile's free cores now
    head = 0
    while head < view and jobs[queue[head]][1] <= pfree and jobs[queue[head]][1] <= free:
        start(queue[head], now); pfree -= jobs[queue[head]][1]; head += 1
    started = list(range(head))
    if head < view:
        need, shadow, avail = jobs[queue[head]][1], now, pfree
        if need > pfree:  # earliest end after which the head fits; every job ending then frees its cores
            for e, c in sorted(v for v in running.values() if v[0] > now):
                if avail >= need and e > shadow: break
                avail += c; shadow = e
        extra = avail - need
        for i in range(head + 1, view):
            k = queue[i]; cores, est = jobs[k][1], jobs[k][3]
            if cores <= pfree and (now + est <= shadow or cores <= extra) and cores <= free:
                start(k, now); pfree -= cores; started.append(i)
                if now + est > shadow: extra -= cores
    for i in reversed(started): del queue[i]

n, i, horizon = len(jobs), 0, args.horizon_s
while i < n or ends:
    now = min(jobs[i][0] if i < n else INF, ends[0][0] if ends else INF, horizon)
    while ends and ends[0][0] <= now:
        _, _, k = heapq.heappop(ends)
        free += running.pop(k)[1]; st["completed"] += 1
        if queue: schedule(now)
    while i < n and jobs[i][0] <= now:
        if jobs[i][1] > P: st["rejected"] += 1
        else: queue.append(i); schedule(now)
        i += 1
    if now >= horizon: break
print(json.dumps({"jobs": n, "rejected": st["rejected"], "started": st["started"], "completed": st["completed"],
                  "mean_wait_s": st["wait_sum"] / max(1, st["started"])}))
