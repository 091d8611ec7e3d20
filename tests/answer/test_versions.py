# SPDX-License-Identifier: GPL-2.0
"""Unit tests for analysis/answer_versions.py: the answer of several
kernel sources side by side. Every column is headed by its exact source,
a row that differs between sources says so, a missing row is "-", never
a number, lines stay within 80 columns, and a file that is not an
answer.json is a clear error. Inputs are made here; no builds."""
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb.answer import versions as V


def row(cpu, patch, insns, walk, exact=True):
    return {"state": "arm64-16k-52-lpa2", "cpu": cpu, "patch": patch,
            "walk_static_delta": {"insns": walk, "loads": 0, "stores": 0,
                                  "frame": 0},
            "counts": {"gup_fast_only_1page": {
                "insns": insns, "loads": 0, "stores": 0, "exact": exact}}}


def doc(source, rows):
    return {"source": [source], "rows": rows}


OLD = doc("linux-source-6.12 6.12.118-1~deb12u1 (6.12.118)",
          [row("neoverse-n1", "0003", 8, 8), row("max", "0003", 8, 8)])
NEW = doc("linux-source-7.3 7.3~rc7-1~exp1 (7.3.0-rc7)",
          [row("neoverse-n1", "0003", 8, 10), row("max", "0001", 4, 15)])


class TestVersions(unittest.TestCase):
    def test_columns_name_their_source(self):
        t = V.text([OLD, NEW])
        self.assertIn("src1: linux-source-6.12 6.12.118-1~deb12u1", t)
        self.assertIn("src2: linux-source-7.3 7.3~rc7-1~exp1 (7.3.0-rc7)", t)
        self.assertTrue(all(len(l) <= 80 for l in t.splitlines()), t)

    def test_rows(self):
        heads, rows, _ = V.side_by_side([OLD, NEW])
        by = {(r[1], r[2]): r for r in rows}
        self.assertEqual(by[("neoverse-n1", "0003")][3:],
                         ["+8 +8/+0/+0", "+10 +8/+0/+0", "differs"])
        # in one source only: the other column is "-", not a number
        self.assertEqual(by[("max", "0003")][4:], ["-", "partial"])
        self.assertEqual(by[("max", "0001")][3], "-")
        same = V.side_by_side([OLD, OLD])[1]
        self.assertTrue(all(r[-1] == "" for r in same), same)

    def test_main_writes_and_refuses(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, x in enumerate((OLD, NEW)):
                paths.append(os.path.join(d, "%d.json" % i))
                with open(paths[-1], "w") as f:
                    json.dump(x, f)
            out = os.path.join(d, "versions.txt")
            self.assertEqual(V.main(["--out", out] + paths), 0)
            with open(out) as f:
                self.assertIn("differs", f.read())
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                f.write("{}")
            self.assertEqual(V.main([paths[0], bad]), 1)


if __name__ == "__main__":
    unittest.main()
