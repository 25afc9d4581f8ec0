#!/usr/bin/env python3
"""Every command shown in README.md and docs/*.md runs as shown, and prints what its docs show.

Usage: docs_test.py PATH_TO_SUANLI SOURCE_DIR [FILE.md ...]

What runs: every command line of every fenced ```sh, ```bash or ```console block (in a console
block, the lines starting with `$ `; a line ending in `\\` continues on the next, in both kinds). The blocks of a
file run in order, in one scratch copy of the project (scenarios/, scripts/, analysis/, platforms/,
docs/; sim/, tests/, examples/ and .clang-format linked, with build/suanli the binary under test (and build/examples/ beside it) and `suanli` on PATH, ../shared beside it), so a
command may use what an earlier one of the same file wrote and nothing is written in the source
tree. A command fails the test when it exits non-zero.

Skipping: an HTML comment `<!-- docs-test: skip REASON -->` on the line before the block (blank
lines allowed in between) skips the whole block; REASON is required (e.g. `long: about 25 s`).
A block that shows an error is marked `<!-- docs-test: exit N -->`: its commands must exit with N,
and its shown output is compared with their standard error.

Console blocks: the lines after a `$ ` command, up to the next `$ ` line or the end of the block,
are its expected output. They must appear in the command's standard output in order, each shown
line matching one whole output line, consecutive shown lines matching consecutive output lines.
A line that is only `...` stands for any number of output lines (none included); `...` inside a
line stands for any text (a figure that varies, or a part left out). Runs of spaces compare equal
to a single space; a block without a leading `...` line must match from the first output line.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

COPIED = ["scenarios", "scripts", "analysis", "platforms", "docs"]
LINKED = ["sim", "tests", "examples", ".clang-format"]  # linked, not copied, into the scratch project
RUNNABLE = {"sh", "bash", "console"}
SKIP_RE = re.compile(r"^\s*<!--\s*docs-test:\s*skip\b(.*?)-->\s*$")
EXIT_RE = re.compile(r"^\s*<!--\s*docs-test:\s*exit\s+(\d+)\s*-->\s*$")
COMMAND_TIMEOUT_S = 600


class Block:
    def __init__(self, path, line, lang, lines, skip, exit_code=0):
        self.path, self.line, self.lang, self.lines, self.skip = path, line, lang, lines, skip
        self.exit_code = exit_code  # what its commands must exit with (a block showing an error: 2)

    def where(self):
        return f"{self.path}:{self.line}"


def parse_blocks(path, text):
    """The fenced code blocks of a Markdown file, with the skip marker before each (or None)."""
    blocks, lines = [], text.split("\n")
    i = 0
    pending_skip, pending_exit = None, 0
    while i < len(lines):
        m = re.match(r"^\s*```(\S*)\s*$", lines[i])
        exit_marker = EXIT_RE.match(lines[i])
        if exit_marker:
            pending_exit = int(exit_marker.group(1))
            i += 1
            continue
        marker = SKIP_RE.match(lines[i])
        if marker:
            reason = marker.group(1).strip().lstrip(":").strip()
            if not reason:
                raise SystemExit(f"{path}:{i + 1}: docs-test skip marker without a reason")
            pending_skip = reason
            i += 1
            continue
        if m:
            start, lang, body = i + 1, m.group(1), []
            i += 1
            while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
                body.append(lines[i])
                i += 1
            blocks.append(Block(path, start, lang, body, pending_skip, pending_exit))
            pending_skip, pending_exit = None, 0
        elif lines[i].strip():
            if pending_skip is not None or pending_exit:
                raise SystemExit(f"{path}:{i + 1}: docs-test skip marker not followed by a code block")
        i += 1
    return blocks


def join_continuations(lines):
    """(command, [expected output lines]) pairs; shell lines joined across trailing backslashes."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        cmd = line
        while cmd.rstrip().endswith("\\") and i < len(lines):
            cmd = cmd.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
        out.append(cmd)
    return out


def commands_of(block):
    """[(command, expected lines or None)]."""
    if block.lang != "console":
        cmds = []
        for cmd in join_continuations(block.lines):
            s = cmd.strip()
            if s and not s.startswith("#"):
                cmds.append((s, None))
        return cmds
    cmds = []
    continued = False  # the previous command line ended in a backslash
    for line in block.lines:
        if continued:
            cmds[-1][0] = cmds[-1][0][:-1] + " " + line.strip()
        elif line.startswith("$ "):
            cmds.append([line[2:].strip(), []])
        elif cmds:
            cmds[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"{block.where()}: console block output before any `$ ` command")
        continued = bool(cmds) and not cmds[-1][1] and cmds[-1][0].endswith("\\")
    return [(c, e) for c, e in cmds]


def normalize(line):
    return re.sub(r"\s+", " ", line.strip())


def line_matches(shown, actual):
    parts = [re.escape(p) for p in normalize(shown).split("...")]
    return re.fullmatch(".*".join(parts), normalize(actual)) is not None


