# SPDX-License-Identifier: GPL-2.0
"""Render a comparison (gupb_analysis.compare) as email text or Markdown."""
import math
import os
import re

import gupb_schema as S

WIDTH = 80
VERDICT = {"slower": "SLOWER", "faster": "FASTER", "~": "same", "=": "same",
           "?": "n/a"}


def fmt_ns(ns):
    if not math.isfinite(ns):
        return "-"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= div * 10:
            return "%.1f%s" % (ns / div, unit)
    return "%.0fns" % ns


def fmt_pct(r):
    return "%+.1f%%" % ((r - 1) * 100) if math.isfinite(r) else "-"


def shorten(name, width):
    """Keep the end of long names: the parameters tell rows apart."""
    name = S.base(name)
    for a, b in (("backing:", "b:"), ("layout:", "l:"), ("variant:", "v:"),
                 ("bytes:", ""), ("pages:", "p:")):
        if len(name) > width:
            name = name.replace(a, b)
    if len(name) <= width:
        return name
    return name[:10] + "~" + name[-(width - 11):]


def size(n):
    """4096 -> 4K, 2097152 -> 2M: exact, never rounded."""
    n = int(n)
    for unit, div in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= div and n % div == 0:
            return "%d%s" % (n // div, unit)
    return str(n)


# How a key:value parameter reads in a row label under its family heading.
PARAM = {"backing": lambda v: v, "layout": lambda v: v,
         "variant": lambda v: v, "bytes": size,
         "pages": lambda v: "p" + v, "qd": lambda v: "qd" + v}


def label(name):
    """A benchmark's row label under its family heading: the parameters
    only, shortened without losing any of them."""
    try:
        params = S.parse(name).params
    except ValueError:
        return name
    out = [PARAM[k](v) if k in PARAM else "%s:%s" % (k, v)
           for k, v in params]
    return "/".join(out) or "-"


def labels(rows):
    """Row labels per family, made unique: a label two benchmarks share
    falls back to the full parameter text."""
    lab = {r["name"]: label(r["name"]) for r in rows}
    seen = {}
    for r in rows:
        seen.setdefault((r["group"], lab[r["name"]]), []).append(r["name"])
    for names in seen.values():
        if len(names) > 1:
            for n in names:
                b = S.base(n)
                lab[n] = b.split("/", 1)[1] if "/" in b else b
    return lab


def wrap(line):
    out = []
    while len(line) > WIDTH:
        cut = line.rfind(" ", 0, WIDTH)
        cut = cut if cut > 20 else WIDTH
        out.append(line[:cut])
        line = "  " + line[cut:].lstrip()
    return out + [line]


def patch(side):
    """" stock" / " patch 0001" when the result says (kernel_patch: the
    test bed, or a `make kernel-deb` release), else nothing."""
    p = side.get("patch")
    if not p:
        return ""
    if p in ("none", "stock"):
        return " stock"
    # The test bed writes the patch's file name: its number says it.
    m = re.match(r"(\d{4})-", os.path.basename(p))
    return " patch %s" % (m.group(1) if m else p)


def header(cmp):
    a, b = cmp["a"], cmp["b"]
    lines = ["gupbench: B vs A, median of repetitions, 95% bootstrap CI",
             "A: %s (%s)%s" % (a["kernel"], a["state"], patch(a)),
             "B: %s (%s)%s" % (b["kernel"], b["state"], patch(b)),
             "%s, Mann-Whitney U alpha %.2f; change = B/A-1,"
             % (floor_text(cmp), cmp["alpha"]),
             "positive = B slower"]
    out = []
    for l in lines:
        out += wrap(l)
    return out


def floor_text(cmp):
    """"noise floor 2.0%", or the per-workload floors' range and source
    when an A/A noise file raised them."""
    src = cmp.get("noise_source")
    if not src:
        return "noise floor %.1f%%" % (cmp["noise_floor"] * 100)
    fl = [f["noise_floor"] for f in cmp.get("families", {}).values()]
    return "noise floor per workload %.1f-%.1f%% (%s)" % (
        100 * min(fl, default=cmp["noise_floor"]),
        100 * max(fl, default=cmp["noise_floor"]), src)


VERDICT_SUMMARY = {"slower": "slower", "faster": "faster", "~": "no change",
                   "?": "n/a"}


def fmt_ci(lo, hi):
    return "%s..%s" % (fmt_pct(lo), fmt_pct(hi))


def summary(cmp, width=75):
    """The block above the --- of a commit message: kernels and states,
    per workload the geometric-mean change with its CI and verdict, the
    noise floor. At most 75 columns."""
    a, b = cmp["a"], cmp["b"]
    out = []
    for side, d in (("A", a), ("B", b)):
        out.append("%s: %s%s" % (side, d["kernel"], patch(d)))
        out.append("   %s" % d["state"])
    out.append("")
    out.append("Time B/A per workload: geometric mean over its benchmarks,")
    out.append("95%% bootstrap CI; %s." % floor_text(cmp))
    per = bool(cmp.get("noise_source"))
    fmt = "  %-26s %3s %7s  %-17s" + (" %5s" if per else "%s") + " %s"
    out.append(fmt % ("workload", "n", "change", "95% CI",
                      "floor" if per else "", "verdict"))
    for g, f in sorted(cmp.get("families", {}).items()):
        fl = "%.1f%%" % (100 * f.get("noise_floor", cmp["noise_floor"]))
        out.append(fmt % (g[:26], f["n"], fmt_pct(f["geomean"]),
                          fmt_ci(f["ci_low"], f["ci_high"]),
                          fl if per else "", VERDICT_SUMMARY[f["verdict"]]))
    lines = []
    for line in out:
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > 10 else width
            lines.append(line[:cut])
            line = "   " + line[cut:].lstrip()
        lines.append(line)
    return "\n".join(lines) + "\n"


def text(cmp):
    """The email table: at most 80 columns, rows grouped under their
    family; a label too long for its column gets a line of its own."""
    out = header(cmp)
    for w in cmp["warnings"]:
        out += wrap("WARNING: " + w)
    out.append("")
    fmt = "  %-29s %8s %8s %7s %-15s %6s"
    out.append(fmt % ("benchmark", "A", "B", "change", "95% CI", "result"))
    out.append("-" * WIDTH)
    lab = labels(cmp["rows"])
    group = None
    for r in sorted(cmp["rows"], key=lambda r: (r["group"], r["name"])):
        if r["group"] != group:
            group = r["group"]
            out.append(group)
        name = lab[r["name"]]
        if len(name) > 29:
            out.append("  " + name)
            name = ""
        ci = fmt_ci(r["ci_low"], r["ci_high"])
        out.append(fmt % (name, fmt_ns(r["a_median"]), fmt_ns(r["b_median"]),
                          fmt_pct(r["ratio"]), ci[:15], VERDICT[r["verdict"]]))
    out.append("-" * WIDTH)
    if cmp["only_a"] or cmp["only_b"]:
        out.append("only in A: %d, only in B: %d (listed in comparison.json)"
                   % (len(cmp["only_a"]), len(cmp["only_b"])))
        for n in cmp["only_a"][:5]:
            out.append("  A only: " + shorten(n, WIDTH - 10))
        for n in cmp["only_b"][:5]:
            out.append("  B only: " + shorten(n, WIDTH - 10))
    return "\n".join(l[:WIDTH] for l in out) + "\n"


def parse_text(txt):
    """Read table.txt back: {(family, label): number of rows}. Labels
    have no spaces; a long label stands alone on its line and its numbers
    follow on the next one, under an empty label column."""
    rows, group, pending = {}, None, None
    body = txt.split("-" * WIDTH + "\n")[1]
    for line in body.splitlines():
        words = line.split()
        if not line.startswith(" "):
            group = line
            continue
        if len(words) == 1:
            pending = words[0]
            continue
        key = pending if line[2] == " " else words[0]
        pending = None
        rows[(group, key)] = rows.get((group, key), 0) + 1
    return rows


def markdown(cmp):
    out = ["# gupbench comparison", ""]
    out += ["    " + l for l in header(cmp)]
    out.append("")
    for w in cmp["warnings"]:
        out.append("> **warning**: " + w)
    out += ["", "| benchmark | A | B | change | 95% CI | p | verdict |",
            "|---|---:|---:|---:|---|---:|---|"]
    for r in cmp["rows"]:
        out.append("| `%s` | %s | %s | %s | %s..%s | %.3g | %s |" % (
            r["name"], fmt_ns(r["a_median"]), fmt_ns(r["b_median"]),
            fmt_pct(r["ratio"]), fmt_pct(r["ci_low"]), fmt_pct(r["ci_high"]),
            r["p"], VERDICT[r["verdict"]]))
    out += ["", "## Counters (per iteration, B/A)", "",
            "| benchmark | counter | A | B | change | verdict |",
            "|---|---|---:|---:|---:|---|"]
    for r in cmp["rows"]:
        for k, c in r["counters"].items():
            out.append("| `%s` | %s | %.4g | %.4g | %s | %s |" % (
                r["name"], k, c["a_median"], c["b_median"],
                fmt_pct(c["ratio"]), VERDICT[c["verdict"]]))
    return "\n".join(out) + "\n"
