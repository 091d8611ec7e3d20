#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# submission.sh PATCH... : make submission PATCH="0003" KERNEL=mainline.
# Resolves KERNEL (scripts/kernel/source.sh: a Debian linux-source-X.Y,
# mainline, or a git tree, whose commit B is the base) and each PATCH to
# its variant for that base (scripts/vm/kernel.sh), then writes the series
# into OUT (default outgoing/) with scripts/submission/series.py. A
# series without the alias fix (0001, 0002) goes out as an RFC unless
# RFC=no. The submitter's git identity is checked before anything is
# fetched.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
PY=${SYSPYTHON:-/usr/bin/python3}
OUT=${OUT:-$TOP/outgoing}
RESULTS=${RESULTS:-$TOP/results}
KERN_PREFIX=submission
[ $# -ge 1 ] || { echo "usage: make submission PATCH=\"NNNN...\" [KERNEL=mainline|X.Y|/path/to/git/tree] [OUT=dir] [RFC=auto|yes|no]" >&2; exit 2; }

"$PY" "$TOP/scripts/submission/series.py" --identity-only

# shellcheck source=../vm/kernel.sh
. "$TOP/scripts/vm/kernel.sh"
ksrc_resolve "${KERNEL:-mainline}"
src=$ksrc_src
hist=()
if [ "$ksrc_kind" = git ]; then
	# the user's newest commit is what the series goes on top of
	src=$ksrc_bsrc
	hist=(--history "$ksrc_tree_dir")
fi
files=()
for p in "$@"; do
	kern_patch_resolve "$p"
	[ "$kern_patch" != none ] && [ "$kern_patch" != B ] ||
		kern_die "PATCH=$p: want a patch of configs/patches/ (NNNN or a path)" 2
	files+=("$kern_patch")
done
rfc=()
case ${RFC:-auto} in
yes) rfc=(--rfc) ;;
no) ;;
auto) grep -q gup_fast_permitted "${files[@]}" || rfc=(--rfc) ;;
*) kern_die "RFC=${RFC}: want auto, yes or no" 2 ;;
esac
exec "$PY" "$TOP/scripts/submission/series.py" --src "$src" \
	--label "$ksrc_label (make kernelversion: $ksrc_version)" \
	--kernel "${KERNEL:-mainline}" --out "$OUT" --results "$RESULTS" \
	--tag "$([ "$ksrc_kind" = git ] && echo "$ksrc_id" || echo "$ksrc_base")" \
	"${rfc[@]}" "${hist[@]}" "${files[@]}"
