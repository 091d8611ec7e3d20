# SPDX-License-Identifier: GPL-2.0
"""Unit tests for analysis/answer_versions.py: the answer of several
kernel sources side by side. Every column is headed by its exact source,
a row that differs between sources says so, a missing row is "-", never
a number, lines stay within 80 columns, and a file that is not an
answer.json is a clear error. Inputs are made here; no builds."""
import json
import os
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


def changed(*lines):
    """An estimate's differing instructions: '+insn' / '-insn'."""
    return {"cores": {"neoverse-n1": {"changed": [
        {"side": l[0], "insn": l[1:], "index": i, "timeline": None}
        for i, l in enumerate(lines)]}}}


CHECK = ["+mrs\tx0, TCR_EL1", "+ubfx\tw0, w0, #16, #6", "+mov\tw1, #64",
         "+sub\tw1, w1, w0", "+mov\tx0, #1", "+lsl\tx0, x0, x1",
         "+cmp\tx26, x0", "+b.hi\t#0"]


def counted(state_row, ins, loads, stores, lines):
    r = dict(state_row)
    r["counts"] = {"gup_fast_only_1page": {
        "insns": ins, "loads": loads, "stores": stores, "exact": True}}
    r["estimate"] = changed(*lines)
    return r


class TestWhy(unittest.TestCase):
    """A row that differs between sources is explained from its counted
    sequences: the patch's own code, and the register allocation around
    it (what 7.3 vs 6.12 show for 0003: the same 8-instruction check,
    spilled differently)."""

    def test_same_code_other_allocation(self):
        old = counted(row("neoverse-n1", "0003", 0, 8), 8, 0, 0, CHECK)
        new = counted(row("neoverse-n1", "0003", 0, 10), 7, 0, 0, CHECK + [
            "+lsl\tx26, x0, #14", "-lsl\tx0, x0, #14",
            "-str\tx0, [sp, #136]", "-ldr\tx1, [sp, #136]",
            "-mov\tx21, x1", "+str\tx4, [sp, #184]",
            "+ldr\tx4, [sp, #184]"])
        (key, lines, verdict), = V.why([doc("a", [old]), doc("b", [new])])
        self.assertEqual(key, ("arm64-16k-52-lpa2", "neoverse-n1", "0003"))
        self.assertTrue(verdict.endswith("they differ in register "
                                         "allocation"), verdict)
        self.assertIn("code +7 insns (+0 loads, +0 stores): +mrs", lines[0][1])
        self.assertIn("branches +1/-0", lines[0][1])
        self.assertIn("stack loads +1/-1, stack stores +1/-1, moves +0/-1, "
                      "1 moved or renamed", lines[1][1])
        # the parts add up to the counted change: nothing "elsewhere"
        self.assertNotIn("elsewhere", lines[0][1] + lines[1][1])
        t = V.text([doc("a", [old]), doc("b", [new])])
        self.assertIn("Why the per-call change differs", t)
        self.assertTrue(all(len(l) <= 80 for l in t.splitlines()), t)

    def test_branch_layout_and_pairs(self):
        """6.12 vs 7.3, 0003: the same check, ending in b.hi on one and in
        b.lo + cbnz instead of cbz on the other; a pair is two accesses,
        as the counting plugin sees them."""
        old = counted(row("max", "0003", 0, 8), 10, 2, 2, CHECK[:-1] + [
            "+b.lo\t#0", "+cbnz\tx0, #0", "-cbz\tx0, #0",
            "+ldp\tx3, x5, [sp, #176]", "+stp\tx3, x5, [sp, #176]"])
        new = counted(row("max", "0003", 0, 10), 8, 0, 0, CHECK)
        (_, lines, verdict), = V.why([doc("a", [old]), doc("b", [new])])
        self.assertTrue(verdict.endswith("they differ in branch layout and "
                                         "register allocation"), verdict)
        self.assertIn("branches +2/-1", lines[0][1])
        self.assertIn("stack loads +2/-0, stack stores +2/-0", lines[0][1])
        self.assertNotIn("elsewhere", lines[0][1])

    def test_other_code_and_remainder(self):
        old = counted(row("max", "0001", 0, 2), -2, -2, 0,
                      ["-ldr\tx0, [x0]", "-ldr\tx0, [sp, #120]"])
        new = counted(row("max", "0001", 0, 2), 3, 0, 1,
                      ["+str\tx0, [sp, #8]", "+nop"])
        (_, lines, verdict), = V.why([doc("a", [old]), doc("b", [new])])
        self.assertIn("own code differs", verdict)
        self.assertIn("code -1 insns (-1 loads, +0 stores): -ldr", lines[0][1])
        # 3 counted, 2 in the walk's sequence: 1 instruction elsewhere
        self.assertIn("elsewhere in the call +1/+0/+0", lines[1][1])

    def test_off_stack_loads(self):
        """What tests/kmod/codegen.py compares between kernel and module:
        the loads a function's code makes, without its spills and
        reloads; a pair is two, an atomic one."""
        from gupb.answer import explain as X
        fn = ["stp\tx29, x30, [sp, #-176]!", "ldr\tx0, [sp, #112]",
              "ldr\tx0, [x0]", "ldp\tx1, x2, [x21, #8]",
              "ldaxr\tx3, [x4]", "str\tx0, [x5]", "ldr\tx0, [x0]"]
        self.assertEqual(X.off_stack_loads(fn), 5)
        # 0001 at a static fold: the live reload gone, a spill added
        self.assertEqual(X.off_stack_loads(fn[:-1] + [
            "ldr\tx9, [sp, #8]"]), 4)
        self.assertTrue(X.on_stack("str\tx4, [SP, #184]"))
        self.assertFalse(X.on_stack("ldr\tx0, [x0]"))

    def test_uncounted_side_is_said(self):
        old = row("max", "0003", 8, 8)  # counted, no sequence kept
        new = counted(row("max", "0003", 0, 10), 7, -1, 1, CHECK)
        (_, lines, verdict), = V.why([doc("a", [old]), doc("b", [new])])
        self.assertIn("not explained", verdict)
        self.assertIsNone(lines[0][1])
        self.assertEqual(V.why([doc("a", [new]), doc("b", [new])]), [])
        # a source that did not count the call: "not measured" in the
        # table, nothing to explain
        bare = dict(new, counts={})
        self.assertEqual(V.why([doc("a", [bare]), doc("b", [new])]), [])


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
