#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sysroot.sh DIR: unpack the arm64 user space the guest and the cross
# build need (busybox, libc, libstdc++, libbenchmark, liburing) into DIR,
# from Debian's arm64 packages (apt-get download, dpkg -x). Cached.
# The cross compiler brings its own libc headers and libc.so; only the
# runtime libc goes in here, for the guest.
set -euo pipefail
dir=${1:?usage: sysroot.sh DIR}
pkgs="busybox-static libc6 libstdc++6 libgcc-s1
libbenchmark1debian libbenchmark-dev liburing2 liburing-dev"
[ -f "$dir/.complete" ] && exit 0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	[ "$(id -u)" = 0 ] || { echo "vm: run as root once: dpkg --add-architecture arm64 && apt-get update" >&2; exit 1; }
	dpkg --add-architecture arm64
	apt-get update -q >&2
fi
mkdir -p "$dir/debs"
( cd "$dir/debs" && apt-get download $(for p in $pkgs; do echo "$p:arm64"; done) >&2 ) ||
	{ echo "vm: apt-get download of arm64 packages failed (apt-get update?)" >&2; exit 1; }
for d in "$dir"/debs/*.deb; do
	dpkg -x "$d" "$dir"
done
touch "$dir/.complete"
