#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# runs.sh PATCH FRAG:none|patch:CPU ...: run each test-bed boot, report.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
patch=$1
shift
failed=()
start=$(date +%s)
for run in "$@"; do
	IFS=: read -r frag p cpu <<<"$run"
	[ "$p" = patch ] && p=$patch
	echo "# vm: $frag $(basename "$p") -cpu $cpu"
	"$TOP/scripts/vm/run.sh" "$TOP/configs/kernel/$frag.config" "$p" "$cpu" ||
		failed+=("$run")
done
echo "# vm: $# runs in $(( $(date +%s) - start ))s, ${#failed[@]} failed ${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
