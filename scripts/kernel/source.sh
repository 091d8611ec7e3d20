# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # sets variables for its callers
#
# source.sh: sourced (not run). Which kernel source a build uses, resolved
# in one place for the test bed, the answer, kernel-deb, the LAVA jobs and
# the checks. KERNEL is one of
#   7.3 | 7.2 | 6.12 | X.Y   Debian's linux-source-X.Y: the installed
#                            /usr/src tarball when that package is installed,
#                            otherwise fetched from Debian's archive with a
#                            private apt configuration (never the machine's)
#   mainline                 the newest linux-source-X.Y in the archive
#   /path/to/linux           a git tree: commits KERNEL_A (default
#                            KERNEL_B~1) and KERNEL_B (default HEAD); a
#                            KERNEL_A that is not an ancestor of KERNEL_B
#                            (an upstream branch) means their merge base.
#                            Trees are exported with `git archive`: the
#                            repository is only read, never written.
#
# Cache layout (never under $CACHE/src, which older code owns):
#   $CACHE/linux/apt/                 private sources.list, lists, debs
#   $CACHE/linux/<pkg>_<debversion>/  one unpacked Debian source
#   $CACHE/linux/git-<commit>/        one exported git commit
# each with src/ (the tree), .version (make kernelversion), .label and,
# per configs/ patch, tree-<patch>-<hash>/ (a hard-linked patched copy).
#
# Needs CACHE. Functions exit with a message on bad input (status 2) or a
# failed fetch (status 1); messages go to stderr with KERN_PREFIX.

ksrc_say() { echo "${KERN_PREFIX:-kernel}: $*" >&2; }
ksrc_die() { echo "${KERN_PREFIX:-kernel}: $1" >&2; exit "${2:-1}"; }

