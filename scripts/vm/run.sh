#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh FRAGMENT PATCH|none CPU: build (cached) the kernel, the suite and
# the module for it, boot it under qemu-system-aarch64 -cpu CPU, and check
# the run (gupb testbed, TAP). The source is KERNEL's
# (scripts/kernel/source.sh), PATCH none, a patch number, a patch file or
# B (a git tree's commit B); the run spec is resolved by kern_run
# (scripts/vm/kernel.sh). Results in
# results/vm/<source tag>/<fragment>-<stock|patch number|B>-<cpu>/.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
RESULTS=${RESULTS:-$TOP/results}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
[ $# -ge 1 ] || { echo "usage: run.sh FRAGMENT PATCH|none CPU" >&2; exit 2; }
KERN_PREFIX=vm
# shellcheck source=kernel.sh
. "$TOP/scripts/vm/kernel.sh"
kern_run "$1" "${2:-none}" "${3:-max}"
frag=$kern_frag
cpu=$kern_cpu
name=$kern_run
out=$RESULTS/vm/$name
sysroot=$CACHE/vm/sysroot-arm64

need() { command -v "$1" >/dev/null || { echo "vm: missing $1: apt-get install $2" >&2; exit 1; }; }
need qemu-system-aarch64 qemu-system-arm

# Two runs of one FRAGMENT/PATCH/CPU (vm-test and vm-icount, or two
# shells) share the guest's work directory and its results image: one at a
# time (a second writer corrupted the first one's results once).
mkdir -p "$(dirname "$CACHE/vm/work/$name")"
exec 7>"$CACHE/vm/work/$name.lock"
flock 7

read -r kernel work < <(INITRAMFS_NAME=$name "$TOP/scripts/vm/initramfs.sh" "$1" "${2:-none}" "$cpu" || echo FAIL)
[ "$kernel" != FAIL ] || exit 1
rm -rf "$out"
mkdir -p "$out"
# the expected state, for gupb testbed (the same as in the guest's env file)
. "$work/root/etc/gupbench-vm.env"
rt=$EXPECT_LEVELS l4=$EXPECT_L4 l5=$EXPECT_L5
expect=$(grep -m1 '^# expect:' "$frag")
truncate -s 64M "$work/results.img"

# -nic none: without it -M virt adds a virtio-net NIC whose option ROM
# (efi-virtio.rom) comes from ipxe-qemu, a Recommends that
# --no-install-recommends leaves out; the guest needs no network anyway.
# QEMU_EXTRA: more options (e.g. -plugin for exact counts); VM_APPEND:
# more kernel parameters (movablecore= for the THP check, gupb.thp_only).
qemu=(qemu-system-aarch64 -M virt -cpu "$cpu" -smp 2 -m 1024 -nographic
	-no-reboot -nic none
	-kernel "$kernel/arch/arm64/boot/Image" -initrd "$work/initramfs.cpio.gz"
	-append "console=ttyAMA0 panic=-1 oops=panic${VM_APPEND:+ $VM_APPEND}"
	-drive "file=$work/results.img,if=none,format=raw,id=res"
	-device virtio-blk-device,drive=res ${QEMU_EXTRA:-})
echo "vm: $name: booting $kern_srcver ($ksrc_version), -cpu $cpu, limit ${BOOT_TIMEOUT}s" >&2
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
# the alias verdict for the answer (results/answer/<tag>/alias/), then
# the run's own verdict (TAP)
PYTHONPATH=$TOP/analysis ${SYSPYTHON:-/usr/bin/python3} -m gupb alias --optional \
	--out "$RESULTS/answer/$(dirname "$name")/alias" "$out"
RESULTS=$RESULTS PYTHONPATH=$TOP/analysis ${SYSPYTHON:-/usr/bin/python3} -m gupb testbed "$out" "$name" \
	--levels "$rt" --l4 "$l4" --l5 "$l5" --expect "$expect"
