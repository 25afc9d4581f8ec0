#!/usr/bin/env python3
"""`suanli sweep --emit-slurm` on a REAL single-node Slurm cluster started by this test (no mock):

- installs Debian's `slurm-wlm munge` when Slurm or MUNGE is missing and we are root (otherwise prints
  "SKIP: ..." and exits 0, or exits 1 when SUANLI_REQUIRE_SLURM is set);
- starts a private munged (own key and socket under a temp dir) and a private slurmctld + slurmd, both in
  the foreground as children of this test (generated slurm.conf naming this host as controller and only
  node with slurmd -C's CPUs and memory, random free TCP ports, state, spool and logs under the temp dir,
  no cgroups, no accounting), and waits until sinfo shows the node idle;
- runs a 2 configurations x 3 replications sweep of teaching-small (300 s) locally, emits the Slurm
  job-array script (3 shards, 1 CPU each), submits it with sbatch, waits for the array to leave the
  queue, checks every array task's output file, collects the 3 shards, and checks summary.csv and
  runs.csv are byte-identical to the local sweep's and the SQLite databases have identical rows;
- stops the daemons and every process of this private cluster (identified by a marker variable and its
  SLURM_CONF path in their environment: slurmstepd and the jobs inherit them) and removes the temp dir,
  also on failure, SIGTERM, SIGINT or SIGHUP. If the test is SIGKILLed (a CTest timeout) the daemons die
  with it (PR_SET_PDEATHSIG) and the next run cleans up what is left (see reap_stale_runs).

Prints "ok ..." / "FAIL ..." per check and the daemons' log tails on failure; exits 1 on any failure.

Usage: slurm_test.py SUANLI SOURCE_DIR
Env:   SUANLI_REQUIRE_SLURM=1  fail instead of skipping when Slurm cannot be installed or run
       SUANLI_SLURM_KEEP=1     keep the temp dir (configs, logs, sweep folders) for debugging
"""
import atexit
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

if len(sys.argv) != 3:
    sys.exit("usage: slurm_test.py SUANLI SOURCE_DIR")
SUANLI, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SCENARIO = os.path.join(SRC, "scenarios", "teaching-small.json")
REQUIRE = bool(os.environ.get("SUANLI_REQUIRE_SLURM"))
KEEP = bool(os.environ.get("SUANLI_SLURM_KEEP"))
SBIN_PATHS = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
APT_TIMEOUT_S = 300      # each apt-get call (install, update, install)
DAEMON_START_S = 60      # munged / slurmctld / slurmd each
NODE_IDLE_S = 120        # node registered and idle
JOB_TIMEOUT_S = 600      # the whole job array
T0 = time.monotonic()

failures = []
state = {"tmp": None, "procs": [], "conf": None, "logs": []}


def log(message):
    print(message, flush=True)


def check(cond, message):
    log(("ok   " if cond else "FAIL ") + message)
    if not cond:
        failures.append(message)
    return cond


def which(name):
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", "")] + SBIN_PATHS))


def tail(path, lines=40):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"(cannot read: {e})\n"


def dump_logs():
    for path, instead_of in state["logs"]:
        if instead_of and os.path.exists(instead_of) and os.path.getsize(instead_of):
            continue  # A daemon's stderr repeats its log file, once that is open.
        if os.path.exists(path):
            sys.stdout.write(f"----- tail of {path} -----\n{tail(path)}")
    sys.stdout.flush()


def die(message):
    """A failure that stops the test: print the daemon logs, exit 1 (cleanup runs in finally/atexit)."""
    log("FAIL " + message)
    dump_logs()
    sys.exit(1)


def skip(reason, cannot="be installed"):
    if REQUIRE:
        log(f"FAIL: Slurm cannot {cannot} here and SUANLI_REQUIRE_SLURM is set: {reason}")
        sys.exit(1)
    log(f"SKIP: Slurm cannot {cannot} here: {reason}")
    sys.exit(0)


# ---------------------------------------------------------------------------------------------------------
# 1. Slurm and MUNGE present, or installed.

NEEDED = ["slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel", "munged"]


def missing_tools():
    return [t for t in NEEDED if not which(t)]


