"""What the Python test scripts under tests/ share: checks that print "ok"/"FAIL" and collect the
failures, and running suanli. A script in tests/NAME/ imports it with

    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from common import check, exit_on_failures, failures  # noqa: E402
"""
import json
import os
import subprocess
import sys

failures = []  # the message of every failed check, in order


def check(cond, message):
    """Prints "ok   MESSAGE" or "FAIL MESSAGE", records a failure, and returns the condition."""
    print(("ok   " if cond else "FAIL ") + message, flush=True)
    if not cond:
        failures.append(message)
    return cond


def exit_on_failures():
    """Exits non-zero, with the count, when a check failed."""
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")


def run_or_exit(cmd, **kwargs):
    """Runs the command; its stdout, or exit with FAIL, the command, its exit code and its stderr."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-2000:]}")
    return p.stdout


def run_scenario(suanli, scenario, out, *args):
    """`suanli run SCENARIO -o OUT --no-progress ARGS` (exit on failure); the summary.json it wrote."""
    run_or_exit([suanli, "run", scenario, "-o", out, "--no-progress", *args])
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)
