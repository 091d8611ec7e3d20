#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernel-deb.sh [STATE] [PATCH]: `make kernel-deb` packages the
# kernel it claims to. Builds (cached) the packages of STATE (default
# arm64-16k-52-lpa2) with PATCH (default 0001) from the test bed's
# tinyconfig-based config, unpacks the image package into a scratch root
# with dpkg -x, and checks, TAP style:
#  - the release names state and patch, and the config inside says
#    IKCONFIG_PROC and the state's page size / VA bits;
#  - the installed kernel holds the patched walk: gup_fast_fallback,
#    disassembled from the installed Image at its System.map address, has
#    the instruction sequence of the patched mm/gup.o (the answer's
#    codegen objects) and not that of stock.
# On a git tree (KERNEL=<tree> KERNEL_A=... KERNEL_B=... PATCH=B): commit
# B's package against commit A's objects as stock.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
state=${1:-arm64-16k-52-lpa2}
patch=${2:-0001}
PY=${SYSPYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
TAP_PREFIX=kernel-deb
ok() { tap_ok "$@"; }

dest=$(STATE=$state PATCH=$patch KCONFIG=testbed "$TOP/scripts/fleet/kernel-deb.sh")
ok $? "packages built for $state + $patch"
img=$(ls "$dest"/linux-image-*.deb 2>/dev/null | grep -v -- -dbg_ | head -1)
[ -n "$img" ] || { ok 1 "an image package in $dest"; tap_done; }
dpkg -x "$img" "$work/root"
ok $? "dpkg -x $(basename "$img")"
rel=$(ls "$work/root/boot" | sed -n 's/^System.map-//p' | head -1)
sid=$(basename "$state" .config | sed 's/^arm64-//')
# a git tree's commit B (KERNEL=<tree> PATCH=B) is g<12 digits>
pid=$patch
[ "$patch" = B ] && pid="g[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
# shellcheck disable=SC2254 # $pid: a pattern on purpose
case $rel in *-gupb-$sid-$pid) ok 0 "release $rel names state and patch" ;; *) ok 1 "release '$rel' names $sid-$patch" ;; esac
cfg=$work/root/boot/config-$rel
grep -qx 'CONFIG_IKCONFIG_PROC=y' "$cfg"
ok $? "the config has CONFIG_IKCONFIG_PROC=y (the suite reads it back)"
want=$(grep -E '^CONFIG_(ARM64_[0-9]+K_PAGES|ARM64_VA_BITS_[0-9]+)=y' "$TOP/configs/kernel/$state.config" | sort)
got=$(grep -E '^CONFIG_(ARM64_[0-9]+K_PAGES|ARM64_VA_BITS_[0-9]+)=y' "$cfg" | sort)
[ -n "$want" ] && [ "$want" = "$got" ]
ok $? "page size and VA bits of $state in the packaged config ($(echo $got))"

# The walk in the installed Image: raw bytes between gup_fast_fallback
# and the next symbol, at their offsets from _text.
map=$work/root/boot/System.map-$rel
image=$work/root/boot/vmlinuz-$rel
if gzip -t "$image" 2>/dev/null; then gzip -dc "$image" >"$work/Image"; else cp "$image" "$work/Image"; fi
read -r text _ < <(awk '$3 == "_text" { print $1 }' "$map")
read -r fn next < <(sort "$map" | awk '$3 == "gup_fast_fallback" { a = $1; getline; print a, $1; exit }')
if [ -z "${text:-}" ] || [ -z "${fn:-}" ]; then
	ok 1 "gup_fast_fallback and _text in $(basename "$map")"
	tap_done
fi
start=$(( 0x$fn - 0x$text ))
stop=$(( 0x$next - 0x$text ))
aarch64-linux-gnu-objdump -D -b binary -m aarch64 --no-show-raw-insn \
	--start-address=$start --stop-address=$stop "$work/Image" >"$work/pkg.dis"
mnemonics() { # objdump output -> one mnemonic per line (code only)
	awk -F'\t' '/^ *[0-9a-f]+:\t/ { split($2, w, " "); print w[1] }' "$1"
}
mnemonics "$work/pkg.dis" >"$work/pkg.mn"
for p in none "$patch"; do
	objs=$("$TOP/scripts/answer/objects.sh" "$state" "$p" 2>>"$work/objects.log") || {
		ok 1 "codegen objects for $state $p: $(tail -2 "$work/objects.log")"; continue; }
	aarch64-linux-gnu-objdump -d --no-show-raw-insn "$objs/objects/mm/gup.o" |
		awk '/<gup_fast_fallback>:$/ { on = 1; next } /^$/ { on = 0 } on' >"$work/$p.dis"
	mnemonics "$work/$p.dis" >"$work/$p.mn"
done
lines=$(wc -l <"$work/pkg.mn")
[ "$lines" -gt 100 ] && cmp -s "$work/pkg.mn" "$work/$patch.mn"
ok $? "installed gup_fast_fallback ($lines instructions) = $patch's mm/gup.o, instruction by instruction"
! cmp -s "$work/pkg.mn" "$work/none.mn"
ok $? "and differs from stock's ($(wc -l <"$work/none.mn") instructions; $(diff "$work/none.mn" "$work/pkg.mn" | grep -c '^[<>]') differ)"
tap_done
