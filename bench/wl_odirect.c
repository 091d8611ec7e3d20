// SPDX-License-Identifier: GPL-2.0
/* STUB: replaced by the real odirect workload. */
#include "gupbench.h"

static int reg(const struct gupb_config *cfg)
{
	(void)cfg;
	return 0;
}

const struct gupb_workload gupb_wl_odirect = {
	.name = "odirect",
	.summary = "(stub)",
	.register_fn = reg,
};
