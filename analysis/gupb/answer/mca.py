# SPDX-License-Identifier: GPL-2.0
"""Model estimates of the executed walk: llvm-mca on the traced call.

  gupb answer mca asm OPCODE...
      the executed instruction words (hex) as assembly llvm-mca accepts
  gupb answer mca estimate --counts DIR --out DIR [--cores C,C] [--iterations N]
      for every counts/*.json (scripts/answer/counts.sh), every workload
      and every core: cycles per call from LLVM's scheduling model of that
      core -> DIR/<state>-<patch>-<cpu>.json, written atomically
The sanity test (tests/answer/test_mca.py) runs synthetic chains of
dependent and independent loads through the same functions.

What the estimate is (and is not). The sequence is the one call the
gupcount plugin traced (the first of the measured phase, after a warm-up
of 1000 calls; every call of the phase had the same counts): the
instructions of the walk's out-of-line gup_fast_* functions as executed,
opcodes after boot-time patching. Functions outside those ranges that
the walk calls are not in it (nor in the exact counts). llvm-mca runs
that sequence through a core's scheduling model:
  - every load hits L1 (the model's load latency), no TLB miss, no
    store-to-load forwarding delay (loads and stores never alias);
  - branches are instructions, not control flow: perfectly predicted, the
    taken ones free of fetch bubbles; a call is modelled as a plain branch
    (llvm-mca would charge 100 cycles to a call), a return as a return;
  - "per call" is steady state: ITERATIONS back-to-back calls, register
    dependences carried from one call into the next as the sequence has
    them, total cycles / ITERATIONS; "one call" is a single iteration
    from an empty pipeline, the latency view in which an instruction on
    the critical path shows as a cycle delta;
  - instructions the model has no scheduling class for (LSE atomics on
    some models) are left out and listed by name.
These are model estimates, never measurements; the same input gives the
same integers (llvm-mca is deterministic), which the sanity test checks.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

from gupb import fileio

# The cores and the resource-name prefix of their own scheduling model in
# LLVM: an older LLVM gives some of these names another core's model
# (LLVM 14 runs neoverse-n1/n2/v1 on Cortex-A57's), which would make their
# estimates a copy of another core's: such a core is skipped, with why.
CORES = {"neoverse-n1": "N1", "neoverse-n2": "N2", "neoverse-v1": "V1",
         "neoverse-v2": "V2"}
DEFAULT_CORES = tuple(CORES)
ITERATIONS = 1000
ASSUMPTIONS = ["L1 hits", "perfect branch prediction", "no TLB misses",
               "loads and stores do not alias", "calls modelled as branches",
               "system-register accesses at the model's latency, not "
               "serialising", "only the walk's gup_fast_* functions"]
# Newest first; LLVM_MCA / LLVM_MC override.
VERSIONS = ("19", "18", "17", "16", "15", "14", "")
# pc-relative operands: the last immediate of these instructions is an
# offset from where the code was linked, meaningless to the model.
PCREL = re.compile(r"^(b|bl|b\.\w+|bc\.\w+|cbz|cbnz|tbz|tbnz|adr|adrp|"
                   r"ldr|ldrsw|prfm)\t(.*?)#-?(0x[0-9a-f]+|\d+)$")


class McaError(fileio.InputError):
    """No usable llvm-mc/llvm-mca, or input it cannot take."""


def tool(name, env):
    path = os.environ.get(env)
    if path:
        if not shutil.which(path):
            raise McaError("%s=%s: not found" % (env, path))
        return shutil.which(path)
    for v in VERSIONS:
        p = shutil.which("%s-%s" % (name, v) if v else name)
        if p:
            return p
    raise McaError("no %s: apt-get install llvm-19 (make deps-test)" % name)


_VERSIONS = {}


def version(path):
    if path in _VERSIONS:
        return _VERSIONS[path]
    out = subprocess.run([path, "--version"], capture_output=True,
                         text=True).stdout
    m = re.search(r"LLVM version (\S+)", out)
    _VERSIONS[path] = m.group(1) if m else "?"
    return _VERSIONS[path]


def normalise(line):
    """One line of llvm-mc's disassembly -> the line the estimate runs:
    pc-relative offsets as #0, a call as a plain branch."""
    line = re.sub(r"\s*//.*$", "", line).strip()
    m = PCREL.match(line)
    if m and not (m.group(1) in ("ldr", "ldrsw", "prfm") and "[" in line):
        line = "%s\t%s#0" % (m.group(1), m.group(2))
    if line.startswith("bl\t"):
        line = "b" + line[2:]
    elif line.startswith("blr\t"):
        line = "br" + line[3:]
    return line


