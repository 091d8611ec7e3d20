# SPDX-License-Identifier: GPL-2.0
"""gupbench result analysis: plain functions that return data.

load() reads and validates result files, context_diff() says what differs
between them, compare() pairs benchmarks by name and computes, per
benchmark, the median ratio B/A with a bootstrap 95% confidence interval
over repetitions, a Mann-Whitney U p-value and a verdict; the same for
counters. Rendering (text, Markdown, plots) lives in report.py/plots.py.
"""
import json
import math
import os

import numpy as np
from scipy import stats

import gupb_schema as S

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
# Context keys that define a like-for-like comparison.
STATE_KEYS = ["arch", "page_size", "config_pgtable_levels", "config_va_bits",
              "pgtable_l4_enabled", "pgtable_l5_enabled",
              "pgtable_levels_runtime"]
HOST_KEYS = ["cpu_model", "cpu_midr", "host_name", "num_cpus"]
RUN_KEYS = ["gupbench_profile", "emulated", "qemu_cpu", "hw_counters"]
KERNEL_KEYS = ["kernel_release", "kernel_version", "kernel_patch",
               "kernel_fragment"]
MIN_REPS = 5


class InputError(Exception):
    """A file that cannot be compared; the message says why."""


def time_field(name):
    """The time field a benchmark declares as its measure (see
    gupb_schema.time_kind: real_time for .../real_time and
    .../manual_time, else cpu_time: futex and vmsplice, the calling
    thread's own work)."""
    return "cpu_time" if S.time_kind(name) == "cpu_time" else "real_time"


def read_json(path):
    """A JSON file, or InputError saying why not."""
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise InputError("%s: %s" % (path, e.strerror))
    except ValueError as e:
        raise InputError("%s: not valid JSON (%s)" % (path, e))


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
                            UNIT_NS.get(b.get("time_unit", "ns"), 1))
        # Claims (claim_*) are what a benchmark promised, not
        # measurements: never compared.
        for k, v in S.measured_counters(b).items():
            r["counters"].setdefault(k, []).append(float(v))
    return {"path": path, "context": ctx, "runs": runs, "skips": skips}


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


def bootstrap_samples(a, b, n=2000, seed=1):
    """n bootstrap replicates of median(b)/median(a) (repetitions
    resampled with replacement on each side); non-finite ones kept."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    rng = np.random.default_rng(seed)
    ma = np.median(rng.choice(a, (n, a.size)), axis=1)
    mb = np.median(rng.choice(b, (n, b.size)), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return mb / ma


def bootstrap_ratio(a, b, n=2000, seed=1):
    """Median ratio b/a and its 95% percentile-bootstrap interval."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    r = bootstrap_samples(a, b, n, seed)
    r = r[np.isfinite(r)]
    point = np.median(b) / np.median(a) if np.median(a) else float("nan")
    if r.size == 0:
        return point, float("nan"), float("nan")
    return point, float(np.percentile(r, 2.5)), float(np.percentile(r, 97.5))


def compare_values(a, b, noise, alpha=0.05):
    """One metric: ratio, CI, p-value and verdict."""
    ratio, lo, hi = bootstrap_ratio(a, b)
    if len(a) >= 2 and len(b) >= 2 and (np.ptp(a) > 0 or np.ptp(b) > 0
                                         or a[0] != b[0]):
        p = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    else:
        p = 1.0 if (len(a) and len(b) and np.median(a) == np.median(b)) \
            else float("nan")
    if math.isfinite(ratio) and ratio == 1.0 and lo == hi:
        verdict = "="
    elif not (math.isfinite(lo) and math.isfinite(p)):
        verdict = "?"
    elif p < alpha and (lo > 1 or hi < 1) and abs(ratio - 1) > noise:
        verdict = "slower" if ratio > 1 else "faster"
    else:
        verdict = "~"
    return {"a_median": float(np.median(a)), "b_median": float(np.median(b)),
            "ratio": float(ratio), "ci_low": lo, "ci_high": hi, "p": p,
            "n_a": len(a), "n_b": len(b), "verdict": verdict}


