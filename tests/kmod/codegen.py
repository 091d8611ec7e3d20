# SPDX-License-Identifier: GPL-2.0
"""Does the module's walk compile like the kernels' own GUP-fast walk?

usage: codegen.py STOCK_KDIR PATCHED_KDIR WALK_O

STOCK_KDIR and PATCHED_KDIR are built arm64 kernel trees of one folding
state (stock and with configs/patches/0001), WALK_O the module's walk.o
built against the stock one. The 0001 change shows in gup_fast_fallback()
(where gup_fast_pgd_range() .. gup_fast_p4d_range() are inlined) as two
things: a select between the address of the on-stack pgd copy and the live
pgdp (`add xA, sp, #n` + `csel xB, xA, ...`) where pgtable_l4_enabled()
is decided at run time (LPA2), and the loads the code makes: where it is
a constant true (a level folded statically), 0001 drops the live reload
of the top-level entry, one load fewer. The module's gupb_walk_live must
look like stock and gupb_walk_stack like 0001: no select in live and
stock, as many in stack as in 0001, and as many loads fewer (loads not at
[sp]: spills and reloads are register allocation, which follows the rest
of gup_fast_fallback, not the walk).

Where the copy's address is selected, it must live in the frame: the
frame then grows alike in kernel and module. Where it is not, the frame
is register allocation only (6.12.118 4K/48: 0001 grows the kernel's by
16 bytes of spills elsewhere in gup_fast_fallback, 7.3 by nothing), so
it is reported, not compared. TAP on stdout; exit 1 on a failure.
"""
import os
import re
import subprocess
import sys
from tap import Tap
from gupb import objdump
from gupb.answer import explain

OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
NM = os.environ.get("NM", "aarch64-linux-gnu-nm")


def function(obj, name):
    """The instructions of one function, without addresses. Identical
    functions may be folded into one (-fipa-icf): then the symbol is an
    alias of another's address, so look the address up with nm."""
    out = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", obj],
                         check=True, capture_output=True, text=True).stdout
    nm = subprocess.run([NM, obj], check=True, capture_output=True,
                        text=True).stdout
    a = re.search(r"^([0-9a-f]+) [tT] %s$" % re.escape(name), nm, re.M)
    if not a:
        return []
    return objdump.by_address(out).get(int(a.group(1), 16), [])


def features(insns):
    """(frame bytes, number of &stack-copy-or-pointer selects)."""
    frame = 0
    for i in insns:
        m = re.match(r"stp\s+x29, x30, \[sp, #-(\d+)\]!", i)
        if m:
            frame = int(m.group(1))
            break
    selects = 0
    for a, b in zip(insns, insns[1:]):
        m = re.match(r"add\s+(x\d+), sp, #", a)
        if m and re.match(r"csel\s+x\d+, %s, x\d+" % m.group(1), b):
            selects += 1
    return frame, selects


def main():
    stock, patched, walk = sys.argv[1:4]
    T = Tap("codegen")
    ki = {n: function(os.path.join(d, "mm/gup.o"), "gup_fast_fallback")
          for n, d in (("stock", stock), ("0001", patched))}
    mi = {n: function(walk, "gupb_walk_" + n) for n in ("live", "stack")}
    k = {n: features(i) for n, i in ki.items()}
    m = {n: features(i) for n, i in mi.items()}
    ld = {n: explain.off_stack_loads(i) for n, i in {**ki, **mi}.items()}
    T.ok(k["stock"][0] and k["0001"][0] and m["live"][0] and m["stack"][0],
         "found gup_fast_fallback (stock %s, 0001 %s) and the walks "
         "(live %s, stack %s)" % (k["stock"], k["0001"], m["live"],
                                  m["stack"]))
    T.ok(k["stock"][1] == 0 and m["live"][1] == 0,
         "no select of &pgd in stock gup_fast_fallback (%d) nor in live (%d)"
         % (k["stock"][1], m["live"][1]))
    # 1 where pgtable_l4_enabled() is decided at run time (LPA2), 0 where
    # it is a constant true (then stack is generic's code, folded by ICF).
    T.ok(k["0001"][1] == m["stack"][1] <= 1,
         "selects of &pgd / pgdp alike in 0001 gup_fast_fallback (%d) and "
         "in stack (%d)" % (k["0001"][1], m["stack"][1]))
    T.ok(ld["0001"] - ld["stock"] == ld["stack"] - ld["live"],
         "loads (not at [sp]) change alike: kernel %+d (%d -> %d), "
         "module %+d (%d -> %d)" % (
             ld["0001"] - ld["stock"], ld["stock"], ld["0001"],
             ld["stack"] - ld["live"], ld["live"], ld["stack"]))
    kf = k["0001"][0] - k["stock"][0]
    mf = m["stack"][0] - m["live"][0]
    if k["0001"][1]:
        T.ok(kf == mf, "the frame grows alike (the copy's slot): kernel "
             "%+d bytes, module %+d bytes" % (kf, mf))
    else:
        T.skip("frame: no select of &pgd, so no slot for the copy; the "
               "frame change is register allocation (kernel %+d bytes, "
               "module %+d bytes)" % (kf, mf))
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
