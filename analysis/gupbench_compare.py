#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Compare gupbench result files between kernels.

  gupbench_compare.py A.json B.json [C.json ...] [-o DIR] [--noise 0.02]
                      [--noise-file results/aa/noise.json]

The first file is the baseline; each further file is compared with it.
For each comparison, DIR (default results/compare-<A>-vs-<B>) gets:
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
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gupb_analysis as ga  # noqa: E402
import gupb_io  # noqa: E402
import report  # noqa: E402


def stem(path):
    """A short name for a file; the folder's when the file's says nothing
    (the test bed writes results/vm/<state>/result.json)."""
    base = os.path.splitext(os.path.basename(path))[0]
    if base == "result":
        base = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return base[:60]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", metavar="RESULT.json",
                    help="result files from make bench; the first is the baseline")
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
    ap.add_argument("--no-plots", action="store_true", help="text and JSON only")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="do not print the table")
    a = ap.parse_args(argv)
    if len(a.files) < 2:
        ap.error("need at least two result files")
    if not 0 <= a.noise < 1 or not 0 < a.alpha < 1:
        ap.error("--noise must be in [0, 1) and --alpha in (0, 1)")
    try:
        files = [ga.load(p) for p in a.files]
        base = files[0]
        fam_noise, src, aa_cpu = (ga.load_noise(a.noise_file)
                                  if a.noise_file else (None, None, None))
        outs = []
        for other in files[1:]:
            cmp = ga.compare(base, other, a.noise, a.alpha, fam_noise, src)
            if aa_cpu and aa_cpu != base["context"].get("cpu_model"):
                cmp["warnings"].append(
                    "noise floors were measured on another CPU (%s)" % aa_cpu)
            if a.out and len(files) == 2:
                out = a.out
            else:
                parent = a.out or os.path.join(os.path.dirname(
                    os.path.abspath(base["path"])))
                out = os.path.join(parent, "compare-%s-vs-%s" % (
                    stem(base["path"]), stem(other["path"])))
            os.makedirs(out, exist_ok=True)
            txt = report.text(cmp)
            summ = report.summary(cmp)
            for name, data in (("table.txt", txt), ("summary.txt", summ),
                               ("table.md", report.markdown(cmp)),
                               ("comparison.json",
                                json.dumps(cmp, indent=1, default=str))):
                gupb_io.write_text(os.path.join(out, name), data)
            if not a.no_plots:
                import plots
                plots.forest(cmp, out)
                plots.summary(cmp, out)
                plots.latency(cmp, out)
                plots.distributions(cmp, out)
                plots.grid(ga.walk_grid(files), out)
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
