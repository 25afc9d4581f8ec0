#!/usr/bin/env python3
"""End-to-end test of `suanli serve` under a real browser (headless Chromium driven by Selenium).

The server runs a short teaching-policies scenario. The test presses the page's buttons (step interval,
step event, play, pause, a placement policy, restart, a load change, A/B) and checks that every number
the page shows for the sites equals the row of timeseries.csv that `suanli run` writes for the same
scenario, seed and simulated time. It also sends bad requests (unknown route, malformed control,
unknown policy, oversized body) and checks each gets its JSON error while the server keeps serving;
kills a run's child and checks the page reports it; and stops the server with SIGINT.

Usage: serve_test.py PATH_TO_SUANLI SOURCE_DIR
Environment: SUANLI_REQUIRE_CHROMIUM=1 makes a missing Chromium, chromedriver or Selenium a failure
instead of a skip. SUANLI_SERVE_SCREENSHOTS=DIR also saves the page at 1280x800 and 1024x768 there.
"""
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

SUANLI = None
SOURCE = None
SEED = "7"
# Two simulated hours keep the reference run and the page's runs short.
EDITS = ["--set", "/horizon_s=7200", "--set", "/workload/classes/*/arrivals/until_s=7200"]
FIELDS = ("cpu_utilization", "gpu_utilization", "queued", "it_power_w", "pue")


