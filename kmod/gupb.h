/* SPDX-License-Identifier: GPL-2.0 */
/* What the parts of gupbench.ko share. */
#ifndef _GUPB_H
#define _GUPB_H

#include <linux/mm_types.h>
#include <linux/types.h>
#include "uapi/gupbench.h"

/* Per-call clock: the arch counter where there is one. */
u64 gupb_clock(void);
u64 gupb_clock_ns(u64 delta);
void gupb_clock_info(struct gupb_info *info);

/* The walk variants (walk.c). */
u32 gupb_variants_valid(void);
bool gupb_variants_differ(void);
bool gupb_folded_helper(void);
u32 gupb_levels_runtime(void);
/*
 * Walk [start, end) of mm like the 6.12 GUP-fast descent, top-level
 * entry handed on as variant says; irqs are off for the walk. Returns
 * the number of present pages found, or -errno.
 */
long gupb_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	       int variant);
/* The live walk, counting top-level reloads and how many differed. */
long gupb_walk_reload_check(struct mm_struct *mm, unsigned long start,
			    unsigned long end, u64 *checks, u64 *mismatch);
void gupb_entries(struct mm_struct *mm, struct gupb_entries *e);
u64 gupb_entry_read(struct mm_struct *mm, unsigned long addr, u32 level,
		    u64 *where);

#endif /* _GUPB_H */
