#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compare-states.sh: after vm-matrix, compare stock against each patch for
# every folding state and CPU that has both, and draw the walk-variant
# grid across all states, per kernel source (results/vm/<tag>/; TAG= one
# of them, default KERNEL's). TCG timings: correctness and shape, not
# speed.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
RESULTS=${RESULTS:-$TOP/results}
PY=${SYSPYTHON:-/usr/bin/python3}
tag=${TAG:-$("$TOP/scripts/kernel/tag.sh")} || exit
vm=$RESULTS/vm/$tag
rc=0
all=()
for stock in "$vm"/*-stock-*/result.json; do
	[ -f "$stock" ] || continue
	all+=("$stock")
	d=$(basename "$(dirname "$stock")")
	for patched in "$vm/${d/-stock-/-0}"*/result.json; do
		[ -f "$patched" ] || continue
		pd=$(basename "$(dirname "$patched")")
		# the same state and cpu, any patch number
		[ "${pd%%-0[0-9]*-*}" = "${d%%-stock-*}" ] || continue
		all+=("$patched")
		out=$vm/compare-$pd
		echo "# compare: $d vs $pd -> $out"
		PYTHONPATH=$TOP/analysis "$PY" -m gupb compare -q -o "$out" "$stock" "$patched" || rc=1
	done
done
if [ ${#all[@]} -ge 2 ]; then
	PYTHONPATH=$TOP/analysis "$PY" -m gupb compare -q -o "$vm/all-states" "${all[@]}" || rc=1
	echo "# walk-variant grid: $vm/all-states/*/walk_grid.png"
fi
exit $rc
