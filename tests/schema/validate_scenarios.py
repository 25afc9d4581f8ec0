#!/usr/bin/env python3
"""Validate suanli scenario files against the JSON Schema, then self-check the schema.

Usage:
    python3 tests/schema/validate_scenarios.py SCHEMA_FILE SCENARIO_FILE...

1. Checks that SCHEMA_FILE is a valid JSON Schema (draft 2020-12).
2. Validates every SCENARIO_FILE and prints one line per file:
   "ok  FILE", or "FAIL FILE" followed by one indented line per error with its
   JSON path (e.g. "$.sites[0].racks: -1 is less than the minimum of 0").
3. Self-check: builds deliberately broken variants of the first scenario in
   memory and asserts that the schema rejects each of them, with an error at
   the place that was broken.

Exit status: 0 if the schema is valid, all scenarios validate and all broken
variants are rejected; 1 otherwise; 2 on wrong usage.

Only the Python 3 standard library and jsonschema (>= 4.0) are used.
"""

import copy
import json
import re
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
except ImportError:  # pragma: no cover - depends on the machine
    print("error: the Python module 'jsonschema' is missing "
          "(Debian/Ubuntu: apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(1)

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_MAX_MESSAGE = 300


class DuplicateKeyError(ValueError):
    pass


def _reject_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKeyError("duplicate key %r in one object" % key)
        obj[key] = value
    return obj


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % name)


def load_json(path):
    """Load strict JSON: no duplicate keys, no NaN/Infinity."""
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=_reject_duplicates,
                         parse_constant=_reject_constant)


def json_path(path):
    """Format a jsonschema error path (deque of keys/indices) as a JSON path."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += "[%d]" % part
        elif _IDENTIFIER.match(part):
            out += "." + part
        else:
            out += "[%s]" % json.dumps(part, ensure_ascii=False)
    return out


def short(message):
    message = " ".join(message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE - 3] + "..."
    return message


def sorted_errors(validator, instance):
    return sorted(validator.iter_errors(instance),
                  key=lambda e: ([str(p) for p in e.absolute_path], e.message))


# ---------------------------------------------------------------- self-check

def _site0(doc):
    return doc["sites"][0]


def _set_top(key, value):
    def mutate(doc):
        doc[key] = value
    return mutate


def _set_site0(key, value):
    def mutate(doc):
        _site0(doc)[key] = value
    return mutate


def _set_mode(doc):
    targets = doc.get("latency_targets")
    if not isinstance(targets, dict):
        targets = doc["latency_targets"] = {}
    targets["mode"] = "two_way"


def _delete_cities(doc):
    doc.pop("cities", None)


def _liquid_share(doc):
    site = _site0(doc)
    cooling = site.get("cooling")
    if not isinstance(cooling, dict):
        cooling = site["cooling"] = {}
    cooling["liquid_share"] = 1.5


# (description, mutation, expected error path, expected validator keyword)
BROKEN_VARIANTS = [
    ("unknown top-level field",
     _set_top("no_such_field", 1), [], "additionalProperties"),
    ("unknown field inside sites[0]",
     _set_site0("no_such_field", 1), ["sites", 0], "additionalProperties"),
    ("sites[0].racks negative (-1)",
     _set_site0("racks", -1), ["sites", 0, "racks"], "minimum"),
    ("sites[0].racks as a string (\"10\")",
     _set_site0("racks", "10"), ["sites", 0, "racks"], "type"),
    ("unknown site kind (\"quantum_center\")",
     _set_site0("kind", "quantum_center"), ["sites", 0, "kind"], "enum"),
    ("latency_targets.mode \"two_way\"",
     _set_mode, ["latency_targets", "mode"], "enum"),
    ("required field 'cities' missing",
     _delete_cities, [], "required"),
    ("sites[0].cooling.liquid_share 1.5",
     _liquid_share, ["sites", 0, "cooling", "liquid_share"], "maximum"),
    ("format_version 2",
     _set_top("format_version", 2), ["format_version"], "const"),
]


def self_check(validator, base, base_name):
    """Return the number of failures of the self-check."""
    print("self-check: broken variants of %s" % base_name)
    failures = 0
    if not isinstance(base, dict):
        print("  FAIL cannot build variants: %s is not a JSON object" % base_name)
        return len(BROKEN_VARIANTS)
    if list(validator.iter_errors(base)):
        print("  note: %s itself is invalid; variants are only accepted as rejected "
              "if the expected error is reported" % base_name)
    for description, mutate, expected_path, keyword in BROKEN_VARIANTS:
        doc = copy.deepcopy(base)
        try:
            mutate(doc)
        except (KeyError, IndexError, TypeError) as exc:
            print("  FAIL %s: cannot build variant (%s: %s)"
                  % (description, type(exc).__name__, exc))
            failures += 1
            continue
        errors = list(validator.iter_errors(doc))
        hits = [e for e in errors
                if list(e.absolute_path) == expected_path and e.validator == keyword]
        if hits:
            print("  rejected  %s -> %s: %s"
                  % (description, json_path(expected_path), short(hits[0].message)))
        elif errors:
            print("  FAIL %s: rejected, but not with a '%s' error at %s; got: %s"
                  % (description, keyword, json_path(expected_path),
                     "; ".join("%s: %s" % (json_path(e.absolute_path), short(e.message))
                               for e in errors[:3])))
            failures += 1
        else:
            print("  FAIL %s: ACCEPTED by the schema" % description)
            failures += 1
    return failures


# ---------------------------------------------------------------------- main

def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print("usage: python3 %s SCHEMA_FILE SCENARIO_FILE..." % argv[0], file=sys.stderr)
        return 2
    schema_file, scenario_files = argv[1], argv[2:]

    try:
        schema = load_json(schema_file)
    except (OSError, ValueError) as exc:
        print("FAIL %s: cannot read schema: %s" % (schema_file, exc))
        return 1
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        print("FAIL %s: not a valid draft 2020-12 JSON Schema: %s at %s"
              % (schema_file, short(exc.message), json_path(exc.absolute_path)))
        return 1
    print("schema ok  %s" % schema_file)
    validator = Draft202012Validator(schema)

    bad_files = []
    first_doc = None
    for index, path in enumerate(scenario_files):
        try:
            doc = load_json(path)
        except (OSError, ValueError) as exc:
            print("FAIL %s" % path)
            print("  cannot read JSON: %s" % exc)
            bad_files.append(path)
            continue
        if index == 0:
            first_doc = doc
        errors = sorted_errors(validator, doc)
        if errors:
            print("FAIL %s" % path)
            for error in errors:
                print("  %s: %s" % (json_path(error.absolute_path), short(error.message)))
            bad_files.append(path)
        else:
            print("ok  %s" % path)

    if first_doc is None:
        print("self-check: FAIL cannot run, the first scenario %s could not be read"
              % scenario_files[0])
        check_failures = len(BROKEN_VARIANTS)
    else:
        check_failures = self_check(validator, first_doc, scenario_files[0])

    problems = []
    if bad_files:
        problems.append("%d of %d scenario file(s) invalid: %s"
                        % (len(bad_files), len(scenario_files), ", ".join(bad_files)))
    if check_failures:
        problems.append("%d of %d broken variant(s) not rejected as expected"
                        % (check_failures, len(BROKEN_VARIANTS)))
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    print("PASSED: %d scenario file(s) valid, %d broken variant(s) rejected"
          % (len(scenario_files), len(BROKEN_VARIANTS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
