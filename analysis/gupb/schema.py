# SPDX-License-Identifier: GPL-2.0
"""The gupbench result contract, written once (issue 11, step 3).

Standard library only: tests/ imports it with any python3.

- SCHEMA_VERSION: the context's `gupbench_schema`.
- The benchmark-name grammar: parse() and build(), round trip exact.
- COUNTERS: every counter a benchmark may report, with its unit and how a
  claim on it is checked (claim_holds()).
- CONTEXT: every context key gupbench writes; REQUIRED_CONTEXT the ones
  every result has.
- The claim rule: a benchmark writes what it claims next to the measured
  counter, as `claim_<counter>` (CLAIM_PREFIX); claims() reads them, and
  falls back to FALLBACK_CLAIMS for results written before the C side
  wrote claims. check_claims() compares measured with claimed.

The tables (schema version, claim prefix, name keys, counters with their
units, context keys, families, the pin tolerance) are not written here:
they are loaded from contract/gupbench.json, which `gupbench --describe`
writes from the C tables (bench/base/contract.c, the workloads' family
tables); tests/schema/contract_json.sh fails when the file is stale.
results/README.md and bench/WORKLOADS.md are checked against this module
by tests/schema/docs.py.
"""
import fnmatch
import json
import os
import re
from collections import namedtuple

CONTRACT_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "contract", "gupbench.json")
with open(CONTRACT_PATH) as _f:
    CONTRACT = json.load(_f)
SCHEMA_VERSION = CONTRACT["schema_version"]
CLAIM_PREFIX = CONTRACT["claim_prefix"]

# ---- benchmark names --------------------------------------------------------
#
#   name    = family *("/" key ":" value) *("/" run)
#   family  = [a-z][a-z0-9_]*          odirect_read, futex_wake_private_ctl
#   key     = [a-z][a-z0-9_]*          backing, layout, bytes, qd, pages, ...
#   value   = 1*(any but "/", ":", space)
#   run     = Google Benchmark's own segments, in its order (its
#             benchmark_name.cc): min_time:X, min_warmup_time:X,
#             iterations:N, repeats:N, process_time, real_time or
#             manual_time, threads:N
#
# e.g. odirect_read/backing:anon/layout:inside/bytes:4096/real_time,
#      alias/entry:futex/iterations:1/repeats:1/manual_time.
# An aggregate entry's name is its run name + "_" + aggregate (mean, ...).
# A family whose name ends in "_ctl" is a control: the same syscall
# without GUP.
FAMILY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
VALUE_RE = re.compile(r"[^/:\s]+\Z")
RUN_ORDER = ("min_time:", "min_warmup_time:", "iterations:", "repeats:",
             "process_time", "real_time", "manual_time", "threads:")
RUN_KEYS = tuple(o[:-1] for o in RUN_ORDER if o.endswith(":"))
AGGREGATES = ("mean", "median", "stddev", "cv")
# The parameter keys gupbench names use (bench/base/schema.h GUPB_KEY_*).
PARAM_KEYS = tuple(CONTRACT["keys"])
CONTROL_SUFFIX = "_ctl"


class Name(namedtuple("Name", "family params run")):
    """A parsed benchmark name: family, params ((key, value), ... in
    order), run (Google Benchmark's trailing segments, verbatim)."""
    __slots__ = ()

    def get(self, key, default=None):
        for k, v in self.params:
            if k == key:
                return v
        return default

    @property
    def base(self):
        """The name without Google Benchmark's run segments."""
        return build(self.family, self.params)

    @property
    def time_kind(self):
        """real_time / manual_time (measured in real time) or cpu_time."""
        for r in self.run:
            if r in ("real_time", "manual_time"):
                return r
        return "cpu_time"

    @property
    def is_control(self):
        return self.family.endswith(CONTROL_SUFFIX)

    def __str__(self):
        return build(self.family, self.params, self.run)


def parse(name):
    """Name of a benchmark run name; ValueError when it breaks the grammar."""
    segs = name.split("/")
    family, rest = segs[0], segs[1:]
    if not FAMILY_RE.match(family):
        raise ValueError("%r: bad family %r" % (name, family))
    params, run, i = [], [], 0
    while i < len(rest):
        k, sep, v = rest[i].partition(":")
        if not sep or k in RUN_KEYS:
            break
        if not (KEY_RE.match(k) and VALUE_RE.match(v)):
            raise ValueError("%r: bad parameter %r" % (name, rest[i]))
        if any(k == p for p, _ in params):
            raise ValueError("%r: parameter %r twice" % (name, k))
        params.append((k, v))
        i += 1
    order, last = RUN_ORDER, -1
    for seg in rest[i:]:
        pos = next((j for j, o in enumerate(order)
                    if seg == o or (o.endswith(":") and seg.startswith(o)
                                    and VALUE_RE.match(seg[len(o):]))),
                   None)
        if pos is None or pos <= last:
            raise ValueError("%r: bad or misplaced segment %r" % (name, seg))
        last = pos
        run.append(seg)
    return Name(family, tuple(params), tuple(run))


