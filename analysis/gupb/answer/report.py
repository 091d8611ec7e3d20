# SPDX-License-Identifier: GPL-2.0
"""The answer report: what the live top-level reload costs, per state.

Plain functions that return data (load_dir, collect, hardware) and
separate rendering (text, markdown, figure), as in Google Benchmark's
tools/gbench/report.py. Inputs, all under results/answer/:
  codegen/<state>.json  gupb answer codegen (required)
  counts/*.json         exact per-call counts from the TCG plugin
  alias/*.json          correctness of the top-level alias, per boot
and, optionally, two hardware result files (Google Benchmark JSON from
`make bench`) compared with gupb.stats.
Outputs: report.txt (at most 80 columns), report.md (same content),
answer.png and answer.json, each written atomically.
"""
import argparse
import glob
import json
import os
import sys

from gupb import fileio
from gupb.fileio import InputError
from gupb.answer import codegen as answer_codegen
from gupb.answer import estimate as answer_estimate
from gupb.answer import step


WORKLOADS = ["gup_fast_only_1page", "futex_shared", "odirect_4k"]
MAIN = "gup_fast_only_1page"
WALK = "mm/gup.o:gup_fast_fallback"
WIDTH = 80
DIFF_LINES = 24


def load_dir(d, required=()):
    """Every *.json in d (missing directory: none), checked for keys."""
    docs = []
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        doc = fileio.read_json(path)
        if not isinstance(doc, dict):
            raise InputError("%s: not a JSON object" % path)
        missing = [k for k in required if k not in doc]
        if missing:
            raise InputError("%s: lacks %s" % (path, ", ".join(missing)))
        doc["_path"] = path
        docs.append(doc)
    return docs


def short(state):
    return state[len("arm64-"):] if state.startswith("arm64-") else state


