#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tag.sh [FIELD]: resolve KERNEL (scripts/kernel/source.sh; fetching the
# source if needed) and print one field: tag (default: 7.3, 6.12,
# git-<A>..<B>, the folder name under results/vm/ and results/answer/),
# base, version (make kernelversion), label (the exact source) or kind.
set -euo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
# shellcheck source=source.sh
. "$TOP/scripts/kernel/source.sh"
ksrc_resolve
case ${1:-tag} in
tag) [ "$ksrc_kind" = git ] && echo "$ksrc_id" || echo "$ksrc_base" ;;
base) echo "$ksrc_base" ;;
version) echo "$ksrc_version" ;;
label) echo "$ksrc_label" ;;
kind) echo "$ksrc_kind" ;;
*) echo "usage: tag.sh [tag|base|version|label|kind]" >&2; exit 2 ;;
esac
