# SPDX-License-Identifier: GPL-2.0
"""A/A: how noisy is this machine, and what can a comparison resolve?

  aa.py RUN1.json RUN2.json [RUN3.json ...] [-o DIR] [--target 0.02]

The files are runs of the same profile under the same kernel (make aa).
Every pair is compared exactly as make compare would (gupb.stats), so
any verdict other than "no change" is a false one. DIR (default
results/aa) gets:
  aa.txt      at most 80 columns: per workload the A/A spread of the
              geometric mean, the false verdicts, the within-run and
              between-run spread, and the repetitions that would resolve
              --target within one run
  noise.json  the per-workload noise floor (largest A/A change of its
              geometric mean, rounded up to 0.5%, never below --target)
              and each benchmark's (largest change of its run median),
              for
              `gupb compare --noise-file noise.json`
Exit status: 0 done, 2 bad input.
"""
import argparse
import itertools
import math
import os
import sys
import textwrap

import numpy as np
from gupb import stats as ga
from gupb import fileio
from gupb import schema as S

Z95 = 1.96
# Asymptotic efficiency of the median against the mean for normal data:
# the median needs pi/2 times as many samples for the same precision.
MEDIAN_COST = math.pi / 2


def robust_cv(values):
    """Spread of one benchmark's repetitions relative to their median:
    1.4826 * MAD / median (the standard deviation for normal data, not
    moved by one outlier)."""
    v = np.asarray(values, float)
    med = np.median(v)
    if v.size < 2 or med <= 0:
        return float("nan")
    return float(1.4826 * np.median(np.abs(v - med)) / med)


def reps_needed(cv, target):
    """Repetitions per side for a 95% interval of the median ratio
    within +-target, from the within-run spread: two independent medians,
    n >= (pi/2) * 2 * (1.96 * cv / target)^2."""
    if not math.isfinite(cv):
        return None
    if cv == 0:
        return 1
    return int(math.ceil(MEDIAN_COST * 2 * (Z95 * cv / target) ** 2))


def ceil_half_pct(x):
    return math.ceil(x * 200 - 1e-9) / 200


def analyse(files, target=0.02, alpha=0.05):
    """files: loaded results (ga.load). Returns plain data."""
    if len(files) < 2:
        raise ga.InputError("A/A needs at least two runs")
    names = set(files[0]["runs"])
    for f in files[1:]:
        names &= set(f["runs"])
    # pass/fail checks (alias) are not timings: no floor
    names = {n for n in names if not ga.is_check(n)}
    if not names:
        raise ga.InputError("the runs have no measured benchmark in common")
    pairs = []
    # Each pair as one run per side would be with --target as a measured
    # floor: the false verdicts a flat floor gives between two runs.
    flat = {S.family(n): target for n in names}
    for (i, a), (j, b) in itertools.combinations(enumerate(files), 2):
        cmp = ga.compare(a, b, target, alpha, family_noise=flat)
        pairs.append({"a": i, "b": j, "families": cmp["families"],
                      "false": sorted(r["name"] for r in cmp["rows"]
                                      if r["verdict"] in ("slower", "faster"))})
    fams = {}
    for name in sorted(names):
        fam = S.family(name)
        per_run = [f["runs"][name]["time_ns"] for f in files]
        meds = [float(np.median(v)) for v in per_run]
        within = float(np.median([robust_cv(v) for v in per_run]))
        between = (float(np.std(meds, ddof=1) / np.mean(meds))
                   if len(meds) > 1 and np.mean(meds) > 0 else float("nan"))
        reps = min(len(v) for v in per_run)
        # the benchmark's own A/A spread: largest ratio of two runs'
        # medians, symmetric on a log scale
        sp = [max(x / y, y / x) - 1 for x, y in
              itertools.combinations(meds, 2) if x > 0 and y > 0]
        fams.setdefault(fam, []).append({
            "name": name, "reps": reps, "within_cv": within,
            "between_cv": between,
            "noise": (max(target, ceil_half_pct(max(sp)))
                      if sp and reps >= ga.MIN_REPS else None),
            "reps_for_target": reps_needed(within, target)})
    out = {}
    for fam, bs in fams.items():
        changes = [p["families"][fam]["geomean"] - 1 for p in pairs
                   if fam in p["families"]]
        verdicts = [p["families"][fam]["verdict"] for p in pairs
                    if fam in p["families"]]
        false_rows = sum(1 for p in pairs for n in p["false"]
                         if S.family(n) == fam)
        # symmetric on a log scale, as the verdicts are: -50% is 2x
        spread = max((max(1 + c, 1 / (1 + c)) - 1 for c in changes
                      if 1 + c > 0), default=float("nan"))
        within = float(np.nanmedian([b["within_cv"] for b in bs])) \
            if any(math.isfinite(b["within_cv"]) for b in bs) else float("nan")
        between = float(np.nanmedian([b["between_cv"] for b in bs])) \
            if any(math.isfinite(b["between_cv"]) for b in bs) else float("nan")
        need = [b["reps_for_target"] for b in bs
                if b["reps_for_target"] is not None]
        testable = all(b["reps"] >= ga.MIN_REPS for b in bs)
        out[fam] = {
            "benchmarks": len(bs), "reps": min(b["reps"] for b in bs),
            "testable": testable,
            "aa_changes": changes, "aa_spread": spread,
            "false_family_verdicts": sum(v in ("slower", "faster")
                                         for v in verdicts),
            "false_benchmark_verdicts": false_rows,
            "comparisons": len(bs) * len(pairs),
            "within_cv": within, "between_cv": between,
            "reps_for_target": int(np.median(need)) if need else None,
            # Families whose rows are not tested (too few repetitions,
            # e.g. alias: one timed pass) get no floor.
            "noise": (max(target, ceil_half_pct(spread))
                      if testable and math.isfinite(spread) else None),
        }
    ctx = files[0]["context"]
    return {"runs": [f["path"] for f in files], "target": target,
            "alpha": alpha, "kernel": ctx.get("kernel_release"),
            "state": ga.state_of(ctx),
            "cpu_model": ctx.get("cpu_model"),
            "profile": ctx.get("gupbench_profile"),
            "pairs": len(pairs), "families": out,
            # per benchmark: its rows' floor in make compare
            "benchmarks": {b["name"]: {"noise": b["noise"]}
                           for bs in fams.values() for b in bs}}


