#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cli.sh: gupbench's command line: usage errors exit 2 with the reason,
# --list, --list-workloads, --help; a family whose prerequisite is absent
# (no module) is not run and said once. TAP. Needs GUPBENCH (default:
# build/<arch>/gupbench).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=cli
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
[ -x "$GUPBENCH" ] || { tap_ok 1 "no binary at $GUPBENCH (make all)"; tap_done; }

# expect WHAT STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN.
expect() {
	local what=$1 want_rc=$2 pattern=$3 rc
	shift 3
	"$@" >"$work/out" 2>&1
	rc=$?
	[ $rc -eq "$want_rc" ] && grep -qE -- "$pattern" "$work/out"
	tap_ok $? "$what$([ $rc -eq "$want_rc" ] || echo " (exit $rc, want $want_rc): $(head -c 300 "$work/out")")"
}

expect "unknown option exits 2" 2 "unknown" "$GUPBENCH" --bogus
expect "unknown profile exits 2" 2 "unknown profile" "$GUPBENCH" --profile nosuch
expect "bad --context exits 2" 2 "KEY=VALUE" "$GUPBENCH" --context novalue
expect "missing --target path exits 2" 2 "No such file" "$GUPBENCH" --target /nonexistent --list
if [ ! -e /dev/nullb0 ]; then
	expect "--target nullb without null_blk exits 2" 2 "modprobe null_blk" \
		"$GUPBENCH" --target nullb --list
else
	tap_skip "--target nullb without null_blk: /dev/nullb0 exists here"
fi
expect "--benchmark_out refused (atomic output)" 2 "use --out" "$GUPBENCH" --benchmark_out=x
expect "filter matching nothing exits 2" 2 "no benchmark matched" \
	"$GUPBENCH" --profile smoke --filter '^nothing$' --out-dir "$work"
expect "a --filter that is no regular expression exits 2, says so" 2 \
	"not a valid regular expression" "$GUPBENCH" --profile smoke --filter '(' --list
expect "--list lists benchmarks" 0 "^odirect_read/backing:anon/layout:inside" \
	"$GUPBENCH" --profile smoke --list
expect "--list-workloads" 0 "^vmsplice " "$GUPBENCH" --list-workloads
expect "--help" 0 "--profile" "$GUPBENCH" --help

# The load at the end of the run: written by gupbench into the context
# Google Benchmark wrote at the start, and the file still JSON.
"$GUPBENCH" --profile smoke --filter '^futex_wake_private_ctl/' \
	--out "$work/load.json" >"$work/load.out" 2>&1 &&
	"${SYSPYTHON:-/usr/bin/python3}" -c '
import json, re, sys
c = json.load(open(sys.argv[1]))["context"]
for k in ("host_loadavg_start", "host_loadavg_end"):
    if not re.fullmatch(r"[0-9.]+ [0-9.]+ [0-9.]+", c.get(k, "")):
        sys.exit("%s: %r" % (k, c.get(k)))
' "$work/load.json" >>"$work/load.out" 2>&1
rc=$?
[ $rc = 0 ] || tail -8 "$work/load.out" | sed 's/^/# /'
tap_ok $rc "the result's context has host_loadavg_start and host_loadavg_end, and is JSON"

# A family whose prerequisite is absent: not run, said once.
if [ ! -e /dev/gupbench ]; then
	"$GUPBENCH" --profile smoke --filter '^(kmod_gup_fast|futex_wake_private_ctl)/' \
		--out "$work/skip.json" >"$work/skip.out" 2>&1 &&
		grep -q '^gupbench: kmod: not run: /dev/gupbench' "$work/skip.out" &&
		! grep -q 'ERROR OCCURRED' "$work/skip.out" &&
		grep -q '"not_run": ".*kmod: /dev/gupbench' "$work/skip.json" &&
		! grep -q '"name": "kmod_' "$work/skip.json"
	rc=$?
	[ $rc = 0 ] || tail -8 "$work/skip.out" | sed 's/^/# /'
	tap_ok $rc "no module: the kmod family is not run, said once on the console and in context not_run"
else
	tap_skip "the module is loaded"
fi
tap_done
