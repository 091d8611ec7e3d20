#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-configs.sh: configs/ sanity, quick enough for every CI run:
# fragments are well formed and say what they expect, the patch applies
# (every one in configs/patches/ and configs/patches-mm/) to Debian's linux-source-6.12, the profiles parse (via gupbench --list).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
t() {
	local what=$1
	shift
	if "$@" >"$log" 2>&1; then
		echo "ok [configs] $what"; pass=$((pass + 1))
	else
		echo "not ok [configs] $what"; tail -5 "$log"; fail=$((fail + 1))
	fi
}
for f in "$TOP"/configs/kernel/*.config; do
	n=$(basename "$f")
	t "$n: only CONFIG_ lines and comments" \
		bash -c "! grep -vE '^(#.*|CONFIG_[A-Z0-9_]+=.+|)\$' '$f'"
	t "$n: has an SPDX line" grep -q SPDX-License-Identifier "$f"
	case $n in base-*) ;; *) t "$n: says what to expect" grep -q '^# expect:' "$f" ;; esac
done
src=/usr/src/linux-source-6.12.tar.xz
if [ -f "$src" ]; then
	d=$(mktemp -d)
	# only the files the patches touch
	files=$(sed -n 's|^+++ b/||p' "$TOP"/configs/patches/*.patch "$TOP"/configs/patches-mm/*.patch | sort -u | sed 's|^|*/|')
	# shellcheck disable=SC2086
	tar -xJf "$src" -C "$d" --wildcards $files
	for patch in "$TOP"/configs/patches/*.patch "$TOP"/configs/patches-mm/*.patch; do
		t "$(basename "$patch") applies to $(basename "$src")" \
			patch -p1 --dry-run -d "$(ls -d "$d"/*)" -i "$patch"
	done
	rm -rf "$d"
else
	echo "not ok [configs] $src missing (apt-get install linux-source-6.12)"
	fail=$((fail + 1))
fi
for p in "$TOP"/configs/profiles/*.conf; do
	n=$(basename "$p" .conf)
	t "profile $n parses" "$TOP/build/$(uname -m)/gupbench" --profile "$n" --list
done
t "check.py: a QEMU that cannot start is one clear failure" "$TOP/tests/vm/test_check.sh"
t "progress.sh: a ticker started and stopped under set -e lets the script go on" \
	bash -c "set -euo pipefail; . '$TOP/scripts/vm/progress.sh'; PROGRESS_EVERY=1
		progress_start t 'echo tick'; sleep 1.3; progress_stop; progress_stop
		echo reached | grep -q reached"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
