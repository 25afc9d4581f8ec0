#!/usr/bin/env python3
"""Bad-input catalogue, end to end: for every reader of user files — scenario JSON, SWF, Azure
inference CSV, Alibaba GPU CSV, EPW weather, carbon CSV — a dozen malformed inputs, each refused
by `suanli` with exit code 2, one line on stderr naming the file and the line or JSON pointer, and
no output file left behind.

Usage: bad_inputs_test.py PATH_TO_SUANLI SOURCE_DIR
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile
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


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print("usage: bad_inputs_test.py PATH_TO_SUANLI SOURCE_DIR", file=sys.stderr)
        sys.exit(2)
    SUANLI, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    DATA = os.path.join(SOURCE, "..", "shared", "data")
    unittest.main(argv=[sys.argv[0], "-v"])