def pct(x, signed=False):
    if x is None or not math.isfinite(x):
        return "n/a"
    return ("%+.1f%%" if signed else "%.1f%%") % (100 * x)


def text(res):
    t = 100 * res["target"]
    lines = [
        "gupbench A/A: %d runs of profile %s, kernel %s" % (
            len(res["runs"]), res["profile"], res["kernel"]),
        "state %s; %d pairs compared as make compare does, so every" % (
            res["state"], res["pairs"]),
        "verdict is a false one.",
        "spread: largest |change| of the workload's geometric mean over the",
        "pairs; false: wrong verdicts (workload, benchmarks/comparisons);",
        "within/between: median spread of repetitions in a run / of the run",
        "medians; reps: per side to resolve %.0f%% within one run; floor:" % t,
        "the noise floor noise.json gives make compare.",
        "",
        "%-26s %6s %5s %8s %6s %7s %5s %6s" % (
            "workload", "spread", "false", "", "within", "between", "reps",
            "floor"),
    ]
    for fam, f in sorted(res["families"].items()):
        false = "%d/%d" % (f["false_benchmark_verdicts"], f["comparisons"])
        reps = f["reps_for_target"]
        lines.append("%-26s %6s %5d %8s %6s %7s %5s %6s" % (
            fam[:26], pct(f["aa_spread"]), f["false_family_verdicts"], false,
            pct(f["within_cv"]), pct(f["between_cv"]),
            "n/a" if reps is None else (">999" if reps > 999 else str(reps)),
            pct(f["noise"])))
    bad = [k for k, f in res["families"].items()
           if f["between_cv"] is not None and math.isfinite(f["between_cv"])
           and f["between_cv"] > res["target"]]
    if bad:
        lines += [""] + textwrap.wrap(
            "Between-run spread above %.0f%% (%s): more repetitions in one "
            "run do not resolve %.0f%% there; run A and B several times "
            "each, alternating, and compare with the floor above." % (
                t, ", ".join(sorted(bad)), t), 78)
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", metavar="RUN.json")
    ap.add_argument("-o", "--out", default=None,
                    help="output folder (default results/aa)")
    ap.add_argument("--target", type=float, default=0.02,
                    help="the change to resolve (default 0.02 = 2%%)")
    a = ap.parse_args(argv)
    if len(a.files) < 2:
        ap.error("need at least two runs of the same profile")
    if not 0 < a.target < 1:
        ap.error("--target must be in (0, 1)")
    try:
        files = [ga.load(p) for p in a.files]
        for f in files[1:]:
            diffs, _ = ga.context_diff(files[0]["context"], f["context"])
            if any(d["group"] in ("state", "kernel", "host") for d in diffs):
                raise ga.InputError(
                    "%s is not an A/A run of %s (different %s)" % (
                        f["path"], files[0]["path"],
                        ", ".join(sorted({d["key"] for d in diffs}))))
        res = analyse(files, a.target)
    except ga.InputError as e:
        print("aa: %s" % e, file=sys.stderr)
        return 2
    out = a.out or os.path.join(os.environ.get("RESULTS", "results"), "aa")
    os.makedirs(out, exist_ok=True)
    txt = text(res)
    fileio.write_text(os.path.join(out, "aa.txt"), txt)
    fileio.write_json(os.path.join(out, "noise.json"), res)
    sys.stdout.write(txt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
