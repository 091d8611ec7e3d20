/* SPDX-License-Identifier: GPL-2.0 */
/*
 * suite.h - the profile, the legacy view of the run, and the legacy
 * workload interface.
 *
 * New workloads use the case driver (case.h): one file, registered with
 * GUPB_WORKLOAD(), no table line. struct gupb_workload below is the
 * interface wl_kmod.c still uses: a register_fn that
 * calls gb_register() itself. workloads.c adapts each of them to the
 * driver's registry with one GUPB_LEGACY_WORKLOAD() line.
 */
#ifndef GUPB_SUITE_H
#define GUPB_SUITE_H

#include <stddef.h>
#include <stdint.h>
#include "gb.h"

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

/* What a legacy workload sees of the run (the run context's first part). */
struct gupb_config {
	struct gupb_profile profile;
	const char *target;	/* O_DIRECT target: auto|nullb|zram|<path> */
	const char *tmpdir;	/* where file-backed buffers live */
	const char *kmod_dev;	/* /dev/gupbench */
};

struct gupb_workload {
	const char *name;	/* "kmod", "guptest" */
	const char *summary;	/* one line, for --list-workloads */
	/* Register benchmarks; 0 or -errno (a fatal setup bug, not a skip). */
	int (*register_fn)(const struct gupb_config *cfg);
	/* Release what register_fn / the benchmarks kept; may be NULL. */
	void (*cleanup_fn)(void);
	/*
	 * May be NULL. NULL when the family can run here, else why not for
	 * the whole run (no module, no gup_test): the family is then not
	 * registered and the reason is said once (notrun.h).
	 */
	const char *(*unavailable_fn)(const struct gupb_config *cfg);
};

#endif /* GUPB_SUITE_H */
