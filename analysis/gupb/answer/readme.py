# SPDX-License-Identifier: GPL-2.0
"""README's answer tables, generated, never copied by hand.

`make answer-readme` (after `make answer`) saves each source's
results/answer/<tag>/answer.json with how it was made (the make command,
gupbench's commit, the date) under results/examples/answer/<tag>/, then
rewrites the blocks of README.md between

    <!-- answer-readme: NAME -->  ...  <!-- answer-readme: end -->

from those saved files: NAME is `counts` (per source: effect, static and
per-call change, model cycles per core, each row of the state x CPU x
patch matrix that was made), `alias` (the alias verdicts of the test bed
runs the answer took in) or `versions` (the sources side by side).
`--check` rewrites nothing and exits 1 when README differs from what the
saved files give (make check runs it), so a table cannot go stale or be
edited by hand.

usage: gupb answer readme [--save RESULTS_ANSWER] [--snapshot DIR]
                          [--readme FILE] [--check]
The make command comes from RESULTS_ANSWER/<tag>/command.txt, which
`make answer-report` writes next to answer.json.
"""
import argparse
import datetime
import difflib
import glob
import os
import re
import subprocess
import sys


from gupb import fileio
from gupb.fileio import InputError
from gupb.answer import estimate as E
from gupb.answer import report as A
from gupb.answer import versions as V

BEGIN = re.compile(r"^<!-- answer-readme: ([a-z]+) -->$")
END = "<!-- answer-readme: end -->"
MADE = "made.json"


def _tag_key(tag):
    """Newest source first: 7.3 before 7.2 before 6.12; git trees last."""
    nums = re.findall(r"\d+", tag)
    return (tag.startswith("git-"), [-int(n) for n in nums], tag)


def load_snapshot(d):
    """[(tag, answer, made)] for every <tag>/answer.json under d."""
    out = []
    for path in glob.glob(os.path.join(d, "*", "answer.json")):
        tag = os.path.basename(os.path.dirname(path))
        ans = V.load(path)
        made_path = os.path.join(os.path.dirname(path), MADE)
        made = fileio.read_json(made_path)
        for k in ("command", "commit", "date"):
            if k not in made:
                raise InputError("%s: lacks %s" % (made_path, k))
        out.append((tag, ans, made))
    if not out:
        raise InputError("%s: no saved answer (<tag>/answer.json): run "
                           "`make answer` then `make answer-readme`" % d)
    return sorted(out, key=lambda t: _tag_key(t[0]))


