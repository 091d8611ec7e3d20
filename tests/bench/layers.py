#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/'s layers and their one dependency rule, from the include graph
and from the objects' symbols (nm), so an extern declared by hand counts
too. Layers, lowest first:

  base/ (result names, proof verdicts) < sys/ (buffers, target, pins,
  pmu) < gb/ (the Google Benchmark shim) < core/ (driver, context,
  registry, profile, output, meta, cli) < kmod/ (the module's client)
  < workloads/, checks/ < main.c (the program)

A file uses its own folder and the layers below it, nothing else: so
nothing depends on a workload or a check (workloads/ and checks/ are
side by side), and no two folders depend on each other. Within a folder
no two objects call each other (no cycle). Only bench/kmod/ issues an
ioctl on the module (GUPB_IOC_*). No function in bench/ is longer than
60 lines (kernel style: a body between a "{" and a "}" in column 0). TAP. Needs BUILDDIR (objects of
build/<arch>/gupbench)."""
import glob
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tap import Tap

RANK = {"base": 0, "sys": 1, "gb": 2, "core": 3, "kmod": 4,
        "workloads": 5, "checks": 5, "main": 6}
BENCH = os.path.join(TOP, "bench")
t = Tap("layers")


def layer(path):
    rel = os.path.relpath(path, BENCH)
    return rel.split("/")[0] if "/" in rel else "main"


def allowed(src, dst):
    return src == dst or RANK[dst] < RANK[src]


def sources():
    return sorted(glob.glob(os.path.join(BENCH, "*.c")) +
                  glob.glob(os.path.join(BENCH, "*", "*.[ch]")) +
                  glob.glob(os.path.join(BENCH, "*", "*.cc")))


files = sources()
t.ok(set(layer(f) for f in files) == set(RANK),
     "bench/ is the folders %s and main.c (%d files)" %
     (", ".join(sorted(k for k in RANK if k != "main")), len(files)),
     "found: %s" % sorted(set(layer(f) for f in files)))
t.ok(not glob.glob(os.path.join(BENCH, "*.h")) and
     [os.path.basename(f) for f in glob.glob(os.path.join(BENCH, "*.c"))] == ["main.c"],
     "only main.c at the top of bench/")

# The include graph: every "x/y.h" names its layer.
bad, edges = [], 0
for f in files:
    for m in re.finditer(r'^#include "([^"]+)"', open(f).read(), re.M):
        inc = m.group(1)
        if inc.startswith("uapi/"):
            continue	# the module's ABI header (kmod/uapi/)
        dst = inc.split("/")[0] if "/" in inc else None
        edges += 1
        if dst not in RANK or not os.path.exists(os.path.join(BENCH, inc)):
            bad.append("%s: #include \"%s\" names no layer" %
                       (os.path.relpath(f, TOP), inc))
        elif not allowed(layer(f), dst):
            bad.append("%s (%s) includes %s (%s)" %
                       (os.path.relpath(f, TOP), layer(f), inc, dst))
t.ok(not bad, "includes: each file uses its folder and the layers below "
     "(%d includes)" % edges, "\n".join(bad))

# The objects: who defines and who uses each global symbol.
obj = os.path.join(os.environ.get("BUILDDIR", os.path.join(
    TOP, "build", os.uname().machine)), "obj")
# The objects of today's sources (not a stale one of a removed file).
objs = [os.path.join(obj, os.path.splitext(os.path.relpath(f, BENCH))[0] + ".o")
        for f in files if f.endswith((".c", ".cc"))]
missing = [o for o in objs if not os.path.exists(o)]
if missing:
    t.ok(False, "objects of every source under %s (make all)" % obj,
         " ".join(missing))
    sys.exit(t.done())
defs, uses = {}, {}
for o in objs:
    out = subprocess.run(["nm", o], capture_output=True, text=True).stdout
    name = os.path.relpath(o, obj)
    uses[name] = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            uses[name].add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRVWG" and parts[1].isupper():
            defs.setdefault(parts[2], name)
graph = {o: set() for o in uses}
bad = []
for o, us in uses.items():
    for sym in us:
        d = defs.get(sym)
        if d is None or d == o:
            continue
        graph[o].add(d)
        if not allowed(layer(os.path.join(BENCH, o)),
                       layer(os.path.join(BENCH, d))):
            bad.append("%s (%s) uses %s from %s (%s)" %
                       (o, layer(os.path.join(BENCH, o)), sym, d,
                        layer(os.path.join(BENCH, d))))
t.ok(not bad, "symbols (nm of %d objects): each object uses its folder and "
     "the layers below" % len(objs), "\n".join(sorted(bad)))


def cycle(g):
    """One cycle of g as a list, or None (depth-first, colours)."""
    colour, stack = {}, []

    def visit(n):
        colour[n] = 1
        stack.append(n)
        for m in sorted(g[n]):
            if colour.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if not colour.get(m):
                c = visit(m)
                if c:
                    return c
        colour[n] = 2
        stack.pop()
        return None
    for n in sorted(g):
        if not colour.get(n):
            c = visit(n)
            if c:
                return c
    return None


c = cycle(graph)
t.ok(c is None, "no cycle between objects", " -> ".join(c or []))

# Only the module's client talks to the module.
bad = [os.path.relpath(f, TOP) for f in files
       if re.search(r"ioctl\([^;]*GUPB_IOC_", open(f).read(), re.S) and
       layer(f) != "kmod"]
t.ok(not bad, "only bench/kmod/ issues GUPB_IOC_* ioctls", " ".join(bad))

# Function length: the body between "{" and "}" in column 0.
MAX_LINES = 60
long_fns = []
for f in files:
    if not f.endswith((".c", ".cc")):
        continue
    lines, start = open(f).read().split("\n"), None
    for i, line in enumerate(lines):
        if line == "{":
            start = i
        elif line == "}" and start is not None:
            if i - start - 1 > MAX_LINES:
                long_fns.append("%s:%d: %d lines" % (os.path.relpath(f, TOP),
                                                      start, i - start - 1))
            start = None
t.ok(not long_fns, "no function in bench/ over %d lines" % MAX_LINES,
     "\n".join(long_fns))
sys.exit(t.done())
