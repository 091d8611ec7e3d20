# SPDX-License-Identifier: GPL-2.0
"""gupb.patches: what a patch is for comes from configs/patches*/meta, by
the patch's number (ports to a base share it); stock is for nothing; the
real meta files declare the alias fix and the THP fix where the test
bed's verdicts expect them."""
import os
import tempfile
import unittest

from gupb import patches


class Patches(unittest.TestCase):
    def test_number_of_names_paths_and_stock(self):
        self.assertEqual(patches.number("0003-arm64-mm-x.patch"), "0003")
        self.assertEqual(patches.number("configs/patches/7.2/0003-a.patch"),
                         "0003")
        self.assertEqual(patches.number("m001"), "m001")
        for stock in (None, "", "none", "stock"):
            self.assertIsNone(patches.number(stock))

    def test_the_real_meta(self):
        self.assertTrue(patches.is_for("0003-arm64-mm-refuse.patch",
                                       "alias-fix"))
        self.assertFalse(patches.is_for("0001", "alias-fix"))
        self.assertTrue(patches.is_for("0001", "walk-variant"))
        self.assertTrue(patches.is_for("m001", "thp-fix"))
        self.assertEqual(patches.purposes("none"), set())

    def test_every_patch_is_declared(self):
        meta = patches.read_meta()
        for d in patches.DIRS:
            root = os.path.join(patches.TOP, "configs", d)
            for dirpath, _, files in os.walk(root):
                for f in files:
                    if f.endswith(".patch"):
                        self.assertIn(patches.number(f), meta,
                                      "%s/%s has no line in %s/meta" %
                                      (dirpath, f, d))

    def test_comments_and_blank_lines(self):
        with tempfile.TemporaryDirectory() as top:
            os.makedirs(os.path.join(top, "configs", "patches"))
            with open(os.path.join(top, "configs", "patches", "meta"),
                      "w") as f:
                f.write("# c\n\n0007 alias-fix walk-variant # why\n")
            self.assertEqual(patches.purposes("0007-x.patch", top),
                             {"alias-fix", "walk-variant"})


if __name__ == "__main__":
    unittest.main()
