#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim.sh: bench/gb_shim.cc through tests/bench/test_shim.c (built by
# make as $BUILDDIR/tests/test_shim): its result checked by check_shim.py,
# and its console: one "[n/N] name  time" line per benchmark (the median
# of its repetitions), skips summarised once at the end (each benchmark
# once, whichever repetition skipped), errors printed where they happen.
# TAP. Needs BUILDDIR (default: build/<arch>).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
BUILDDIR=${BUILDDIR:-$TOP/build/$(uname -m)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=shim
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

"$BUILDDIR/tests/test_shim" --benchmark_out="$work/shim.json" --benchmark_out_format=json \
	--benchmark_min_time=0.001 >"$work/shim.out" 2>&1
tap_sub check_shim.py "$PY" "$TOP/tests/bench/check_shim.py" "$work/shim.json"
grep -qE '^3 benchmarks skipped' "$work/shim.out" &&
	grep -qx '  1 x no widget here' "$work/shim.out" &&
	grep -qx '  2 x second repetition' "$work/shim.out" &&
	! grep -q "skipped:" "$work/shim.out" &&
	grep -qE '^\[[0-9]+/6\] shim_error  error: broken 42$' "$work/shim.out" &&
	grep -qE '^\[[0-9]+/6\] shim_manual/iterations:10/repeats:3/manual_time  1000000 ns real$' "$work/shim.out" &&
	[ "$(grep -c shim_manual "$work/shim.out")" = 1 ]
rc=$?
[ $rc = 0 ] || tail -12 "$work/shim.out" | sed 's/^/# /'
tap_ok $rc "console: one [n/N] line per benchmark (the median), skips summarised, errors printed"
tap_done
