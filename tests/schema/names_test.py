#!/usr/bin/env python3
"""The schema's name lists are the program's: every enum of docs/scenario.schema.json equals the name
table the program reads it with, as `suanli policies --json` prints them (model/Names.hpp's tables,
under "names"), in the same order.

Placement policy names are not an enum of the schema: they are a registry that grows by one file and
one registry line in C++, or by suanli.register_placement in Python, and the loader refuses an unknown
name. The test checks that the schema leaves them open (a string), so a new policy needs no schema edit.

Every enum of the schema must be placed in SCHEMA_ENUMS, and every name table of the program that the
scenario format reads must be checked by some enum, so a new enumeration on either side fails here
until both agree.

Usage: names_test.py SUANLI SCHEMA
"""
import json
import subprocess
import sys

# Where each enum of the schema sits (a JSON pointer into the schema) -> the program's list for it:
# "placement", or a key of "names". A "subset:" prefix: the enum lists some of those names (a branch
# of a conditional), each a valid one.
SCHEMA_ENUMS = {
    "/properties/latency_targets/properties/mode": "latency_mode",
    "/properties/platform/properties/host_granularity": "host_granularity",
    "/properties/scheduling/properties/queue": "queue",
    "/properties/scheduling/properties/allocation": "allocation",
    "/properties/scheduling/properties/dvfs": "dvfs",
    "/properties/scheduling/properties/after_repair": "after_repair",
    "/properties/outages/items/properties/what": "outage_kind",
    "/$defs/city/properties/role": "city_role",
    "/$defs/cooling/properties/liquid_technology": "liquid_technology",
    "/$defs/site/properties/kind": "site_kind",
    "/$defs/arrivals/properties/process": "arrival_process",
    "/$defs/arrivals/if/properties/process": "subset:arrival_process",
    "/$defs/arrivals/properties/format": "trace_format",
    "/$defs/job_class/properties/kind": "job_kind",
    "/$defs/job_class/properties/site_kinds/items": "site_kind",
    "/$defs/job_class/properties/service_distribution": "service_distribution",
    "/$defs/job_class/properties/origin_level": "origin_level",
}
# Name tables of the program that are not scenario input (derived figures of outputs).
NOT_INPUT = {"size_class"}


def enums(node, pointer, out):
    """Every enum in the schema, by the JSON pointer of the object holding it."""
    if isinstance(node, dict):
        if "enum" in node:
            out[pointer] = node["enum"]
        for k, v in node.items():
            enums(v, pointer + "/" + k.replace("~", "~0").replace("/", "~1"), out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            enums(v, f"{pointer}/{i}", out)


def main():
    suanli, schema_path = sys.argv[1], sys.argv[2]
    program = json.loads(subprocess.run([suanli, "policies", "--json"], check=True, capture_output=True,
                                        text=True).stdout)
    lists = dict(program["names"])
    failures = []
    placement = json.load(open(schema_path, encoding="utf-8"))["$defs"]["job_class"]["properties"]["placement"]
    for branch in (placement["oneOf"][0], placement["oneOf"][1]["properties"]["policy"]):
        if branch.get("type") != "string" or "enum" in branch:
            failures.append(f"placement: the schema must leave policy names open (a string), got {branch}")
    for key in ("queue", "allocation", "dvfs"):  # the short lists scripts read stay the tables'
        if program[key] != lists[key]:
            failures.append(f"policies --json: \"{key}\" {program[key]} differs from names.{key} {lists[key]}")
    found = {}
    enums(json.load(open(schema_path, encoding="utf-8")), "", found)
    checked = set()
    for pointer, got in sorted(found.items()):
        where = SCHEMA_ENUMS.get(pointer)
        if where is None:
            failures.append(f"{pointer}: an enum {got} that names_test.py does not place (SCHEMA_ENUMS)")
            continue
        subset = where.startswith("subset:")
        key = where.removeprefix("subset:")
        if key not in lists:
            failures.append(f"{pointer}: the program has no name list \"{key}\" (suanli policies --json)")
            continue
        checked.add(key)
        want = lists[key]
        same = set(got) <= set(want) and len(set(got)) == len(got) if subset else got == want
        print(("ok   " if same else "FAIL ") + f"{pointer}: schema {got} vs program {key} {want}")
        if not same:
            failures.append(f"{pointer}: schema {got} differs from the program's {key} {want}")
    for pointer in SCHEMA_ENUMS.keys() - found.keys():
        failures.append(f"{pointer}: no enum there in the schema any more (update SCHEMA_ENUMS)")
    for key in sorted(lists.keys() - checked - NOT_INPUT):
        failures.append(f"the program's name list \"{key}\" {lists[key]} has no enum in the schema")
    for f in failures:
        print("FAIL " + f)
    if failures:
        sys.exit(f"{len(failures)} name list(s) differ")
    print(f"ok: {len(found)} enums of the schema equal the program's {len(checked)} name lists")


if __name__ == "__main__":
    main()
