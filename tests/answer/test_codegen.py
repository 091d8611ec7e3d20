# SPDX-License-Identifier: GPL-2.0
"""Unit tests for analysis/answer_codegen.py: the objdump parser, the
normaliser (two builds that differ only in where code was placed compare
equal, a changed instruction does not), the load/store/frame counts and
the effect classification. Cheap: no kernel builds, no objdump runs."""
import os
import re
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
from gupb.answer import codegen as cg

FIXTURE = os.path.join(HERE, "fixtures", "gup-snippet.objdump")


def shifted(text, delta):
    """The same listing as if linked delta bytes further on: function
    headers, instruction and relocation offsets, branch targets."""
    def bump(m):
        return m.group(1) + "%x" % (int(m.group(2), 16) + delta) + m.group(3)
    out = []
    for line in text.splitlines():
        m = re.match(r"^([0-9a-f]{16})( <.*)$", line)
        if m:
            out.append("%016x" % (int(m.group(1), 16) + delta) + m.group(2))
            continue
        line = re.sub(r"^(\s*)([0-9a-f]+)(:)", bump, line)
        out.append(re.sub(r"(\b)([0-9a-f]+)( <)", bump, line))
    return "\n".join(out)


def funcs(text):
    return {n: cg.normalise(n, i) for n, i in cg.parse_objdump(text).items()}


class Normalise(unittest.TestCase):
    def setUp(self):
        with open(FIXTURE) as f:
            self.text = f.read()

    def test_parse_finds_functions_and_relocations(self):
        p = cg.parse_objdump(self.text)
        self.assertEqual(sorted(p), ["get_user_pages_fast", "is_zero_page",
                                     "page_ref_add"])
        self.assertEqual(len(p["page_ref_add"]), 7)
        self.assertEqual(p["is_zero_page"][0]["relocs"],
                         [("R_AARCH64_ADR_PREL_PG_HI21", "memstart_addr")])

    def test_moved_code_normalises_equal(self):
        moved = shifted(self.text, 0x1230)
        self.assertNotEqual(moved, self.text)
        self.assertEqual(funcs(moved), funcs(self.text))

    def test_changed_instruction_differs(self):
        other = self.text.replace("mov\tw3, #0x2 ", "mov\tw3, #0x3 ")
        self.assertNotEqual(other, self.text)
        a, b = funcs(self.text), funcs(other)
        self.assertEqual(cg.differing(a, b), ["get_user_pages_fast"])
        d = cg.unified(a["get_user_pages_fast"], b["get_user_pages_fast"],
                       "get_user_pages_fast")
        self.assertIn("-mov w3, #0x2", d)
        self.assertIn("+mov w3, #0x3", d)

    def test_labels_calls_and_relocations(self):
        f = funcs(self.text)
        self.assertIn("L0:", f["page_ref_add"])
        self.assertIn("cbnz w3, L0", f["page_ref_add"])
        gupf = f["get_user_pages_fast"]
        self.assertIn("bl <gup_fast_fallback>", gupf)
        self.assertIn("b.eq L1", gupf)
        self.assertFalse(any("//" in l for l in gupf))
        self.assertIn("adrp x1, @ [ADR_PREL_PG_HI21 memstart_addr]",
                      f["is_zero_page"])

    def test_section_relative_relocations_name_the_function(self):
        text = ("Disassembly of section .text:\n\n"
                "0000000000000000 <a>:\n   0:\tret\n\n"
                "0000000000000010 <b>:\n  10:\tret\n\n"
                "0000000000000020 <c>:\n"
                "  20:\tadrp\tx1, 0 <a>\n"
                "\t\t\t20: R_AARCH64_ADR_PREL_PG_HI21\t.text+0x14\n")
        syms = cg.section_symbols(text)
        self.assertEqual(syms, {".text": [(0, "a"), (0x10, "b"),
                                          (0x20, "c")]})
        code = cg.normalise("c", cg.parse_objdump(text)["c"], syms)
        self.assertEqual(code, ["adrp x1, @ [ADR_PREL_PG_HI21 b+0x4]"])
        self.assertEqual(cg.reloc_symbol(".rodata+0x8", syms), ".rodata+0x8")
        self.assertEqual(cg.reloc_symbol(".text+0x10", syms), "b")

    def test_function_only_on_one_side_differs(self):
        a = funcs(self.text)
        b = dict(a)
        del b["is_zero_page"]
        self.assertEqual(cg.differing(a, b), ["is_zero_page"])


STUBS = """\
Disassembly of section .text:

0000000000000000 <walk>:
   0:\tcbz\tx0, 1c <last+0xc>
   4:\tldr\tx0, [x0]
   8:\tret

0000000000000010 <last>:
  10:\tmov\tx0, #0x0
  14:\tret
  18:\tb\t10 <last>
  1c:\tmrs\tx1, tpidr_el2
  20:\tb\t4 <walk+0x4>
"""
SYMTAB = """\
0000000000000000 l     F .text\t000000000000000c walk
0000000000000010 g     F .text\t000000000000000c last
"""


class Stubs(unittest.TestCase):
    def test_function_sizes(self):
        self.assertEqual(cg.function_sizes(SYMTAB), {"walk": 12, "last": 12})

    def test_out_of_line_stubs_go_back_to_their_function(self):
        f = cg.split_stubs(cg.parse_objdump(STUBS), cg.function_sizes(SYMTAB))
        self.assertEqual([i["addr"] for i in f["walk"]], [0, 4, 8, 0x1c, 0x20])
        # A stub branching back into its own function stays there.
        self.assertEqual([i["addr"] for i in f["last"]], [0x10, 0x14, 0x18])
        code = cg.normalise("walk", f["walk"])
        self.assertEqual(code, ["cbz x0, L1", "L0:", "ldr x0, [x0]", "ret",
                                "L1:", "mrs x1, tpidr_el2", "b L0"])


