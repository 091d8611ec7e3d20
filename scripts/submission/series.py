# SPDX-License-Identifier: GPL-2.0
"""Write a patch series for upstream from configs/: `make submission`.

usage: series.py --src DIR --label TEXT --out DIR [--kernel NAME]
                 [--rfc] [--selftest auto|yes|no] [--results DIR]
                 [--no-checks] PATCHFILE...

SRC is an unpacked kernel source (the base: a Debian linux-source-X.Y or
a checkout of a user's commit); LABEL names it in the cover letter
("linux-source-7.3 7.3~rc7-1~exp1"). Each PATCHFILE (configs/patches/,
the variant for this base) becomes one commit: its Subject: and body,
without any Signed-off-by: it carries, authored and signed off by the
submitter from `git config user.name/user.email` (refused without them:
no invented identity). With the alias fix (a patch that defines
gup_fast_permitted()) the kselftest configs/selftests/mm/gup_va_limit.c
follows as its own commit. `git format-patch --cover-letter` writes the
series into OUT (replaced atomically); the cover letter is filled from
the test bed's results (RESULTS/vm/*/, RESULTS/answer/answer.json), and
says which command produces a missing result instead of a number. Every
patch must pass the base's scripts/checkpatch.pl --strict; recipients
come from the base's scripts/get_maintainer.pl --no-git, per patch, the
union on the cover letter. Exit 1 with a message on any failure.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
SELFTEST = os.path.join(TOP, "configs", "selftests", "mm", "gup_va_limit.c")
SELFTEST_MSG = os.path.join(TOP, "configs", "selftests", "mm",
                            "gup_va_limit.msg")
ST_DIR = "tools/testing/selftests/mm"
ST_NAME = "gup_va_limit"
MAIN = "gup_fast_only_1page"
WALK = "mm/gup.o:gup_fast_fallback"


class Fail(Exception):
    """A failure whose message says what to do."""


def run(cmd, cwd=None, env=None, ok=(0,)):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode not in ok:
        raise Fail("%s failed (exit %d): %s" % (
            " ".join(cmd[:3]), p.returncode,
            (p.stderr or p.stdout).strip()[:2000]))
    return p


def identity(cwd):
    """The submitter's name and email from git config; refuse without."""
    got = {}
    for k in ("user.name", "user.email"):
        p = subprocess.run(["git", "config", k], cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True)
        got[k] = p.stdout.strip()
    missing = [k for k, v in got.items() if not v]
    if missing:
        raise Fail("no git identity (%s unset): the patches carry your "
                   "From: and Signed-off-by:, and none is invented. Set "
                   "them: git config --global user.name \"Your Name\"; "
                   "git config --global user.email you@example.org" %
                   ", ".join(missing))
    return got["user.name"], got["user.email"]


def parse_patch(path):
    """(subject, body, diff) of a patch file in mail form; every
    Signed-off-by: and From: line of the header and body is dropped."""
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition("\n\n")
    if not sep:
        raise Fail("%s: no header/body separation" % path)
    m = re.search(r"^Subject:[ \t]*(.*(?:\n[ \t].*)*)", head, re.M)
    if not m:
        raise Fail("%s: no Subject: line" % path)
    subject = " ".join(l.strip() for l in m.group(1).splitlines())
    subject = re.sub(r"^\[[^]]*PATCH[^]]*\]\s*", "", subject)
    # The body ends at the first "---" line (diffstat follows) or the diff.
    m = re.search(r"^(---\s*$|diff --git )", rest, re.M)
    if not m:
        raise Fail("%s: no diff in the patch" % path)
    body = rest[:m.start()]
    d = re.compile(r"^(diff --git |--- a/)", re.M).search(rest, m.start())
    if not d:
        raise Fail("%s: no diff in the patch" % path)
    diff = rest[d.start():]
    body = "\n".join(l for l in body.splitlines()
                     if not re.match(r"(Signed-off-by|From):", l))
    return subject, body.strip() + "\n", diff


def diff_files(diff):
    return sorted(set(re.findall(r"^\+\+\+ b/(\S+)", diff, re.M)))


def defines_fix(diff):
    return "gup_fast_permitted" in diff


# ---- the series in a scratch repository --------------------------------

def git(repo, *args, env=None):
    return run(["git", "-C", repo] + list(args), env=env)


