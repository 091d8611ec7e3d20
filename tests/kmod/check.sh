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
# Codegen: the walk variants against the kernels' own gup_fast_fallback(),
# where the test bed has built a state stock and with 0001 (make vm-test).
kc=${CACHE:-$HOME/.cache/gupbench}/vm/kernels
ncg=0
for st in "$kc"/*-stock-*/; do
	[ -f "$st/mm/gup.o" ] && [ -f "$st/Module.symvers" ] || continue
	state=$(basename "$st" | sed 's/-stock-[0-9a-f]*$//')
	pt=$(ls -d "$kc/$state"-0001-*/ 2>/dev/null | head -1)
	[ -n "$pt" ] && [ -f "$pt/mm/gup.o" ] || continue
	grep -q '^CONFIG_ARM64=y' "$st/.config" 2>/dev/null || continue
	d=$(mktemp -d)
	cp "$TOP"/kmod/* "$d/" 2>/dev/null; cp -r "$TOP/kmod/uapi" "$d/"
	t "codegen $state: module built against it" \
		make -C "$d" KDIR="$st" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	t "codegen $state: live compiles like stock, stack like 0001" \
		"${SYSPYTHON:-/usr/bin/python3}" "$TOP/tests/kmod/codegen.py" "$st" "$pt" "$d/walk.o"
	rm -rf "$d"
	ncg=$((ncg + 1))
done
[ $ncg = 0 ] && echo "ok [kmod] codegen # SKIP no arm64 state built stock and with 0001 in $kc (make vm-test)"
t "TAP test program builds (-Wall -Wextra -Werror)" \
	gcc -Wall -Wextra -Werror -O2 -I"$TOP/kmod" -o /tmp/gupb-kmod-test "$TOP/tests/kmod/kmod_test.c"
t "TAP test program skips (exit 4) without the module" \
	bash -c "/tmp/gupb-kmod-test >/dev/null; [ \$? = 4 ]"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
