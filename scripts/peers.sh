#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# peers.sh: the harness overhead against the usual peers, side by side in
# one run (make peers). On one private zram device, ROUNDS times, in
# alternation: gupbench's O_DIRECT psync 4 KiB read, io_uring QD1 4 KiB
# read and futex wakes against fio (psync, io_uring) and perf bench futex
# hash. Writes $RESULTS/peers/peers.txt and peers.json (medians over the
# rounds, every round's numbers kept). Root (zram hot_add); needs fio and
# perf. Usage: peers.sh [ROUNDS] (default 3).
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
RESULTS=${RESULTS:-$TOP/results}
SYSPYTHON=${SYSPYTHON:-/usr/bin/python3}
ROUNDS=${1:-3}
SECS=${PEERS_SECS:-2}

die() { echo "peers: $*" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1-99, not '$ROUNDS'"
[ "$(id -u)" = 0 ] || die "needs root (a private zram device)"
for t in fio perf; do
	command -v $t >/dev/null || die "$t not installed (make deps-test)"
done
[ -x "$GUPBENCH" ] || die "no $GUPBENCH (make all)"
[ -w /sys/class/zram-control/hot_add ] || [ -r /sys/class/zram-control/hot_add ] ||
	die "no zram-control: zram is not available"

work=$(mktemp -d)
id=
cleanup() {
	[ -n "$id" ] && echo "$id" > /sys/class/zram-control/hot_remove 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

id=$(cat /sys/class/zram-control/hot_add)
dev=/dev/zram$id
echo 256M > /sys/block/zram$id/disksize
# Real data, so reads decompress something (an unwritten zram sector
# reads as zeroes without touching a page).
dd if=/dev/urandom of="$dev" bs=1M count=128 oflag=direct status=none

cat > "$work/peers.conf" <<EOF
repetitions = 1
min_time = $SECS
sizes = 4k
iouring.qdepths = 1
backings = anon
layouts = inside
EOF
filter='^(odirect_read/backing:anon/layout:inside/bytes:4096/real_time|iouring_read/backing:anon/bytes:4096/qd:1/real_time|futex_wake_shared/backing:anon|futex_wake_private_ctl/backing:anon)$'
fio_run() {	# engine out
	fio --name=peer --filename="$dev" --direct=1 --ioengine="$1" \
		--iodepth=1 --bs=4k --rw=randread --size=128M \
		--runtime="$SECS" --time_based --output-format=json \
		--output="$2" >/dev/null
}
for r in $(seq 1 "$ROUNDS"); do
	echo "peers: round $r/$ROUNDS on $dev"
	"$GUPBENCH" --profile-dir "$work" --profile peers --target "$dev" \
		--filter "$filter" --out "$work/gupbench-$r.json" \
		>"$work/gupbench-$r.log" 2>&1 ||
		{ cat "$work/gupbench-$r.log" >&2; die "gupbench failed"; }
	fio_run psync "$work/fio-psync-$r.json"
	fio_run io_uring "$work/fio-iouring-$r.json"
	perf bench -f simple futex hash -S -t 1 -r "$SECS" \
		>"$work/futex-shared-$r.txt" 2>&1
	perf bench -f simple futex hash -t 1 -r "$SECS" \
		>"$work/futex-private-$r.txt" 2>&1
done
mkdir -p "$RESULTS/peers"
PYTHONPATH=$TOP/analysis "$SYSPYTHON" -m gupb peers "$work" "$ROUNDS" "$RESULTS/peers" "$dev"
