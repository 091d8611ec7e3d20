#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh FRAGMENT [PATCH|none]
#
# Build a small arm64 kernel (Image + modules, so out-of-tree modules have
# Module.symvers) from the source KERNEL names (scripts/kernel/source.sh:
# X.Y, mainline, a git tree): tinyconfig + the base fragment + FRAGMENT,
# optionally with PATCH applied to a copy of the tree (or a git tree's
# commit B: PATCH=B; scripts/vm/kernel.sh). Builds are cached under
# $CACHE/vm/kernels/<tag>/<name>-<key> keyed by the exact source (a git
# tree: the commit built, in <tag> git-<commit>), both fragments and the
# patch, so a second run rebuilds nothing; concurrent
# runs build each kernel once (a lock).
# Prints the build directory (O=) on stdout; progress goes to stderr.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
JOBS=${JOBS:-$(nproc)}
[ $# -ge 1 ] || { echo "usage: build-kernel.sh FRAGMENT [PATCH|none]" >&2; exit 2; }
KERN_PREFIX=vm
# shellcheck source=kernel.sh
. "$TOP/scripts/vm/kernel.sh"
kern_resolve "$1" "${2:-none}"
name=$kern_name
out=$CACHE/vm/kernels/$kern_ktag/$name-$kern_key
kern_cached "$out" .built "kernel $name ($kern_srcver)"
kern_tree
mkdir -p "$out"
log=$out/build.log
fail() {
	echo "vm: kernel $name failed to build; last lines of $log:" >&2
	tail -n 25 "$log" >&2
	echo "vm: reproduce: make -C $kern_tree O=$out ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j$JOBS Image modules" >&2
	exit 1
}
kern_say "configuring $name on $kern_srcver ($ksrc_version)"
echo "$kern_built" > "$out/gupb-source"
echo "$kern_kver" > "$out/gupb-kernelversion"
kern_configure "$out" "$log"
kern_say "building $name (-j$JOBS, log in $log)"
start=$(date +%s)
# shellcheck source=progress.sh
. "$TOP/scripts/vm/progress.sh"
progress_start "building $name" 'echo "$(find "$out" -name "*.o" | wc -l) objects compiled"'
trap progress_stop EXIT
make -C "$kern_tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	-j"$JOBS" Image modules >> "$log" 2>&1 || fail
progress_stop
touch "$out/.built"
kern_say "built $name in $(( $(date +%s) - start ))s"
echo "$out"
