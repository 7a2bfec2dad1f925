#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks dropwatch's machine-readable output (tests/records.test).

  check-records.py schema SCHEMA FILE...   every line of each FILE is a JSON object valid
                                           against SCHEMA
  check-records.py same KV JSON            the kv lines and the JSON lines say the same:
                                           the same fields, names and values, record by record
  check-records.py clean FILE...           no raw control character (but newline and tab)
Prints one TAP line per check; exits 1 when one fails.
"""
import json
import re
import sys

failed = False
n = 0


def tap(ok, what):
    global n, failed
    n += 1
    print(("ok %d - " if ok else "not ok %d - ") % n + what)
    if not ok:
        failed = True


def json_lines(path):
    # Numbers as written: 0.500 stays "0.500", as kv prints it.
    with open(path, encoding="ascii") as f:
        return [json.loads(line, parse_float=str, parse_int=str) for line in f if line.strip()]


KV = re.compile(r'([a-z_0-9]+)=("[^"]*"|[^ "]*)(?: |$)')


def kv_lines(path):
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            line = line.rstrip("\n")
            fields, pos = {}, 0
            for m in KV.finditer(line):
                if m.start() != pos:
                    raise ValueError("not key=value at column %d: %s" % (pos, line))
                v = m.group(2)
                fields[m.group(1)] = v[1:-1] if v.startswith('"') else v
                pos = m.end()
            if pos != len(line):
                raise ValueError("trailing text: %s" % line)
            out.append(fields)
    return out


def text_of(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, list):
        return ",".join(text_of(x) for x in v)
    return str(v)


EMPTY = object()	# an empty list: kv writes "key=" for a list of values, nothing for one of objects


def objects(v):
    return isinstance(v, list) and v and isinstance(v[0], dict)


def flatten(obj):
    """The kv lines a JSON object stands for: itself, then each item of its arrays of objects
    (with the items of theirs), in order."""
    head = {k: (EMPTY if v == [] else text_of(v)) for k, v in obj.items() if not objects(v)}
    lines = [head]
    for k, v in obj.items():
        if objects(v):
            for item in v:
                lines += flatten(item)
    return lines


def same(kv_path, json_path):
    kv = kv_lines(kv_path)
    flat = [line for obj in json_lines(json_path) for line in flatten(obj)]
    tap(len(kv) == len(flat), "%d kv lines for %d JSON records and their items" % (len(kv), len(flat)))
    for i, (a, b) in enumerate(zip(kv, flat)):
        if "type" not in b:
            a = {k: v for k, v in a.items() if k != "type"}	# an item's line names its kind
        b = {k: v for k, v in b.items() if v is not EMPTY or k in a}
        b = {k: ("" if v is EMPTY else v) for k, v in b.items()}
        if a != b:
            diff = sorted(set(a.items()) ^ set(b.items()))
            tap(False, "record %d differs: %s" % (i + 1, diff[:6]))
            return
    tap(True, "kv and JSON: the same names and values in every record")


def schema(schema_path, paths):
    import jsonschema
    with open(schema_path) as f:
        sch = json.load(f)
    jsonschema.Draft7Validator.check_schema(sch)
    v = jsonschema.Draft7Validator(sch)
    for p in paths:
        with open(p, encoding="ascii") as f:
            objs = [json.loads(line) for line in f if line.strip()]
        bad = [(i, e.message) for i, o in enumerate(objs) for e in [next(iter(v.iter_errors(o)), None)] if e]
        tap(objs and not bad, "%s: %d objects valid against the schema%s" %
            (p.split("/")[-1], len(objs) - len(bad), "; line %d: %s" % (bad[0][0] + 1, bad[0][1][:200]) if bad else ""))


def clean(paths):
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        raw = [c for c in data if (c < 0x20 and c not in (0x0a, 0x09)) or c >= 0x7f]
        tap(not raw, "%s: no raw control character%s" % (p.split("/")[-1], " (found %r)" % raw[:5] if raw else ""))


def main():
    cmd = sys.argv[1]
    if cmd == "schema":
        schema(sys.argv[2], sys.argv[3:])
    elif cmd == "same":
        same(sys.argv[2], sys.argv[3])
    elif cmd == "clean":
        clean(sys.argv[2:])
    else:
        sys.exit("unknown check " + cmd)
    sys.exit(1 if failed else 0)


main()