class Excerpt(unittest.TestCase):
    def test_renaming_is_not_shown_a_removed_load_is(self):
        a = ["ldr x0, [x0]", "str x0, [sp, #104]", "ldr x26, [x0]",
             "and x1, x26, #0x3"]
        b = ["ldr x1, [x1]", "str x1, [sp, #112]", "and x1, x25, #0x3"]
        self.assertEqual(cg.excerpt(a, a), [])
        self.assertEqual(cg.excerpt(a, b), ["@@ -3 +3 @@",
                                            "-ldr x26, [x0]"])
        long = cg.excerpt(["nop"] * 30, [], max_lines=5)
        self.assertEqual(long[-1], "... 26 more lines")


class Counts(unittest.TestCase):
    def test_access_kinds(self):
        table = {"ldr": "load", "ldp": "load", "ldur": "load",
                 "ldxr": "load", "ldar": "load", "ldtrb": "load",
                 "ldrsw": "load", "str": "store", "stp": "store",
                 "stur": "store", "stlr": "store", "stxr": "store",
                 "stlrb": "store", "sttrb": "store", "ldaddal": "rmw",
                 "stadd": "rmw", "casal": "rmw", "swpal": "rmw",
                 "ldset": "rmw", "prfm": None, "mov": None, "bl": None,
                 "mrs": None}
        for mn, kind in table.items():
            self.assertEqual(cg.access_kind(mn), kind, mn)

    def test_stats(self):
        with open(FIXTURE) as f:
            f = funcs(f.read())
        self.assertEqual(cg.stats(f["page_ref_add"]),
                         {"insns": 7, "loads": 1, "stores": 1, "frame": 0})
        self.assertEqual(cg.stats(f["get_user_pages_fast"]),
                         {"insns": 22, "loads": 2, "stores": 2, "frame": 32})

    def test_frame_with_sub_sp(self):
        code = ["sub sp, sp, #0x40", "stp x29, x30, [sp, #-16]!",
                "mov x29, sp", "bl <f>", "sub sp, sp, #0x10"]
        self.assertEqual(cg.frame_size(code), 0x40 + 16)
        self.assertEqual(cg.frame_size(["sub sp, sp, #0x1, lsl #12"]), 4096)


CONF_LPA2 = {"CONFIG_PGTABLE_LEVELS": "4", "CONFIG_ARM64_VA_BITS": "52",
             "CONFIG_PAGE_SHIFT": "14", "CONFIG_ARM64_LPA2": "y"}
CONF_3 = {"CONFIG_PGTABLE_LEVELS": "3", "CONFIG_ARM64_VA_BITS": "39",
          "CONFIG_PAGE_SHIFT": "12"}
F = "mm/gup.o:gup_fast_fallback"
LIVE = ["ldr x0, [x19]", "ret"]
STACK = ["ldr x0, [sp, #8]", "ret"]


class Classify(unittest.TestCase):
    def test_classify(self):
        self.assertEqual(cg.classify(True, None), "none")
        self.assertEqual(cg.classify(True, True), "none")
        self.assertEqual(cg.classify(False, None), "semantic")
        self.assertEqual(cg.classify(False, False), "semantic")
        self.assertEqual(cg.classify(False, True), "codegen-only")

    def test_runtime_states(self):
        rts = cg.runtime_states(CONF_LPA2)
        self.assertEqual([(r["cpu"], r["levels"], r["va_bits"]) for r in rts],
                         [("max", 4, 52), ("neoverse-n1", 3, 47)])
        self.assertEqual([r["levels"] for r in cg.runtime_states(CONF_3)],
                         [3])

    def test_lpa2_kernel_classified_per_runtime_state(self):
        # Real code differs; pinned without FEAT_LPA2 both take the live
        # pointer (identical), pinned with it they read different places.
        doc = cg.analyse("s", {F: LIVE}, {"0001": {F: STACK + ["nop"]}},
                         CONF_LPA2, pinned={
                             "lpa2": {"stock": {F: LIVE},
                                      "0001": {F: STACK}},
                             "nolpa2": {"stock": {F: LIVE},
                                        "0001": {F: LIVE}}})
        p = doc["patches"]["0001"]
        self.assertEqual(p["effect"], {"max": "semantic",
                                       "neoverse-n1": "codegen-only"})
        self.assertEqual(p["changed_functions"], [F])
        self.assertEqual(doc["functions"]["0001"][F]["insns"], 3)
        self.assertEqual(doc["page_size"], 16384)

    def test_static_state(self):
        doc = cg.analyse("s", {F: LIVE}, {"0001": {F: LIVE},
                                          "0002": {F: STACK}}, CONF_3)
        self.assertEqual(doc["patches"]["0001"]["effect"], {"max": "none"})
        self.assertEqual(doc["patches"]["0001"]["diff"], {})
        self.assertEqual(doc["patches"]["0002"]["effect"],
                         {"max": "semantic"})
        # gup_fast_fallback is always reported, changed or not.
        self.assertIn(F, doc["functions"]["stock"])

    def test_lpa2_without_pinned_objects_is_an_error(self):
        with self.assertRaises(cg.InputError):
            cg.analyse("s", {F: LIVE}, {"0001": {F: STACK}}, CONF_LPA2)


if __name__ == "__main__":
    unittest.main()
