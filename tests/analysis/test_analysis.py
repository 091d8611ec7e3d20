# SPDX-License-Identifier: GPL-2.0
"""Tests of analysis/: run with /usr/bin/python3 -m unittest (make check-analysis)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import numpy as np

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(TOP, "tests", "analysis", "fixtures")
from gupb import stats as ga
from gupb import schema as S
from gupb import report

CLI = ["-m", "gupb", "compare"]


def fx(name):
    return os.path.join(FIX, name)


def run_cli(*args):
    return subprocess.run([sys.executable] + CLI + list(args),
                          capture_output=True, text=True)


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


class TestText(unittest.TestCase):
    def test_width_and_content(self):
        c = ga.compare(ga.load(fx("base.json")), ga.load(fx("slower10.json")))
        t = report.text(c)
        lines = t.splitlines()
        self.assertTrue(all(len(l) <= 80 for l in lines),
                        max(lines, key=len))
        self.assertIn("A: 6.12.0-a", t)
        self.assertIn("B: 6.12.0-b", t)
        self.assertIn("4K pages, 4 levels, 48-bit user VA", t)
        self.assertIn("1 run x 10 reps, profile quick", t)
        self.assertIn("noise floor 100% (default)", t)
        self.assertIn("+10.", t)
        c = ga.compare(runs_side(1.0, 3, 10), runs_side(1.10, 3, 20))
        t = report.text(c)
        self.assertIn("noise floor 2.0%", t)
        self.assertIn("3 runs x 5 reps", t)
        self.assertEqual(len(re.findall(r"(?m)^  .* slower$", t)),
                         len(c["rows"]))
        md = report.markdown(c)
        self.assertIn("| benchmark | time | A | B |", md)

    def test_long_names_fit(self):
        n = "odirect_write_buffered_ctl/backing:hugetlb/layout:cross_pud/bytes:2097152/real_time"
        s = report.shorten(n, 31)
        self.assertLessEqual(len(s), 31)
        self.assertTrue(s.startswith("odirect_wr"))


class TestCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_end_to_end(self):
        before = {f: hashlib.sha256(open(fx(f), "rb").read()).hexdigest()
                  for f in ("base.json", "slower10.json", "otherstate.json")}
        r = run_cli(fx("base.json"), fx("slower10.json"), fx("otherstate.json"),
                    "-o", self.tmp, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        outs = sorted(os.listdir(self.tmp))
        self.assertEqual(len(outs), 2)
        d = os.path.join(self.tmp, outs[0])
        for f in ("table.txt", "summary.txt", "summary.png",
                  "table.md", "comparison.json", "forest.png",
                  "forest.svg", "latency.png", "distributions.png", "walk_grid.png",
                  "walk_grid.svg"):
            self.assertTrue(os.path.getsize(os.path.join(d, f)) > 0, f)
        with open(os.path.join(d, "forest.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        root = ET.parse(os.path.join(d, "walk_grid.svg")).getroot()
        self.assertTrue(root.tag.endswith("svg"))
        json.load(open(os.path.join(d, "comparison.json")))
        after = {f: hashlib.sha256(open(fx(f), "rb").read()).hexdigest()
                 for f in before}
        self.assertEqual(before, after, "inputs modified")

    def test_bad_input_exit_2(self):
        for args in ([fx("base.json"), fx("nonexistent.json")],
                     [fx("base.json"), fx("invalid.json")],
                     [fx("base.json"), fx("not_gupbench.json")],
                     [fx("base.json"), fx("disjoint.json")],
                     [fx("base.json")], ["--bogus"]):
            r = run_cli(*(args + ["-o", self.tmp, "--no-plots"]))
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertTrue(r.stderr.strip())

    def test_help(self):
        r = run_cli("--help")
        self.assertEqual(r.returncode, 0)
        for opt in ("--out", "--noise", "--alpha", "--no-plots"):
            self.assertIn(opt, r.stdout)


class TestGoogleCompare(unittest.TestCase):
    """Google's compare.py and ours agree on direction."""
    CMP = "/usr/share/benchmark/compare.py"

    def test_direction(self):
        if not os.path.exists(self.CMP):
            self.fail("compare.py missing: apt-get install libbenchmark-tools")
        r = subprocess.run(["/usr/bin/python3", self.CMP, "-a", "benchmarks",
                            fx("base.json"), fx("slower10.json")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        ours = {x["name"]: x["ratio"] for x in ga.compare(
            ga.load(fx("base.json")), ga.load(fx("slower10.json")))["rows"]}
        seen = 0
        for line in r.stdout.splitlines():
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)
            m = re.match(r"(\S+)_median\s+([+-]\d+\.\d+)\s", line)
            name = m and m.group(1)
            if m and name in ours:
                self.assertEqual(float(m.group(2)) > 0, ours[name] > 1, line)
                seen += 1
        self.assertGreater(seen, 0, r.stdout[:2000])


if __name__ == "__main__":
    unittest.main()


# Names the suite really produces, including pairs that the old table
# printed under one label (odirect_read vs its _buffered_ctl, iouring_read
# vs its _fixed_ctl), and one very long one.
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


class TestEmail(unittest.TestCase):
    def test_row_labels_unique_and_map_back(self):
        c = synthetic(EMAIL_NAMES, 1.1)
        t = report.text(c)
        self.assertTrue(all(len(l) <= 80 for l in t.splitlines()))
        parsed = report.parse_text(t)
        self.assertEqual(sum(parsed.values()), len(EMAIL_NAMES), t)
        self.assertTrue(all(v == 1 for v in parsed.values()), parsed)
        lab = report.labels(c["rows"])
        for fam, label in parsed:
            hits = [n for n in EMAIL_NAMES
                    if S.family(n) == fam and lab[n] == label]
            self.assertEqual(len(hits), 1, (fam, label))
        self.assertNotIn("~", t)

    def test_colliding_labels_fall_back_to_full_parameters(self):
        names = ["x/bytes:4096", "x/4K"]
        c = synthetic(names, 1.0)
        lab = report.labels(c["rows"])
        self.assertEqual(len(set(lab.values())), 2, lab)

    def test_summary_fits_a_commit_message(self):
        c = synthetic(EMAIL_NAMES, 1.1)
        s = report.summary(c)
        self.assertTrue(all(len(l) <= 75 for l in s.splitlines()), s)
        self.assertIn("A: 6.12-1.0", s)
        self.assertIn("B: 6.12-1.1", s)
        self.assertIn("noise floor 2.0%", s)
        self.assertIn("3 runs x 5 reps", s)
        for fam in ("odirect_read", "iouring_read_fixed_ctl", "kwalk"):
            self.assertRegex(s, r"(?m)^  %s +\d+ +\+10\.0%% .* slower$" % fam)
        same = report.summary(synthetic(EMAIL_NAMES, 1.0))
        self.assertNotRegex(same, r"(?m)^  \S+ +\d+ .* (slower|faster)$")
        self.assertRegex(same, r"(?m)^  kwalk +2 .* no change$")

    def test_family_ci_covers_geomean(self):
        c = synthetic(EMAIL_NAMES, 1.1)
        for f in c["families"].values():
            self.assertLessEqual(f["ci_low"], f["geomean"])
            self.assertGreaterEqual(f["ci_high"], f["geomean"])


class TestPlots(unittest.TestCase):
    def setUp(self):
        from gupb import plots
        self.plots = plots
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_forest_log_axis_every_median_visible(self):
        c = synthetic(EMAIL_NAMES, 1.05, outlier=EMAIL_NAMES[0])
        fig = self.plots.forest_figure(c)
        ax = fig.axes[0]
        self.assertEqual(ax.get_xscale(), "log")
        self.assertEqual(len(ax.get_yticks()), len(EMAIL_NAMES))
        lo, hi = ax.get_xlim()
        # the 9x outlier's median is on the axis, the axis symmetric
        self.assertGreaterEqual(hi, 9.0 * 1.05)
        self.assertAlmostEqual(lo * hi, 1.0)
        # one noise band per workload, each the workload's own floor
        self.assertEqual(len(ax.collections), len(c["families"]))
        self.assertIsNotNone(ax.get_legend())
        labels = [t.get_text() for t in ax.get_yticklabels()]
        self.assertTrue(all(t.get_fontsize() >= 8
                            for t in ax.get_yticklabels()))
        self.assertIn("kwalk  live/anon/p16/contention:pgd_neighbour",
                      labels)

    def test_forest_band_is_the_noise_file_floor(self):
        names = EMAIL_NAMES[:2]
        a = runs_side(1.0, 3, 1, names=names)
        b = runs_side(1.0, 3, 2, names=names)
        c = ga.compare(a, b, family_noise={"odirect_read": 0.12,
                                           "odirect_read_buffered_ctl": 0.04})
        ax = self.plots.forest_figure(c).axes[0]
        xs = sorted(round(float(p.get_paths()[0].vertices[:, 0].max()), 3)
                    for p in ax.collections)
        self.assertEqual(xs, [1.04, 1.12])

    def test_summary_png_small_one_row_per_family(self):
        c = synthetic(EMAIL_NAMES, 1.1)
        fig = self.plots.summary_figure(c)
        self.assertEqual(len(fig.axes[0].get_yticks()), len(c["families"]))
        self.assertEqual(fig.axes[0].get_xscale(), "log")
        p = self.plots.summary(c, self.tmp)[0]
        self.assertLess(os.path.getsize(p), 150 * 1024)
        with open(p, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


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


class TestKernelPatch(unittest.TestCase):
    def test_header_says_stock_vs_patch(self):
        c = synthetic(EMAIL_NAMES, 1.0)
        c["a"]["patch"], c["b"]["patch"] = "none", "0001"
        s = report.summary(c)
        self.assertRegex(s, r"(?m)^A: 6\.12-1\.0 stock$")
        self.assertRegex(s, r"(?m)^B: 6\.12-1\.0 patch 0001$")


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


class TestInjectCli(unittest.TestCase):
    def test_inject_b_is_found_and_said(self):
        tmp = tempfile.mkdtemp()
        try:
            r = run_cli("-A", os.path.join(AA, "a"), "-B",
                        os.path.join(AA, "b"), "--inject-b", "1.5",
                        "-o", tmp, "-q", "--no-plots")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(tmp, "summary.txt")) as f:
                s = f.read()
            self.assertIn("multiplied by 1.5 (--inject-b)", s)
            c = json.load(open(os.path.join(tmp, "comparison.json")))
            self.assertAlmostEqual(c["families"]["vmsplice"]["geomean"],
                                   1.5 * 1.018, delta=0.01)
            r = run_cli(fx("base.json"), fx("slower10.json"),
                        "--inject-b", "0", "-o", tmp)
            self.assertEqual(r.returncode, 2)
        finally:
            shutil.rmtree(tmp)


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
