#!/usr/bin/env python3
"""End-to-end tests of the `suanli` command line: exit codes, one-line errors naming the file and
JSON pointer, machine-readable output, and no half-written outputs.

Usage: cli_test.py PATH_TO_SUANLI SOURCE_DIR
"""
import copy
import csv
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

SUANLI = None
SOURCE = None


def run(*args, cwd=None):
    return subprocess.run([SUANLI, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def absolutize(doc, base):
    """Makes the file paths of a scenario absolute (resolved against `base`), so a copy can live in a
    temporary folder: weather files, trace files, the carbon file."""
    def fix(obj, key):
        if obj.get(key):
            obj[key] = os.path.normpath(os.path.join(base, obj[key]))
    for place in doc.get("cities", []) + doc.get("sites", []):
        fix(place, "weather_file")
    for c in doc.get("workload", {}).get("classes", []):
        fix(c.get("arrivals", {}), "file")
    fix(doc.get("energy", {}).get("grid", {}), "carbon_file")
    return doc


def shipped(name):
    """A shipped scenario as a document whose paths work from any folder."""
    with open(os.path.join(SOURCE, "scenarios", name), encoding="utf-8") as f:
        return absolutize(json.load(f), os.path.join(SOURCE, "scenarios"))


def sample():
    with open(os.path.join(SOURCE, "tests/data/schema_sample.json"), encoding="utf-8") as f:
        return json.load(f)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, doc):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def assert_one_line_error(self, result, *fragments):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        self.assertEqual(result.stdout, "")

    def test_run_json_prints_the_summary(self):
        out = os.path.join(self.dir, "json")
        r = run("run", os.path.join(SOURCE, "scenarios/teaching-small.json"), "-o", out, "--horizon-s", "600",
                "--no-progress", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "summary.json")) as f:
            self.assertEqual(json.loads(r.stdout), json.load(f))

    # --- the period a run covers -------------------------------------------------------------
    def test_run_says_which_part_of_the_year_its_pue_covers(self):
        out = os.path.join(self.dir, "period")
        r = run("run", os.path.join(SOURCE, "scenarios/teaching-small.json"), "-o", out, "--horizon-s", "7200", "--no-progress",
                "--set", "/energy/start_hour_of_year=4344")  # 1 July, 00:00
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "summary.json")) as f:
            period = json.load(f)["period"]
        self.assertEqual((period["from"], period["to"], period["annual"]), ("07-01 00:00", "07-01 02:00", False))
        self.assertAlmostEqual(period["hours"], 2.0)
        self.assertIn("2.00 h simulated, 07-01 00:00 to 07-01 02:00 of the weather year", r.stdout)
        self.assertIn("PUE over the simulated period only", r.stdout)
        total = [l for l in r.stdout.splitlines() if l.strip().startswith("total")][0]
        self.assertNotIn("PASS", total)  # no annual verdict from two hours
        self.assertNotIn("FAIL", total)

    # --- the reference scenario -------------------------------------------------------------
    def test_check_fujian_prints_the_circle(self):
        r = run("check", os.path.join(SOURCE, "scenarios/fujian-2025.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        for text in ("Latency circle", "Central cities", "Coverage", "150,000 standard racks", "Violations:"):
            self.assertIn(text, r.stdout)

    def test_check_json_reports_coverage(self):
        r = run("check", "--json", os.path.join(SOURCE, "scenarios/fujian-2025.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        cov = report["coverage"]
        for key in ("sites_within_city_budget", "cities_within", "central_pairs_within", "demand_weight_within"):
            self.assertGreaterEqual(cov[key], 0.0)
            self.assertLessEqual(cov[key], 1.0)
        self.assertEqual(report["totals"]["racks"], 150000)
        self.assertEqual(len(report["latency_circle"]["cities"]), 10)
        self.assertEqual(cov["sites_total"], len(report["sites"]))
        # Coverage agrees with the per-site entries it summarises.
        within = sum(c["sites_within"] for c in report["latency_circle"]["cities"])
        self.assertEqual(within, cov["sites_within"])
        self.assertEqual(len(report["violations"]), cov["sites_total"] - cov["sites_within"]
                         + sum(c["centre_pairs"] - c["centre_pairs_within"] for c in report["latency_circle"]["cities"])
                         + sum(1 for p in report["latency_circle"]["central_pairs"] if not p["within"])
                         + sum(1 for d in report["latency_circle"]["demand_points"] if not d["within"]))

    def test_strict_exits_1_on_violations(self):
        doc = sample()
        doc["latency_targets"] = {"intra_city_s": 1e-6}
        path = self.write("tight.json", doc)
        self.assertEqual(run("check", path).returncode, 0)
        self.assertEqual(run("check", "--strict", path).returncode, 1)
        self.assertEqual(run("check", "--strict", os.path.join(SOURCE, "tests/data/schema_sample.json")).returncode, 0)

    def test_same_input_same_bytes(self):
        path = os.path.join(SOURCE, "scenarios/teaching.json")
        a = run("check", "--json", path).stdout
        b = run("check", "--json", path).stdout
        self.assertEqual(a, b)
        x1, x2 = os.path.join(self.dir, "a.xml"), os.path.join(self.dir, "b.xml")
        run("platform", path, "-o", x1)
        run("platform", path, "-o", x2)
        with open(x1, "rb") as f1, open(x2, "rb") as f2:
            self.assertEqual(f1.read(), f2.read())

    # --- malformed scenarios: exit 2, one line naming file and field ---------------------------
    def test_bad_json(self):
        path = self.write("bad.json", '{"format_version": 1,\n "name": }')
        self.assert_one_line_error(run("check", path), path, "line 2", "invalid JSON")

    def test_string_where_number_belongs(self):
        doc = sample()
        doc["sites"][1]["racks"] = "ten"
        path = self.write("s.json", doc)
        self.assert_one_line_error(run("check", path), path, "/sites/1/racks", "expected an integer")

    def test_unknown_site_kind(self):
        doc = sample()
        doc["sites"][0]["kind"] = "hyper_dc"
        path = self.write("k.json", doc)
        self.assert_one_line_error(run("check", path), path, "/sites/0/kind", "edge_dc")

    def test_link_to_missing_city(self):
        doc = sample()
        doc["links"][0]["to"] = "nowhere"
        path = self.write("l.json", doc)
        self.assert_one_line_error(run("check", path), path, "/links/0/to", '"nowhere"')

    def test_negative_rack_count(self):
        doc = sample()
        doc["sites"][0]["racks"] = -1
        path = self.write("n.json", doc)
        self.assert_one_line_error(run("check", path), path, "/sites/0/racks", "-1")

    def test_unknown_field_and_lenient(self):
        doc = sample()
        doc["sites"][0]["colour"] = "red"
        path = self.write("u.json", doc)
        self.assert_one_line_error(run("check", path), path, "/sites/0/colour", "valid:")
        r = run("check", "--lenient", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warning:", r.stderr)

    def test_missing_file_and_directory(self):
        missing = os.path.join(self.dir, "nope.json")
        self.assert_one_line_error(run("check", missing), missing, "no such file")
        self.assert_one_line_error(run("check", self.dir), self.dir, "is a directory")

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("check").returncode, 2)
        self.assertEqual(run("plan-edge", "--candidates", "moon", os.path.join(SOURCE, "scenarios/teaching.json")).returncode, 2)

    def test_unknown_command_suggests_the_closest(self):
        for word, closest in (("chek", "check"), ("rn", "run"), ("plan_edge", "plan-edge"), ("capacty", "capacity"),
                              ("reprot", "report")):
            r = run(word, os.path.join(SOURCE, "scenarios/teaching.json"))
            self.assert_one_line_error(r, f"unknown command '{word}'; did you mean '{closest}'?")
        r = run("frobnicate")
        self.assert_one_line_error(r, "unknown command 'frobnicate'", "suanli --help")
        self.assertNotIn("did you mean", r.stderr)

    def test_number_options_say_what_they_expect(self):
        small = os.path.join(SOURCE, "scenarios/teaching-small.json")
        out = os.path.join(self.dir, "never")
        for value in ("-5", "0", "nan", "inf", "-inf", "abc", "1e400"):
            r = run("run", small, "-o", out, "--no-progress", "--horizon-s=" + value)
            self.assert_one_line_error(r, f"--horizon-s: expected a positive number of seconds, got {value}")
            self.assertFalse(os.path.exists(out))
        r = run("run", small, "-o", out, "--horizon-s", "-5")
        self.assert_one_line_error(r, "--horizon-s: expected a positive number of seconds, got -5")
        teaching = os.path.join(SOURCE, "scenarios/teaching.json")
        for args, message in ((["run", small, "-o", out, "--idle-off-s", "-1"], "--idle-off-s: expected a number of seconds >= 0"),
                              (["run", small, "-o", out, "--growth-month", "1.5"], "--growth-month: expected a whole number"),
                              (["pue", teaching, "--it-load", "nan"], "--it-load: expected a share between 0 and 1, got nan"),
                              (["pue", teaching, "--it-load", "2"], "--it-load: expected a share between 0 and 1, got 2"),
                              (["plan-edge", teaching, "--budget-ms", "inf"], "--budget-ms: expected a positive number of milliseconds"),
                              (["plan-edge", teaching, "--grid-km", "-1"], "--grid-km: expected a positive number of kilometres")):
            self.assert_one_line_error(run(*args), message)
            self.assertFalse(os.path.exists(out))

    def test_help_and_version(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        for sub in ("check", "plan-edge", "platform", "show"):
            self.assertIn(sub, r.stdout)
        commands = re.findall(r"^  ([a-z][a-z-]*) ", r.stdout, re.M)
        self.assertIn("sweep", commands)
        for sub in commands:
            h = run(sub, "--help")
            self.assertEqual(h.returncode, 0, (sub, h.stderr))
            self.assertIn("Usage: suanli " + sub, h.stdout)
            self.assertNotIn("%%", h.stdout, sub)  # CLI11 prints help text as it is, no printf escapes
        self.assertNotIn("%%", r.stdout)
        self.assertIn("index % N", run("sweep", "--help").stdout)
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("suanli "))

    # --- outputs: atomic, never half-written ----------------------------------------------------
    def test_platform_export_is_atomic(self):
        out = os.path.join(self.dir, "platform.xml")
        r = run("platform", os.path.join(SOURCE, "scenarios/teaching.json"), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.rstrip().endswith("</platform>"))
        self.assertEqual(sorted(os.listdir(self.dir)), ["platform.xml"])
        # A bad scenario leaves no output behind, and does not clobber an earlier one.
        doc = sample()
        doc["sites"][0]["racks"] = -1
        bad = self.write("bad.json", doc)
        out2 = os.path.join(self.dir, "other.xml")
        self.assertEqual(run("platform", bad, "-o", out2).returncode, 2)
        self.assertFalse(os.path.exists(out2))
        self.assertEqual(run("platform", bad, "-o", out).returncode, 2)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), text)
        missing_dir = os.path.join(self.dir, "no", "such", "dir.xml")
        self.assert_one_line_error(run("platform", os.path.join(SOURCE, "scenarios/teaching.json"), "-o", missing_dir),
                                   "does not exist")

    def test_platform_build_verifies_latencies(self):
        r = run("platform", os.path.join(SOURCE, "scenarios/teaching.json"), "--build", "--verify")
        self.assertEqual(r.returncode, 0, r.stderr)
        stats = json.loads(r.stdout)
        self.assertGreater(stats["hosts"], 0)
        self.assertEqual(stats["verified_routes"], stats["site_routes"])
        self.assertLess(stats["max_latency_difference_s"], 1e-6)

    # --- plan-edge and show ---------------------------------------------------------------------
    def test_plan_edge_tight_budget_proposes_sites(self):
        fujian = os.path.join(SOURCE, "scenarios/fujian-2025.json")
        r = run("plan-edge", "--json", "--budget-ms", "0.15", "--ignore-existing-edge", fujian)
        self.assertEqual(r.returncode, 0, r.stderr)
        plan = json.loads(r.stdout)
        self.assertGreater(len(plan["proposed"]), 0)
        self.assertGreaterEqual(plan["covered_after"], plan["covered_before"])
        covered = sum(len(p["covers"]) for p in plan["proposed"])
        self.assertEqual(covered, plan["covered_after"] - plan["covered_before"])
        sites_out = os.path.join(self.dir, "new-sites.json")
        r = run("plan-edge", "--budget-ms", "0.15", "--ignore-existing-edge", "--sites-output", sites_out, fujian)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(sites_out, encoding="utf-8") as f:
            sites = json.load(f)
        self.assertEqual(len(sites), len(plan["proposed"]))
        self.assertTrue(all(s["kind"] == "edge_dc" for s in sites))

    def test_show_round_trips(self):
        r = run("show", self.write("teaching.json", shipped("teaching.json")))
        self.assertEqual(r.returncode, 0, r.stderr)
        resolved = self.write("resolved.json", r.stdout)
        again = run("show", resolved)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout, r.stdout)

    # --- run: outputs, determinism, sampling, bad input ------------------------------------------
    def run_teaching(self, out, *extra, scenario=None):
        scenario = scenario or os.path.join(SOURCE, "scenarios/teaching-small.json")
        r = run("run", scenario, "-o", out, "--horizon-s", "300", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def read(self, path, mode="rb"):
        with open(path, mode) as f:
            return f.read()

    def test_run_writes_three_outputs(self):
        out = os.path.join(self.dir, "out")
        r = self.run_teaching(out)
        self.assertIn("budget met", r.stdout)
        self.assertEqual(sorted(os.listdir(out)), ["jobs.csv", "scenario.json", "summary.json", "timeseries.csv"])
        summary = json.loads(self.read(os.path.join(out, "summary.json"), "r"))
        jobs = self.read(os.path.join(out, "jobs.csv"), "r").splitlines()
        self.assertEqual(len(jobs) - 1, summary["jobs"]["submitted"])
        j = summary["jobs"]
        self.assertEqual(j["submitted"], j["completed"] + j["rejected"] + j["unfinished"])
        self.assertEqual(summary["simulated_s"], 300)
        series = self.read(os.path.join(out, "timeseries.csv"), "r").splitlines()
        self.assertEqual(len(series) - 1, 5 * 5)  # 5 sites x samples at 60..300 s

    def test_decision_log_has_one_line_per_placed_job(self):
        out = os.path.join(self.dir, "decisions")
        self.run_teaching(out, "--decision-log", "--set", "/workload/classes/1/placement=round_robin")
        with open(os.path.join(out, "decisions.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        summary = json.loads(self.read(os.path.join(out, "summary.json"), "r"))
        self.assertEqual(len(rows), summary["jobs"]["submitted"])
        for r in rows:
            candidates = r["candidates"].split(";") if r["candidates"] else []
            if r["chosen"]:
                self.assertIn(r["chosen"], candidates, r)
        self.assertEqual({r["policy"] for r in rows if r["class"] == "inference"}, {"round_robin"})

    def test_set_edits_and_policy_overrides_reach_the_run(self):
        out = os.path.join(self.dir, "edited")
        self.run_teaching(out, "--placement", "consolidate", "--queue", "easy", "--idle-off-s", "120",
                          "--set", "/scheduling/allocation=best_fit")
        resolved = json.loads(self.read(os.path.join(out, "scenario.json"), "r"))
        self.assertEqual({c["placement"] for c in resolved["workload"]["classes"]}, {"consolidate"})
        self.assertEqual(resolved["scheduling"]["queue"], "easy")
        self.assertEqual(resolved["scheduling"]["allocation"], "best_fit")
        self.assertEqual(resolved["scheduling"]["power"]["idle_off_s"], 120)
        for bad, where in [(["--placement", "fastest"], "/workload/classes/0/placement"),
                           (["--set", "/scheduling/queue=lifo"], "/scheduling/queue"),
                           (["--set", "/workload/classes/9/cores=1"], "/workload/classes/9/cores"),
                           (["--set", "scheduling=1"], "--set")]:
            r = run("run", os.path.join(SOURCE, "scenarios/teaching-small.json"), "-o", os.path.join(self.dir, "x"), *bad)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertIn(where, r.stderr)
            # one line per error (--placement names every class)
            self.assertTrue(all(line.startswith("error: ") for line in r.stderr.strip().splitlines()), r.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "x", "summary.json")))

    def test_set_examples_of_readme_and_help_run_as_shown(self):
        """The --set example of the README and of every --help runs as shown on the shipped scenarios
        with a workload."""
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            examples = re.findall(r"`(--set [^`]*)`", f.read())
        self.assertTrue(examples, "README.md shows no --set example")
        for sub in ("check", "run", "pue", "show", "plan-edge", "platform", "capacity"):
            r = run(sub, "--help")
            self.assertEqual(r.returncode, 0, r.stderr)
            shown = re.findall(r"e\.g\. (--set \S+)", r.stdout)
            self.assertTrue(shown, sub + " --help shows no --set example")
            examples += shown
        for example in examples:
            args = shlex.split(example)
            for name in sorted(os.listdir(os.path.join(SOURCE, "scenarios"))):
                path = os.path.join(SOURCE, "scenarios", name)
                if not name.endswith(".json") or not shipped(name).get("workload", {}).get("classes"):
                    continue
                r = run("check", path, *args)
                self.assertEqual(r.returncode, 0, (example, name, r.stderr))
            out = os.path.join(self.dir, "example")
            r = run("run", os.path.join(SOURCE, "scenarios/teaching-policies.json"), "-o", out, "--horizon-s", "120",
                    "--no-progress", *args)
            self.assertEqual(r.returncode, 0, (example, r.stderr))
            resolved = json.loads(self.read(os.path.join(out, "scenario.json"), "r"))
            for edit in args[1::2]:
                pointer, value = edit.split("=", 1)
                if "/*/" in pointer:
                    array, field = pointer.split("/*/")
                    node = resolved
                    for key in array.strip("/").split("/"):
                        node = node[key]
                    self.assertEqual({str(e[field]) for e in node}, {value}, example)

    def test_capacity_headroom_what_if_and_failures(self):
        teaching = os.path.join(SOURCE, "scenarios/teaching.json")
        out = os.path.join(self.dir, "cap.csv")
        r = run("capacity", teaching, "--csv", out, "--bom")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("standard racks can still be added", r.stdout)
        data = self.read(out)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf" b"level,name,name_zh,city,resource"), data[:80])
        self.assertIn("福州".encode(), data)
        r = run("capacity", teaching, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("province", json.loads(r.stdout))
        r = run("capacity", teaching, "--what-if", "/sites/0/racks=1000")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\* standard racks built +344 +1194 +\+850")
        r = run("capacity", teaching, "--fail", "site:fuzhou-core-dc")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\* sites +5 +4 +-1")
        # plan-edge's proposed sites as a what-if.
        proposed = os.path.join(self.dir, "proposed.json")
        r = run("plan-edge", teaching, "--ignore-existing-edge", "--budget-ms", "0.2", "--sites-output", proposed)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(proposed) as f:
            n = len(json.load(f))
        self.assertGreater(n, 0)
        r = run("capacity", teaching, "--add-sites", proposed)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\* sites +5 +%d +\+%d" % (5 + n, n))
        missing = os.path.join(self.dir, "never.csv")
        for bad, where in [(["--fail", "site:nowhere"], "--fail"), (["--add-sites", teaching], teaching), (["--what-if", "/sites/7/racks=1"], "/sites/7/racks"),
                           (["--what-if", "/sites/0/racks=-5"], "/sites/0/racks")]:
            r = run("capacity", teaching, "--csv", missing, *bad)
            self.assertEqual(r.returncode, 2, (bad, r.stdout, r.stderr))
            self.assertIn(where, r.stderr)
            self.assertFalse(os.path.exists(missing))

    def test_capacity_growth_and_outage_run(self):
        growth = os.path.join(SOURCE, "scenarios/teaching-growth.json")
        limits, costs = os.path.join(self.dir, "limits.csv"), os.path.join(self.dir, "costs.csv")
        r = run("capacity", growth, "--growth", "--csv", limits, "--costs-csv", costs, "--bom")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"province teaching-growth +\d{4}-\d\d +\d{4}-\d\d")
        self.assertIn("福州", r.stdout)
        self.assertTrue(self.read(limits).startswith(b"\xef\xbb\xbflevel,name,name_zh,city,limit,first_month,date"))
        self.assertIn("site,xiamen-gpu-center,厦门智算中心".encode(), self.read(costs))
        with open(costs, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        self.assertEqual([h for h in header if "cost" in h or h.startswith("tco")],
                         ["electricity_cost_cny", "carbon_cost_cny", "capital_cost_cny", "tco_cny"])
        report = json.loads(run("capacity", growth, "--growth", "--json").stdout)
        self.assertEqual(len(report["province"]["months"]), 61)
        self.assertEqual(report["currency"], "CNY")  # the unit of the *_cny columns
        # A bad growth edit: exit 2, the pointer named, no CSV left.
        missing = os.path.join(self.dir, "never-growth.csv")
        r = run("capacity", growth, "--growth", "--csv", missing, "--set", "/growth/demand/0/class=nope")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("/growth/demand/0/class", r.stderr)
        self.assertFalse(os.path.exists(missing))
        # Half an hour with the core DC out for ten minutes: every job accounted for.
        out = os.path.join(self.dir, "outage")
        r = run("run", growth, "-o", out, "--no-progress", "--horizon-s", "1800", "--outage", "fuzhou-core-dc:600:1200")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outage of fuzhou-core-dc from 600 s to 1200 s", r.stdout)
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        j, o = summary["jobs"], summary["outages"][0]
        self.assertEqual(j["submitted"], j["completed"] + j["rejected"] + j["lost"] + j["unfinished"])
        self.assertGreater(o["running"], 0)
        self.assertEqual(o["running"] + o["waiting"], o["replaced"] + o["lost"])
        for bad in ("fuzhou-core-dc:600", "nowhere:1:2", "fuzhou-core-dc:900:300"):
            r = run("run", growth, "-o", os.path.join(self.dir, "never-run"), "--outage", bad)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertFalse(os.path.exists(os.path.join(self.dir, "never-run", "summary.json")))

    def test_run_is_deterministic_and_seeded(self):
        a, b, c = (os.path.join(self.dir, x) for x in "abc")
        self.run_teaching(a)
        self.run_teaching(b)
        self.run_teaching(c, "--seed", "2")
        for name in ("summary.json", "jobs.csv", "timeseries.csv", "scenario.json"):
            self.assertEqual(self.read(os.path.join(a, name)), self.read(os.path.join(b, name)), name)
        self.assertNotEqual(self.read(os.path.join(a, "jobs.csv")), self.read(os.path.join(c, "jobs.csv")))

    def test_run_gzip_outputs(self):
        import gzip
        plain, packed = os.path.join(self.dir, "plain"), os.path.join(self.dir, "packed")
        self.run_teaching(plain)
        self.run_teaching(packed, "--gzip")
        self.assertEqual(sorted(os.listdir(packed)), ["jobs.csv.gz", "scenario.json", "summary.json", "timeseries.csv.gz"])
        with gzip.open(os.path.join(packed, "jobs.csv.gz"), "rb") as f:
            self.assertEqual(f.read(), self.read(os.path.join(plain, "jobs.csv")))

    def test_run_bad_input(self):
        doc = shipped("teaching-small.json")
        broken = copy.deepcopy(doc)
        broken["workload"]["classes"][1]["arrivals"]["file"] = "no/such/trace.csv"
        path = self.write("t1.json", broken)
        out = os.path.join(self.dir, "never")
        self.assert_one_line_error(run("run", path, "-o", out), path, "/workload/classes/1/arrivals/file")
        self.assertFalse(os.path.exists(os.path.join(out, "jobs.csv")))
        broken = copy.deepcopy(doc)
        broken["workload"]["classes"][0]["placement"] = "fastest"
        path = self.write("t2.json", broken)
        self.assert_one_line_error(run("run", path, "-o", out), path, "/workload/classes/0/placement", "least_loaded")
        self.assertFalse(os.path.exists(os.path.join(out, "jobs.csv")))
        a_file = self.write("not-a-folder", "x")
        self.assert_one_line_error(run("run", os.path.join(SOURCE, "scenarios/teaching-small.json"), "-o", a_file),
                                   "not a folder")

    def test_run_without_workload_is_refused(self):
        for name in ("teaching.json", "guiyang-hub.json"):
            scenario = os.path.join(SOURCE, "scenarios", name)
            out = os.path.join(self.dir, "never-" + name)
            self.assert_one_line_error(run("run", scenario, "-o", out), scenario, "/workload/classes",
                                       "no workload classes")
            self.assertFalse(os.path.exists(out))
        # An empty list too, and an existing output folder is left as it was.
        doc = shipped("teaching-small.json")
        doc["workload"]["classes"] = []
        path = self.write("empty.json", doc)
        out = os.path.join(self.dir, "existing")
        os.makedirs(out)
        self.assert_one_line_error(run("run", path, "-o", out), path, "/workload/classes")
        self.assertEqual(os.listdir(out), [])

    def test_run_summary_prints_a_dash_where_there_is_no_value(self):
        # KTH-SP2 has no GPUs: no GPU utilization, for the site nor in total.
        r = run("run", os.path.join(SOURCE, "scenarios/kth-sp2.json"), "-o", os.path.join(self.dir, "kth"),
                "--horizon-s", "3600", "--no-progress")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("nan", r.stdout)
        self.assertNotIn("- %", r.stdout)
        total = next(line for line in r.stdout.splitlines() if line.strip().startswith("total"))
        self.assertRegex(total, r"total +[0-9.]+ % +- ")

    def test_sampled_requests_agree_with_request_by_request(self):
        """Sampling 5 % of the latency-critical requests (each weighing 20) gives the same budget
        attainment as simulating every request, within 5 %."""
        doc = shipped("teaching.json")
        doc["horizon_s"] = 600
        # A tight budget, from the county seats, on the two big sites only: part of the demand is
        # out of reach, so attainment is neither 0 nor 1.
        doc["workload"] = {"classes": [{
            "name": "requests", "kind": "latency_critical", "placement": "least_loaded",
            "origin_level": "demand_point", "site_kinds": ["core_cluster", "gpu_center"],
            "arrivals": {"process": "poisson", "rate_per_s": 400, "diurnal_amplitude": 0.3},
            "service_s": 0.004, "cores": 1, "budget_s": 0.0009, "input_bytes": 2000}]}
        results = {}
        for label, cap in (("all", 0), ("sampled", 20)):
            doc["workload"]["classes"][0]["simulated_rate_per_s"] = cap
            path = self.write(f"sampling-{label}.json", doc)
            out = os.path.join(self.dir, label)
            r = run("run", path, "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            results[label] = json.loads(self.read(os.path.join(out, "summary.json"), "r"))["classes"][0]
        full, sampled = results["all"], results["sampled"]
        self.assertGreater(full["jobs_simulated"], 15 * sampled["jobs_simulated"])
        self.assertLess(abs(full["jobs_represented"] - sampled["jobs_represented"]) / full["jobs_represented"], 0.05)
        a, b = full["budget_attainment"], sampled["budget_attainment"]
        self.assertTrue(0.05 < a < 0.95, a)
        print(f"budget attainment: every request {a:.4f}, 5 % sample {b:.4f}")
        self.assertLess(abs(a - b) / a, 0.05)

    # --- energy: pue, run facility figures, malformed weather and carbon files --------------------
    def test_pue_reports_sites_and_targets(self):
        r = run("pue", os.path.join(SOURCE, "scenarios/fujian-2025.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        for text in ("changle-cluster (hub)", "PASS", "FAIL", "grade", "province: PUE", "300 edge DCs"):
            self.assertIn(text, r.stdout)
        r = run("pue", "--json", "--it-load", "0.5", os.path.join(SOURCE, "scenarios/fujian-2025.json"))
        report = json.loads(r.stdout)
        self.assertEqual(len(report["sites"]), 317)
        total = report["total"]
        self.assertAlmostEqual(total["facility_kwh"], total["it_kwh"] + total["loss_kwh"] + total["air_cooling_kwh"]
                               + total["liquid_cooling_kwh"] + total["overhead_kwh"], delta=1e-6 * total["facility_kwh"])
        self.assertGreater(total["pue"], 1.0)
        edge = [s for s in report["sites"] if s["kind"] == "edge_dc"]
        self.assertTrue(all(s["targets"]["gb40879_grade"] == "out of scope" for s in edge))

    def test_no_liquid_cooling_target_gives_no_verdict(self):
        small = os.path.join(SOURCE, "scenarios/teaching-small.json")
        r = run("pue", small)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("liquid-cooled share 33.3 % (no target)", r.stdout)
        report = json.loads(run("pue", "--json", small).stdout)
        self.assertEqual(report["total"]["targets"]["liquid_share"], "n/a")
        r = run("pue", small, "--set", "/targets/liquid_share_min=0.5")
        self.assertIn("liquid-cooled share 33.3 % (FAIL)", r.stdout)
        out = os.path.join(self.dir, "out")
        r = self.run_teaching(out)
        self.assertIn("liquid-cooled share 33.3 % (no target);", r.stdout)
        report = os.path.join(self.dir, "report.html")
        r = run("report", out, "-o", report)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = self.read(report, "r")
        self.assertRegex(html, r"liquid-cooled share</td><td>33.3 %</td><td>no target</td>")
        self.assertNotIn("&ge; 0.0 %", html)

    def test_run_reports_facility_energy_and_balances_each_interval(self):
        out = os.path.join(self.dir, "out")
        self.run_teaching(out)
        summary = json.loads(self.read(os.path.join(out, "summary.json"), "r"))
        t = summary["totals"]
        for key in ("facility_energy_j", "pue", "carbon_kg", "water_l", "electricity_cost", "targets"):
            self.assertIn(key, t)
        self.assertGreater(t["pue"], 1.0)
        self.assertGreater(t["carbon_kg"], 0)
        import csv
        with open(os.path.join(out, "timeseries.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertTrue(rows)
        for row in rows:
            parts = [float(row[k]) for k in ("it_power_w", "loss_w", "cooling_w", "overhead_w")]
            self.assertTrue(all(p >= 0 for p in parts), row)
            self.assertAlmostEqual(float(row["facility_w"]), sum(parts), delta=0.01)

    def test_malformed_weather_and_carbon_files(self):
        doc = shipped("teaching.json")
        epw = os.path.join(SOURCE, "..", "shared", "data", "weather", "CHN_Fujian.Fuzhou.588470_CSWD.epw")
        with open(epw, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        bad_epw = self.write("short.epw", "\n".join(lines[:-1]) + "\n")  # 8,759 hours
        for c in doc["cities"]:
            c["weather_file"] = bad_epw
        path = self.write("bad-weather.json", doc)
        self.assert_one_line_error(run("pue", path), bad_epw, "8760")
        fields = lines[20].split(",")
        fields[6] = "warm"
        nonnumeric = self.write("text.epw", "\n".join(lines[:20] + [",".join(fields)] + lines[21:]) + "\n")
        for c in doc["cities"]:
            c["weather_file"] = nonnumeric
        path = self.write("bad-weather2.json", doc)
        self.assert_one_line_error(run("pue", path), nonnumeric, "line 21")
        for c in doc["cities"]:
            c["weather_file"] = epw
        carbon = os.path.join(SOURCE, "..", "shared", "data", "carbon", "DE-LU_2023_hourly.csv")
        with open(carbon, encoding="utf-8") as f:
            clines = f.read().splitlines()
        header = clines[0].replace("Carbon Intensity gCO₂eq/kWh (direct)", "Intensity")
        bad_carbon = self.write("carbon.csv", "\n".join([header] + clines[1:]) + "\n")
        doc["energy"] = {"grid": {"carbon_file": bad_carbon}}
        doc["workload"] = shipped("teaching-small.json")["workload"]
        path = self.write("bad-carbon.json", doc)
        self.assert_one_line_error(run("pue", path), bad_carbon)
        self.assert_one_line_error(run("run", path, "-o", os.path.join(self.dir, "never")), bad_carbon)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "never", "summary.json")))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print("usage: cli_test.py PATH_TO_SUANLI SOURCE_DIR", file=sys.stderr)
        sys.exit(2)
    SUANLI, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