KSRC_MIRROR=${KSRC_MIRROR:-http://deb.debian.org/debian}
KSRC_SECURITY=${KSRC_SECURITY:-http://deb.debian.org/debian-security}
KSRC_KEYRING=${KSRC_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
# Suites searched for linux-source-X.Y: experimental (release
# candidates), unstable, and the LTS of Debian 12 (bookworm-security).
KSRC_SUITES=${KSRC_SUITES:-"$KSRC_MIRROR experimental|$KSRC_MIRROR unstable|$KSRC_SECURITY bookworm-security"}
# Lists older than this many minutes are refreshed (0: always).
KSRC_LISTS_MAX_AGE=${KSRC_LISTS_MAX_AGE:-720}

# ksrc_apt COMMAND ARGS...: apt-get/apt-cache with the private
# configuration under $CACHE/linux/apt: its own sources list (signed by
# Debian's archive keyring), lists, package cache and an empty dpkg
# status, so neither the machine's sources nor its installed packages
# play a part. Signatures are checked; the Release files' Valid-Until and
# Date are not (KSRC_CHECK_VALID_UNTIL=true turns both back on): a mirror
# or snapshot that is not refreshed serves experimental's and unstable's
# Release files past their one-week validity (seen here: "expired
# (invalid since 30d)"), and apt then drops those suites, leaving only
# bookworm's 6.12.
ksrc_apt() {
	local cmd=$1 d=$CACHE/linux/apt
	shift
	"$cmd" -q -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::State::status="$d/status" -o Acquire::Languages=none \
		-o Acquire::Check-Valid-Until="${KSRC_CHECK_VALID_UNTIL:-false}" \
		-o Acquire::Check-Date="${KSRC_CHECK_VALID_UNTIL:-false}" \
		-o APT::Architectures::=amd64 -o Debug::NoLocking=1 "$@"
}

# ksrc_apt_update: write the private configuration and refresh its lists
# when missing or older than KSRC_LISTS_MAX_AGE minutes (under a lock).
ksrc_apt_update() {
	local d=$CACHE/linux/apt s x
	[ "${KSRC_LISTS_FRESH:-}" = 1 ] && [ -s "$d/index" ] && return 0
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/debs"
	[ -f "$KSRC_KEYRING" ] || ksrc_die "missing $KSRC_KEYRING: apt-get install debian-archive-keyring"
	command -v apt-get >/dev/null || ksrc_die "fetching linux-source needs apt-get (Debian or Ubuntu)"
	exec 6>"$CACHE/linux/.apt.lock"
	flock 6
	: > "$d/status.new"
	mv "$d/status.new" "$d/status"
	IFS='|' read -ra s <<<"$KSRC_SUITES"
	for x in "${s[@]}"; do
		echo "deb [arch=amd64 signed-by=$KSRC_KEYRING] $x main"
	done > "$d/sources.list.new"
	if ! cmp -s "$d/sources.list.new" "$d/sources.list" ||
		[ -z "$(find "$d/lists" -maxdepth 1 -name '*Packages*' -mmin -"$KSRC_LISTS_MAX_AGE" 2>/dev/null | head -1)" ]; then
		mv "$d/sources.list.new" "$d/sources.list"
		ksrc_say "updating the private package lists ($d)"
		# apt-get update exits 0 when it drops a suite (an expired or
		# unreachable Release file): its "E:" lines are said either way.
		if ksrc_apt apt-get update > "$d/update.log" 2>&1; then x=0; else x=$?; fi
		grep '^E:' "$d/update.log" >&2 || true
		if [ "$x" != 0 ]; then
			tail -n 5 "$d/update.log" >&2
			if [ -n "$(find "$d/lists" -maxdepth 1 -name '*Packages*' | head -1)" ]; then
				ksrc_say "apt-get update failed: using the lists from $(date -r "$d/lists" '+%F %T')"
			else
				ksrc_die "apt-get update of the private lists failed (log: $d/update.log)"
			fi
		fi
	else
		rm -f "$d/sources.list.new"
	fi
	# "package version" of every linux-source-X.Y in the lists: apt-cache
	# rebuilds its cache from 25 MB of lists on every call (tens of
	# seconds on a busy machine); this index is read in milliseconds.
	if [ ! -s "$d/index" ] || [ -n "$(find "$d/lists" -maxdepth 1 -name '*Packages*' -newer "$d/index" | head -1)" ]; then
		for x in "$d"/lists/*_Packages*; do
			[ -f "$x" ] || continue
			/usr/lib/apt/apt-helper cat-file "$x" | awk '
				/^Package: / { p = ($2 ~ /^linux-source-[0-9]+\.[0-9]+$/) ? $2 : "" }
				/^Version: / { if (p != "") print p, $2 }'
		done | sort -u > "$d/index.new" && mv "$d/index.new" "$d/index"
	fi
	export KSRC_LISTS_FRESH=1
	flock -u 6
}

# ksrc_newest PACKAGE: print the highest Debian version of PACKAGE in the
# private lists' index (empty if none).
ksrc_newest() {
	local v best=
	for v in $(awk -v p="$1" '$1 == p { print $2 }' "$CACHE/linux/apt/index"); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

# ksrc_mainline: print the newest linux-source-X.Y the archive has.
ksrc_mainline() {
	local p s
	ksrc_apt_update
	# Never a silent LTS: without experimental's and unstable's lists the
	# newest source would be bookworm's.
	for s in experimental unstable; do
		[ -n "$(find "$CACHE/linux/apt/lists" -maxdepth 1 -name "*_dists_${s}_*Packages*" | head -1)" ] ||
			ksrc_die "mainline: no package list of $s in $CACHE/linux/apt (apt-get update: $(grep -m1 '^E:' "$CACHE/linux/apt/update.log" 2>/dev/null || echo 'see update.log'))"
	done
	p=$(awk '{ print $1 }' "$CACHE/linux/apt/index" | sort -u -V | tail -n 1)
	[ -n "$p" ] || ksrc_die "no linux-source-X.Y in the archive's lists ($CACHE/linux/apt)"
	echo "${p#linux-source-}"
}

# ksrc_id_safe STRING: a version as a path part (no ':' or '~', which
# Kbuild and make do not like in O= and source paths).
ksrc_id_safe() { echo "$1" | tr ':~' '%_'; }

# ksrc_unpacked DIR TARBALL: unpack TARBALL into DIR/src once (under DIR's
# lock), record make kernelversion in DIR/.version.
ksrc_unpacked() {
	local dir=$1 tarball=$2 top
	mkdir -p "$dir"
	exec 6>"$dir.lock"
	flock 6
	if [ ! -f "$dir/.unpacked" ]; then
		ksrc_say "unpacking $tarball into $dir/src"
		rm -rf "$dir/src" "$dir/src.tmp" && mkdir -p "$dir/src.tmp"
		tar -xf "$tarball" -C "$dir/src.tmp" || ksrc_die "unpacking $tarball failed"
		top=$(ls -d "$dir"/src.tmp/*/ | head -n 1)
		[ -f "$top/Makefile" ] || ksrc_die "$tarball holds no kernel tree"
		mv "$top" "$dir/src" && rmdir "$dir/src.tmp"
		make -s -C "$dir/src" kernelversion > "$dir/.version" || ksrc_die "make kernelversion failed in $dir/src"
		touch "$dir/.unpacked"
	fi
	flock -u 6
}

# ksrc_deb BASE: Debian's linux-source-BASE. Sets ksrc_pkg, ksrc_debver,
# ksrc_dir (the cache entry), ksrc_src (the tree).
ksrc_deb() {
	local base=$1 tarball deb d
	ksrc_pkg=linux-source-$base
	tarball=/usr/src/$ksrc_pkg.tar.xz
	if dpkg-query -W -f '${Status}' "$ksrc_pkg" 2>/dev/null | grep -q 'ok installed' && [ -f "$tarball" ]; then
		ksrc_debver=$(dpkg-query -W -f '${Version}' "$ksrc_pkg")
		ksrc_dir=$CACHE/linux/${ksrc_pkg}_$(ksrc_id_safe "$ksrc_debver")
		[ -f "$ksrc_dir/.unpacked" ] || ksrc_unpacked "$ksrc_dir" "$tarball"
	else
		ksrc_apt_update
		ksrc_debver=$(ksrc_newest "$ksrc_pkg")
		[ -n "$ksrc_debver" ] || ksrc_die "$ksrc_pkg is not in Debian's archive (KERNEL=$base; known: $(awk '{ print $1 }' "$CACHE/linux/apt/index" | sed 's/linux-source-//' | sort -u -V | tr '\n' ' '))" 2
		ksrc_dir=$CACHE/linux/${ksrc_pkg}_$(ksrc_id_safe "$ksrc_debver")
		if [ ! -f "$ksrc_dir/.unpacked" ]; then
			d=$CACHE/linux/apt/debs
			exec 5>"$d/.lock"
			flock 5
			deb=$(ls "$d/${ksrc_pkg}_$(echo "$ksrc_debver" | sed 's/:/%3a/')_all.deb" 2>/dev/null || true)
			if [ -z "$deb" ]; then
				ksrc_say "fetching $ksrc_pkg $ksrc_debver from Debian's archive"
				(cd "$d" && ksrc_apt apt-get -o APT::Sandbox::User=root download "$ksrc_pkg=$ksrc_debver") >&2 ||
					ksrc_die "apt-get download $ksrc_pkg=$ksrc_debver failed"
				deb=$(ls "$d/${ksrc_pkg}"_*.deb | head -n 1)
			fi
			rm -rf "$d/x" && mkdir -p "$d/x"
			dpkg -x "$deb" "$d/x" || ksrc_die "dpkg -x $deb failed"
			ksrc_unpacked "$ksrc_dir" "$d/x/usr/src/$ksrc_pkg.tar.xz"
			# the unpacked tree is what stays; the package can go
			rm -rf "$d/x" "$deb"
			flock -u 5
		fi
	fi
	ksrc_src=$ksrc_dir/src
	echo "$ksrc_pkg $ksrc_debver" > "$ksrc_dir/.label"
}

# ksrc_git_commit TREE REV: print REV's full commit id in TREE.
ksrc_git_commit() {
	git -C "$1" rev-parse -q --verify "$2^{commit}" 2>/dev/null ||
		ksrc_die "no commit $2 in $1" 2
}

# ksrc_git_export TREE COMMIT: the commit's files in the cache (git
# archive: reads the repository, writes nothing there). Prints the entry.
ksrc_git_export() {
	local tree=$1 c=$2 dir=$CACHE/linux/git-$2
	mkdir -p "$dir"
	exec 6>"$dir.lock"
	flock 6
	if [ ! -f "$dir/.unpacked" ]; then
		ksrc_say "exporting $c from $tree into $dir/src"
		rm -rf "$dir/src" && mkdir -p "$dir/src"
		git -C "$tree" archive --format=tar "$c" | tar -xf - -C "$dir/src" ||
			ksrc_die "git archive $c from $tree failed"
		[ -f "$dir/src/Makefile" ] || ksrc_die "commit $c in $tree is not a kernel tree"
		make -s -C "$dir/src" kernelversion > "$dir/.version" || ksrc_die "make kernelversion failed for $c"
		touch "$dir/.unpacked"
	fi
	echo "git $c ($(git -C "$tree" log -1 --format=%s "$c" 2>/dev/null | cut -c1-60))" > "$dir/.label"
	flock -u 6
	echo "$dir"
}

# ksrc_resolve [KERNEL]: resolve KERNEL (default $KERNEL, else mainline)
# once per process. Sets
#   ksrc_kind     deb | git
#   ksrc_spec     what was asked (7.3, mainline, /path)
#   ksrc_base     X.Y: the base patches are chosen for (configs/patches/X.Y/)
#   ksrc_version  make kernelversion of the tree (7.3.0-rc7)
#   ksrc_label    the exact source, for results and reports
#                 ("linux-source-7.3 7.3~rc7-1~exp1", "git <commit> (...)")
#   ksrc_id       the cache key part (package_version, git-<A>..<B>)
#   ksrc_src      the stock tree (the package's, or commit A's)
#   ksrc_dir      its cache entry
#   ksrc_pkg ksrc_debver   (deb) the package and its Debian version
#   ksrc_tree_dir ksrc_a ksrc_b ksrc_bdir ksrc_bsrc  (git) the repository,
#                 the two commits, commit B's cache entry and tree
ksrc_resolve() {
	local spec=${1:-${KERNEL:-mainline}} a b
	[ "${ksrc_spec:-}" = "$spec" ] && [ -n "${ksrc_src:-}" ] && return 0
	mkdir -p "$CACHE/linux"
	ksrc_spec=$spec
	case $spec in
	mainline) spec=$(ksrc_mainline) || exit ;;
	esac
	case $spec in
	[0-9]*.[0-9]*)
		case $spec in *[!0-9.]*) ksrc_die "bad KERNEL=$spec: want X.Y, mainline or a git tree's path" 2 ;; esac
		ksrc_kind=deb
		ksrc_deb "$spec"
		ksrc_id=${ksrc_pkg}_$(ksrc_id_safe "$ksrc_debver")
		ksrc_label="$ksrc_pkg $ksrc_debver"
		;;
	/*|./*|../*|~*)
		[ -d "$spec" ] || ksrc_die "KERNEL=$spec: no such directory" 2
		command -v git >/dev/null || ksrc_die "KERNEL=$spec needs git: apt-get install git"
		git -C "$spec" rev-parse --git-dir >/dev/null 2>&1 || ksrc_die "KERNEL=$spec is not a git repository" 2
		ksrc_kind=git
		ksrc_tree_dir=$(cd "$spec" && pwd)
		b=$(ksrc_git_commit "$ksrc_tree_dir" "${KERNEL_B:-HEAD}") || exit
		a=$(ksrc_git_commit "$ksrc_tree_dir" "${KERNEL_A:-$b~1}") || exit
		if ! git -C "$ksrc_tree_dir" merge-base --is-ancestor "$a" "$b"; then
			a=$(git -C "$ksrc_tree_dir" merge-base "$a" "$b") ||
				ksrc_die "KERNEL_A=${KERNEL_A:-} and KERNEL_B=${KERNEL_B:-HEAD} have no merge base" 2
			ksrc_say "A=${KERNEL_A:-} is not an ancestor of B: using their merge base ${a:0:12}"
		fi
		[ "$a" != "$b" ] || ksrc_die "A and B are the same commit (${a:0:12})" 2
		ksrc_a=$a ksrc_b=$b
		ksrc_dir=$(ksrc_git_export "$ksrc_tree_dir" "$a") || exit
		ksrc_bdir=$(ksrc_git_export "$ksrc_tree_dir" "$b") || exit
		ksrc_src=$ksrc_dir/src
		ksrc_bsrc=$ksrc_bdir/src
		ksrc_id=git-${a:0:12}..${b:0:12}
		ksrc_label="git $ksrc_tree_dir A=$a B=$b"
		;;
	*) ksrc_die "bad KERNEL=$spec: want X.Y (a Debian linux-source), mainline or a git tree's path" 2 ;;
	esac
	ksrc_version=$(cat "$ksrc_dir/.version")
	[ "$ksrc_kind" = deb ] || ksrc_version=$(cat "$ksrc_bdir/.version")
	ksrc_base=$(echo "$ksrc_version" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
	[ -n "$ksrc_base" ] || ksrc_die "cannot tell the base of kernel version '$ksrc_version'"
}
