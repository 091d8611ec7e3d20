#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# counts.sh FRAGMENT PATCH|none CPU: exact dynamic counts per GUP-fast call.
#
# Builds (cached) the kernel (scripts/vm/build-kernel.sh), the gupcount
# QEMU plugin, the module against that exact kernel and the static guest
# /init; boots qemu-system-aarch64 -cpu CPU -smp 1 with the plugin counting
# instructions, loads and stores in the walk's functions (taken from the
# kernel's symbols); checks the guest's report and writes
#   results/answer/<tag>/counts/<fragment>-<stock|NNNN|B>-<cpu>.json
# atomically, in $ANSWER_DIR (default results/answer/<source tag>/), on
# KERNEL's source. PATCH is a path, a file in configs/patches/, its
# number (0001; per base) or B (a git tree's commit B), resolved by
# kern_run (scripts/vm/kernel.sh). Exit 1 with the reason on any failure,
# leaving no result file.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
RESULTS=${RESULTS:-$TOP/results}
SYSPYTHON=${SYSPYTHON:-/usr/bin/python3}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
usage="usage: counts.sh FRAGMENT PATCH|none CPU"
[ $# = 3 ] || { echo "$usage" >&2; exit 2; }
frag=$1 patch=$2 cpu=$3
here=$TOP/scripts/answer

die() { echo "answer: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "missing $1: apt-get install $2"; }
need qemu-system-aarch64 qemu-system-arm
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need aarch64-linux-gnu-nm binutils-aarch64-linux-gnu
need cpio cpio
need cc gcc

# The run spec (source, fragment, patch or commit B, CPU) in one place.
KERN_PREFIX=answer
# shellcheck source=../vm/kernel.sh
. "$TOP/scripts/vm/kernel.sh"
kern_run "$frag" "$patch" "$cpu"
state=$kern_state pname=$kern_pname
name=$state-$pname-$cpu
dir=${ANSWER_DIR:-$RESULTS/answer/$kern_tag}
out=$dir/counts/$name.json
work=$CACHE/answer/work/$kern_tag/$name

kernel=$("$TOP/scripts/vm/build-kernel.sh" "$frag" "$patch")
[ -f "$kernel/vmlinux" ] || die "no vmlinux in $kernel"

# Host-side builds shared by all runs: one at a time.
mkdir -p "$CACHE/answer"
exec 9>"$CACHE/answer/.build.lock"
flock 9
"$here/plugin/fetch-header.sh" "$CACHE/answer/qemu-plugin"
mkdir -p "$CACHE/answer/plugin"
make -s -C "$here/plugin" QEMU_INC="$CACHE/answer/qemu-plugin/include/qemu" \
	O="$CACHE/answer/plugin" >&2 || die "plugin build failed"
flock -u 9
plugin=$CACHE/answer/plugin/gupcount.so

# Two runs of one kernel/CPU (the determinism test, a second shell) would
# share this work directory: one at a time.
mkdir -p "$(dirname "$work")"
exec 8>"$work.lock"
flock 8
rm -rf "$work"
mkdir -p "$work/root"
echo "answer: $name: building the module and the guest" >&2
# The module against this exact kernel, in a private copy of kmod/.
cp -r "$TOP/kmod" "$work/kmod"
make -C "$work/kmod" KDIR="$kernel" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	>"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; die "module build failed"; }
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I"$TOP/kmod" \
	-o "$work/root/init" "$here/guest/gupcount-init.c" 2>>"$work/build.log" ||
	{ tail -20 "$work/build.log" >&2; die "guest build failed"; }
cp "$work/kmod/gupbench.ko" "$work/root/gupbench.ko"
# The guest is the whole user space: no shell, whose getppid() would add
# phases (see gupcount-init.c).
( cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 ) > "$work/initramfs.cpio.gz"

aarch64-linux-gnu-nm -S --defined-only "$kernel/vmlinux" > "$work/nm.txt"
mapfile -t args < <(PYTHONPATH=$TOP/analysis "$SYSPYTHON" -m gupb answer counts ranges "$work/nm.txt") ||
	die "no walk ranges in $kernel/vmlinux"
[ ${#args[@]} -gt 0 ] || die "no walk ranges in $kernel/vmlinux"
# The ranges' disassembly turns the plugin's trace of one call into the
# instructions it executed (the "path" in the result).
: > "$work/objdump.txt"
for a in "${args[@]}"; do
	case $a in
	range=*)
		r=${a#range=} s=${r%%-*} r=${r#*-} e=${r%%-*}
		aarch64-linux-gnu-objdump -d --start-address=0x"$s" \
			--stop-address=0x"$e" "$kernel/vmlinux" >> "$work/objdump.txt" ;;
	esac
done
# QEMU splits -plugin options at commas, so no path may hold one.
case $plugin$work in *,*) die "a comma in $plugin or $work breaks -plugin options" ;; esac
pargs=file=$plugin
for a in "${args[@]}" "out=$work/counts.raw"; do
	pargs+=",$a"
done

# -smp 1: the plugin counts with plain globals, and one CPU keeps other
# threads from running gup in the middle of a phase. nokaslr: the ranges
# are the link addresses (tinyconfig has no RANDOMIZE_BASE; belt and
# braces). -nic none: see scripts/vm/run.sh.
qemu=(qemu-system-aarch64 -M virt -cpu "$cpu" -smp 1 -m 512 -nographic
	-no-reboot -nic none
	-kernel "$kernel/arch/arm64/boot/Image" -initrd "$work/initramfs.cpio.gz"
	-append "console=ttyAMA0 panic=-1 oops=panic nokaslr"
	-plugin "$pargs")
printf '%q ' "${qemu[@]}" > "$work/reproduce.sh"
echo >> "$work/reproduce.sh"
echo "answer: $name: booting (-cpu $cpu, limit ${BOOT_TIMEOUT}s)" >&2
start=$(date +%s)
set +e
timeout --kill-after=10 "$BOOT_TIMEOUT" "${qemu[@]}" </dev/null >"$work/console.log" 2>&1
rc=$?
set -e
echo "answer: $name: guest ran $(( $(date +%s) - start ))s (qemu exit $rc)" >&2
if [ $rc = 124 ] || [ $rc = 137 ]; then
	tail -15 "$work/console.log" >&2
	die "$name: timeout after ${BOOT_TIMEOUT}s (console: $work/console.log)"
fi
if [ ! -f "$work/counts.raw" ]; then
	tail -15 "$work/console.log" >&2
	die "$name: the plugin wrote no counts (qemu exit $rc; console: $work/console.log)"
fi
# llvm-mc turns the executed opcodes into assembly for the model estimate
# (gupb answer estimate); without it the result holds the opcodes only.
mc=${LLVM_MC:-$(command -v llvm-mc-19 || command -v llvm-mc || true)}
[ -n "$mc" ] || echo "answer: no llvm-mc (apt-get install llvm-19): opcodes only" >&2
PYTHONPATH=$TOP/analysis "$SYSPYTHON" -m gupb answer counts json --nm "$work/nm.txt" --raw "$work/counts.raw" \
	--console "$work/console.log" --state "$state" --patch "$pname" --cpu "$cpu" \
	--objdump "$work/objdump.txt" --source "$kern_srcver" --kernel-version "$ksrc_version" \
	${mc:+--mc "$mc"} --out "$out" || { echo "answer: logs in $work" >&2; exit 1; }
echo "answer: $name: $out" >&2
