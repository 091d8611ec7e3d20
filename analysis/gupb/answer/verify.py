# SPDX-License-Identifier: GPL-2.0
"""The codegen-verify step (gupb answer codegen --verify [DIR]): the
identical-code assertions on results/answer/<tag>/codegen/, before any
count or report uses it.

Where patch 0001 is a source-level no-op -- static 2 and 3 levels
(pgtable_l4_enabled() is the constant false) and 5 levels (the patched
helper is not compiled) -- the normalised code of every walk function
must be identical to stock: effect "none" in every run-time state. So
that a pipeline that sees no difference anywhere cannot pass, the static
4-level states (pgtable_l4_enabled() constant true) must show 0001 as
"semantic", and every state must report gup_fast_fallback. On the 4-level
LPA2 kernel 0001 must be a no-op without FEAT_LPA2 (identical when
pinned) and semantic with it.

checks() returns the verdicts as data; main() prints one line each and
exits 1 on any failure (or when there is no codegen result to check),
all on stderr: a step's log, not its output."""
import glob
import os
import sys

from gupb import fileio

WALK = "mm/gup.o:gup_fast_fallback"


def checks(docs):
    """[(passed: bool or None for skipped, what, diagnostics)]."""
    out = []
    for doc in docs:
        s = doc["state"]
        out.append((WALK in doc["functions"].get("stock", {}),
                    "%s: gup_fast_fallback found in the objects" % s, ""))
        p = doc["patches"].get("0001")
        if p is None:
            out.append((None, "%s: patch 0001 not in this run" % s, ""))
            continue
        lv = doc["static_levels"]
        if lv <= 3 or lv == 5:
            out.append((not p["changed_functions"] and
                        set(p["effect"].values()) == {"none"},
                        "%s (%d levels): 0001 is a no-op, code identical" %
                        (s, lv),
                        "changed: %s\n%s" % (p["changed_functions"],
                                             "\n".join(p["diff"].values()))))
        elif lv == 4 and doc["lpa2"]:
            # Without FEAT_LPA2 pgtable_l4_enabled() is false and the
            # macro takes the live pointer, as stock does.
            out.append((p["effect"].get("neoverse-n1") in
                        ("none", "codegen-only")
                        and p["effect"].get("max") == "semantic",
                        "%s: 0001 is a no-op folded at run time, live with "
                        "FEAT_LPA2" % s, "effect: %s" % p["effect"]))
        elif lv == 4 and not doc["lpa2"]:
            out.append((set(p["effect"].values()) == {"semantic"},
                        "%s (static 4 levels): 0001 reads the stack copy" % s,
                        "effect: %s" % p["effect"]))
    return out


def main(argv=None):
    argv = list(argv or [])
    d = argv[0] if argv else "results/answer/codegen"
    try:
        docs = [fileio.read_json(p)
                for p in sorted(glob.glob(os.path.join(d, "*.json")))]
    except fileio.InputError as e:
        print("answer: codegen-verify: %s" % e, file=sys.stderr)
        return 1
    if not docs:
        print("answer: codegen-verify: no codegen results in %s: run the "
              "codegen step first (make answer-codegen)" % d,
              file=sys.stderr)
        return 1
    bad = 0
    for passed, what, diag in checks(docs):
        if passed is None:
            print("answer: codegen-verify: skipped: %s" % what,
                  file=sys.stderr)
            continue
        print("answer: codegen-verify: %s: %s" % ("ok" if passed else
                                                 "FAILED", what),
              file=sys.stderr)
        if not passed:
            bad += 1
            for line in str(diag).splitlines()[-15:]:
                print("    " + line, file=sys.stderr)
    return 1 if bad else 0
