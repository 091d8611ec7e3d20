#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series.sh: make submission (scripts/submission/) end to end against a
# real base, Debian's linux-source-6.12 when installed (SUBMISSION_KERNEL
# picks another cached one): no invented identity (the patches carry
# none, the writer refuses without the submitter's), the series applies
# with git am to a git-initialised copy of the base and is checkpatch
# clean there, the kselftest builds in that tree for the host and arm64
# and passes or skips on this host as designed, and the cover letters
# quote the test bed's results or name the command that makes them.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=submission
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
PY=${SYSPYTHON:-/usr/bin/python3}
export CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
K=${SUBMISSION_KERNEL:-6.12}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SUB=$TOP/scripts/submission/submission.sh
SERIES=$TOP/scripts/submission/series.py
# a file's text on one line: sentences the cover letter wraps
flat() { tr '\n' ' ' <"$1" | tr -s ' '; }

# --- no identity without the submitter -----------------------------------
bad=$(grep -rlE '^(Signed-off-by|From): ' "$TOP/configs/patches" || true)
tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
	"configs/patches/ carry no Signed-off-by:/From: (${bad:-none})"

if [ -n "$(git -C "$TOP" config --local user.name || true)$(git -C "$TOP" config --local user.email || true)" ]; then
	tap_skip "refusal without an identity: this checkout sets user.name/email in .git/config"
else
	out=$(HOME=$tmp/home GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
		KERNEL=$K OUT=$tmp/noid "$SUB" 0003 2>&1)
	rc=$?
	tap_ok "$([ $rc != 0 ] && grep -q 'no git identity' <<<"$out" && [ ! -e "$tmp/noid" ] && echo 0 || echo 1)" \
		"refused without git config user.name/email (exit $rc, nothing written): $(head -1 <<<"$out" | cut -c1-90)"
	out=$(HOME=$tmp/home GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
		"$PY" "$SERIES" --identity-only 2>&1)
	tap_ok "$([ $? = 1 ] && grep -q 'user.name, user.email unset' <<<"$out" && echo 0 || echo 1)" \
		"series.py --identity-only: exit 1 and names both keys"
fi

# The submitter from here on.
printf '[user]\n\tname = Test Submitter\n\temail = submitter@example.org\n' >"$tmp/gitconfig"
export GIT_CONFIG_GLOBAL=$tmp/gitconfig GIT_CONFIG_NOSYSTEM=1

# --- the base ---------------------------------------------------------------
if [ "$K" = 6.12 ] && ! dpkg-query -W -f '${Status}' linux-source-6.12 2>/dev/null | grep -q 'ok installed'; then
	tap_skip "the series against a base: linux-source-6.12 is not installed (make deps-test)"
	tap_done
fi
base=$(cd "$TOP" && . scripts/vm/kernel.sh && KERN_PREFIX=test ksrc_resolve "$K" >&2 &&
	echo "$ksrc_src" && echo "$ksrc_version") || { tap_ok 1 "KERNEL=$K resolves"; tap_done; }
src=$(sed -n 1p <<<"$base")
ver=$(sed -n 2p <<<"$base")
echo "# base: $src ($ver)"

# --- the fix's series --------------------------------------------------------
mkdir -p "$tmp/noresults"
out=$(KERNEL=$K OUT=$tmp/out RESULTS=$tmp/noresults "$SUB" 0003 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
tap_ok $rc "make submission PATCH=0003 KERNEL=$K: exit 0"
o=$tmp/out
n=$(ls "$o"/000[1-9]-*.patch 2>/dev/null | wc -l)
tap_ok "$([ -f "$o/0000-cover-letter.patch" ] && [ "$n" = 2 ] && echo 0 || echo 1)" \
	"cover letter + 2 patches (the fix, the kselftest): $(cd "$o" 2>/dev/null && ls | tr '\n' ' ')"
fix=$(ls "$o"/0001-*.patch 2>/dev/null)
st=$(ls "$o"/0002-*.patch 2>/dev/null)
so=$(grep -c '^Signed-off-by: Test Submitter <submitter@example.org>$' "$o"/000[1-9]-*.patch | grep -c ':1$')
tap_ok "$([ "$so" = 2 ] && ! grep -q 'gupbench@localhost' "$o"/*.patch &&
	[ "$(grep -ch '^Signed-off-by:' "$o"/000[1-9]-*.patch | sort -u)" = 1 ] &&
	grep -q '^From: Test Submitter <submitter@example.org>' "$fix" && echo 0 || echo 1)" \
	"each patch: From: and the one Signed-off-by: are the submitter's"
