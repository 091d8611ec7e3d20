# SPDX-License-Identifier: GPL-2.0
"""analysis/aa.py: A/A runs give the floors and verdict counts they should.
Run: /usr/bin/python3 -m unittest tests/analysis/test_aa.py"""
import io
import json
import math
import os
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb import aa

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


class TestNoiseFile(unittest.TestCase):
    """make compare --noise-file: the A/A floors decide the verdicts."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        from gupb import stats as gupb_analysis
        from gupb import compare as gupbench_compare
        self.ga, self.gc = gupb_analysis, gupbench_compare

    def noise(self, floors, **extra):
        path = os.path.join(self.tmp, "noise.json")
        doc = {"runs": ["a", "b", "c"], "pairs": 3, "cpu_model": "x",
               "families": {k: {"noise": v} for k, v in floors.items()}}
        doc.update(extra)
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def compare(self, *extra):
        a = result(os.path.join(self.tmp, "a.json"), 0.0, 1)
        b = result(os.path.join(self.tmp, "b.json"), 0.05, 2)
        out = os.path.join(self.tmp, "cmp")
        o, e = io.StringIO(), io.StringIO()
        with redirect_stdout(o), redirect_stderr(e):
            rc = self.gc.main([a, b, "-o", out, "--no-plots", "-q"] +
                              list(extra))
        cmp = None
        if rc == 0:
            with open(os.path.join(out, "comparison.json")) as f:
                cmp = json.load(f)
        return rc, cmp, e.getvalue(), out

    def test_a_family_floor_above_the_change_means_no_change(self):
        # One run a side, no A/A floors: a 5% change is not called.
        rc, cmp, _, _ = self.compare()
        self.assertEqual(rc, 0)
        fam = cmp["families"]["odirect_read"]
        self.assertEqual(fam["verdict"], "inconclusive")
        self.assertEqual(fam["why"], "1 run per side")
        # A measured floor below the change: called.
        rc, cmp, _, _ = self.compare("--noise-file",
                                     self.noise({"odirect_read": 0.03}))
        self.assertEqual(cmp["families"]["odirect_read"]["verdict"], "slower")
        rc, cmp, _, out = self.compare("--noise-file",
                                       self.noise({"odirect_read": 0.08}))
        self.assertEqual(rc, 0)
        fam = cmp["families"]["odirect_read"]
        self.assertEqual(fam["verdict"], "no change")
        self.assertEqual(fam["noise_floor"], 0.08)
        # A workload the noise file has no floor for: the one-run default.
        self.assertEqual(cmp["families"]["futex_wake_shared"]["noise_floor"],
                         1.0)
        row = [r for r in cmp["rows"] if r["group"] == "odirect_read"][0]
        self.assertEqual(row["verdict"], "no change")
        with open(os.path.join(out, "summary.txt")) as f:
            summ = f.read()
        self.assertIn("8.0%", summ)
        self.assertIn("A/A: 3 runs", summ)
        self.assertTrue(all(len(ln) <= 75 for ln in summ.splitlines()), summ)

    def test_a_floor_below_the_flat_one_does_not_lower_it(self):
        rc, cmp, _, _ = self.compare("--noise-file",
                                     self.noise({"odirect_read": 0.0}),
                                     "--noise", "0.1")
        self.assertEqual(rc, 0)
        self.assertEqual(cmp["families"]["odirect_read"]["noise_floor"], 0.1)

    def test_bad_noise_files_are_refused(self):
        for doc in ({"families": {}}, {"pairs": 1, "families": []}):
            path = os.path.join(self.tmp, "bad.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            rc, _, err, _ = self.compare("--noise-file", path)
            self.assertEqual(rc, 2)
            self.assertIn("not an A/A noise file", err)
        rc, _, err, _ = self.compare("--noise-file",
                                     self.noise({"odirect_read": -0.1}))
        self.assertEqual(rc, 2)
        self.assertIn("not in [0, 100)", err)
        rc, _, err, _ = self.compare("--noise-file",
                                     os.path.join(self.tmp, "none.json"))
        self.assertEqual(rc, 2)

    def test_another_cpu_is_a_warning(self):
        rc, cmp, _, _ = self.compare("--noise-file", self.noise(
            {"odirect_read": 0.03}, cpu_model="other"))
        self.assertEqual(rc, 0)
        self.assertTrue(any("another CPU" in w for w in cmp["warnings"]))

    def test_untestable_family_has_no_verdict(self):
        a = result(os.path.join(self.tmp, "a1.json"), 0.0, 1, reps=1)
        b = result(os.path.join(self.tmp, "b1.json"), 0.4, 2, reps=1)
        cmp = self.ga.compare(self.ga.load(a), self.ga.load(b))
        self.assertEqual(cmp["families"]["odirect_read"]["verdict"],
                         "inconclusive")


if __name__ == "__main__":
    unittest.main()
