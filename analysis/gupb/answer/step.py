# SPDX-License-Identifier: GPL-2.0
"""The answer as a chain of named steps, each with declared inputs and
outputs under results/answer/<tag>/ (scripts/answer.mk runs them with
make's file dependencies on the stamps named here):

  codegen         configs/kernel/<state>.config, configs/patches/ (and
                  their meta) -> codegen/<state>.json          (.step)
  codegen-verify  codegen/ -> the identical-code assertions    (.verified)
  counts          codegen/ (which boots are needed) -> counts/*.json
  estimate        counts/ -> estimate/*.json (llvm-mca, a model)
  alias           results/vm/<tag>/*/result.json (the VM run step) ->
                  alias/*.json
  report          all of the above -> report.txt, report.md, answer.json,
                  answer.png

A step's stamp records how its outputs came to be: "built" by the step,
or "cached" (outputs already there, no stamp yet: adopted, nothing
rebuilt). `gupb answer step NAME --dir D` adopts or says the step must
run (exit 3: make then runs it); `--made` stamps it after it ran.
The report lists, per input step, whether it was built by this make or
taken from cache."""
import argparse
import glob
import os
import sys
import time

from gupb import fileio

# name: (folder, stamp, outputs' pattern, what runs it)
STEPS = {
    "codegen": ("codegen", ".step", "*.json", "make answer-codegen"),
    "codegen-verify": ("codegen", ".verified", None,
                       "make answer-codegen-verify"),
    "counts": ("counts", ".step", "*.json", "make answer-counts"),
    "estimate": ("estimate", ".step", "*.json", "make answer-estimate"),
    "alias": ("alias", ".step", "*.json",
              "make vm-test (the VM run step), then make answer-alias"),
}
REPORT_INPUTS = ("codegen", "codegen-verify", "counts", "estimate", "alias")


def stamp_path(d, name):
    folder, stamp, _, _ = STEPS[name]
    return os.path.join(d, folder, stamp)


def outputs(d, name):
    folder, _, pattern, _ = STEPS[name]
    if pattern is None:
        return []
    return sorted(glob.glob(os.path.join(d, folder, pattern)))


def write_stamp(d, name, how):
    doc = {"step": name, "how": how, "at": time.time(),
           "outputs": [os.path.basename(p) for p in outputs(d, name)]}
    fileio.write_json(stamp_path(d, name), doc)
    return doc


def adopt(d, name):
    """True (and stamped "cached") when the step's outputs are there and
    it has no stamp yet; False when it must run: no outputs, or a stamp
    that make found older than an input."""
    if os.path.exists(stamp_path(d, name)) or STEPS[name][2] is None:
        return False
    if not outputs(d, name):
        return False
    write_stamp(d, name, "cached")
    return True


def provenance(d, since):
    """One line per report input: built by this run, or from cache."""
    out = []
    for name in REPORT_INPUTS:
        try:
            s = fileio.read_json(stamp_path(d, name))
        except fileio.InputError:
            out.append("%s: no stamp (run outside make)" % name)
            continue
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s["at"]))
        fresh = since is not None and s["at"] >= since
        what = ("made now" if fresh and s["how"] == "built" else
                "from cache, adopted now" if fresh else
                "from cache (%s %s)" % (s["how"], when))
        n = len(s["outputs"])
        out.append("%s: %s" % (name, what) if STEPS[name][2] is None else
                   "%s: %s, %d file%s" % (name, what, n, "" if n == 1 else "s"))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="gupb answer step",
                                 description="a step's stamp: adopt its "
                                 "outputs from cache or say it must run")
    ap.add_argument("name", choices=sorted(STEPS))
    ap.add_argument("--dir", required=True, help="results/answer/<tag>")
    ap.add_argument("--made", action="store_true",
                    help="the step has just run: stamp it built")
    a = ap.parse_args(argv)
    if a.made:
        write_stamp(a.dir, a.name, "built")
        return 0
    if adopt(a.dir, a.name):
        print("answer: %s: %d file(s) from cache in %s" % (
            a.name, len(outputs(a.dir, a.name)),
            os.path.join(a.dir, STEPS[a.name][0])), file=sys.stderr)
        return 0
    # the step itself runs next (make), and says what it lacks
    return 3
