/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - benchmark profiles (configs/profiles/<name>.conf).
 *
 * "key = value" lines. The sweep's keys (repetitions, min_time, sizes,
 * backings, layouts) are the suite's; a workload's own keys are scoped,
 * <workload>.<key> (iouring.qdepths), kept as text here and checked
 * against the workload's option table by the case driver (case.c).
 */
#ifndef GUPB_PROFILE_H
#define GUPB_PROFILE_H

#include <stdio.h>
#include "core/suite.h"

/* Every backing and layout a profile may name, NULL-terminated. */
extern const char *const gupb_backing_names[];
extern const char *const gupb_layout_names[];

/* 0, or -1 with a message in err. */
int gupb_profile_parse(FILE *f, const char *name, struct gupb_profile *p,
		       char *err, size_t errlen);
/*
 * Find <name>.conf in dir, $GUPB_PROFILE_DIR, <binary>/../../configs/
 * profiles, configs/profiles, and parse it. 0, or -1 (said on stderr).
 */
int gupb_profile_load(const char *dir, const char *name,
		      struct gupb_profile *p);
/* The value of <wl>.<name>, or NULL when the profile does not set it. */
const char *gupb_profile_scoped(const struct gupb_profile *p,
				const char *wl, const char *name);
/* "4096, 64k, 2M" -> values (k/M/G binary). 0, or -1. */
int gupb_parse_list(const char *v, size_t *out, int *nr);
/* Is item one of the comma-separated words of list? */
int gupb_list_has(const char *list, const char *item);

#endif /* GUPB_PROFILE_H */
