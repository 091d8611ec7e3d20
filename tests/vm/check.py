# SPDX-License-Identifier: GPL-2.0
"""check.py OUTDIR NAME --levels N --l4 0|1 --l5 0|1 [--expect "..."]:
the test bed's verdict on one run folder, as TAP (gupb.testbed; the run
step itself is scripts/vm/run.sh -> gupb testbed). For the tests on
made-up run folders (tests/vm/test_check.sh, tests/submission/vm_check.sh)."""
import sys

from gupb import testbed

sys.exit(testbed.main(sys.argv[1:]))
