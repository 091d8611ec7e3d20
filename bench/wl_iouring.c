// SPDX-License-Identifier: GPL-2.0
/* STUB: replaced by the real iouring workload. */
#include "gupbench.h"

static int reg(const struct gupb_config *cfg)
{
	(void)cfg;
	return 0;
}

const struct gupb_workload gupb_wl_iouring = {
	.name = "iouring",
	.summary = "(stub)",
	.register_fn = reg,
};
