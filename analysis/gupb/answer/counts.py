# SPDX-License-Identifier: GPL-2.0
"""Host side of the exact-count boots (scripts/answer/counts.sh runs it).

  gupb answer counts ranges NM_FILE
      the gupcount plugin's arguments (one a line) for the kernel whose
      `nm -S vmlinux` output is NM_FILE
  gupb answer counts delta A.json B.json
      per-call differences B - A, per workload (a text table)
  gupb answer counts pathdiff A.json B.json [WORKLOAD...]
      the instructions of one call, A vs B, as a unified diff
  gupb answer counts json --nm NM --raw RAW --console LOG --state S --patch P
                 --cpu C --out FILE
      check the guest's report and the plugin's counts, and write the
      result JSON atomically

The walk's PC ranges come from the kernel's own symbols: gup_fast_fallback
(whose first instruction marks a call) and every other out-of-line
gup_fast_* function. Which helpers the compiler left out of line differs
between kernels, so the set is discovered, not hard-coded.
"""
import argparse
import difflib
import json
import re
import sys

from gupb import fileio
from gupb import objdump as od

ENTRY = "gup_fast_fallback"
RANGE_RE = re.compile(r"^gup_fast_")
MARKER = "__arm64_sys_getppid"
# The measured phases the guest reports, in this order (gupcount-init.c).
WORKLOADS = ("gup_fast_only_1page", "futex_shared", "odirect_4k")


class CountsError(fileio.InputError):
    """A boot's output that cannot be counted; the message says why."""


def parse_nm(text):
    """`nm -S` lines -> [(name, start, size, type)] of sized symbols."""
    syms = []
    for line in text.splitlines():
        f = line.split()
        if len(f) != 4:
            continue            # unsized symbols: no range to take
        addr, size, typ, name = f
        try:
            syms.append((name, int(addr, 16), int(size, 16), typ))
        except ValueError:
            continue
    return syms


def walk_ranges(syms):
    """Text symbols of the walk: [(name, start, end)], entry first.

    A static function may exist more than once under one name (one copy
    per file); every copy is a range, named name@address from the second
    on. The entry must be unique: two gup_fast_fallback would make
    "calls" ambiguous."""
    text = [s for s in syms if s[3] in "tT" and s[2] > 0]
    entries = [s for s in text if s[0] == ENTRY]
    if len(entries) != 1:
        raise CountsError("%d out-of-line %s in the kernel's symbols (need 1)"
                          % (len(entries), ENTRY))
    picked = entries + sorted((s for s in text
                               if RANGE_RE.match(s[0]) and s[0] != ENTRY),
                              key=lambda s: s[1])
    seen = set()
    out = []
    for name, start, size, _ in picked:
        label = name if name not in seen else "%s@%x" % (name, start)
        seen.add(name)
        out.append((label, start, start + size))
    ordered = sorted(out, key=lambda r: r[1])
    for a, b in zip(ordered, ordered[1:]):
        if b[1] < a[2]:
            raise CountsError("ranges %s and %s overlap" % (a[0], b[0]))
    return out


def marker_pc(syms):
    hits = [s for s in syms if s[0] == MARKER and s[3] in "tT"]
    if len(hits) != 1:
        raise CountsError("%d %s in the kernel's symbols (need 1)"
                          % (len(hits), MARKER))
    return hits[0][1]


def plugin_args(syms):
    """The plugin's key=value arguments, without out=."""
    ranges = walk_ranges(syms)
    args = ["range=%x-%x-%s" % (start, end, name)
            for name, start, end in ranges]
    args.append("entry=%x" % ranges[0][1])
    args.append("marker=%x" % marker_pc(syms))
    return args


