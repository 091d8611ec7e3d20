#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The alias check (bench/wl_alias.c, issue 14) on this machine, and its
verdict logic (gupb.testbed through tests/vm/check.py, and gupb alias as
the VM run step calls it) on made-up runs. TAP on stdout; exit 1 on any failure.

On this host (no run-time folding bug: x86_64 checks the canonical range,
arm64 hosts here are not LPA2-folded) every address above the run-time VA
size must be refused by every entry point that runs, and each entry point
that runs must have accepted X itself.

usage: check_alias.py [GUPBENCH]
"""
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
from tap import Tap
from gupb import alias as alias_summary
from gupb import schema as S

T = Tap("alias")
ok = T.ok
PY = os.environ.get("SYSPYTHON", "/usr/bin/python3")
SHA = "a5c17036ecfdbfb53f4e7b6aee5eb3bd3caedd71"


def host_run(gupbench, tmp):
    out = os.path.join(tmp, "host.json")
    p = subprocess.run([gupbench, "--profile", "smoke", "--profile-dir",
                        os.path.join(TOP, "configs", "profiles"), "--out", out,
                        "--tmpdir", tmp, "--benchmark_filter=^alias/"],
                       capture_output=True, text=True)
    if not ok(p.returncode == 0, "gupbench --benchmark_filter=^alias/ exits 0",
              p.stderr):
        return
    doc = json.load(open(out))
    ctx = doc["context"]
    runs = [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
    ok(len(runs) == 9, "one benchmark per entry point (%d)" % len(runs))
    va = int(ctx.get("alias_va_bits_runtime", "0"))
    want = {"x86_64": (47, 57), "aarch64": (39, 53)}.get(platform.machine(),
                                                          (32, 64))
    ok(want[0] <= va <= want[1], "run-time VA size %d bits (%s)" %
       (va, ctx.get("alias_va_bits_source")))
    bits = ctx.get("alias_probe_bits", "none").split(",")
    ok(bits and bits[0] == str(va), "probes start at the run-time VA size: %s"
       % ",".join(bits))
    checked = [b for b in runs if S.measured(b)]
    entry = {S.parse(b["name"]).get("entry"): b for b in checked}
    ok("vmsplice" in entry and "futex" in entry,
       "vmsplice and futex always run (%d entry points checked)" %
       len(checked))
    bad = [b["name"] for b in runs if not S.measured(b) and
           S.outcome(b) != ("skipped", S.outcome(b)[1] or None)]
    ok(not bad, "every entry point ran or was skipped with a reason", bad)
    ok(all(b.get("baseline_ok") == 1 for b in checked),
       "every checked entry point accepted X itself")
    ok(all(b.get("probes") == len(bits) for b in checked),
       "every checked entry point tried every probe address")
    acc = ["%s: %s" % (b["name"], b.get("label")) for b in checked
           if b.get("accepted", 1) != 0]
    ok(not acc, "no address above the run-time VA size accepted", acc)
    ok(ctx.get("alias_accepted_above_va") == "no" and
       ctx.get("alias_confirmed") == "no",
       "context: alias_accepted_above_va=%s alias_confirmed=%s" %
       (ctx.get("alias_accepted_above_va"), ctx.get("alias_confirmed")))
    ok(entry.get("vmsplice", {}).get("alias_checkable") == 1,
       "vmsplice can tell an alias by its data (X's bytes came back)")


def fake_doc(accepted, confirmed, patch):
    per = {"vmsplice": (accepted, confirmed), "futex": (accepted, confirmed),
           "kwalk": (accepted, 0)}
    return {
        "context": {
            "kernel_patch": patch,
            "alias_va_bits_runtime": "47",
            "alias_probe_bits": "47,48,top52",
            "alias_accepted_above_va": "yes" if accepted else "no",
            "alias_entry_points_accepted": "vmsplice,futex" if accepted
            else "none",
            "alias_confirmed": "yes" if confirmed else "no",
            "alias_confirmed_by": "vmsplice,futex" if confirmed else "none",
            "alias_kwalk_accepted": "yes" if accepted else "no",
            "alias_entry_points_not_checked": "none",
        },
        "benchmarks": [{"name": "alias/entry:%s/iterations:1" % e,
                        "run_type": "iteration", "accepted": 3 * a,
                        "probes": 3, "alias_confirmed": c, "label": "x"}
                       for e, (a, c) in per.items()],
    }


def verdicts(tmp):
    s = alias_summary.split_name("arm64-16k-52-lpa2-stock-neoverse-n1")
    ok(s == {"state": "arm64-16k-52-lpa2", "patch": "stock",
             "cpu": "neoverse-n1"}, "run names split into state/patch/cpu %s"
       % s)
    s = alias_summary.split_name("arm64-4k-52-lpa2-0003-max")
    ok(s["patch"] == "0003" and s["cpu"] == "max", "patched run name %s" % s)
    fix = [os.path.basename(p) for p in
           os.listdir(os.path.join(TOP, "configs", "patches"))
           if p.startswith("0003-")]
    fix = fix[0] if fix else "0003-missing.patch"
    exp = "page_size=16384 pgtable_levels=4 va_bits=52 lpa2=y"
    cases = [
        # name, levels at run time, doc, want: ok / todo / fail
        ("arm64-16k-52-lpa2-stock-neoverse-n1", 3, fake_doc(1, 1, "none"),
         "todo"),
        ("arm64-16k-52-lpa2-0003-neoverse-n1", 3, fake_doc(0, 0, fix), "ok"),
        ("arm64-16k-52-lpa2-0003-neoverse-n1", 3, fake_doc(1, 1, fix), "fail"),
        ("arm64-16k-52-lpa2-stock-max", 4, fake_doc(1, 0, "none"), "fail"),
        ("arm64-16k-52-lpa2-stock-max", 4, fake_doc(0, 0, "none"), "ok"),
        # a git tree (KERNEL=/path A= B=): commit B is named as itself, not
        # as stock; it aliases or not, as its run says
        ("arm64-16k-52-lpa2-B-neoverse-n1", 3,
         fake_doc(0, 0, "B:" + SHA), "ok"),
        ("arm64-16k-52-lpa2-B-neoverse-n1", 3,
         fake_doc(1, 1, "B:" + SHA), "todo"),
    ]
    label = {"none": "[stock, run-time folded]", fix: "[fixed (%s)]" % fix,
             "B:" + SHA: "[git commit B %s, run-time folded]" % SHA[:12]}
    for name, levels, doc, want in cases:
        d = os.path.join(tmp, "vm", name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "result.json"), "w") as f:
            json.dump(doc, f)
        # a run is named per source (scripts/vm/run.sh: <tag>/<name>); its
        # summary goes to $RESULTS/answer/<tag>/alias/, here under tmp
        summ = os.path.join(tmp, "answer", "7.3", "alias", name + ".json")
        if os.path.exists(summ):
            os.unlink(summ)  # the same run name again, another verdict
        p = subprocess.run([PY, os.path.join(TOP, "tests", "vm", "check.py"),
                            d, "7.3/" + name, "--levels", str(levels), "--l4",
                            "1" if levels >= 4 else "0", "--l5", "0",
                            "--expect", exp], capture_output=True, text=True,
                           env=dict(os.environ, RESULTS=tmp))
        lines = [l for l in p.stdout.splitlines()
                 if re.match(r"(not )?ok \d+ - [^:]+: alias: (addresses|no data)", l)]
        got = ("todo" if lines and all("# TODO" in l and l.startswith("not ok")
                                       for l in lines) else
               "ok" if lines and all(l.startswith("ok") for l in lines) else
               "fail" if any(l.startswith("not ok") and "# TODO" not in l
                             for l in lines) else "none")
        pname = doc["context"]["kernel_patch"]
        want_label = label[pname] if levels < 4 else "[control, not folded]"
        ok(all(want_label in l for l in lines),
           "check.py names the run %s" % want_label, "\n".join(lines))
        ok(len(lines) == 2 and got == want,
           "check.py on %s (%s): %s, want %s" %
           (name, "alias" if doc["context"]["alias_accepted_above_va"] == "yes"
            else "no alias", got, want), p.stdout)
        # the checker only judges; the VM run step (scripts/vm/run.sh)
        # writes the summary, with gupb alias
        ok(not os.path.exists(summ), "check.py wrote no summary (%s)" % name)
        p = subprocess.run([PY, "-m", "gupb", "alias", "--optional", "--out",
                            os.path.dirname(summ), d], capture_output=True,
                           text=True)
        try:
            j = json.load(open(summ))
        except (OSError, ValueError) as e:
            j = {"error": str(e)}
        ok(j.get("accepted_above_va") ==
           (doc["context"]["alias_accepted_above_va"] == "yes") and
           "entry_points" in j and "alias_confirmed" in j,
           "gupb alias wrote summary %s" % os.path.relpath(summ, tmp),
           "%s\n%s" % (j, p.stderr))


def main():
    gupbench = (sys.argv[1] if len(sys.argv) > 1 else
                os.path.join(TOP, "build", platform.machine(), "gupbench"))
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        if os.access(gupbench, os.X_OK):
            host_run(gupbench, tmp)
        else:
            T.skip("no binary at %s (make all)" % gupbench)
        verdicts(tmp)
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
