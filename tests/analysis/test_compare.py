# SPDX-License-Identifier: GPL-2.0
"""gupb.compare, the command line (python3 -m gupb compare): end to end,
bad input, Google Benchmark's compare.py agrees, INJECT_B."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from gupb import stats as ga
from gupb_fixtures import fx, run_cli, AA


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


if __name__ == "__main__":
    unittest.main()
