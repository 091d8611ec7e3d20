# SPDX-License-Identifier: GPL-2.0
"""Unit tests for analysis/answer.py: the data (effect per run-time state,
exact per-call deltas, "not measured" where counts are missing, alias
column), the text (at most 80 columns, same tables as the Markdown) and
the files main() writes. Inputs are small and made here; no builds."""
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb.answer import report as answer
from gupb.answer import codegen as cg

F = "mm/gup.o:gup_fast_fallback"
LIVE = ["stp x29, x30, [sp, #-208]!", "ldr x0, [x19]", "ret"]
STACK = ["stp x29, x30, [sp, #-224]!", "str x0, [sp, #208]",
         "ldr x0, [sp, #208]", "ret"]
LPA2 = {"CONFIG_PGTABLE_LEVELS": "4", "CONFIG_ARM64_VA_BITS": "52",
        "CONFIG_PAGE_SHIFT": "14", "CONFIG_ARM64_LPA2": "y"}
STATIC3 = {"CONFIG_PGTABLE_LEVELS": "3", "CONFIG_ARM64_VA_BITS": "39",
           "CONFIG_PAGE_SHIFT": "12"}


def codegen():
    lpa2 = cg.analyse("arm64-16k-52-lpa2", {F: LIVE}, {"0001": {F: STACK}},
                      LPA2, pinned={
                          "lpa2": {"stock": {F: LIVE}, "0001": {F: STACK}},
                          "nolpa2": {"stock": {F: LIVE}, "0001": {F: LIVE}}})
    static = cg.analyse("arm64-4k-39", {F: LIVE}, {"0001": {F: LIVE}},
                        STATIC3)
    for d in (lpa2, static):
        d["source"] = "linux-source-6.12 6.12.117-1"
    return [lpa2, static]


def counts(state, patch, cpu, loads):
    w = {"calls": 1000, "insns_per_call": 300.0 + loads,
         "loads_per_call": float(loads), "stores_per_call": 20.0,
         "exact": True}
    return {"state": state, "patch": patch, "cpu": cpu, "kernel": "k",
            "workloads": {"gup_fast_only_1page": w}}


COUNTS = [counts("arm64-16k-52-lpa2", "stock", "max", 50),
          counts("arm64-16k-52-lpa2", "0001", "max", 49)]