def find_browser():
    """(chromium, chromedriver) or None, and why not."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, "python3-selenium not installed"
    if not chromium:
        return None, "chromium not installed"
    if not driver:
        return None, "chromium-driver not installed"
    return (chromium, driver), ""


def http(url, body=None, method=None):
    data = body if isinstance(body, (bytes, type(None))) else body.encode()
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def close(a, b):
    return abs(a - b) <= 1e-6 + 1e-5 * max(abs(a), abs(b))


def read_timeseries(folder):
    rows = {}
    with open(os.path.join(folder, "timeseries.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows[(float(row["time_s"]), row["site"])] = row
    return rows


def children(pid):
    out = []
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.scenario = os.path.join(SOURCE, "scenarios", "teaching-policies.json")
        cls.refs = {}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def reference(self, placement=None):
        """timeseries.csv rows of `suanli run` with the page's scenario, seed and edits (and a placement)."""
        key = placement or ""
        if key not in self.refs:
            out = os.path.join(self.dir, "run-" + (placement or "default"))
            extra = ["--placement", placement] if placement else []
            r = subprocess.run([SUANLI, "run", self.scenario, "-o", out, "--seed", SEED, "--no-progress", "--no-jobs",
                                *EDITS, *extra], capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.refs[key] = read_timeseries(out)
        return self.refs[key]

    def start_server(self, *extra):
        proc = subprocess.Popen([SUANLI, "serve", self.scenario, "--port", "0", "--seed", SEED, *EDITS, *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if not match:
            proc.kill()
            self.fail("no URL printed: %r %s" % (line, proc.stderr.read()))
        return proc, match.group(1)

    def stop_server(self, proc):
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            self.fail("the server did not stop on SIGINT")
        finally:
            proc.stdout.close()
            proc.stderr.close()
        return proc.returncode

    # --- HTTP without a browser -------------------------------------------------------------------
    def test_bad_requests_get_errors_and_the_server_keeps_serving(self):
        proc, url = self.start_server()
        try:
            status, body = http(url + "no/such/route")
            self.assertEqual(status, 404)
            self.assertFalse(json.loads(body)["ok"])
            self.assertIn("no/such/route", json.loads(body)["error"])
            for bad in ("this is not json", "[1,2]", '{"op": 3}', '{"op": "fly"}', '{"op":"step","events":0}',
                        '{"op":"speed","sim_s_per_s":-1}', '{"op":"set","liquid_share":2}',
                        '{"op":"set","run":"B","queue":"fcfs"}', '{"op":"set","outage":{"site":"atlantis"}}'):
                status, body = http(url + "api/control", bad)
                self.assertEqual(status, 400, bad)
                self.assertFalse(json.loads(body)["ok"], bad)
            status, body = http(url + "api/control", '{"op":"set","placement":"no-such-policy"}')
            self.assertEqual(status, 400)
            error = json.loads(body)["error"]
            self.assertIn("least_loaded", error)  # the known names are listed
            self.assertIn("nearest", error)
            # A live change the simulation refuses (the run has finished) is a 400 too.
            self.assertEqual(http(url + "api/control", '{"op":"advance","to_s":1e9}')[0], 200)
            status, body = http(url + "api/control", '{"op":"set","placement":"nearest"}')
            self.assertEqual(status, 400, body)
            self.assertIn("finished", json.loads(body)["error"])
            status, body = http(url + "api/control", '{"op":"pause","pad":"' + "x" * 70000 + '"}')
            self.assertEqual(status, 413)
            self.assertFalse(json.loads(body)["ok"])
            status, body = http(url + "api/state")
            self.assertEqual(status, 200)
            self.assertIn("A", json.loads(body)["runs"])
            status, body = http(url + "api/control", '{"op":"interval"}')
            self.assertEqual(status, 200, body)
            self.assertTrue(json.loads(body)["ok"])
        finally:
            rc = self.stop_server(proc)
        self.assertEqual(rc, 0)

    def state_numbers(self, url, run="A"):
        """(sample time, {(site, field): value}) of a run, from /api/state."""
        view = json.loads(http(url + "api/state")[1])["runs"][run]
        rows = [r for r in view["last_samples"] if r]
        t = max(r["time_s"] for r in rows)
        return t, {(r["site"], f): r[f] for r in rows for f in FIELDS}, view

    def assert_equals_reference(self, t, numbers, reference):
        self.assertEqual(len(numbers), 5 * len(FIELDS))
        for (site, field), shown in numbers.items():
            row = reference.get((t, site))
            self.assertIsNotNone(row, (t, site))
            self.assertTrue(close(shown, float(row[field])), (t, site, field, shown, row[field]))

    def test_restarted_changes_equal_runs_with_the_same_edits(self):
        """Liquid share, load and an outage restart the run from 0 with the scenario edited; the result
        equals `suanli run` with those edits (the way each is written into the scenario is right)."""
        with open(self.scenario, encoding="utf-8") as f:
            doc = json.load(f)
        edits = []
        for i, site in enumerate(doc["sites"]):
            if site["kind"] != "edge_dc":
                edits += ["--set", "/sites/%d/cooling/liquid_share=0.9" % i, "--set", "/sites/%d/cooling/air_share=0.1" % i]
        for i, cls in enumerate(doc["workload"]["classes"]):
            edits += ["--set", "/workload/classes/%d/arrivals/rate_per_s=%r" % (i, cls["arrivals"]["rate_per_s"] * 2)]
        edits += ["--outage", "xiamen-gpu-center:1800:5400"]
        out = os.path.join(self.dir, "run-edited")
        r = subprocess.run([SUANLI, "run", self.scenario, "-o", out, "--seed", SEED, "--no-progress", "--no-jobs",
                            *EDITS, *edits], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        reference = read_timeseries(out)
        proc, url = self.start_server()
        try:
            self.assertEqual(http(url + "api/control", '{"op":"advance","to_s":3600}')[0], 200)
            for change in ('{"op":"set","liquid_share":0.9}', '{"op":"set","load":2}',
                           '{"op":"set","outage":{"site":"xiamen-gpu-center","start_s":1800,"end_s":5400}}'):
                status, body = http(url + "api/control", change)
                self.assertEqual(status, 200, body)
                reply = json.loads(body)
                self.assertEqual(reply["applied"], "restarted from 0")
                self.assertIn("replayed to 0d 01:00:00", reply["note"])
            t, numbers, view = self.state_numbers(url)
            self.assertEqual(view["state"]["t_s"], 3600)
            self.assertEqual(t, 3600)
            self.assert_equals_reference(t, numbers, reference)
            self.assertEqual(http(url + "api/control", '{"op":"advance","to_s":5000}')[0], 200)
            t, numbers, _ = self.state_numbers(url)
            self.assert_equals_reference(t, numbers, reference)
            # The site is down during the outage: nothing runs there.
            self.assertEqual(numbers[("xiamen-gpu-center", "cpu_utilization")], 0)
        finally:
            self.stop_server(proc)

    def test_chart_history_is_bounded(self):
        """3,600 sampling instants (2 s apart) keep at most 2,000 chart points, in order, up to the last."""
        proc, url = self.start_server("--set", "/outputs/sampling_interval_s=2")
        try:
            self.assertEqual(http(url + "api/control", '{"op":"advance","to_s":7200}')[0], 200)
            history = json.loads(http(url + "api/state")[1])["runs"]["A"]["history"]["t_s"]
            self.assertLessEqual(len(history), 2000)
            self.assertGreaterEqual(len(history), 1000)
            self.assertEqual(history, sorted(history))
            self.assertEqual(history[-1], 7200)
        finally:
            self.stop_server(proc)

    def test_bind_is_loopback_unless_asked(self):
        proc, url = self.start_server()
        try:
            self.assertTrue(url.startswith("http://127.0.0.1:"))
        finally:
            self.stop_server(proc)
        r = subprocess.run([SUANLI, "serve", self.scenario, "--port", "0", "--bind", "not an address"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("warning: --bind not an address", r.stderr)  # said before it fails
        self.assertEqual(len([l for l in r.stderr.splitlines() if l.startswith("error:")]), 1, r.stderr)

    def test_bad_scenario_is_one_line_exit_2(self):
        r = subprocess.run([SUANLI, "serve", os.path.join(self.dir, "missing.json"), "--port", "0"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.json", r.stderr)

    # --- the page in Chromium -------------------------------------------------------------------
    def test_page_in_chromium(self):
        browser, why = find_browser()
        if browser is None:
            if os.environ.get("SUANLI_REQUIRE_CHROMIUM"):
                self.fail(why + ", and SUANLI_REQUIRE_CHROMIUM is set")
            print("SKIP: " + why, flush=True)
            self.skipTest(why)
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select, WebDriverWait

        chromium, driver_path = browser
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,800", "--user-data-dir=" + os.path.join(self.dir, "profile")):
            options.add_argument(arg)
        proc, url = self.start_server()
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            wait = WebDriverWait(driver, 120, poll_frequency=0.05)

            def synced():
                wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-synced") == "1")

            def press(element_id):
                driver.find_element(By.ID, element_id).click()
                time.sleep(0.05)  # let the click's request start; synced() then waits for its answer
                synced()

            def value(element_id):
                return float(driver.execute_script("return document.getElementById(arguments[0]).dataset.value", element_id))

            def page_numbers(run):
                """The sample time and every site number of `run`, read at once (the page re-renders)."""
                return driver.execute_script("""
                    const run = arguments[0];
                    const t = document.getElementById("sample-time-" + run);
                    return [t ? t.dataset.value : null,
                            [...document.querySelectorAll(`[data-run="${run}"][data-site][data-field]`)].map(
                                (e) => [e.dataset.site, e.dataset.field, e.dataset.value])];""", run)

            def check_page_equals_run(reference, run="A"):
                """Every site number of `run` on the page equals timeseries.csv at the page's sample time."""
                t, numbers = page_numbers(run)
                t = float(t)
                self.assertGreaterEqual(t, 0)
                checked = 0
                for site, field, shown in numbers:
                    if field not in FIELDS:
                        continue
                    row = reference.get((t, site))
                    self.assertIsNotNone(row, "no timeseries.csv row at t=%s for %s" % (t, site))
                    self.assertTrue(close(float(shown), float(row[field])),
                                    "%s %s %s at t=%s: page %r, run %r" % (run, site, field, t, shown, row[field]))
                    checked += 1
                self.assertGreaterEqual(checked, 5 * len(FIELDS))
                print("  run %s at t=%g s: %d site numbers equal timeseries.csv" % (run, t, checked), flush=True)
                return t

            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
            driver.get(url)
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-version") not in (None, "0"))
            self.assertIn("teaching-policies", driver.find_element(By.ID, "scenario-name").text)
            self.assertGreater(len(driver.find_elements(By.CSS_SELECTOR, "#map [data-link]")), 0)
            self.assertGreater(len(driver.find_elements(By.CSS_SELECTOR, "#map [data-circle]")), 0)
            self.assertGreater(len(driver.find_elements(By.CSS_SELECTOR, "#map [data-central-pair]")), 0)
            reference = self.reference()
            interval = float(json.loads(http(url + "api/layout")[1])["sampling_interval_s"])

            # Step one interval, three times: each lands on the next sampling instant.
            press("step-interval")
            t = check_page_equals_run(reference)
            for _ in range(2):
                press("step-interval")
                t_next = check_page_equals_run(reference)
                self.assertEqual(t_next, t + interval)
                t = t_next
            # Step one event: the event count moves by one.
            events = value("events-A")
            press("step-event")
            self.assertEqual(value("events-A"), events + 1)
            # The same from the keyboard (→).
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
            time.sleep(0.05)
            synced()
            self.assertEqual(value("events-A"), events + 2)
            # Play, then pause: time moves on, and the numbers still equal the run's.
            t0 = value("sim-time")
            press("play")
            wait.until(lambda d: value("sample-time-A") >= t0 + 2 * interval)
            press("pause")
            t1 = value("sim-time")
            check_page_equals_run(reference)
            time.sleep(0.6)  # paused: two play ticks later, the time has not moved
            self.assertEqual(value("sim-time"), t1)

            # A placement policy applied live, then the run restarted from 0 with it: equals a run
            # with that policy from the start.
            Select(driver.find_element(By.ID, "policy")).select_by_value("pue_aware")
            synced()
            wait.until(lambda d: "applied live" in d.find_element(By.ID, "notes").text)
            self.assertEqual(value("sim-time"), t1)
            press("reset")
            self.assertEqual(value("sim-time"), 0)
            for _ in range(4):
                press("step-interval")
            check_page_equals_run(self.reference("pue_aware"))

            # A load change restarts from 0 and replays to the same time (said on the page).
            t2 = value("sim-time")
            load = driver.find_element(By.ID, "load")
            load.clear()
            load.send_keys("1.5")
            press("apply-load")
            wait.until(lambda d: "restarted from 0" in d.find_element(By.ID, "notes").text)
            self.assertEqual(value("sim-time"), t2)

            # A/B: B starts as a copy of A (load x1.5, pue_aware) at A's time: the same numbers.
            press("compare")
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-run="B"][data-field="pue"]'))
            synced()
            t_a, numbers_a = page_numbers("A")
            t_b, numbers_b = page_numbers("B")
            self.assertEqual(t_a, t_b)
            self.assertEqual(numbers_a, numbers_b)
            self.assertGreaterEqual(len(numbers_a), 5 * len(FIELDS))

            shots = os.environ.get("SUANLI_SERVE_SCREENSHOTS")
            for width, height in ((1280, 800), (1024, 768)):
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
                synced()
                path = os.path.join(shots or self.dir, "serve-%dx%d.png" % (width, height))
                driver.save_screenshot(path)
                self.assertGreater(os.path.getsize(path), 20_000)
                # Nothing spills out sideways at a projector's width.
                self.assertLessEqual(driver.execute_script("return document.documentElement.scrollWidth"), width)

            # The child of run A dies: the page says so, and the server keeps serving.
            for pid in children(proc.pid):
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    if b"step" in f.read():
                        os.kill(pid, signal.SIGKILL)
                        break
            press("step-interval")
            wait.until(lambda d: d.find_element(By.ID, "status").get_attribute("data-error") == "1")
            self.assertIn("stopped", driver.find_element(By.ID, "status").text)
            self.assertEqual(http(url + "api/state")[0], 200)
            logs = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            self.assertEqual(logs, [], logs)
            steps = children(proc.pid)
            self.assertGreaterEqual(len(steps), 1)  # run B's child still runs
        finally:
            driver.quit()
            rc = self.stop_server(proc)
        self.assertEqual(rc, 0)
        # SIGINT stopped the children too (the server waits for them).
        self.assertEqual([pid for pid in steps if os.path.exists("/proc/%d" % pid)], [])


if __name__ == "__main__":
    SUANLI, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
