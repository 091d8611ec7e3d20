# SPDX-License-Identifier: GPL-2.0
"""Check a smoke run's proof-of-path counters against what each workload
claims (analysis/gupb/schema.py: the claim_* counters of the result, or the
schema's fallback table for results without them): O_DIRECT and io_uring
pin one page per page per I/O, registration pins every page once, controls
pin nothing, shared futex wakes walk the page tables and private ones do
not, vmsplice shares the user page and write() copies it. TAP on stdout.

Usage: check_smoke.py RESULT.json [--root] [--expect-skip PREFIX REGEX]...
    [--expect-not-run WHAT]...
(every run whose name starts with PREFIX is skipped, message matching REGEX;
WHAT, e.g. backing:hugetlb, is left out of the run and said in not_run)
"""
import json
import re
import os
import sys
HERE = os.path.dirname(os.path.abspath(__file__))
from tap import Tap
from gupb import schema as S

T = Tap("smoke")
ok = T.ok


def main():
    args = sys.argv[1:]
    doc = json.load(open(args[0]))
    root = "--root" in args
    skips = [(args[i + 1], args[i + 2]) for i, a in enumerate(args)
             if a == "--expect-skip" and i + 2 < len(args)]
    not_run = [args[i + 1] for i, a in enumerate(args)
               if a == "--expect-not-run" and i + 1 < len(args)]
    page = int(doc["context"]["page_size"])
    runs = [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
    ok(len(runs) > 0, "result has runs (%d)" % len(runs))
    measured = [b for b in runs if S.measured(b)]
    # Claims from the result (claim_<counter>), else the schema's
    # fallback; one tolerance (gupb.schema.claim_holds).
    wrong = [w for b in measured for w in S.check_claims(b, page)]
    ok(not wrong, "counters match the claims %s" % wrong[:4])
    ok(all(b.get("iterations", 0) > 0 and b.get("real_time", 0) > 0
           for b in measured), "every measured run has iterations and time")
    reasonless = [b["name"] for b in runs
                  if not S.measured(b) and not S.outcome(b)[1]]
    ok(not reasonless, "every skip or error has a reason %s" % reasonless[:3])
    busy = [b["name"] for b in runs if S.outcome(b)[0] == "skipped" and
            S.outcome(b)[1].startswith(S.BUSY_REASON)]
    if busy:
        T.skip("machine busy: %d proofs inconclusive (%s)" %
               (len(busy), busy[0]))
    if root:
        errors = ["%s: %s" % (b["name"], S.outcome(b)[1]) for b in runs
                  if S.outcome(b)[0] == "error"]
        ok(not errors, "no workload failed its proof of path %s" % errors[:3])
        # The 4K read is the headline number: it must be measured here.
        fam = {S.parse(b["name"]).base for b in measured}
        for want in ["odirect_read/backing:anon/layout:inside/bytes:4096",
                     "iouring_read/backing:anon/bytes:4096/qd:1",
                     "iouring_read_fixed_ctl/backing:anon/bytes:4096/qd:1",
                     "futex_wake_shared/backing:anon",
                     "futex_wake_private_ctl/backing:anon",
                     "vmsplice/backing:anon/layout:inside/bytes:4096"]:
            hit = want in fam
            if not hit and any(b.startswith(want) for b in busy):
                continue    # counted in the busy SKIP above
            ok(hit, "%s measured" % want)
    for wl, regex in skips:
        hit = [b for b in runs if b["name"].startswith(wl)]
        good = [b for b in hit if S.outcome(b)[0] == "skipped" and
                re.search(regex, S.outcome(b)[1])]
        ok(hit and len(good) == len(hit),
           "%s skipped with /%s/ (%d of %d) %s" %
           (wl, regex, len(good), len(hit),
            [S.outcome(b) for b in hit if b not in good][:2]))
    said = doc["context"].get("not_run", "")
    for what in not_run:
        # left out as a whole: said once in the context, no result rows
        # (WHAT: a key:value parameter or a family)
        key, sep, val = what.partition(":")
        rows = [b["name"] for b in runs
                if (S.parse(b["name"]).get(key) == val if sep
                    else S.family(b["name"]) == what)]
        ok(re.search(r"(^|; )%s: \S" % re.escape(what), said) and not rows,
           "%s not run, said once in context not_run (%r), no rows %s" %
           (what, said, rows[:2]))
    T.done()
    return 1 if T.bad else 0


if __name__ == "__main__":
    sys.exit(main())
