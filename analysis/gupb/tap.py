# SPDX-License-Identifier: GPL-2.0
"""TAP output (kselftest style): ok/not ok lines, optional diagnostics, a
plan at the end, exit status 1 on any failure. The test bed's verdict
(gupb.testbed) speaks it; tests/tap.py runs unittest suites through it."""


class Tap:
    def __init__(self, prefix):
        self.prefix = prefix
        self.n = 0
        self.bad = 0

    def ok(self, cond, what, diag=""):
        self.n += 1
        self.bad += not cond
        print("%s %d - %s: %s" % ("ok" if cond else "not ok", self.n,
                                  self.prefix, what))
        if not cond and diag:
            for line in str(diag).splitlines()[-15:]:
                print("#   " + line)
        return bool(cond)

    def skip(self, why):
        """One kselftest-style skip line (not a failure)."""
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, self.prefix, why))

    def done(self):
        """Print the plan; the exit status for sys.exit()."""
        print("1..%d" % self.n)
        return 1 if self.bad else 0
