#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim_paths.sh: gb_shim.cc compiles on both sides of libbenchmark 1.8:
# the real SkipWithMessage (>= 1.8) and the SkipWithError workaround
# (1.7.1), and the build's probe picks the one the library has. The
# other side needs that library's headers: GB_OTHER_INCLUDE=<dir with
# benchmark/benchmark.h> (e.g. libbenchmark-dev 1.9 unpacked with dpkg -x),
# else it is a SKIP. With GB_OTHER_LIB=<its libbenchmark.a> too (a build
# of that version), tests/bench/test_shim.c runs on it and its skips must
# come out in that version's own form. TAP.
# Needs BCC, BCXX, BENCH_CFLAGS and BENCH_CXXFLAGS from bench/bench.mk.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=shim
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

compiles() {	# INCLUDE_DIR(or "") HAVE_SKIP_WITH_MESSAGE
	$BCXX $BENCH_CXXFLAGS ${1:+-I"$1"} -DGB_HAVE_SKIP_WITH_MESSAGE="$2" \
		-fsyntax-only "$TOP/bench/gb/gb_shim.cc" >/dev/null 2>&1
}

probe() {	# INCLUDE_DIR(or ""): 1 if SkipWithMessage exists there
	printf '#include <benchmark/benchmark.h>\nvoid f(benchmark::State &s) { s.SkipWithMessage("x"); }\n' |
		$BCXX $BENCH_CXXFLAGS ${1:+-I"$1"} -fsyntax-only -x c++ - >/dev/null 2>&1 &&
		echo 1 || echo 0
}

have=$(probe "")
compiles "" "$have"
tap_ok $? "the installed libbenchmark ($(pkg-config --modversion benchmark 2>/dev/null || echo '?'), SkipWithMessage: $have): the probed path compiles"
compiles "" $((1 - have))
tap_ok $((1 - $?)) "the other path does not compile against it (the probe decides, not a guess)"
if [ -n "${GB_OTHER_INCLUDE:-}" ] && [ -f "$GB_OTHER_INCLUDE/benchmark/benchmark.h" ]; then
	other=$(probe "$GB_OTHER_INCLUDE")
	compiles "$GB_OTHER_INCLUDE" "$other"
	tap_ok $? "libbenchmark at $GB_OTHER_INCLUDE (SkipWithMessage: $other): its path compiles"
	tap_ok "$([ "$other" != "$have" ]; echo $?)" "the two libraries take different paths"
else
	tap_skip "no other libbenchmark's headers (GB_OTHER_INCLUDE)"
fi
if [ -n "${GB_OTHER_INCLUDE:-}" ] && [ -f "${GB_OTHER_LIB:-}" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	$BCXX $BENCH_CXXFLAGS -I"$GB_OTHER_INCLUDE" -DGB_HAVE_SKIP_WITH_MESSAGE="$other" \
		-c -o "$work/gb_shim.o" "$TOP/bench/gb/gb_shim.cc" &&
		$BCC $BENCH_CFLAGS -c -o "$work/pmu.o" "$TOP/bench/sys/pmu.c" &&
		$BCC $BENCH_CFLAGS -c -o "$work/test_shim.o" "$TOP/tests/bench/test_shim.c" &&
		$BCXX -o "$work/test_shim" "$work"/*.o "$GB_OTHER_LIB" -lpthread &&
		"$work/test_shim" --benchmark_out="$work/shim.json" \
			--benchmark_out_format=json >"$work/shim.out" 2>&1
	tap_ok $? "test_shim builds and runs on $GB_OTHER_LIB"
	# 1.8+: {"skipped": true, "skip_message": reason}; 1.7.1: an error.
	"${SYSPYTHON:-/usr/bin/python3}" - "$work/shim.json" "$other" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
real = sys.argv[2] == "1"
by = {b["name"]: b for b in doc["benchmarks"]}
s, e = by.get("shim_skip", {}), by.get("shim_error", {})
good = (s.get("skipped") is True and s.get("skip_message") == "no widget here"
        and "error_occurred" not in s) if real else \
    s.get("error_message") == "skipped: no widget here"
sys.exit(0 if good and e.get("error_message") == "error: broken 42" else 1)
PYEOF
	tap_ok $? "its skips are $([ "$other" = 1 ] && echo 'real skips (skipped, skip_message)' ||
		echo 'errors "skipped: ..."'), errors stay errors"
	tap_ok "$(grep -q '^3 benchmarks skipped' "$work/shim.out" &&
		grep -qx '  1 x no widget here' "$work/shim.out"; echo $?)" \
		"its console: skips summarised once at the end"
fi
tap_done
