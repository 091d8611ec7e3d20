# SPDX-License-Identifier: GPL-2.0
"""gupb.stats: loading, the hierarchical bootstrap comparison, verdicts,
warnings, declared time fields, and real A/A runs under load."""
import json
import os
import shutil
import tempfile
import unittest

from gupb import stats as ga
from gupb import report
from gupb_fixtures import (fx, EMAIL_NAMES, synthetic, runs_side, aa_side,
                           injected, summary_verdicts)


class TestCompare(unittest.TestCase):
    def cmp(self, a, b, **kw):
        return ga.compare(ga.load(fx(a)), ga.load(fx(b)), **kw)

    def test_known_shift_one_run_a_side(self):
        # One run a side: the spread between runs is unknown, a 10%
        # change is below the default floor and is not called.
        c = self.cmp("base.json", "slower10.json")
        self.assertTrue(c["one_run"])
        for r in c["rows"]:
            self.assertEqual(r["verdict"], "inconclusive", r["name"])
            self.assertEqual(r["why"], "1 run per side")
            self.assertLess(r["ci_low"], 1.10 + 0.01)
            self.assertGreater(r["ci_high"], 1.10 - 0.01)
        for g, v in c["families"].items():
            self.assertAlmostEqual(v["geomean"], 1.10, delta=0.01, msg=g)
            self.assertEqual(v["verdict"], "inconclusive")
        self.assertTrue(any("1 run per side" in w for w in c["warnings"]))
        # A counter is a count: its change, no verdict.
        k = c["rows"][0]["counters"]["pmu_instructions_k"]
        self.assertAlmostEqual(k["ratio"], 1.10)
        self.assertNotIn("verdict", k)

    def test_known_shift_three_runs_a_side(self):
        c = ga.compare(runs_side(1.0, 3, 10), runs_side(1.10, 3, 20))
        self.assertFalse(c["one_run"])
        for r in c["rows"]:
            self.assertEqual(r["verdict"], "slower", r["name"])
            self.assertEqual((r["runs_a"], r["runs_b"]), (3, 3))
        for g, v in c["families"].items():
            self.assertEqual(v["verdict"], "slower", g)

    def test_between_run_spread_widens_the_interval(self):
        """Runs that disagree (a 6% drift between processes, tight
        inside each) give a wide interval: inconclusive, not slower."""
        a = runs_side(1.0, 3, 10, drift=(0.0, 0.06, -0.03))
        b = runs_side(1.03, 3, 20, drift=(0.05, -0.02, 0.0))
        c = ga.compare(a, b)
        for r in c["rows"]:
            self.assertNotIn(r["verdict"], ("slower", "faster"), r)
            self.assertGreater(r["ci_high"] - r["ci_low"], 0.04, r)
        one = ga.compare(a["files"][0], b["files"][0])
        r = one["rows"][0]
        self.assertLess(r["ci_high"] - r["ci_low"], 0.02, r)

    def test_identical_no_change(self):
        c = self.cmp("base.json", "identical.json")
        self.assertTrue(all(r["verdict"] in ("no change", "inconclusive")
                            for r in c["rows"]))
        self.assertTrue(all(abs(r["ratio"] - 1) < 1e-12 for r in c["rows"]))
        c = ga.compare(runs_side(1.0, 3, 10), runs_side(1.0, 3, 10))
        self.assertTrue(all(r["verdict"] == "no change" for r in c["rows"]))

    def test_two_reps_warn(self):
        c = self.cmp("base.json", "tworeps.json")
        self.assertTrue(any("fewer than 5 repetitions" in w
                            for w in c["warnings"]))
        self.assertTrue(all(r["verdict"] != "slower" for r in c["rows"]))

    def test_state_mismatch_warns(self):
        c = self.cmp("base.json", "otherstate.json")
        self.assertTrue(any("different folding states" in w
                            for w in c["warnings"]))
        keys = {d["key"] for d in c["context_diff"]}
        self.assertIn("config_pgtable_levels", keys)
        self.assertIn("pgtable_l4_enabled", keys)

    def test_one_side_only_listed(self):
        c = self.cmp("base.json", "missing_one.json")
        self.assertEqual(c["only_a"], ["futex_wake_private_ctl/backing:anon"])
        self.assertEqual(c["only_b"], [])
        self.assertIn("skipped: no free hugetlb pages",
                      c["skipped_a"].values())

    def test_nothing_in_common(self):
        with self.assertRaises(ga.InputError):
            self.cmp("base.json", "disjoint.json")

    def test_load_rejects(self):
        for name, msg in (("not_gupbench.json", "not a gupbench result"),
                          ("invalid.json", "not valid JSON"),
                          ("nonexistent.json", "No such file")):
            with self.assertRaises(ga.InputError) as e:
                ga.load(fx(name))
            self.assertIn(msg, str(e.exception))


