#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: the workload test suite (make check-workloads): the unit program
# (buffers, targets, zram pins) and the smoke run, TAP each, then
# "N passed, N failed". Needs GUPBENCH and WL_TEST from workloads.mk.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# File-backed buffers and targets need a disk filesystem, not tmpfs.
tmp=$(mktemp -d /var/tmp/gupbench-wlt.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

suite() {
	local name=$1 out rc
	shift
	out=$("$@" 2>"$tmp/stderr")
	rc=$?
	echo "$out" | sed "s/^/[$name] /"
	pass=$((pass + $(echo "$out" | grep -c '^ok ')))
	fail=$((fail + $(echo "$out" | grep -c '^not ok ')))
	if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok '; then
		echo "not ok [$name] exited $rc: $(tail -3 "$tmp/stderr")"
		fail=$((fail + 1))
	fi
}

suite units "$WL_TEST" "$tmp"
suite smoke "$TOP/tests/workloads/smoke.sh"
suite alias "${SYSPYTHON:-/usr/bin/python3}" "$TOP/tests/workloads/check_alias.py" "$GUPBENCH"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
