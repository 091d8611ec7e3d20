#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# counts-determinism.sh FRAGMENT PATCH|none CPU: boot the same kernel on
# the same CPU model twice with the counting plugin
# (scripts/answer/counts.sh) and require identical results: every count,
# per workload, per range, and every histogram entry. Exact counts are
# only evidence if they repeat; a difference fails with the diff. Boots,
# so it belongs to the answer pipeline, not to `make check`. TAP output.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
SYSPYTHON=${SYSPYTHON:-/usr/bin/python3}
[ $# = 3 ] || { echo "usage: counts-determinism.sh FRAGMENT PATCH|none CPU" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 bad=0
tap() { # tap OK|FAIL what
	n=$((n + 1))
	if [ "$1" = OK ]; then echo "ok $n - counts-determinism: $2"
	else echo "not ok $n - counts-determinism: $2"; bad=1; fi
}
for i in 1 2; do
	if RESULTS=$tmp/run$i "$TOP/scripts/answer/counts.sh" "$@" 2>"$tmp/log$i"; then
		tap OK "run $i of $*"
	else
		tap FAIL "run $i of $*"
		sed 's/^/#   /' "$tmp/log$i" | tail -15
	fi
done
if [ $bad = 0 ]; then
	a=$(ls "$tmp"/run1/answer/counts/*.json)
	b=$(ls "$tmp"/run2/answer/counts/*.json)
	if cmp -s "$a" "$b"; then
		tap OK "two runs give identical counts ($(basename "$a"))"
	else
		tap FAIL "two runs give identical counts ($(basename "$a"))"
		diff "$a" "$b" | sed 's/^/#   /' | head -30
	fi
	# The model estimate of the two runs' sequences: the same integers.
	erc=0
	for i in 1 2; do
		"$SYSPYTHON" -m gupb answer estimate --counts \
			"$tmp/run$i/answer/counts" --out "$tmp/est$i" 2>>"$tmp/estlog" || erc=1
	done
	if [ $erc != 0 ]; then
		tap FAIL "model estimates of the two runs"
		sed 's/^/#   /' "$tmp/estlog" | tail -5
	elif [ ! -d "$tmp/est1" ]; then
		echo "ok $((n + 1)) - counts-determinism: model estimates # SKIP $(tail -1 "$tmp/estlog")"
		n=$((n + 1))
	elif diff -r "$tmp/est1" "$tmp/est2" >/dev/null; then
		tap OK "two runs give identical model estimates"
	else
		tap FAIL "two runs give identical model estimates"
		diff -r "$tmp/est1" "$tmp/est2" | sed 's/^/#   /' | head -30
	fi
	# Identical and also exact: every measured call took the same path.
	if "$SYSPYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if all(w["exact"] for w in d["workloads"].values()) else 1)' "$a"; then
		tap OK "every workload's calls have one (insns, loads, stores) tuple"
	else
		tap FAIL "every workload's calls have one (insns, loads, stores) tuple"
	fi
fi
echo "1..$n"
exit $bad
