#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fnlen.sh: no function in bench/ is longer than MAX (60) lines, from its
# opening brace to its closing one: kernel style's "one screen", and the
# cue to split a function by what its parts do (issue 20). C functions
# open and close in column 0, C++ methods in gb_shim.cc one tab in. TAP.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
MAX=${MAX:-60}
TAP_PREFIX=fnlen
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

long=$(cd "$TOP" && find bench \( -name '*.c' -o -name '*.cc' \) | sort |
	xargs awk -v max="$MAX" '
	FNR == 1 { open = 0 }
	!open && /^\t?\{$/ { open = FNR; ind = substr($0, 1, length($0) - 1)
		name = prev }
	open && FNR > open && index($0, ind "}") == 1 &&
	    substr($0, length(ind) + 1, 1) == "}" {
		if (FNR - open + 1 > max)
			printf "%s:%d %d lines (%s)\n", FILENAME, open,
				FNR - open + 1, name
		open = 0
	}
	{ if ($0 ~ /\(/) prev = $0 }')
n=$(cd "$TOP" && find bench \( -name '*.c' -o -name '*.cc' \) | wc -l)
[ -z "$long" ]
tap_ok $? "no function in bench/'s $n C/C++ files over $MAX lines"
[ -z "$long" ] || echo "$long" | sed 's/^/# /'
tap_done