class TestTimeField(unittest.TestCase):
    def test_each_benchmark_its_declared_time(self):
        doc = {"context": {"gupbench_schema": "1"}, "benchmarks": [
            {"name": "futex_wake_shared/backing:anon", "run_type": "iteration",
             "real_time": 900.0, "cpu_time": 500.0, "time_unit": "ns"},
            {"name": "odirect_read/backing:anon/real_time",
             "run_type": "iteration", "real_time": 3.0, "cpu_time": 1.0,
             "time_unit": "us"},
            {"name": "kwalk/variant:live/manual_time",
             "run_type": "iteration", "real_time": 300.0, "cpu_time": 9e3,
             "time_unit": "ns"}]}
        d = tempfile.mkdtemp()
        try:
            p = os.path.join(d, "r.json")
            with open(p, "w") as f:
                json.dump(doc, f)
            runs = ga.load(p)["runs"]
        finally:
            shutil.rmtree(d)
        self.assertEqual(runs["futex_wake_shared/backing:anon"]["time_ns"],
                         [500.0])
        self.assertEqual(
            runs["odirect_read/backing:anon/real_time"]["time_ns"], [3000.0])
        self.assertEqual(runs["kwalk/variant:live/manual_time"]["time_ns"],
                         [300.0])





class TestRealAA(unittest.TestCase):
    """Real runs of one kernel under load (fixtures/aa-load/README.md)."""

    @classmethod
    def setUpClass(cls):
        from gupb import aa
        cls.a, cls.b = aa_side("a"), aa_side("b")
        res = aa.analyse(cls.a["files"] + cls.b["files"])
        cls.floors = {k: f["noise"] for k, f in
                      list(res["families"].items()) +
                      list(res["benchmarks"].items())
                      if f["noise"] is not None}

    def assert_no_change_called(self, c):
        for g, f in c["families"].items():
            self.assertNotIn(f["verdict"], ("faster", "slower"), (g, f))
        for r in c["rows"]:
            self.assertNotIn(r["verdict"], ("faster", "slower"), r["name"])

    def test_aa_three_runs_a_side_calls_nothing(self):
        c = ga.compare(self.a, self.b)
        self.assertEqual(len(c["a"]["paths"]), 3)
        self.assert_no_change_called(c)
        self.assertTrue(any("busy host" in w for w in c["warnings"]))
        self.assertIn("busy host", report.summary(c))

    def test_aa_one_run_a_side_calls_nothing(self):
        fa, fb = self.a["files"], self.b["files"]
        for x, y in ((fa[0], fa[1]), (fa[0], fb[2]), (fa[2], fb[0])):
            with self.subTest(a=x["path"], b=y["path"]):
                c = ga.compare(x, y)
                self.assert_no_change_called(c)
                self.assertIn("1 run per side", report.summary(c))

    def test_aa_with_the_measured_floors_calls_nothing(self):
        c = ga.compare(self.a, self.b, family_noise=self.floors)
        self.assert_no_change_called(c)

    def test_injected_ten_percent_is_found(self):
        c = ga.compare(self.a, injected(self.b, 1.10),
                       family_noise=self.floors, noise_source="A/A")
        low = [g for g, f in self.floors.items() if f < 0.10
               and g in c["families"]]
        self.assertGreaterEqual(len(low), 2, self.floors)
        for g in low:
            self.assertEqual(c["families"][g]["verdict"], "slower",
                             (g, c["families"][g]))
        for g, f in c["families"].items():
            self.assertNotEqual(f["verdict"], "faster", g)

    def test_checks_are_not_timings(self):
        c = ga.compare(self.a, self.b)
        self.assertFalse([r for r in c["rows"] if r["group"] == "alias"])
        self.assertNotIn("alias", c["families"])
        ch = {x["name"].split("/")[1]: x for x in c["checks"]}
        self.assertEqual(ch["entry:odirect"]["a"], "pass")
        self.assertEqual(ch["entry:kwalk"]["a"], "not run")
        s = report.summary(c)
        self.assertIn("Checks (pass/fail, not timings)", s)
        self.assertNotIn("fewer than 5 repetitions", s)

    def test_summary_and_table_never_disagree(self):
        cmps = [ga.compare(self.a, self.b),
                ga.compare(self.a["files"][0], self.b["files"][2]),
                ga.compare(self.a, injected(self.b, 1.10),
                           family_noise=self.floors),
                ga.compare(self.a, injected(self.a, 0.80),
                           family_noise=self.floors),
                synthetic(EMAIL_NAMES, 1.1), synthetic(EMAIL_NAMES, 1.0),
                ga.compare(runs_side(1.0, 3, 10),
                           runs_side(1.03, 3, 20,
                                     drift=(0.05, -0.02, 0.0)))]
        seen = set()
        for c in cmps:
            summ, tab = report.summary(c), report.text(c)
            self.assertTrue(all(len(l) <= 75 for l in summ.splitlines()))
            self.assertTrue(all(len(l) <= 80 for l in tab.splitlines()))
            fams, rows = report.parse_verdicts(tab)
            sv = summary_verdicts(summ)
            self.assertEqual(len(sv), len(c["families"]), summ)
            for g, v in fams.items():
                self.assertEqual(sv[g[:22]], v, (g, summ, tab))
                seen.add(v)
                rv = set(rows[g])
                if v == "slower":
                    self.assertIn("slower", rv, g)
                    self.assertNotIn("faster", rv, g)
                elif v == "faster":
                    self.assertIn("faster", rv, g)
                    self.assertNotIn("slower", rv, g)
                elif v == "no change":
                    self.assertFalse(rv & {"slower", "faster"}, g)
            for w in c["warnings"]:
                self.assertIn(w.split(":")[0][:40], summ.replace("\n   ", " "))
        self.assertEqual(seen, {"slower", "faster", "no change",
                                "inconclusive"})


