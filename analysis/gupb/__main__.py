# SPDX-License-Identifier: GPL-2.0
"""python3 -m gupb SUB-COMMAND [ARGS]: every Python tool of gupbench."""
import importlib
import sys

# sub-command: (module, one line of help); each module's main(argv)
COMMANDS = {
    "compare": ("gupb.compare", "compare two sides' runs: table, summary, "
                "plots (make compare)"),
    "aa": ("gupb.aa", "A/A noise floors from runs of one kernel (make aa)"),
    "peers": ("gupb.peers", "the harness against fio and perf bench "
              "(make peers)"),
    "answer": ("gupb.answer", "the answer, step by step (answer -h: "
               "codegen, counts, report...)"),
    "testbed": ("gupb.testbed", "TAP verdict on one QEMU test-bed run "
                "(scripts/vm/run.sh)"),
    "alias": ("gupb.alias", "a test-bed run's alias verdict for the answer "
              "(the VM run step)"),
    "lava": ("gupb.lava", "LAVA jobs, device dictionaries, results "
             "(make lava-*)"),
    "thp": ("gupb.thp", "the THP migration report from make vm-thp's runs"),
}


def usage(out):
    print("usage: python3 -m gupb SUB-COMMAND [ARGS]  (SUB-COMMAND -h: "
          "its own help)\n\nsub-commands:", file=out)
    for name, (_, text) in COMMANDS.items():
        print("  %-8s %s" % (name, text), file=out)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        usage(sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    if argv[0] not in COMMANDS:
        print("gupb: no sub-command %r" % argv[0], file=sys.stderr)
        usage(sys.stderr)
        return 2
    sys.argv[0] = "gupb " + argv[0]  # argparse's prog in usage lines
    return importlib.import_module(COMMANDS[argv[0]][0]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
