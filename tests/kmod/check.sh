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
	echo "not ok [kmod] no host kernel headers in /usr/src (apt-get install linux-headers-amd64)"
	fail=$((fail + 1))
fi
# checkpatch: CHECKPATCH, or every base's own scripts/checkpatch.pl
# (6.12, 7.2, 7.3 and mainline: the sources scripts/kernel/source.sh
# unpacks, fetched if missing).
CACHE=${CACHE:-$HOME/.cache/gupbench}
cps=()
if [ -n "$cp" ]; then
	cps=("$cp")
else
	for b in ${KMOD_BASES:-6.12 7.2 7.3 mainline}; do
		if s=$(TOP=$TOP CACHE=$CACHE KERNEL=$b bash -c '. "$TOP/scripts/kernel/source.sh"; ksrc_resolve; echo "$ksrc_src"' 2>/tmp/gupb-check-kmod.log); then
			[ -f "$s/scripts/checkpatch.pl" ] && cps+=("$s/scripts/checkpatch.pl")
		else
			echo "ok [kmod] checkpatch of $b # SKIP $(tail -1 /tmp/gupb-check-kmod.log)"
			pass=$((pass + 1))
		fi
	done
fi
if [ ${#cps[@]} -gt 0 ]; then
	for c in $(printf '%s\n' "${cps[@]}" | sort -u); do
		src=$(dirname "$(dirname "$c")")
		t "checkpatch --strict clean ($(cat "$src/../.label" 2>/dev/null || echo "$c"))" \
			bash -c "perl '$c' --no-tree --strict --terse -f $TOP/kmod/*.c $TOP/kmod/*.h $TOP/kmod/uapi/*.h | grep -v '^total' | (! grep .)"
	done
else
	echo "not ok [kmod] checkpatch.pl unavailable (no kernel source: see scripts/kernel/source.sh)"
	fail=$((fail + 1))
fi
# Codegen: the walk variants against the kernels' own gup_fast_fallback(),
# where the test bed has built a state stock and with 0001 (make vm-test).
# The module on every arm64 kernel the test bed has built (every base it
# ran on): it must build warning-free there.
kc=$CACHE/vm/kernels
for k in "$kc"/*/*-stock-*/; do
	[ -f "$k/.built" ] && [ -f "$k/Module.symvers" ] || continue
	d=$(mktemp -d)
	cp "$TOP"/kmod/* "$d/" 2>/dev/null; cp -r "$TOP/kmod/uapi" "$d/"
	t "builds warning-free against the test bed's $(basename "$(dirname "$k")")/$(basename "$k") ($(cat "$k/gupb-kernelversion" 2>/dev/null || echo "?"))" \
		bash -c "make -C '$d' KDIR='$k' ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- 2>&1 | tee /dev/stderr | (! grep -i warning)"
	rm -rf "$d"
done
# Codegen: the walk variants against the kernels' own gup_fast_fallback(),
# where the test bed has built a state stock and with 0001 (make vm-test).
ncg=0
for st in "$kc"/*/*-stock-*/; do
	[ -f "$st/mm/gup.o" ] && [ -f "$st/Module.symvers" ] || continue
	state=$(basename "$st" | sed 's/-stock-[0-9a-f]*$//')
	tag=$(basename "$(dirname "$st")")
	pt=$(ls -d "$kc/$tag/$state"-0001-*/ 2>/dev/null | head -1)
	[ -n "$pt" ] && [ -f "$pt/mm/gup.o" ] || continue
	grep -q '^CONFIG_ARM64=y' "$st/.config" 2>/dev/null || continue
	d=$(mktemp -d)
	cp "$TOP"/kmod/* "$d/" 2>/dev/null; cp -r "$TOP/kmod/uapi" "$d/"
	t "codegen $tag/$state: module built against it" \
		make -C "$d" KDIR="$st" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	t "codegen $tag/$state: live compiles like stock, stack like 0001" \
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
