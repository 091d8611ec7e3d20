# SPDX-License-Identifier: GPL-2.0
"""Unit tests for gupb.answer.readme: README's answer tables come
from saved answer.json files only. Blocks are regenerated in place (text
around them untouched, twice gives the same), every source is named with
the command that made it, a row without counts or estimates says so in
words, a stale README fails --check, saving refuses an answer without its
command, and the checked-in README matches results/examples/answer/.
Saving merges by state into a saved answer of the same source (kept
states stay, re-made ones are replaced, in the order one `make answer`
gives, whatever order the parts came in), a different source replaces
the snapshot and says so, made.json names each part (the older one-part
format still reads) and the README names each part's command."""
import contextlib
import io
import json
import os
import subprocess
import tempfile
import unittest

from gupb.answer import codegen as cg
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
                R.save(res, snap, os.path.join(TOP, "README.md"))
            with open(os.path.join(res, "7.3", "command.txt"), "w") as f:
                f.write(MADE["command"] + "\n")
            R.save(res, snap, os.path.join(TOP, "README.md"))
            (tag, ans, made), = R.load_snapshot(snap)
            self.assertEqual((tag, ans["source"], made["parts"][0]["command"]),
                             ("7.3", ANS["source"], MADE["command"]))

    def test_commit_is_dirty_only_beyond_its_own_outputs(self):
        # answer-readme rewrites README and the snapshot: saving the next
        # part with those changed is still the clean commit; any other
        # tracked change is "-dirty"; outside git it says so.
        with tempfile.TemporaryDirectory() as t:
            def git(*args):
                subprocess.run(["git", "-C", t, "-c", "user.name=t",
                                "-c", "user.email=t@t"] + list(args),
                               check=True, capture_output=True)
            self.assertIn("not a git checkout",
                          R.source_commit(t, [os.path.join(t, "README.md")]))
            for f in ("README.md", "snap/a.json", "code.py"):
                write(os.path.join(t, f), {"v": 1})
            git("init", "-q")
            git("add", ".")
            git("commit", "-q", "-m", "x")
            snap, readme = os.path.join(t, "snap"), os.path.join(t, "README.md")
            clean = R.source_commit(t, [snap, readme])
            self.assertRegex(clean, r"^[0-9a-f]{7,}$")
            write(os.path.join(t, "README.md"), {"v": 2})
            write(os.path.join(snap, "a.json"), {"v": 2})
            self.assertEqual(R.source_commit(t, [snap, readme]), clean)
            write(os.path.join(t, "code.py"), {"v": 2})
            self.assertEqual(R.source_commit(t, [snap, readme]),
                             clean + "-dirty")


F = A.WALK
LIVE = ["stp x29, x30, [sp, #-208]!", "ldr x0, [x19]", "ret"]
STACK = ["stp x29, x30, [sp, #-224]!", "str x0, [sp, #208]",
         "ldr x0, [sp, #208]", "ret"]
CONFIGS = {  # state: (levels, VA bits, page shift, LPA2)
    "arm64-16k-52-lpa2": (4, 52, 14, True), "arm64-4k-39": (3, 39, 12, False),
    "arm64-4k-48": (4, 48, 12, False), "arm64-64k-42": (2, 42, 16, False)}
# The order one `make answer` over all four gives (report.collect).
ORDER = ["arm64-64k-42", "arm64-4k-39", "arm64-4k-48", "arm64-16k-52-lpa2"]
RC7 = "linux-source-7.3 7.3~rc7-1~exp1"
RC8 = "linux-source-7.3 7.3~rc8-1~exp1"


def codegen(state, source=RC7, walk=STACK):
    """The codegen record of one state: 0001 changes the walk to `walk`,
    0002 is stock's code."""
    levels, va, shift, lpa2 = CONFIGS[state]
    conf = {"CONFIG_PGTABLE_LEVELS": str(levels),
            "CONFIG_ARM64_VA_BITS": str(va), "CONFIG_PAGE_SHIFT": str(shift)}
    pinned = None
    if lpa2:
        conf["CONFIG_ARM64_LPA2"] = "y"
        pinned = {rt: {"stock": {F: LIVE}, "0001": {F: walk},
                       "0002": {F: LIVE}} for rt in ("lpa2", "nolpa2")}
    doc = cg.analyse(state, {F: LIVE}, {"0001": {F: walk}, "0002": {F: LIVE}},
                     conf, pinned=pinned)
    doc["source"] = source
    return doc