def size(n):
    return "%dK" % (n // 1024)


def count_deltas(stock, patch):
    """Per workload: patch minus stock per call, or None if either side
    did not measure it (never a default number)."""
    out = {}
    for w in sorted(set(WORKLOADS) | set((stock or {}).get("workloads", {}))
                    | set((patch or {}).get("workloads", {}))):
        a = (stock or {}).get("workloads", {}).get(w)
        b = (patch or {}).get("workloads", {}).get(w)
        if not a or not b:
            out[w] = None
            continue
        out[w] = {k: b[k + "_per_call"] - a[k + "_per_call"]
                  for k in ("insns", "loads", "stores")}
        out[w]["exact"] = bool(a.get("exact")) and bool(b.get("exact"))
        out[w]["stock"] = {k: a[k + "_per_call"]
                           for k in ("insns", "loads", "stores")}
    return out


def collect(codegen, counts=(), alias=()):
    """Rows of the answer: one per state x run-time state x patch."""
    cnt = {(c["state"], c["patch"], c["cpu"]): c for c in counts}
    ali = {(a["state"], a["patch"], a["cpu"]): a for a in alias}
    rows = []
    for doc in sorted(codegen, key=lambda d: (d["static_levels"],
                                              d["page_size"], d["va_bits"])):
        stock_fn = doc["functions"].get("stock", {})
        for rt in doc["runtime_states"]:
            for p, pd in sorted(doc["patches"].items()):
                fns = doc["functions"].get(p, {})
                walk = None
                if WALK in stock_fn and WALK in fns:
                    walk = {k: fns[WALK][k] - stock_fn[WALK][k]
                            for k in ("insns", "loads", "stores", "frame")}
                key = (doc["state"], p, rt["cpu"])
                stock_counts = cnt.get((doc["state"], "stock", rt["cpu"]))
                patch_counts = cnt.get(key)
                same = pd["effect"][rt["cpu"]] == "none"
                twin = None
                if same and patch_counts is None:
                    # Identical code runs identically: stock's counts are
                    # the patch's (make answer does not boot it).
                    patch_counts = stock_counts
                    twin = "stock" if stock_counts is not None else None
                elif patch_counts is None:
                    # ... and so do an earlier patch's (scripts/answer/runs.py)
                    twin = answer_codegen.same_code_as(doc, p)
                    patch_counts = cnt.get((doc["state"], twin, rt["cpu"]))
                    if patch_counts is None:
                        twin = None
                rows.append({
                    "state": doc["state"], "page_size": doc["page_size"],
                    "va_bits": rt["va_bits"],
                    "config_va_bits": doc["va_bits"],
                    "static_levels": doc["static_levels"],
                    "runtime_levels": rt["levels"], "cpu": rt["cpu"],
                    "patch": p, "effect": pd["effect"][rt["cpu"]],
                    "changed_functions": pd["changed_functions"],
                    "walk_static_delta": walk,
                    "counts": count_deltas(stock_counts, patch_counts),
                    "counts_by_identical_code": twin is not None,
                    "same_code_as": twin,
                    "alias": ali.get(key),
                    "alias_stock": ali.get((doc["state"], "stock",
                                            rt["cpu"])),
                })
    return rows


def excerpts(codegen, lines=DIFF_LINES):
    """Per state and patch: what changed in gup_fast_fallback beyond
    register renaming (answer_codegen's excerpt), and the names of the
    other functions that changed (their diffs are in the codegen JSON)."""
    out = []
    for doc in sorted(codegen, key=lambda d: d["state"]):
        for p, pd in sorted(doc["patches"].items()):
            if not pd["diff"]:
                continue
            body = pd.get("excerpt", {}).get(WALK)
            if body is None and WALK in pd["diff"]:
                body = [l for l in pd["diff"][WALK].splitlines()
                        if not l.startswith(("---", "+++"))]
                if len(body) > lines:
                    body = body[:lines] + ["... %d more lines" %
                                           (len(body) - lines)]
            out.append({"state": doc["state"], "patch": p,
                        "function": WALK if body is not None else None,
                        "lines": body or [],
                        "others": [k for k in sorted(pd["diff"])
                                   if k != WALK]})
    return out


def hardware(a_path, b_path):
    """Time change B/A with its CI from two Google Benchmark result files,
    via gupb.stats (None when not given)."""
    if not a_path and not b_path:
        return None
    if not (a_path and b_path):
        raise InputError("hardware results need both HW_A and HW_B")
    from gupb import stats as ga
    try:
        cmp = ga.compare(ga.load(a_path), ga.load(b_path))
    except ga.InputError as e:
        raise InputError(str(e))
    cmp["a"]["context"] = ga.load(a_path)["context"]
    cmp["b"]["context"] = ga.load(b_path)["context"]
    return {
        "a": cmp["a"], "b": cmp["b"], "warnings": cmp["warnings"],
        "rows": [{k: r[k] for k in ("name", "ratio", "ci_low", "ci_high",
                                    "p", "verdict")} for r in cmp["rows"]],
        "families": cmp["families"],
    }


def _patch_name(p):
    return "stock" if p in (None, "", "none", "stock") else p


def hw_match(rows, hw):
    """The rows the hardware comparison measured: B's folding state
    (page size, VA bits, static and run-time levels) and B's patch, A
    being stock. Marks them with the comparison's family summary."""
    if not hw:
        return []
    a, b = hw["a"]["context"], hw["b"]["context"]
    if _patch_name(a.get("kernel_patch")) != "stock":
        return []
    want = (b.get("page_size"), b.get("config_va_bits"),
            b.get("config_pgtable_levels"), b.get("pgtable_levels_runtime"),
            _patch_name(b.get("kernel_patch")))
    hits = []
    for r in rows:
        have = (str(r["page_size"]), str(r["config_va_bits"]),
                str(r["static_levels"]), str(r["runtime_levels"]),
                r["patch"])
        if have == want:
            r["hardware"] = hw["families"]
            hits.append("%s %s %s" % (short(r["state"]), r["cpu"],
                                      r["patch"]))
    return hits


def build(codegen, counts=(), alias=(), hw=None, estimates=()):
    """Everything the renderers need, as plain data (also answer.json)."""
    if not codegen:
        raise InputError("no codegen results: run `make answer` first")
    patches = sorted({p for d in codegen for p in d["patches"]})
    rows = collect(codegen, counts, alias)
    answer_estimate.attach(rows, estimates)
    if hw:
        hw["matches"] = hw_match(rows, hw)
    return {
        "source": sorted({"%s (%s)" % (d.get("source", "?"),
                                       d["kernel_version"])
                          if d.get("kernel_version") else d.get("source", "?")
                          for d in codegen}),
        "patches": patches,
        "rows": rows,
        "excerpts": excerpts(codegen),
        "hardware": hw,
        "have_counts": bool(counts),
        "have_alias": bool(alias),
        "estimate_cores": answer_estimate.cores_of(estimates),
    }


# ---- rendering ----------------------------------------------------------

def _num(x):
    if x is None:
        return "-"
    if isinstance(x, float) and not x.is_integer():
        return "%+.2f" % x
    return "%+d" % x


def _triple(c):
    """Per-call change as insns/loads/stores; never a default number."""
    if c is None:
        return "not measured"
    return "%s/%s/%s%s" % (_num(c["insns"]), _num(c["loads"]),
                           _num(c["stores"]), "" if c["exact"] else "~")


def _levels(r):
    if r["runtime_levels"] == r["static_levels"]:
        return str(r["static_levels"])
    return "%d>%d" % (r["static_levels"], r["runtime_levels"])


def _alias(a):
    if not a:
        return "-"
    return "%s%s" % ("alias" if a.get("alias_confirmed") else "no-alias",
                     " >va" if a.get("accepted_above_va") else "")


def tables(ans):
    """(title, headers, rows) tuples: the report's content, shared by the
    text and Markdown renderers."""
    out = []
    rows = ans["rows"]
    t = []
    for r in rows:
        c = r["counts"].get(MAIN)
        dyn = _triple(c)
        if r["counts_by_identical_code"] and c is not None:
            dyn = "=code " + dyn
        t.append([short(r["state"]), size(r["page_size"]),
                  str(r["va_bits"]), _levels(r), r["cpu"], r["patch"],
                  r["effect"], dyn])
    out.append(("Effect per state and patch; per-call change (patch - "
                "stock) of %s: instructions/loads/stores, ~ = not exact, "
                "=code = not booted, the code is stock's or an earlier patch's"
                % MAIN,
                ["state", "page", "VA", "lvl", "cpu", "patch", "effect",
                 "dInsn/Ld/St"], t))
    t = []
    for r in rows:
        w = r["walk_static_delta"]
        if w is None or r["cpu"] != _first_cpu(rows, r["state"]):
            continue
        t.append([short(r["state"]), r["patch"], _num(w["insns"]),
                  _num(w["loads"]), _num(w["stores"]), _num(w["frame"]),
                  str(len(r["changed_functions"]))])
    out.append(("Static codegen of gup_fast_fallback: patch - stock "
                "(instructions, loads, stores, frame bytes; functions "
                "changed)", ["state", "patch", "insns", "loads", "stores",
                             "frame", "changed"], t))
    if ans["have_counts"]:
        t = []
        for r in rows:
            if not any(r["counts"].values()):
                continue
            for w, c in sorted(r["counts"].items()):
                if w == MAIN:
                    continue
                t.append([short(r["state"]), r["cpu"], r["patch"], w,
                          _triple(c)])
        out.append(("Per-call change, other workloads",
                    ["state", "cpu", "patch", "workload", "dInsn/Ld/St"],
                    t))
    out += answer_estimate.tables(ans, short, _levels)
    if ans["have_alias"]:
        t = [[short(r["state"]), r["cpu"], r["patch"],
              _alias(r["alias_stock"]), _alias(r["alias"])] for r in rows
             if r["alias_stock"] or r["alias"]]
        out.append(("Top-level alias above the run-time VA size (>va: "
                    "GUP-fast accepted such an address)",
                    ["state", "cpu", "patch", "stock", "patch"], t))
    hw = ans["hardware"]
    if hw:
        def pct(x):
            return "%+.1f%%" % ((x - 1) * 100)

        def ci(lo, hi):
            return "[%+.1f, %+.1f]" % ((lo - 1) * 100, (hi - 1) * 100)
        t = [["family " + f, pct(v["geomean"]), ci(v["ci_low"], v["ci_high"]),
              v["verdict"]] for f, v in sorted(hw["families"].items())]
        t += [[r["name"], pct(r["ratio"]), ci(r["ci_low"], r["ci_high"]),
               r["verdict"]] for r in hw["rows"]]
        out.append(("Hardware: %s (%s) -> %s (%s), time B/A with 95%% CI; "
                    "rows of the first table: %s" %
                    (hw["a"]["state"], _patch_name(hw["a"]["patch"]),
                     hw["b"]["state"], _patch_name(hw["b"]["patch"]),
                     ", ".join(hw.get("matches") or ["none matches"])),
                    ["benchmark", "change", "CI %", "verdict"], t))
    return out


def _first_cpu(rows, state):
    return next(r["cpu"] for r in rows if r["state"] == state)


def _cut(s, width):
    return s if len(s) <= width else s[:width - 1] + "~"


def render_text_table(headers, rows, width=WIDTH):
    cols = len(headers)
    w = [max(len(str(x[i])) for x in [headers] + rows) for i in range(cols)]
    # A long first column (benchmark names) gives way to the page width.
    over = sum(w) + 2 * (cols - 1) - width
    if over > 0:
        w[0] = max(8, w[0] - over)
    lines = []
    for x in [headers] + rows:
        cells = [_cut(str(c), w[i]) for i, c in enumerate(x)]
        lines.append("  ".join(c.ljust(w[i]) if i == 0 or not _numeric(c)
                               else c.rjust(w[i])
                               for i, c in enumerate(cells)).rstrip())
    lines.insert(1, "  ".join("-" * n for n in w))
    return lines


def _numeric(s):
    return s[:1] in "+-0123456789" and s != "-"


def _wrap(text, width=WIDTH):
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = (line + " " + word).strip()
    return out + ([line] if line else [])


def _intro(ans):
    return [
        "gupbench answer: the cost of re-reading the top-level entry from "
        "the live table in arm64's lockless GUP walk, stock vs each patch "
        "in configs/patches/, per folding state.",
        "Source: %s. Patches: %s. Effect: none = identical code; "
        "codegen-only = code differs, but the patch is a no-op in that "
        "run-time state; semantic = the walk does something else (reads another "
        "location, checks more). "
        "Counts are exact (QEMU TCG plugin), per GUP-fast call." %
        (", ".join(ans["source"]), " ".join(ans["patches"])),
    ]


EXCERPT_TITLE = ("Codegen diffs of gup_fast_fallback, normalised, beyond "
                 "register and stack-slot renaming (full diffs of every "
                 "changed function: codegen/<state>.json)")


def _fn(fid):
    """'mm/gup.o:gup_fast_fallback' -> 'gup_fast_fallback (gup.o)'."""
    if not fid:
        return "-"
    obj, _, name = fid.partition(":")
    return "%s (%s)" % (name, os.path.basename(obj))


def text(ans):
    lines = []
    for para in _intro(ans):
        lines += _wrap(para) + [""]
    for title, headers, rows in tables(ans):
        lines += _wrap(title) + [""]
        lines += render_text_table(headers, rows) + [""]
    lines += answer_estimate.changed_lines(ans, WIDTH)
    lines += _wrap(EXCERPT_TITLE) + [""]
    for e in ans["excerpts"]:
        lines.append("%s, patch %s: %s" % (short(e["state"]), e["patch"],
                                           _fn(e["function"])))
        lines += ["  " + _cut(l, WIDTH - 2) for l in e["lines"]]
        if e["others"]:
            lines += ["  " + l for l in _wrap(
                "also changed: " + ", ".join(_fn(k) for k in e["others"]),
                WIDTH - 2)]
        lines.append("")
    return "\n".join(l.rstrip() for l in lines).rstrip() + "\n"


def markdown(ans):
    lines = ["# gupbench answer", ""]
    for para in _intro(ans):
        lines += [para, ""]
    for title, headers, rows in tables(ans):
        lines += ["## " + title, "",
                  "| " + " | ".join(headers) + " |",
                  "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
        lines.append("")
    changed = answer_estimate.changed_lines(ans, 200)  # [intro, "", ...]
    if changed:
        lines += ["## Instructions that differ, model timeline of one call",
                  "", "```"] + changed[2:-1] + ["```", ""]
    lines += ["## " + EXCERPT_TITLE, ""]
    for e in ans["excerpts"]:
        lines += ["### %s, patch %s: %s" % (short(e["state"]), e["patch"],
                                            _fn(e["function"])), ""]
        if e["lines"]:
            lines += ["```diff"] + e["lines"] + ["```", ""]
        if e["others"]:
            lines += ["also changed: " +
                      ", ".join(_fn(k) for k in e["others"]), ""]
    return "\n".join(lines).rstrip() + "\n"


def figure(ans, path):
    """answer_estimate.figure: per state x CPU x patch, the exact per-call
    change and the model's cycle change per core."""
    answer_estimate.figure(ans, path, short)


def only_states(states, d, *kinds):
    """Each list of step outputs restricted to states; a state without
    codegen (the first list) is an error."""
    have = {doc["state"] for doc in kinds[0]}
    missing = [x for x in states if x not in have]
    if missing:
        raise InputError("%s/codegen: no codegen of %s: run make "
                         "answer-codegen" % (d, ", ".join(missing)))
    return [[doc for doc in k if doc["state"] in states] for k in kinds]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="results/answer",
                    help="results/answer directory (inputs and outputs)")
    ap.add_argument("--hw-a", help="hardware result file, kernel A")
    ap.add_argument("--hw-b", help="hardware result file, kernel B")
    ap.add_argument("--no-figure", action="store_true")
    ap.add_argument("--no-alias", action="store_true",
                    help="leave the alias verdicts out (ANSWER_ALIAS=0)")
    ap.add_argument("--states", help="only these folding states (comma "
                    "or space separated; make passes ANSWER_STATES): the "
                    "folder may hold others from earlier runs, which this "
                    "answer did not make")
    ap.add_argument("--since", type=float,
                    help="when this make started: inputs stamped before "
                    "it are reported as taken from cache")
    a = ap.parse_args(argv)
    if a.since is not None:
        for line in step.provenance(a.dir, a.since):
            if a.no_alias and line.startswith("alias:"):
                line = "alias: left out (ANSWER_ALIAS=0)"
            print("answer: input %s" % line, file=sys.stderr)
    try:
        codegen = load_dir(os.path.join(a.dir, "codegen"),
                           ("state", "patches", "functions",
                            "runtime_states"))
        counts = load_dir(os.path.join(a.dir, "counts"),
                          ("state", "patch", "cpu", "workloads"))
        alias = [] if a.no_alias else load_dir(
            os.path.join(a.dir, "alias"), ("state", "patch", "cpu"))
        estimates = load_dir(os.path.join(a.dir, "estimate"),
                             ("state", "patch", "cpu", "workloads"))
        if a.states:
            codegen, counts, alias, estimates = only_states(
                a.states.replace(",", " ").split(), a.dir, codegen, counts,
                alias, estimates)
        ans = build(codegen, counts, alias, hardware(a.hw_a, a.hw_b),
                    estimates)
    except InputError as e:
        print("answer: %s" % e, file=sys.stderr)
        return 1
    txt = text(ans)
    too_wide = [l for l in txt.splitlines() if len(l) > WIDTH]
    if too_wide:
        print("answer: report line over %d columns: %r" % (WIDTH,
                                                           too_wide[0]),
              file=sys.stderr)
        return 1
    fileio.atomic(os.path.join(a.dir, "report.txt"), lambda f: f.write(txt))
    fileio.atomic(os.path.join(a.dir, "report.md"),
            lambda f: f.write(markdown(ans)))
    fileio.atomic(os.path.join(a.dir, "answer.json"),
            lambda f: json.dump(ans, f, indent=1, sort_keys=True))
    if not a.no_figure:
        figure(ans, os.path.join(a.dir, "answer.png"))
    print(txt, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