def add_selftest(src, repo):
    """The kselftest, its Makefile and run_vmtests.sh lines (and a
    .gitignore entry where the base lists binaries one by one), written
    into repo; raises if the base lacks the anchors."""
    d = os.path.join(repo, ST_DIR)
    with open(SELFTEST) as f:
        test = f.read()
    # Older bases (6.12) include the harness by its relative path.
    styles = {"new": 0, "old": 0}
    for c in glob.glob(os.path.join(src, ST_DIR, "*.c")):
        with open(c, errors="replace") as f:
            t = f.read()
        styles["new"] += len(re.findall(r'^#include "kselftest', t, re.M))
        styles["old"] += len(re.findall(r'^#include "\.\./kselftest', t,
                                        re.M))
    if styles["old"] > styles["new"]:
        test = test.replace('#include "kselftest_harness.h"',
                            '#include "../kselftest_harness.h"')
    with open(os.path.join(d, ST_NAME + ".c"), "w") as f:
        f.write(test)

    def insert_after(name, anchor, line):
        p = os.path.join(d, name)
        with open(p) as f:
            lines = f.read().split("\n")
        hits = [i for i, l in enumerate(lines) if re.match(anchor, l)]
        if not hits:
            raise Fail("%s/%s of the base has no line matching %r to add "
                       "%r after" % (ST_DIR, name, anchor, line))
        if line not in lines:
            lines.insert(hits[0] + 1, line)
        with open(p, "w") as f:
            f.write("\n".join(lines))

    insert_after("Makefile", r"TEST_GEN_FILES \+= gup_test$",
                 "TEST_GEN_FILES += " + ST_NAME)
    insert_after("run_vmtests.sh",
                 r'CATEGORY="gup_test" run_test \./gup_longterm$',
                 'CATEGORY="gup_test" run_test ./' + ST_NAME)
    gi = os.path.join(d, ".gitignore")
    with open(gi) as f:
        ign = f.read().split("\n")
    if "*" not in ign:  # newer bases ignore everything but sources
        insert_after(".gitignore", r"gup_longterm$", ST_NAME)