class Data(unittest.TestCase):
    def setUp(self):
        self.ans = answer.build(codegen(), COUNTS)
        self.rows = {(r["state"], r["cpu"], r["patch"]): r
                     for r in self.ans["rows"]}

    def test_one_row_per_runtime_state_and_patch(self):
        self.assertEqual(sorted(self.rows), [
            ("arm64-16k-52-lpa2", "max", "0001"),
            ("arm64-16k-52-lpa2", "neoverse-n1", "0001"),
            ("arm64-4k-39", "max", "0001")])
        r = self.rows[("arm64-16k-52-lpa2", "neoverse-n1", "0001")]
        self.assertEqual((r["static_levels"], r["runtime_levels"],
                          r["va_bits"]), (4, 3, 47))
        self.assertEqual(r["effect"], "codegen-only")
        self.assertEqual(self.rows[("arm64-16k-52-lpa2", "max", "0001")]
                         ["effect"], "semantic")
        self.assertEqual(self.rows[("arm64-4k-39", "max", "0001")]
                         ["effect"], "none")

    def test_exact_deltas_and_not_measured(self):
        r = self.rows[("arm64-16k-52-lpa2", "max", "0001")]
        c = r["counts"]["gup_fast_only_1page"]
        self.assertEqual((c["insns"], c["loads"], c["stores"], c["exact"]),
                         (-1.0, -1.0, 0.0, True))
        # No default numbers where a side was not measured.
        r = self.rows[("arm64-16k-52-lpa2", "neoverse-n1", "0001")]
        self.assertIsNone(r["counts"]["gup_fast_only_1page"])
        self.assertIsNone(r["counts"]["futex_shared"])

    def test_identical_code_takes_stock_counts(self):
        ans = answer.build(codegen(), COUNTS +
                           [counts("arm64-4k-39", "stock", "max", 40)])
        r = [r for r in ans["rows"] if r["state"] == "arm64-4k-39"][0]
        self.assertTrue(r["counts_by_identical_code"])
        c = r["counts"]["gup_fast_only_1page"]
        self.assertEqual((c["insns"], c["loads"], c["stores"]), (0, 0, 0))
        self.assertIn("=code +0/+0/+0", answer.text(ans))
        # A semantic row never borrows stock's counts.
        r = self.rows[("arm64-16k-52-lpa2", "neoverse-n1", "0001")]
        self.assertFalse(r["counts_by_identical_code"])

    def test_identical_to_an_earlier_patch_takes_its_counts(self):
        two = cg.analyse("arm64-16k-52-lpa2", {F: LIVE},
                         {"0001": {F: STACK}, "0002": {F: list(STACK)}},
                         LPA2, pinned={
                             cpu: {"stock": {F: LIVE}, "0001": {F: STACK},
                                   "0002": {F: STACK}}
                             for cpu in ("lpa2", "nolpa2")})
        two["source"] = "linux-source-7.3 7.3~rc7-1~exp1"
        ans = answer.build([two], COUNTS)
        rows = {(r["cpu"], r["patch"]): r for r in ans["rows"]}
        r = rows[("max", "0002")]
        self.assertEqual(r["same_code_as"], "0001")
        self.assertTrue(r["counts_by_identical_code"])
        self.assertEqual(r["counts"]["gup_fast_only_1page"]["loads"], -1)
        # 0001 itself was booted; without 0001's counts 0002 has none
        self.assertIsNone(rows[("max", "0001")]["same_code_as"])
        ans = answer.build([two], COUNTS[:1])
        r = [r for r in ans["rows"] if r["patch"] == "0002"][0]
        self.assertIsNone(r["same_code_as"])
        self.assertIsNone(r["counts"]["gup_fast_only_1page"])

    def test_static_delta_of_the_walk(self):
        r = self.rows[("arm64-16k-52-lpa2", "max", "0001")]
        self.assertEqual(r["walk_static_delta"],
                         {"insns": 1, "loads": 0, "stores": 1, "frame": 16})

    def test_no_codegen_is_an_error(self):
        with self.assertRaises(answer.InputError):
            answer.build([])

    def test_hardware_from_result_files(self):
        fx = os.path.join(HERE, "..", "analysis", "fixtures")
        hw = answer.hardware(os.path.join(fx, "base.json"),
                             os.path.join(fx, "slower10.json"))
        self.assertTrue(hw["rows"])
        for f in hw["families"].values():
            self.assertGreater(f["geomean"], 1.05)
        ans = answer.build(codegen(), COUNTS, hw=hw)
        # stock vs stock: no patch row is what B measured
        self.assertEqual(hw["matches"], [])
        self.assertIn("family ", answer.text(ans))

    def test_hardware_matches_the_row_of_its_state_and_patch(self):
        ctx = {"page_size": "4096", "config_va_bits": "39",
               "config_pgtable_levels": "3", "pgtable_levels_runtime": "3"}
        hw = {"a": {"context": dict(ctx, kernel_patch="none")},
              "b": {"context": dict(ctx, kernel_patch="0001")},
              "families": {"futex": {"geomean": 0.99}}}
        rows = answer.collect(codegen(), COUNTS)
        self.assertEqual(answer.hw_match(rows, hw), ["4k-39 max 0001"])
        hit = [r for r in rows if r.get("hardware")]
        self.assertEqual(len(hit), 1)
        self.assertEqual(hit[0]["hardware"], {"futex": {"geomean": 0.99}})

    def test_hardware_needs_both_sides(self):
        self.assertIsNone(answer.hardware(None, None))
        with self.assertRaises(answer.InputError):
            answer.hardware("a.json", None)


