#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smoke.sh: every workload on this machine with tiny iteration counts,
# checked against what it claims (pins per I/O, zero for controls, ...),
# plus the bad-target and not-root paths. TAP; exit 1 on any failure.
# Needs GUPBENCH (the binary) and SYSPYTHON.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d /var/tmp/gupbench-wl.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
ok() { tap_ok "$@"; }
skip() { tap_skip "$1"; }

# Run check_smoke.py; its TAP lines renumbered into ours.
checker() {
	local line
	"$PY" "$TOP/tests/workloads/check_smoke.py" "$@" >"$work/check.out" 2>&1
	ok $? "check_smoke.py $(basename "$1") exits 0"
	while read -r line; do
		case $line in
		"ok "*"# SKIP "*) skip "${line#*# SKIP }" ;;
		"ok "*) ok 0 "${line#ok * - }" ;;
		"not ok "*) ok 1 "${line#not ok * - }" ;;
		esac
	done <"$work/check.out"
}

# 4K I/O is the headline (one pin per read); 64K and qd 4 show scaling.
mkdir -p "$work/prof" "$work/res"
cat >"$work/prof/wltest.conf" <<'CONF'
repetitions = 1
min_time = 0.001
sizes = 4k, 64k
qdepths = 1, 4
backings = anon, thp, hugetlb, shmem, file
layouts = inside, cross_pmd
CONF
export GUPB_PROFILE_DIR=$work/prof

if [ ! -x "$GUPBENCH" ]; then
	ok 1 "no binary at $GUPBENCH (make all)"
	tap_done
fi

"$GUPBENCH" --profile wltest --out "$work/res/root.json" --tmpdir "$work" \
	>"$work/root.log" 2>&1
ok $? "smoke run of every workload exits 0"
# The device this run made (others may make their own meanwhile).
dev=$(grep -o '"odirect_target": "zram (private /dev/zram[0-9]*' \
	"$work/res/root.json" 2>/dev/null | grep -o 'zram[0-9]*$')
if [ -n "$dev" ] && [ -e "/sys/block/$dev" ] && pgrep -x gupbench >/dev/null; then
	# hot_add hands out the lowest free number: another run took it.
	skip "$dev exists again, but another gupbench is running"
elif [ -n "$dev" ]; then
	ok "$([ ! -e "/sys/block/$dev" ]; echo $?)" "private $dev removed after the run"
else
	skip "no private zram made (not root, or /dev/nullb0 used)"
fi
if [ -f "$work/res/root.json" ]; then
	args=()
	[ "$(id -u)" = 0 ] && args+=(--root)
	total=$(awk '/HugePages_Total/ { print $2 }' /proc/meminfo)
	free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
	if [ "${total:-0}" = 0 ]; then
		# none reserved: hugetlb is left out as a whole, said once
		args+=(--expect-not-run backing:hugetlb)
	elif [ "${free:-0}" = 0 ]; then
		args+=(--expect-skip odirect_read/backing:hugetlb
		       "nr_hugepages|not root")
	fi
	# The kernel refuses long-term pins of file pages (EFAULT).
	args+=(--expect-skip iouring_register/backing:file FOLL_LONGTERM)
	checker "$work/res/root.json" "${args[@]}"
	[ "$(id -u)" = 0 ] && ok "$(grep -q '"odirect_target": "\(zram (private\|/dev/nullb0\)' \
		"$work/res/root.json"; echo $?)" "odirect_target names the private device"
else
	ok 1 "no result file: $(tail -3 "$work/root.log")"
fi

# A signal in the middle of the O_DIRECT runs: SIGINT (the driver's
# handler) or SIGABRT (a crash: target.c's own handler). This run's
# private zram goes too, and no result file is left.
interrupt() {
	local sig=$1 pid rc dev i

	"$GUPBENCH" --profile wltest --filter '^odirect' --benchmark_min_time=0.2 \
		--out "$work/res/int.json" >"$work/int.log" 2>&1 &
	pid=$!
	for i in $(seq 50); do
		grep -q '^odirect_read/' "$work/int.log" && break
		sleep 0.1
	done
	dev=$(grep -o 'zram (private /dev/zram[0-9]*' "$work/int.log" | grep -o 'zram[0-9]*$')
	kill -"$sig" $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	# A crash skips the driver's own clean-up of its temporary file.
	rm -f "$work"/res/.gupbench-*.tmp
	ok "$([ -n "$dev" ] && [ $rc -ne 0 ] && [ ! -e "/sys/block/$dev" ] &&
		[ ! -e "$work/res/int.json" ]; echo $?)" \
		"SIG$sig: ${dev:-no zram} removed, no result (exit $rc)"
}
if [ "$(id -u)" = 0 ] && [ ! -e /dev/nullb0 ]; then
	interrupt INT
	interrupt ABRT
