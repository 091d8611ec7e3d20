/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schema.h - the result contract's names: counters, context keys, name
 * keys, the claim prefix. One line per name, greppable; writers use these
 * macros, never a literal. Units and how a claim is checked are in
 * contract.c, whose tables gupbench --describe writes, with the
 * workloads' families, to contract/gupbench.json (analysis loads that).
 *
 * A benchmark that claims a value for a counter writes it next to the
 * measured one as GUPB_CLAIM_PREFIX + counter (claim_pins_per_iter), so a
 * checker compares measured against claimed with no table of its own.
 *
 * Benchmark names: family "/" key ":" value ["/" key ":" value ...], keys
 * from GUPB_KEY_* in the order the workload declares (bench/core/case.c).
 */
#ifndef GUPB_SCHEMA_H
#define GUPB_SCHEMA_H

#define GUPB_SCHEMA_VERSION "1"
#define GUPB_CLAIM_PREFIX "claim_"

/* Name keys. */
#define GUPB_KEY_BACKING "backing"
#define GUPB_KEY_LAYOUT "layout"
#define GUPB_KEY_BYTES "bytes"
#define GUPB_KEY_QD "qd"
#define GUPB_KEY_ENTRY "entry"
#define GUPB_KEY_PAGES "pages"
#define GUPB_KEY_VARIANT "variant"
#define GUPB_KEY_CONTENTION "contention"

/* Proof-of-path counters (each has a claim_ twin where claimed). */
#define GUPB_CTR_PINS_PER_ITER "pins_per_iter"
#define GUPB_CTR_GUP_PER_ITER "gup_per_iter"
#define GUPB_CTR_ZERO_COPY "zero_copy"

/* Per-thread perf events around the timed loop (bench/sys/pmu.c), _u/_k. */
#define GUPB_CTR_PMU_CYCLES "pmu_cycles"
#define GUPB_CTR_PMU_INSTRUCTIONS "pmu_instructions"
#define GUPB_CTR_PMU_L1D_MISSES "pmu_l1d_misses"
#define GUPB_CTR_PMU_DTLB_MISSES "pmu_dtlb_misses"
#define GUPB_CTR_PMU_BRANCH_MISSES "pmu_branch_misses"
#define GUPB_CTR_SW_TASK_CLOCK_NS "sw_task_clock_ns"
#define GUPB_CTR_SW_PAGE_FAULTS "sw_page_faults"
#define GUPB_CTR_SW_CONTEXT_SWITCHES "sw_context_switches"

/* alias (bench/checks/alias.c). */
#define GUPB_CTR_VA_BITS "va_bits"
#define GUPB_CTR_PROBES "probes"
#define GUPB_CTR_ACCEPTED "accepted"
#define GUPB_CTR_ACCEPTED_MIN_BIT "accepted_min_bit"
#define GUPB_CTR_ACCEPTED_MAX_BIT "accepted_max_bit"
#define GUPB_CTR_ACCEPTED_TOP "accepted_top"
#define GUPB_CTR_ALIAS_CHECKABLE "alias_checkable"
#define GUPB_CTR_ALIAS_CONFIRMED "alias_confirmed"
#define GUPB_CTR_BASELINE_OK "baseline_ok"

/* kmod / kwalk (bench/workloads/kmod.c). */
#define GUPB_CTR_PINS_PER_CALL "pins_per_call"
#define GUPB_CTR_NS_MIN "ns_min"
#define GUPB_CTR_NS_P50 "ns_p50"
#define GUPB_CTR_NS_P90 "ns_p90"
#define GUPB_CTR_NS_P99 "ns_p99"
#define GUPB_CTR_NS_MAX "ns_max"
#define GUPB_CTR_WALK_DELTA_VS_LIVE_NS "walk_delta_vs_live_ns"
#define GUPB_CTR_WALK_DELTA_CI95_LO_NS "walk_delta_ci95_lo_ns"
#define GUPB_CTR_WALK_DELTA_CI95_HI_NS "walk_delta_ci95_hi_ns"
#define GUPB_CTR_WALK_DELTA_PAIRS "walk_delta_pairs"
#define GUPB_CTR_CALLS "calls"
#define GUPB_CTR_PAGES_PER_CALL "pages_per_call"
#define GUPB_CTR_SHORT_RETURNS "short_returns"
#define GUPB_CTR_CLOCK_VS_KTIME "clock_vs_ktime"
#define GUPB_CTR_KPMU_CYCLES "kpmu_cycles"
#define GUPB_CTR_KPMU_INSTRUCTIONS "kpmu_instructions"
#define GUPB_CTR_KPMU_L1D_MISSES "kpmu_l1d_misses"
#define GUPB_CTR_KPMU_DTLB_MISSES "kpmu_dtlb_misses"
#define GUPB_CTR_CHURN_ROUNDS "churn_rounds"
#define GUPB_CTR_KPMU_LOADS "kpmu_loads"
#define GUPB_CTR_KPMU_LOADS_EVENT "kpmu_loads_event"

