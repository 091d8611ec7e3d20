# SPDX-License-Identifier: GPL-2.0
"""Codegen of arm64's lockless GUP walk, stock vs each patch, per state.

Plain functions that return data (parse, normalise, stats, classify) and
a small CLI that runs objdump on the objects scripts/answer/objects.sh
produced and writes results/answer/codegen/<state>.json atomically.

Normalisation makes two builds of the same code compare equal: addresses
go, branch targets inside the function become labels numbered in address
order, targets outside it keep only symbol+offset, relocations are folded
into the instruction they patch, comments go.

Effect classes, per run-time state of a kernel:
  none          the normalised code of every function is identical;
  codegen-only  the code differs, but the patch is a source-level no-op in
                this run-time state: compiled with the folding predicates
                (pgtable_l4_enabled()/pgtable_l5_enabled()) pinned to this
                state's values, stock and patch give identical code;
  semantic      the code differs and, pinned or (in a state where every
                predicate is a compile-time constant) as is, still differs:
                the walk reads a different location.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

from gupb import fileio
from gupb import objdump as od
from gupb.fileio import InputError

OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
ALWAYS = "gup_fast_fallback"

FUNC_RE = od.FUNC_RE
TARGET_RE = re.compile(r"\b([0-9a-f]+) <([^>+]+)(\+0x[0-9a-f]+)?>")
ATOMIC_RE = re.compile(r"^(ld|st)(add|clr|eor|set|smax|smin|umax|umin)")
SP_PREINDEX_RE = re.compile(r"\[sp, #-(\d+)\]!")
SUB_SP_RE = re.compile(r"^sub sp, sp, #(0x[0-9a-f]+|\d+)(, lsl #12)?$")


def parse_objdump(text):
    """{function: [insn]} (gupb.objdump.functions)."""
    return od.functions(text)


SECTION_RE = re.compile(r"^Disassembly of section (\S+):$")
SECREL_RE = re.compile(r"^(\.[\w.]+)\+0x([0-9a-f]+)$")


def section_symbols(text):
    """{section: [(start, function)] sorted}: to name section-relative
    relocations (.text+0x609c), whose addends move when code before them
    changes size."""
    out = {}
    sec = None
    for line in text.splitlines():
        m = SECTION_RE.match(line)
        if m:
            sec = m.group(1)
            continue
        m = FUNC_RE.match(line)
        if m and sec:
            out.setdefault(sec, []).append((int(m.group(1), 16), m.group(2)))
    return {k: sorted(v) for k, v in out.items()}


def reloc_symbol(sym, symbols):
    """'.text+0x609c' -> 'perf_swevent_hrtimer+0x1c' where code is known."""
    m = SECREL_RE.match(sym)
    if not m or m.group(1) not in symbols:
        return sym
    addr = int(m.group(2), 16)
    best = None
    for start, name in symbols[m.group(1)]:
        if start <= addr:
            best = (start, name)
    if best is None:
        return sym
    off = addr - best[0]
    return best[1] + ("+0x%x" % off if off else "")


SYMTAB_RE = re.compile(r"^([0-9a-f]+) .{6}F (\S+)\s+([0-9a-f]+) (\S+)$")
STUB_END_RE = re.compile(r"^b\s+([0-9a-f]+) <([^>+]+)\+0x[0-9a-f]+>")


def function_sizes(symtab):
    """objdump -t output -> {function: size in bytes}."""
    out = {}
    for line in symtab.splitlines():
        m = SYMTAB_RE.match(line)
        if m:
            out[m.group(4)] = int(m.group(3), 16)
    return out


def split_stubs(funcs, sizes):
    """arm64's asm-goto alternatives and static branches put out-of-line
    code in a subsection at the end of .text, past the last function's
    symbol size, where objdump counts it as that function's. Each stub
    ends with a branch back into the function it belongs to: give it back
    to that function, so neither the last function nor the owner changes
    just because a stub was added or moved."""
    out = {n: list(i) for n, i in funcs.items()}
    for name, insns in funcs.items():
        if name not in sizes or not insns:
            continue
        end = insns[0]["addr"] + sizes[name]
        tail = [i for i in insns if i["addr"] >= end]
        if not tail:
            continue
        out[name] = [i for i in insns if i["addr"] < end]
        group = []
        for i in tail:
            group.append(i)
            m = STUB_END_RE.match(_clean(i["text"]))
            if m and not i["relocs"] and m.group(2) in out:
                out[m.group(2)] += group
                group = []
        out[name] += group
    return out


def _clean(text):
    text = text.split("//")[0]
    return " ".join(text.replace("\t", " ").split()).replace(" ,", ",")


def normalise(name, insns, symbols=None):
    """One function's instructions -> list of strings, label lines
    ('L3:') included, with nothing that depends on where it was linked.
    An operand a relocation fills in shows the relocation's symbol, not
    objdump's guess for the unrelocated address."""
    # A branch whose target is one of this function's own instructions
    # (by address: out-of-line stubs objdump names after another symbol
    # count as the function's own once split_stubs() gave them back).
    own = {i["addr"] for i in insns}
    targets = set()
    for i in insns:
        if i["relocs"]:
            continue
        for m in TARGET_RE.finditer(i["text"]):
            if int(m.group(1), 16) in own:
                targets.add(int(m.group(1), 16))
    labels = {a: "L%d" % n for n, a in enumerate(sorted(targets))}

    def target(m):
        addr = int(m.group(1), 16)
        if addr in labels:
            return labels[addr]
        return "<%s%s>" % (m.group(2), m.group(3) or "")

    out = []
    for i in insns:
        if i["addr"] in labels:
            out.append(labels[i["addr"]] + ":")
        text = _clean(i["text"])
        if i["relocs"]:
            text = TARGET_RE.sub("@", text)
        else:
            text = TARGET_RE.sub(target, text)
        for rtype, sym in i["relocs"]:
            text += " [%s %s]" % (rtype.replace("R_AARCH64_", ""),
                                  reloc_symbol(sym, symbols or {}))
        out.append(text)
    return out


