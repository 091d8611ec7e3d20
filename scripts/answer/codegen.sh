#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# codegen.sh FRAGMENT [PATCH...]
#
# Codegen of the lockless walk for one folding state: the walk's objects
# for stock and each PATCH (a number or file in configs/patches/; default:
# every patch there), built or taken from cache by objects.sh one after
# the other (the machine has 2 cores), then disassembled, normalised,
# compared and classified by analysis/answer_codegen.py into
# $RESULTS/answer/codegen/<state>.json.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
RESULTS=${RESULTS:-$TOP/results}
SYSPYTHON=${SYSPYTHON:-/usr/bin/python3}
[ $# -ge 1 ] || { echo "usage: codegen.sh FRAGMENT [PATCH...]" >&2; exit 2; }
frag=$1
shift
state=$(basename "$frag" .config)
[ -f "$TOP/configs/kernel/$state.config" ] || [ -f "$frag" ] ||
	{ echo "answer: no such fragment: $frag" >&2; exit 2; }
if [ $# = 0 ]; then
	for p in "$TOP"/configs/patches/*.patch; do
		[ -f "$p" ] && set -- "$@" "$(basename "$p" | cut -d- -f1)"
	done
fi

sides=("stock=$("$TOP/scripts/answer/objects.sh" "$frag" none)")
for p in "$@"; do
	num=$(basename "$p" .patch | cut -d- -f1)
	sides+=("$num=$("$TOP/scripts/answer/objects.sh" "$frag" "$p")")
done
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
"$SYSPYTHON" "$TOP/analysis/answer_codegen.py" "$state" \
	"$RESULTS/answer/codegen/$state.json" "${sides[@]}" \
	--meta "source=linux-source-6.12 $srcver"
echo "answer: codegen $state -> $RESULTS/answer/codegen/$state.json" >&2
