#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh FRAGMENT PATCH|none CPU: build (cached) the kernel, then
# cross-build the suite and the module for it and pack the guest's
# initramfs: busybox, the suite and its libraries, the module, its TAP
# test, tests/vm/init. CPU is the QEMU -cpu the guest will run on
# (max, neoverse-n1: the expected folding state follows from it), or "hw"
# for a real board (nothing expected, nothing marked emulated).
# The source and PATCH (none, a number, a file, B) as in run.sh.
# Prints "<kernel build dir> <work dir>"; the initramfs is
# <work dir>/initramfs.cpio.gz. Used by run.sh and the LAVA jobs.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
[ $# -ge 1 ] || { echo "usage: initramfs.sh FRAGMENT PATCH|none CPU" >&2; exit 2; }
KERN_PREFIX=vm
# shellcheck source=kernel.sh
. "$TOP/scripts/vm/kernel.sh"
kern_run "$1" "${2:-none}" "${3:-max}"
frag=$kern_frag
fname=$kern_state
cpu=$kern_cpu
name=${INITRAMFS_NAME:-$kern_run}
sysroot=$CACHE/vm/sysroot-arm64

need() { command -v "$1" >/dev/null || { echo "vm: missing $1: apt-get install $2" >&2; exit 1; }; }
need aarch64-linux-gnu-g++ g++-aarch64-linux-gnu
need cpio cpio

kernel=$("$TOP/scripts/vm/build-kernel.sh" "$1" "${2:-none}")
"$TOP/scripts/vm/sysroot.sh" "$sysroot"

work=$CACHE/vm/work/$name
rm -rf "$work"
mkdir -p "$work/root"
echo "vm: $name: cross-building the suite and the module" >&2
# In this tree's build/aarch64, not a directory shared through the cache:
# make trusts timestamps, and another tree's newer objects there (another
# branch's main.o) would be linked into this one's gupbench.
bdir=$TOP/build/aarch64
make -s -C "$TOP" all CROSS_COMPILE=aarch64-linux-gnu- SYSROOT="$sysroot" \
	BUILDDIR="$bdir" Q=@ >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log" >&2; exit 1; }
# The module against this exact kernel, in a private copy of kmod/.
cp -r "$TOP/kmod" "$work/kmod"
make -C "$work/kmod" KDIR="$kernel" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	>>"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; exit 1; }
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I"$TOP/kmod" \
	-o "$work/root/kmod_test" "$TOP/tests/kmod/kmod_test.c"
# The alias fix's kselftest (make submission sends it upstream), against
# this kernel's own kselftest_harness.h (Kbuild's O=/source link), as a
# system header: 6.12's has unused parameters, which -Wextra reports.
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
	-isystem "$kernel/source/tools/testing/selftests" \
	-o "$work/root/gup_va_limit" "$TOP/configs/selftests/mm/gup_va_limit.c"
# issue 23's reproducer (no module): THP migration by a FOLL_LONGTERM pin
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -pthread \
	-o "$work/root/thp_pin_race" "$TOP/tests/vm/thp_pin_race.c"

# initramfs: busybox, the suite and its libraries, the module, /init.
r=$work/root
mkdir -p "$r/bin" "$r/lib/aarch64-linux-gnu" "$r/etc" "$r/profiles"
cp "$sysroot/bin/busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
cp "$bdir/gupbench" "$r/gupbench"
cp "$work/kmod/gupbench.ko" "$r/gupbench.ko"
cp "$TOP"/configs/profiles/*.conf "$r/profiles/"
cp "$TOP/tests/vm/init" "$r/init"
cp -L "$sysroot/lib/ld-linux-aarch64.so.1" "$r/lib/"
for l in libc.so.6 libm.so.6 libgcc_s.so.1 libstdc++.so.6 libbenchmark.so.1debian liburing.so.2; do
	f=
	for d in lib usr/lib; do
		[ -e "$sysroot/$d/aarch64-linux-gnu/$l" ] && f=$sysroot/$d/aarch64-linux-gnu/$l
	done
	[ -n "$f" ] || { echo "vm: $l missing from $sysroot" >&2; exit 1; }
	cp -L "$f" "$r/lib/aarch64-linux-gnu/"
done
expect=$(grep -m1 '^# expect:' "$frag")
levels=$(echo "$expect" | sed -n 's/.*pgtable_levels=\([0-9]\).*/\1/p')
lpa2=$(echo "$expect" | sed -n 's/.*lpa2=\([yn]\).*/\1/p')
rt=$levels
# Without FEAT_LPA2 an LPA2 kernel folds its top level at run time.
[ "$lpa2" = y ] && [ "$cpu" != max ] && rt=$((levels - 1))
l4=$([ "$rt" -ge 4 ] && echo 1 || echo 0)
l5=$([ "$rt" -ge 5 ] && echo 1 || echo 0)
# kernel_source: the exact source (package=Debian version, or git:commit)
# and its make kernelversion; no spaces (the guest splits CONTEXT).
case $ksrc_kind in
git) src=git:$([ "$kern_patch" = B ] && echo "$ksrc_b" || echo "$ksrc_a") ;;
*) src=$ksrc_pkg=$ksrc_debver ;;
esac
case $kern_patch in
none) pctx=none ;;
B) pctx=B:$ksrc_b ;;
*) pctx=$(basename "$kern_patch") ;;
esac
ctx="--context kernel_fragment=$fname --context kernel_patch=$pctx --context kernel_source=$src --context kernel_source_version=$ksrc_version"
if [ "$cpu" = hw ]; then
	# a real board: its CPU decides the run-time folding; expect nothing
	rt= l4= l5=
else
	ctx="--context emulated=qemu-tcg --context qemu_cpu=$cpu $ctx"
fi
cat > "$r/etc/gupbench-vm.env" <<ENV
EXPECT_LEVELS=$rt
EXPECT_L4=$l4
EXPECT_L5=$l5
CONTEXT="$ctx"
ENV
( cd "$r" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$work/initramfs.cpio.gz"
echo "$kernel $work"
