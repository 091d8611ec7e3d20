# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh: sourced (not run). The one place for the kernel steps every
# kernel build here shares: the run spec (kernel source, fragment, patch
# or commit, CPU) resolved to a name and a cache key; the source itself
# (scripts/kernel/source.sh: KERNEL=X.Y|mainline|/path/to/git/tree); the
# hard-linked tree per patch; the tinyconfig + fragments configuration
# with its check that every requested option survived. Users: the test
# bed (build-kernel.sh, initramfs.sh, run.sh, runs.sh), the answer
# (scripts/answer/), make kernel-deb and make lava-jobs -- one source, one
# tree per patch, one cache key, so one can take what another built.
#
# Per-base files: configs/kernel/<X.Y>/<name>.config and
# configs/patches/<X.Y>/<NNNN>-*.patch replace the generic ones for bases
# from X.Y on (the highest X.Y not above the source's base wins), so a
# patch ported to 7.3 serves 7.4 too until it needs another port.
#
# Needs TOP and CACHE. Functions exit with a message on bad input.

# shellcheck source=../kernel/source.sh
. "$TOP/scripts/kernel/source.sh"

kern_say() { echo "${KERN_PREFIX:-kernel}: $*" >&2; }
kern_die() { echo "${KERN_PREFIX:-kernel}: $1" >&2; exit "${2:-1}"; }

kern_need() {
	command -v "$1" >/dev/null || kern_die "missing $1: apt-get install $2"
}

# kern_per_base DIR NAME-GLOB: print the file for the resolved base:
# DIR/<X.Y>/NAME-GLOB for the highest X.Y <= ksrc_base, else DIR/NAME-GLOB.
kern_per_base() {
	local dir=$1 glob=$2 v best= f
	for v in $(cd "$dir" && ls -d [0-9]*.[0-9]* 2>/dev/null | sort -V); do
		[ "$(printf '%s\n%s\n' "$v" "$ksrc_base" | sort -V | tail -n 1)" = "$ksrc_base" ] || continue
		# shellcheck disable=SC2086
		f=$(ls "$dir/$v/"$glob 2>/dev/null | head -n 1)
		[ -n "$f" ] && best=$f
	done
	# shellcheck disable=SC2086
	[ -n "$best" ] || best=$(ls "$dir/"$glob 2>/dev/null | head -n 1)
	echo "$best"
}

# kern_patch_resolve PATCH: what a run's PATCH means, for the resolved
# source. Sets kern_patch (a file, or "none") and kern_pname (the name in
# runs, results and caches):
#   none|stock  the source as it is (a git tree: commit A) -> stock
#   NNNN        configs/patches/[<base>/]NNNN-*.patch      -> NNNN
#   B           a git tree's commit B                      -> B
#   a path      that patch file                            -> its number
kern_patch_resolve() {
	local p=$1
	case $p in
	none|stock|"") kern_patch=none kern_pname=stock ;;
	B)
		[ "$ksrc_kind" = git ] || kern_die "PATCH=B (commit B) needs KERNEL=/path/to/a/git/tree" 2
		kern_patch=B kern_pname=B ;;
	[0-9][0-9][0-9][0-9])
		kern_patch=$(kern_per_base "$TOP/configs/patches" "$p-*.patch")
		[ -n "$kern_patch" ] || kern_die "no such patch: $p (configs/patches/$p-*.patch)" 2
		kern_pname=$p ;;
	*)
		[ -f "$p" ] || [ ! -f "$TOP/$p" ] || p=$TOP/$p
		[ -f "$p" ] || p=$TOP/configs/patches/$p
		[ -f "$p" ] || kern_die "no such patch: $1" 2
		kern_patch=$(cd "$(dirname "$p")" && pwd)/$(basename "$p")
		kern_pname=$(basename "$p" .patch | cut -d- -f1) ;;
	esac
}

