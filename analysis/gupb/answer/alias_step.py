# SPDX-License-Identifier: GPL-2.0
"""The answer's alias step: alias/<run>.json from a source's test-bed runs
(results/vm/<tag>/<run>/result.json, written by the VM run step), or one
line naming the missing step when there are none."""
import argparse
import glob
import os
import sys

from gupb import alias


def main(argv=None):
    ap = argparse.ArgumentParser(prog="gupb answer alias")
    ap.add_argument("--vm", required=True, help="results/vm/<tag>")
    ap.add_argument("--dir", required=True, help="results/answer/<tag>")
    a = ap.parse_args(argv)
    runs = sorted(os.path.dirname(p) for p in
                  glob.glob(os.path.join(a.vm, "*", "result.json")))
    if not runs:
        print("answer: alias step: no test-bed run in %s/ to take the "
              "verdicts from: run the VM step first (make vm-test), or "
              "ANSWER_ALIAS=0" % a.vm.rstrip("/"), file=sys.stderr)
        return 1
    return alias.main(["--optional", "--out", os.path.join(a.dir, "alias")]
                      + runs)