/*
 * kwalk_ab (bench/workloads/kwalk_ab.c): every walk variant of one run in
 * one benchmark, kwalk_ab/backing:B/pages:N[/contention:pmd|pgd]/manual_time.
 * Per walk, in units of the walk clock (kernel-mode PMU cycles, else the
 * arch counter: walk_clock_pmu_cycles).
 */
#define GUPB_CTR_WALK_DELTA_STACK_VS_LIVE "walk_delta_stack_vs_live"
#define GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE "walk_delta_generic_vs_live"
#define GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_LO "walk_delta_stack_vs_live_ci95_lo"
#define GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_LO "walk_delta_generic_vs_live_ci95_lo"
#define GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_HI "walk_delta_stack_vs_live_ci95_hi"
#define GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_HI "walk_delta_generic_vs_live_ci95_hi"
#define GUPB_CTR_WALK_LIVE "walk_live"
#define GUPB_CTR_WALK_STACK "walk_stack"
#define GUPB_CTR_WALK_GENERIC "walk_generic"
#define GUPB_CTR_WALK_BATCH "walk_batch"
#define GUPB_CTR_WALK_CLOCK_PMU_CYCLES "walk_clock_pmu_cycles"
#define GUPB_CTR_WALK_CLOCK_PER_NS "walk_clock_per_ns"
#define GUPB_CTR_WALK_ROUNDS_DROPPED "walk_rounds_dropped"
#define GUPB_CTR_WALK_INSNS_LIVE "walk_insns_live"
#define GUPB_CTR_WALK_INSNS_STACK "walk_insns_stack"
#define GUPB_CTR_WALK_INSNS_GENERIC "walk_insns_generic"
#define GUPB_CTR_WALK_INSNS_DELTA_STACK_VS_LIVE "walk_insns_delta_stack_vs_live"
#define GUPB_CTR_WALK_INSNS_DELTA_GENERIC_VS_LIVE "walk_insns_delta_generic_vs_live"
#define GUPB_CTR_WALK_LOADS_LIVE "walk_loads_live"
#define GUPB_CTR_WALK_LOADS_STACK "walk_loads_stack"
#define GUPB_CTR_WALK_LOADS_GENERIC "walk_loads_generic"
#define GUPB_CTR_WALK_LOADS_DELTA_STACK_VS_LIVE "walk_loads_delta_stack_vs_live"
#define GUPB_CTR_WALK_LOADS_DELTA_GENERIC_VS_LIVE "walk_loads_delta_generic_vs_live"

/* Contention (/contention:pmd|pgd): the neighbour churn and its proof. */
#define GUPB_CTR_CHURN_WRITES "churn_writes"
#define GUPB_CTR_CHURN_SAME_LINE "churn_same_line"
#define GUPB_CTR_CHURN_READS "churn_reads"
#define GUPB_CTR_CHURN_SEEN "churn_seen"
#define GUPB_CTR_RELOAD_CHECKS "reload_checks"
#define GUPB_CTR_RELOAD_MISMATCH "reload_mismatch"

/* gup_test (bench/workloads/guptest.c). */
#define GUPB_CTR_CALLS_PER_ITER "calls_per_iter"
#define GUPB_CTR_GUP_TEST_VS_KMOD "gup_test_vs_kmod"
#define GUPB_CTR_GUP_TEST_VS_KMOD_SWEEPS "gup_test_vs_kmod_sweeps"