def ensure_slurm():
    missing = missing_tools()
    if not missing:
        return
    if os.geteuid() != 0:
        skip(f"{', '.join(missing)} missing and not root (cannot apt-get install slurm-wlm munge)")
    if not which("apt-get"):
        skip(f"{', '.join(missing)} missing and no apt-get")
    log(f"installing slurm-wlm munge with apt-get ({', '.join(missing)} missing) ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"]

    def run(cmd):
        try:
            return subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=APT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(cmd, 124, "", f"{' '.join(cmd)} timed out after {APT_TIMEOUT_S} s")

    p = run(install)
    if p.returncode != 0:
        # Stale or missing package lists: update once and retry.
        u = run(["apt-get", "update", "-qq"])
        if u.returncode != 0:
            skip(f"apt-get update failed ({u.returncode}): {(u.stderr or u.stdout).strip().splitlines()[-1:] or ''}")
        p = run(install)
    if p.returncode != 0:
        last = (p.stderr or p.stdout).strip().splitlines()
        skip(f"apt-get install slurm-wlm munge failed ({p.returncode}): {last[-1] if last else ''}")
    missing = missing_tools()
    if missing:
        skip(f"installed slurm-wlm munge but {', '.join(missing)} still missing")
    log(f"ok   installed slurm-wlm munge ({time.monotonic() - T0:.0f} s)")


# ---------------------------------------------------------------------------------------------------------
# Cleanup: only what this test started.

MARKER = "SUANLI_SLURM_TEST_DIR"


def cluster_pids(tmp):
    """Processes of the private cluster in tmp: the daemons get MARKER=tmp and SLURM_CONF=tmp/slurm.conf in
    their environment, which slurmstepd, the job scripts and their children inherit (slurmd's environment,
    sbatch's --export=ALL of ours)."""
    if not tmp:
        return []
    markers = {f"{MARKER}={tmp}".encode(), f"SLURM_CONF={os.path.join(tmp, 'slurm.conf')}".encode()}
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if markers & set(f.read().split(b"\0")):
                    pids.append(int(entry))
        except OSError:
            pass
    return pids


def kill_cluster(tmp, grace_s=5):
    """SIGTERM, then SIGKILL (slurmstepd ignores SIGTERM once its slurmd is gone) what cluster_pids finds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = cluster_pids(tmp)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.time() + grace_s
        while pids and time.time() < deadline and cluster_pids(tmp):
            time.sleep(0.1)


def process_start(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]  # field 22, starttime
    except (OSError, IndexError):
        return None


def reap_stale_runs():
    """An earlier run of this test killed with SIGKILL (a CTest timeout) could not clean up: its daemons
    die with it (PR_SET_PDEATHSIG) but slurmstepd and the job's processes stay, and its temp dir. Each run
    records its pid and start time in TMP/owner; a dir whose owner is gone is cleaned up here."""
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        d = os.path.join(base, name)
        owner = os.path.join(d, "owner")
        if not name.startswith("suanli-slurm-") or not os.path.isfile(owner):
            continue
        try:
            with open(owner) as f:
                pid, start_time = f.read().split()
        except (OSError, ValueError):
            continue
        if process_start(int(pid)) == start_time:
            continue  # Still running (another build tree's test): not ours to touch.
        kill_cluster(d)
        shutil.rmtree(d, ignore_errors=True)
        log(f"note: cleaned up {d}, left by a killed earlier run (pid {pid})")


def cleanup():
    if state.get("cleaned"):
        return
    state["cleaned"] = True
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # A second signal must not cut the cleanup short.
        signal.signal(sig, signal.SIG_IGN)
    env = cluster_env() if state["conf"] and state["tmp"] else None
    ctld_alive = any(name == "slurmctld" and p.poll() is None for name, p in state["procs"])
    if env and ctld_alive and which("scancel"):
        try:  # Jobs of our private cluster only (this slurmctld knows no others).
            subprocess.run([which("scancel"), "--full", "--quiet", "--user=root"], env=env, timeout=20,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        except (subprocess.TimeoutExpired, OSError):
            pass
    # Daemons in reverse start order: slurmd, slurmctld, munged.
    for name, p in reversed(state["procs"]):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    tmp = state["tmp"]
    kill_cluster(tmp)
    if tmp and os.path.isdir(tmp):
        if KEEP:
            log(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def on_signal(signum, _frame):
    log(f"FAIL interrupted by signal {signum}")
    dump_logs()
    sys.exit(1)  # SystemExit: the finally block and atexit run the cleanup.


atexit.register(cleanup)
signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGHUP, on_signal)


# ---------------------------------------------------------------------------------------------------------
# 2. The private cluster.

def free_ports(n):
    """n distinct TCP ports free right now, picked at random below Linux's ephemeral range (32768-60999) so
    that no outgoing connection takes one before the daemons bind it; not Slurm's 6817-6819."""
    rng = random.Random()
    ports = []
    for _ in range(1000):
        port = rng.randrange(20000, 32000)
        if port in ports:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == n:
            return ports
    die("found no free TCP ports in 20000-32000")


