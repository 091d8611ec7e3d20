#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# runs.sh FRAG:PATCH:CPU ...: run each test-bed boot, report. PATCH is
# "none" (stock), a patch number in configs/patches/ ("0001"), or a
# patch file's path from the top.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
failed=()
start=$(date +%s)
for run in "$@"; do
	IFS=: read -r frag p cpu <<<"$run"
	if [ -f "$TOP/$p" ]; then
		p=$TOP/$p	# a path from the top (configs/patches-mm/...)
	elif [ "$p" != none ]; then
		p=$(ls "$TOP"/configs/patches/"$p"-*.patch 2>/dev/null | head -1)
		[ -n "$p" ] || { echo "# vm: no patch $run in configs/patches/"; failed+=("$run"); continue; }
	fi
	echo "# vm: $frag $(basename "$p") -cpu $cpu"
	"$TOP/scripts/vm/run.sh" "$TOP/configs/kernel/$frag.config" "$p" "$cpu" ||
		failed+=("$run")
done
echo "# vm: $# runs in $(( $(date +%s) - start ))s, ${#failed[@]} failed ${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