def made_answer(states, source=RC7, alias=False, cores=(), walk=STACK):
    """What `make answer ANSWER_STATES=<states>` writes (report.build)."""
    docs = [codegen(s, source, walk) for s in states]
    ali = [{"state": s, "patch": p, "cpu": "max", "alias_confirmed": False,
            "kernel_release": "7.3.0-rc7"}
           for s in states for p in ("stock", "0001")] if alias else []
    ans = A.build(docs, alias=ali)
    ans["estimate_cores"] = list(cores)
    return json.loads(json.dumps(ans))


def cmd(states):
    return "make answer KERNEL=mainline ANSWER_STATES=" + ",".join(states)


class TestMerge(unittest.TestCase):
    """--save merges by state for the same exact source."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def save(self, ans, command, snap="snap", date="2026-12-07"):
        """Save ans as `make answer-readme` does; (stdout, stderr)."""
        self.n += 1
        res = os.path.join(self.tmp.name, "results%d" % self.n)
        write(os.path.join(res, "7.3", "answer.json"), ans)
        with open(os.path.join(res, "7.3", "command.txt"), "w") as f:
            f.write(command + "\n")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            R.save(res, os.path.join(self.tmp.name, snap),
                   os.path.join(TOP, "README.md"),
                   commit="c0ffee1", date=date)
        return out.getvalue(), err.getvalue()

    def saved(self, snap="snap"):
        d = os.path.join(self.tmp.name, snap, "7.3")
        with open(os.path.join(d, "answer.json")) as f:
            ans = f.read()
        with open(os.path.join(d, "made.json")) as f:
            made = f.read()
        return json.loads(ans), json.loads(made), ans, made

    def test_keeps_old_states_replaces_remade(self):
        first = ORDER[:2] + ORDER[3:]
        self.save(made_answer(first), cmd(first), date="2026-12-07")
        # 16k-52-lpa2 made again (its 0001 now compiles to stock's walk
        # plus one load), 4k-48 made for the first time
        again = ["arm64-4k-48", "arm64-16k-52-lpa2"]
        out, err = self.save(made_answer(again, walk=LIVE + ["ldr x1, [x0]"]),
                             cmd(again), date="2026-12-08")
        self.assertEqual(err, "")
        self.assertIn("kept 64k-42, 4k-39", out)
        ans, made, _, _ = self.saved()
        self.assertEqual(R.states_of(ans), ORDER)
        lpa2 = [r for r in ans["rows"] if r["state"] == "arm64-16k-52-lpa2"]
        self.assertEqual(len(lpa2), 4)  # 2 CPUs x 2 patches, not 8
        self.assertEqual({r["walk_static_delta"]["insns"] for r in lpa2
                          if r["patch"] == "0001"}, {1})
        kept = [r for r in ans["rows"] if r["state"] == "arm64-4k-39"]
        self.assertEqual(kept, [r for r in made_answer(first)["rows"]
                                if r["state"] == "arm64-4k-39"])
        self.assertEqual(
            [(e["state"], e["patch"]) for e in ans["excerpts"]],
            sorted((s, "0001") for s in ORDER))
        self.assertEqual(made["parts"], [
            {"states": ORDER[:2], "command": cmd(first), "commit": "c0ffee1",
             "date": "2026-12-07"},
            {"states": ORDER[2:], "command": cmd(again), "commit": "c0ffee1",
             "date": "2026-12-08"}])

    def test_unchanged_answer_is_not_stamped_again(self):
        """answer-readme saves every results/answer/<tag>: one not made
        again keeps the commit and date it was saved from; the same
        command with other numbers is stamped anew."""
        self.save(made_answer(ORDER[:2]), cmd(ORDER[:2]))
        _, _, ans0, made0 = self.saved()
        d = os.path.join(self.tmp.name, "snap", "7.3")
        before = os.stat(os.path.join(d, "made.json")).st_mtime_ns
        out, _ = self.save(made_answer(ORDER[1:2]), cmd(ORDER[:2]),
                           date="2026-12-09")
        self.assertIn("kept 7.3", out)
        self.assertIn("unchanged, kept as saved from c0ffee1 on 2026-12-07",
                      out)
        _, _, ans1, made1 = self.saved()
        self.assertEqual((ans1, made1), (ans0, made0))
        self.assertEqual(before, os.stat(os.path.join(d, "made.json"))
                         .st_mtime_ns)
        # another command, the same numbers: its part is its own
        self.save(made_answer(ORDER[1:2]), cmd(ORDER[1:2]),
                  date="2026-12-09")
        _, made, _, _ = self.saved()
        self.assertEqual([(p["states"], p["date"]) for p in made["parts"]],
                         [(ORDER[:1], "2026-12-07"),
                          (ORDER[1:2], "2026-12-09")])
        # the same command, other numbers: stamped anew
        self.save(made_answer(ORDER[1:2], walk=LIVE + ["ldr x1, [x0]"]),
                  cmd(ORDER[1:2]), date="2026-12-10")
        _, made, _, _ = self.saved()
        self.assertEqual(made["parts"][1]["date"], "2026-12-10")

    def test_part_whose_states_were_all_remade_disappears(self):
        self.save(made_answer(ORDER[:1]), cmd(ORDER[:1]))
        self.save(made_answer(ORDER[1:2]), cmd(ORDER[1:2]))
        self.save(made_answer(ORDER[:2]), cmd(ORDER[:2]), date="2026-12-09")
        _, made, _, _ = self.saved()
        self.assertEqual(made, {"parts": [{
            "states": ORDER[:2], "command": cmd(ORDER[:2]),
            "commit": "c0ffee1", "date": "2026-12-09"}]})

    def test_rows_as_one_make_answer_orders_them(self):
        self.save(made_answer(ORDER[3:]), cmd(ORDER[3:]))
        self.save(made_answer(ORDER[:1]), cmd(ORDER[:1]))
        self.save(made_answer(ORDER[1:3]), cmd(ORDER[1:3]))
        ans, _, _, _ = self.saved()
        ans.pop("per_state")
        self.assertEqual(ans, made_answer(ORDER))

    def test_disjoint_saves_commute(self):
        a, b = ORDER[1::2], ORDER[0::2]
        one = made_answer(a, alias=True, cores=["neoverse-v2"])
        two = made_answer(b, cores=["neoverse-n1", "neoverse-n2"])
        self.save(one, cmd(a), snap="ab", date="2026-12-07")
        self.save(two, cmd(b), snap="ab", date="2026-12-08")
        self.save(two, cmd(b), snap="ba", date="2026-12-08")
        self.save(one, cmd(a), snap="ba", date="2026-12-07")
        ab, ba = self.saved("ab"), self.saved("ba")
        self.assertEqual(ab[2], ba[2])  # answer.json, byte for byte
        self.assertEqual(ab[3], ba[3])  # made.json: parts in table order
        ans = ab[0]
        self.assertEqual(R.states_of(ans), ORDER)
        self.assertEqual(ans["estimate_cores"],
                         ["neoverse-n1", "neoverse-n2", "neoverse-v2"])
        self.assertTrue(ans["have_alias"])
        self.assertEqual({s: f["have_alias"]
                          for s, f in ans["per_state"].items()},
                         {s: s in a for s in ORDER})
        self.assertEqual([p["states"] for p in ab[1]["parts"]], [b, a])

    def test_remade_states_take_their_flags_along(self):
        self.save(made_answer(ORDER[:2], alias=True, cores=["neoverse-v2"]),
                  cmd(ORDER[:2]))
        self.save(made_answer(ORDER[1:2], cores=["neoverse-n1"]),
                  cmd(ORDER[1:2]))
        ans, _, _, _ = self.saved()
        self.assertEqual(ans["per_state"], {
            ORDER[0]: {"have_alias": True, "have_counts": False,
                       "estimate_cores": ["neoverse-v2"]},
            ORDER[1]: {"have_alias": False, "have_counts": False,
                       "estimate_cores": ["neoverse-n1"]}})
        self.assertEqual(ans["estimate_cores"],
                         ["neoverse-n1", "neoverse-v2"])
        self.save(made_answer(ORDER[:1]), cmd(ORDER[:1]))
        ans, _, _, _ = self.saved()
        self.assertFalse(ans["have_alias"])
        self.assertEqual(ans["estimate_cores"], ["neoverse-n1"])

    def test_other_source_replaces_and_says_so(self):
        self.save(made_answer(ORDER[:2]), cmd(ORDER[:2]))
        new = made_answer(ORDER[1:3], source=RC8)
        out, err = self.save(new, cmd(ORDER[1:3]))
        self.assertEqual(len(err.splitlines()), 1)
        self.assertIn("`%s`" % RC7, err)
        self.assertIn("`%s`" % RC8, err)
        self.assertIn("replaced", err)
        ans, made, _, _ = self.saved()
        self.assertEqual(ans, new)
        self.assertEqual(made, {"parts": [{
            "states": ORDER[1:3], "command": cmd(ORDER[1:3]),
            "commit": "c0ffee1", "date": "2026-12-07"}]})

    def test_old_made_format_is_one_part(self):
        d = os.path.join(self.tmp.name, "snap", "7.3")
        write(os.path.join(d, "answer.json"), made_answer(ORDER[:2]))
        write(os.path.join(d, "made.json"), dict(MADE, command="old"))
        (_, _, made), = R.load_snapshot(os.path.join(self.tmp.name, "snap"))
        self.assertEqual(made, {"parts": [dict(MADE, command="old",
                                               states=ORDER[:2])]})
        self.save(made_answer(ORDER[1:2]), cmd(ORDER[1:2]))
        _, made, _, _ = self.saved()
        self.assertEqual([(p["states"], p["command"]) for p in made["parts"]],
                         [(ORDER[:1], "old"), (ORDER[1:2], cmd(ORDER[1:2]))])

    def test_readme_names_each_part(self):
        self.save(made_answer(ORDER[:2], alias=True), cmd(ORDER[:2]))
        self.save(made_answer(ORDER[2:]), cmd(ORDER[2:]), date="2026-12-08")
        docs = R.load_snapshot(os.path.join(self.tmp.name, "snap"))
        out = R.render(README, "snap", docs)
        self.assertIn(
            "`7.3` (%s), made in 2 parts, saved in `snap/7.3/`: 64k-42, "
            "4k-39 by `%s`, saved from gupbench c0ffee1 on 2026-12-07; "
            "4k-48, 16k-52-lpa2 by `%s`, saved from gupbench c0ffee1 on "
            "2026-12-08." % (RC7, cmd(ORDER[:2]), cmd(ORDER[2:])), out)
        # the alias block: only the part that took alias verdicts in
        alias = out[out.index("answer-readme: alias"):]
        alias = alias[:alias.index("answer-readme: end")]
        self.assertIn("made by `%s`; saved from gupbench c0ffee1 on "
                      "2026-12-07" % cmd(ORDER[:2]), alias)
        self.assertNotIn(cmd(ORDER[2:]), alias)
        self.assertIn("Saved without alias verdicts: 4k-48, 16k-52-lpa2.",
                      alias)
        self.assertIn("| 4k-39 | max | 0001 | 7.3.0-rc7 |", alias)
        self.assertNotIn("| 4k-48 |", alias)

    def test_made_json_of_neither_format_is_an_error(self):
        snap = os.path.join(self.tmp.name, "snap")
        write(os.path.join(snap, "7.3", "answer.json"), made_answer(ORDER[:1]))
        write(os.path.join(snap, "7.3", "made.json"), {"made": "by hand"})
        with self.assertRaisesRegex(InputError, "made.json: neither"):
            R.load_snapshot(snap)
        readme = os.path.join(self.tmp.name, "README.md")
        with open(readme, "w") as f:
            f.write(README)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = R.main(["--snapshot", snap, "--readme", readme])
        self.assertEqual(rc, 1)
        self.assertRegex(err.getvalue(), r"^answer-readme: .*made.json: "
                         r"neither .*\n$")
        with open(readme) as f:
            self.assertEqual(f.read(), README)

    def test_made_json_parts_must_cover_the_answer(self):
        snap = os.path.join(self.tmp.name, "snap")
        write(os.path.join(snap, "7.3", "answer.json"),
              made_answer(ORDER[:2]))
        part = dict(MADE, states=ORDER[:1])
        for parts, msg in (([part], "does not say who made: arm64-4k-39"),
                           ([dict(part, states=ORDER[:3])],
                            "lacks: arm64-4k-48"),
                           ([part, dict(part, states=ORDER[:2])],
                            "twice: arm64-64k-42"),
                           ([{"states": ORDER[:2]}], "part 1 lacks command"),
                           ([dict(part, states=[])], "part 1: states")):
            write(os.path.join(snap, "7.3", "made.json"), {"parts": parts})
            with self.assertRaisesRegex(InputError, msg):
                R.load_snapshot(snap)


class TestCheckedIn(unittest.TestCase):
    def test_readme_matches_saved_answers(self):
        """README's tables are what results/examples/answer/ gives."""
        self.assertEqual(R.main([
            "--check", "--snapshot",
            os.path.join(TOP, "results", "examples", "answer"),
            "--readme", os.path.join(TOP, "README.md")]), 0)


if __name__ == "__main__":
    unittest.main()
