#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# runs.sh FRAG:PATCH:CPU ...: run each test-bed boot on KERNEL's source,
# report. PATCH is "none" (stock; a git tree's commit A), a patch number
# in configs/patches/ ("0001", per base where ported) or "B" (a git tree's
# commit B): run.sh resolves it (kern_run, scripts/vm/kernel.sh).
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
failed=()
start=$(date +%s)
for run in "$@"; do
	IFS=: read -r frag p cpu <<<"$run"
	echo "# vm: KERNEL=${KERNEL:-mainline} $frag $p -cpu $cpu"
	"$TOP/scripts/vm/run.sh" "$frag" "$p" "$cpu" ||
		failed+=("$run")
done
echo "# vm: $# runs in $(( $(date +%s) - start ))s, ${#failed[@]} failed ${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
