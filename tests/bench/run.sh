#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: the bench/ test suite (make check-bench). TAP per test program,
# then "N passed, N failed". Needs GUPBENCH, BUILDDIR, BCC, BENCH_CFLAGS,
# BENCH_LDLIBS from bench/bench.mk.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

# Count the ok / not ok lines of one TAP producer; its exit status too.
tap() {
	local name=$1 out rc
	shift
	out=$("$@" 2>"$work/stderr")
	rc=$?
	echo "$out" | grep -E '^(not )?ok ' | sed "s/^/[$name] /"
	pass=$((pass + $(echo "$out" | grep -c '^ok ')))
	fail=$((fail + $(echo "$out" | grep -c '^not ok ')))
	if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok '; then
		echo "not ok [$name] exited $rc: $(tail -3 "$work/stderr")"
		fail=$((fail + 1))
	fi
}

# One assertion on a command's exit status and output.
expect() {
	local what=$1 want_rc=$2 pattern=$3 rc
	shift 3
	"$@" >"$work/out" 2>&1
	rc=$?
	if [ $rc -eq "$want_rc" ] && grep -qE -- "$pattern" "$work/out"; then
		echo "ok [cli] $what"
		pass=$((pass + 1))
	else
		echo "not ok [cli] $what (exit $rc, want $want_rc): $(head -c 300 "$work/out")"
		fail=$((fail + 1))
	fi
}

# One assertion: the command succeeds.
check() {
	local what=$1
	shift
	if "$@" >"$work/out" 2>&1; then
		echo "ok [cli] $what"
		pass=$((pass + 1))
	else
		echo "not ok [cli] $what: $(head -c 300 "$work/out")"
		fail=$((fail + 1))
	fi
}

cc() {
	$BCC $BENCH_CFLAGS -o "$1" "$2" "$BUILDDIR/libgupb.a" $BENCH_LDLIBS -lstdc++
}

echo "# unit tests"
cc "$work/test_units" "$TOP/tests/bench/test_units.c" || fail=$((fail + 1))
tap units "$work/test_units" "$TOP/tests/fixtures/config"

echo "# shim"
cc "$work/test_shim" "$TOP/tests/bench/test_shim.c" || fail=$((fail + 1))
"$work/test_shim" --benchmark_out="$work/shim.json" --benchmark_out_format=json \
	--benchmark_min_time=0.001 >"$work/shim.out" 2>&1
tap shim "$PY" "$TOP/tests/bench/check_shim.py" "$work/shim.json"
# The console: skips summarised once at the end (each benchmark once,
# whichever repetition skipped), errors still printed where they happen.
shim_console() {
	grep -qE '^3 benchmarks skipped' "$1" &&
		grep -qx '  1 x no widget here' "$1" &&
		grep -qx '  2 x second repetition' "$1" &&
		! grep -q "ERROR OCCURRED: 'skipped:" "$1" &&
		grep -q "ERROR OCCURRED: 'error:" "$1" || { tail -12 "$1"; false; }
}
check "shim: skips summarised on the console, errors printed" shim_console "$work/shim.out"

echo "# command line"
expect "unknown option exits 2" 2 "unknown" "$GUPBENCH" --bogus
expect "unknown profile exits 2" 2 "unknown profile" "$GUPBENCH" --profile nosuch
expect "bad --context exits 2" 2 "KEY=VALUE" "$GUPBENCH" --context novalue
expect "missing --target path exits 2" 2 "No such file" "$GUPBENCH" --target /nonexistent --list
expect "--benchmark_out refused (atomic output)" 2 "use --out" "$GUPBENCH" --benchmark_out=x
expect "filter matching nothing exits 2" 2 "no benchmark matched" \
	"$GUPBENCH" --profile smoke --filter '^nothing$' --out-dir "$work"
expect "--list lists benchmarks" 0 "^odirect_read/backing:anon/layout:inside" \
	"$GUPBENCH" --profile smoke --list
expect "--list-workloads" 0 "^vmsplice " "$GUPBENCH" --list-workloads
expect "--help" 0 "--profile" "$GUPBENCH" --help

echo "# result file: smoke run of every workload"
mkdir -p "$work/res"
if "$GUPBENCH" --profile smoke --out-dir "$work/res" --tmpdir "$work" \
	--context emulated=test >"$work/smoke.log" 2>&1; then
	echo "ok [result] smoke run exits 0"
	pass=$((pass + 1))
else
	echo "not ok [result] smoke run failed: $(tail -5 "$work/smoke.log")"
	fail=$((fail + 1))
fi
res=$(ls "$work"/res/*.json 2>/dev/null | head -1)
expect "result named <kernel>-<host>-smoke-<time>.json" 0 \
	"^$(uname -r | tr -c 'A-Za-z0-9._+\n' '_')-.*-smoke-[0-9]{8}T[0-9]{6}\.json$" \
	basename "${res:-none}"
check "no temporary file left" test "$(ls -A "$work/res" | grep -cv '\.json$')" = 0
expect "--context overrides" 0 '"emulated": "test"' cat "${res:-/dev/null}"
if [ -n "$res" ]; then
	tap result "$PY" "$TOP/tests/bench/check_result.py" "$res" \
		$( [ "$(id -u)" = 0 ] && echo --no-errors)
fi

echo "# interrupted run leaves no result"
mkdir -p "$work/int"
blocks=$(ls /sys/block)
"$GUPBENCH" --profile quick --out-dir "$work/int" --tmpdir "$work" \
	>"$work/int.log" 2>&1 &
pid=$!
sleep 3
kill -INT $pid 2>/dev/null
wait $pid
check "SIGINT: the run was interrupted" grep -q "odirect_read/" "$work/int.log"
check "SIGINT: no result and no temp file" bash -c "ls -A $work/int; test -z \"\$(ls -A $work/int)\""
# Only zram devices this run added count: others may come and go meanwhile.
check "SIGINT: this run's private zram removed" bash -c \
	"! comm -13 <(echo '$blocks' | sort) <(ls /sys/block | sort) | grep -x -f <(grep -o 'zram[0-9]*' '$work/int.log' | sort -u)"

echo "# Google's compare.py reads two result files"
cmp=/usr/share/benchmark/compare.py
if [ -f "$cmp" ] && [ -n "$res" ]; then
	cp "$res" "$work/b.json"
	expect "compare.py benchmarks A B" 0 "odirect_read" \
		"$PY" "$cmp" benchmarks "$res" "$work/b.json"
else
	echo "not ok [cli] compare.py missing (apt-get install libbenchmark-tools)"
	fail=$((fail + 1))
fi

echo "# a family whose prerequisite is absent: not run, said once"
if [ ! -e /dev/gupbench ]; then
	not_run_once() {
		"$GUPBENCH" --profile smoke --filter '^(kmod_gup_fast|futex_wake_private_ctl)/' \
			--out "$work/skip.json" >"$work/skip.out" 2>&1 &&
			grep -q '^gupbench: kmod: not run: /dev/gupbench' "$work/skip.out" &&
			! grep -q 'ERROR OCCURRED' "$work/skip.out" &&
			grep -q '"not_run": ".*kmod: /dev/gupbench' "$work/skip.json" &&
			! grep -q '"name": "kmod_' "$work/skip.json" || { tail -8 "$work/skip.out"; false; }
	}
	check "no module: the kmod family is not run, said once on the console and in context not_run" \
		not_run_once
else
	echo "ok [cli] # SKIP the module is loaded"
	pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
