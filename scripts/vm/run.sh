#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh FRAGMENT PATCH|none CPU: build (cached) the kernel, the suite and
# the module for it, boot it under qemu-system-aarch64 -cpu CPU, and check
# the run (tests/vm/check.py, TAP). Results in
# results/vm/<fragment>-<stock|patch number>-<cpu>/.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
RESULTS=${RESULTS:-$TOP/results}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
frag=${1:?usage: run.sh FRAGMENT PATCH|none CPU}
patch=${2:-none}
cpu=${3:-max}
fname=$(basename "$frag" .config)
pname=$([ "$patch" = none ] && echo stock || basename "$patch" | cut -d- -f1)
name=$fname-$pname-$cpu
out=$RESULTS/vm/$name
sysroot=$CACHE/vm/sysroot-arm64

need() { command -v "$1" >/dev/null || { echo "vm: missing $1: apt-get install $2" >&2; exit 1; }; }
need qemu-system-aarch64 qemu-system-arm
need aarch64-linux-gnu-g++ g++-aarch64-linux-gnu
need cpio cpio

kernel=$("$TOP/scripts/vm/build-kernel.sh" "$frag" "$patch")
"$TOP/scripts/vm/sysroot.sh" "$sysroot"

work=$CACHE/vm/work/$name
rm -rf "$work" "$out"
mkdir -p "$work/root" "$out"
echo "vm: $name: cross-building the suite and the module" >&2
make -s -C "$TOP" all CROSS_COMPILE=aarch64-linux-gnu- SYSROOT="$sysroot" \
	BUILDDIR="$CACHE/vm/build-aarch64" Q=@ >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log" >&2; exit 1; }
# The module against this exact kernel, in a private copy of kmod/.
cp -r "$TOP/kmod" "$work/kmod"
make -C "$work/kmod" KDIR="$kernel" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	>>"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; exit 1; }
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I"$TOP/kmod" \
	-o "$work/root/kmod_test" "$TOP/tests/kmod/kmod_test.c"

# initramfs: busybox, the suite and its libraries, the module, /init.
r=$work/root
mkdir -p "$r/bin" "$r/lib/aarch64-linux-gnu" "$r/etc" "$r/profiles"
cp "$sysroot/bin/busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
cp "$CACHE/vm/build-aarch64/gupbench" "$r/gupbench"
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
expect=$(grep -m1 '^# expect:' "$TOP/configs/kernel/$fname.config" 2>/dev/null || grep -m1 '^# expect:' "$frag")
levels=$(echo "$expect" | sed -n 's/.*pgtable_levels=\([0-9]\).*/\1/p')
lpa2=$(echo "$expect" | sed -n 's/.*lpa2=\([yn]\).*/\1/p')
rt=$levels
# Without FEAT_LPA2 an LPA2 kernel folds its top level at run time.
[ "$lpa2" = y ] && [ "$cpu" != max ] && rt=$((levels - 1))
l4=$([ "$rt" -ge 4 ] && echo 1 || echo 0)
l5=$([ "$rt" -ge 5 ] && echo 1 || echo 0)
cat > "$r/etc/gupbench-vm.env" <<ENV
EXPECT_LEVELS=$rt
EXPECT_L4=$l4
EXPECT_L5=$l5
CONTEXT="--context emulated=qemu-tcg --context qemu_cpu=$cpu --context kernel_fragment=$fname --context kernel_patch=$([ "$patch" = none ] && echo none || basename "$patch")"
ENV
( cd "$r" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$work/initramfs.cpio.gz"
truncate -s 64M "$work/results.img"

# -nic none: without it -M virt adds a virtio-net NIC whose option ROM
# (efi-virtio.rom) comes from ipxe-qemu, a Recommends that
# --no-install-recommends leaves out; the guest needs no network anyway.
# QEMU_EXTRA: more options (e.g. -plugin for exact counts).
qemu=(qemu-system-aarch64 -M virt -cpu "$cpu" -smp 2 -m 1024 -nographic
	-no-reboot -nic none
	-kernel "$kernel/arch/arm64/boot/Image" -initrd "$work/initramfs.cpio.gz"
	-append "console=ttyAMA0 panic=-1 oops=panic"
	-drive "file=$work/results.img,if=none,format=raw,id=res"
	-device virtio-blk-device,drive=res ${QEMU_EXTRA:-})
echo "vm: $name: booting (-cpu $cpu, limit ${BOOT_TIMEOUT}s)" >&2
start=$(date +%s)
# shellcheck source=progress.sh
. "$TOP/scripts/vm/progress.sh"
progress_start "$name" 'echo "guest at: $(grep -a "GUPB-VM:" "$out/console.log" | tail -1 | tr -d "\r" || true)"'
trap progress_stop EXIT
set +e
timeout --kill-after=10 "$BOOT_TIMEOUT" "${qemu[@]}" </dev/null >"$out/console.log" 2>&1
rc=$?
set -e
progress_stop
echo "vm: $name: guest ran $(( $(date +%s) - start ))s (qemu exit $rc)" >&2
echo "$rc" > "$out/qemu.rc"
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "timeout after ${BOOT_TIMEOUT}s" > "$out/timeout"
fi
tar -xf "$work/results.img" -C "$out" --strip-components=1 2>/dev/null || true
printf '%q ' "${qemu[@]}" > "$out/reproduce.sh"
echo >> "$out/reproduce.sh"
${SYSPYTHON:-/usr/bin/python3} "$TOP/tests/vm/check.py" "$out" "$name" \
	--levels "$rt" --l4 "$l4" --l5 "$l5" --expect "$expect"
