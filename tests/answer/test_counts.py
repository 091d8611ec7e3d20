# SPDX-License-Identifier: GPL-2.0
"""Host-side logic of the exact-count boots (gupb.answer.counts),
without booting: the walk's ranges from a saved `nm -S vmlinux` excerpt,
the conversion of a saved plugin output + guest console to the result
JSON, and the refusals (failed workload, unfinished guest, a call count
that does not match, counts outside any call, truncated plugin output).
Fixtures: tests/answer/fixtures/counts-* from a 16K/52 stock -cpu max boot.
unittest (make check runs it as TAP through tests/tap.py)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
from gupb.answer import counts

FIX = os.path.join(HERE, "fixtures")


def fixture(name):
    with open(os.path.join(FIX, name)) as f:
        return f.read()


def raises(fn, *args):
    try:
        fn(*args)
    except counts.CountsError as e:
        return str(e)
    return None


class Counts(unittest.TestCase):
    """Checks as ok(cond, what, diagnostics), one subtest each."""

    def setUp(self):
        nm, raw, con, dis = (fixture("counts-" + n) for n in (
            "nm.txt", "raw.txt", "console.txt", "objdump.txt"))
        syms = counts.parse_nm(nm)
        args = counts.plugin_args(syms)
        res = counts.build_result("arm64-16k-52-lpa2", "stock", "max", nm,
                                  raw, con)
        rp = counts.build_result("arm64-16k-52-lpa2", "stock", "max", nm,
                                 raw, con, dis)
        self.fx = (nm, raw, con, dis, syms, args, res, rp)

    def ok(self, cond, what, diag=""):
        with self.subTest(what):
            self.assertTrue(cond, "%s\n%s" % (what, diag))

    def test_ranges(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # Ranges: entry first, every out-of-line gup_fast_*, nothing else.
        r = counts.walk_ranges(syms)
        t.ok([x[0] for x in r] == ["gup_fast_fallback", "gup_fast_undo_dev_pagemap",
                                   "gup_fast_folio_allowed"],
             "ranges are gup_fast_fallback then the gup_fast_* helpers", r)
        t.ok(r[0][1] == 0xffffc000800d1970 and r[0][2] == 0xffffc000800d1970 + 0x74c,
             "a range is [address, address + size)", r[0])
        args = counts.plugin_args(syms)
        t.ok(args[-2:] == ["entry=ffffc000800d1970", "marker=ffffc00080035ee8"],
             "entry is gup_fast_fallback, marker is __arm64_sys_getppid", args)
        t.ok("range=ffffc000800cf088-ffffc000800cf0f0-gup_fast_folio_allowed" in args,
             "plugin range argument START-END-NAME", args)

        dup = syms + [("gup_fast_fallback", 0xffffc00080200000, 0x10, "t")]
        t.ok(raises(counts.walk_ranges, dup), "two gup_fast_fallback are refused")
        t.ok(raises(counts.walk_ranges, [s for s in syms if s[0] != "gup_fast_fallback"]),
             "no out-of-line gup_fast_fallback is refused")
        t.ok(raises(counts.plugin_args, [s for s in syms if s[0] != "__arm64_sys_getppid"]),
             "no marker symbol is refused")
        twice = syms + [("gup_fast_folio_allowed", 0xffffc00080300000, 0x20, "t")]
        t.ok([x[0] for x in counts.walk_ranges(twice)][-1] ==
             "gup_fast_folio_allowed@ffffc00080300000",
             "a second static copy of a helper gets its own range")
        over = syms + [("gup_fast_overlap", 0xffffc000800d1980, 0x20, "t")]
        t.ok(raises(counts.walk_ranges, over), "overlapping ranges are refused")

    def test_result(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # The conversion, on the real boot's output.
        res = counts.build_result("arm64-16k-52-lpa2", "stock", "max", nm, raw, con)
        w = res["workloads"]
        t.ok(sorted(w) == sorted(counts.WORKLOADS), "all three workloads", sorted(w))
        g = w["gup_fast_only_1page"]
        t.ok((g["calls"], g["insns_per_call"], g["loads_per_call"],
              g["stores_per_call"], g["exact"]) == (1000, 222, 49, 34, True),
             "gup_fast_only: 1000 calls of exactly 222 insns, 49 loads, 34 stores", g)
        t.ok(g["histogram"] == [{"insns": 222, "loads": 49, "stores": 34, "calls": 1000}],
             "histogram of per-call tuples", g["histogram"])
        t.ok((g["stack_loads_per_call"], g["other_loads_per_call"],
              g["stack_stores_per_call"]) == (37, 12, 32),
             "loads split: 37 to the walk's stack, 12 elsewhere; 32 stack stores", g)
        t.ok(sum(v["insns"] for v in g["per_range"].values()) == g["totals"]["insns"],
             "per-range instructions add up to the total", g["per_range"])
        o = w["odirect_4k"]
        t.ok((o["insns_per_call"], o["loads_per_call"], o["phase"]) == (240, 56, 5),
             "odirect_4k from phase 5", o)
        t.ok((res["state"], res["patch"], res["cpu"], res["kernel"]) ==
             ("arm64-16k-52-lpa2", "stock", "max", "6.12.117"), "identity fields", res)
        t.ok(res["runtime"].get("l4_enabled") == 1, "runtime l4 from the module", res["runtime"])

    def test_path(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # The traced call: its instructions, with the disassembly.
        rp = counts.build_result("arm64-16k-52-lpa2", "stock", "max", nm, raw, con, dis)
        gp = rp["workloads"]["gup_fast_only_1page"]
        t.ok(gp["path_complete"] and len(gp["path"]) == 222 and gp["path"][0] ==
             ["gup_fast_fallback+0x0", "stp x29, x30, [sp, #-208]!", 0, 2, 0, 2],
             "path: 222 instructions from gup_fast_fallback's first", gp.get("path", [])[:1])
        t.ok(all(x[1] != "?" for x in gp["path"]), "every traced PC is in the disassembly")
        patched = [x for x in gp["path"] if "patched at boot" in x[1]]
        t.ok([x[:2] for x in patched] ==
             [["gup_fast_fallback+0x124", "nop ; patched at boot, vmlinux: b <gup_fast_fallback+0x184>"],
              ["gup_fast_fallback+0x26c", "b <gup_fast_fallback+0x274> ; patched at boot, vmlinux: nop"]],
             "alternatives patched at boot show the executed instruction", patched)
        t.ok("path" not in res["workloads"]["futex_shared"], "no path without a disassembly")
        lines = raw.splitlines()
        i = [j for j, l in enumerate(lines) if l.startswith("trace 1 0xffffc000800d1a70 1 0 ")][0]
        lines[i] = lines[i].replace(" 1 0 ", " 0 0 ")
        t.ok(raises(counts.build_result, "s", "stock", "max", nm, "\n".join(lines), con, dis),
             "refused: traced call whose loads differ from every call's")
        b2 = json.loads(json.dumps(rp))
        b2["patch"] = "0001"
        b2["workloads"]["odirect_4k"]["path"].insert(3, ["x", "ldr x9, [sp, #8]", 1, 0, 1, 0])
        pd = counts.render_pathdiff(rp, b2)
        t.ok("+ldr x9, [sp, #8]                         l1" in pd and "== odirect_4k: 240 -> 241" in pd and
             pd.count("(same instructions)") == 2, "pathdiff shows the added load", pd)
        t.ok(raises(counts.render_pathdiff, res, b2), "pathdiff refuses results without paths")

    def test_mixed_calls(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # A phase whose calls differ: not exact, mode and spread given.
        mixed = raw.replace("hist 3 223 49 34 1000", "hist 3 223 49 34 998\nhist 3 225 50 34 2") \
                   .replace("phase 3 calls 1000 insns 223000 loads 49000",
                            "phase 3 calls 1000 insns 223004 loads 49002")
        f = counts.build_result("s", "stock", "max", nm, mixed, con)["workloads"]["futex_shared"]
        t.ok(f["exact"] is False and f["mode"] == {"insns": 223, "loads": 49, "stores": 34}
             and f["spread"] == {"insns": [223, 225], "loads": [49, 50], "stores": [34, 34]}
             and f["insns_per_call"] == 223.004,
             "mixed tuples: exact false, mode, spread, mean per call", f)

    def test_delta(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # Deltas between two results: b - a per call, per workload.
        b = json.loads(json.dumps(res))
        b["patch"] = "0001"
        b["workloads"]["futex_shared"]["loads_per_call"] -= 1
        d = dict(counts.delta(res, b))
        t.ok(d["futex_shared"] == {"insns": 0, "loads": -1, "stores": 0, "other_loads": 0,
                                   "exact": True}
             and d["odirect_4k"]["loads"] == 0, "delta: one load fewer in futex_shared", d)
        txt = counts.render_delta(res, b)
        t.ok("49->48 (-1)" in txt and txt.splitlines()[0] ==
             "arm64-16k-52-lpa2-stock-max -> arm64-16k-52-lpa2-0001-max",
             "delta table names both runs and shows the change", txt)

    def test_refusals(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # Refusals.
        bad = {
            "failed workload": (raw, con.replace("pins=1000", "pins=0").replace(
                "odirect_4k 1000 ok", "odirect_4k 1000 FAIL")),
            "no GUPB-DONE": (raw, con.replace("GUPB-DONE failures=0", "")),
            "module load error": (raw, con + "GUPB-ERROR insmod /gupbench.ko: No such file\n"),
            "missing workload": (raw, "\n".join(l for l in con.splitlines()
                                                if "futex_shared" not in l)),
            "calls mismatch": (raw.replace("phase 1 calls 1000", "phase 1 calls 999"), con),
            "stray counts": (raw.replace("insns 222000 loads 49000 stores 34000 stray 0 0 0",
                                         "insns 222000 loads 49000 stores 34000 stray 3 1 0"), con),
            "truncated plugin output": (raw.rsplit("end", 1)[0], con),
            "bad plugin line": (raw.replace("histlost 1 0", "histlost 1 x"), con),
            "no frame push at entry": (raw.replace("stack 37000 32000 nostack 0",
                                                   "stack 37000 32000 nostack 1"), con),
            "short phase line": (raw.replace(" nostack 0\n", "\n", 1), con),
            "histogram short": (raw.replace("hist 5 240 56 34 1000", "hist 5 240 56 34 999"), con),
        }
        for what, (rw, cn) in bad.items():
            # A fixture edit that matched nothing would test nothing.
            assert (rw, cn) != (raw, con), "fixture edit for %r matched nothing" % what
            t.ok(raises(counts.build_result, "s", "stock", "max", nm, rw, cn),
                 "refused: " + what)

    def test_command_line(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # The command line: writes the file atomically, and nothing on failure.
        with tempfile.TemporaryDirectory() as d:
            paths = {}
            for n, text in (("nm", nm), ("raw", raw), ("console", con),
                            ("badcon", con.replace("GUPB-DONE failures=0", ""))):
                paths[n] = os.path.join(d, n)
                with open(paths[n], "w") as fh:
                    fh.write(text)
            out = os.path.join(d, "out", "x.json")
            cmd = [sys.executable, "-m", "gupb", "answer", "counts",
                   "json", "--nm", paths["nm"], "--raw", paths["raw"], "--state", "s",
                   "--patch", "0001", "--cpu", "neoverse-n1", "--out", out, "--console"]
            p = subprocess.run(cmd + [paths["console"]], capture_output=True, text=True)
            ok = p.returncode == 0 and os.path.exists(out)
            t.ok(ok, "counts.py json writes the result", p.stderr)
            if ok:
                with open(out) as fh:
                    t.ok(json.load(fh)["patch"] == "0001", "result file is JSON")
            t.ok(os.listdir(os.path.dirname(out)) == ["x.json"], "no temporary left over",
                 os.listdir(os.path.dirname(out)))
            os.unlink(out)
            p = subprocess.run(cmd + [paths["badcon"]], capture_output=True, text=True)
            t.ok(p.returncode == 1 and not os.path.exists(out) and "GUPB-DONE" in p.stderr,
                 "unfinished guest: exit 1, a reason, no result file", p.stderr)
            p = subprocess.run(cmd[:5] + ["ranges", paths["nm"]], capture_output=True, text=True)
            t.ok(p.returncode == 0 and p.stdout.splitlines() == args,
                 "counts.py ranges prints the plugin arguments", p.stdout + p.stderr)
            p = subprocess.run(cmd[:5] + ["ranges", os.path.join(d, "missing")],
                               capture_output=True, text=True)
            t.ok(p.returncode == 1 and "cannot read" in p.stderr, "missing nm file: exit 1",
                 p.stderr)

    def test_counts_sh_arguments(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # counts.sh refuses bad arguments before building anything.
        sh = os.path.join(TOP, "scripts", "answer", "counts.sh")
        for args, want in (([], "usage"),
                           (["no-such-state", "none", "max"], "no such fragment"),
                           (["arm64-16k-52-lpa2", "9999", "max"], "configs/patches/9999"),
                           (["arm64-16k-52-lpa2", "/nonexistent.patch", "max"], "no such patch"),
                           (["arm64-16k-52-lpa2", "none", "max,x=1"], "bad CPU")):
            p = subprocess.run([sh] + args, capture_output=True, text=True)
            t.ok(p.returncode == 2 and want in p.stderr,
                 "counts.sh %s: exit 2, says %r" % (" ".join(args) or "(no args)", want),
                 "rc=%d %s" % (p.returncode, p.stderr))

    def test_plugin_builds(self):
        t = self
        nm, raw, con, dis, syms, args, res, rp = self.fx

        # The plugin compiles warning-free against the fetched qemu-plugin.h.
        cache = os.environ.get("CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gupbench")
        inc = os.path.join(cache, "answer", "qemu-plugin", "include", "qemu")
        if not os.path.exists(os.path.join(inc, "qemu-plugin.h")):
            self.skipTest("no qemu-plugin.h yet (scripts/answer/plugin/fetch-header.sh)")
        else:
            with tempfile.TemporaryDirectory() as d:
                p = subprocess.run(["make", "-s", "-C", os.path.join(TOP, "scripts", "answer", "plugin"),
                                    "QEMU_INC=" + inc, "O=" + d], capture_output=True, text=True)
                t.ok(p.returncode == 0 and os.path.exists(os.path.join(d, "gupcount.so")),
                     "gupcount plugin builds with -Wall -Wextra -Werror", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
