# SPDX-License-Identifier: GPL-2.0
"""gupbench result analysis: plain functions that return data.

load() reads and validates result files, load_side() one side's runs
(files or folders), context_diff() says what differs between them,
compare() pairs benchmarks by name and computes, per benchmark, the
ratio B/A of the mean run medians with a hierarchical bootstrap 95%
confidence interval (runs, then repetitions in each run), and one
verdict (decide(): faster / slower / no change / inconclusive) for rows
and workloads alike; counters get their ratio, no verdict; pass/fail
checks (alias) go to a checks list, not the timings. Rendering (text, Markdown, plots) lives in report.py/plots.py.
"""
import math
import os

import sys

try:
    import numpy as np
    from scipy import stats
except ImportError as _e:  # one line naming the Debian package, no traceback
    sys.exit("gupbench analysis: Python module '%s' is missing: apt-get "
             "install python3-%s (or: make deps)" % (_e.name, _e.name))

from gupb import schema as S
from gupb.fileio import InputError, read_json  # noqa: F401 (callers: ga.InputError)

# Context keys that define a like-for-like comparison.
STATE_KEYS = ["arch", "page_size", "config_pgtable_levels", "config_va_bits",
              "pgtable_l4_enabled", "pgtable_l5_enabled",
              "pgtable_levels_runtime"]
HOST_KEYS = ["cpu_model", "cpu_midr", "host_name", "num_cpus"]
RUN_KEYS = ["gupbench_profile", "emulated", "qemu_cpu", "hw_counters"]
KERNEL_KEYS = ["kernel_release", "kernel_version", "kernel_patch",
               "kernel_fragment"]
MIN_REPS = 5


def time_field(name):
    """The time field a benchmark declares as its measure (see
    gupb.schema.time_kind: real_time for .../real_time and
    .../manual_time, else cpu_time: futex and vmsplice, the calling
    thread's own work)."""
    return "cpu_time" if S.time_kind(name) == "cpu_time" else "real_time"


