#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""`make help` lists every target a user can call: each .PHONY target and
each rule target of make's database (make -pRrq) that is not a file, has
a help line starting "make <target>" (or "make [<target>]"), and every
such line names a real target. Then the same check on a Makefile with
one more target and no help line for it: it must fail. TAP on stdout.

usage: help.py [MAKEFILE]"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
from tap import Tap

T = Tap("make help")
ok = T.ok


def make(makefile, *args):
    return subprocess.run(["make", "--no-print-directory", "-C", TOP, "-f",
                           makefile] + list(args), capture_output=True,
                          text=True, env=dict(os.environ, V="0")).stdout


def targets(makefile):
    """Targets a user can call, from make's database."""
    db = make(makefile, "-pRrq", "help")
    out, files, not_target = set(), False, False
    for line in db.splitlines():
        if line.startswith("# Files"):
            files = True
        elif line.startswith("# files hash"):
            files = False
        if line.startswith(".PHONY:"):
            out |= set(line.split(":", 1)[1].split())
        if line.startswith("# Not a target"):
            not_target = True
            continue
        m = re.match(r"([A-Za-z0-9_.-]+):", line)
        if files and m and not not_target:
            t = m.group(1)
            if not t.startswith(".") and \
                    not os.path.exists(os.path.join(TOP, t)):
                out.add(t)
        if not line.strip():
            not_target = False
    return out


def helped(makefile):
    return {m.group(1) for m in re.finditer(
        r"^make \[?([a-z0-9][a-z0-9-]*)\]?", make(makefile, "help"), re.M)}


def check(makefile, label):
    t, h = targets(makefile), helped(makefile)
    return (t and t == h,
            "%s: every target in make help, every help line a target "
            "(%d targets; no help line: %s; no target: %s)" %
            (label, len(t), sorted(t - h), sorted(h - t)))


def main(argv):
    mf = argv[1] if len(argv) > 1 else os.path.join(TOP, "Makefile")
    good, what = check(mf, "Makefile")
    ok(good, what)
    t = targets(mf)
    ok({"check", "clean", "help"} <= t and
       any(x.startswith("check-") for x in t),
       "the database parse finds the targets (%d)" % len(t))
    with tempfile.TemporaryDirectory() as tmp:
        extra = os.path.join(tmp, "Makefile")
        with open(extra, "w") as f:
            f.write("include %s\n.PHONY: check-nohelp\ncheck-nohelp:\n"
                    "\t@true\nundocumented-rule:\n\t@true\n" % mf)
        bad, what = check(extra, "Makefile + 2 targets without help")
        ok(not bad and "check-nohelp" in what and
           "undocumented-rule" in what,
           "fails on targets without a help line: %s" % what)
    return T.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
