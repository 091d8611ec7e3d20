# SPDX-License-Identifier: GPL-2.0
"""The answer's model estimates and figure (gupb.answer.report uses it).

Inputs: results/answer/estimate/<state>-<patch>-<cpu>.json from
gupb.answer.mca (llvm-mca on the call the TCG plugin traced).
Per row of the answer (state x run-time state x patch) and per core:
cycles per call of stock and patch, steady state (many back-to-back
calls) and one call from an empty pipeline, and the change. Always a
model estimate under stated assumptions, never a measurement; a row
without both sides says "not estimated", never a default number.
"""
import difflib
import re

from gupb import fileio

MAIN = "gup_fast_only_1page"
CORE_SHORT = {"neoverse-n1": "N1", "neoverse-n2": "N2", "neoverse-v1": "V1",
              "neoverse-v2": "V2"}


def core_name(c):
    return CORE_SHORT.get(c, c)


def cores_of(estimates):
    """Every core an estimate file names, in a stable order."""
    seen = []
    for e in estimates:
        for w in e.get("workloads", {}).values():
            for c in w.get("cores", {}):
                if c not in seen:
                    seen.append(c)
    return sorted(seen, key=lambda c: (c not in CORE_SHORT, c))


def _shape(insn):
    """An instruction without its register numbers and stack offsets:
    a spill slot or register renamed is not a change of the walk."""
    insn = re.sub(r"\[sp, #-?\d+\]", "[sp]", insn)
    insn = re.sub(r"\[sp\], #-?\d+", "[sp]", insn)
    insn = re.sub(r"sp, #\d+", "sp, #_", insn)
    return re.sub(r"\b([xw])\d+\b", r"\1", insn)


def _timeline_of(asm, est):
    """Per instruction of asm, its row of est's one-call timeline, None
    for an instruction the model left out. llvm-mca's timeline has a row
    per modelled instruction ("modelled", asm without the left-out ones,
    in order), so the rows are matched by walking both; without that
    list (older estimates) only a sequence with nothing left out can."""
    tl = est.get("timeline") or []
    modelled = est.get("modelled")
    if modelled is None and not est.get("left_out_count"):
        modelled = asm
    if modelled is None or len(modelled) != len(tl):
        return [None] * len(asm)
    out, j = [], 0
    for insn in asm:
        if j < len(modelled) and modelled[j] == insn:
            out.append(tl[j])
            j += 1
        else:
            out.append(None)
    return out if j == len(modelled) else [None] * len(asm)