class Render(unittest.TestCase):
    def test_text_fits_80_columns_and_says_not_measured(self):
        txt = answer.text(answer.build(codegen(), COUNTS))
        self.assertLessEqual(max(len(l) for l in txt.splitlines()), 80)
        self.assertIn("not measured", txt)
        self.assertIn("codegen-only", txt)
        self.assertIn("+str x0, [sp, #208]", txt)
        self.assertIn("16k-52-lpa2", txt)

    def test_markdown_has_the_same_tables(self):
        ans = answer.build(codegen(), COUNTS)
        md = answer.markdown(ans)
        for title, headers, rows in answer.tables(ans):
            self.assertIn("## " + title, md)
            for r in rows:
                self.assertIn("| " + " | ".join(r) + " |", md)

    def test_alias_column_when_present(self):
        alias = [{"state": "arm64-16k-52-lpa2", "patch": "stock",
                  "cpu": "neoverse-n1", "accepted_above_va": True,
                  "entry_points": ["gup"], "alias_confirmed": True}]
        ans = answer.build(codegen(), COUNTS, alias)
        titles = [t for t, _, _ in answer.tables(ans)]
        self.assertTrue(any(t.startswith("Top-level alias") for t in titles))
        self.assertIn("alias >va", answer.text(ans))
        ans = answer.build(codegen(), COUNTS)
        self.assertFalse(any(t.startswith("Top-level alias")
                             for t, _, _ in answer.tables(ans)))


def write_inputs(d):
    """The codegen and counts step outputs, as make answer leaves them."""
    for sub, docs in (("codegen", codegen()), ("counts", COUNTS)):
        os.makedirs(os.path.join(d, sub))
        for i, doc in enumerate(docs):
            with open(os.path.join(d, sub, "%d.json" % i), "w") as f:
                json.dump(doc, f)


class Main(unittest.TestCase):
    def test_writes_every_output(self):
        with tempfile.TemporaryDirectory() as d:
            write_inputs(d)
            with open(os.devnull, "w") as null:
                old, sys.stdout = sys.stdout, null
                try:
                    rc = answer.main(["--dir", d])
                finally:
                    sys.stdout = old
            self.assertEqual(rc, 0)
            for f in ("report.txt", "report.md", "answer.json",
                      "answer.png"):
                self.assertGreater(os.path.getsize(os.path.join(d, f)), 0)
            self.assertFalse([f for f in os.listdir(d)
                              if f.startswith(".tmp-")])

    def test_states_restricts_the_answer(self):
        """make answer ANSWER_STATES=x reports x only, though the folder
        holds the outputs of earlier runs of other states (its command
        then names what it made); a state never made is an error."""
        with tempfile.TemporaryDirectory() as d:
            write_inputs(d)
            with open(os.devnull, "w") as null:
                old, err = sys.stdout, sys.stderr
                sys.stdout = sys.stderr = null
                try:
                    rc = answer.main(["--dir", d, "--no-figure", "--states",
                                      "arm64-4k-39"])
                    bad = answer.main(["--dir", d, "--no-figure",
                                       "--states", "arm64-4k-39,arm64-9k"])
                finally:
                    sys.stdout = old
                    sys.stderr = err
            self.assertEqual((rc, bad), (0, 1))
            with open(os.path.join(d, "answer.json")) as f:
                ans = json.load(f)
            self.assertEqual({r["state"] for r in ans["rows"]},
                             {"arm64-4k-39"})

    def test_bad_input_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "codegen"))
            with open(os.path.join(d, "codegen", "x.json"), "w") as f:
                f.write("{not json")
            old, sys.stderr = sys.stderr, open(os.devnull, "w")
            try:
                self.assertEqual(answer.main(["--dir", d]), 1)
            finally:
                sys.stderr.close()
                sys.stderr = old


if __name__ == "__main__":
    unittest.main()
