# SPDX-License-Identifier: GPL-2.0
"""TAP for the Python tests: Tap (gupb.tap: ok/not ok lines, a plan at
the end, exit status 1 on any failure) for the checkers.

As a program, `tap.py TEST_FILE.py`, it runs a unittest suite and prints
TAP: one line per test, failures with their traceback as diagnostics,
skips as "# SKIP reason" (tests/tap-exec runs unittest files this way
under prove)."""
import os
import sys
import unittest

from gupb.tap import Tap  # noqa: F401 (from tap import Tap)


class TapResult(unittest.TestResult):
    """unittest results as TAP lines, through Tap."""

    def __init__(self, tap):
        super().__init__()
        self.tap = tap
        self.diag = {}

    @staticmethod
    def name(test):
        return "%s.%s" % (type(test).__name__,
                          getattr(test, "_testMethodName", str(test)))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.tap.ok(True, self.name(test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.tap.ok(False, self.name(test), self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        self.tap.ok(False, self.name(test) + " (error)", self.errors[-1][1])

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.tap.ok(False, str(subtest), self._exc_info_to_string(
                err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.tap.n += 1
        print("ok %d - %s: %s # SKIP %s" % (self.tap.n, self.tap.prefix,
                                           self.name(test), reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.tap.n += 1
        print("ok %d - %s: %s # TODO expected failure" % (
            self.tap.n, self.tap.prefix, self.name(test)))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.tap.ok(False, self.name(test) + " (unexpected success)")


def run_unittest_file(path):
    """Load PATH's unittest cases and run them as TAP; the exit status.
    Imports come from PYTHONPATH (make check: analysis/ and tests/)."""
    import importlib.util
    path = os.path.abspath(path)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    tap = Tap(name)
    suite = unittest.defaultTestLoader.loadTestsFromModule(mod)
    result = TapResult(tap)
    sys.stdout.flush()
    suite.run(result)
    if not result.testsRun:
        tap.ok(False, "%s has unittest cases" % path)
    return tap.done() or (0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tap.py TEST_FILE.py (a unittest suite)")
    sys.exit(run_unittest_file(sys.argv[1]))
