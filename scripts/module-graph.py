#!/usr/bin/python3
"""The module graph of sim/: which module includes which, its include cycles, and SimGrid's reach.

A module is a folder under sim/ (sim/model, sim/energy, ...). Every `#include "module/..."` in a .cpp
or .hpp of another module is an arrow; `#include <simgrid/...>` marks a module as using SimGrid.
Prints the arrows (with the number of including files), the strongly connected components of more
than one module (include cycles, with one file per arrow as evidence), and the modules that include
SimGrid. Exit status 0 always: this describes, it does not judge.

Usage: scripts/module-graph.py [SIM_DIR] [--dot]   (--dot: Graphviz instead of text)
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def scan(sim):
    modules = sorted(p.name for p in sim.iterdir() if p.is_dir())
    arrows = defaultdict(set)  # (from, to) -> files
    simgrid = defaultdict(set)
    for path in sorted(sim.rglob("*")):
        if path.suffix not in (".cpp", ".hpp") or not path.is_file():
            continue
        src = path.relative_to(sim).parts[0]
        if src not in modules:
            continue
        for kind, inc in INCLUDE.findall(path.read_text(errors="replace")):
            if kind == "<" and inc.startswith("simgrid/"):
                simgrid[src].add(str(path.relative_to(sim)))
            if kind == '"':
                dst = inc.split("/")[0]
                if dst in modules and dst != src:
                    arrows[(src, dst)].add(str(path.relative_to(sim)))
    return modules, arrows, simgrid


def cycles(modules, arrows):
    """Tarjan's strongly connected components with more than one module."""
    succ = defaultdict(list)
    for a, b in arrows:
        succ[a].append(b)
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in modules:
        if m not in index:
            visit(m)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sim = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "sim"
    modules, arrows, simgrid = scan(sim)
    if "--dot" in sys.argv:
        print("digraph suanli {")
        for (a, b), files in sorted(arrows.items()):
            print(f'  "{a}" -> "{b}" [label="{len(files)}"];')
        for m in sorted(simgrid):
            print(f'  "{m}" [style=filled, fillcolor=lightblue];')
        print("}")
        return
    print(f"modules of {sim}: {', '.join(modules)}")
    print("\narrows (module -> module it includes: number of including files)")
    for m in modules:
        outs = [(b, len(f)) for (a, b), f in sorted(arrows.items()) if a == m]
        print(f"  {m:9} -> " + (", ".join(f"{b} ({n})" for b, n in outs) if outs else "(nothing)"))
    comps = cycles(modules, arrows)
    print(f"\ninclude cycles: {len(comps)}")
    for comp in comps:
        print("  " + " <-> ".join(comp))
        for (a, b), files in sorted(arrows.items()):
            if a in comp and b in comp:
                print(f"    {a} -> {b}: {sorted(files)[0]}" + (f" (+{len(files) - 1})" if len(files) > 1 else ""))
    print("\nmodules including SimGrid: " +
          ", ".join(f"{m} ({len(f)} files)" for m, f in sorted(simgrid.items())))


if __name__ == "__main__":
    main()
