#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# configs.sh: tests/vm/check-configs.sh (configs/: fragments well formed,
# every patch applies to every base, profiles parse) as numbered TAP with
# a plan. Needs the built gupbench (build/<arch>/gupbench).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
tap_sub tests/vm/check-configs.sh "$TOP/tests/vm/check-configs.sh"
tap_done
