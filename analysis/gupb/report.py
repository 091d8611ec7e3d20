# SPDX-License-Identifier: GPL-2.0
"""Render a comparison (gupb.stats.compare) as email text or Markdown."""
import math
import os
import re

from gupb import schema as S

WIDTH = 80


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


def wrap(line, width=WIDTH, indent="  "):
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        cut = cut if cut > 20 else width
        out.append(line[:cut])
        line = indent + line[cut:].lstrip()
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


def side_lines(name, d):
    """Who a side is: file(s), date, version, profile, repetitions, runs,
    kernel, folding state in words."""
    files = d.get("paths") or [d.get("path", "?")]
    dirs = {os.path.dirname(f) for f in files}
    if len(files) == 1:
        where = os.path.basename(files[0])
    elif len(dirs) == 1 and dirs != {""}:
        where = "%s/ (%d files)" % (os.path.basename(dirs.pop()),
                                    len(files))
    else:
        where = "%s +%d more" % (os.path.basename(files[0]), len(files) - 1)
    date = d.get("date_first", "?")[:16].replace("T", " ")
    if d.get("date_last", date)[:16].replace("T", " ") != date:
        date += " .. " + d["date_last"][11:16]
    runs = d.get("runs", 1)
    return ["%s: %s%s" % (name, d["kernel"], patch(d)),
            "   %s" % d.get("state_words", d.get("state", "?")),
            "   %d run%s x %s reps, profile %s, gupbench %s" % (
                runs, "" if runs == 1 else "s", d.get("reps", "?"),
                d.get("profile", "?"), d.get("version", "?")),
            "   %s, %s" % (where, date)]


def header(cmp):
    lines = ["gupbench: B vs A, mean of run medians, 95% hierarchical "
             "bootstrap CI"]
    for side in ("A", "B"):
        lines += side_lines(side, cmp[side.lower()])
    lines += ["%s; change = B/A-1, positive = B slower" % floor_text(cmp),
              "verdict: " + MEANING]
    out = []
    for l in lines:
        out += wrap(l)
    return out


MEANING = ("slower/faster: CI excludes 0 and the change is beyond "
           "the floor; no change: the whole CI inside the floor; "
           "inconclusive: neither")


def floor_text(cmp):
    """"noise floor 2.0%", or the per-workload floors' range and source
    when an A/A noise file raised them."""
    fl = [f["noise_floor"] for f in cmp.get("families", {}).values()]
    src = cmp.get("noise_source")
    if not src and cmp.get("one_run"):
        return "1 run per side: noise floor %.0f%% (default)" % (
            100 * max(fl, default=cmp.get("default_one_run_floor", 1.0)))
    if not src:
        return "noise floor %.1f%%" % (cmp["noise_floor"] * 100)
    return "noise floor per workload %.1f-%.1f%% (%s)" % (
        100 * min(fl, default=cmp["noise_floor"]),
        100 * max(fl, default=cmp["noise_floor"]), src)


def fmt_ci(lo, hi):
    return "%s..%s" % (fmt_pct(lo), fmt_pct(hi))