def is_label(line):
    return line.endswith(":") and " " not in line


def mnemonic(line):
    return line.split(" ", 1)[0].lower()


def access_kind(mn):
    """'load', 'store', 'rmw' (atomic read-modify-write, both) or None."""
    if mn.startswith(("swp", "cas")) or ATOMIC_RE.match(mn):
        return "rmw"
    if mn.startswith("prfm"):
        return None
    if mn.startswith("ld"):
        return "load"
    if mn.startswith("st"):
        return "store"
    return None


def frame_size(code):
    """Bytes the prologue takes off sp: pre-indexed stores ([sp, #-N]!)
    and sub sp, sp, #M before the first branch."""
    size = 0
    for line in code:
        if is_label(line):
            break
        mn = mnemonic(line)
        if mn.startswith(("b", "cb", "tb", "ret")) and mn != "bic":
            break
        m = SP_PREINDEX_RE.search(line)
        if m and access_kind(mn) == "store":
            size += int(m.group(1))
        m = SUB_SP_RE.match(line)
        if m:
            size += int(m.group(1), 0) << (12 if m.group(2) else 0)
    return size


def stats(code):
    """Static counts for one normalised function."""
    insns = [mnemonic(l) for l in code if not is_label(l)]
    kinds = [access_kind(m) for m in insns]
    return {
        "insns": len(insns),
        "loads": sum(k in ("load", "rmw") for k in kinds),
        "stores": sum(k in ("store", "rmw") for k in kinds),
        "frame": frame_size(code),
    }


