#!/usr/bin/env python3
"""End-to-end tests of `suanli report`: the HTML report of run folders (one, or A and B side by side)
and of sweep folders. The page must be self-contained (no script or stylesheet fetched, no http(s)
reference), escape every input string, be byte-identical for the same inputs, and refuse bad folders
with one line and exit code 2. When Chromium is installed, each page is also rendered headless: the
screenshot must be non-trivial and the page must log nothing to the console.

Usage: report_test.py PATH_TO_SUANLI SOURCE_DIR
Environment: SUANLI_REQUIRE_CHROMIUM=1 makes a missing Chromium a failure instead of a skip.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SUANLI = None
SOURCE = None
HORIZON = ["--horizon-s", "600"]
NASTY_SITE = "<b>x&y</b>"
NASTY_SITE_ESCAPED = "&lt;b&gt;x&amp;y&lt;/b&gt;"


def suanli(*args):
    return subprocess.run([SUANLI, *args], capture_output=True, text=True, timeout=900)


def check_ok(test, result):
    test.assertEqual(result.returncode, 0, result.stdout + result.stderr)


def absolutize(doc, base):
    """Rewrites every relative file path of a scenario ("file", "weather_file", "carbon_file", ...)
    against `base`, so that a copy of the scenario works from another folder."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if (key == "file" or key.endswith("_file")) and isinstance(value, str) and value \
                    and not os.path.isabs(value):
                doc[key] = os.path.normpath(os.path.join(base, value))
            else:
                absolutize(value, base)
    elif isinstance(doc, list):
        for item in doc:
            absolutize(item, base)
    return doc


