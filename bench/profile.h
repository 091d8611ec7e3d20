/* SPDX-License-Identifier: GPL-2.0 */
/* profile.h - benchmark profiles (configs/profiles/<name>.conf). */
#ifndef GUPB_PROFILE_H
#define GUPB_PROFILE_H

#include <stdio.h>
#include "gupbench.h"

/* Every backing and layout a profile may name, NULL-terminated. */
extern const char *const gupb_backing_names[];
extern const char *const gupb_layout_names[];

/* 0, or -1 with a message in err. */
int gupb_profile_parse(FILE *f, const char *name, struct gupb_profile *p,
		       char *err, size_t errlen);
/* Is item one of the comma-separated words of list? */
int gupb_list_has(const char *list, const char *item);

#endif /* GUPB_PROFILE_H */
