# SPDX-License-Identifier: GPL-2.0
"""gupb.plots: the forest plot's axis and noise band, the summary PNG."""
import os
import shutil
import tempfile
import unittest

from gupb import stats as ga
from gupb_fixtures import EMAIL_NAMES, synthetic, runs_side


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


if __name__ == "__main__":
    unittest.main()