def match_output(expected, actual_lines):
    """None if the shown lines match the output; else a message naming the first shown line that
    does not."""
    # Groups of consecutive shown lines, separated by `...` lines.
    groups, anchored, cur = [], True, []
    exp = [e for e in expected]
    while exp and not exp[-1].strip():
        exp.pop()
    for k, e in enumerate(exp):
        if e.strip() == "...":
            if k == 0:
                anchored = False
            groups.append(cur)
            cur = []
        else:
            cur.append(e)
    groups.append(cur)
    pos = 0
    for gi, group in enumerate(groups):
        if not group:
            continue
        must_start_here = anchored and gi == 0
        found = None
        for start in range(pos, len(actual_lines) - len(group) + 1):
            if all(line_matches(g, actual_lines[start + j]) for j, g in enumerate(group)):
                found = start
                break
            if must_start_here:
                break
        if found is None:
            # The longest prefix of the group that matches somewhere, to name the failing line.
            best = group[0]
            for start in range(pos, len(actual_lines)):
                j = 0
                while j < len(group) and start + j < len(actual_lines) and \
                        line_matches(group[j], actual_lines[start + j]):
                    j += 1
                if j > 0 and j < len(group):
                    best = group[j]
                    break
            return f"shown line not in the output (in this place): {best!r}"
        pos = found + len(group)
    return None


def make_scratch(suanli, source, root):
    proj = os.path.join(root, "project")
    os.makedirs(os.path.join(proj, "build"))
    for d in COPIED:
        shutil.copytree(os.path.join(source, d), os.path.join(proj, d), symlinks=True)
    os.symlink(os.path.abspath(suanli), os.path.join(proj, "build", "suanli"))
    for name in LINKED:  # read only: the format check reads the sources
        os.symlink(os.path.abspath(os.path.join(source, name)), os.path.join(proj, name))
    examples = os.path.join(os.path.dirname(os.path.abspath(suanli)), "examples")
    if os.path.isdir(examples):  # the example programs built beside the binary (docs/architecture.md)
        os.symlink(examples, os.path.join(proj, "build", "examples"))
    shared = os.path.normpath(os.path.join(source, "..", "shared"))
    os.symlink(shared, os.path.join(root, "shared"))
    return proj


def fail(failures, message):
    print("FAIL " + message, flush=True)
    failures.append(message)


def run_file(md, suanli, source, failures, timings):
    with open(os.path.join(source, md), encoding="utf-8") as f:
        blocks = parse_blocks(md, f.read())
    with tempfile.TemporaryDirectory(prefix="suanli-docs-") as root:
        proj = make_scratch(suanli, source, root)
        env = dict(os.environ)
        env["PATH"] = os.path.join(proj, "build") + os.pathsep + env.get("PATH", "")
        env.pop("SUANLI", None)
        for block in blocks:
            if block.lang not in RUNNABLE:
                continue
            cmds = commands_of(block)
            if block.skip is not None:
                for cmd, _ in cmds:
                    print(f"SKIPPED {block.where()}: {cmd}   ({block.skip})")
                continue
            for cmd, expected in cmds:
                start = time.monotonic()
                try:
                    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=proj, env=env,
                                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                       timeout=COMMAND_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    fail(failures, f"{block.where()}: `{cmd}` did not end within {COMMAND_TIMEOUT_S} s")
                    continue
                took = time.monotonic() - start
                timings.append((took, f"{block.where()}: {cmd}"))
                print(f"ran {block.where()} in {took:.1f} s: {cmd}", flush=True)
                if r.returncode != block.exit_code:
                    tail = (r.stderr.strip().splitlines() or r.stdout.strip().splitlines() or [""])[-3:]
                    fail(failures, f"{block.where()}: `{cmd}` exited {r.returncode}"
                                   + (f" (expected {block.exit_code})" if block.exit_code else "") + ": "
                                   + " | ".join(tail))
                    continue
                if expected:
                    # A block expected to fail shows the error: compare with what went to stderr.
                    shown = r.stderr if block.exit_code else r.stdout
                    problem = match_output(expected, shown.split("\n"))
                    if problem:
                        fail(failures, f"{block.where()}: `{cmd}`: {problem}")


def self_test():
    """The matcher itself: what it must accept and what it must refuse."""
    out = ["Title x", "  a   1.0 ms", "  b 2.0 ms", "tail", "end 3 %"]
    assert match_output(["Title x", "  a 1.0 ms", "..."], out) is None
    assert match_output(["Title ...", "...", "end ... %"], out) is None
    assert match_output(["...", "  b 2.0 ms", "tail"], out) is None
    assert match_output(["  a 1.0 ms"], out) is not None            # anchored at the first line
    assert match_output(["Title x", "  b 2.0 ms"], out) is not None  # consecutive means adjacent
    assert match_output(["...", "tail", "  b 2.0 ms"], out) is not None  # order matters
    assert match_output(["Title x", "...", "end 4 %"], out) is not None
    blocks = parse_blocks("t.md", "<!-- docs-test: skip long: why -->\n\n```sh\nx \\\n  y\n# c\nz\n```\n"
                          "```console\n$ a\nout\n$ b\n```\n")
    assert blocks[0].skip == "long: why" and blocks[1].skip is None
    assert blocks[0].exit_code == 0
    assert parse_blocks("t.md", "<!-- docs-test: exit 2 -->\n```console\n$ a\n```\n")[0].exit_code == 2
    assert commands_of(blocks[0]) == [("x  y", None), ("z", None)]
    assert commands_of(blocks[1]) == [("a", ["out"]), ("b", [])]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    suanli, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    self_test()
    files = sys.argv[3:] or ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir(os.path.join(source, "docs")) if f.endswith(".md"))
    failures, timings = [], []
    start = time.monotonic()
    for md in files:
        run_file(md, suanli, source, failures, timings)
    total = time.monotonic() - start
    print(f"{len(timings)} commands in {total:.0f} s; slowest:")
    for took, what in sorted(timings, reverse=True)[:5]:
        print(f"  {took:6.1f} s  {what}")
    if failures:
        print(f"{len(failures)} documented commands failed:")
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print("OK: every documented command ran as shown")


if __name__ == "__main__":
    main()
