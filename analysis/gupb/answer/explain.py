# SPDX-License-Identifier: GPL-2.0
"""Why a patch's per-call change is what it is, and why it differs between
kernel sources: the instructions of one call that differ between stock and
the patch (the estimate's "changed" list: the walk's executed sequence,
compared beyond register and stack-slot renaming, gupb.answer.estimate)
split into

  code     what the patch's source change compiled to: every differing
           instruction that is not one of the kinds below, after an
           added and a removed instruction of the same shape cancel
           (the same operation moved, or given another register);
  branches b, b.cond, cbz/cbnz, tbz/tbnz: the branch layout (the same
           test can end in b.hi on one source and b.lo + cbnz on another);
  stack    loads and stores at [sp, ...]: spills and reloads, i.e. the
           compiler's register allocation around the change;
  moves    register-to-register mov: register allocation too;
  moved    the pairs that cancelled.

Loads and stores are counted as the counting plugin counts them (QEMU's
memory accesses: a pair instruction is two).

Nothing here is measured: it reads the counted sequence. The parts add up
to the call's instruction/load/store change exactly when every differing
instruction was inside the walk the estimate reads; otherwise the
remainder is reported as "elsewhere".
"""
import collections
import re

from gupb.answer import codegen as C
from gupb.answer import estimate as E

STACK = re.compile(r"\[sp\b")
REG = r"(?:[xw](?:\d+|zr)|sp)"
MOVE = re.compile(r"^mov\s+%s,\s*%s$" % (REG, REG))
PAIR = re.compile(r"^(ld|st)[a-z]*p$|^ldpsw$")
BRANCH = re.compile(r"^(b|b\.[a-z]+|cbn?z|tbn?z)$")


def _norm(insn):
    return " ".join(insn.replace("\t", " ").split()).lower()


def accesses(insn):
    """(loads, stores) as the counting plugin sees them: QEMU's memory
    accesses, two for a pair (ldp/stp), one of each for an atomic."""
    mn = C.mnemonic(_norm(insn))
    k = C.access_kind(mn)
    n = 2 if PAIR.match(mn) else 1
    return {"load": (n, 0), "store": (0, n), "rmw": (1, 1)}.get(k, (0, 0))


def on_stack(insn):
    """Is this access at [sp, ...]: a spill, a reload or a frame slot?"""
    return bool(STACK.search(_norm(insn)))


def off_stack_loads(insns):
    """Loads of a function's instructions that are not at [sp, ...]: what
    its code reads, without the register allocation's spills and reloads
    (which follow the surrounding function, not the source change)."""
    return sum(accesses(i)[0] for i in insns if not on_stack(i))


def parts(changed):
    """{code: {insns, loads, stores, added: [...], removed: [...]},
    stack: {loads: [+n, -n], stores: [+n, -n]}, moves: [+n, -n],
    moved: n, total: {insns, loads, stores}} from a "changed" list
    ([{side: '+'|'-', insn: ...}])."""
    total = {"insns": 0, "loads": 0, "stores": 0}
    stack = {"loads": [0, 0], "stores": [0, 0]}
    moves = [0, 0]
    branches = [0, 0]
    rest = {"+": collections.Counter(), "-": collections.Counter()}
    first = {}
    for ch in changed:
        sign = 1 if ch["side"] == "+" else -1
        col = 0 if sign > 0 else 1
        insn = _norm(ch["insn"])
        ld, st = accesses(insn)
        total["insns"] += sign
        total["loads"] += sign * ld
        total["stores"] += sign * st
        if (ld or st) and on_stack(insn):
            stack["loads"][col] += ld
            stack["stores"][col] += st
        elif MOVE.match(insn):
            moves[col] += 1
        elif BRANCH.match(C.mnemonic(insn)):
            branches[col] += 1
        else:
            shape = E._shape(insn)  # the estimate's own renaming rule
            rest[ch["side"]][shape] += 1
            first.setdefault((ch["side"], shape), insn)
    moved = rest["+"] & rest["-"]
    added = rest["+"] - moved
    removed = rest["-"] - moved
    code = {"insns": sum(added.values()) - sum(removed.values()),
            "loads": 0, "stores": 0,
            "added": [first[("+", s)] for s in added for _ in range(added[s])],
            "removed": [first[("-", s)] for s in removed
                        for _ in range(removed[s])]}
    for side, cnt in (("+", added), ("-", removed)):
        sign = 1 if side == "+" else -1
        for s, n in cnt.items():
            ld, st = accesses(first[(side, s)])
            code["loads"] += sign * n * ld
            code["stores"] += sign * n * st
    return {"code": code, "stack": stack, "moves": moves,
            "branches": branches, "moved": sum(moved.values()),
            "total": total}


def of_row(row):
    """parts() of an answer row's per-call difference, or None when the
    row has no estimate with the differing instructions (not counted, or
    counted before the estimate existed)."""
    e = row.get("estimate") or {}
    for core in sorted((e.get("cores") or {})):
        ch = e["cores"][core].get("changed")
        if ch is not None:
            return parts(ch)
    return None


def _pm(pair):
    return "+%d/-%d" % tuple(pair)


def text(p, counts=None):
    """One line: the parts, and what is left over against the counted
    per-call change (counts: {insns, loads, stores} or None)."""
    c = p["code"]
    mn = [C.mnemonic(i) for i in c["added"]]
    rm = [C.mnemonic(i) for i in c["removed"]]
    code = "code %+d insns (%+d loads, %+d stores)" % (
        c["insns"], c["loads"], c["stores"])
    if mn or rm:
        code += ": " + " ".join(["+" + m for m in mn] + ["-" + m for m in rm])
    alloc = "register allocation: stack loads %s, stack stores %s, moves %s" % (
        _pm(p["stack"]["loads"]), _pm(p["stack"]["stores"]), _pm(p["moves"]))
    if p["moved"]:
        alloc += ", %d moved or renamed" % p["moved"]
    out = "%s; branches %s; %s" % (code, _pm(p["branches"]), alloc)
    if counts:
        rest = [counts.get(k, 0) - p["total"][k]
                for k in ("insns", "loads", "stores")]
        if any(rest):
            out += "; elsewhere in the call %+d/%+d/%+d" % tuple(rest)
    return out


def differ(ps):
    """Which parts differ between the sources' parts(): a list of
    "code", "branch layout", "register allocation" (empty: none)."""
    def key(p):
        return (
            (p["code"]["insns"], p["code"]["loads"], p["code"]["stores"],
             sorted(C.mnemonic(i) for i in p["code"]["added"]),
             sorted(C.mnemonic(i) for i in p["code"]["removed"])),
            tuple(p["branches"]),
            (tuple(p["stack"]["loads"]), tuple(p["stack"]["stores"]),
             tuple(p["moves"]), p["moved"]))
    keys = [key(p) for p in ps]
    return [name for i, name in enumerate(
        ("code", "branch layout", "register allocation"))
        if any(k[i] != keys[0][i] for k in keys)]

