# SPDX-License-Identifier: GPL-2.0
"""analysis/aa.py: A/A runs give the floors and verdict counts they should.
Run: /usr/bin/python3 -m unittest tests/analysis/test_aa.py"""
import io
import json
import math
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "analysis"))
import aa  # noqa: E402

CTX = {"gupbench_schema": "1", "gupbench_profile": "quick",
       "kernel_release": "6.12.0-a", "arch": "aarch64", "page_size": "4096",
       "config_pgtable_levels": "4", "config_va_bits": "48",
       "cpu_model": "x", "emulated": "no"}
STEADY = "futex_wake_shared/backing:anon"
DRIFT = "odirect_read/backing:anon/layout:inside/bytes:4096/real_time"


def result(path, shift, seed, reps=7, ctx=None):
    """A run: STEADY with 0.2% noise, DRIFT shifted by `shift` between
    runs (0.2% noise inside the run)."""
    rng = np.random.default_rng(seed)
    runs = []
    for name, ns, f in ((STEADY, 1000.0, 1.0), (DRIFT, 3000.0, 1 + shift)):
        for i, v in enumerate(ns * f * (1 + 0.002 * rng.standard_normal(reps))):
            runs.append({"name": name, "run_type": "iteration",
                         "repetition_index": i, "iterations": 1000,
                         "real_time": float(v), "cpu_time": float(v),
                         "time_unit": "ns"})
    with open(path, "w") as f:
        json.dump({"context": ctx or CTX, "benchmarks": runs}, f)
    return path


class TestAA(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def run_aa(self, files, *extra):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = aa.main(list(files) + ["-o", self.tmp] + list(extra))
        return rc, out.getvalue(), err.getvalue()

    def test_floors_follow_the_between_run_spread(self):
        files = [result(os.path.join(self.tmp, "r%d.json" % i), s, i)
                 for i, s in enumerate((0.0, 0.08, 0.03))]
        rc, out, _ = self.run_aa(files)
        self.assertEqual(rc, 0)
        with open(os.path.join(self.tmp, "noise.json")) as f:
            res = json.load(f)
        fams = res["families"]
        self.assertEqual(res["pairs"], 3)
        # The steady workload keeps the target as its floor; the drifting
        # one gets its largest A/A change (8%), rounded up to 0.5%.
        self.assertEqual(fams["futex_wake_shared"]["noise"], 0.02)
        self.assertAlmostEqual(fams["odirect_read"]["noise"], 0.08, delta=0.006)
        self.assertGreater(fams["odirect_read"]["aa_spread"], 0.07)
        self.assertGreater(fams["odirect_read"]["false_benchmark_verdicts"], 0)
        self.assertEqual(fams["futex_wake_shared"]["false_benchmark_verdicts"], 0)
        self.assertGreater(fams["odirect_read"]["between_cv"], 0.02)
        self.assertIn("Between-run spread above 2%", out)
        self.assertTrue(all(len(ln) <= 80 for ln in out.splitlines()), out)

    def test_reps_needed(self):
        self.assertEqual(aa.reps_needed(0.01, 0.02),
                         math.ceil(math.pi / 2 * 2 * (1.96 * 0.5) ** 2))
        self.assertEqual(aa.reps_needed(0.0, 0.02), 1)
        self.assertIsNone(aa.reps_needed(float("nan"), 0.02))
        self.assertGreater(aa.reps_needed(0.05, 0.02), 50)

    def test_refuses_runs_of_different_kernels(self):
        other = dict(CTX, kernel_release="6.12.0-b")
        files = [result(os.path.join(self.tmp, "a.json"), 0, 1),
                 result(os.path.join(self.tmp, "b.json"), 0, 2, ctx=other)]
        rc, _, err = self.run_aa(files)
        self.assertEqual(rc, 2)
        self.assertIn("not an A/A run", err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "noise.json")))

    def test_one_run_is_a_usage_error(self):
        with redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit) as e:
                aa.main([result(os.path.join(self.tmp, "a.json"), 0, 1)])
        self.assertEqual(e.exception.code, 2)

    def test_untested_families_get_no_floor(self):
        files = [result(os.path.join(self.tmp, "r%d.json" % i), 0.0, i, reps=1)
                 for i in range(2)]
        rc, _, _ = self.run_aa(files)
        self.assertEqual(rc, 0)
        with open(os.path.join(self.tmp, "noise.json")) as f:
            res = json.load(f)
        self.assertIsNone(res["families"]["odirect_read"]["noise"])


if __name__ == "__main__":
    unittest.main()