tap_ok "$(grep -q '^Fixes: 0dd4f60a2c76 ("arm64: mm: Add support for folding PUDs at runtime")$' "$fix" &&
	grep -q '^Fixes: a6bbf5d4d9d1 ("arm64: mm: Add definitions to support 5 levels of paging")$' "$fix" &&
	grep -q '^Cc: stable@vger.kernel.org$' "$fix" && echo 0 || echo 1)" \
	"the fix: both Fixes: with 12-digit ids, Cc: stable"
tap_ok "$(grep -q '^+++ b/tools/testing/selftests/mm/gup_va_limit.c' "$st" &&
	grep -q '^+TEST_GEN_FILES += gup_va_limit$' "$st" &&
	grep -q '^+CATEGORY="gup_test" run_test ./gup_va_limit$' "$st" && echo 0 || echo 1)" \
	"the kselftest: the test, its Makefile and run_vmtests.sh lines"
tap_ok "$(grep -q '^To: .*catalin.marinas@arm.com' "$fix" && grep -q 'linux-arm-kernel@lists.infradead.org' "$fix" &&
	grep -q 'linux-kselftest@vger.kernel.org' "$st" && grep -q 'linux-mm@kvack.org' "$o/0000-cover-letter.patch" &&
	echo 0 || echo 1)" "recipients from get_maintainer.pl: arm64 for the fix, kselftest for the test, both on the cover"
tap_ok "$([ "$(grep -c ': clean$' "$o/checks.txt" 2>/dev/null)" = 2 ] && echo 0 || echo 1)" \
	"checkpatch.pl --strict of the base: both clean ($(grep -c 'not checked' "$o/checks.txt" 2>/dev/null) types not checked, each with its reason)"
