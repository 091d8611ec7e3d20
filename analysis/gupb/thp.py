# SPDX-License-Identifier: GPL-2.0
"""gupb thp DIR: the report draft for issue 23 from the runs under
DIR/vm/<tag>/<run>/ (make vm-thp): what, how to reproduce, which kernels, the
trace -- every fact from the run's own files (console.log, dmesg.txt,
thp_pin_race.tap, debug-config.txt, reproduce.sh), nothing typed in.
Writes DIR/report.txt atomically and prints it."""
import os
import re
import sys

from gupb import fileio
from gupb import thp_check


def read(d, name):
    try:
        with open(os.path.join(d, name), errors="replace") as f:
            return f.read()
    except OSError:
        return None


def run_facts(d):
    console = read(d, "console.log") or ""
    log = read(d, "dmesg.txt") or console
    known, _ = thp_check.split_known(log)
    tap = read(d, "thp_pin_race.tap") or ""
    rel = re.search(r"GUPB-VM: booted (\S+)", console)
    up = re.search(r"GUPB-VM: uptime at init ([\d.]+)", console)
    cpu = re.search(r"-cpu (\S+)", read(d, "reproduce.sh") or "")
    app = re.search(r"-append (.+?) -drive", read(d, "reproduce.sh") or "")
    m = re.match(r".+-(stock|[^-]+)-[^-]+$", os.path.basename(d))
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    patch = "none (stock)"
    for sub in ("patches", "patches-mm"):
        dd = os.path.join(top, "configs", sub)
        for f in sorted(os.listdir(dd)) if os.path.isdir(dd) else []:
            if m and m.group(1) != "stock" and f.startswith(m.group(1)):
                patch = "configs/%s/%s" % (sub, f)
    return {
        "patch": patch,
        "name": os.path.basename(d),
        "release": rel.group(1) if rel else "?",
        "uptime": up.group(1) if up else "?",
        "cpu": cpu.group(1) if cpu else "?",
        "append": app.group(1).replace("\\ ", " ").strip("'") if app else "?",
        "config": " ".join((read(d, "debug-config.txt") or "").split()),
        "known": known,
        "tap": [l for l in tap.splitlines()
                if l.startswith(("ok", "not ok", "# thp_pin_race"))],
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not os.path.isdir(os.path.join(argv[0], "vm")):
        sys.exit("usage: gupb thp DIR (with DIR/vm/<tag>/<run>/ from make "
                 "vm-thp)")
    top = argv[0]
    # DIR/vm/<source tag>/<run>/ (scripts/vm/run.sh names runs per source)
    vm = os.path.join(top, "vm")
    runs = [run_facts(os.path.join(vm, t, n))
            for t in sorted(os.listdir(vm))
            if os.path.isdir(os.path.join(vm, t))
            for n in sorted(os.listdir(os.path.join(vm, t)))
            if os.path.isdir(os.path.join(vm, t, n))]
    hit = [r for r in runs if r["known"]]
    out = []
    w = out.append
    w("Subject: mm/migrate: 6.12.y: VM_WARN_ON_FOLIO(folio_test_partially_"
      "mapped) in")
    w(" deferred_split_folio() from a FOLL_LONGTERM pin (needs 3bac01168982)")
    w("")
    if hit:
        w("A FOLL_LONGTERM pin (io_uring buffer registration) that migrates "
          "an anonymous")
        w("THP out of ZONE_MOVABLE, raced by MADV_DONTNEED of a page of it, "
          "warns in")
        w("deferred_split_folio() on %s:" % ", ".join(
            sorted({"%s (-cpu %s)" % (r["release"], r["cpu"]) for r in hit})))
    else:
        w("Not reproduced in these runs (a race: absence is not proof).")
    w("")
    w("6.12.y's backport of 8a8ca142a488 (\"mm: migrate: requeue destination "
      "folio")
    w("on deferred split queue\") requeues dst with")
    w("deferred_split_folio(dst, false) after remove_migration_ptes(): dst "
      "is")
    w("mapped again by then, a zap of one of its pages marks it partially "
      "mapped")
    w("(deferred_split_folio(dst, true) from __folio_remove_rmap()), and the")
    w("requeue warns. Upstream fixed it with 3bac01168982 (\"mm: fix "
      "deferred split")
    w("queue races during migration\", Fixes: 8a8ca142a488, Cc: stable), "
      "which")
    w("requeues before remove_migration_ptes(); its syzbot report is")
    w("https://syzkaller.appspot.com/bug?extid=a7067a757858ac8eb085 .")
    w("")
    w("Reproducer (no module; root only for /proc/kpageflags, used to "
      "check the")
    w("preconditions): tests/vm/thp_pin_race.c of gupbench. Boot with")
    w("movablecore= so the THP is faulted in ZONE_MOVABLE, then")
    w("    ./thp_pin_race [--iterations N] [--seconds S] [--children N]")
    w("In gupbench's arm64 QEMU test bed: make vm-thp.")
    w("")
    for r in runs:
        w("Run %s: %s, qemu-system-aarch64 -M virt -cpu %s, -append %s" %
          (r["name"], r["release"], r["cpu"], r["append"]))
        w("  patch: %s" % r["patch"])
        w("  %s; init reached at %s s guest uptime" %
          (r["config"] or "config unknown", r["uptime"]))
        for l in r["tap"]:
            w("  " + l)
        w("  %d warning(s) of this kind in the log" % len(r["known"]))
        w("")
    if hit:
        w("The first warning, verbatim from %s's dmesg:" % hit[0]["name"])
        w("")
        for line in hit[0]["known"][0]:
            w("  " + re.sub(r"^\[\s*[\d.]+\]\s?", "", line))
        w("")
    text = "\n".join(out) + "\n"
    fileio.write_text(os.path.join(top, "report.txt"), text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