else
	skip "signal cleanup: needs root and no null_blk"
fi

# Bad targets: usage errors, exit 2, nothing created.
"$GUPBENCH" --profile wltest --target /nonexistent --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
ok "$([ $rc = 2 ] && grep -q 'No such file' "$work/bad.log"; echo $?)" \
	"--target /nonexistent exits 2 with the reason (exit $rc)"
"$GUPBENCH" --profile wltest --target /dev/null --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
ok "$([ $rc = 2 ] && grep -q 'not a block device' "$work/bad.log"; echo $?)" \
	"--target /dev/null exits 2 with the reason (exit $rc)"
truncate -s 8M "$work/sparse.img"
"$GUPBENCH" --profile wltest --target "$work/sparse.img" --out "$work/res/x.json" \
	>"$work/bad.log" 2>&1
rc=$?
ok "$([ $rc = 2 ] && grep -q 'holes' "$work/bad.log"; echo $?)" \
	"--target on a sparse file exits 2: its reads would pin nothing (exit $rc)"
ok "$([ ! -e "$work/res/x.json" ]; echo $?)" "no result file after usage errors"

# A target whose O_DIRECT reads copy (tmpfs): the I/O benchmarks skip.
# While other processes pin, the target's probe may be inconclusive; then
# each benchmark's own proof stops it (0 pins measured, or busy).
shm_re="refused|pin nothing|busy machine|measured 0.00 pins"
if [ -d /dev/shm ] && dd if=/dev/zero of=/dev/shm/gupbench-wl.$$ bs=1M count=4 \
	status=none 2>/dev/null; then
	"$GUPBENCH" --profile wltest --target /dev/shm/gupbench-wl.$$ \
		--filter '^(odirect|iouring_read)' --out "$work/res/shm.json" \
		>"$work/shm.log" 2>&1
	ok $? "tmpfs target: run exits 0"
	rm -f /dev/shm/gupbench-wl.$$
	checker "$work/res/shm.json" \
		--expect-skip odirect_read/ "$shm_re" \
		--expect-skip iouring_read/ "no O_DIRECT target|$shm_re"
else
	skip "no /dev/shm"
fi

# The first directory on the way to each of the files that uid 65534 cannot
# search (no o+x), or nothing: the copy and its shared libraries.
unreachable() {
	local f d
	for f in "$@"; do
		d=$(dirname "$f")
		while :; do
			# o+x, or o+x with the sticky bit (t)
			case $(stat -L -c %A "$d" | cut -c10) in
			x | t) ;;
			*) echo "$d ($(stat -L -c %a "$d"))"; return ;;
			esac
			[ "$d" = / ] && break
			d=$(dirname "$d")
		done
	done
}

# Not root: no private zram; O_DIRECT skips with the reason, the rest runs.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	# Run a copy that uid 65534 can reach: the checkout may sit under a
	# 0700 directory (root's home, where git clone puts it for root).
	chmod 0777 "$work" "$work/res"
	chmod 0755 "$work/prof"
	install -m 0755 "$GUPBENCH" "$work/gupbench-user"
	libs=$(ldd "$work/gupbench-user" 2>/dev/null | awk '$3 ~ /^\// { print $3 }')
	# shellcheck disable=SC2086
	blocked=$(unreachable "$work/gupbench-user" $libs)
	if [ -n "$blocked" ]; then
		# e.g. a chroot made under a 0700 mktemp directory: "/" itself
		skip "not-root path: uid 65534 cannot search $blocked on the way to the binary or its libraries"
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$work/gupbench-user" --profile wltest --target zram --out "$work/res/user.json" \
			--tmpdir "$work" --filter '^(odirect_read|futex|vmsplice)/' \
			>"$work/user.log" 2>&1
		ok $? "not root: run exits 0 $([ -s "$work/user.log" ] && tail -1 "$work/user.log")"
		if [ -f "$work/res/user.json" ]; then
			checker "$work/res/user.json" --expect-skip odirect_read/ "not root"
		fi
	fi
else
	skip "not-root path: needs root (to drop to nobody) and setpriv"
fi

tap_done
