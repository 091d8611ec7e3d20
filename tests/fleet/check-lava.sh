#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-lava.sh [STATE] [PATCH] [CPU]: a real LAVA dispatcher run of one
# gupbench job, end to end, TAP style:
#  - make lava-jobs writes the job (and its artifacts) for the run;
#  - lava-run (Debian's lava-dispatcher) deploys the kernel and the suite's
#    initramfs, boots it under QEMU, and its monitors action turns the
#    guest's TAP lines into LAVA test cases: every one passes or skips;
#  - the collector gets the result through LAVA's REST API path
#    (/api/v0.2/jobs/<id>/ and .../logs/, served here from the
#    dispatcher's own log by a local HTTP server standing in for
#    lava-server) into results/lava/<job>/, and its result.json is a
#    gupbench result that `make compare` reads.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gupbench}
PY=${SYSPYTHON:-/usr/bin/python3}
RESULTS=${RESULTS:-$TOP/results}
state=${1:-arm64-16k-52-lpa2}
patch=${2:-0001}
cpu=${3:-max}
work=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"
TAP_PREFIX=lava
ok() { tap_ok "$@"; }

command -v lava-run >/dev/null || { echo "1..0 # SKIP lava-run missing (make deps-fleet)"; exit 4; }
# lava-server's device-type templates, without a server: dpkg -x
tpl=$CACHE/lava/device-types
if [ ! -f "$tpl/qemu.jinja2" ]; then
	mkdir -p "$CACHE/lava/deb" && (cd "$CACHE/lava/deb" && apt-get download lava-server >/dev/null 2>&1)
	dpkg -x "$CACHE"/lava/deb/lava-server_*.deb "$CACHE/lava/x" &&
		cp -r "$CACHE/lava/x/usr/share/lava-server/device-types" "$tpl"
fi
[ -f "$tpl/qemu.jinja2" ]
ok $? "lava-server's qemu device type ($tpl)"

RESULTS=$work/res LAVA_STATES=$state LAVA_PATCHES=$patch LAVA_DEVICE_TYPES=qemu \
	"$TOP/scripts/fleet/lava-jobs.sh" >"$work/jobs.out" 2>"$work/jobs.err"
ok $? "make lava-jobs for $state $patch ($(tail -1 "$work/jobs.err"))"
pid=$([ "$patch" = none ] && echo stock || echo "$patch")
job=$(grep -- "-$cpu.yaml\$" "$work/jobs.out" | head -1)
[ -n "$job" ] || { ok 1 "a job for -cpu $cpu in $(cat "$work/jobs.out")"; tap_done; }
"$PY" -m gupb lava device --job "$job" --out "$work/device.yaml" \
	--templates "$tpl" >/dev/null
ok $? "device dictionary rendered with the job's context"
mkdir -p "$work/out"
start=$(date +%s)
# lava-run logs its entries (one JSON object per line) on stderr
lava-run --job-id 4242 --output-dir "$work/out" --device "$work/device.yaml" "$job" \
	>"$work/job.log" 2>&1
rc=$?
mkdir -p "$RESULTS/lava/check"
cp "$job" "$work/job.log" "$RESULTS/lava/check/"
ok $rc "lava-run finished the job ($(( $(date +%s) - start ))s; exit $rc)"
grep -q '"case": "job", "definition": "lava", "result": "pass"' "$work/job.log"
ok $? "LAVA says the job passed"
cases=$(grep -c '"definition": "gupbench"' "$work/job.log")
fails=$(grep '"definition": "gupbench"' "$work/job.log" | grep -c '"result": "fail"')
[ "$cases" -gt 10 ] && [ "$fails" = 0 ]
ok $? "the monitors action made $cases test cases of the guest's TAP lines, $fails failed"

# The collector, through the REST API paths a lab serves.
api=$work/api/api/v0.2/jobs/4242
mkdir -p "$api/logs"
echo '{"id": 4242, "state": "Finished", "health": "Complete"}' >"$api/index.html"
# the server stores the dispatcher's entries as a YAML list
sed 's/^/- /' "$work/job.log" >"$api/logs/index.html"
port=$((20000 + RANDOM % 20000))
(cd "$work/api" && exec "$PY" -m http.server "$port" --bind 127.0.0.1) >/dev/null 2>&1 &
srv=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
	sleep 0.5
done
"$PY" -m gupb lava collect --url "http://127.0.0.1:$port" \
	--out "$work/res/lava" 4242 >"$work/collect.out" 2>&1
rc=$?
# exit 1: collected, and the guest's tests failed (counted above)
[ $rc -le 1 ] && grep -q '"tap_lines"' "$work/collect.out"
ok $? "gupb lava collect through /api/v0.2/jobs/4242/logs/: $(tail -1 "$work/collect.out")"
res=$work/res/lava/4242/results/result.json
"$PY" - "$res" "$state" "$pid" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["context"]
assert c.get("gupbench_schema"), "no gupbench_schema"
assert c.get("kernel_fragment") == sys.argv[2], c.get("kernel_fragment")
runs = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
assert runs, "no benchmark runs"
PYEOF
ok $? "results/lava/4242/results/result.json is the gupbench result of $state"
"$PY" -m gupb compare -q --no-plots -o "$work/cmp" "$res" "$res" >/dev/null 2>&1
ok $? "make compare reads it"
[ -n "${KEEP_LAVA:-}" ] && cp -r "$work/res/lava/4242" "$KEEP_LAVA"
tap_done
