# SPDX-License-Identifier: GPL-2.0
"""gupb answer: what the live top-level reload costs, per folding state,
as named steps (gupb.answer.step): codegen, codegen-verify, counts,
estimate, alias, report; and versions (6.12 vs mainline side by side)."""
import importlib
import sys

# sub-command: (module, argv prefix, one line of help)
COMMANDS = {
    "codegen": ("codegen", [], "the walk's code, stock vs each patch, per "
                "state (--verify DIR: the codegen-verify step)"),
    "runs": ("runs", [], "the boots the counts step must make"),
    "counts": ("counts", [], "exact per-call counts, host side of a boot"),
    "estimate": ("mca", ["estimate"], "model estimates (llvm-mca) of each "
                 "counted call"),
    "mca": ("mca", [], "llvm-mc/llvm-mca helpers (asm OPCODE...)"),
    "alias": ("alias_step", [], "alias verdicts from a source's test-bed "
              "runs"),
    "report": ("report", [], "report.txt, report.md, answer.json, "
               "answer.png"),
    "versions": ("versions", [], "two sources' answers side by side"),
    "readme": ("readme", [], "README's answer tables from the saved "
               "answers (--save: save results/answer first)"),
    "step": ("step", [], "a step's stamp: adopt cached outputs or say it "
             "must run"),
}


def usage(out):
    print("usage: gupb answer STEP [ARGS]\n\nsteps:", file=out)
    for name, (_, _, text) in COMMANDS.items():
        print("  %-9s %s" % (name, text), file=out)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        usage(sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name, rest = argv[0], list(argv[1:])
    if name not in COMMANDS:
        print("gupb answer: no step %r" % name, file=sys.stderr)
        usage(sys.stderr)
        return 2
    mod, prefix, _ = COMMANDS[name]
    if name == "codegen" and "--verify" in rest:
        rest.remove("--verify")
        mod = "verify"
    sys.argv[0] = "gupb answer " + name  # argparse's prog in usage lines
    m = importlib.import_module("gupb.answer." + mod)
    return m.main(prefix + rest)
