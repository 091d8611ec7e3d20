# SPDX-License-Identifier: GPL-2.0
"""check_noop.py [DIR]: run by `make answer` after codegen (not by `make
check`: it needs the built objects' results), on results/answer/codegen/.

Where patch 0001 is a source-level no-op -- static 2 and 3 levels
(pgtable_l4_enabled() is the constant false) and 5 levels (the patched
helper is not compiled) -- the normalised code of every walk function
must be identical to stock: effect "none" in every run-time state. So
that a pipeline that sees no difference anywhere cannot pass, the static
4-level states (pgtable_l4_enabled() constant true) must show 0001 as
"semantic", and every state must report gup_fast_fallback. On the 4-level
LPA2 kernel 0001 must be a no-op without FEAT_LPA2 (identical when
pinned) and semantic with it.
TAP output; exit 1 on any failure, 4 (skip) when there is nothing to
check."""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from tap import Tap  # noqa: E402

WALK = "mm/gup.o:gup_fast_fallback"


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "results/answer/codegen"
    t = Tap("answer")
    docs = []
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        with open(path) as f:
            docs.append(json.load(f))
    if not docs:
        t.skip("no codegen results in %s" % d)
        t.done()
        return 4
    for doc in docs:
        s = doc["state"]
        t.ok(WALK in doc["functions"].get("stock", {}),
             "%s: gup_fast_fallback found in the objects" % s)
        p = doc["patches"].get("0001")
        if p is None:
            t.skip("%s: patch 0001 not in this run" % s)
            continue
        lv = doc["static_levels"]
        if lv <= 3 or lv == 5:
            t.ok(not p["changed_functions"] and
                 set(p["effect"].values()) == {"none"},
                 "%s (%d levels): 0001 is a no-op, code identical" % (s, lv),
                 "changed: %s\n%s" % (p["changed_functions"],
                                      "\n".join(p["diff"].values())))
        elif lv == 4 and doc["lpa2"]:
            # Without FEAT_LPA2 pgtable_l4_enabled() is false and the
            # macro takes the live pointer, as stock does.
            t.ok(p["effect"].get("neoverse-n1") in ("none", "codegen-only")
                 and p["effect"].get("max") == "semantic",
                 "%s: 0001 is a no-op folded at run time, live with "
                 "FEAT_LPA2" % s, "effect: %s" % p["effect"])
        elif lv == 4 and not doc["lpa2"]:
            t.ok(set(p["effect"].values()) == {"semantic"},
                 "%s (static 4 levels): 0001 reads the stack copy" % s,
                 "effect: %s" % p["effect"])
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