# kern_frag_resolve FRAGMENT: a name (arm64-4k-48), a file name in
# configs/kernel/ or a path. Sets kern_frag and kern_state.
kern_frag_resolve() {
	local f=$1
	[ -f "$f" ] || f=$TOP/configs/kernel/$1
	[ -f "$f" ] || f=$f.config
	[ -f "$f" ] || kern_die "no such fragment: $1" 2
	kern_state=$(basename "$f" .config)
	case $f in
	"$TOP"/configs/kernel/*) f=$(kern_per_base "$TOP/configs/kernel" "$kern_state.config") ;;
	esac
	kern_frag=$f
}

# kern_resolve FRAGMENT PATCH|none: the run spec's kernel side. Sets the
# ksrc_* variables (source.sh), kern_frag, kern_state, kern_patch,
# kern_pname, kern_base (the base fragment for this source), kern_tag
# (the source in names: 7.3, 6.12, git-<A>..<B>), kern_ktag (the kernel
# caches' folder: 7.3, 6.12, git-<the commit built>), kern_commit (that
# commit, git only), kern_built and kern_kver (its label and make
# kernelversion, for files in those caches), kern_name (<state>-<pname>),
# kern_key (the 16 hex digit cache key: the exact source or commit, both
# fragments, the patch) and kern_srcver (= ksrc_label).
# VM_DEBUG=1: the debug profile, configs/kernel/base-debug.config (KASAN,
# lockdep, DEBUG_VM) merged last; the name ends in -debug, the key covers it.
kern_resolve() {
	local key p=${2:-none}
	kern_need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	kern_need flex flex
	kern_need bison bison
	kern_need bc bc
	# Bad input fails before anything is fetched or written.
	[ -f "$1" ] || [ -f "$TOP/configs/kernel/$1" ] || [ -f "$TOP/configs/kernel/$1.config" ] ||
		kern_die "no such fragment: $1" 2
	case $p in
	none|stock|B|"") ;;
	[0-9][0-9][0-9][0-9])
		[ -n "$(find "$TOP/configs/patches" -name "$p-*.patch" | head -n 1)" ] ||
			kern_die "no such patch: $p (configs/patches/$p-*.patch)" 2 ;;
	*) [ -f "$p" ] || [ -f "$TOP/configs/patches/$p" ] || kern_die "no such patch: $p" 2 ;;
	esac
	ksrc_resolve
	kern_frag_resolve "$1"
	kern_patch_resolve "$p"
	kern_base=$(kern_per_base "$TOP/configs/kernel" base-arm64.config)
	# kern_ktag, the kernel caches' folder: a git tree's kernel is keyed
	# by the one commit it is built from (A, or B for PATCH=B), not by
	# the range, so a new commit B rebuilds B only and stock A is reused.
	case $ksrc_kind in
	git)
		kern_tag=$ksrc_id
		kern_commit=$ksrc_a
		[ "$kern_patch" = B ] && kern_commit=$ksrc_b
		kern_ktag=git-${kern_commit:0:12}
		kern_built="git $ksrc_tree_dir $kern_commit"
		kern_kver=$(cat "$CACHE/linux/git-$kern_commit/.version")
		key="git $kern_commit" ;;
	*)
		kern_tag=$ksrc_base kern_ktag=$ksrc_base kern_commit= key=$ksrc_id
		kern_built=$ksrc_label kern_kver=$ksrc_version ;;
	esac
	kern_srcver=$ksrc_label
	kern_debug=
	[ "${VM_DEBUG:-0}" = 0 ] || kern_debug=$TOP/configs/kernel/base-debug.config
	# shellcheck disable=SC2086 # $kern_debug: no word when empty
	kern_key=$( { echo "$key"; cat "$kern_base" "$kern_frag" $kern_debug; case $kern_patch in none|B) ;; *) cat "$kern_patch" ;; esac; } |
		sha256sum | cut -c1-16)
	kern_name=$kern_state-$kern_pname${kern_debug:+-debug}
}

# kern_run FRAGMENT PATCH|none CPU: the whole run spec: kern_resolve,
# then kern_cpu and kern_run (<tag>/<state>-<pname>-<cpu>: the run's name
# under results/vm/ and the work caches).
kern_run() {
	case ${3:-} in
	*[!a-z0-9-]*|"") kern_die "bad CPU name: ${3:-}" 2 ;;
	esac
	kern_resolve "$1" "$2"
	kern_cpu=$3
	kern_run=$kern_tag/$kern_name-$kern_cpu
}

# kern_patch_list: print none and every patch number in configs/patches/
# (generic or per base), sorted.
kern_patch_list() {
	echo none
	find "$TOP/configs/patches" -name '[0-9][0-9][0-9][0-9]-*.patch' -printf '%f\n' | cut -d- -f1 | sort -u
}

# kern_tree: the tree to build for the resolved spec: the source, commit
# B's tree, or a hard-linked copy of the source with the patch applied
# (made once, under the source's lock); sets kern_src and kern_tree.
kern_tree() {
	local t
	kern_src=$ksrc_src
	kern_tree=$kern_src
	case $kern_patch in
	none) return 0 ;;
	B) kern_tree=$ksrc_bsrc; return 0 ;;
	esac
	t=$ksrc_dir/tree-$kern_pname-$(sha256sum "$kern_patch" | cut -c1-16)
	exec 8>"$ksrc_dir.lock"
	flock 8
	if [ ! -f "$t/.patched" ]; then
		# Hard links are enough: GNU patch writes new files.
		kern_say "applying $(basename "$kern_patch") to $ksrc_label"
		rm -rf "$t" && cp -al "$kern_src" "$t"
		patch -s -p1 -d "$t" < "$kern_patch" > "$t.log" 2>&1 ||
			{ cat "$t.log" >&2; rm -rf "$t"; kern_die "$(basename "$kern_patch") does not apply to $ksrc_version ($ksrc_label): port it to configs/patches/$ksrc_base/"; }
		touch "$t/.patched"
	fi
	flock -u 8
	kern_tree=$t
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
