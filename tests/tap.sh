# SPDX-License-Identifier: GPL-2.0
# tap.sh: sourced by shell test scripts. TAP lines (kselftest style):
#   tap_ok STATUS WHAT   "ok N - <prefix>: WHAT" when STATUS is 0, else "not ok"
#   tap_skip WHY         "ok N # SKIP WHY"
#   tap_done             the plan; exits 1 if anything failed
# Set TAP_PREFIX first.
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

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_bad" = 0 ] || exit 1
	exit 0
}
