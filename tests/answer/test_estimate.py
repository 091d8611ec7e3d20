# SPDX-License-Identifier: GPL-2.0
"""gupb.answer.estimate in the report: per-core deltas, identical code,
missing sides, the differing instructions, hardware beside the model;
no llvm needed. Codegen and counts are the saved answer folder's
(tests/answer/fixtures/answer/)."""
import os
import tempfile
import unittest

from gupb.answer import report as answer

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "answer")


def codegen():
    return answer.load_dir(os.path.join(FIX, "codegen"))


def all_counts():
    return answer.load_dir(os.path.join(FIX, "counts"))


# the 16K/52 LPA2 boots, stock and 0001, -cpu max
COUNTS = [c for c in all_counts() if c["state"] == "arm64-16k-52-lpa2"]


def est(state, patch, cpu, cycles, one, asm, skipped=None):
    core = {"skipped": skipped} if skipped else {
        "model": "N1", "cycles_per_call": cycles, "one_call_cycles": one,
        "left_out": [], "left_out_count": 0, "bottleneck": ["N1UnitB", 45],
        "timeline": [[0, 0, i, i + 1, i + 2] for i in range(len(asm))]}
    return {"state": state, "patch": patch, "cpu": cpu,
            "estimator": "llvm-mca 19.1.7", "kind": "model estimate",
            "assumptions": ["L1 hits"],
            "workloads": {answer.MAIN: {"asm": asm,
                                           "cores": {"neoverse-n1": core}}}}


STOCK_ASM = ["ldr\tx0, [x19]", "ldr\tx1, [sp, #8]", "ret"]
PATCH_ASM = ["ldr\tx1, [sp, #8]", "ret"]