def _md(headers, rows):
    return (["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"] +
            ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _made(tag, ans, made, snap):
    return ("`%s` (%s), made by `%s`; saved from gupbench %s on %s in "
            "`%s/%s/`." % (tag, ", ".join(ans["source"]), made["command"],
                          made["commit"], made["date"], snap, tag))


def _cycles(r, core):
    est = r.get("estimate") or {}
    v = (est.get("cores") or {}).get(core)
    if v is None:
        return "not estimated"
    if "skipped" in v:
        return "no model"
    one = v["delta_one_call_cycles"]
    return "%s (%s)" % (E._f(v["delta_cycles_per_call"]),
                        "%+d" % one if one else "0")


def counts_block(snap, docs):
    out = ["Per state, run-time CPU and patch (patch minus stock): the "
           "codegen effect, the static change of `gup_fast_fallback` "
           "(instructions), the exact per-call change of one "
           "`get_user_pages_fast_only()` of one page (instructions / loads "
           "/ stores; `=code`: not booted, its code is stock's or an "
           "earlier patch's) and the model's cycle change per core, steady "
           "state (one call from an empty pipeline): an llvm-mca estimate, "
           "never a measurement."]
    for tag, ans, made in docs:
        cores = ans.get("estimate_cores") or []
        heads = (["state", "lvl", "cpu", "patch", "effect", "static",
                  "per call"] + [E.core_name(c) for c in cores])
        rows = []
        for r in ans["rows"]:
            w = r["walk_static_delta"]
            c = r["counts"].get(A.MAIN)
            dyn = A._triple(c)
            if r["counts_by_identical_code"] and c is not None:
                dyn = "=code " + dyn
            rows.append([A.short(r["state"]), A._levels(r), r["cpu"],
                         r["patch"], r["effect"],
                         A._num(w["insns"]) if w else "-", dyn] +
                        [_cycles(r, k) for k in cores])
        out += ["", _made(tag, ans, made, snap), ""] + _md(heads, rows)
    return out


def _accepted(a):
    eps = a.get("entry_points") or []
    checked = [k for k, v in (a.get("per_entry_point") or {}).items()
               if v.get("status") == "checked"]
    if not eps:
        return "none (%d entry points checked)" % len(checked)
    return "%d of %d: %s" % (len(eps), len(checked), ", ".join(eps))


def alias_block(snap, docs):
    out = []
    for tag, ans, made in docs:
        if not ans.get("have_alias"):
            continue
        seen = set()
        rows = []
        for r in ans["rows"]:
            for patch, a in (("stock", r["alias_stock"]),
                             (r["patch"], r["alias"])):
                k = (r["state"], r["cpu"], patch)
                if a is None or k in seen:
                    continue
                seen.add(k)
                rows.append([A.short(r["state"]), r["cpu"], patch,
                             a.get("kernel_release") or "-",
                             "%s, %s bits" % (
                                 a.get("pgtable_levels_runtime") or "?",
                                 a.get("va_bits_runtime") or "?"),
                             _accepted(a),
                             ", ".join(a.get("confirmed_by") or []) or "no"])
        out += ["", _made(tag, ans, made, snap), ""] + _md(
            ["state", "cpu", "kernel", "release", "levels, user VA",
             "accepted above the run-time VA size", "data alias by"], rows)
    if not out:
        return ["No saved answer took in test-bed alias results (run "
                "`make vm-test` before `make answer`)."]
    return (["The test bed's alias check per run (every GUP-fast entry "
             "point at `X | 1 << b` above the run-time VA size; `data alias "
             "by`: the entry points that returned X's data there)."] + out)


def versions_block(snap, docs):
    if len(docs) < 2:
        return ["One source saved: nothing to put side by side."]
    heads, rows, sources = V.side_by_side([d[1] for d in docs])
    out = ["Per cell: the static change of `gup_fast_fallback`, then the "
           "exact per-call change (instructions/loads/stores); `differs`: "
           "not the same on every source (why: below the table, where "
           "both were counted), `partial`: not made on every source. " +
           " ".join("src%d: `%s` (%s)." % (i + 1, d[0], s)
                    for i, (d, s) in enumerate(zip(docs, sources))), ""]
    out += _md(heads, rows)
    why = V.why([d[1] for d in docs])
    if why:
        out += ["", "Why a per-call change differs, from the counted "
                "sequences (`gupb answer versions`): `code` is what the "
                "patch compiled to; stack loads/stores and register moves "
                "are the compiler's register allocation around it.", ""]
        for (state, cpu, patch), lines, verdict in why:
            out.append("- %s %s %s: %s. %s" % (
                A.short(state), cpu, patch, verdict, " ".join(
                    "src%d: %s." % (i + 1, l or "no counted sequence")
                    for i, l in lines)))
    return out


BLOCKS = {"counts": counts_block, "alias": alias_block,
          "versions": versions_block}


def render(readme_text, snap, docs):
    """README with every marked block regenerated."""
    out, name = [], None
    for line in readme_text.split("\n"):
        if name is None:
            out.append(line)
            m = BEGIN.match(line)
            if m:
                name = m.group(1)
                if name not in BLOCKS:
                    raise InputError("README: unknown block %r (known: %s)"
                                       % (name, ", ".join(sorted(BLOCKS))))
        elif line == END:
            out += BLOCKS[name](snap, docs) + [line]
            name = None
    if name is not None:
        raise InputError("README: block %r has no end marker" % name)
    return "\n".join(out)


def save(results, snap, top):
    """Copy every results/answer/<tag>/answer.json into the snapshot, with
    the command that made it (command.txt beside it)."""
    paths = sorted(glob.glob(os.path.join(results, "*", "answer.json")))
    if not paths:
        raise InputError("%s: no <tag>/answer.json: run `make answer` "
                           "first" % results)
    try:
        commit = subprocess.run(
            ["git", "-C", top, "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    for p in paths:
        tag = os.path.basename(os.path.dirname(p))
        ans = V.load(p)
        cmd_path = os.path.join(os.path.dirname(p), "command.txt")
        try:
            with open(cmd_path) as f:
                command = f.read().strip()
        except OSError as e:
            raise InputError("%s: %s (made before `make answer-report` "
                               "recorded its command: run it again)" %
                               (cmd_path, e.strerror))
        if not command:
            raise InputError("%s: empty" % cmd_path)
        d = os.path.join(snap, tag)
        fileio.write_json(os.path.join(d, "answer.json"), ans)
        fileio.write_json(os.path.join(d, MADE), {
            "command": command, "commit": commit, "date": date})
        print("answer-readme: saved %s (%s)" % (tag, ", ".join(ans["source"])))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--snapshot", default="results/examples/answer")
    ap.add_argument("--readme", default="README.md")
    ap.add_argument("--save", metavar="RESULTS_ANSWER",
                    help="first save RESULTS_ANSWER/<tag>/answer.json")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when README differs; rewrite nothing")
    a = ap.parse_args(argv)
    try:
        if a.save:
            save(a.save, a.snapshot,
                 os.path.dirname(os.path.abspath(a.readme)))
        docs = load_snapshot(a.snapshot)
        with open(a.readme) as f:
            old = f.read()
        label = os.path.relpath(a.snapshot,
                                os.path.dirname(os.path.abspath(a.readme)))
        new = render(old, label, docs)
    except (InputError, OSError) as e:
        print("answer-readme: %s" % e, file=sys.stderr)
        return 1
    if a.check:
        if new != old:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True),
                a.readme, a.readme + " (from %s)" % a.snapshot))
            print("answer-readme: %s differs from %s: `make answer-readme`"
                  % (a.readme, a.snapshot), file=sys.stderr)
            return 1
        return 0
    if new != old:
        fileio.write_text(a.readme, new)
    print("answer-readme: %s %s" % (a.readme,
                                    "rewritten" if new != old else "unchanged"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
