/* SPDX-License-Identifier: GPL-2.0 */
/*
 * contract.h - the result contract's tables (contract.c) and the pin
 * tolerance. The names themselves are schema.h's; the workloads' families
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

struct gupb_counter_desc {
	const char *name;	/* a counter, or a template: pmu_<event>_<u|k> */
	const char *unit;
	enum gupb_check check;
	const char *const *expands;	/* a template's names, NULL-terminated */
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
extern const char *const gupb_contract_context_required[];
extern const char *const gupb_contract_context_optional[];
extern const char *const gupb_contract_context_testbed[];

#endif /* GUPB_CONTRACT_H */
