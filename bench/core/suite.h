/* SPDX-License-Identifier: GPL-2.0 */
/*
 * suite.h - the profile and the configuration part of the run context.
 * Workloads use the case driver (case.h): one file each, registered with
 * GUPB_WORKLOAD(), no table line.
 */
#ifndef GUPB_SUITE_H
#define GUPB_SUITE_H

#include <stddef.h>
#include <stdint.h>
#include "gb/gb.h"

#define GUPB_MAX_LIST 16
#define GUPB_MAX_SCOPED 32

/* One scoped profile line, <workload>.<key> = value (case.h options). */
struct gupb_scoped {
	char key[64];
	char value[192];
	int line;
};

/* A benchmark profile (configs/profiles/<name>.conf). */
struct gupb_profile {
	char name[32];
	int repetitions;		/* >= 1 */
	double min_time;		/* seconds per repetition */
	size_t sizes[GUPB_MAX_LIST];	/* buffer sizes in bytes */
	int nr_sizes;
	char backings[256];		/* comma list: anon,thp,hugetlb,shmem,file */
	char layouts[128];		/* comma list: inside,cross_pmd,cross_pud */
	struct gupb_scoped scoped[GUPB_MAX_SCOPED];
	int nr_scoped;
};

/* The run context's configuration (ctx.h). */
struct gupb_config {
	struct gupb_profile profile;
	const char *target;	/* O_DIRECT target: auto|nullb|zram|<path> */
	const char *tmpdir;	/* where file-backed buffers live */
	const char *kmod_dev;	/* /dev/gupbench */
	const char *kmod_reason;	/* -K: why the module is not loaded, or NULL */
};

#endif /* GUPB_SUITE_H */
