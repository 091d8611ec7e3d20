// SPDX-License-Identifier: GPL-2.0
/* The workload table: adding a workload is one file plus one line here. */
#include "gupbench.h"

extern const struct gupb_workload gupb_wl_odirect;
extern const struct gupb_workload gupb_wl_iouring;
extern const struct gupb_workload gupb_wl_futex;
extern const struct gupb_workload gupb_wl_vmsplice;
extern const struct gupb_workload gupb_wl_kmod;
extern const struct gupb_workload gupb_wl_guptest;
extern const struct gupb_workload gupb_wl_alias;

const struct gupb_workload *const gupb_workloads[] = {
	&gupb_wl_odirect,
	&gupb_wl_iouring,
	&gupb_wl_futex,
	&gupb_wl_vmsplice,
	&gupb_wl_kmod,
	&gupb_wl_guptest,
	&gupb_wl_alias,
};

const size_t gupb_nr_workloads =
	sizeof(gupb_workloads) / sizeof(gupb_workloads[0]);
