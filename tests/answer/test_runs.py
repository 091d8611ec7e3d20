# SPDX-License-Identifier: GPL-2.0
"""scripts/answer/runs.py: which boots make answer counts. A patch run
whose code is identical to stock in that run-time state is skipped, and
so is one whose code is identical to an earlier booted patch's; stock
runs, runs with a code change and runs of unknown states are kept."""
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb.answer import runs

CODEGEN = {"arm64-16k-52-lpa2": {"patches": {
    "0001": {"effect": {"max": "semantic", "neoverse-n1": "codegen-only"}},
    "0002": {"effect": {"max": "none", "neoverse-n1": "none"}}}}}


class Needed(unittest.TestCase):
    def test_identical_code_is_not_booted(self):
        got = runs.needed([
            "arm64-16k-52-lpa2:none:max", "arm64-16k-52-lpa2:0001:max",
            "arm64-16k-52-lpa2:0001:neoverse-n1",
            "arm64-16k-52-lpa2:0002:max", "arm64-4k-39:0001:max",
            "arm64-16k-52-lpa2:0009:max"], CODEGEN)
        self.assertEqual(got, [
            "arm64-16k-52-lpa2:none:max", "arm64-16k-52-lpa2:0001:max",
            "arm64-16k-52-lpa2:0001:neoverse-n1", "arm64-4k-39:0001:max",
            "arm64-16k-52-lpa2:0009:max"])

    def test_identical_to_an_earlier_patch_is_not_booted(self):
        f = {"mm/gup.o:gup_fast_fallback": {"code": ["ldr x0, [x1]"]}}
        g = {"mm/gup.o:gup_fast_fallback": {"code": ["ldr x0, [sp]"]}}
        cg = {"s": {"patches": {p: {"effect": {"max": "semantic"}}
                                for p in ("0001", "0002", "0003")},
                    "functions": {"stock": {}, "0001": f, "0002": dict(f),
                                  "0003": g}}}
        self.assertEqual(runs.needed(["s:none:max", "s:0001:max",
                                      "s:0002:max", "s:0003:max"], cg),
                         ["s:none:max", "s:0001:max", "s:0003:max"])
        # the twin is not booted in this list: the patch is
        self.assertEqual(runs.needed(["s:0002:max"], cg), ["s:0002:max"])

    def test_bad_run(self):
        with self.assertRaises(ValueError):
            runs.needed(["arm64-4k-39:0001"], CODEGEN)


if __name__ == "__main__":
    unittest.main()
