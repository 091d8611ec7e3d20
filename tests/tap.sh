# SPDX-License-Identifier: GPL-2.0
# tap.sh: sourced by shell test scripts. TAP lines (kselftest style):
#   tap_ok STATUS WHAT   "ok N - <prefix>: WHAT" when STATUS is 0, else "not ok"
#   tap_eq GOT WANT WHAT "ok" when GOT = WANT (strings), else "not ok" and
#                        both values with the caller's file:line
#   tap_skip WHY         "ok N # SKIP WHY"
#   tap_skip_all WHY     the whole file skipped ("1..0 # SKIP WHY"), exit 4
#                        (KSFT_SKIP, the one skip code: tests/tap-exec);
#                        only before any tap_ok
#   tap_sub WHAT CMD...  CMD's own TAP lines ("ok N - x", or "ok [part] x")
#                        renumbered into ours, other output as diagnostics,
#                        then "WHAT exits 0" (a checker such as check_result.py)
#   tap_done             the plan; exits 1 if anything failed
# Set TAP_PREFIX first. Tests run under prove (make check, tests/tap-exec).
tap_n=0
tap_bad=0

tap_ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - ${TAP_PREFIX:+$TAP_PREFIX: }$2"
	else
		echo "not ok $tap_n - ${TAP_PREFIX:+$TAP_PREFIX: }$2"
		tap_bad=$((tap_bad + 1))
	fi
}

tap_eq() {
	if [ "$1" = "$2" ]; then
		tap_ok 0 "$3"
	else
		tap_ok 1 "$3"
		echo "# ${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: got '$1', want '$2'"
	fi
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

tap_skip_all() {
	echo "1..0 # SKIP $1"
	exit 4
}

tap_sub() {
	local what=$1 out line rc
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*) line=${line#*# SKIP}; tap_skip "${line# }" ;;
		"ok "*) line=${line#ok }; tap_ok 0 "${line#[0-9]* - }" ;;
		"not ok "*) line=${line#not ok }; tap_ok 1 "${line#[0-9]* - }" ;;
		"1.."* | [0-9]*" passed, "[0-9]*" failed") ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$out"
	rm -f "$out"
	tap_ok $rc "$what exits 0"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_bad" = 0 ] || exit 1
	exit 0
}
