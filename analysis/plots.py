# SPDX-License-Identifier: GPL-2.0
"""Plots of a comparison, PNG and SVG, with matplotlib (Agg)."""
import math
import os

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _save(fig, outdir, stem):
    paths = []
    for ext in ("png", "svg"):
        p = os.path.join(outdir, "%s.%s" % (stem, ext))
        fig.savefig(p, dpi=110, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths


def forest(cmp, outdir):
    """Ratio B/A with 95% CI per benchmark, grouped by workload."""
    rows = [r for r in cmp["rows"] if math.isfinite(r["ratio"])]
    rows.sort(key=lambda r: (r["group"], r["name"]))
    fig, ax = plt.subplots(figsize=(9, 0.22 * len(rows) + 1.5))
    ys = range(len(rows))
    colors = {"slower": "tab:red", "faster": "tab:green"}
    for y, r in zip(ys, rows):
        lo = r["ci_low"] if math.isfinite(r["ci_low"]) else r["ratio"]
        hi = r["ci_high"] if math.isfinite(r["ci_high"]) else r["ratio"]
        c = colors.get(r["verdict"], "tab:gray")
        ax.plot([lo, hi], [y, y], color=c, lw=1.5)
        ax.plot([r["ratio"]], [y], "o", color=c, ms=3)
    ax.axvline(1.0, color="k", lw=0.8)
    nf = cmp["noise_floor"]
    ax.axvspan(1 - nf, 1 + nf, color="0.9", zorder=0)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([r["name"].replace("/real_time", "")
                        .replace("/manual_time", "") for r in rows],
                       fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("time ratio B/A (median, 95% bootstrap CI); "
                  "grey band: noise floor")
    ax.set_title("%s  vs  %s" % (cmp["b"]["kernel"], cmp["a"]["kernel"]),
                 fontsize=9)
    return _save(fig, outdir, "forest")


def latency(cmp, outdir):
    """Per-call percentiles of the kernel-timed benchmarks, A vs B."""
    rows = [r for r in cmp["rows"] if "ns_p50" in r["counters"]]
    if not rows:
        return []
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
    ax.set_yticklabels([r["name"].replace("/manual_time", "") for r in rows],
                       fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("ns per call: min, p50, p90, p99 (kernel-timed)")
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
        return []
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
    ax.set_yticklabels([r["name"].replace("/real_time", "")
                        .replace("/manual_time", "") for r in rows],
                       fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("time per repetition / median of A (largest changes first)")
    ax.legend()
    return _save(fig, outdir, "distributions")


def grid(walk, outdir):
    """Walk-variant cost by folding state (rows) and variant (columns)."""
    if not walk:
        return []
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
