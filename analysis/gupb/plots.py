# SPDX-License-Identifier: GPL-2.0
"""Plots of a comparison, PNG and SVG, with matplotlib (Agg)."""
import math
import os

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from gupb import report


def why_not(stem, why):
    """One line on stderr: the plot that cannot be drawn, and why."""
    import sys
    print("compare: %s.png not drawn: %s" % (stem, why), file=sys.stderr)
    return []


def _save(fig, outdir, stem):
    paths = []
    for ext in ("png", "svg"):
        p = os.path.join(outdir, "%s.%s" % (stem, ext))
        fig.savefig(p, dpi=DPI, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths


# The widest x range: 1/CLIP .. CLIP. Every median fits (an A/A pair on a
# loaded host moved some by -55%); an interval end beyond it gets an arrow.
CLIP = 4.0
FONT = 9  # points: legible at the PNG's natural size (DPI 100)
DPI = 100
TICKS = (0.25, 0.5, 0.67, 0.8, 0.9, 0.95, 0.98, 1.0, 1.02, 1.05, 1.1, 1.25,
         1.5, 2, 4)


def title(cmp):
    """B against A, with the patch each side carries."""
    a, b = cmp["a"], cmp["b"]
    return "B: %s%s  vs  A: %s%s" % (b["kernel"], report.patch(b),
                                     a["kernel"], report.patch(a))


def clip_for(intervals, noise, cap=CLIP, points=()):
    """The x range: wide enough for every CI (and twice the noise band),
    never wider than cap, so one outlier cannot squash the rest; always
    wide enough for every point (median) given."""
    need = 1 + 2 * noise
    for lo, hi in intervals:
        for v in (lo, hi):
            if math.isfinite(v) and v > 0:
                need = max(need, v, 1 / v)
    need = min(need * 1.05, cap)
    for v in points:
        if math.isfinite(v) and v > 0:
            need = max(need, 1.05 * max(v, 1 / v))
    return need


def _ratio_axis(ax, noise, clip, bands=None):
    """A log-ratio axis, symmetric around 1, labelled in percent, with the
    noise band drawn: one for the whole axis, or bands [(y0, y1, floor)]
    (each workload's own floor over its rows)."""
    ax.set_xscale("log")
    ax.set_xlim(1 / clip, clip)
    ticks = [t for t in TICKS if 1 / clip <= t <= clip]
    # at most 7 labels: drop the innermost ones first
    while len(ticks) > 7:
        inner = sorted((t for t in ticks if t != 1.0),
                       key=lambda t: abs(math.log(t)))
        ticks.remove(inner[0])
    # and none closer than 1/12 of the axis to a kept one (outer first)
    gap = 2 * math.log(clip) / 12
    kept = [1.0]
    for t in sorted(ticks, key=lambda t: -abs(math.log(t))):
        if t != 1.0 and all(abs(math.log(t / k)) >= gap for k in kept):
            kept.append(t)
    ticks = sorted(kept)
    ax.set_xticks(ticks)
    ax.set_xticklabels(["0" if t == 1.0 else "%+.0f%%" % ((t - 1) * 100)
                        for t in ticks], fontsize=FONT)
    ax.minorticks_off()
    ax.axvline(1.0, color="k", lw=0.8)
    if bands is None:
        ax.axvspan(1 / (1 + noise), 1 + noise, color="0.88", zorder=0)
        return
    for y0, y1, f in bands:
        ax.fill_between([1 / (1 + f), min(1 + f, clip)], y0, y1,
                        color="0.88", zorder=0, lw=0)


def _interval(ax, y, point, lo, hi, color, clip, ms=3):
    """One point with its CI, clipped to the axis; an arrow head marks a
    clipped end (and a point out of range sits on the edge, hollow)."""
    lo = lo if math.isfinite(lo) else point
    hi = hi if math.isfinite(hi) else point
    a, b = max(lo, 1 / clip), min(hi, clip)
    ax.plot([a, b], [y, y], color=color, lw=1.5)
    if lo < 1 / clip:
        ax.plot([1 / clip], [y], "<", color=color, ms=5)
    if hi > clip:
        ax.plot([clip], [y], ">", color=color, ms=5)
    inside = 1 / clip <= point <= clip
    ax.plot([min(max(point, 1 / clip), clip)], [y], "o", ms=ms,
            color=color, mfc=color if inside else "white")


COLORS = {"slower": "tab:red", "faster": "tab:green",
          "no change": "tab:blue", "inconclusive": "tab:gray"}


def legend(ax):
    """What the colours and the grey band mean."""
    from matplotlib.patches import Patch
    from matplotlib.lines import Line2D
    h = [Line2D([], [], color=c, marker="o", lw=1.5, label=v)
         for v, c in COLORS.items()]
    h.append(Patch(color="0.88", label="noise floor"))
    ax.legend(handles=h, fontsize=FONT - 1, loc="upper center",
              bbox_to_anchor=(0.5, -0.06 if len(ax.get_yticks()) > 20
                              else -0.15), ncol=5, frameon=False)


def row_label(r, lab):
    """The one label of a benchmark in every plot: workload, parameters."""
    return "%s  %s" % (r["group"], lab[r["name"]])


def forest_figure(cmp):
    """Ratio B/A with 95% CI per benchmark, grouped by workload, on a
    log-ratio axis (so +10% and -9% are the same distance from 0); each
    workload's rows over its own noise floor."""
    rows = [r for r in cmp["rows"] if math.isfinite(r["ratio"])
            and r["ratio"] > 0]
    rows.sort(key=lambda r: (r["group"], r["name"]))
    lab = report.labels(rows)
    fams = cmp.get("families", {})
    floors = {g: f["noise_floor"] for g, f in fams.items()}
    clip = clip_for([(r["ci_low"], r["ci_high"]) for r in rows],
                    max(floors.values(), default=cmp["noise_floor"]),
                    points=[r["ratio"] for r in rows])
    fig, ax = plt.subplots(figsize=(9, 0.22 * len(rows) + 1.8))
    for y, r in enumerate(rows):
        _interval(ax, y, r["ratio"], r["ci_low"], r["ci_high"],
                  COLORS.get(r["verdict"], "tab:gray"), clip)
    bands, start = [], 0
    for y, r in enumerate(rows + [None]):
        if r is None or r["group"] != rows[start]["group"]:
            g = rows[start]["group"]
            bands.append((start - 0.5, y - 0.5,
                          floors.get(g, cmp["noise_floor"])))
            start = y
        if r is None:
            break
    _ratio_axis(ax, cmp["noise_floor"], clip, bands)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([row_label(r, lab) for r in rows], fontsize=FONT - 1)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("time B/A (95% CI); grey: the workload's noise floor; "
                  "hollow point/arrow: beyond the axis", fontsize=FONT)
    ax.set_title(title(cmp), fontsize=FONT)
    legend(ax)
    return fig


def forest(cmp, outdir):
    return _save(forest_figure(cmp), outdir, "forest")


def summary_figure(cmp):
    """One row per workload: geometric mean of B/A with its CI. Small
    enough to attach to a patch email."""
    fams = sorted(cmp.get("families", {}).items())
    clip = clip_for([(f["ci_low"], f["ci_high"]) for _, f in fams],
                    max([f["noise_floor"] for _, f in fams] +
                        [cmp["noise_floor"]]),
                    points=[f["geomean"] for _, f in fams])
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(fams) + 1.8))
    for y, (g, f) in enumerate(fams):
        _interval(ax, y, f["geomean"], f["ci_low"], f["ci_high"],
                  COLORS.get(f["verdict"], "tab:gray"), clip, ms=4)
    _ratio_axis(ax, cmp["noise_floor"], clip,
                [(y - 0.5, y + 0.5, f["noise_floor"])
                 for y, (g, f) in enumerate(fams)])
    ax.set_yticks(range(len(fams)))
    ax.set_yticklabels(["%s (%d)" % (g, f["n"]) for g, f in fams],
                       fontsize=FONT)
    ax.set_ylim(len(fams) - 0.5, -0.5)
    ax.set_xlabel("time B/A, geometric mean per workload, 95% CI",
                  fontsize=FONT)
    ax.set_title(title(cmp), fontsize=FONT)
    legend(ax)
    return fig


