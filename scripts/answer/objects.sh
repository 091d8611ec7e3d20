#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# objects.sh FRAGMENT PATCH|none
#
# The objects that hold arm64's lockless page-table walk, for one folding
# state and one patch, without building a whole kernel: configure like
# scripts/vm/build-kernel.sh, then `make` only those objects (Kbuild runs
# `prepare` for them). If the test bed has already built that kernel
# (same cache key, .built present), its objects are taken instead.
#
# Which objects: every arm64 or generic .c file in the source that uses
# p4d_offset_lockless()/pud_offset_lockless() or defines
# gup_fast_fallback(), found by grep, so a new user is picked up.
#
# For kernels that fold a level at run time (LPA2), each object is also
# compiled once per run-time state with pgtable_l4_enabled() and
# pgtable_l5_enabled() pinned to that state's constants (a copy of
# asm/pgtable.h placed first on the include path). Stock and patch code
# that is identical when pinned means the patch is a source-level no-op in
# that run-time state, whatever the real code looks like.
#
# The source is KERNEL's (scripts/kernel/source.sh); PATCH none, a patch
# number (per base), a file or B (a git tree's commit B).
# Output: prints $CACHE/answer/objs/<tag>/<name>-<key>, which holds config
# (the .config), source (the exact source), kernelversion, tag,
# objects/<path>.o, pin-<state>/<path>.o and a .done stamp.
# ANSWER_CCACHE=1|0|auto (default auto: when installed) compiles through
# ccache, target and host compilers (CCACHE_DIR=$CACHE/ccache).
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
JOBS=${JOBS:-2}
[ $# = 2 ] || { echo "usage: objects.sh FRAGMENT PATCH|none" >&2; exit 2; }
KERN_PREFIX=answer
# shellcheck source=../vm/kernel.sh
. "$TOP/scripts/vm/kernel.sh"
kern_resolve "$1" "$2"

res=$CACHE/answer/objs/$kern_ktag/$kern_name-$kern_key
kern_cached "$res" .done "objects $kern_name"
kern_tree
rm -rf "$res" && mkdir -p "$res"

# ccache pays here (measured: a warm cache halves the CPU time of an
# objects-only build, 23 s -> 12 s user): a new patch or state still hits
# for the host tools, vdso and prepare steps. auto = when installed.
ccargs=()
ccache=${ANSWER_CCACHE:-auto}
[ "$ccache" = auto ] && { command -v ccache >/dev/null && ccache=1 || ccache=0; }
if [ "$ccache" = 1 ]; then
	kern_need ccache ccache
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	ccargs=(CC="ccache aarch64-linux-gnu-gcc" HOSTCC="ccache gcc")
fi

mapfile -t objs < <(cd "$kern_tree" &&
	grep -rlE '\b(p4d|pud)_offset_lockless\b|^[a-z].*\bgup_fast_fallback\(' --include='*.c' \
		mm kernel arch/arm64 | sort | sed 's/\.c$/.o/')
[ ${#objs[@]} -gt 0 ] || kern_die "found no users of the lockless walk in $kern_tree"

full=$CACHE/vm/kernels/$kern_ktag/$kern_name-$kern_key
start=$(date +%s)
if [ -f "$full/.built" ]; then
	kern_say "objects $kern_name: from the test bed's kernel $full"
	build=$full
else
	build=$res/build
	mkdir -p "$build"
	kern_say "configuring $kern_name"
	kern_configure "$build" "$res/build.log" "${ccargs[@]}"
	kern_say "building ${objs[*]} for $kern_name (-j$JOBS)"
	make -C "$kern_tree" O="$build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		"${ccargs[@]}" -j"$JOBS" "${objs[@]}" >> "$res/build.log" 2>&1 ||
		{ tail -n 25 "$res/build.log" >&2; kern_die "building objects for $kern_name failed (log: $res/build.log)"; }
fi
cp "$build/.config" "$res/config"
# the exact source of these objects (a git tree: the one commit, as they
# serve every range with that commit; codegen.sh labels the range)
echo "$kern_built" > "$res/source"
echo "$kern_kver" > "$res/kernelversion"
echo "$kern_ktag" > "$res/tag"
for o in "${objs[@]}"; do
	[ -f "$build/$o" ] || kern_die "$o was not built for $kern_name"
	mkdir -p "$res/objects/$(dirname "$o")"
	cp "$build/$o" "$res/objects/$o"
done

# pin_header OUTDIR L4 L5: asm/pgtable.h with the folding predicates
# returning constants (the first statement of their bodies).
pin_header() {
	mkdir -p "$1/asm"
	awk -v l4="$2" -v l5="$3" '
		{ print }
		/^static __always_inline bool pgtable_l4_enabled\(void\)$/ { want = l4 }
		/^static __always_inline bool pgtable_l5_enabled\(void\)$/ { want = l5 }
		/^\{$/ && want != "" { print "\treturn " want "; /* gupbench answer: pinned */"; n++; want = "" }
		END { if (n != 2) exit 1 }
	' "$kern_tree/arch/arm64/include/asm/pgtable.h" > "$1/asm/pgtable.h" ||
		kern_die "could not pin the folding predicates in asm/pgtable.h"
}

# The compiler command Kbuild saved for an object, to recompile it with
# the pinned header first on the include path.
pin_compile() { # PINDIR OBJ OUT
	local cmd
	cmd=$(sed -n "s|^savedcmd_$2 := ||p" "$build/$(dirname "$2")/.$(basename "$2").cmd")
	[ -n "$cmd" ] || kern_die "no saved command for $2 in $build"
	cmd=${cmd/-nostdinc/-nostdinc -I$1}
	cmd=${cmd/-Wp,-MMD,$(dirname "$2")\/.$(basename "$2").d/}
	cmd=${cmd/ -o $2 / -o $3 }
	# The build directory may be the test bed's: never write into it.
	case $cmd in
	*"-I$1 "*" -o $3 "*) ;;
	*) kern_die "cannot rewrite the saved command for $2 (Kbuild's format changed?)" ;;
	esac
	case $cmd in *-MMD*|*-MD\ *) kern_die "saved command for $2 still writes a dependency file" ;; esac
	(cd "$build" && eval "$cmd") >> "$res/build.log" 2>&1 ||
		{ tail -n 25 "$res/build.log" >&2; kern_die "pinned compile of $2 failed"; }
}

levels=$(sed -n 's/^CONFIG_PGTABLE_LEVELS=//p' "$res/config")
if grep -qx 'CONFIG_ARM64_LPA2=y' "$res/config"; then
	# With FEAT_LPA2 every level is live; without it the top one folds.
	for rt in lpa2 nolpa2; do
		l4=true l5=true
		if [ $rt = nolpa2 ]; then
			[ "$levels" -le 4 ] && l4=false
			l5=false
		fi
		pin_header "$res/pin-$rt/include" $l4 $l5
		for o in "${objs[@]}"; do
			mkdir -p "$res/pin-$rt/$(dirname "$o")"
			pin_compile "$res/pin-$rt/include" "$o" "$res/pin-$rt/$o"
		done
	done
fi
echo "$(( $(date +%s) - start ))" > "$res/seconds"
touch "$res/.done"
kern_say "objects $kern_name: done in $(cat "$res/seconds")s ($res)"
echo "$res"