/* Context keys (results/README.md). */
#define GUPB_CTX_SCHEMA "gupbench_schema"
#define GUPB_CTX_VERSION "gupbench_version"
#define GUPB_CTX_PROFILE "gupbench_profile"
#define GUPB_CTX_KERNEL_RELEASE "kernel_release"
#define GUPB_CTX_KERNEL_VERSION "kernel_version"
#define GUPB_CTX_KERNEL_BUILD "kernel_build"
#define GUPB_CTX_KERNEL_PATCH "kernel_patch"
#define GUPB_CTX_KERNEL_PACKAGE "kernel_package"
#define GUPB_CTX_ARCH "arch"
#define GUPB_CTX_PAGE_SIZE "page_size"
#define GUPB_CTX_CONFIG_SOURCE "config_source"
#define GUPB_CTX_CONFIG_PGTABLE_LEVELS "config_pgtable_levels"
#define GUPB_CTX_CONFIG_VA_BITS "config_va_bits"
#define GUPB_CTX_CONFIG_PAGE_SHIFT "config_page_shift"
#define GUPB_CTX_CONFIG_LPA2 "config_lpa2"
#define GUPB_CTX_CPU_LA57 "cpu_la57"
#define GUPB_CTX_THP_ENABLED "thp_enabled"
#define GUPB_CTX_THP_DEFRAG "thp_defrag"
#define GUPB_CTX_HUGETLB_FREE_PAGES "hugetlb_free_pages"
#define GUPB_CTX_HUGETLB_PAGE_SIZE_KB "hugetlb_page_size_kb"
#define GUPB_CTX_CPU_MODEL "cpu_model"
#define GUPB_CTX_CPU_MIDR "cpu_midr"
#define GUPB_CTX_CMDLINE "cmdline"
#define GUPB_CTX_HW_COUNTERS "hw_counters"
#define GUPB_CTX_EMULATED "emulated"
#define GUPB_CTX_ODIRECT_TARGET "odirect_target"
#define GUPB_CTX_NOT_RUN "not_run"
#define GUPB_CTX_KMOD "kmod"
#define GUPB_CTX_PGTABLE_L4_ENABLED "pgtable_l4_enabled"
#define GUPB_CTX_PGTABLE_L5_ENABLED "pgtable_l5_enabled"
#define GUPB_CTX_PGTABLE_LEVELS_RUNTIME "pgtable_levels_runtime"
#define GUPB_CTX_KMOD_VA_BITS "kmod_va_bits"
#define GUPB_CTX_KMOD_CLOCK "kmod_clock"
#define GUPB_CTX_KMOD_WALK_VARIANTS "kmod_walk_variants"
#define GUPB_CTX_KMOD_VARIANTS_DIFFER "kmod_variants_differ"
#define GUPB_CTX_KMOD_FOLDED_HELPER "kmod_folded_helper"
#define GUPB_CTX_ALIAS_VA_BITS_RUNTIME "alias_va_bits_runtime"
#define GUPB_CTX_ALIAS_VA_BITS_SOURCE "alias_va_bits_source"
#define GUPB_CTX_ALIAS_VA_BITS_KMOD "alias_va_bits_kmod"
#define GUPB_CTX_ALIAS_PROBE_BITS "alias_probe_bits"
#define GUPB_CTX_ALIAS_ACCEPTED_ABOVE_VA "alias_accepted_above_va"
#define GUPB_CTX_ALIAS_ENTRY_POINTS_ACCEPTED "alias_entry_points_accepted"
#define GUPB_CTX_ALIAS_CONFIRMED "alias_confirmed"
#define GUPB_CTX_ALIAS_CONFIRMED_BY "alias_confirmed_by"
#define GUPB_CTX_ALIAS_KWALK_ACCEPTED "alias_kwalk_accepted"
#define GUPB_CTX_ALIAS_ENTRY_POINTS_NOT_CHECKED "alias_entry_points_not_checked"
#define GUPB_CTX_HOST_LOADAVG_START "host_loadavg_start"
#define GUPB_CTX_HOST_NCPUS "host_ncpus"
#define GUPB_CTX_HOST_CPUFREQ_GOVERNOR "host_cpufreq_governor"
#define GUPB_CTX_HOST_STEAL_PCT "host_steal_pct"

#endif /* GUPB_SCHEMA_H */
