# SPDX-License-Identifier: GPL-2.0
"""gupb answer runs CODEGEN_DIR RUN...: the boots `make answer` must count.

A run is FRAGMENT:PATCH:CPU (PATCH "none" for stock). A patch run whose
codegen effect is "none" in that CPU's run-time state -- every function of
the walk's objects normalises to the same code as stock -- executes the
same instructions as stock on the same workload, so its per-call counts
are stock's: the boot (a whole kernel build and a TCG run) is skipped,
and the report shows the change as 0 by identical code. So is a patch run
whose code is identical to an earlier patch's that is booted in the same
CPU state (0002 is 0001 where no level is folded statically): the report
takes that patch's counts. Everything else is printed, one run a line, in
the order given. A run whose state has no codegen result is kept (nothing
is known about it)."""
import os
import sys

from gupb import fileio
from gupb.answer.codegen import same_code_as


def needed(runs, codegen):
    """runs: ['frag:patch:cpu']; codegen: {state: codegen doc}."""
    out = []
    for run in runs:
        parts = run.split(":")
        if len(parts) != 3:
            raise ValueError("bad run %r: want FRAGMENT:PATCH:CPU" % run)
        state, patch, cpu = parts
        doc = codegen.get(state)
        effect = None
        if doc and patch not in ("none", "stock"):
            effect = doc["patches"].get(patch, {}).get("effect", {}).get(cpu)
        if effect == "none":
            continue
        twin = same_code_as(doc, patch) if effect else None
        if twin and "%s:%s:%s" % (state, twin, cpu) in out:
            continue
        out.append(run)
    return out


def main(argv):
    if len(argv) < 1:
        print("usage: gupb answer runs CODEGEN_DIR RUN...", file=sys.stderr)
        return 2
    codegen = {}
    d = argv[0]
    try:
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if f.endswith(".json"):
                doc = fileio.read_json(os.path.join(d, f))
                codegen[doc["state"]] = doc
        for run in needed(argv[1:], codegen):
            print(run)
    except (ValueError, fileio.InputError) as e:
        print("answer: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
