#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The answer scripts refuse bad input with a clear message and a nonzero
# status before building anything (cheap: part of `make check`).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
export CACHE=$(mktemp -d) RESULTS=$(mktemp -d)
trap 'rm -rf "$CACHE" "$RESULTS"' EXIT
n=0 bad=0
# expect STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN.
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	n=$((n + 1))
	out=$("$@" 2>&1); rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pat" <<<"$out"; then
		echo "ok $n - answer: $*: exit $rc"
	else
		echo "not ok $n - answer: $*: exit $rc, wanted $want and '$pat'"
		sed 's/^/#   /' <<<"$out" | tail -5
		bad=$((bad + 1))
	fi
}
expect 2 usage "$TOP/scripts/answer/objects.sh"
expect 2 "no such fragment" "$TOP/scripts/answer/objects.sh" arm64-nosuch none
expect 2 "no such patch" "$TOP/scripts/answer/objects.sh" arm64-4k-39 9999
expect 2 usage "$TOP/scripts/answer/codegen.sh"
expect 2 "no such fragment" "$TOP/scripts/answer/codegen.sh" arm64-nosuch
expect 1 "not a finished objects.sh directory" "$PY" -m gupb \
	answer codegen s "$RESULTS/x.json" stock=/nonexistent
expect 1 "no codegen results" "$PY" -m gupb answer report \
	--dir "$RESULTS"
# nothing was built or written
n=$((n + 1))
if [ -z "$(ls -A "$CACHE")" ] && [ -z "$(ls -A "$RESULTS")" ]; then
	echo "ok $n - answer: bad input leaves no cache or result files"
else
	echo "not ok $n - answer: bad input left files: $(ls -A "$CACHE" "$RESULTS")"
	bad=$((bad + 1))
fi
echo "1..$n"
[ $bad = 0 ]