c=$o/0000-cover-letter.patch
tap_ok "$(flat "$c" | grep -q "make vm-test KERNEL=$K\` produces it" &&
	flat "$c" | grep -q "not in results/answer/$K/ here" &&
	flat "$c" | grep -q "make answer KERNEL=$K\` produces it" &&
	! grep -qE 'ALIAS|refused|selftest (pass|FAIL)' "$c" && echo 0 || echo 1)" \
	"no results: the cover letter names the commands, claims nothing"

# --- git am on a git-initialised copy of the base ------------------------------
g=$tmp/git
cp -al "$src" "$g"
before=$(sha256sum "$src/arch/arm64/include/asm/pgtable.h")
( cd "$g" && git init -q && git add -f -A && git commit -qm base &&
	git am -q "$o"/000[1-9]-*.patch ) >"$tmp/am.log" 2>&1
rc=$?
tap_ok "$([ $rc = 0 ] && [ "$(git -C "$g" rev-list --count HEAD)" = 3 ] && echo 0 || echo 1)" \
	"git am onto git init of the base: 2 commits ($(tail -1 "$tmp/am.log"))"
tap_ok "$([ "$(sha256sum "$src/arch/arm64/include/asm/pgtable.h")" = "$before" ] &&
	grep -q 'define gup_fast_permitted' "$g/arch/arm64/include/asm/pgtable.h" && echo 0 || echo 1)" \
	"the applied copy has the fix, the cached base is untouched"

# --- the kselftest: in that tree, host and arm64 --------------------------------
m=$g/tools/testing/selftests/mm
mkdir -p "$tmp/st-host" "$tmp/st-arm64"
make -s -C "$m" OUTPUT="$tmp/st-host" "$tmp/st-host/gup_va_limit" >"$tmp/st.log" 2>&1
tap_ok $? "kselftest builds in the tree for the host (mm/Makefile)"
if command -v aarch64-linux-gnu-gcc >/dev/null; then
	make -s -C "$m" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- OUTPUT="$tmp/st-arm64" \
		"$tmp/st-arm64/gup_va_limit" >>"$tmp/st.log" 2>&1 &&
		readelf -h "$tmp/st-arm64/gup_va_limit" | grep -q 'Machine: *AArch64'
	tap_ok $? "kselftest builds in the tree for arm64 (ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)"
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -isystem "$src/tools/testing/selftests" \
		-o "$tmp/gvl-static" "$TOP/configs/selftests/mm/gup_va_limit.c" >>"$tmp/st.log" 2>&1
	tap_ok $? "kselftest builds static for arm64 with -Wall -Wextra -Werror (as the test bed does)"
else
	tap_skip "arm64 builds: no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"
fi
[ -s "$tmp/st.log" ] && sed 's/^/# /' "$tmp/st.log"
if [ -x "$tmp/st-host/gup_va_limit" ]; then
	"$tmp/st-host/gup_va_limit" >"$tmp/st.tap" 2>&1
	rc=$?
	oks=$(grep -c '^ok ' "$tmp/st.tap")
	skips=$(grep '^ok .*# SKIP' "$tmp/st.tap" | grep -vc 'inside the user address space')
	# x86_64 without LA57: bits 47..55 are all non-canonical, nothing skips
	want=0
	[ "$(uname -m)" = x86_64 ] && ! grep -qw la57 /proc/cpuinfo && want=18
	pass=$(grep -c '^ok [0-9]* gup_va_limit\.bit[0-9]*\.[a-z_]*$' "$tmp/st.tap")
	tap_ok "$({ [ $rc = 0 ] || [ $rc = 4 ]; } && [ "$oks" = 18 ] && [ "$skips" = 0 ] &&
		! grep -q '^not ok' "$tmp/st.tap" && [ "$pass" -ge "$want" ] && echo 0 || echo 1)" \
		"kselftest on this host ($(uname -m)): exit $rc, 18 results, $pass pass (want >= $want), skips only inside the user VA"
	grep -q '^not ok' "$tmp/st.tap" && sed 's/^/# /' "$tmp/st.tap"
fi

# --- cover letters from results ----------------------------------------------
r=$tmp/results
run() { # NAME ACCEPTED CONFIRMED_BY LEVELS VABITS TAPFAIL
	local d=$r/vm/$K/$1
	mkdir -p "$d"
	cat >"$d/result.json" <<EOF
{"context": {"kernel_release": "$ver", "alias_accepted_above_va": "$2",
 "alias_confirmed": "$([ "$3" = none ] && echo no || echo yes)", "alias_confirmed_by": "$3",
 "alias_entry_points_accepted": "$([ "$2" = yes ] && echo vmsplice,futex || echo none)",
 "pgtable_levels_runtime": "$4", "alias_va_bits_runtime": "$5"}, "benchmarks": []}
EOF
	{ echo "TAP version 13"; echo "1..18"
	  for b in $(seq 47 55); do for t in vmsplice futex_wake; do
		if [ "$b" -lt "$6" ]; then echo "not ok 1 gup_va_limit.bit$b.$t"
		elif [ "$b" -lt "$5" ]; then echo "ok 1 gup_va_limit.bit$b.$t # SKIP inside"
		else echo "ok 1 gup_va_limit.bit$b.$t"; fi
	  done; done; } >"$d/gup_va_limit.tap"
}
run arm64-16k-52-lpa2-stock-neoverse-n1 yes vmsplice,futex 3 47 52
run arm64-16k-52-lpa2-0003-neoverse-n1 no none 3 47 0
run arm64-16k-52-lpa2-stock-max no none 4 52 0
mkdir -p "$r/answer/$K" "$r/answer/9.9"
echo '{"source": ["other 9.9"], "rows": []}' >"$r/answer/9.9/answer.json"
cat >"$r/answer/$K/answer.json" <<'EOF'
{"source": ["linux-source-test 1.2.3"], "rows": [
 {"state": "arm64-16k-52-lpa2", "cpu": "neoverse-n1", "patch": "0003",
  "static_levels": 4, "runtime_levels": 3, "effect": "semantic",
  "walk_static_delta": {"insns": 8, "loads": 0, "stores": 0, "frame": 0},
  "counts": {"gup_fast_only_1page": {"insns": 8, "loads": 0, "stores": 0, "exact": true}}},
 {"state": "arm64-16k-52-lpa2", "cpu": "max", "patch": "0001",
  "static_levels": 4, "runtime_levels": 4, "effect": "semantic",
  "walk_static_delta": {"insns": 14, "loads": -1, "stores": 1, "frame": 16},
  "counts": {"gup_fast_only_1page": {"insns": 4, "loads": -2, "stores": 1, "exact": true}}},
 {"state": "arm64-4k-39", "cpu": "max", "patch": "0001",
  "static_levels": 3, "runtime_levels": 3, "effect": "none",
  "walk_static_delta": {"insns": 0, "loads": 0, "stores": 0, "frame": 0},
  "counts": {"gup_fast_only_1page": null}}]}
EOF
out=$(KERNEL=$K OUT=$tmp/out2 RESULTS=$r "$SUB" 0003 2>&1)
tap_ok $? "make submission with results: exit 0"
c=$tmp/out2/0000-cover-letter.patch
sed 's/^/# /' "$c" | sed -n '/^# Reproducer/,/^# Test Submitter/p'
tap_ok "$(grep -q "^Kernel $ver:$" "$c" &&
	grep -E '^16k-52-lpa2 +neoverse-n1 +47 +stock +ALIAS: vmsplice,futex +FAIL bits 47-51$' "$c" >/dev/null &&
	grep -E '^16k-52-lpa2 +neoverse-n1 +47 +0003 +refused +pass 18$' "$c" >/dev/null &&
	grep -E '^16k-52-lpa2 +max +52 +stock +refused +pass 8, skip 10$' "$c" >/dev/null &&
	[ "$(sed '1,/^$/d' "$c" | awk 'length > 80' | wc -l)" = 0 ] &&
	flat "$c" | grep -q "No patch 0003 run of 16k-52-lpa2 -cpu max: \`make vm-test KERNEL=$K\`" && echo 0 || echo 1)" \
	"cover letter: alias and selftest per kernel x state x CPU, stock and fixed; a missing run names its command"
tap_ok "$(grep -q '^Source: linux-source-test 1.2.3.$' "$c" &&
	grep -E '^16k-52-lpa2 +neoverse-n1 +semantic +\+8 +\+8/\+0/\+0$' "$c" >/dev/null &&
	! grep -q '+14' "$c" && flat "$c" | grep -q 'results/answer/9.9/answer.json has no rows for 0003' &&
	echo 0 || echo 1)" \
	"cover letter: the fix's cost from each source's answer.json (its rows only, with the source)"

# --- 0001 as an RFC with the answer's table -------------------------------------
out=$(KERNEL=$K OUT=$tmp/rfc RESULTS=$r "$SUB" 0001 2>&1)
rc=$?
c=$tmp/rfc/0000-cover-letter.patch
tap_ok "$([ $rc = 0 ] && grep -q '^Subject: \[RFC PATCH 0/1\]' "$c" &&
	grep -q '^Subject: \[RFC PATCH 1/1\]' "$tmp"/rfc/0001-*.patch &&
	! ls "$tmp"/rfc/0002-* >/dev/null 2>&1 && echo 0 || echo 1)" \
	"make submission PATCH=0001: an RFC of one patch, no kselftest (exit $rc)"
tap_ok "$(grep -E '^16k-52-lpa2 +4 +max +0001 +semantic +\+4/-2/\+1$' "$c" >/dev/null &&
	grep -E '^4k-39 +3 +max +0001 +none +not measured$' "$c" >/dev/null && echo 0 || echo 1)" \
	"RFC cover letter: the answer's per-state table, 'not measured' where it is"
tap_done
