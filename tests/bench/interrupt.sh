#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# interrupt.sh: SIGINT in the middle of a quick run leaves no result, no
# temporary file and no private zram of its own. TAP. Needs GUPBENCH
# (default: build/<arch>/gupbench).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=interrupt
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

# check WHAT CMD...: CMD succeeds.
check() {
	local what=$1 rc
	shift
	"$@" >"$work/out" 2>&1
	rc=$?
	tap_ok $rc "$what$([ $rc = 0 ] || echo ": $(head -c 300 "$work/out")")"
}

mkdir -p "$work/int"
blocks=$(ls /sys/block)
# Line-buffered, so the log shows how far the run is: SIGINT once it has
# finished its first odirect_read benchmark (its private zram exists), not
# after a fixed time, which a loaded host did not always reach.
stdbuf -oL "$GUPBENCH" --profile quick --out-dir "$work/int" --tmpdir "$work" \
	>"$work/int.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
	grep -q "\] odirect_read/" "$work/int.log" && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
kill -INT $pid 2>/dev/null
wait $pid
check "SIGINT: the run was interrupted" grep -q "odirect_read/" "$work/int.log"
check "SIGINT: no result and no temp file" bash -c "ls -A $work/int; test -z \"\$(ls -A $work/int)\""
# Only zram devices this run added count: others may come and go meanwhile.
check "SIGINT: this run's private zram removed" bash -c \
	"! comm -13 <(echo '$blocks' | sort) <(ls /sys/block | sort) | grep -x -f <(grep -o 'zram[0-9]*' '$work/int.log' | sort -u)"
tap_done
