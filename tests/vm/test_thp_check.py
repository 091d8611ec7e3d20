# SPDX-License-Identifier: GPL-2.0
"""tests/vm/thp_check.py on made-up kernel logs: issue 23's warning (the
splat quoted in the issue) is taken out of the generic splat check and
reported as a TODO on stock, a failure on a fixed kernel; every other
splat stays in the log."""
import io
import unittest
from contextlib import redirect_stdout

from gupb import thp_check
from gupb.tap import Tap

KNOWN = """\
[   40.1] page: refcount:2047 mapcount:0 mapping:0000000000000000 index:0x1fffe6000 pfn:0x15800
[   40.1] head: order:11 mapcount:1902 entire_mapcount:0 nr_pages_mapped:1902 pincount:0
[   40.1] anon flags: 0x2087d(locked|referenced|uptodate|dirty|lru|owner_2|head|swapbacked|zone=0)
[   40.1] page dumped because: VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio))
[   40.1] ------------[ cut here ]------------
[   40.1] WARNING: CPU: 0 PID: 50 at mm/huge_memory.c:3840 deferred_split_folio+0x1e0/0x214
[   40.1] Call trace:
[   40.1]  deferred_split_folio+0x1e0/0x214
[   40.1]  migrate_pages_batch+0x117c/0x1318
[   40.1]  migrate_pages+0xc78/0xce8
[   40.1]  __arm64_sys_io_uring_register+0x1/0x2
[   40.1] ---[ end trace 0000000000000000 ]---
"""
OTHER = """\
------------[ cut here ]------------
WARNING: CPU: 1 PID: 7 at mm/gup.c:1 gup_fast_fallback+0x1/0x2
Call trace:
 gup_fast_fallback+0x1/0x2
---[ end trace 0000000000000000 ]---
"""
TAP_OK = """\
ok 1 - THP faulted PMD-mapped in ZONE_MOVABLE (3 of 3 rounds)
ok 2 - the zapper saw the migration entry (3) and zapped a remapped page (3)
# thp_pin_race: rounds=3 effective=3 warn_count_delta=1
1..2
"""


def run(log, fixed=False, debug_vm=True, tap=TAP_OK):
    known, _ = thp_check.split_known(log)
    T = Tap("t")
    out = io.StringIO()
    with redirect_stdout(out):
        thp_check.checks(T, {"thp_pin_race.tap": tap}.get, known, fixed,
                         debug_vm)
    return T, out.getvalue()


class SplitKnown(unittest.TestCase):
    def test_known_taken_out_with_its_page_dump(self):
        known, rest = thp_check.split_known("boot\n" + KNOWN + "after\n")
        self.assertEqual(len(known), 1)
        self.assertEqual(rest.split("\n"), ["boot", "after"])
        self.assertIn("page dumped because", "\n".join(known[0]))

    def test_other_splats_stay(self):
        known, rest = thp_check.split_known(OTHER + KNOWN)
        self.assertEqual(len(known), 1)
        self.assertIn("gup_fast_fallback", rest)
        self.assertNotIn("deferred_split_folio", rest)

    def test_console_carriage_returns(self):
        known, rest = thp_check.split_known(KNOWN.replace("\n", "\r\n"))
        self.assertEqual((len(known), rest.strip()), (1, ""))

    def test_deferred_split_warning_elsewhere_is_not_known(self):
        log = KNOWN.replace("migrate_pages", "zap_pte_range")
        known, rest = thp_check.split_known(log)
        self.assertEqual(known, [])
        self.assertIn("WARNING:", rest)


class Checks(unittest.TestCase):
    def test_stock_hit_is_todo_not_failure(self):
        T, out = run(KNOWN)
        self.assertEqual(T.bad, 0)
        self.assertRegex(out, r"not ok \d+ - t: thp: no deferred_split_folio"
                         r".* # TODO known 6.12.y bug")
        self.assertIn("call chain: deferred_split_folio < migrate_pages_batch",
                      out)

    def test_fixed_kernel_hit_fails(self):
        T, out = run(KNOWN, fixed=True)
        self.assertEqual(T.bad, 1)
        self.assertNotIn("# TODO", out)

    def test_clean_run_passes_and_says_race(self):
        T, out = run("")
        self.assertEqual(T.bad, 0)
        self.assertIn("absence is not proof", out)

    def test_no_debug_vm_skips_verdict(self):
        T, out = run("", debug_vm=False)
        self.assertIn("# SKIP thp: the deferred-split warning is compiled "
                      "out without CONFIG_DEBUG_VM", out)

    def test_no_effective_round_is_no_verdict(self):
        T, out = run("", tap=TAP_OK.replace("effective=3", "effective=0"))
        self.assertIn("# SKIP thp: no verdict: no round reached the window",
                      out)

    def test_reproducer_failure_counts(self):
        T, _ = run("", tap=TAP_OK.replace("ok 2", "not ok 2"))
        self.assertEqual(T.bad, 1)

    def test_reproducer_skipped_is_one_skip(self):
        T, out = run("", tap="ok 1 # SKIP thp_pin_race: no ZONE_MOVABLE\n1..1\n")
        self.assertEqual((T.n, T.bad), (1, 0))
        self.assertIn("# SKIP thp: thp_pin_race: no ZONE_MOVABLE", out)

    def test_missing_tap_fails(self):
        T = Tap("t")
        with redirect_stdout(io.StringIO()):
            thp_check.checks(T, {}.get, [], False, True)
        self.assertEqual(T.bad, 1)


if __name__ == "__main__":
    unittest.main()
