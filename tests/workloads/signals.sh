#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# signals.sh: a signal in the middle of the O_DIRECT runs: SIGINT (the
# driver's handler) or SIGABRT (a crash: the cleanup registry's handler).
# This run's private zram goes too, and no result file is left. Needs root
# and no null_blk (a private zram); else skipped. TAP. Needs GUPBENCH
# (default: build/<arch>/gupbench).
set -uo pipefail

TAP_PREFIX=signals
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] && [ ! -e /dev/nullb0 ] ||
	tap_skip_all "signal cleanup: needs root and no null_blk"

interrupt() {
	local sig=$1 pid rc dev i

	"$GUPBENCH" --profile wltest --filter '^odirect' --benchmark_min_time=0.2 \
		--out "$work/res/int.json" >"$work/int.log" 2>&1 &
	pid=$!
	for i in $(seq 50); do
		grep -q '\] odirect_read/' "$work/int.log" && break
		sleep 0.1
	done
	dev=$(grep -o 'zram (private /dev/zram[0-9]*' "$work/int.log" | grep -o 'zram[0-9]*$')
	kill -"$sig" $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	# A crash skips the driver's own clean-up of its temporary file.
	rm -f "$work"/res/.gupbench-*.tmp
	tap_ok "$([ -n "$dev" ] && [ $rc -ne 0 ] && [ ! -e "/sys/block/$dev" ] &&
		[ ! -e "$work/res/int.json" ]; echo $?)" \
		"SIG$sig: ${dev:-no zram} removed, no result (exit $rc)"
}
interrupt INT
interrupt ABRT
tap_done