def cluster_env():
    env = dict(os.environ, **{MARKER: state["tmp"]})
    for k in list(env):  # An outer Slurm job's variables must not leak into ours.
        if k.startswith(("SLURM_", "SBATCH_", "SQUEUE_", "SINFO_", "SALLOC_", "SRUN_")):
            del env[k]
    if state["conf"]:
        env["SLURM_CONF"] = state["conf"]
    env["PATH"] = os.pathsep.join([env.get("PATH", "")] + SBIN_PATHS)
    return env


def die_with_parent():
    """In the daemon (between fork and exec): SIGTERM when this test dies, even by SIGKILL (a CTest timeout)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(name, cmd, logfile, env=None, log_file_of_daemon=None):
    """Starts a daemon in the foreground as a child: stdout+stderr to logfile (dumped on failure unless
    log_file_of_daemon, the daemon's own log, exists)."""
    out = open(logfile, "ab")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                         start_new_session=True, preexec_fn=die_with_parent)
    out.close()
    state["procs"].append((name, p))
    state["logs"].append((logfile, log_file_of_daemon))
    if log_file_of_daemon:
        state["logs"].append((log_file_of_daemon, None))
    return p


def wait_for(what, predicate, timeout, procs=()):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for name, p in procs:
            if p.poll() is not None:
                die(f"{name} exited with {p.returncode} while waiting for {what}")
        if predicate():
            return
        time.sleep(0.25)
    die(f"timed out after {timeout} s waiting for {what}")


def start_munged(tmp):
    d = os.path.join(tmp, "munge")
    os.makedirs(d)
    os.chmod(d, 0o755)  # munged: clients need search permission on the socket's directory.
    key = os.path.join(d, "munge.key")
    mungekey = which("mungekey")
    if mungekey:
        r = subprocess.run([mungekey, "--create", "--keyfile", key], capture_output=True, text=True)
        if r.returncode != 0:
            die(f"mungekey --create failed: {r.stderr.strip()}")
    else:
        with open("/dev/urandom", "rb") as src, open(key, "wb") as dst:
            dst.write(src.read(1024))
    os.chmod(key, 0o600)
    sock = os.path.join(d, "munge.socket")
    # --foreground logs to stderr (munged.out); --force: run even where munged finds the temp dir's
    # permissions not secure enough or a stale socket.
    p = start("munged", [which("munged"), "--foreground", "--force", f"--socket={sock}", f"--key-file={key}",
                         f"--pid-file={os.path.join(d, 'munged.pid')}", f"--seed-file={os.path.join(d, 'munged.seed')}"],
              os.path.join(d, "munged.out"), cluster_env())
    wait_for("munged's socket", lambda: os.path.exists(sock), DAEMON_START_S, [("munged", p)])
    munge, unmunge = which("munge"), which("unmunge")
    if munge and unmunge:
        cred = subprocess.run([munge, f"--socket={sock}", "-n"], capture_output=True, timeout=30)
        dec = subprocess.run([unmunge, f"--socket={sock}"], input=cred.stdout, capture_output=True, timeout=30)
        check(cred.returncode == 0 and dec.returncode == 0,
              f"private munged on {sock}: a credential encodes and decodes"
              + (f" ({(cred.stderr + dec.stderr).decode(errors='replace').strip()})" if dec.returncode else ""))
    return sock


def node_line():
    r = subprocess.run([which("slurmd"), "-C"], capture_output=True, text=True, timeout=60)
    line = next((l for l in r.stdout.splitlines() if l.startswith("NodeName=")), None)
    if r.returncode != 0 or not line:
        die(f"slurmd -C failed ({r.returncode}): {r.stdout.strip()} {r.stderr.strip()}")
    fields = dict(kv.split("=", 1) for kv in line.split())
    return fields


