#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# perf-record.sh REGEX: run the matching benchmarks under `perf record -g` and
# save the top kernel symbols (gup_fast*, pin_user_pages*, ...) as text
# next to the results. Falls back to the cpu-clock software event where
# the hardware cycles event is not supported.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
RESULTS=${RESULTS:-$TOP/results}
re=${1:-}
[ -n "$re" ] || { echo "usage: make perf-record BENCH=<regex>" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf-record: perf missing: apt-get install linux-perf" >&2; exit 1; }
"$GUPBENCH" --profile smoke --filter "$re" --list | grep -q . ||
	{ echo "perf-record: no benchmark matches '$re'" >&2; exit 2; }

event=cycles
perf stat -e cycles true >/dev/null 2>&1 || event=cpu-clock
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%S)
base=$RESULTS/profile-$(echo "$re" | tr -c 'A-Za-z0-9_.-' '_')-$stamp
echo "perf-record: perf record -e $event -g on '$re'"
perf record -q -e "$event" -g -o "$base.data" -- \
	"$GUPBENCH" --profile "${PROFILE:-quick}" --filter "$re" --out "$base.json" >/dev/null
{
	echo "# perf report, event $event, benchmarks matching '$re'"
	echo "# kernel symbols on the GUP path:"
	perf report -i "$base.data" --no-children --sort symbol --stdio 2>/dev/null |
		grep -E 'gup_fast|pin_user_pages|get_user_pages|follow_page|try_grab|gup_' | head -40
	echo
	echo "# top 40 symbols overall:"
	perf report -i "$base.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -40
} > "$base.txt"
rm -f "$base.data"
echo "perf-record: $base.txt"
