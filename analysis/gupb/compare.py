# SPDX-License-Identifier: GPL-2.0
"""Compare gupbench result files between kernels.

  gupb compare -A a1.json -A a2.json -B results/runs-b/ [-o DIR]
              [--noise 0.02] [--noise-file results/aa/noise.json]
  gupb compare A.json|A-dir B.json|B-dir [C ...]

A side is one run (a result file) or several: repeated -A/-B, or a
folder of result files (make bench RUNS=N writes one). The run is the
unit: the interval is a hierarchical bootstrap (runs, then repetitions),
and with one run a side a change is called only beyond the A/A floor
(--noise-file) or a conservative default. Positional sides: the first is
the baseline; each further one is compared with it.
For each comparison, DIR (default results/compare-<A>-vs-<B>) gets:
  summary.txt      at most 75 columns, for the commit message
  summary.png      the same per workload
  table.txt        plain text, at most 80 columns, for a patch email
  table.md         Markdown, with counters
  comparison.json  every number of the comparison
  forest.png/svg   ratios B/A with 95% CIs, per workload
  latency.png/svg  per-call percentiles of the kernel-timed benchmarks
  distributions.png/svg  per-repetition times of A and B (violins)
  walk_grid.png/svg  walk-variant cost by folding state (all inputs)
Exit status: 0 done, 2 bad input (missing file, invalid JSON, not a
gupbench result, nothing in common).
"""
import argparse
import os
import sys
from gupb import stats as ga
from gupb import fileio
from gupb import report


def stem(path):
    """A short name for a file; the folder's when the file's says nothing
    (the test bed writes results/vm/<state>/result.json)."""
    if os.path.isdir(path):
        return os.path.basename(os.path.abspath(path))[:60]
    base = os.path.splitext(os.path.basename(path))[0]
    if base == "result":
        base = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return base[:60]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", metavar="RESULT",
                    help="one side each: a result file or a folder of runs; "
                    "the first is the baseline")
    ap.add_argument("-A", action="append", default=[], metavar="RESULT",
                    help="a run (file or folder) of side A; repeatable")
    ap.add_argument("-B", action="append", default=[], metavar="RESULT",
                    help="a run (file or folder) of side B; repeatable")
    ap.add_argument("-o", "--out", help="output folder (one comparison) or "
                    "parent folder (several); default results/compare-A-vs-B")
    ap.add_argument("--noise", type=float, default=0.02,
                    help="noise floor: smaller changes never count (default 0.02 = 2%%)")
    ap.add_argument("--noise-file", metavar="NOISE.json",
                    help="per-workload noise floors from A/A runs (make aa: "
                    "results/aa/noise.json); each is used where it is above "
                    "--noise")
    ap.add_argument("--alpha", type=float, default=0.05,
                    help="significance level of the Mann-Whitney U test (default 0.05)")
    ap.add_argument("--inject-b", type=float, metavar="FACTOR",
                    help="self-check: multiply every time of B (each run, "
                    "each repetition) by FACTOR, e.g. 1.10 for a known +10%% "
                    "change, to see what this data can resolve; the header "
                    "says so")
    ap.add_argument("--no-plots", action="store_true", help="text and JSON only")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="do not print the table")
    a = ap.parse_args(argv)
    if bool(a.A) != bool(a.B) or (a.A and a.files):
        ap.error("give both -A and -B, and no positional sides with them")
    sides = [a.A, a.B] if a.A else [[f] for f in a.files]
    if len(sides) < 2:
        ap.error("need at least two sides (A and B)")
    if not 0 <= a.noise < 1 or not 0 < a.alpha < 1:
        ap.error("--noise must be in [0, 1) and --alpha in (0, 1)")
    if a.inject_b is not None and not 0 < a.inject_b < 100:
        ap.error("--inject-b must be a factor in (0, 100)")
    try:
        files = [ga.load_side(p) for p in sides]
        base = files[0]
        fam_noise, src, aa_cpu = (ga.load_noise(a.noise_file)
                                  if a.noise_file else (None, None, None))
        outs = []
        if a.inject_b is not None:
            files[1:] = [ga.inject(f, a.inject_b) for f in files[1:]]
        for other in files[1:]:
            cmp = ga.compare(base, other, a.noise, a.alpha, fam_noise, src)
            if a.inject_b is not None:
                cmp["warnings"].insert(0, "B's times multiplied by %g "
                                       "(--inject-b): a self-check, not a "
                                       "measurement" % a.inject_b)
            if aa_cpu and aa_cpu != base["files"][0]["context"].get(
                    "cpu_model"):
                cmp["warnings"].append(
                    "noise floors were measured on another CPU (%s)" % aa_cpu)
            if a.out and len(files) == 2:
                out = a.out
            else:
                parent = a.out or os.environ.get("RESULTS") or \
                    os.path.dirname(os.path.abspath(sides[0][0].rstrip("/")))
                out = os.path.join(parent, "compare-%s-vs-%s" % (
                    stem(sides[0][0].rstrip("/")),
                    stem(sides[files.index(other)][0].rstrip("/"))))
            os.makedirs(out, exist_ok=True)
            txt = report.text(cmp)
            summ = report.summary(cmp)
            for name, data in (("table.txt", txt), ("summary.txt", summ),
                               ("table.md", report.markdown(cmp))):
                fileio.write_text(os.path.join(out, name), data)
            fileio.write_json(os.path.join(out, "comparison.json"), cmp)
            if not a.no_plots:
                from gupb import plots
                plots.forest(cmp, out)
                plots.summary(cmp, out)
                plots.latency(cmp, out)
                plots.distributions(cmp, out)
                plots.grid(ga.walk_grid([f for s in files
                                         for f in s["files"]]), out)
            if not a.quiet:
                sys.stdout.write(summ + "---\n" + txt)
            for w in cmp["warnings"]:
                print("warning: " + w, file=sys.stderr)
            outs.append(out)
        for o in outs:
            print("compare: wrote %s" % o, file=sys.stderr)
    except ga.InputError as e:
        print("compare: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