def parse_raw(text):
    """The plugin's output file -> {"ranges": [...], "phases": {p: {...}}}."""
    lines = text.splitlines()
    if not lines or lines[0] != "gupcount 1":
        raise CountsError("plugin output: no 'gupcount 1' header")
    if lines[-1] != "end":
        raise CountsError("plugin output is truncated (no 'end')")
    ranges, phases, lost = [], {}, None

    def phase(p):
        return phases.setdefault(int(p), {"hist": [], "ranges": {}, "trace": [],
                                          "tracelost": 0})
    for line in lines[1:-1]:
        f = line.split()
        try:
            if f[0] == "range":
                ranges.append(f[4])
            elif f[0] == "phaseslost":
                lost = int(f[1])
            elif f[0] == "phase":
                ph = phase(f[1])
                kv = dict(zip(f[2:10:2], map(int, f[3:10:2])))
                ph.update(kv)
                ph["stray"] = [int(x) for x in f[11:14]]
                ph["stack"] = [int(x) for x in f[15:17]]
                ph["nostack"] = int(f[18])
                if (len(f) != 19 or f[10] != "stray" or f[14] != "stack"
                        or f[17] != "nostack"):
                    raise ValueError
            elif f[0] == "prange":
                phase(f[1])["ranges"][ranges[int(f[2])]] = [int(x) for x in f[3:6]]
            elif f[0] == "hist":
                phase(f[1])["hist"].append([int(x) for x in f[2:6]])
            elif f[0] == "histlost":
                phase(f[1])["histlost"] = int(f[2])
            elif f[0] == "trace":
                if len(f) != 8:
                    raise ValueError
                phase(f[1])["trace"].append([int(f[2], 16), int(f[3]), int(f[4]),
                                             int(f[5], 16), int(f[6]), int(f[7])])
            elif f[0] == "tracelost":
                phase(f[1])["tracelost"] = int(f[2])
            else:
                raise ValueError
        except (ValueError, IndexError, KeyError):
            raise CountsError("plugin output: bad line %r" % line)
    if lost:
        raise CountsError("plugin output: %d phases lost (too many markers)" % lost)
    return {"ranges": ranges, "phases": phases}


def parse_console(text):
    """The guest's GUPB-* lines -> dict; raises unless the run finished."""
    out = {"phases": {}, "kernel": None, "info": {}}
    done = False
    for line in text.splitlines():
        line = line.strip()
        m = re.search(r"GUPB-(\w+) ?(.*)$", line)
        if not m:
            continue
        tag, rest = m.groups()
        if tag == "KERNEL":
            out["kernel"] = rest.strip()
        elif tag == "INFO":
            out["info"] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", rest)}
        elif tag == "PHASE":
            f = rest.split(None, 4)
            if len(f) < 4:
                raise CountsError("guest: bad line %r" % line)
            out["phases"][f[1]] = {"phase": int(f[0]), "calls": int(f[2]),
                                   "ok": f[3] == "ok",
                                   "detail": f[4] if len(f) > 4 else ""}
        elif tag == "ERROR":
            raise CountsError("guest: %s" % rest)
        elif tag == "FAILED":
            done = True
        elif tag == "DONE":
            done = True
    bad = ["%s (%s)" % (n, p["detail"]) for n, p in out["phases"].items()
           if not p["ok"]]
    if bad:
        raise CountsError("guest: workload failed: " + "; ".join(bad))
    if not done:
        raise CountsError("guest did not finish (no GUPB-DONE on the console)")
    missing = [w for w in WORKLOADS if w not in out["phases"]]
    if missing:
        raise CountsError("guest reported no phase for " + ", ".join(missing))
    return out


def parse_objdump(text):
    """{pc: (opcode, text)} (gupb.objdump.by_pc)."""
    return od.by_pc(text)


def decode_live(op, pc, ranges):
    """The few instructions boot-time alternatives write in these ranges."""
    if op == 0xd503201f:
        return "nop"
    if op & 0xfc000000 == 0x14000000:
        off = (op & 0x03ffffff) << 2
        off -= (1 << 28) if off & (1 << 27) else 0
        return "b <%s>" % label(pc + off, ranges)
    return ".inst 0x%08x" % op


def label(pc, ranges):
    for name, start, end in ranges:
        if start <= pc < end:
            return "%s+0x%x" % (name, pc - start)
    return "0x%x" % pc


def call_path(p, ranges, insns):
    """The traced first call of a phase: [label, insn, loads, stores,
    stack loads, stack stores]. The
    text is vmlinux's unless the executed opcode differs (an alternative
    patched at boot for this CPU): then the executed one, marked."""
    path = []
    for pc, ld, st, op, sld, sst in p["trace"]:
        vop, text = insns.get(pc, (None, "?"))
        if op and vop is not None and op != vop:
            text = "%s ; patched at boot, vmlinux: %s" % (
                decode_live(op, pc, ranges), text)
        path.append([label(pc, ranges), text, ld, st, sld, sst])
    return path


def per_call(total, calls):
    return total // calls if total % calls == 0 else round(total / calls, 3)


