#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_check.sh: tests/vm/check.py on made-up run folders. A QEMU that
# never started (a missing ROM file, as on a fresh machine without
# ipxe-qemu) must give one failure with QEMU's own words and skip the rest.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
check() { "$PY" "$TOP/tests/vm/check.py" "$d" t --levels 3 --l4 0 --l5 0; }
echo 'qemu-system-aarch64: failed to find romfile "efi-virtio.rom"' >"$d/console.log"
echo 1 >"$d/qemu.rc"
out=$(check)
rc=$?
[ $rc = 1 ] || { echo "check.py exit $rc on a QEMU that failed to start, want 1"; exit 1; }
[ "$(grep -c '^not ok' <<<"$out")" = 1 ] || { echo "want exactly one 'not ok':"; echo "$out"; exit 1; }
grep -q '^not ok 1 - t: qemu could not start: qemu-system-aarch64: failed to find romfile' <<<"$out" ||
	{ echo "first failure does not quote QEMU:"; echo "$out"; exit 1; }
grep -q '# SKIP' <<<"$out" || { echo "rest not skipped:"; echo "$out"; exit 1; }
# A guest that booted and then failed is not a start failure.
echo 'GUPB-VM: booted 6.12' >"$d/console.log"
out=$(check)
grep -q 'qemu could not start' <<<"$out" && { echo "booted guest reported as not started"; exit 1; }
grep -q '^ok 1 - t: kernel booted' <<<"$out" || { echo "$out"; exit 1; }
exit 0