def rename(doc, old, new):
    """Every string equal to `old` in the document (the site's name and references to it) becomes `new`."""
    if isinstance(doc, dict):
        return {k: rename(v, old, new) for k, v in doc.items()}
    if isinstance(doc, list):
        return [rename(v, old, new) for v in doc]
    return new if doc == old else doc


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class ReportTest(unittest.TestCase):
    tmp = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        scenario = os.path.join(SOURCE, "scenarios", "teaching-small.json")
        cls.run_a = os.path.join(cls.dir, "run-a")
        cls.run_b = os.path.join(cls.dir, "run-b")
        for out, extra in ((cls.run_a, []), (cls.run_b, ["--placement", "least_loaded"])):
            r = suanli("run", scenario, "-o", out, "--no-progress", *HORIZON, *extra)
            if r.returncode != 0:
                raise RuntimeError("suanli run failed: " + r.stderr)
        cls.html_a = os.path.join(cls.dir, "a.html")
        cls.html_ab = os.path.join(cls.dir, "ab.html")
        cls.report_a = suanli("report", cls.run_a, "-o", cls.html_a)
        cls.report_ab = suanli("report", cls.run_a, cls.run_b, "-o", cls.html_ab)
        with open(os.path.join(cls.run_a, "scenario.json"), encoding="utf-8") as f:
            cls.sites = [s["name"] for s in json.load(f)["sites"]]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_self_contained(self, html):
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertTrue(html.rstrip().endswith("</html>"))
        self.assertIn("<svg", html)
        for forbidden in ("<script src", "<link", "http://", "https://", "<iframe", "<img", "@import", "url("):
            self.assertNotIn(forbidden, html.lower(), forbidden)

    def copy_run(self, name, skip=()):
        """A copy of run A (large files linked) that a test may alter."""
        dest = os.path.join(self.dir, name)
        os.mkdir(dest)
        for f in os.listdir(self.run_a):
            if f in skip:
                continue
            if f.startswith("jobs.csv"):
                os.symlink(os.path.join(self.run_a, f), os.path.join(dest, f))
            else:
                shutil.copy(os.path.join(self.run_a, f), dest)
        return dest

    def assert_one_line_error(self, result, *fragments):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    # --- one run ------------------------------------------------------------------------------
    def test_run_report(self):
        check_ok(self, self.report_a)
        html = read(self.html_a)
        self.assert_self_contained(html)
        for site in self.sites:
            self.assertIn(site, html)
        for text in ("teaching-small", "PUE over time", "Power of the whole network", "CPU utilization",
                     "Network round trip per class", "Sites and latency circles", "PASS", "edge-requests"):
            self.assertIn(text, html)
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.html_a))).count("a.html.partial"), 0)

    def test_same_inputs_same_bytes(self):
        again = os.path.join(self.dir, "a-again.html")
        check_ok(self, suanli("report", self.run_a, "-o", again))
        with open(self.html_a, "rb") as f1, open(again, "rb") as f2:
            self.assertEqual(f1.read(), f2.read())

    def test_gzip_run(self):
        out = os.path.join(self.dir, "run-gz")
        check_ok(self, suanli("run", os.path.join(SOURCE, "scenarios", "teaching-small.json"), "-o", out,
                              "--no-progress", "--gzip", *HORIZON))
        self.assertTrue(os.path.exists(os.path.join(out, "jobs.csv.gz")))
        html = os.path.join(self.dir, "gz.html")
        check_ok(self, suanli("report", out, "-o", html))
        # The same run, plain or compressed: the same page but for the folder's name.
        self.assertEqual(read(html).replace(out, "X"), read(self.html_a).replace(self.run_a, "X"))

    def test_decisions_table(self):
        run = self.copy_run("run-decisions")
        with open(os.path.join(run, "decisions.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["time_s", "job", "class", "policy", "candidates", "chosen", "why"])
            for i in range(250):
                w.writerow([i, i, "inference", "least_loaded", ";".join(self.sites[:3]), self.sites[0],
                            'load <0.5> & "idle"'])
        html_path = os.path.join(self.dir, "decisions.html")
        check_ok(self, suanli("report", run, "-o", html_path))
        html = read(html_path)
        self.assertIn("Scheduling decisions", html)
        self.assertIn("The first 200 of 250 rows", html)
        self.assertIn("load &lt;0.5&gt; &amp; &quot;idle&quot;", html)
        self.assertNotIn('load <0.5>', html)
        self.assertEqual(html.count("load &lt;0.5&gt; &amp; &quot;idle&quot;"), 200)

    # --- escaping -----------------------------------------------------------------------------
    def test_html_in_names_is_escaped(self):
        base = os.path.join(SOURCE, "scenarios")
        with open(os.path.join(base, "teaching-small.json"), encoding="utf-8") as f:
            doc = absolutize(json.load(f), base)
        doc.pop("$schema", None)
        doc = rename(doc, "edge-putian-chengxiang", NASTY_SITE)
        doc["description"] = "a <script>alert('x')</script> & more"
        scenario = os.path.join(self.dir, "nasty.json")
        with open(scenario, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        out = os.path.join(self.dir, "run-nasty")
        check_ok(self, suanli("run", scenario, "-o", out, "--no-progress", *HORIZON))
        html_path = os.path.join(self.dir, "nasty.html")
        check_ok(self, suanli("report", out, "-o", html_path))
        html = read(html_path)
        self.assert_self_contained(html)
        self.assertIn(NASTY_SITE_ESCAPED, html)
        self.assertNotIn(NASTY_SITE, html)
        self.assertIn("a &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html)
        self.assertNotIn("<script", html)
        # Side by side with run A as well.
        ab = os.path.join(self.dir, "nasty-ab.html")
        check_ok(self, suanli("report", self.run_a, out, "-o", ab))
        self.assertIn(NASTY_SITE_ESCAPED, read(ab))
        self.assertNotIn(NASTY_SITE, read(ab))

    # --- two runs -----------------------------------------------------------------------------
    def test_comparison_report(self):
        check_ok(self, self.report_ab)
        html = read(self.html_ab)
        self.assert_self_contained(html)
        for site in self.sites:
            self.assertIn(site, html)
        for text in ("(A) vs", "B \u2212 A", "What differs", "/workload/classes/0/placement", "least_loaded",
                     self.run_a, self.run_b):
            self.assertIn(text, html)
        # Every chart twice (A and B), on the same scales: the two panels of a chart share their axes.
        self.assertGreaterEqual(html.count("<svg"), 10)
        for chart in ("pue", "power", "cpu", "latency"):
            section = re.search('<section id="%s">(.*?)</section>' % chart, html, re.S).group(1)
            panels = section.split('<p class="panel-label">')[1:]
            self.assertEqual(len(panels), 2, chart)
            ticks = [re.findall(r'text-anchor="end">([^<]*)</text>', p) for p in panels]
            self.assertEqual(ticks[0], ticks[1], chart)

    # --- a sweep ------------------------------------------------------------------------------
    def make_sweep(self):
        sweep = os.path.join(self.dir, "sweep")
        os.makedirs(os.path.join(sweep, "runs", "c000-r00"))
        os.makedirs(os.path.join(sweep, "runs", "c001-r00"))
        with open(os.path.join(sweep, "sweep.json"), "w", encoding="utf-8") as f:
            json.dump({"name": "queues<&>", "scenario": "/x/teaching-small.json", "seed": 1, "replications": 2,
                       "set": {}, "axes": [{"name": "queue", "values": [
                           {"label": "fcfs", "set": {"/scheduling/queue": "fcfs"}},
                           {"label": "easy <bf>", "set": {"/scheduling/queue": "easy"}}]}],
                       "run_arguments": ["--horizon-s", "600"]}, f)
        metrics = ["it_energy_mwh", "pue", "cpu_utilization", "mean_wait_s", "budget_attainment"]
        header = ["config", "queue", "n"] + [m + s for m in metrics for s in ("_mean", "_sd", "_ci95_lo", "_ci95_hi")]
        rows = [["0", "fcfs", "2", "0.02", "0.001", "0.019", "0.021", "1.27", "0.01", "1.26", "1.28",
                 "0.11", "0.01", "0.1", "0.12", "0.5", "0.1", "0.4", "0.6", "1", "0", "1", "1"],
                ["1", "easy <bf>", "1", "0.03", "", "", "", "1.29", "", "", "", "0.12", "", "", "", "0.4", "", "", "",
                 "", "", "", ""]]
        with open(os.path.join(sweep, "summary.csv"), "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([header] + rows)
        with open(os.path.join(sweep, "runs.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["run", "config", "replication", "seed", "status", "exit_code", "error", "queue"])
            w.writerow(["c000-r00", "0", "0", "1", "ok", "0", "", "fcfs"])
            w.writerow(["c000-r01", "0", "1", "2", "ok", "0", "", "fcfs"])
            w.writerow(["c001-r00", "1", "0", "1", "ok", "0", "", "easy <bf>"])
            w.writerow(["c001-r01", "1", "1", "2", "failed", "2", 'x.json: /a: expected <number> & "1"', "easy <bf>"])
        return sweep

    def test_sweep_report(self):
        sweep = self.make_sweep_once()
        html_path = os.path.join(self.dir, "sweep.html")
        check_ok(self, suanli("report", sweep, "-o", html_path))
        html = read(html_path)
        self.assert_self_contained(html)
        for text in ("queues&lt;&amp;&gt;", "easy &lt;bf&gt;", "Failed runs", "c001-r01",
                     "x.json: /a: expected &lt;number&gt; &amp; &quot;1&quot;", "PUE", "IT energy (MWh)",
                     "CPU utilization", "budget attainment"):
            self.assertIn(text, html)
        self.assertNotIn("<bf>", html)
        self.assertGreaterEqual(html.count("<svg"), 5)  # one bar chart per metric
        self.assertIn('class="errorbar"', html)
        # A sweep and a run together: both parts, one after the other.
        both = os.path.join(self.dir, "sweep-and-run.html")
        check_ok(self, suanli("report", sweep, self.run_a, "-o", both))
        text = read(both)
        self.assertIn("Failed runs", text)
        self.assertIn("PUE over time", text)
        ids = re.findall(r' id="([^"]+)"', text)
        self.assertEqual(len(ids), len(set(ids)), "element ids must be unique")

    # --- bad folders: exit 2, one line naming the file ----------------------------------------
    def test_bad_folders(self):
        out = os.path.join(self.dir, "bad.html")
        empty = os.path.join(self.dir, "empty")
        os.mkdir(empty)
        self.assert_one_line_error(suanli("report", empty, "-o", out), empty, "neither a run folder")
        missing = os.path.join(self.dir, "no-such-folder")
        self.assert_one_line_error(suanli("report", missing, "-o", out), missing)
        no_jobs = self.copy_run("run-no-jobs", skip=("jobs.csv", "jobs.csv.gz"))
        self.assert_one_line_error(suanli("report", no_jobs, "-o", out), "jobs.csv", "missing")
        bad_csv = self.copy_run("run-bad-csv")
        path = os.path.join(bad_csv, "timeseries.csv")
        lines = read(path).splitlines(True)
        lines[2] = "oops," + lines[2]
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
        self.assert_one_line_error(suanli("report", bad_csv, "-o", out), "timeseries.csv", "line 3")
        bad_json = self.copy_run("run-bad-json")
        with open(os.path.join(bad_json, "summary.json"), "w", encoding="utf-8") as f:
            f.write("{\n  \"seed\": ,\n}")
        self.assert_one_line_error(suanli("report", bad_json, "-o", out), "summary.json")
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + ".partial"))

    # --- rendered in a browser ----------------------------------------------------------------
    def test_renders_in_chromium(self):
        chromium = find_chromium()
        if chromium is None:
            if os.environ.get("SUANLI_REQUIRE_CHROMIUM"):
                self.fail("chromium not installed, and SUANLI_REQUIRE_CHROMIUM is set")
            print("SKIP: chromium not installed", flush=True)
            self.skipTest("chromium not installed")
        pages = [(self.html_a, "teaching-small"), (self.html_ab, "teaching-small (A) vs teaching-small (B)")]
        sweep_html = os.path.join(self.dir, "sweep-chromium.html")
        check_ok(self, suanli("report", self.make_sweep_once(), "-o", sweep_html))
        pages.append((sweep_html, "sweep queues&lt;&amp;&gt;"))
        for i, (page, title) in enumerate(pages):
            profile = os.path.join(self.dir, "chromium-profile-%d" % i)
            png = os.path.join(self.dir, "shot-%d.png" % i)
            common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile]
            url = "file://" + os.path.abspath(page)
            r = subprocess.run(common + ["--enable-logging=stderr", "--v=0", "--screenshot=" + png,
                                         "--window-size=1400,2000", url],
                               capture_output=True, text=True, timeout=180)
            self.assertTrue(os.path.exists(png), r.stderr[-2000:])
            size = os.path.getsize(png)
            self.assertGreater(size, 10_000, "screenshot of %s is only %d bytes" % (page, size))
            # Console messages of the page: "[...:INFO:CONSOLE(12)] "message", source: file:///... (12)".
            console = [line for line in r.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
            self.assertEqual(console, [], "%s logged to the console:\n%s" % (page, "\n".join(console)))
            print("%s: screenshot %d bytes, no console message" % (os.path.basename(page), size), flush=True)
            dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=180)
            self.assertIn("<title>suanli: %s</title>" % title, dom.stdout)
            self.assertIn("<svg", dom.stdout)

    def test_ab_report_names_an_added_outage(self):
        # B = A with an outage: the difference is the element outages/0 that B has and A has not.
        cut = os.path.join(self.dir, "run-cut")
        check_ok(self, suanli("run", os.path.join(SOURCE, "scenarios", "teaching-small.json"), "-o", cut,
                              "--no-progress", *HORIZON, "--outage", "xiamen-gpu-center:100:200"))
        html_path = os.path.join(self.dir, "ab-cut.html")
        check_ok(self, suanli("report", self.run_a, cut, "-o", html_path))
        html = read(html_path)
        self.assertNotIn("/outages/-", html)
        row = re.search(r"<code>/outages/0</code></td>(.*?)</tr>", html, re.S)
        self.assertIsNotNone(row, "no row for /outages/0")
        self.assertIn("absent", row.group(1))  # in A
        self.assertIn("xiamen-gpu-center", row.group(1))  # in B

    def test_sweep_report_wide_table_and_error_bars_at_zero(self):
        # 12 metrics: the summary table comes in parts of at most 5 metric columns; the mean wait's
        # t interval reaches below 0 and is shown (table and chart) from 0.
        sweep = os.path.join(self.dir, "sweep-wide")
        os.makedirs(os.path.join(sweep, "runs"))
        with open(os.path.join(sweep, "sweep.json"), "w", encoding="utf-8") as f:
            json.dump({"name": "wide", "scenario": "/x/teaching-small.json", "seed": 1, "replications": 3,
                       "set": {}, "axes": [{"name": "queue", "values": [
                           {"label": "fcfs", "set": {}}, {"label": "easy", "set": {}}]}], "run_arguments": []}, f)
        metrics = ["it_energy_mwh", "facility_energy_mwh", "pue", "carbon_t", "cost", "water_m3",
                   "cpu_utilization", "submitted", "completed", "rejected", "unfinished", "mean_wait_s"]
        header = ["config", "queue", "n"] + [m + s for m in metrics for s in ("_mean", "_sd", "_ci95_lo", "_ci95_hi")]
        rows = []
        for c, label in enumerate(["fcfs", "easy"]):
            row = [str(c), label, "3"]
            for m in metrics:
                row += ["40", "70", "-133.9", "213.9"] if m == "mean_wait_s" else ["5", "1", "2.5", "7.5"]
            rows.append(row)
        with open(os.path.join(sweep, "summary.csv"), "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([header] + rows)
        html_path = os.path.join(self.dir, "sweep-wide.html")
        check_ok(self, suanli("report", sweep, "-o", html_path))
        html = read(html_path)
        parts = re.findall(r'<table class="summary">\n<tr>(.*?)</tr>', html, re.S)
        self.assertEqual(len(parts), 3)  # 5 + 5 + 2 metrics
        for part in parts:
            self.assertLessEqual(part.count("<th") - 3, 5)  # config, queue, n, then the metrics
        tables = "".join(re.findall(r'<table class="summary">(.*?)</table>', html, re.S))
        self.assertEqual(re.findall("[-\u2212][0-9]", tables), [])  # no negative bound shown
        figure = [f for f in re.findall(r"<figure id=\"metric-\d+\">(.*?)</figure>", html, re.S) if "wait" in f.lower()]
        self.assertEqual(len(figure), 1)
        ticks = re.findall(r'text-anchor="end">([^<]*)</text>', figure[0])
        self.assertTrue(ticks)
        self.assertFalse([t for t in ticks if t.strip().startswith(("-", "\u2212"))], ticks)

    def make_sweep_once(self):
        path = os.path.join(self.dir, "sweep")
        return path if os.path.exists(path) else self.make_sweep()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    SUANLI = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