def fmt_ci_short(lo, hi):
    """"-5.1..+3.2" (percent, no % signs): 13 columns or fewer."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "-"
    return "%s..%s" % tuple(("%+.0f" if abs(x - 1) >= 1 else "%+.1f")
                            % ((x - 1) * 100) for x in (lo, hi))


def fmt_pct_short(r):
    """fmt_pct in at most 7 columns: no decimal from +100% on."""
    if not math.isfinite(r):
        return "-"
    return ("%+.0f%%" if abs(r - 1) >= 1 else "%+.1f%%") % ((r - 1) * 100)


def verdict_text(v, why=""):
    return v


def check_lines(cmp):
    """The checks block: pass / fail / not run per check and side."""
    cs = cmp.get("checks") or []
    if not cs:
        return []
    out = ["Checks (pass/fail, not timings): A / B"]
    for c in cs:
        try:
            n = S.parse(c["name"])
            lab = "%s %s" % (n.family, n.get("entry") or label(c["name"]))
        except ValueError:
            lab = c["name"]
        out.append("  %-28s %s / %s" % (lab[:28], c["a"], c["b"]))
    why = {}
    for c in cs:
        for s, w in (("a", "A"), ("b", "B")):
            if c[s] != "pass" and c[s + "_why"]:
                r = c[s + "_why"].split(";")[0]
                why.setdefault(r, set()).add(w)
    for r, w in sorted(why.items())[:4]:
        out += wrap("  %s: %s" % ("+".join(sorted(w)), r), WIDTH - 5, "    ")
    return out


def summary(cmp, width=75):
    """The block above the --- of a commit message: both sides, per
    workload the geometric-mean change with its CI, floor and verdict,
    every warning, the checks. At most 75 columns."""
    out = []
    for side in ("A", "B"):
        out += side_lines(side, cmp[side.lower()])
    out.append("")
    out.append("Time B/A per workload: geometric mean over its benchmarks,")
    out.append("95% hierarchical bootstrap CI (runs, then repetitions);")
    out.append("%s." % floor_text(cmp))
    out.append(MEANING + ".")
    fmt = "  %-22s %3s %7s %-17s %5s %s"
    out.append(fmt % ("workload", "n", "change", "95% CI", "floor",
                      "verdict"))
    for g, f in sorted(cmp.get("families", {}).items()):
        fl = "%.1f%%" % (100 * f.get("noise_floor", cmp["noise_floor"]))
        out.append(fmt % (g[:22], f["n"], fmt_pct(f["geomean"]),
                          fmt_ci(f["ci_low"], f["ci_high"]),
                          fl, f["verdict"]))
    reasons = sorted({f["why"] for f in cmp.get("families", {}).values()
                      if f["verdict"] == "inconclusive" and f.get("why")})
    if reasons:
        out.append("  inconclusive: " + "; ".join(reasons))
    if cmp["warnings"]:
        out.append("")
        for w in cmp["warnings"]:
            out.append("WARNING: " + w)
    cl = check_lines(cmp)
    if cl:
        out.append("")
        out += cl
    lines = []
    for line in out:
        lines += wrap(line, width, "   ")
    return "\n".join(lines) + "\n"


def block_unit(rows):
    """One time unit for a workload's rows: the largest in which its
    smallest median is at least 1."""
    m = min((min(r["a_median"], r["b_median"]) for r in rows
             if math.isfinite(r["a_median"]) and math.isfinite(r["b_median"])),
            default=1.0)
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if m >= div:
            return unit, div
    return "ns", 1.0


def fmt_in(ns, div):
    if not math.isfinite(ns):
        return "-"
    v = ns / div
    return "%.0f" % v if v >= 1000 else ("%.1f" % v if v >= 10 else
                                         "%.2f" % v)


TIME_WORD = {"cpu_time": "cpu", "real_time": "real", "manual_time": "real"}


def text(cmp):
    """The email table: at most 80 columns, rows grouped under their
    workload (its unit, its floor and verdict on the heading line); a
    label too long for its column gets a line of its own."""
    out = header(cmp)
    for w in cmp["warnings"]:
        out += wrap("WARNING: " + w)
    out.append("")
    fmt = "  %-20s %8s %8s %7s %-13s %4s %s"
    out.append(fmt % ("benchmark", "A", "B", "change", "95% CI %",
                      "time", "verdict"))
    out.append("-" * WIDTH)
    lab = labels(cmp["rows"])
    fams = cmp.get("families", {})
    by = {}
    for r in cmp["rows"]:
        by.setdefault(r["group"], []).append(r)
    for group in sorted(by):
        rows = sorted(by[group], key=lambda r: r["name"])
        unit, div = block_unit(rows)
        f = fams.get(group)
        head = "%s [%s]" % (group, unit)
        if f:
            own = any(abs(r.get("noise_floor", f["noise_floor"]) -
                          f["noise_floor"]) > 1e-9 for r in rows)
            head += "  %s, floor %.1f%%%s: %s" % (
                fmt_pct(f["geomean"]), 100 * f["noise_floor"],
                " (rows: own)" if own else "", f["verdict"])
        out.append(head[:WIDTH])
        for r in rows:
            name = lab[r["name"]]
            if len(name) > 20:
                out.append("  " + name)
                name = ""
            out.append(fmt % (name, fmt_in(r["a_median"], div),
                              fmt_in(r["b_median"], div),
                              fmt_pct_short(r["ratio"]),
                              fmt_ci_short(r["ci_low"], r["ci_high"]),
                              TIME_WORD.get(r.get("time"), "real"),
                              r["verdict"]))
    out.append("-" * WIDTH)
    why = sorted({r["why"] for r in cmp["rows"]
                  if r["verdict"] == "inconclusive" and r.get("why")})
    if why:
        out += wrap("inconclusive: " + "; ".join(why))
    if cmp["only_a"] or cmp["only_b"]:
        out.append("only in A: %d, only in B: %d (listed in comparison.json)"
                   % (len(cmp["only_a"]), len(cmp["only_b"])))
        for n in cmp["only_a"][:5]:
            out.append("  A only: " + shorten(n, WIDTH - 10))
        for n in cmp["only_b"][:5]:
            out.append("  B only: " + shorten(n, WIDTH - 10))
    cl = check_lines(cmp)
    if cl:
        out.append("")
        out += cl
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
            group = line.split(" [")[0]
            continue
        if len(words) == 1:
            pending = words[0]
            continue
        key = pending if line[2] == " " else words[0]
        pending = None
        rows[(group, key)] = rows.get((group, key), 0) + 1
    return rows


def parse_verdicts(txt):
    """table.txt back: ({workload: verdict}, {workload: [row verdicts]})."""
    fams, rows, group = {}, {}, None
    body = txt.split("-" * WIDTH + "\n")[1]
    for line in body.splitlines():
        if not line.startswith(" "):
            group = line.split(" [")[0]
            fams[group] = line.rsplit(": ", 1)[1] if ": " in line else None
            rows[group] = []
            continue
        for v in ("no change", "inconclusive", "faster", "slower"):
            if line.endswith(" " + v):
                rows[group].append(v)
    return fams, rows


def markdown(cmp):
    out = ["# gupbench comparison", ""]
    out += ["    " + l for l in header(cmp)]
    out.append("")
    for w in cmp["warnings"]:
        out.append("> **warning**: " + w)
    out += ["", "## Workloads", "",
            "| workload | n | change | 95% CI | floor | verdict |",
            "|---|---:|---:|---|---:|---|"]
    for g, f in sorted(cmp.get("families", {}).items()):
        out.append("| %s | %d | %s | %s | %.1f%% | %s |" % (
            g, f["n"], fmt_pct(f["geomean"]), fmt_ci(f["ci_low"],
                                                     f["ci_high"]),
            100 * f["noise_floor"], f["verdict"]))
    out += ["", "## Benchmarks", "",
            "| benchmark | time | A | B | change | 95% CI | floor | verdict |",
            "|---|---|---:|---:|---:|---|---:|---|"]
    for r in cmp["rows"]:
        out.append("| `%s` | %s | %s | %s | %s | %s..%s | %.1f%% | %s |" % (
            r["name"], TIME_WORD.get(r.get("time"), "real"),
            fmt_ns(r["a_median"]), fmt_ns(r["b_median"]),
            fmt_pct(r["ratio"]), fmt_pct(r["ci_low"]), fmt_pct(r["ci_high"]),
            100 * r.get("noise_floor", cmp["noise_floor"]),
            r["verdict"] + (" (%s)" % r["why"] if r.get("why") else "")))
    out += ["", "## Counters (per iteration, B/A; counts, no verdict)", "",
            "| benchmark | counter | unit | A | B | change |",
            "|---|---|---|---:|---:|---:|"]
    for r in cmp["rows"]:
        for k, c in r["counters"].items():
            u = S.counter(k)
            out.append("| `%s` | %s | %s | %.4g | %.4g | %s |" % (
                r["name"], k, u.unit if u else "", c["a_median"],
                c["b_median"], fmt_pct(c["ratio"])))
    if cmp.get("checks"):
        out += ["", "## Checks (pass/fail)", "", "| check | A | B |",
                "|---|---|---|"]
        for c in cmp["checks"]:
            out.append("| `%s` | %s %s | %s %s |" % (
                c["name"], c["a"], c["a_why"], c["b"], c["b_why"]))
    return "\n".join(out) + "\n"
