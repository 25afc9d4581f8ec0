#!/usr/bin/env python3
"""`suanli step`: the paused run, driven over its JSON-lines protocol, checked against `suanli run`.

- Stepped to its end through every kind of command (n events, a time, an interval), a run writes the
  same bytes as `suanli run` with the same scenario and seed (summary, jobs, time series, decisions),
  with the exact executor and with SimGrid's.
- `step` handles exactly n events; `advance` stops at the time asked and hands over the time-series
  rows up to it, equal to timeseries.csv's rows; the per-site live figures add up to the totals.
- A placement change applies from the current time: decisions before it keep the old policy, after
  it name the new one, and the jobs placed before it are those of an unchanged run.
- A queue-discipline change applies live too.
- `run`'s scenario options (--idle-off-s, --horizon-s, --queue) give `run`'s run.
- Bad commands (malformed JSON, unknown op, unknown policy or class, negative counts, an oversized
  line) get {"ok": false, "error": ...} and the run goes on; the end of input abandons the run and
  writes nothing.

Usage: step_test.py SUANLI SOURCE_DIR
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

SUANLI, SRC = sys.argv[1], sys.argv[2]
SCENARIO = os.path.join(SRC, "scenarios", "teaching-policies.json")
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


class Step:
    """One `suanli step` child."""

    def __init__(self, *args):
        self.p = subprocess.Popen([SUANLI, "step", SCENARIO, *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        first = json.loads(self.p.stdout.readline())
        self.layout, self.state = first["layout"], first["state"]

    def send(self, command):
        line = command if isinstance(command, str) else json.dumps(command)
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        reply = json.loads(self.p.stdout.readline())
        if reply.get("ok") and "state" in reply:
            self.state = reply["state"]
        return reply

    def close(self):
        self.p.stdin.close()
        return self.p.wait(timeout=60)


def run(out, *args):
    subprocess.run([SUANLI, "run", SCENARIO, "-o", out, "--no-progress", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def same_files(a, b, names):
    return all(open(os.path.join(a, n), "rb").read() == open(os.path.join(b, n), "rb").read() for n in names)


with tempfile.TemporaryDirectory() as tmp:
    ref = os.path.join(tmp, "ref")
    run(ref, "--decision-log")
    rows = list(csv.DictReader(open(os.path.join(ref, "timeseries.csv"))))

    # 1. Every kind of step, then finish: the same bytes as `run`.
    st = Step("-o", os.path.join(tmp, "stepped"), "--decision-log")
    check(st.state["t_s"] == 0 and st.state["events"] == 0 and not st.state["finished"],
          "paused before the first event")
    check(len(st.layout["sites"]) == len(st.state["sites"]) > 0, "one live record per site of the layout")
    st.send({"op": "step", "events": 5})
    check(st.state["events"] == 5, "step 5 handles 5 events")
    st.send({"op": "step"})
    check(st.state["events"] == 6, "step handles 1 event by default")
    reply = st.send({"op": "advance", "to_s": 1800})
    check(st.state["t_s"] == 1800, "advance stops at the time asked")
    samples = st.state["samples"]
    expected = [r for r in rows if float(r["time_s"]) <= 1800]
    check(len(samples) == len(expected) > 0, f"advance hands over the {len(expected)} time-series rows up to 1800 s")
    check(all(s["site"] == r["site"] and s["running"] == int(r["running"]) and s["queued"] == int(r["queued"])
              and abs(s["it_power_w"] - float(r["it_power_w"])) < 1e-3
              and abs(s["cpu_utilization"] - float(r["cpu_utilization"])) < 1e-6
              for s, r in zip(samples, expected)), "those rows equal timeseries.csv's")
    last = {s["site"]: s for s in samples if s["time_s"] == 1800}
    live = {site["name"]: v for site, v in zip(st.layout["sites"], st.state["sites"])}
    check(all(abs(live[n]["it_power_w"] - last[n]["it_power_w"]) < 1e-6 for n in last),
          "live IT power is the last interval's")
    check(abs(st.state["totals"]["it_power_w"] - sum(v["it_power_w"] for v in live.values())) < 1e-3
          and st.state["totals"]["queued"] == sum(v["queued"] for v in live.values()),
          "the totals add up the sites")
    interval = st.layout["sampling_interval_s"]
    st.send({"op": "interval"})
    check(st.state["t_s"] == 1800 + interval and {s["time_s"] for s in st.state["samples"]} == {1800 + interval},
          "interval runs to the next sampling instant")
    reply = st.send({"op": "finish"})
    check(reply["ok"] and reply["state"]["finished"] and reply["summary"]["jobs"]["submitted"] > 0,
          "finish runs to the end and returns the summary")
    check(same_files(ref, os.path.join(tmp, "stepped"),
                     ["summary.json", "jobs.csv", "timeseries.csv", "decisions.csv"]),
          "a stepped run writes the same bytes as `suanli run`")
    check(not st.send({"op": "step"})["ok"], "stepping a finished run is refused")
    check(st.send({"op": "state"})["ok"], "a finished run's state can still be read")
    check(st.close() == 0, "exit 0")

    # 2. The SimGrid executor, stepped.
    ref_sg = os.path.join(tmp, "ref-sg")
    run(ref_sg, "--engine", "simgrid", "--horizon-s", "7200")
    st = Step("-o", os.path.join(tmp, "stepped-sg"), "--engine", "simgrid", "--horizon-s", "7200")
    st.send({"op": "step", "events": 100})
    st.send({"op": "advance", "to_s": 3000})
    st.send({"op": "finish"})
    st.close()
    check(same_files(ref_sg, os.path.join(tmp, "stepped-sg"), ["summary.json", "jobs.csv", "timeseries.csv"]),
          "stepped with --engine simgrid: the same bytes as `run --engine simgrid`")

    # 3. A placement change applies from the current time.
    ref_decisions = list(csv.DictReader(open(os.path.join(ref, "decisions.csv"))))
    st = Step("-o", os.path.join(tmp, "changed"), "--decision-log")
    before = st.layout["classes"][0]["placement"]
    st.send({"op": "advance", "to_s": 3600})
    new = "round_robin" if before != "round_robin" else "least_loaded"
    reply = st.send({"op": "set", "placement": new, "class": "*"})
    check(reply["ok"] and reply["applied"] == "live", f"placement {before} -> {new} applied live")
    st.send({"op": "finish"})
    st.close()
    changed = list(csv.DictReader(open(os.path.join(tmp, "changed", "decisions.csv"))))
    early = [d for d in changed if float(d["time_s"]) <= 3600]
    late = [d for d in changed if float(d["time_s"]) > 3600]
    check(early == [d for d in ref_decisions if float(d["time_s"]) <= 3600],
          "decisions up to the change are those of the unchanged run")
    check(late and all(d["policy"] == new for d in late), f"every decision after it uses {new}")
    check([d["chosen"] for d in late] != [d["chosen"] for d in ref_decisions if float(d["time_s"]) > 3600],
          "and chooses other sites than the unchanged run")

    # 4. Queue discipline live, bad commands, end of input.
    st = Step("-o", os.path.join(tmp, "abandoned"))
    st.send({"op": "step", "events": 10})
    check(st.send({"op": "set", "queue": "easy"})["ok"], "queue discipline changed live")
    bad = {
        "malformed JSON": "{op: step",
        "not an object": "[1, 2]",
        "unknown op": {"op": "rewind"},
        "unknown policy": {"op": "set", "placement": "no_such_policy"},
        "unknown class": {"op": "set", "placement": "nearest", "class": "no_such_class"},
        "unknown queue": {"op": "set", "queue": "lifo"},
        "zero events": {"op": "step", "events": 0},
        "fractional events": {"op": "step", "events": 1.5},
        "time not a number": {"op": "advance", "to_s": "soon"},
        "set without a field": {"op": "set"},
        "oversized line": json.dumps({"op": "state", "pad": "x" * 100000}),
    }
    for what, command in bad.items():
        reply = st.send(command)
        check(not reply["ok"] and reply["error"], f"{what}: refused ({reply.get('error', '')[:70]})")
    check(st.send({"op": "step"})["ok"] and st.state["events"] == 11, "the run goes on after bad commands")
    check(st.close() == 0, "end of input: exit 0")
    check(not os.path.exists(os.path.join(tmp, "abandoned", "summary.json")), "an abandoned run writes nothing")

    # 5. A bad scenario: the CLI's error, exit 2, no protocol line.
    p = subprocess.run([SUANLI, "step", SCENARIO, "--set", "/horizon_s=-1"], input="", capture_output=True, text=True)
    check(p.returncode == 2 and p.stdout == "" and "horizon_s" in p.stderr, "a bad scenario: exit 2 with the error")

    # 6. `run`'s scenario options: the same run.
    ref_off = os.path.join(tmp, "ref-off")
    run(ref_off, "--idle-off-s", "300", "--horizon-s", "7200", "--queue", "easy")
    st = Step("-o", os.path.join(tmp, "stepped-off"), "--idle-off-s", "300", "--horizon-s", "7200", "--queue", "easy")
    check(st.layout["queue"] == "easy", "--queue sets the starting discipline")
    st.send({"op": "finish"})
    st.close()
    check(same_files(ref_off, os.path.join(tmp, "stepped-off"), ["summary.json", "jobs.csv", "timeseries.csv"]),
          "with --idle-off-s, --horizon-s and --queue: the same bytes as `run` with them")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