def build_series(src, patches, ident, selftest, work):
    """A scratch repository holding only the files the series touches,
    at the base, then one commit per patch: returns (repo, base commit)."""
    repo = os.path.join(work, "repo")
    parsed = [(p,) + parse_patch(p) for p in patches]
    files = set()
    for _, _, _, diff in parsed:
        files.update(diff_files(diff))
    if selftest:
        files.update(ST_DIR + "/" + n
                     for n in ("Makefile", "run_vmtests.sh", ".gitignore"))
    for f in sorted(files):
        s = os.path.join(src, f)
        if not os.path.isfile(s):
            raise Fail("%s: not in the base %s" % (f, src))
        os.makedirs(os.path.dirname(os.path.join(repo, f)), exist_ok=True)
        shutil.copy(s, os.path.join(repo, f))
    name, email = ident
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base", env=env)
    base = git(repo, "rev-parse", "HEAD").stdout.strip()
    for path, subject, body, diff in parsed:
        dpath = os.path.join(work, "diff")
        with open(dpath, "w") as f:
            f.write(diff)
        p = subprocess.run(["git", "-C", repo, "apply", "--index", dpath],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if p.returncode:
            raise Fail("%s does not apply to this base: %s" % (
                os.path.basename(path), p.stderr.strip().splitlines()[0]))
        commit(repo, subject, body, env, work)
    if selftest:
        add_selftest(src, repo)
        git(repo, "add", "-A")
        with open(SELFTEST_MSG) as f:
            subject, _, body = f.read().partition("\n\n")
        commit(repo, subject.strip(), body.strip() + "\n", env, work)
    return repo, base


def commit(repo, subject, body, env, work):
    msg = os.path.join(work, "msg")
    with open(msg, "w") as f:
        f.write(subject + "\n\n" + body)
    git(repo, "commit", "-q", "--signoff", "-F", msg, env=env)


# ---- recipients and checks against the base ----------------------------

def maintainers(src, patch):
    """(to, cc) for one patch from the base's get_maintainer.pl: its
    maintainers To:, reviewers and lists Cc:. By the files it touches
    only (--no-keywords): MAINTAINERS' K: patterns also match the commit
    message, and the fix's mention of the riscv TASK_SIZE_MAX revert put
    the RISC-V maintainers in To: of an arm64 patch."""
    p = run(["perl", "scripts/get_maintainer.pl", "--no-git",
             "--no-git-fallback", "--no-keywords", "--rolestats",
             "--no-remove-duplicates", os.path.abspath(patch)], cwd=src)
    to, cc = [], []
    for line in p.stdout.splitlines():
        m = re.match(r"(.*?)\s*\(([^)]*)", line)
        who, role = (m.group(1), m.group(2)) if m else (line.strip(), "")
        if not who:
            continue
        (to if role.startswith("maintainer") else cc).append(who)
    return to, cc


def has_history(gitdir, ids):
    """True when the git directory knows every commit id in ids."""
    if not gitdir:
        return False
    return all(subprocess.run(["git", "--git-dir", gitdir, "cat-file", "-e",
                               i + "^{commit}"], stderr=subprocess.DEVNULL)
               .returncode == 0 for i in ids)


def checkpatch(src, patch, ignore, gitdir=None):
    """(clean, output) of the base's checkpatch.pl --strict; ignore: the
    message types not checked, each with its reason in the report."""
    cmd = ["perl", "scripts/checkpatch.pl", "--strict", "--no-summary",
           "--terse"]
    if ignore:
        cmd += ["--ignore", ",".join(ignore)]
    env = dict(os.environ)
    env.pop("GIT_DIR", None)
    if gitdir:
        env["GIT_DIR"] = gitdir
    p = run(cmd + [os.path.abspath(patch)], cwd=src, ok=(0, 1), env=env)
    return p.returncode == 0, p.stdout.strip()


def checkpatch_ignores(src, patch, to, gitdir=None):
    """What checkpatch cannot judge here, and why (never style):
    - UNKNOWN_COMMIT_ID: a Debian source has no git history, so every
      Fixes: id is "unknown" to it; checked instead that each id has 12
      hex digits and a quoted subject, and where the base is a git tree
      that holds them, not ignored at all.
    - FILE_PATH_CHANGES ("does MAINTAINERS need updating?") for a new
      file that get_maintainer.pl already maps to a maintainer."""
    with open(patch) as f:
        text = f.read()
    ign, why = [], []
    ids = re.findall(r"^Fixes: ([0-9a-f]+)", text, re.M)
    if ids and not has_history(gitdir, ids):
        bad = [l for l in re.findall(r"^Fixes: .*", text, re.M)
               if not re.match(r'Fixes: [0-9a-f]{12} \("[^"]+"\)$', l)]
        if bad:
            raise Fail("%s: Fixes: needs 12 hex digits and (\"subject\"): "
                       "%s" % (os.path.basename(patch), "; ".join(bad)))
        ign.append("UNKNOWN_COMMIT_ID")
        why.append("UNKNOWN_COMMIT_ID not checked: the base has no git "
                   "history holding %s (format checked: 12 digits, quoted "
                   "subject)" % ", ".join(ids))
    if re.search(r"^new file mode", text, re.M) and to:
        ign.append("FILE_PATH_CHANGES")
        why.append("FILE_PATH_CHANGES not checked: the new files are "
                   "covered by MAINTAINERS (get_maintainer.pl: %s)" %
                   ", ".join(to))
    return ign, why


def add_headers(path, to, cc):
    """To:/Cc: lines after Subject: (and its continuation lines)."""
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition("\n\n")
    lines = head.split("\n")
    i = next(i for i, l in enumerate(lines) if l.startswith("Subject:")) + 1
    while i < len(lines) and lines[i][:1] in (" ", "\t"):
        i += 1
    extra = []
    if to:
        extra.append("To: " + ",\n    ".join(to))
    if cc:
        extra.append("Cc: " + ",\n    ".join(cc))
    lines[i:i] = extra
    with open(path, "w") as f:
        f.write("\n".join(lines) + sep + rest)


# ---- the cover letter from the test bed's results ----------------------

def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


NAME = re.compile(r"^(?P<state>.+)-(?P<patch>stock|\d{4})-(?P<cpu>[^/]+)$")


def ranges(nums):
    """[47, 48, 49, 52] -> '47-49,52'."""
    out, nums = [], sorted(nums)
    for n in nums:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ",".join("%d" % a if a == b else "%d-%d" % (a, b) for a, b in out)


def selftest_verdict(tap):
    """'pass'/'FAIL'/'skip' and counts from the kselftest's TAP text."""
    ok = len(re.findall(r"^ok \d+ (?!.*# SKIP)", tap, re.M))
    skip = len(re.findall(r"^ok \d+ .*# SKIP", tap, re.M))
    bad = re.findall(r"^not ok \d+ (\S+)", tap, re.M)
    if bad:
        bits = {int(m.group(1)) for m in
                (re.search(r"bit(\d+)", b) for b in bad) if m}
        return "FAIL bits %s" % ranges(bits)
    if ok:
        return "pass %d, skip %d" % (ok, skip) if skip else "pass %d" % ok
    if skip:
        return "skip (all %d)" % skip
    return "no result"


def alias_verdict(s):
    if s is None:
        return None
    if not s.get("accepted_above_va"):
        return "refused"
    return "ALIAS: %s" % ",".join(s.get("confirmed_by") or []) \
        if s.get("alias_confirmed") else "accepted (%d entry points)" % \
        len(s.get("entry_points") or [])


def testbed_runs(results):
    """Every test-bed run under RESULTS/vm/ (any depth): its name split
    into state/patch/cpu, the kernel release, the alias verdict and the
    kselftest verdict."""
    runs = []
    for rj in sorted(glob.glob(os.path.join(results, "vm", "**",
                                            "result.json"), recursive=True)):
        d = os.path.dirname(rj)
        m = NAME.match(os.path.basename(d))
        if not m:
            continue
        doc = load_json(rj) or {}
        ctx = doc.get("context", {})
        r = m.groupdict()
        r["kernel"] = ctx.get("kernel_release") or ctx.get("uname_release") \
            or "?"
        r["source"] = ctx.get("kernel_source", "")
        r["vabits"] = ctx.get("alias_va_bits_runtime", "?")
        r["levels"] = ctx.get("pgtable_levels_runtime", "?")
        r["alias"] = None
        if "alias_accepted_above_va" in ctx:
            r["alias"] = alias_verdict({
                "accepted_above_va": ctx["alias_accepted_above_va"] == "yes",
                "alias_confirmed": ctx.get("alias_confirmed") == "yes",
                "confirmed_by": [x for x in ctx.get(
                    "alias_confirmed_by", "").split(",") if x and
                    x != "none"],
                "entry_points": [x for x in ctx.get(
                    "alias_entry_points_accepted", "").split(",") if x and
                    x != "none"]})
        tap = os.path.join(d, ST_NAME + ".tap")
        r["selftest"] = None
        if os.path.exists(tap):
            with open(tap, errors="replace") as f:
                r["selftest"] = selftest_verdict(f.read())
        runs.append(r)
    return runs


def short(state):
    return state[len("arm64-"):] if state.startswith("arm64-") else state


def table(headers, rows):
    w = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    out = ["  ".join(str(x).ljust(n) for x, n in zip(headers, w)).rstrip()]
    out.append("  ".join("-" * n for n in w))
    out += ["  ".join(str(x).ljust(n) for x, n in zip(r, w)).rstrip()
            for r in rows]
    return out


def reproducer_section(runs, fix, kernel_arg):
    """Per kernel x state x CPU, stock and fixed: the alias check and the
    kselftest, one table per kernel release."""
    lines = []
    want = [("arm64-16k-52-lpa2", c) for c in ("neoverse-n1", "max")]
    rows = {}
    for r in runs:
        if r["patch"] in ("stock", fix):
            rows.setdefault((r["kernel"], r["state"], r["cpu"]),
                            {})[r["patch"]] = r
    for kern in sorted({k for k, _, _ in rows}):
        body = []
        for (k, state, cpu), sides in sorted(rows.items()):
            if k != kern:
                continue
            for p in ("stock", fix):
                r = sides.get(p)
                if r is None:
                    continue
                body.append([short(state), cpu, str(r["vabits"]), p,
                             r["alias"] or "not checked",
                             r["selftest"] or "not run"])
        lines += ["Kernel %s:" % kern] + table(
            ["state", "cpu", "VA", "patch", "GUP above VA", "selftest"],
            body) + [""]
    have = {(s, c) for (_, s, c) in rows}
    for state, cpu in want:
        if (state, cpu) not in have:
            lines.append("No test-bed run of %s -cpu %s here: `make vm-test%s`"
                         " produces it." % (short(state), cpu, kernel_arg))
    for state, cpu in sorted(have):
        for p in ("stock", fix):
            if not any(p in v for (k, s, c), v in rows.items()
                       if (s, c) == (state, cpu)):
                lines.append("No %s run of %s -cpu %s: `make vm-test%s` (or"
                             " vm-matrix) produces it." % (
                                 p if p == "stock" else "patch " + p,
                                 short(state), cpu, kernel_arg))
    if rows:
        lines.append("(VA: user VA bits at run time; GUP above VA: what "
                     "GUP-fast's user entry points did with X | 1 << b "
                     "above it, ALIAS when they returned X's data; "
                     "selftest: patch 2, its 18 cases: pass, skip (inside "
                     "the user VA), FAIL.)")
    return lines


def load_answers(results, tag):
    """[(tag, answer.json)] from results/answer/<tag>/ (make answer per
    source), the base's first; a missing base answer is (tag, None)."""
    got = {}
    for path in sorted(glob.glob(os.path.join(results, "answer", "*",
                                              "answer.json"))):
        doc = load_json(path)
        if isinstance(doc, dict):
            got[os.path.basename(os.path.dirname(path))] = doc
    out = [(tag, got.pop(tag, None))]
    return out + sorted(got.items())


def cost_section(answers, fix, kernel_arg):
    """The fix's exact cost from each source's answer.json."""
    lines = []
    for tag, answer in answers:
        if lines:
            lines.append("")
        lines += cost_one(answer, fix, kernel_arg, tag)
    if any(a for _, a in answers):
        lines.append("(static: gup_fast_fallback instructions, patch - "
                     "stock; per call: instructions/loads/stores of one "
                     "get_user_pages_fast_only() of one page, exact counts "
                     "of a QEMU TCG plugin; effect \"none\": identical "
                     "code.)")
    return lines


def cost_one(answer, fix, kernel_arg, tag):
    if answer is None:
        return ["The fix's cost on this base is not in results/answer/%s/ "
                "here: `make answer%s` produces it." % (tag, kernel_arg)]
    lines = ["Source: %s." % ", ".join(answer.get("source") or ["?"])]
    body = []
    for r in answer.get("rows", []):
        if r.get("patch") != fix:
            continue
        w = r.get("walk_static_delta")
        c = (r.get("counts") or {}).get(MAIN)
        body.append([
            short(r["state"]), r["cpu"], r.get("effect", "?"),
            "%+d" % w["insns"] if w else "not built",
            "%+d/%+d/%+d" % (c["insns"], c["loads"], c["stores"])
            if c else "not measured"])
    if not body:
        return ["results/answer/%s/answer.json has no rows for %s: `make "
                "answer%s` produces them." % (tag, fix, kernel_arg)]
    lines += table(["state", "cpu", "effect", "static insns",
                    "per call i/l/s"], body)
    return lines


def answer_table(answers, kernel_arg):
    """The answers' per-state tables for the RFC cover letter."""
    lines = []
    for tag, answer in answers:
        if lines:
            lines.append("")
        lines += answer_one(answer, kernel_arg, tag)
    return lines


def answer_one(answer, kernel_arg, tag):
    if answer is None:
        return ["The per-state answer on this base is not in "
                "results/answer/%s/ here: `make answer%s` produces it." %
                (tag, kernel_arg)]
    body = []
    for r in answer.get("rows", []):
        c = (r.get("counts") or {}).get(MAIN)
        lv = str(r["static_levels"]) if r["static_levels"] == \
            r["runtime_levels"] else "%d>%d" % (r["static_levels"],
                                               r["runtime_levels"])
        body.append([short(r["state"]), lv, r["cpu"], r["patch"],
                     r.get("effect", "?"),
                     "%+d/%+d/%+d" % (c["insns"], c["loads"], c["stores"])
                     if c else "not measured"])
    return ["Source: %s." % ", ".join(answer.get("source") or ["?"])] + \
        table(["state", "levels", "cpu", "patch", "effect",
               "per call i/l/s"], body) + [
        "(levels: static>run-time; effect: none = identical code, "
        "codegen-only = different code that does the same at this run-time "
        "state, semantic = the walk reads a different location; per call: "
        "patch - stock instructions/loads/stores of one "
        "get_user_pages_fast_only(), exact counts of a QEMU TCG plugin.)"]


def cover_text(args, subjects, fix, runs, answer):
    k = " KERNEL=%s" % args.kernel if args.kernel else ""
    out = []
    if fix:
        out += [
            "An arm64 kernel built with 52-bit VAs (LPA2, 4K or 16K pages) "
            "that runs on a CPU without FEAT_LPA2 folds a page table level "
            "at run time; user space then has 48 (4K) or 47 (16K) bits, but "
            "TASK_SIZE_MAX still allows 52 and the lockless GUP-fast walk "
            "drops the bits in between: get_user_pages_fast(X | 1UL << 47) "
            "returns the pages mapped at X. vmsplice() of such an address "
            "returns X's bytes; a shared FUTEX_WAKE on it wakes X's waiters.",
            "",
            "Patch 1 refuses such ranges in an arm64 gup_fast_permitted(), "
            "as x86 does for folded 5-level paging. Patch 2 adds an "
            "architecture-neutral mm selftest that fails without it.",
            ""]
    else:
        out += ["RFC: %s." % "; ".join(subjects), "",
                "Per folding state, what the change does to the kernel's "
                "own walk (code generation, and exact per-call counts under "
                "QEMU TCG):", ""]
    out += ["Based on %s; it applies with git am to a git repository made "
            "from that tree." % args.label, ""]
    if fix:
        out += ["Reproducer results (arm64 QEMU TCG -M virt, the alias check "
                "of every GUP-fast entry point and the selftest of patch "
                "2):", ""]
        out += reproducer_section(runs, fix, k)
        out += ["", "Cost of patch 1 (make answer):", ""]
        out += cost_section(answer, fix, k)
    else:
        out += answer_table(answer, k)
    return "\n".join(out)


def wrap(text, width=72):
    """Wrap prose paragraphs; leave tables (lines with two spaces in a
    row, or dashes) as they are."""
    out = []
    for para in text.split("\n"):
        if "  " in para or para.startswith("-") or len(para) <= width:
            out.append(para)
        else:
            out.append(textwrap.fill(para, width, break_on_hyphens=False))
    return "\n".join(out)


def fill_cover(path, title, text):
    """Subject and blurb of git format-patch's cover letter; a marker
    stays where finish_cover() puts the notes of the checks."""
    with open(path) as f:
        c = f.read()
    c = c.replace("*** SUBJECT HERE ***", title)
    # fold the Subject: header at 78 columns (RFC 5322)
    lines = c.split("\n")
    for i, l in enumerate(lines):
        if l.startswith("Subject: ") and len(l) > 78:
            lines[i] = "\n ".join(textwrap.wrap(l, 77,
                                                break_long_words=False,
                                                break_on_hyphens=False))
            break
    c = "\n".join(lines)
    c = c.replace("*** BLURB HERE ***", wrap(text) + "\n@@NOTES@@")
    with open(path, "w") as f:
        f.write(c)


def finish_cover(path, notes):
    with open(path) as f:
        c = f.read()
    c = c.replace("\n@@NOTES@@", "\n" + notes if notes else "")
    with open(path, "w") as f:
        f.write(c)


# ---- main --------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("patches", nargs="*")
    ap.add_argument("--identity-only", action="store_true",
                    help="only check that git config has an identity")
    ap.add_argument("--src")
    ap.add_argument("--label")
    ap.add_argument("--out")
    ap.add_argument("--history", help="a git repository holding the "
                    "upstream history (checkpatch checks Fixes: ids in it)")
    ap.add_argument("--kernel", default="")
    ap.add_argument("--tag", default="",
                    help="the base's folder under results/answer/ (7.3)")
    ap.add_argument("--rfc", action="store_true")
    ap.add_argument("--selftest", choices=("auto", "yes", "no"),
                    default="auto")
    ap.add_argument("--results", default=os.path.join(TOP, "results"))
    ap.add_argument("--no-checks", action="store_true",
                    help="skip checkpatch and get_maintainer (tests only)")
    args = ap.parse_args()
    try:
        ident = identity(TOP)
        if args.identity_only:
            return 0
        if not (args.src and args.label and args.out and args.patches):
            ap.error("--src, --label, --out and a patch are required")
        src = os.path.abspath(args.src)
        gitdir = None
        if args.history:
            gitdir = run(["git", "-C", args.history, "rev-parse",
                          "--absolute-git-dir"]).stdout.strip()
        for f in ("scripts/checkpatch.pl", "scripts/get_maintainer.pl",
                  "MAINTAINERS"):
            if not os.path.isfile(os.path.join(src, f)):
                raise Fail("%s: no %s: not a kernel source tree" % (src, f))
        for p in args.patches:
            if not os.path.isfile(p):
                raise Fail("no such patch: %s" % p)
        diffs = [parse_patch(p) for p in args.patches]
        fixes = [os.path.basename(p)[:4] for p, d in zip(args.patches, diffs)
                 if defines_fix(d[2])]
        fix = fixes[0] if fixes else None
        selftest = args.selftest == "yes" or (args.selftest == "auto" and
                                              fix is not None)
        out = os.path.abspath(args.out)
        parent = os.path.dirname(out)
        os.makedirs(parent, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".submission-", dir=parent)
        try:
            repo, base = build_series(src, args.patches, ident, selftest,
                                      work)
            tmpout = os.path.join(work, "out")
            cmd = ["format-patch", "-q", "--cover-letter", "-o", tmpout,
                   "--thread=shallow"]
            if args.rfc:
                cmd.append("--rfc")
            git(repo, *(cmd + ["%s..HEAD" % base]))
            files = sorted(glob.glob(os.path.join(tmpout, "*.patch")))
            cover, pfiles = files[0], files[1:]
            subjects = [d[0] for d in diffs]
            title = subjects[0] if len(subjects) == 1 or fix else \
                "arm64/mm: " + "; ".join(s.split(": ", 1)[-1]
                                        for s in subjects)
            runs = testbed_runs(args.results)
            answer = load_answers(args.results, args.tag)
            fill_cover(cover, title, cover_text(args, subjects, fix, runs,
                                                answer))
            report, notes = [], []
            if not args.no_checks:
                all_to, all_cc, bad = [], [], []
                for p in pfiles:
                    to, cc = maintainers(src, p)
                    ign, why = checkpatch_ignores(src, p, to, gitdir)
                    clean, msg = checkpatch(src, p, ign, gitdir)
                    report.append("checkpatch --strict %s: %s" % (
                        os.path.basename(p), "clean" if clean else
                        "%d findings\n%s" % (len(msg.splitlines()), msg)))
                    report += ["  " + w for w in why]
                    if not clean and args.rfc and not re.search(
                            r": (ERROR|WARNING):", msg):
                        # An RFC is not for merging: its --strict CHECKs
                        # go on the cover letter for the reviewers.
                        notes += [l.split(": ", 1)[1] for l in
                                  msg.splitlines() if ": CHECK:" in l]
                    elif not clean:
                        bad.append(os.path.basename(p))
                    add_headers(p, to, cc)
                    all_to += [x for x in to if x not in all_to]
                    all_cc += [x for x in cc if x not in all_cc]
                    report.append("get_maintainer.pl --no-git %s: To: %s; "
                                  "Cc: %s" % (os.path.basename(p),
                                              ", ".join(to), ", ".join(cc)))
                add_headers(cover, all_to, [x for x in all_cc
                                            if x not in all_to])
                if notes:
                    notes = ["", "checkpatch.pl --strict CHECKs left in "
                             "this RFC:"] + ["  " + n for n in notes]
                with open(os.path.join(tmpout, "checks.txt"), "w") as f:
                    f.write("\n".join(report) + "\n")
                if bad:
                    raise Fail("checkpatch.pl --strict of %s is not clean "
                               "for %s:\n%s" % (args.label, ", ".join(bad),
                                                "\n".join(report)))
            finish_cover(cover, "\n".join(notes))
            if os.path.isdir(out):
                old = os.path.join(work, "old")
                os.rename(out, old)
            os.rename(tmpout, out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("submission: %d patches + cover letter against %s in %s" %
              (len(pfiles), args.label, out))
        for line in report:
            print("submission: " + line.splitlines()[0])
        print("submission: send with: git send-email %s/*.patch" % out)
        return 0
    except Fail as e:
        print("submission: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
