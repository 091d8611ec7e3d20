/* SPDX-License-Identifier: GPL-2.0 */
/*
 * notrun.h - what a run leaves out as a whole, said once. A workload
 * family (or a backing) whose prerequisite is absent for the whole run
 * (the module, gup_test, hugetlb pages) is not registered: one console
 * line per family and a "not_run" context entry with every reason,
 * instead of a skipped result per benchmark.
 */
#ifndef GUPB_NOTRUN_H
#define GUPB_NOTRUN_H

#include "core/suite.h"

/* Record and print "gupbench: <what>: not run: <why>". */
void gupb_not_run(const char *what, const char *why);
/* Drop backings the machine cannot provide at all (hugetlb: none reserved). */
void gupb_drop_unavailable_backings(struct gupb_profile *p);
/* Write the "not_run" context entry ("what: why; ..."), if any. */
void gupb_not_run_context(void);

#endif /* GUPB_NOTRUN_H */
