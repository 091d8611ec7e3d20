#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# names.sh: the benchmark names of smoke, quick and full, with the counter
# each claims, are the recorded ones (tests/bench/names/<profile>.txt:
# every workload's, module or not). A change of a name is a change of the
# result contract: update the file in the same commit, on purpose. Also
# `gupbench --list` prints exactly the recorded names that are available
# here (less Google Benchmark's suffixes), in the recorded order. TAP. Needs BUILDDIR, BCC, BCXX, BENCH_CFLAGS, BENCH_LDFLAGS,
# BENCH_LDLIBS (bench/bench.mk) and GUPBENCH.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=names
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

$BCC $BENCH_CFLAGS -c -o "$work/dump.o" "$TOP/tests/bench/names_dump.c" &&
	$BCXX $BENCH_LDFLAGS -o "$work/dump" "$work/dump.o" \
		-Wl,--whole-archive "$BUILDDIR/libgupb.a" -Wl,--no-whole-archive \
		$BENCH_LDLIBS >"$work/build.log" 2>&1
tap_ok $? "names_dump builds $(tail -3 "$work/build.log")"

for p in smoke quick full; do
	want=$TOP/tests/bench/names/$p.txt
	"$work/dump" "$p" >"$work/$p.txt" 2>&1
	diff -u "$want" "$work/$p.txt" >"$work/$p.diff"
	tap_ok $? "$p: $(wc -l <"$work/$p.txt") names and claims as recorded$(head -12 "$work/$p.diff" | sed 's/^/\n# /' | tr -d '\n' | head -c 600)"
	# Google Benchmark's suffixes (/real_time, /iterations:1, ...) off.
	"$GUPBENCH" --profile "$p" --list 2>/dev/null |
		sed -E 's#(/(iterations|repeats):[0-9]+|/(real|manual)_time)+$##' >"$work/$p.list"
	sed 's/ claim=.*//' "$want" | grep -Fxf "$work/$p.list" >"$work/$p.avail"
	cmp -s "$work/$p.list" "$work/$p.avail" && [ -s "$work/$p.list" ]
	tap_ok $? "$p: --list is the recorded names available here, in order ($(wc -l <"$work/$p.list"))"
done
tap_done