def _changed(stock_asm, patch_asm, stock_c, patch_c):
    """The instructions that differ beyond register and stack-slot
    renaming, each with its one-call timeline (dispatched, ready, issued,
    executed, retired); None for an instruction the model left out."""
    sm = difflib.SequenceMatcher(a=[_shape(x) for x in stock_asm],
                                 b=[_shape(x) for x in patch_asm],
                                 autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        for side, asm, lo, hi, est in (("-", stock_asm, i1, i2, stock_c),
                                       ("+", patch_asm, j1, j2, patch_c)):
            tl = _timeline_of(asm, est)
            for k in range(lo, hi):
                out.append({"side": side, "index": k, "insn": asm[k],
                            "timeline": tl[k]})
    return out


def row_estimate(stock, patch, workload=MAIN):
    """Per core for one row: stock and patch cycles, deltas, the
    differing instructions; None where either side is missing."""
    if not stock or not patch:
        return None
    ws, wp = (stock["workloads"].get(workload), patch["workloads"].get(workload))
    if not ws or not wp or "cores" not in ws or "cores" not in wp:
        return None
    out = {"estimator": patch.get("estimator"), "kind": "model estimate",
           "assumptions": patch.get("assumptions"), "cores": {}}
    for c in sorted(set(ws["cores"]) & set(wp["cores"])):
        a, b = ws["cores"][c], wp["cores"][c]
        if "skipped" in a or "skipped" in b:
            out["cores"][c] = {"skipped": a.get("skipped") or b.get("skipped")}
            continue
        out["cores"][c] = {
            "model": b["model"],
            "stock_cycles_per_call": a["cycles_per_call"],
            "patch_cycles_per_call": b["cycles_per_call"],
            "delta_cycles_per_call": round(b["cycles_per_call"]
                                           - a["cycles_per_call"], 2),
            "stock_one_call_cycles": a["one_call_cycles"],
            "stock_bottleneck": a.get("bottleneck"),
            "patch_one_call_cycles": b["one_call_cycles"],
            "delta_one_call_cycles": b["one_call_cycles"] - a["one_call_cycles"],
            "left_out": sorted(set(a["left_out"]) | set(b["left_out"])),
            "changed": _changed(ws["asm"], wp["asm"], a, b),
        }
    return out


def attach(rows, estimates):
    """Adds row["estimate"] to every answer row (analysis/answer.collect):
    a patch run not booted because its code is stock's or an earlier
    patch's (row["same_code_as"]) runs that one's sequence."""
    est = {(e["state"], e["patch"], e["cpu"]): e for e in estimates}
    for r in rows:
        stock = est.get((r["state"], "stock", r["cpu"]))
        patch = est.get((r["state"], r["patch"], r["cpu"]))
        twin = r.get("same_code_as") if patch is None else None
        if twin:
            patch = est.get((r["state"], twin, r["cpu"]))
        r["estimate"] = row_estimate(stock, patch)
        r["estimate_by_identical_code"] = bool(twin and r["estimate"])


def _f(x):
    return "%+.2f" % x if x else "0"


def tables(ans, short, levels):
    """(title, headers, rows) for the report: the change per core, steady
    state and one call, and stock's absolute cycles."""
    rows = [r for r in ans["rows"] if r.get("estimate")]
    cores = ans.get("estimate_cores") or []
    if not cores:
        return []
    est = next(iter(r["estimate"] for r in rows), None)
    label = ("%s, a model estimate, not a measurement (%s)" %
             (est["estimator"] if est else "llvm-mca",
              ", ".join((est or {}).get("assumptions") or [])))
    hw = ans.get("hardware")

    def cell(r, c, key, fmt):
        v = r["estimate"]["cores"].get(c)
        if v is None:
            return "-"
        if "skipped" in v:
            return "no model"
        return fmt(v[key])
    out = []
    for key, what in (("delta_cycles_per_call",
                       "steady state, cycles per call"),
                      ("delta_one_call_cycles",
                       "one call from an empty pipeline (a change here "
                       "means the changed instructions are on the call's "
                       "critical path)")):
        t = []
        for r in rows:
            c0 = r["counts"].get(MAIN)
            dyn = "-" if c0 is None else "%+d/%+d/%+d" % (
                c0["insns"], c0["loads"], c0["stores"])
            line = [short(r["state"]), r["cpu"], r["patch"], dyn] + \
                [cell(r, c, key, _f if key.startswith("delta_cycles")
                      else (lambda x: "%+d" % x if x else "0"))
                 for c in cores]
            if hw:
                line.append(_hw(r))
            t.append(line)
        out.append(("Model estimate of %s, patch - stock, per core: %s; "
                    "dI/L/S = the exact per-call change. %s" %
                    (MAIN, what, label if not out else
                     "Same model and assumptions."),
                    ["state", "cpu", "patch", "dI/L/S"] +
                    [core_name(c) for c in cores] + (["HW time"] if hw else []),
                    t))
    t = []
    seen = set()
    for r in rows:
        k = (r["state"], r["cpu"])
        if k in seen:
            continue
        seen.add(k)
        t.append([short(r["state"]), r["cpu"]] +
                 [cell(r, c, "stock_cycles_per_call", lambda x: "%.2f" % x)
                  + "/" + cell(r, c, "stock_one_call_cycles", str)
                  if "skipped" not in r["estimate"]["cores"].get(c, {})
                  else "no model" for c in cores])
    out.append(("Model estimate, stock: cycles per %s call, steady "
                "state / one call" % MAIN, ["state", "cpu"] +
                [core_name(c) for c in cores], t))

    def busy(r, c):
        v = r["estimate"]["cores"].get(c, {})
        b = v.get("stock_bottleneck")
        return "%s %g" % (b[0], b[1]) if b else "-"
    t = [[short(r["state"]), r["cpu"]] + [busy(r, c) for c in cores]
         for r in {(r["state"], r["cpu"]): r for r in rows}.values()]
    out.append(("Model, stock: the busiest execution unit and its cycles per "
                "call; where it is close to the steady state, the call is "
                "bound by that unit, and only instructions that use it "
                "change the steady state", ["state", "cpu"] +
                [core_name(c) for c in cores], t))
    return out


def _hw(r):
    h = r.get("hardware")
    if not h:
        return "-"
    if len(h) != 1:
        return "%d families: below" % len(h)
    return "%+.1f%%" % ((next(iter(h.values()))["geomean"] - 1) * 100)


def changed_lines(ans, width=78):
    """The differing instructions of each row, first core's one-call
    timeline (issued -> executed cycle), for the report."""
    lines = []
    if any(r.get("estimate") and not r.get("estimate_by_identical_code")
           for r in ans["rows"]):
        lines += ["Instructions that differ (- stock, + patch) in the model's "
                  "timeline of one call: the cycle each issued and finished "
                  "executing.", ""] if width > 100 else [
            "Instructions that differ (- stock, + patch) in the model's",
            "timeline of one call: the cycle each issued and finished", "executing.", ""]
    for r in ans["rows"]:
        e = r.get("estimate")
        if not e or r.get("estimate_by_identical_code"):
            continue
        c = next((c for c in ans.get("estimate_cores", [])
                  if "changed" in e["cores"].get(c, {})), None)
        if c is None or not e["cores"][c]["changed"]:
            continue
        v = e["cores"][c]
        lines.append("%s %s %s, %s, one call %d -> %d cycles "
                     "(issued -> done):" %
                     (r["state"][len("arm64-"):] if r["state"].startswith(
                         "arm64-") else r["state"], r["cpu"], r["patch"],
                      core_name(c),
                      v["stock_one_call_cycles"], v["patch_one_call_cycles"]))
        for ch in e["cores"][c]["changed"]:
            tl = ch["timeline"]
            when = "%d -> %d" % (tl[2], tl[3]) if tl else "not modelled"
            lines.append(("  %s %-34s %s" % (ch["side"], ch["insn"].replace(
                "\t", " "), when))[:width])
        lines.append("")
    return lines


# ---- figure ---------------------------------------------------------------

def figure(ans, path, short):
    """One row per state x CPU x patch: the exact per-call change
    (instructions, loads, stores) and the model's cycle change per core,
    each bar labelled with its number, 0 drawn as a mark, a missing value
    said in words."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator
    rows = ans["rows"]
    cores = ans.get("estimate_cores") or []
    labels = ["%s %s %s" % (short(r["state"]), r["cpu"], r["patch"])
              for r in rows]
    n = max(1, len(rows))
    fig, (ax1, ax2) = plt.subplots(
        1, 2, figsize=(10, 1.5 + 0.6 * n), sharey=True,
        gridspec_kw={"width_ratios": [1, 1]})
    exact = [("insns", "instructions", "#1f77b4"), ("loads", "loads", "#d62728"),
             ("stores", "stores", "#2ca02c")]
    palette = ["#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
    model = [(c, core_name(c), palette[i % len(palette)])
             for i, c in enumerate(cores)]

    def panel(ax, series, get, fmt, title, missing, label=None):
        k = max(1, len(series))
        h = 0.8 / k
        vals = [get(r, s[0]) for r in rows for s in series]
        span = max([abs(v) for v in vals if v is not None] + [1])
        for j, (key, name, color) in enumerate(series):
            for i, r in enumerate(rows):
                y = i + (j - (k - 1) / 2) * h
                v = get(r, key)
                if v is None:
                    continue
                if v == 0:
                    ax.plot([0], [y], marker="D", ms=5, color=color,
                            mec="black", mew=0.5, zorder=3)
                else:
                    ax.barh(y, v, height=h * 0.9, color=color)
                ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), y,
                        (label or fmt)(r, key, v), va="center",
                        ha="left" if v >= 0 else "right", fontsize=8)
        for i, r in enumerate(rows):
            if all(get(r, s[0]) is None for s in series):
                ax.text(0, i, missing(r), va="center", ha="center",
                        fontsize=8, color="dimgray", style="italic",
                        bbox={"fc": "white", "ec": "lightgray"}, zorder=4)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlim(-1.6 * span, 1.6 * span)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        if series:
            ax.legend(handles=[Patch(color=c, label=nm) for _, nm, c in series],
                      fontsize=7, loc="upper center", ncol=len(series),
                      bbox_to_anchor=(0.5, -0.3 / (0.6 * n)),
                      frameon=False)

    def get_exact(r, key):
        c = r["counts"].get(MAIN)
        return None if c is None else c[key]

    def get_model(r, core):
        v = ((r.get("estimate") or {}).get("cores") or {}).get(core) or {}
        return v.get("delta_cycles_per_call")

    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    panel(ax1, exact, get_exact, lambda r, k, v: "%+d" % v if v else "0",
          "exact change per call (TCG plugin)",
          lambda r: "not measured")
    est = next((r["estimate"] for r in rows if r.get("estimate")), None)
    def model_label(r, core, v):
        one = r["estimate"]["cores"][core]["delta_one_call_cycles"]
        return "%s | %s" % ("%+.2f" % v if v else "0", "%+d" % one if one else "0")

    panel(ax2, model, get_model, None,
          "model estimate per core, not a measurement:\ncycles per call, "
          "steady state | one call",
          lambda r: "not estimated" if cores else "not estimated (no llvm-mca)",
          model_label)
    ax1.set_yticks(range(n))
    ax1.set_yticklabels(labels, fontsize=9)
    ax1.set_ylim(n - 0.5, -0.5)
    for i in range(1, n):
        if rows[i]["state"] != rows[i - 1]["state"] or \
                rows[i]["cpu"] != rows[i - 1]["cpu"]:
            for ax in (ax1, ax2):
                ax.axhline(i - 0.5, color="lightgray", lw=0.8)
    fig.suptitle("Patches %s vs stock: change per %s call (source %s)" %
                 (", ".join(ans["patches"]), MAIN, ", ".join(ans["source"])),
                 fontsize=9)
    fig.text(0.5, 0.005, "Model: %s scheduling models of each core; "
             "assumes L1 hits, perfect branch prediction, no TLB misses." %
             (est["estimator"] if est else "llvm-mca"), ha="center",
             va="bottom", fontsize=8, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fileio.atomic(path, lambda f: fig.savefig(f, format="png", dpi=100), "wb")
    plt.close(fig)