class TestWarnings(unittest.TestCase):
    def test_same_file_same_run_profiles_named(self):
        a = ga.load(fx("base.json"))
        c = ga.compare(a, ga.load(fx("base.json")))
        self.assertTrue(any("share a file" in w for w in c["warnings"]))
        b = ga.load(fx("identical.json"))
        c = ga.compare(a, b)
        self.assertTrue(any("share a run" in w for w in c["warnings"]))
        b["context"] = dict(b["context"], gupbench_profile="full",
                            date="2026-12-01T00:00:00+00:00")
        c = ga.compare(a, b)
        self.assertIn("different profiles: A quick, B full", c["warnings"])
        self.assertIn("different profiles: A quick, B full",
                      report.summary(c).replace("\n   ", " "))

    def test_busy_host_from_the_context(self):
        a = runs_side(1.0, 3, 1)
        b = runs_side(1.5, 3, 2)
        for f in b["files"]:
            f["context"].update(host_loadavg_start="3.10 2.00 1.00",
                                host_loadavg_end="3.20 2.00 1.00",
                                host_ncpus="2")
        for f in a["files"]:
            f["context"].update(host_loadavg_start="0.10 0.10 0.10",
                                host_loadavg_end="1.20 0.50 0.20",
                                host_ncpus="2")
        c = ga.compare(a, b)
        self.assertTrue(c["busy_host"])
        self.assertFalse(any(w.startswith("A ran on a busy host")
                             for w in c["warnings"]), c["warnings"])
        self.assertTrue(any(w.startswith("B ran on a busy host")
                            for w in c["warnings"]))
        self.assertTrue(all(f["verdict"] == "inconclusive"
                            for f in c["families"].values()))
        # with A/A floors measured, the verdict stands (+50% > 10%)
        c = ga.compare(a, b, family_noise={g: 0.10 for g in c["families"]})
        self.assertTrue(all(f["verdict"] == "slower"
                            for f in c["families"].values()))


if __name__ == "__main__":
    unittest.main()
