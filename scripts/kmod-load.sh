#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmod-load.sh load|unload: build gupbench.ko against the running kernel
# and insert it. Exit 0 when loaded; otherwise the reason on stderr.
set -uo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
KDIR=${KDIR:-/lib/modules/$(uname -r)/build}
ko=$TOP/kmod/gupbench.ko

case "${1:-}" in
load)
	[ "$(id -u)" = 0 ] || { echo "not root" >&2; exit 1; }
	[ -e /proc/modules ] || { echo "kernel $(uname -r) has no module support (CONFIG_MODULES=n)" >&2; exit 1; }
	if [ -e /dev/gupbench ]; then
		exit 0
	fi
	[ -d "$KDIR" ] || { echo "no kernel headers at $KDIR (install linux-headers-$(uname -r))" >&2; exit 1; }
	if ! make -C "$TOP/kmod" KDIR="$KDIR" >/tmp/gupbench-kmod-build.log 2>&1; then
		echo "module build failed, see /tmp/gupbench-kmod-build.log" >&2
		exit 1
	fi
	insmod "$ko" 2>/tmp/gupbench-insmod.log ||
		{ echo "insmod failed: $(cat /tmp/gupbench-insmod.log)" >&2; exit 1; }
	touch /run/gupbench-loaded-by-us 2>/dev/null
	;;
unload)
	if [ -e /run/gupbench-loaded-by-us ]; then
		rmmod gupbench && rm -f /run/gupbench-loaded-by-us
	fi
	;;
*)
	echo "usage: $0 load|unload" >&2
	exit 2
	;;
esac
