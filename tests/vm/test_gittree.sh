#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_gittree.sh: KERNEL=/path/to/a/git/tree (scripts/kernel/source.sh)
# on a made-up kernel repository (a Makefile that knows kernelversion, one
# upstream commit, one local commit): A and B resolve to the right
# commits, each exported tree holds that commit's files, an upstream
# branch as A means the merge base, bad input fails with status 2 -- and
# the repository is left exactly as it was: same refs, same index, same
# status, the same bytes and mtimes under .git and in the work tree. And
# the kernel caches are per commit: a new B keeps the stock kernel.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export CACHE=$d/cache
repo=$d/linux
n=0 bad=0
ok() { # ok COND-STATUS what [details]
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - git tree: $2"
	else echo "not ok $n - git tree: $2"; [ -z "${3:-}" ] || sed 's/^/#   /' <<<"$3"; bad=$((bad + 1)); fi
}
mkdir -p "$repo"
cat > "$repo/Makefile" <<'MK'
VERSION = 7
PATCHLEVEL = 3
SUBLEVEL = 0
EXTRAVERSION = -rc7
kernelversion:
	@echo $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)$(EXTRAVERSION)
MK
echo upstream > "$repo/file"
g() { git -C "$repo" -c user.name=t -c user.email=t@t -c commit.gpgsign=false "$@"; }
g init -q -b master
g add Makefile file && g commit -q -m upstream
g branch -q upstream
g checkout -q -b other
echo other > "$repo/other" && g add other && g commit -q -m other
g checkout -q master
echo local > "$repo/file"
g commit -q -am "mm: a local change"
g checkout -q -b fix2
echo fix2 > "$repo/file2" && g add file2 && g commit -q -m "mm: a second try"
g checkout -q master
echo "not committed" > "$repo/untracked"
echo "dirty" >> "$repo/file"
up=$(g rev-parse upstream) head=$(g rev-parse HEAD) fix2=$(g rev-parse fix2)

# everything git or the work tree could show of a change (status without
# GIT_OPTIONAL_LOCKS=0 would itself refresh .git/index)
snapshot() {
	(cd "$repo" && find . -type f -printf '%p %s %T@\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum
	 GIT_OPTIONAL_LOCKS=0 g status --porcelain=v2 --branch; g for-each-ref; g stash list)
}
before=$(snapshot)

resolve() { # resolve VAR...: print the resolver's variables for KERNEL_A/B
	(TOP=$TOP; KERNEL=$repo; . "$TOP/scripts/kernel/source.sh"; ksrc_resolve >/dev/null
	 echo "$ksrc_kind $ksrc_a $ksrc_b $ksrc_base $ksrc_version $ksrc_id"
	 cat "$ksrc_src/file" "$ksrc_bsrc/file")
}
out=$(resolve 2>"$d/err"); rc=$?
ok $rc "defaults resolve (A=B~1, B=HEAD)" "$out$(cat "$d/err")"
want="git $up $head 7.3 7.3.0-rc7 git-${up:0:12}..${head:0:12}"
[ "$(head -1 <<<"$out")" = "$want" ]; ok $? "A, B, base, version and cache id" "$out"$'\n'"want: $want"
[ "$(sed -n 2,3p <<<"$out" | tr '\n' ' ')" = "upstream local " ]
ok $? "the exported trees hold A's and B's committed files (not the dirty work tree)" "$out"
out=$(KERNEL_A=upstream KERNEL_B=HEAD resolve 2>/dev/null)
[ "$(head -1 <<<"$out" | cut -d' ' -f2)" = "$up" ]; ok $? "A=upstream (an ancestor) is taken as is" "$out"
out=$(KERNEL_A=other resolve 2>"$d/err")
[ "$(head -1 <<<"$out" | cut -d' ' -f2)" = "$up" ] && grep -q "merge base" "$d/err"
ok $? "A=a branch that is not an ancestor of B: their merge base, said" "$out"
out=$(KERNEL_A=HEAD resolve 2>&1); rc=$?
[ $rc = 2 ] && grep -q "same commit" <<<"$out"; ok $? "A = B: exit 2 with a reason" "$out"
out=$(KERNEL_B=nosuchref resolve 2>&1); rc=$?
[ $rc = 2 ] && grep -q "no commit nosuchref" <<<"$out"; ok $? "a bad commit: exit 2 with a reason" "$out"
# The kernel caches (scripts/vm/kernel.sh): a kernel is keyed by the
# commit it is built from, so stock A serves every B (a user's next try
# rebuilds B only). kern_resolve only asks that the build tools exist.
mkdir -p "$d/bin"
for t in aarch64-linux-gnu-gcc flex bison bc; do
	command -v "$t" >/dev/null || { printf '#!/bin/sh\nexit 1\n' > "$d/bin/$t"; chmod +x "$d/bin/$t"; }
done
kres() { # kres PATCH: the kernel side for KERNEL_A/B
	(TOP=$TOP; KERNEL=$repo; PATH=$d/bin:$PATH; . "$TOP/scripts/vm/kernel.sh"
	 kern_resolve arm64-16k-52-lpa2 "$1" >/dev/null
	 echo "$kern_ktag $kern_key $kern_tag $kern_built")
}
s1=$(KERNEL_A=upstream kres none 2>/dev/null) b1=$(KERNEL_A=upstream kres B 2>/dev/null)
s2=$(KERNEL_A=upstream KERNEL_B=fix2 kres none 2>/dev/null) b2=$(KERNEL_A=upstream KERNEL_B=fix2 kres B 2>/dev/null)
[ "${s1%% *}" = "git-${up:0:12}" ] && [ "${b1%% *}" = "git-${head:0:12}" ] &&
	[ "${b2%% *}" = "git-${fix2:0:12}" ] && [ "$(cut -d' ' -f4- <<<"$b1")" = "git $repo $head" ]
ok $? "kernel caches: stock in git-<A>, B in git-<B>, labelled with that commit" "$s1"$'\n'"$b1"$'\n'"$b2"
[ "$(cut -d' ' -f1,2 <<<"$s1")" = "$(cut -d' ' -f1,2 <<<"$s2")" ] &&
	[ "$(cut -d' ' -f3 <<<"$s1")" != "$(cut -d' ' -f3 <<<"$s2")" ] &&
	[ "$(cut -d' ' -f2 <<<"$b1")" != "$(cut -d' ' -f2 <<<"$b2")" ]
ok $? "a new B: same stock kernel key, new B key, new results folder" "$s1"$'\n'"$s2"$'\n'"$b1"$'\n'"$b2"
out=$(TOP=$TOP KERNEL=$d/cache "$TOP/scripts/kernel/tag.sh" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "not a git repository" <<<"$out"; ok $? "not a git repository: exit 2" "$out"
# make's KERNEL=~/linux: sh (dash) and quotes leave the ~ to make
out=$(HOME=$d make -s -C "$TOP" --eval 'gupb-print-kernel: ; @echo $(KERNEL)' gupb-print-kernel 'KERNEL=~/linux' 2>&1)
[ "$out" = "$d/linux" ]; ok $? "make KERNEL='~/linux' is \$HOME/linux" "$out"
after=$(snapshot)
[ "$before" = "$after" ]
ok $? "the repository is unchanged (refs, index, status, bytes and mtimes)" "$(diff <(echo "$before") <(echo "$after") | head -20)"
echo "1..$n"
[ $bad = 0 ]
