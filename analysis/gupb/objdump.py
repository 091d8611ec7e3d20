# SPDX-License-Identifier: GPL-2.0
"""The one objdump parser: `objdump -d [-r] [--no-show-raw-insn]` text as
lines of functions, instructions and relocations.

Three views of it: functions() for the answer's codegen (instructions per
function with their relocations, as linked in an object), by_address()
for the module's codegen check (tests/kmod/codegen.py: functions by
their symbol's address) and by_pc() for the exact counts (vmlinux's
instructions by address, with the opcode, to name what the TCG plugin
traced)."""
import re

FUNC_RE = re.compile(r"^([0-9a-f]+) <(.+)>:$")
# "  1c:\tldr x0, [x19]" or, with raw instructions,
# "ffff800080001000:\td503201f \tnop"
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(?:([0-9a-f]{8})\s+)?(\S.*)$")
RELOC_RE = re.compile(r"^\s*([0-9a-f]+): (R_AARCH64_\w+)\s+(.*)$")


def lines(text):
    """Each line that says something: ("func", addr, name),
    ("reloc", addr, type, symbol) or ("insn", addr, opcode or None, text)."""
    for line in text.splitlines():
        m = FUNC_RE.match(line)
        if m:
            yield ("func", int(m.group(1), 16), m.group(2))
            continue
        m = RELOC_RE.match(line)
        if m:
            yield ("reloc", int(m.group(1), 16), m.group(2),
                   m.group(3).strip())
            continue
        m = INSN_RE.match(line)
        if m:
            op = int(m.group(2), 16) if m.group(2) else None
            yield ("insn", int(m.group(1), 16), op, m.group(3))


def functions(text):
    """-> {function: [insn]}, each insn {'addr': int, 'text': str,
    'relocs': [(type, symbol)]} (instructions before the first function
    are dropped, a relocation belongs to the instruction before it)."""
    funcs = {}
    cur = None
    last = None
    for ev in lines(text):
        if ev[0] == "func":
            cur = funcs.setdefault(ev[2], [])
            last = None
        elif cur is None:
            continue
        elif ev[0] == "reloc":
            if last is not None:
                last["relocs"].append((ev[2], ev[3]))
        else:
            last = {"addr": ev[1], "text": ev[3], "relocs": []}
            cur.append(last)
    return funcs


def by_address(text):
    """-> {address of a function's label: [instruction text]}, comments
    dropped: a function found by its symbol's address (nm), where
    identical functions folded into one (-fipa-icf) share a label."""
    out = {}
    cur = None
    for ev in lines(text):
        if ev[0] == "func":
            cur = out.setdefault(ev[1], [])
        elif ev[0] == "insn" and cur is not None:
            cur.append(ev[3].split("//")[0].strip())
    return out


def by_pc(text):
    """-> {pc: (opcode, "mnemonic operands")} for the lines with their raw
    opcode, comments dropped and absolute addresses dropped where a
    <symbol+offset> names them, so two kernels' paths compare by
    instruction, not by where it was linked."""
    insns = {}
    for ev in lines(text):
        if ev[0] != "insn" or ev[2] is None:
            continue
        t = re.sub(r"\s+", " ", ev[3].split("//")[0]).strip()
        t = re.sub(r"\b[0-9a-f]{8,} (<[^>]+>)", r"\1", t)
        insns[ev[1]] = (ev[2], t)
    return insns