def load(path):
    """Read one result file; return {'path', 'context', 'runs', 'skips'}.

    runs maps benchmark name -> {'time_ns': [...], 'counters': {k: [...]}}
    with one value per repetition (iteration runs, not aggregates)."""
    doc = read_json(path)
    if not isinstance(doc, dict) or "benchmarks" not in doc:
        raise InputError("%s: not a Google Benchmark JSON file" % path)
    ctx = doc.get("context", {})
    if "gupbench_schema" not in ctx:
        raise InputError("%s: not a gupbench result (no gupbench_schema "
                         "in context)" % path)
    runs, skips = {}, {}
    for b in doc["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = b["name"]
        kind, why = S.outcome(b)
        if kind != "measured":
            # As written on libbenchmark 1.7.1 ("skipped: ..." or
            # "error: ..."), whichever form the file has.
            skips[name] = "%s: %s" % (kind, why)
            continue
        r = runs.setdefault(name, {"time_ns": [], "counters": {}})
        r["time_ns"].append(b[time_field(name)] *
                            S.UNIT_NS.get(b.get("time_unit", "ns"), 1))
        # Claims (claim_*) are what a benchmark promised, not
        # measurements: never compared.
        for k, v in S.measured_counters(b).items():
            r["counters"].setdefault(k, []).append(float(v))
    return {"path": path, "context": ctx, "runs": runs, "skips": skips}


def state_words(ctx):
    """The folding state in words: "4K pages, 4 levels, 47-bit user VA"
    (run-time levels when the kernel says, else its configuration;
    "tcg" when emulated)."""
    ps = ctx.get("page_size", "?")
    ps = "%dK" % (int(ps) // 1024) if str(ps).isdigit() else ps
    lv = ctx.get("pgtable_levels_runtime", "unknown")
    cfg = ctx.get("config_pgtable_levels", "?")
    if lv in ("unknown", None):
        lvs = "%s levels (configured)" % cfg
    elif lv != cfg:
        lvs = "%s levels (%s configured, folded at run time)" % (lv, cfg)
    else:
        lvs = "%s levels" % lv
    va = ctx.get("alias_va_bits_runtime") or ctx.get("config_va_bits", "?")
    out = "%s pages, %s, %s-bit user VA" % (ps, lvs, va)
    if ctx.get("config_lpa2") == "y":
        out += ", LPA2"
    if ctx.get("emulated", "no") != "no":
        out += ", emulated"
    return out


def state_of(ctx):
    """A short label of the folding state a file was measured in."""
    ps = ctx.get("page_size", "?")
    ps = "%dK" % (int(ps) // 1024) if ps.isdigit() else ps
    lv = ctx.get("pgtable_levels_runtime", "unknown")
    if lv == "unknown":
        lv = "cfg" + ctx.get("config_pgtable_levels", "?")
    l4 = ctx.get("pgtable_l4_enabled", "unknown")
    return "%s %s/%s L%s%s%s" % (
        ctx.get("arch", "?"), ps, ctx.get("config_va_bits", "?"), lv,
        "" if l4 == "unknown" else " l4=" + l4,
        " tcg" if ctx.get("emulated", "no") != "no" else "")


def context_diff(a, b):
    """Differences between two contexts and warnings when not like for like."""
    diffs, warnings = [], []
    for group, keys in (("state", STATE_KEYS), ("host", HOST_KEYS),
                        ("run", RUN_KEYS), ("kernel", KERNEL_KEYS)):
        for k in keys:
            va, vb = a.get(k), b.get(k)
            if va != vb:
                diffs.append({"group": group, "key": k, "a": va, "b": vb})
    groups = {d["group"] for d in diffs}
    if "state" in groups:
        warnings.append("different folding states: %s vs %s" %
                        (state_of(a), state_of(b)))
    if "host" in groups:
        warnings.append("different hosts/CPUs: not like for like")
    keys = {d["key"] for d in diffs}
    if "emulated" in keys:
        warnings.append("one side ran emulated (QEMU TCG): timings "
                        "are not comparable")
    if "gupbench_profile" in keys:
        warnings.append("different profiles")
    return diffs, warnings


# The words of a verdict, the same in summary.txt, table.txt, table.md,
# comparison.json and the plots.
FASTER, SLOWER, NO_CHANGE, INCONCLUSIVE = ("faster", "slower", "no change",
                                           "inconclusive")
VERDICTS = (FASTER, SLOWER, NO_CHANGE, INCONCLUSIVE)
# With one run per side, the spread between runs (processes, boots) is
# unknown and the interval only sees repetitions inside one process. A
# change is then called only beyond this floor, unless an A/A noise file
# (make aa, NOISE_FILE) gives the machine's own floors. Measured on the
# 2-core x86_64 development host under load (README "Noise", the A/A
# fixtures in tests/analysis/fixtures/aa-*): single-run pairs of the
# same kernel differed by up to 53% (load 2.5-3.4 on 2 CPUs) and, once
# the host was loaded further, by up to 438% (odirect_read): twice as slow
# or as fast is the least a single pair can claim, and busy hosts are
# held back altogether (compare()).
DEFAULT_ONE_RUN_FLOOR = 1.0
# A noise floor is a change B/A-1 (1.0: twice as slow, or as fast);
# loaded hosts measured A/A floors above 4 (odirect_read, 438%).
MAX_FLOOR = 100.0
# Workloads that check correctness (pass/fail) rather than time anything:
# out of the timing rows, the forest and the repetition warning.
CHECK_FAMILIES = ("alias",)


def is_check(name):
    return S.family(name) in CHECK_FAMILIES


def _run_medians(values, n, rng):
    """n bootstrap replicates of one run's median (its repetitions
    resampled with replacement)."""
    v = np.asarray(values, float)
    return np.median(rng.choice(v, (n, v.size)), axis=1)


def side_samples(runs, n=2000, seed=1):
    """Hierarchical bootstrap of one side: n replicates of the mean of
    the run medians, resampling runs with replacement, then each chosen
    run's repetitions (Davison & Hinkley's two-stage bootstrap), so the
    spread between runs is in the interval. runs: a list (one per run)
    of per-repetition values."""
    runs = [np.asarray(r, float) for r in runs if len(r)]
    rng = np.random.default_rng(seed)
    meds = np.array([_run_medians(r, n, rng) for r in runs])
    if len(runs) == 1:
        return meds[0]
    pick = rng.integers(0, len(runs), (n, len(runs)))
    return meds[pick, np.arange(n)[:, None]].mean(axis=1)


def point(runs):
    """A side's estimate: the mean of its run medians."""
    return float(np.mean([np.median(r) for r in runs if len(r)]))


def as_runs(v):
    """A flat list of repetitions is one run."""
    if len(v) and not isinstance(v[0], (list, tuple, np.ndarray)):
        return [list(v)]
    return [list(r) for r in v]


def bootstrap_samples(a, b, n=2000, seed=1):
    """n bootstrap replicates of B/A: each side resampled hierarchically
    (side_samples); a and b are lists of runs, or one flat run."""
    a, b = as_runs(a), as_runs(b)
    sa = side_samples(a, n, seed)
    sb = side_samples(b, n, seed + 7919)
    with np.errstate(divide="ignore", invalid="ignore"):
        return sb / sa


def bootstrap_ratio(a, b, n=2000, seed=1):
    """Ratio B/A of the side estimates and its 95% percentile interval."""
    a, b = as_runs(a), as_runs(b)
    r = bootstrap_samples(a, b, n, seed)
    r = r[np.isfinite(r)]
    pa = point(a)
    ratio = point(b) / pa if pa else float("nan")
    if r.size == 0:
        return ratio, float("nan"), float("nan")
    return ratio, float(np.percentile(r, 2.5)), float(np.percentile(r, 97.5))


def decide(ratio, lo, hi, floor, one_run=False, floor_measured=False):
    """The one test, for a benchmark and a workload alike: (verdict, why).
    slower (faster): the 95% interval excludes 1 and the change is beyond
    the floor (above 1+f, below 1/(1+f): symmetric on a log scale, so a
    floor of 100% reads "twice as slow or twice as fast"); no change: the
    whole interval inside the floor; else inconclusive, with the reason.
    With one run on a side the interval misses the spread between runs:
    the floor is then the A/A one when measured (floor_measured), else a
    change must be beyond DEFAULT_ONE_RUN_FLOOR and nothing is called
    "no change"."""
    if not all(math.isfinite(x) for x in (ratio, lo, hi)):
        return INCONCLUSIVE, "no interval"
    if one_run and not floor_measured:
        floor = max(floor, DEFAULT_ONE_RUN_FLOOR)
    if lo > 1 and ratio > 1 + floor:
        return SLOWER, ""
    if hi < 1 and ratio < 1 / (1 + floor):
        return FASTER, ""
    if one_run and not floor_measured:
        return INCONCLUSIVE, "1 run per side"
    if lo >= 1 / (1 + floor) and hi <= 1 + floor:
        return NO_CHANGE, ""
    if lo <= 1 <= hi:
        return INCONCLUSIVE, "CI wider than the floor"
    return INCONCLUSIVE, "change within the floor, CI beyond it"


def compare_values(a, b, noise, alpha=0.05, one_run=None,
                   floor_measured=False):
    """One metric: ratio, CI and verdict (decide()). a, b: lists of runs,
    or one flat list of repetitions. The Mann-Whitney p-value over all
    repetitions is kept as a figure, not as a test."""
    a, b = as_runs(a), as_runs(b)
    if one_run is None:
        one_run = min(len(a), len(b)) < 2
    ratio, lo, hi = bootstrap_ratio(a, b)
    fa, fb = sum(a, []), sum(b, [])
    if len(fa) >= 2 and len(fb) >= 2 and (np.ptp(fa) > 0 or np.ptp(fb) > 0
                                           or fa[0] != fb[0]):
        p = float(stats.mannwhitneyu(fa, fb, alternative="two-sided").pvalue)
    else:
        p = float("nan")
    if min(len(fa), len(fb)) < 2 and one_run:
        verdict, why = INCONCLUSIVE, "one value a side"
    else:
        verdict, why = decide(ratio, lo, hi, noise, one_run, floor_measured)
    return {"a_median": point(a), "b_median": point(b),
            "ratio": float(ratio), "ci_low": lo, "ci_high": hi, "p": p,
            "n_a": len(fa), "n_b": len(fb), "runs_a": len(a),
            "runs_b": len(b), "verdict": verdict, "why": why}


def counter_values(a, b):
    """A counter: medians and their ratio, no verdict (a counter is a
    count, not a time to call faster or slower)."""
    fa, fb = sum(as_runs(a), []), sum(as_runs(b), [])
    ma, mb = float(np.median(fa)), float(np.median(fb))
    return {"a_median": ma, "b_median": mb,
            "ratio": mb / ma if ma else (1.0 if mb == ma else float("nan")),
            "n_a": len(fa), "n_b": len(fb)}


def load_noise(path):
    """Per-workload noise floors from an A/A noise file (gupb aa,
    make aa): ({family or benchmark name: floor}, a short source label,
    the file's cpu_model). A benchmark's own floor, when the file has
    one, decides its row; the workload's, its summary line."""
    doc = read_json(path)
    fams = doc.get("families") if isinstance(doc, dict) else None
    if not isinstance(fams, dict) or "pairs" not in doc:
        raise InputError("%s: not an A/A noise file (make aa)" % path)
    floors = {}
    bench = doc.get("benchmarks")
    items = list(fams.items()) + (list(bench.items())
                                  if isinstance(bench, dict) else [])
    for fam, f in items:
        v = f.get("noise") if isinstance(f, dict) else "bad"
        if v is None:
            continue
        if not isinstance(v, (int, float)) or not 0 <= v < MAX_FLOOR:
            raise InputError("%s: %s: noise floor %r is not in [0, %g)" %
                             (path, fam, v, MAX_FLOOR))
        floors[fam] = float(v)
    src = "A/A: %d runs, %s" % (len(doc.get("runs", [])),
                                os.path.basename(path))
    return floors, src, doc.get("cpu_model")


def floor_of(group, noise, family_noise=None):
    """The noise floor of one workload: the flat one, or the workload's
    A/A floor (gupb aa) when that is larger."""
    return max(noise, (family_noise or {}).get(group) or 0)


def family_summary(rows, noise, n=2000, family_noise=None, one_run=False):
    """Per workload: the geometric mean of B/A over its benchmarks with a
    95% bootstrap CI (each replicate resamples every benchmark, runs then
    repetitions, and takes the geometric mean), and a verdict by the same
    test as the rows (decide()), kept consistent with them: a workload is
    slower (faster) only when one of its rows is and none is faster
    (slower), "no change" only when no row changed; otherwise
    inconclusive, with the reason."""
    by = {}
    for r in rows:
        if r["a_values"] and r["b_values"] and math.isfinite(r["ratio"]) \
                and r["ratio"] > 0:
            by.setdefault(r["group"], []).append(r)
    out = {}
    for g, rs in sorted(by.items()):
        logs = []
        for i, r in enumerate(rs):
            with np.errstate(divide="ignore", invalid="ignore"):
                logs.append(np.log(bootstrap_samples(
                    r["a_runs"], r["b_runs"], n, seed=1 + i)))
        reps = np.exp(np.mean(np.array(logs), axis=0))
        reps = reps[np.isfinite(reps)]
        gm = math.exp(sum(math.log(r["ratio"]) for r in rs) / len(rs))
        lo, hi = ((float(np.percentile(reps, 2.5)),
                   float(np.percentile(reps, 97.5))) if reps.size
                  else (float("nan"), float("nan")))
        floor = floor_of(g, noise, family_noise)
        measured = bool(family_noise and g in family_noise)
        verdict, why = decide(gm, lo, hi, floor, one_run, measured)
        rv = {r["verdict"] for r in rs}
        if verdict in (SLOWER, FASTER):
            other = FASTER if verdict == SLOWER else SLOWER
            if other in rv:
                verdict, why = INCONCLUSIVE, "rows disagree"
            elif verdict not in rv:
                verdict, why = INCONCLUSIVE, "no row beyond its floor"
        elif verdict == NO_CHANGE and rv & {SLOWER, FASTER}:
            verdict, why = INCONCLUSIVE, "rows disagree"
        out[g] = {"n": len(rs), "geomean": gm, "ci_low": lo, "ci_high": hi,
                  "noise_floor": max(floor, DEFAULT_ONE_RUN_FLOOR)
                  if one_run and not measured else floor,
                  "verdict": verdict, "why": why,
                  "time": sorted({S.time_kind(r["name"]) for r in rs})}
    return out


def as_side(x):
    """A side of a comparison: a loaded file (load()) or a list of them
    (load_side()). Returns {'files', 'paths', 'context'}."""
    files = x["files"] if "files" in x else [x]
    return {"files": files, "paths": [f["path"] for f in files],
            "context": files[0]["context"]}


def load_side(paths):
    """One side's runs: result files, or folders searched for them
    (make bench RUNS=N writes one folder of N files). InputError when a
    folder holds none."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(os.path.join(d, f) for d, _, fs in os.walk(p)
                           for f in fs if f.endswith((".json", ".json.gz"))
                           and not f.startswith("."))
            found = [f for f in found if "compare-" not in f
                     and os.path.basename(f) not in ("comparison.json",
                                                     "noise.json")]
            if not found:
                raise InputError("%s: no result file (*.json) in it" % p)
            out += [load(f) for f in found]
        else:
            out.append(load(p))
    if not out:
        raise InputError("no result file given")
    return {"files": out}


def inject(side, factor):
    """A copy of a side with every time multiplied by factor (a known
    change, for --inject-b); each run stays a run of its own."""
    out = []
    for f in as_side(side)["files"]:
        g = dict(f, path=f["path"])
        g["context"] = dict(f["context"], date="%s (x%g)" % (
            f["context"].get("date", ""), factor))
        g["runs"] = {n: dict(r, time_ns=[v * factor for v in r["time_ns"]])
                     for n, r in f["runs"].items()}
        out.append(g)
    return {"files": out}


def side_info(side):
    """What identifies a side in a header: files, dates, version,
    profile, repetitions, runs, kernel, folding state in words."""
    fs = side["files"]
    ctx = side["context"]
    reps = sorted({len(v["time_ns"]) for f in fs
                   for n, v in f["runs"].items() if not is_check(n)})
    dates = sorted(f["context"].get("date", "?") for f in fs)
    return {"path": side["paths"][0] if len(fs) == 1 else
            os.path.commonpath([os.path.abspath(p) for p in side["paths"]]),
            "paths": side["paths"], "runs": len(fs),
            "kernel": ctx.get("kernel_release"),
            "state": state_of(ctx), "state_words": state_words(ctx),
            "patch": ctx.get("kernel_patch"),
            "version": ctx.get("gupbench_version"),
            "profile": ctx.get("gupbench_profile"),
            "reps": "%d" % reps[0] if len(reps) == 1 else
            ("%d-%d" % (reps[0], reps[-1]) if reps else "0"),
            "date_first": dates[0], "date_last": dates[-1],
            "load": [host_load(f["context"]) for f in fs]}


def host_load(ctx):
    """(1-minute load at start, at end or None, CPUs) of one run; None
    when the file does not say."""
    n = ctx.get("host_ncpus") or ctx.get("num_cpus")
    start = ctx.get("host_loadavg_start")
    if start is None:
        la = ctx.get("load_avg")
        start = la[0] if isinstance(la, list) and la else None
    end = ctx.get("host_loadavg_end")
    try:
        start = float(str(start).split()[0]) if start is not None else None
        end = float(str(end).split()[0]) if end is not None else None
        n = int(n)
    except (TypeError, ValueError):
        return None
    if start is None or not n:
        return None
    return {"start": start, "end": end, "ncpus": n,
            "steal": ctx.get("host_steal_pct"),
            "governor": ctx.get("host_cpufreq_governor")}


def busy(x):
    """A run on a busy host: the 1-minute load above half the CPUs at its
    start, or at its end beyond the benchmark's own thread (+1)."""
    return x["start"] > x["ncpus"] / 2 or \
        (x["end"] or 0) > x["ncpus"] / 2 + 1


def host_warnings(ia, ib):
    """A busy host (busy()), and sides whose hosts were loaded
    differently. Returns (warnings, whether a side ran busy)."""
    out = []
    busy_ = {}
    any_busy = False
    for side, info in (("A", ia), ("B", ib)):
        loads = [x for x in info["load"] if x]
        top = [max(x["start"], x["end"] or 0) for x in loads]
        bad = [t for t, x in zip(top, loads) if busy(x)]
        any_busy = any_busy or bool(bad)
        if bad:
            out.append("%s ran on a busy host: load average up to %.1f on "
                       "%d CPUs in %d of %d runs" % (
                           side, max(bad), loads[0]["ncpus"], len(bad),
                           len(loads)))
        busy_[side] = max(top) if top else None
        steal = [float(x["steal"]) for x in loads if x.get("steal")
                 not in (None, "", "unknown")]
        if steal and max(steal) > 5:
            out.append("%s: CPU steal time up to %.0f%% (a virtual machine "
                       "sharing its host)" % (side, max(steal)))
    if busy_.get("A") is not None and busy_.get("B") is not None and \
            abs(busy_["A"] - busy_["B"]) > 1 and (
                max(busy_.values()) > 1.5 * max(min(busy_.values()), 0.5)):
        out.append("the host's load differed: A up to %.1f, B up to %.1f"
                   % (busy_["A"], busy_["B"]))
    ga_ = {x.get("governor") for x in ia["load"] + ib["load"]
           if x and x.get("governor") not in (None, "", "unknown")}
    if len(ga_) > 1:
        out.append("CPU frequency governors differ: %s" %
                   ", ".join(sorted(ga_)))
    return out, any_busy


def compare(A, B, noise=0.02, alpha=0.05, family_noise=None,
            noise_source=None):
    """Compare two sides: each a loaded file (load()) or several runs
    (load_side()). Returns a dict of plain data. family_noise:
    {family: floor} from A/A runs (gupb aa), which raises the flat
    noise floor per workload; noise_source says where it came from."""
    A, B = as_side(A), as_side(B)

    def merged(side):
        names, skips = None, {}
        for f in side["files"]:
            names = set(f["runs"]) if names is None else names | set(f["runs"])
            skips.update(f["skips"])
        return names, skips
    names_a, skips_a = merged(A)
    names_b, skips_b = merged(B)
    common = sorted(n for n in names_a & names_b if not is_check(n))
    checks = check_rows(A, B, names_a | names_b | set(skips_a) |
                        set(skips_b))
    if not common and not checks:
        raise InputError("%s and %s have no measured benchmark in common" %
                         (A["paths"][0], B["paths"][0]))
    one_run = min(len(A["files"]), len(B["files"])) < 2
    rows, warnings = [], []
    few = set()
    for name in common:
        ra = [f["runs"][name] for f in A["files"] if name in f["runs"]]
        rb = [f["runs"][name] for f in B["files"] if name in f["runs"]]
        group = S.family(name)
        ta = [r["time_ns"] for r in ra]
        tb = [r["time_ns"] for r in rb]
        key = name if family_noise and name in family_noise else group
        row = compare_values(ta, tb, floor_of(key, noise, family_noise),
                             alpha, one_run=one_run,
                             floor_measured=bool(family_noise and
                                                 key in family_noise))
        row["noise_floor"] = floor_of(key, noise, family_noise)
        if one_run and not (family_noise and key in family_noise):
            row["noise_floor"] = max(row["noise_floor"],
                                     DEFAULT_ONE_RUN_FLOOR)
        row["name"] = name
        row["group"] = group
        row["time"] = S.time_kind(name)
        row["a_runs"], row["b_runs"] = ta, tb
        row["a_values"] = sum(ta, [])
        row["b_values"] = sum(tb, [])
        row["counters"] = {}
        for k in sorted(set.intersection(*[set(r["counters"])
                                           for r in ra + rb])):
            row["counters"][k] = counter_values(
                [r["counters"][k] for r in ra], [r["counters"][k] for r in rb])
        if min(min(map(len, ta)), min(map(len, tb))) < MIN_REPS:
            few.add(name)
        rows.append(row)
    ia, ib = side_info(A), side_info(B)
    diffs, cwarn = context_diff(A["context"], B["context"])
    for side, s in (("A", A), ("B", B)):
        for f in s["files"][1:]:
            d, _ = context_diff(s["context"], f["context"])
            bad = sorted({x["key"] for x in d if x["group"] in
                          ("state", "kernel", "host", "run")})
            if bad:
                cwarn.append("%s's runs differ among themselves (%s)" %
                             (side, ", ".join(bad)))
                break
    if "different profiles" in cwarn:
        cwarn[cwarn.index("different profiles")] = \
            "different profiles: A %s, B %s" % (ia["profile"], ib["profile"])
    real_a = {os.path.realpath(p) for p in A["paths"]}
    real_b = {os.path.realpath(p) for p in B["paths"]}
    runs_a = {(f["context"].get("date"), f["context"].get("host_name"))
              for f in A["files"] if f["context"].get("date")}
    runs_b = {(f["context"].get("date"), f["context"].get("host_name"))
              for f in B["files"] if f["context"].get("date")}
    if real_a & real_b:
        cwarn.append("A and B share a file: a comparison of a run with "
                     "itself")
    elif runs_a & runs_b:
        cwarn.append("A and B share a run (same date and host): the same "
                     "measurement twice")
    if one_run:
        if family_noise:
            warnings.append("1 run per side: the interval misses the spread "
                            "between runs; verdicts use the A/A floors")
        else:
            warnings.append("1 run per side: the spread between runs is "
                            "unknown; only changes beyond %.0f%% are called "
                            "(make bench RUNS=3, or NOISE_FILE from make aa)"
                            % (100 * DEFAULT_ONE_RUN_FLOOR))
    if few:
        warnings.append("%d benchmarks have fewer than %d repetitions on a "
                        "side: the test cannot mean much" % (len(few), MIN_REPS))
    hwarn, was_busy = host_warnings(ia, ib)
    if was_busy and not family_noise:
        # Measured: 3 runs a side back to back on the 2-core host under
        # a kernel build (load 3-14) moved odirect_read by +144% in an
        # A/A, with a tight interval: a loaded host shifts a whole block
        # of runs. Without floors measured under the same load, no change
        # is called.
        for r in rows:
            if r["verdict"] in (SLOWER, FASTER):
                r["verdict"], r["why"] = INCONCLUSIVE, "busy host"
        warnings.append("busy host and no A/A floors (NOISE_FILE): no "
                        "change is called faster or slower")
    families = family_summary(rows, noise, family_noise=family_noise,
                              one_run=one_run)
    if was_busy and not family_noise:
        for f in families.values():
            if f["verdict"] == INCONCLUSIVE:
                f["why"] = "busy host"
    return {
        "a": ia, "b": ib,
        "noise_floor": noise, "alpha": alpha, "rows": rows,
        "noise_source": noise_source, "one_run": one_run,
        "default_one_run_floor": DEFAULT_ONE_RUN_FLOOR,
        "families": families, "checks": checks,
        "only_a": sorted(n for n in names_a - names_b if not is_check(n)),
        "only_b": sorted(n for n in names_b - names_a if not is_check(n)),
        "skipped_a": skips_a, "skipped_b": skips_b,
        "context_diff": diffs,
        "busy_host": was_busy,
        "warnings": cwarn + hwarn + warnings,
    }


def check_status(files, name):
    """One check on one side: pass / fail / not run, with why; the worst
    over the side's runs."""
    out = []
    for f in files:
        if name in f["skips"]:
            out.append(("not run", f["skips"][name]))
            continue
        r = f["runs"].get(name)
        if r is None:
            out.append(("not run", "not in this result"))
            continue
        c = {k: v[0] for k, v in r["counters"].items() if v}
        if c.get("accepted", 0) > 0:
            out.append(("fail", "%d addresses above the VA size accepted"
                        % c["accepted"]))
        elif c.get("baseline_ok", 1) == 0:
            out.append(("fail", "the address itself was refused"))
        else:
            out.append(("pass", ""))
    rank = {"fail": 0, "not run": 1, "pass": 2}
    return min(out, key=lambda x: rank[x[0]]) if out else ("not run", "")


def check_rows(A, B, names):
    rows = []
    for n in sorted(x for x in names if is_check(x)):
        sa, sb = check_status(A["files"], n), check_status(B["files"], n)
        rows.append({"name": n, "group": S.family(n), "a": sa[0],
                     "a_why": sa[1], "b": sb[0], "b_why": sb[1]})
    return rows


def walk_grid(files):
    """kwalk costs by folding state: {state: {variant: median ns}}, over
    the anon-backed walks without contention."""
    grid = {}
    for f in files:
        st = state_of(f["context"])
        patch = f["context"].get("kernel_patch", "")
        if patch and patch != "none":
            st += " +patch"
        for name, r in f["runs"].items():
            try:
                n = S.parse(name)
            except ValueError:
                continue
            # One like-for-like cell per state: anon, no contention.
            if n.family != "kwalk" or n.get("contention") is not None \
                    or n.get("backing") != "anon":
                continue
            var = n.get("variant")
            cell = grid.setdefault(st, {}).setdefault(var, [])
            cell.extend(r["time_ns"])
    return {s: {v: float(np.median(x)) for v, x in d.items()}
            for s, d in grid.items()}
