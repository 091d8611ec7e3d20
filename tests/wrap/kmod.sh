#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kmod.sh: tests/kmod/check.sh (the module against the host headers,
# checkpatch, its TAP test program) as numbered TAP with a plan. Needs
# KMOD_HEADERS and CHECKPATCH (kmod/kmod.mk's; empty: check.sh's defaults).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
tap_sub tests/kmod/check.sh "$TOP/tests/kmod/check.sh" "${KMOD_HEADERS:-}" "${CHECKPATCH:-}"
tap_done
