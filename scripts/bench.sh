#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: what `make bench` runs. Loads the companion module when it can
# (root, kernel headers, module support), runs the suite with $PROFILE into
# $RESULTS, unloads what it loaded. Without the module the user-space
# workloads still run and the module benchmarks are skipped with the reason.
#
# RUNS=N (default 1): N independent runs, each its own gupbench process
# (Google Benchmark interleaves the benchmarks at random inside each),
# written together into $RESULTS/runs-<profile>-<time>/ for
# `make compare A=<that folder> B=...`: the run is the unit of a
# comparison, and only several runs show the spread between processes.
set -uo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
RESULTS=${RESULTS:-$TOP/results}
PROFILE=${PROFILE:-quick}
RUNS=${RUNS:-1}
loaded=0
args=(--profile "$PROFILE")
[ -n "${TARGET:-}" ] && args+=(--target "$TARGET")
[ -n "${FILTER:-}" ] && args+=(--filter "$FILTER")

case "$RUNS" in
[1-9] | [1-9][0-9]) ;;
*) echo "bench: RUNS must be 1-99, not '$RUNS'" >&2; exit 2 ;;
esac

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
		# gupbench says it, once: "kmod: not run: <why>"
		args+=(--kmod-unavailable "${why:-not loaded}")
	fi
fi
out=$RESULTS
[ "$RUNS" -gt 1 ] && out=$RESULTS/runs-$PROFILE-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$out" || exit 1
echo "bench: profile $PROFILE, $RUNS run(s) -> $out"
for i in $(seq 1 "$RUNS"); do
	[ "$RUNS" -gt 1 ] && echo "bench: run $i/$RUNS"
	"$GUPBENCH" "${args[@]}" --out-dir "$out"
	rc=$?
	[ $rc = 0 ] || exit $rc
done
[ "$RUNS" -gt 1 ] && echo "bench: $RUNS runs in $out (make compare A=$out B=...)"
exit 0
