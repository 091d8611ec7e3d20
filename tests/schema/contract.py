#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The result contract (analysis/gupb/schema.py) on real result files
(fixtures/, trimmed: a host smoke run before the benchmarks wrote their
claims and one after, a QEMU test-bed run): names
parse and build back exactly, one claim tolerance, claims read from the
result before the fallback table, and the checkers (check_result.py,
check_smoke.py) pass on the real files and fail on broken copies (a wrong
claim, a wrong measurement, a benchmark without its claim). Analysis
never compares claim_* counters. TAP on stdout."""
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
from tap import Tap
from gupb import schema as S

T = Tap("contract")
ok = T.ok
PY = sys.executable
CHECKERS = {"check_result": os.path.join(TOP, "tests", "bench",
                                         "check_result.py"),
            "check_smoke": os.path.join(TOP, "tests", "workloads",
                                        "check_smoke.py")}


def as_gb18(doc):
    """A copy of a libbenchmark 1.7 result with its skips written as 1.8
    writes them (skipped/skip_message, no error_occurred)."""
    doc = copy.deepcopy(doc)
    for e in doc["benchmarks"]:
        if S.outcome(e)[0] == "skipped":
            why = S.outcome(e)[1]
            del e["error_occurred"], e["error_message"]
            e["skipped"], e["skip_message"] = True, why
    return doc


def load(name):
    with open(os.path.join(HERE, "fixtures", name)) as f:
        return json.load(f)


def names():
    ok_rt, bad = 0, []
    for fx in ("smoke.json", "vm.json"):
        for b in load(fx)["benchmarks"]:
            rn = S.run_name(b)
            try:
                n = S.parse(rn)
            except ValueError as e:
                bad.append(str(e))
                continue
            if str(n) != rn or S.build(*n) != rn:
                bad.append("%s -> %s" % (rn, n))
            elif n.family not in S.FAMILIES or \
                    any(k not in S.PARAM_KEYS for k, _ in n.params):
                bad.append("%s: unknown family or key" % rn)
            else:
                ok_rt += 1
    ok(ok_rt > 50 and not bad, "%d real names parse into family + params "
       "and build back exactly" % ok_rt, "\n".join(bad[:10]))
    n = S.parse("iouring_read/backing:anon/bytes:2097152/qd:1")
    ok(n.family == "iouring_read" and n.params == (
        ("backing", "anon"), ("bytes", "2097152"), ("qd", "1")) and
       n.run == () and n.get("qd") == "1",
       "iouring_read/backing:anon/bytes:2097152/qd:1 -> %r" % (n,))
    n = S.parse("alias/entry:futex/iterations:1/repeats:1/manual_time")
    ok(n.params == (("entry", "futex"),) and
       n.run == ("iterations:1", "repeats:1", "manual_time") and
       n.base == "alias/entry:futex" and n.time_kind == "manual_time",
       "Google Benchmark's run segments kept apart: %r" % (n,))
    ok(S.build("odirect_read", [("backing", "anon"), ("layout", "inside"),
                                ("bytes", 4096)]) ==
       "odirect_read/backing:anon/layout:inside/bytes:4096",
       "build() writes family/key:value/...")
    refused = []
    for bad in ("Odirect_read/backing:anon", "odirect_read/backing",
                "odirect_read/backing:anon/backing:thp",
                "odirect_read/backing:", "odirect_read//bytes:1",
                "odirect_read/real_time/bytes:4096",
                "odirect_read/bytes:1/real_time/iterations:2",
                "odirect_read/bytes:4 096"):
        try:
            S.parse(bad)
        except ValueError:
            refused.append(bad)
    ok(len(refused) == 8, "names outside the grammar refused (%d of 8)"
       % len(refused))
    try:
        S.build("odirect_read", [("bytes", "4/096")])
        ok(False, "build() refuses a value with a /")
    except ValueError:
        ok(True, "build() refuses a value with a /")
    agg = {"name": "vmsplice/backing:anon_mean", "run_type": "aggregate",
           "aggregate_name": "mean"}
    ok(S.run_name(agg) == "vmsplice/backing:anon",
       "an aggregate's run name without its _mean suffix")


def tolerance():
    cases = [("pins_per_iter", 16, 16, True), ("pins_per_iter", 15.2, 16, True),
             ("pins_per_iter", 15.19, 16, False),
             ("pins_per_iter", 25, 16, True), ("pins_per_iter", 25.01, 16, False),
             ("pins_per_iter", 0.49, 0, True), ("pins_per_iter", 0.5, 0, False),
             ("pins_per_call", 4.1, 4, True),
             ("zero_copy", 1, 1, True), ("zero_copy", 0, 1, False),
             ("zero_copy", 2, 1, False), ("gup_per_iter", 0, 0, True),
             ("gup_per_iter", 1, 0, False), ("pins_per_iter", None, 0, False)]
    wrong = ["%s got %s want %s" % c[:3] for c in cases
             if S.claim_holds(*c[:3]) != c[3]]
    ok(not wrong, "one tolerance: vmstat counters 0.95w..1.5w+1 (0: < 0.5), "
       "the others exact, a missing value never holds", "\n".join(wrong))


def claims():
    b = {"name": "odirect_read/backing:anon/layout:inside/bytes:65536/"
         "real_time", "run_type": "iteration", "pins_per_iter": 16.0}
    ok(S.claims(b, 4096) == {"pins_per_iter": 16},
       "no claim_* in the result: the schema's fallback (%s)" %
       S.claims(b, 4096))
    b["claim_pins_per_iter"] = 4.0
    ok(S.claims(b, 4096) == {"pins_per_iter": 4.0} and
       S.check_claims(b, 4096),
       "claim_* in the result wins over the fallback, and is checked")
    ok(not S.measured_counters(b).get("claim_pins_per_iter"),
       "claim_* is not a measured counter")


def outcomes():
    cases = [({"error_occurred": True, "error_message": "skipped: no pages"},
              ("skipped", "no pages")),
             ({"error_occurred": True, "error_message": "error: proof"},
              ("error", "proof")),
             ({"skipped": True, "skip_message": "no pages"},
              ("skipped", "no pages")),
             ({"error_occurred": True, "error_message": "oops"}, ("error", "")),
             ({"skipped": True}, ("skipped", "")),
             ({"real_time": 1.0}, ("measured", None))]
    wrong = ["%s -> %s" % (e, S.outcome(e)) for e, want in cases
             if S.outcome(e) != want]
    ok(not wrong, "outcome: skips and errors of libbenchmark 1.7.1 "
       "(error_message) and 1.8 (skipped, skip_message)", "\n".join(wrong))


def with_claims(doc, edit=None):
    """A copy of doc whose measured runs write their claims (the
    fallback's values) as claim_* counters; edit(b) may break one."""
    doc = copy.deepcopy(doc)
    page = int(doc["context"]["page_size"])
    for b in doc["benchmarks"]:
        if b.get("run_type") == "iteration" and not b.get("error_occurred"):
            for k, v in S.claims(b, page).items():
                b[S.CLAIM_PREFIX + k] = float(v)
    if edit:
        edit(doc)
    return doc


def first(doc, family):
    return next(b for b in doc["benchmarks"] if S.family(b["name"]) == family
                and b.get("run_type") == "iteration"
                and not b.get("error_occurred"))


def run(checker, doc, tmp):
    path = os.path.join(tmp, "r.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    p = subprocess.run([PY, CHECKERS[checker], path], capture_output=True,
                       text=True)
    return p.returncode, p.stdout + p.stderr


def checkers(tmp):
    smoke = load("smoke.json")
    for c in CHECKERS:
        rc, out = run(c, smoke, tmp)
        ok(rc == 0, "%s passes on a real result (fallback claims)" % c, out)
        rc, out = run(c, with_claims(smoke), tmp)
        ok(rc == 0 and (c != "check_result" or "from the result" in out),
           "%s passes on it with the claims written in the result" % c, out)

        def wrong_claim(d):
            first(d, "odirect_read")["claim_pins_per_iter"] = 32.0
        rc, out = run(c, with_claims(smoke, wrong_claim), tmp)
        ok(rc == 1 and "claimed 32" in out,
           "%s fails on a wrong claim in the result" % c, out)

        def wrong_measure(d):
            first(d, "vmsplice")["zero_copy"] = 0.0
        rc, out = run(c, with_claims(smoke, wrong_measure),
                      tmp)
        ok(rc == 1 and "zero_copy=0.0" in out,
           "%s fails on a measurement that misses its claim" % c, out)
        bad = copy.deepcopy(smoke)
        first(bad, "futex_wake_shared")["gup_per_iter"] = 0.0
        rc, out = run(c, bad, tmp)
        ok(rc == 1 and "gup_per_iter=0.0" in out,
           "%s fails on it without claims too (fallback)" % c, out)

    after = load("smoke-claims.json")
    for c in CHECKERS:
        rc, out = run(c, after, tmp)
        ok(rc == 0 and (c != "check_result" or "from the result" in out),
           "%s passes on a real result whose benchmarks write their claims"
           % c, out)

    def drop_claim(d):
        del first(d, "futex_wake_shared")["claim_gup_per_iter"]
    rc, out = run("check_result", with_claims(smoke, drop_claim), tmp)
    ok(rc == 1 and "writes its claim" in out,
       "check_result fails when one benchmark has no claim and others do",
       out)
    # libbenchmark >= 1.8 writes a skip as skipped/skip_message.
    gb18 = as_gb18(smoke)
    rc, out = run("check_result", gb18, tmp)
    ok(rc == 0 and any(e.get("skipped") for e in gb18["benchmarks"]),
       "check_result reads libbenchmark 1.8's skips", out)
    vm = load("vm.json")
    rc, out = run("check_result", vm, tmp)
    ok(rc == 0, "check_result passes on a real test-bed result (kmod pins "
       "per call, gup_test, kwalk)", out)
    bad = copy.deepcopy(vm)
    first(bad, "kmod_pin_longterm")["pins_per_call"] = 2.0
    rc, out = run("check_result", bad, tmp)
    ok(rc == 1 and "pins_per_call=2.0" in out,
       "check_result fails on a module pin count below the pages asked", out)
    bad = copy.deepcopy(smoke)
    b = first(bad, "vmsplice")
    b["name"] = b["run_name"] = "vmsplice/backing:anon/layout"
    rc, out = run("check_result", bad, tmp)
    ok(rc == 1 and "grammar" in out, "check_result fails on a name outside "
       "the grammar", out)


def analysis(tmp):
    from gupb import stats as ga
    smoke = load("smoke.json")
    paths = []
    for i, d in enumerate((smoke, with_claims(smoke))):
        paths.append(os.path.join(tmp, "a%d.json" % i))
        with open(paths[-1], "w") as f:
            json.dump(d, f)
    a, b = ga.load(paths[0]), ga.load(paths[1])
    claimed = [k for r in b["runs"].values() for k in r["counters"]
               if S.is_claim(k)]
    ok(not claimed and all(set(a["runs"][n]["counters"]) ==
                           set(b["runs"][n]["counters"]) for n in a["runs"]),
       "analysis: claim_* counters are not loaded as measurements %s"
       % claimed[:3])
    # Before the C side wrote claims and after: same names, same counters.
    paths.append(os.path.join(HERE, "fixtures", "smoke-claims.json"))
    after = ga.load(paths[-1])
    both = set(a["runs"]) & set(after["runs"])
    ok(len(both) >= 10 and all(set(a["runs"][n]["counters"]) ==
                               set(after["runs"][n]["counters"])
                               for n in both),
       "analysis: results before and after claims compare with the same "
       "counters (%d benchmarks in common)" % len(both))
    grouped = ga.STATE_KEYS + ga.HOST_KEYS + ga.RUN_KEYS + ga.KERNEL_KEYS
    ok(not set(grouped) - set(S.CONTEXT + S.GB_CONTEXT),
       "analysis: the context keys a comparison groups are the schema's %s"
       % sorted(set(grouped) - set(S.CONTEXT + S.GB_CONTEXT)))
    gb18 = as_gb18(smoke)
    paths.append(os.path.join(tmp, "gb18.json"))
    with open(paths[-1], "w") as f:
        json.dump(gb18, f)
    g = ga.load(paths[-1])
    ok(set(g["runs"]) == set(a["runs"]) and g["skips"] == a["skips"],
       "analysis: a libbenchmark 1.8 skip is a skip, not a run")
    c = ga.compare(a, b)
    ok(not [k for r in c["rows"] for k in r["counters"] if S.is_claim(k)],
       "analysis: a result with claims compares with one without, same "
       "counters")


def main():
    names()
    outcomes()
    tolerance()
    claims()
    with tempfile.TemporaryDirectory() as tmp:
        checkers(tmp)
        analysis(tmp)
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
