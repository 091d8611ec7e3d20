#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim_paths.sh: gb_shim.cc compiles on both sides of libbenchmark 1.8:
# the real SkipWithMessage (>= 1.8) and the SkipWithError workaround
# (1.7.1), and the build's probe picks the one the library has. The
# other side needs that library's headers: GB_OTHER_INCLUDE=<dir with
# benchmark/benchmark.h> (e.g. libbenchmark-dev 1.9 unpacked with dpkg -x),
# else it is a SKIP. TAP, then "N passed, N failed". Needs BCXX and
# BENCH_CXXFLAGS from bench/bench.mk.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=shim
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

compiles() {	# INCLUDE_DIR(or "") HAVE_SKIP_WITH_MESSAGE
	$BCXX $BENCH_CXXFLAGS ${1:+-I"$1"} -DGB_HAVE_SKIP_WITH_MESSAGE="$2" \
		-fsyntax-only "$TOP/bench/gb_shim.cc" >/dev/null 2>&1
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
echo "1..$tap_n"
echo "$((tap_n - tap_bad)) passed, $tap_bad failed"
[ "$tap_bad" = 0 ]