def summary(cmp, outdir):
    if not cmp.get("families"):
        return []
    fig = summary_figure(cmp)
    p = os.path.join(outdir, "summary.png")
    fig.savefig(p, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return [p]


def latency(cmp, outdir):
    """Per-call percentiles of the kernel-timed benchmarks, A vs B."""
    rows = [r for r in cmp["rows"] if "ns_p50" in r["counters"]]
    if not rows:
        return why_not("latency", "no kernel-timed (module) benchmark in "
                       "both results")
    lab = report.labels(rows)
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(rows) + 1.5))
    for i, r in enumerate(rows):
        for side, off, c in (("a", -0.15, "tab:blue"), ("b", 0.15, "tab:orange")):
            key = "%s_median" % side
            pts = [r["counters"][k][key] for k in
                   ("ns_min", "ns_p50", "ns_p90", "ns_p99")
                   if k in r["counters"]]
            ax.plot(pts, [i + off] * len(pts), "-o", color=c, ms=3,
                    label=side.upper() if i == 0 else None)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([row_label(r, lab) for r in rows], fontsize=FONT - 1)
    ax.invert_yaxis()
    ax.set_xlabel("ns per call: min, p50, p90, p99 (kernel-timed)",
                  fontsize=FONT)
    ax.legend()
    return _save(fig, outdir, "latency")


