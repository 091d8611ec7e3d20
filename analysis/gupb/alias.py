# SPDX-License-Identifier: GPL-2.0
"""The alias check's verdict (bench/wl_alias.c, issue 14) of one run, as a
small JSON for the answer report: results/answer/alias/<name>.json with
{"state", "patch", "cpu", "accepted_above_va", "entry_points",
"alias_confirmed", ...}. Written atomically (temp file + rename).

usage: gupb alias [--out DIR] [--optional] RUNDIR...   (RUNDIR:
       results/vm/<tag>/<name>/ holding result.json; <name> is
       <fragment>-<stock|NNNN>-<cpu>)
The VM run step (scripts/vm/run.sh) runs it after every test-bed run;
the answer's alias step (gupb answer alias) over a source's runs.
"""
import argparse
import os
import re
import sys

from gupb import fileio

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
    for k in ("kernel_source", "kernel_source_version"):
        if ctx.get(k):
            s[k] = ctx[k]
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
    fileio.write_json(path, summary)
    return path


def default_out(rundir):
    """results/vm/<tag>/<run> -> results/answer/<tag>/alias
    (results/vm/<run> -> results/answer/alias)."""
    parent = os.path.dirname(os.path.abspath(rundir))
    if os.path.basename(parent) == "vm":
        return os.path.join(os.path.dirname(parent), "answer", "alias")
    return os.path.join(os.path.dirname(os.path.dirname(parent)), "answer",
                        os.path.basename(parent), "alias")


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="gupb alias", description="the alias check's verdict of "
        "test-bed runs, as results/answer/<tag>/alias/<run>.json")
    ap.add_argument("--out", help="folder (default: results/answer/<tag>/"
                    "alias for results/vm/<tag>/<run>)")
    ap.add_argument("--optional", action="store_true",
                    help="a run without a result or without the alias "
                    "check is noted, not an error (the VM run step)")
    ap.add_argument("rundir", nargs="+")
    a = ap.parse_args(argv)
    rc = 0
    for d in a.rundir:
        d = d.rstrip("/")
        try:
            doc = fileio.read_json(os.path.join(d, "result.json"))
            s = summarize(doc, os.path.basename(d))
            if s is None:
                raise fileio.InputError("%s: no alias check in this result"
                                        % d)
        except fileio.InputError as e:
            print("alias: %s" % e, file=sys.stderr)
            rc = rc if a.optional else 1
            continue
        print("# alias: summary in %s" % write(s, a.out or default_out(d)))
    return rc
