/* SPDX-License-Identifier: GPL-2.0 */
/*
 * contract.h - the result contract's tables (contract.c, expanded from
 * contract.def) and the pin tolerance. The names are declared in
 * schema.h from the same table; the workloads' families
 * (with their keys and claim counter) are in their own tables (case.h).
 * gupbench --describe writes all of it as contract/gupbench.json.
 */
#ifndef GUPB_CONTRACT_H
#define GUPB_CONTRACT_H

#include "uapi/gupbench.h"

/* How a claim on a counter is checked. */
enum gupb_check {
	GUPB_CHECK_EXACT,	/* observed by the benchmark itself: equal */
	GUPB_CHECK_VMSTAT,	/* global /proc/vmstat: the pin tolerance */
};

/* A counter (contract.def's GUPB_CTR). */
struct gupb_counter_desc {
	const char *name;
	const char *unit;
	enum gupb_check check;
	const char *tmpl;		/* NULL, or pmu_<event>_<u|k>, walk_<v>... */
	const char *doc;	/* NULL: in the docs row of the one above */
};

enum gupb_ctx_class {
	GUPB_CTX_CLASS_REQUIRED,	/* every result has it */
	GUPB_CTX_CLASS_OPTIONAL,	/* written where it applies */
	GUPB_CTX_CLASS_TESTBED,		/* set from outside: --context K=V */
};

/* A context key (contract.def's GUPB_CTX). */
struct gupb_context_desc {
	const char *name;
	enum gupb_ctx_class kind;
	const char *doc;	/* NULL: in the docs row of the one above */
};

/*
 * The pin tolerance (GUPB_CHECK_VMSTAT): other processes' pins only add
 * to the global counters, so a claim of 0 holds below ZERO_BELOW, any
 * other claim w for LO * w <= measured <= HI * w + HI_ADD.
 */
#define GUPB_PIN_ZERO_BELOW	0.5
#define GUPB_PIN_LO		0.95
#define GUPB_PIN_HI		1.5
#define GUPB_PIN_HI_ADD		1.0

extern const char *const gupb_walk_variants[];	/* by GUPB_VARIANT_* */
extern const char *const gupb_contract_keys[];
extern const struct gupb_counter_desc gupb_contract_counters[];
extern const struct gupb_context_desc gupb_contract_context[];

#endif /* GUPB_CONTRACT_H */