def workload_result(name, guest, raw, ranges=(), insns=None):
    """One workload's entry in the result JSON, checked."""
    p = raw["phases"].get(guest["phase"])
    if p is None:
        raise CountsError("%s: the plugin saw no phase %d" % (name, guest["phase"]))
    calls = p["calls"]
    if calls != guest["calls"]:
        raise CountsError("%s: %d entries into %s, the guest made %d calls"
                          % (name, calls, ENTRY, guest["calls"]))
    if any(p["stray"]):
        raise CountsError("%s: %s instructions/loads/stores ran in the ranges "
                          "outside any call" % (name, p["stray"]))
    if p["nostack"]:
        raise CountsError("%s: %d calls without a frame push at %s's entry: "
                          "stack accesses cannot be told" % (name, p["nostack"], ENTRY))
    if p.get("histlost"):
        raise CountsError("%s: %d calls missing from the histogram"
                          % (name, p["histlost"]))
    hist = sorted(p["hist"], key=lambda h: (-h[3], h[0], h[1], h[2]))
    if sum(h[3] for h in hist) != calls:
        raise CountsError("%s: histogram holds %d calls, not %d"
                          % (name, sum(h[3] for h in hist), calls))
    res = {
        "calls": calls,
        "insns_per_call": per_call(p["insns"], calls),
        "loads_per_call": per_call(p["loads"], calls),
        "stores_per_call": per_call(p["stores"], calls),
        "exact": len(hist) == 1,
        # Of the loads and stores, those to the walk's own stack frames
        # (spills, the on-stack pgd copy); the rest reach page tables,
        # struct pages and the mm: the live-entry reload is one of those.
        "stack_loads_per_call": per_call(p["stack"][0], calls),
        "stack_stores_per_call": per_call(p["stack"][1], calls),
        "other_loads_per_call": per_call(p["loads"] - p["stack"][0], calls),
        "histogram": [{"insns": i, "loads": l, "stores": s, "calls": c}
                      for i, l, s, c in hist],
        "totals": {"insns": p["insns"], "loads": p["loads"],
                   "stores": p["stores"]},
        "per_range": {r: {"insns": v[0], "loads": v[1], "stores": v[2]}
                      for r, v in p["ranges"].items()},
        "phase": guest["phase"],
        "guest": guest["detail"],
    }
    if insns is not None:
        # One call's path; with exact counts every call took this path.
        res["path"] = call_path(p, ranges, insns)
        res["path_complete"] = not p["tracelost"]
        # The same call as executed machine code (after boot-time
        # patching), for the model estimate (gupb answer estimate).
        res["opcodes"] = ["%08x" % t[3] for t in p["trace"]]
        if res["exact"] and not p["tracelost"]:
            got = [len(p["trace"]), sum(x[1] for x in p["trace"]),
                   sum(x[2] for x in p["trace"])]
            if got != hist[0][:3]:
                raise CountsError("%s: the traced call has %s (insns, loads, "
                                  "stores), every call %s" % (name, got, hist[0][:3]))
    if not res["exact"]:
        # Mode = the most frequent tuple; spread = min/max of each count.
        res["mode"] = dict(zip(("insns", "loads", "stores"), hist[0][:3]))
        res["spread"] = {k: [min(h[i] for h in hist), max(h[i] for h in hist)]
                         for i, k in enumerate(("insns", "loads", "stores"))}
    return res


def build_result(state, patch, cpu, nm_text, raw_text, console_text,
                 objdump_text=None, mc=None):
    syms = parse_nm(nm_text)
    ranges = walk_ranges(syms)
    raw = parse_raw(raw_text)
    if raw["ranges"] != [r[0] for r in ranges]:
        raise CountsError("plugin ranges %s differ from the kernel's %s"
                          % (raw["ranges"], [r[0] for r in ranges]))
    guest = parse_console(console_text)
    res = {
        "state": state,
        "patch": patch,
        "cpu": cpu,
        "kernel": guest["kernel"],
        "ranges": [r[0] for r in ranges],
        "range_bytes": {r[0]: r[2] - r[1] for r in ranges},
        "runtime": guest["info"],
        "counter": "qemu-tcg-plugin",
        "workloads": {w: workload_result(w, guest["phases"][w], raw, ranges,
                                         None if objdump_text is None
                                         else parse_objdump(objdump_text))
                      for w in WORKLOADS},
    }
    if mc:
        # The executed sequence as assembly llvm-mca accepts.
        from gupb.answer import mca
        for w in res["workloads"].values():
            if w.get("opcodes") and w.get("path_complete"):
                try:
                    w["mca_asm"] = mca.disassemble(w["opcodes"], mc)
                except mca.McaError as e:
                    raise CountsError(str(e))
    return res


