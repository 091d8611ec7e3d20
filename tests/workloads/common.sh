# SPDX-License-Identifier: GPL-2.0
# common.sh: sourced (not run) by the tests/workloads/*.sh tests after
# they set TAP_PREFIX: TOP, PY (SYSPYTHON), GUPBENCH (default
# build/<arch>/gupbench), a work dir on a disk filesystem (file-backed
# buffers and targets need one, not tmpfs) removed on exit, tests/tap.sh,
# and the test profile tests/workloads/wltest.conf in $work/prof
# (GUPB_PROFILE_DIR). Without the binary: one failing test, the end.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
work=$(mktemp -d /var/tmp/gupbench-wl.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
[ -x "$GUPBENCH" ] || { tap_ok 1 "no binary at $GUPBENCH (make all)"; tap_done; }
mkdir -p "$work/prof" "$work/res"
cp "$TOP/tests/workloads/wltest.conf" "$work/prof/"
export GUPB_PROFILE_DIR=$work/prof
