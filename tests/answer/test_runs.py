# SPDX-License-Identifier: GPL-2.0
"""scripts/answer/runs.py: which boots make answer counts. A patch run
whose code is identical to stock in that run-time state is skipped; stock
runs, runs with a code change and runs of unknown states are kept."""
import os
import sys
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

    def test_bad_run(self):
        with self.assertRaises(ValueError):
            runs.needed(["arm64-4k-39:0001"], CODEGEN)


if __name__ == "__main__":
    unittest.main()
