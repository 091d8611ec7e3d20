#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-header.sh DIR: put qemu-plugin.h of the installed QEMU into
# DIR/include/qemu/ (cached: a second run does nothing). Debian ships no
# plugin header in a binary package, so it comes from the `qemu` source
# package of exactly the installed version: a plugin built against
# another version's header may load and then misbehave, because QEMU
# checks only QEMU_PLUGIN_VERSION, not the struct layouts.
#
# Debian 12 has no deb-src entry by default. As root, this adds one in a
# separate file for the download only and removes it again afterwards
# (also on failure), so the machine's apt sources end as they began.
set -euo pipefail
dir=${1:?usage: fetch-header.sh DIR}
hdr=$dir/include/qemu/qemu-plugin.h

# The source version is the binary's version without a binNMU suffix
# (+bN): the installed 1:7.2+dfsg-7+deb12u18+b3 comes from source
# 1:7.2+dfsg-7+deb12u18.
binver=$(dpkg-query -W -f '${Version}' qemu-system-arm 2>/dev/null) ||
	{ echo "answer: qemu-system-arm is not installed (scripts/deps.sh test)" >&2; exit 1; }
srcver=$(echo "$binver" | sed 's/+b[0-9]*$//')
stamp=$dir/.version
if [ -f "$hdr" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$srcver" ]; then
	exit 0
fi

mkdir -p "$dir"
exec 7>"$dir/.lock"
flock 7
# Another run may have fetched it while this one waited for the lock.
if [ -f "$hdr" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$srcver" ]; then
	exit 0
fi

dl=$dir/download
mkdir -p "$dl"
if ! ls "$dl"/qemu_*.orig.tar.* >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || {
		echo "answer: need root once to fetch the qemu source package (deb-src)" >&2
		exit 1
	}
	command -v apt-get >/dev/null || { echo "answer: need apt-get" >&2; exit 1; }
	src=/etc/apt/sources.list.d/gupbench-deb-src.sources
	main=/etc/apt/sources.list.d/debian.sources
	[ -f "$main" ] || { echo "answer: no $main to copy deb-src URIs from" >&2; exit 1; }
	cleanup() {
		rm -f "$src"
		apt-get update -q >/dev/null 2>&1 || true
	}
	trap cleanup EXIT
	# Same URIs/Suites/Components/Signed-By as the binary entries, only
	# the type changes: the source comes from the archive the binary did.
	sed 's/^Types:.*/Types: deb-src/' "$main" > "$src"
	apt-get update -q >&2
	( cd "$dl" && apt-get source --download-only -q "qemu=$srcver" >&2 ) ||
		{ echo "answer: apt-get source qemu=$srcver failed" >&2; exit 1; }
	cleanup
	trap - EXIT
fi

# Only the header is needed: extract that one member from the tarball
# instead of unpacking (and patching) the whole QEMU tree. Debian's
# patches do not touch the plugin API; check the debian tarball anyway.
orig=$(ls "$dl"/qemu_*.orig.tar.* | head -n1)
# (Not grep -m1 on tar's output: pipefail would see tar die of SIGPIPE.)
member=$(tar -tf "$orig" | grep '/include/qemu/qemu-plugin\.h$' | head -n1 || true)
[ -n "$member" ] ||
	{ echo "answer: no include/qemu/qemu-plugin.h in $orig" >&2; exit 1; }
deb=$(ls "$dl"/qemu_*.debian.tar.* 2>/dev/null | head -n1 || true)
if [ -n "$deb" ] && tar -xOf "$deb" --wildcards 'debian/patches/*' 2>/dev/null |
	grep -q '^+++ .*include/qemu/qemu-plugin\.h'; then
	echo "answer: a Debian patch changes qemu-plugin.h; unpack with dpkg-source -x instead" >&2
	exit 1
fi
tmp=$(mktemp -d "$dir/tmp.XXXXXX")
tar -xf "$orig" -C "$tmp" "$member"
mkdir -p "$dir/include/qemu"
mv "$tmp/$member" "$hdr.tmp" && mv "$hdr.tmp" "$hdr"
rm -rf "$tmp"
echo "$srcver" > "$stamp.tmp" && mv "$stamp.tmp" "$stamp"
echo "answer: qemu-plugin.h of qemu $srcver in $dir/include/qemu" >&2
