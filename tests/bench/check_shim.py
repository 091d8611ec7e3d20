# SPDX-License-Identifier: GPL-2.0
"""Check the JSON written by test_shim: prints TAP lines, exits 1 on failure."""
import json
import sys
from tap import Tap

doc = json.load(open(sys.argv[1]))
by = {}
for b in doc["benchmarks"]:
    by.setdefault(b["name"], []).append(b)
T = Tap("shim")
ok = T.ok


c = by.get("shim_counter/arg:1/iterations:1000", [{}])[0]
ok(c.get("two_per_iter") == 2.0, "GB_AVG_ITER counter is per iteration")
ok(c.get("flat") == 7, "plain counter kept as given")
ok(c.get("label") == "hello", "label")
ok(c.get("items_per_second", 0) > 0, "items processed -> rate")
ok("pmu_cycles_u" not in c or c["pmu_cycles_u"] > 0,
   "hardware counters absent or measured, never 0")
ok("sw_task_clock_ns" in c and c["sw_task_clock_ns"] > 0,
   "software counter measured around the loop")
s = by.get("shim_skip", [{}])[0]
ok(s.get("error_occurred") is True and
   s.get("error_message") == "skipped: no widget here", "skip with reason")
e = by.get("shim_error", [{}])[0]
ok(e.get("error_message") == "error: broken 42", "error with message")
m = [b for b in doc["benchmarks"]
     if b["name"].startswith("shim_manual") and b.get("run_type") == "iteration"]
ok(len(m) == 3, "repetitions: 3 iteration runs (got %d)" % len(m))
ok(all(abs(b["real_time"] - 1e6) < 1 and b["time_unit"] == "ns" for b in m),
   "manual time: 1 ms per iteration")
aggs = {b.get("aggregate_name") for b in doc["benchmarks"]
        if b["name"].startswith("shim_manual") and b.get("run_type") == "aggregate"}
ok({"mean", "median", "stddev"} <= aggs, "aggregates reported")
for which, good in (("first", 0), ("second", 1)):
    f = [b for b in doc["benchmarks"]
         if b["name"].startswith("shim_flaky_" + which)
         and b.get("run_type") == "iteration"]
    ok(len(f) == 3 and sum(not b.get("error_occurred") for b in f) == good
       and all(b.get("error_message", "skipped: ").startswith("skipped: ")
               for b in f),
       "a skip in the %s repetition: no abort, and it sticks" % which)
ok(doc["context"].get("shim_key") == "second-2", "context: last write wins")
sys.exit(T.done())
