# SPDX-License-Identifier: GPL-2.0
"""gupb peers WORK ROUNDS OUTDIR DEVICE: the table of scripts/peers.sh from
its raw outputs (gupbench JSON, fio JSON, perf bench text). Medians over
the rounds; every round's numbers go to peers.json."""
import os
import re
import statistics
import sys

from gupb import fileio
from gupb import schema as S

ROWS = [  # label, gupbench name, peer command, peer file stem, kind
    ("O_DIRECT 4 KiB read, psync",
     "odirect_read/backing:anon/layout:inside/bytes:4096/real_time",
     "fio --ioengine=psync --direct=1 --bs=4k --rw=randread", "fio-psync",
     "fio"),
    ("io_uring 4 KiB read, QD1",
     "iouring_read/backing:anon/bytes:4096/qd:1/real_time",
     "fio --ioengine=io_uring --iodepth=1 (otherwise the same)",
     "fio-iouring", "fio"),
    ("shared futex wake, no waiters", "futex_wake_shared/backing:anon",
     "perf bench futex hash -S -t 1", "futex-shared", "perf"),
    ("private futex wake, no waiters", "futex_wake_private_ctl/backing:anon",
     "perf bench futex hash -t 1", "futex-private", "perf"),
]


def fail(msg):
    print("peers: %s" % msg, file=sys.stderr)
    sys.exit(2)


def gupbench_ns(path, name):
    doc = fileio.read_json(path)
    for b in doc["benchmarks"]:
        if b["name"] == name and b.get("run_type") == "iteration":
            if b.get("error_occurred"):
                fail("%s: %s" % (name, b["error_message"]))
            field = "real_time" if name.endswith("/real_time") else "cpu_time"
            return b[field] * S.UNIT_NS[b.get("time_unit", "ns")], doc["context"]
    fail("%s not in %s" % (name, path))


def peer_ns(path, kind):
    """Mean time per operation of one peer run."""
    if kind == "fio":
        job = fileio.read_json(path)["jobs"][0]["read"]
        if not job.get("total_ios"):
            fail("%s did no I/O" % path)
        return job["lat_ns"]["mean"]
    m = re.search(r"Averaged (\d+) operations/sec", open(path).read())
    if not m:
        fail("no result in %s" % path)
    return 1e9 / int(m.group(1))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 4:
        fail("usage: gupb peers WORK ROUNDS OUTDIR DEVICE")
    work, rounds, out, dev = argv[0], int(argv[1]), argv[2], argv[3]
    rows, ctx = [], {}
    for label, name, peer, stem, kind in ROWS:
        g, p = [], []
        for r in range(1, rounds + 1):
            ns, ctx = gupbench_ns(os.path.join(work, "gupbench-%d.json" % r),
                                  name)
            g.append(ns)
            ext = "json" if kind == "fio" else "txt"
            p.append(peer_ns(os.path.join(work, "%s-%d.%s" % (stem, r, ext)),
                             kind))
        rows.append({"what": label, "gupbench": name, "peer": peer,
                     "gupbench_ns": g, "peer_ns": p,
                     "gupbench_median_ns": statistics.median(g),
                     "peer_median_ns": statistics.median(p)})
    lines = ["gupbench vs peers: %d rounds, alternating, one private zram "
             "(%s)" % (rounds, dev),
             "kernel %s, %s" % (ctx.get("kernel_release"),
                                ctx.get("cpu_model", "?")),
             "",
             "%-31s %10s %10s %6s" % ("per call, median of rounds",
                                      "gupbench", "peer", "ratio")]
    for r in rows:
        lines.append("%-31s %8.2fus %8.2fus %6.2f" % (
            r["what"], r["gupbench_median_ns"] / 1e3,
            r["peer_median_ns"] / 1e3,
            r["gupbench_median_ns"] / r["peer_median_ns"]))
    lines += ["", "peers (fio: mean total latency; perf bench: 1/ops-per-s):"]
    lines += ["  %s" % r["peer"] for r in rows]
    txt = "\n".join(lines) + "\n"
    fileio.write_text(os.path.join(out, "peers.txt"), txt)
    fileio.write_json(os.path.join(out, "peers.json"),
                       {"rounds": rounds, "device": dev, "context": ctx,
                        "rows": rows})
    sys.stdout.write(txt)


if __name__ == "__main__":
    sys.exit(main())
