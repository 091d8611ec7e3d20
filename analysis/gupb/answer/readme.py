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

Saving merges by folding state: a full `make answer` takes longer than
one working session, so it is made a few states at a time (ANSWER_STATES=),
and each state's rows (patch minus stock within that state) stand on
their own. When <tag>/ already holds an answer of the exact same source
(answer.json's `source`), the states of the new answer replace theirs
(rows, excerpts, per-state flags) and the other saved states are kept;
rows stay in the order one `make answer` over all of them gives. A
different source (7.3-rc7 saved, 7.3-rc8 new) replaces the whole
snapshot, with one line on stderr naming both. made.json records each
part, {"parts": [{"states", "command", "commit", "date"}, ...]}; the
older {"command", "commit", "date"} reads as one part of every state. A
merged answer.json records per state what the answer took in
(`per_state`: have_alias, have_counts, estimate_cores), so the alias
block names only the states saved with alias verdicts.

usage: gupb answer readme [--save RESULTS_ANSWER] [--snapshot DIR]
                          [--readme FILE] [--check]
The make command comes from RESULTS_ANSWER/<tag>/command.txt, which
`make answer-report` writes next to answer.json.
"""
import argparse
import copy
import datetime
import difflib
import glob
import json
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
    """[(tag, answer, made)] for every <tag>/answer.json under d; made is
    always {"parts": [...]} (read_made)."""
    out = []
    for path in glob.glob(os.path.join(d, "*", "answer.json")):
        tag = os.path.basename(os.path.dirname(path))
        ans = V.load(path)
        per_state(ans, path)
        made = read_made(os.path.join(os.path.dirname(path), MADE), ans)
        out.append((tag, ans, made))
    if not out:
        raise InputError("%s: no saved answer (<tag>/answer.json): run "
                           "`make answer` then `make answer-readme`" % d)
    return sorted(out, key=lambda t: _tag_key(t[0]))


# ---- states of an answer, and merging by state ---------------------------

PART_KEYS = ("command", "commit", "date")
FLAGS = ("have_alias", "have_counts", "estimate_cores")


def _int(x):
    return x if isinstance(x, int) else -1


def _state_order(rows, excerpts=()):
    """Every state of rows and excerpts in the order gupb.answer.report
    .collect gives its rows: by static levels, page size and configured VA
    bits, ties by codegen/<state>.json's name (load_dir sorts the paths);
    states with excerpts but no rows last, by name."""
    first = {}
    for r in rows:
        first.setdefault(r["state"], r)
    ranked = sorted(first, key=lambda s: (
        _int(first[s].get("static_levels")), _int(first[s].get("page_size")),
        _int(first[s].get("config_va_bits")), s + ".json"))
    return ranked + sorted({e["state"] for e in excerpts} - set(first))


def states_of(ans):
    """The folding states an answer holds, in its table's order."""
    return _state_order(ans["rows"], ans.get("excerpts") or ())


def per_state(ans, where="answer.json"):
    """{state: {have_alias, have_counts, estimate_cores}}: what the answer
    took in for each state. A merged answer says it per state (per_state);
    one `make answer` says it once for all of its states."""
    states = states_of(ans)
    have = ans.get("per_state")
    if have is None:
        return {s: {"have_alias": bool(ans.get("have_alias")),
                    "have_counts": bool(ans.get("have_counts")),
                    "estimate_cores": list(ans.get("estimate_cores") or [])}
                for s in states}
    if not isinstance(have, dict) or sorted(have) != sorted(states):
        raise InputError("%s: per_state names states %s, its rows %s" % (
            where, ", ".join(sorted(have or ())), ", ".join(sorted(states))))
    for s, f in have.items():
        if not isinstance(f, dict) or any(k not in f for k in FLAGS):
            raise InputError("%s: per_state %s lacks one of %s" %
                               (where, s, ", ".join(FLAGS)))
    return have


def _cores(cores):
    """Cores in gupb.answer.estimate.cores_of's order."""
    return sorted(set(cores), key=lambda c: (c not in E.CORE_SHORT, c))


def read_made(path, ans):
    """made.json as {"parts": [{states, command, commit, date}, ...]}, each
    state of ans in exactly one part. The older {command, commit, date}
    (one `make answer` over every state) reads as one part."""
    made = fileio.read_json(path)
    if isinstance(made, dict) and "parts" in made:
        parts = made["parts"]
        if not isinstance(parts, list) or not parts:
            raise InputError("%s: parts is not a non-empty list" % path)
        for i, p in enumerate(parts):
            missing = [k for k in ("states",) + PART_KEYS
                       if not isinstance(p, dict) or k not in p]
            if missing:
                raise InputError("%s: part %d lacks %s" %
                                   (path, i + 1, ", ".join(missing)))
            if (not isinstance(p["states"], list) or not p["states"] or
                    not all(isinstance(x, str) for x in p["states"])):
                raise InputError("%s: part %d: states is not a non-empty "
                                   "list of state names" % (path, i + 1))
    elif isinstance(made, dict) and any(k in made for k in PART_KEYS):
        missing = [k for k in PART_KEYS if k not in made]
        if missing:
            raise InputError("%s: lacks %s" % (path, ", ".join(missing)))
        parts = [dict({k: made[k] for k in PART_KEYS},
                      states=states_of(ans))]
    else:
        raise InputError("%s: neither {\"parts\": [...]} nor {\"command\", "
                           "\"commit\", \"date\"}" % path)
    states = states_of(ans)
    named = [s for p in parts for s in p["states"]]
    for what, bad in (
            ("names a state twice", sorted({s for s in named
                                            if named.count(s) > 1})),
            ("names states the answer lacks", sorted(set(named) -
                                                     set(states))),
            ("does not say who made", [s for s in states
                                       if s not in named])):
        if bad:
            raise InputError("%s: %s: %s" % (path, what, ", ".join(bad)))
    return {"parts": parts}


def merge(old, old_made, new, part):
    """(answer, made) of a saved answer old (made as read_made gives it)
    and a new answer of the same source: the new answer's states replace
    theirs, the other states of old are kept. part is {command, commit,
    date} of the new answer. Same result whatever order disjoint states
    were saved in, but for the hardware comparison (one per answer, not
    per state: the newest one given)."""
    if old["source"] != new["source"]:
        raise InputError("merge: sources differ (%s, %s)" % (
            ", ".join(old["source"]), ", ".join(new["source"])))
    old, new = copy.deepcopy(old), copy.deepcopy(new)
    made_now = set(states_of(new))
    if not made_now:
        raise InputError("the new answer has no rows: nothing to save")
    flags = {s: f for s, f in per_state(old).items() if s not in made_now}
    flags.update(per_state(new))
    rows = [r for r in old["rows"] if r["state"] not in made_now]
    excerpts = [e for e in old.get("excerpts") or []
                if e["state"] not in made_now]
    rows += new["rows"]
    excerpts += new.get("excerpts") or []
    order = _state_order(rows, excerpts)
    rank = {s: i for i, s in enumerate(order)}
    rows.sort(key=lambda r: rank[r["state"]])
    excerpts.sort(key=lambda e: (e["state"], e["patch"]))
    ans = dict(old)
    ans.update(new)
    ans.update({
        "rows": rows, "excerpts": excerpts, "per_state": flags,
        "patches": sorted({r["patch"] for r in rows} |
                          {e["patch"] for e in excerpts}),
        "have_alias": any(f["have_alias"] for f in flags.values()),
        "have_counts": any(f["have_counts"] for f in flags.values()),
        "estimate_cores": _cores(c for f in flags.values()
                                 for c in f["estimate_cores"]),
    })
    # One hardware comparison per answer (not per state): the newest one,
    # matched again against every row, as gupb.answer.report.build does.
    hw = new.get("hardware") or old.get("hardware")
    for r in rows:
        r.pop("hardware", None)
    if hw:
        try:
            hw["matches"] = A.hw_match(rows, hw)
        except (KeyError, TypeError, AttributeError) as e:
            raise InputError("answer.json: hardware comparison without "
                               "the result files' context (%s)" % e)
    ans["hardware"] = hw
    parts = [dict(p, states=[s for s in p["states"] if s not in made_now])
             for p in old_made["parts"]]
    parts = [p for p in parts if p["states"]]
    parts.append(dict({k: part[k] for k in PART_KEYS},
                      states=sorted(made_now)))
    for p in parts:
        p["states"].sort(key=rank.__getitem__)
    parts.sort(key=lambda p: rank[p["states"][0]])
    return ans, {"parts": parts}


def _md(headers, rows):
    return (["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"] +
            ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _made(tag, ans, made, snap, only=None):
    """Which command made the answer, at which commit and date, in one
    sentence; per part (its states, short) when it was saved in parts.
    only: name only these states' parts."""
    parts = [dict(p, states=[s for s in p["states"]
                             if only is None or s in only])
             for p in made["parts"]]
    parts = [p for p in parts if p["states"]]
    head = "`%s` (%s), " % (tag, ", ".join(ans["source"]))
    if len(parts) == 1:
        p = parts[0]
        return head + ("made by `%s`; saved from gupbench %s on %s in "
                       "`%s/%s/`." % (p["command"], p["commit"], p["date"],
                                      snap, tag))
    return head + ("made in %d parts, saved in `%s/%s/`: " % (
        len(parts), snap, tag)) + "; ".join(
            "%s by `%s`, saved from gupbench %s on %s" % (
                ", ".join(A.short(s) for s in p["states"]), p["command"],
                p["commit"], p["date"]) for p in parts) + "."


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
        flags = per_state(ans)
        took = [s for s in states_of(ans) if flags[s]["have_alias"]]
        if not took:
            continue
        seen = set()
        rows = []
        for r in ans["rows"]:
            if r["state"] not in took:
                continue
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
        line = _made(tag, ans, made, snap, took)
        without = [A.short(s) for s in states_of(ans) if s not in took]
        if without:
            line += (" Saved without alias verdicts: %s." %
                     ", ".join(without))
        out += ["", line, ""] + _md(
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
                "patch compiled to, `branches` its branch layout; stack "
                "loads/stores and register moves are the compiler's "
                "register allocation around it.", ""]
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


def _saved(d):
    """The answer saved in snapshot folder d, or None."""
    path = os.path.join(d, "answer.json")
    return V.load(path) if os.path.exists(path) else None


def _unchanged(old, old_made, new, part):
    """When saved answer old already holds every state of new as new has
    it (rows, excerpts, flags, hardware comparison), made by the same
    command: the commits and dates it was saved from ("c0ffee1 on
    2026-12-07"), so saving again re-stamps nothing. Else None."""
    states = set(states_of(new))
    parts = [p for p in old_made["parts"] if states & set(p["states"])]
    if any(p["command"] != part["command"] for p in parts):
        return None

    def pick(ans, key):
        return sorted((json.dumps(dict(x, hardware=None), sort_keys=True)
                       for x in ans.get(key) or [] if x["state"] in states))
    def hw(ans):  # the comparison, without its matches against the rows
        return dict(ans.get("hardware") or {}, matches=None)
    flags = {s: f for s, f in per_state(old).items() if s in states}
    if (pick(old, "rows") != pick(new, "rows") or
            pick(old, "excerpts") != pick(new, "excerpts") or
            flags != per_state(new) or
            (new.get("hardware") and hw(new) != hw(old))):
        return None
    return ", ".join(sorted({"%s on %s" % (p["commit"], p["date"])
                             for p in parts}))


def save_one(ans, part, d):
    """Save answer ans, made as part says ({command, commit, date}), in
    snapshot folder d: merged by state into what d holds of the same
    source, else in its place. Returns "; kept <states>" when saved
    states were kept, else ""."""
    if not states_of(ans):
        raise InputError("%s: the new answer has no rows: nothing to save"
                           % d)
    old = _saved(d)
    note = ""
    if old is not None and old["source"] == ans["source"]:
        old_made = read_made(os.path.join(d, MADE), old)
        same = _unchanged(old, old_made, ans, part)
        if same:
            return "; unchanged, kept as saved from %s" % same
        kept = [A.short(s) for s in states_of(old)
                if s not in states_of(ans)]
        ans, made = merge(old, old_made, ans, part)
        note = "; kept %s" % ", ".join(kept) if kept else ""
    else:
        if old is not None:
            print("answer-readme: %s: new source `%s` is not the saved "
                  "`%s`: the whole snapshot is replaced (saved states: %s)"
                  % (d, ", ".join(ans["source"]), ", ".join(old["source"]),
                     ", ".join(A.short(s) for s in states_of(old))),
                  file=sys.stderr)
        made = {"parts": [dict({k: part[k] for k in PART_KEYS},
                               states=states_of(ans))]}
    fileio.write_json(os.path.join(d, "answer.json"), ans)
    fileio.write_json(os.path.join(d, MADE), made)
    return note


def source_commit(top, outputs):
    """gupbench's commit for a saved answer: `git describe`, "-dirty" only
    when a tracked file other than this step's own outputs (README, the
    snapshot folder; paths absolute or relative to the working directory)
    differs from it, so saving one part of an answer after another does
    not mark the next part dirty."""
    def git(*args):
        return subprocess.run(["git", "-C", top] + list(args),
                              capture_output=True, text=True,
                              check=True).stdout.strip()
    try:
        commit = git("describe", "--always")
        changed = git("status", "--porcelain", "--untracked-files=no",
                      "--", ".", *[":(exclude)%s" % os.path.relpath(
                          os.path.abspath(o), os.path.abspath(top))
                          for o in outputs])
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + ("-dirty" if changed else "")


def save(results, snap, readme, commit=None, date=None):
    """Save every results/answer/<tag>/answer.json in the snapshot, with
    the command that made it (command.txt beside it), merged by state into
    a saved answer of the same source (save_one)."""
    paths = sorted(glob.glob(os.path.join(results, "*", "answer.json")))
    if not paths:
        raise InputError("%s: no <tag>/answer.json: run `make answer` "
                           "first" % results)
    if commit is None:
        commit = source_commit(os.path.dirname(os.path.abspath(readme)),
                               [snap, readme])
    if date is None:
        date = datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d")
    for p in paths:
        tag = os.path.basename(os.path.dirname(p))
        ans = V.load(p)
        per_state(ans, p)
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
        note = save_one(ans, {"command": command, "commit": commit,
                              "date": date}, os.path.join(snap, tag))
        print("answer-readme: %s %s (%s): %s%s" % (
            "kept" if note.startswith("; unchanged") else "saved",
            tag, ", ".join(ans["source"]),
            ", ".join(A.short(s) for s in states_of(ans)), note))


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
            save(a.save, a.snapshot, a.readme)
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
