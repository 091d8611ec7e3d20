# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh: sourced (not run) by the answer scripts. The same source
# unpacking, per-patch tree and configuration steps as
# scripts/vm/build-kernel.sh -- same cache paths, same locks, same cache key
# -- so the answer pipeline and the test bed share one unpacked source, one
# tree per patch, and the answer can take its objects from a kernel the
# test bed has already built. Keep in step with build-kernel.sh.
#
# Needs TOP and CACHE. Functions exit with a message on bad input.

ans_say() { echo "answer: $*" >&2; }
ans_die() { echo "answer: $*" >&2; exit "${2:-1}"; }

ans_need() {
	command -v "$1" >/dev/null || ans_die "missing $1: apt-get install $2"
}

# ans_resolve FRAGMENT PATCH|none: sets ans_frag, ans_patch (paths or
# "none"), ans_name (<fragment>-<stock|patch name>), ans_key (the 16 hex
# digit key build-kernel.sh uses), ans_srcver, ans_tarball.
ans_resolve() {
	local frag=$1 patch=${2:-none} base=$TOP/configs/kernel/base-arm64.config
	ans_need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	ans_need flex flex
	ans_need bison bison
	ans_need bc bc
	ans_tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
	[ -n "$ans_tarball" ] || ans_die "missing kernel source: apt-get install linux-source-6.12"
	[ -f "$frag" ] || frag=$TOP/configs/kernel/$frag
	[ -f "$frag" ] || frag=$frag.config
	[ -f "$frag" ] || ans_die "no such fragment: $1" 2
	if [ "$patch" != none ]; then
		# A number (0001) names the patch file it starts.
		[ -f "$patch" ] || patch=$( (ls "$TOP"/configs/patches/"$patch"*.patch 2>/dev/null || true) | head -n1)
		[ -n "$patch" ] && [ -f "$patch" ] || ans_die "no such patch: $2" 2
	fi
	ans_frag=$frag
	ans_patch=$patch
	ans_base=$base
	ans_srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || stat -c %Y "$ans_tarball")
	ans_key=$( { echo "$ans_srcver"; cat "$base" "$frag"; [ "$patch" = none ] || cat "$patch"; } | sha256sum | cut -c1-16)
	ans_name=$(basename "$frag" .config)-$([ "$patch" = none ] && echo stock || basename "$patch" .patch)
}

# ans_tree: unpack the source once and make the patched copy once (under
# the test bed's source lock); sets ans_src and ans_tree.
ans_tree() {
	local stamp
	ans_src=$CACHE/src/linux-source-6.12
	stamp=$CACHE/src/.unpacked-$ans_srcver
	mkdir -p "$CACHE/vm/kernels"
	exec 8>"$CACHE/vm/.src.lock"
	flock 8
	if [ ! -f "$stamp" ]; then
		ans_say "unpacking $ans_tarball into $CACHE/src"
		rm -rf "$CACHE/src" && mkdir -p "$CACHE/src"
		tar -xJf "$ans_tarball" -C "$CACHE/src"
		touch "$stamp"
	fi
	ans_tree=$ans_src
	if [ "$ans_patch" != none ]; then
		# Hard links are enough: GNU patch writes new files.
		ans_tree=$CACHE/src/tree-$(sha256sum "$ans_patch" | cut -c1-16)
		if [ ! -f "$ans_tree/.patched" ]; then
			ans_say "applying $(basename "$ans_patch")"
			rm -rf "$ans_tree" && cp -al "$ans_src" "$ans_tree"
			patch -s -p1 -d "$ans_tree" < "$ans_patch"
			touch "$ans_tree/.patched"
		fi
	fi
	flock -u 8
}

# ans_configure OUT LOG [make args...]: tinyconfig + base + fragment into
# OUT, then insist every requested value survived merge_config.sh (which
# drops symbols with unmet dependencies with only a warning).
ans_configure() {
	local out=$1 log=$2 line sym missing=0
	shift 2
	{ make -C "$ans_tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" tinyconfig && \
	  "$ans_tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$ans_base" "$ans_frag" && \
	  make -C "$ans_tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" olddefconfig; } \
		> "$log" 2>&1 || { tail -n 25 "$log" >&2; ans_die "configuring $ans_name failed (log: $log)"; }
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) sym=${line%%=*}; grep -q "^$sym=" "$out/.config" && { ans_say "$sym should be off"; missing=1; } ;;
		CONFIG_*=*) grep -qxF "$line" "$out/.config" || { ans_say "requested $line not in .config"; missing=1; } ;;
		esac
	done < <(cat "$ans_base" "$ans_frag")
	[ $missing = 0 ] || ans_die "config for $ans_name lacks requested options"
}
