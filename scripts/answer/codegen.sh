#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# codegen.sh FRAGMENT [PATCH...]
#
# Codegen of the lockless walk for one folding state on KERNEL's source:
# the walk's objects for stock and each PATCH (a number or file in
# configs/patches/, per base; B for a git tree's commit B; default: every
# patch there), built or taken from cache by objects.sh one after the
# other (the machine has 2 cores), then disassembled, normalised, compared
# and classified by gupb answer codegen (analysis/gupb/answer/codegen.py) into
# $ANSWER_DIR/codegen/<state>.json (default ANSWER_DIR:
# $RESULTS/answer/<source tag>), labelled with the exact source.
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
	# shellcheck source=../vm/kernel.sh disable=SC2046
	set -- $(. "$TOP/scripts/vm/kernel.sh"; kern_patch_list | grep -vx none)
fi

stock=$("$TOP/scripts/answer/objects.sh" "$frag" none)
sides=("stock=$stock")
for p in "$@"; do
	num=$(basename "$p" .patch | cut -d- -f1)
	sides+=("$num=$("$TOP/scripts/answer/objects.sh" "$frag" "$p")")
done
# The label and folder from the resolver, not from the objects: a git
# tree's objects are cached per commit and serve every range (A..B)
# holding it; the label names the range.
label=$(KERN_PREFIX=answer "$TOP/scripts/kernel/tag.sh" label)
dir=${ANSWER_DIR:-$RESULTS/answer/$(KERN_PREFIX=answer "$TOP/scripts/kernel/tag.sh" tag)}
PYTHONPATH=$TOP/analysis "$SYSPYTHON" -m gupb answer codegen "$state" \
	"$dir/codegen/$state.json" "${sides[@]}" \
	--meta "source=$label" \
	--meta "kernel_version=$(KERN_PREFIX=answer "$TOP/scripts/kernel/tag.sh" version)"
echo "answer: codegen $state ($label) -> $dir/codegen/$state.json" >&2
