# SPDX-License-Identifier: GPL-2.0
"""Render a comparison (gupb_analysis.compare) as email text or Markdown."""
import math

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
    name = name.replace("/real_time", "").replace("/manual_time", "")
    for a, b in (("backing:", "b:"), ("layout:", "l:"), ("variant:", "v:"),
                 ("bytes:", ""), ("pages:", "p:")):
        if len(name) > width:
            name = name.replace(a, b)
    if len(name) <= width:
        return name
    return name[:10] + "~" + name[-(width - 11):]


def wrap(line):
    out = []
    while len(line) > WIDTH:
        cut = line.rfind(" ", 0, WIDTH)
        cut = cut if cut > 20 else WIDTH
        out.append(line[:cut])
        line = "  " + line[cut:].lstrip()
    return out + [line]


def patch(side):
    return " patch %s" % side["patch"] if side.get("patch") else ""


def header(cmp):
    a, b = cmp["a"], cmp["b"]
    lines = ["gupbench: B vs A, median of repetitions, 95% bootstrap CI",
             "A: %s (%s)%s" % (a["kernel"], a["state"], patch(a)),
             "B: %s (%s)%s" % (b["kernel"], b["state"], patch(b)),
             "noise floor %.1f%%, Mann-Whitney U alpha %.2f; change = B/A-1,"
             % (cmp["noise_floor"] * 100, cmp["alpha"]),
             "positive = B slower"]
    out = []
    for l in lines:
        out += wrap(l)
    return out


def text(cmp):
    """The email table: at most 80 columns."""
    out = header(cmp)
    for w in cmp["warnings"]:
        out += wrap("WARNING: " + w)
    out.append("")
    fmt = "%-31s %8s %8s %7s %-15s %6s"
    out.append(fmt % ("benchmark", "A", "B", "change", "95% CI", "result"))
    out.append("-" * WIDTH)
    for r in cmp["rows"]:
        ci = "%s..%s" % (fmt_pct(r["ci_low"]), fmt_pct(r["ci_high"]))
        out.append(fmt % (shorten(r["name"], 31), fmt_ns(r["a_median"]),
                          fmt_ns(r["b_median"]), fmt_pct(r["ratio"]),
                          ci[:15], VERDICT[r["verdict"]]))
    out.append("-" * WIDTH)
    out.append("geometric mean of B/A per workload:")
    for g, v in sorted(cmp["geomean"].items()):
        out.append("  %-40s %+.1f%%" % (g[:40], (v - 1) * 100))
    if cmp["only_a"] or cmp["only_b"]:
        out.append("only in A: %d, only in B: %d (listed in comparison.json)"
                   % (len(cmp["only_a"]), len(cmp["only_b"])))
        for n in cmp["only_a"][:5]:
            out.append("  A only: " + shorten(n, WIDTH - 10))
        for n in cmp["only_b"][:5]:
            out.append("  B only: " + shorten(n, WIDTH - 10))
    return "\n".join(l[:WIDTH] for l in out) + "\n"


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
