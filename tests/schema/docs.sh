#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs.sh: the contract's tables in results/README.md and
# bench/WORKLOADS.md are what gupbench --describe=TABLE prints from the C
# tables (scripts/docs.sh --check; make docs writes them), and the check
# fails, saying where, on copies broken on purpose: a row edited by hand,
# a region's end marker lost. TAP. Needs GUPBENCH (default:
# build/<arch>/gupbench).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
export GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
DOCS=$TOP/scripts/docs.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=docs
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

for f in results/README.md bench/WORKLOADS.md; do
	"$DOCS" --check "$TOP/$f" >"$work/out" 2>&1 || {
		tap_ok 1 "$f: its generated tables are the contract's (make docs)"
		head -40 "$work/out" | sed 's/^/# /'
		continue
	}
	tap_ok 0 "$f: its generated tables are the contract's (make docs)"
done
for t in counters context families; do
	n=$("$GUPBENCH" --describe=$t | grep -c '^| `')
	[ "$n" -gt 5 ]
	tap_ok $? "gupbench --describe=$t: $n rows"
done
"$GUPBENCH" --describe=nonsense >/dev/null 2>"$work/err"
tap_eq "$?:$(grep -c nonsense "$work/err")" 1:1 \
	"gupbench --describe=nonsense exits 1 and says so"

# broken CASE SAYS SED-EXPR: a copy of README.md edited must fail --check
# and the output must contain SAYS.
broken() {
	sed "$3" "$TOP/results/README.md" >"$work/README.md"
	"$DOCS" --check "$work/README.md" >"$work/out" 2>&1
	rc=$?
	if ! cmp -s "$TOP/results/README.md" "$work/README.md" &&
		[ $rc != 0 ] && grep -qF -- "$2" "$work/out"; then
		tap_ok 0 "fails on $1, saying so"
	else
		tap_ok 1 "fails on $1, saying so (exit $rc, want '$2')"
		head -20 "$work/out" | sed 's/^/# /'
	fi
}
broken "a unit edited by hand" '-| `zero_copy` | pages |' \
	's/^| `zero_copy` | bool |/| `zero_copy` | pages |/'
broken "a context key left out" '+| `cpu_midr` |' '/^| `cpu_midr` |/d'
broken "a region without its end" "a region without '<!-- end generated -->'" \
	'0,/^<!-- end generated -->$/{//d}'
tap_done
