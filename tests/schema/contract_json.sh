#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# contract_json.sh: contract/gupbench.json is what `gupbench --describe`
# writes from the C tables today (make contract regenerates it), and
# analysis/gupb/schema.py's tables are the file's (no hand copy). TAP.
# Needs GUPBENCH (default: build/<arch>/gupbench).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/build/$(uname -m)/gupbench}
PY=${SYSPYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_PREFIX=contract-json
# shellcheck source=../tap.sh
. "$TOP/tests/tap.sh"

"$GUPBENCH" --describe >"$work/now.json" 2>"$work/err"
tap_ok $? "gupbench --describe exits 0 $(head -c 200 "$work/err")"
diff -u "$TOP/contract/gupbench.json" "$work/now.json" >"$work/diff"
tap_ok $? "contract/gupbench.json is up to date (make contract)$(head -20 "$work/diff" | sed 's/^/\n# /' | tr -d '\n' | head -c 900)"
"$PY" - "$work/now.json" "$TOP" >"$work/py.out" 2>&1 <<'PYEOF'
import json, os, sys
from gupb import schema as g
d = json.load(open(sys.argv[1]))
bad = []
if g.SCHEMA_VERSION != d["schema_version"] or g.CLAIM_PREFIX != d["claim_prefix"]:
    bad.append("version/prefix")
if list(g.PARAM_KEYS) != d["keys"]:
    bad.append("keys")
if {k: (v["unit"], v["check"]) for k, v in d["counters"].items()} != \
        {k: (c.unit, c.check) for k, c in g.COUNTERS.items()}:
    bad.append("counters")
if {k: v["names"] for k, v in d["counters"].items() if "names" in v} != g.TEMPLATES:
    bad.append("templates")
if (g.REQUIRED_CONTEXT, g.OPTIONAL_CONTEXT, g.TESTBED_CONTEXT) != \
        (d["context"]["required"], d["context"]["optional"], d["context"]["testbed"]):
    bad.append("context")
if g.FAMILIES != sorted({f["family"] for f in d["families"]}):
    bad.append("families")
if g.PIN_TOLERANCE != d["pin_tolerance"]:
    bad.append("pin tolerance")
print("%d counters, %d families, %d context keys; differ: %s" % (
    len(g.COUNTERS), len(g.FAMILIES), len(g.CONTEXT), bad or "none"))
sys.exit(1 if bad else 0)
PYEOF
tap_ok $? "analysis/gupb/schema.py's tables are the contract's: $(cat "$work/py.out" | tail -3)"
tap_done
