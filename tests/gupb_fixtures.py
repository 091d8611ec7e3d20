# SPDX-License-Identifier: GPL-2.0
"""Fixtures shared by tests/analysis/test_*.py (one file per module of
gupb: stats, report, plots, compare): the saved result files, the
command line, synthetic sides and the real A/A runs under load."""
import os
import re
import subprocess
import sys

import numpy as np

from gupb import stats as ga

__all__ = ['FIX', 'CLI', 'fx', 'run_cli', 'EMAIL_NAMES', 'synthetic', 'runs_side', 'AA', 'aa_side', 'injected', 'summary_verdicts']

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

FIX = os.path.join(TOP, "tests", "analysis", "fixtures")

CLI = ["-m", "gupb", "compare"]


def fx(name):
    return os.path.join(FIX, name)


def run_cli(*args):
    return subprocess.run([sys.executable] + CLI + list(args),
                          capture_output=True, text=True)

EMAIL_NAMES = [
    "odirect_read/backing:anon/layout:inside/bytes:4096/real_time",
    "odirect_read_buffered_ctl/backing:anon/layout:inside/bytes:4096/real_time",
    "odirect_read/backing:hugetlb/layout:cross_pud/bytes:2097152/real_time",
    "iouring_read/backing:anon/bytes:2097152/qd:1/real_time",
    "iouring_read_fixed_ctl/backing:anon/bytes:2097152/qd:1/real_time",
    "iouring_read/backing:anon/bytes:2097152/qd:4/real_time",
    "kwalk/variant:live/backing:anon/pages:16/contention:pgd_neighbour/manual_time",
    "kwalk/variant:stack/backing:anon/pages:16/contention:pgd_neighbour/manual_time",
    "futex_wake_shared/backing:thp/real_time",
]


def synthetic(names, factor, outlier=None, runs=3):
    """A comparison of two sides of `runs` runs each: 5 repetitions per
    name, B = A * factor (and one benchmark 9x slower if outlier names
    it)."""
    seen = []

    def side(k):
        seen.append(k)
        files = []
        for run in range(runs):
            rr = {}
            for i, n in enumerate(names):
                f = k * (9.0 if n == outlier and k != 1.0 else 1.0)
                rr[n] = {"time_ns": [(1000 + 10 * i + j) * f * (1 + 0.001 * run)
                                     for j in range(5)], "counters": {}}
            files.append({"path": "x%s-%d-%d.json" % (k, run, len(seen)),
                          "runs": rr,
                          "skips": {},
                          "context": {"kernel_release": "6.12-%s" % k}})
        return {"files": files}
    return ga.compare(side(1.0), side(factor))


def runs_side(factor, runs, seed, drift=None, names=None):
    """A side of `runs` loaded runs: the fixture's benchmarks, 5
    repetitions each with 0.3% noise, times factor * (1 + drift[run])."""
    rng = np.random.default_rng(seed)
    names = names or ["odirect_read/backing:anon/layout:inside/bytes:4096/"
                      "real_time", "futex_wake_shared/backing:anon"]
    files = []
    for run in range(runs):
        d = drift[run] if drift else 0.0
        rr = {n: {"time_ns": list(1000.0 * (i + 1) * factor * (1 + d) *
                                  (1 + 0.003 * rng.standard_normal(5))),
                  "counters": {}} for i, n in enumerate(names)}
        files.append({"path": "s%d-%d.json" % (seed, run), "runs": rr,
                      "skips": {}, "context": {
                          "kernel_release": "6.12-%s" % factor,
                          "date": "2026-12-06T00:%02d:%02d" % (seed, run),
                          "gupbench_profile": "quick"}})
    return {"files": files}

AA = os.path.join(FIX, "aa-load")


def aa_side(side):
    return ga.load_side([os.path.join(AA, side)])


def injected(side, factor):
    """A side's runs with every time multiplied by factor (a change
    injected into every run), as new run dicts."""
    out = []
    for f in side["files"]:
        g = dict(f, path=f["path"] + ".x%.2f" % factor,
                 context=dict(f["context"],
                              date=f["context"].get("date", "") + "x"))
        g["runs"] = {n: dict(r, time_ns=[v * factor for v in r["time_ns"]])
                     for n, r in f["runs"].items()}
        out.append(g)
    return {"files": out}


def summary_verdicts(summ):
    """{workload: verdict} from summary.txt (names cut at 22 columns)."""
    out = {}
    for line in summ.splitlines():
        m = re.match(r"  (\S+) +\d+ +\S+ +\S+ +\S+ (faster|slower|no change"
                     r"|inconclusive)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out
