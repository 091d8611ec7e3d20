#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smoke.sh: the test suite's one smoke run: every workload on this machine
# with tiny iteration counts (profile tests/workloads/wltest.conf), and the
# one result checked twice: against the result contract
# (tests/bench/check_result.py) and against what each workload claims,
# pins per I/O, zero for controls, ... (tests/workloads/check_smoke.py).
# Also: the result's file name, no temporary file left, --context, this
# run's private zram removed, Google's compare.py reads it. TAP. Needs
# GUPBENCH (default: build/<arch>/gupbench) and SYSPYTHON.
set -uo pipefail

TAP_PREFIX=smoke
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

"$GUPBENCH" --profile wltest --out-dir "$work/res" --tmpdir "$work" \
	--context emulated=test >"$work/run.log" 2>&1
rc=$?
tap_ok $rc "smoke run of every workload exits 0$([ $rc = 0 ] || echo ": $(tail -5 "$work/run.log")")"
res=$(ls "$work"/res/*.json 2>/dev/null | head -1)
[ -n "$res" ] || { tap_ok 1 "no result file: $(tail -3 "$work/run.log")"; tap_done; }
name_re="^$(uname -r | tr -c 'A-Za-z0-9._+\n' '_')-.*-wltest-[0-9]{8}T[0-9]{6}\.json$"
basename "$res" | grep -qE "$name_re"
tap_ok $? "result named <kernel>-<host>-<profile>-<time>.json ($(basename "$res"))"
tap_ok "$(ls -A "$work/res" | grep -cv '\.json$')" "no temporary file left"
grep -q '"emulated": "test"' "$res"
tap_ok $? "--context overrides"

# The device this run made (others may make their own meanwhile).
dev=$(grep -o '"odirect_target": "zram (private /dev/zram[0-9]*' "$res" |
	grep -o 'zram[0-9]*$')
if [ -n "$dev" ] && [ -e "/sys/block/$dev" ] && pgrep -x gupbench >/dev/null; then
	# hot_add hands out the lowest free number: another run took it.
	tap_skip "$dev exists again, but another gupbench is running"
elif [ -n "$dev" ]; then
	tap_ok "$([ ! -e "/sys/block/$dev" ]; echo $?)" "private $dev removed after the run"
else
	tap_skip "no private zram made (not root, or /dev/nullb0 used)"
fi
if [ "$(id -u)" = 0 ]; then
	grep -q '"odirect_target": "\(zram (private\|/dev/nullb0\)' "$res"
	tap_ok $? "odirect_target names the private device"
fi

# The result contract.
tap_sub check_result.py "$PY" "$TOP/tests/bench/check_result.py" "$res" \
	$([ "$(id -u)" = 0 ] && echo --no-errors)

# What each workload claims.
args=()
[ "$(id -u)" = 0 ] && args+=(--root)
total=$(awk '/HugePages_Total/ { print $2 }' /proc/meminfo)
free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
if [ "${total:-0}" = 0 ]; then
	# none reserved: hugetlb is left out as a whole, said once
	args+=(--expect-not-run backing:hugetlb)
elif [ "${free:-0}" = 0 ]; then
	args+=(--expect-skip odirect_read/backing:hugetlb "nr_hugepages|not root")
fi
# The kernel refuses long-term pins of file pages (EFAULT).
args+=(--expect-skip iouring_register/backing:file FOLL_LONGTERM)
tap_sub check_smoke.py "$PY" "$TOP/tests/workloads/check_smoke.py" "$res" "${args[@]}"

# Google's compare.py reads two result files.
cmp=/usr/share/benchmark/compare.py
if [ -f "$cmp" ]; then
	cp "$res" "$work/b.json"
	"$PY" "$cmp" benchmarks "$res" "$work/b.json" >"$work/cmp.out" 2>&1 &&
		grep -q odirect_read "$work/cmp.out"
	rc=$?
	tap_ok $rc "compare.py benchmarks A B$([ $rc = 0 ] || echo ": $(head -c 300 "$work/cmp.out")")"
else
	tap_ok 1 "compare.py missing (apt-get install libbenchmark-tools)"
fi
tap_done
