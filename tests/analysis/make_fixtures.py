# SPDX-License-Identifier: GPL-2.0
"""Write the analysis test fixtures (deterministic). Run from anywhere:
/usr/bin/python3 tests/analysis/make_fixtures.py"""
import json
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
CTX = {
    "date": "2026-11-25T08:00:00+00:00", "host_name": "arm64box",
    "executable": "build/aarch64/gupbench", "num_cpus": 8, "mhz_per_cpu": 0,
    "library_build_type": "release", "gupbench_schema": "1",
    "gupbench_version": "fixture", "gupbench_profile": "quick",
    "kernel_release": "6.12.0-a", "arch": "aarch64", "page_size": "4096",
    "config_pgtable_levels": "4", "config_va_bits": "48",
    "pgtable_l4_enabled": "1", "pgtable_l5_enabled": "0",
    "pgtable_levels_runtime": "4", "cpu_model": "implementer 0x41 part 0xd0c",
    "emulated": "no", "hw_counters": "available",
}
NAMES = ["odirect_read/backing:anon/layout:inside/bytes:4096/real_time",
         "odirect_read/backing:thp/layout:inside/bytes:2097152/real_time",
         "futex_wake_shared/backing:anon",
         "futex_wake_private_ctl/backing:anon",
         "kwalk/variant:live/backing:anon/pages:16/manual_time",
         "kwalk/variant:stack/backing:anon/pages:16/manual_time"]
BASE_NS = [4000.0, 90000.0, 1400.0, 1100.0, 300.0, 290.0]


def doc(ctx, factor=1.0, reps=10, seed=0, names=NAMES):
    rng = np.random.default_rng(seed)
    out = {"context": ctx, "benchmarks": []}
    for fi, (name, ns) in enumerate(zip(names, BASE_NS)):
        vals = ns * factor * (1 + 0.005 * rng.standard_normal(reps))
        for i, v in enumerate(vals):
            b = {"name": name, "family_index": fi,
                 "per_family_instance_index": 0, "run_name": name,
                 "run_type": "iteration", "repetitions": reps,
                 "repetition_index": i, "threads": 1, "iterations": 1000,
                 "real_time": float(v), "cpu_time": float(v),
                 "time_unit": "ns", "pins_per_iter": 1.0,
                 "pmu_instructions_k": float(2000 * factor)}
            if name.startswith("kwalk"):
                b.update(ns_min=v * 0.8, ns_p50=v, ns_p90=v * 1.2,
                         ns_p99=v * 1.5)
            out["benchmarks"].append(b)
        for agg, f in (("mean", np.mean), ("median", np.median),
                       ("stddev", np.std)):
            out["benchmarks"].append({
                "name": name + "_" + agg, "family_index": fi,
                "per_family_instance_index": 0, "run_name": name,
                "run_type": "aggregate", "repetitions": reps, "threads": 1,
                "aggregate_name": agg, "aggregate_unit": "time",
                "iterations": reps, "real_time": float(f(vals)),
                "cpu_time": float(f(vals)), "time_unit": "ns"})
    out["benchmarks"].append({
        "name": "odirect_read/backing:hugetlb/layout:inside/bytes:4096/real_time",
        "family_index": 9, "per_family_instance_index": 0,
        "run_name": "x", "run_type": "iteration", "repetitions": reps,
        "repetition_index": 0, "threads": 1, "iterations": 0,
        "real_time": 0, "cpu_time": 0, "time_unit": "ns",
        "error_occurred": True, "error_message": "skipped: no free hugetlb pages"})
    return out


def write(name, d):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(d, f, indent=1)


def main():
    os.makedirs(HERE, exist_ok=True)
    write("base.json", doc(CTX))
    b = dict(CTX, kernel_release="6.12.0-b")
    write("slower10.json", doc(b, factor=1.10, seed=1))
    write("identical.json", doc(b))
    write("tworeps.json", doc(b, reps=2, seed=2))
    s = dict(b, config_pgtable_levels="3", config_va_bits="39",
             pgtable_l4_enabled="0", pgtable_levels_runtime="3")
    write("otherstate.json", doc(s, seed=3))
    extra = doc(b, seed=4)
    extra["benchmarks"] = [x for x in extra["benchmarks"]
                           if not x["name"].startswith("futex_wake_private")]
    write("missing_one.json", extra)
    other = dict(CTX)
    del other["gupbench_schema"]
    write("not_gupbench.json", doc(other))
    with open(os.path.join(HERE, "invalid.json"), "w") as f:
        f.write('{"context": {"gupbench_schema": "1"}, "benchmarks": [')
    write("disjoint.json", doc(b, names=["nothing/in:common"]))


if __name__ == "__main__":
    main()