def build(family, params=(), run=()):
    """The benchmark name of family + ordered (key, value) params (+ run
    segments); ValueError on a part the grammar refuses."""
    if not FAMILY_RE.match(family):
        raise ValueError("bad family %r" % family)
    segs = [family]
    for k, v in params:
        v = str(v)
        if not (KEY_RE.match(k) and VALUE_RE.match(v)) or k in RUN_KEYS:
            raise ValueError("bad parameter %r:%r" % (k, v))
        segs.append("%s:%s" % (k, v))
    return "/".join(segs + list(run))


def run_name(entry):
    """The run name of a result entry (an aggregate's name carries a
    _mean/_median/... suffix; its run_name does not)."""
    if "run_name" in entry:
        return entry["run_name"]
    name = entry["name"]
    if entry.get("run_type") == "aggregate":
        suffix = "_" + entry.get("aggregate_name", "")
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


def family(name):
    """The family of a name; for a name outside the grammar (an older or
    foreign result), its first segment, so analysis can still group it."""
    try:
        return parse(name).family
    except ValueError:
        return name.split("/")[0]


def base(name):
    """A name without Google Benchmark's run segments (a name outside
    the grammar: unchanged)."""
    try:
        return parse(name).base
    except ValueError:
        return name


def time_kind(name):
    """Which time a benchmark declares as its measure (Google Benchmark
    names UseRealTime/UseManualTime benchmarks .../real_time and
    .../manual_time, both reported in real_time; others measure CPU
    time)."""
    try:
        return parse(name).time_kind
    except ValueError:
        last = name.rsplit("/", 1)[-1]
        return last if last in ("real_time", "manual_time") else "cpu_time"


# Google Benchmark's time_unit, in nanoseconds: the one table of them.
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


# ---- outcome of a run -------------------------------------------------------
#
# A run that did not measure says why. libbenchmark 1.7.1 (Debian 12) has
# only SkipWithError: "error_occurred": true and an error_message
# "skipped: <reason>" or "error: <reason>". From 1.8 a skip is Google's
# own ("skipped": true, "skip_message": "<reason>"); errors stay errors.
SKIP_PREFIX = "skipped: "
ERROR_PREFIX = "error: "
# A proof that other pinning on the machine made inconclusive (a skip).
BUSY_REASON = "cannot prove the path on a busy machine"


def outcome(entry):
    """(kind, reason) of a result entry: ("measured", None),
    ("skipped", reason) or ("error", reason); reason is "" when the entry
    gives none (itself a defect: every skip and error says why)."""
    if entry.get("skipped"):
        return "skipped", entry.get("skip_message", "").strip()
    if not entry.get("error_occurred"):
        return "measured", None
    msg = entry.get("error_message", "")
    for kind, prefix in (("skipped", SKIP_PREFIX), ("error", ERROR_PREFIX)):
        if msg.startswith(prefix):
            return kind, msg[len(prefix):].strip()
    return "error", ""


def measured(entry):
    return outcome(entry)[0] == "measured"


# ---- counters ---------------------------------------------------------------
#
# unit: what one value is. check: how a claim on it is compared
# (claim_holds): "vmstat" for counts read from the global /proc/vmstat
# (other processes' pins only add), "exact" for what the benchmark
# observes itself.
Counter = namedtuple("Counter", "unit check")
# The module's walk variants (kmod/uapi/gupbench.h GUPB_VARIANT_*).
WALK_VARIANTS = tuple(CONTRACT["walk_variants"])
COUNTERS = {k: Counter(v["unit"], v["check"])
            for k, v in CONTRACT["counters"].items()}
# A template (pmu_<event>_<u|k>) and the names it stands for.
TEMPLATES = {k: v["names"] for k, v in CONTRACT["counters"].items()
             if "names" in v}
# Fields of a benchmark entry that Google Benchmark writes: not counters.
GB_FIELDS = {"name", "run_name", "run_type", "family_index",
             "per_family_instance_index", "repetitions", "repetition_index",
             "threads", "iterations", "real_time", "cpu_time", "time_unit",
             "aggregate_name", "aggregate_unit", "label", "error_occurred",
             "error_message", "skipped", "skip_message", "bytes_per_second",
             "items_per_second"}


def counter_names():
    """Every concrete counter name (templates expanded)."""
    out = []
    for k in COUNTERS:
        out += TEMPLATES.get(k, [k])
    return out


def counter(name):
    """The Counter of a counter name, or None when the schema has none."""
    if name in COUNTERS:
        return COUNTERS[name]
    for t, names in TEMPLATES.items():
        if name in names:
            return COUNTERS[t]
    return None


def is_claim(key):
    return key.startswith(CLAIM_PREFIX)


def measured_counters(entry):
    """{name: value} of an entry's numeric counters, claims left out."""
    return {k: v for k, v in entry.items()
            if k not in GB_FIELDS and not is_claim(k)
            and isinstance(v, (int, float)) and not isinstance(v, bool)}


