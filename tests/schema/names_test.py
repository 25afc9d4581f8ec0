#!/usr/bin/env python3
"""The schema's name lists are the program's: every enum of docs/scenario.schema.json that lists
placement policies, queue disciplines, allocation strategies or DVFS modes equals what
`suanli policies --json` prints from the registry and the model's names (same order for placement).

Usage: names_test.py SUANLI SCHEMA
"""
import json
import subprocess
import sys


def enums_of(node, key, out):
    """Every enum under a property named `key` (directly, in oneOf branches, or under "policy")."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, dict):
                collect(v, out)
            enums_of(v, key, out)
    elif isinstance(node, list):
        for v in node:
            enums_of(v, key, out)


def collect(prop, out):
    if "enum" in prop:
        out.append(prop["enum"])
    for branch in prop.get("oneOf", []) + prop.get("anyOf", []):
        collect(branch, out)
        if "properties" in branch and "policy" in branch["properties"]:
            collect(branch["properties"]["policy"], out)


def main():
    suanli, schema_path = sys.argv[1], sys.argv[2]
    names = json.loads(subprocess.run([suanli, "policies", "--json"], check=True, capture_output=True,
                                      text=True).stdout)
    schema = json.load(open(schema_path, encoding="utf-8"))
    expected = {
        "placement": [p["name"] for p in names["placement"]],
        "queue": names["queue"],
        "allocation": names["allocation"],
        "dvfs": names["dvfs"],
    }
    failures = 0
    for key, want in expected.items():
        found = []
        enums_of(schema, key, found)
        if not found:
            print(f"FAIL schema has no enum for \"{key}\"")
            failures += 1
        for got in found:
            same = got == want if key == "placement" else sorted(got) == sorted(want)
            print(("ok   " if same else "FAIL ") + f"{key}: schema {got} vs program {want}")
            failures += not same
    if failures:
        sys.exit(f"{failures} name list(s) differ")


if __name__ == "__main__":
    main()
