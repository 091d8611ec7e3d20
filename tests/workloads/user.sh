#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# user.sh: not root: no private zram; O_DIRECT skips with the reason, the
# rest runs. Needs root (to drop to uid 65534) and setpriv; else skipped.
# TAP. Needs GUPBENCH (default: build/<arch>/gupbench) and SYSPYTHON.
set -uo pipefail

TAP_PREFIX=user
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null ||
	tap_skip_all "not-root path: needs root (to drop to nobody) and setpriv"

# The first directory on the way to each of the files that uid 65534 cannot
# search (no o+x), or nothing: the copy and its shared libraries.
unreachable() {
	local f d
	for f in "$@"; do
		d=$(dirname "$f")
		while :; do
			# o+x, or o+x with the sticky bit (t)
			case $(stat -L -c %A "$d" | cut -c10) in
			x | t) ;;
			*) echo "$d ($(stat -L -c %a "$d"))"; return ;;
			esac
			[ "$d" = / ] && break
			d=$(dirname "$d")
		done
	done
}

# Run a copy that uid 65534 can reach: the checkout may sit under a
# 0700 directory (root's home, where git clone puts it for root).
chmod 0777 "$work" "$work/res"
chmod 0755 "$work/prof"
install -m 0755 "$GUPBENCH" "$work/gupbench-user"
libs=$(ldd "$work/gupbench-user" 2>/dev/null | awk '$3 ~ /^\// { print $3 }')
# shellcheck disable=SC2086
blocked=$(unreachable "$work/gupbench-user" $libs)
caps=()
how="uid 65534"
if [ -n "$blocked" ]; then
	# e.g. a chroot made under a 0700 mktemp directory: "/" itself. The
	# not-root path still runs: uid 65534 with CAP_DAC_READ_SEARCH alone
	# (directory search, nothing else), which gupbench still sees as not
	# root (geteuid() != 0).
	caps=(--inh-caps=+dac_read_search --ambient-caps=+dac_read_search)
	how="uid 65534 + CAP_DAC_READ_SEARCH: cannot search $blocked"
fi
setpriv --reuid=65534 --regid=65534 --clear-groups "${caps[@]}" \
	"$work/gupbench-user" --profile wltest --target zram --out "$work/res/user.json" \
	--tmpdir "$work" --filter '^(odirect_read|futex|vmsplice)/' \
	>"$work/user.log" 2>&1
tap_ok $? "not root ($how): run exits 0 $([ -s "$work/user.log" ] && tail -1 "$work/user.log")"
if [ -f "$work/res/user.json" ]; then
	tap_sub check_smoke.py "$PY" "$TOP/tests/workloads/check_smoke.py" "$work/res/user.json" \
		--expect-skip odirect_read/ "not root"
fi
tap_done
