#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh HEADERS CHECKPATCH: host-side checks of kmod/ (make check-kmod).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
hdr=$1
cp=$2
pass=0
fail=0
t() {
	local what=$1
	shift
	if "$@" >/tmp/gupb-check-kmod.log 2>&1; then
		echo "ok [kmod] $what"; pass=$((pass + 1))
	else
		echo "not ok [kmod] $what"; tail -15 /tmp/gupb-check-kmod.log; fail=$((fail + 1))
	fi
}
if [ -n "$hdr" ] && [ -d "$hdr" ]; then
	t "builds against $(basename "$hdr")" make -C "$TOP/kmod" KDIR="$hdr"
	t "no compiler warnings" bash -c "! make -C '$TOP/kmod' KDIR='$hdr' clean all 2>&1 | grep -i warning"
	make -C "$TOP/kmod" KDIR="$hdr" clean >/dev/null 2>&1
else
	echo "not ok [kmod] no linux-headers-6.12-amd64 (apt-get install linux-headers-6.12-amd64)"
	fail=$((fail + 1))
fi
if [ -z "$cp" ]; then
	# checkpatch ships in the kernel source: unpack just what it needs.
	src=/usr/src/linux-source-6.12.tar.xz
	if [ -f "$src" ]; then
		d=$(mktemp -d)
		tar -xJf "$src" -C "$d" --wildcards '*/scripts/checkpatch.pl' \
			'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' 2>/dev/null
		cp=$(ls "$d"/*/scripts/checkpatch.pl 2>/dev/null | head -1)
	fi
fi
if [ -n "$cp" ]; then
	t "checkpatch --strict clean" bash -c "perl '$cp' --no-tree --strict --terse -f $TOP/kmod/*.c $TOP/kmod/*.h $TOP/kmod/uapi/*.h | grep -v '^total' | (! grep .)"
else
	echo "not ok [kmod] checkpatch.pl unavailable (apt-get install linux-source-6.12)"
	fail=$((fail + 1))
fi
t "TAP test program builds (-Wall -Wextra -Werror)" \
	gcc -Wall -Wextra -Werror -O2 -I"$TOP/kmod" -o /tmp/gupb-kmod-test "$TOP/tests/kmod/kmod_test.c"
t "TAP test program skips (exit 4) without the module" \
	bash -c "/tmp/gupb-kmod-test >/dev/null; [ \$? = 4 ]"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
