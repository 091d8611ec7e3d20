#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The alias check's verdict (bench/wl_alias.c, issue 14) of one run, as a
small JSON for the answer report: results/answer/alias/<name>.json with
{"state", "patch", "cpu", "accepted_above_va", "entry_points",
"alias_confirmed", ...}. Written atomically (temp file + rename).

usage: alias_summary.py [--out DIR] RUNDIR...   (RUNDIR: results/vm/<name>/
       holding result.json; <name> is <fragment>-<stock|NNNN>-<cpu>)
tests/vm/check.py calls summarize() and write() after every test-bed run.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "analysis"))
import gupb_io  # noqa: E402

# "arm64-16k-52-lpa2-stock-neoverse-n1": the cpu may hold dashes, the
# patch never does, so split at the last -stock- / -NNNN-.
SPLIT = re.compile(r"^(?P<state>.+)-(?P<patch>stock|\d{4}|B)-(?P<cpu>.+)$")


def split_name(name):
    m = SPLIT.match(name)
    if not m:
        return {"state": name, "patch": "unknown", "cpu": "unknown"}
    return m.groupdict()


def _list(v):
    return [] if v in (None, "", "none", "n/a") else v.split(",")


def summarize(doc, name):
    """The verdict from a result JSON (dict); None if the check did not run."""
    ctx = doc.get("context", {})
    if "alias_accepted_above_va" not in ctx:
        return None
    s = split_name(name)
    s["run"] = name
    s.update({
        "accepted_above_va": ctx["alias_accepted_above_va"] == "yes",
        "entry_points": _list(ctx.get("alias_entry_points_accepted")),
        "alias_confirmed": ctx.get("alias_confirmed") == "yes",
        "confirmed_by": _list(ctx.get("alias_confirmed_by")),
        "kwalk_accepted": ctx.get("alias_kwalk_accepted"),
        "not_checked": _list(ctx.get("alias_entry_points_not_checked")),
        "va_bits_runtime": int(ctx.get("alias_va_bits_runtime", "0")),
        "probe_bits": _list(ctx.get("alias_probe_bits")),
        "pgtable_levels_runtime": ctx.get("pgtable_levels_runtime"),
        "kernel_release": ctx.get("kernel_release") or ctx.get("uname_release"),
    })
    per = {}
    for b in doc.get("benchmarks", []):
        m = re.match(r"alias/entry:([^/]+)", b.get("name", ""))
        if not m or b.get("run_type", "iteration") != "iteration":
            continue
        if b.get("error_occurred"):
            per[m.group(1)] = {"status": b.get("error_message", "error")}
        else:
            per[m.group(1)] = {
                "status": "checked",
                "accepted": int(b.get("accepted", 0)),
                "probes": int(b.get("probes", 0)),
                "alias_confirmed": bool(b.get("alias_confirmed", 0)),
                "label": b.get("label", ""),
            }
    s["per_entry_point"] = per
    return s


def write(summary, outdir):
    # <state>-<stock|NNNN>-<cpu>.json: the run's own name.
    path = os.path.join(outdir, os.path.basename(summary["run"]) + ".json")
    gupb_io.write_json(path, summary)
    return path


def main(argv):
    outdir = None
    if len(argv) > 2 and argv[1] == "--out":
        outdir, argv = argv[2], argv[2:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    rc = 0
    for d in argv[1:]:
        d = d.rstrip("/")
        try:
            with open(os.path.join(d, "result.json")) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("alias_summary: %s: %s" % (d, e), file=sys.stderr)
            rc = 1
            continue
        s = summarize(doc, os.path.basename(d))
        if s is None:
            print("alias_summary: %s: no alias check in this result" % d,
                  file=sys.stderr)
            rc = 1
            continue
        out = outdir or os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(d))), "answer", "alias")
        print(write(s, out))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
