// SPDX-License-Identifier: GPL-2.0
/*
 * contract.c - the result contract's tables (contract.h): every counter
 * with its unit and how a claim on it is checked, the context keys, the
 * name keys. gupbench --describe writes them, with the workloads'
 * families, to contract/gupbench.json, which analysis/gupb_schema.py
 * loads and the docs' tests read: this is the one place they are written.
 */
#include <stddef.h>

#include "base/contract.h"
#include "base/schema.h"

const char *const gupb_walk_variants[] = {
	[GUPB_VARIANT_LIVE] = "live", [GUPB_VARIANT_STACK] = "stack",
	[GUPB_VARIANT_GENERIC] = "generic", NULL
};

const char *const gupb_contract_keys[] = {
	GUPB_KEY_BACKING,
	GUPB_KEY_LAYOUT,
	GUPB_KEY_BYTES,
	GUPB_KEY_QD,
	GUPB_KEY_ENTRY,
	GUPB_KEY_PAGES,
	GUPB_KEY_VARIANT,
	GUPB_KEY_CONTENTION,
	NULL
};

/*
 * A name with <...> is a template: the names it stands for follow (the
 * results carry those).
 */
const struct gupb_counter_desc gupb_contract_counters[] = {
	{ GUPB_CTR_PINS_PER_ITER, "pins per iteration", GUPB_CHECK_VMSTAT, NULL },
	{ GUPB_CTR_GUP_PER_ITER, "GUP-fast calls per iteration", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ZERO_COPY, "bool", GUPB_CHECK_EXACT, NULL },
	{ "pmu_<event>_<u|k>", "events per iteration", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_PMU_CYCLES "_u", GUPB_CTR_PMU_CYCLES "_k", GUPB_CTR_PMU_INSTRUCTIONS "_u", GUPB_CTR_PMU_INSTRUCTIONS "_k", GUPB_CTR_PMU_L1D_MISSES "_u", GUPB_CTR_PMU_L1D_MISSES "_k", GUPB_CTR_PMU_DTLB_MISSES "_u", GUPB_CTR_PMU_DTLB_MISSES "_k", GUPB_CTR_PMU_BRANCH_MISSES "_u", GUPB_CTR_PMU_BRANCH_MISSES "_k", NULL } },
	{ GUPB_CTR_SW_TASK_CLOCK_NS, "ns per iteration", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_SW_PAGE_FAULTS, "events per iteration", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_SW_CONTEXT_SWITCHES, "events per iteration", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_NS_MIN, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_NS_P50, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_NS_P90, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_NS_P99, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_NS_MAX, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CALLS, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_PAGES_PER_CALL, "pages per call", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_SHORT_RETURNS, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_PINS_PER_CALL, "pins per call", GUPB_CHECK_VMSTAT, NULL },
	{ GUPB_CTR_CLOCK_VS_KTIME, "ratio", GUPB_CHECK_EXACT, NULL },
	{ "kpmu_<event>", "events per call", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_KPMU_CYCLES, GUPB_CTR_KPMU_INSTRUCTIONS, GUPB_CTR_KPMU_L1D_MISSES, GUPB_CTR_KPMU_DTLB_MISSES, NULL } },
	{ GUPB_CTR_CHURN_ROUNDS, "rounds per second", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_DELTA_VS_LIVE_NS, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_DELTA_CI95_LO_NS, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_DELTA_CI95_HI_NS, "ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_DELTA_PAIRS, "count", GUPB_CHECK_EXACT, NULL },
	{ "walk_delta_<v>_vs_live", "clock units per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_DELTA_STACK_VS_LIVE, GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE, NULL } },
	{ "walk_delta_<v>_vs_live_ci95_lo", "clock units per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_LO, GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_LO, NULL } },
	{ "walk_delta_<v>_vs_live_ci95_hi", "clock units per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_HI, GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_HI, NULL } },
	{ "walk_<v>", "clock units per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_LIVE, GUPB_CTR_WALK_STACK, GUPB_CTR_WALK_GENERIC, NULL } },
	{ GUPB_CTR_WALK_BATCH, "walks per batch", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_CLOCK_PMU_CYCLES, "bool", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_CLOCK_PER_NS, "clock units per ns", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_WALK_ROUNDS_DROPPED, "count", GUPB_CHECK_EXACT, NULL },
	{ "walk_insns_<v>", "instructions per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_INSNS_LIVE, GUPB_CTR_WALK_INSNS_STACK, GUPB_CTR_WALK_INSNS_GENERIC, NULL } },
	{ "walk_insns_delta_<v>_vs_live", "instructions per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_INSNS_DELTA_STACK_VS_LIVE, GUPB_CTR_WALK_INSNS_DELTA_GENERIC_VS_LIVE, NULL } },
	{ "walk_loads_<v>", "loads per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_LOADS_LIVE, GUPB_CTR_WALK_LOADS_STACK, GUPB_CTR_WALK_LOADS_GENERIC, NULL } },
	{ "walk_loads_delta_<v>_vs_live", "loads per walk", GUPB_CHECK_EXACT,
	  (const char *const[]){ GUPB_CTR_WALK_LOADS_DELTA_STACK_VS_LIVE, GUPB_CTR_WALK_LOADS_DELTA_GENERIC_VS_LIVE, NULL } },
	{ GUPB_CTR_KPMU_LOADS, "loads per call", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_KPMU_LOADS_EVENT, "PMU event number", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CHURN_WRITES, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CHURN_SAME_LINE, "bool", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CHURN_READS, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CHURN_SEEN, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_RELOAD_CHECKS, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_RELOAD_MISMATCH, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_CALLS_PER_ITER, "calls per iteration", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_GUP_TEST_VS_KMOD, "ratio", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_GUP_TEST_VS_KMOD_SWEEPS, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_VA_BITS, "bits", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_PROBES, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ACCEPTED, "count", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ACCEPTED_MIN_BIT, "bit, -1 none", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ACCEPTED_MAX_BIT, "bit, -1 none", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ACCEPTED_TOP, "bool", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ALIAS_CHECKABLE, "bool", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_ALIAS_CONFIRMED, "bool", GUPB_CHECK_EXACT, NULL },
	{ GUPB_CTR_BASELINE_OK, "bool", GUPB_CHECK_EXACT, NULL },
	{ NULL }
};

const char *const gupb_contract_context_required[] = {
	GUPB_CTX_SCHEMA,
	GUPB_CTX_VERSION,
	GUPB_CTX_PROFILE,
	GUPB_CTX_KERNEL_RELEASE,
	GUPB_CTX_KERNEL_VERSION,
	GUPB_CTX_ARCH,
	GUPB_CTX_PAGE_SIZE,
	GUPB_CTX_CONFIG_SOURCE,
	GUPB_CTX_CONFIG_PGTABLE_LEVELS,
	GUPB_CTX_CONFIG_VA_BITS,
	GUPB_CTX_CONFIG_PAGE_SHIFT,
	GUPB_CTX_CONFIG_LPA2,
	GUPB_CTX_THP_ENABLED,
	GUPB_CTX_THP_DEFRAG,
	GUPB_CTX_HUGETLB_FREE_PAGES,
	GUPB_CTX_HUGETLB_PAGE_SIZE_KB,
	GUPB_CTX_CPU_MODEL,
	GUPB_CTX_CPU_MIDR,
	GUPB_CTX_CMDLINE,
	GUPB_CTX_HW_COUNTERS,
	GUPB_CTX_ODIRECT_TARGET,
	GUPB_CTX_EMULATED,
	GUPB_CTX_KMOD,
	GUPB_CTX_PGTABLE_L4_ENABLED,
	GUPB_CTX_PGTABLE_L5_ENABLED,
	NULL
};

const char *const gupb_contract_context_optional[] = {
	GUPB_CTX_PGTABLE_LEVELS_RUNTIME,
	GUPB_CTX_KERNEL_PACKAGE,
	GUPB_CTX_KERNEL_BUILD,
	GUPB_CTX_KERNEL_PATCH,
	GUPB_CTX_CPU_LA57,
	GUPB_CTX_NOT_RUN,
	GUPB_CTX_KMOD_WALK_VARIANTS,
	GUPB_CTX_KMOD_VARIANTS_DIFFER,
	GUPB_CTX_KMOD_FOLDED_HELPER,
	GUPB_CTX_KMOD_CLOCK,
	GUPB_CTX_KMOD_VA_BITS,
	GUPB_CTX_ALIAS_ACCEPTED_ABOVE_VA,
	GUPB_CTX_ALIAS_CONFIRMED,
	GUPB_CTX_ALIAS_CONFIRMED_BY,
	GUPB_CTX_ALIAS_ENTRY_POINTS_ACCEPTED,
	GUPB_CTX_ALIAS_ENTRY_POINTS_NOT_CHECKED,
	GUPB_CTX_ALIAS_KWALK_ACCEPTED,
	GUPB_CTX_ALIAS_PROBE_BITS,
	GUPB_CTX_ALIAS_VA_BITS_RUNTIME,
	GUPB_CTX_ALIAS_VA_BITS_SOURCE,
	GUPB_CTX_ALIAS_VA_BITS_KMOD,
	GUPB_CTX_HOST_LOADAVG_START,
	GUPB_CTX_HOST_NCPUS,
	GUPB_CTX_HOST_CPUFREQ_GOVERNOR,
	GUPB_CTX_HOST_STEAL_PCT,
	NULL
};

/*
 * Set only from outside: by the test bed (gupbench --context KEY=VALUE), or
 * by scripts/bench.sh once the run is over (host_loadavg_end).
 */
const char *const gupb_contract_context_testbed[] = {
	"kernel_fragment",
	"qemu_cpu",
	"host_loadavg_end",
	"kernel_source",
	"kernel_source_version",
	NULL
};