def disassemble(opcodes, mc=None):
    """Executed instruction words (ints or hex strings) -> assembly lines,
    one per word, normalised. An undecodable word is an error."""
    mc = mc or tool("llvm-mc", "LLVM_MC")
    words = [int(o, 16) if isinstance(o, str) else int(o) for o in opcodes]
    if not words:
        return []
    if 0 in words:
        # The plugin writes 0 for a PC it never translated (udf #0 would
        # not have run): the trace is not a whole call.
        raise McaError("opcode 0 at instruction %d: not recorded"
                       % words.index(0))
    src = "".join(" ".join("0x%02x" % ((w >> s) & 0xff)
                           for s in (0, 8, 16, 24)) + "\n" for w in words)
    # The widest Arm core LLVM knows decodes every instruction the kernel
    # may execute (LSE, PAuth hints, system registers).
    r = subprocess.run([mc, "--disassemble", "-triple=aarch64",
                        "-mcpu=neoverse-v2"], input=src, capture_output=True,
                       text=True)
    if r.returncode or "invalid instruction encoding" in r.stderr:
        raise McaError("llvm-mc cannot decode the sequence: %s"
                       % r.stderr.strip()[:300])
    lines = [l.strip() for l in r.stdout.splitlines()
             if l.strip() and not l.strip().startswith(".")]
    if len(lines) != len(words):
        raise McaError("llvm-mc gave %d instructions for %d words"
                       % (len(lines), len(words)))
    return [normalise(l) for l in lines]


def run_mca(asm, core, iterations, mca=None, timeline=False):
    """llvm-mca on asm lines -> its JSON region, plus the names of the
    instructions it left out and the model's resource prefix."""
    mca = mca or tool("llvm-mca", "LLVM_MCA")
    cmd = [mca, "-mtriple=aarch64", "-mcpu=" + core,
           "-iterations=%d" % iterations, "-json", "-instruction-info"]
    if timeline:
        cmd.append("-timeline")
    # LLVM 14's llvm-mca has no such option: every instruction or none.
    if not version(mca).startswith(("14.", "15.", "16.", "17.")):
        cmd.append("-skip-unsupported-instructions=lack-sched")
    r = subprocess.run(cmd + ["-"], input="\n".join(asm) + "\n",
                       capture_output=True, text=True)
    if r.returncode:
        raise McaError("llvm-mca -mcpu=%s: %s" % (core, r.stderr.strip()[:400]))
    try:
        doc = json.loads(r.stdout)
        region = doc["CodeRegions"][0]
        res = doc["TargetInfo"]["Resources"]
    except (ValueError, KeyError, IndexError):
        raise McaError("llvm-mca -mcpu=%s: no JSON report" % core)
    skipped = []
    lines = r.stderr.splitlines()
    for a, b in zip(lines, lines[1:]):
        if "skip-unsupported-instructions" in a and \
                b.startswith("note: instruction:"):
            skipped.append(b.split(":", 2)[2].split()[0])
    m = re.match(r"([A-Za-z0-9]+?)Unit", res[0] if res else "")
    region["_resources"] = [x.split(".")[0] for x in res]
    return region, skipped, m.group(1) if m else (res[0] if res else "?")


def bottleneck(region):
    """The busiest execution unit per iteration (the row llvm-mca gives
    for the whole sequence): [unit, cycles]. A steady state that equals
    it is bound by that unit, not by the dependences."""
    n = len(region["Instructions"])
    names = region["_resources"]
    busy = {}
    for e in region.get("ResourcePressureView", {}).get("ResourcePressureInfo", []):
        if e["InstructionIndex"] == n:
            busy[e["ResourceIndex"]] = busy.get(e["ResourceIndex"], 0) + e["ResourceUsage"]
    if not busy:
        return None
    k = max(sorted(busy), key=lambda i: busy[i])
    return [names[k] if k < len(names) else str(k), round(busy[k], 2)]


