#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: what `make bench` runs. Loads the companion module when it can
# (root, kernel headers, module support), runs the suite with $PROFILE into
# $RESULTS, unloads what it loaded. Without the module the user-space
# workloads still run and the module benchmarks are skipped with the reason.
set -uo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
RESULTS=${RESULTS:-$TOP/results}
PROFILE=${PROFILE:-quick}
loaded=0
args=(--profile "$PROFILE" --out-dir "$RESULTS")
[ -n "${TARGET:-}" ] && args+=(--target "$TARGET")
[ -n "${FILTER:-}" ] && args+=(--filter "$FILTER")

unload() {
	if [ $loaded = 1 ]; then
		"$TOP/scripts/kmod-load.sh" unload || true
	fi
}
trap unload EXIT
trap 'exit 130' INT TERM

if [ -x "$TOP/scripts/kmod-load.sh" ]; then
	if why=$("$TOP/scripts/kmod-load.sh" load 2>&1 >/dev/null); then
		loaded=1
	else
		echo "bench: module not loaded: ${why:-unknown reason} (its benchmarks will be skipped)"
		args+=(--kmod-unavailable "${why:-not loaded}")
	fi
fi
mkdir -p "$RESULTS"
echo "bench: profile $PROFILE -> $RESULTS"
"$GUPBENCH" "${args[@]}"
