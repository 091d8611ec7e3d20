#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [run|test|fleet] [--list]: install, with apt-get, the Debian/Ubuntu
# packages gupbench needs that are missing. "run" is what `make bench`
# and `make compare` need (python3-numpy, -scipy, -matplotlib for the
# comparison); "test" adds what `make check` and the QEMU test bed need (the
# LTS source linux-source-6.12 from the machine's apt sources; newer ones,
# 7.3 and mainline, are fetched by scripts/kernel/source.sh with its own
# apt configuration, signed by debian-archive-keyring; git for
# KERNEL=/path/to/a/git/tree); "fleet" adds what `make kernel-deb`
# (bindeb-pkg: the Build-Depends of the base's scripts/package/mkdebian,
# libdw-dev since 7.x; cross: arm64 libssl for the headers package's
# tools) and the LAVA jobs (lava-run) need.
set -euo pipefail

run_pkgs="make gcc g++ libbenchmark-dev liburing-dev linux-perf gzip python3
python3-numpy python3-scipy python3-matplotlib"
test_pkgs="$run_pkgs libbenchmark-tools perl fio strace gcc-aarch64-linux-gnu
g++-aarch64-linux-gnu qemu-system-arm linux-source-6.12 linux-headers-6.12-amd64 bc flex bison
libssl-dev libelf-dev cpio kmod xz-utils dpkg-dev procps ccache python3-yaml
python3-pyflakes debian-archive-keyring git llvm-19"

fleet_pkgs="$test_pkgs debhelper rsync libdw-dev lava-dispatcher python3-jinja2
ipxe-qemu"

case "${1:-run}" in
run) want=$run_pkgs ;;
test) want=$test_pkgs ;;
fleet)
	want=$fleet_pkgs
	[ "$(uname -m)" = aarch64 ] || want="$want libssl-dev:arm64"
	;;
*) echo "usage: $0 [run|test|fleet] [--list]" >&2; exit 2 ;;
esac
# --list: the packages, one a line, and nothing installed
# (tests/vm/check-configs.sh holds them against each base's needs)
if [ "${2:-}" = --list ]; then
	printf '%s\n' $want
	exit 0
fi
if [ "${1:-run}" = fleet ] && [ "$(uname -m)" != aarch64 ] &&
	! dpkg --print-foreign-architectures | grep -qx arm64; then
	[ "$(id -u)" = 0 ] || { echo "deps: run as root once: dpkg --add-architecture arm64 && apt-get update" >&2; exit 1; }
	dpkg --add-architecture arm64
	apt-get update -q
fi

missing=()
for p in $want; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