def load_objects(objdir, objects, objdump=OBJDUMP):
    """{'<obj>:<function>': normalised code} for the given objects."""
    out = {}
    for obj in objects:
        path = os.path.join(objdir, obj)
        if not os.path.isfile(path):
            raise InputError("%s: missing" % path)
        try:
            text = subprocess.run([objdump, "-d", "-r", "--no-show-raw-insn",
                                   path], check=True, capture_output=True,
                                  text=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            raise InputError("%s: objdump failed: %s" % (path, e))
        try:
            symtab = subprocess.run([objdump, "-t", path], check=True,
                                    capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            raise InputError("%s: objdump -t failed: %s" % (path, e))
        symbols = section_symbols(text)
        funcs = split_stubs(parse_objdump(text), function_sizes(symtab))
        for name, insns in funcs.items():
            out["%s:%s" % (obj, name)] = normalise(name, insns, symbols)
    return out


def differing(a, b):
    """Function ids whose code differs (or exists on one side only)."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def unified(a, b, name, context=3):
    return "\n".join(difflib.unified_diff(
        a or [], b or [], "stock/" + name, "patch/" + name,
        n=context, lineterm=""))


REG_RE = re.compile(r"\b[xw]([0-9]+|zr)\b")
SLOT_RE = re.compile(r"\[sp, #0x[0-9a-f]+\]|\[sp, #\d+\]|sp, #0x[0-9a-f]+")
LABEL_RE = re.compile(r"\bL\d+\b")


def _blind(line):
    """A line with registers, stack slots and labels anonymised: what is
    left is what the code does, not where the allocator put it."""
    return LABEL_RE.sub("L", SLOT_RE.sub("[sp]", REG_RE.sub("r", line)))


def excerpt(a, b, max_lines=24):
    """What changed beyond register and stack-slot renaming: the two
    listings are aligned on their anonymised lines (_blind), and only the
    blocks that differ there are shown, with the real registers; cut to
    max_lines."""
    a, b = a or [], b or []
    sm = difflib.SequenceMatcher(None, [_blind(l) for l in a],
                                 [_blind(l) for l in b], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        out.append("@@ -%d +%d @@" % (i1 + 1, j1 + 1))
        out += ["-" + l for l in a[i1:i2]] + ["+" + l for l in b[j1:j2]]
    if len(out) > max_lines:
        out = out[:max_lines] + ["... %d more lines" % (len(out) - max_lines)]
    return out


def classify(real_identical, pinned_identical):
    """Effect class in one run-time state. pinned_identical is None where
    the state has no run-time choice (every predicate is constant)."""
    if real_identical:
        return "none"
    if pinned_identical:
        return "codegen-only"
    return "semantic"


def runtime_states(config):
    """The run-time states of a kernel, from its .config: LPA2 kernels
    fold their top level on CPUs without FEAT_LPA2."""
    levels = int(config["CONFIG_PGTABLE_LEVELS"])
    va = int(config["CONFIG_ARM64_VA_BITS"])
    shift = int(config["CONFIG_PAGE_SHIFT"])
    if config.get("CONFIG_ARM64_LPA2") == "y":
        va_min = {12: 48, 14: 47}.get(shift, 48)
        return [
            {"name": "lpa2", "cpu": "max", "feat_lpa2": True,
             "levels": levels, "va_bits": va, "folded_at_run_time": False},
            {"name": "nolpa2", "cpu": "neoverse-n1", "feat_lpa2": False,
             "levels": levels - 1, "va_bits": va_min,
             "folded_at_run_time": True},
        ]
    return [{"name": "static", "cpu": "max", "feat_lpa2": None,
             "levels": levels, "va_bits": va, "folded_at_run_time": False}]


def read_config(path):
    conf = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(CONFIG_\w+)=(.*)$", line.strip())
            if m:
                conf[m.group(1)] = m.group(2).strip('"')
    for k in ("CONFIG_PGTABLE_LEVELS", "CONFIG_ARM64_VA_BITS",
              "CONFIG_PAGE_SHIFT"):
        if k not in conf:
            raise InputError("%s: no %s (not an arm64 .config?)" % (path, k))
    return conf


def same_code_as(doc, patch):
    """The patch sorted before `patch` in a codegen result (doc) whose
    walk objects normalise to exactly patch's code, function by function,
    or None. Identical code runs identically in every run-time state, so
    its per-call counts are that patch's (make answer boots it once)."""
    fns = doc.get("functions", {})
    mine = fns.get(patch)
    if not mine:
        return None

    def code(f):
        return {k: v["code"] for k, v in f.items()}
    for q in sorted(fns):
        if q != "stock" and q < patch and code(fns[q]) == code(mine):
            return q
    return None


def analyse(state, stock, patches, config, pinned=None):
    """The codegen record of one state.

    stock: {fid: code}; patches: {patch: {fid: code}}; pinned:
    {runtime-name: {'stock': {fid: code}, patch: {fid: code}}} for
    kernels with a run-time choice."""
    pinned = pinned or {}
    rts = runtime_states(config)
    shown = set(k for k in stock if k.endswith(":" + ALWAYS))
    out_patches = {}
    for p, code in sorted(patches.items()):
        diff_real = differing(stock, code)
        effect, pinned_same, pinned_diff = {}, {}, {}
        for rt in rts:
            pin = pinned.get(rt["name"])
            if pin is None:
                same = None
                if rt["folded_at_run_time"] or len(rts) > 1:
                    raise InputError("%s: no pinned objects for run-time "
                                     "state %s" % (state, rt["name"]))
            else:
                if p not in pin or "stock" not in pin:
                    raise InputError("%s: pinned objects for %s lack %s" %
                                     (state, rt["name"], p))
                d = differing(pin["stock"], pin[p])
                same = not d
                pinned_diff[rt["cpu"]] = d
                shown.update(d)
            pinned_same[rt["cpu"]] = same
            effect[rt["cpu"]] = classify(not diff_real, same)
        shown.update(diff_real)
        out_patches[p] = {
            "changed_functions": diff_real,
            "effect": effect,
            "pinned_identical": pinned_same,
            "pinned_changed_functions": pinned_diff,
            "diff": {k: unified(stock.get(k), code.get(k), k)
                     for k in diff_real},
        }
        out_patches[p]["excerpt"] = {
            k: excerpt(stock.get(k), code.get(k)) for k in diff_real}
    functions = {}
    for side, code in [("stock", stock)] + sorted(patches.items()):
        functions[side] = {
            k: dict(stats(code[k]), code=code[k])
            for k in sorted(shown) if k in code}
    return {
        "state": state,
        "page_size": 1 << int(config["CONFIG_PAGE_SHIFT"]),
        "va_bits": int(config["CONFIG_ARM64_VA_BITS"]),
        "static_levels": int(config["CONFIG_PGTABLE_LEVELS"]),
        "lpa2": config.get("CONFIG_ARM64_LPA2") == "y",
        "runtime_states": rts,
        "patches": out_patches,
        "functions": functions,
    }


def objects_in(objdir):
    base = os.path.join(objdir, "objects")
    found = []
    for root, _, files in os.walk(base):
        found += [os.path.relpath(os.path.join(root, f), base)
                  for f in files if f.endswith(".o")]
    if not found:
        raise InputError("%s: no objects" % base)
    return sorted(found)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("state", help="state name (fragment without .config)")
    ap.add_argument("out", help="JSON file to write")
    ap.add_argument("dirs", nargs="+", metavar="PATCH=DIR",
                    help="objects.sh output per side: stock=DIR 0001=DIR ...")
    ap.add_argument("--meta", action="append", default=[], metavar="K=V",
                    help="extra top-level fields (source version, keys)")
    a = ap.parse_args(argv)
    try:
        sides = {}
        for d in a.dirs:
            p, _, path = d.partition("=")
            if not path or not os.path.isfile(os.path.join(path, ".done")):
                raise InputError("%s: not a finished objects.sh directory" % d)
            sides[p] = path
        if "stock" not in sides:
            raise InputError("no stock=DIR given")
        objs = objects_in(sides["stock"])
        for p, path in sides.items():
            if objects_in(path) != objs:
                raise InputError("%s: other objects than stock" % path)
        code = {p: load_objects(os.path.join(path, "objects"), objs)
                for p, path in sides.items()}
        config = read_config(os.path.join(sides["stock"], "config"))
        pinned = {}
        for rt in runtime_states(config):
            pdirs = {p: os.path.join(path, "pin-" + rt["name"])
                     for p, path in sides.items()}
            if all(os.path.isdir(d) for d in pdirs.values()):
                pinned[rt["name"]] = {p: load_objects(d, objs)
                                      for p, d in pdirs.items()}
        stock = code.pop("stock")
        doc = analyse(a.state, stock, code, config, pinned)
        doc["objects"] = objs
        doc["builds"] = {p: os.path.basename(path) for p, path in sides.items()}
        for kv in a.meta:
            k, _, v = kv.partition("=")
            doc[k] = v
        fileio.write_json(a.out, doc)
    except InputError as e:
        print("answer_codegen: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
