# SPDX-License-Identifier: GPL-2.0
"""gupb.objdump, the one objdump parser, in its three views: functions
with relocations (the answer's codegen), functions by address (the
module's codegen check) and instructions by PC with their opcodes (the
exact counts)."""
import unittest

from gupb import objdump

# objdump -d -r --no-show-raw-insn of an object
OBJ = """
Disassembly of section .text:

0000000000000000 <f>:
   0:\tstp\tx29, x30, [sp, #-16]!
   4:\tbl\t0 <g>
\t\t\t4: R_AARCH64_CALL26\tg
   8:\tret

000000000000000c <h>:
   c:\tret
"""
# objdump -d of vmlinux: raw opcodes, comments
VMLINUX = """
ffff800080001000 <gup_fast_fallback>:
ffff800080001000:\td503201f \tnop
ffff800080001004:\t94000010 \tbl\tffff800080001044 <x+0x4>
ffff800080001008:\tf9400000 \tldr\tx0, [x0]\t// a comment
"""


class Objdump(unittest.TestCase):
    def test_functions_with_relocations(self):
        f = objdump.functions(OBJ)
        self.assertEqual(sorted(f), ["f", "h"])
        self.assertEqual([i["addr"] for i in f["f"]], [0, 4, 8])
        self.assertEqual(f["f"][1]["relocs"], [("R_AARCH64_CALL26", "g")])
        self.assertEqual(f["f"][0]["text"], "stp\tx29, x30, [sp, #-16]!")

    def test_functions_by_address(self):
        a = objdump.by_address(OBJ)
        self.assertEqual(a[0xc], ["ret"])
        self.assertEqual(a[0][1], "bl\t0 <g>")
        self.assertEqual(objdump.by_address(VMLINUX)[0xffff800080001000][2],
                         "ldr\tx0, [x0]")

    def test_by_pc_opcodes_and_names_without_addresses(self):
        p = objdump.by_pc(VMLINUX)
        self.assertEqual(p[0xffff800080001000], (0xd503201f, "nop"))
        self.assertEqual(p[0xffff800080001004][1], "bl <x+0x4>")
        self.assertEqual(p[0xffff800080001008][1], "ldr x0, [x0]")
        # an object's disassembly has no opcodes: nothing by PC
        self.assertEqual(objdump.by_pc(OBJ), {})


if __name__ == "__main__":
    unittest.main()
