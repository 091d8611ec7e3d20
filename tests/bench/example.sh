#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# example.sh: adding a workload touches one new file. Builds gupbench with
# tests/bench/wl_example.c linked in (nothing else changed) and checks that
# the suite lists it, sweeps its scoped option, runs it, that its result
# carries the measured counter next to its claim_ twin, equal within the
# prover's tolerance, and that its probe hook puts it in the alias check. TAP. Needs
# BUILDDIR, BCC, BCXX, BENCH_CFLAGS, BENCH_LDFLAGS, BENCH_LDLIBS from
# bench/bench.mk.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=${SYSPYTHON:-/usr/bin/python3}
work=$(mktemp -d /var/tmp/gupbench-example.XXXXXX)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=example
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
bin=$work/gupbench-example
prof=(--profile-dir "$work/prof")

$BCC $BENCH_CFLAGS -c -o "$work/wl_example.o" "$TOP/tests/bench/wl_example.c" &&
	$BCXX $BENCH_LDFLAGS -o "$bin" "$BUILDDIR/obj/main.o" "$work/wl_example.o" \
		-Wl,--whole-archive "$BUILDDIR/libgupb.a" -Wl,--no-whole-archive \
		$BENCH_LDLIBS >"$work/build.log" 2>&1
tap_ok $? "gupbench builds with wl_example.c added and no other change $(tail -3 "$work/build.log")"

mkdir -p "$work/prof" "$work/res"
cat >"$work/prof/ex.conf" <<'CONF'
repetitions = 2
min_time = 0.002
sizes = 4k, 64k
backings = anon, shmem
layouts = inside
example.writes = 1, 2
CONF

"$bin" --list-workloads >"$work/wl.out" 2>&1
tap_ok "$(grep -q '^example ' "$work/wl.out" &&
	grep -q '^  example.writes = 1: ' "$work/wl.out"; echo $?)" \
	"--list-workloads lists it and its scoped key"
"$TOP/build/$(uname -m)/gupbench" --list-workloads >"$work/wl0.out" 2>&1
tap_ok "$(! grep -q '^example ' "$work/wl0.out"; echo $?)" \
	"the suite's own gupbench does not have it (it is the test's)"

"$bin" "${prof[@]}" --profile ex --list --filter '^example_' >"$work/list.out" 2>&1
tap_ok "$([ "$(grep -c '^example_write_devnull/' "$work/list.out")" = 8 ] &&
	grep -qx 'example_write_devnull/backing:shmem/bytes:65536/writes:2/real_time' "$work/list.out"
	echo $?)" "sweep: backings x sizes x example.writes, named family/key:value ($(grep -c '^example_' "$work/list.out") benchmarks)"

"$bin" "${prof[@]}" --profile ex --filter '^example_' --out "$work/res/ex.json" \
	>"$work/run.out" 2>&1
tap_ok $? "runs (exit 0)"
# The contract: every measured counter with a claim_ twin matches it (the
# prover's tolerance); a busy machine may make a proof inconclusive (skip).
"$PY" - "$work/res/ex.json" "$TOP" >"$work/check.out" 2>&1 <<'PYEOF'
import json, os, sys
from gupb import schema as gupb_schema  # the one pin tolerance (contract/gupbench.json)
doc = json.load(open(sys.argv[1]))
runs = [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
bad, measured, claimed = [], 0, 0
for b in runs:
    msg = b.get("error_message", "") or b.get("skip_message", "")
    if b.get("error_occurred") or b.get("skipped"):
        if "busy machine" not in msg:
            bad.append("%s: %s" % (b["name"], msg))
        continue
    measured += 1
    for k, want in b.items():
        if not k.startswith("claim_"):
            continue
        claimed += 1
        got = b.get(k[len("claim_"):])
        if not gupb_schema.claim_holds(k[len("claim_"):], got, want):
            bad.append("%s %s=%s claimed %s" % (b["name"], k[6:], got, want))
print("%d runs, %d measured, %d claims checked; bad: %s" %
      (len(runs), measured, claimed, bad[:3]))
sys.exit(0 if runs and not bad and claimed == measured else 1)
PYEOF
tap_ok $? "each run's pins_per_iter matches its claim_pins_per_iter: $(cat "$work/check.out")"

# Its probe hook: the alias check tries it, with no edit in the check.
"$bin" --profile smoke --list --filter '^alias/' >"$work/alias.out" 2>&1
tap_ok "$(tail -1 "$work/alias.out" | grep -q '^alias/entry:example/' &&
	grep -q '^alias/entry:vmsplice/' "$work/alias.out"; echo $?)" \
	"the alias check lists alias/entry:example after the suite's entries ($(grep -c '^alias/' "$work/alias.out") entries)"
"$bin" --profile smoke --filter '^alias/entry:(example|vmsplice)/' --out "$work/res/alias.json" \
	>"$work/alias-run.out" 2>&1
"$PY" - "$work/res/alias.json" >"$work/alias-check.out" 2>&1 <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
b = {x["name"].split("/")[1]: x for x in doc["benchmarks"]}
ex, ctx = b.get("entry:example", {}), doc["context"]
print("example: baseline_ok=%s probes=%s accepted=%s; not checked: %s" %
      (ex.get("baseline_ok"), ex.get("probes"), ex.get("accepted"),
       ctx.get("alias_entry_points_not_checked")))
sys.exit(0 if ex.get("baseline_ok") == 1 and ex.get("probes", 0) > 0 and
         "accepted" in ex and
         "example" not in ctx.get("alias_entry_points_not_checked", "example")
         else 1)
PYEOF
tap_ok $? "the alias check probed it: $(cat "$work/alias-check.out")"

printf 'repetitions = 1\nmin_time = 0.002\nsizes = 4k\nbackings = anon\nlayouts = inside\nexample.writes = 9\n' >"$work/prof/bad.conf"
"$bin" "${prof[@]}" --profile bad --list >"$work/bad.out" 2>&1
rc=$?
tap_ok "$([ $rc = 2 ] && grep -q "line 6: bad value for example.writes: '9'" "$work/bad.out"; echo $?)" \
	"a bad value of its key exits 2 with the line (exit $rc)"
sed -i 's/^example.writes = 9/example.bogus = 1/' "$work/prof/bad.conf"
"$bin" "${prof[@]}" --profile bad --list >"$work/bad.out" 2>&1
rc=$?
tap_ok "$([ $rc = 2 ] && grep -q "unknown key 'example.bogus' (workload example has: example.writes)" "$work/bad.out"; echo $?)" \
	"an unknown key of it exits 2, naming the valid ones (exit $rc)"

tap_done
