# SPDX-License-Identifier: GPL-2.0
"""Check a gupbench result file against the result contract
(analysis/gupb/schema.py): schema version, context, names, skips,
proof-of-path counters against their claims.
Usage: check_result.py RESULT.json [--no-errors]. TAP on stdout."""
import json
import os
import sys
HERE = os.path.dirname(os.path.abspath(__file__))
from tap import Tap
from gupb import schema as S

T = Tap("result")
ok = T.ok
# Families a smoke run registers on any machine (the others need the
# module, gup_test or hugetlb pages).
ALWAYS = ["odirect_read", "odirect_write", "iouring_read",
          "iouring_read_fixed_ctl", "iouring_register", "futex_wake_shared",
          "futex_wake_private_ctl", "vmsplice", "vmsplice_write_ctl"]


doc = json.load(open(sys.argv[1]))
ctx = doc.get("context", {})
ok(ctx.get("gupbench_schema") == S.SCHEMA_VERSION,
   "gupbench_schema is %s (got %s)" % (S.SCHEMA_VERSION,
                                       ctx.get("gupbench_schema")))
missing = [k for k in S.REQUIRED_CONTEXT if k not in ctx]
ok(not missing, "context keys present (missing: %s)" % missing)
ok(all(isinstance(v, str) for k, v in ctx.items() if k in S.CONTEXT),
   "context values are strings")
unknown = sorted(k for k in ctx if k not in S.CONTEXT + S.GB_CONTEXT)
ok(not unknown, "every context key is in the schema %s" % unknown[:5])
ok(S.HW_COUNTERS_RE.match(ctx.get("hw_counters", "")),
   "hw_counters says available or why not: %s" % ctx.get("hw_counters"))
page = int(ctx.get("page_size", "4096"))
runs = [b for b in doc.get("benchmarks", []) if b.get("run_type") == "iteration"]
ok(len(runs) > 0, "has benchmark runs (%d)" % len(runs))
badname = []
for b in doc.get("benchmarks", []):
    try:
        if str(S.parse(S.run_name(b))) != S.run_name(b):
            badname.append(b["name"])
    except ValueError as e:
        badname.append(str(e))
ok(not badname, "every name follows the grammar, round trip exact %s"
   % badname[:3])
keys = sorted({k for b in doc.get("benchmarks", []) if not badname
               for k, _ in S.parse(S.run_name(b)).params} - set(S.PARAM_KEYS))
ok(not keys, "every name parameter key is in the schema %s" % keys)
shape = [b["name"] for b in runs
         if not (S.outcome(b)[1] or (
             S.measured(b) and b.get("iterations", 0) > 0 and
             b.get("real_time", 0) > 0))]
ok(not shape, "every run measured or skipped/failed with a reason %s" % shape[:3])
errors = sorted({"%s: %s" % (b["name"], S.outcome(b)[1]) for b in runs
                 if S.outcome(b)[0] == "error"})
if "--no-errors" in sys.argv:
    ok(not errors, "no benchmark failed %s" % errors[:3])
hw_zero = [b["name"] for b in runs for k, v in b.items()
           if k.startswith("pmu_") and v == 0]
ok(not hw_zero, "no hardware counter reported as 0 %s" % hw_zero[:3])
if not ctx.get("hw_counters", "").startswith(("available", "partial")):
    ok(not any(k.startswith("pmu_") for b in runs for k in b),
       "no hardware counters when unavailable")
measured = [b for b in runs if S.measured(b)]
stray = sorted({k for b in measured for k in S.measured_counters(b)
                if S.counter(k) is None})
ok(not stray, "every counter is in the schema %s" % stray[:5])
families = {S.family(b["name"]) for b in runs}
for fam in ALWAYS:
    ok(fam in families, "workload %s registered" % fam)
# Claims come from the result (claim_<counter>) once the benchmarks write
# them; then every benchmark of a family with a claim must carry its own.
if any(S.has_claims(b) for b in measured):
    unclaimed = [b["name"] for b in measured if not S.has_claims(b)
                 and S.family(b["name"]) in S.FALLBACK_CLAIMS]
    ok(not unclaimed, "every benchmark with a proof writes its claim %s"
       % unclaimed[:3])
wrong = [w for b in measured for w in S.check_claims(b, page)]
ok(not wrong, "proof-of-path counters match the claims (%s) %s" % (
    "from the result" if any(S.has_claims(b) for b in measured)
    else "schema fallback", wrong[:3]))
sys.exit(T.done())
