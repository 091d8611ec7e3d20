# SPDX-License-Identifier: GPL-2.0
"""Issue 23 in a test-bed run: the deferred-split warning that a
FOLL_LONGTERM pin reaches through THP migration (tests/vm/thp_pin_race.c).

split_known(text) takes a kernel log apart into the known warning's
splats and the rest, so that the run's generic "no WARN/BUG/Oops" check
still sees every other splat; checks(T, read, ...) prints the TAP lines.

The known warning, from 6.12.y's backport of 8a8ca142a488 ("mm: migrate:
requeue destination folio on deferred split queue"):
  page dumped because: VM_WARN_ON_FOLIO(folio_test_partially_mapped(folio))
  WARNING: ... at mm/huge_memory.c:NNNN deferred_split_folio+...
  ... migrate_pages_batch ... (the requeue in migrate_folio_move())
Fixed upstream by 3bac01168982 ("mm: fix deferred split queue races during
migration", v7.1-rc1), which requeues before remove_migration_ptes().
"""
import re

CUT = "------------[ cut here ]------------"
END = re.compile(r"---\[ end trace [0-9a-f]+ \]---")
FIX = "3bac01168982"
# The dump_page() lines VM_WARN_ON_FOLIO prints just before its WARN.
DUMP = re.compile(r"^(\[\s*\d+\.\d+\]\s*)?(page: |head: |\w* ?flags: |"
                  r"raw: |page dumped because: |memcg:|page_owner)")


def _strip_time(line):
    return re.sub(r"^\[\s*\d+\.\d+\]\s*", "", line)


def split_known(text):
    """(known, rest): known is a list of the known warning's splats (each
    a list of lines: the page dump, the WARNING, its trace); rest is the
    text without them."""
    lines = [l.rstrip("\r") for l in text.splitlines()]
    known, keep, i = [], [], 0
    while i < len(lines):
        if CUT not in lines[i]:
            keep.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not END.search(lines[j]) and \
                CUT not in lines[j]:
            j += 1
        block = lines[i:j + 1] if j < len(lines) and END.search(lines[j]) \
            else lines[i:j]
        body = "\n".join(block)
        if re.search(r"WARNING:.* deferred_split_folio\+", body) and \
                "migrate_pages" in body:
            # take the page dump printed just before the cut line with it
            dump = []
            while keep and DUMP.search(keep[-1]):
                dump.insert(0, keep.pop())
            known.append(dump + block)
        else:
            keep.extend(block)
        i += len(block)
    return known, "\n".join(keep)


def summary(splat):
    """The splat's cause, WARNING line and call chain, one line each."""
    out = []
    for line in splat:
        s = _strip_time(line)
        if s.startswith(("page dumped because", "WARNING:", "page: ",
                         "head: ")):
            out.append(s)
    calls = [m.group(1) for m in
             (re.match(r"\s*([a-z_0-9.]+)\+0x", _strip_time(l))
              for l in splat) if m]
    if calls:
        out.append("call chain: " + " < ".join(calls))
    return out


def checks(T, read, known, fixed, debug_vm):
    """TAP for one run. read(name) -> file text or None; known: the
    known splats found in this run's log; fixed: the kernel carries a fix;
    debug_vm: True/False/None (unknown) for CONFIG_DEBUG_VM."""
    tap = read("thp_pin_race.tap")
    if tap is None:
        T.ok(False, "thp: the reproducer ran (no thp_pin_race.tap)")
        return
    lines = tap.splitlines()
    skips = [l for l in lines if "# SKIP" in l]
    if skips and not any(l.startswith("ok ") and "# SKIP" not in l
                         for l in lines):
        T.skip("thp: %s" % skips[0].split("# SKIP", 1)[1].strip())
        return
    for l in lines:
        m = re.match(r"(not ok|ok) \d+ - (.*)", l)
        if m:
            T.ok(m.group(1) == "ok", "thp: " + m.group(2), tap)
    rounds = re.search(r"rounds=(\d+)(?: effective=(\d+))?", tap)
    what = "?" if not rounds else "%s rounds%s" % (
        rounds.group(1), "" if rounds.group(2) is None else
        ", %s with the zap after the remap" % rounds.group(2))
    for line in (s for k in known[:1] for s in summary(k)):
        print("# thp: " + line)
    if not debug_vm:
        T.skip("thp: the deferred-split warning is compiled out without "
               "CONFIG_DEBUG_VM (%s; make vm-thp or DEBUG=1)" %
               ("not set" if debug_vm is False else "unknown"))
        return
    if not known and rounds and rounds.group(2) == "0":
        T.skip("thp: no verdict: no round reached the window (%s)" % what)
        return
    text = ("thp: no deferred_split_folio warning when a pin migrates a THP "
            "being zapped (%s, %d hit(s))" % (what, len(known)))
    if known and not fixed:
        # kselftest/TAP: a TODO line is a known failure, not counted.
        T.n += 1
        print("not ok %d - %s: %s # TODO known 6.12.y bug (issue 23), "
              "fixed upstream by %s" % (T.n, T.prefix, text, FIX))
    else:
        # No hit is evidence, not proof: the window is a race.
        T.ok(not known, text + ("" if known else
                                ": a race, absence is not proof"))
