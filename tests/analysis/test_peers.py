# SPDX-License-Identifier: GPL-2.0
"""scripts/peers.py: the side-by-side table from raw gupbench, fio and
perf bench outputs. Run: /usr/bin/python3 -m unittest tests/analysis/test_peers.py"""
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb import peers


def write(path, data):
    with open(path, "w") as f:
        f.write(data if isinstance(data, str) else json.dumps(data))


class TestPeers(unittest.TestCase):
    def make(self, work, rounds, gup_us=2.0, fio_us=4.0, ops=500000,
             error=None):
        for r in range(1, rounds + 1):
            bs = []
            for _, name, _, _, _ in peers.ROWS:
                b = {"name": name, "run_type": "iteration", "time_unit": "us",
                     "real_time": gup_us * r, "cpu_time": gup_us * r}
                if error:
                    b.update(error_occurred=True, error_message=error)
                bs.append(b)
            write(os.path.join(work, "gupbench-%d.json" % r),
                  {"context": {"kernel_release": "k"}, "benchmarks": bs})
            for stem in ("fio-psync", "fio-iouring"):
                write(os.path.join(work, "%s-%d.json" % (stem, r)),
                      {"jobs": [{"read": {"total_ios": 10, "lat_ns":
                                          {"mean": fio_us * 1000 * r}}}]})
            for stem in ("futex-shared", "futex-private"):
                write(os.path.join(work, "%s-%d.txt" % (stem, r)),
                      "Averaged %d operations/sec (+- 0.00%%)\n" % ops)

    def run_peers(self, work, rounds):
        out = os.path.join(work, "out")
        o, e = io.StringIO(), io.StringIO()
        with redirect_stdout(o), redirect_stderr(e):
            try:
                sys.argv = ["peers.py", work, str(rounds), out, "/dev/zram9"]
                peers.main()
                rc = 0
            except SystemExit as x:
                rc = x.code
        return rc, o.getvalue(), e.getvalue(), out

    def test_medians_and_ratio(self):
        work = tempfile.mkdtemp()
        self.make(work, 3)
        rc, out, _, od = self.run_peers(work, 3)
        self.assertEqual(rc, 0)
        with open(os.path.join(od, "peers.json")) as f:
            doc = json.load(f)
        row = doc["rows"][0]
        self.assertEqual(row["gupbench_ns"], [2000.0, 4000.0, 6000.0])
        self.assertEqual(row["gupbench_median_ns"], 4000.0)
        self.assertEqual(row["peer_median_ns"], 8000.0)
        self.assertEqual(doc["rows"][2]["peer_median_ns"], 2000.0)
        self.assertIn("4.00us     8.00us   0.50", out)
        self.assertTrue(all(len(ln) <= 80 for ln in out.splitlines()))

    def test_a_skipped_benchmark_is_an_error(self):
        work = tempfile.mkdtemp()
        self.make(work, 1, error="skipped: no target")
        rc, _, err, od = self.run_peers(work, 1)
        self.assertEqual(rc, 2)
        self.assertIn("skipped: no target", err)
        self.assertFalse(os.path.exists(os.path.join(od, "peers.txt")))

    def test_a_peer_without_result_is_an_error(self):
        work = tempfile.mkdtemp()
        self.make(work, 1)
        write(os.path.join(work, "futex-shared-1.txt"), "perf: error\n")
        rc, _, err, _ = self.run_peers(work, 1)
        self.assertEqual(rc, 2)
        self.assertIn("no result", err)


if __name__ == "__main__":
    unittest.main()
