#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh FRAGMENT [PATCH|none]
#
# Build a small arm64 kernel (Image + modules, so out-of-tree modules have
# Module.symvers) from Debian's linux-source-6.12: tinyconfig + the base
# fragment + FRAGMENT, optionally with PATCH applied to a copy of the tree.
# Builds are cached under $CACHE/vm/kernels/<hash> keyed by the source
# version, both fragments and the patch, so a second run rebuilds nothing.
# Prints the build directory (O=) on stdout; progress goes to stderr.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
JOBS=${JOBS:-$(nproc)}
frag=${1:?usage: build-kernel.sh FRAGMENT [PATCH|none]}
patch=${2:-none}
base=$TOP/configs/kernel/base-arm64.config
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)

say() { echo "vm: $*" >&2; }
need() { command -v "$1" >/dev/null || { echo "vm: missing $1: apt-get install $2" >&2; exit 1; }; }
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need flex flex
need bison bison
need bc bc
[ -n "$tarball" ] || { echo "vm: missing kernel source: apt-get install linux-source-6.12" >&2; exit 1; }
[ -f "$frag" ] || frag=$TOP/configs/kernel/$frag
[ -f "$frag" ] || { echo "vm: no such fragment: $1" >&2; exit 2; }
if [ "$patch" != none ]; then
	[ -f "$patch" ] || patch=$TOP/configs/patches/$patch
	[ -f "$patch" ] || { echo "vm: no such patch: $2" >&2; exit 2; }
fi

# Unpack the source once (the tarball's version is part of the key).
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || stat -c %Y "$tarball")
src=$CACHE/src/linux-source-6.12
stamp=$CACHE/src/.unpacked-$srcver
# Several builds may run at once (vm-test, make answer, a second shell):
# one unpacks, the others wait; one builds a given kernel, the others
# wait for it and take it from the cache.
mkdir -p "$CACHE/vm/kernels"
exec 8>"$CACHE/vm/.src.lock"
flock 8
if [ ! -f "$stamp" ]; then
	say "unpacking $tarball into $CACHE/src"
	rm -rf "$CACHE/src" && mkdir -p "$CACHE/src"
	tar -xJf "$tarball" -C "$CACHE/src"
	touch "$stamp"
fi
flock -u 8

key=$( { echo "$srcver"; cat "$base" "$frag"; [ "$patch" = none ] || cat "$patch"; } | sha256sum | cut -c1-16)
name=$(basename "$frag" .config)-$([ "$patch" = none ] && echo stock || basename "$patch" .patch)
out=$CACHE/vm/kernels/$name-$key
exec 9>"$out.lock"
flock 9
if [ -f "$out/.built" ]; then
	say "kernel $name: cached ($out)"
	echo "$out"
	exit 0
fi
mkdir -p "$out"
tree=$src
flock 8
if [ "$patch" != none ]; then
	# A private copy per patch: hard links are enough because GNU patch
	# writes new files instead of modifying them in place.
	tree=$CACHE/src/tree-$(sha256sum "$patch" | cut -c1-16)
	if [ ! -f "$tree/.patched" ]; then
		say "applying $(basename "$patch")"
		rm -rf "$tree" && cp -al "$src" "$tree"
		patch -s -p1 -d "$tree" < "$patch"
		touch "$tree/.patched"
	fi
fi
flock -u 8

log=$out/build.log
kmake() { make -C "$tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@"; }
fail() {
	echo "vm: kernel $name failed to build; last lines of $log:" >&2
	tail -n 25 "$log" >&2
	echo "vm: reproduce: make -C $tree O=$out ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j$JOBS Image modules" >&2
	exit 1
}
say "configuring $name"
{ kmake tinyconfig && \
  "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$base" "$frag" && \
  kmake olddefconfig; } > "$log" 2>&1 || fail

# merge_config.sh drops symbols whose dependencies are unmet with only a
# warning: insist that every requested value made it into .config.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) sym=${line%%=*}; grep -q "^$sym=" "$out/.config" && { say "$sym should be off"; missing=1; } ;;
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || { say "requested $line not in .config"; missing=1; } ;;
	esac
done < <(cat "$base" "$frag")
[ $missing = 0 ] || { echo "vm: config for $name lacks requested options" >&2; exit 1; }

say "building $name (-j$JOBS, log in $log)"
start=$(date +%s)
# shellcheck source=progress.sh
. "$TOP/scripts/vm/progress.sh"
# tinyconfig-based test-bed kernels have about 1300 objects
progress_start "building $name" 'echo "$(find "$out" -name "*.o" | wc -l) objects compiled (~1300 in all)"'
trap progress_stop EXIT
kmake -j"$JOBS" Image modules >> "$log" 2>&1 || fail
progress_stop
touch "$out/.built"
say "built $name in $(( $(date +%s) - start ))s"
echo "$out"
