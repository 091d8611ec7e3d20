# SPDX-License-Identifier: GPL-2.0
"""gupb.answer.verify, the codegen-verify step: the saved codegen passes;
a 3-level state where 0001 changed code fails; a static 4-level state
where 0001 changed nothing fails (a pipeline blind to differences cannot
pass); no codegen results is an error naming the codegen step."""
import copy
import io
import os
import tempfile
import unittest
from contextlib import redirect_stderr

from gupb.answer import report
from gupb.answer import verify

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "answer", "codegen")


def docs():
    return {d["state"]: d for d in report.load_dir(FIX)}


class Verify(unittest.TestCase):
    def test_saved_codegen_passes(self):
        got = verify.checks(docs().values())
        self.assertTrue(got)
        self.assertTrue(all(ok for ok, _, _ in got), got)

    def test_changed_code_where_0001_is_a_no_op_fails(self):
        d = copy.deepcopy(docs()["arm64-4k-39"])
        d["patches"]["0001"]["changed_functions"] = ["mm/gup.o:x"]
        self.assertIn(False, [ok for ok, _, _ in verify.checks([d])])

    def test_static_four_levels_must_differ(self):
        d = copy.deepcopy(docs()["arm64-4k-39"])
        d["static_levels"], d["lpa2"] = 4, False
        bad = [what for ok, what, _ in verify.checks([d]) if ok is False]
        self.assertEqual(len(bad), 1)
        self.assertIn("static 4 levels", bad[0])

    def test_no_codegen_is_an_error_naming_the_step(self):
        err = io.StringIO()
        with tempfile.TemporaryDirectory() as d, redirect_stderr(err):
            self.assertEqual(verify.main([d]), 1)
        self.assertIn("codegen step", err.getvalue())

    def test_main_on_the_saved_codegen(self):
        with redirect_stderr(io.StringIO()):
            self.assertEqual(verify.main([FIX]), 0)


if __name__ == "__main__":
    unittest.main()