def load_noise(path):
    """Per-workload noise floors from an A/A noise file (analysis/aa.py,
    make aa): ({family: floor}, a short source label, the file's
    cpu_model)."""
    doc = read_json(path)
    fams = doc.get("families") if isinstance(doc, dict) else None
    if not isinstance(fams, dict) or "pairs" not in doc:
        raise InputError("%s: not an A/A noise file (make aa)" % path)
    floors = {}
    for fam, f in fams.items():
        v = f.get("noise") if isinstance(f, dict) else "bad"
        if v is None:
            continue
        if not isinstance(v, (int, float)) or not 0 <= v < 1:
            raise InputError("%s: %s: noise floor %r is not in [0, 1)" %
                             (path, fam, v))
        floors[fam] = float(v)
    src = "A/A: %d runs, %s" % (len(doc.get("runs", [])),
                                os.path.basename(path))
    return floors, src, doc.get("cpu_model")


def floor_of(group, noise, family_noise=None):
    """The noise floor of one workload: the flat one, or the workload's
    A/A floor (analysis/aa.py) when that is larger."""
    return max(noise, (family_noise or {}).get(group) or 0)


def family_summary(rows, noise, n=2000, family_noise=None):
    """Per workload family: the geometric mean of B/A over its benchmarks
    with a 95% bootstrap CI (each bootstrap replicate resamples every
    benchmark's repetitions, then takes the geometric mean), and a
    verdict: the whole CI beyond 1 and the change beyond the noise floor
    (the family's own from A/A runs when given). A family none of whose
    benchmarks can be tested (fewer than 2 repetitions a side: the alias
    check's single timed pass) gets no verdict."""
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
                    r["a_values"], r["b_values"], n, seed=1 + i)))
        reps = np.exp(np.mean(np.array(logs), axis=0))
        reps = reps[np.isfinite(reps)]
        gm = math.exp(sum(math.log(r["ratio"]) for r in rs) / len(rs))
        lo, hi = ((float(np.percentile(reps, 2.5)),
                   float(np.percentile(reps, 97.5))) if reps.size
                  else (float("nan"), float("nan")))
        floor = floor_of(g, noise, family_noise)
        if all(r["verdict"] == "?" for r in rs):
            verdict = "?"
        elif lo > 1 and gm - 1 > floor:
            verdict = "slower"
        elif hi < 1 and 1 - gm > floor:
            verdict = "faster"
        elif math.isfinite(lo):
            verdict = "~"
        else:
            verdict = "?"
        out[g] = {"n": len(rs), "geomean": gm, "ci_low": lo, "ci_high": hi,
                  "noise_floor": floor, "verdict": verdict}
    return out


def compare(A, B, noise=0.02, alpha=0.05, family_noise=None,
            noise_source=None):
    """Compare two loaded files. Returns a dict of plain data.
    family_noise: {family: floor} from A/A runs (analysis/aa.py), which
    raises the flat noise floor per workload; noise_source says where
    it came from."""
    names_a, names_b = set(A["runs"]), set(B["runs"])
    common = sorted(names_a & names_b)
    if not common:
        raise InputError("%s and %s have no measured benchmark in common" %
                         (A["path"], B["path"]))
    rows, warnings = [], []
    few = set()
    for name in common:
        ra, rb = A["runs"][name], B["runs"][name]
        group = S.family(name)
        row = compare_values(ra["time_ns"], rb["time_ns"],
                             floor_of(group, noise, family_noise), alpha)
        row["name"] = name
        row["group"] = group
        row["a_values"] = list(ra["time_ns"])
        row["b_values"] = list(rb["time_ns"])
        row["counters"] = {}
        for k in sorted(set(ra["counters"]) & set(rb["counters"])):
            row["counters"][k] = compare_values(ra["counters"][k],
                                                rb["counters"][k], noise,
                                                alpha)
        if min(len(ra["time_ns"]), len(rb["time_ns"])) < MIN_REPS:
            few.add(name)
        rows.append(row)
    if few:
        warnings.append("%d benchmarks have fewer than %d repetitions on a "
                        "side: the test cannot mean much" % (len(few), MIN_REPS))
    families = family_summary(rows, noise, family_noise=family_noise)
    diffs, cwarn = context_diff(A["context"], B["context"])
    return {
        "a": {"path": A["path"], "kernel": A["context"].get("kernel_release"),
              "state": state_of(A["context"]),
              "patch": A["context"].get("kernel_patch")},
        "b": {"path": B["path"], "kernel": B["context"].get("kernel_release"),
              "state": state_of(B["context"]),
              "patch": B["context"].get("kernel_patch")},
        "noise_floor": noise, "alpha": alpha, "rows": rows,
        "noise_source": noise_source,
        "families": families,
        "only_a": sorted(names_a - names_b),
        "only_b": sorted(names_b - names_a),
        "skipped_a": A["skips"], "skipped_b": B["skips"],
        "context_diff": diffs, "warnings": cwarn + warnings,
    }


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
