#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-configs.sh: configs/ sanity, quick enough for every CI run:
# fragments (generic and per base) are well formed and say what they
# expect; every patch in configs/patches/ (its port in configs/patches/<X.Y>/
# where there is one) applies to every supported base (configs/patches-mm/,
# 6.12.y backports of core mm fixes, to 6.12), CONFIG_BASES
# (default 6.12 7.2 7.3, plus mainline when the archive has a newer one);
# the profiles parse (via gupbench --list). The sources are the test bed's
# (scripts/kernel/source.sh: fetched once into $CACHE/linux/). A base the
# archive no longer has is a SKIP that says so, not a failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
t() {
	local what=$1
	shift
	if "$@" >"$log" 2>&1; then
		echo "ok [configs] $what"; pass=$((pass + 1))
	else
		echo "not ok [configs] $what"; tail -5 "$log"; fail=$((fail + 1))
	fi
}
for f in "$TOP"/configs/kernel/*.config "$TOP"/configs/kernel/*/*.config; do
	[ -f "$f" ] || continue
	n=${f#"$TOP"/configs/kernel/}
	t "$n: only CONFIG_ lines and comments" \
		bash -c "! grep -vE '^(#.*|CONFIG_[A-Z0-9_]+=.+|)\$' '$f'"
	t "$n: has an SPDX line" grep -q SPDX-License-Identifier "$f"
	case $(basename "$n") in base-*) ;; *) t "$n: says what to expect" grep -q '^# expect:' "$f" ;; esac
done
# debdeps SRC: the packages the base's bindeb-pkg build-depends on, as
# Debian names them on this machine, sorted: profiles <...> and versions
# (...) dropped, debhelper-compat is debhelper, ${host_gnu} the arm64
# cross prefix; a library (-dev) without :native is for the target
# architecture (:arm64) when cross-building, tools are Multi-Arch foreign.
debdeps() {
	local cross=:arm64
	[ "$(uname -m)" = aarch64 ] && cross=
	# the Build-Depends* fields of the source stanza and their
	# continuation lines
	awk '/^Build-Depends(-Arch)?:/ { on = 1; sub(/^[^:]*:/, ""); print; next }
		on && /^[ \t]/ { print; next } { on = 0 }' "$1/scripts/package/mkdebian" |
		sed -e 's/<[^>]*>//g' -e 's/([^)]*)//g' |
		tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep . |
		sed -e 's/^debhelper-compat$/debhelper/' -e 's/\${host_gnu}/aarch64-linux-gnu/' |
		awk -v cross="$cross" '/:native$/ { sub(/:native$/, ""); print; next }
			/-dev$/ { print $0 cross; next } { print }' | sort -u
}
export -f debdeps
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
# bases: CONFIG_BASES, then mainline if the archive has a newer one
bases=${CONFIG_BASES:-6.12 7.2 7.3}
if m=$(TOP=$TOP CACHE=$CACHE KERNEL=mainline "$TOP/scripts/kernel/tag.sh" base 2>"$log"); then
	case " $bases " in *" $m "*) ;; *) bases="$bases $m" ;; esac
else
	echo "not ok [configs] cannot tell mainline from Debian's archive: $(tail -1 "$log")"
	fail=$((fail + 1))
fi
for b in $bases; do
	# a subshell per base: the resolver exits on errors
	if ! (TOP=$TOP CACHE=$CACHE KERNEL=$b; . "$TOP/scripts/vm/kernel.sh"; ksrc_resolve; echo "$ksrc_src") >"$log" 2>&1; then
		if grep -q "is not in Debian's archive" "$log"; then
			echo "ok [configs] patches on $b # SKIP linux-source-$b is no longer in Debian's archive"
			pass=$((pass + 1))
		else
			echo "not ok [configs] linux-source-$b: $(tail -1 "$log")"
			fail=$((fail + 1))
		fi
		continue
	fi
	src=$(tail -1 "$log")
	label=$(cat "$(dirname "$src")/.label")
	for num in $(find "$TOP/configs/patches" -name '[0-9][0-9][0-9][0-9]-*.patch' -printf '%f\n' | cut -d- -f1 | sort -u); do
		patch=$(TOP=$TOP; ksrc_base=$b; . "$TOP/scripts/vm/kernel.sh"; kern_per_base "$TOP/configs/patches" "$num-*.patch")
		t "${patch#"$TOP"/configs/patches/} applies to $b ($label)" \
			patch -p1 --dry-run -d "$src" -i "$patch"
	done
	# make kernel-deb (bindeb-pkg) on this base: dpkg-checkbuilddeps
	# refuses unless scripts/deps.sh fleet installs every Build-Depends of
	# the base's scripts/package/mkdebian (7.x added libdw-dev)
	t "deps.sh fleet installs what bindeb-pkg on $b builds with" \
		bash -c '! debdeps "$1" | comm -23 - <("$2/scripts/deps.sh" fleet --list | sort -u) | grep .' _ "$src" "$TOP"
	base=$(TOP=$TOP; ksrc_base=$b; . "$TOP/scripts/vm/kernel.sh"; kern_per_base "$TOP/configs/kernel" base-arm64.config)
	find "$src" -name 'Kconfig*' -exec grep -hoE '^\s*(menu)?config [A-Z0-9_]+' {} + |
		awk '{ print "CONFIG_" $2 }' | sort -u > "$log.syms"
	t "${base#"$TOP"/} asks only for symbols $b has" \
		bash -c '! sed -n "s/=.*//p" "$1" | grep "^CONFIG_" | sort -u | comm -23 - "$2" | grep .' _ "$base" "$log.syms"
	rm -f "$log.syms"
	# configs/patches-mm/: backports of core mm fixes to 6.12.y (issue 23)
	if [ "$b" = 6.12 ]; then
		for patch in "$TOP"/configs/patches-mm/*.patch; do
			[ -f "$patch" ] || continue
			t "${patch#"$TOP"/configs/} applies to $b ($label)" \
				patch -p1 --dry-run -d "$src" -i "$patch"
		done
	fi
done
for p in "$TOP"/configs/profiles/*.conf; do
	n=$(basename "$p" .conf)
	t "profile $n parses" "$TOP/build/$(uname -m)/gupbench" --profile "$n" --list
done
t "check.py: a QEMU that cannot start is one clear failure" "$TOP/tests/vm/test_check.sh"
t "KERNEL=/path/to/a/git/tree: A and B resolved and exported, the repository untouched" \
	"$TOP/tests/vm/test_gittree.sh"
t "progress.sh: a ticker started and stopped under set -e lets the script go on" \
	bash -c "set -euo pipefail; . '$TOP/scripts/vm/progress.sh'; PROGRESS_EVERY=1
		progress_start t 'echo tick'; sleep 1.3; progress_stop; progress_stop
		echo reached | grep -q reached"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
