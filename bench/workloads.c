// SPDX-License-Identifier: GPL-2.0
/*
 * workloads.c - the workloads still on the legacy register_fn interface
 * (suite.h), one line each, placed in the driver's registry. A new
 * workload does not come here: it registers itself with GUPB_WORKLOAD()
 * in its own file (case.h).
 */
#include "case.h"
#include "suite.h"

#define GUPB_LEGACY_WORKLOAD(sym, ord)					\
	extern const struct gupb_workload sym;				\
	static const struct gupb_wl sym##_wl = {			\
		.order = (ord), .legacy = &(sym) };			\
	GUPB_WORKLOAD(sym##_wl)

GUPB_LEGACY_WORKLOAD(gupb_wl_kmod, 50);
