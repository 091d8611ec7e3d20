# SPDX-License-Identifier: GPL-2.0
"""Unit tests for gupb.answer.readme: README's answer tables come
from saved answer.json files only. Blocks are regenerated in place (text
around them untouched, twice gives the same), every source is named with
the command that made it, a row without counts or estimates says so in
words, a stale README fails --check, saving refuses an answer without its
command, and the checked-in README matches results/examples/answer/."""
import json
import os
import tempfile
import unittest

from gupb.answer import readme as R
from gupb.answer import report as A
from gupb.fileio import InputError

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))


def row(cpu, patch, counts, est=None, alias=None, alias_stock=None):
    return {"state": "arm64-16k-52-lpa2", "page_size": 16384, "va_bits": 47,
            "static_levels": 4, "runtime_levels": 3, "cpu": cpu,
            "patch": patch, "effect": "semantic",
            "walk_static_delta": {"insns": 10, "loads": 0, "stores": 0,
                                  "frame": 0},
            "counts": {A.MAIN: counts}, "counts_by_identical_code": False,
            "alias": alias, "alias_stock": alias_stock, "estimate": est}


EST = {"cores": {"neoverse-n1": {"delta_cycles_per_call": 0.0,
                                 "delta_one_call_cycles": 1},
                 "neoverse-v2": {"skipped": "no model in llvm-mca 14"}}}
ANS = {"source": ["linux-source-7.3 7.3~rc7-1~exp1 (7.3.0-rc7)"],
       "patches": ["0003"], "have_alias": True,
       "estimate_cores": ["neoverse-n1", "neoverse-v2"],
       "rows": [row("neoverse-n1", "0003",
                    {"insns": 7, "loads": -1, "stores": 1, "exact": True},
                    EST, alias={"alias_confirmed": False},
                    alias_stock={"alias_confirmed": True,
                                 "accepted_above_va": True,
                                 "entry_points": ["vmsplice", "futex"],
                                 "confirmed_by": ["vmsplice"],
                                 "kernel_release": "7.3.0-rc7",
                                 "pgtable_levels_runtime": "3",
                                 "va_bits_runtime": 47,
                                 "per_entry_point": {
                                     "vmsplice": {"status": "checked"},
                                     "futex": {"status": "checked"},
                                     "odirect": {"status": "no null_blk"}}}),
                row("max", "0003", None)]}
MADE = {"command": "make answer KERNEL=mainline ANSWER_STATES=arm64-16k-52-lpa2",
        "commit": "abc1234", "date": "2026-12-07"}
README = ("# title\nbefore\n<!-- answer-readme: counts -->\nold text\n"
          "<!-- answer-readme: end -->\nbetween\n"
          "<!-- answer-readme: alias -->\n<!-- answer-readme: end -->\n"
          "<!-- answer-readme: versions -->\n<!-- answer-readme: end -->\n"
          "after\n")


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f)


class TestRender(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.snap = os.path.join(self.tmp.name, "snap")
        write(os.path.join(self.snap, "7.3", "answer.json"), ANS)
        write(os.path.join(self.snap, "7.3", "made.json"), MADE)
        self.docs = R.load_snapshot(self.snap)

    def tearDown(self):
        self.tmp.cleanup()

    def test_blocks_filled_text_kept(self):
        out = R.render(README, "snap", self.docs)
        self.assertNotIn("old text", out)
        for keep in ("# title\nbefore\n", "\nbetween\n", "\nafter\n"):
            self.assertIn(keep, out)
        self.assertIn("made by `%s`; saved from gupbench abc1234 on "
                      "2026-12-07"
                      % MADE["command"], out)
        self.assertIn("linux-source-7.3 7.3~rc7-1~exp1 (7.3.0-rc7)", out)
        # per-call triple, model cells, a core without a model, not measured
        self.assertIn("| 16k-52-lpa2 | 4>3 | neoverse-n1 | 0003 | semantic "
                      "| +10 | +7/-1/+1 | 0 (+1) | no model |", out)
        self.assertIn("| max | 0003 | semantic | +10 | not measured | "
                      "not estimated | not estimated |", out)
        self.assertIn("| 16k-52-lpa2 | neoverse-n1 | stock | 7.3.0-rc7 | "
                      "3, 47 bits | 2 of 2: vmsplice, futex | vmsplice |",
                      out)
        self.assertIn("| 16k-52-lpa2 | neoverse-n1 | 0003 | - | ?, ? bits | "
                      "none (0 entry points checked) | no |", out)
        self.assertIn("One source saved", out)

    def test_idempotent(self):
        once = R.render(README, "snap", self.docs)
        self.assertEqual(R.render(once, "snap", self.docs), once)

    def test_bad_markers(self):
        with self.assertRaisesRegex(InputError, "unknown block 'x'"):
            R.render("<!-- answer-readme: x -->\n<!-- answer-readme: end -->",
                     "snap", self.docs)
        with self.assertRaisesRegex(InputError, "no end marker"):
            R.render("<!-- answer-readme: counts -->\n", "snap", self.docs)

    def test_two_sources_side_by_side(self):
        old = dict(ANS, source=["linux-source-6.12 6.12.118-1~deb12u1"])
        write(os.path.join(self.snap, "6.12", "answer.json"), old)
        write(os.path.join(self.snap, "6.12", "made.json"), MADE)
        docs = R.load_snapshot(self.snap)
        self.assertEqual([d[0] for d in docs], ["7.3", "6.12"])
        out = R.render(README, "snap", docs)
        self.assertIn("src1: `7.3`", out)
        self.assertIn("src2: `6.12`", out)

    def test_check_and_rewrite(self):
        readme = os.path.join(self.tmp.name, "README.md")
        with open(readme, "w") as f:
            f.write(README)
        args = ["--snapshot", self.snap, "--readme", readme]
        self.assertEqual(R.main(args + ["--check"]), 1)
        self.assertEqual(R.main(args), 0)
        self.assertEqual(R.main(args + ["--check"]), 0)

    def test_missing_made_is_an_error(self):
        os.unlink(os.path.join(self.snap, "7.3", "made.json"))
        with self.assertRaisesRegex(InputError, "made.json"):
            R.load_snapshot(self.snap)

    def test_empty_snapshot_is_an_error(self):
        with self.assertRaisesRegex(InputError, "no saved answer"):
            R.load_snapshot(os.path.join(self.tmp.name, "none"))


class TestSave(unittest.TestCase):
    def test_save_needs_the_command(self):
        with tempfile.TemporaryDirectory() as t:
            res = os.path.join(t, "answer")
            write(os.path.join(res, "7.3", "answer.json"), ANS)
            snap = os.path.join(t, "snap")
            with self.assertRaisesRegex(InputError, "command.txt"):
                R.save(res, snap, TOP)
            with open(os.path.join(res, "7.3", "command.txt"), "w") as f:
                f.write(MADE["command"] + "\n")
            R.save(res, snap, TOP)
            (tag, ans, made), = R.load_snapshot(snap)
            self.assertEqual((tag, ans["source"], made["command"]),
                             ("7.3", ANS["source"], MADE["command"]))


class TestCheckedIn(unittest.TestCase):
    def test_readme_matches_saved_answers(self):
        """README's tables are what results/examples/answer/ gives."""
        self.assertEqual(R.main([
            "--check", "--snapshot",
            os.path.join(TOP, "results", "examples", "answer"),
            "--readme", os.path.join(TOP, "README.md")]), 0)


if __name__ == "__main__":
    unittest.main()