class Report(unittest.TestCase):
    """answer_estimate in the report: deltas, identical code, missing
    sides, the differing instructions; no llvm needed."""

    def build(self, estimates):
        return answer.build(codegen(), COUNTS, estimates=estimates)

    def rows(self, ans):
        return {(r["state"], r["cpu"], r["patch"]): r for r in ans["rows"]}

    def test_delta_per_core_and_the_changed_instructions(self):
        ans = self.build([est("arm64-16k-52-lpa2", "stock", "max", 45.5, 57, STOCK_ASM),
                          est("arm64-16k-52-lpa2", "0001", "max", 45.0, 53, PATCH_ASM)])
        r = self.rows(ans)[("arm64-16k-52-lpa2", "max", "0001")]
        c = r["estimate"]["cores"]["neoverse-n1"]
        self.assertEqual(c["delta_cycles_per_call"], -0.5)
        self.assertEqual(c["delta_one_call_cycles"], -4)
        self.assertEqual([(x["side"], x["insn"], x["timeline"]) for x in c["changed"]],
                         [("-", "ldr\tx0, [x19]", [0, 0, 0, 1, 2])])
        self.assertEqual(r["estimate"]["kind"], "model estimate")
        txt = answer.text(ans)
        self.assertIn("not a measurement", txt)
        self.assertIn("-0.50", txt)
        self.assertIn("N1UnitB 45", txt)
        self.assertTrue(all(len(l) <= answer.WIDTH for l in txt.splitlines()))

    def test_left_out_instruction_keeps_the_others_timeline(self):
        # llvm-mca 19 leaves out an instruction with no scheduling model
        # (stset); its timeline has a row per modelled instruction only.
        stock = est("arm64-16k-52-lpa2", "stock", "max", 45.5, 57,
                    ["stset\tx0, [x27]"] + STOCK_ASM)
        patch = est("arm64-16k-52-lpa2", "0001", "max", 45.0, 53,
                    ["stset\tx0, [x27]"] + PATCH_ASM + ["add\tx1, x1, #1"])
        for e in (stock, patch):
            w = e["workloads"][answer.MAIN]
            c = w["cores"]["neoverse-n1"]
            c["modelled"] = w["asm"][1:]
            c["timeline"] = c["timeline"][1:]
            c["left_out"], c["left_out_count"] = ["stset"], 1
        ans = self.build([stock, patch])
        r = self.rows(ans)[("arm64-16k-52-lpa2", "max", "0001")]
        ch = r["estimate"]["cores"]["neoverse-n1"]["changed"]
        self.assertEqual([(x["side"], x["insn"], x["timeline"]) for x in ch],
                         [("-", "ldr\tx0, [x19]", [0, 0, 1, 2, 3]),
                          ("+", "add\tx1, x1, #1", [0, 0, 3, 4, 5])])
        self.assertIn("1 -> 2", "\n".join(answer.text(ans).splitlines()))
        # without the modelled list the rows cannot be matched: not guessed
        for e in (stock, patch):
            del e["workloads"][answer.MAIN]["cores"]["neoverse-n1"]["modelled"]
        ch = self.rows(self.build([stock, patch]))[
            ("arm64-16k-52-lpa2", "max", "0001")]["estimate"]["cores"][
            "neoverse-n1"]["changed"]
        self.assertEqual([x["timeline"] for x in ch], [None, None])

    def test_missing_side_is_not_estimated_never_zero(self):
        ans = self.build([est("arm64-16k-52-lpa2", "stock", "max", 45.5, 57, STOCK_ASM)])
        r = self.rows(ans)[("arm64-16k-52-lpa2", "max", "0001")]
        self.assertIsNone(r["estimate"])

    def test_identical_code_takes_stock_estimate(self):
        counts_same = all_counts()
        ans = answer.build(codegen(), counts_same, estimates=[
            est("arm64-4k-39", "stock", "max", 40.0, 50, STOCK_ASM)])
        r = self.rows(ans)[("arm64-4k-39", "max", "0001")]
        self.assertTrue(r["estimate_by_identical_code"])
        self.assertEqual(r["estimate"]["cores"]["neoverse-n1"]["delta_cycles_per_call"], 0)

    def test_a_skipped_core_says_why(self):
        ans = self.build([est("arm64-16k-52-lpa2", s, "max", 1, 1, STOCK_ASM,
                              skipped="LLVM 14 has no neoverse-n1 model")
                          for s in ("stock", "0001")])
        r = self.rows(ans)[("arm64-16k-52-lpa2", "max", "0001")]
        self.assertIn("no neoverse-n1 model", r["estimate"]["cores"]["neoverse-n1"]["skipped"])
        self.assertIn("no model", answer.text(ans))

    def test_hardware_stands_beside_the_estimate(self):
        ctx = {"page_size": "16384", "config_va_bits": "52",
               "config_pgtable_levels": "4", "pgtable_levels_runtime": "4"}
        hw = {"a": {"context": dict(ctx, kernel_patch="none"), "state": "a",
                    "patch": "none"},
              "b": {"context": dict(ctx, kernel_patch="0001"), "state": "b",
                    "patch": "0001"},
              "families": {"futex": {"geomean": 0.99, "ci_low": 0.98,
                                     "ci_high": 1.0, "verdict": "faster"}},
              "rows": [], "warnings": []}
        ans = answer.build(codegen(), COUNTS, hw=hw, estimates=[
            est("arm64-16k-52-lpa2", "stock", "max", 45.5, 57, STOCK_ASM),
            est("arm64-16k-52-lpa2", "0001", "max", 45.0, 53, PATCH_ASM)])
        t = [t for t in answer.tables(ans) if t[0].startswith("Model estimate of")]
        self.assertEqual(len(t), 2)
        for title, headers, rows in t:
            self.assertEqual(headers[-1], "HW time")
            self.assertEqual(rows[0][-2:], ["-0.50" if "steady" in title
                                            else "-4", "-1.0%"])

    def test_figure_is_small_and_written(self):
        ans = self.build([est("arm64-16k-52-lpa2", "stock", "max", 45.5, 57, STOCK_ASM),
                          est("arm64-16k-52-lpa2", "0001", "max", 45.5, 53, PATCH_ASM)])
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "a.png")
            answer.figure(ans, p)
            self.assertLess(os.path.getsize(p), 200 * 1024)
            with open(p, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
