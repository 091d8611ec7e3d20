# SPDX-License-Identifier: GPL-2.0
"""gupb.answer.step: a step's outputs without a stamp are adopted from
cache, a stamped step that make calls again must run, a step without
outputs must run, and the report's inputs say built now or from cache."""
import os
import shutil
import tempfile
import time
import unittest

from gupb.answer import step

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "answer")


class Step(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.d = os.path.join(self.tmp, "answer")
        shutil.copytree(FIX, self.d)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_outputs_without_a_stamp_are_adopted(self):
        self.assertEqual(step.main(["counts", "--dir", self.d]), 0)
        doc = step.fileio.read_json(step.stamp_path(self.d, "counts"))
        self.assertEqual((doc["how"], len(doc["outputs"])), ("cached", 3))

    def test_a_stamped_step_asked_again_must_run(self):
        step.write_stamp(self.d, "counts", "built")
        self.assertEqual(step.main(["counts", "--dir", self.d]), 3)

    def test_no_outputs_must_run(self):
        shutil.rmtree(os.path.join(self.d, "alias"))
        self.assertEqual(step.main(["alias", "--dir", self.d]), 3)
        self.assertFalse(os.path.exists(step.stamp_path(self.d, "alias")))

    def test_verify_is_never_adopted(self):
        self.assertEqual(step.main(["codegen-verify", "--dir", self.d]), 3)

    def test_made_stamps_built(self):
        self.assertEqual(step.main(["estimate", "--dir", self.d, "--made"]), 0)
        doc = step.fileio.read_json(step.stamp_path(self.d, "estimate"))
        self.assertEqual(doc["how"], "built")

    def test_provenance_says_cache_or_now(self):
        for name in step.REPORT_INPUTS:
            step.write_stamp(self.d, name, "built")
        since = time.time() + 1
        lines = step.provenance(self.d, since)
        self.assertEqual(len(lines), len(step.REPORT_INPUTS))
        self.assertTrue(all("from cache" in l for l in lines), lines)
        lines = step.provenance(self.d, 0)
        self.assertTrue(all("made now" in l for l in lines), lines)
        self.assertIn("counts: made now, 3 files", lines)

    def test_missing_stamp_is_said(self):
        self.assertIn("alias: no stamp (run outside make)",
                      step.provenance(self.d, 0))


if __name__ == "__main__":
    unittest.main()
