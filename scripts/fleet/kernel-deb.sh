#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-deb.sh: installable Debian packages (bindeb-pkg) of an arm64
# kernel in one folding state, stock or with one walk patch, for running
# `make bench` on a real arm64 host. What `make kernel-deb` runs.
#
#   KERNEL  the source (scripts/kernel/source.sh): mainline (default), 7.3,
#           7.2, 6.12, or a git tree's path (KERNEL_A/KERNEL_B: PATCH=B
#           packages commit B, PATCH=none commit A)
#   STATE   a configs/kernel/ fragment (name or path); default: none (the
#           base config's own page size and VA bits)
#   PATCH   none (stock), a configs/patches/ patch (number, per base, or
#           path) or B (a git tree's commit B)
#   KCONFIG the starting config: default /boot/config-$(uname -r) (the
#           running kernel's, on an arm64 host); "testbed" for the QEMU test
#           bed's tinyconfig-based one; or a path
#
# On top of KCONFIG it merges configs/kernel/base-arm64.config (what the
# suite needs), STATE, and CONFIG_IKCONFIG_PROC (so the suite's metadata
# can read the config back) and sets CONFIG_LOCALVERSION to
# -gupb-<state>-<stock|NNNN|g<commit>>: `uname -r` then says which state and patch
# is running, and the result context records it (kernel_patch).
# Cross-builds (aarch64-linux-gnu-) on other hosts, native on arm64.
# Packages land in $RESULTS/kernels/<name>/; prints that folder.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
RESULTS=${RESULTS:-$TOP/results}
JOBS=${JOBS:-$(nproc)}
STATE=${STATE:-}
PATCH=${PATCH:-none}
KCONFIG=${KCONFIG:-/boot/config-$(uname -r)}

say() { echo "kernel-deb: $*" >&2; }
die() { echo "kernel-deb: $1" >&2; exit "${2:-1}"; }

KERN_PREFIX=kernel-deb
# shellcheck source=../vm/kernel.sh
. "$TOP/scripts/vm/kernel.sh"
frag=$TOP/configs/kernel/base-arm64.config
[ -n "$STATE" ] && frag=$STATE
kern_resolve "$frag" "$PATCH"
kern_need dpkg-buildpackage dpkg-dev
if [ "$(uname -m)" = aarch64 ]; then
	cross=()
else
	cross=(CROSS_COMPILE=aarch64-linux-gnu-)
fi
state=$([ -n "$STATE" ] && basename "$kern_frag" .config | sed 's/^arm64-//' || echo base)
# a git tree's commit B: g<12 digits> (a Debian package name is lower
# case; bench/core/meta.c reads it back as kernel_patch B:<digits>)
pid=$kern_pname
[ "$kern_patch" = B ] && pid=g${kern_commit:0:12}
name=$state-$pid
localversion=-gupb-$name

case $KCONFIG in
testbed) start=testbed ;;
*)
	[ -f "$KCONFIG" ] || die "no config at $KCONFIG: give KCONFIG=<an arm64 .config> or KCONFIG=testbed" 2
	grep -q '^CONFIG_ARM64=y' "$KCONFIG" ||
		die "$KCONFIG is not an arm64 config (this host runs $(uname -m)): give KCONFIG=<an arm64 .config> or KCONFIG=testbed" 2
	start=$KCONFIG
	;;
esac
key=$( { echo "$kern_key"; [ "$start" = testbed ] && echo testbed || cat "$start"; } | sha256sum | cut -c1-16)
kern_tree
out=$CACHE/kernel-deb/$name-$key
dest=$RESULTS/kernels/$name
mkdir -p "$out"
exec 9>"$out.lock"
flock 9
if [ -f "$out/.built" ]; then
	say "$name: cached ($out)"
else
	rm -rf "$out/build" && mkdir -p "$out/build"
	log=$out/build.log
	kmake() { make -C "$kern_tree" O="$out/build" ARCH=arm64 "${cross[@]}" "$@"; }
	extra=$out/gupb-extra.config
	printf 'CONFIG_IKCONFIG=y\nCONFIG_IKCONFIG_PROC=y\nCONFIG_LOCALVERSION="%s"\nCONFIG_LOCALVERSION_AUTO=n\n' \
		"$localversion" > "$extra"
	say "configuring $name from $([ "$start" = testbed ] && echo "the test bed's tinyconfig" || echo "$start")"
	{
		if [ "$start" = testbed ]; then
			kmake tinyconfig
		else
			cp "$start" "$out/build/.config"
		fi
		"$kern_tree/scripts/kconfig/merge_config.sh" -m -O "$out/build" \
			"$out/build/.config" "$kern_base" $([ -n "$STATE" ] && echo "$kern_frag") "$extra"
		kmake olddefconfig
	} > "$log" 2>&1 || { tail -n 20 "$log" >&2; die "configuring $name failed (log: $log)"; }
	# shellcheck disable=SC2046
	kern_check_config "$out/build/.config" $([ -n "$STATE" ] && echo "$kern_frag") "$extra"
	say "building $name packages (-j$JOBS, log in $log)"
	# shellcheck source=../vm/progress.sh
	. "$TOP/scripts/vm/progress.sh"
	progress_start "kernel-deb $name" 'echo "$(find "$out/build" -name "*.o" | wc -l) objects compiled"'
	trap progress_stop EXIT
	start_t=$(date +%s)
	# bindeb-pkg writes the packages into the parent of the build folder
	kmake -j"$JOBS" KDEB_COMPRESS=xz bindeb-pkg >> "$log" 2>&1 ||
		{ progress_stop; tail -n 25 "$log" >&2; die "building $name failed (log: $log)"; }
	progress_stop
	say "built $name in $(( $(date +%s) - start_t ))s"
	touch "$out/.built"
fi
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
cp "$out"/*.deb "$dest.tmp/"
cat > "$dest.tmp/README" <<TXT
gupbench kernel: state $state, patch $pid ($(case $kern_patch in none) echo stock ;; B) echo "commit $ksrc_b" ;; *) basename "$kern_patch" ;; esac)),
source $kern_srcver ($ksrc_version), started from $([ "$start" = testbed ] && echo "the test bed's tinyconfig" || echo "$start").
Install on the arm64 host:  dpkg -i linux-image-*$localversion*_arm64.deb
Then reboot into it (uname -r ends in $localversion) and run: make bench
TXT
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "$dest"