def write_conf(tmp, host, munge_socket):
    hw = node_line()
    ctld_port, slurmd_port = free_ports(2)
    dirs = {k: os.path.join(tmp, k) for k in ("state", "spool", "log", "run")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    node = " ".join(f"{k}={hw[k]}" for k in ("CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore",
                                             "RealMemory") if k in hw)
    conf = f"""# Generated by tests/slurm/slurm_test.py: a private single-node cluster.
ClusterName=suanlitest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation={dirs['state']}
SlurmdSpoolDir={dirs['spool']}
SlurmctldPidFile={dirs['run']}/slurmctld.pid
SlurmdPidFile={dirs['run']}/slurmd.pid
SlurmctldLogFile={dirs['log']}/slurmctld.log
SlurmdLogFile={dirs['log']}/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
SlurmctldTimeout=60
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName={host} NodeAddr=127.0.0.1 {node} State=UNKNOWN
PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""
    path = os.path.join(tmp, "slurm.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path, dirs, hw, (ctld_port, slurmd_port)


def slurm(*cmd, timeout=60, check_rc=True, cwd=None):
    p = subprocess.run([which(cmd[0]), *cmd[1:]], env=cluster_env(), capture_output=True, text=True, timeout=timeout,
                       cwd=cwd)
    if check_rc and p.returncode != 0:
        die(f"{' '.join(cmd)} exited {p.returncode}: {(p.stderr or p.stdout).strip()}")
    return p


def start_cluster(tmp):
    host = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip() or socket.gethostname()
    munge_socket = start_munged(tmp)
    conf, dirs, hw, ports = write_conf(tmp, host, munge_socket)
    state["conf"] = conf
    env = cluster_env()
    ctld = start("slurmctld", [which("slurmctld"), "-D", "-c", "-i", "-f", conf],
                 os.path.join(dirs["log"], "slurmctld.out"), env, os.path.join(dirs["log"], "slurmctld.log"))

    def ctld_up():
        return slurm("scontrol", "ping", check_rc=False).stdout.find("UP") >= 0

    wait_for("slurmctld to answer scontrol ping", ctld_up, DAEMON_START_S, [("slurmctld", ctld)])
    slurmd = start("slurmd", [which("slurmd"), "-D", "-f", conf], os.path.join(dirs["log"], "slurmd.out"), env,
                   os.path.join(dirs["log"], "slurmd.log"))

    def node_idle():
        r = slurm("sinfo", "-h", "-N", "-n", host, "-o", "%T", check_rc=False)
        return r.returncode == 0 and r.stdout.strip() == "idle"

    wait_for(f"node {host} idle in sinfo", node_idle, NODE_IDLE_S, [("slurmctld", ctld), ("slurmd", slurmd)])
    version = slurm("sinfo", "--version").stdout.strip()
    check(True, f"{version}: slurmctld + slurmd up on {host} (ports {ports[0]}, {ports[1]}; "
                f"CPUs={hw.get('CPUs')} RealMemory={hw.get('RealMemory')}), node idle "
                f"({time.monotonic() - T0:.0f} s since start)")
    return host


# ---------------------------------------------------------------------------------------------------------
# 3. The sweep, locally and as a Slurm job array.

def suanli(*args, cwd=None):
    p = subprocess.run([SUANLI, *args], capture_output=True, text=True, timeout=600, cwd=cwd)
    if p.returncode != 0:
        die(f"suanli {' '.join(args)} exited {p.returncode}: {p.stderr.strip()[-2000:]}")
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def db_rows(d):
    db = sqlite3.connect(f"file:{os.path.join(d, 'results.sqlite')}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {}
        for t in tables:
            cols = [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
            order = ", ".join(f'"{c}"' for c in cols)
            rows[t] = db.execute(f'SELECT * FROM "{t}" ORDER BY {order}').fetchall()
        return rows
    finally:
        db.close()


def run_sweep_on_slurm(tmp):
    doc = {"name": "slurmtest", "scenario": SCENARIO, "seed": 5, "replications": 3,
           "axes": [{"name": "policy", "pointer": "/workload/classes/*/placement",
                     "values": ["least_loaded", "consolidate"]}],
           "run_arguments": ["--horizon-s", "300"]}
    spec = os.path.join(tmp, "slurmtest.json")
    with open(spec, "w") as f:
        json.dump(doc, f)
    local, sl = os.path.join(tmp, "local"), os.path.join(tmp, "sl")
    submit_dir = os.path.join(tmp, "submit")
    os.makedirs(submit_dir)

    t = time.monotonic()
    suanli("sweep", spec, "-o", local, "-j", "2")
    check(os.path.exists(os.path.join(local, "summary.csv")), f"local sweep: 6 runs in {time.monotonic() - t:.1f} s")

    # Relative sweep file and output folder, submitted from another directory: the script must not
    # depend on the directory it was emitted or submitted from.
    suanli("sweep", os.path.basename(spec), "-o", os.path.basename(sl), "--emit-slurm", "--shards", "3", "--cpus", "1",
           cwd=tmp)
    script = os.path.join(sl, "sweep.slurm")
    check(os.path.exists(script), f"--emit-slurm (relative paths) wrote {script}")

    t = time.monotonic()
    r = slurm("sbatch", "--parsable", script, cwd=submit_dir)
    job = r.stdout.strip().split(";")[0]
    check(job.isdigit(), f"sbatch --parsable: array job {job}")
    if not job.isdigit():
        die(f"unexpected sbatch output: {r.stdout!r} {r.stderr!r}")

    deadline = time.time() + JOB_TIMEOUT_S
    seen_states = set()
    while True:
        q = slurm("squeue", "-h", "-j", job, "-o", "%i %T %R", check_rc=False)
        if q.returncode == 0:
            lines = [l for l in q.stdout.splitlines() if l.strip()]
            seen_states.update(l.split()[1] for l in lines if len(l.split()) > 1)
            if not lines:
                break
        elif "Invalid job id" in q.stderr:
            break
        if time.time() > deadline:
            log(f"squeue: {q.stdout.strip()} {q.stderr.strip()}")
            die(f"job array {job} still queued or running after {JOB_TIMEOUT_S} s")
        for name, p in state["procs"]:
            if p.poll() is not None:
                die(f"{name} exited with {p.returncode} while job {job} was in the queue")
        time.sleep(1)
    check(True, f"job array {job} left the queue after {time.monotonic() - t:.1f} s "
                f"(states seen: {', '.join(sorted(seen_states)) or 'none'})")

    # Exit codes of the finished tasks (kept by slurmctld for MinJobAge seconds; no accounting needed).
    info = slurm("scontrol", "-o", "show", "job", job, check_rc=False)
    tasks = {}
    for line in info.stdout.splitlines():
        f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
        if "ArrayTaskId" in f:
            tasks[f["ArrayTaskId"]] = (f.get("JobState"), f.get("ExitCode"))
    if tasks:
        check(sorted(tasks) == ["1", "2", "3"] and all(s == ("COMPLETED", "0:0") for s in tasks.values()),
              f"scontrol show job: tasks {tasks}")

    outputs = [os.path.join(sl, f"slurm-{job}_{i}.out") for i in (1, 2, 3)]
    for i, out in enumerate(outputs, 1):
        if check(os.path.exists(out), f"array task {i} wrote {os.path.basename(out)}"):
            text = read(out).decode(errors="replace")
            line = next((l for l in text.splitlines() if l.startswith("sweep slurmtest:")), text.strip()[-200:])
            check("2 runs (0 already done, 2 ok, 0 failed)" in text, f"array task {i} ran its 2 runs: {line}")
        if not all(os.path.exists(os.path.join(sl, f"shard-{i}", n)) for n in ("summary.csv", "runs.csv")):
            log(f"----- {out} -----\n{tail(out) if os.path.exists(out) else '(missing)'}")
            die(f"array task {i} did not complete its shard folder {os.path.join(sl, f'shard-{i}')}")

    merged = os.path.join(sl, "all")
    suanli("collect", *[os.path.join(sl, f"shard-{i}") for i in (1, 2, 3)], "-o", merged)
    for name in ("summary.csv", "runs.csv"):
        a, b = read(os.path.join(local, name)), read(os.path.join(merged, name))
        check(a == b, f"collected {name} is byte-identical to the local sweep's ({len(b)} bytes)")
    la, sa = db_rows(local), db_rows(merged)
    counts = ", ".join(f"{t} {len(v)}" for t, v in sa.items())
    check(la == sa and sa.get("runs") and len(sa["runs"]) == 6,
          f"collected results.sqlite has the same rows as the local sweep's ({counts})")


def main():
    if not (os.access(SUANLI, os.X_OK) and os.path.exists(SCENARIO)):
        sys.exit(f"FAIL: {SUANLI} not executable or {SCENARIO} missing")
    ensure_slurm()
    if os.geteuid() != 0:
        skip("not root: this test runs slurmctld/slurmd as root (SlurmUser=root)", cannot="be run")
    reap_stale_runs()
    # In the temp dir: the job runs on this host as root, so it sees the sweep folders at the same paths.
    tmp = tempfile.mkdtemp(prefix="suanli-slurm-")
    os.chmod(tmp, 0o755)
    state["tmp"] = tmp
    with open(os.path.join(tmp, "owner"), "w") as f:
        f.write(f"{os.getpid()} {process_start(os.getpid())}\n")
    try:
        start_cluster(tmp)
        run_sweep_on_slurm(tmp)
    except subprocess.TimeoutExpired as e:
        die(f"timed out: {e}")
    finally:
        if failures:
            dump_logs()
        cleanup()
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    log(f"all slurm checks passed ({time.monotonic() - T0:.0f} s)")


if __name__ == "__main__":
    main()
