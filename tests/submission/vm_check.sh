#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm_check.sh: tests/vm/check.py's verdict on the kselftest gup_va_limit
# of a made-up guest: its failures are the known bug (TAP TODO) only on
# an unfixed kernel whose top level is folded at run time; a failure
# anywhere else is a failure; passes and skips pass; no TAP file is a
# skip with the reason.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX="check.py kselftest"
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
PY=${SYSPYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fix=$(cd "$TOP/configs/patches" && ls 0003-*.patch | head -1)

# guest NAME PATCH ACCEPTED FAIL_BELOW SKIP_BELOW RC: a results folder
guest() {
	local d=$tmp/vm/$1 b t
	mkdir -p "$d"
	echo "GUPB-VM: booted 7.3.0-rc7" >"$d/console.log"
	cat >"$d/result.json" <<JSON
{"context": {"kernel_patch": "$2", "alias_accepted_above_va": "$3",
 "alias_entry_points_accepted": "$([ "$3" = yes ] && echo vmsplice || echo none)",
 "alias_confirmed": "$3", "alias_confirmed_by": "$([ "$3" = yes ] && echo vmsplice || echo none)",
 "alias_va_bits_runtime": "47", "alias_probe_bits": "47,48"}, "benchmarks": []}
JSON
	if [ -n "$4" ]; then
		{ echo "TAP version 13"; echo "1..18"
		  for b in $(seq 47 55); do for t in vmsplice futex_wake; do
			if [ "$b" -lt "$4" ]; then echo "not ok 1 gup_va_limit.bit$b.$t"
			elif [ "$b" -lt "$5" ]; then echo "ok 1 gup_va_limit.bit$b.$t # SKIP inside"
			else echo "ok 1 gup_va_limit.bit$b.$t"; fi
		  done; done; } >"$d/gup_va_limit.tap"
		echo "$6" >"$d/gup_va_limit.rc"
	fi
}
check() { # NAME LEVELS: check.py's kselftest line
	"$PY" "$TOP/tests/vm/check.py" "$tmp/vm/$1" "$1" --levels "$2" --l4 0 --l5 0 \
		--expect "# expect: pgtable_levels=4 lpa2=y" 2>/dev/null | grep 'kselftest gup_va_limit'
}
guest stock-n1 none yes 52 0 1
out=$(check stock-n1 3)
echo "# $out"
grep -qE '^not ok [0-9]+ - stock-n1: kselftest gup_va_limit: 8 pass, 0 skip, 10 fail: .* \(exit 1\) # TODO known bug' <<<"$out"
tap_ok $? "stock, folded at run time, failing: TODO (the known bug)"

guest fixed-n1 "$fix" no 52 0 1
out=$(check fixed-n1 3)
echo "# $out"
grep -qE '^not ok [0-9]+ - fixed-n1: kselftest gup_va_limit: .*10 fail' <<<"$out" && ! grep -q TODO <<<"$out"
tap_ok $? "the same failures with the fix ($fix): a plain failure"

guest stock-max none no 0 52 0
out=$(check stock-max 4)
echo "# $out"
grep -qE '^ok [0-9]+ - stock-max: kselftest gup_va_limit: 8 pass, 10 skip, 0 fail \(exit 0\)$' <<<"$out"
tap_ok $? "not folded, passing and skipping inside the user VA: ok"

guest stock-max-bad none no 48 0 1
out=$(check stock-max-bad 4)
echo "# $out"
grep -qE '^not ok [0-9]+ - stock-max-bad: kselftest' <<<"$out" && ! grep -q TODO <<<"$out"
tap_ok $? "not folded and failing: a plain failure"

guest none-ran none no "" "" ""
out=$(check none-ran 4)
echo "# $out"
grep -qE '^ok [0-9]+ - none-ran # SKIP kselftest gup_va_limit: no gup_va_limit.tap' <<<"$out"
tap_ok $? "no TAP from the guest: a skip that says so"
tap_done
