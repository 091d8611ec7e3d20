#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bench/base/schema.h (the result contract's names) names what
analysis/gupb_schema.py (contract/gupbench.json) holds: schema version,
claim prefix, parameter keys, every counter, every context key; and
every name macro is used by a writer in bench/ (beyond the contract's
own tables), so no writer uses a literal instead. TAP on stdout; a
missing header is a failure.

usage: schema_h.py [SCHEMA_H]"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
from tap import Tap
from gupb import schema as S

DEFINE = re.compile(r'^#define\s+(GUPB_\w+)\s+"([^"]*)"', re.M)


def read(path):
    """{macro: (value, None)} of a header's string #defines."""
    with open(path) as f:
        return {m.group(1): (m.group(2), None)
                for m in DEFINE.finditer(f.read())}


def unused(h):
    """The GUPB_CTR_/CTX_/KEY_ macros no bench/ source but the header
    and the contract's tables uses."""
    bench = os.path.join(TOP, "bench")
    text = ""
    for d, _, files in os.walk(bench):
        for f in files:
            if f.endswith((".c", ".h", ".cc")) and f not in ("schema.h",
                                                             "contract.c"):
                text += open(os.path.join(d, f)).read()
    return sorted(m for m in h if m.startswith(("GUPB_CTR_", "GUPB_CTX_",
                                                "GUPB_KEY_"))
                  and not re.search(r"\b%s\b" % m, text))


def check(T, h):
    ok = T.ok
    ok(h.get("GUPB_SCHEMA_VERSION", ("",))[0] == S.SCHEMA_VERSION,
       "GUPB_SCHEMA_VERSION is %s (%s)" % (S.SCHEMA_VERSION,
                                           h.get("GUPB_SCHEMA_VERSION")))
    ok(h.get("GUPB_CLAIM_PREFIX", ("",))[0] == S.CLAIM_PREFIX,
       "GUPB_CLAIM_PREFIX is %s (%s)" % (S.CLAIM_PREFIX,
                                         h.get("GUPB_CLAIM_PREFIX")))
    keys = {v for m, (v, _) in h.items() if m.startswith("GUPB_KEY_")}
    ok(keys == set(S.PARAM_KEYS), "name keys: C only %s, Python only %s" %
       (sorted(keys - set(S.PARAM_KEYS)), sorted(set(S.PARAM_KEYS) - keys)))
    # Counters: pmu_<event> in C stands for pmu_<event>_u and _k.
    ctr = {}
    for m, (v, unit) in h.items():
        if m.startswith("GUPB_CTR_"):
            for name in ([v + "_u", v + "_k"] if v.startswith("pmu_")
                         else [v]):
                ctr[name] = unit
    py = set(S.counter_names())
    ok(set(ctr) == py, "counters: C only %s, Python only %s" %
       (sorted(set(ctr) - py), sorted(py - set(ctr))))
    left = unused(h)
    ok(not left, "every name macro is used by a writer (%d unused)" %
       len(left), " ".join(left))
    ctx = {v for m, (v, _) in h.items() if m.startswith("GUPB_CTX_")}
    # The test bed's own keys come in through --context, not from C.
    want = set(S.CONTEXT) - set(S.TESTBED_CONTEXT)
    ok(ctx == want, "context keys: C only %s, Python only %s" %
       (sorted(ctx - want), sorted(want - ctx)))


def main(argv):
    T = Tap("schema.h")
    path = argv[1] if len(argv) > 1 else os.path.join(TOP, "bench", "base",
                                                      "schema.h")
    if T.ok(os.path.exists(path), "%s exists" % os.path.relpath(path, TOP)):
        check(T, read(path))
    return T.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
