# SPDX-License-Identifier: GPL-2.0
"""Check a gupbench result file: schema, context, skips, proof-of-path
counters. Usage: check_result.py RESULT.json [--no-errors]. TAP on stdout."""
import json
import re
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402

CONTEXT_KEYS = [
    "gupbench_schema", "gupbench_version", "gupbench_profile",
    "kernel_release", "kernel_version", "arch", "page_size",
    "config_source", "config_pgtable_levels", "config_va_bits",
    "config_page_shift", "config_lpa2", "thp_enabled", "thp_defrag",
    "hugetlb_free_pages", "hugetlb_page_size_kb", "cpu_model", "cpu_midr",
    "cmdline", "hw_counters", "odirect_target", "emulated", "kmod",
    "pgtable_l4_enabled", "pgtable_l5_enabled",
]
T = Tap("result")
ok = T.ok


doc = json.load(open(sys.argv[1]))
ctx = doc.get("context", {})
ok(ctx.get("gupbench_schema") == "1", "gupbench_schema is 1")
missing = [k for k in CONTEXT_KEYS if k not in ctx]
ok(not missing, "context keys present (missing: %s)" % missing)
ok(all(isinstance(v, str) for k, v in ctx.items() if k in CONTEXT_KEYS),
   "context values are strings")
ok(ctx.get("hw_counters", "").startswith(("available", "unavailable: ", "partial: ")),
   "hw_counters says available or why not: %s" % ctx.get("hw_counters"))
page = int(ctx.get("page_size", "4096"))
runs = [b for b in doc.get("benchmarks", []) if b.get("run_type") == "iteration"]
ok(len(runs) > 0, "has benchmark runs (%d)" % len(runs))
shape = [b["name"] for b in runs
         if not (b.get("error_occurred") and
                 re.match(r"(skipped|error): .+", b.get("error_message", "")))
         and not (b.get("iterations", 0) > 0 and b.get("real_time", 0) > 0)]
ok(not shape, "every run measured or skipped/failed with a reason %s" % shape[:3])
errors = sorted({"%s: %s" % (b["name"], b["error_message"]) for b in runs
                 if b.get("error_message", "").startswith("error: ")})
if "--no-errors" in sys.argv:
    ok(not errors, "no benchmark failed %s" % errors[:3])
hw_zero = [b["name"] for b in runs for k, v in b.items()
           if k.startswith("pmu_") and v == 0]
ok(not hw_zero, "no hardware counter reported as 0 %s" % hw_zero[:3])
if not ctx.get("hw_counters", "").startswith(("available", "partial")):
    ok(not any(k.startswith("pmu_") for b in runs for k in b),
       "no hardware counters when unavailable")


def bytes_of(name):
    m = re.search(r"/bytes:(\d+)", name)
    return int(m.group(1)) if m else 0


def qd_of(name):
    m = re.search(r"/qd:(\d+)", name)
    return int(m.group(1)) if m else 1


measured = [b for b in runs if not b.get("error_occurred")]
families = {b["name"].split("/")[0] for b in runs}
for fam in ["odirect_read", "odirect_write", "iouring_read",
            "iouring_read_fixed_ctl", "iouring_register", "futex_wake_shared",
            "futex_wake_private_ctl", "vmsplice", "vmsplice_write_ctl"]:
    ok(fam in families, "workload %s registered" % fam)
wrong = []
for b in measured:
    name = b["name"]
    fam = name.split("/")[0]
    pages = bytes_of(name) // page
    if fam in ("odirect_read", "odirect_write"):
        want = pages
    elif fam in ("iouring_read", "iouring_write"):
        want = pages * qd_of(name)
    elif fam == "iouring_register":
        want = pages
    elif fam.endswith("_ctl") and "pins_per_iter" in b:
        want = 0
    else:
        want = None
    if want is not None and round(b.get("pins_per_iter", -1)) != want:
        wrong.append("%s pins %s != %d" % (name, b.get("pins_per_iter"), want))
    if fam == "futex_wake_shared" and b.get("gup_per_iter") != 1:
        wrong.append(name)
    if fam == "futex_wake_private_ctl" and b.get("gup_per_iter") != 0:
        wrong.append(name)
    if fam == "vmsplice" and b.get("zero_copy") != 1:
        wrong.append(name)
ok(not wrong, "proof-of-path counters match the claims %s" % wrong[:3])
sys.exit(T.done())
