# SPDX-License-Identifier: GPL-2.0
"""gupb.report: the email text and Markdown of a comparison (80 columns,
row labels that map back, the kernel patch in the header)."""
import re
import unittest

from gupb import schema as S
from gupb import stats as ga
from gupb import report
from gupb_fixtures import fx, EMAIL_NAMES, synthetic, runs_side


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


class TestKernelPatch(unittest.TestCase):
    def test_header_says_stock_vs_patch(self):
        c = synthetic(EMAIL_NAMES, 1.0)
        c["a"]["patch"], c["b"]["patch"] = "none", "0001"
        s = report.summary(c)
        self.assertRegex(s, r"(?m)^A: 6\.12-1\.0 stock$")
        self.assertRegex(s, r"(?m)^B: 6\.12-1\.0 patch 0001$")


if __name__ == "__main__":
    unittest.main()