def delta(a, b):
    """Per workload, b minus a of the per-call counts: [(workload, {...})].
    Only meaningful between exact results of one workload set."""
    rows = []
    for w in WORKLOADS:
        wa, wb = a["workloads"][w], b["workloads"][w]
        d = {k: wb[k + "_per_call"] - wa[k + "_per_call"]
             for k in ("insns", "loads", "stores", "other_loads")}
        d["exact"] = wa["exact"] and wb["exact"]
        rows.append((w, d))
    return rows


def render_delta(a, b):
    head = "%s-%s-%s -> %s-%s-%s" % (a["state"], a["patch"], a["cpu"],
                                     b["state"], b["patch"], b["cpu"])
    keys = ("insns", "loads", "stores", "other_loads")
    lines = [head, "%-20s %16s %16s %16s %16s" % (("workload",) + keys)]
    for (w, d) in delta(a, b):
        wa, wb = a["workloads"][w], b["workloads"][w]
        cells = ["%d->%d (%+d)" % (wa[k + "_per_call"], wb[k + "_per_call"], d[k])
                 if d["exact"] else "%s->%s" % (wa[k + "_per_call"], wb[k + "_per_call"])
                 for k in keys]
        lines.append("%-20s %16s %16s %16s %16s" % tuple([w] + cells))
    return "\n".join(lines)


def path_lines(res, workload):
    """A workload's call path as comparable text: instruction, L/S counts,
    branch targets and offsets left out (they move with any code change)."""
    out = []
    for _, insn, ld, st, sld, sst in res["workloads"][workload].get("path", []):
        insn = re.sub(r" ?<[^>]+>", "", insn.split(" ; ")[0] +
                      (" (patched)" if " ; patched" in insn else ""))
        # L/S: loads/stores elsewhere (page tables, pages, mm); l/s: stack.
        acc = "".join(" %s%d" % (c, n) for c, n in (
            ("L", ld - sld), ("l", sld), ("S", st - sst), ("s", sst)) if n)
        out.append("%-40s%s" % (insn, acc))
    return out


def render_pathdiff(a, b, workloads=WORKLOADS):
    text = []
    for w in workloads:
        la, lb = path_lines(a, w), path_lines(b, w)
        if not la or not lb:
            raise CountsError("%s: no call path in the results (older run?)" % w)
        d = list(difflib.unified_diff(la, lb, "%s-%s-%s" % (a["state"], a["patch"], a["cpu"]),
                                      "%s-%s-%s" % (b["state"], b["patch"], b["cpu"]),
                                      n=2, lineterm=""))
        text.append("== %s: %d -> %d instructions on the path" % (w, len(la), len(lb)))
        text.extend(d if d else ["(same instructions)"])
    return "\n".join(text)


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError as e:
        raise CountsError("cannot read %s: %s" % (path, e.strerror))


def main(argv):
    ap = argparse.ArgumentParser(prog="gupb answer counts")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("ranges")
    r.add_argument("nm")
    dl = sub.add_parser("delta")
    dl.add_argument("a")
    dl.add_argument("b")
    pd = sub.add_parser("pathdiff")
    pd.add_argument("a")
    pd.add_argument("b")
    pd.add_argument("workload", nargs="*")
    j = sub.add_parser("json")
    for a in ("nm", "raw", "console", "state", "patch", "cpu", "out"):
        j.add_argument("--" + a, required=True)
    j.add_argument("--objdump", help="disassembly of the ranges, for the paths")
    j.add_argument("--source", help="the exact kernel source (package and "
                   "Debian version, or git commit)")
    j.add_argument("--kernel-version", help="its make kernelversion")
    j.add_argument("--mc", help="llvm-mc: the executed sequence as assembly")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "ranges":
            print("\n".join(plugin_args(parse_nm(read(a.nm)))))
        elif a.cmd in ("delta", "pathdiff"):
            try:
                ra, rb = json.loads(read(a.a)), json.loads(read(a.b))
                if a.cmd == "delta":
                    print(render_delta(ra, rb))
                else:
                    bad = [w for w in a.workload if w not in WORKLOADS]
                    if bad:
                        raise CountsError("no workload %s (%s)" % (bad, ", ".join(WORKLOADS)))
                    print(render_pathdiff(ra, rb, a.workload or WORKLOADS))
            except (ValueError, KeyError, TypeError) as e:
                raise CountsError("not a counts result: %s" % e)
        else:
            res = build_result(a.state, a.patch, a.cpu, read(a.nm),
                               read(a.raw), read(a.console),
                               read(a.objdump) if a.objdump else None,
                               a.mc)
            if a.source:
                res["source"] = a.source
            if a.kernel_version:
                res["kernel_version"] = a.kernel_version
            fileio.write_json(a.out, res)
    except CountsError as e:
        print("answer: counts: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
