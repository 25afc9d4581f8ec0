#!/usr/bin/env python3
"""Bad-input catalogue, end to end: for every reader of user files — scenario JSON, SWF, Azure
inference CSV, Alibaba GPU CSV, EPW weather, carbon CSV — a dozen malformed inputs, each refused
by `suanli` with exit code 2, one line on stderr naming the file and the line or JSON pointer, and
no output file left behind. Then the limits (horizon, rows, gzip bombs, sizes, JSON depth, quoted
text, file types), user errors of the system (paths), inputs once accepted silently, and safe
outputs (temporary files, symbolic links, stale files, Ctrl-C). docs/hardening.md states the
number of cases; test_doc_states_the_count holds it to catalogue_size().

Usage: bad_inputs_test.py PATH_TO_SUANLI SOURCE_DIR
"""
import gzip
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

SUANLI = SOURCE = DATA = None
GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01"


def base_scenario():
    with open(os.path.join(SOURCE, "tests/data/schema_sample.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("$schema", None)
    for c in doc["cities"]:
        c.pop("weather_file", None)
    return doc


def mutations(text, data_line, field, sep):
    """Malformed variants of a valid text file: (name, bytes, fragment expected in the message)."""
    lines = text.splitlines()
    def with_field(value):
        cells = lines[data_line].split(sep) if sep else lines[data_line].split()
        cells[field] = value
        out = list(lines)
        out[data_line] = (sep or " ").join(cells)
        return ("\n".join(out) + "\n").encode()
    fewer = list(lines)
    cells = fewer[data_line].split(sep) if sep else fewer[data_line].split()
    fewer[data_line] = (sep or " ").join(cells[:-2])
    truncated = "\n".join(lines[:data_line] + [lines[data_line][: len(lines[data_line]) // 2]]) + "\n"
    swapped = list(lines)
    swapped[data_line], swapped[data_line + 1] = swapped[data_line + 1], swapped[data_line]
    return [
        ("truncated_line", truncated.encode(), "line"),
        ("wrong_column_count", ("\n".join(fewer) + "\n").encode(), "line"),
        ("text_in_number", with_field("abc"), "line"),
        ("nan", with_field("nan"), "line"),
        ("infinity", with_field("inf"), "line"),
        ("negative", with_field("-5"), "line"),
        ("huge", with_field("1e400"), "line"),
        ("out_of_order", ("\n".join(swapped) + "\n").encode(), "line"),
        ("non_utf8", ("\n".join(lines[:data_line]) + "\n").encode() + b"\xff\xfe\xfa caf\xe9\n", "line"),
        ("binary", GARBAGE, ""),
        ("empty", b"", ""),
    ]


def shipped(name):
    """A shipped scenario with its file paths made absolute, so a copy runs from any folder."""
    path = os.path.join(SOURCE, "scenarios", name)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("$schema", None)
    folder = os.path.dirname(path)
    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, str) and (k == "file" or k.endswith("_file")):
                    node[k] = os.path.normpath(os.path.join(folder, v))
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    return doc


def nested(depth):
    return "[" * depth + "]" * depth


SWF_LINE = "1 0 10 100 4 -1 -1 4 200 -1 1 1 1 -1 1 -1 -1 -1"


def specpower_cases():
    """Malformed SPECpower tables: (name, bytes, fragment expected in the message)."""
    values = "41.6 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105 113"
    def line(v):
        return (v + "\n").encode()
    cases = [
        ("truncated_line", line(values[:20]), "line"),
        ("ten_values", line(values.rsplit(" ", 1)[0]), "line"),
        ("text_in_number", line(values.replace("73", "abc")), "line"),
        ("nan", line(values.replace("73", "nan")), "line"),
        ("infinity", line(values.replace("73", "inf")), "line"),
        ("negative", line(values.replace("41.6", "-41.6")), "line"),
        ("huge", line(values.replace("113", "1e400")), "line"),
        ("decreasing", line(values.replace("105", "50")), "line"),
        ("non_utf8", b"41.6 46.7 \xff\xfe 57.9\n", "line"),
        ("binary", GARBAGE, ""),
        ("empty", b"", ""),
    ]
    return cases


def scenario_cases():
    """Malformed scenarios: (name, text, fragment expected in the message), and the valid text."""
    good = json.dumps(base_scenario(), indent=1)
    def variant(mutate):
        doc = base_scenario()
        mutate(doc)
        return json.dumps(doc)
    cases = [
        ("empty", "", "line 1"),
        ("truncated", good[: len(good) // 2], "line"),
        ("non_utf8", good.encode()[:40] + b"\xff\xfe" + good.encode()[40:], "line"),
        ("nan_literal", good.replace('"racks": 4000', '"racks": NaN', 1), "line"),
        ("string_for_number", variant(lambda d: d["sites"][0].update(racks="many")), "/sites/0/racks"),
        ("negative_racks", variant(lambda d: d["sites"][0].update(racks=-3)), "/sites/0/racks"),
        ("huge_number", good.replace('"racks": 4000', '"racks": 1e400', 1), "overflow"),
        ("absurd_racks", variant(lambda d: d["sites"][0].update(racks=10**12)), "/sites/0/racks"),
        ("unknown_kind", variant(lambda d: d["sites"][0].update(kind="mega")), "/sites/0/kind"),
        ("missing_city", variant(lambda d: d["links"][0].update(to="atlantis")), "/links/0/to"),
        ("unknown_field", variant(lambda d: d.update(colour="red")), "/colour"),
        ("wrong_type_array", variant(lambda d: d.update(cities={"a": 1})), "/cities"),
        ("negative_horizon", variant(lambda d: d.update(horizon_s=-1)), "/horizon_s"),
    ]
    return cases, good


class BadInputs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return self.path(name)

    def refused(self, args, file, fragment, case):
        out = self.path("out-" + case)
        r = subprocess.run([SUANLI, *args, *(["-o", out] if args[0] == "run" else [])],
                           capture_output=True, text=True, errors="replace", timeout=300)
        self.assertEqual(r.returncode, 2, f"{case}: exit {r.returncode}\n{r.stdout[-500:]}\n{r.stderr}")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"{case}: {r.stderr}")
        self.assertIn(file, lines[0], case)
        self.assertIn(fragment, lines[0], case)
        leftovers = os.listdir(out) if os.path.isdir(out) else []
        self.assertEqual(leftovers, [], f"{case}: outputs left behind")

    def catalogue(self, name, valid_text, data_line, field, sep, scenario_for, command):
        cases = mutations(valid_text, data_line, field, sep)
        for case, data, fragment in cases:
            with self.subTest(reader=name, case=case):
                f = self.write(f"{name}-{case}", data)
                self.refused(command(self.write(f"{name}-{case}.json", json.dumps(scenario_for(f)))), f, fragment, case)
        with self.subTest(reader=name, case="directory"):
            d = self.path(f"{name}-dir")
            os.makedirs(d, exist_ok=True)
            self.refused(command(self.write(f"{name}-dir.json", json.dumps(scenario_for(d)))), f"{name}-dir.json",
                         "/", "directory")
        with self.subTest(reader=name, case="missing"):
            m = self.path(f"{name}-missing")
            self.refused(command(self.write(f"{name}-missing.json", json.dumps(scenario_for(m)))),
                         f"{name}-missing.json", "/", "missing")
        self.assertGreaterEqual(len(cases) + 2, 12)

    # --- traces, through `suanli run` ----------------------------------------------------------
    def trace_scenario(self, kind, fmt, extra=None):
        def make(path):
            doc = base_scenario()
            doc["horizon_s"] = 1e7
            cls = {"name": "t", "kind": kind, "arrivals": {"process": "trace", "format": fmt, "file": path}}
            cls.update(extra or {})
            doc["workload"] = {"classes": [cls]}
            return doc
        return make

    def test_swf(self):
        with gzip.open(os.path.join(DATA, "swf/KTH-SP2-1996-2.1-cln.swf.gz"), "rt") as f:
            text = "\n".join(f.read().splitlines()[:40])
        first = next(i for i, l in enumerate(text.splitlines()) if not l.startswith(";"))
        self.catalogue("swf", text, first + 1, 3, None, self.trace_scenario("hpc_batch", "swf"),
                       lambda s: ["run", s, "--no-progress"])

    def test_azure_inference(self):
        with open(os.path.join(DATA, "inference/AzureLLMInferenceTrace_code.csv"), encoding="utf-8") as f:
            text = "\n".join(f.read().splitlines()[:30])
        self.catalogue("azure", text, 2, 1, ",", self.trace_scenario("ai_inference", "azure_inference"),
                       lambda s: ["run", s, "--no-progress"])

    def test_alibaba_gpu(self):
        with open(os.path.join(DATA, "gpu/openb_pod_list_default.csv"), encoding="utf-8") as f:
            text = "\n".join(f.read().splitlines()[:30])
        self.catalogue("alibaba", text, 2, 1, ",", self.trace_scenario("ai_training", "alibaba_gpu"),
                       lambda s: ["run", s, "--no-progress"])

    # --- energy inputs, through `suanli pue` ------------------------------------------------------
    def test_epw_weather(self):
        with open(os.path.join(DATA, "weather/CHN_Fujian.Fuzhou.588470_CSWD.epw"), encoding="utf-8",
                  errors="replace") as f:
            text = f.read()
        def make(path):
            doc = base_scenario()
            doc["cities"][0]["weather_file"] = path
            return doc
        # Field 9 (relative humidity): negative, NaN or huge values are all malformed there.
        self.catalogue("epw", text, 10, 8, ",", make, lambda s: ["pue", s])

    def test_carbon_csv(self):
        with open(os.path.join(DATA, "carbon/DE-LU_2023_hourly.csv"), encoding="utf-8") as f:
            text = f.read()
        def make(path):
            doc = base_scenario()
            doc["energy"] = {"grid": {"carbon_file": path}}
            return doc
        self.catalogue("carbon", text, 2, 4, ",", make, lambda s: ["pue", s])

    def test_specpower_table(self):
        cases = specpower_cases()
        def make(path):
            doc = base_scenario()
            doc["node_types"][0]["power_curve_file"] = path
            for p in doc["node_types"][0]["pstates"][:1]:
                p.pop("idle_w", None)
                p.pop("max_w", None)
            return doc
        for case, data, fragment in cases:
            with self.subTest(reader="specpower", case=case):
                f = self.write(f"specpower-{case}.txt", data)
                self.refused(["check", self.write(f"specpower-{case}.json", json.dumps(make(f)))], f, fragment, case)
        for case, target in (("directory", self.dir), ("missing", self.path("no-such-table.txt"))):
            with self.subTest(reader="specpower", case=case):
                self.refused(["check", self.write(f"specpower-{case}.json", json.dumps(make(target)))],
                             f"specpower-{case}.json", "/node_types/0/power_curve_file", case)

    # --- the scenario itself, through `suanli check` and `suanli run` ---------------------------
    def test_scenario_json(self):
        cases, good = scenario_cases()
        self.assertIn('"racks": 4000', good)
        for case, text, fragment in cases:
            with self.subTest(case=case):
                f = self.write(f"scenario-{case}.json", text)
                self.refused(["check", f], f, fragment, case)
                self.refused(["run", f], f, fragment, case + "-run")
        with self.subTest(case="directory"):
            self.refused(["check", self.dir], self.dir, "directory", "directory")

    def test_scale_limit_is_refused_up_front(self):
        doc = base_scenario()
        doc["platform"] = {"host_granularity": "server"}
        path = self.write("big.json", json.dumps(doc))
        env = dict(os.environ, SUANLI_MEMORY_LIMIT_GIB="0.01")
        out = self.path("out-big")
        r = subprocess.run([SUANLI, "run", path, "-o", out], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("/platform/host_granularity", r.stderr)
        self.assertIn("GiB", r.stderr)
        self.assertFalse(os.path.exists(out))


READER_KINDS = ("swf", "azure", "alibaba", "epw", "carbon")


def catalogue_size():
    """Bad inputs in this catalogue: each reader's mutations, a directory and a missing file; the
    SPECpower tables; the malformed scenarios and a directory; the scale limit; every case_ method."""
    per_reader = len(mutations("a b c d\na b c d\na b c d\n", 1, 0, None)) + 2
    return (len(READER_KINDS) * per_reader + len(specpower_cases()) + 2 + len(scenario_cases()[0]) + 1 + 1
            + len(Hardening.cases()))


class Hardening(unittest.TestCase):
    """Limits, paths, inputs once accepted silently, and safe outputs: one case_ method per bad input."""

    @classmethod
    def cases(cls, prefix="case_"):
        return sorted(n for n in dir(cls) if n.startswith(prefix))

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        for root, dirs, _ in os.walk(self.dir):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        self.tmp.cleanup()

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def scenario(self, name="teaching-small.json", mutate=None, raw=None):
        """A copy of a shipped scenario (absolute paths), edited by `mutate`, or `raw` text as is."""
        path = self.path("scenario-%d.json" % len(os.listdir(self.dir)))
        if raw is None:
            doc = shipped(name)
            if mutate:
                mutate(doc)
            raw = json.dumps(doc)
        with open(path, "wb") as f:
            f.write(raw if isinstance(raw, bytes) else raw.encode())
        return path

    def suanli(self, *args, code=2, fragment=None, within_s=60, env=None):
        """Runs suanli; asserts the exit code, that stderr names `fragment`, that each stderr line is
        short and printable (no raw control character), and that it finished within `within_s`."""
        t0 = time.monotonic()
        r = subprocess.run([SUANLI, *args], capture_output=True, timeout=within_s + 30, env=env)
        took = time.monotonic() - t0
        err = r.stderr.decode("utf-8", "replace")
        self.assertEqual(r.returncode, code, f"{args}: exit {r.returncode}\n{err[-2000:]}")
        self.assertLess(took, within_s, f"{args}: took {took:.1f} s")
        if fragment is not None:
            self.assertIn(fragment, err, args)
        for line in err.splitlines():
            self.assertLess(len(line), 1500, f"an error line of {len(line)} characters")
            self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line), f"a raw control character: {line!r}")
        return r

    def no_outputs(self, out):
        left = os.listdir(out) if os.path.isdir(out) else []
        self.assertEqual(left, [], "outputs left behind")

    def run_all(self, prefix):
        names = self.cases(prefix)
        self.assertGreater(len(names), 0)
        root = self.dir
        for name in names:
            with self.subTest(case=name):
                self.dir = os.path.join(root, name)  # each case in a folder of its own
                os.mkdir(self.dir)
                getattr(self, name)()
        self.dir = root

    def test_limits(self):
        self.run_all("case_limit_")

    def test_paths(self):
        self.run_all("case_path_")

    def test_accepted_silently_before(self):
        self.run_all("case_silent_")

    def test_outputs(self):
        self.run_all("case_output_")

    # --- limits stated and enforced before any work ------------------------------------------------
    def case_limit_horizon_nan_option(self):
        out = self.path("out-nan")
        self.suanli("run", self.scenario(), "-o", out, "--horizon-s", "nan", fragment="--horizon-s", within_s=5)
        self.assertFalse(os.path.exists(out))

    def case_limit_horizon_1e308_option(self):
        out = self.path("out-1e308")
        self.suanli("run", self.scenario(), "-o", out, "--horizon-s", "1e308", fragment="10 years", within_s=5)
        self.assertFalse(os.path.exists(out))

    def case_limit_horizon_1e300_scenario(self):
        s = self.scenario(mutate=lambda d: d.update(horizon_s=1e300))
        self.suanli("check", s, fragment="/horizon_s", within_s=5)
        self.suanli("run", s, "-o", self.path("out"), fragment="/horizon_s", within_s=5)
        self.assertFalse(os.path.exists(self.path("out")))

    def case_limit_sampling_1e_300(self):
        s = self.scenario(mutate=lambda d: d["outputs"].update(sampling_interval_s=1e-300))
        self.suanli("run", s, "-o", self.path("out"), fragment="/outputs/sampling_interval_s", within_s=5)
        self.assertFalse(os.path.exists(self.path("out")))

    def case_limit_timeseries_rows(self):
        # A year sampled every second at 5 sites: 158 million rows, refused before any work...
        s = self.scenario(mutate=lambda d: (d.update(horizon_s=31536000), d["outputs"].update(sampling_interval_s=1)))
        r = self.suanli("run", s, "-o", self.path("out"), fragment="max_timeseries_rows", within_s=5)
        self.assertIn("157680000 rows of timeseries.csv (31536000 samples x 5 sites)", r.stderr.decode())
        self.assertFalse(os.path.exists(self.path("out")))
        # ...and accepted once the limit is raised (in the scenario, or with run --max-rows).
        self.suanli("check", s, "--set", "/outputs/max_timeseries_rows=200000000", code=0, within_s=30)
        self.suanli("run", s, "-o", self.path("out"), "--max-rows", "100", fragment="the limit is 100", within_s=5)

    def case_limit_gzip_bomb(self):
        # 256 MiB of valid SWF lines in about 0.3 MB of gzip: refused in seconds, in little memory.
        bomb = self.path("bomb.swf.gz")
        line = (SWF_LINE + "\n").encode()
        with gzip.open(bomb, "wb", compresslevel=9) as f:
            chunk = line * (4 * 1024 * 1024 // len(line))
            for _ in range(64):
                f.write(chunk)
        self.assertLess(os.path.getsize(bomb), 2 * 1024 * 1024)
        s = self.scenario(mutate=lambda d: d["workload"]["classes"][2]["arrivals"].update(file=bomb))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.suanli("run", s, "-o", self.path("out"), "--no-progress", fragment="expand more than 50 times",
                    within_s=20)
        self.no_outputs(self.path("out"))
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if peak_kib > before:  # the largest child so far was this one
            self.assertLess(peak_kib, 1024 * 1024, "the bomb took more than 1 GiB of memory")

    def case_limit_swf_size_overflow(self):
        trace = self.path("overflow.swf")
        with open(trace, "w") as f:
            f.write(SWF_LINE.replace(" 4 -1 -1 4 ", " 2147483647 -1 -1 2147483647 ", 1) + "\n")
        s = self.scenario(mutate=lambda d: d["workload"]["classes"][2]["arrivals"].update(file=trace))
        r = self.suanli("run", s, "-o", self.path("out"), "--no-progress", fragment="cores_per_proc", within_s=30)
        self.assertIn(trace + ": line 1:", r.stderr.decode())
        self.assertIn("137438953408 cores", r.stderr.decode())  # 2147483647 x 64, not wrapped
        self.no_outputs(self.path("out"))

    def case_limit_json_depth_set(self):
        self.suanli("check", self.scenario(), "--set", "/description=" + nested(50000), fragment="nested deeper",
                    within_s=10)

    def case_limit_json_depth_scenario(self):
        s = self.scenario(raw=json.dumps(shipped("teaching-small.json"))[:-1] + ', "x": ' + nested(100000) + "}")
        self.suanli("check", s, fragment="/x/0/0/0", within_s=10)

    def case_limit_json_depth_sweep_set(self):
        sweep = self.path("sweep.json")
        with open(sweep, "w") as f:
            f.write('{"name": "deep", "scenario": %s, "set": {"/description": %s}}'
                    % (json.dumps(self.scenario()), nested(100000)))
        self.suanli("sweep", sweep, "-o", self.path("sweep-out"), fragment="nested deeper", within_s=10)

    def case_limit_ten_megabyte_key(self):
        key = "k" * (10 * 1024 * 1024)
        r = self.suanli("check", self.scenario(mutate=lambda d: d.update({key: 1})), fragment="unknown field",
                        within_s=20)
        self.assertLess(len(r.stderr), 2000)
        self.assertIn(b"bytes)", r.stderr)

    def case_limit_terminal_escapes_in_key(self):
        r = self.suanli("check", self.scenario(mutate=lambda d: d.update({"\x1b]0;owned\x07\x1b[31mred\nline": 1})),
                        fragment="unknown field", within_s=10)
        self.assertIn(b"\\x1b]0;owned\\x07\\x1b[31mred\\nline", r.stderr)
        self.assertEqual(len(r.stderr.decode().strip().splitlines()), 1)

    def case_limit_thousands_of_errors(self):
        def many(d):
            d["sites"] = [dict(d["sites"][2], name="edge-%d" % i, racks=-1) for i in range(3000)] + d["sites"]
        r = self.suanli("check", self.scenario(mutate=many), fragment="/sites/49/racks", within_s=20)
        lines = r.stderr.decode().splitlines()
        self.assertEqual(len(lines), 51)
        self.assertRegex(lines[-1], r"^error: .*: \d+ more errors not listed$")

    def case_limit_fifo_scenario(self):
        fifo = self.path("fifo.json")
        os.mkfifo(fifo)
        self.suanli("check", fifo, fragment="not a regular file", within_s=5)

    def case_limit_fifo_trace(self):
        fifo = self.path("fifo.swf")
        os.mkfifo(fifo)
        s = self.scenario(mutate=lambda d: d["workload"]["classes"][2]["arrivals"].update(file=fifo))
        self.suanli("run", s, "-o", self.path("out"), "--no-progress", fragment="not a regular file", within_s=10)

    def case_limit_dev_zero_scenario(self):
        self.suanli("check", "/dev/zero", fragment="/dev/zero: is not a regular file", within_s=5)

    def case_limit_output_onto_fifo(self):
        fifo = self.path("out.xml")
        os.mkfifo(fifo)
        self.suanli("platform", self.scenario(), "-o", fifo, fragment="not a regular file", within_s=10)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def case_limit_output_onto_character_device(self):
        if os.geteuid() != 0:
            self.skipTest("making a character device needs root")
        device = self.path("null")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        for args in (["platform", self.scenario(), "-o", device], ["capacity", self.scenario(), "--csv", device]):
            self.suanli(*args, fragment="not a regular file", within_s=10)
            self.assertTrue(stat.S_ISCHR(os.lstat(device).st_mode), args)

    # --- the system's refusals are user errors (exit 2), not internal errors (exit 3) -------------
    def case_path_output_below_a_file(self):
        below = self.path("a-file", "run")
        open(self.path("a-file"), "w").close()
        self.suanli("run", self.scenario(), "-o", below, fragment="a-file", within_s=10)
        self.suanli("report", self.scenario(), "-o", os.path.join(below, "r.html"), within_s=10)

    def case_path_permission_denied(self):
        if os.geteuid() == 0:  # root reads and writes anything: a path in /proc refuses it instead
            self.suanli("run", self.scenario(), "-o", "/proc/suanli-out", within_s=10)
            return
        s = self.scenario()
        os.chmod(s, 0)
        self.suanli("check", s, fragment="Permission denied", within_s=5)
        locked = self.path("locked")
        os.mkdir(locked, 0o500)
        self.suanli("run", self.scenario(), "-o", os.path.join(locked, "out"), fragment="ermission denied",
                    within_s=10)

    def case_path_proc_files(self):
        self.suanli("check", "/proc/self/mem", within_s=5)
        self.suanli("check", "/proc/self/status", fragment="invalid JSON", within_s=5)

    def case_path_name_too_long(self):
        long = self.path("n" * 5000 + ".json")
        self.suanli("check", long, fragment="File name too long", within_s=5)
        self.suanli("run", self.scenario(), "-o", self.path("o" * 300), fragment="File name too long", within_s=10)

    # --- accepted silently before: now refused -----------------------------------------------------
    def case_silent_duplicate_key(self):
        text = json.dumps(shipped("teaching-small.json"))
        text = text.replace('"racks": 150', '"racks": 150, "racks": 15', 1)
        r = self.suanli("check", self.scenario(raw=text), fragment="/sites/0/racks", within_s=5)
        self.assertIn('"racks" appears twice', r.stderr.decode())

    def case_silent_text_after_nul(self):
        text = json.dumps(shipped("teaching-small.json")).encode() + b"\x00 garbage {"
        self.suanli("check", self.scenario(raw=text), fragment="NUL byte", within_s=5)

    def case_silent_nul_in_name(self):
        s = self.scenario(mutate=lambda d: d["sites"][1].update(name="xiamen\x00gpu"))
        self.suanli("check", s, fragment="/sites/1/name", within_s=5)
        out = self.path("platform.xml")
        self.suanli("platform", s, "-o", out, fragment="control characters", within_s=5)
        self.assertFalse(os.path.exists(out))

    def case_silent_whitespace_name(self):
        self.suanli("check", self.scenario(mutate=lambda d: d["cities"][2].update(name=" \t ")),
                    fragment="/cities/2/name", within_s=5)

    def case_silent_newline_in_name(self):
        s = self.scenario(mutate=lambda d: d["workload"]["classes"][0].update(name="edge\nrequests"))
        self.suanli("run", s, "-o", self.path("out"), fragment="/workload/classes/0/name", within_s=5)

    def case_silent_newline_in_sweep_axis(self):
        sweep = self.path("sweep.json")
        with open(sweep, "w") as f:
            json.dump({"name": "s", "scenario": self.scenario(),
                       "axes": [{"name": "queue\n,evil", "pointer": "/scheduling/queue", "values": ["fcfs"]}]}, f)
        self.suanli("sweep", sweep, "-o", self.path("sweep-out"), fragment="/axes/0/name", within_s=5)

    def case_silent_carbon_1e300(self):
        s = self.scenario(mutate=lambda d: d.setdefault("energy", {}).update(grid={"carbon_kg_per_kwh": 1e300}))
        self.suanli("check", s, fragment="/energy/grid/carbon_kg_per_kwh", within_s=5)

    def case_silent_carbon_file_1e300(self):
        with open(os.path.join(DATA, "carbon/DE-LU_2023_hourly.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        cells = lines[2].split(",")
        cells[4] = "1e300"
        lines[2] = ",".join(cells)
        carbon = self.path("carbon.csv")
        with open(carbon, "w") as f:
            f.write("\n".join(lines) + "\n")
        s = self.scenario(mutate=lambda d: d.setdefault("energy", {}).update(grid={"carbon_file": carbon}))
        self.suanli("pue", s, fragment=carbon + ": line 3", within_s=30)

    def case_silent_seed_minus_one(self):
        self.suanli("run", self.scenario(), "-o", self.path("out"), "--seed", "-1", fragment="--seed", within_s=5)

    def case_silent_seed_two_to_the_64(self):
        self.suanli("run", self.scenario(), "-o", self.path("out"), "--seed", str(2 ** 64), fragment="--seed",
                    within_s=5)

    def case_silent_pointer_leading_zero(self):
        self.suanli("check", self.scenario(), "--set", "/sites/00/racks=5", fragment="leading zeros", within_s=5)
        self.suanli("check", self.scenario(), "--set", "/sites/0/racks=500", code=0, within_s=30)

    def case_silent_formula_in_spreadsheet_csv(self):
        s = self.scenario(mutate=lambda d: d["sites"][2].update(name="=HYPERLINK(\"http://x\",\"y\")"))
        csv = self.path("headroom.csv")
        self.suanli("capacity", s, "--csv", csv, code=0, within_s=30)
        with open(csv, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('"\'=HYPERLINK(""http://x"",""y"")"', text)
        self.assertNotIn(',"=HYPERLINK', text)

    # --- safe outputs ------------------------------------------------------------------------------
    def case_output_planted_symlinks(self):
        out = self.path("run")
        os.mkdir(out)
        victim = self.path("victim.txt")
        with open(victim, "w") as f:
            f.write("keep me\n")
        for name in ("summary.json", "summary.json.partial", "jobs.csv.partial", "timeseries.csv"):
            os.symlink(victim, os.path.join(out, name))
        self.suanli("run", self.scenario(), "-o", out, "--no-progress", code=0, within_s=120)
        with open(victim) as f:
            self.assertEqual(f.read(), "keep me\n")
        for name in ("summary.json", "timeseries.csv"):
            self.assertTrue(stat.S_ISREG(os.lstat(os.path.join(out, name)).st_mode), name)

    def case_output_run_owns_its_folder(self):
        out = self.path("run")
        self.suanli("run", self.scenario(), "-o", out, "--gzip", "--decision-log", "--no-progress", code=0,
                    within_s=120)
        self.assertIn("jobs.csv.gz", os.listdir(out))
        self.assertIn("decisions.csv", os.listdir(out))
        self.suanli("run", self.scenario(), "-o", out, "--no-progress", code=0, within_s=120)
        self.assertEqual(sorted(os.listdir(out)), ["jobs.csv", "scenario.json", "summary.json", "timeseries.csv"])

    def case_output_ctrl_c(self):
        out = self.path("run")
        s = self.scenario(mutate=lambda d: d.update(horizon_s=30 * 86400))
        for sig in (signal.SIGINT, signal.SIGTERM):
            p = subprocess.Popen([SUANLI, "run", s, "-o", out, "--no-progress"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(n.endswith(".partial") for n in
                                                          (os.listdir(out) if os.path.isdir(out) else [])):
                time.sleep(0.05)
            time.sleep(0.5)
            self.assertIsNone(p.poll(), "the run ended before the signal")
            p.send_signal(sig)
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 130, err.decode()[-1000:])
            self.assertIn(b"interrupted", err)
            self.assertEqual(os.listdir(out), [], sig)

    def test_doc_states_the_count(self):
        with open(os.path.join(SOURCE, "docs/hardening.md"), encoding="utf-8") as f:
            doc = f.read()
        m = re.search(r"The catalogue holds \*\*(\d+)\*\* bad inputs", doc)
        self.assertIsNotNone(m, "docs/hardening.md must say 'The catalogue holds **N** bad inputs'")
        self.assertEqual(int(m.group(1)), catalogue_size(), "update the count in docs/hardening.md")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print("usage: bad_inputs_test.py PATH_TO_SUANLI SOURCE_DIR", file=sys.stderr)
        sys.exit(2)
    SUANLI, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    DATA = os.path.join(SOURCE, "..", "shared", "data")
    unittest.main(argv=[sys.argv[0], "-v"])
