#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pyflakes.sh: pyflakes over analysis/, scripts/ and tests/ reports nothing (no
# unused import, no star import, no undefined name). Copied import blocks
# and star imports had crept in: a star import hides undefined names from
# pyflakes, an unused one sends a reader looking for its use. pyflakes is
# Debian's python3-pyflakes for SYSPYTHON (make deps-test); without it the
# test fails rather than skips, so a host that cannot check never passes
# as clean. TAP.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
TAP_PREFIX=pyflakes
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

if ! "$PY" -c 'import pyflakes' 2>/dev/null; then
	why="no pyflakes for $PY (apt-get install python3-pyflakes, or make deps-test)"
	tap_ok 1 "$why"
	echo "pyflakes.sh: $why" >&2
	tap_done
fi

n=$(cd "$TOP" && find analysis scripts tests -name '*.py' | wc -l)
out=$(cd "$TOP" && "$PY" -m pyflakes analysis scripts tests 2>&1)
rc=$?
tap_ok $rc "no report over analysis/, scripts/ and tests/ ($n Python files)"
# On stderr: tests/tap-exec shows it under the failure, prove -v or not.
[ $rc = 0 ] || echo "$out" >&2
tap_done