def estimate(asm, core, iterations=ITERATIONS, mca=None):
    """One sequence on one core: steady-state cycles per call and the one
    call latency view. Integers from llvm-mca, derived ratios rounded to
    two decimals (the same input gives the same numbers)."""
    want = CORES.get(core)
    steady, skipped, model = run_mca(asm, core, iterations, mca)
    if want and model != want:
        return {"skipped": "LLVM %s has no %s model of its own (it uses %s's)"
                % (version(mca or tool("llvm-mca", "LLVM_MCA")), core, model),
                "model": model}
    one, _, _ = run_mca(asm, core, 1, mca, timeline=True)
    sv, sv1 = steady["SummaryView"], one["SummaryView"]
    return {
        "model": model,
        "iterations": sv["Iterations"],
        "total_cycles": sv["TotalCycles"],
        "cycles_per_call": round(sv["TotalCycles"] / sv["Iterations"], 2),
        "block_rthroughput": round(sv["BlockRThroughput"], 2),
        "bottleneck": bottleneck(steady),
        "one_call_cycles": sv1["TotalCycles"],
        "instructions_modelled": sv1["Instructions"],
        "left_out": sorted(set(skipped)),
        "left_out_count": len(skipped),
        # Per modelled instruction of the one-call run: dispatched, ready
        # (operands), issued, executed, retired cycle.
        "timeline": [[t["CycleDispatched"], t["CycleReady"], t["CycleIssued"],
                      t["CycleExecuted"], t["CycleRetired"]]
                     for t in one.get("TimelineView", {}).get("TimelineInfo", [])],
        "modelled": one["Instructions"],
    }


def sequence(workload, mc=None):
    """A counts workload's executed sequence, as assembly."""
    if workload.get("mca_asm"):
        return workload["mca_asm"]
    if workload.get("opcodes"):
        return disassemble(workload["opcodes"], mc)
    raise McaError("no executed sequence (opcodes) in the counts result: "
                   "rerun scripts/answer/counts.sh")


def estimate_counts(doc, cores, iterations=ITERATIONS):
    mca = tool("llvm-mca", "LLVM_MCA")
    out = {"state": doc["state"], "patch": doc["patch"], "cpu": doc["cpu"],
           "kernel": doc.get("kernel"), "source": doc.get("source"),
           "estimator": "llvm-mca %s" % version(mca),
           "kind": "model estimate",
           "assumptions": ASSUMPTIONS,
           "workloads": {}}
    for w, wd in sorted(doc["workloads"].items()):
        if not wd.get("exact") or not wd.get("path_complete", True):
            out["workloads"][w] = {"skipped": "calls of this workload took "
                                   "more than one path: no single sequence"}
            continue
        asm = sequence(wd)
        out["workloads"][w] = {"instructions": len(asm), "asm": asm,
                               "cores": {c: estimate(asm, c, iterations, mca)
                                         for c in cores}}
    return out


# ---- sanity: synthetic chains -------------------------------------------

def chain(n, dependent):
    """N loads: each from the address the previous one loaded
    (dependent), or all from one base into different registers."""
    if dependent:
        return ["ldr\tx0, [x0]"] * n
    return ["ldr\tx%d, [x0, #%d]" % (1 + i % 16, 8 * (i % 16)) for i in range(n)]


def load_info(core, mca=None):
    """The model's own latency and reciprocal throughput of an LDR."""
    region, _, model = run_mca(["ldr\tx1, [x0]"], core, 1, mca)
    info = region["InstructionInfoView"]["InstructionList"][0]
    return info["Latency"], info["RThroughput"], model


def main(argv):
    ap = argparse.ArgumentParser(prog="gupb answer mca")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("asm")
    a.add_argument("opcodes", nargs="+")
    e = sub.add_parser("estimate")
    e.add_argument("--counts", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--cores", default=",".join(DEFAULT_CORES))
    e.add_argument("--iterations", type=int, default=ITERATIONS)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "asm":
            print("\n".join(disassemble(a.opcodes)))
            return 0
        try:
            tool("llvm-mca", "LLVM_MCA")
        except McaError as err:
            print("answer: %s: no model estimates" % err, file=sys.stderr)
            return 0
        cores = [c for c in a.cores.split(",") if c]
        if a.iterations < 1 or not cores:
            raise McaError("need --iterations >= 1 and at least one core")
        names = sorted(f for f in os.listdir(a.counts) if f.endswith(".json")) \
            if os.path.isdir(a.counts) else []
        if not names:
            print("answer: no counts in %s: no estimates" % a.counts,
                  file=sys.stderr)
            return 0
        for f in names:
            doc = fileio.read_json(os.path.join(a.counts, f))
            res = estimate_counts(doc, cores, a.iterations)
            fileio.write_json(os.path.join(a.out, f), res)
            w = res["workloads"].get("gup_fast_only_1page", {})
            print("answer: estimate %s: %s" % (f[:-5], ", ".join(
                "%s %s" % (c, v.get("cycles_per_call", "skipped"))
                for c, v in sorted(w.get("cores", {}).items()))),
                file=sys.stderr)
    except (fileio.InputError, OSError, ValueError, KeyError) as err:
        print("answer: estimate: %s" % err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
