# SPDX-License-Identifier: GPL-2.0
"""The answer on several kernel sources side by side (make answer with
two or more ANSWER_KERNELS): per state, CPU and patch, the static change
of gup_fast_fallback and the exact per-call change of the main workload,
one column per source, each headed by the exact source version it was
built from (results/answer/<base>/answer.json, gupb answer report).

usage: gupb answer versions [--out FILE] ANSWER_JSON...
Rows where the sources differ are marked "differs", rows missing on a
source "partial". Each differing row is then explained from the counted
sequences (gupb.answer.explain): per source, the part of the per-call
change that is the patch's own code, its branch layout and the
compiler's register allocation (stack spills and reloads, register
moves), and which of these differ between the sources.
"""
import argparse
import sys
from gupb.answer import explain as X
from gupb.answer import report as A
from gupb import fileio


def load(path):
    doc = fileio.read_json(path)
    try:
        doc["rows"], doc["source"]
    except (KeyError, TypeError) as e:
        raise A.InputError("%s: not an answer.json (%s)" % (path, e))
    return doc


def _cell(r):
    if r is None:
        return "-"
    w = r.get("walk_static_delta")
    static = "%+d" % w["insns"] if w else "?"
    return "%s %s" % (static, A._triple(r["counts"].get(A.MAIN)))


def side_by_side(docs):
    """(headers, rows, sources): one row per (state, cpu, patch) found in
    any source, one column per source."""
    keys = []
    per = []
    for d in docs:
        m = {}
        for r in d["rows"]:
            k = (r["state"], r["cpu"], r["patch"])
            m[k] = r
            if k not in keys:
                keys.append(k)
        per.append(m)
    rows = []
    for k in keys:
        cells = [_cell(m.get(k)) for m in per]
        have = [c for c in cells if c != "-"]
        note = ("differs" if len(set(have)) > 1 else
                "partial" if len(have) < len(cells) else "")
        rows.append([A.short(k[0]), k[1], k[2]] + cells + [note])
    heads = ["state", "cpu", "patch"] + ["src%d" % (i + 1)
                                         for i in range(len(docs))] + [""]
    return heads, rows, [", ".join(d["source"]) for d in docs]


def _counted(r):
    c = r["counts"].get(A.MAIN) if r else None
    return {k: c[k] for k in ("insns", "loads", "stores")} if c else None


def why(docs):
    """[(row key, [(source index, parts line or None)], verdict)] for every
    (state, cpu, patch) whose per-call change differs between sources."""
    per = [{(r["state"], r["cpu"], r["patch"]): r for r in d["rows"]}
           for d in docs]
    out = []
    for k in [k for d in per for k in d]:
        if k in [o[0] for o in out]:
            continue
        have = [(i, m[k]) for i, m in enumerate(per)
                if m.get(k) and _counted(m[k])]
        cells = set(A._triple(r["counts"].get(A.MAIN)) for _, r in have)
        if len(have) < 2 or len(cells) < 2:
            continue
        ps = [(i, X.of_row(r), _counted(r)) for i, r in have]
        lines = [(i, X.text(p, c) if p else None) for i, p, c in ps]
        known = [p for _, p, _ in ps if p]
        if len(known) < len(ps):
            verdict = ("not explained: a source counted the call but kept "
                       "no sequence of it (counted before the estimate step)")
        else:
            d = X.differ(known)
            if "code" in d:
                verdict = "the patch's own code differs between the sources"
            else:
                verdict = ("the patch's own code is the same on every "
                           "source; they differ in %s" %
                           (" and ".join(d) or "what lies outside the walk"))
        out.append((k, lines, verdict))
    return out


def why_text(docs):
    out = []
    for (state, cpu, patch), lines, verdict in why(docs):
        out += A._wrap("%s %s %s: %s." % (A.short(state), cpu, patch, verdict))
        for i, l in lines:
            out += ["  " + x for x in A._wrap(
                "src%d: %s" % (i + 1, l or "no counted sequence"),
                A.WIDTH - 2)]
    if not out:
        return []
    return A._wrap("Why the per-call change differs (the differing "
                   "instructions of one call, gupb.answer.explain: 'code' is "
                   "what the patch compiled to; branches are its branch "
                   "layout; stack loads/stores and register moves are the "
                   "compiler's register allocation around it):") + [""] + \
        out + [""]


def text(docs):
    heads, rows, sources = side_by_side(docs)
    out = A._wrap("gupbench answer on %d kernel sources side by side: per "
                  "cell, the static change of gup_fast_fallback's "
                  "instructions, then the exact per-call change of %s "
                  "(instructions/loads/stores, patch - stock; ~ = not "
                  "exact)." % (len(docs), A.MAIN)) + [""]
    for i, s in enumerate(sources):
        out += A._wrap("src%d: %s" % (i + 1, s))
    out += [""] + A.render_text_table(heads, rows) + [""]
    if any(r[-1] == "differs" for r in rows):
        out += A._wrap("differs: the change is not the same on every "
                       "source; below, why, where both were counted; each "
                       "source's report.txt shows its codegen excerpt.") + [""]
        out += why_text(docs)
    if any(r[-1] == "partial" for r in rows):
        out += A._wrap("partial: not measured on every source ('-').") + [""]
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out")
    ap.add_argument("answers", nargs="+")
    a = ap.parse_args(argv)
    try:
        docs = [load(p) for p in a.answers]
    except A.InputError as e:
        print("answer_versions: %s" % e, file=sys.stderr)
        return 1
    txt = text(docs)
    if a.out:
        fileio.atomic(a.out, lambda f: f.write(txt))
    print(txt, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
