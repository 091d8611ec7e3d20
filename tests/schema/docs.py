#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""results/README.md and bench/WORKLOADS.md say what the result contract
says: contract/gupbench.json, written by gupbench --describe from the C
tables and loaded by analysis/gupb/schema.py. TAP on stdout.

The tables of results/README.md are generated from the same C table
(make docs; tests/schema/docs.sh fails while they differ), so here they
close the round trip C -> JSON -> docs; WORKLOADS.md's table of kernel
paths and proofs is prose for readers, checked here both ways.

- results/README.md, table `| key | meaning |`: the keys in its first
  column (backticked) are exactly the schema's context keys;
- results/README.md, table `| counter | unit | meaning |`: the counters
  in its first column are exactly the schema's (templates such as
  `pmu_<event>_<u|k>` as written in the schema), each with the schema's
  unit;
- bench/WORKLOADS.md, table `| benchmark | ... | control |`: every
  benchmark named in the first column (outside parentheses) and every
  control (the control cell's first name, globs allowed; a cell starting
  with "-" has none) is a family the
  schema knows; every user-space family with a claim in the schema is
  in the table, and its row names the claimed counter.

usage: docs.py [README.md [WORKLOADS.md]]"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
from tap import Tap
from gupb import schema as S

T = Tap("docs")
ok = T.ok
TICK = re.compile(r"`([^`]+)`")


def table(text, header):
    """The rows (lists of cells) of the Markdown table whose header row
    starts with the given cells."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = cells_of(line)
        if cells[:len(header)] == header:
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(cells_of(row))
            return rows
    return None


def cells_of(line):
    """Cells of a table row; \\| is a pipe inside a cell."""
    if not line.startswith("|"):
        return []
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def names(cell):
    return TICK.findall(cell)


def diff(doc, schema):
    return "in the doc only: %s; in the schema only: %s" % (
        sorted(set(doc) - set(schema)), sorted(set(schema) - set(doc)))


def readme(path):
    text = open(path).read()
    rel = os.path.relpath(path, TOP)
    rows = table(text, ["key", "meaning"])
    if ok(rows, "%s has a | key | meaning | table" % rel):
        keys = [k for r in rows for k in names(r[0])]
        ok(set(keys) == set(S.CONTEXT), "%s: context keys are the schema's "
           "(%d)" % (rel, len(S.CONTEXT)), diff(keys, S.CONTEXT))
    rows = table(text, ["counter", "unit", "meaning"])
    if ok(rows, "%s has a | counter | unit | meaning | table" % rel):
        doc = {n: r[1] for r in rows for n in names(r[0])}
        ok(set(doc) == set(S.COUNTERS), "%s: counters are the schema's "
           "(%d)" % (rel, len(S.COUNTERS)), diff(doc, S.COUNTERS))
        units = ["%s: doc %r, schema %r" % (n, u, S.COUNTERS[n].unit)
                 for n, u in sorted(doc.items())
                 if n in S.COUNTERS and u != S.COUNTERS[n].unit]
        ok(not units, "%s: every counter with the schema's unit" % rel,
           "\n".join(units))


def workloads(path):
    text = open(path).read()
    rel = os.path.relpath(path, TOP)
    rows = table(text, ["benchmark", "kernel path", "proof (counter)",
                        "control"])
    if not ok(rows, "%s has a | benchmark | kernel path | proof (counter) | "
              "control | table" % rel):
        return
    unknown, covered, row_of = [], set(), {}
    for r in rows:
        first = re.sub(r"\([^)]*\)", "", r[0])
        fams = []
        for n in names(first):
            try:
                fams.append(S.parse(n).family)
            except ValueError:
                unknown.append(n)
        ctl = names(r[3])[:1] if not r[3].startswith("-") else []
        for c in ctl:
            hit = S.known_family(c)
            if not hit or not all(h.endswith(S.CONTROL_SUFFIX) for h in hit):
                unknown.append(c)
            fams += hit
        for f in fams:
            if f not in S.FAMILIES:
                unknown.append(f)
            covered.add(f)
            row_of[f] = r
    ok(not unknown, "%s: every benchmark and control in the table is a "
       "family the schema knows %s" % (rel, sorted(set(unknown))))
    user = [f for f in S.FALLBACK_CLAIMS if not f.startswith("kmod_")]
    ok(set(user) <= covered, "%s: every user-space family with a claim is "
       "in the table (missing %s)" % (rel, sorted(set(user) - covered)))
    silent = ["%s: %s" % (f, c) for f in user if f in row_of
              for c in S.FALLBACK_CLAIMS[f]
              if c not in names(row_of[f][2] + row_of[f][3])]
    ok(not silent, "%s: each row names the counter its families claim"
       % rel, "\n".join(silent))


def broken(readme_md, workloads_md):
    """This check on copies of the docs broken on purpose: it must fail,
    and say what broke."""
    import subprocess
    import tempfile
    r, w = open(readme_md).read(), open(workloads_md).read()
    cases = [
        ("a context key left out of README",
         r.replace("| `cpu_midr` |", "| cpu_midr |"), w, "schema only: ['cpu_midr']"),
        ("a README key the schema does not have",
         r.replace("| `cmdline` |", "| `cmdline`, `boot_args` |"), w,
         "doc only: ['boot_args']"),
        ("a counter's unit changed in README",
         r.replace("| `zero_copy` | bool |", "| `zero_copy` | pages |"), w,
         "zero_copy: doc 'pages'"),
        ("an unknown family in WORKLOADS.md",
         r, w.replace("| `iouring_register` |", "| `iouring_unregister` |"),
         "iouring_unregister"),
        ("a claimed counter missing from its WORKLOADS.md row",
         r, w.replace("`zero_copy` = ", "shared = "), "vmsplice: zero_copy"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for what, rt, wt, says in cases:
            pr, pw = os.path.join(tmp, "README.md"), os.path.join(tmp, "W.md")
            for path, t in ((pr, rt), (pw, wt)):
                with open(path, "w") as f:
                    f.write(t)
            p = subprocess.run([sys.executable, __file__, pr, pw],
                               capture_output=True, text=True)
            ok((rt, wt) != (r, w) and p.returncode == 1 and says in p.stdout,
               "fails on %s" % what, p.stdout)


def main(argv):
    paths = [argv[1] if len(argv) > 1 else
             os.path.join(TOP, "results", "README.md"),
             argv[2] if len(argv) > 2 else
             os.path.join(TOP, "bench", "WORKLOADS.md")]
    readme(paths[0])
    workloads(paths[1])
    if len(argv) == 1:
        broken(*paths)
    return T.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
