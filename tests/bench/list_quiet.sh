#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# list_quiet.sh: registration builds names and nothing else. gupbench
# --list (each profile, and with --target zram) and --list-workloads run
# under strace: no open or ioctl of /dev/gupbench, gup_test, null_blk or a
# zram device, no zram hot_add, no vmsplice, no shared futex, no io_uring,
# no perf events, no child process. Their output is the same with and
# without strace. TAP. Needs GUPBENCH (default: build/<arch>/gupbench)
# and strace.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=list-quiet
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
[ -x "$GUPBENCH" ] || { tap_ok 1 "no binary at $GUPBENCH (make all)"; tap_done; }
command -v strace >/dev/null || { tap_ok 1 "no strace (make deps-test)"; tap_done; }

# The calls a listing must not make, as strace prints them.
# (access() of a path is allowed: that is how registration asks.)
bad='^[0-9]+ +(open|openat|stat|newfstatat)\(.*(/dev/gupbench|gup_test|/dev/nullb|/dev/zram|zram-control)'
bad="$bad|^[0-9]+ +(vmsplice|io_uring_[a-z]+|perf_event_open|clone3?|fork|vfork)\("
bad="$bad|^[0-9]+ +execve\(.*\"(sh|/bin/sh)\""
bad="$bad|^[0-9]+ +futex\([^,]*, FUTEX_[A-Z_]+(, | ?\))"	# not _PRIVATE
bad="$bad|^[0-9]+ +ioctl\([0-9]+, (GUPB|_IOC|0x)"

# quiet WHAT ARGS...: gupbench ARGS under strace makes none of them.
quiet() {
	local what=$1 rc n
	shift
	strace -f -o "$work/trace" "$GUPBENCH" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	"$GUPBENCH" "$@" >"$work/out0" 2>"$work/err0"
	grep -E -- "$bad" "$work/trace" | grep -v FUTEX_WAKE_PRIVATE >"$work/hits"
	n=$(wc -l <"$work/hits")
	[ $rc = 0 ] && [ "$n" = 0 ] && cmp -s "$work/out" "$work/out0"
	tap_ok $? "$what: no device, module, GUP or child calls ($(wc -l <"$work/out") lines, $(wc -l <"$work/trace") syscalls, exit $rc$([ "$n" = 0 ] || echo "; $n bad: $(head -3 "$work/hits" | tr '\n' ' ')"))"
}

for p in smoke quick full; do
	quiet "--profile $p --list" --profile "$p" --list
done
quiet "--target zram --list" --profile smoke --target zram --list
quiet "--list-workloads" --list-workloads

# The patterns are live: an ordinary run (the probe phase) trips them.
strace -f -o "$work/trace" "$GUPBENCH" --profile smoke --filter '^alias/entry:vmsplice$' \
	--out "$work/r.json" >/dev/null 2>&1
tap_ok "$(grep -qE -- "$bad" "$work/trace"; echo $?)" \
	"the check sees the probe phase's calls in a run ($(grep -cE -- "$bad" "$work/trace") found)"

tap_done
