# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh: sourced (not run). The one place for the kernel source steps
# every kernel build here shares: resolving a fragment and a patch to a
# name and a cache key, unpacking Debian's linux-source-6.12 once, the
# hard-linked tree per patch, and the tinyconfig + fragments configuration
# with its check that every requested option survived. Users: the test bed
# (build-kernel.sh), the answer's objects-only builds
# (scripts/answer/objects.sh), make kernel-deb -- one unpacked source, one
# tree per patch, one cache key, so one can take what another built.
#
# Needs TOP and CACHE. Functions exit with a message on bad input.

kern_say() { echo "${KERN_PREFIX:-kernel}: $*" >&2; }
kern_die() { echo "${KERN_PREFIX:-kernel}: $*" >&2; exit "${2:-1}"; }

kern_need() {
	command -v "$1" >/dev/null || kern_die "missing $1: apt-get install $2"
}

# kern_resolve FRAGMENT PATCH|none: sets kern_frag, kern_patch (paths or
# "none"), kern_name (<fragment>-<stock|patch name>), kern_key (the 16 hex
# digit key build-kernel.sh uses), kern_srcver, kern_tarball.
# VM_DEBUG=1: the debug profile, configs/kernel/base-debug.config (KASAN,
# lockdep, DEBUG_VM) merged last; the name ends in -debug, the key covers it.
kern_resolve() {
	local frag=$1 patch=${2:-none} base=$TOP/configs/kernel/base-arm64.config
	kern_need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	kern_need flex flex
	kern_need bison bison
	kern_need bc bc
	kern_tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
	[ -n "$kern_tarball" ] || kern_die "missing kernel source: apt-get install linux-source-6.12"
	[ -f "$frag" ] || frag=$TOP/configs/kernel/$frag
	[ -f "$frag" ] || frag=$frag.config
	[ -f "$frag" ] || kern_die "no such fragment: $1" 2
	if [ "$patch" != none ]; then
		# A number (0001) names the patch file it starts.
		[ -f "$patch" ] || patch=$( (ls "$TOP"/configs/patches/"$patch"*.patch 2>/dev/null || true) | head -n1)
		[ -n "$patch" ] && [ -f "$patch" ] || kern_die "no such patch: $2" 2
	fi
	kern_frag=$frag
	kern_patch=$patch
	kern_base=$base
	kern_debug=
	[ "${VM_DEBUG:-0}" = 0 ] || kern_debug=$TOP/configs/kernel/base-debug.config
	kern_srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || stat -c %Y "$kern_tarball")
	# shellcheck disable=SC2086 # $kern_debug: no word when empty
	kern_key=$( { echo "$kern_srcver"; cat "$base" "$frag" $kern_debug; [ "$patch" = none ] || cat "$patch"; } | sha256sum | cut -c1-16)
	kern_name=$(basename "$frag" .config)-$([ "$patch" = none ] && echo stock || basename "$patch" .patch)${kern_debug:+-debug}
}

# kern_tree: unpack the source once and make the patched copy once (under
# the test bed's source lock); sets kern_src and kern_tree.
kern_tree() {
	local stamp
	kern_src=$CACHE/src/linux-source-6.12
	stamp=$CACHE/src/.unpacked-$kern_srcver
	mkdir -p "$CACHE/vm/kernels"
	exec 8>"$CACHE/vm/.src.lock"
	flock 8
	if [ ! -f "$stamp" ]; then
		kern_say "unpacking $kern_tarball into $CACHE/src"
		rm -rf "$CACHE/src" && mkdir -p "$CACHE/src"
		tar -xJf "$kern_tarball" -C "$CACHE/src"
		touch "$stamp"
	fi
	kern_tree=$kern_src
	if [ "$kern_patch" != none ]; then
		# Hard links are enough: GNU patch writes new files.
		kern_tree=$CACHE/src/tree-$(sha256sum "$kern_patch" | cut -c1-16)
		if [ ! -f "$kern_tree/.patched" ]; then
			kern_say "applying $(basename "$kern_patch")"
			rm -rf "$kern_tree" && cp -al "$kern_src" "$kern_tree"
			patch -s -p1 -d "$kern_tree" < "$kern_patch"
			touch "$kern_tree/.patched"
		fi
	fi
	flock -u 8
}

# kern_configure OUT LOG [make args...]: tinyconfig + base + fragment into
# OUT, then insist every requested value survived merge_config.sh (which
# drops symbols with unmet dependencies with only a warning).
kern_configure() {
	local out=$1 log=$2
	shift 2
	# shellcheck disable=SC2086 # $kern_debug: no word when empty
	{ make -C "$kern_tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" tinyconfig && \
	  "$kern_tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$kern_base" "$kern_frag" $kern_debug && \
	  make -C "$kern_tree" O="$out" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" olddefconfig; } \
		> "$log" 2>&1 || { tail -n 25 "$log" >&2; kern_die "configuring $kern_name failed (log: $log)"; }
	# shellcheck disable=SC2086
	kern_check_config "$out/.config" "$kern_base" "$kern_frag" $kern_debug
}

# kern_check_config CONFIG FRAGMENT...: merge_config.sh drops symbols whose
# dependencies are unmet with only a warning; insist that every value the
# fragments ask for made it into CONFIG.
kern_check_config() {
	local config=$1 line sym missing=0
	shift
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) sym=${line%%=*}; grep -q "^$sym=" "$config" && { kern_say "$sym should be off"; missing=1; } ;;
		CONFIG_*=*) grep -qxF "$line" "$config" || { kern_say "requested $line not in .config"; missing=1; } ;;
		esac
	done < <(cat "$@")
	[ $missing = 0 ] || kern_die "config for $kern_name lacks requested options"
}

# kern_cached DIR STAMP WHAT: take DIR's lock, held until the script exits
# (one caller builds, the others wait and then take its result); if
# DIR/STAMP exists, say so, print DIR and exit 0.
kern_cached() {
	mkdir -p "$(dirname "$1")"
	exec 9>"$1.lock"
	flock 9
	if [ -f "$1/$2" ]; then
		kern_say "$3: cached ($1)"
		echo "$1"
		exit 0
	fi
}
