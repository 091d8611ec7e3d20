#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# names.sh: writers use the contract's generated names. Every name of
# bench/base/contract.def (GUPB_KEY_*, GUPB_CTR_*, GUPB_CTX_* but the
# test bed's context keys, which only come in through --context) is used
# by a source in bench/ outside base/, and no source there writes a
# contract name as a string literal instead ("pins_per_iter",
# "pmu_cycles_u"; comments and a workload's own .name aside). TAP.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEF=${1:-$TOP/bench/base/contract.def}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=names
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

# Entries: "KIND ID name kind-of-context" from the table.
entries=$(sed -nE \
	-e 's/^GUPB_(KEY|CTR)\(([A-Z0-9_]+), "([^"]+)".*/\1 \2 \3 -/p' \
	-e 's/^GUPB_CTX\(([A-Z0-9_]+), "([^"]+)", ([A-Z]+),.*/CTX \1 \2 \3/p' \
	"$DEF")
[ -n "$entries" ]
tap_ok $? "$(echo "$entries" | grep -c .) names in ${DEF#"$TOP"/}"

srcs=$(find "$TOP/bench" \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) \
	! -path "$TOP/bench/base/*" | sort)
used=$(grep -ohwE 'GUPB_(KEY|CTR|CTX)_[A-Z0-9_]+' $srcs | sort -u)
unused=() want=()
while read -r kind id name ctx; do
	[ "$ctx" = TESTBED ] || want+=("GUPB_${kind}_$id")
	printf '"%s"\n"%s_u"\n"%s_k"\n' "$name" "$name" "$name" >>"$work/literals"
done <<<"$entries"
for m in "${want[@]}"; do
	grep -qxF "$m" <<<"$used" || unused+=("$m")
done
# Comments and a workload's own .name (kmod is also a context key) aside.
mapfile -t literal < <(grep -nF -f "$work/literals" $srcs |
	grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)|\.name = ' | sed "s|^$TOP/||" |
	head -5)
[ ${#unused[@]} = 0 ]
tap_ok $? "every name is used by a writer in bench/ (unused: ${unused[*]:-none})"
[ ${#literal[@]} = 0 ]
tap_ok $? "no writer spells a contract name as a literal (${literal[*]:-none})"
tap_done