def distributions(cmp, outdir, limit=40):
    """Per-repetition times of A and B, as violins normalised to A's median:
    shows spread and outliers the medians hide."""
    rows = [r for r in cmp["rows"] if r["a_median"] > 0
            and len(r["a_values"]) > 1 and len(r["b_values"]) > 1]
    rows.sort(key=lambda r: -abs(math.log(r["ratio"]))
              if r["ratio"] > 0 else 0)
    rows = rows[:limit]
    if not rows:
        return why_not("distributions", "no benchmark with 2 or more "
                       "repetitions a side")
    lab = report.labels(rows)
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(rows) + 1.5))
    for side, off, c in (("a", -0.18, "tab:blue"), ("b", 0.18, "tab:orange")):
        data = [[v / r["a_median"] for v in r[side + "_values"]] for r in rows]
        parts = ax.violinplot(data, positions=[i + off for i in range(len(rows))],
                              vert=False, widths=0.34, showmedians=True)
        for body in parts["bodies"]:
            body.set_color(c)
        ax.plot([], [], color=c, label=side.upper())
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([row_label(r, lab) for r in rows], fontsize=FONT - 1)
    ax.invert_yaxis()
    ax.set_xlabel("time per repetition / median of A (largest changes "
                  "first), all runs", fontsize=FONT)
    ax.legend()
    return _save(fig, outdir, "distributions")


def grid(walk, outdir):
    """Walk-variant cost by folding state (rows) and variant (columns)."""
    if not walk:
        return why_not("walk_grid", "no module walk (kwalk) result")
    states = sorted(walk)
    variants = ["live", "stack", "generic"]
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(states) + 1.5))
    for j, v in enumerate(variants):
        vals = [walk[s].get(v, float("nan")) for s in states]
        ax.barh([i + (j - 1) * 0.27 for i in range(len(states))], vals,
                height=0.25, label=v)
    ax.set_yticks(range(len(states)))
    ax.set_yticklabels(states, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("walk time per call, ns (median; anon buffers, no contention)")
    ax.legend()
    return _save(fig, outdir, "walk_grid")