# ---- context ----------------------------------------------------------------
# Keys gupbench writes (all strings); results/README.md explains each.
REQUIRED_CONTEXT = CONTRACT["context"]["required"]
OPTIONAL_CONTEXT = CONTRACT["context"]["optional"]
# Set only from outside, by the test bed (gupbench --context KEY=VALUE).
TESTBED_CONTEXT = CONTRACT["context"]["testbed"]
CONTEXT = REQUIRED_CONTEXT + OPTIONAL_CONTEXT + TESTBED_CONTEXT
# Google Benchmark's own context keys (not gupbench's to document).
GB_CONTEXT = ["date", "host_name", "executable", "num_cpus", "mhz_per_cpu",
              "cpu_scaling_enabled", "caches", "load_avg",
              "library_build_type"]
HW_COUNTERS_RE = re.compile(r"(available|partial: |unavailable: )")

# ---- families and claims -------------------------------------------------
#
# A claim is what a benchmark proves it did per iteration (or per call).
# From the C side on, each benchmark writes it next to the measured
# counter: pins_per_iter and claim_pins_per_iter. Results written before
# that carry no claim_* counter; for them, FALLBACK_CLAIMS says what each
# family claims, as a function of the name and the page size.


def _pages(n, page):
    if n.get("pages") is not None:
        return int(n.get("pages"))
    return int(n.get("bytes", "0")) // page


FALLBACK_CLAIMS = {
    "odirect_read": {"pins_per_iter": lambda n, p: _pages(n, p)},
    "odirect_write": {"pins_per_iter": lambda n, p: _pages(n, p)},
    "odirect_read_buffered_ctl": {"pins_per_iter": lambda n, p: 0},
    "odirect_write_buffered_ctl": {"pins_per_iter": lambda n, p: 0},
    "iouring_read": {"pins_per_iter":
                     lambda n, p: _pages(n, p) * int(n.get("qd", "1"))},
    "iouring_write": {"pins_per_iter":
                      lambda n, p: _pages(n, p) * int(n.get("qd", "1"))},
    "iouring_read_fixed_ctl": {"pins_per_iter": lambda n, p: 0},
    "iouring_write_fixed_ctl": {"pins_per_iter": lambda n, p: 0},
    "iouring_register": {"pins_per_iter": lambda n, p: _pages(n, p)},
    "futex_wake_shared": {"gup_per_iter": lambda n, p: 1},
    "futex_wake_private_ctl": {"gup_per_iter": lambda n, p: 0},
    "vmsplice": {"zero_copy": lambda n, p: 1},
    "vmsplice_write_ctl": {"zero_copy": lambda n, p: 0},
    "kmod_pin_fast": {"pins_per_call": lambda n, p: _pages(n, p)},
    "kmod_pin_longterm": {"pins_per_call": lambda n, p: _pages(n, p)},
}
# Every family the suite registers (user space, module, gup_test, alias).
FAMILIES = sorted({f["family"] for f in CONTRACT["families"]})
# The pin tolerance of "vmstat" counters (claim_holds).
PIN_TOLERANCE = CONTRACT["pin_tolerance"]


def known_family(pattern):
    """The known families a family name or glob (odirect_*_ctl) names."""
    return fnmatch.filter(FAMILIES, pattern)


def claims(entry, page_size):
    """{counter: claimed value} of one measured entry: its claim_*
    counters when it has any, else the family's FALLBACK_CLAIMS."""
    own = {k[len(CLAIM_PREFIX):]: v for k, v in entry.items()
           if is_claim(k) and isinstance(v, (int, float))}
    if own:
        return own
    n = parse(run_name(entry))
    return {k: f(n, page_size)
            for k, f in FALLBACK_CLAIMS.get(n.family, {}).items()}


def claim_holds(name, got, want):
    """Does measured value got meet the claim want on counter name?

    - "vmstat" counters (pins from the global /proc/vmstat, where other
      processes' pins only add): PIN_TOLERANCE, the C side's (its
      gupb_pins_match()): a claim of 0 holds for got < zero_below, any
      other for lo * want <= got <= hi * want + hi_add;
    - every other counter (exact: the benchmark observed it itself):
      got == want.
    A missing measurement (got None) never holds."""
    if got is None:
        return False
    c = counter(name)
    if c is not None and c.check == "vmstat":
        t = PIN_TOLERANCE
        return got < t["zero_below"] if want == 0 else \
            t["lo"] * want <= got <= t["hi"] * want + t["hi_add"]
    return got == want


def check_claims(entry, page_size):
    """Problems of one measured entry against its claims, as text (empty:
    every claim holds)."""
    bad = []
    for k, want in sorted(claims(entry, page_size).items()):
        got = entry.get(k)
        if not claim_holds(k, got, want):
            bad.append("%s %s=%s claimed %s" % (run_name(entry), k, got,
                                                 want))
    return bad


def has_claims(entry):
    return any(is_claim(k) for k in entry)
