#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# targets.sh: bad O_DIRECT targets are usage errors (exit 2, the reason,
# nothing created); a target whose O_DIRECT reads copy (tmpfs) makes the
# I/O benchmarks skip with the reason. TAP. Needs GUPBENCH (default:
# build/<arch>/gupbench) and SYSPYTHON.
set -uo pipefail

TAP_PREFIX=targets
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

"$GUPBENCH" --profile wltest --target /nonexistent --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
tap_ok "$([ $rc = 2 ] && grep -q 'No such file' "$work/bad.log"; echo $?)" \
	"--target /nonexistent exits 2 with the reason (exit $rc)"
"$GUPBENCH" --profile wltest --target /dev/null --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
tap_ok "$([ $rc = 2 ] && grep -q 'not a block device' "$work/bad.log"; echo $?)" \
	"--target /dev/null exits 2 with the reason (exit $rc)"
truncate -s 8M "$work/sparse.img"
"$GUPBENCH" --profile wltest --target "$work/sparse.img" --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
tap_ok "$([ $rc = 2 ] && grep -q 'holes' "$work/bad.log"; echo $?)" \
	"--target on a sparse file exits 2: its reads would pin nothing (exit $rc)"
tap_ok "$([ ! -e "$work/res/x.json" ]; echo $?)" "no result file after usage errors"

# A target whose O_DIRECT reads copy (tmpfs): the I/O benchmarks skip.
# While other processes pin, the target's probe may be inconclusive; then
# each benchmark's own proof stops it (0 pins measured, or busy).
shm_re="refused|pin nothing|busy machine|measured 0.00 pins"
if [ -d /dev/shm ] && dd if=/dev/zero of=/dev/shm/gupbench-wl.$$ bs=1M count=4 \
	status=none 2>/dev/null; then
	"$GUPBENCH" --profile wltest --target /dev/shm/gupbench-wl.$$ \
		--filter '^(odirect|iouring_read)' --out "$work/res/shm.json" \
		>"$work/shm.log" 2>&1
	tap_ok $? "tmpfs target: run exits 0"
	rm -f /dev/shm/gupbench-wl.$$
	tap_sub check_smoke.py "$PY" "$TOP/tests/workloads/check_smoke.py" "$work/res/shm.json" \
		--expect-skip odirect_read/ "$shm_re" \
		--expect-skip iouring_read/ "no O_DIRECT target|$shm_re"
else
	tap_skip "no /dev/shm"
fi
tap_done
