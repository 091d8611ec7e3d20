#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# alias.sh: tests/workloads/check_alias.py on this machine's gupbench
# (GUPBENCH, default: build/<arch>/gupbench). TAP.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
exec "${SYSPYTHON:-/usr/bin/python3}" "$TOP/tests/workloads/check_alias.py" \
	"${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}"
