#!/usr/bin/env python3
"""The module layers of sim/, declared once here and enforced on every #include.

A module is a folder under sim/. LAYERS lists, for every module, the modules it may include; the test
reads every .cpp and .hpp under sim/ (all of it, not a list of folders) and fails on:
  - a module that LAYERS does not declare (a new folder must be placed in the layers);
  - an include of another module not allowed for the including module;
  - an include cycle among the declared arrows (the declaration itself must stay a hierarchy);
  - a SimGrid (or xbt) include outside SIMGRID_ALLOWED.
It also checks that the unit-test binary, given as the second argument, does not link SimGrid.
docs/architecture.md shows this table. Usage: layers_test.py SOURCE_DIR [UNIT_TEST_BINARY]
"""
import re
import subprocess
import sys
from pathlib import Path

# module -> modules it may include (bottom first). io is the bottom: every module may include it, it
# includes nothing of the project. Keep docs/architecture.md in step.
LAYERS = {
    "io": set(),
    "model": {"io"},
    "workload": {"io", "model"},
    "topology": {"io", "model"},
    "energy": {"io", "model"},
    "policy": {"io", "model", "workload", "topology", "energy"},
    "platform": {"io", "model", "topology", "energy"},
    "metrics": {"io", "model", "workload", "topology", "energy"},
    "load": {"io", "model", "energy", "policy"},
    "capacity": {"io", "model", "workload", "topology", "energy", "policy", "metrics"},
    "report": {"io", "model"},
    "sweep": {"io", "model", "metrics"},
    "engine": {"io", "model", "workload", "topology", "energy", "policy", "platform", "metrics"},
    "serve": {"io", "model", "policy", "load"},
    "cli": {"io", "model", "workload", "topology", "energy", "policy", "platform", "metrics", "load", "capacity",
            "engine", "report", "sweep", "serve"},
    "python": {"io", "model", "workload", "topology", "energy", "policy", "platform", "metrics", "load", "capacity",
               "engine", "report", "sweep", "cli"},
}
# Files (relative to sim/) or module folders that may include SimGrid.
SIMGRID_ALLOWED = ("platform/SimGridPlatform.hpp", "platform/SimGridPlatform.cpp", "engine/")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main():
    src = Path(sys.argv[1])
    sim = src / "sim"
    failures = []
    modules = sorted(p.name for p in sim.iterdir() if p.is_dir())
    for m in modules:
        if m not in LAYERS:
            failures.append(f"sim/{m}/ is not declared in LAYERS (tests/structure/layers_test.py)")
    checked = 0
    for path in sorted(sim.rglob("*")):
        if path.suffix not in (".cpp", ".hpp") or not path.is_file():
            continue
        rel = path.relative_to(sim).as_posix()
        mod = rel.split("/")[0] if "/" in rel else ""
        checked += 1
        for kind, inc in INCLUDE.findall(path.read_text(errors="replace")):
            if kind == "<" and (inc.startswith("simgrid/") or inc.startswith("xbt/")):
                if not rel.startswith(SIMGRID_ALLOWED):
                    failures.append(f"sim/{rel} includes <{inc}>: SimGrid is allowed only in {', '.join(SIMGRID_ALLOWED)}")
            if kind == '"' and "/" in inc:
                dst = inc.split("/")[0]
                if dst in modules and dst != mod and dst not in LAYERS.get(mod, set()):
                    failures.append(f"sim/{rel} includes \"{inc}\": {mod or '(sim/)'} may not include {dst} "
                                    f"(allowed: {', '.join(sorted(LAYERS.get(mod, set()))) or 'nothing'})")
    # The declaration is a hierarchy: no module reaches itself.
    def reaches(a, target, seen):
        for b in LAYERS.get(a, ()):
            if b == target or (b not in seen and (seen.add(b) or reaches(b, target, seen))):
                return True
        return False
    for m in LAYERS:
        if reaches(m, m, set()):
            failures.append(f"LAYERS declares a cycle through {m}")
    if len(sys.argv) > 2:
        ldd = subprocess.run(["ldd", sys.argv[2]], capture_output=True, text=True).stdout
        if "simgrid" in ldd:
            failures.append(f"{sys.argv[2]} links SimGrid, but it only uses the pure model library")
    for f in failures:
        print("FAIL " + f)
    if failures:
        sys.exit(f"{len(failures)} layering violation(s)")
    print(f"ok: {checked} files of {len(modules)} modules include only what their layer allows")


if __name__ == "__main__":
    main()
