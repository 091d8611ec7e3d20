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
	# The build log lives beside the module (one per checkout, not a
	# fixed /tmp name that concurrent runs would share).
	log=$TOP/kmod/build.log
	if ! make -C "$TOP/kmod" KDIR="$KDIR" >"$log" 2>&1; then
		echo "module build failed, see $log" >&2
		exit 1
	fi
	if ! err=$(insmod "$ko" 2>&1); then
		echo "insmod failed: $err" >&2
		exit 1
	fi
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
